"""The target-first plan: one call that ties target, flags, ranking, brief and costs together.

The diagnosis and strategy notebooks both call :func:`evaluate` so that they quote the
same baseline, the same flags and the same ranking; the strategy notebook then calls
:func:`plan` to turn the template's recommendations into the costed, scheduled plan
that addresses the KPI tree's largest gaps.  Pure functions: data in, records out.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from diag.areas.benchmark import benchmark_gaps
from diag.strategy import costing, ranking
from diag.strategy import flags as fl
from diag.strategy import target as tg
from diag.strategy.tasks import apply_brief

__all__ = ["Evaluation", "evaluate", "Plan", "plan", "coverage", "causes", "first_actions"]


@dataclass
class Evaluation:
    """What the data say against the target: baseline, flags, gaps and the one ranking."""

    base: tg.Baseline
    target: dict[str, Any]
    flags: list[dict[str, Any]]
    gaps: pd.DataFrame
    opportunities: pd.DataFrame
    scale: float
    tree: pd.DataFrame


def evaluate(brief: Any, template: Mapping[str, Any], metrics: Mapping[str, Any], orders: pd.DataFrame,
             measured: Mapping[str, Any], *, extra_flags: list[dict[str, Any]] | None = None) -> Evaluation:
    """Return the evaluation of one client against their target and the template's benchmarks."""
    base = tg.baseline(orders, metrics["as_of"], tg.horizon_of(brief.goals))
    target = tg.target_summary(brief.goals, base)
    benchmarks = template.get("benchmarks", {})
    flags = fl.metric_flags(measured, benchmarks) + list(extra_flags or [])
    gaps = benchmark_gaps(measured, template, gmv=metrics["gmv"], customers=metrics["customers"],
                          orders=metrics["orders"], group_members=brief.assets.group_members)
    gaps = fl.mask_flagged(gaps, flags)
    scale = base.gmv / float(metrics["gmv"]) if metrics.get("gmv") else 1.0
    targets = {"repurchase_rate": brief.goals.repurchase_rate_target} if brief.goals.repurchase_rate_target else {}
    opps = ranking.opportunities(gaps, scale=scale, targets=targets)
    reachable = brief.funnel.reachable or brief.assets.friends
    tree = tg.kpi_tree(base, target, reachable=reachable, benchmarks=benchmarks,
                       driver_gaps=ranking.driver_gaps(opps))
    return Evaluation(base, target, flags, gaps, opps, scale, tree)


@dataclass
class Plan:
    """The costed, scheduled plan and what it does to the gap."""

    actions: pd.DataFrame
    dropped: pd.DataFrame
    budget: dict[str, Any]
    capacity: float
    basis: str
    cover: dict[str, Any] = field(default_factory=dict)


def plan(recs: pd.DataFrame, ev: Evaluation, brief: Any) -> Plan:
    """Return the plan: actions ranked by the opportunity ranking, kept within the brief's
    constraints, worded as improvements where the client already acts, scheduled within
    the team's hours (priority 1 first) and costed over the target's horizon."""
    ranked = ranking.rank_actions(recs, ev.opportunities, scale=ev.scale)
    kept, dropped = apply_brief(ranked, brief)
    capacity, people = costing.team_capacity(brief.team.headcount)
    hours = [costing.EFFORT_HOURS.get(str(e), costing.EFFORT_HOURS["中"]) for e in kept["effort"]]
    kept = ranking.schedule_windows(kept, hours, capacity, running_share=costing.RUNNING_SHARE)
    kept["effect_window"] = kept["timing"]
    kept["timing"] = kept["start_window"]  # the roadmap schedules by the start window
    rate, from_brief = costing.hourly_cost(brief.team)
    kept = costing.cost_actions(kept, horizon_months=ev.target["horizon_months"], rate=rate)
    budget = costing.budget_check(kept, brief.goals.budget)
    basis = costing.cost_basis(rate, from_brief, people, brief.team.headcount is not None)
    out = Plan(kept, dropped, budget, capacity, basis)
    out.cover = coverage(kept, ev)
    return out


def coverage(actions: pd.DataFrame, ev: Evaluation) -> dict[str, Any]:
    """Return how much of the gap the plan covers: ``{gain, covered, remaining, share}``.

    ``gain`` is the plan's GMV gain over the horizon when every action reaches its
    target, with the scenario rule (:func:`diag.strategy.playbook.gmv_scenarios`: per driver the
    largest uplift, drivers multiplied); ``covered`` = min(gain, gap), ``remaining`` =
    gap − covered, ``share`` = covered ÷ gap (None without a positive gap).
    """
    from diag.strategy.playbook import gmv_scenarios

    gain = 0.0
    if len(actions):
        s = gmv_scenarios(actions, ev.base.gmv, attainment={"基准": 1.0})
        gain = float(s["增量"].iloc[0])
    gap = ev.target.get("gap")
    if gap is None or gap <= 0:
        return {"gain": round(gain, 2), "covered": None, "remaining": None, "share": None}
    covered = min(gain, gap)
    return {"gain": round(gain, 2), "covered": round(covered, 2), "remaining": round(gap - covered, 2),
            "share": covered / gap}


def causes(ev: Evaluation, n: int = 3) -> list[str]:
    """Return the ``n`` opportunities that cost the most, each as one sentence with its number and yuan."""
    from diag.areas.benchmark import _fmt

    out = []
    h = ev.target["horizon_months"]
    for r in ev.opportunities.head(n).itertuples(index=False):
        has_money = r.yuan is not None and pd.notna(r.yuan) and r.yuan > 0
        if r.why == "落后于行业区间":
            head = f"{r.label} {_fmt(r.value, r.unit)}，低于行业区间 {_fmt(r.low, r.unit)}–{_fmt(r.high, r.unit)}"
            money = f"{h} 个月少了约 ¥{r.yuan:,.0f} GMV" if has_money else "暂无法折算成 GMV"
        else:
            head = f"{r.label} {_fmt(r.value, r.unit)}，低于你们的目标 {_fmt(r.goal, r.unit)}"
            money = (f"追到行业区间中值 {_fmt(r.mid, r.unit)} 时 {h} 个月可多约 ¥{r.yuan:,.0f} GMV" if has_money
                     else "已过行业区间中值, 再往上的增量暂无法折算")
        out.append(f"{head}：{money}。")
    if len(out) < n and ev.target.get("gap") and ev.target["gap"] > 0:
        found = sum(float(v) for v in ranking.driver_gaps(ev.opportunities).values())
        rest = ev.target["gap"] - found
        volume = [f"{r.label} {tg.show_value(r.value, tg.UNITS[r.driver])}" for r in ev.tree.itertuples(index=False)
                  if r.driver in ("reachable_users", "purchase_conversion", "buyers")]
        if rest > 0 and volume:
            out.append(f"用户规模与转化不够支撑目标（{'、'.join(volume)}）：即使各项指标都追到行业区间，"
                       f"{h} 个月仍差约 ¥{rest:,.0f}。")
    return out


def first_actions(p: Plan, start: _dt.date, n: int = 3) -> pd.DataFrame:
    """Return the first ``n`` actions for the executive summary (行动 / 负责人 / 开始 / 成本 / 预计增量)."""
    days = {"30天": 0, "60天": 30, "90天": 60}
    rows = []
    for r in p.actions.head(n).to_dict("records"):
        uplift = r.get("uplift")
        rows.append({"优先级": int(r["priority"]), "行动": r["action"], "负责人": r["owner"],
                     "开始日期": (start + _dt.timedelta(days=days.get(r["start_window"], 0))).isoformat(),
                     "成本": f"¥{r['cost']:,.0f}",
                     "预计增量": "—" if uplift is None or pd.isna(uplift) else f"¥{uplift:,.0f}"})
    return pd.DataFrame(rows, columns=["优先级", "行动", "负责人", "开始日期", "成本", "预计增量"])


def cover_sentence(p: Plan, ev: Evaluation) -> str:
    """Return how much of the gap the plan covers and what the rest needs, in one sentence."""
    h, cover = ev.target["horizon_months"], p.cover
    gain = f"计划中的行动全部达成时, {h} 个月可增加 GMV 约 ¥{cover['gain']:,.0f}"
    if cover.get("share") is None:
        return gain + ("。" if ev.target["gmv_target"] is None else ", 目标按现状已能达到。")
    text = f"{gain}, 覆盖目标缺口的 {cover['share']:.0%}"
    if cover["remaining"] <= 0:
        return text + "。"
    text += f"; 余下 ¥{cover['remaining']:,.0f} 需要"
    need = _needed_for(ev, ev.base.gmv + cover["covered"])
    return text + ("，".join(need) if need else "扩大用户规模与提高转化，具体见 KPI 树") + "（单独靠一项补足时）。"


def _needed_for(ev: Evaluation, reached: float) -> list[str]:
    """Return, for the tree's volume drivers, the level that alone closes what is left after the plan."""
    from diag.strategy.target import UNITS, show_value

    target = ev.target.get("gmv_target")
    if not target or reached <= 0:
        return []
    ratio = float(target) / reached
    out = []
    for r in ev.tree[ev.tree["role"] == "factor"].itertuples(index=False):
        if r.driver not in ("reachable_users", "buyers", "purchase_conversion") or r.value is None:
            continue
        level = r.value * ratio
        if r.driver == "purchase_conversion" and level > 1:
            continue
        unit = UNITS[r.driver]
        out.append(f"{r.label}从 {show_value(r.value, unit)} 提高到约 {show_value(level, unit)}")
    return [" 或 ".join(out)] if out else []
