"""What each action costs, what it brings over the target's horizon, and whether the plan fits.

Pure functions.  An action's cost (yuan) over the horizon is

* staff: :data:`EFFORT_HOURS` hours for its effort level (低 / 中 / 高) in the month it
  starts and :data:`RUNNING_SHARE` of them in each later month of the horizon, × the hourly cost (brief ``team.hourly_cost``,
  else :data:`DEFAULT_HOURLY_COST`, said so);
* incentives: coupons and discounts (:data:`COUPON_WORDS` in the action) give back
  :data:`COUPON_SHARE` of the extra GMV, gifts and draws (:data:`GIFT_WORDS`)
  :data:`GIFT_SHARE`;
* tools (:data:`TOOL_WORDS`): :data:`TOOL_MONTHLY` yuan a month.

``roi`` = uplift ÷ cost (GMV per yuan spent).  The assumptions are returned in words
(:func:`cost_basis`) so the report states them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from diag.areas.benchmark import number_or_none
from diag.messages import messages
from diag.strategy.ranking import WINDOWS

__all__ = ["EFFORT_HOURS", "DEFAULT_HOURLY_COST", "COUPON_SHARE", "GIFT_SHARE", "TOOL_MONTHLY",
           "HOURS_PER_PERSON", "RUNNING_SHARE", "cost_actions", "team_capacity", "budget_check", "cost_basis", "hourly_cost"]

#: Staff hours a month an action takes, by its effort level.
EFFORT_HOURS = {"低": 16.0, "中": 40.0, "高": 80.0}
#: Share of the first month's hours an action takes in each later month (it keeps running).
RUNNING_SHARE = 0.5
#: Yuan per staff hour when the brief gives none (a private-domain operator's loaded cost).
DEFAULT_HOURLY_COST = 50.0
#: Share of an action's extra GMV given back as coupons / discounts, or as gifts.
COUPON_SHARE = 0.10
GIFT_SHARE = 0.05
COUPON_WORDS = ("券", "红包", "秒杀", "拼团", "满减", "折", "储值", "买满送", "特价", "让利")
GIFT_WORDS = ("礼", "抽奖", "小菜", "试吃", "赠", "奖品")
TOOL_WORDS = ("工具", "活码", "机器人", "SCRM", "scrm")
TOOL_MONTHLY = 300.0
#: Staff hours a month each team member can give to new actions, beside daily work.
HOURS_PER_PERSON = 80.0


def hourly_cost(team: Any) -> tuple[float, bool]:
    """Return (yuan per staff hour, whether it came from the brief)."""
    value = getattr(team, "hourly_cost", None)
    return (float(value), True) if value else (DEFAULT_HOURLY_COST, False)


def team_capacity(headcount: int | None) -> tuple[float, int]:
    """Return (staff hours a month for new actions, headcount assumed); no headcount → 1 person."""
    people = int(headcount) if headcount else 1
    return people * HOURS_PER_PERSON, people


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)




def cost_actions(recs: pd.DataFrame, *, horizon_months: int, rate: float) -> pd.DataFrame:
    """Return ``recs`` with ``hours_month, months, cost_staff, cost_incentive, cost_tools, cost, roi``.

    ``start_window`` (from :func:`diag.strategy.ranking.schedule_windows`) sets the start month
    (30天 → month 1, 60天 → 2, 90天 → 3); without it every action runs the whole horizon.
    """
    out = recs.copy()
    rows = []
    for r in out.to_dict("records"):
        text = str(r.get("action", ""))
        hours = EFFORT_HOURS.get(str(r.get("effort")), EFFORT_HOURS["中"])
        offset = WINDOWS.index(r["start_window"]) if r.get("start_window") in WINDOWS else 0
        months = max(1, int(horizon_months) - offset)
        uplift = number_or_none(r.get("uplift")) or 0.0
        staff = hours * (1 + RUNNING_SHARE * (months - 1)) * rate
        incentive = uplift * ((COUPON_SHARE if _has(text, COUPON_WORDS) else 0.0)
                              + (GIFT_SHARE if _has(text, GIFT_WORDS) else 0.0))
        tools = TOOL_MONTHLY * months if _has(text, TOOL_WORDS) else 0.0
        cost = staff + incentive + tools
        rows.append({"hours_month": hours, "months": months, "cost_staff": round(staff, 2),
                     "cost_incentive": round(incentive, 2), "cost_tools": round(tools, 2),
                     "cost": round(cost, 2), "roi": round(uplift / cost, 4) if cost > 0 and uplift else None})
    extra = pd.DataFrame(rows, index=out.index)
    for column in extra.columns:
        out[column] = extra[column]
    return out


def budget_check(recs: pd.DataFrame, budget: float | None) -> dict[str, Any]:
    """Return the plan's total cost against ``goals.budget``.

    ``{total, budget, within, over, cut}``: ``cut`` lists the priorities that, taken in
    priority order, no longer fit the budget (empty without a budget or when all fit).
    """
    total = float(pd.to_numeric(recs.get("cost"), errors="coerce").fillna(0).sum()) if len(recs) else 0.0
    out: dict[str, Any] = {"total": round(total, 2), "budget": float(budget) if budget else None,
                           "within": None, "over": None, "cut": []}
    if budget:
        running, cut = 0.0, []
        for r in recs.itertuples(index=False):
            running += float(r.cost or 0)
            if running > budget:
                cut.append(int(r.priority))
        out.update(within=total <= budget, over=round(max(0.0, total - budget), 2), cut=cut)
    return out


def cost_basis(rate: float, from_brief: bool, people: int, headcount_given: bool, lang: str = "zh") -> str:
    """Return the costing assumptions in one sentence (in ``lang``), for the report."""
    t = messages("summary", lang)
    who = t("cost_team", people=people) if headcount_given else t("cost_no_team")
    source = t("cost_rate_brief" if from_brief else "cost_rate_default")
    return t("cost_basis", low=EFFORT_HOURS["低"], medium=EFFORT_HOURS["中"], high=EFFORT_HOURS["高"], rate=rate,
             source=source, coupon=COUPON_SHARE, gift=GIFT_SHARE, tools=TOOL_MONTHLY, who=who, hours=HOURS_PER_PERSON)


def budget_sentence(check: dict[str, Any], horizon_months: int, lang: str = "zh") -> str:
    """Return the plan's cost against the budget in one sentence (in ``lang``)."""
    t = messages("summary", lang)
    total = t("budget_total", h=horizon_months, total=check["total"])
    if check["budget"] is None:
        return total + t("budget_none")
    if check["within"]:
        return total + t("budget_within", budget=check["budget"], left=check["budget"] - check["total"])
    cut = t("list_sep").join(str(c) for c in check["cut"])
    return total + t("budget_over", budget=check["budget"], over=check["over"], cut=cut)
