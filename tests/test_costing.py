"""Costed actions: staff hours, incentives and tools in yuan; ROI; the budget and the team's hours."""

import pandas as pd
import pytest

from diag.brief.model import Team
from diag.strategy.costing import (
    COUPON_SHARE,
    DEFAULT_HOURLY_COST,
    EFFORT_HOURS,
    RUNNING_SHARE,
    TOOL_MONTHLY,
    budget_check,
    budget_sentence,
    cost_actions,
    hourly_cost,
    team_capacity,
)


def actions():
    return pd.DataFrame([
        {"priority": 1, "action": "满减门槛设在客单价之上约20%, 推组合装", "effort": "低", "uplift": 10_000.0,
         "start_window": "30天"},
        {"priority": 2, "action": "活码工具与欢迎语机器人", "effort": "中", "uplift": None, "start_window": "60天"},
    ])


def test_each_action_costs_staff_hours_incentives_and_tools():
    costed = cost_actions(actions(), horizon_months=6, rate=50).set_index("priority")
    first, second = costed.loc[1], costed.loc[2]
    assert first["cost_staff"] == pytest.approx(EFFORT_HOURS["低"] * (1 + RUNNING_SHARE * 5) * 50)
    assert first["cost_incentive"] == pytest.approx(10_000 * COUPON_SHARE)       # 满减 is a discount
    assert first["roi"] == pytest.approx(10_000 / first["cost"], rel=1e-3)
    assert second["months"] == 5 and second["cost_tools"] == TOOL_MONTHLY * 5   # starts in month 2
    assert pd.isna(second["roi"])


def test_the_hourly_cost_comes_from_the_brief_or_a_stated_default():
    assert hourly_cost(Team(hourly_cost=80)) == (80.0, True)
    assert hourly_cost(Team()) == (DEFAULT_HOURLY_COST, False)
    assert team_capacity(None)[1] == 1 and team_capacity(3)[0] == 3 * team_capacity(1)[0]


def test_the_plan_total_is_compared_with_the_budget_in_priority_order():
    costed = cost_actions(actions(), horizon_months=6, rate=50)
    total = costed["cost"].sum()
    fits = budget_check(costed, total + 1)
    assert fits["within"] and fits["cut"] == []
    tight = budget_check(costed, costed["cost"].iloc[0] + 1)
    assert not tight["within"] and tight["cut"] == [2] and tight["over"] == pytest.approx(total - tight["budget"])
    assert "超出预算" in budget_sentence(tight, 6) and "行动 2" in budget_sentence(tight, 6)
    assert "没有填写预算" in budget_sentence(budget_check(costed, None), 6)
