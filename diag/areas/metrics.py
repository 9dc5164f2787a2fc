"""``diag metrics``: the headline figures of an orders file, as JSON or a terminal table.

The figures follow the contract's definitions, computed by the rules of
:mod:`diag.areas.people` (one SQL implementation) over the tables the reader builds
in DuckDB, so a 10-million-order file needs neither pandas copies nor much memory.

* ``orders`` — valid orders (distinct order_id after exclusions) paid on or before
  ``as_of``; ``excluded_orders`` — orders excluded by status.
* ``gmv`` — sum of valid order amounts; ``aov`` = gmv ÷ orders;
  ``orders_per_customer`` = orders ÷ customers.
* ``purchase_days_per_customer``, ``repurchase_rate``, ``repurchase_rate_30d/60d/90d``,
  ``median_repurchase_days``, ``rfm_segments``, ``monthly``, ``cohort_retention`` — see
  :mod:`diag.areas.people`.
* ``as_of`` — "today": the day after the last valid purchase unless given; purchases
  on days up to and including ``as_of`` count (the CLV module's convention).
* ``clv`` — BG/NBD + Gamma-Gamma (:mod:`diag.areas.clv`), time in weeks, fitted on a
  seeded sample of at most ``clv_sample`` customers and applied to all; totals over all
  customers for the next 90 days.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from diag import catalog
from diag.areas import people
from diag.format import format_number
from diag.memo import Memo, frame_digest
from diag.messages import messages, text
from diag.readers.orders import OrdersData, as_of_default, connect, load

CLV_MODEL = "bgnbd+gamma-gamma"
HORIZON_DAYS = 90
RFM_RULE = text("diagnosis", "rfm_rule", "zh")


def compute_metrics(source: str | os.PathLike[str] | OrdersData, as_of: dt.date | str | None = None,
                    *, columns: dict[str, str] | None = None, platform: str | None = None,
                    clv_sample: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """Return the contract's ``diag metrics`` figures for an orders file or :class:`OrdersData`.

    Parameters
    ----------
    source
        Path of an orders file (read by :func:`diag.readers.orders.load`) or data already read.
    as_of
        "Today" for recency and CLV; default the day after the last valid purchase.
    columns
        Explicit ``{field: header}`` mapping when ``source`` is a path.
    platform
        Platform profile key to use instead of detecting one.
    clv_sample, seed
        The CLV models are fitted on at most this many customers (seeded) and applied
        to all.

    For data already read the result is remembered by the orders' content (the
    notebooks of a run ask for it more than once; see :mod:`diag.memo`).
    """
    if not isinstance(source, OrdersData):
        return _compute_metrics(source, as_of, columns=columns, platform=platform, clv_sample=clv_sample,
                                seed=seed)
    key = (frame_digest(source.orders[["order_id", "customer_id", "paid_at", "amount"]]),
           repr(source.quality.to_dict()), str(as_of), clv_sample, seed)
    hit = _MEMO.get(key)
    if hit is not None:
        return hit
    return _MEMO.put(key, _compute_metrics(source, as_of, clv_sample=clv_sample, seed=seed))


def _compute_metrics(source: str | os.PathLike[str] | OrdersData, as_of: dt.date | str | None = None,
                     *, columns: dict[str, str] | None = None, platform: str | None = None,
                     clv_sample: int = 10_000, seed: int = 0) -> dict[str, Any]:
    con = connect()
    try:
        if isinstance(source, OrdersData):
            quality = source.quality
            frame = source.orders[["order_id", "customer_id", "paid_at", "amount"]]
            con.register("valid_orders", frame)
            last = con.execute("SELECT max(paid_at) FROM valid_orders").fetchone()[0]
            default = pd.Timestamp(last).date() + dt.timedelta(days=1)
        else:
            quality = load(con, source, columns=columns, platform=platform, lean=True)
            con.execute("CREATE VIEW valid_orders AS SELECT * FROM orders WHERE NOT excluded")
            default = as_of_default(con)
        # Walk-in orders (POS, no member) count in orders and GMV, never as customers.
        con.execute("CREATE OR REPLACE TEMP VIEW member_orders AS "
                    "SELECT * FROM valid_orders WHERE customer_id IS NOT NULL")
        as_of = pd.Timestamp(as_of).date() if as_of is not None else default
        assert isinstance(as_of, dt.date)
        people.build(con, "member_orders", as_of)
        h = people.headline(con, as_of)
        walk = _walk_ins(con, as_of) if quality.walk_in_orders else None
        if not h["customers"]:
            from diag.errors import DataError

            raise DataError(f"no valid order paid on or before {as_of}", file=quality.file or None,
                            where="--as-of")
        orders, customers, gmv = int(h["orders"]), int(h["customers"]), float(h["gmv"])
        monthly = people.monthly_frame(con)
        if walk is not None:
            orders, gmv = orders + walk["orders"], gmv + walk["gmv"]
            h["first_date"] = min(h["first_date"], walk["first"])
            h["last_date"] = max(h["last_date"], walk["last"])
            monthly = _add_walk_ins(monthly, walk["monthly"])
        cohorts = people.cohort_frame(con)
        result: dict[str, Any] = {
            "orders": orders,
            "excluded_orders": quality.orders_excluded,
            "customers": customers,
            "gmv": round(gmv, 2),
            "aov": round(gmv / orders, 2),
            "orders_per_customer": round(orders / customers, 6),
            "purchase_days_per_customer": round(float(h["purchase_days_per_customer"]), 6),
            "repurchase_rate": round(float(h["repurchase_rate"]), 6),
            **{f"repurchase_rate_{n}d": _round(h[f"repurchase_rate_{n}d"]) for n in (30, 60, 90)},
            "median_repurchase_days": _round(h["median_repurchase_days"], 1),
            "first_date": h["first_date"].isoformat(),
            "last_date": h["last_date"].isoformat(),
            "as_of": as_of.isoformat(),
            "rfm_segments": people.segment_counts(con),
            "rfm_rule": RFM_RULE,
            "monthly": [
                {"month": r.month, "gmv": round(float(r.gmv), 2), "orders": int(r.orders),
                 "customers": int(r.customers), "new_customers": int(r.new_customers)}
                for r in monthly.itertuples()],
            "cohort_retention": {
                str(c): [round(float(v), 6) for v in row.dropna()]
                for c, row in cohorts.iterrows()},
            "clv": clv_metrics(con, as_of, sample=clv_sample, seed=seed),
            "data_quality": quality.to_dict(),
        }
    finally:
        con.close()
    return result


#: Metrics of data already read, by content (a run's notebooks ask for them more than once).
_MEMO = Memo(size=4)


def _walk_ins(con: Any, as_of: dt.date) -> dict[str, Any]:
    """Return the walk-in orders paid on or before ``as_of``: count, GMV, first/last day, by month."""
    where = f"customer_id IS NULL AND CAST(paid_at AS DATE) <= DATE '{as_of.isoformat()}'"
    n, gmv, first, last = con.execute(
        f"SELECT count(*), coalesce(sum(amount), 0), min(CAST(paid_at AS DATE)), max(CAST(paid_at AS DATE)) "
        f"FROM valid_orders WHERE {where}").fetchone()
    monthly = con.execute(
        f"SELECT strftime(paid_at, '%Y-%m') AS month, sum(amount) AS gmv, count(*) AS orders "
        f"FROM valid_orders WHERE {where} GROUP BY 1").df()
    return {"orders": int(n), "gmv": float(gmv), "first": first or dt.date.max, "last": last or dt.date.min,
            "monthly": monthly}


def _add_walk_ins(monthly: pd.DataFrame, walk: pd.DataFrame) -> pd.DataFrame:
    """Return the monthly table with walk-in orders and GMV added (customers unchanged)."""
    out = monthly.set_index("month")
    for r in walk.itertuples():
        if r.month not in out.index:
            out.loc[r.month] = {"gmv": 0.0, "orders": 0, "customers": 0, "new_customers": 0}
        out.loc[r.month, "gmv"] += float(r.gmv)
        out.loc[r.month, "orders"] += int(r.orders)
    return out.sort_index().reset_index()


def _round(value: Any, digits: int = 6) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def clv_summary_sql(as_of: dt.date, prefix: str = "p") -> str:
    """Return the SQL of the BG/NBD summary per customer, as :func:`clv.summary_from_orders`.

    frequency = purchase days − 1; recency = (last − first purchase day) ÷ 7;
    T = (as_of − first purchase day) ÷ 7; monetary_value = mean of the repeat
    purchase days' value (0 without repeats).
    """
    return (f"SELECT customer_id, CAST(purchase_days - 1 AS DOUBLE) AS frequency, "
            f"(last_day - first_day) / 7.0 AS recency, "
            f"(DATE '{as_of.isoformat()}' - first_day) / 7.0 AS T, "
            f"CASE WHEN purchase_days > 1 THEN (monetary - first_amount) / (purchase_days - 1) "
            f"ELSE 0.0 END AS monetary_value FROM {prefix}_customers")


def clv_metrics(con: Any, as_of: dt.date, *, sample: int = 100_000, seed: int = 0,
                prefix: str = "p") -> dict[str, Any]:
    """Return the CLV block: parameters, 90-day expected purchases and value (totals).

    The models are fitted on a deterministic sample (customers ordered by a seeded hash
    of their id) and applied to all customers grouped by (x, t_x, T); the value total is
    exact under grouping because E[M | x, m] is linear in m.  Never raises and always has
    the same keys: a model that cannot be fitted gives ``fitted: false``, ``status:
    "not fitted: <reason>"`` and ``None`` parameters and totals (see
    :meth:`diag.areas.clv.CLVFits.status`); an unexpected failure adds ``error``.
    """
    from diag.areas import clv

    out: dict[str, Any] = {"model": CLV_MODEL, "horizon_days": HORIZON_DAYS, "fitted": False,
                           "status": "not fitted", "reason": None, "convergence": {},
                           "params": dict.fromkeys(("r", "alpha", "a", "b", "p", "q", "gamma")),
                           "loglik_bgnbd": None, "expected_purchases_90d": None, "expected_value_90d": None,
                           "customers": None, "customers_fitted": None, "seed": seed, "notes": [],
                           "reason_item": None, "note_items": []}
    summary_sql = clv_summary_sql(as_of, prefix)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {prefix}_clv AS {summary_sql}")
        n_all = con.execute(f"SELECT count(*) FROM {prefix}_clv").fetchone()[0]
        fit_on = con.execute(
            f"SELECT frequency, recency, T, monetary_value FROM {prefix}_clv "
            f"ORDER BY hash(customer_id, {int(seed)}), customer_id LIMIT {int(sample)}").df()
        bg, gg, reason, gg_reason, notes = clv.fit_models(fit_on, seed=seed)
        fits = clv.CLVFits(bg, gg, HORIZON_DAYS, int(n_all), int(len(fit_on)), notes, reason, gg_reason)
        out.update({**fits.status(), "customers": int(n_all), "customers_fitted": int(len(fit_on)),
                    "params": {k: _round(v) for k, v in fits.params().items()}})
        if bg is not None:
            out.update(_clv_totals(con, prefix, bg, gg))
    except Exception as exc:  # noqa: BLE001 - CLV is optional; the other metrics stand
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["fitted"], out["status"] = False, f"not fitted: {type(exc).__name__}: {exc}"
    finally:
        con.execute(f"DROP TABLE IF EXISTS {prefix}_clv")
    return out


def _clv_totals(con: Any, prefix: str, bg: Any, gg: Any) -> dict[str, Any]:
    """Return the fitted models' totals over all customers, grouped by (x, t_x, T)."""
    from diag.areas import clv

    groups = con.execute(
        f"SELECT frequency, recency, T, count(*) AS n, avg(monetary_value) AS m "
        f"FROM {prefix}_clv GROUP BY 1, 2, 3").df()
    x, tx, T, n = (groups[c].to_numpy(float) for c in ("frequency", "recency", "T", "n"))
    purchases = clv.expected_purchases(bg, HORIZON_DAYS / 7.0, x, tx, T)
    if gg is not None:
        value = clv.expected_value(gg, x, groups["m"].to_numpy(float))
    else:
        own = con.execute(f"SELECT frequency, recency, T, avg(monetary / purchase_days) AS v "
                          f"FROM {prefix}_clv JOIN {prefix}_customers USING (customer_id) "
                          f"GROUP BY 1, 2, 3").df()
        value = groups.merge(own, on=["frequency", "recency", "T"], how="left")["v"].to_numpy(float)
    exp_purchases = float(np.sum(purchases * n))
    exp_value = float(np.sum(purchases * value * n))
    return {"loglik_bgnbd": _round(bg.loglik, 3), "expected_purchases_90d": _round(exp_purchases, 2),
            "expected_value_90d": _round(exp_value, 2)}


def to_json(metrics: dict[str, Any]) -> str:
    """Return ``metrics`` as strict JSON: NaN and infinities become ``null``, never ``NaN``."""
    import json

    from diag.files import to_jsonable

    return json.dumps(to_jsonable(metrics), ensure_ascii=False, indent=2, allow_nan=False)


# -- terminal table -------------------------------------------------------------------------

def quality_rows(q: dict[str, Any], lang: str = "zh") -> list[list[str]]:
    """Return the data-quality summary (a :meth:`Quality.to_dict`) as table rows, header first, in
    ``lang``: the rows of the report's data-quality table (:meth:`Quality.to_frame`)."""
    from dataclasses import fields

    from diag.readers.quality import Quality

    known = {f.name for f in fields(Quality)}
    frame = Quality(**{k: v for k, v in q.items() if k in known}).to_frame(lang)
    return [list(frame.columns), *([str(c) if i != 1 else _num(c) for i, c in enumerate(row)]
                                   for row in frame.itertuples(index=False))]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _table(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in rows]


def _num(value: Any, kind: str = "count") -> str:
    return format_number(value, {"money": "yuan", "float": "ratio"}.get(kind, kind),
                         digits=2 if kind == "money" else None)


#: The headline figures of the terminal table, in print order, with their kind of number.
_CORE = (("orders", "count"), ("excluded_orders", "count"), ("customers", "count"), ("gmv", "money"),
         ("aov", "money"), ("orders_per_customer", "float"), ("purchase_days_per_customer", "float"),
         ("repurchase_rate", "share"), ("repurchase_rate_30d", "share"), ("repurchase_rate_60d", "share"),
         ("repurchase_rate_90d", "share"))


def format_table(metrics: dict[str, Any], lang: str = "zh") -> str:
    """Return the metrics as aligned tables for a terminal, in ``lang`` (labels and definitions
    from the metric catalogue, the rest from the ``cli`` catalogue)."""
    m, t = metrics, messages("cli", lang)
    core = [[catalog.label(key, lang), _num(m.get(key), kind), catalog.definition(key, lang)] for key, kind in _CORE]
    days = m["median_repurchase_days"]
    core += [
        [catalog.label("median_repurchase_days", lang), "—" if days is None else t("metrics.days", days=days),
         catalog.definition("median_repurchase_days", lang)],
        [t("metrics.period"), t("metrics.span", first=m["first_date"], last=m["last_date"]),
         t("metrics.as_of", as_of=m["as_of"])],
    ]
    head = [t("metrics.metric"), t("metrics.value"), t("metrics.definition")]
    out = [t("metrics.core"), *("  " + line for line in _table([head, *core], right=(1,)))]
    total = max(m["customers"], 1)
    seg = [[people.segment_name(k, lang), _num(v), _num(v / total, "share")] for k, v in m["rfm_segments"].items()]
    head = [t("metrics.segment"), t("metrics.customers"), t("metrics.share")]
    out += ["", t("metrics.rfm"), *("  " + line for line in _table([head, *seg], right=(1, 2)))]
    out.append("  " + text("diagnosis", "rfm_rule", lang))
    months = m["monthly"][-12:]
    if months:
        rows = [[r["month"], _num(r["gmv"], "money"), _num(r["orders"]), _num(r["customers"]),
                 _num(r["new_customers"])] for r in months]
        head = [t("metrics.month"), "GMV", t("metrics.orders"), t("metrics.buyers"), t("metrics.new")]
        out += ["", t("metrics.monthly"), *("  " + line for line in _table([head, *rows], right=(1, 2, 3, 4)))]
    cohorts = list(m["cohort_retention"].items())[-12:]
    if cohorts:
        span = min(max(len(v) for _, v in cohorts), 7)
        rows = [[c, *[_num(v[i], "share") if i < len(v) else "" for i in range(span)]] for c, v in cohorts]
        head = [t("metrics.cohort"), *[f"M{i}" for i in range(span)]]
        out += ["", t("metrics.cohorts"),
                *("  " + line for line in _table([head, *rows], right=tuple(range(1, span + 1))))]
    from diag.areas import clv as _clv

    clv = m.get("clv", {})
    out += ["", t("metrics.clv")]
    if not clv.get("fitted"):
        out.append(t("metrics.clv_unfitted", reason=_clv.reason_words(clv, lang)))
    else:
        p = clv["params"]
        out.append(t("metrics.clv_fitted", purchases=_num(clv["expected_purchases_90d"], "float"),
                     value=_num(clv["expected_value_90d"], "money"), fitted=_num(clv["customers_fitted"]),
                     customers=_num(clv["customers"])))
        out.append(t("metrics.clv_params") + ", ".join(f"{k}={v:.4g}" for k, v in p.items() if v is not None))
        out += [t("metrics.clv_note", note=note) for note in _clv.note_words(clv, lang)]
    q = m.get("data_quality", {})
    if q:
        out += ["", t("metrics.quality"), *("  " + line for line in _table(quality_rows(q, lang), right=(1,)))]
    out += ["", t("metrics.footer")]
    return "\n".join(out)
