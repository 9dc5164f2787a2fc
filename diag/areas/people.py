"""People (人): repurchase, purchase cycle, RFM segments and cohort retention.

Every rule is written once, as SQL run by DuckDB over an orders relation
(``customer_id, paid_at, amount``); :mod:`diag.areas.metrics` runs the same SQL over the
tables the reader built, and the DataFrame functions below run it over frames.

Definitions
-----------
* **Purchase day** — a calendar date (of ``paid_at``) on which a customer paid at least
  one valid order; several orders on one day are one purchase day worth their sum.
* **Repurchase rate** — customers with ≥ 2 distinct purchase days ÷ customers.
* **N-day repurchase rate** — among customers whose first purchase day is at least N
  days before ``as_of`` (so the whole window is observed), the share whose second
  purchase day falls within N days of the first.
* **Repurchase gap** — days between a customer's consecutive distinct purchase days;
  the repurchase cycle is the median gap over all customers' gaps.
* **RFM** — R = ``recency_days`` (``as_of`` − last purchase day), F = distinct purchase
  days, M = total spend.  Each is *high* or *low* against the customers' **mean**:
  R高 when recency_days < mean (bought more recently than average), F高 when F > mean,
  M高 when M > mean.  Ties go to low.  The eight combinations give the standard types:
  高高高 重要价值 · 低高高 重要唤回 · 高低高 重要深耕 · 低低高 重要挽留 ·
  高高低 潜力 · 高低低 新客 · 低高低 一般维持 · 低低低 流失 (order R, F, M).
* **Cohort retention** — customers grouped by the month of their first purchase day;
  month k's share = customers of the cohort with a purchase day in month k ÷ cohort size.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from diag.catalog import definition, known, label

#: Lower edges of the F score bands (purchase days): 1 → F1, 2 → F2, 3 → F3, 4–5 → F4, ≥ 6 → F5.
F_BANDS = (1, 2, 3, 4, 6)
SEGMENTS = ("重要价值", "重要唤回", "重要深耕", "重要挽留", "潜力", "新客", "一般维持", "流失")
#: (R高, F高, M高) → segment.
SEGMENT_RULE = {
    (True, True, True): "重要价值", (False, True, True): "重要唤回",
    (True, False, True): "重要深耕", (False, False, True): "重要挽留",
    (True, True, False): "潜力", (True, False, False): "新客",
    (False, True, False): "一般维持", (False, False, False): "流失",
}
ACTIONS = {
    "重要价值": "专属顾问一对一维护, 新品优先体验与会员权益, 邀请成为种子用户带新",
    "重要唤回": "近期未回购: 按复购周期定向提醒, 专属券或生日关怀拉回",
    "重要深耕": "买得多但次数少: 推荐关联品与组合装, 引导加入社群提高频次",
    "重要挽留": "高价值但久未购买且频次低: 一对一回访了解原因, 大额券挽回",
    "潜力": "活跃常买但客单偏低: 满减、加价购与套装提升客单价",
    "新客": "首购不久: 欢迎礼与二次购买券, 引导进群与关注, 促成第二单",
    "一般维持": "低价高频: 社群日常触达与签到积分, 拼团秒杀保持活跃",
    "流失": "低成本批量唤醒 (红包、抽奖), 无响应则减少打扰",
}
#: Message keys (``segment.<key>``, ``action.<key>`` in diag/messages/diagnosis.yaml) of the segments.
SEGMENT_KEYS = {"重要价值": "champions", "重要唤回": "win_back", "重要深耕": "develop", "重要挽留": "retain",
                "潜力": "potential", "新客": "new", "一般维持": "maintain", "流失": "lapsed"}
GAP_BINS = (0, 7, 14, 30, 60, 90, 180, 365, np.inf)


def segment_name(segment: str, lang: str = "zh") -> str:
    """Return an RFM segment's name (a :data:`SEGMENTS` text) in ``lang``."""
    from diag.messages import text

    key = SEGMENT_KEYS.get(segment)
    return segment if key is None or lang == "zh" else text("diagnosis", f"segment.{key}", lang)


def segment_action(segment: str, lang: str = "zh") -> str:
    """Return what to do with an RFM segment, in ``lang``."""
    from diag.messages import text

    key = SEGMENT_KEYS.get(segment)
    if key is None:
        return ""
    return ACTIONS[segment] if lang == "zh" else text("diagnosis", f"action.{key}", lang)
_SEG_SQL = " ".join(
    f"WHEN {'' if r else 'NOT '}r_high AND {'' if f else 'NOT '}f_high AND {'' if m else 'NOT '}m_high "
    f"THEN '{name}'" for (r, f, m), name in SEGMENT_RULE.items())


def _date(value: Any) -> str:
    return f"DATE '{pd.Timestamp(value).date().isoformat()}'"


def build(con: Any, source: str, as_of: dt.date, *, keys: tuple[str, ...] = (), prefix: str = "p"
          ) -> None:
    """Create ``<prefix>_days`` and ``<prefix>_customers`` in ``con``.

    ``source`` is a relation with ``customer_id, paid_at, amount`` (and ``keys``, e.g.
    ``category``); rows with a purchase day after ``as_of`` are left out.
    ``<prefix>_days`` (a view): one row per order with ``day, amount, month, new_day``
    (first order of a purchase day), ``gap`` (days since the previous purchase day, on
    new days), ``seq`` (1 first purchase day, 2 second, 3 later), ``cohort`` (first
    purchase month) and ``first_in_month``.  ``<prefix>_customers``: one row per (keys, customer) with
    ``first_day, last_day, purchase_days, orders, monetary, first_amount, first_gap,
    recency_days`` and, without keys, ``r_high, f_high, m_high, segment``.
    """
    part = ", ".join([*keys, "customer_id"])
    # One sorted pass (the window) over the orders gives each order's previous purchase
    # day and the customer's first day; purchase days, gaps, first-in-month flags and
    # cohorts follow from those two, so no (customer, day) grouping or DISTINCT count is
    # needed.  seq: 1 = first purchase day, 2 = second, 3 = later.
    con.execute(f"""
        DROP TABLE IF EXISTS {prefix}_cm;
        CREATE OR REPLACE TEMP TABLE {prefix}_base AS
        SELECT {part}, day, amount, lag(day) OVER w AS prev, first_value(day) OVER w AS first_day
        FROM (SELECT {part}, CAST(paid_at AS DATE) AS day, amount FROM {source}
              WHERE CAST(paid_at AS DATE) <= {_date(as_of)})
        WINDOW w AS (PARTITION BY {part} ORDER BY day);
        CREATE OR REPLACE TEMP VIEW {prefix}_days AS
        SELECT {part}, day, amount, CAST(date_trunc('month', day) AS DATE) AS month,
               prev IS NULL OR prev <> day AS new_day,
               CASE WHEN prev <> day THEN day - prev END AS gap,
               CASE WHEN day = first_day THEN 1 WHEN prev = first_day THEN 2 ELSE 3 END AS seq,
               CAST(date_trunc('month', first_day) AS DATE) AS cohort,
               prev IS NULL OR date_trunc('month', prev) <> date_trunc('month', day) AS first_in_month
        FROM {prefix}_base;
        CREATE OR REPLACE TEMP TABLE {prefix}_customers AS
        SELECT {part}, min(day) AS first_day, max(day) AS last_day,
               count(*) FILTER (WHERE new_day) AS purchase_days,
               count(*) AS orders, sum(amount) AS monetary,
               sum(amount) FILTER (WHERE seq = 1) AS first_amount,
               max(gap) FILTER (WHERE seq = 2) AS first_gap,
               {_date(as_of)} - max(day) AS recency_days
        FROM {prefix}_days GROUP BY {part};
    """)
    if not keys:
        # A new table with the flags is cheaper than ALTER + UPDATE of every row.
        con.execute(f"""
            ALTER TABLE {prefix}_customers RENAME TO {prefix}_customers0;
            CREATE TEMP TABLE {prefix}_customers AS
            SELECT *, CASE {_SEG_SQL} END AS segment FROM (
                SELECT c.*, c.recency_days < m.r AS r_high, c.purchase_days > m.f AS f_high,
                       c.monetary > m.m AS m_high
                FROM {prefix}_customers0 c,
                     (SELECT avg(recency_days) AS r, avg(purchase_days) AS f, avg(monetary) AS m
                      FROM {prefix}_customers0) m);
            DROP TABLE {prefix}_customers0;
        """)


def headline(con: Any, as_of: dt.date, *, windows: tuple[int, ...] = (30, 60, 90), prefix: str = "p"
             ) -> dict[str, Any]:
    """Return customers, repeat customers, purchase days per customer, repurchase rates and the median gap.

    ``repeat_customers`` (≥ 2 distinct purchase days) ÷ ``customers`` = ``repurchase_rate``.
    """
    within = ", ".join(
        f"avg(CASE WHEN first_gap <= {n} THEN 1.0 ELSE 0.0 END) FILTER "
        f"(WHERE first_day <= {_date(as_of)} - {n}) AS repurchase_rate_{n}d" for n in windows)
    row = con.execute(f"""
        SELECT count(*) AS customers, sum(orders) AS orders, sum(monetary) AS gmv,
               avg(purchase_days) AS purchase_days_per_customer,
               avg(CASE WHEN purchase_days >= 2 THEN 1.0 ELSE 0.0 END) AS repurchase_rate,
               count(*) FILTER (WHERE purchase_days >= 2) AS repeat_customers,
               {within},
               min(first_day) AS first_date, max(last_day) AS last_date
        FROM {prefix}_customers""").fetchone()
    names = ["customers", "orders", "gmv", "purchase_days_per_customer", "repurchase_rate", "repeat_customers",
             *(f"repurchase_rate_{n}d" for n in windows), "first_date", "last_date"]
    out = dict(zip(names, row))
    # Gaps are whole days: the median from their histogram (one small grouping) equals
    # median() over every gap (the mean of the two middle gaps when their count is even).
    hist = con.execute(f"SELECT gap, count(*) FROM {prefix}_days WHERE gap IS NOT NULL "
                       f"GROUP BY gap ORDER BY gap").fetchall()
    gaps = np.array([h[0] for h in hist], dtype=float)
    cum = np.cumsum([h[1] for h in hist])
    total = int(cum[-1]) if len(cum) else 0
    median = None
    if total:
        lo = gaps[np.searchsorted(cum, (total - 1) // 2, side="right")]
        hi = gaps[np.searchsorted(cum, total // 2, side="right")]
        median = float((lo + hi) / 2)
    out["median_repurchase_days"], out["gaps"] = median, total
    return {k: out[k] for k in [*names[:-2], "median_repurchase_days", "gaps", *names[-2:]]}


def segment_counts(con: Any, prefix: str = "p") -> dict[str, int]:
    """Return {segment: customers} over the eight standard types (zeros included)."""
    got = dict(con.execute(f"SELECT segment, count(*) FROM {prefix}_customers GROUP BY 1").fetchall())
    return {s: int(got.get(s, 0)) for s in SEGMENTS}


def _cohort_months(con: Any, prefix: str) -> str:
    # One pass over the orders per (cohort, month) serves both the monthly and the cohort
    # table; built on first use, dropped by build().
    con.execute(f"""
        CREATE TEMP TABLE IF NOT EXISTS {prefix}_cm AS
        SELECT cohort, month, sum(amount) AS gmv, count(*) AS orders,
               count(*) FILTER (WHERE first_in_month) AS active,
               count(*) FILTER (WHERE seq = 1 AND new_day) AS new_customers
        FROM {prefix}_days GROUP BY 1, 2""")
    return f"{prefix}_cm"


def monthly_frame(con: Any, prefix: str = "p") -> pd.DataFrame:
    """Return month, gmv, orders, customers (active), new_customers (first purchase that month)."""
    cm = _cohort_months(con, prefix)
    return _df(con, f"""
        SELECT strftime(month, '%Y-%m') AS month, gmv, orders, customers, new_customers FROM (
          SELECT month, sum(gmv) AS gmv, CAST(sum(orders) AS BIGINT) AS orders,
                 CAST(sum(active) AS BIGINT) AS customers,
                 CAST(sum(new_customers) AS BIGINT) AS new_customers
          FROM {cm} GROUP BY 1) ORDER BY month""")


def cohort_frame(con: Any, prefix: str = "p") -> pd.DataFrame:
    """Return the cohort retention table: one row per first-purchase month (index ``cohort``),
    integer columns 0…n holding the share of the cohort active in that month (NaN after
    the data ends)."""
    cm = _cohort_months(con, prefix)
    long = _df(con, f"""
        WITH active AS (SELECT cohort, date_diff('month', cohort, month) AS k,
                               CAST(sum(active) AS BIGINT) AS n
                        FROM {cm} WHERE active > 0 GROUP BY 1, 2)
        SELECT strftime(a.cohort, '%Y-%m') AS cohort, a.k, a.n / s.n AS share, s.n AS size
        FROM active a JOIN active s ON s.cohort = a.cohort AND s.k = 0 ORDER BY 1, 2""")
    if long.empty:
        return pd.DataFrame()
    start = long["cohort"].map(lambda c: pd.Period(c, "M").ordinal)
    last = int((start + long["k"]).max())
    table = long.pivot(index="cohort", columns="k", values="share").fillna(0.0)
    table = table.reindex(columns=range(int(long["k"].max()) + 1), fill_value=0.0)
    # Months after the data ends are unknown, not zero.
    for cohort in table.index:
        span = last - pd.Period(cohort, "M").ordinal
        table.loc[cohort, table.columns > span] = np.nan
    table.columns = [int(c) for c in table.columns]
    table.columns.name = None
    return table


def customers_frame(con: Any, prefix: str = "p") -> pd.DataFrame:
    """Return the per-customer table built by :func:`build`."""
    return _df(con, f"SELECT * FROM {prefix}_customers ORDER BY monetary DESC, customer_id")


def _df(con: Any, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


# -- DataFrame API (notebooks) -----------------------------------------------------------------

def _session(frame: pd.DataFrame, as_of: Any, keys: tuple[str, ...] = ()) -> tuple[Any, dt.date]:
    from diag.readers.orders import connect

    need = {"customer_id", "paid_at", "amount", *keys}
    missing = need - set(frame.columns)
    if missing:
        raise ValueError(f"expected columns {sorted(need)}; missing {sorted(missing)}")
    con = connect()
    con.register("frame_src", frame[[*keys, "customer_id", "paid_at", "amount"]])
    if as_of is None:
        as_of = (pd.Timestamp(frame["paid_at"].max()).normalize() + pd.Timedelta(days=1)).date()
    as_of = pd.Timestamp(as_of).date()
    src = "frame_src" if not keys else f"(SELECT * FROM frame_src WHERE {keys[0]} IS NOT NULL)"
    build(con, src, as_of, keys=keys)
    return con, as_of


def buyer_counts(orders: pd.DataFrame, as_of: Any = None) -> dict[str, int]:
    """Return ``customers`` and ``repeat_customers`` of the orders, by the rules of :func:`headline`.

    The counts behind ``repurchase_rate`` (the journey funnel's 首购 and 复购 stages);
    ``orders`` needs ``customer_id`` and ``paid_at`` (``amount`` is not used); orders
    without a customer (walk-ins) are left out.
    """
    frame = orders[orders["customer_id"].notna()]
    if "amount" not in frame.columns:
        frame = frame.assign(amount=0.0)
    if frame.empty:
        return {"customers": 0, "repeat_customers": 0}
    con, as_of = _session(frame, as_of)
    h = headline(con, as_of, windows=(90,))
    return {"customers": int(h["customers"]), "repeat_customers": int(h["repeat_customers"])}


def rfm_table(orders: pd.DataFrame, as_of: Any = None) -> pd.DataFrame:
    """Return one row per customer: recency_days, frequency, monetary, R/F/M 高/低 and segment.

    ``orders`` has ``customer_id, paid_at, amount`` (:attr:`OrdersData.orders`);
    ``as_of`` defaults to the day after the last purchase.  See the module docstring.
    """
    con, _ = _session(orders, as_of)
    df = _df(con, "SELECT customer_id, recency_days, purchase_days AS frequency, monetary, orders, "
                  "first_day, last_day, r_high, f_high, m_high, segment FROM p_customers "
                  "ORDER BY monetary DESC, customer_id")
    for col, name in (("r_high", "R"), ("f_high", "F"), ("m_high", "M")):
        df[name] = np.where(df.pop(col), "高", "低")
    return df


def rfm_scores(rfm: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """Return ``rfm`` with R and F scores 1…``bins`` (higher is better) for the R × F matrix.

    R score: quantile bins of recency_days, the most recent customers scoring highest.
    F score: fixed bands of purchase days — 1, 2, 3, 4–5, ≥ 6 days → 1…5 — because most
    customers buy on one day only, so quantiles of F collapse (``bins`` sets the R bins
    only).  The scores only place customers on the matrix; segments keep the mean-split
    rule of :func:`rfm_table`.
    """
    out = rfm.copy()
    if out.empty:
        return out.assign(r_score=pd.Series(dtype="int64"), f_score=pd.Series(dtype="int64"))
    recency = (-out["recency_days"]).rank(method="first")
    out["r_score"] = pd.qcut(recency, bins, labels=False, duplicates="drop").astype("int64") + 1
    out["f_score"] = np.searchsorted(F_BANDS, out["frequency"].to_numpy(float), side="right").astype("int64")
    return out


def segment_summary(rfm: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return per segment: ``segment``, ``customers``, ``share``, ``avg_monetary``, ``action``.

    All eight types, in order; segment names and actions are the :data:`SEGMENTS` and
    :data:`ACTIONS` texts.
    """
    grouped = rfm.groupby("segment")["monetary"]
    counts = grouped.size().reindex(SEGMENTS, fill_value=0)
    total = max(int(counts.sum()), 1)
    return pd.DataFrame({
        "segment": [segment_name(s, lang) for s in SEGMENTS],
        "customers": counts.to_numpy(int),
        "share": (counts / total).to_numpy(float),
        "avg_monetary": grouped.mean().reindex(SEGMENTS).to_numpy(float),
        "action": [segment_action(s, lang) for s in SEGMENTS],
    })


def repurchase_summary(orders: pd.DataFrame, as_of: Any = None,
                       windows: tuple[int, ...] = (30, 60, 90)) -> pd.DataFrame:
    """Return ``metric, value`` rows: customers, purchase days, repurchase rate, N-day rates, cycle.

    ``metric`` is the key of :mod:`diag.catalog` (``repurchase_rate_<n>d`` for each window);
    :func:`diag.areas.diagnosis.format_summary` words them with the catalogue's labels and definitions.
    """
    con, as_of = _session(orders, as_of)
    h = headline(con, as_of, windows=windows)
    keys = ["customers", "purchase_days_per_customer", "repurchase_rate",
            *(f"repurchase_rate_{n}d" for n in windows), "median_repurchase_days"]
    return pd.DataFrame({"metric": keys, "value": [h[key] for key in keys]})


def window_label(key: str, lang: str = "zh") -> tuple[str, str]:
    """Return the label and definition of ``key`` in ``lang``; N-day rates outside the catalogue follow its 90-day words."""
    if known(key) or not key.startswith("repurchase_rate_"):
        return label(key, lang), definition(key, lang)
    days = key.removeprefix("repurchase_rate_").removesuffix("d")
    return (label("repurchase_rate_90d", lang).replace("90", days),
            definition("repurchase_rate_90d", lang).replace("90", days))


#: English names of :func:`repurchase_by_category`'s columns (the strategy's reminders read the Chinese ones).
CATEGORY_COLUMNS = {"品类": "category", "购买客户数": "buyers", "复购率": "repurchase_rate",
                    "复购间隔次数": "gaps", "复购周期P25": "p25", "复购周期中位数": "median", "复购周期P75": "p75"}


def repurchase_by_category(lines: pd.DataFrame, as_of: Any = None) -> pd.DataFrame:
    """Return per category: buyers, repurchase rate and the repurchase cycle's distribution.

    The same definitions as the overall rate, applied to each category's own purchase
    days (``lines`` with ``category``; lines without a category are left out).  The
    cycle is described by the gaps between a customer's consecutive purchase days in
    the category: their count, lower quartile, median and upper quartile (linear
    interpolation between gaps, like ``numpy.percentile``).
    """
    columns = ["品类", "购买客户数", "复购率", "复购间隔次数", "复购周期P25", "复购周期中位数", "复购周期P75"]
    if "category" not in lines or lines["category"].isna().all():
        return pd.DataFrame(columns=columns)
    con, _ = _session(lines, as_of, keys=("category",))
    return _df(con, """
        SELECT c.category AS 品类, count(*) AS 购买客户数,
               avg(CASE WHEN purchase_days >= 2 THEN 1.0 ELSE 0.0 END) AS 复购率,
               coalesce(any_value(g.n), 0) AS 复购间隔次数,
               any_value(g.p25) AS 复购周期P25, any_value(g.cycle) AS 复购周期中位数,
               any_value(g.p75) AS 复购周期P75
        FROM p_customers c LEFT JOIN (
            SELECT category, count(*) AS n, quantile_cont(gap, 0.25) AS p25, median(gap) AS cycle,
                   quantile_cont(gap, 0.75) AS p75
            FROM p_days WHERE gap IS NOT NULL GROUP BY 1) g USING (category)
        GROUP BY 1 ORDER BY 2 DESC, 1""")


def gap_distribution(orders: pd.DataFrame, bins: tuple[float, ...] = GAP_BINS, *,
                     lang: str = "zh") -> pd.DataFrame:
    """Return counts and shares of repurchase gaps (days between purchase days) per band.

    Columns ``band`` (its label in ``lang``), ``count``, ``share``.  Bands include their
    upper edge (``bins`` (0, 7, 14, …) → 1–7天, 8–14天, …, 365天以上).
    """
    from diag.messages import messages

    t = messages("diagnosis", lang)
    gaps = repurchase_gaps(orders).to_numpy(float)
    edges = np.asarray(bins, float)
    # Bands include their upper edge: 1–7 days, 8–14 days, …
    counts = np.bincount(np.searchsorted(edges, gaps, side="left") - 1, minlength=len(edges) - 1)
    labels = [t("gap_band", low=int(lo) + 1, high=int(hi)) if np.isfinite(hi) else t("gap_band_open", low=int(lo))
              for lo, hi in zip(bins[:-1], bins[1:])]
    return pd.DataFrame({"band": labels, "count": counts, "share": counts / max(len(gaps), 1)})


def repurchase_gaps(orders: pd.DataFrame) -> pd.Series:
    """Return every repurchase gap: days between a customer's consecutive purchase days."""
    con, _ = _session(orders, None)
    return _df(con, "SELECT gap FROM p_days WHERE gap IS NOT NULL ORDER BY gap")["gap"].astype("int64") \
        .rename("gap_days").reset_index(drop=True)


def cohort_retention(orders: pd.DataFrame) -> pd.DataFrame:
    """Return the monthly cohort table: the share of each cohort active in month 0, 1, 2, …."""
    con, _ = _session(orders, None)
    return cohort_frame(con)


def monthly(orders: pd.DataFrame) -> pd.DataFrame:
    """Return per month: GMV, orders, active customers and new customers."""
    con, _ = _session(orders, None)
    return monthly_frame(con)
