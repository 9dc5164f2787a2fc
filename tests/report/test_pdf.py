"""With LibreOffice: the .docx carries page numbers in its contents, and report.pdf reads
as the document does (contents with pages, Chinese on every page, fonts embedded)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from firm_template import make_firm_template

from diag.cli import main
from diag.report import STYLES, build_report

pytestmark = pytest.mark.slow  # LibreOffice

CJK = re.compile(r"[\u4e00-\u9fff]")


def _pages(pdf: Path) -> list[str]:
    """Return the text of each page of ``pdf`` (pdftotext separates pages by form feeds)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run whose report was built once with LibreOffice and --pdf."""
    import shutil

    from conftest import record_run

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and poppler-utils are needed; .ci/run installs them")
    run = record_run(tmp_path_factory.mktemp("pdf") / "demo-muying")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DIAG_SOFFICE", raising=False)
        build_report(run, pdf=True)
    return run


def test_the_docx_contents_carry_page_numbers_and_no_longer_ask_word_to_update(
        libreoffice: str, delivered: Path) -> None:
    document = docx.Document(str(delivered / "report.docx"))
    entries = [p for p in document.paragraphs if p.style.name in (STYLES["toc1"], STYLES["toc2"])]
    assert entries
    for entry in entries:
        page = entry.text.rsplit("\t", 1)[-1]
        assert page.isdigit() and int(page) >= 3, entry.text
    with zipfile.ZipFile(delivered / "report.docx") as z:
        assert "updateFields" not in z.read("word/settings.xml").decode("utf-8")


def test_pdf_is_written_beside_the_docx(libreoffice: str, delivered: Path) -> None:
    pdf = delivered / "report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)


def test_pdf_contents_page_lists_each_chapter_with_the_page_it_starts_on(libreoffice: str,
                                                                         delivered: Path) -> None:
    pages = _pages(delivered / "report.pdf")
    contents = pages[1]
    assert "目录" in contents
    chapters = [p.text for p in docx.Document(str(delivered / "report.docx")).paragraphs
                if p.style.name == STYLES["h1"]]
    listed = {}
    for line in contents.splitlines():
        match = re.fullmatch(r"(.+?)[.…]{3,}(\d+)", _squash(line))
        if match:
            listed[match.group(1)] = int(match.group(2))
    for chapter in chapters:
        page = listed.get(_squash(chapter))
        assert page, f"{chapter!r} not listed with a page number in {sorted(listed)}"
        assert _squash(chapter) in _squash(pages[page - 1]), f"{chapter!r} is not on page {page}"


def test_every_pdf_page_renders_chinese_with_embedded_cjk_fonts(libreoffice: str, delivered: Path) -> None:
    pdf = delivered / "report.pdf"
    for n, page in enumerate(_pages(pdf), start=1):
        assert CJK.search(page), f"page {n} has no Chinese text"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts          # every font embedded
    assert any("CJK" in row or "Hei" in row or "Song" in row for row in rows), fonts


def test_report_command_writes_the_pdf_with_a_firm_template(libreoffice: str, delivered: Path,
                                                            tmp_path: Path, capsys) -> None:
    import shutil

    run = Path(shutil.copytree(delivered, tmp_path / "run"))
    (run / "report.pdf").unlink()
    firm = make_firm_template(tmp_path / "firm.docx")
    assert main(["report", str(run), "--template", str(firm), "--pdf"]) == 0
    assert "report.pdf" in capsys.readouterr().out
    pages = _pages(run / "report.pdf")
    assert "远山咨询" in pages[2]          # the firm's header on a body page
    fonts = subprocess.run(["pdffonts", str(run / "report.pdf")], capture_output=True, text=True).stdout
    assert "Serif" in fonts                # the firm's CJK face


def test_pdf_without_libreoffice_is_exit_2_with_the_install_command(run_dir: Path, capsys) -> None:
    assert main(["report", str(run_dir), "--pdf"]) == 2       # DIAG_SOFFICE=off in these tests
    err = capsys.readouterr().err
    assert err.startswith("error: --pdf: ") and "apt-get install" in err and "libreoffice" in err
    assert not (run_dir / "report.pdf").exists()


def test_contents_without_libreoffice_has_no_page_numbers_yet(run_dir: Path) -> None:
    document = docx.Document(str(build_report(run_dir)))
    entries = [p for p in document.paragraphs if p.style.name == STYLES["toc1"]]
    assert entries and all(not e.text.rsplit("\t", 1)[-1].strip() for e in entries)
    results = [r for e in entries for r in e._p.iter(qn("w:instrText")) if "PAGEREF" in (r.text or "")]
    assert len(results) == len(entries)


def _pdf_in_a_process(run: str) -> tuple[int, int]:
    import os

    from diag.report import build_report as build

    return os.getpid(), build(run, pdf=True).with_suffix(".pdf").stat().st_size


def test_two_processes_write_their_pdfs_at_once_each_with_its_own_profile(libreoffice: str,
                                                                          delivered: Path,
                                                                          tmp_path: Path) -> None:
    import multiprocessing
    import shutil
    from concurrent.futures import ProcessPoolExecutor

    runs = []
    for name in ("a", "b"):
        run = Path(shutil.copytree(delivered, tmp_path / name))
        (run / "report.pdf").unlink()
        runs.append(str(run))
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:   # as a batch
        done = list(pool.map(_pdf_in_a_process, runs))
    assert all(size > 10_000 for _, size in done)
    for pid, _ in done:                       # each worker's profile is removed when it exits
        assert not list(Path(tempfile.gettempdir()).glob(f"diag-lo-{pid}-*"))
