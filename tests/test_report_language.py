"""The English report's journey, diagnosis and review sections are English; the Chinese ones unchanged.

What the client wrote — the brief's texts (names, interview notes, products), the names in
their data (products, categories, channels, stores, staff) — and the industry template's
wording stay as written; everything else the sections print comes from the catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from diag import paths
from diag.messages import text

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: The notebooks' sections: (message domain, recorder section).
SECTIONS = ("journey", "diagnosis", "review")
DEMO_BRIEF = paths.BRIEFS / "xiaobei-muying.yaml"
#: Ceilings of the share of Chinese letters left once the client's words are taken out (measured
#: 13.8 %, 14.9 %, 12.9 % on the demo). What is left: the metric labels and definitions of the
#: ``rec.number`` calls (moving to the metric catalogue), the funnel's interval notes, the
#: benchmark sources and the data-to-verify flags; lower these as those move to catalogues.
LIMITS = {"journey": 0.15, "diagnosis": 0.16, "review": 0.14}
#: Before the catalogues, on the same demo: 97.0 %, 89.0 %, 92.6 % of the sections' letters were Chinese.


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def client_words(run: Path) -> list[str]:
    """Return what the client wrote (the brief's texts, the names in their data), longest first."""
    from diag.brief.model import load_brief
    from diag.readers.campaigns import read_campaigns
    from diag.readers.orders import read_orders
    from diag.readers.wecom import read_contact_stats

    brief = load_brief(DEMO_BRIEF)
    words = set(_strings(yaml.safe_load(DEMO_BRIEF.read_text(encoding="utf-8"))))
    data = read_orders(brief.data_path("orders"), columns=brief.data.columns or None, platform=brief.data.platform)
    for column in ("product", "category", "channel", "store"):
        if column in data.lines:
            words |= set(data.lines[column].dropna().astype(str))
    if brief.data_path("campaigns"):
        campaigns = read_campaigns(brief.data_path("campaigns"))
        words |= set(campaigns["name"].dropna().astype(str)) | set(campaigns["type"].dropna().astype(str))
    if brief.data_path("wecom_contacts"):
        words |= set(read_contact_stats(brief.data_path("wecom_contacts"))["staff"].dropna().astype(str))
    return sorted((w.strip() for w in words if CJK.search(w) and len(w.strip()) >= 2), key=len, reverse=True)


def section_texts(report: Path) -> dict[str, list[tuple[str, str]]]:
    """Return each level-1 section's (style, text) of paragraphs and table cells, in order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(report))
    out: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            paragraph = Paragraph(element, document)
            if paragraph.style.name == "Heading 1":
                current = paragraph.text
            out.setdefault(current, []).append((paragraph.style.name, paragraph.text))
        elif element.tag.endswith("}tbl"):
            for row in Table(element, document).rows:
                out.setdefault(current, []).extend(("cell", cell.text) for cell in row.cells)
    return out


def cjk_share(texts: list[str]) -> float:
    letters = [c for c in "".join(texts) if c.isalpha()]
    return sum(1 for c in letters if CJK.match(c)) / max(len(letters), 1)


def without(words: list[str], value: str) -> str:
    for word in words:
        if word:
            value = value.replace(word, " ")
    return value


@pytest.fixture(scope="module")
def english(english_demo_run: Path) -> dict[str, list[tuple[str, str]]]:
    return section_texts(english_demo_run / "report.docx")


@pytest.mark.parametrize("domain", SECTIONS)
def test_each_section_of_the_english_report_carries_its_english_title(english, domain: str):
    assert text(domain, "section_title", "en") in english


@pytest.mark.parametrize("domain", SECTIONS)
def test_headings_and_captions_of_the_english_sections_are_english(english, english_demo_run: Path, domain: str):
    words = client_words(english_demo_run)
    titles = [value for style, value in english[text(domain, "section_title", "en")]
              if style.startswith(("Heading", "Caption"))]
    assert titles and [v for v in titles if CJK.search(without(words, v))] == []


@pytest.mark.parametrize("domain", SECTIONS)
def test_the_english_sections_hold_little_chinese_beyond_what_the_client_wrote(english, english_demo_run: Path,
                                                                              domain: str):
    words = client_words(english_demo_run)
    texts = [without(words, value) for _, value in english[text(domain, "section_title", "en")]]
    assert cjk_share(texts) < LIMITS[domain]


def test_the_chinese_report_keeps_its_headings_in_these_sections(demo_run: Path):
    chinese = section_texts(demo_run / "report.docx")
    headings = {title: [v for style, v in chinese[title] if style.startswith("Heading 2")]
                for title in (text(domain, "section_title", "zh") for domain in SECTIONS)}
    assert headings == {
        "用户旅程地图": ["私域漏斗", "旅程地图"],
        "人货场诊断": ["数据概况与数据质量", "GMV 公式与走势", "人：复购与客户分层", "货：商品结构",
                    "场：渠道与私域阵地", "对标行业基准", "数据待核实", "诊断小结"],
        "复盘：活动与上次诊断": ["活动复盘：目标与实际", "社群运营六率"],
    }
