"""LibreOffice calls time out without leaving a process, and a failing LibreOffice never costs
the report: the contents then keep asking Word to update them."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from diag.report import build_report, office


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture(autouse=True)
def _fresh_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "_PROFILE", None)


def _gone(pid: int, wait: float = 5.0) -> bool:
    """Return whether process ``pid`` has ended (a zombie waiting to be reaped counts as ended)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_a_call_that_hangs_is_stopped_with_its_children(tmp_path: Path, monkeypatch) -> None:
    pids = tmp_path / "pids"
    fake = _fake_soffice(tmp_path, f"sleep 60 &\necho $! >> {pids}\nwait")
    monkeypatch.setenv("DIAG_SOFFICE", str(fake))
    monkeypatch.setattr(office, "TIMEOUT", 1.0)
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(office.OfficeError, match="longer than 1 s"):
        office.to_pdf(tmp_path / "x.docx", tmp_path / "x.pdf")
    assert pids.read_text().split() and all(_gone(int(p)) for p in pids.read_text().split())


def test_a_failing_libreoffice_leaves_the_contents_for_word_to_update(run_dir: Path, tmp_path: Path,
                                                                      monkeypatch, caplog) -> None:
    monkeypatch.setenv("DIAG_SOFFICE", str(_fake_soffice(tmp_path, "exit 1")))
    report = build_report(run_dir)
    with zipfile.ZipFile(report) as z:
        assert '<w:updateFields w:val="true"/>' in z.read("word/settings.xml").decode("utf-8")
    assert "contents without page numbers" in caplog.text


def test_pdf_when_libreoffice_fails_is_an_error_line_and_no_pdf(run_dir: Path, tmp_path: Path,
                                                                monkeypatch, capsys) -> None:
    from diag.cli import main

    monkeypatch.setenv("DIAG_SOFFICE", str(_fake_soffice(tmp_path, "exit 0")))   # runs, writes nothing
    assert main(["report", str(run_dir), "--pdf"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: LibreOffice wrote no PDF") and "Traceback" not in err
    assert not (run_dir / "report.pdf").exists()


def test_libreoffice_can_be_turned_off(monkeypatch) -> None:
    monkeypatch.setenv("DIAG_SOFFICE", "off")
    assert office.soffice() is None and not office.available()
