"""An English run words the intake and strategy sections in English; only what the client wrote stays Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from english import CJK

from diag.run.store_reports import lagging_display, ranking_display
from diag.strategy.wording import localize, word

LATIN = re.compile(r"[A-Za-z]")
SECTIONS = ("Brief and data intake", "Strategy and action plan")


def cjk_share(texts: list[str]) -> float:
    joined = "".join(texts)
    cjk, latin = len(CJK.findall(joined)), len(LATIN.findall(joined))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def metric_labels(run: Path) -> set[str]:
    """Return the labels of the numbers a run recorded (worded by the metric catalogue, not here)."""
    import json

    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    return {block["label"] for section in results["sections"].values() for block in section.get("blocks", [])
            if block.get("kind") == "number"}


def sections(report: Path, skip_tables: set[str] = frozenset()) -> dict[str, dict[str, list[str]]]:
    """Return, per top-level section, its headings, captions, table headers and all its text.

    Tables whose first header is in ``skip_tables`` give no headers (the recorded numbers' tables).
    """
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(report))
    out: dict[str, dict[str, list[str]]] = {}
    current = out.setdefault("front", {"headings": [], "captions": [], "headers": [], "text": []})
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            style = paragraph.style.name
            if style == "Heading 1":
                current = out.setdefault(paragraph.text, {"headings": [], "captions": [], "headers": [], "text": []})
            if style.startswith("Heading"):
                current["headings"].append(paragraph.text)
            elif "caption" in style.lower():
                current["captions"].append(paragraph.text)
            current["text"].append(paragraph.text)
        elif element.tag == qn("w:tbl"):
            table = Table(element, document)
            header = [cell.text for cell in table.rows[0].cells]
            if header[0] not in skip_tables:
                current["headers"].extend(header)
            current["text"].extend(cell.text for row in table.rows for cell in row.cells)
    return out


@pytest.fixture(scope="module")
def english(english_demo_run: Path) -> dict[str, dict[str, list[str]]]:
    return sections(english_demo_run / "report.docx", metric_labels(english_demo_run))


def test_the_english_reports_intake_and_strategy_sections_are_there(english):
    assert set(SECTIONS) <= set(english)


@pytest.mark.parametrize("section", SECTIONS)
def test_headings_and_captions_of_the_english_sections_hold_no_chinese(english, section: str):
    worded = english[section]["headings"] + english[section]["captions"]
    assert len(worded) >= 5
    assert [t for t in worded if CJK.search(t)] == []


@pytest.mark.parametrize("section", SECTIONS)
def test_table_headers_of_the_english_sections_are_english_but_for_client_names_and_metric_labels(english, section):
    assert cjk_share(english[section]["headers"]) < 0.10


def test_the_english_strategy_section_is_mostly_english(english):
    # 95% of the strategy section's letters were Chinese before its texts came from the catalogues and the
    # template's English twins; what remains is the client's own words (products, channels, competitors,
    # roles and tasks as written): 4–7% on the four demo clients.
    assert cjk_share(english["Strategy and action plan"]["text"]) < 0.15


def test_the_roadmap_the_action_list_and_the_roles_speak_english(english):
    text = "\n".join(english["Strategy and action plan"]["text"])
    for phrase in ("Community SOP · ", "Milestone: day-30 review", "Action 1: ", "Review with data every 30 days",
                   "Runs the campaigns"):
        assert phrase in text


def test_the_kits_words_are_translated_whole_and_the_clients_left_as_written():
    frame = pd.DataFrame({"领域": ["引流", "小贝母婴的引流"], "投入": ["低", "中"]})
    assert localize(frame, "en").to_dict("list") == {"Area": ["Acquisition", "小贝母婴的引流"], "Effort": ["low", "medium"]}
    assert localize(frame, "zh") is frame
    assert word("12个月GMV机会", "en") == "GMV opportunity over 12 months"
    assert word("维持现状", "en", patterns=False) == "维持现状"


def test_the_store_tables_have_english_headers_in_an_english_run():
    table = pd.DataFrame({"store": ["A店", "B店"], "gmv": [1000.0, 50.0], "orders": [40, 2], "customers": [20, 2],
                          "aov": [25.0, 25.0], "repurchase_rate": [0.3, 0.0], "rank_gmv": [1, None],
                          "rank_aov": [1, None], "rank_repurchase_rate": [1, None],
                          "status": ["ok", "too little data"]})
    english = ranking_display(table, "en")
    assert list(english.columns)[:3] == ["Store", "GMV", "Orders"] and list(english["Data"]) == ["enough", "too little"]
    assert list(ranking_display(table, "zh").columns)[-1] == "数据"
    lagging = pd.DataFrame({"store": ["B店"], "gmv": [50.0], "weakest": ["客单价"], "customers_vs_median": [0.5],
                            "orders_per_customer_vs_median": [1.0], "aov_vs_median": [0.8], "gain": [30.0]})
    assert lagging_display(lagging, "en").iloc[0]["Weakest driver"] == "AOV"


def test_every_english_twin_in_the_templates_keeps_the_placeholders_of_its_chinese_text():
    from diag.industries.registry import known_industries, load_template

    placeholder = re.compile(r"\{(\w+)\}")
    twinned = 0
    for key in known_industries():
        data = load_template(key).model_dump(mode="json", exclude_none=True)
        items = (data["rules"] + data["team"]["roles"] + data["sop"]["phases"] + data["activities"]
                 + data["kpis"] + data["cases"])
        for item in items:
            for field, english in item.get("en", {}).items():
                twinned += 1
                chinese = item[field]
                assert set(placeholder.findall(str(english))) == set(placeholder.findall(str(chinese))), (key, field)
                assert not CJK.search(str(english)), (key, field, english)
    assert twinned > 300


def test_a_template_in_english_reads_like_one_without_twins():
    from diag.industries.registry import load_industry

    chinese, english = load_industry("母婴"), load_industry("母婴", "en")
    assert "en" not in chinese["rules"][0] and "en" not in english["rules"][0]
    assert english["rules"][0]["id"] == chinese["rules"][0]["id"] and english["rules"][0]["owner"] == "引流运营"
    assert english["rules"][0]["action"].startswith("Turn {card} into a scratch-card draw")
