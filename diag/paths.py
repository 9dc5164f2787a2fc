"""Project paths, computed once (cookiecutter-data-science's ``config.py``)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATES = ROOT / "templates"
INDUSTRIES = TEMPLATES / "industries"
REPORT_TEMPLATE = TEMPLATES / "report" / "report-template.docx"
BRIEFS = ROOT / "briefs"
OUTPUTS = ROOT / "outputs"

#: A firm's own industry templates: a directory that overrides or extends the bundled ones.
USER_INDUSTRIES_ENV = "DIAG_TEMPLATES"


def user_industries() -> Path | None:
    """Return the firm's own template directory, if ``$DIAG_TEMPLATES`` names one."""
    value = os.environ.get(USER_INDUSTRIES_ENV)
    return Path(value).expanduser() if value else None
