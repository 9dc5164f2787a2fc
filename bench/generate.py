"""Make synthetic order files for the benchmark, deterministically (seeded).

    .venv/bin/python bench/generate.py               # 1M and 10M orders, every variant
    .venv/bin/python bench/generate.py --orders 1000000 --variant orders --format csv

Files go to ``bench/data/`` (git-ignored), Parquet storing the payment time as a
timestamp and CSV as text.  Four shapes (``--variant``):

* ``orders_<N>`` — one row per order, Chinese headers; customers buy on a BG/NBD-like
  process (a Gamma purchase rate, a Beta per-purchase drop-out chance), ~N/4 customers;
* ``lines_<N>`` — the same orders as 1–4 line items each, with both a line-level and an
  order-level amount, as 有赞-style exports carry (≈ 2.5 N rows);
* ``uniform_<N>`` — heavy repeaters, nothing like the model: N/5 customers each buying
  about five times (Poisson), uniformly over the two years, English headers
  (order_id, customer_id, paid_at, amount, status);
* ``onetime_<N>`` — mostly one-time buyers: 90 % of the customers buy once, the rest
  about six times, Chinese headers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent / "data"
START = np.datetime64("2024-01-01T00:00:00", "s")
DAYS = 730
STATUSES = np.array(["已完成", "已完成", "已发货", "交易关闭", "已退款", "部分退款", "待付款"])
STATUS_P = np.array([0.80, 0.08, 0.05, 0.03, 0.02, 0.01, 0.01])
CHANNELS = np.array(["小程序", "社群", "门店", "朋友圈", "直播"])
STORES = np.array([f"门店{i:02d}" for i in range(1, 21)])
CATEGORIES = np.array(["奶粉", "纸尿裤", "辅食", "洗护", "玩具", "服饰"])


def _orders(n_orders: int, seed: int) -> dict[str, np.ndarray]:
    """Return column arrays for ``n_orders`` orders of a BG/NBD-like customer base."""
    rng = np.random.default_rng(seed)
    n_cust = max(1, n_orders // 4)
    rate = rng.gamma(0.6, 1 / 8.0, n_cust)            # purchases per day while alive
    drop = rng.beta(1.0, 3.0, n_cust)                 # chance to leave after a purchase
    first = rng.integers(0, DAYS, n_cust)
    # Purchases per customer: geometric life (in purchases) capped by the period length.
    life = rng.geometric(np.clip(drop, 1e-3, 1))
    room = np.maximum(1, np.round(rate * (DAYS - first)).astype(np.int64))
    count = np.minimum(life, room)
    scale = n_orders / count.sum()
    count = np.maximum(1, np.round(count * scale).astype(np.int64))
    diff = n_orders - count.sum()
    if diff > 0:
        count[rng.integers(0, n_cust, diff)] += 1
    while count.sum() > n_orders:           # trim repeaters until the total is exact
        extra = count.sum() - n_orders
        idx = np.flatnonzero(count > 1)[: extra]
        count[idx] -= 1
    cust = np.repeat(np.arange(n_cust), count)
    pos = np.arange(n_orders) - np.repeat(np.cumsum(count) - count, count)
    gap = rng.exponential(1.0, n_orders) / np.repeat(np.maximum(rate, 1 / DAYS), count)
    gap[pos == 0] = 0
    offset = np.repeat(first, count) + _group_cumsum(gap, count)
    seconds = np.minimum(offset * 86400 + rng.integers(8 * 3600, 23 * 3600, n_orders),
                         DAYS * 86400 - 1).astype(np.int64)
    order = np.argsort(seconds, kind="stable")
    phone = 13_000_000_000 + rng.permutation(n_cust * 3)[:n_cust] * 7 + 11
    return {
        "order_id": np.arange(n_orders)[order],
        "customer": phone[cust][order],
        "paid_at": (START + seconds[order].astype("timedelta64[s]")),
        "amount": np.round(rng.lognormal(4.5, 0.8, n_orders), 2)[order],
        "status": rng.choice(STATUSES, n_orders, p=STATUS_P),
        "channel": rng.choice(CHANNELS, n_orders),
        "store": rng.choice(STORES, n_orders),
    }


def _group_cumsum(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    starts = np.cumsum(count) - count
    before = np.where(starts > 0, total[np.maximum(starts - 1, 0)], 0.0)
    return total - np.repeat(before, count)


def _uniform(n_orders: int, seed: int) -> dict[str, np.ndarray]:
    """Return orders of N/5 customers buying uniformly over the period (≈ Poisson(5) each)."""
    rng = np.random.default_rng(seed)
    n_cust = max(1, n_orders // 5)
    cust = rng.integers(0, n_cust, n_orders)
    seconds = np.sort(rng.integers(0, DAYS * 86400, n_orders))
    return _columns(rng, n_orders, cust, seconds, n_cust)


def _onetime(n_orders: int, seed: int) -> dict[str, np.ndarray]:
    """Return orders where 90 % of the customers buy once and the rest ≈ 6 times."""
    rng = np.random.default_rng(seed)
    n_cust = max(1, int(n_orders / 1.5))
    repeat = rng.random(n_cust) < 0.10
    count = np.where(repeat, 1 + rng.geometric(0.2, n_cust), 1)
    while count.sum() < n_orders:             # top up repeaters until the total is reached
        count[np.flatnonzero(repeat)[: n_orders - count.sum()]] += 1
    cust = np.repeat(np.arange(n_cust), count)[:n_orders]
    first = rng.integers(0, DAYS * 86400, n_cust)
    seconds = first[cust] + (rng.random(n_orders) * (DAYS * 86400 - first[cust])).astype(np.int64)
    pos = np.arange(n_orders) - np.repeat(np.cumsum(count) - count, count)[:n_orders]
    seconds = np.where(pos == 0, first[cust], seconds)
    order = np.argsort(seconds, kind="stable")
    return _columns(rng, n_orders, cust[order], seconds[order], n_cust)


def _columns(rng: np.random.Generator, n_orders: int, cust: np.ndarray, seconds: np.ndarray,
             n_cust: int) -> dict[str, np.ndarray]:
    phone = 13_000_000_000 + rng.permutation(n_cust * 3)[:n_cust] * 7 + 11
    return {
        "order_id": np.arange(n_orders),
        "customer": phone[cust],
        "paid_at": START + seconds.astype("timedelta64[s]"),
        "amount": np.round(rng.lognormal(4.5, 0.8, n_orders), 2),
        "status": rng.choice(STATUSES, n_orders, p=STATUS_P),
        "channel": rng.choice(CHANNELS, n_orders),
        "store": rng.choice(STORES, n_orders),
    }


ENGLISH_STATUS = {"已完成": "completed", "已发货": "shipped", "交易关闭": "closed", "已退款": "refunded",
                  "部分退款": "completed", "待付款": "unpaid"}


def uniform_table(n_orders: int, seed: int = 7) -> pa.Table:
    """Return the heavy-repeater shape with English headers."""
    c = _uniform(n_orders, seed)
    names, code = np.unique(c["status"], return_inverse=True)
    status = np.array([ENGLISH_STATUS[n] for n in names])[code]
    return pa.table({
        "order_id": pa.array(c["order_id"] + 5 * 10**11).cast(pa.string()),
        "customer_id": pa.array(c["customer"]).cast(pa.string()),
        "paid_at": pc.strftime(pa.array(c["paid_at"]), format="%Y-%m-%d %H:%M:%S"),
        "amount": pa.array(c["amount"]),
        "status": pa.array(status),
    })


def onetime_table(n_orders: int, seed: int = 7) -> pa.Table:
    """Return the mostly-one-time-buyers shape with the order-level Chinese headers."""
    return order_table(n_orders, seed, columns=_onetime(n_orders, seed))


def order_table(n_orders: int, seed: int = 7, columns: dict[str, np.ndarray] | None = None) -> pa.Table:
    """Return one row per order with Chinese headers (订单号, 买家手机号, 支付时间, …)."""
    c = _orders(n_orders, seed) if columns is None else columns
    oid = pc.binary_join_element_wise("E", pa.array(c["order_id"] + 10**11).cast(pa.string()), "")
    return pa.table({
        "订单号": oid,
        "买家手机号": pa.array(c["customer"]).cast(pa.string()),
        "支付时间": pc.strftime(pa.array(c["paid_at"]), format="%Y-%m-%d %H:%M:%S"),
        "实付金额": pa.array(c["amount"]),
        "订单状态": pa.array(c["status"]),
        "来源渠道": pa.array(c["channel"]),
        "门店": pa.array(c["store"]),
    })


def line_table(n_orders: int, seed: int = 7) -> pa.Table:
    """Return 1–4 line items per order: 商品实付金额 per line and 订单实付金额 per order."""
    c = _orders(n_orders, seed)
    rng = np.random.default_rng(seed + 1)
    n_lines = rng.choice([1, 1, 2, 2, 3, 4], n_orders)
    rows = np.repeat(np.arange(n_orders), n_lines)
    share = rng.uniform(0.2, 1.0, rows.size)
    share /= np.bincount(rows, share)[rows]
    line_amount = np.round(c["amount"][rows] * share, 2)
    order_amount = np.bincount(rows, line_amount)      # so the two levels agree
    oid = pc.binary_join_element_wise("E", pa.array(c["order_id"][rows] + 10**11).cast(pa.string()), "")
    cat = rng.integers(0, CATEGORIES.size, rows.size)
    return pa.table({
        "订单编号": oid,
        "买家手机号": pa.array(c["customer"][rows]).cast(pa.string()),
        "付款时间": pc.strftime(pa.array(c["paid_at"][rows]), format="%Y-%m-%d %H:%M:%S"),
        # The line's position in its order is part of the name, so no two lines are identical.
        "商品名称": pa.array(np.char.add(np.char.add(CATEGORIES[cat], rng.integers(1, 40, rows.size).astype(str)),
                                     np.char.add("-", (np.arange(rows.size) - np.repeat(
                                         np.cumsum(n_lines) - n_lines, n_lines) + 1).astype(str)))),
        "商品分类": pa.array(CATEGORIES[cat]),
        "商品数量": pa.array(rng.integers(1, 4, rows.size)),
        "商品实付金额": pa.array(line_amount),
        "订单实付金额": pa.array(np.round(order_amount[rows], 2)),
        "订单状态": pa.array(c["status"][rows]),
    })


def write(n_orders: int, variant: str, fmt: str, out: Path = DATA, table: pa.Table | None = None) -> Path:
    """Write one synthetic file and return its path (kept if it already exists)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{variant}_{n_orders}.{fmt}"
    if path.exists():
        return path
    table = TABLES[variant](n_orders) if table is None else table
    tmp = path.with_suffix(path.suffix + ".part")
    if fmt == "csv":
        pacsv.write_csv(table, tmp, pacsv.WriteOptions(quoting_style="needed"))
    else:
        # A Parquet file carries types: the payment time is a timestamp, as a data
        # pipeline's export would store it (only CSV keeps dates as text).
        name = next(n for n in ("支付时间", "付款时间", "paid_at") if n in table.column_names)
        i = table.column_names.index(name)
        table = table.set_column(i, name, pc.strptime(table[name], format="%Y-%m-%d %H:%M:%S", unit="s"))
        pq.write_table(table, tmp, row_group_size=1_000_000)
    tmp.rename(path)
    return path


TABLES = {"orders": order_table, "lines": line_table, "uniform": uniform_table, "onetime": onetime_table}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--variant", choices=tuple(TABLES), nargs="*", default=list(TABLES))
    parser.add_argument("--format", choices=("csv", "parquet"), nargs="*", default=["csv", "parquet"])
    args = parser.parse_args()
    for n in args.orders:
        for variant in args.variant:
            missing = [f for f in args.format if not (DATA / f"{variant}_{n}.{f}").exists()]
            table = TABLES[variant](n) if missing else None      # one table for both formats
            for fmt in args.format:
                print(write(n, variant, fmt, table=table), flush=True)


if __name__ == "__main__":
    main()
