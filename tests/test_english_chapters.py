"""The plan chapters built for one client read English in an English run; the Chinese run reads as before."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from english import CJK, yaml_strings

from diag.brief.model import Brief
from diag.industries.quadrant import quadrant
from diag.industries.registry import load_industry
from diag.strategy import chapters as ch
from diag.strategy import plays
from diag.strategy import reminders as rm
from diag.strategy.wording import localize

LIBRARY = plays.load_library()
DEMO_BRIEF = Path(__file__).resolve().parents[1] / "briefs" / "xiaobei-muying.yaml"
MY_SECTIONS = ("Business type and choice of plays", "Repurchase reminders by category", "Customer persona",
               "Competitor benchmark", "Acquisition path")
#: How the sentences this kit's chapters add to the target funnel section begin (the rest is another builder's).
MY_FUNNEL_SENTENCES = ("The funnel's stages", "The acquisition paths of", "Today's channels")


def ascii_brief(**scene: object) -> Brief:
    """Return a small online client whose own words (names, products, channels) are all ASCII."""
    return Brief.model_validate({
        "client": {"name": "Acme Baby", "industry": "母婴", "format": "电商", "store_count": 0, "online_share": 1,
                   "regions": ["East", "South"]},
        "goods": {"product_lines": [{"name": "wipes", "price_min": 30, "role": "引流"},
                                    {"name": "diapers", "price_min": 120, "role": "复购"},
                                    {"name": "formula", "price_min": 300, "role": "利润"}],
                  "selling_points": ["soft cotton core"]},
        "people": {"persona": "young parents", "member_tiers": ["Silver", "Gold"]},
        "scene": scene or {"channels": [{"name": "Mini shop", "share": 0.6, "kind": "私域", "monthly_reach": 5000},
                                        {"name": "Market", "share": 0.4, "kind": "公域"}],
                           "monthly_parcels": 2000},
        "assets": {"friends": 2000, "group_members": 1200},
        "team": {"headcount": 3, "gene": "运营"},
        "competitors": [{"name": "Rival A", "strengths": "big catalogue", "notes": "slow replies"},
                        {"name": "Rival B", "strengths": "价格低"}],
    })


def context(brief: Brief, template: dict) -> plays.ClientContext:
    """Return the client's context with the client's own (ASCII) words where the context would default."""
    ctx = plays.client_context(brief, template, library=LIBRARY)
    return dataclasses.replace(ctx, advisor="Advisor Amy", public="Market", tiers="Silver, Gold",
                               selling_point="soft cotton core", venue="live room", window="20:00–22:00")


def orders_and_lines() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ten customers' orders (evening hours, two channels) and their lines (two categories)."""
    rows = []
    for i in range(10):
        for k in range(2 if i % 2 else 1):
            rows.append({"order_id": f"o{i}-{k}", "customer_id": f"c{i}", "paid_at": f"2026-0{k + 1}-1{i % 9} 2{k}:15",
                         "amount": 100.0 + 50 * i, "channel": "Mini shop" if i < 6 else "Market",
                         "product": "diapers" if i % 2 else "wipes", "category": "Diapers" if i % 2 else "Wipes"})
    frame = pd.DataFrame(rows)
    return frame, frame.copy()


def chapter_text(chapter: ch.Chapter, lang: str = "en") -> str:
    """Return every reader-facing text of a chapter as :func:`diag.strategy.chapters.record` writes it."""
    cells = [str(v) for _, frame, _ in chapter.tables for v in localize(frame, lang).to_numpy().ravel()]
    return "\n".join([chapter.basis, *chapter.paragraphs, *cells, *chapter.boxes])


@pytest.fixture(scope="module")
def english():
    template = load_industry("母婴", "en")
    brief = ascii_brief()
    return SimpleNamespace(brief=brief, template=template, ctx=context(brief, template))


def cjk_in(text: str) -> list[str]:
    return [line for line in text.splitlines() if CJK.search(line)]


def test_the_persona_of_an_ascii_client_holds_no_chinese_in_english(english):
    orders, lines = orders_and_lines()
    chapter = ch.persona(english.brief, orders, lines, english.ctx, lang="en")
    assert not cjk_in(chapter_text(chapter))
    assert "Regions from the brief" in chapter.basis and "¥" in chapter_text(chapter)


def test_the_member_files_attributes_are_named_in_english_and_their_values_kept(english):
    orders, lines = orders_and_lines()
    members = [{"attribute": "注册方式", "values": [("Till QR", 0.55), ("Mini program", 0.25)], "members": 1_000},
               {"attribute": "会员等级", "values": [("Gold", 0.1)], "members": 1_000}]
    chapter = ch.persona(english.brief, orders, lines, english.ctx, members, lang="en")
    assert not cjk_in(chapter_text(chapter))
    text = chapter_text(chapter)
    assert "Sign-up channel" in text and "Till QR 55%, Mini program 25% (1,000 members)" in text
    assert "member data" in text and "Till QR 55%" in " ".join(chapter.paragraphs)
    chinese = ch.persona(english.brief, orders, lines, english.ctx, members)
    assert "Till QR 55%、Mini program 25%(共 1,000 位会员)" in chapter_text(chinese)


def test_the_competitors_of_an_ascii_client_hold_no_chinese_in_english_but_the_clients_words(english):
    chapter = ch.competitors(english.brief, english.ctx, LIBRARY, {"aov": 180.0, "repurchase_rate": 0.3}, lang="en")
    leaked = [line for line in cjk_in(chapter_text(chapter)) if "价格低" not in line]  # Rival B's strength as written
    assert not leaked
    assert any("Response (Conversion)" in p for p in chapter.paragraphs)


def test_the_acquisition_path_and_the_funnel_gap_hold_no_chinese_in_english(english):
    chapter = ch.acquisition_path(english.brief, english.ctx, english.template, LIBRARY, {}, lang="en")
    assert not cjk_in(chapter_text(chapter))
    pools = chapter.tables[0][1]
    assert "Douyin" in set(pools["公域流量池"]) and "in use" not in set(pools["状态"])
    inverse = SimpleNamespace(reachable=10 ** 9)
    gap = ch.funnel_gap(SimpleNamespace(inverse=inverse), chapter, lang="en")
    assert gap.startswith("Today's channels reach only") and not CJK.search(gap)


def test_the_recorded_path_keeps_its_codes_in_either_language(english):
    zh = ch.acquisition_path(english.brief, english.ctx, english.template, LIBRARY, {})
    en = ch.acquisition_path(english.brief, english.ctx, english.template, LIBRARY, {}, lang="en")
    assert [r["状态"] for r in zh.data["pools"]] == [r["状态"] for r in en.data["pools"]]
    assert zh.data["total"] == en.data["total"] and {r["第一步依据"] for r in en.data["channels"]} <= {"实测", "基准", "估计"}


def test_the_business_type_holds_no_chinese_in_english(english):
    fitted = plays.fit_template(english.template, english.ctx, library=LIBRARY)
    position = quadrant(180.0, 1.5, template=fitted, lang="en")
    chapter = ch.business_type(position, english.ctx, fitted, lang="en")
    assert not cjk_in(chapter_text(chapter))
    assert "mother and baby" in chapter.basis and "e-commerce" in chapter.paragraphs[0]


def test_the_quadrants_source_and_playbook_are_english_in_english_and_as_before_in_chinese():
    template = load_industry("母婴")
    zh, en = quadrant(180.0, 1.5, template=template), quadrant(180.0, 1.5, template=template, lang="en")
    assert zh.split_source == "行业模板（年消费 ¥1,800、每年 3 次）" and zh.playbook[0] == "以内容输出吸引同频用户，把范围扩到全国"
    assert en.split_source == "industry template (annual spend ¥1,800, 3 a year)"
    assert not any(CJK.search(p) for p in en.playbook) and (en.store_type, en.value_level) == (zh.store_type, zh.value_level)
    assert quadrant(100.0, 2.0).split_source == "供应商经验值（年消费 ¥5,000、每年 1 次，置信度低）"


def reminders(lang: str) -> list[dict]:
    by_category = pd.DataFrame([("Diapers", 200, 0.5, 300, 15.0, 27.0, 54.0), ("Toys", 100, 0.1, 40, 10.0, 20.0, 30.0)],
                               columns=["品类", "购买客户数", "复购率", "复购间隔次数", "复购周期P25", "复购周期中位数",
                                        "复购周期P75"])
    return rm.category_reminders(by_category, load_industry("母婴", lang), plays.industry_profile(LIBRARY, "母婴"),
                                 lang=lang)


def test_the_reminders_chapter_and_action_hold_no_chinese_in_english(english):
    rows = reminders("en")
    assert [r["basis"] == "实测" for r in rows] == [True, False] and rows[0]["mode"] == "复购提醒"
    chapter = ch.reminders_chapter(rows, english.ctx, lang="en", template=english.template)
    assert not cjk_in(chapter_text(chapter))
    assert "day 15: supply check" in chapter_text(chapter)
    action = rm.reminder_action(rows, lang="en")
    assert action.startswith("Touch each category at its repurchase cycle") and not CJK.search(action)


def test_the_reminders_in_chinese_read_as_they_always_have(english):
    rows = reminders("zh")
    assert rows[1]["basis"] == "行业模板(复购客户 10 人, 不足 30 人, 按模板典型周期 20–45 天的中值)"
    table = rm.reminders_table(rows)
    assert list(table.iloc[0]) == ["Diapers", "27", "第15天余量关怀、第27天补货提醒+专属券、第54天断档唤回", "复购提醒", "实测", 100]
    assert rm.reminder_action(rows[:1]) == ("按品类复购周期触达 — Diapers(周期27天, 实测): "
                                            "第15天余量关怀、第27天补货提醒+专属券、第54天断档唤回")


def test_the_chapters_in_chinese_keep_their_sentences(english):
    ctx = context(english.brief, load_industry("母婴"))
    chapter = ch.competitors(english.brief, ctx, LIBRARY, {"aov": 180.0, "repurchase_rate": 0.3})
    assert chapter.paragraphs[1].startswith("Rival B强在价格低。Acme Baby这一项: Acme Baby客单价 ¥180, 引流品wipes ¥30。应对(转化): 不跟价")
    assert chapter.basis == "依据: 需求澄清表列出的Rival A、Rival B的强项与短板, 对照Acme Baby的订单数据。"
    path = ch.acquisition_path(english.brief, ctx, load_industry("母婴"), LIBRARY, {})
    assert path.paragraphs[-1].startswith("八大公域流量池中Acme Baby在用: 无; 行业模板建议补上: ")
    assert list(path.tables[1][1]["渠道"])[-1] == "合计(即目标漏斗)"


def placeholders(text: object) -> set[str]:
    return set(re.findall(r"\{\w+\}", str(text)))


def test_every_play_library_entry_the_chapters_use_has_its_english_twin_with_the_same_placeholders():
    plays_ = LIBRARY["plays"]
    for spec in plays_["pools"] + list(plays_["own_channels"].values()):
        assert len(spec["en"]["path"]) == len(spec["path"]) and not CJK.search(" ".join(spec["en"]["path"]))
        assert [placeholders(s) for s in spec["en"]["path"]] == [placeholders(s) for s in spec["path"]]
    assert all(pool["name_en"] and not CJK.search(pool["name_en"]) for pool in plays_["pools"])
    for counter in plays_["counters"] + [plays_["default_counter"]]:
        assert set(counter["en"]) == {k for k in counter if k.startswith("answer")}
        assert all(placeholders(counter["en"][k]) == placeholders(counter[k]) for k in counter["en"])
    for name, profile in LIBRARY["industries"].items():
        assert len(profile["en"]["touches"]) == len(profile["touches"]), name
        assert [d for d, _ in profile["en"]["service"]] == [d for d, _ in profile["service"]], name


def test_the_play_library_files_hold_no_key_twice():
    """Two twins of one item (``en:`` written twice) would silently drop one; YAML itself does not complain."""

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: Strict, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(k) for k, _ in node.value]
        doubled = {k for k in keys if keys.count(k) > 1}
        assert not doubled, f"{node.start_mark}: {doubled} given twice"
        return loader.construct_mapping(node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    for path in sorted(plays.PLAYS.glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)


def client_words() -> set[str]:
    """Return every text the demo brief holds (the client's own words), split at the list separators."""
    words = set()
    for text in yaml_strings(yaml.safe_load(DEMO_BRIEF.read_text(encoding="utf-8"))):
        words.add(text)
        words.update(w.strip() for w in re.split(r"[、,，;；]", text) if w.strip())
    return words


def test_my_chapters_in_the_english_demo_report_hold_chinese_only_in_the_clients_words(english_demo_run):
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(english_demo_run / "report.docx"))
    heading, texts = "", []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            if paragraph.style.name.startswith("Heading"):
                heading = paragraph.text
            elif heading in MY_SECTIONS or paragraph.text.startswith(MY_FUNNEL_SENTENCES):
                texts.append(paragraph.text)
        elif element.tag == qn("w:tbl") and heading in MY_SECTIONS:
            texts += [cell.text for row in Table(element, document).rows for cell in row.cells]
    assert sum(t.startswith(MY_FUNNEL_SENTENCES) for t in texts) == 2
    recorded = json.loads((english_demo_run / "results.json").read_text(encoding="utf-8"))["sections"]["strategy"]["data"]
    categories = {r["category"] for r in recorded["reminders"]}  # the order export's own category values
    # the venue plays.client_context fills into a path ({store} of a client without stores): its words, not these chapters'
    venues = {p[k] for p in LIBRARY["industries"].values() for k in ("venue_online", "venue_store") if k in p}
    known = sorted(client_words() | categories | venues, key=len, reverse=True)
    leftover = []
    for text in texts:
        for word in known:
            text = text.replace(word, "")
        leftover += CJK.findall(text)
    assert not leftover, "".join(leftover)
