"""The executive summary and the target-first plan's words in the run's language: English in an English
run, the Chinese report's sentences as they were."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest
from english import CJK
from test_target import FOUR_MONTHS, orders  # Jan–Mar 2026 at ¥100 a month, April half covered

from diag.areas.benchmark import benchmark_gaps
from diag.brief.model import Goals
from diag.strategy import costing, ranking, spine
from diag.strategy import flags as fl
from diag.strategy import target as tg
from diag.strategy.funnel import funnel_plan

BENCH = {"repurchase_rate": {"low": 0.3, "high": 0.5, "unit": "share"},
         "aov": {"low": 100, "high": 200, "unit": "yuan"},
         "group_conversion": {"low": 0.04, "high": 0.06, "unit": "share"}}


def evaluation(gmv_target: float = 3_000, months: int = 3) -> spine.Evaluation:
    """A client three whole months long, AOV ¥75 and repurchase 20%, both below their ranges."""
    base = tg.baseline(FOUR_MONTHS, dt.date(2026, 4, 1), months)
    target = tg.target_summary(Goals(gmv_target=gmv_target, timeline_months=months), base)
    gaps = benchmark_gaps({"repurchase_rate": 0.2, "aov": 75.0}, {"benchmarks": BENCH}, gmv=300, customers=3,
                          orders=4, group_members=None)
    opps = ranking.opportunities(gaps, scale=base.gmv / 300)
    tree = tg.kpi_tree(base, target, reachable=30, benchmarks=BENCH, driver_gaps=ranking.driver_gaps(opps))
    return spine.Evaluation(base, target, [], gaps, opps, base.gmv / 300, tree)


def plan(ev: spine.Evaluation, budget: float | None = 20_000) -> spine.Plan:
    """Two actions the client's team wrote in English, costed, with a cover of 10% of the gap."""
    actions = pd.DataFrame([
        {"priority": 1, "action": "Send a restock DM", "owner": "Ops lead", "start_window": "30天", "cost": 2_600.0,
         "uplift": 150.0},
        {"priority": 2, "action": "Weekly live Q&A", "owner": "Advisor", "start_window": "60天", "cost": 1_300.0,
         "uplift": None},
    ])
    gap = ev.target["gap"]
    cover = {"gain": 270.0, "covered": 270.0, "remaining": gap - 270.0, "share": 270.0 / gap}
    return spine.Plan(actions, actions.iloc[0:0], costing.budget_check(actions, budget), 80.0, "", cover)


def no_chinese(texts):
    return [t for t in texts if CJK.search(str(t))]


# -- the executive summary ---------------------------------------------------------------------
def test_the_costliest_causes_speak_english_with_catalogue_names_and_yuan():
    ev = evaluation()
    causes = spine.causes(ev, lang="en")
    assert no_chinese(causes) == []
    assert causes[0].startswith("Average order value ¥75, below the industry range ¥100–¥200: about ¥")
    assert any(c.startswith("Repurchase rate 20.0%, below the industry range 30.0%–50.0%") for c in causes)


def test_the_costliest_causes_in_chinese_read_as_before():
    causes = spine.causes(evaluation())
    assert causes[0].startswith("客单价 ¥75，低于行业区间 ¥100–¥200：3 个月少了约 ¥") and causes[0].endswith("GMV。")


def test_the_plan_cover_and_the_budget_make_two_english_sentences():
    ev = evaluation()
    p = plan(ev)
    text = spine.plan_sentences(p, ev, lang="en")
    assert no_chinese([text]) == []
    assert text.startswith("With every action of the plan at its target, GMV grows by about ¥270 over 3 months, 10%")
    assert "the remaining ¥2,430 needs reachable people raised from 30 to about" in text
    assert text.endswith("The plan costs about ¥3,900 over 3 months, within the budget of ¥20,000 (¥16,100 left).")


def test_the_plan_cover_and_the_budget_in_chinese_read_as_before():
    ev = evaluation()
    p = plan(ev)
    assert spine.plan_sentences(p, ev) == (
        spine.cover_sentence(p, ev) + "计划 3 个月的总投入约 ¥3,900, 在预算 ¥20,000 之内(余 ¥16,100)。")
    assert spine.cover_sentence(p, ev).startswith("计划中的行动全部达成时, 3 个月可增加 GMV 约 ¥270, 覆盖目标缺口的 10%; "
                                                  "余下 ¥2,430 需要可触达用户数从 30 提高到约")


def test_a_budget_missing_or_overrun_is_said_in_english():
    ev = evaluation()
    assert costing.budget_sentence(plan(ev, None).budget, 3, lang="en") == (
        "The plan costs about ¥3,900 over 3 months; the brief gives no budget, please confirm the amount "
        "available (see the questions to confirm).")
    over = costing.budget_sentence(plan(ev, 3_000).budget, 3, lang="en")
    assert "¥900 over the budget of ¥3,000: by priority, actions 2 fall outside it" in over


def test_the_first_actions_table_has_english_headers_and_keeps_the_clients_actions():
    table = spine.first_actions(plan(evaluation()), dt.date(2026, 12, 7), lang="en")
    assert list(table.columns) == ["Priority", "Action", "Owner", "Start date", "Cost", "Expected increment"]
    assert table.iloc[1].tolist() == [2, "Weekly live Q&A", "Advisor", "2027-01-06", "¥1,300", "—"]
    chinese = spine.first_actions(plan(evaluation()), dt.date(2026, 12, 7))
    assert list(chinese.columns) == ["优先级", "行动", "负责人", "开始日期", "成本", "预计增量"]


# -- target, baseline and KPI tree -------------------------------------------------------------
def test_a_scaled_baseline_is_noted_in_english_and_in_chinese_as_before():
    base = tg.baseline(FOUR_MONTHS, dt.date(2026, 4, 15), 6)
    target = tg.target_summary(Goals(gmv_target=900, timeline_months=6), base)
    assert base.note == "数据只有 3 个完整月（2026-01～2026-03），基线按其月均 GMV × 6 个月折算"
    assert tg.baseline_note(target, "en") == ("the data hold only 3 whole months (2026-01 to 2026-03); the baseline "
                                             "is their monthly mean GMV × 6 months")
    sentence = tg.target_sentence(target, "en")
    assert no_chinese([sentence]) == [] and "(the data hold only 3 whole months" in sentence


def test_a_whole_or_a_days_baseline_is_noted_in_english():
    whole = tg.target_summary(Goals(), tg.baseline(FOUR_MONTHS, dt.date(2026, 4, 1), 3))
    assert whole["baseline_note"] == "基线取 2026-01～2026-03 共 3 个完整月的 GMV"
    assert tg.baseline_note(whole, "en") == "the GMV of the 3 whole months 2026-01 to 2026-03"
    short = orders([("o1", "a", "2026-01-05", 100), ("o2", "b", "2026-01-14", 100)])
    days = tg.target_summary(Goals(), tg.baseline(short, dt.date(2026, 1, 15), 1))
    assert tg.baseline_note(days, "en") == ("the data hold less than one whole month (10 days); the baseline is their "
                                           "daily mean GMV × 1 months")


def test_the_target_questions_are_english_in_an_english_run():
    base = tg.baseline(FOUR_MONTHS, dt.date(2026, 4, 1), 3)
    missing = tg.target_question(tg.target_summary(Goals(), base), "en")
    met = tg.target_question(tg.target_summary(Goals(gmv_target=250, timeline_months=3), base), "en")
    assert no_chinese(list(missing.values()) + list(met.values())) == []
    assert missing["priority"] == "high" and met["finding"].startswith("The target of ¥250 is no higher than")
    assert tg.target_question(tg.target_summary(Goals(), base))["priority"] == "高"


def test_the_kpi_tree_names_its_drivers_from_the_metric_catalogue_in_both_languages():
    tree = evaluation().tree
    english = tg.kpi_tree_display(tree, "en")
    assert list(english.columns) == ["Driver", "Today", "Needed alone to close the gap", "Industry range",
                                     "GMV lost below the industry range"]
    assert english["Driver"].tolist() == ["Reachable people", "Purchase conversion", "Baseline orders per buyer",
                                          "Average order value", "of which New-customer GMV",
                                          "of which Returning-customer GMV"]
    assert no_chinese(english.to_numpy().ravel()) == []
    chinese = tg.kpi_tree_display(tree)
    assert chinese["驱动因素"].tolist() == ["可触达用户数", "购买转化率", "人均订单数", "客单价", "其中 新客 GMV",
                                        "其中 老客 GMV"]


# -- opportunities, costing, funnel ------------------------------------------------------------
def test_the_opportunity_table_speaks_english_in_an_english_run():
    ev = evaluation()
    table = ranking.opportunities_display(ev.opportunities, 3, lang="en")
    assert list(table.columns)[:5] == ["Rank", "Metric", "Measured", "Industry range", "Basis"]
    assert table["Metric"].tolist() == ["Average order value", "Repurchase rate"]
    assert set(table["Basis"]) == {"Behind the industry range"}
    assert no_chinese(table.to_numpy().ravel()) == []
    chinese = ranking.opportunities_display(ev.opportunities, 3)
    assert chinese["指标"].tolist() == ["客单价", "复购率"] and "3个月GMV机会" in chinese.columns


def test_the_cost_basis_is_english_in_an_english_run():
    sentence = costing.cost_basis(80, True, 3, True, "en")
    assert no_chinese([sentence]) == []
    assert "16 / 40 / 80 hours (low / medium / high)" in sentence and "× ¥80 an hour (from the brief)" in sentence
    assert sentence.endswith("A team of 3, each able to give new actions about 80 hours a month.")
    assert costing.cost_basis(50, False, 1, False).startswith("成本口径: 人工按投入等级启动当月 16 / 40 / 80 小时")


def test_the_funnel_basis_and_target_are_english_in_an_english_run():
    funnel = SimpleNamespace(reachable=5_000, invite_success=None, purchase_intent=None)
    goals = SimpleNamespace(timeline_months=12, new_customers_target=1_200, gmv_target=None)
    english = funnel_plan(funnel, goals, aov=100, invite_success=0.2, lang="en")
    assert english.basis == ("adjusted live: invitation success 20.0%; from the brief: people reachable 5,000; "
                             "not in the brief, example values for now: purchase intent 4.0%, to be confirmed "
                             "with the client.")
    assert english.target_text == "the first 90 days' share of the target of 1,200 new customers (12 months): 300"
    chinese = funnel_plan(funnel, goals, aov=100, invite_success=0.2)
    assert chinese.target_text == "目标新客 1,200 人 (12个月) 中前90天的份额 300 人"
    assert chinese.basis.startswith("现场调整: 邀约入群率 20.0%; 来自需求澄清表: 可触达人数 5,000")


# -- flags -------------------------------------------------------------------------------------
def test_every_kind_of_flag_is_worded_in_english_with_catalogue_names():
    metric = fl.metric_flags({"group_conversion": 0.521, "repurchase_rate": 1.2}, BENCH)
    table = pd.DataFrame({"customer_id": ["c0", "c1", "c2"], "frequency": [2, 2, 2], "p_alive": [1.0, 1.0, 1.0],
                          "expected_value_90d": [200, 201, 202], "clv_90d": [3.0, 2.0, 1.0]})
    fit = fl.fit_flags(table, {"a": 5e-06})
    funnel = fl.funnel_flags(pd.DataFrame({"stage": ["group", "first_order"], "label": ["入群", "首购"],
                                           "count": [500.0, 1_200.0], "conversion": [float("nan"), 2.4],
                                           "source": ["澄清表", "订单"]}))
    flags = metric + fit + funnel
    assert len(flags) == 5
    words = [fl.flag_words(f, "en") for f in flags]
    assert no_chinese([v for w in words for v in w.values()]) == []
    by_label = {w["label"]: w for w in words}
    assert by_label["Community conversion"]["reason"] == (
        "measured 52.1%, more than 3 times the industry range's upper end 6.0% (range 4.0%–6.0%)")
    assert by_label["Repurchase rate"]["reason"] == "cannot exceed 100% by definition; measured 120.0%"
    assert "1 shape parameters near their lower bound" in by_label["Probability still active (model)"]["reason"]
    assert by_label["Joined a group → First purchase conversion"]["reason"] == (
        "First purchase: 1,200 people (orders), more than Joined a group: 500 people (intake form); "
        "a conversion of 240% exceeds 100%")
    shown = fl.flags_display(flags, "en")
    assert list(shown.columns) == ["Metric", "Value", "Why to verify", "Data used", "Question to confirm"]
    assert no_chinese(shown.to_numpy().ravel()) == []


def test_the_flags_in_chinese_keep_their_own_words():
    flags = fl.metric_flags({"group_conversion": 0.521}, BENCH)
    shown = fl.flags_display(flags)
    assert shown.iloc[0].tolist() == [flags[0]["label"], flags[0]["shown"], flags[0]["reason"], flags[0]["inputs"],
                                      flags[0]["question"]]
    assert flags[0]["reason"] == "实测 52.1%，超过行业区间上限 6.0% 的 3 倍（区间 4.0%–6.0%）"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_flag_given_without_a_kind_keeps_its_words(lang):
    given = {"metric": "x", "label": "Custom", "value": 2.0, "reason": "why", "question": "ask?"}
    assert fl.flag_words(given, lang) == {"label": "Custom", "shown": "2.00", "reason": "why", "inputs": "",
                                          "question": "ask?"}
