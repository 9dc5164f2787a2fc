"""货 (goods): Pareto / ABC, the product-role matrix, price bands, first orders and what follows.

Input is the line-item frame :attr:`diag.readers.orders.OrdersData.lines` (``order_id,
customer_id, paid_at, product, category, quantity, amount``).  Conventions:

* A *purchase day* is a customer's calendar day with at least one valid order (as in
  the repurchase rate); the *first order* is everything bought on the first purchase
  day, the *second purchase* everything on the second purchase day.
* Lines without a product name are kept under ``（未填商品）`` (without a category
  under ``（未分类）``) so totals still add up to GMV; nothing is dropped.
* Unit price of a line = line amount ÷ quantity (quantity missing or ≤ 0 counts as 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from diag.errors import DataError
from diag.format import format_number
from diag.messages import messages

__all__ = ["UNKNOWN_PRODUCT", "UNKNOWN_CATEGORY", "has_products", "abc", "product_matrix",
           "price_bands", "first_order_products", "next_purchase"]

UNKNOWN_PRODUCT = "（未填商品）"
UNKNOWN_CATEGORY = "（未分类）"
_LINE_COLS = ("order_id", "customer_id", "paid_at", "amount")


def has_products(lines: pd.DataFrame, by: str = "product") -> bool:
    """Return whether any line names a product (or category, with ``by="category"``)."""
    return by in lines.columns and bool(lines[by].notna().any())


def _prepare(lines: pd.DataFrame, by: str = "product") -> pd.DataFrame:
    missing = [c for c in _LINE_COLS if c not in lines.columns]
    if by not in ("product", "category"):
        raise DataError(f"expected by='product' or 'category', got {by!r}", where="goods")
    if missing:
        raise DataError(f"expected columns {', '.join(_LINE_COLS)} in the order lines; missing "
                        f"{', '.join(missing)}", where="lines")
    df = pd.DataFrame({
        "order_id": lines["order_id"].astype("string"),
        "customer_id": lines["customer_id"].astype("string"),
        "day": pd.to_datetime(lines["paid_at"]).dt.normalize(),
        "amount": lines["amount"].astype(float),
    })
    for col, unknown in (("product", UNKNOWN_PRODUCT), ("category", UNKNOWN_CATEGORY)):
        source = lines[col] if col in lines.columns else pd.Series(pd.NA, index=lines.index)
        df[col] = source.astype("string").str.strip().replace("", pd.NA).fillna(unknown)
    qty = pd.to_numeric(lines["quantity"], errors="coerce") if "quantity" in lines.columns else None
    df["quantity"] = 1.0 if qty is None else qty.where(qty > 0, 1.0).fillna(1.0).astype(float)
    df["unit_price"] = df["amount"] / df["quantity"]
    # Rank each customer's distinct purchase days: 0 = first order, 1 = second purchase.
    df["day_rank"] = (df.groupby("customer_id")["day"].rank(method="dense") - 1).astype(int)
    return df


def abc(lines: pd.DataFrame, *, by: str = "product", a_share: float = 0.80,
        b_share: float = 0.95) -> pd.DataFrame:
    """Return the Pareto / ABC table of products (or categories) by GMV.

    Sorted by GMV, largest first.  ``cum_share`` is the cumulative GMV share up to and
    including the row.  Class A = the items needed to reach ``a_share`` (80 %) of GMV
    — an item is A when the share *before* it is below 80 %, so the item crossing the
    line is A; B = the items reaching the next 15 % (to 95 %); C = the rest.
    Columns: ``rank, <by>, gmv, gmv_share, cum_share, abc, quantity, orders, buyers``.
    """
    df = _prepare(lines, by)
    g = df.groupby(by)
    out = pd.DataFrame({"gmv": g["amount"].sum(), "quantity": g["quantity"].sum(),
                        "orders": g["order_id"].nunique(), "buyers": g["customer_id"].nunique()})
    out = out.reset_index().sort_values(["gmv", by], ascending=[False, True], kind="mergesort")
    total = out["gmv"].sum()
    out["gmv_share"] = out["gmv"] / total if total else np.nan
    out["cum_share"] = out["gmv_share"].cumsum()
    before = out["cum_share"] - out["gmv_share"]
    eps = 1e-12  # cumulative sums of floats: 0.8 must not read as 0.8000000001
    out["abc"] = np.where(before < a_share - eps, "A", np.where(before < b_share - eps, "B", "C"))
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out[["rank", by, "gmv", "gmv_share", "cum_share", "abc", "quantity", "orders", "buyers"]] \
        .reset_index(drop=True)


def _margin_of(product: str, category: str, margins: Mapping[str, float]) -> float:
    if product in margins:
        return float(margins[product])
    if category in margins:
        return float(margins[category])
    return float("nan")


def _main_category(df: pd.DataFrame) -> pd.Series:
    # The category most of a product's lines carry (ties: the first by name).
    counts = df.groupby(["product", "category"]).size().reset_index(name="n")
    counts = counts.sort_values(["product", "n", "category"], ascending=[True, False, True])
    return counts.drop_duplicates("product").set_index("product")["category"]


def product_matrix(lines: pd.DataFrame, *, margins: Mapping[str, float] | None = None,
                   top_quantile: float = 0.75, min_buyers: int = 5, lang: str = "zh") -> pd.DataFrame:
    """Return one row per product with its roles — traffic, profit, repurchase — and why (words in ``lang``).

    Measures per product:

    * ``first_order_share`` — customers whose first order contains the product ÷
      all customers (first orders);
    * ``unit_price`` — median unit price of its lines;
    * ``repeat_buyer_share`` — its buyers who bought it on ≥ 2 purchase days ÷ its buyers;
    * ``margin`` — gross margin from ``margins`` (product name first, else its
      category; NaN when neither is given).

    Rules (stated in the ``reasons`` column, in ``lang``):

    * 引流品 (traffic): ``first_order_share`` ≥ the ``top_quantile`` (75 %) quantile
      over products, and ``unit_price`` below the median unit price of products;
    * 利润品 (profit): ``margin`` above the median margin of the products that have one;
    * 复购品 (repurchase): ``repeat_buyer_share`` > 0 and ≥ its 75 % quantile over products.

    Traffic and repurchase flags need at least ``min_buyers`` buyers of the product (a
    product bought by two people says little).  Columns: ``product, category, gmv,
    buyers, unit_price, first_order_share, repeat_buyer_share, margin, is_traffic,
    is_profit, is_repurchase, roles, reasons``; sorted by GMV.
    """
    df = _prepare(lines)
    g = df.groupby("product")
    out = pd.DataFrame({
        "category": _main_category(df),
        "gmv": g["amount"].sum(),
        "buyers": g["customer_id"].nunique(),
        "unit_price": g["unit_price"].median(),
    })
    n_customers = df["customer_id"].nunique()
    first = df[df["day_rank"] == 0].groupby("product")["customer_id"].nunique()
    out["first_order_share"] = first.reindex(out.index).fillna(0) / n_customers
    days_per_buyer = df.groupby(["product", "customer_id"])["day"].nunique()
    repeaters = (days_per_buyer >= 2).groupby(level="product").sum()
    out["repeat_buyer_share"] = repeaters.reindex(out.index).fillna(0) / out["buyers"]
    margins = dict(margins or {})
    out["margin"] = [_margin_of(p, c, margins) for p, c in zip(out.index, out["category"])]

    enough = out["buyers"] >= min_buyers
    first_cut = out.loc[enough, "first_order_share"].quantile(top_quantile) if enough.any() else np.inf
    price_mid = out["unit_price"].median()
    repeat_cut = out.loc[enough, "repeat_buyer_share"].quantile(top_quantile) if enough.any() else np.inf
    margin_mid = out["margin"].median() if out["margin"].notna().any() else np.nan
    out["is_traffic"] = enough & (out["first_order_share"] >= first_cut) & (out["first_order_share"] > 0) \
        & (out["unit_price"] < price_mid)
    out["is_profit"] = out["margin"].notna() & (out["margin"] > margin_mid)
    out["is_repurchase"] = enough & (out["repeat_buyer_share"] > 0) & (out["repeat_buyer_share"] >= repeat_cut)

    t = messages("diagnosis", lang)
    top = 1 - top_quantile
    roles, reasons = [], []
    for row in out.itertuples():
        r, why = [], []
        if row.is_traffic:
            r.append(t("role.traffic"))
            why.append(t("role.traffic.why", share=row.first_order_share, top=top, price=row.unit_price,
                         median=price_mid))
        if row.is_profit:
            r.append(t("role.profit"))
            why.append(t("role.profit.why", margin=row.margin, median=margin_mid))
        if row.is_repurchase:
            r.append(t("role.repurchase"))
            why.append(t("role.repurchase.why", share=row.repeat_buyer_share, top=top))
        roles.append(t("sep").join(r))
        reasons.append(t("list_sep").join(why))
    out["roles"] = roles
    out["reasons"] = reasons
    out = out.reset_index().sort_values(["gmv", "product"], ascending=[False, True], kind="mergesort")
    return out[["product", "category", "gmv", "buyers", "unit_price", "first_order_share",
                "repeat_buyer_share", "margin", "is_traffic", "is_profit", "is_repurchase",
                "roles", "reasons"]].reset_index(drop=True)


def _yuan(v: float) -> str:
    return "∞" if np.isinf(v) else format_number(v, "yuan", digits=0 if float(v).is_integer() else 2)


def price_bands(lines: pd.DataFrame, *, bands: Sequence[float] | None = None,
                quantiles: int = 4) -> pd.DataFrame:
    """Return GMV, orders and buyers per unit-price band.

    ``bands`` are yuan edges, e.g. ``[0, 50, 100, 200]`` (a last open band "≥ ¥200"
    is added when the highest price exceeds the last edge; bands are left-closed:
    ¥50 falls in ¥50–100).  Without ``bands``, the edges are the unit-price quantiles
    (``quantiles`` = 4: quartiles of line unit prices; duplicate edges are merged).
    Columns: ``band, low, high, lines, quantity, gmv, gmv_share, orders, orders_share,
    buyers`` (``orders_share``: orders with a line in the band ÷ all orders, so shares
    can add to more than 1 when orders mix bands).
    """
    df = _prepare(lines)
    price = df["unit_price"]
    if bands is None:
        edges = np.unique(np.quantile(price, np.linspace(0, 1, quantiles + 1)))
        if len(edges) == 1:
            edges = np.array([edges[0], edges[0]])
        edges[-1] = np.inf  # the top band includes the maximum
    else:
        edges = np.array(sorted(float(b) for b in bands))
        if len(edges) < 2:
            raise DataError(f"expected at least two price band edges, got {list(bands)}", where="bands")
        if price.min() < edges[0]:
            raise DataError(f"a unit price of ¥{price.min():,.2f} lies below the first band edge "
                            f"¥{edges[0]:,.2f}", where="bands")
        if price.max() >= edges[-1]:
            edges = np.append(edges, np.inf)
    idx = np.clip(np.searchsorted(edges, price.to_numpy(), side="right") - 1, 0, len(edges) - 2)
    df["band"] = idx
    g = df.groupby("band")
    out = pd.DataFrame({"lines": g.size(), "quantity": g["quantity"].sum(), "gmv": g["amount"].sum(),
                        "orders": g["order_id"].nunique(), "buyers": g["customer_id"].nunique()})
    out = out.reindex(range(len(edges) - 1), fill_value=0)
    out["low"], out["high"] = edges[:-1], edges[1:]
    out["band"] = [f"≥ {_yuan(lo)}" if np.isinf(hi) else f"{_yuan(lo)}–{_yuan(hi)[1:]}"
                   for lo, hi in zip(out["low"], out["high"])]
    total = df["amount"].sum()
    out["gmv_share"] = out["gmv"] / total if total else np.nan
    out["orders_share"] = out["orders"] / df["order_id"].nunique()
    return out[["band", "low", "high", "lines", "quantity", "gmv", "gmv_share", "orders",
                "orders_share", "buyers"]].reset_index(drop=True)


def first_order_products(lines: pd.DataFrame, *, by: str = "product") -> pd.DataFrame:
    """Return which products (or categories) first orders contain, and how often they lead on.

    Columns: ``<by>, customers`` (customers whose first order contains it), ``share``
    (÷ all customers; a first order with several items counts for each, so shares can
    add to more than 1), ``first_order_gmv``, ``repurchased`` (of those customers, how
    many came back for a second purchase day) and ``repurchase_rate``
    (= repurchased ÷ customers).  Sorted by customers.
    """
    df = _prepare(lines, by)
    n = df["customer_id"].nunique()
    returned = df.loc[df["day_rank"] == 1, "customer_id"].unique()
    first = df[df["day_rank"] == 0]
    g = first.groupby(by)
    back = first[first["customer_id"].isin(returned)].groupby(by)["customer_id"].nunique()
    out = pd.DataFrame({"customers": g["customer_id"].nunique(), "first_order_gmv": g["amount"].sum()})
    out["repurchased"] = back.reindex(out.index).fillna(0).astype(int)
    out["share"] = out["customers"] / n
    out["repurchase_rate"] = out["repurchased"] / out["customers"]
    out = out.reset_index().sort_values(["customers", by], ascending=[False, True], kind="mergesort")
    return out[[by, "customers", "share", "first_order_gmv", "repurchased", "repurchase_rate"]] \
        .reset_index(drop=True)


def next_purchase(lines: pd.DataFrame, *, by: str = "category", wide: bool = False) -> pd.DataFrame:
    """Return the transition table from first-order items to second-purchase items.

    Only customers with a second purchase day count.  A customer contributes one
    (from, to) pair for every item of their first order and every item of their second
    purchase (each pair once).  Long form columns: ``from, to, customers, share``
    (÷ customers with ``from`` in their first order who made a second purchase — each
    ``from`` row group can add to more than 1 when second purchases mix items),
    ``same`` (the same item again).  ``wide=True`` returns the ``share`` as a matrix
    (rows = first order, columns = second purchase).
    """
    df = _prepare(lines, by)
    first = df.loc[df["day_rank"] == 0, ["customer_id", by]].drop_duplicates()
    second = df.loc[df["day_rank"] == 1, ["customer_id", by]].drop_duplicates()
    pairs = first.merge(second, on="customer_id", suffixes=("_from", "_to"))
    pairs = pairs.rename(columns={f"{by}_from": "from", f"{by}_to": "to"})
    if pairs.empty:
        out = pd.DataFrame(columns=["from", "to", "customers", "share", "same"])
        return out.pivot(index="from", columns="to", values="share") if wide else out
    counts = pairs.groupby(["from", "to"])["customer_id"].nunique().rename("customers").reset_index()
    base = pairs.groupby("from")["customer_id"].nunique()
    counts["share"] = counts["customers"] / counts["from"].map(base)
    counts["same"] = counts["from"] == counts["to"]
    counts = counts.sort_values(["from", "customers", "to"], ascending=[True, False, True], kind="mergesort")
    counts = counts.reset_index(drop=True)
    if wide:
        return counts.pivot(index="from", columns="to", values="share").fillna(0.0)
    return counts
