"""Plain-pandas reference for the benchmark: a subset of ``diag metrics`` the usual way.

    .venv/bin/python bench/reference.py FILE     # prints JSON: orders, customers, gmv, …

What an analyst would write in a notebook: read the file (pyarrow CSV engine or
read_parquet), drop excluded statuses, sum line items into orders (line-item files
only), then RFM by groupby, repurchase gaps over distinct purchase days and a monthly
cohort table.  Written to be reasonably quick, not a straw man.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd

EXCLUDED = ["交易关闭", "已退款", "待付款", "已取消", "已关闭", "closed", "refunded", "unpaid"]
ENGLISH = {"order_id": "订单号", "customer_id": "买家手机号", "paid_at": "支付时间", "amount": "实付金额",
           "status": "订单状态"}
LAPS: dict[str, float] = {}


def _lap(name: str, start: list[float]) -> None:
    now = time.perf_counter()
    LAPS[name] = round(now - start[0], 2)
    start[0] = now


def main(path: str) -> dict:
    t = [time.perf_counter()]
    if path.endswith(".parquet"):
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, engine="pyarrow")
    _lap("read", t)
    df = df.rename(columns=ENGLISH)
    df = df[~df["订单状态"].isin(EXCLUDED)]
    if "商品实付金额" in df.columns:           # line items: sum into orders
        orders = df.groupby("订单编号", sort=False).agg(
            customer=("买家手机号", "first"), paid_at=("付款时间", "min"), amount=("商品实付金额", "sum"))
    else:
        orders = df.rename(columns={"买家手机号": "customer", "支付时间": "paid_at", "实付金额": "amount"})
    orders = orders[["customer", "paid_at", "amount"]].copy()
    orders["day"] = pd.to_datetime(orders["paid_at"]).dt.normalize()
    _lap("orders", t)
    as_of = orders["day"].max() + pd.Timedelta(days=1)
    days = orders.groupby(["customer", "day"], sort=False)["amount"].sum().reset_index()
    rfm = days.groupby("customer").agg(last=("day", "max"), frequency=("day", "size"),
                                       monetary=("amount", "sum"))
    rfm["recency"] = (as_of - rfm["last"]).dt.days
    r = rfm["recency"] < rfm["recency"].mean()
    f = rfm["frequency"] > rfm["frequency"].mean()
    m = rfm["monetary"] > rfm["monetary"].mean()
    segments = (r.astype(int) * 4 + f.astype(int) * 2 + m.astype(int)).value_counts().to_dict()
    _lap("rfm", t)
    days = days.sort_values(["customer", "day"])
    gaps = days.groupby("customer", sort=False)["day"].diff().dt.days.dropna()
    _lap("gaps", t)
    month = days["day"].dt.year * 12 + days["day"].dt.month
    first = month.groupby(days["customer"], sort=False).transform("min")
    active = pd.DataFrame({"cohort": first, "k": month - first, "customer": days["customer"]})
    active = active.drop_duplicates(["customer", "k"])
    cohort = active.groupby(["cohort", "k"]).size().unstack(fill_value=0)
    retention = cohort.div(cohort[0], axis=0)
    _lap("cohort", t)
    return {
        "orders": int(len(orders)),
        "customers": int(len(rfm)),
        "gmv": round(float(orders["amount"].sum()), 2),
        "repurchase_rate": round(float((rfm["frequency"] >= 2).mean()), 6),
        "median_repurchase_days": float(np.median(gaps)),
        "segments": {int(k): int(v) for k, v in sorted(segments.items())},
        "cohorts": int(len(retention)),
        "laps": LAPS,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))
