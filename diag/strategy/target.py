"""The client's GMV target as the spine of the diagnosis: baseline, gap and the KPI tree.

Pure functions (no I/O, no plotting, no printing):

- :func:`baseline` — GMV of the last ``horizon`` whole months up to ``as_of`` (scaled,
  and said so, when the data hold fewer whole months);
- :func:`target_summary` — ``{gmv_target, horizon_months, baseline_gmv, gap,
  required_growth, …}`` as recorded in ``sections.strategy.data.target``;
- :func:`kpi_tree` — GMV = 用户数 × 购买转化率 × 人均订单数 × 客单价 with, for each
  driver, today's value, the level that alone would close the gap, its benchmark and
  the yuan at stake (from :mod:`diag.strategy.ranking`), plus the new / repeat split.

Definitions are in :mod:`diag.catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from diag.areas.benchmark import number_or_none
from diag.catalog import known, label
from diag.format import format_number
from diag.messages import messages

__all__ = ["Baseline", "baseline", "target_summary", "kpi_tree", "DEFAULT_HORIZON", "target_sentence",
           "kpi_tree_display", "target_question", "baseline_note", "note_text"]

#: Horizon in months when the brief gives a target without a timeline.
DEFAULT_HORIZON = 12
_DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Baseline:
    """The baseline window: the GMV the target is measured against."""

    gmv: float                 # over the horizon (scaled when the data are shorter)
    raw_gmv: float             # GMV actually observed in the window
    horizon_months: int
    months: list[str]          # whole months used, oldest first
    scaled: bool
    note: str
    window: pd.DataFrame = field(repr=False)      # the window's orders
    before: pd.DataFrame = field(repr=False)      # orders before the window
    #: The note's message key (``summary`` catalogue) and fields, to word it in another language.
    note_key: str = "baseline_whole"
    note_fields: dict[str, Any] = field(default_factory=dict)

    @property
    def factor(self) -> float:
        """Return baseline ÷ observed GMV (1.0 when no scaling was needed)."""
        return self.gmv / self.raw_gmv if self.raw_gmv else 1.0


def _whole_months(paid: pd.Series, as_of: Any) -> list[pd.Period]:
    """Return the calendar months the data cover entirely, before ``as_of`` (exclusive)."""
    if paid.empty:
        return []
    first, end = paid.min().normalize(), pd.Timestamp(as_of).normalize()
    months = pd.period_range(first.to_period("M"), (end - pd.Timedelta(days=1)).to_period("M"), freq="M")
    return [m for m in months if m.start_time >= first and m.end_time.normalize() < end]


def baseline(orders: pd.DataFrame, as_of: Any, horizon_months: int) -> Baseline:
    """Return the GMV of the last ``horizon_months`` whole months of ``orders`` up to ``as_of``.

    A month is whole when the data begin on or before its first day and ``as_of`` (the
    first day not covered, "today") is after its last day.  With fewer whole months
    than the horizon, the months there are are scaled: ``GMV × horizon ÷ months``; with
    none, all the data are scaled by days (``GMV × horizon × 30.44 ÷ days``).  The note
    says which.
    """
    horizon = max(1, int(horizon_months))
    paid = pd.to_datetime(orders["paid_at"])
    amount = pd.to_numeric(orders["amount"], errors="coerce").fillna(0.0)
    months = _whole_months(paid, as_of)[-horizon:]
    if months:
        start, stop = months[0].start_time, months[-1].end_time
        inside = (paid >= start) & (paid <= stop)
        raw = float(amount[inside].sum())
        scaled = len(months) < horizon
        value = raw * horizon / len(months)
        names = [str(m) for m in months]
        key, fields = ("baseline_scaled" if scaled else "baseline_whole"), {"months": len(months), "horizon": horizon,
                                                                           "first": names[0], "last": names[-1]}
        window, before = orders[inside.values], orders[(paid < start).values]
    else:
        end = pd.Timestamp(as_of).normalize()
        days = max(1, (end - paid.min().normalize()).days) if len(paid) else 1
        raw = float(amount.sum())
        value = raw * horizon * _DAYS_PER_MONTH / days
        scaled, names = True, []
        key, fields = "baseline_days", {"days": days, "horizon": horizon}
        window, before = orders, orders.iloc[0:0]
    return Baseline(value, raw, horizon, names, scaled, note_text(key, fields), window, before, key, fields)


def note_text(key: str, fields: Mapping[str, Any], lang: str = "zh") -> str:
    """Return the baseline note ``key`` (``summary`` catalogue) with its ``fields`` in ``lang``."""
    t = messages("summary", lang)
    values = dict(fields)
    if "first" in values:
        values["span"] = values["first"] if values["first"] == values["last"] else \
            t("baseline_span", first=values["first"], last=values["last"])
    return t(key, **values)


def baseline_note(target: Mapping[str, Any], lang: str = "zh") -> str:
    """Return the target record's baseline note in ``lang`` (as recorded when the record has no note key)."""
    key = target.get("baseline_note_key")
    if not key or lang == "zh":
        return str(target["baseline_note"])
    return note_text(str(key), target.get("baseline_note_fields") or {}, lang)


def target_summary(goals: Any, base: Baseline) -> dict[str, Any]:
    """Return the target record: ``gmv_target, horizon_months, baseline_gmv, gap, required_growth``.

    Also ``status`` (``missing`` without a target, ``met`` when the baseline already
    reaches it, else ``gap``), ``horizon_source`` and the baseline's ``baseline_note``,
    ``baseline_months`` and ``baseline_scaled``.  Without a target, ``gmv_target``,
    ``gap`` and ``required_growth`` are ``None``.
    """
    target = getattr(goals, "gmv_target", None)
    months = getattr(goals, "timeline_months", None)
    out: dict[str, Any] = {
        "gmv_target": float(target) if target else None, "horizon_months": base.horizon_months,
        "baseline_gmv": round(base.gmv, 2), "gap": None, "required_growth": None,
        "status": "missing", "horizon_source": "需求澄清表" if months else f"未填写, 按 {DEFAULT_HORIZON} 个月计",
        "baseline_note": base.note, "baseline_months": base.months, "baseline_scaled": base.scaled,
        "baseline_note_key": base.note_key, "baseline_note_fields": dict(base.note_fields),
    }
    if target:
        gap = float(target) - base.gmv
        out["gap"] = round(gap, 2)
        out["required_growth"] = float(target) / base.gmv - 1 if base.gmv > 0 else None
        out["status"] = "met" if gap <= 0 else "gap"
    return out


def horizon_of(goals: Any) -> int:
    """Return the target's horizon in months: ``goals.timeline_months``, else :data:`DEFAULT_HORIZON`."""
    return int(getattr(goals, "timeline_months", None) or DEFAULT_HORIZON)


def target_sentence(target: Mapping[str, Any], lang: str = "zh") -> str:
    """Return the executive summary's first sentence: target, baseline and gap in yuan (in ``lang``)."""
    t = messages("strategy", lang)
    h, base = target["horizon_months"], target["baseline_gmv"]
    scaled = t("scaled_note", note=baseline_note(target, lang)) if target.get("baseline_scaled") else ""
    if target["gmv_target"] is None:
        return t("target_none", h=h, base=base, scaled=scaled)
    if target["status"] == "met":
        return t("target_met", h=h, target=target["gmv_target"], base=base, scaled=scaled, over=-target["gap"])
    return t("target_gap", h=h, target=target["gmv_target"], base=base, scaled=scaled, gap=target["gap"],
             growth=target["required_growth"])


def target_question(target: Mapping[str, Any], lang: str = "zh") -> dict[str, str] | None:
    """Return the 待确认问题 the target raises (no target, or one already met) in ``lang``, else None."""
    t = messages("summary", lang)
    if target["gmv_target"] is None:
        return {"priority": t("priority_high"), "item": t("question_target_item"),
                "finding": t("question_none_finding"), "question": t("question_none")}
    if target["status"] == "met":
        return {"priority": t("priority_medium"), "item": t("question_target_item"),
                "finding": t("question_met_finding", target=target["gmv_target"], h=target["horizon_months"],
                             base=target["baseline_gmv"]),
                "question": t("question_met")}
    return None


# -- KPI tree -----------------------------------------------------------------------------

#: Tree driver → the benchmark metric whose range applies to it (same definition over a period).
_BENCH = {"aov": "aov", "orders_per_buyer": "orders_per_customer"}




def kpi_tree(base: Baseline, target: Mapping[str, Any], *, reachable: float | None,
             benchmarks: Mapping[str, Any] | None = None,
             driver_gaps: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Return the KPI tree to the target, one row per driver.

    GMV(基线期) = 可触达用户数 × 购买转化率 × 人均订单数 × 客单价 when ``reachable`` is
    known, else 购买用户数 × 人均订单数 × 客单价; then the split 新客 GMV + 老客 GMV.

    Columns ``driver, label, value, needed, bench_low, bench_high, yuan_gap, role``:
    ``needed`` is the level that alone closes the gap (value × target ÷ baseline; None
    without a gap), ``bench_*`` the template's range where one applies, ``yuan_gap`` the
    GMV over the horizon that the driver's below-benchmark metrics put at stake
    (``driver_gaps``, from :func:`diag.strategy.ranking.driver_gaps`; 0 when none), ``role`` is
    ``factor`` for the product's terms and ``split`` for the new / repeat split.
    """
    w = base.window
    amount = pd.to_numeric(w["amount"], errors="coerce").fillna(0.0)
    gmv = float(amount.sum())
    orders = int(w["order_id"].nunique()) if "order_id" in w else len(w)
    buyers = int(w["customer_id"].nunique())
    earlier = set(base.before["customer_id"].unique()) if len(base.before) else set()
    repeat_mask = w["customer_id"].isin(earlier)
    ratio = None
    if target.get("gmv_target") and target.get("gap") is not None and target["gap"] > 0 and base.gmv > 0:
        ratio = float(target["gmv_target"]) / base.gmv
    benchmarks = benchmarks or {}
    gaps = driver_gaps or {}
    rows: list[dict[str, Any]] = []

    def add(key: str, value: float | None, role: str = "factor") -> None:
        bench = benchmarks.get(_BENCH.get(key, ""), {}) if role == "factor" else {}
        needed = value * ratio if (ratio and value is not None and role == "factor") else None
        if key == "purchase_conversion" and needed is not None:
            needed = min(needed, 1.0) if needed <= 1 else None  # a share cannot pass 100%
        rows.append({"driver": key, "label": label(key), "value": value, "needed": needed,
                     "bench_low": number_or_none(bench.get("low")), "bench_high": number_or_none(bench.get("high")),
                     "yuan_gap": float(gaps.get(key, 0.0)) if role == "factor" else None, "role": role})

    if reachable:
        add("reachable_users", float(reachable))
        add("purchase_conversion", buyers / float(reachable))
    else:
        add("buyers", float(buyers))
    add("orders_per_buyer", orders / buyers if buyers else None)
    add("aov", gmv / orders if orders else None)
    add("new_buyer_gmv", float(amount[~repeat_mask.values].sum()) * base.factor, "split")
    add("repeat_buyer_gmv", float(amount[repeat_mask.values].sum()) * base.factor, "split")
    return pd.DataFrame(rows, columns=["driver", "label", "value", "needed", "bench_low", "bench_high",
                                       "yuan_gap", "role"])


UNITS = {"reachable_users": "count", "buyers": "count", "purchase_conversion": "share",
         "orders_per_buyer": "ratio", "aov": "yuan", "new_buyer_gmv": "yuan", "repeat_buyer_gmv": "yuan"}


def show_value(value: Any, unit: str) -> str:
    """Return a KPI-tree value as printed (count, share, ratio or yuan)."""
    return format_number(number_or_none(value), unit)


def kpi_tree_display(tree: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the KPI tree for the report (驱动因素 / 现状 / 单独补缺口需达到 / 行业区间 / 落后区间的GMV),
    headers in ``lang`` and each driver named by the metric catalogue."""
    from diag.strategy.wording import localize

    t = messages("summary", lang)
    rows = []
    for r in tree.itertuples(index=False):
        unit = UNITS.get(r.driver, "ratio")
        bench = t("dash") if r.bench_low is None or pd.isna(r.bench_low) else \
            t("range", low=show_value(r.bench_low, unit), high=show_value(r.bench_high, unit))
        split = r.role == "split"
        name = label(r.driver, lang) if known(r.driver) else r.label
        rows.append({"驱动因素": t("tree_split", label=name) if split else name, "现状": show_value(r.value, unit),
                     "单独补足缺口需达到": t("dash") if split else show_value(r.needed, unit), "行业区间": bench,
                     "低于行业区间损失的GMV": t("dash") if split or not r.yuan_gap else t("yuan", value=r.yuan_gap)})
    return localize(pd.DataFrame(rows), lang)
