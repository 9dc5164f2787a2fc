"""A synthetic store chain of any size, for tests and the per-store benchmark.

``write_chain(folder, stores=50)`` writes ``<folder>/<slug>.yaml`` and its POS-style
orders CSV (订单号, 会员手机号, 支付时间, 实付金额, 订单状态, 门店名称): stores differ in
size, AOV and loyalty (each drawn per store), a few stores are new and have too
little data, some orders are closed or refunded.  Seeded: the same files every time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from diag.demo._sim import mobile_numbers

CITIES = ("上海", "杭州", "苏州", "南京", "宁波", "无锡", "合肥", "成都", "武汉", "长沙")
PLACES = ("万达", "印象城", "银泰", "龙湖天街", "吾悦", "大悦城", "万象城", "来福士", "凯德", "宝龙")


def store_names(n: int) -> list[str]:
    """Return ``n`` distinct store names like ``杭州银泰3店``."""
    return [f"{CITIES[i % len(CITIES)]}{PLACES[i // len(CITIES) % len(PLACES)]}"
            f"{i // (len(CITIES) * len(PLACES)) + 1}店" for i in range(n)]


def chain_orders(stores: int = 50, *, orders_per_store: int = 150, new_stores: int = 3,
                 seed: int = 0) -> pd.DataFrame:
    """Return a chain's order export (Chinese POS headers), one row per order."""
    rng = np.random.default_rng(seed)
    names = store_names(stores)
    start = pd.Timestamp("2025-01-01")
    frames = []
    for i, name in enumerate(names):
        new = i >= stores - new_stores
        n_orders = int(rng.integers(5, 20)) if new else max(40, int(orders_per_store * rng.lognormal(0, 0.5)))
        loyalty = rng.uniform(0.15, 0.6)          # share of orders by returning members
        members = max(5, int(n_orders * (1 - loyalty)))
        aov = rng.uniform(40, 160)
        ids = mobile_numbers(rng, members)
        who = np.where(rng.random(n_orders) < loyalty, rng.integers(0, max(1, members // 3), n_orders),
                       rng.integers(0, members, n_orders))
        first_day = 300 if new else int(rng.integers(0, 60))
        days = rng.integers(first_day, 365, n_orders)
        paid = start + pd.to_timedelta(days, unit="D") + pd.to_timedelta(rng.integers(36000, 79200, n_orders),
                                                                          unit="s")
        status = rng.choice(["交易成功", "交易关闭", "已退款"], size=n_orders, p=[0.94, 0.04, 0.02])
        frames.append(pd.DataFrame({
            "订单号": [f"S{i:03d}-{k:05d}" for k in range(n_orders)], "会员手机号": ids[who],
            "支付时间": paid.strftime("%Y-%m-%d %H:%M:%S"),
            "实付金额": np.round(rng.gamma(4.0, aov / 4.0, n_orders), 2),
            "订单状态": status, "门店名称": name}))
    return pd.concat(frames, ignore_index=True).sort_values("支付时间", kind="stable").reset_index(drop=True)


def write_chain(folder: str | Path, stores: int = 50, *, slug: str = "chain", orders_per_store: int = 150,
                seed: int = 0) -> Path:
    """Write a chain's brief and orders under ``folder``; return the brief's path."""
    folder = Path(folder)
    data = folder / "data" / slug
    data.mkdir(parents=True, exist_ok=True)
    chain_orders(stores, orders_per_store=orders_per_store, seed=seed).to_csv(
        data / "orders.csv", index=False, encoding="utf-8")
    brief = folder / f"{slug}.yaml"
    brief.write_text(yaml.safe_dump({
        "client": {"name": f"连锁茶饮{stores}店", "slug": slug, "industry": "餐饮", "format": "连锁",
                   "store_count": stores},
        "data": {"orders": f"data/{slug}/orders.csv"}}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return brief


__all__ = ["store_names", "chain_orders", "write_chain"]
