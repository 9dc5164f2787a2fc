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
from diag.catalog import label
from diag.messages import messages
from diag.strategy import costing, ranking
from diag.strategy import flags as fl
from diag.strategy import target as tg
from diag.strategy.tasks import apply_brief

__all__ = ["Evaluation", "evaluate", "Plan", "plan", "coverage", "causes", "first_actions", "cover_sentence",
           "plan_sentences"]


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


def plan(recs: pd.DataFrame, ev: Evaluation, brief: Any, lang: str = "zh") -> Plan:
    """Return the plan: actions ranked by the opportunity ranking, kept within the brief's
    constraints, worded as improvements where the client already acts, scheduled within
    the team's hours (priority 1 first) and costed over the target's horizon; the cost
    basis is worded in ``lang``."""
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
    basis = costing.cost_basis(rate, from_brief, people, brief.team.headcount is not None, lang)
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


def _lower(label: str, lang: str) -> str:
    """Return a metric label as it reads inside an English sentence (first letter lower, acronyms kept)."""
    if lang == "en" and len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def causes(ev: Evaluation, n: int = 3, lang: str = "zh") -> list[str]:
    """Return the ``n`` opportunities that cost the most, each as one sentence with its number and yuan (in ``lang``)."""
    from diag.areas.benchmark import _fmt, label_in

    t = messages("summary", lang)
    out = []
    h = ev.target["horizon_months"]
    for r in ev.opportunities.head(n).itertuples(index=False):
        has_money = r.yuan is not None and pd.notna(r.yuan) and r.yuan > 0
        name = label_in(r.metric, lang, r.label)
        if r.why == ranking.WHY_BEHIND:
            head = t("cause_below_range", label=name, value=_fmt(r.value, r.unit), low=_fmt(r.low, r.unit),
                     high=_fmt(r.high, r.unit))
            money = t("cause_lost", h=h, yuan=r.yuan) if has_money else t("cause_no_money")
        else:
            head = t("cause_below_goal", label=name, value=_fmt(r.value, r.unit), goal=_fmt(r.goal, r.unit))
            money = (t("cause_to_mid", mid=_fmt(r.mid, r.unit), h=h, yuan=r.yuan) if has_money
                     else t("cause_past_mid"))
        out.append(t("cause_line", head=head, money=money))
    if len(out) < n and ev.target.get("gap") and ev.target["gap"] > 0:
        found = sum(float(v) for v in ranking.driver_gaps(ev.opportunities).values())
        rest = ev.target["gap"] - found
        volume = [t("volume_item", label=label(r.driver, lang), value=tg.show_value(r.value, tg.UNITS[r.driver]))
                  for r in ev.tree.itertuples(index=False)
                  if r.driver in ("reachable_users", "purchase_conversion", "buyers")]
        if rest > 0 and volume:
            out.append(t("cause_volume", volume=t("list_sep").join(volume), h=h, rest=rest))
    return out


def first_actions(p: Plan, start: _dt.date, n: int = 3, lang: str = "zh") -> pd.DataFrame:
    """Return the first ``n`` actions for the executive summary (priority / action / owner / start date /
    cost / expected increment), headers in ``lang``."""
    t = messages("summary", lang)
    days = {"30天": 0, "60天": 30, "90天": 60}
    columns = [t(f"first_{key}") for key in ("priority", "action", "owner", "start", "cost", "uplift")]
    rows = []
    for r in p.actions.head(n).to_dict("records"):
        uplift = r.get("uplift")
        values = [int(r["priority"]), r["action"], r["owner"],
                  (start + _dt.timedelta(days=days.get(r["start_window"], 0))).isoformat(),
                  t("yuan", value=r["cost"]),
                  t("dash") if uplift is None or pd.isna(uplift) else t("yuan", value=uplift)]
        rows.append(dict(zip(columns, values)))
    return pd.DataFrame(rows, columns=columns)


def cover_sentence(p: Plan, ev: Evaluation, lang: str = "zh") -> str:
    """Return how much of the gap the plan covers and what the rest needs, in one sentence (in ``lang``)."""
    t = messages("summary", lang)
    h, cover = ev.target["horizon_months"], p.cover
    gain = t("cover_gain", h=h, gain=cover["gain"])
    if cover.get("share") is None:
        return gain + t("cover_end" if ev.target["gmv_target"] is None else "cover_met")
    text = t("cover_share", gain=gain, share=cover["share"])
    if cover["remaining"] <= 0:
        return text + t("cover_end")
    text += t("cover_rest", remaining=cover["remaining"])
    need = _needed_for(ev, ev.base.gmv + cover["covered"], lang)
    return text + (t("cover_need_sep").join(need) if need else t("cover_need_default")) + t("cover_alone")


def _needed_for(ev: Evaluation, reached: float, lang: str = "zh") -> list[str]:
    """Return, for the tree's volume drivers, the level that alone closes what is left after the plan."""
    from diag.strategy.target import UNITS, show_value

    t = messages("summary", lang)
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
        out.append(t("need_item", label=_lower(label(r.driver, lang), lang), value=show_value(r.value, unit),
                     level=show_value(level, unit)))
    return [t("need_or").join(out)] if out else []


def plan_sentences(p: Plan, ev: Evaluation, lang: str = "zh") -> str:
    """Return the executive summary's second paragraph: what the plan covers, then its cost against the budget."""
    t = messages("summary", lang)
    return (cover_sentence(p, ev, lang) + t("sentence_sep")
            + costing.budget_sentence(p.budget, ev.target["horizon_months"], lang))
