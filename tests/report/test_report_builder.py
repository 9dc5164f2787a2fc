"""The report is built from results.json + figures only, in order, fitted to the page, masked, atomic."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import META, PHONE, record_run
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from diag.errors import DataError, TemplateError, UsageError
from diag.paths import REPORT_TEMPLATE
from diag.report import STYLES, build_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(path: Path) -> str:
    """Return every XML part of the .docx (body, headers, footers, properties) as one string."""
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def _headings(document, style: str = "Heading 1") -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _table_after_caption(document, caption_part: str):
    """Return the table that follows the caption paragraph containing ``caption_part``."""
    body = list(document.element.body.iterchildren())
    for i, el in enumerate(body):
        if el.tag == qn("w:p") and caption_part in "".join(el.itertext()):
            table = next(e for e in body[i + 1:] if e.tag == qn("w:tbl"))
            return docx.table.Table(table, document)
    raise AssertionError(f"no caption {caption_part!r}")


@pytest.fixture
def report(run_dir: Path) -> Path:
    return build_report(run_dir)


def test_report_is_written_into_the_run_folder(run_dir: Path, report: Path) -> None:
    assert report == run_dir / "report.docx" and report.stat().st_size > 10_000


def test_report_has_summary_chapters_and_appendices_in_order(report: Path) -> None:
    document = docx.Document(str(report))
    assert _headings(document) == ["执行摘要", "需求澄清", "人货场诊断", "策略建议",
                                   "附录 A\u3000指标定义", "附录 B\u3000数据质量", "附录 C\u3000方法说明"]
    assert _headings(document, "Heading 2")[:3] == ["客户概况", "核心指标", "复购"] or \
        "核心指标" in _headings(document, "Heading 2")
    assert "高价值客户" in _headings(document, "Heading 3")


def test_cover_shows_client_title_industry_date_and_consultant(report: Path) -> None:
    texts = [p.text for p in docx.Document(str(report)).paragraphs[:8]]
    assert texts[0] == "示例母婴连锁"
    assert "私域运营诊断报告" in texts
    assert any("母婴" in t and "连锁" in t for t in texts)
    assert "报告日期：2026年11月23日" in texts and "顾问：王顾问" in texts


def test_header_names_the_client_and_footer_counts_pages(report: Path) -> None:
    document = docx.Document(str(report))
    section = document.sections[0]
    assert "示例母婴连锁" in section.header.paragraphs[0].text
    assert "{client}" not in _xml(report)
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_executive_summary_lists_headline_numbers_with_definitions(report: Path) -> None:
    table = _table_after_caption(docx.Document(str(report)), "关键指标")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["指标", "数值", "定义"]
    assert rows[1] == ["GMV", "1,234,568元", "有效订单实付金额之和"]
    assert rows[2][:2] == ["复购率", "23.4%"]
    assert len(rows) == 3  # the AOV is not a headline number


def test_numbers_print_formatted_with_unit_and_a_dash_for_missing(report: Path) -> None:
    xml = _xml(report)
    assert "1,234,568元" in xml and "23.4%" in xml
    document = docx.Document(str(report))
    metric_rows = [[c.text for c in r.cells] for t in document.tables if t.style.name == STYLES["metric_table"]
                   for r in t.rows]
    assert ["客单价", "—", "GMV ÷ 订单数"] in metric_rows


def test_picture_is_present_and_fits_the_text_width(report: Path) -> None:
    document = docx.Document(str(report))
    shapes = document.inline_shapes
    assert len(shapes) == 2
    section = document.sections[0]
    assert shapes[0].width <= section.page_width - section.left_margin - section.right_margin
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[:2] == ["图 1\u3000月度 GMV 与购买用户数", "图 2\u3000同期群留存热力图"]


def test_table_has_recorded_header_masked_ids_and_right_aligned_numbers(report: Path) -> None:
    table = _table_after_caption(docx.Document(str(report)), "消费金额前列客户")
    assert [c.text for c in table.rows[0].cells] == ["客户", "消费金额", "订单数", "复购率"]
    assert [c.text for c in table.rows[1].cells] == ["138****8000", "12,346", "12", "50.0%"]
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[0].paragraphs[0].alignment is None
    assert table.style.name == STYLES["table"]


def test_header_row_is_marked_to_repeat_and_shaded(report: Path) -> None:
    table = _table_after_caption(docx.Document(str(report)), "消费金额前列客户")
    first_row = table.rows[0]._tr
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    assert first_row.find(f"{W}tc/{W}tcPr/{W}shd").get(f"{W}fill") == "1F6F8B"
    # tcPr is a strict sequence (Word reports unreadable content otherwise): tcW, shd, vAlign.
    tags = [el.tag.replace(W, "") for el in first_row.find(f"{W}tc/{W}tcPr")]
    assert tags == ["tcW", "shd", "vAlign"]
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    assert look.get(qn("w:firstRow")) == "1"
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_tables_fit_the_text_width_of_their_section(report: Path) -> None:
    document = docx.Document(str(report))
    widest = max(s.page_width - s.left_margin - s.right_margin for s in document.sections) / 635
    for table in document.tables:
        width = int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
        grid = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))
        assert abs(width - grid) <= len(table.columns)
        assert width <= widest + 1


def test_long_table_is_cut_with_a_note(report: Path) -> None:
    document = docx.Document(str(report))
    table = _table_after_caption(document, "商品贡献")
    assert len(table.rows) == 21
    assert "仅显示前 20 行，共 60 行。" in [p.text for p in document.paragraphs]
    assert table.rows[1].cells[2].text == "10.0%"   # 占比 prints as percent


def test_wide_table_and_landscape_figure_sit_in_a_landscape_section(report: Path) -> None:
    document = docx.Document(str(report))
    orientations = [s.orientation for s in document.sections]
    assert len(orientations) == 3          # portrait → landscape (wide table + figure) → portrait
    landscape = document.sections[1]
    assert landscape.page_width > landscape.page_height
    assert not landscape.different_first_page_header_footer
    xml = _xml(report)
    assert re.search(r'<w:pgSz [^>]*w:orient="landscape"', xml)
    cohort = _table_after_caption(document, "同期群留存率")
    assert len(cohort.columns) == 11
    assert cohort.rows[1].cells[1].paragraphs[0].style.name == STYLES["cell_small"]
    assert cohort.rows[1].cells[1].text == "50.0%"   # title says 留存率: shares print as percent


def test_a_heading_and_its_lead_in_move_with_their_wide_table() -> None:
    from diag.report.builder import _orientation_plan

    wide = {"kind": "table", "columns": [f"c{i}" for i in range(9)], "rows": []}
    narrow = {"kind": "table", "columns": ["a", "b"], "rows": []}
    blocks = [{"kind": "heading"}, {"kind": "text"}, narrow,
              {"kind": "heading"}, {"kind": "text"}, {"kind": "number"}, wide,
              {"kind": "text"}]
    assert _orientation_plan(blocks, False) == [False, False, False, True, True, True, True, True]
    # a heading after the last wide block starts a text-only part on a portrait page
    assert _orientation_plan([wide, {"kind": "text"}, {"kind": "heading"}, {"kind": "text"}], False) == \
        [True, True, False, False]


def test_only_the_last_heading_before_a_landscape_figure_moves() -> None:
    from diag.report.builder import _orientation_plan

    figure = {"kind": "figure", "landscape": True}
    blocks = [{"kind": "heading"}, {"kind": "text"}, {"kind": "heading"}, figure,
              {"kind": "figure", "landscape": False}]
    assert _orientation_plan(blocks, False) == [False, False, True, True, False]


def _plain(text: str) -> str:
    """Return a paragraph's text without the reference to the figure or table it introduces."""
    return re.sub(r"（见[图表] \d+）", "", text)


def _section_of(document, text: str):
    """Return the section that holds the first paragraph reading ``text`` (a reference to a
    figure or table may have been added before its full stop)."""
    breaks = 0
    for el in document.element.body.iterchildren():
        shown = "".join(t.text or "" for t in el.iter(qn("w:t")))
        in_contents = el.find(qn("w:hyperlink")) is not None   # a contents entry of the same text
        if el.tag == qn("w:p") and _plain(shown) == text and not in_contents:
            return document.sections[breaks]
        if el.find(f"{W}pPr/{W}sectPr") is not None:
            breaks += 1
    raise AssertionError(f"no paragraph {text!r}")


def test_a_heading_is_not_left_alone_on_a_page_before_its_wide_table(tmp_path: Path) -> None:
    import pandas as pd

    from diag.record import Recorder, merge_results

    run = tmp_path / "wide"
    rec = Recorder(run, "strategy", "策略")
    rec.heading("现状")
    rec.text("先说现状。")
    rec.heading("行动清单")
    rec.text("每条行动的负责人与时间。")
    rec.table("actions", pd.DataFrame({f"列{i}": [i] for i in range(9)}), title="行动清单表")
    merge_results(run, META)
    document = docx.Document(str(build_report(run)))
    assert _section_of(document, "现状").orientation == WD_ORIENT.PORTRAIT
    assert _section_of(document, "行动清单").orientation == WD_ORIENT.LANDSCAPE
    assert _section_of(document, "每条行动的负责人与时间。").orientation == WD_ORIENT.LANDSCAPE


def test_appendix_defines_every_number_once(report: Path) -> None:
    table = _table_after_caption(docx.Document(str(report)), "表 5")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["章节", "指标", "定义"]
    assert rows[1:] == [["人货场诊断", "GMV", "有效订单实付金额之和"],
                        ["人货场诊断", "复购率", "有两个及以上购买日的客户 ÷ 购买客户"],
                        ["人货场诊断", "客单价", "GMV ÷ 订单数"]]


def test_the_data_quality_table_is_printed_once_in_appendix_b_with_the_method_notes(report: Path) -> None:
    document = docx.Document(str(report))
    body = [p.text for p in document.paragraphs if p.style.name != "toc 1"]
    start = body.index("附录 B\u3000数据质量")
    assert body[start + 1] == "表 6\u3000数据质量"
    assert sum(t.startswith("表 ") and t.endswith("\u3000数据质量") for t in body) == 1 and any("见附录 B" in t for t in body[:start])
    table = _table_after_caption(document, "表 6")
    assert [c.text for c in table.rows[2].cells] == ["有效订单", "1,100", ""]
    assert {"RFM 分层", "同期群留存", "GMV 拆解"} <= set(_headings(document, "Heading 2"))


def test_no_unmasked_phone_number_anywhere_in_the_document(report: Path) -> None:
    xml = _xml(report)
    assert PHONE not in xml and "13912345678" not in xml
    assert "138****8000" in xml


def test_phone_numbers_written_straight_into_results_are_masked_too(tmp_path: Path) -> None:
    run = tmp_path / "raw"
    run.mkdir()
    results = {"meta": {"client": {"name": f"客户 {PHONE}"}, "lang": "zh"},
               "sections": {"diagnosis": {"title": "诊断", "blocks": [
                   {"kind": "text", "text": f"电话 {PHONE}，微信号: abc_defg123", "style": "body"},
                   {"kind": "table", "key": "t", "title": "客户", "columns": ["手机号", "金额"],
                    "rows": [[PHONE, 10.0], [13912345678, 20.0]], "note": ""},
                   {"kind": "number", "key": "n", "label": PHONE, "value": 1, "unit": "", "fmt": "{}",
                    "definition": f"联系 {PHONE}", "headline": True}]}}}
    (run / "results.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    xml = _xml(build_report(run))
    assert PHONE not in xml and "13912345678" not in xml and "13,912,345,678" not in xml
    assert "abc_defg123" not in xml


def test_template_has_every_style_the_builder_uses() -> None:
    names = {s.name for s in docx.Document(str(REPORT_TEMPLATE)).styles}
    assert set(STYLES.values()) <= names


def test_template_styles_name_an_east_asian_font_explicitly() -> None:
    document = docx.Document(str(REPORT_TEMPLATE))
    for name in set(STYLES.values()):
        rfonts = document.styles[name].element.find(f"{W}rPr/{W}rFonts")
        assert rfonts is not None and rfonts.get(f"{W}eastAsia") == "Noto Sans CJK SC", name
        assert not [a for a in rfonts.attrib if "Theme" in a or "theme" in a], name
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "Noto Sans CJK SC"


def test_template_is_a4_with_a_distinct_cover_page() -> None:
    section = docx.Document(str(REPORT_TEMPLATE)).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.different_first_page_header_footer


def test_failed_build_leaves_the_existing_report_untouched(run_dir: Path, monkeypatch) -> None:
    from diag.report import builder

    report = run_dir / "report.docx"
    report.write_bytes(b"previous good report")

    def boom(self, block):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(builder.ReportBuilder, "_block_figure", boom)
    with pytest.raises(RuntimeError):
        build_report(run_dir)
    assert report.read_bytes() == b"previous good report"
    assert sorted(p.name for p in run_dir.iterdir() if p.name.startswith(".")) == []


def test_unreadable_results_raise_a_data_error_and_keep_the_report(run_dir: Path) -> None:
    report = run_dir / "report.docx"
    report.write_bytes(b"previous good report")
    (run_dir / "results.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError):
        build_report(run_dir)
    assert report.read_bytes() == b"previous good report"


def test_unknown_block_kind_names_the_block(tmp_path: Path) -> None:
    run = tmp_path / "x"
    run.mkdir()
    (run / "results.json").write_text(json.dumps(
        {"meta": {}, "sections": {"diagnosis": {"title": "诊断", "blocks": [{"kind": "video"}]}}}),
        encoding="utf-8")
    with pytest.raises(DataError) as err:
        build_report(run)
    assert err.value.where == "sections.diagnosis.blocks[0]" and "video" in err.value.message


def test_missing_figure_file_becomes_a_note(run_dir: Path) -> None:
    (run_dir / "figures" / "gmv_trend.png").unlink()
    document = docx.Document(str(build_report(run_dir)))
    assert "（图表文件缺失：figures/gmv_trend.png）" in [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) == 1


def test_english_report_uses_english_fixed_texts(run_dir: Path) -> None:
    document = docx.Document(str(build_report(run_dir, lang="en")))
    assert _headings(document)[0] == "Executive summary"
    assert "Appendix C  Methods" in _headings(document)
    assert "Date: 2026-11-23" in [p.text for p in document.paragraphs]


@pytest.mark.slow
def test_language_defaults_to_meta_and_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    run = record_run(tmp_path / "en", meta={**META, "lang": "en"})
    assert _headings(docx.Document(str(build_report(run))))[0] == "Executive summary"
    with pytest.raises(UsageError):
        build_report(run, lang="fr")


def test_template_without_a_style_is_a_template_error(run_dir: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.docx"
    docx.Document().save(str(bare))
    with pytest.raises(TemplateError) as err:
        build_report(run_dir, template=bare)
    assert "Metric Value" in err.value.message


def test_summary_section_text_goes_into_the_executive_summary(tmp_path: Path) -> None:
    from diag.record import Recorder, merge_results

    run = tmp_path / "s"
    Recorder(run, "summary", "摘要").text("三句话讲清楚主要发现。")
    rec = Recorder(run, "diagnosis", "诊断")
    rec.number("gmv", 3, headline=True)
    merge_results(run, META)
    document = docx.Document(str(build_report(run)))
    texts = [_plain(p.text) for p in document.paragraphs if not p.style.name.startswith("toc")]
    assert texts.index("三句话讲清楚主要发现。") == texts.index("执行摘要") + 2   # after the headline
    assert "摘要" not in _headings(document)


def test_cli_report_rebuilds_from_recorded_results(run_dir: Path, capsys) -> None:
    from diag.cli import main

    assert main(["report", str(run_dir)]) == 0
    assert (run_dir / "report.docx").is_file()
    assert main(["report", str(run_dir / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_summary_sections_of_several_notebooks_all_open_the_report(tmp_path: Path) -> None:
    from diag.record import Recorder, merge_results

    run = tmp_path / "s"
    Recorder(run, "summary", "摘要").bullets(["发现一"])
    Recorder(run, "summary_plan", "行动要点").bullets(["行动一"])
    Recorder(run, "diagnosis", "诊断").text("正文")
    merge_results(run, META)
    document = docx.Document(str(build_report(run)))
    texts = [_plain(p.text) for p in document.paragraphs]
    assert texts.index("发现一") < texts.index("行动一") < texts.index("正文")
    assert "行动要点" not in _headings(document)


def test_columns_of_short_numbers_get_room_for_one_line_and_widths_still_add_up() -> None:
    from diag.report.builder import _fit_widths, _min_width

    total = 9_000_000
    mins = [_min_width(["32.7%", "8.1%"], 7.5), _min_width(["很长的说明文字" * 4], 7.5)]
    widths = _fit_widths(total, [1.0, 60.0], mins)            # proportionally 147,540 EMU: too narrow
    assert sum(widths) == total and widths[0] == mins[0]    # 5 half-width units at 7.5 pt + padding
    assert mins[0] == int(5 * 0.56 * 7.5 * 12_700) + 150_000
    assert _fit_widths(total, [1.0, 1.0], [0, 0]) == [4_500_000, 4_500_000]


@pytest.mark.slow
def test_a_landscape_figure_under_a_heading_shrinks_to_share_the_page(tmp_path: Path) -> None:
    from conftest import _figure

    from diag.record import Recorder, merge_results
    from diag.report import docx_util as dx

    heights = {}
    for case, lead_in in (("alone", False), ("under_heading", True)):
        run = tmp_path / case
        rec = Recorder(run, "journey", "旅程")
        rec.text("上一节的结论。")
        if lead_in:
            rec.heading("旅程地图")
            rec.text("说明访谈覆盖哪些阶段、其余栏目来自哪里的一段文字。" * 3)
        rec.figure("map", _figure(3, (11.4, 8)), title="用户旅程地图", caption="来源说明", landscape=True)
        merge_results(run, META)
        document = docx.Document(str(build_report(run)))
        heights[case] = document.inline_shapes[0].height
        page = dx.text_height(_section_of(document, "图 1\u3000用户旅程地图"))
    assert heights["alone"] == int(page * 0.82)
    assert page * 0.5 <= heights["under_heading"] < heights["alone"] - 914_400 // 2   # at least 1.27 cm less


def test_a_fixed_reading_note_is_printed_once_in_the_method_appendix_not_under_its_table(tmp_path: Path) -> None:
    import pandas as pd

    from diag.record import Recorder, merge_results

    run = tmp_path / "r"
    rec = Recorder(run, "diagnosis", "诊断")
    rec.table("a", pd.DataFrame({"渠道": ["小程序"], "复购率": [0.3]}), title="渠道表现",
              note="小程序贡献最多", reading="复购率 = 复购客户 ÷ 购买客户")
    rec.table("b", pd.DataFrame({"渠道": ["门店"], "复购率": [0.2]}), title="渠道表现（门店）",
              reading="复购率 = 复购客户 ÷ 购买客户")
    rec.table("data_quality", pd.DataFrame({"项目": ["有效订单"], "数量": [3]}), title="数据质量")
    rec.table("data_quality", pd.DataFrame({"项目": ["有效订单"], "数量": [3]}), title="数据质量")
    merge_results(run, META)
    document = docx.Document(str(build_report(run)))
    body = [p.text for p in document.paragraphs if not p.style.name.startswith("toc")]
    appendix = body.index("附录 C\u3000方法说明")
    assert "小程序贡献最多" in body[:appendix]
    assert not any("复购客户 ÷ 购买客户" in t for t in body)          # not a paragraph anywhere
    assert sum("见附录 B" in t for t in body[:appendix]) == 1         # the pointer is printed once
    table = document.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["图表", "名称", "读法与口径"]
    assert rows[1:] == [["表 1", "渠道表现", "复购率 = 复购客户 ÷ 购买客户"]]
