"""复盘 (review), part two: this diagnosis against the last one, and the last plan's recommendations.

Pure functions of two recorded results: the earlier run's ``results.json`` (as a
dict, read by :mod:`diag.run.since`) and the figures measured now.  An earlier
``results.json`` from an older kit version may lack any field: what is missing is
reported as 无数据, never an error.

* :func:`snapshot` — the figures an earlier results.json holds, tolerantly;
* :func:`compare_metrics` — key metrics then and now, with change and direction;
* :func:`driver_change` — the monthly-average GMV of the last whole months then and
  now, split exactly over its three drivers (LMDI, :func:`diag.areas.gmv.decompose_change`);
* :func:`followup` — each earlier recommendation's metric and target against the value
  measured now: 达成 / 未达成 / 无数据;
* :func:`carry_over` — what the new plan does with each earlier recommendation, and why.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import pandas as pd

from diag import catalog
from diag.areas.benchmark import LOWER_IS_BETTER
from diag.areas.gmv import decompose_change
from diag.format import format_number

__all__ = ["KEY_METRICS", "snapshot", "compare_metrics", "moved_most", "driver_change", "followup",
           "followup_display", "carry_over", "carry_over_display", "comparison_display", "current_values",
           "plan_followup", "summary_sentences", "drivers_display", "recorded_now", "MET", "NOT_MET", "NO_DATA"]

MET, NOT_MET, NO_DATA = "达成", "未达成", "无数据"

#: Key metrics compared then / now: key → (label, kind).  kind: yuan, count, share, days, ratio, minutes.
KEY_METRICS: dict[str, tuple[str, str]] = {key: (catalog.label(key), kind) for key, kind in (
    ("gmv", "yuan"), ("orders", "count"), ("customers", "count"), ("aov", "yuan"),
    ("orders_per_customer", "ratio"), ("repurchase_rate", "share"), ("repurchase_rate_90d", "share"),
    ("median_repurchase_days", "days"), ("group_active_share", "share"), ("member_activity", "share"),
    ("group_conversion", "share"), ("friend_accept_rate", "share"), ("reply_rate", "share"),
    ("avg_reply_minutes", "minutes"), ("deletion_rate", "share"))}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _get(tree: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(tree, Mapping):
            return None
        tree = tree.get(part)
    return tree


def snapshot(results: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return what an earlier ``results.json`` holds, with every missing part empty.

    Keys: ``values`` (key metric → number, from ``sections.diagnosis.data.metrics``
    and ``.measured``, then what ``sections.review.data.now`` recorded), ``monthly`` (list of
    ``{month, gmv, orders, customers}``), ``first_date``, ``last_date``,
    ``recommendations`` (list of dicts), ``generated_at``, ``client``, ``version``.
    """
    results = results if isinstance(results, Mapping) else {}
    metrics = _get(results, "sections", "diagnosis", "data", "metrics")
    if not isinstance(metrics, Mapping):   # a run without the diagnosis: what the review recorded
        metrics = _get(results, "sections", "review", "data", "now")
    metrics = metrics if isinstance(metrics, Mapping) else {}
    values: dict[str, float] = {}
    for source in (metrics, _get(results, "sections", "diagnosis", "data", "measured"),
                   _get(results, "sections", "review", "data", "now"),
                   _get(results, "sections", "intake", "data", "measured")):
        for key in KEY_METRICS:
            if key not in values and isinstance(source, Mapping) and _num(source.get(key)) is not None:
                values[key] = _num(source.get(key))  # type: ignore[assignment]
    monthly = metrics.get("monthly")
    monthly = [m for m in monthly if isinstance(m, Mapping)] if isinstance(monthly, list) else []
    recs = _get(results, "sections", "strategy", "data", "recommendations")
    recs = [r for r in recs if isinstance(r, Mapping)] if isinstance(recs, list) else []
    client = _get(results, "meta", "client")
    return {"values": values, "monthly": monthly, "first_date": metrics.get("first_date"),
            "last_date": metrics.get("last_date"), "recommendations": recs,
            "generated_at": _get(results, "meta", "generated_at"),
            "client": client.get("name") if isinstance(client, Mapping) else client,
            "version": _get(results, "meta", "diag_version")}


def _better(key: str, change: float | None) -> str:
    if change is None:
        return "—"
    if change == 0:
        return "持平"
    good = change < 0 if key in LOWER_IS_BETTER else change > 0
    return "变好" if good else "变差"


def compare_metrics(then: Mapping[str, Any], now: Mapping[str, Any]) -> pd.DataFrame:
    """Return the key metrics then and now: ``key, label, kind, then, now, change, change_pct, direction``.

    ``then`` / ``now`` map metric keys to numbers (:func:`snapshot` ``values`` and the
    current metrics).  ``change = now − then``; ``change_pct = change ÷ |then|`` (None
    when then is 0 or missing); ``direction`` 变好 / 变差 / 持平 from the metric's
    direction (a shorter repurchase cycle, reply time or a lower deletion rate is
    better), — when either side is missing.  Metrics missing on both sides are left out.
    """
    rows = []
    for key, (label, kind) in KEY_METRICS.items():
        a, b = _num(then.get(key)), _num(now.get(key))
        if a is None and b is None:
            continue
        change = None if a is None or b is None else round(b - a, 6)
        pct = None if change is None or not a else round(change / abs(a), 6)
        rows.append({"key": key, "label": label, "kind": kind, "then": a, "now": b, "change": change,
                     "change_pct": pct, "direction": _better(key, change)})
    return pd.DataFrame(rows, columns=["key", "label", "kind", "then", "now", "change", "change_pct",
                                       "direction"])


def moved_most(comparison: pd.DataFrame) -> pd.Series | None:
    """Return the comparison row whose relative change is largest in size (None when nothing moved)."""
    moved = comparison[comparison["change_pct"].notna() & (comparison["change_pct"] != 0)]
    if moved.empty:
        return None
    return moved.loc[moved["change_pct"].abs().idxmax()]


def _fmt(value: float | None, kind: str) -> str:
    if kind == "none":          # a recommendation without a metric: nothing to measure
        return "—"
    small_money = kind == "yuan" and value is not None and abs(value) < 100
    return format_number(value, kind, digits=2 if small_money else None, missing=NO_DATA)


def _fmt_change(row: Mapping[str, Any]) -> str:
    change = row["change"]
    if change is None or pd.isna(change):
        return "—"
    kind = row["kind"]
    if change == 0:
        return "0"
    if kind == "share":
        return f"{change * 100:+.1f}个百分点"
    sign = "+" if change >= 0 else "-"
    return sign + _fmt(abs(change), kind)


def comparison_display(comparison: pd.DataFrame) -> pd.DataFrame:
    """Return the then / now table for the report."""
    rows = [{"指标": r["label"], "上次": _fmt(r["then"], r["kind"]), "本次": _fmt(r["now"], r["kind"]),
             "变化": _fmt_change(r), "变化率": "—" if r["change_pct"] is None or pd.isna(r["change_pct"])
             else f"{r['change_pct']:+.1%}", "判断": r["direction"]} for r in comparison.to_dict("records")]
    return pd.DataFrame(rows, columns=["指标", "上次", "本次", "变化", "变化率", "判断"])


def _whole_months(monthly: list[Mapping[str, Any]], last_date: Any, months: int) -> list[Mapping[str, Any]]:
    """Return the last ``months`` whole months of a monthly list (the last month is whole from day 24 on)."""
    rows = [m for m in monthly if isinstance(m.get("month"), str) and _num(m.get("gmv")) is not None
            and _num(m.get("orders")) is not None and _num(m.get("customers")) is not None]
    rows.sort(key=lambda m: m["month"])
    if rows and last_date:
        try:
            last = pd.Timestamp(str(last_date))
        except (ValueError, TypeError):
            last = None
        if last is not None and rows[-1]["month"] == f"{last:%Y-%m}" and last.day < 24:
            rows = rows[:-1]
    return rows[-months:] if len(rows) >= months else []


def driver_change(then_monthly: list[Mapping[str, Any]], then_last: Any, now_monthly: list[Mapping[str, Any]],
                  now_last: Any, months: int = 3) -> tuple[pd.DataFrame | None, str, str]:
    """Return the LMDI split of the monthly-average GMV of the last whole months, then → now.

    Each side's last ``months`` whole months (fewer when the data are short) give a
    monthly average: buyers = mean monthly buyers, orders per buyer = orders ÷ buyer-
    months, AOV = GMV ÷ orders; their product is the mean monthly GMV.  Returns
    (:func:`~diag.areas.gmv.decompose_change` frame, label then, label now), or
    ``(None, "", "")`` when either side has no whole month.
    """
    for n in range(months, 0, -1):
        a, b = _whole_months(then_monthly, then_last, n), _whole_months(now_monthly, now_last, n)
        if a and b:
            break
    else:
        return None, "", ""

    def average(rows: list[Mapping[str, Any]]) -> dict[str, float]:
        k = len(rows)
        return {"buyers": sum(float(r["customers"]) for r in rows) / k,
                "orders": sum(float(r["orders"]) for r in rows) / k,
                "gmv": sum(float(r["gmv"]) for r in rows) / k}

    def label(rows: list[Mapping[str, Any]]) -> str:
        return rows[0]["month"] if len(rows) == 1 else f"{rows[0]['month']}～{rows[-1]['month']}"

    table = decompose_change(average(a), average(b))
    table["label"] = table["driver"].map({"buyers": "月均购买用户数", "orders_per_buyer": "人均订单数",
                                          "aov": "客单价", "gmv": "月均GMV"})
    return table, label(a), label(b)


def _status(metric: str, target: float | None, now: float | None) -> str:
    if target is None or now is None:
        return NO_DATA
    met = now <= target if metric in LOWER_IS_BETTER else now >= target
    return MET if met else NOT_MET


def followup(recommendations: list[Mapping[str, Any]], now: Mapping[str, Any]) -> pd.DataFrame:
    """Return each earlier recommendation with its metric's value then, target and value now.

    Columns: ``priority, area, action, rule, metric, unit, then, target, now, status,
    progress``.  ``status`` is 达成 when the value now reaches the target (at or
    below it for lower-is-better metrics), 未达成 when it does not, 无数据 when the
    recommendation named no metric or target or the metric is not measured now.
    ``progress = (now − then) ÷ (target − then)``: the share of the planned move made
    (None when the plan asked for no move).
    """
    rows = []
    for i, r in enumerate(recommendations, start=1):
        metric = str(r.get("metric") or "")
        then, target = _num(r.get("current")), _num(r.get("target"))
        value = _num(now.get(metric)) if metric else None
        status = _status(metric, target, value)
        progress = None
        if then is not None and target is not None and value is not None and target != then:
            progress = round((value - then) / (target - then), 6)
        rows.append({"priority": r.get("priority") if _num(r.get("priority")) is not None else i,
                     "area": r.get("area") or "", "action": str(r.get("action") or ""),
                     "rule": str(r.get("rule") or ""), "metric": metric, "unit": str(r.get("unit") or ""),
                     "then": then, "target": target, "now": value, "status": status, "progress": progress})
    return pd.DataFrame(rows, columns=["priority", "area", "action", "rule", "metric", "unit", "then", "target",
                                       "now", "status", "progress"])


def _kind(metric: str, unit: str) -> str:
    if metric in KEY_METRICS:
        return KEY_METRICS[metric][1]
    return {"share": "share", "yuan": "yuan", "days": "days", "minutes": "minutes"}.get(unit, "ratio")


def followup_display(table: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return the follow-up table for the report: 建议 / 指标 / 上次 / 目标 / 本次 / 结论."""
    labels = labels or {}
    rows = []
    for r in table.to_dict("records"):
        kind = _kind(r["metric"], r["unit"]) if r["metric"] else "none"
        label = labels.get(r["metric"]) or (KEY_METRICS.get(r["metric"], (r["metric"],))[0] if r["metric"] else "—")
        progress = r["progress"]
        if progress is None or pd.isna(progress) or r["status"] == MET:
            done = ""
        elif abs(progress) < 0.005:
            done = "（与上次持平）"
        else:
            done = f"（完成计划变化的 {progress:.0%}）"
        rows.append({"优先级": r["priority"], "建议": r["action"], "指标": label, "上次": _fmt(r["then"], kind),
                     "目标": _fmt(r["target"], kind), "本次": _fmt(r["now"], kind), "结论": r["status"] + done})
    return pd.DataFrame(rows, columns=["优先级", "建议", "指标", "上次", "目标", "本次", "结论"])


def carry_over(previous: pd.DataFrame, new_recs: pd.DataFrame | None) -> pd.DataFrame:
    """Return, per earlier recommendation, what the new plan does with it and why.

    ``previous`` is :func:`followup` output; ``new_recs`` the new plan's
    recommendations (:func:`diag.strategy.playbook.recommend`; matched by ``rule``, else by
    ``metric``).  Columns: ``action, metric, status, decision, reason, new_priority``.
    Decisions: 延续 (not met, or no data, and the new plan still has it), 调整 (not met
    but the new gaps no longer call for it), 转为保持 (met: keep the level, no new
    push), 补数据 (no data to judge it).
    """
    recs = new_recs if new_recs is not None else pd.DataFrame(columns=["rule", "metric", "priority"])
    rows = []
    for r in previous.to_dict("records"):
        match = recs[recs["rule"].astype(str) == r["rule"]] if r["rule"] and "rule" in recs else recs.iloc[0:0]
        if match.empty and r["metric"] and "metric" in recs:
            match = recs[recs["metric"].astype(str) == r["metric"]]
        kept = not match.empty
        priority = int(match["priority"].iloc[0]) if kept and "priority" in match else None
        if r["status"] == MET:
            decision = "转为保持"
            reason = "目标已达成；新计划不再加码，按现有做法保持" + ("，但新的差距仍触发同类行动" if kept else "")
        elif r["status"] == NOT_MET:
            if kept:
                decision, reason = "延续", f"目标未达成，指标仍落后，列为新计划第 {priority} 项"
            else:
                decision, reason = "调整", "目标未达成，但按本次数据已不再是优先差距，换用新计划中的行动"
        elif not r["metric"]:
            decision = "延续" if kept else "调整"
            reason = ("没有对应的指标，执行情况由顾问与客户确认" +
                      (f"；新计划仍列为第 {priority} 项" if kept else "；新计划不再单列"))
        else:
            decision = "延续" if kept else "补数据"
            reason = ("本次无法测量该指标，先补齐数据再判断" + (f"；新计划仍列为第 {priority} 项" if kept else ""))
        rows.append({"action": r["action"], "metric": r["metric"], "status": r["status"], "decision": decision,
                     "reason": reason, "new_priority": priority})
    return pd.DataFrame(rows, columns=["action", "metric", "status", "decision", "reason", "new_priority"])


def carry_over_display(table: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return the carry-over table for the report: 上次建议 / 指标 / 结论 / 新计划 / 原因."""
    labels = labels or {}
    rows = [{"上次建议": r["action"], "指标": labels.get(r["metric"]) or r["metric"] or "—", "上次目标": r["status"],
             "新计划": r["decision"], "原因": r["reason"]} for r in table.to_dict("records")]
    return pd.DataFrame(rows, columns=["上次建议", "指标", "上次目标", "新计划", "原因"])


def recorded_now(metrics: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, Any]:
    """Return what a review records of today's figures, so that the next run can compare with it."""
    out: dict[str, Any] = {k: now[k] for k in KEY_METRICS if _num(now.get(k)) is not None}
    out.update({k: metrics.get(k) for k in ("first_date", "last_date")})
    out["monthly"] = [{k: m.get(k) for k in ("month", "gmv", "orders", "customers")}
                      for m in metrics.get("monthly") or [] if isinstance(m, Mapping)]
    return out


def current_values(metrics: Mapping[str, Any], measured: Mapping[str, Any] | None = None) -> dict[str, float]:
    """Return the numbers measured now, by key: the orders metrics, then the measured vocabulary (which wins)."""
    out: dict[str, float] = {}
    for source in (metrics, measured or {}):
        for key, value in source.items():
            if _num(value) is not None:
                out[key] = _num(value)  # type: ignore[assignment]
    return out


def plan_followup(previous: Mapping[str, Any] | None, now: Mapping[str, Any]) -> pd.DataFrame:
    """Return :func:`followup` of the recommendations recorded in an earlier results.json (empty without any)."""
    return followup(snapshot(previous)["recommendations"], now)


def summary_sentences(comparison: pd.DataFrame, change: pd.DataFrame | None, label_then: str,
                      label_now: str, follow: pd.DataFrame | None = None) -> list[str]:
    """Return the review's findings against the last diagnosis, one Chinese sentence each."""
    out = []
    top = moved_most(comparison)
    if top is not None:
        out.append(f"与上次相比变化最大的是「{top['label']}」：{_fmt(top['then'], top['kind'])} → "
                   f"{_fmt(top['now'], top['kind'])}（{top['change_pct']:+.1%}，{top['direction']}）。")
    if change is not None:
        parts = change.set_index("driver")
        total = float(parts.loc["gmv", "contribution"])
        drivers = parts.drop(index="gmv")
        main = drivers["contribution"].abs().idxmax()
        same = label_then == label_now
        if total == 0:
            out.append(f"月均 GMV 与上次相同（{_fmt(parts.loc['gmv', 'period_b'], 'yuan')}，{label_now}）"
                       + ("：两次数据的最近完整月份相同。" if same else "。"))
        else:
            out.append(f"月均 GMV 从 {_fmt(parts.loc['gmv', 'period_a'], 'yuan')}（{label_then}）到 "
                       f"{_fmt(parts.loc['gmv', 'period_b'], 'yuan')}（{label_now}），变化 "
                       f"{'+' if total >= 0 else '-'}{_fmt(abs(total), 'yuan')}；主要由「{drivers.loc[main, 'label']}」带动"
                       f"（贡献 {'+' if drivers.loc[main, 'contribution'] >= 0 else '-'}"
                       f"{_fmt(abs(float(drivers.loc[main, 'contribution'])), 'yuan')}）。")
    if follow is not None and len(follow):
        counts = follow["status"].value_counts()
        out.append(f"上次计划的 {len(follow)} 条建议：达成 {counts.get(MET, 0)} 条，未达成 {counts.get(NOT_MET, 0)} 条，"
                   f"无数据 {counts.get(NO_DATA, 0)} 条（没有可测的指标或本次无法测量）。")
    return out


def drivers_display(change: pd.DataFrame, label_then: str, label_now: str) -> pd.DataFrame:
    """Return the then → now driver split for the report (:func:`driver_change` output, formatted)."""
    kinds = {"buyers": "buyers", "orders_per_buyer": "ratio", "aov": "yuan", "gmv": "yuan"}
    rows = []
    for r in change.to_dict("records"):
        kind = kinds.get(r["driver"], "ratio")

        def show(value: float, kind: str = kind) -> str:
            return f"{value:,.1f}人" if kind == "buyers" else _fmt(value, kind)

        rows.append({"驱动因素": r["label"], f"上次 {label_then}": show(r["period_a"]),
                     f"本次 {label_now}": show(r["period_b"]),
                     "变化率": "—" if pd.isna(r["change_pct"]) else f"{r['change_pct']:+.1%}",
                     "对月均GMV变化的贡献": f"{'+' if r['contribution'] >= 0 else '-'}{_fmt(abs(r['contribution']), 'yuan')}"})
    return pd.DataFrame(rows)
