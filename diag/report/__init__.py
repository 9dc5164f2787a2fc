"""The Word report: ``build_report(run_dir)`` → ``<run_dir>/report.docx``.

The report is built only from ``<run_dir>/results.json`` and ``<run_dir>/figures/*.png``
(``diag report RUN_DIR`` rebuilds it without re-running notebooks).  Layout and fonts
come from ``templates/report/report-template.docx`` (made by
``templates/report/make_template.py``); fixed texts from :mod:`diag.report.messages`.
"""

from __future__ import annotations

import os
from pathlib import Path

from diag.errors import TemplateError
from diag.files import write_atomic
from diag.record import load_results
from diag.report import office
from diag.report.builder import STYLES, ReportBuilder
from diag.report.contents import paginate
from diag.report.firm import FirmSettings, check_template, firm_settings
from diag.report.messages import LANGS, catalogue
from diag.report.scenarios import with_saved_scenarios

__all__ = ["build_report", "REPORT", "PDF", "STYLES", "LANGS", "FirmSettings", "firm_settings",
           "check_template", "write_pdf", "delivery"]

REPORT = "report.docx"
PDF = "report.pdf"


def build_report(run_dir: str | os.PathLike[str], lang: str | None = None, *,
                 template: str | os.PathLike[str] | None = None, pdf: bool = False,
                 firm: FirmSettings | None = None) -> Path:
    """Return the path of the report written from ``run_dir``'s recorded results.

    Parameters
    ----------
    run_dir : path
        A run folder holding ``results.json`` and ``figures/``.
    lang : {"zh", "en"}, optional
        Language of the fixed texts; default ``results["meta"]["lang"]``, else ``zh``.
    template : path, optional
        The firm's template .docx with the kit's style names (``--template``); it wins
        over ``report_template`` of the config file (see :mod:`diag.report.firm`).
    pdf : bool
        Also write ``report.pdf`` beside the .docx through LibreOffice (``--pdf``).
    firm : FirmSettings, optional
        The firm's settings already resolved (a batch resolves them once); default:
        read from the config file.

    The document is assembled in memory; where LibreOffice is installed it lays the
    document out so the contents carry page numbers.  Files are written through a
    temporary file and a rename, so a failing build leaves an existing report untouched.
    """
    run_dir = Path(run_dir)
    results = with_saved_scenarios(load_results(run_dir), run_dir)  # saved in a live session
    meta = results.get("meta") if isinstance(results, dict) else None
    lang = lang or (meta.get("lang") if isinstance(meta, dict) else None) or "zh"
    messages = catalogue(lang)
    if pdf:
        office.require("--pdf")      # before any work: the install command, exit 2
    if firm is None or template is not None:
        firm = firm_settings(template)
    template_path = firm.template_path
    if not template_path.is_file():
        raise TemplateError("report template missing; run templates/report/make_template.py",
                            file=template_path)
    builder = ReportBuilder(results, run_dir, messages, template_path, lang, firm=firm)
    builder.build()
    out = run_dir / REPORT
    write_atomic(out, paginate(builder))
    if pdf:
        write_pdf(out)
    return out


def delivery(template: str | os.PathLike[str] | None = None, pdf: bool = False) -> FirmSettings:
    """Return the firm's settings for a run, checked before any notebook starts.

    A template that is missing or lacks a style, an unreadable logo, or ``pdf``
    without LibreOffice raise a :class:`~diag.errors.DiagError` (exit status 2).
    """
    if pdf:
        office.require("--pdf")
    return firm_settings(template)


def write_pdf(docx: str | os.PathLike[str]) -> Path:
    """Return ``report.pdf`` written beside ``docx`` by LibreOffice headless."""
    docx = Path(docx)
    office.require("--pdf")
    return office.to_pdf(docx, docx.with_name(PDF))
