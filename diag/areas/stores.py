"""Store chains: each store's figures, its rank, and which GMV driver lags.

Pure functions over the valid orders (``store`` column as :func:`diag.readers.orders.read_orders`
gives it).  A store's GMV obeys the same formula as the chain's:
GMV = 购买用户数 × 人均订单数 × 客单价, each computed on the store's own orders.

Definitions (one each):

* store repurchase rate — customers with ≥ 2 distinct purchase days *in that store*
  ÷ the store's customers;
* chain median — the median over stores with enough data (``status == "ok"``);
* lagging driver — a driver below the chain median;
* gain if a store reached the median — its GMV with every lagging driver raised to
  the chain median (the others kept), minus its GMV; the gain of one driver alone is
  computed the same way with only that driver raised.
"""

from __future__ import annotations

import re

import pandas as pd

#: A store needs at least this many valid orders and customers for a diagnosis.
MIN_ORDERS = 30
MIN_CUSTOMERS = 10

#: The three GMV drivers: column, Chinese label.
DRIVERS = (("customers", "购买用户数"), ("orders_per_customer", "人均订单数"), ("aov", "客单价"))

#: Orders without a store (a web order in a chain export) are grouped under this name.
NO_STORE = "（未标门店）"


def has_stores(orders: pd.DataFrame) -> bool:
    """Return True when the orders name at least one store."""
    return "store" in orders.columns and orders["store"].replace("", pd.NA).notna().any()


def store_table(orders: pd.DataFrame, *, min_orders: int = MIN_ORDERS,
                min_customers: int = MIN_CUSTOMERS) -> pd.DataFrame:
    """Return one row per store: orders, customers, gmv, aov, orders_per_customer,
    repurchase_rate, first/last date, months, status (``ok`` or ``too little data``),
    and ranks by GMV, AOV and repurchase rate among stores with enough data.
    Sorted by GMV, largest first."""
    frame = orders[["order_id", "customer_id", "paid_at", "amount", "store"]].copy()
    frame["store"] = frame["store"].replace("", pd.NA).fillna(NO_STORE).astype(str)
    frame["day"] = frame["paid_at"].dt.normalize()
    by = frame.groupby("store", sort=False)
    table = pd.DataFrame({
        "orders": by["order_id"].nunique(),
        "customers": by["customer_id"].nunique(),
        "gmv": by["amount"].sum(),
        "first_date": by["paid_at"].min().dt.date,
        "last_date": by["paid_at"].max().dt.date,
    })
    days = frame.drop_duplicates(["store", "customer_id", "day"]).groupby(["store", "customer_id"]).size()
    repeaters = (days >= 2).groupby(level="store").sum()
    table["repurchase_rate"] = (repeaters.reindex(table.index).fillna(0) / table["customers"]).astype(float)
    table["aov"] = table["gmv"] / table["orders"]
    table["orders_per_customer"] = table["orders"] / table["customers"]
    table["months"] = frame.assign(m=frame["paid_at"].dt.to_period("M")).groupby("store")["m"].nunique()
    enough = (table["orders"] >= min_orders) & (table["customers"] >= min_customers)
    table["status"] = enough.map({True: "ok", False: "too little data"})
    table = table.sort_values(["gmv", "orders"], ascending=False)
    for column in ("gmv", "aov", "repurchase_rate"):
        ranks = table.loc[enough, column].rank(ascending=False, method="min")
        table[f"rank_{column}"] = ranks.reindex(table.index).astype("Int64")
    table.index.name = "store"
    return table.reset_index()


def chain_medians(table: pd.DataFrame) -> dict[str, float]:
    """Return the chain median of each GMV driver, GMV and repurchase rate (stores with enough data)."""
    ok = table[table["status"] == "ok"]
    source = ok if len(ok) else table
    return {c: float(source[c].median()) for c in ("gmv", "customers", "orders_per_customer", "aov",
                                                     "repurchase_rate")}


def driver_gaps(table: pd.DataFrame) -> pd.DataFrame:
    """Return per store (enough data only): each driver's ratio to the chain median, the
    yuan gain of raising that driver alone to the median, the weakest driver (largest gain)
    and the gain of raising every lagging driver (``gain``); sorted by ``gain``."""
    medians = chain_medians(table)
    ok = table[table["status"] == "ok"].copy()
    lifted = ok["gmv"].copy()
    weakest_gain = pd.Series(0.0, index=ok.index)
    ok["weakest"] = ""
    factor_all = pd.Series(1.0, index=ok.index)
    for column, label in DRIVERS:
        ratio = ok[column] / medians[column] if medians[column] else pd.Series(1.0, index=ok.index)
        ok[f"{column}_vs_median"] = ratio
        factor = (1 / ratio).where(ratio < 1, 1.0)
        gain = ok["gmv"] * (factor - 1)
        ok[f"gain_{column}"] = gain
        factor_all = factor_all * factor
        better = gain > weakest_gain
        ok.loc[better, "weakest"] = label
        weakest_gain = weakest_gain.where(~better, gain)
    ok["gain"] = lifted * (factor_all - 1)
    return ok.sort_values("gain", ascending=False).reset_index(drop=True)


def chain_gain(gaps: pd.DataFrame) -> float:
    """Return the chain's GMV gain (yuan) if every lagging store reached the chain median."""
    return float(gaps["gain"].sum()) if len(gaps) else 0.0


def store_monthly(orders: pd.DataFrame) -> pd.DataFrame:
    """Return GMV per store and month (rows: month, columns: store), months without sales as 0."""
    frame = orders[["paid_at", "amount", "store"]].copy()
    frame["store"] = frame["store"].replace("", pd.NA).fillna(NO_STORE).astype(str)
    frame["month"] = frame["paid_at"].dt.to_period("M").astype(str)
    return frame.pivot_table(index="month", columns="store", values="amount", aggfunc="sum", fill_value=0.0)


def store_slugs(names: list[str]) -> dict[str, str]:
    """Return a distinct, file-safe folder name for each store name."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = re.sub(r"[^\w\u4e00-\u9fff]+", "-", str(name).strip().lower()).strip("-_") or "store"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out[name] = slug
    return out


__all__ = ["MIN_ORDERS", "MIN_CUSTOMERS", "DRIVERS", "NO_STORE", "has_stores", "store_table", "chain_medians",
           "driver_gaps", "chain_gain", "store_monthly", "store_slugs"]
