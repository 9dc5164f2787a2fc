"""The strategy playbook: rules from templates, team, target funnel, roadmap, scenarios, notebook."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
from fractions import Fraction
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from diag import paths
from diag.areas.benchmark import benchmark_gaps
from diag.areas.gmv import annual_frequency
from diag.errors import UsageError
from diag.industries.registry import load_industry
from diag.strategy import playbook as pb

# Every metric far behind any industry's range, so every metric rule can fire.
BEHIND = {"aov": 1.0, "orders_per_customer": 1.0, "repurchase_rate": 0.01, "repurchase_rate_90d": 0.01,
          "median_repurchase_days": 4000.0, "group_conversion": 0.001, "add_rate": 0.001,
          "friend_accept_rate": 0.01, "member_activity": 0.01, "k_factor": 0.0}
CONTEXT = {"gmv": 100_000.0, "customers": 500, "orders": 800, "group_members": 1000}


def plan_for(key: str, measured: dict | None = None, **kwargs) -> pd.DataFrame:
    template = load_industry(key)
    gaps = benchmark_gaps(measured or BEHIND, template, **CONTEXT)
    return pb.recommend(gaps, template, **kwargs)


# -- recommendations --------------------------------------------------------------------------

def test_different_quadrants_get_visibly_different_plans():
    frequent, infrequent, niche = (set(plan_for(k)["rule"]) for k in ("餐饮", "家居软装", "品牌消费品"))
    assert "转化-高频秒杀拼团" in frequent and "转化-1对1顾问" not in frequent
    assert {"转化-1对1顾问", "转化-充值升单", "裂变-转介绍"} <= infrequent and "转化-高频秒杀拼团" not in infrequent
    assert "转化-团长KOL" in niche and not ({"转化-高频秒杀拼团", "转化-1对1顾问"} & niche)
    top = {k: tuple(plan_for(k)["action"].head(5)) for k in ("餐饮", "家居软装", "品牌消费品")}
    assert len(set(top.values())) == 3


def test_each_recommendation_names_problem_action_metric_owner_effort_and_timing():
    recs = plan_for("母婴")
    assert list(recs["priority"]) == list(range(1, len(recs) + 1))
    row = recs[recs["rule"] == "复购-周期提醒"].iloc[0]
    assert "复购率实测 1.0%" in row["problem"] and "30.0%–50.0%" in row["problem"]
    assert row["metric"] == "repurchase_rate" and row["target"] == pytest.approx(0.4)
    assert row["owner"] == "社群运营" and row["effort"] == "低" and row["timing"] == "30天"
    assert row["uplift"] > 0
    assert set(recs["area"]) >= {"引流", "留存", "转化", "复购", "裂变", "复制"}


def test_repurchase_reminders_are_timed_to_the_measured_cycle():
    measured = {**BEHIND, "median_repurchase_days": 40.0}
    action = plan_for("母婴", measured).set_index("rule").loc["复购-周期提醒", "action"]
    assert "复购周期40天" in action and "第32天" in action and "第40天" in action and "第60天" in action
    assert pb.reminder_days(40) == (32, 40, 60)


def test_without_a_measured_cycle_the_briefs_cycle_then_the_templates_is_used():
    measured = {k: v for k, v in BEHIND.items() if k != "median_repurchase_days"}
    assert "复购周期10天" in plan_for("母婴", measured, cycle_days=10).set_index("rule").loc["复购-周期提醒", "action"]
    assert "复购周期32天" in plan_for("母婴", measured).set_index("rule").loc["复购-周期提醒", "action"]  # (20+45)/2


def test_a_plan_never_aims_below_where_a_metric_already_is():
    ahead = {**BEHIND, "repurchase_rate": 0.45}  # inside 30–50%, past the middle
    row = plan_for("母婴", ahead).set_index("rule").loc["复购-周期提醒"]
    assert row["target"] == pytest.approx(0.45) and row["uplift"] == 0
    quick = {**BEHIND, "avg_reply_minutes": 1.0}
    assert "留存-回复时长" not in set(plan_for("母婴", quick)["rule"])


def test_fission_carries_a_k_factor_target_from_the_template():
    action = plan_for("母婴").set_index("rule").loc["裂变-K因子", "action"]
    assert "K因子目标 0.25" in action  # middle of 0.15–0.35


def test_a_metric_within_its_range_does_not_fire_a_rule_for_falling_behind():
    fine = {**BEHIND, "member_activity": 0.2}
    assert "留存-群活跃" in set(plan_for("餐饮")["rule"])
    assert "留存-群活跃" not in set(plan_for("餐饮", fine)["rule"])


ORDERS_ONLY = {"aov": 1.0, "orders_per_customer": 1.0, "repurchase_rate": 0.01, "repurchase_rate_90d": 0.01,
               "median_repurchase_days": 4000.0}  # what the orders give; no WeCom statistics


@pytest.mark.parametrize("key", ("餐饮", "产康", "商超连锁", "母婴", "美妆护肤", "食品大健康", "家居软装", "品牌消费品"))
def test_a_client_without_wecom_data_gets_an_activation_sop_and_is_asked_to_collect_the_statistics(key):
    retention = plan_for(key, ORDERS_ONLY).query("area == '留存'")
    assert len(retention) == 1
    row = retention.iloc[0]
    assert "欢迎语" in row["action"] and "群规" in row["action"] and "群聊数据统计" in row["action"]
    assert "20:00–22:00" in row["action"]  # the attention window filled in
    assert "尚无数据" in row["problem"]
    assert row["owner"] and row["effort"] == "低" and row["timing"] == "30天"
    measured = {**ORDERS_ONLY, "member_activity": 0.2}
    assert not (plan_for(key, measured)["rule"] == row["rule"]).any()


def test_the_rules_live_in_the_template_data():
    template = copy.deepcopy(load_industry("餐饮"))
    template["rules"].append({"id": "自定义-外卖", "when": {"metric": "aov", "status": ["低于"]}, "area": "转化",
                              "action": "外卖套餐提价到满减门槛之上", "owner": "产品讲解", "effort": "低",
                              "timing": "30天", "moves": {"metric": "aov", "to": "low"}, "weight": 5})
    gaps = benchmark_gaps(BEHIND, template, **CONTEXT)
    first = pb.recommend(gaps, template).iloc[0]
    assert first["rule"] == "自定义-外卖" and first["target"] == 60  # the range's low end


def test_the_team_gene_shifts_which_metrics_the_plan_emphasises():
    traffic, operations = plan_for("母婴", gene="流量"), plan_for("母婴", gene="运营")
    assert set(traffic[traffic["emphasised"]]["area"]) <= {"引流", "转化", "裂变", "留存", "复购", "复制"}
    top_traffic, top_ops = traffic.head(4), operations.head(4)
    assert (top_traffic["area"].isin(["引流", "转化"])).sum() > (top_ops["area"].isin(["引流", "转化"])).sum()
    assert (top_ops["area"].isin(["留存", "复购"])).sum() > (top_traffic["area"].isin(["留存", "复购"])).sum()


def test_the_display_table_is_in_chinese_with_money_and_shares_formatted():
    shown = pb.recommendations_display(plan_for("母婴"))
    assert list(shown.columns) == ["优先级", "领域", "问题", "行动", "目标指标", "目标", "预计GMV增量", "负责人", "投入", "时间"]
    assert shown["预计GMV增量"].str.startswith(("¥", "—")).all()
    assert (shown["目标"] == "1.0% → 40.0%").any()


# -- team and KPIs ----------------------------------------------------------------------------

@pytest.mark.parametrize("headcount, size", [(1, "small"), (2, "small"), (3, "large"), (9, "large"), (None, "small")])
def test_the_briefs_headcount_picks_the_small_or_large_team_template(headcount, size):
    team = pb.team_plan(load_industry("母婴"), headcount=headcount)
    assert team.size == size
    assert team.build_order[0] == ("人设(IP)" if size == "small" else "团队搭建与分工")


def test_the_large_team_has_every_role_with_responsibility_authority_and_benefit():
    team = pb.team_plan(load_industry("产康"), headcount=5, gene="增长")
    assert {"总PM", "产品讲解", "行业分享者", "氛围组", "顾问/客服"} <= set(team.roles["角色"])
    assert {"责(职责)", "权(权限)", "利(利益)", "KPI", "激励"} <= set(team.roles.columns)
    assert "产后康复师" in " ".join(team.roles["责(职责)"])
    assert {"奖金池", "底薪加提成"} <= set(team.incentives)
    assert len(pb.team_plan(load_industry("产康"), headcount=1).roles) < len(team.roles)


def test_the_kpi_sheet_stars_and_leads_with_the_genes_metrics():
    template = load_industry("餐饮")
    gaps = benchmark_gaps(BEHIND, template, **CONTEXT)
    growth = pb.kpi_sheet(template, pb.team_plan(template, headcount=4, gene="增长"), gaps)
    assert growth.iloc[0]["KPI"] == "K因子" and growth.iloc[0]["重点"] == "★"
    ops = pb.kpi_sheet(template, pb.team_plan(template, headcount=4, gene="运营"), gaps)
    assert set(ops[ops["重点"] == "★"]["KPI"]) == {"群活跃率", "复购率"}
    assert ops.set_index("KPI").loc["复购率", "当前"] == "1.0%"


INDUSTRIES = ("餐饮", "产康", "商超连锁", "母婴", "美妆护肤", "食品大健康", "家居软装", "品牌消费品")


@pytest.mark.parametrize("key", INDUSTRIES)
@pytest.mark.parametrize("headcount", [1, 5])
def test_every_owner_the_plan_names_is_a_role_in_the_teams_table(key, headcount):
    template = load_industry(key)
    team = pb.team_plan(template, headcount=headcount)
    in_team = set(team.roles["角色"])
    gaps = benchmark_gaps(BEHIND, template, **CONTEXT)
    recs = pb.recommend(gaps, template, team=team)
    plan = pb.roadmap(template, recs, start=dt.date(2026, 1, 5), team=team)
    named = set(recs["owner"]) | set(plan["owner"]) | set(pb.kpi_sheet(template, team, gaps)["负责人"])
    assert named <= in_team, named - in_team
    if headcount == 1:  # the template's rules do name roles a small team lacks; they are covered
        assert {r["owner"] for r in template["rules"]} - in_team


def test_a_small_team_table_says_which_roles_each_member_covers():
    team = pb.team_plan(load_industry("家居软装"), headcount=1)
    covers = team.roles.set_index("角色")["兼任"]
    assert "产品讲解" in covers["顾问/客服"] and "内容运营" in covers["社群运营"]
    assert team.owner("产品讲解") == "顾问/客服" and team.owner("总PM") == "总PM"
    assert pb.team_plan(load_industry("家居软装"), headcount=4).owner("产品讲解") == "产品讲解"


def test_an_unknown_gene_is_refused_with_the_known_ones():
    with pytest.raises(UsageError, match="known: 流量, 增长, 运营"):
        pb.team_plan(load_industry("餐饮"), gene="销售")


# -- target funnel ----------------------------------------------------------------------------

def test_the_funnel_forward_gives_exactly_twenty_conversions_from_five_thousand():
    forward = pb.funnel_forward(5000, 0.1, 0.04, aov=3000)
    assert list(forward["人数"]) == [5000, 500, 20]  # exact, not 19.999…
    assert forward["GMV"].iloc[-1] == 60_000


def test_the_funnel_inverse_gives_exactly_five_thousand_for_twenty_sales():
    inverse = pb.funnel_inverse(invite_success=0.1, purchase_intent=0.04, sales=20)
    assert (inverse.sales, inverse.in_group, inverse.reachable) == (20, 500, 5000)


def test_the_funnel_inverse_rounds_up_to_whole_people_for_a_gmv_target():
    # ¥100,000 at ¥3,000 → 34 sales; ÷ 4% = 850 in groups; ÷ 1:10 = 8,500 reached
    inverse = pb.funnel_inverse(invite_success=0.1, purchase_intent=0.04, gmv=100_000, aov=3000)
    assert (inverse.sales, inverse.in_group, inverse.reachable) == (34, 850, 8500)
    # 21 sales at 3% → 700 in groups exactly; at an exact 1:3 invitation rate → 2,100 reached
    assert pb.funnel_inverse(invite_success=Fraction(1, 3), purchase_intent=0.03, sales=21).reachable == 2100


def test_the_funnel_refuses_impossible_rates_and_ambiguous_targets():
    with pytest.raises(UsageError):
        pb.funnel_forward(5000, 1.5, 0.04)
    with pytest.raises(UsageError):
        pb.funnel_inverse(invite_success=0.1, purchase_intent=0.0, sales=20)
    with pytest.raises(UsageError):
        pb.funnel_inverse(invite_success=0.1, purchase_intent=0.04, sales=20, gmv=1000, aov=10)


def test_the_funnel_plan_uses_the_briefs_rates_and_the_goals_share_of_ninety_days():
    funnel = SimpleNamespace(reachable=5000, invite_success=0.1, purchase_intent=0.04)
    goals = SimpleNamespace(new_customers_target=None, gmv_target=1_200_000, timeline_months=12)
    plan = pb.funnel_plan(funnel, goals, aov=3000)
    assert plan.rates_from_brief and list(plan.forward["人数"]) == [5000, 500, 20]
    assert plan.inverse.sales == 100  # ¥300,000 (3 of 12 months) ÷ ¥3,000
    empty = SimpleNamespace(reachable=None, invite_success=None, purchase_intent=None)
    example = pb.funnel_plan(empty, SimpleNamespace(), aov=100)
    assert not example.rates_from_brief and example.inverse is None and example.forward["人数"].iloc[-1] == 20


def test_live_inputs_override_the_briefs_funnel_one_by_one_and_say_so():
    funnel = SimpleNamespace(reachable=5000, invite_success=0.1, purchase_intent=0.04)
    goals = SimpleNamespace(new_customers_target=None, gmv_target=1_200_000, timeline_months=12)
    plan = pb.funnel_plan(funnel, goals, aov=3000, invite_success=0.2)
    assert list(plan.forward["人数"]) == [5000, 1000, 40]
    assert not plan.rates_from_brief and plan.sources["invite_success"] == "现场调整"
    assert "现场调整: 邀约入群率 20.0%" in plan.basis and "来自需求澄清表: 可触达人数 5,000" in plan.basis
    assert plan.inverse.in_group == 100 * 25 and plan.inverse.reachable == 2500 * 5  # 100 sales at 1:5 and 4%


def test_a_live_target_replaces_the_goals_share_for_the_plans_ninety_days():
    funnel = SimpleNamespace(reachable=5000, invite_success=0.1, purchase_intent=0.04)
    goals = SimpleNamespace(new_customers_target=8000, gmv_target=None, timeline_months=6)
    by_sales = pb.funnel_plan(funnel, goals, aov=100, target_sales=20)
    assert (by_sales.inverse.sales, by_sales.inverse.reachable) == (20, 5000) and "现场目标" in by_sales.target_text
    by_gmv = pb.funnel_plan(funnel, goals, aov=100, target_gmv=3_000)
    assert by_gmv.inverse.sales == 30 and by_gmv.rates_from_brief
    with pytest.raises(UsageError) as info:
        pb.funnel_plan(funnel, goals, aov=100, target_sales=20, target_gmv=3_000)
    assert info.value.where == "target_sales / target_gmv"
    with pytest.raises(UsageError) as info:
        pb.funnel_plan(funnel, goals, aov=100, purchase_intent=4)  # 4, not 4%
    assert info.value.where == "funnel_purchase_intent"


def test_a_rate_missing_from_the_brief_falls_back_to_the_example_alone():
    partial = SimpleNamespace(reachable=20_000, invite_success=None, purchase_intent=None)
    plan = pb.funnel_plan(partial, SimpleNamespace(), aov=100)
    assert list(plan.forward["人数"]) == [20_000, 2_000, 80]  # the brief's reach, the example's rates
    assert plan.sources == {"reachable": "需求澄清表", "invite_success": "示例", "purchase_intent": "示例"}
    assert "请与客户确认" in plan.basis


# -- roadmap and scenarios ----------------------------------------------------------------------

def test_the_roadmap_runs_the_sop_phases_in_order_within_ninety_days_with_owners_and_milestones():
    template = load_industry("母婴")
    start = dt.date(2026, 1, 5)
    plan = pb.roadmap(template, plan_for("母婴"), start=start)
    sop = plan[plan["stream"] == "社群SOP"]
    assert [t.split("·")[1] for t in sop["task"]] == ["引流", "起群", "促活", "转化", "长期运营"]
    assert plan["start"].min() == start and plan["end"].max() == start + dt.timedelta(days=89)
    assert plan["owner"].str.len().gt(0).all()
    milestones = plan[plan["milestone"]]
    for day in (30, 60, 90):
        assert (milestones["start"] == start + dt.timedelta(days=day - 1)).any()
    assert {"活动", "行动"} <= set(plan["stream"])
    assert set(plan["window"]) == {"30天", "60天", "90天"}


def test_the_roadmap_keeps_the_best_action_of_every_area_and_window_beyond_the_top_eight():
    template = load_industry("母婴")
    recs = plan_for("母婴")
    assert len(recs) > 8 and set(recs.head(8)["area"]) < set(recs["area"])  # the top 8 alone miss areas
    actions = pb.roadmap(template, recs, start=dt.date(2026, 1, 5)).query("stream == '行动'")
    scheduled = set(actions["detail"])
    for column in ("area", "timing"):
        for _, best in recs.groupby(column, sort=False):
            assert best.iloc[0]["action"] in scheduled, best.iloc[0]["rule"]
    assert set(recs.head(8)["action"]) <= scheduled
    rules = set(recs.loc[recs["action"].isin(scheduled), "rule"])
    assert {"裂变-K因子", "复制-SOP手册"} <= rules  # fission and the SOP manual are in the 30/60/90 plan


def recs_table(*rows: tuple) -> pd.DataFrame:
    """Return hand-made recommendations: (metric, current, target, uplift, unit) per row, best first."""
    frame = pd.DataFrame(rows, columns=["metric", "current", "target", "uplift", "unit"])
    return frame.assign(priority=range(1, len(frame) + 1))


def test_scenarios_count_only_what_the_plan_targets_largest_per_driver_and_multiply_the_drivers():
    recs = recs_table(("aov", 100.0, 120.0, 20_000.0, "yuan"),
                      ("repurchase_rate", 0.2, 0.3, 10_000.0, "share"),
                      ("orders_per_customer", 1.5, 2.0, 30_000.0, "count"),
                      ("member_activity", 0.05, 0.2, None, "share"),   # no GMV path
                      ("", None, None, None, ""))                      # an SOP manual: no metric
    table = pb.gmv_scenarios(recs, 100_000).set_index("情景")
    for name, a in pb.ATTAINMENT.items():
        expected = 100_000 * (1 + a * 20_000 / 100_000) * (1 + a * 30_000 / 100_000)
        assert table.loc[name, "预计GMV"] == pytest.approx(expected)
        assert table.loc[name, "目标达成度"] == a
    assert table.loc["保守", "预计GMV"] < table.loc["基准", "预计GMV"] < table.loc["乐观", "预计GMV"]
    base = table.loc["基准", "假设"]
    assert "人均订单数 1.50 → 2.00" in base and "客单价 ¥100 → ¥120" in base and "达成100%" in base
    assert "复购率" not in base and "群成员活跃率" not in base
    assert "人均订单数 1.50 → 1.75" in table.loc["保守", "假设"]  # halfway


def test_a_stretch_scenario_never_pushes_a_share_past_one_hundred_percent():
    recs = recs_table(("group_conversion", 0.5, 0.9, 8_000.0, "share"))
    table = pb.gmv_scenarios(recs, 100_000).set_index("情景")
    assert table.loc["乐观", "增量"] == pytest.approx(8_000 * (1 - 0.5) / (0.9 - 0.5))
    assert "→ 100.0%" in table.loc["乐观", "假设"]
    assert table.loc["基准", "增量"] < table.loc["乐观", "增量"]


def test_a_gap_no_recommendation_acts_on_adds_nothing_to_the_scenarios():
    template = load_industry("餐饮")
    # AOV and orders per customer inside their ranges, short of the middle; 90-day repurchase behind
    measured = {"aov": 71.0, "orders_per_customer": 2.4, "repurchase_rate": 0.38, "repurchase_rate_90d": 0.2,
                "median_repurchase_days": 17.0}
    gaps = benchmark_gaps(measured, template, gmv=2_250_000, customers=13_000, orders=31_600)
    assert gaps.set_index("metric").loc["aov", "uplift"] > 0  # the gap is there …
    recs = pb.recommend(gaps, template)
    assert "aov" not in set(recs["metric"])                     # … but no rule acts on it
    table = pb.gmv_scenarios(recs, 2_250_000).set_index("情景")
    acted = recs[recs["metric"].isin(list(pb.DRIVERS)) & (recs["uplift"].fillna(0) > 0)]
    assert table.loc["基准", "增量"] == pytest.approx(acted["uplift"].max())  # one driver: 购买频次
    assert not table["假设"].str.contains("客单价|人均订单数").any()


def test_a_plan_without_a_gmv_path_keeps_todays_gmv_in_every_scenario():
    table = pb.gmv_scenarios(recs_table(("member_activity", 0.05, 0.2, None, "share")), 50_000)
    assert (table["预计GMV"] == 50_000).all() and table["假设"].str.contains("维持现状").all()


def test_talking_points_name_the_biggest_gap_and_the_store_type():
    template = load_industry("家居软装")
    gaps = benchmark_gaps(BEHIND, template, **CONTEXT)
    recs = pb.recommend(gaps, template)
    team = pb.team_plan(template, headcount=2, gene="流量")
    points = pb.talking_points(gaps, recs, team, pb.gmv_scenarios(recs, 100_000), store_type="刚需低频")
    text = "\n".join(points)
    assert "运营上最大的短板" in text and "刚需低频" in text and "小团队" in text and "基准情景" in text
    assert "客单价低于行业区间" in text and "最大的短板是客单价" not in text


def test_the_strategy_names_wecom_statistics_only_when_rows_were_read():
    from diag.areas import scene
    from diag.readers import wecom

    metrics = {"first_date": "2025-01-01", "last_date": "2025-06-30", "orders": 1200, "customers": 800}
    assert any(v is None for v in scene.wecom_summary(None, None).values())  # a summary of nothing is still a dict
    without = pb.data_basis(metrics, "餐饮")
    assert "企业微信" in without and "未提供企业微信统计" in without and "1,200 笔有效订单" in without
    groups = wecom.read_group_stats(paths.ROOT / "tests" / "data" / "wecom" / "groups_zh.csv")
    assert "及企业微信群聊数据统计" in pb.data_basis(metrics, "餐饮", groups=groups)
    assert "及企业微信" not in pb.data_basis(metrics, "餐饮", contacts=groups.iloc[0:0], groups=None)
    assert pb.wecom_read(groups, groups) == ["联系客户统计", "群聊数据统计"]


def test_measured_metrics_keeps_only_the_vocabulary_and_lets_extra_sources_fill_in():
    got = pb.measured_metrics({"aov": 10, "gmv": 5, "rfm_segments": {}, "repurchase_rate": None},
                              {"group_conversion": 0.1, "note": "x"})
    assert got == {"aov": 10.0, "group_conversion": 0.1}
    assert annual_frequency({"orders_per_customer": 2, "first_date": "2025-01-01",
                                "last_date": "2025-06-30"}) == pytest.approx(2 * 365 / 181)


# -- the strategy notebook, headless ----------------------------------------------------------

ORDERS = """订单号,买家手机号,支付时间,实付金额,订单状态
A1,13800000001,2025-01-05 10:00,120,交易成功
A2,13800000001,2025-02-10 11:00,150,交易成功
A3,13800000002,2025-01-20 12:00,90,交易成功
A4,13800000003,2025-02-01 09:00,200,交易成功
A5,13800000003,2025-03-15 20:00,180,交易成功
A6,13800000004,2025-03-20 21:00,60,已关闭
A7,13800000005,2025-03-28 21:30,110,交易成功
"""


@pytest.mark.slow
@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("diag.readers.orders", "diag.areas.metrics")),
                    reason="the orders reader / metrics are not written yet")
def test_the_strategy_notebook_runs_headless_and_records_the_plan(tmp_path):
    from PIL import Image

    papermill = pytest.importorskip("papermill")
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    brief = {"client": {"name": "测试母婴", "industry": "母婴"}, "team": {"headcount": 2, "gene": "运营"},
             "assets": {"group_members": 300}, "goals": {"gmv_target": 120000, "timeline_months": 12,
                                                         "budget": 50000, "tasks": ["提升复购"],
                                                         "constraints": "不做短信群发"},
             "data": {"orders": "orders.csv"}}
    brief_path = tmp_path / "brief.yaml"
    brief_path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    run_dir = tmp_path / "run"
    papermill.execute_notebook(str(paths.NOTEBOOKS / "04_strategy.ipynb"), str(tmp_path / "out.ipynb"),
                               parameters={"brief_path": str(brief_path), "run_dir": str(run_dir), "lang": "zh",
                                           "funnel_invite_success": 0.2, "target_sales": 30},  # live inputs
                               cwd=str(paths.ROOT), progress_bar=False, kernel_name="python3")
    part = json.loads((run_dir / "results" / "strategy.json").read_text(encoding="utf-8"))
    assert part["title"] == "策略与行动计划"
    tables = {b["key"] for b in part["blocks"] if b["kind"] == "table"}
    assert {"strategy_gaps", "strategy_recommendations", "strategy_roles", "strategy_kpis",
            "strategy_roadmap", "strategy_scenarios", "strategy_funnel_inverse"} <= tables
    for key in ("strategy_gantt", "strategy_target_funnel", "strategy_scenarios"):
        with Image.open(run_dir / "figures" / f"{key}.png") as image:   # a drawn chart, not a blank canvas
            assert image.width >= 600 and len(image.convert("RGB").getcolors(maxcolors=1 << 16)) > 16
    assert "13800000001" not in json.dumps(part, ensure_ascii=False)
    assert any("小团队" in b.get("text", "") for b in part["blocks"])
    texts = " ".join(b.get("text", "") for b in part["blocks"])
    forward = part["data"]["funnel_forward"]
    assert [row["人数"] for row in forward] == [5000, 1000, 40]  # the example reach × the live 1:5 × 4%
    inverse = next(b for b in part["blocks"] if b.get("key") == "strategy_funnel_inverse")
    assert inverse["rows"][-1] == ["成交", 30] and "现场调整: 邀约入群率 20.0%" in texts
    assert "及企业微信" not in texts and "未提供企业微信统计" in texts  # the brief names no WeCom files
    recommendations = next(b for b in part["blocks"] if b.get("key") == "strategy_recommendations")
    assert "留存" in [row[1] for row in recommendations["rows"]]  # activation SOP without WeCom data
    target = part["data"]["target"]
    assert set(target) >= {"gmv_target", "horizon_months", "baseline_gmv", "gap", "required_growth"}
    assert target["gap"] == pytest.approx(120000 - target["baseline_gmv"]) and target["horizon_months"] == 12
    assert all({"cost", "uplift", "roi"} <= set(r) and r["cost"] > 0 for r in part["data"]["recommendations"])
    assert part["data"]["plan_budget"]["budget"] == 50000
    assert [t["你们提出的任务"] for t in part["data"]["tasks"]] == ["提升复购"]
    assert "strategy_tasks" in tables and "strategy_kpi_tree" in tables
    summary = json.loads((run_dir / "results" / "summary_target.json").read_text(encoding="utf-8"))
    assert "¥120,000" in summary["blocks"][0]["text"]  # the executive summary opens with the target


def test_the_plan_starts_on_the_first_monday_after_the_data_and_never_in_the_past():
    import datetime as dt

    from diag.strategy.playbook import plan_start

    # data ends Sat 2026-10-31 (as_of Sun 11-01); report made Tue 12-01 → Mon 12-07
    assert plan_start("2026-11-01", dt.date(2026, 12, 1)) == dt.date(2026, 12, 7)
    # a report made the day the data ends starts the Monday after as_of
    assert plan_start("2026-11-01", dt.date(2026, 10, 31)) == dt.date(2026, 11, 2)
    assert plan_start("2026-11-02", dt.date(2026, 11, 2)) == dt.date(2026, 11, 2)   # a Monday stays
    assert plan_start("2026-11-01", dt.date(2026, 12, 1), given="2026-12-03") == dt.date(2026, 12, 3)


def test_a_plan_start_that_is_not_a_date_is_a_usage_error():
    import datetime as dt

    from diag.errors import UsageError
    from diag.strategy.playbook import plan_start

    with pytest.raises(UsageError, match="plan_start"):
        plan_start("2026-11-01", dt.date(2026, 12, 1), given="下周一")
