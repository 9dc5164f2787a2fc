"""Golden structure of the delivered .docx: headings, contents, numbered captions and the
references to them, East Asian fonts, pictures and tables that fit a phone-read A4 page."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from diag.report import STYLES, build_report
from diag.report.builder import TABLE_TEXT_ROLES
from diag.report.docx_util import A4, text_width

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def document(run_dir: Path):
    return docx.Document(str(build_report(run_dir)))


def _instructions(el) -> list[str]:
    return [(t.text or "").strip() for t in el.iter(qn("w:instrText"))]


def _style_id(document, role: str) -> str:
    return document.styles[STYLES[role]].style_id


def _paragraphs(document, role: str) -> list:
    sid = _style_id(document, role)
    return [p for p in document.element.body.iter(qn("w:p"))
            if (p.find(f"{W}pPr/{W}pStyle") is not None
                and p.find(f"{W}pPr/{W}pStyle").get(qn("w:val")) == sid)]


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def test_chapters_are_heading_1_and_sections_heading_2(document) -> None:
    h1 = [_text(p) for p in _paragraphs(document, "h1")]
    assert h1[0] == "执行摘要" and "人货场诊断" in h1 and h1[-1].startswith("附录 C")
    assert "核心指标" in [_text(p) for p in _paragraphs(document, "h2")]


def test_contents_is_a_toc_field_listing_every_heading_with_a_link_and_a_page_field(document) -> None:
    body = document.element.body
    toc = [i for i in _instructions(body) if i.startswith("TOC")]
    assert toc == ['TOC \\o "1-2" \\h \\z \\u']
    entries = _paragraphs(document, "toc1") + _paragraphs(document, "toc2")
    headings = [_text(p) for p in _paragraphs(document, "h1") + _paragraphs(document, "h2")]
    assert sorted(_text(e) for e in entries) == sorted(headings)
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    for entry in entries:
        anchor = entry.find(qn("w:hyperlink")).get(qn("w:anchor"))
        assert anchor in bookmarks
        assert f"PAGEREF {anchor} \\h" in _instructions(entry)


def test_each_heading_carries_the_bookmark_its_contents_entry_points_at(document) -> None:
    for p in _paragraphs(document, "h1"):
        names = [b.get(qn("w:name")) for b in p.iter(qn("w:bookmarkStart"))]
        assert len(names) == 1 and names[0].startswith("_Toc")


def test_without_libreoffice_word_is_asked_to_update_fields_on_opening(run_dir: Path) -> None:
    with zipfile.ZipFile(build_report(run_dir)) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings


def test_figure_and_table_captions_are_seq_fields_inside_a_bookmark(document) -> None:
    figures = _paragraphs(document, "caption")
    tables = _paragraphs(document, "table_caption")
    assert figures and tables
    for label, captions in (("图", figures), ("表", tables)):
        for n, p in enumerate(captions, start=1):
            assert f"SEQ {label} \\* ARABIC" in _instructions(p)
            assert _text(p).startswith(f"{label} {n}")
            start = p.find(qn("w:bookmarkStart"))
            assert start is not None and start.get(qn("w:name")).startswith("_Ref")


def test_word_is_told_the_caption_labels(run_dir: Path) -> None:
    with zipfile.ZipFile(build_report(run_dir)) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    assert '<w:caption w:name="图"' in settings and '<w:caption w:name="表"' in settings


def _lead_in_run(tmp_path: Path) -> Path:
    import pandas as pd
    from conftest import META, _figure

    from diag.record import Recorder, merge_results

    run = tmp_path / "refs"
    rec = Recorder(run, "diagnosis", "诊断")
    rec.heading("走势")
    rec.text("GMV 逐月上升。")
    rec.figure("trend", _figure(3), title="月度 GMV")
    rec.text("各渠道的贡献如下：")
    rec.table("channels", pd.DataFrame({"渠道": ["社群", "门店"], "GMV": [1.0, 2.0]}), title="渠道")
    rec.heading("无引导语")
    rec.table("bare", pd.DataFrame({"a": [1]}), title="直接出现的表")
    merge_results(run, META)
    return run


def test_the_paragraph_introducing_a_figure_or_table_refers_to_it_by_a_ref_field(tmp_path: Path) -> None:
    document = docx.Document(str(build_report(_lead_in_run(tmp_path))))
    body = document.element.body
    texts = [_text(p) for p in body.iter(qn("w:p"))]
    assert "GMV 逐月上升（见图 1）。" in texts
    channels = next(c for c in _paragraphs(document, "table_caption") if "渠道" in _text(c))
    n = re.match(r"表 (\d+)", _text(channels)).group(1)
    assert f"各渠道的贡献如下（见表 {n}）：" in texts
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    refs = [i for i in _instructions(body) if i.startswith("REF ")]
    assert all(r.split()[1] in bookmarks and r.endswith("\\h") for r in refs)
    bare = next(c for c in _paragraphs(document, "table_caption") if "直接出现的表" in _text(c))
    bare_mark = bare.find(qn("w:bookmarkStart")).get(qn("w:name"))
    assert f"REF {bare_mark} \\h" not in refs      # under a heading: no text to refer from


def test_every_style_names_an_east_asian_font(run_dir: Path) -> None:
    with zipfile.ZipFile(build_report(run_dir)) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert 'w:eastAsia="Noto Sans CJK SC"' in defaults
    for rfonts in re.findall(r"<w:rFonts [^>]*>", styles):
        assert "w:eastAsia=" in rfonts and "Theme" not in rfonts


def test_pictures_fit_the_text_width_of_their_page(document) -> None:
    sections = document.sections
    widest = max(text_width(s) for s in sections)
    shapes = document.inline_shapes
    assert len(shapes) == len(_paragraphs(document, "caption"))
    for shape in shapes:
        assert 0 < shape.width <= widest


def test_every_page_is_a4(document) -> None:
    for section in document.sections:
        assert sorted((section.page_width, section.page_height)) == sorted(A4)


def test_tables_repeat_their_header_row_and_print_at_least_9_pt(document) -> None:
    for role in TABLE_TEXT_ROLES:
        size = document.styles[STYLES[role]].font.size
        assert size is None or size.pt >= 9
    captioned = [t for t in document.tables if t.style.name == STYLES["table"]]
    assert captioned
    for table in captioned:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def test_the_cover_is_the_first_page_and_the_contents_the_second(document) -> None:
    paragraphs = document.paragraphs
    toc_heading = next(i for i, p in enumerate(paragraphs) if p.style.name == STYLES["toc_heading"])
    cover = [p.text for p in paragraphs[:toc_heading] if p.text]
    assert cover[0] == "示例母婴连锁" and "私域运营诊断报告" in cover
    assert document.styles[STYLES["toc_heading"]].paragraph_format.page_break_before
    assert cover[-1].startswith("内部资料")    # the confidentiality line closes the cover


def test_no_blank_paragraph_is_left_before_a_chapter(document) -> None:
    sid = _style_id(document, "h1")
    for p in _paragraphs(document, "h1"):
        prev = p.getprevious()
        if prev is not None and prev.tag == qn("w:p") and prev.find(f"{W}pPr/{W}sectPr") is None:
            assert _text(prev).strip() or list(prev.iter(qn("w:drawing"))), sid
