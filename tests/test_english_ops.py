"""The plan's operating chapters (scripts, campaign, compliance, team) speak English in an English run."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from english import CJK
from test_english_chapters import ascii_brief

from diag.industries.registry import load_industry
from diag.strategy import chapters_ops as co
from diag.strategy import playbook as pb
from diag.strategy import plays
from diag.strategy.wording import localize

CLIENT_WORDS = ("Acme Baby", "wipes", "diapers", "formula", "Mini shop", "Market", "soft cotton core")
REMINDERS = [{"mode": "复购提醒", "basis": "实测", "category": "diapers", "cycle_days": 30.0, "touch_days": [24, 30, 45],
              "touches": ["supply check", "restock reminder", "run-out win-back"]},
             {"mode": "服务节奏", "basis": "实测", "category": "strollers", "cycle_days": 400.0, "touch_days": [3, 30],
              "touches": ["set-up follow-up", "safety check"]}]
PATH = {"months": 3, "total": {"加企微": 900, "入群": 300}, "channels": [{"渠道": "Mini shop"}]}


def kit_chinese(chapter) -> list[str]:
    cells = [str(v) for _, frame, _ in chapter.tables for v in localize(frame, "en").to_numpy().ravel()]
    cells += [str(c) for _, frame, _ in chapter.tables for c in localize(frame, "en").columns]
    return [s for s in [chapter.basis, *chapter.paragraphs, *cells] if CJK.search(s)]


@pytest.fixture(scope="module", params=["zh", "en"])
def run(request):
    lang = request.param
    library = plays.load_library(lang=lang)
    template = load_industry("母婴", lang)
    brief = ascii_brief()
    ctx = plays.client_context(brief, template, library=library, lang=lang)
    template = plays.fit_template(template, ctx, library=library, reminders=REMINDERS)
    team = pb.team_plan(template, headcount=3, gene="运营", lang=lang)
    return lang, brief, ctx, library, template, team


def test_the_scripts_campaign_and_compliance_chapters_speak_english_in_an_english_run(run):
    lang, brief, ctx, library, template, _ = run
    chapters = [co.scripts_and_sop(brief, ctx, library, REMINDERS, lang=lang),
                co.campaign_plan(brief, ctx, library, template, {}, lang=lang),
                co.compliance(brief, ctx, library, PATH, REMINDERS, lang=lang)]
    if lang == "en":
        assert [s for c in chapters for s in kit_chinese(c)] == []
        scripts = chapters[0].tables[0][1]
        assert list(scripts["场景"]) == ["First add", "Repurchase reminder (day 30)", "Long-cycle service", "Win-back"]
        assert scripts.iloc[0]["话术"].startswith("Hi there, this is your personal advisor from Acme Baby.")
        assert "day 3: set-up follow-up, day 30: safety check" in scripts.iloc[2]["话术"]
        assert list(chapters[1].tables[0][1]["项目"])[-2:] == ["Red-packet rain", "Total"]
        assert chapters[2].tables[0][1].iloc[2]["本计划需要"] == "The code on the parcel card stays valid"
    else:
        assert chapters[0].tables[0][1].iloc[0]["场景"] == "首次添加"
        assert chapters[0].paragraphs[-1].startswith("朋友圈按打法库默认(每天1条)排, 一周 7 条里促销 1 条")
        assert list(chapters[1].tables[0][1]["项目"])[-2:] == ["红包雨", "合计"]
        assert chapters[2].tables[0][1].iloc[2]["本计划需要"] == "包裹卡上的码长期有效"


def test_the_team_chapter_roles_and_kpis_speak_english_in_an_english_run(run):
    lang, brief, ctx, library, template, team = run
    recs = pd.DataFrame([{"owner": "社群运营", "metric": "repurchase_rate", "current": 0.2, "target": 0.3, "unit": ""}])
    mapping = co.team_mapping(brief, team, recs, lang=lang)
    sentence = co.team_sentence(brief, team, lang=lang)
    lines = co.incentive_advice(brief, team, lang=lang)
    roles, kpis = localize(team.roles, lang), localize(pb.kpi_sheet(template, team, None, lang=lang), lang)
    if lang == "en":
        assert kit_chinese(mapping) == []
        texts = [sentence, *lines, *map(str, roles.to_numpy().ravel()), *map(str, kpis.to_numpy().ravel())]
        assert [s for s in texts if CJK.search(s)] == []
        assert sentence.startswith("People today: 3, set up as a large team (3 people or more). Build order: team set-up")
        assert "Community operator" in set(roles["Role"]) and mapping.tables[0][1].iloc[0]["人员"] == "Member 1 × 1"
    else:
        assert sentence.startswith("现有 3 人, 按大团队(3人及以上)搭建。搭建顺序: 团队搭建与分工")
        assert mapping.tables[0][1].iloc[0]["人员"] == "成员1 × 1" and "社群运营" in set(roles["角色"])


def test_english_job_titles_find_their_roles_whatever_their_case():
    assert co._has("Community Manager", "community") and co._has("私域运营负责人", "负责人")


def test_the_case_boxes_are_worded_in_the_runs_language():
    template = load_industry("母婴", "zh")
    assert plays.case_boxes(template)[0].startswith("案例（母婴行业 · ")
    english = plays.case_boxes(load_industry("母婴", "en"), "en")
    assert english[0].startswith("Case (mother and baby · case article") and not CJK.search(" ".join(english))


def test_every_english_twin_in_the_play_library_keeps_the_placeholders_of_its_chinese_text():
    placeholder = re.compile(r"\{(\w+)\}")
    raw = plays.load_library()
    twinned = 0

    def walk(value):
        nonlocal twinned
        if isinstance(value, dict):
            for field, english in (value.get("en") or {}).items():
                twinned += 1
                chinese = value[field]
                assert placeholder.findall(str(english)) == placeholder.findall(str(chinese)) or \
                    set(placeholder.findall(str(english))) == set(placeholder.findall(str(chinese))), (field, english)
                assert not CJK.search(str(english)), (field, english)
            for k, v in value.items():
                if k != "en":
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(raw)
    assert twinned > 60
    english = plays.load_library(lang="en")
    assert english["plays"]["moments"][0]["day"] == "Mon" and "en" not in english["plays"]["moments"][0]
    assert english["plays"]["moments"][0]["kind"] == "干货"  # a key the code matches on stays as written
