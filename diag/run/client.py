"""Papermill orchestration: one client, or a batch of them.

A run executes the consulting-flow notebooks in a real Jupyter kernel, each writing
its results through :class:`diag.record.Recorder` into a temporary twin of the run
folder; then the executed notebooks are scrubbed of personal data and exported to
HTML, the results are merged and the Word report is built.  Only when all of that
succeeded does the temporary folder replace ``OUT/<slug>``: a run that fails or is
killed leaves the previous good report in place.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import html
import io
import json
import os
import shutil
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from diag import __version__, paths
from diag.brief.model import Brief, load_brief
from diag.errors import BriefError, DataError, DiagError, RunError, TemplateError, UsageError
from diag.files import write_atomic
from diag.privacy import Scrubber
from diag.readers.load import BriefData, load_data, write_cache
from diag.record import FIGURES_ENV, merge_results
from diag.run.kernels import (
    CellFailure,
    NotebookFailed,
    WarmKernel,
    die_with_parent,
    process_kernel,
    shutdown_process_kernel,
)
from diag.run.progress import Progress

#: The consulting flow, one notebook per step, in reading order.
NOTEBOOKS: tuple[str, ...] = ("01_intake", "02_journey", "03_diagnosis", "03b_review", "04_strategy")
#: The 复盘 notebook runs only when there is something to review (campaigns or an earlier run).
REVIEW = "03b_review"

#: The chain's store comparison, run after the others with ``per_store=True``.
STORES_NOTEBOOK = "05_stores"

#: The run's cache of the client's data, read once for every notebook (inside the work folder).
CACHE = ".data-cache"

#: Columns of ``OUT/index.csv`` (one row per client of a batch).
INDEX_COLUMNS = ("slug", "client", "industry", "status", "orders", "customers", "gmv", "aov",
                 "repurchase_rate", "seconds", "report", "error", "notebook", "cell")


@dataclass
class RunResult:
    """What one client's run produced (or why it did not)."""

    slug: str
    client: str = ""
    industry: str = ""
    status: str = "ok"  # ok | unchanged | bad input | failed
    report: Path | None = None
    seconds: float = 0.0
    error: str = ""
    headline: dict[str, Any] = field(default_factory=dict)
    notebook: str = ""  # the failing notebook and cell, when a notebook failed
    cell: int | None = None

    def index_row(self) -> dict[str, Any]:
        """Return this result as a row of ``index.csv``."""
        row = {"slug": self.slug, "client": self.client, "industry": self.industry,
               "status": self.status, "seconds": round(self.seconds, 1),
               "report": "" if self.report is None else str(self.report), "error": self.error,
               "notebook": self.notebook, "cell": "" if self.cell is None else self.cell}
        for key in ("orders", "customers", "gmv", "aov", "repurchase_rate"):
            row[key] = self.headline.get(key, "")
        return row


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

def prepare(brief_path: Path, *, per_store: bool = False) -> tuple[Brief, Scrubber, BriefData]:
    """Return the validated brief, a scrubber for its customers' identifiers and its data, read.

    Checks that the brief's industry template validates and that the data files can
    be read first, so bad input fails with a :class:`DiagError` before any notebook
    starts.  A run caches the data it returns for the notebooks
    (:func:`diag.readers.load.write_cache`), so the files are read once.
    """
    from diag.industries.registry import load_template

    brief = load_brief(brief_path)
    load_template(brief.client.industry)  # raises TemplateError naming the template file
    if brief.data_path("orders") is None:
        raise BriefError("a run needs the client's orders file (data.orders)", file=brief_path,
                         where="data.orders")
    # Every data file the brief names is read here, with the readers the notebooks use,
    # so an unreadable WeCom or members file is bad input (exit 2), not a failed notebook.
    data = load_data(brief)
    assert data.orders is not None
    if per_store:
        from diag.areas.stores import has_stores

        if not has_stores(data.orders.orders):
            raise DataError("--per-store needs a store column (门店 / 门店名称 / 店铺, or data.columns.store); "
                            "none found", file=brief.data_path("orders"), where="store")
    return brief, Scrubber(data.orders.orders["customer_id"].unique()), data


def out_folder(out_root: Path) -> Path:
    """Return ``out_root`` made absolute, or raise :class:`UsageError` when it is not a folder."""
    out_root = Path(out_root).resolve()
    if out_root.exists() and not out_root.is_dir():
        raise UsageError(f"expected an output folder, got a file: {out_root}", file="--out")
    return out_root


def _sweep_stale(out_root: Path, slug: str) -> None:
    """Remove work folders of ``slug`` left by runs that were killed (their process is gone)."""
    for stale in out_root.glob(f".{slug}.tmp-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_client(brief_path: Path, out_root: Path, *, lang: str = "zh",
               notebooks: Sequence[str] = NOTEBOOKS, kernel: WarmKernel | None = None,
               template: Path | None = None, pdf: bool = False, firm: Any = None,
               since: Path | None = None, use_since: bool = True, per_store: bool = False) -> RunResult:
    """Execute the notebooks for one brief and build its report; return what was produced.

    The firm's template folder is resolved here, in the process where the command was
    started (``$DIAG_TEMPLATES`` or a config file in its working directory), and handed
    to the kernels, which run elsewhere (see :func:`kernel_templates`).

    ``template`` (``--template``) and the config file's report settings, or ``firm``
    already resolved by a batch, give the report the firm's look; ``pdf`` adds
    ``report.pdf`` (see :mod:`diag.report`).

    Raises :class:`DiagError` for bad input (before any notebook starts, or when a
    notebook reports one) and :class:`RunError` when a notebook fails; in both cases
    ``OUT/<slug>`` is untouched.

    ``since`` names the earlier run to compare with (see :func:`diag.run.since.find_previous`);
    by default the previous report of the same client in ``out_root`` is used, and
    ``use_since=False`` compares with none.  ``template`` / ``firm`` / ``pdf`` are the
    report's delivery (see :func:`diag.report.delivery`); ``per_store`` adds the chain's
    store reports.

    ``kernel`` is a warm kernel to execute in (a batch worker's); without one a kernel
    is started for this run and stopped after it.  The options that change what a run
    makes are part of the inputs recorded for incremental batches (:func:`stamp_options`).
    """
    if kernel is None:
        with WarmKernel() as own:
            return run_client(brief_path, out_root, lang=lang, notebooks=notebooks, kernel=own,
                              template=template, pdf=pdf, firm=firm, since=since, use_since=use_since,
                              per_store=per_store)
    from diag.config import user_templates_dir
    from diag.run import since as earlier
    from diag.run.incremental import fingerprint, read_stamp, write_stamp

    started = time.monotonic()
    brief_path = Path(brief_path).resolve()
    out_root = out_folder(out_root)
    if per_store and STORES_NOTEBOOK not in notebooks:
        notebooks = (*notebooks, STORES_NOTEBOOK)
    brief, scrub, data = prepare(brief_path, per_store=per_store)
    from diag.report import delivery

    firm = delivery(template, pdf) if firm is None or template is not None else firm
    previous, strict = earlier.find_previous(brief.slug, out_root, since, use=use_since)
    inputs = fingerprint(brief, [paths.NOTEBOOKS / f"{n}.ipynb" for n in notebooks], user_templates_dir(),
                         stamp_options(lang, firm=firm, pdf=pdf, since=since, use_since=use_since,
                                       per_store=per_store),
                         previous=read_stamp(out_root / brief.slug))
    final = out_root / brief.slug
    work = out_root / f".{brief.slug}.tmp-{os.getpid()}"
    _sweep_stale(out_root, brief.slug)
    shutil.rmtree(work, ignore_errors=True)
    (work / "notebooks").mkdir(parents=True)
    try:
        cache = write_cache(brief, data, work / CACHE, content_hash=_orders_hash(brief, inputs))
        note = earlier.stage(previous, work, strict=strict, clean=scrub.data)  # before the swap replaces it
        if note:
            import sys

            print(note, file=sys.stderr)
        if not (brief.data.campaigns or earlier.has_previous(work)):
            notebooks = [n for n in notebooks if n != REVIEW]
        firm_templates = user_templates_dir()
        env = {paths.USER_INDUSTRIES_ENV: None if firm_templates is None else str(firm_templates),
               FIGURES_ENV: "link"}
        for name in notebooks:
            _execute(name, brief_path, work, lang, scrub, kernel, env, cache)
        shutil.rmtree(work / CACHE)  # it holds the client's identifiers unmasked
        meta = _meta(brief, brief_path, lang)
        for part in (work / "results").glob("*.json"):
            data = scrub.data(json.loads(part.read_text(encoding="utf-8")))
            write_atomic(part, json.dumps(data, ensure_ascii=False, indent=1))
        results = merge_results(work, meta)
        from diag.report import build_report

        report = build_report(work, lang=lang, firm=firm, pdf=pdf)
        write_stamp(work, inputs)
        _swap_into_place(work, final)
    except BaseException:
        shutil.rmtree(work / CACHE, ignore_errors=True)
        _keep_failed(work, out_root, brief.slug)
        raise
    headline = _headline(results)
    return RunResult(slug=brief.slug, client=brief.client.name, industry=brief.client.industry,
                     report=final / report.name, seconds=time.monotonic() - started, headline=headline)


def stamp_options(lang: str, *, firm: Any = None, pdf: bool = False, since: Path | None = None,
                  use_since: bool = True, per_store: bool = False) -> dict[str, Any]:
    """Return the run options that change what a run makes, as recorded in its input stamp.

    Options at their defaults are left out, so a stamp from a run without them still
    matches; the firm's report template counts by content (:func:`diag.run.incremental.fingerprint`).
    """
    out: dict[str, Any] = {"lang": lang}
    if firm is not None:
        if firm.template is not None:
            out["template"] = firm.template
        if firm.logo is not None:
            out["logo"] = firm.logo
        names = (firm.firm_name, firm.author, firm.confidentiality)
        if any(names):
            out["firm"] = "|".join(names)
    if pdf:
        out["pdf"] = True
    if since is not None:
        out["since"] = str(since)
    if not use_since:
        out["use_since"] = False
    if per_store:
        out["per_store"] = True
    return out


def _orders_hash(brief: Brief, inputs: dict[str, Any]) -> str | None:
    """Return the orders file's content hash from the run's input fingerprint (``None`` if absent)."""
    orders = brief.data_path("orders")
    wanted = None if orders is None else str(orders.resolve())
    return next((f["sha256"] for f in inputs.get("files", []) if f["path"] == wanted), None)


def _execute(name: str, brief_path: Path, work: Path, lang: str, scrub: Scrubber, kernel: WarmKernel,
             env: dict[str, str | None], cache: Path) -> None:
    source = paths.NOTEBOOKS / f"{name}.ipynb"
    target = work / "notebooks" / f"{name}.ipynb"
    parameters = {"brief_path": str(brief_path), "run_dir": str(work), "lang": lang, "data_cache": str(cache)}
    try:
        kernel.run_notebook(source, target, parameters, cwd=work, env=env)
    except CellFailure as exc:
        bad_input = _INPUT_ERRORS.get(exc.ename)
        if bad_input is not None:  # the kernel found bad input (a template, a data file): exit 2, not 1
            raise bad_input(f"{scrub(str(exc.evalue))} (found while running {target.name}, "
                            f"cell {exc.exec_count})") from None
        raise NotebookFailed(f"{target.name}: cell {exc.exec_count}: {exc.ename}: {scrub(str(exc.evalue))}",
                             target.name, exc.exec_count) from None
    finally:
        if target.exists():  # a failed notebook too: its HTML shows the failing cell
            _scrub_notebook(target, scrub)
            _export_html(target, scrub)


#: Bad-input errors a notebook may raise, by class name (papermill reports only the name).
_INPUT_ERRORS: dict[str, type[DiagError]] = {
    cls.__name__: cls for cls in (DiagError, BriefError, DataError, TemplateError, UsageError)}


@contextlib.contextmanager
def kernel_templates(folder: Path | None) -> Iterator[None]:
    """Return a context in which kernels started from this process use the template ``folder``.

    Kernels run with their working directory in the run's temporary folder, where the
    ``.diag.yaml`` / ``diag.toml`` of the directory the command was started in is not
    found; a kernel inherits this process's environment, so the folder (absolute, as
    :func:`diag.industries.registry.user_templates_dir` returns it) travels as ``$DIAG_TEMPLATES``.  ``None`` (no firm templates) changes nothing.  The
    previous value is restored on exit.
    """
    if folder is None:
        yield
        return
    name = paths.USER_INDUSTRIES_ENV
    before = os.environ.get(name)
    os.environ[name] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _scrub_notebook(path: Path, scrub: Scrubber) -> None:
    """Mask personal data in every output of an executed notebook (in place)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = scrub(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") or mime in ("application/json",):
                    output["data"][mime] = scrub(value) if isinstance(value, str) else value
            if "evalue" in output:
                output["evalue"] = scrub(output["evalue"])
                output["traceback"] = [scrub(t) for t in output.get("traceback", [])]
    write_atomic(path, nbformat.writes(nb))


def _export_html(path: Path, scrub: Scrubber) -> None:
    import nbformat

    from diag.run.notebook_html import notebook_html

    body = notebook_html(nbformat.read(path, as_version=4), title=path.stem)
    write_atomic(path.with_suffix(".html"), scrub(body))


def _meta(brief: Brief, brief_path: Path, lang: str) -> dict[str, Any]:
    client = brief.client
    return {
        "client": {"name": client.name, "slug": brief.slug, "industry": client.industry,
                   "category": client.category, "format": client.format,
                   "store_count": client.store_count, "consultant": client.consultant,
                   "respondent": client.respondent},
        "brief": brief_path.name,
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "lang": lang,
        "diag_version": __version__,
    }


def _headline(results: dict[str, Any]) -> dict[str, Any]:
    metrics = results.get("sections", {}).get("diagnosis", {}).get("data", {}).get("metrics", {})
    return {k: metrics.get(k) for k in ("orders", "customers", "gmv", "aov", "repurchase_rate")}


def _swap_into_place(work: Path, final: Path) -> None:
    """Replace ``final`` by ``work`` with two renames; the old folder is removed last."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(work, final)
    shutil.rmtree(old, ignore_errors=True)


def _keep_failed(work: Path, out_root: Path, slug: str) -> None:
    """Move a failed run's folder to ``OUT/.failed/<slug>`` for inspection (never the real one)."""
    if not work.exists():
        return
    failed = out_root / ".failed" / slug
    shutil.rmtree(failed, ignore_errors=True)
    failed.parent.mkdir(parents=True, exist_ok=True)
    os.replace(work, failed)


# -- a batch ----------------------------------------------------------------------------

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


def _names(brief_path: Path) -> dict[str, str]:
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
            summary = _run_all(briefs, out_root, client, jobs, lang, templates, progress or Progress(len(briefs)),
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


def write_index(results: Sequence[RunResult], out_root: Path) -> None:
    """Write ``index.csv`` (UTF-8 with BOM, so Excel opens it) and ``index.html``."""
    rows = [r.index_row() for r in results]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDEX_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(out_root / "index.csv", "\ufeff" + buffer.getvalue())
    write_atomic(out_root / "index.html", _index_html(rows))


#: Batch statuses as index.html shows them.
STATUS_ZH = {"ok": "完成", "unchanged": "未变（跳过）", "failed": "失败", "bad input": "输入有误"}


def _index_html(rows: list[dict[str, Any]]) -> str:
    labels = {"slug": "代号", "client": "客户", "industry": "行业", "status": "状态", "orders": "订单数",
              "customers": "购买用户数", "gmv": "GMV (元)", "aov": "客单价 (元)",
              "repurchase_rate": "复购率", "seconds": "耗时 (秒)", "report": "报告", "error": "错误",
              "notebook": "出错的笔记本", "cell": "出错的单元格"}

    def cell(key: str, value: Any, row: dict[str, Any]) -> str:
        if key == "report" and value:
            rel = os.path.relpath(value, start=Path(value).parents[1])
            return f'<a href="{html.escape(rel)}">report.docx</a>'
        if key == "gmv" and isinstance(value, (int, float)):
            return f"{value:,.0f}"
        if key == "aov" and isinstance(value, (int, float)):
            return f"{value:,.2f}"
        if key == "repurchase_rate" and isinstance(value, (int, float)):
            return f"{value:.1%}"
        if key == "notebook" and value:
            # a failed run's folder is kept in .failed/<slug>; its notebook shows the failing cell
            page = f".failed/{row.get('slug', '')}/notebooks/{Path(value).with_suffix('.html').name}"
            return f'<a href="{html.escape(page)}">{html.escape(str(value))}</a>'
        if key == "status":
            return html.escape(STATUS_ZH.get(value, str(value)))
        return "" if value is None else html.escape(str(value))

    head = "".join(f"<th>{labels[c]}</th>" for c in INDEX_COLUMNS)
    body = "\n".join("<tr>" + "".join(f"<td>{cell(c, r.get(c, ''), r)}</td>" for c in INDEX_COLUMNS) + "</tr>"
                     for r in rows)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>诊断报告批量运行</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}
th{{background:#1f6f8b;color:#fff}}</style></head>
<body><h1>诊断报告批量运行</h1><p>生成时间 {dt.datetime.now():%Y-%m-%d %H:%M}</p>
<table><tr>{head}</tr>
{body}
</table></body></html>
"""


__all__ = ["NOTEBOOKS", "EXECUTORS", "RunResult", "BatchSummary", "run_client", "run_batch", "write_index",
           "find_briefs", "prepare", "kernel_templates"]
