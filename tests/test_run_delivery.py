"""`run` delivers the report in the firm's template and as a PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest
from test_run import _notebook, tiny_brief

from diag import paths
from diag.run.client import run_client

pytestmark = pytest.mark.slow  # runs notebooks and LibreOffice

sys.path.insert(0, str(Path(__file__).parent / "report"))
from firm_template import FIRM_RED, make_firm_template  # noqa: E402  (the report tests' firm template)

NOTE = """from diag import Recorder
rec = Recorder(run_dir, "probe", "探针")
rec.text("一段正文。")
rec.number("gmv", 1234.0, label="GMV", definition="有效订单实付金额之和", unit="元", headline=True)"""


@pytest.fixture
def probe_notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "notebooks"
    _notebook(folder, "probe", NOTE)
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    return folder


def test_run_with_template_and_pdf_writes_both_in_the_firms_look(tmp_path: Path, probe_notebooks: Path,
                                                                 libreoffice: str) -> None:
    brief = tiny_brief(tmp_path / "briefs", "tiny", name="小店", industry="母婴")
    firm = make_firm_template(tmp_path / "firm.docx")
    result = run_client(brief, tmp_path / "out", notebooks=("probe",), template=firm, pdf=True)
    folder = result.report.parent
    assert (folder / "report.pdf").read_bytes()[:5] == b"%PDF-"
    heading = docx.Document(str(result.report)).styles["Heading 1"]
    assert str(heading.font.color.rgb) == FIRM_RED
