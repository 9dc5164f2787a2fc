"""The strategy playbook: benchmark gaps + industry template → a plan the client can run.

Everything here is a pure function of its inputs (no file I/O, no plotting):

- :func:`recommend` — the template's rules, fired by the measured gaps, prioritised;
- :func:`team_plan` / :func:`kpi_sheet` — small or large team, roles with 责权利, KPIs;
- :func:`funnel_forward` / :func:`funnel_inverse` / :func:`funnel_plan` — the target funnel
  both ways (from :mod:`diag.strategy.funnel`, re-exported here);
- :func:`roadmap` — the 30/60/90-day plan and activity calendar (input of the Gantt chart);
- :func:`gmv_scenarios` — conservative / base / optimistic GMV from the plan's actions reaching their targets.

The rules live in the templates (``rules:``), not here: this module only evaluates them.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from diag import catalog
from diag.areas.benchmark import LOWER_IS_BETTER
from diag.errors import UsageError
from diag.format import format_number
from diag.industries.registry import METRICS
from diag.messages import messages
from diag.strategy.funnel import FunnelPlan, InverseFunnel, funnel_forward, funnel_inverse, funnel_plan
from diag.strategy.levers import DRIVER_ORDER, combine_drivers
from diag.strategy.wording import gene_word, localize, word

__all__ = ["recommend", "recommendations_display", "TeamPlan", "team_plan", "kpi_sheet",
           "funnel_forward", "funnel_inverse", "InverseFunnel", "roadmap", "gmv_scenarios", "scenario_moves", "ATTAINMENT",
           "reminder_days", "action_values", "DRIVERS", "measured_metrics", "talking_points",
           "wecom_read", "data_basis", "funnel_counts", "roadmap_display", "with_gap_cover", "scenarios_display",
           "FunnelPlan", "funnel_plan"]

_EFFORT = {"低": 0.2, "中": 0.1, "高": 0.0}
_TIMING = {"30天": 0.1, "60天": 0.05, "90天": 0.0}
_WINDOW = {"30天": (0, 30), "60天": (30, 60), "90天": (60, 90)}
GENE_BONUS = 0.3

#: GMV = 用户数 × 购买频次 × 客单价: which metric feeds which driver (for scenarios).
DRIVERS: dict[str, str] = {
    "aov": "客单价",
    "orders_per_customer": "购买频次", "purchase_days_per_customer": "购买频次",
    "repurchase_rate": "购买频次", "repurchase_rate_90d": "购买频次", "median_repurchase_days": "购买频次",
    "group_conversion": "用户数", "add_rate": "用户数", "friend_accept_rate": "用户数", "k_factor": "用户数",
}


def _fmt(value: float | None, metric: str | None, unit: str = "", lang: str = "zh") -> str:
    """A metric's value in its template unit (shares when the unit is not given and the catalogue prints %)."""
    if not unit and metric is not None and catalog.known(metric) and catalog.metric(metric).fmt.endswith("%}"):
        unit = "share"
    return format_number(value, unit if unit in ("share", "yuan", "days", "minutes") else "ratio", lang=lang)


def _label(metric: str, lang: str, zh: str | None = None) -> str:
    """Return a metric's name: in Chinese ``zh`` (or the registry's), in English the metric catalogue's."""
    if lang != "zh" and catalog.known(metric):
        return catalog.label(metric, lang)
    return zh if zh is not None else METRICS.get(metric, metric)


#: The benchmark's statuses and verdicts → their message keys in the ``actions`` catalogue.
_STATUS_KEYS = {"达标": "status_within", "低于": "status_below", "高于": "status_above", "无数据": "status_no_data",
                "数据待核实": "status_to_verify", "低于客户自定目标": "status_below_target",
                "落后于行业区间": "status_behind"}


def _status_word(status: str, lang: str) -> str:
    key = _STATUS_KEYS.get(status)
    return messages("actions", lang)(key) if key else status


def reminder_days(cycle_days: float) -> tuple[int, int, int]:
    """Return the three repurchase reminders, in days after a purchase: 0.8×, 1× and 1.5× the cycle.

    The first arrives just before the product runs out, the second on the cycle with a
    coupon, the third wins back those who let it pass.
    """
    cycle = max(float(cycle_days), 1.0)
    return max(1, round(cycle * 0.8)), max(1, round(cycle)), max(2, round(cycle * 1.5))


def _cycle(gaps: pd.DataFrame, template: Mapping[str, Any], cycle_days: float | None) -> float:
    row = gaps.loc[gaps["metric"] == "median_repurchase_days", "value"]
    if len(row) and pd.notna(row.iloc[0]) and row.iloc[0] > 0:
        return float(row.iloc[0])
    if cycle_days:
        return float(cycle_days)
    lo, hi = template["typical"]["repurchase_cycle_days"]
    return (lo + hi) / 2


def _target(moves: Mapping[str, Any], row: Mapping[str, Any]) -> float:
    to = moves.get("to", "mid")
    return float(row[to]) if isinstance(to, str) else float(to)


def recommend(gaps: pd.DataFrame, template: Mapping[str, Any], *, gene: str | None = None,
              store_type: str | None = None, cycle_days: float | None = None,
              team: "TeamPlan | None" = None, lang: str = "zh") -> pd.DataFrame:
    """Return the prioritised recommendations the template's rules give for these gaps.

    Parameters
    ----------
    gaps : DataFrame
        :func:`diag.areas.benchmark.benchmark_gaps` output.
    template : mapping
        The industry template; its ``rules`` decide what fires.
    gene : str, optional
        The team's gene (流量 / 增长 / 运营): rules in its areas or moving its metrics
        get a bonus, so the plan leans on what the team is good at.
    store_type : str, optional
        Overrides the template's store type (e.g. the measured quadrant).
    cycle_days : float, optional
        Repurchase cycle for the reminder timing when none was measured (e.g. the
        brief's stated cycle); the measured median wins, the template's typical cycle
        is the last resort.
    team : TeamPlan, optional
        The team the plan is for (:func:`team_plan`): each rule's owner becomes the
        role of that team who does the work (in a small team, the role's
        ``covered_by``), so the plan names only roles in the team's table.
    lang : str
        The language of the ``problem`` sentences (metric names from the metric catalogue).

    Returns
    -------
    DataFrame
        One row per fired rule, best first: ``priority, area, problem, action, metric,
        current, target, uplift, owner, effort, timing, emphasised, score, rule``.
        A rule fires when its ``when.store_type`` includes the store type and the
        metric's status is in ``when.status`` (a rule without a metric always fires).
        ``uplift`` is the gap's GMV uplift scaled linearly to the rule's target.
        ``score = 0.5 × uplift ÷ largest uplift + effort (低 .2 / 中 .1 / 高 0) +
        timing (30天 .1 / 60天 .05) + 0.2 if the metric is behind + gene bonus 0.3 + weight``.
    """
    kind = store_type or template["quadrant"]["store_type"]
    genes = template.get("team", {}).get("genes", {})
    focus = genes.get(gene, {}) if gene else {}
    by_metric = {r["metric"]: r for r in gaps.to_dict("records")}
    values = action_values(gaps, template, cycle_days)
    t = messages("actions", lang)
    rows = []
    for rule in template.get("rules", []):
        when = rule.get("when") or {}
        if when.get("store_type") and kind not in when["store_type"]:
            continue
        metric = when.get("metric")
        gap = by_metric.get(metric) if metric else None
        status = gap["status"] if gap else "无数据"
        if metric and when.get("status") and status not in when["status"]:
            continue
        moves = rule.get("moves") or {}
        moved = moves.get("metric")
        mrow = by_metric.get(moved) if moved else None
        current = target = uplift = None
        if mrow is not None and pd.notna(mrow["value"]):
            current, target = float(mrow["value"]), _target(moves, mrow)
            # a metric already past the target keeps its level: the plan never aims lower
            target = min(target, current) if moved in LOWER_IS_BETTER else max(target, current)
            base = mrow["uplift"]
            if pd.notna(base) and mrow["mid"] != current:
                uplift = max(0.0, float(base) * (target - current) / (mrow["mid"] - current))
        if gap is not None and gap["value"] is not None and pd.notna(gap["value"]):
            unit = gap["unit"]
            problem = t("problem_measured", label=_label(str(metric), lang, gap["label"]),
                        value=_fmt(gap["value"], metric, unit, lang), low=_fmt(gap["low"], metric, unit, lang),
                        high=_fmt(gap["high"], metric, unit, lang), status=_status_word(status, lang))
        elif metric:
            problem = t("problem_no_data", label=_label(metric, lang))
        else:
            problem = t("problem_replicate")
        emphasised = bool(focus) and (rule["area"] in focus.get("areas", [])
                                      or (moved or metric) in focus.get("metrics", []))
        behind = gap is not None and gap.get("better") == "落后"
        rows.append({"area": rule["area"], "problem": problem,
                     "unit": mrow["unit"] if mrow is not None else "",
                     "action": rule["action"].format_map(_Defaults(values)),
                     "metric": moved or metric or "", "current": current, "target": target,
                     "uplift": uplift, "owner": team.owner(rule["owner"]) if team else rule["owner"],
                     "effort": rule["effort"],
                     "timing": rule["timing"], "emphasised": emphasised, "rule": rule["id"],
                     "_behind": behind, "_weight": float(rule.get("weight", 0.0))})
    columns = ["priority", "area", "problem", "action", "metric", "current", "target", "uplift",
               "owner", "effort", "timing", "emphasised", "score", "rule", "unit"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    top = frame["uplift"].max(skipna=True)
    top = float(top) if pd.notna(top) and top > 0 else 0.0
    value = frame["uplift"].fillna(0.0).astype(float) / top if top else 0.0
    frame["score"] = (0.5 * value + frame["effort"].map(_EFFORT) + frame["timing"].map(_TIMING)
                      + 0.2 * frame["_behind"].astype(float) + GENE_BONUS * frame["emphasised"].astype(float)
                      + frame["_weight"]).round(4)
    frame = frame.sort_values(["score", "uplift"], ascending=False, kind="stable", na_position="last")
    frame["priority"] = range(1, len(frame) + 1)
    return frame[columns].reset_index(drop=True)


def action_values(gaps: pd.DataFrame, template: Mapping[str, Any], cycle_days: float | None = None
                  ) -> dict[str, Any]:
    """Return the values a template action's placeholders take ({window}, {cycle}, {remind_1} …)."""
    benchmarks = template.get("benchmarks", {})
    cycle = _cycle(gaps, template, cycle_days)
    r1, r2, r3 = reminder_days(cycle)
    k = benchmarks.get("k_factor")
    return {"window": template.get("sop", {}).get("attention_window", "20:00–22:00"),
            "cycle": f"{cycle:.0f}", "remind_1": r1, "remind_2": r2, "remind_3": r3,
            "k_target": f"{(k['low'] + k['high']) / 2:.2f}" if k else "0.2"}


class _Defaults(dict):
    """Placeholders a template may use in an action; an unknown one stays visible as {name}."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def recommendations_display(recs: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the recommendations with headers in ``lang`` and formatted numbers, for the report.

    A costed plan (:func:`diag.strategy.spine.plan`) adds 成本 and 投入产出比, and 开始 is its
    start window with the reason when it starts later than the action ranked above it.  In
    English the metrics are named by the metric catalogue and the table's headers and the
    kit's cell words come from the ``plan`` catalogue (:func:`diag.strategy.wording.localize`).
    """
    t = messages("actions", lang)
    costed = "cost" in recs.columns
    rows = []
    for r in recs.itertuples(index=False):
        metric = _label(r.metric, lang) if r.metric else "—"
        move = "—"
        if r.current is not None and pd.notna(r.current):
            move = f"{_fmt(r.current, r.metric, r.unit, lang)} → {_fmt(r.target, r.metric, r.unit, lang)}"
        uplift = "—" if r.uplift is None or pd.isna(r.uplift) else f"¥{r.uplift:,.0f}"
        if not costed:
            rows.append({"优先级": r.priority, "领域": r.area, "问题": r.problem, "行动": r.action,
                         "目标指标": metric, "目标": move, "预计GMV增量": uplift,
                         "负责人": r.owner, "投入": r.effort, "时间": r.timing})
            continue
        roi, dependency = getattr(r, "roi", None), getattr(r, "dependency", "") or ""
        rows.append({"优先级": r.priority, "领域": r.area, "问题": r.problem, "行动": r.action,
                     "目标": metric if move == "—" else f"{metric} {move}", "预计GMV增量": uplift,
                     "成本": f"¥{r.cost:,.0f}", "投入产出比": "—" if roi is None or pd.isna(roi) else f"{roi:,.1f}",
                     "负责人": r.owner, "开始": t("start_within", timing=word(r.timing, lang))
                     + (t("start_after", dependency=dependency) if dependency else "")})
    return localize(pd.DataFrame(rows), lang)


# -- team and KPIs --------------------------------------------------------------------------

def _kpi_value(value: float | None, metric: str | None, unit: str, lang: str) -> str:
    """A metric's value as :func:`_fmt` prints it, with the unit's words (分钟 / minutes) in ``lang``."""
    if lang == "zh":
        return _fmt(value, metric, unit)
    if not unit and metric is not None and catalog.known(metric) and catalog.metric(metric).fmt.endswith("%}"):
        unit = "share"
    return format_number(value, unit if unit in ("share", "yuan", "days", "minutes") else "ratio", lang=lang)


@dataclass
class TeamPlan:
    """The team set-up the plan assumes: size, build order, roles, incentives and gene focus."""

    size: str                    # "small" (1–2) or "large" (3+)
    label: str
    headcount: int | None
    build_order: list[str]
    note: str
    roles: pd.DataFrame
    incentives: dict[str, str]
    gene: str | None
    focus: str
    emphasis_areas: list[str] = field(default_factory=list)
    emphasis_metrics: list[str] = field(default_factory=list)
    #: Every template role → the role in this team who does its work (itself in a large team).
    owners: dict[str, str] = field(default_factory=dict)

    def owner(self, role: str) -> str:
        """Return the role in this team that does ``role``'s work (``role`` itself when it is in the team)."""
        return self.owners.get(role, role)


def team_plan(template: Mapping[str, Any], *, headcount: int | None = None,
              gene: str | None = None, lang: str = "zh") -> TeamPlan:
    """Return the team plan: small (1–2 people) or large (3+) from ``headcount``, with the gene's focus.

    An unknown headcount is treated as a small team (the common case when a client
    starts); a small team's role table keeps only the roles one person can cover
    (``small_team: true``), each with the roles it takes over (``covered_by``) in a
    column 兼任, and :meth:`TeamPlan.owner` maps those roles to it.  The texts are in
    ``lang``: an English template's roles carry their twins, the team words (label, build
    order, note, incentives, gene focus) come from the ``ops`` catalogue by their Chinese;
    role names and kinds stay the keys that :func:`diag.strategy.wording.localize` words.
    """
    t = messages("ops", lang)

    def say(text: str) -> str:
        return word(text, lang, "ops", patterns=False)

    team = template["team"]
    size = "large" if headcount is not None and headcount >= 3 else "small"
    spec = team[size]
    roles = [r for r in team["roles"] if size == "large" or r.get("small_team")]
    owners = {r["role"]: (r["role"] if size == "large" or r.get("small_team") else r.get("covered_by") or r["role"])
              for r in team["roles"]}
    rows = []
    for r in roles:
        row = {"角色": r["role"], "类型": r["kind"], "责(职责)": r["responsibility"], "权(权限)": r["authority"],
               "利(利益)": r["benefit"], "KPI": t("list_sep").join(r["kpis"]), "激励": r["incentive"]}
        if size == "small":
            row["兼任"] = t("list_sep").join(word(k, lang) for k, v in owners.items()
                                             if v == r["role"] and k != r["role"]) or "—"
        rows.append(row)
    table = pd.DataFrame(rows)
    genes = team.get("genes", {})
    if gene is not None and gene not in genes:
        raise UsageError(f"unknown team gene '{gene}'; known: {', '.join(genes)}", where="team.gene")
    g = genes.get(gene, {}) if gene else {}
    label = t("team_small" if size == "small" else "team_large", headcount=say(spec["headcount"]))
    return TeamPlan(size, label, headcount, [say(b) for b in spec["build_order"]], say(spec.get("note", "")), table,
                    {k: say(v) for k, v in team.get("incentives", {}).items()}, gene,
                    say(g.get("focus", t("focus_missing"))), list(g.get("areas", [])), list(g.get("metrics", [])), owners)


def kpi_sheet(template: Mapping[str, Any], team: TeamPlan, gaps: pd.DataFrame | None = None,
              lang: str = "zh") -> pd.DataFrame:
    """Return the KPI sheet: each KPI with definition, owner, target, current value and gene emphasis.

    Headers, owners and 数据待核实 are the Chinese words :func:`diag.strategy.wording.localize`
    turns into ``lang``; the values carry their units in ``lang``.
    """
    current = {} if gaps is None else {r["metric"]: r for r in gaps.to_dict("records")}
    rows = []
    for k in template.get("kpis", []):
        metric = k.get("metric")
        gap = current.get(metric) if metric else None
        value = "—"
        target = k["target"]
        if gap is not None and gap.get("status") == "数据待核实":
            value = "数据待核实"
        elif gap is not None:
            value = _kpi_value(gap["value"], metric, gap["unit"], lang)
            target = f"{_kpi_value(gap['low'], metric, gap['unit'], lang)}–{_kpi_value(gap['high'], metric, gap['unit'], lang)}"
        rows.append({"KPI": k["name"], "定义": k["definition"], "负责人": team.owner(k["owner"]), "当前": value,
                     "目标": target, "重点": "★" if metric and metric in team.emphasis_metrics else ""})
    frame = pd.DataFrame(rows)
    if len(frame):  # the gene's metrics first: that is where this team wins
        frame = frame.sort_values("重点", ascending=False, kind="stable").reset_index(drop=True)
    return frame


# -- roadmap ----------------------------------------------------------------------------------

_AREA_OWNER = {"引流": "引流运营", "留存": "社群运营", "转化": "总PM", "复购": "社群运营", "裂变": "社群运营",
               "复制": "总PM"}


def plan_start(as_of: Any, today: _dt.date, given: Any = None) -> _dt.date:
    """Return the Monday the 30/60/90-day plan starts.

    ``given`` (a date the consultant sets) wins; otherwise the first Monday on or after
    both ``as_of`` (the day after the data ends) and ``today``, so that a report made
    weeks after the data's last day never schedules its first weeks in the past.
    """
    if given is not None:
        try:
            return pd.Timestamp(given).date()
        except (ValueError, TypeError):
            raise UsageError(f"expected a date like 2026-12-07, got {given!r}", file="plan_start") from None
    day = max(pd.Timestamp(as_of).date(), today)
    return day + _dt.timedelta(days=(7 - day.weekday()) % 7)


def roadmap(template: Mapping[str, Any], recommendations: pd.DataFrame, *, start: _dt.date,
            horizon: int = 90, top: int = 8, team: TeamPlan | None = None, lang: str = "zh") -> pd.DataFrame:
    """Return the 30/60/90-day plan: SOP phases, activity days, top actions and milestones.

    Columns ``task, stream (社群SOP / 活动 / 行动 / 里程碑), phase, start, end, owner,
    milestone, window, detail`` with dates; ``end`` is inclusive.  Phases come from the
    template's ``sop``; each activity sits inside its SOP phase (one activity day,
    spaced evenly; ongoing activities of 长期运营 span the phase); the ``top``
    recommendations fill their timing window (30天 = days 0–29, 60天 = 30–59, 90天 =
    60–89), together with the best action of every area (引流 … 复制) and of every
    window that the first ``top`` leave out, so fission and replication never drop out
    of the calendar; milestones close every phase and every 30 days (复盘).  With
    ``team`` every owner is a role of that team (:meth:`TeamPlan.owner`).  Task names
    and details are worded in ``lang``; ``stream``, ``phase`` and ``window`` keep the
    template's names.
    """
    t = messages("plan", lang)
    day = lambda n: start + _dt.timedelta(days=int(n))  # noqa: E731
    win = lambda d: "30天" if d < 30 else ("60天" if d < 60 else "90天")  # noqa: E731
    known = {r["role"] for r in template.get("team", {}).get("roles", [])}

    def who(role: str, fallback: str) -> str:
        # the default owners of activities and reviews may be missing from a firm's template
        role = role if role in known or not known else fallback
        return team.owner(role) if team is not None else role

    rows: list[dict[str, Any]] = []
    phases = {p["phase"]: p for p in template["sop"]["phases"]}
    for p in phases.values():
        s, e = p["start_day"], min(p["start_day"] + p["days"], horizon) - 1
        if s >= horizon:
            continue
        owner = who(p["owner"], p["owner"])
        rows.append({"task": t("roadmap_sop", phase=word(p["phase"], lang)), "stream": "社群SOP", "phase": p["phase"],
                     "start": day(s), "end": day(e), "owner": owner, "milestone": False, "window": win(s),
                     "detail": "; ".join(p["actions"])})
        rows.append({"task": t("roadmap_milestone", milestone=p["milestone"]), "stream": "里程碑", "phase": p["phase"],
                     "start": day(e), "end": day(e), "owner": owner, "milestone": True, "window": win(e),
                     "detail": t("roadmap_phase_end", phase=word(p["phase"], lang))})
    by_phase: dict[str, list[Mapping[str, Any]]] = {}
    for a in template.get("activities", []):
        by_phase.setdefault(a["sop_phase"], []).append(a)
    for name, acts in by_phase.items():
        p = phases[name]
        s, length = p["start_day"], min(p["days"], horizon - p["start_day"])
        for i, a in enumerate(acts):
            owner = who(_AREA_OWNER.get(a["area"], "社群运营"), p["owner"])
            if name == "长期运营" and a["area"] in ("留存", "复购"):
                d0, d1 = s, s + length - 1
            else:
                d0 = d1 = s + (i + 1) * length // (len(acts) + 1)
            if d0 < horizon:
                rows.append({"task": t("roadmap_activity", name=word(a["name"], lang)), "stream": "活动", "phase": name,
                             "start": day(d0),
                             "end": day(min(d1, horizon - 1)), "owner": owner, "milestone": False,
                             "window": win(d0), "detail": t("roadmap_activity_detail", what=a["what"], when=a["when"])})
    for r in _scheduled(recommendations, top).itertuples(index=False):
        lo, hi = _WINDOW[r.timing]
        if r.metric in METRICS:
            what = messages("actions", lang)("roadmap_what", area=word(r.area, lang), metric=_label(r.metric, lang))
        else:  # the rule's id is the template's Chinese name: in another language the area names it
            what = r.rule if lang == "zh" else word(r.area, lang)
        rows.append({"task": t("roadmap_action", priority=r.priority, what=what), "stream": "行动", "phase": r.timing,
                     "start": day(lo), "end": day(min(hi, horizon) - 1), "owner": who(r.owner, r.owner),
                     "milestone": False, "window": r.timing, "detail": r.action})
    reviewer = who("总PM", template["sop"]["phases"][-1]["owner"])
    for d in range(30, horizon + 1, 30):
        rows.append({"task": t("roadmap_review", day=d), "stream": "里程碑", "phase": win(d - 1),
                     "start": day(d - 1), "end": day(d - 1), "owner": reviewer, "milestone": True,
                     "window": win(d - 1), "detail": t("roadmap_review_detail")})
    order = {"社群SOP": 0, "活动": 1, "行动": 2, "里程碑": 3}
    frame = pd.DataFrame(rows)
    frame["_o"] = frame["stream"].map(order)
    frame = frame.sort_values(["_o", "start", "end"], kind="stable").drop(columns="_o")
    return frame.reset_index(drop=True)


def _scheduled(recommendations: pd.DataFrame, top: int) -> pd.DataFrame:
    """Return the actions the roadmap schedules: the first ``top``, plus the best of each area and window."""
    if recommendations.empty:
        return recommendations
    keep = set(recommendations.index[:top])
    for column in ("area", "timing"):
        keep |= set(recommendations.drop_duplicates(column).index)  # best first: the first of each
    return recommendations.loc[sorted(keep)]


# -- GMV scenarios ----------------------------------------------------------------------------

#: Default attainment of each recommendation's target: halfway there, the target, half as far again.
ATTAINMENT: dict[str, float] = {"保守": 0.5, "基准": 1.0, "乐观": 1.5}


def _reach(current: float, target: float, a: float, unit: str) -> float:
    """Return the attainment actually possible: a share stays within 0–100%, a count or time above 0."""
    step = target - current
    if step == 0:
        return a
    room = (1.0 - current) if (unit == "share" and step > 0) else (current if step < 0 else math.inf)
    return min(a, room / abs(step))


def _best_by_driver(recs: pd.DataFrame) -> dict[str, Any]:
    """Return, per GMV driver, the recommendation with the largest positive uplift (see :func:`gmv_scenarios`)."""
    best: dict[str, Any] = {}
    for r in recs.itertuples(index=False):
        driver = DRIVERS.get(r.metric)
        u = r.uplift
        if driver is None or u is None or pd.isna(u) or u <= 0 or r.current is None or pd.isna(r.current):
            continue
        if driver not in best or u > best[driver].uplift:
            best[driver] = r
    return best


def _moves(best: Mapping[str, Any], a: float, gmv: float) -> list[tuple[str, Any, float, float, float]]:
    """Return ``(driver, recommendation, attainment reached, moved value, gain in yuan)`` per driver moved."""
    out = []
    for driver in DRIVER_ORDER:
        r = best.get(driver)
        if r is None or gmv <= 0:
            continue
        reach = _reach(float(r.current), float(r.target), a, r.unit)
        moved = float(r.current) + reach * (float(r.target) - float(r.current))
        out.append((driver, r, reach, moved, reach * float(r.uplift)))
    return out


def scenario_moves(recs: pd.DataFrame, gmv: float, *, attainment: Mapping[str, float] | None = None
                   ) -> dict[str, dict[str, dict[str, float]]]:
    """Return each scenario's metric moves and driver gains: ``{情景: {"moves": {metric: value}, "gains": {driver: yuan}}}``.

    The same moves :func:`gmv_scenarios` prices, for the live session to set its levers
    to (:func:`diag.strategy.levers.levers_for_moves`).
    """
    best = _best_by_driver(recs)
    out = {}
    for name, a in dict(attainment or ATTAINMENT).items():
        moved = _moves(best, a, gmv)
        out[name] = {"moves": {r.metric: value for _d, r, _reach, value, _g in moved},
                     "gains": {d: gain for d, _r, _reach, _v, gain in moved}}
    return out


def gmv_scenarios(recs: pd.DataFrame, gmv: float, *, attainment: Mapping[str, float] | None = None,
                  lang: str = "zh") -> pd.DataFrame:
    """Return conservative / base / optimistic GMV from the plan's recommendations reaching their targets.

    Only metrics the plan acts on count: each recommendation (:func:`recommend`) whose
    metric feeds a driver of GMV = 用户数 × 购买频次 × 客单价 (:data:`DRIVERS`) and has a
    positive ``uplift`` at its ``target``.  A scenario's attainment ``a`` moves each
    such metric ``a`` of the way from its current value to that target (defaults
    :data:`ATTAINMENT`: 保守 0.5 halfway, 基准 1.0 the target, 乐观 1.5 half as far again
    past it; a share never past 100%); the uplift scales linearly, as in
    :func:`recommend`.  Within a driver only the largest uplift counts (its metrics
    describe the same lever; adding them would count it twice), and the drivers
    multiply: ``GMV_a = gmv × Π_d (1 + a × uplift_d ÷ gmv)`` (:func:`diag.strategy.levers.combine_drivers`,
    the engine the live session's levers run on).  Metrics no
    recommendation targets stay where they are, so with attainments that strictly
    increase the scenarios strictly increase whenever the plan has any GMV path.
    Columns ``情景, 目标达成度, 预计GMV, 增量, 增幅, 假设`` (the assumption worded in ``lang``).
    """
    t = messages("actions", lang)
    levels = dict(attainment or ATTAINMENT)
    best = _best_by_driver(recs)
    rows = []
    for name, a in levels.items():
        gains, parts = {}, []
        for driver, r, reach, moved, gain in _moves(best, a, gmv):
            gains[driver] = gain
            parts.append(t("scenario_part", driver=word(driver, lang), metric=_label(r.metric, lang),
                           current=_fmt(r.current, r.metric, r.unit, lang), moved=_fmt(moved, r.metric, r.unit, lang),
                           priority=r.priority, target=_fmt(r.target, r.metric, r.unit, lang), reach=reach, gain=gain))
        value = combine_drivers(gmv, gains)
        assumption = t("scenario_sep").join(parts) + t("scenario_rest") if parts else t("scenario_none")
        rows.append({"情景": name, "目标达成度": a, "预计GMV": value, "增量": value - gmv,
                     "增幅": value / gmv - 1 if gmv else 0.0, "假设": assumption})
    return pd.DataFrame(rows, columns=["情景", "目标达成度", "预计GMV", "增量", "增幅", "假设"])


# -- inputs and talking points ------------------------------------------------------------------

def measured_metrics(metrics: Mapping[str, Any], *extra: Mapping[str, Any]) -> dict[str, float]:
    """Return the vocabulary metrics (:data:`diag.industries.registry.METRICS`) found in ``metrics`` and ``extra``.

    ``metrics`` is the ``diag metrics`` JSON; ``extra`` mappings (e.g. WeCom figures
    recorded by the diagnosis section) fill in or override; non-numbers are skipped.
    """
    out: dict[str, float] = {}
    for source in (metrics, *extra):
        for key, value in (source or {}).items():
            if key in METRICS and isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and math.isfinite(value):
                out[key] = float(value)
    return out


def wecom_read(contacts: pd.DataFrame | None, groups: pd.DataFrame | None, lang: str = "zh") -> list[str]:
    """Return the names of the WeCom statistics that gave at least one row (联系客户统计, 群聊数据统计).

    A summary of missing statistics is still a dict (of ``None`` values), so whether
    WeCom data stands behind a plan is read from the tables themselves.
    """
    t = messages("strategy", lang)
    return [t(key) for key, frame in (("wecom_contacts", contacts), ("wecom_groups", groups))
            if frame is not None and len(frame)]


def data_basis(metrics: Mapping[str, Any], industry: str, *, contacts: pd.DataFrame | None = None,
               groups: pd.DataFrame | None = None, lang: str = "zh") -> str:
    """Return the sentence opening the strategy: the orders and, only when rows were read, the WeCom statistics."""
    t = messages("strategy", lang)
    wecom = wecom_read(contacts, groups, lang)
    also = t("basis_wecom", tables=t("list_sep").join(wecom)) if wecom else t("basis_no_wecom")
    return t("data_basis", first=metrics["first_date"], last=metrics["last_date"], orders=metrics["orders"],
             customers=metrics["customers"], also=also, template=industry)


def talking_points(gaps: pd.DataFrame, recs: pd.DataFrame, team: TeamPlan,
                   scenarios: pd.DataFrame | None = None, *, store_type: str = "",
                   opportunities: pd.DataFrame | None = None, lang: str = "zh") -> list[str]:
    """Return the sentences a consultant says when presenting the plan (in ``lang``, numbers filled in).

    With ``opportunities`` (:func:`diag.strategy.ranking.opportunities`) the first point names the
    first-ranked opportunity, so the talk follows the same ranking as the priorities.
    """
    t = messages("strategy", lang)
    sep = t("list_sep")
    points: list[str] = []
    behind = gaps[gaps["better"] == "落后"]
    ahead = gaps[gaps["better"] == "领先"]
    # AOV is mostly positioning (price system, category mix): said apart from the operating levers.
    levers = behind[behind["metric"] != "aov"]

    def span(top: Any) -> dict[str, str]:
        return {"value": _fmt(top["value"], top["metric"], top["unit"], lang),
                "low": _fmt(top["low"], top["metric"], top["unit"], lang),
                "high": _fmt(top["high"], top["metric"], top["unit"], lang)}

    def labels(frame: pd.DataFrame) -> str:
        return sep.join(_label(m, lang, zh) for m, zh in zip(frame["metric"], frame["label"]))

    if opportunities is not None and len(opportunities):
        top = opportunities.iloc[0]
        money = t("tp_money", yuan=top["yuan"]) if pd.notna(top["yuan"]) and top["yuan"] > 0 else ""
        points.append(t("tp_first_opportunity", label=_label(top["metric"], lang, top["label"]),
                        why=_status_word(top["why"], lang), money=money, **span(top)))
    elif opportunities is None and len(levers):
        ranked = levers.assign(_u=levers["uplift"].astype(float).fillna(0.0)).sort_values("_u", ascending=False)
        top = ranked.iloc[0]
        money = t("tp_money", yuan=top["uplift"]) if pd.notna(top["uplift"]) and top["uplift"] > 0 else ""
        points.append(t("tp_biggest_gap", label=_label(top["metric"], lang, top["label"]), money=money, **span(top)))
    if len(behind):
        points.append(t("tp_behind", count=len(behind), labels=labels(behind)))
    if (behind["metric"] == "aov").any():
        points.append(t("tp_aov"))
    if not len(behind):
        points.append(t("tp_none_behind"))
    if len(ahead):
        points.append(t("tp_ahead", labels=labels(ahead)))
    missing = gaps[gaps["status"] == "无数据"]
    if len(missing):
        points.append(t("tp_missing", count=len(missing), labels=labels(missing.head(3))))
    if store_type:
        hint = {"刚需高频": "tp_hint_frequent", "刚需低频": "tp_hint_infrequent", "小众需求": "tp_hint_niche"}.get(store_type)
        points.append(t("tp_store_type", store_type=word(store_type, lang), hint=t(hint) if hint else ""))
    if len(recs):
        first = recs.iloc[0]
        points.append(t("tp_first_priority", area=word(first["area"], lang), action=first["action"],
                        owner=word(first["owner"], lang), timing=word(first["timing"], lang)))
    points.append(t("tp_team", label=team.label, order=" → ".join(team.build_order)))
    if team.gene:
        points.append(t("tp_gene", gene=gene_word(team.gene, lang), focus=team.focus))
    if scenarios is not None and len(scenarios):
        base = scenarios[scenarios["情景"] == "基准"]
        row = base.iloc[0] if len(base) else scenarios.iloc[len(scenarios) // 2]
        if row["增量"] > 0:
            points.append(t("tp_scenario", name=word(row["情景"], lang), attainment=row["目标达成度"],
                            gmv=row["预计GMV"], growth=row["增幅"]))
        else:
            points.append(t("tp_no_scenario"))
    return points

# -- presentation helpers for the strategy notebook ---------------------------------------------

def funnel_counts(forward: pd.DataFrame) -> dict[str, float]:
    """Return the forward funnel's reachable people, people in groups, orders and their GMV."""
    people = forward["人数"]
    return {"reachable": float(people.iloc[0]), "in_group": float(people.iloc[1]),
            "sales": float(people.iloc[2]), "gmv": float(forward["GMV"].iloc[2])}


def roadmap_display(plan: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the roadmap table for the report: 阶段, 任务, 负责人, 开始, 结束, 说明 (headers and windows in ``lang``)."""
    schedule = plan.rename(columns={"task": "任务", "owner": "负责人", "start": "开始", "end": "结束",
                                    "window": "阶段", "detail": "说明"})
    return localize(schedule[["阶段", "任务", "负责人", "开始", "结束", "说明"]], lang)


def with_gap_cover(scenarios: pd.DataFrame, gap: float | None) -> pd.DataFrame:
    """Return :func:`gmv_scenarios` with 缺口覆盖 (increment ÷ target gap, at most 100%) when there is a gap."""
    if gap and gap > 0:
        return scenarios.assign(缺口覆盖=(scenarios["增量"] / gap).clip(upper=1.0))
    return scenarios


def scenarios_display(scenarios: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the GMV scenarios with their numbers formatted for the report, headers and scenario names in ``lang``."""
    shown = scenarios.assign(目标达成度=scenarios["目标达成度"].map("{:.0%}".format),
                             预计GMV=scenarios["预计GMV"].map("¥{:,.0f}".format),
                             增量=scenarios["增量"].map("¥{:,.0f}".format), 增幅=scenarios["增幅"].map("{:+.1%}".format))
    if "缺口覆盖" in shown:
        shown["缺口覆盖"] = scenarios["缺口覆盖"].map("{:.0%}".format)
    return localize(shown, lang)
