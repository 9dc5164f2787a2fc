"""One ranking of opportunities, used by the headline, the priorities, the table and the dates.

Pure functions.  An *opportunity* is a metric below its benchmark range in its good
direction (``better == 落后``), or below a target the brief sets for it
(``goals.repurchase_rate_target``); a metric at or above its benchmark, or one flagged
数据待核实 (:mod:`diag.strategy.flags`), is never one.  Its yuan are the benchmark uplift
(:func:`diag.areas.benchmark.benchmark_gaps`) converted from the data period to the
target's horizon (× baseline GMV ÷ data GMV).  Opportunities are ranked by those yuan;
the plan's actions follow the same order (:func:`rank_actions`) and start no earlier
than the actions ranked above them (:func:`schedule_windows`).
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import pandas as pd

from diag.areas.benchmark import LOWER_IS_BETTER, number_or_none
from diag.messages import messages

__all__ = ["TREE_DRIVER", "opportunities", "driver_gaps", "rank_actions", "schedule_windows",
           "opportunities_display", "WINDOWS", "BEHIND", "WHY_BEHIND", "WHY_GOAL", "why_word"]

BEHIND = "落后"
#: An opportunity's ``why``: behind the benchmark range, or below the client's own target.
WHY_BEHIND, WHY_GOAL = "落后于行业区间", "低于客户自定目标"
_WHY_KEYS = {WHY_BEHIND: "why_behind", WHY_GOAL: "why_goal"}
WINDOWS = ("30天", "60天", "90天")

#: Benchmark metric → the KPI-tree driver it moves (:func:`diag.strategy.target.kpi_tree`).
TREE_DRIVER: dict[str, str] = {
    "aov": "aov",
    "orders_per_customer": "orders_per_buyer", "purchase_days_per_customer": "orders_per_buyer",
    "repurchase_rate": "orders_per_buyer", "repurchase_rate_90d": "orders_per_buyer",
    "median_repurchase_days": "orders_per_buyer",
    "group_conversion": "purchase_conversion",
    "add_rate": "reachable_users", "friend_accept_rate": "reachable_users", "k_factor": "reachable_users",
}




def _below_target(row: Mapping[str, Any], targets: Mapping[str, float]) -> bool:
    goal, value = number_or_none(targets.get(row["metric"])), number_or_none(row["value"])
    if goal is None or value is None:
        return False
    return value > goal if row["metric"] in LOWER_IS_BETTER else value < goal


def opportunities(gaps: pd.DataFrame, *, scale: float = 1.0,
                  targets: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Return the opportunities, largest yuan first, with ``rank`` 1, 2, …

    ``scale`` converts the data period's uplift to the target horizon (baseline GMV ÷
    data GMV).  Columns: the gap's own plus ``why`` (落后于行业区间 / 低于目标),
    ``yuan`` (uplift × scale; NaN where there is no GMV path), ``driver`` and ``rank``.
    """
    targets = targets or {}
    rows = []
    for row in gaps.to_dict("records"):
        behind = row.get("better") == BEHIND
        short = _below_target(row, targets)
        if not (behind or short):
            continue
        uplift = number_or_none(row.get("uplift"))
        rows.append({**row, "why": WHY_BEHIND if behind else WHY_GOAL,
                     "goal": number_or_none(targets.get(row["metric"])),
                     "yuan": None if uplift is None else uplift * scale,
                     "driver": TREE_DRIVER.get(row["metric"], "")})
    columns = list(gaps.columns) + ["why", "goal", "yuan", "driver", "rank"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    frame["_y"] = frame["yuan"].astype(float).fillna(-1.0)
    frame = frame.sort_values(["_y", "metric"], ascending=[False, True], kind="stable").drop(columns="_y")
    frame["rank"] = range(1, len(frame) + 1)
    return frame.reset_index(drop=True)[columns]


def driver_gaps(opps: pd.DataFrame) -> dict[str, float]:
    """Return, per KPI-tree driver, the largest yuan among its opportunities (metrics of one
    driver describe the same lever, so adding them would count it twice)."""
    out: dict[str, float] = {}
    for r in opps.itertuples(index=False):
        y = number_or_none(r.yuan)
        if r.driver and y is not None and y > out.get(r.driver, 0.0):
            out[r.driver] = y
    return out


def rank_actions(recs: pd.DataFrame, opps: pd.DataFrame, *, scale: float = 1.0) -> pd.DataFrame:
    """Return the recommendations re-ranked by the opportunity ranking.

    An action whose metric is an opportunity keeps its uplift (× ``scale``, to the
    target's horizon) and is ordered by that opportunity's rank, then by its own
    uplift; every other action has no uplift (a metric at benchmark is no opportunity)
    and follows in its template score order.  ``priority`` is renumbered 1, 2, …;
    ``opportunity_rank`` names the opportunity an action addresses (NaN for none).
    """
    if recs.empty:
        return recs.assign(opportunity_rank=pd.Series(dtype=float))
    ranks = dict(zip(opps["metric"], opps["rank"])) if len(opps) else {}
    out = recs.copy()
    out["opportunity_rank"] = out["metric"].map(ranks).astype(float)
    has = out["opportunity_rank"].notna()
    out["uplift"] = [(n * scale if (n := number_or_none(u)) is not None else None) if h else None
                     for u, h in zip(out["uplift"], has)]
    out["_order"] = out["opportunity_rank"].fillna(math.inf)
    out["_u"] = pd.to_numeric(out["uplift"], errors="coerce").fillna(0.0)
    out["_pos"] = range(len(out))
    out = out.sort_values(["_order", "_u", "_pos"], ascending=[True, False, True], kind="stable")
    out = out.drop(columns=["_order", "_u", "_pos"])
    out["priority"] = range(1, len(out) + 1)
    return out.reset_index(drop=True)


def schedule_windows(recs: pd.DataFrame, hours: pd.Series | list[float], capacity: float | None, *,
                     running_share: float = 0.5) -> pd.DataFrame:
    """Return the actions with ``start_window`` set so that start dates follow the priority order.

    Walking in priority order, each action starts in the earliest window (30天 / 60天 /
    90天) that is no earlier than the previous action's — so priority 1 starts first —
    and in which the team still has its monthly hours: an action takes ``hours`` staff
    hours in the month it starts and ``running_share`` of them in every later month
    (it keeps running), out of ``capacity`` hours a month (None: no limit); an action
    that fits nowhere starts in the last window.  The template's timing says how soon an action shows
    results, not when it may begin.  ``dependency`` says why an action starts later
    than the one ranked above it (empty otherwise).
    """
    out = recs.copy()
    left = [math.inf if capacity is None else float(capacity)] * len(WINDOWS)
    current = 0
    windows, notes = [], []
    for h in list(hours):
        h = float(h)
        idx = current
        def fits(i: int) -> bool:
            return h <= left[i] and all(h * running_share <= x for x in left[i + 1:])

        while idx < len(WINDOWS) - 1 and not fits(idx):
            idx += 1
        note = ""
        if idx > current:
            note = f"排在前面的行动已占满团队{WINDOWS[current]}内的工时（每月约 {capacity:,.0f} 小时），顺延开始"
        left[idx] -= h
        for j in range(idx + 1, len(WINDOWS)):
            left[j] -= h * running_share
        windows.append(WINDOWS[idx])
        notes.append(note)
        current = idx
    out["start_window"] = windows
    out["dependency"] = notes
    return out


def why_word(why: str, lang: str = "zh") -> str:
    """Return an opportunity's ``why`` (:data:`WHY_BEHIND` / :data:`WHY_GOAL`) in ``lang``."""
    key = _WHY_KEYS.get(why)
    return why if key is None or lang == "zh" else messages("summary", lang)(key)


def opportunities_display(opps: pd.DataFrame, horizon_months: int, lang: str = "zh") -> pd.DataFrame:
    """Return the opportunity table for the report (排名 / 指标 / 实测 / 行业区间 / 依据 / 目标周期内GMV /
    测算方法), headers and the kit's words in ``lang``, metric names from the metric catalogue."""
    from diag.areas.benchmark import _fmt as fmt
    from diag.areas.benchmark import label_in, method_in
    from diag.strategy.wording import localize

    t = messages("summary", lang)
    rows = []
    for r in opps.itertuples(index=False):
        rows.append({"排名": int(r.rank), "指标": label_in(r.metric, lang, r.label), "实测": fmt(r.value, r.unit),
                     "行业区间": t("range", low=fmt(r.low, r.unit), high=fmt(r.high, r.unit)),
                     "依据": (why := why_word(r.why, lang))[:1].upper() + why[1:],
                     f"{horizon_months}个月GMV机会": t("dash") if number_or_none(r.yuan) is None else t("yuan", value=r.yuan),
                     "测算方法": method_in(r, lang)})
    return localize(pd.DataFrame(rows), lang)
