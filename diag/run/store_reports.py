"""One short report per store of a chain, and the stores' index.

Each store's results are recorded through :class:`diag.record.Recorder` into
``<run>/stores/<store-slug>/`` (``results.json``, ``figures/``) and its Word report is
built from them by :func:`diag.report.build_report`, as a client's is, so
``diag report <run>/stores/<slug>`` rebuilds one.  A store with too little data gets a
report that says so and what it has.  ``<run>/stores/index.csv`` (UTF-8 with BOM) lists
every store with its figures, status and report path (relative to the index).
No notebooks or HTML per store: the chain's ``05_stores`` notebook is their record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd

from diag import __version__
from diag.areas import stores as st
from diag.files import write_atomic
from diag.record import Recorder, merge_results
from diag.strategy.wording import localize

#: Columns of ``stores/index.csv``.
INDEX_COLUMNS = ("store", "slug", "orders", "customers", "gmv", "aov", "repurchase_rate",
                 "orders_per_customer", "rank_gmv", "weakest_driver", "gain_to_median", "status", "report")

def write_store_reports(table: pd.DataFrame, gaps: pd.DataFrame, monthly: pd.DataFrame, folder: Path, *,
                        client: dict[str, Any], lang: str = "zh") -> pd.DataFrame:
    """Write every store's report under ``folder`` and ``folder/index.csv``; return the index.

    ``table``, ``gaps`` and ``monthly`` are :func:`~diag.areas.stores.store_table`,
    :func:`~diag.areas.stores.driver_gaps` and :func:`~diag.areas.stores.store_monthly`
    of the chain's orders; ``client`` is the chain's ``meta["client"]`` record.
    """
    from diag.report import build_report

    folder = Path(folder)
    slugs = st.store_slugs(list(table["store"]))
    medians = st.chain_medians(table)
    by_store = gaps.set_index("store") if len(gaps) else pd.DataFrame()
    n_ok = int((table["status"] == "ok").sum())
    rows = []
    for row in table.itertuples(index=False):
        store_dir = folder / slugs[row.store]
        gap = by_store.loc[row.store] if row.store in by_store.index else None
        _record_store(store_dir, row, gap, medians, monthly, n_ok, len(table))
        meta = {"client": {**client, "name": f"{client.get('name', '')} · {row.store}",
                           "slug": slugs[row.store], "format": "门店"},
                "store": row.store, "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
                "lang": lang, "diag_version": __version__}
        merge_results(store_dir, meta)
        build_report(store_dir, lang=lang)
        rows.append({"store": row.store, "slug": slugs[row.store], "orders": int(row.orders),
                     "customers": int(row.customers), "gmv": round(float(row.gmv), 2),
                     "aov": round(float(row.aov), 2), "repurchase_rate": round(float(row.repurchase_rate), 6),
                     "orders_per_customer": round(float(row.orders_per_customer), 4),
                     "rank_gmv": "" if pd.isna(row.rank_gmv) else int(row.rank_gmv),
                     "weakest_driver": "" if gap is None else gap["weakest"],
                     "gain_to_median": "" if gap is None else round(float(gap["gain"]), 2),
                     "status": row.status, "report": f"{slugs[row.store]}/report.docx"})
    index = pd.DataFrame(rows, columns=list(INDEX_COLUMNS))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDEX_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(folder / "index.csv", "\ufeff" + buffer.getvalue())
    return index


def _record_store(store_dir: Path, row: Any, gap: pd.Series | None, medians: dict[str, float],
                  monthly: pd.DataFrame, n_ok: int, n_stores: int) -> None:
    from diag.charts.stores import store_trend

    rec = Recorder(store_dir, "store", f"门店诊断：{row.store}", show=False)
    if row.status != "ok":
        rec.heading("数据不足")
        rec.text(f"{row.store}在 {row.first_date} 至 {row.last_date} 只有 {int(row.orders):,} 笔有效订单、"
                 f"{int(row.customers):,} 位顾客，少于门店诊断所需的 {st.MIN_ORDERS} 笔订单和 "
                 f"{st.MIN_CUSTOMERS} 位顾客，本报告不做排名和诊断。下面列出已有的数字供参考；"
                 "数据积累后（或合并到区域一起看）再出具完整诊断。")
        _numbers(rec, row, headline=False)
        return
    rec.heading("本店核心指标")
    _numbers(rec, row, headline=True)
    rec.text(f"在 {n_ok} 家数据充足的门店中，本店 GMV 排第 {int(row.rank_gmv)} 名，客单价排第 "
             f"{int(row.rank_aov)} 名，复购率排第 {int(row.rank_repurchase_rate)} 名"
             f"（连锁共 {n_stores} 家门店）。")
    rec.heading("GMV 驱动因素与连锁中位数对比")
    drivers = pd.DataFrame([{"驱动因素": label, "本店": float(getattr(row, column)),
                             "连锁中位数": medians[column],
                             "本店 ÷ 中位数": float(gap[f"{column}_vs_median"]) if gap is not None else None,
                             "只补齐这一项的 GMV 增量（元）": round(float(gap[f"gain_{column}"]), 0)
                             if gap is not None else None}
                            for column, label in st.DRIVERS])
    rec.table("drivers", drivers.round(2), title="GMV = 购买用户数 × 人均订单数 × 客单价",
              note="增量 = 本店 GMV ×（中位数 ÷ 本店值 − 1），只对低于中位数的因素计算，其余因素保持不变")
    if gap is not None and gap["gain"] > 0:
        rec.number("gain_to_median", float(gap["gain"]), headline=True)
        weakest_gain = max(float(gap["gain_" + _column(gap["weakest"])]), 0.0)
        rec.text(f"最拖后腿的是「{gap['weakest']}」：只把它提高到连锁中位数，GMV 就能增加约 "
                 f"¥{weakest_gain:,.0f}。")
    else:
        rec.text("本店三个驱动因素都不低于连锁中位数，是连锁里可以复制经验的门店。")
    if row.store in monthly.columns and len(monthly.index) > 1:
        rec.figure("store_trend", store_trend(monthly, row.store), title="月度 GMV：本店与门店中位数",
                   caption="柱：本店当月 GMV；线：当月各门店 GMV 的中位数", dpi=110)


def _column(label: str) -> str:
    return next(column for column, name in st.DRIVERS if name == label)


def _numbers(rec: Recorder, row: Any, *, headline: bool) -> None:
    rec.number("gmv", float(row.gmv), headline=headline)
    rec.number("orders", int(row.orders))
    rec.number("customers", int(row.customers), headline=headline)
    rec.number("aov", float(row.aov), headline=headline)
    rec.number("orders_per_customer", float(row.orders_per_customer))
    rec.number("repurchase_rate", float(row.repurchase_rate), headline=headline)


__all__ = ["INDEX_COLUMNS", "write_store_reports", "ranking_display", "lagging_display"]


def ranking_display(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the store ranking for the report, headers and data status in ``lang``."""
    ranking = table[["store", "gmv", "orders", "customers", "aov", "repurchase_rate", "rank_gmv", "rank_aov",
                     "rank_repurchase_rate", "status"]].rename(columns={
                         "store": "门店", "gmv": "GMV", "orders": "订单数", "customers": "购买用户数", "aov": "客单价",
                         "repurchase_rate": "复购率", "rank_gmv": "GMV 名次", "rank_aov": "客单价名次",
                         "rank_repurchase_rate": "复购率名次", "status": "数据"})
    ranking["数据"] = ranking["数据"].map({"ok": "充足", "too little data": "不足"})
    return localize(ranking.round({"GMV": 0, "客单价": 1, "复购率": 3}), lang, "stores")


def lagging_display(lagging: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the lagging stores (:func:`diag.areas.stores.driver_gaps` rows with a gain) for the report."""
    table = lagging[["store", "gmv", "weakest", "customers_vs_median", "orders_per_customer_vs_median",
                     "aov_vs_median", "gain"]].rename(columns={
                         "store": "门店", "gmv": "GMV", "weakest": "最弱因素", "customers_vs_median": "用户数 ÷ 中位数",
                         "orders_per_customer_vs_median": "人均订单 ÷ 中位数", "aov_vs_median": "客单价 ÷ 中位数",
                         "gain": "补齐增量（元）"})
    return localize(table.round(2), lang, "stores")
