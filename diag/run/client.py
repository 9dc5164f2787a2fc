"""Papermill orchestration of one client (a batch is :mod:`diag.run.batch`).

A run executes the consulting-flow notebooks in a real Jupyter kernel, each writing
its results through :class:`diag.record.Recorder` into a temporary twin of the run
folder; then the executed notebooks are scrubbed of personal data and exported to
HTML, the results are merged and the Word report is built.  Only when all of that
succeeded does the temporary folder replace ``OUT/<slug>``: a run that fails or is
killed leaves the previous good report in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from diag import __version__, paths
from diag.brief.model import Brief, load_brief
from diag.errors import BriefError, DataError, DiagError, TemplateError, UsageError
from diag.files import write_atomic
from diag.privacy import Scrubber
from diag.readers.load import BriefData, load_data, write_cache
from diag.record import FIGURES_ENV, merge_results
from diag.run.kernels import (
    CellFailure,
    NotebookFailed,
    WarmKernel,
)

#: The consulting flow, one notebook per step, in reading order.
NOTEBOOKS: tuple[str, ...] = ("01_intake", "02_journey", "03_diagnosis", "03b_review", "04_strategy")
#: The 复盘 notebook runs only when there is something to review (campaigns or an earlier run).
REVIEW = "03b_review"

#: The chain's store comparison, run after the others with ``per_store=True``.
STORES_NOTEBOOK = "05_stores"

#: The run's cache of the client's data, read once for every notebook (inside the work folder).
CACHE = ".data-cache"




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


__all__ = ["NOTEBOOKS", "REVIEW", "STORES_NOTEBOOK", "CACHE", "RunResult", "run_client", "prepare",
           "kernel_templates", "stamp_options", "out_folder"]
