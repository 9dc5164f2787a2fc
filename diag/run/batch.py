"""A batch of clients: local worker processes or a dask cluster, one warm kernel each, never stopped by one client."""

from __future__ import annotations

import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence, TypedDict

from diag import paths
from diag.brief.model import load_brief
from diag.errors import DiagError, RunError, UsageError
from diag.run.client import (
    NOTEBOOKS,
    STORES_NOTEBOOK,
    RunResult,
    _headline,
    kernel_templates,
    out_folder,
    run_client,
    stamp_options,
)
from diag.run.index import write_index
from diag.run.kernels import (
    NotebookFailed,
    die_with_parent,
    process_kernel,
    shutdown_process_kernel,
)
from diag.run.progress import Progress


@dataclass
class BatchSummary:
    """All results of a batch and the contract's exit status."""

    results: list[RunResult]

    @property
    def exit_code(self) -> int:
        """0 when every client succeeded (or was unchanged), 3 when some failed, 2 when none could start."""
        if all(r.status in ("ok", "unchanged") for r in self.results):
            return 0
        if all(r.status == "bad input" for r in self.results):
            return 2
        return 3


# -- one client -------------------------------------------------------------------------

def find_briefs(items: Iterable[Path]) -> list[Path]:
    """Return the brief files named, expanding folders to their ``*.yaml`` / ``*.yml`` files."""
    found: list[Path] = []
    for item in items:
        item = Path(item)
        if item.is_dir():
            found.extend(sorted(p for p in item.iterdir() if p.suffix in (".yaml", ".yml")))
        elif item.exists():
            found.append(item)
        else:
            raise UsageError("no such brief file or folder", file=item)
    if not found:
        raise UsageError("no briefs (*.yaml) found", file=", ".join(str(i) for i in items))
    return found


def _run_one(brief_path: Path, out_root: Path, lang: str, templates: Path | None = None, *,
             force: bool = True, options: dict[str, Any] | None = None) -> RunResult:
    """Run one client of a batch in this process's warm kernel; never raise.

    Without ``force`` a client whose inputs match the stamp of its last good run is
    not run again (status ``unchanged``, the recorded headline figures kept).
    """
    options = dict(options or {})
    started = time.monotonic()
    try:
        # ``templates`` is the firm's folder resolved where the batch started: a worker
        # on another machine (a dask scheduler) does not share that process's environment.
        with kernel_templates(templates):
            if not force:
                skipped = _unchanged(Path(brief_path), out_folder(out_root), lang, options)
                if skipped is not None:
                    skipped.seconds = time.monotonic() - started
                    return skipped
            kernel = process_kernel()
            try:
                return run_client(brief_path, out_root, lang=lang, kernel=kernel, **options)
            finally:
                kernel.client_done()
    except DiagError as exc:
        return RunResult(slug=Path(brief_path).stem, status="bad input", error=f"error: {exc.line()}")
    except NotebookFailed as exc:
        return RunResult(slug=Path(brief_path).stem, status="failed", error=f"error: {exc}",
                         notebook=exc.notebook, cell=exc.cell, **_names(brief_path))
    except RunError as exc:
        return RunResult(slug=Path(brief_path).stem, status="failed", error=f"error: {exc}", **_names(brief_path))
    except Exception as exc:  # noqa: BLE001 - one client's crash must not stop the batch
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return RunResult(slug=Path(brief_path).stem, status="failed", error=f"internal error: {detail}")


class _Names(TypedDict, total=False):
    client: str
    industry: str


def _names(brief_path: Path) -> _Names:
    """Return the client's name and industry for the index of a failed run (empty if unreadable)."""
    try:
        client = load_brief(Path(brief_path)).client
    except DiagError:
        return {}
    return {"client": client.name, "industry": client.industry}


def _unchanged(brief_path: Path, out_root: Path, lang: str, options: dict[str, Any]) -> RunResult | None:
    """Return the ``unchanged`` result of a client whose last good run had these inputs, else None."""
    from diag.run.incremental import last_good_run

    names = (*NOTEBOOKS, STORES_NOTEBOOK) if options.get("per_store") else NOTEBOOKS
    settings = {k: options[k] for k in ("firm", "pdf", "since", "use_since", "per_store") if k in options}
    found = last_good_run(load_brief(brief_path.resolve()), out_root, [paths.NOTEBOOKS / f"{n}.ipynb" for n in names],
                          stamp_options(lang, **settings))
    if found is None:
        return None
    brief, results = found
    return RunResult(slug=brief.slug, client=brief.client.name, industry=brief.client.industry,
                     status="unchanged", report=out_root / brief.slug / "report.docx", headline=_headline(results))


def run_batch(items: Sequence[Path], out_root: Path, *, jobs: int = 1, executor: str = "local",
              scheduler: str | None = None, lang: str = "zh", force: bool = False,
              progress: Progress | None = None, template: Path | None = None, pdf: bool = False,
              since: Path | None = None, use_since: bool = True, per_store: bool = False) -> BatchSummary:
    """Run every brief, write ``OUT/index.csv`` and ``OUT/index.html``; return the summary.

    ``executor="local"`` runs the briefs one after another (``jobs=1``) or in ``jobs``
    worker processes, each with its own warm kernel; ``"dask"`` hands them to a
    dask.distributed cluster: the scheduler at ``scheduler`` (``tcp://host:8786``; its
    workers must see the same briefs and output folder), or without one a local
    cluster of ``jobs`` worker processes.  Every client's result is collected whatever
    happens to the others.  A client whose inputs are unchanged since its last good
    run is skipped unless ``force``.  Only one batch at a time writes into ``out_root``
    (:func:`diag.run.outlock.batch_lock`).  The firm's report settings (``template``, ``pdf``)
    are checked once here; they, ``since`` / ``use_since`` (``since`` is then usually a
    previous batch's output folder, holding ``<slug>/results.json``) and ``per_store``
    go to every :func:`run_client`.
    """
    briefs = [p.resolve() for p in find_briefs(items)]   # absolute: workers may start elsewhere
    if executor not in EXECUTORS:
        raise UsageError(f"unknown executor '{executor}'; known: {', '.join(EXECUTORS)}", file="--executor")
    if scheduler and executor != "dask":
        raise UsageError("a scheduler address needs --executor dask", file="--scheduler")
    if jobs < 1:
        raise UsageError(f"expected -j ≥ 1, got {jobs}", file="-j")
    from diag.config import user_templates_dir
    from diag.run.outlock import batch_lock

    out_root = out_folder(out_root)
    templates = user_templates_dir()   # resolved once, where the command started (absolute)
    from diag.report import delivery

    options = {"firm": delivery(template, pdf),   # the firm's report settings, checked once
               "pdf": pdf, "since": since, "use_since": use_since, "per_store": per_store}
    # the cluster first, before any output: a bad scheduler address starts nothing
    client = _dask_client(scheduler, jobs) if executor == "dask" else None
    try:
        with batch_lock(out_root):
            summary = _run_all(briefs, out_root, client, jobs, lang, templates, progress or Progress(len(briefs), lang=lang),
                               {"force": force, "options": options})
    finally:
        if client is not None:
            _close_dask(client)
    return summary


def _run_all(briefs: list[Path], out_root: Path, client: Any, jobs: int, lang: str, templates: Path | None,
             progress: Progress, kwargs: dict[str, Any]) -> BatchSummary:
    """Run every brief on the dask ``client`` or locally, then write the index (under the lock)."""
    results: list[RunResult] = []
    if client is not None:
        from dask.distributed import as_completed as dask_completed

        futures = client.map(_run_one, briefs, out_root=out_root, lang=lang, templates=templates,
                             pure=False, **kwargs)
        for future in dask_completed(futures):
            results.append(_finished(progress, future.result()))
    elif jobs == 1:
        try:
            for path in briefs:
                results.append(_finished(progress, _run_one(path, out_root, lang, templates, **kwargs)))
        finally:
            shutdown_process_kernel()
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent) as pool:
            futures = [pool.submit(_run_one, path, out_root, lang, templates, **kwargs) for path in briefs]
            for future in as_completed(futures):
                results.append(_finished(progress, future.result()))
    order = {p.stem: i for i, p in enumerate(briefs)}
    results.sort(key=lambda r: order.get(r.slug, len(order)))
    write_index(results, out_root)
    return BatchSummary(results)


def _finished(progress: Progress, result: RunResult) -> RunResult:
    progress.finished(result)
    return result


#: Where a batch's clients run: this machine's processes, or a dask.distributed cluster.
EXECUTORS = ("local", "dask")


def _dask_client(scheduler: str | None, jobs: int) -> Any:
    """Return a dask.distributed client: connected to ``scheduler``, or to a new local
    cluster of ``jobs`` single-threaded worker processes (no dashboard)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("the dask executor needs the dask[distributed] package", file="--executor") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"cannot reach the dask scheduler at {scheduler} ({type(exc).__name__})",
                             file="--scheduler") from None
    import logging

    logging.getLogger("distributed").setLevel(logging.ERROR)  # start-up chatter is not for consultants
    # ":0": any free port, so a cluster or dashboard already on 8787 (another user's) is no conflict
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


def _close_dask(client: Any) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


__all__ = ["EXECUTORS", "BatchSummary", "find_briefs", "run_batch"]
