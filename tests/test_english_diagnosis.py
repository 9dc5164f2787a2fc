"""An English run words the diagnosis, the review, the stores and their charts in English; Chinese runs read as before."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml
from english import CJK, kit_chinese, yaml_strings
from matplotlib.figure import Figure
from matplotlib.text import Text

from diag.areas import benchmark, gmv, people, review
from diag.areas import diagnosis as dx
from diag.charts import review as review_charts
from diag.charts import scene
from diag.industries.quadrant import quadrant
from diag.industries.registry import load_industry
from diag.run.store_reports import enough_data_definition, write_store_reports

ROOT = Path(__file__).resolve().parents[1]


def chinese(values: Any) -> list[str]:
    """Return the values (strings, lists, frames) that hold a Chinese character."""
    if isinstance(values, pd.DataFrame):
        return chinese([*map(str, values.columns), *(str(v) for v in values.to_numpy().ravel())])
    if isinstance(values, str):
        values = [values]
    return [str(v) for v in values if CJK.search(str(v))]


def figure_texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


TEMPLATE = {"key": "demo", "name_en": "demo trade", "quadrant": {"frequency_split": 3, "spend_split": 1800},
            "benchmarks": {
                "aov": {"low": 80, "high": 300, "unit": "yuan", "source": "行业经验估计（可编辑）", "confidence": "低"},
                "repurchase_rate": {"low": 0.3, "high": 0.5, "unit": "share", "source": "服务商资料(较低置信度)",
                                    "confidence": "中"},
                "median_repurchase_days": {"low": 20, "high": 45, "unit": "days", "source": "行业经验估计（可编辑）",
                                           "confidence": "低"},
                "add_rate": {"low": 0.08, "high": 0.12, "unit": "share", "source": "案例文章：Parcel cards (11.9%)",
                             "confidence": "高"},
                "reply_rate": {"low": 0.8, "high": 0.95, "unit": "share", "source": "行业经验估计（可编辑）",
                               "confidence": "低"},
                "avg_reply_minutes": {"low": 2, "high": 10, "unit": "minutes", "source": "行业经验估计（可编辑）",
                                      "confidence": "低"}}}


@pytest.fixture
def gaps() -> pd.DataFrame:
    return benchmark.benchmark_gaps({"aov": 60.0, "repurchase_rate": 0.2, "median_repurchase_days": 60.0,
                                     "add_rate": 0.05, "reply_rate": 0.9}, TEMPLATE, gmv=10_000, customers=100,
                                    orders=160)


def orders(rows: list[tuple[str, str, float]], store: str | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "paid_at", "amount"])
    frame["paid_at"] = pd.to_datetime(frame["paid_at"])
    frame["order_id"] = [f"o{i}" for i in range(len(frame))]
    if store is not None:
        frame["store"] = store
    return frame


TINY = orders([("A", "2025-01-01", 100), ("A", "2025-01-11", 50), ("B", "2025-01-05", 80), ("B", "2025-02-04", 20),
               ("C", "2025-02-20", 30)])


def test_the_benchmark_table_in_english_holds_no_chinese(gaps):
    shown = benchmark.gaps_display(gaps, "en")
    assert chinese(shown) == []
    assert "Industry estimate (editable)" in set(shown["Source"]) and set(shown["Confidence"]) == {"low", "medium", "high"}
    assert "GMV × (midpoint ÷ AOV − 1)" in set(shown["Estimate / note"])


def test_the_benchmark_table_in_chinese_reads_as_the_benchmark_gives_it(gaps):
    shown = benchmark.gaps_display(gaps, "zh").set_index("指标")
    assert shown.loc["客单价", "测算方法/说明"] == "GMV × (中值 ÷ 客单价 − 1)"
    assert shown.loc["加粉率", "测算方法/说明"] == "需要触达人数"
    assert shown.loc["复购率", "来源"] == "服务商资料(较低置信度)" and shown.loc["复购率", "置信度"] == "中"
    assert list(gaps["reason"]).count("无直接GMV路径: 它影响转化与复购, 效果体现在其他指标上") == 1


def test_the_gmv_drivers_are_named_in_the_runs_language():
    change = gmv.decompose_change(TINY.iloc[:2], TINY.iloc[2:], lang="en")
    assert list(change["label"]) == ["Buyers", "Orders per buyer", "AOV", "GMV"]
    assert list(gmv.decompose_change(TINY.iloc[:2], TINY.iloc[2:])["label"]) == ["用户数", "人均订单数", "客单价", "GMV"]


def test_the_repurchase_summary_takes_labels_and_definitions_from_the_metric_catalogue():
    summary = people.repurchase_summary(TINY, "2025-03-07", windows=(30, 45))
    assert list(summary["metric"])[-2:] == ["repurchase_rate_45d", "median_repurchase_days"]
    english = dx.format_summary(summary, "en")
    assert chinese(english) == [] and list(english.columns) == ["Metric", "Value", "Definition"]
    assert english["Metric"].iloc[0] == "Buying customers" and "45-day repurchase rate" in set(english["Metric"])
    assert list(dx.format_summary(summary).columns) == ["指标", "数值", "口径"]


@pytest.mark.parametrize("aov, per_year", [(50.0, 12.0), (50.0, 1.0), (5000.0, 1.0), (5000.0, 12.0)])
def test_the_quadrants_type_splits_and_plays_are_english_in_english(aov: float, per_year: float):
    for template in (TEMPLATE, None):
        position = quadrant(aov, per_year, template=template)
        words = dx.quadrant_words(position, "en")
        assert chinese(list(words.values())) == [] and len(words["playbook"]) > 20
        zh = dx.quadrant_words(position)
        assert zh == {"store_type": position.store_type, "source": position.split_source,
                      "playbook": "；".join(position.playbook)}


def test_the_quadrant_split_source_in_chinese_is_the_one_the_quadrant_names():
    position = quadrant(50.0, 1.0, template=TEMPLATE)
    assert position.split_source == "行业模板（年消费 ¥1,800、每年 3 次）"
    assert dx.quadrant_words(position, "en")["source"] == "industry template (¥1,800 a year, 3 purchases a year)"


def test_the_industry_is_named_in_the_runs_language():
    assert dx.industry_name(TEMPLATE, "en") == "demo trade" and dx.industry_name(TEMPLATE) == "demo"


def test_overlapping_campaigns_are_noted_in_the_runs_language():
    campaigns = pd.DataFrame({"name": ["Autumn sale", "Parcel card"], "type": ["promo", "lure"],
                              "start": [pd.Timestamp("2025-02-01").date()] * 2,
                              "end": [pd.Timestamp("2025-02-10").date(), pd.Timestamp("2025-02-05").date()],
                              "cost": [100.0, 50.0], "target_gmv": [200.0, 100.0], "target_new": [None, None],
                              "store": [None, None]})
    results = review.campaign_results(TINY, campaigns)
    first = results.iloc[0]
    english = review.notes_text(first["note_items"], "en")
    assert chinese(english) == [] and "overlaps “Parcel card”" in english
    assert first["notes"] == "与「Parcel card」时间重叠，重叠日的订单两边都计入"
    assert review.notes_text(first["note_items"]) == first["notes"]
    figure = review_charts.campaign_targets(results, lang="en").figure
    assert chinese(figure_texts(figure)) == []
    plt.close(figure)


def test_the_scene_and_benchmark_charts_are_english_in_english(gaps):
    channels = pd.DataFrame({"channel": ["Shop", "Group"], "gmv": [800.0, 200.0], "orders": [8, 4]})
    weekly = pd.DataFrame({"date": pd.date_range("2025-01-06", periods=4, freq="W"),
                           "group_active_share": [0.4, 0.5, 0.45, 0.6], "member_activity": [0.1, 0.2, 0.15, 0.2],
                           "reply_rate": [0.8, 0.9, 0.85, 0.95], "avg_reply_minutes": [5.0, 6.0, 4.0, 3.0]})
    figures = [scene.channel_bars(channels, lang="en"),
               scene.community_health(weekly, benchmark={"group_active_share": (0.5, 0.8)}, lang="en").figure,
               scene.service_quality(weekly, lang="en").figure,
               scene.benchmark_gap(gaps[gaps["value"].notna()], lang="en").figure,
               scene.channel_bars(channels.iloc[0:0], lang="en")]
    comparison = pd.DataFrame({"key": ["repurchase_rate", "aov"], "label": ["复购率", "客单价"],
                               "change_pct": [0.1, -0.05], "direction": ["变好", "变差"]})
    figures.append(review_charts.then_vs_now(comparison, lang="en").figure)
    for figure in figures:
        assert chinese(figure_texts(figure)) == []
        plt.close(figure)
    chinese_chart = scene.benchmark_gap(gaps[gaps["value"].notna()]).figure
    assert {"低于区间", "行业区间", "高于区间", "落后"} <= set(figure_texts(chinese_chart))
    plt.close(chinese_chart)


def test_a_stores_report_in_an_english_run_is_english(tmp_path):
    from diag.areas import stores as st

    chain = pd.concat([orders([(f"{s}{i}", f"2025-0{1 + i % 3}-{1 + i % 27:02d}", 50.0 + i) for i in range(n)],
                              store=s) for s, n in (("North", 80), ("South", 40), ("Tiny", 3))], ignore_index=True)
    table, gaps = st.store_table(chain), st.driver_gaps(st.store_table(chain))
    index = write_store_reports(table, gaps, st.store_monthly(chain), tmp_path, lang="en",
                                client={"name": "Demo chain", "industry": "catering", "consultant": "Lee"})
    assert set(index["status"]) == {"ok", "too little data"}
    for slug in index["slug"]:
        results = json.loads((tmp_path / slug / "results.json").read_text(encoding="utf-8"))
        assert chinese(json.dumps(results, ensure_ascii=False)) == [], slug
    assert chinese(enough_data_definition("en")) == []
    assert enough_data_definition() == f"有效订单不少于 {st.MIN_ORDERS} 笔且顾客不少于 {st.MIN_CUSTOMERS} 位的门店"


# -- the English demo report ------------------------------------------------------------------
def client_values() -> list[str]:
    """Every text the demo client gave: the brief's values and the cells of its data files, longest first."""
    brief_path = ROOT / "briefs" / "xiaobei-muying.yaml"
    brief = yaml.safe_load(brief_path.read_text(encoding="utf-8"))
    found = yaml_strings(brief)
    for key in ("orders", "wecom_contacts", "campaigns"):
        path = brief_path.parent / brief["data"][key]
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                frame = pd.read_csv(path, dtype=str, encoding=encoding)
                break
            except UnicodeDecodeError:
                continue
        found += [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    found += yaml_strings(json.loads((brief_path.parent / brief["data"]["wecom_groups"]).read_text(encoding="utf-8")))
    # the benchmarks' cited articles stay as written (the kit's own words around them are worded)
    template = load_industry(brief["client"]["industry"])
    found += [re.sub(r"^案例文章：", "", part) for b in template["benchmarks"].values()
              for part in b["source"].split("; ") if "《" in part]
    return sorted({v.strip() for v in found if CJK.search(v)}, key=len, reverse=True)


def section_lines(report: Path, heading: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Return the paragraphs and table cells of the section ``heading``, leaving out subsections ``skip``."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(report))
    inside, skipping, lines = False, False, []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            if paragraph.style.name == "Heading 1":
                inside = paragraph.text == heading
            elif paragraph.style.name.startswith("Heading"):
                skipping = paragraph.text in skip
            if inside and not skipping:
                lines.append(paragraph.text)
        elif element.tag == qn("w:tbl") and inside and not skipping:
            lines += [cell.text for row in Table(element, document).rows for cell in row.cells]
    return lines


# The benchmark's "numbers to verify" (diag.strategy.flags, the strategy layer's) are worded by that layer.
@pytest.mark.parametrize("section, skip", [("People, goods and scene diagnosis", ("Numbers to verify",)),
                                           ("Review: campaigns and the last diagnosis", ())])
def test_the_english_demo_reports_diagnosis_and_review_hold_chinese_only_in_the_clients_words(
        english_demo_run: Path, section: str, skip: tuple[str, ...]):
    lines = section_lines(english_demo_run / "report.docx", section, skip)
    assert len(lines) > 50
    assert kit_chinese(lines, client_values()) == []


def test_the_english_demo_reports_methods_give_the_rfm_rule_in_english(english_demo_run: Path):
    lines = section_lines(english_demo_run / "report.docx", "Appendix C  Methods")
    rfm = [line for line in lines if "R, F and M are each compared" in line]
    assert len(rfm) == 1 and chinese(rfm) == []
    assert not any(line.startswith("R/F/M 各与") for line in lines)
