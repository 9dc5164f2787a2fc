"""One ranking: opportunities only below the range (or the client's target), in yuan order."""

import pandas as pd
import pytest

from diag.strategy.ranking import driver_gaps, opportunities, rank_actions, schedule_windows


def gaps(rows):
    return pd.DataFrame(rows, columns=["metric", "label", "value", "low", "high", "unit", "better", "uplift",
                                       "uplift_model", "reason"])


GAPS = gaps([
    ("repurchase_rate", "复购率", 0.40, 0.30, 0.50, "share", "达标", 5_000.0, "", ""),   # within: uplift to mid
    ("repurchase_rate_90d", "90天复购率", 0.10, 0.25, 0.40, "share", "落后", 2_000.0, "", ""),
    ("aov", "客单价", 50.0, 60.0, 150.0, "yuan", "落后", 8_000.0, "", ""),
    ("group_conversion", "社群转化率", 0.30, 0.10, 0.20, "share", "领先", 0.0, "", ""),
    ("member_activity", "群成员活跃度", 0.05, 0.1, 0.3, "share", "落后", None, "", "无直接GMV路径"),
])


def test_a_metric_at_or_above_its_benchmark_is_never_an_opportunity():
    opps = opportunities(GAPS)
    assert list(opps["metric"]) == ["aov", "repurchase_rate_90d", "member_activity"]
    assert list(opps["rank"]) == [1, 2, 3]


def test_a_metric_below_the_clients_own_target_is_an_opportunity():
    opps = opportunities(GAPS, targets={"repurchase_rate": 0.6}).set_index("metric")
    assert opps.loc["repurchase_rate", "why"] == "低于客户自定目标"


def test_yuan_are_converted_to_the_target_horizon():
    opps = opportunities(GAPS, scale=0.5).set_index("metric")
    assert opps.loc["aov", "yuan"] == 4_000
    assert driver_gaps(opportunities(GAPS, scale=0.5)) == {"aov": 4_000, "orders_per_buyer": 1_000}


def recs(rows):
    return pd.DataFrame(rows, columns=["priority", "rule", "metric", "uplift", "effort", "timing"])


def test_actions_follow_the_opportunity_ranking_and_at_benchmark_actions_lose_their_uplift():
    plan = recs([(1, "remind", "repurchase_rate", 3_000.0, "低", "30天"),   # 达标: no uplift
                 (2, "winback", "repurchase_rate_90d", 2_000.0, "低", "60天"),
                 (3, "sop", "", None, "中", "90天"),
                 (4, "combo", "aov", 8_000.0, "低", "30天")])
    ranked = rank_actions(plan, opportunities(GAPS), scale=1.0)
    assert list(ranked["rule"]) == ["combo", "winback", "remind", "sop"]
    assert list(ranked["priority"]) == [1, 2, 3, 4]
    assert pd.isna(ranked.set_index("rule").loc["remind", "uplift"])


def test_priority_one_starts_first_and_a_later_start_says_why():
    plan = recs([(1, "a", "aov", 1.0, "高", "60天"), (2, "b", "", None, "低", "30天"),
                 (3, "c", "", None, "高", "30天")])
    # launch month: 80 + 16 of 150 hours leave 54; running at half from month 2 leaves 102 → c starts then
    scheduled = schedule_windows(plan, [80, 16, 80], capacity=150, running_share=0.5)
    assert list(scheduled["start_window"]) == ["30天", "30天", "60天"]
    assert scheduled["dependency"].iloc[0] == "" and "工时" in scheduled["dependency"].iloc[2]
    order = {"30天": 0, "60天": 1, "90天": 2}
    starts = [order[w] for w in scheduled["start_window"]]
    assert starts == sorted(starts)


def test_without_a_capacity_every_action_can_start_at_once():
    plan = recs([(1, "a", "aov", 1.0, "高", "90天"), (2, "b", "", None, "高", "90天")])
    assert set(schedule_windows(plan, [80, 80], capacity=None)["start_window"]) == {"30天"}


@pytest.mark.parametrize("capacity", [10, 50])
def test_an_action_larger_than_the_team_still_lands_in_the_last_window(capacity):
    scheduled = schedule_windows(recs([(1, "a", "aov", 1.0, "高", "30天")]), [80], capacity=capacity)
    assert scheduled["start_window"].iloc[0] == "90天"
