"""The GMV tree: GMV = buyers × orders per buyer × AOV, its trend and its change.

Definitions (per period):

* ``gmv`` — sum of valid order amounts;
* ``buyers`` — distinct customers with a valid order;
* ``orders`` — valid orders; ``orders_per_buyer`` = orders ÷ buyers;
* ``aov`` (客单价) — gmv ÷ orders.

So gmv = buyers × orders_per_buyer × aov holds exactly in every period with orders.

A change in GMV between two periods is split over the three drivers with the
log-mean Divisia index (LMDI-I, Ang 2004): driver k gets
``L(G_b, G_a) · ln(x_k,b / x_k,a)`` where ``L(u, v) = (u − v) / (ln u − ln v)``
(``L(u, u) = u``).  Because ln G = Σ ln x_k, the parts add up to G_b − G_a exactly,
with no residual; the split is symmetric in the two periods (swapping them flips
every sign) and a driver that did not move gets exactly 0.  (A Shapley split is also
exact, but is defined by averaging over orderings and does not extend as simply.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from diag.errors import DataError
from diag.messages import text

__all__ = ["DRIVERS", "drivers", "monthly_drivers", "decompose_change", "decompose_monthly",
           "quadrant_inputs", "purchases_per_year", "annual_frequency"]

#: The shortest span annualised: a month of data is not scaled up more than 12×.
MIN_ANNUALISED_DAYS = 30

#: The three multiplicative drivers and their Chinese labels.
DRIVERS = {"buyers": "用户数", "orders_per_buyer": "人均订单数", "aov": "客单价"}


def drivers(orders: pd.DataFrame) -> dict[str, float]:
    """Return ``{gmv, orders, buyers, orders_per_buyer, aov}`` of an orders frame.

    With no orders, ``orders_per_buyer`` and ``aov`` are NaN (nobody bought).
    """
    _require(orders, ("order_id", "customer_id", "amount"))
    gmv = float(orders["amount"].sum())
    n_orders = int(orders["order_id"].nunique())
    buyers = int(orders["customer_id"].nunique())
    return {"gmv": gmv, "orders": n_orders, "buyers": buyers,
            "orders_per_buyer": n_orders / buyers if buyers else float("nan"),
            "aov": gmv / n_orders if n_orders else float("nan")}


def monthly_drivers(orders: pd.DataFrame) -> pd.DataFrame:
    """Return one row per calendar month: ``month, gmv, orders, buyers, orders_per_buyer, aov``.

    Months without orders between the first and the last are included with zeros
    (and NaN ratios) so a trend line does not skip them.  ``gmv_change`` is the change
    on the previous month.
    """
    _require(orders, ("order_id", "customer_id", "paid_at", "amount"))
    columns = ["month", "gmv", "orders", "buyers", "orders_per_buyer", "aov", "gmv_change"]
    if orders.empty:
        return pd.DataFrame(columns=columns)
    month = pd.to_datetime(orders["paid_at"]).dt.to_period("M")
    grouped = orders.groupby(month)
    out = pd.DataFrame({"gmv": grouped["amount"].sum().astype(float),
                        "orders": grouped["order_id"].nunique(),
                        "buyers": grouped["customer_id"].nunique()})
    full = pd.period_range(out.index.min(), out.index.max(), freq="M")
    out = out.reindex(full, fill_value=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["orders_per_buyer"] = out["orders"] / out["buyers"].where(out["buyers"] > 0)
        out["aov"] = out["gmv"] / out["orders"].where(out["orders"] > 0)
    out["gmv_change"] = out["gmv"].diff()
    out.insert(0, "month", out.index.astype(str))
    return out.reset_index(drop=True)[columns]


def _as_drivers(period: Any, name: str) -> dict[str, float]:
    if isinstance(period, pd.DataFrame):
        return drivers(period)
    if not isinstance(period, (Mapping, pd.Series)):
        raise DataError(f"expected an orders frame or a mapping of drivers, got {type(period).__name__}",
                        where=name)
    p = dict(period)
    if "buyers" not in p:
        raise DataError("expected 'buyers' among the period's drivers", where=name)
    buyers = float(p["buyers"])
    if "orders_per_buyer" not in p and "orders" in p:
        p["orders_per_buyer"] = float(p["orders"]) / buyers if buyers else float("nan")
    if "aov" not in p and "gmv" in p and "orders" in p:
        p["aov"] = float(p["gmv"]) / float(p["orders"]) if float(p["orders"]) else float("nan")
    missing = [k for k in ("orders_per_buyer", "aov") if k not in p]
    if missing:
        raise DataError(f"expected {', '.join(missing)} (or orders and gmv) among the period's drivers",
                        where=name)
    out = {k: float(p[k]) for k in DRIVERS}
    for key, value in out.items():
        if value < 0 or (buyers > 0 and not math.isfinite(value)):
            raise DataError(f"expected a non-negative {key}, got {value}", where=name)
    out["gmv"] = out["buyers"] * out["orders_per_buyer"] * out["aov"] if buyers else 0.0
    return out


def _logmean(u: float, v: float) -> float:
    if u == v:
        return u
    return (u - v) / (math.log(u) - math.log(v))


def decompose_change(period_a: Any, period_b: Any, *, lang: str = "zh") -> pd.DataFrame:
    """Return the GMV change from ``period_a`` to ``period_b`` split over the three drivers (LMDI).

    Each period is an orders frame or a mapping with ``buyers`` and either
    ``orders_per_buyer`` and ``aov`` or ``orders`` and ``gmv``.

    Rows: ``buyers``, ``orders_per_buyer``, ``aov`` and a last ``gmv`` row (the total);
    columns: ``driver, label, period_a, period_b, change_pct, contribution,
    contribution_share`` (share of the GMV change; NaN when GMV did not change); ``label``
    names the driver in ``lang`` (message ``driver.<key>`` of the diagnosis catalogue).
    The contributions add up to ``gmv_b − gmv_a`` exactly.

    A period without buyers has no orders per buyer or AOV; they are taken equal to
    the other period's, so the whole change is attributed to buyers (the limit of
    LMDI when a zero is replaced by a vanishing small value).  Both periods empty →
    all contributions 0.
    """
    a, b = _as_drivers(period_a, "period_a"), _as_drivers(period_b, "period_b")
    if a["buyers"] == 0 and b["buyers"] > 0:
        a.update(orders_per_buyer=b["orders_per_buyer"], aov=b["aov"])
    elif b["buyers"] == 0 and a["buyers"] > 0:
        b.update(orders_per_buyer=a["orders_per_buyer"], aov=a["aov"])
    ga, gb = a["gmv"], b["gmv"]
    change = gb - ga
    contrib: dict[str, float] = {}
    zero = [k for k in DRIVERS if a[k] == 0 or b[k] == 0]
    if ga == gb == 0:
        contrib = {k: 0.0 for k in DRIVERS}
    elif zero:
        # GMV goes to or from 0 through a zero driver (e.g. an AOV of 0 after all-free
        # orders): the LMDI limit gives that driver the whole change.
        contrib = {k: (change if k == zero[0] else 0.0) for k in DRIVERS}
    else:
        weight = _logmean(gb, ga)
        contrib = {k: weight * math.log(b[k] / a[k]) for k in DRIVERS}
        # Put the last floating-point crumb on the largest part so the sum is exact.
        biggest = max(contrib, key=lambda k: abs(contrib[k]))
        contrib[biggest] += change - sum(contrib.values())
    rows = []
    for key in (*DRIVERS, "gmv"):
        label = text("diagnosis", f"driver.{key}", lang)
        va, vb = a[key], b[key]
        part = change if key == "gmv" else contrib[key]
        rows.append({"driver": key, "label": label, "period_a": va, "period_b": vb,
                     "change_pct": (vb / va - 1) if va else float("nan"),
                     "contribution": part,
                     "contribution_share": part / change if change else float("nan")})
    return pd.DataFrame(rows)


def decompose_monthly(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return month-on-month LMDI contributions: ``month, gmv_change, buyers, orders_per_buyer, aov``.

    ``monthly`` is :func:`monthly_drivers` output; the first month has no predecessor
    and is left out.
    """
    rows = []
    records = monthly.to_dict("records")
    for prev, cur in zip(records, records[1:]):
        parts = decompose_change(_monthly_period(prev), _monthly_period(cur)).set_index("driver")
        rows.append({"month": cur["month"], "gmv_change": parts.loc["gmv", "contribution"],
                     **{k: parts.loc[k, "contribution"] for k in DRIVERS}})
    return pd.DataFrame(rows, columns=["month", "gmv_change", *DRIVERS])


def _monthly_period(row: Mapping[str, Any]) -> dict[str, float]:
    return {"buyers": row["buyers"], "orders": row["orders"], "gmv": row["gmv"]}


# -- quadrant ------------------------------------------------------------------------------

def purchases_per_year(orders_per_customer: float, days: float) -> float:
    """Return purchases per customer per year: ``orders_per_customer × 365 ÷ days``.

    ``days`` is how many days the orders cover, at least :data:`MIN_ANNUALISED_DAYS`
    (a month of data is not annualised more than 12×); a span longer than a year gives
    the average yearly rate over it.  Every annual frequency in the kit is this one rule
    (catalogue key ``purchases_per_year``).
    """
    return float(orders_per_customer) * 365 / max(float(days), MIN_ANNUALISED_DAYS)


def annual_frequency(metrics: Mapping[str, Any]) -> float:
    """Return :func:`purchases_per_year` of the ``diag metrics`` figures.

    Days covered = ``last_date − first_date + 1``; without dates, orders per customer.
    """
    first, last = metrics.get("first_date"), metrics.get("last_date")
    opc = float(metrics.get("orders_per_customer") or 0.0)
    if not first or not last:
        return opc
    return purchases_per_year(opc, (pd.Timestamp(last) - pd.Timestamp(first)).days + 1)


def quadrant_inputs(orders: pd.DataFrame, as_of: Any = None) -> dict[str, float]:
    """Return the quadrant's axes measured from orders: ``aov, purchases_per_year, annual_spend``.

    Window: the 365 days before ``as_of`` (default: the day after the last order).
    ``aov`` = gmv ÷ orders in the window; ``purchases_per_year`` = :func:`purchases_per_year`
    of the window's orders ÷ buyers and its length (``window_days``; a short window
    overstates the yearly rate of one-off buyers); ``annual_spend`` = aov × purchases_per_year.
    """
    _require(orders, ("order_id", "customer_id", "paid_at", "amount"))
    paid = pd.to_datetime(orders["paid_at"])
    if orders.empty:
        raise DataError("expected at least one order to place the store in the quadrant", where="orders")
    end = pd.Timestamp(as_of).normalize() if as_of is not None else paid.max().normalize() + pd.Timedelta(days=1)
    start = max(end - pd.Timedelta(days=365), paid.min().normalize())
    window = orders[(paid >= start) & (paid < end)]
    days = max((end - start).days, 1)
    d = drivers(window)
    if not d["orders"]:
        raise DataError(f"expected orders in the year before {end.date()}, found none", where="orders")
    per_year = purchases_per_year(d["orders_per_buyer"], days)
    return {"aov": d["aov"], "purchases_per_year": per_year, "annual_spend": d["aov"] * per_year,
            "window_days": float(days)}


def _require(df: pd.DataFrame, cols: tuple[str, ...]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(f"expected columns {', '.join(cols)} in the orders; missing {', '.join(missing)}",
                        where="orders")
