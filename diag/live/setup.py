"""Where the live session's levers start: the client's recorded results, the brief, the template.

Pure functions: :func:`live_setup` reads the parsed ``results.json``, the brief and the
industry template and returns the :class:`diag.strategy.levers.Baseline` with one
:class:`Slider` per lever — its starting value and where that value came from
(实测 measured, 需求澄清表 the brief, 推算 derived, 行业中值 the template, 示例 the
worked example), the industry benchmark range and the slider's span — plus the report's
GMV scenarios as lever presets.

The funnel's three counts (可触达 → 好友 → 社群成员) are taken from the brief where it
states them and filled in from the rates where it does not, then made monotone (no
stage larger than the one before), so the rates stay shares and the community stage
equals the brief's group members — the base of the report's group-conversion gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from diag.areas.benchmark import number_or_none as _num
from diag.errors import DataError
from diag.strategy import levers as lv

__all__ = ["Slider", "LiveSetup", "live_setup", "SOURCE_MEASURED", "SOURCE_BRIEF", "SOURCE_DERIVED",
           "SOURCE_TEMPLATE", "SOURCE_EXAMPLE"]

SOURCE_MEASURED, SOURCE_BRIEF, SOURCE_DERIVED = "实测", "需求澄清表", "推算"
SOURCE_TEMPLATE, SOURCE_EXAMPLE = "行业中值", "示例"

#: The worked example's values (diag.strategy.funnel): 5,000 reachable, 1:10 invitation, 4% purchase intent.
_EXAMPLE = {"reachable": 5000.0, "invite_success": 0.1, "group_conversion": 0.04}


@dataclass(frozen=True)
class Slider:
    """One lever as the page shows it."""

    key: str
    label: str
    unit: str
    driver: str
    definition: str
    value: float
    source: str
    note: str
    low: float | None          # industry benchmark range, None when the template has none
    high: float | None
    bench_note: str
    min: float
    max: float
    step: float

    def to_dict(self) -> dict[str, Any]:
        """Return the slider as plain JSON types."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class LiveSetup:
    """Everything the live page starts from."""

    client: str
    industry: str
    period: str
    baseline: lv.Baseline
    sliders: list[Slider]
    presets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def start(self) -> dict[str, float]:
        """Return the starting value of every lever."""
        return {s.key: s.value for s in self.sliders}


def _positive(value: Any) -> float | None:
    number = _num(value)
    return number if number is not None and number > 0 else None


def _mid(benchmarks: Mapping[str, Any], key: str) -> float | None:
    b = benchmarks.get(key)
    return None if not b else (float(b["low"]) + float(b["high"])) / 2


def _funnel_start(reachable: float | None, friends: float | None, members: float | None,
                  add: tuple[float, str], invite: tuple[float, str]) -> dict[str, tuple[float, str, str]]:
    """Return (value, source, note) for reachable, add_rate and join_rate."""
    a_default, a_source = add
    j_default = min(1.0, invite[0] / a_default) if a_default > 0 else 1.0
    r, f, m = reachable, friends, members
    notes = {"reachable": "", "add_rate": "", "join_rate": ""}
    src = {"reachable": SOURCE_BRIEF if r else "", "add_rate": "", "join_rate": ""}
    if f is None and m is not None:
        f = m / j_default if j_default > 0 else m
        notes["add_rate"] = "好友数未填, 按社群人数推算"
    if f is None and r is not None:
        f = r * a_default
    if r is None:
        if f is not None and a_default > 0:
            r, src["reachable"], notes["reachable"] = f / a_default, SOURCE_DERIVED, "好友数 ÷ 加粉率"
        else:
            r, src["reachable"], notes["reachable"] = _EXAMPLE["reachable"], SOURCE_EXAMPLE, "需求澄清表未填, 先用示例值"
            f = r * a_default
    assert f is not None
    if m is None:
        m = f * j_default
    if m > f:
        f = m
        notes["join_rate"] = "社群人数多于好友数, 按全部好友在群计"
    if f > r:
        notes["reachable"] = f"需求澄清表 {r:,.0f}人, 少于好友数"
        r = f
        src["reachable"] = SOURCE_DERIVED
    a = f / r if r > 0 else a_default
    j = m / f if f > 0 else j_default
    stated = {"add_rate": friends is not None and reachable is not None,
              "join_rate": members is not None and friends is not None}
    for key, value, default, default_source in (("add_rate", a, a_default, a_source),
                                                ("join_rate", j, j_default, invite[1])):
        if stated[key]:
            src[key] = SOURCE_BRIEF
        elif math.isclose(value, default, rel_tol=1e-9):
            src[key] = default_source
        else:
            src[key] = SOURCE_DERIVED
    return {"reachable": (r, src["reachable"], notes["reachable"]), "add_rate": (a, src["add_rate"], notes["add_rate"]),
            "join_rate": (j, src["join_rate"], notes["join_rate"])}


def _period_days(metrics: Mapping[str, Any]) -> int:
    try:
        first = pd.Timestamp(metrics["first_date"])
        last = pd.Timestamp(metrics["last_date"])
    except (KeyError, TypeError, ValueError):
        return 30
    return max(1, (last - first).days + 1)


def _span(key: str, unit: str, value: float, high: float | None) -> tuple[float, float, float]:
    """Return (min, max, step) of a slider: room to at least double the value and pass the benchmark."""
    top = max(value * 2, (high or 0) * 1.5)
    if unit == "share":
        top = min(1.0, max(top, 0.05))
        return 0.0, round(top, 3), 0.001
    if key == "frequency":
        return 1.0, max(3.0, math.ceil(top)), 0.01
    if unit == "count":
        return 0.0, max(1.0, round(top, 2)), 0.01
    top = max(top, 10.0)
    step = 10 ** max(0, math.floor(math.log10(top / 500))) if top >= 500 else 1
    return 0.0, float(math.ceil(top / step) * step), float(step)


def _benchmarks(results: Mapping[str, Any], template: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the benchmark ranges the report used (recorded gaps), else the template's."""
    out: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (template.get("benchmarks") or {}).items()}
    gaps = _strategy(results).get("benchmark_gaps") or []
    for g in gaps:
        if isinstance(g, dict) and g.get("metric") and _num(g.get("low")) is not None:
            out[g["metric"]] = {**out.get(g["metric"], {}), "low": g["low"], "high": g["high"],
                                "source": g.get("source", out.get(g["metric"], {}).get("source", ""))}
    return out


def _section_data(results: Mapping[str, Any], name: str) -> dict[str, Any]:
    section = (results.get("sections") or {}).get(name) or {}
    data = section.get("data") if isinstance(section, dict) else None
    return data if isinstance(data, dict) else {}


def _strategy(results: Mapping[str, Any]) -> dict[str, Any]:
    return _section_data(results, "strategy")


def live_setup(results: Mapping[str, Any], brief: Any, template: Mapping[str, Any], *,
               results_file: str = "results.json") -> LiveSetup:
    """Return the baseline, sliders and presets for the live page.

    ``results`` is the parsed ``results.json`` (its diagnosis section's ``metrics`` and
    ``measured``, the strategy section's ``benchmark_gaps`` and ``recommendations``),
    ``brief`` a :class:`diag.brief.model.Brief`, ``template`` its industry template.  Raises
    :class:`DataError` naming ``results_file`` when the diagnosis recorded no GMV,
    customers or orders.
    """
    metrics = _section_data(results, "diagnosis").get("metrics")
    if not isinstance(metrics, dict):
        raise DataError("expected the diagnosis section's recorded metrics; run `diag run BRIEF` first",
                        file=results_file, where="sections.diagnosis.data.metrics")
    for key in ("gmv", "customers", "orders"):
        if not (_num(metrics.get(key)) or 0) > 0:
            raise DataError(f"expected a positive {key}, got {metrics.get(key)!r}", file=results_file,
                            where=f"sections.diagnosis.data.metrics.{key}")
    measured = {**metrics, **(_section_data(results, "diagnosis").get("measured") or {})}
    bench = _benchmarks(results, template)
    customers: float  # counts, scaled below to the target's baseline
    orders: float
    gmv, customers, orders = float(metrics["gmv"]), int(metrics["customers"]), int(metrics["orders"])
    repurchase = _num(measured.get("repurchase_rate")) or 0.0
    funnel, assets = getattr(brief, "funnel", None), getattr(brief, "assets", None)

    def brief_value(section: Any, key: str) -> float | None:
        return _positive(getattr(section, key, None)) if section is not None else None

    def rate(key: str, brief_key: str | None = None, brief_label: str = "") -> tuple[float, str, str]:
        value = _num(measured.get(key))
        if value is not None:
            return value, SOURCE_MEASURED, ""
        stated = brief_value(funnel, brief_key) if brief_key else None
        if stated is not None:
            return stated, SOURCE_BRIEF, brief_label
        mid = _mid(bench, key)
        if mid is not None:
            return mid, SOURCE_TEMPLATE, "未测得, 暂用行业区间中值"
        return _EXAMPLE.get(key, 0.0), SOURCE_EXAMPLE, "未测得且模板无区间, 先用示例值"

    add = rate("add_rate")
    invite_success = brief_value(funnel, "invite_success")
    invite = ((invite_success, SOURCE_BRIEF) if invite_success else (_EXAMPLE["invite_success"], SOURCE_EXAMPLE))
    start: dict[str, tuple[float, str, str]] = _funnel_start(
        brief_value(funnel, "reachable"), brief_value(assets, "friends"), brief_value(assets, "group_members"),
        add[:2], (min(1.0, float(invite[0])), invite[1]))
    start["group_conversion"] = rate("group_conversion", "purchase_intent", "付费意向率")
    referrers = brief_value(funnel, "referrers")
    k = rate("k_factor")
    if k[1] != SOURCE_MEASURED and referrers is not None:
        k = (referrers / customers, SOURCE_BRIEF, "老带新客户数 ÷ 购买客户数(每人按带来1位计)")
    start["k_factor"] = k
    start["aov"] = (gmv / orders, SOURCE_MEASURED, "")
    start["repurchase_rate"] = (repurchase, SOURCE_MEASURED, "")
    start["frequency"] = (lv.orders_per_repeater(orders / customers, repurchase), SOURCE_MEASURED,
                          "由实测人均订单数与复购率推算")
    period = f"{metrics.get('first_date', '')} 至 {metrics.get('last_date', '')}"
    days = _period_days(metrics)
    target = _strategy(results).get("target")
    base, months = ((_num(target.get("baseline_gmv")), _num(target.get("horizon_months")))
                    if isinstance(target, dict) else (None, None))
    if base and months and base > 0 and months > 0:
        # The report prices its scenarios on the target's baseline (the last horizon months),
        # so the page does too: the same customers' mix (AOV, orders per customer) at that GMV.
        scale = base / gmv
        gmv, customers, orders, days = base, customers * scale, orders * scale, round(months * lv.DAYS_PER_MONTH)
        period = f"目标周期基线（最近 {months:g} 个月）"
    baseline = lv.Baseline(gmv, customers, orders, days, {k: v[0] for k, v in start.items()})
    sliders = [_slider(lever, start[lever.key], bench, repurchase) for lever in lv.LEVERS]
    client = (results.get("meta") or {}).get("client") or {}
    name = client.get("name", "") if isinstance(client, dict) else str(client)
    return LiveSetup(name, str(template.get("key", "")), period, baseline, sliders,
                     _presets(results, template, baseline))


def _slider(lever: lv.Lever, start: tuple[float, str, str], bench: Mapping[str, Any], repurchase: float) -> Slider:
    value, source, note = start
    low = high = None
    bench_note = "行业模板未给区间"
    b = bench.get(lever.key)
    if b:
        low, high = float(b["low"]), float(b["high"])
        bench_note = f"行业区间 ({b.get('source') or '行业模板'})"
    elif lever.key == "frequency" and bench.get("orders_per_customer") and repurchase > 0:
        o = bench["orders_per_customer"]
        low, high = (lv.orders_per_repeater(float(o["low"]), repurchase),
                     lv.orders_per_repeater(float(o["high"]), repurchase))
        bench_note = "由行业人均订单数区间按实测复购率换算"
    lo, hi, step = _span(lever.key, lever.unit, value, high)
    hi = max(hi, value)
    return Slider(lever.key, lever.label, lever.unit, lever.driver, lever.definition, value, source, note,
                  low, high, bench_note, lo, hi, step)


def _presets(results: Mapping[str, Any], template: Mapping[str, Any], baseline: lv.Baseline
             ) -> dict[str, dict[str, Any]]:
    """Return the report's GMV scenarios as lever values, with the GMV the report printed."""
    from diag.strategy.playbook import scenario_moves

    data = _strategy(results)
    recs = data.get("recommendations")
    if not isinstance(recs, list) or not recs:
        return {}
    frame = pd.DataFrame(recs)
    if not {"metric", "uplift", "current", "target", "unit", "priority"} <= set(frame.columns):
        return {}
    frame = frame.astype({"uplift": "float64", "current": "float64", "target": "float64"})
    printed = {row.get("情景"): _num(row.get("预计GMV")) for row in data.get("scenarios") or [] if isinstance(row, dict)}
    out = {}
    for name, move in scenario_moves(frame, baseline.gmv, attainment=template.get("scenarios")).items():
        if not move["moves"]:
            continue
        values = lv.levers_for_moves(baseline, move["moves"], move["gains"])
        out[name] = {"levers": values, "report_gmv": printed.get(name)}
    return out

