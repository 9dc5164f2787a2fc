"""Intake, journey and data quality read wholly English in an English run; the Chinese run is unchanged.

Unit cases use a brief whose own values are ASCII, so any Chinese left in the output is a kit
word that leaked.  The demo case checks the English demo report: in the sections these
builders feed, Chinese appears only in the client's own words (the brief's values, the
order export's headers and values).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import yaml
from english import CJK, kit_chinese, yaml_strings

from diag.areas.journey import format_funnel, funnel, journey_table, source_note
from diag.brief.gaps import brief_summary, format_questions, questions
from diag.brief.model import Brief
from diag.charts.journey import funnel_chart, journey_map
from diag.readers.load import load_data
from diag.readers.quality import Quality

DEMO_BRIEF = Path(__file__).resolve().parents[1] / "briefs" / "xiaobei-muying.yaml"


def ascii_brief() -> Brief:
    return Brief.model_validate({
        "client": {"name": "Acme Baby", "industry": "母婴", "format": "电商", "regions": ["East", "South"]},
        "goods": {"aov": 200, "repurchase_cycle_days": 20},
        "scene": {"channels": [{"name": "Mini shop", "share": 0.6}, {"name": "Tmall", "share": 0.4}]},
        "assets": {"friends": 1200, "groups": 5, "group_members": 900},
        "team": {"headcount": 3}, "goals": {"gmv_target": 100000, "timeline_months": 12, "tasks": ["Parcel cards"]},
        "funnel": {"reachable": 1000, "referrers": 4},
        "journey": [{"stage": "认知", "touchpoints": ["Notes"]}, {"stage": "复购", "actions": ["Buys again"]}],
    })


def ascii_orders() -> pd.DataFrame:
    rows = [("a", "2024-01-01"), ("a", "2024-01-21"), ("b", "2024-01-05"), ("c", "2024-02-01"), ("c", "2024-03-02")]
    return pd.DataFrame({"order_id": [f"o{i}" for i in range(len(rows))], "customer_id": [c for c, _ in rows],
                         "paid_at": pd.to_datetime([d for _, d in rows]), "amount": 100.0, "channel": "Shop"})


def chinese_cells(frame: pd.DataFrame) -> list[str]:
    cells = [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return [c for c in cells if CJK.search(c)]


def test_the_client_profile_in_english_holds_no_chinese_and_adds_english_units():
    summary = brief_summary(ascii_brief(), "en").set_index("Item")["Content"]
    assert chinese_cells(summary.reset_index()) == []
    assert summary["Repurchase cycle (stated)"] == "20 days" and summary["Groups"] == "5 groups"
    assert summary["Private-domain team"] == "3 people" and summary["Target horizon"] == "12 months"
    assert summary["Industry"] == "mother and baby" and summary["Business format"] == "e-commerce"


def test_the_client_profile_in_chinese_keeps_its_chinese_units():
    summary = brief_summary(ascii_brief()).set_index("项目")["内容"]
    assert (summary["复购周期（填写）"], summary["社群"], summary["私域团队"], summary["目标周期"]) == \
        ("20 天", "5 个", "3 人", "12 个月")
    assert (summary["行业"], summary["经营形态"], summary["经营区域"]) == ("母婴", "电商", "East、South")


def test_the_questions_in_english_word_findings_and_questions_without_chinese():
    asked = questions(ascii_brief(), {"aov": 273.0, "median_repurchase_days": 30.0}, lang="en")
    assert {"goods.aov", "goods.repurchase_cycle_days", "funnel.reachable"} <= set(asked["field"])
    shown = format_questions(asked)
    assert chinese_cells(shown.drop(columns=["优先级", "部分"]).rename(columns=str)) == \
        [c for c in shown.columns if c not in ("优先级", "部分")]   # only the headers, worded at presentation
    reach = asked.set_index("field").loc["funnel.reachable"]
    assert reach["issue"] == "Reachable people 1,000 are fewer than friends 1,200"


def test_the_questions_in_chinese_are_the_sentences_they_were():
    asked = questions(ascii_brief(), {"aov": 273.0}).set_index("field")
    assert asked.loc["goods.aov", "issue"] == "填写客单价 ¥200，订单数据测得 ¥273（相差 27%）"
    assert asked.loc["funnel.reachable", "question"] == "可触达人数是否只算了某一个渠道？"
    assert asked.loc["funnel.reachable", "label"] == "可触达人数"


def test_the_funnel_and_the_journey_data_in_english_hold_no_chinese():
    brief = ascii_brief()
    table = funnel(ascii_orders(), brief)
    assert chinese_cells(format_funnel(table, "en")) == []
    data = journey_table(brief, None, table, "en").set_index("stage")["data"]
    assert data["复购"] == "Repurchase 2 people, conversion 66.7%, first purchase → repurchase median 25 days"
    assert chinese_cells(data.to_frame()) == []
    assert not CJK.search(source_note(brief, "en"))


def test_the_funnel_in_chinese_keeps_its_notes_and_data_text():
    table = funnel(ascii_orders(), ascii_brief())
    notes = table.set_index("stage")["days_note"]
    assert notes["friend"] == "只有人数汇总，无逐人日期" and notes["repurchase"] == "第一与第二个购买日之间，2 人"
    data = journey_table(ascii_brief(), None, table).set_index("stage")["data"]
    assert data["复购"] == "复购 2 人，转化 66.7%，首购→复购中位 25 天"


def test_the_data_quality_table_in_english_words_the_platform_fields_and_reasons():
    quality = Quality(file="orders.csv", platform="微信小店 / 视频号小店 订单", profile="weixin_shop",
                      detection="识别表头 7/10", signature_matched=7, encoding="utf-8",
                      excluded_by_meaning={"unpaid": 2, "refunded": 1}, unusable={"missing customer": 3},
                      column_map={"order_id": "Order No", "amount": "Paid"})
    shown = quality.to_frame("en")
    assert chinese_cells(shown) == []
    notes = shown.set_index("Item")["Note"]
    assert notes["Platform profile"] == "WeChat Shop / Channels Shop orders (weixin_shop); 7/10 signature headers found"
    assert notes["Field mapping"] == "order ID←Order No, amount←Paid; amounts are paid by the customer"
    chinese = quality.to_frame().set_index("项目")["说明"]
    assert chinese["平台模板"] == "微信小店 / 视频号小店 订单 (weixin_shop); 识别表头 7/10"
    assert chinese["按含义排除的订单"] == "未付款 2; 已退款 1"


def chart_texts(ax) -> list[str]:
    texts = [t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_yticklabels()]
    return texts + [ax.get_title(), ax.get_title("left"), ax.get_xlabel()]


def test_the_funnel_chart_and_the_journey_map_in_english_draw_no_chinese():
    import matplotlib.pyplot as plt

    brief = ascii_brief()
    table = funnel(ascii_orders(), brief)
    try:
        drawn = chart_texts(funnel_chart(table, lang="en"))
        drawn += chart_texts(journey_map(journey_table(brief, None, table, "en"), lang="en"))
    finally:
        plt.close("all")
    assert "Private-domain funnel" in drawn and "Customer journey map" in drawn
    assert [t for t in drawn if CJK.search(t)] == []


def test_the_data_inventory_in_english_words_its_notes_and_keeps_the_chinese_as_it_was(tmp_path):
    (tmp_path / "orders.csv").write_text("order_id,customer_id,paid_at,amount\n"
                                         "o1,a,2024-01-01,100\no2,b,2024-01-03,80\n", encoding="utf-8")
    brief = Brief.model_validate({"client": {"name": "Acme", "industry": "母婴"},
                                  "data": {"orders": str(tmp_path / "orders.csv")}})
    data = load_data(brief)
    english = data.inventory_table("en").set_index("字段")["说明"]
    assert english["data.orders"] == "valid orders 2, customers 2, 2024-01-01 to 2024-01-03 (2 days with data)"
    chinese = data.inventory_table().set_index("字段")["说明"]
    assert chinese["data.orders"] == "有效订单 2，顾客 2，2024-01-01 至 2024-01-03（有数据的日期 2 天）"


# -- the English demo report -------------------------------------------------------------------------

def client_words() -> list[str]:
    """Return the client's own words: the demo brief's values and the order export's headers and texts."""
    words = yaml_strings(yaml.safe_load(DEMO_BRIEF.read_text(encoding="utf-8")))
    with (DEMO_BRIEF.parent / "data" / DEMO_BRIEF.stem / "orders.csv").open(encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        words += next(reader)
        for row in reader:
            words += [cell for cell in row if CJK.search(cell)]
    return sorted({w.strip() for w in words if CJK.search(w)}, key=len, reverse=True)


def report_lines(report: Path, prefixes: tuple[str, ...]) -> list[str]:
    """Return the text lines (paragraphs and table cells) of the report's sections starting with ``prefixes``."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document, section, out = docx.Document(str(report)), "front", []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            if paragraph.style is not None and paragraph.style.name == "Heading 1":
                section = paragraph.text
            texts = [paragraph.text]
        elif element.tag == qn("w:tbl"):
            texts = [cell.text for row in Table(element, document).rows for cell in row.cells]
        else:
            continue
        out += [t for t in texts if section.startswith(prefixes)]
    return out


def test_the_english_demo_reports_cover_intake_journey_and_data_quality_hold_chinese_only_in_the_clients_words(english_demo_run):
    words = client_words()
    lines = report_lines(english_demo_run / "report.docx",
                         ("Customer journey map", "Appendix B", "front", "Brief and data intake"))
    assert kit_chinese(lines, words) == []


def test_an_english_run_prints_its_success_line_in_english(tmp_path, monkeypatch, capsys):
    from types import SimpleNamespace

    import diag.run.client
    from diag.cli import main

    report = tmp_path / "acme" / "report.docx"
    monkeypatch.setattr(diag.run.client, "run_client", lambda *a, **k: SimpleNamespace(report=report))
    assert main(["run", "brief.yaml", "--lang", "en", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"Report written: {report}\n"
    assert main(["run", "brief.yaml", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"报告已生成: {report}\n"


def test_batch_progress_in_english_holds_no_chinese():
    import io
    from types import SimpleNamespace

    from diag.run.progress import Progress

    out = io.StringIO()
    progress = Progress(3, out=out, err=out, tty=False, lang="en")
    progress.finished(SimpleNamespace(status="ok", client="Acme", slug="acme", report="r.docx", seconds=2.0))
    progress.finished(SimpleNamespace(status="unchanged", client="Beta", slug="beta", report=None, seconds=0.0))
    lines = out.getvalue().splitlines() + [progress.bar()]
    assert lines[0] == "[1/3] [done] Acme: r.docx  (2 s)"
    assert [line for line in lines if CJK.search(line)] == []
