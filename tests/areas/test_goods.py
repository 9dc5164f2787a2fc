"""Goods: ABC, product roles, price bands, first orders and next purchases on a hand-built shop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diag.areas import goods
from diag.errors import DataError

# customer, day, order, product, category, quantity, amount
_ROWS = [
    ("C1", "2024-01-01", "o1", "试用装", "护肤", 1, 9.9),
    ("C1", "2024-01-10", "o2", "面霜", "护肤", 1, 200.0),
    ("C1", "2024-02-01", "o3", "面霜", "护肤", 1, 200.0),
    ("C2", "2024-01-01", "o4", "试用装", "护肤", 1, 9.9),
    ("C2", "2024-01-01", "o4", "精华", "护肤", 2, 300.0),
    ("C2", "2024-01-20", "o5", "面膜", "面膜", 3, 90.0),
    ("C3", "2024-01-05", "o6", "面霜", "护肤", 1, 200.0),
    ("C4", "2024-01-06", "o7", "试用装", "护肤", 1, 9.9),
    ("C5", "2024-01-07", "o8", "面膜", "面膜", 1, 30.0),
    ("C5", "2024-03-07", "o9", "面膜", "面膜", 1, 30.0),
]


@pytest.fixture
def lines() -> pd.DataFrame:
    cid, day, oid, product, category, qty, amount = zip(*_ROWS)
    return pd.DataFrame({"order_id": list(oid), "customer_id": list(cid), "paid_at": pd.to_datetime(list(day)),
                         "product": list(product), "category": list(category),
                         "quantity": list(qty), "amount": list(amount)})


def test_abc_classes_follow_cumulative_gmv_share(lines):
    t = goods.abc(lines)
    assert list(t["product"]) == ["面霜", "精华", "面膜", "试用装"]
    assert list(t["abc"]) == ["A", "A", "B", "C"]          # 精华 crosses 80 % → still A
    total = 1079.7
    assert t.loc[0, "gmv_share"] == pytest.approx(600 / total)
    assert t.loc[1, "cum_share"] == pytest.approx(900 / total)
    assert t["cum_share"].iloc[-1] == pytest.approx(1.0)
    assert t.loc[0, "orders"] == 3 and t.loc[0, "buyers"] == 2 and t.loc[2, "quantity"] == 5


def test_abc_of_a_single_dominant_product_puts_it_in_a():
    df = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "b"],
                       "paid_at": pd.to_datetime(["2024-01-01", "2024-01-02"]),
                       "product": ["x", "y"], "amount": [90.0, 10.0]})
    assert list(goods.abc(df)["abc"]) == ["A", "B"]


def test_lines_without_product_are_kept_under_an_unknown_label(lines):
    lines.loc[0, "product"] = pd.NA
    t = goods.abc(lines)
    assert goods.UNKNOWN_PRODUCT in set(t["product"])
    assert t["gmv"].sum() == pytest.approx(1079.7)
    by_cat = goods.abc(lines, by="category")
    assert list(by_cat["category"]) == ["护肤", "面膜"]


def test_has_products_is_false_for_an_order_level_file(lines):
    assert goods.has_products(lines)
    assert not goods.has_products(lines.assign(product=pd.NA))


def test_product_matrix_flags_roles_with_reasons(lines):
    m = goods.product_matrix(lines, margins={"面霜": 0.7, "护肤": 0.5, "面膜": 0.4}, min_buyers=1)
    m = m.set_index("product")
    assert m.loc["试用装", "first_order_share"] == pytest.approx(3 / 5)
    assert m.loc["试用装", "unit_price"] == pytest.approx(9.9)
    assert m.loc["精华", "unit_price"] == pytest.approx(150)
    assert m.loc["面霜", "repeat_buyer_share"] == pytest.approx(0.5)
    assert m.loc["试用装", "margin"] == 0.5             # from its category
    assert m.loc["面膜", "margin"] == 0.4               # product name wins over category
    assert list(m.index[m["is_traffic"]]) == ["试用装"]
    assert list(m.index[m["is_profit"]]) == ["面霜"]
    assert sorted(m.index[m["is_repurchase"]]) == ["面膜", "面霜"]
    assert m.loc["面霜", "roles"] == "利润品、复购品"
    assert "首单出现率 60%" in m.loc["试用装", "reasons"] and "低于中位数 ¥90" in m.loc["试用装", "reasons"]
    assert m.loc["精华", "roles"] == "" and m.loc["精华", "reasons"] == ""


def test_product_matrix_without_margins_flags_no_profit_items(lines):
    m = goods.product_matrix(lines, min_buyers=1)
    assert not m["is_profit"].any() and m["margin"].isna().all()


def test_product_matrix_needs_enough_buyers_for_traffic_and_repurchase(lines):
    m = goods.product_matrix(lines, min_buyers=5)
    assert not m["is_traffic"].any() and not m["is_repurchase"].any()


def test_price_bands_with_fixed_yuan_edges(lines):
    b = goods.price_bands(lines, bands=[0, 50, 100])
    assert list(b["band"]) == ["¥0–50", "¥50–100", "≥ ¥100"]
    assert list(b["lines"]) == [6, 0, 4]
    assert b.loc[0, "gmv"] == pytest.approx(179.7) and b.loc[2, "gmv"] == pytest.approx(900)
    assert list(b["orders"]) == [6, 0, 4]
    assert b.loc[0, "orders_share"] == pytest.approx(6 / 9)
    assert b["gmv_share"].sum() == pytest.approx(1.0)


def test_price_bands_by_quantiles_cover_every_line(lines):
    b = goods.price_bands(lines, quantiles=2)
    assert b["lines"].sum() == len(lines)
    assert b["gmv"].sum() == pytest.approx(1079.7)
    assert np.isinf(b["high"].iloc[-1])


def test_price_bands_reject_prices_below_the_first_edge(lines):
    with pytest.raises(DataError, match="below the first band edge"):
        goods.price_bands(lines, bands=[10, 50])


def test_first_order_products_and_where_they_lead(lines):
    f = goods.first_order_products(lines).set_index("product")
    assert f.loc["试用装", "customers"] == 3 and f.loc["试用装", "share"] == pytest.approx(0.6)
    assert f.loc["试用装", "first_order_gmv"] == pytest.approx(29.7)
    assert f.loc["试用装", "repurchased"] == 2 and f.loc["试用装", "repurchase_rate"] == pytest.approx(2 / 3)
    assert f.loc["面霜", "repurchase_rate"] == 0


def test_next_purchase_transitions_by_product_and_category(lines):
    t = goods.next_purchase(lines, by="product").set_index(["from", "to"])
    assert t.loc[("试用装", "面霜"), "customers"] == 1
    assert t.loc[("试用装", "面霜"), "share"] == pytest.approx(0.5)
    assert t.loc[("精华", "面膜"), "share"] == 1.0
    assert bool(t.loc[("面膜", "面膜"), "same"])
    assert len(t) == 4
    wide = goods.next_purchase(lines, by="category", wide=True)
    assert wide.loc["护肤", "护肤"] == pytest.approx(0.5) and wide.loc["护肤", "面膜"] == pytest.approx(0.5)
    assert wide.loc["面膜", "面膜"] == 1.0


def test_next_purchase_without_second_purchases_is_empty(lines):
    only_first = lines[lines["order_id"].isin(["o1", "o6"])]
    assert goods.next_purchase(only_first).empty


def test_missing_columns_raise_data_error(lines):
    with pytest.raises(DataError, match="customer_id"):
        goods.abc(lines.drop(columns="customer_id"))
