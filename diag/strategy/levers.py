"""The lever engine: GMV = 购买客户 × 人均订单 × 客单价, moved by eight levers.

One set of pure functions (no I/O, no plotting) behind both the live session's sliders
(:mod:`diag.live.page`) and the strategy notebook's GMV scenarios
(:func:`diag.strategy.playbook.gmv_scenarios`), so the page and the report give the same number
for the same inputs.

The model is calibrated on the client's measured period (:class:`Baseline`): at the
starting values the engine returns the measured GMV exactly, and each lever moves one
driver of the GMV tree by the same arithmetic the benchmark gaps use
(:func:`diag.areas.benchmark.benchmark_gaps`):

- 用户数 (buyers) — the private-domain funnel 可触达 × 加粉率 × 入群率 × 社群转化率 gives
  the group buyers; each extra group buyer, and each extra referred customer
  (``customers × ΔK``), adds one first order at the measured AOV;
- 购买频次 (orders per buyer) — ``1 + 复购率 × (复购客户人均单数 − 1)``: more repeaters, or
  repeaters who buy more often, add repeat orders;
- 客单价 (AOV) — scales every order.

Each driver's change is a gain in yuan over the measured period; the drivers multiply:
``GMV = gmv × Π_d (1 + gain_d ÷ gmv)`` (:func:`combine_drivers`).  A projection spreads
the result over any number of months (:func:`projection`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from diag.catalog import definition
from diag.errors import UsageError
from diag.messages import text

__all__ = ["Lever", "LEVERS", "LEVER_KEYS", "DRIVER_ORDER", "Baseline", "Outcome", "evaluate",
           "combine_drivers", "orders_per_repeater", "monthly_run_rate", "projection",
           "levers_for_moves", "DAYS_PER_MONTH", "RAMP_MONTHS"]

#: The three drivers of GMV, in the order they multiply.
DRIVER_ORDER: tuple[str, ...] = ("用户数", "购买频次", "客单价")

#: Average month length, for turning the measured period into a monthly run rate.
DAYS_PER_MONTH = 365.25 / 12

#: Months a lever takes to reach its new value in a projection (the 30/60/90-day plan).
RAMP_MONTHS = 3


@dataclass(frozen=True)
class Lever:
    """One slider: its key, Chinese label, unit (people / share / yuan / count), driver and definition."""

    key: str
    label: str
    unit: str
    driver: str
    definition: str

    def name(self, lang: str = "zh") -> str:
        """Return the lever's name in ``lang`` (the ``actions`` catalogue; ``label`` in Chinese)."""
        return self.label if lang == "zh" else text("actions", f"lever_{self.key}", lang)


LEVERS: tuple[Lever, ...] = (
    Lever("reachable", "可触达用户", "people", "用户数", "能免费触达的人数(公域/门店/包裹等可转入私域的人)"),
    Lever("add_rate", "加粉率", "share", "用户数", definition("add_rate")),
    Lever("join_rate", "入群率", "share", "用户数", "社群成员 ÷ 好友"),
    Lever("group_conversion", "社群转化率", "share", "用户数", definition("group_conversion")),
    Lever("aov", "客单价", "yuan", "客单价", definition("aov")),
    Lever("frequency", "购买频次", "count", "购买频次", "复购客户在数据期内的人均订单数"),
    Lever("repurchase_rate", "复购率", "share", "购买频次", definition("repurchase_rate")),
    Lever("k_factor", "K因子(裂变)", "count", "用户数", definition("k_factor")),
)
LEVER_KEYS: tuple[str, ...] = tuple(lever.key for lever in LEVERS)
_UNITS = {lever.key: lever.unit for lever in LEVERS}


def orders_per_repeater(orders_per_customer: float, repurchase_rate: float) -> float:
    """Return a repeat buyer's orders in the period: ``1 + (人均订单 − 1) ÷ 复购率`` (2 without repeaters).

    It is the frequency that, with the repurchase rate, gives back the measured orders
    per customer: ``1 + 复购率 × (频次 − 1) = 人均订单``; the same repeat orders per repeater
    as the repurchase-rate gap of :func:`diag.areas.benchmark.benchmark_gaps`.
    """
    if repurchase_rate <= 0:
        return 2.0
    return 1.0 + max(0.0, orders_per_customer - 1.0) / repurchase_rate


def _check(values: Mapping[str, Any], where: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in LEVER_KEYS:
        if key not in values:
            raise UsageError(f"expected a value for every lever; missing '{key}'", where=where)
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise UsageError(f"expected a number, got {value!r}", where=f"{where}.{key}")
        value = float(value)
        unit = _UNITS[key]
        if value < 0 or (unit == "share" and value > 1):
            raise UsageError(f"expected {'a share between 0 and 1' if unit == 'share' else 'a non-negative number'}"
                             f", got {value}", where=f"{where}.{key}")
        if key == "frequency" and value < 1:
            raise UsageError(f"expected at least 1 order per repeat buyer, got {value}", where=f"{where}.{key}")
        out[key] = value
    return out


@dataclass(frozen=True)
class Baseline:
    """The measured period the engine is calibrated on.

    ``gmv``, ``customers``, ``orders`` are the period's valid orders (``diag metrics``);
    ``days`` its length; ``start`` the starting value of every lever (measured, else the
    brief's, else the template's; see :mod:`diag.live.setup`).
    """

    gmv: float
    customers: float
    orders: float
    days: int
    start: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (self.gmv > 0 and self.customers > 0 and self.orders > 0):
            raise UsageError(f"expected a period with GMV, customers and orders above 0, got gmv={self.gmv}, "
                             f"customers={self.customers}, orders={self.orders}", where="baseline")
        object.__setattr__(self, "start", _check(self.start, "baseline.start"))

    @property
    def aov(self) -> float:
        """Return the measured AOV, ``gmv ÷ orders``."""
        return self.gmv / self.orders

    @property
    def orders_per_customer(self) -> float:
        """Return the measured orders per customer, ``orders ÷ customers``."""
        return self.orders / self.customers


@dataclass(frozen=True)
class Outcome:
    """The GMV tree for one set of lever values (all amounts over the measured period)."""

    values: dict[str, float]
    funnel: dict[str, float]          # 可触达, 好友, 社群成员, 社群成交
    new_from_groups: float            # group buyers beyond the measured ones
    new_from_referrals: float         # referred customers beyond the measured ones
    buyers: float
    orders: float
    orders_per_buyer: float
    aov: float
    gains: dict[str, float]           # yuan per driver
    gmv: float
    factor: float                     # gmv ÷ measured gmv

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome as plain JSON types."""
        return {"values": dict(self.values), "funnel": dict(self.funnel),
                "new_from_groups": self.new_from_groups, "new_from_referrals": self.new_from_referrals,
                "buyers": self.buyers, "orders": self.orders, "orders_per_buyer": self.orders_per_buyer,
                "aov": self.aov, "gains": dict(self.gains), "gmv": self.gmv, "factor": self.factor}


def combine_drivers(gmv: float, gains: Mapping[str, float]) -> float:
    """Return ``gmv × Π_d (1 + gain_d ÷ gmv)`` over :data:`DRIVER_ORDER` (a driver never below 0).

    The drivers of GMV = 用户数 × 购买频次 × 客单价 multiply, so a gain on one driver also
    lifts what the others add; drivers missing from ``gains`` stay where they are.
    """
    if gmv <= 0:
        return float(gmv)
    factor = 1.0
    for driver in DRIVER_ORDER:
        if driver in gains:
            factor *= max(0.0, 1 + float(gains[driver]) / gmv)
    return gmv * factor


def _group_buyers(v: Mapping[str, float]) -> float:
    return v["reachable"] * v["add_rate"] * v["join_rate"] * v["group_conversion"]


def evaluate(baseline: Baseline, values: Mapping[str, Any]) -> Outcome:
    """Return the GMV tree for lever ``values`` (every key of :data:`LEVER_KEYS`).

    With ``s`` the baseline's starting values, ``aov₀ = gmv ÷ orders``, ``opc₀ = orders ÷
    customers``:

    - new group buyers ``Δg = R·a·j·c − R_s·a_s·j_s·c_s``; new referred ``Δk = customers × (K − K_s)``;
      ``gain_用户数 = (Δg + Δk) × aov₀`` (one first order each);
    - orders per buyer ``opb = opc₀ + r·(f − 1) − r_s·(f_s − 1)``;
      ``gain_购买频次 = gmv × (opb ÷ opc₀ − 1)``;
    - ``gain_客单价 = gmv × (aov ÷ aov₀ − 1)``;
    - ``GMV = combine_drivers(gmv, gains)``; buyers ``customers + Δg + Δk`` (at least 0),
      orders ``(orders + Δg + Δk) × opb ÷ opc₀``, AOV ``aov``.

    At the starting values every gain is 0 and GMV is the measured GMV.
    """
    v = _check(values, "levers")
    s = baseline.start
    gmv, aov0, opc0 = float(baseline.gmv), baseline.aov, baseline.orders_per_customer
    new_groups = _group_buyers(v) - _group_buyers(s)
    new_referrals = baseline.customers * (v["k_factor"] - s["k_factor"])
    first_orders = new_groups + new_referrals
    opb = opc0 + v["repurchase_rate"] * (v["frequency"] - 1) - s["repurchase_rate"] * (s["frequency"] - 1)
    opb = max(0.0, opb)
    gains = {"用户数": first_orders * aov0, "购买频次": gmv * (opb / opc0 - 1), "客单价": gmv * (v["aov"] / aov0 - 1)}
    total = combine_drivers(gmv, gains)
    buyers = max(0.0, baseline.customers + first_orders)
    orders = max(0.0, baseline.orders + first_orders) * opb / opc0
    r, a, j = v["reachable"], v["add_rate"], v["join_rate"]
    funnel = {"可触达": r, "好友": r * a, "社群成员": r * a * j, "社群成交": _group_buyers(v)}
    return Outcome(v, funnel, new_groups, new_referrals, buyers, orders, orders / buyers if buyers else 0.0,
                   v["aov"], gains, total, total / gmv)


def monthly_run_rate(gmv: float, days: int) -> float:
    """Return the period's GMV per month: ``gmv ÷ (max(days, 30) ÷ 30.44)``.

    A period shorter than a month counts as one month (as the annual frequency does).
    """
    return float(gmv) / (max(int(days), 30) / DAYS_PER_MONTH)


def projection(baseline: Baseline, outcome: Outcome, *, months: int = 12,
               ramp_months: int = RAMP_MONTHS) -> list[dict[str, float]]:
    """Return the monthly GMV over ``months``: today's run rate against the levers' run rate.

    Month ``m`` (1 … ``months``): ``现状 = monthly_run_rate(gmv, days)`` and ``预计 = 现状 ×
    (1 + (factor − 1) × min(1, m ÷ ramp_months))`` — the levers reach their values
    evenly over the first ``ramp_months`` (the 30/60/90-day plan), then hold.  Each row
    also carries both running totals.
    """
    if months < 1:
        raise UsageError(f"expected at least 1 month, got {months}", where="months")
    base = monthly_run_rate(baseline.gmv, baseline.days)
    ramp = max(1, int(ramp_months))
    rows, total, total_base = [], 0.0, 0.0
    for m in range(1, int(months) + 1):
        value = base * (1 + (outcome.factor - 1) * min(1.0, m / ramp))
        total += value
        total_base += base
        rows.append({"month": m, "baseline": base, "projected": value,
                     "baseline_total": total_base, "projected_total": total})
    return rows


def levers_for_moves(baseline: Baseline, moves: Mapping[str, float], gains: Mapping[str, float]
                     ) -> dict[str, float]:
    """Return lever values that reproduce a scenario of the report (metric moves and driver gains).

    ``moves`` maps vocabulary metrics to the values a scenario assumes; a metric that is
    a lever is set directly; ``orders_per_customer`` and the other frequency metrics set
    the frequency that gives the scenario's ``gains["购买频次"]`` at the starting repurchase
    rate.  Levers a scenario does not move keep their starting values.
    """
    values = dict(baseline.start)
    for metric, value in moves.items():
        if metric in values and metric != "frequency":
            values[metric] = float(value)
    if "购买频次" in gains and "repurchase_rate" not in moves:
        s = baseline.start
        opb = baseline.orders_per_customer * (1 + float(gains["购买频次"]) / baseline.gmv)
        if s["repurchase_rate"] > 0:
            values["frequency"] = max(1.0, 1 + (opb - baseline.orders_per_customer) / s["repurchase_rate"]
                                      + (s["frequency"] - 1))
    return values
