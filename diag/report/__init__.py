"""The Word report: ``build_report(run_dir)`` → ``<run_dir>/report.docx``.

The report is built only from ``<run_dir>/results.json`` and ``<run_dir>/figures/*.png``
(``diag report RUN_DIR`` rebuilds it without re-running notebooks).  Layout and fonts
come from ``templates/report/report-template.docx`` (made by
``templates/report/make_template.py``); fixed texts from :mod:`diag.report.messages`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import TemplateError
from ..live_scenarios import with_saved_scenarios
from ..paths import REPORT_TEMPLATE
from ..record import load_results, write_atomic
from .builder import STYLES, ReportBuilder
from .messages import LANGS, catalogue

__all__ = ["build_report", "REPORT", "STYLES", "LANGS"]

REPORT = "report.docx"


def build_report(run_dir: str | os.PathLike[str], lang: str | None = None, *,
                 template: str | os.PathLike[str] | None = None) -> Path:
    """Return the path of the report written from ``run_dir``'s recorded results.

    Parameters
    ----------
    run_dir : path
        A run folder holding ``results.json`` and ``figures/``.
    lang : {"zh", "en"}, optional
        Language of the fixed texts; default ``results["meta"]["lang"]``, else ``zh``.
    template : path, optional
        Another template .docx with the same style names (default: the bundled one).

    The document is assembled in memory and written through a temporary file and a
    rename, so a failing build leaves an existing ``report.docx`` untouched.
    """
    run_dir = Path(run_dir)
    results = with_saved_scenarios(load_results(run_dir), run_dir)  # saved in a live session
    meta = results.get("meta") if isinstance(results, dict) else None
    lang = lang or (meta.get("lang") if isinstance(meta, dict) else None) or "zh"
    messages = catalogue(lang)
    template_path = Path(template) if template else REPORT_TEMPLATE
    if not template_path.is_file():
        raise TemplateError("report template missing; run templates/report/make_template.py",
                            file=template_path)
    payload = ReportBuilder(results, run_dir, messages, template_path, lang).build()
    out = run_dir / REPORT
    write_atomic(out, payload)
    return out
