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
from diag.messages import messages, text
from diag.record import Recorder, merge_results
from diag.strategy.wording import localize, word

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
        _record_store(store_dir, row, gap, medians, monthly, n_ok, len(table), lang)
        meta = {"client": {**client, "name": f"{client.get('name', '')} · {row.store}",
                           "slug": slugs[row.store], "format": text("stores", "report.format", lang)},
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
                  monthly: pd.DataFrame, n_ok: int, n_stores: int, lang: str = "zh") -> None:
    from diag.charts.stores import store_trend

    t = messages("stores", lang)
    rec = Recorder(store_dir, "store", t("report.title", store=row.store), show=False, lang=lang)
    if row.status != "ok":
        rec.heading(t("report.too_little_heading"))
        rec.text(t("report.too_little", store=row.store, first=row.first_date, last=row.last_date,
                   orders=int(row.orders), customers=int(row.customers), min_orders=st.MIN_ORDERS,
                   min_customers=st.MIN_CUSTOMERS))
        _numbers(rec, row, headline=False)
        return
    rec.heading(t("report.numbers_heading"))
    _numbers(rec, row, headline=True)
    rec.text(t("report.ranks", ok=n_ok, gmv=int(row.rank_gmv), aov=int(row.rank_aov),
               repurchase=int(row.rank_repurchase_rate), stores=n_stores))
    rec.heading(t("report.drivers_heading"))
    drivers = pd.DataFrame([{t("report.drivers.driver"): word(label, lang, "stores"),
                             t("report.drivers.store"): float(getattr(row, column)),
                             t("report.drivers.median"): medians[column],
                             t("report.drivers.ratio"): float(gap[f"{column}_vs_median"]) if gap is not None else None,
                             t("report.drivers.gain"): round(float(gap[f"gain_{column}"]), 0)
                             if gap is not None else None}
                            for column, label in st.DRIVERS])
    rec.table("drivers", drivers.round(2), title=t("report.drivers_title"), note=t("report.drivers_note"))
    if gap is not None and gap["gain"] > 0:
        rec.number("gain_to_median", float(gap["gain"]), headline=True)
        weakest_gain = max(float(gap["gain_" + _column(gap["weakest"])]), 0.0)
        rec.text(t("report.weakest", driver=word(gap["weakest"], lang, "stores"), gain=weakest_gain))
    else:
        rec.text(t("report.none_lagging"))
    if row.store in monthly.columns and len(monthly.index) > 1:
        rec.figure("store_trend", store_trend(monthly, row.store, lang=lang), title=t("report.trend_title"),
                   caption=t("report.trend_caption"), dpi=110)


def _column(label: str) -> str:
    return next(column for column, name in st.DRIVERS if name == label)


def _numbers(rec: Recorder, row: Any, *, headline: bool) -> None:
    rec.number("gmv", float(row.gmv), headline=headline)
    rec.number("orders", int(row.orders))
    rec.number("customers", int(row.customers), headline=headline)
    rec.number("aov", float(row.aov), headline=headline)
    rec.number("orders_per_customer", float(row.orders_per_customer))
    rec.number("repurchase_rate", float(row.repurchase_rate), headline=headline)


__all__ = ["INDEX_COLUMNS", "write_store_reports", "ranking_display", "lagging_display", "enough_data_definition"]


def enough_data_definition(lang: str = "zh") -> str:
    """Return the definition of ``stores_enough_data`` with this kit's thresholds, in ``lang``."""
    return text("stores", "enough_data_definition", lang, orders=st.MIN_ORDERS, customers=st.MIN_CUSTOMERS)


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
