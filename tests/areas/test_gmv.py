"""The GMV tree: monthly drivers, the exact LMDI split of a change, the quadrant."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from diag.areas import gmv
from diag.errors import DataError
from diag.industries.quadrant import quadrant


def _orders(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    oid, cid, day, amount = zip(*rows)
    return pd.DataFrame({"order_id": list(oid), "customer_id": list(cid),
                         "paid_at": pd.to_datetime(list(day)), "amount": np.array(amount, float)})


ORDERS = _orders([
    ("1", "A", "2024-01-03", 100), ("2", "A", "2024-01-20", 50), ("3", "B", "2024-01-21", 30),
    ("4", "A", "2024-03-02", 80), ("5", "C", "2024-03-05", 40), ("6", "D", "2024-03-09", 60),
])


def test_monthly_drivers_multiply_to_gmv_and_fill_empty_months():
    m = gmv.monthly_drivers(ORDERS)
    assert list(m["month"]) == ["2024-01", "2024-02", "2024-03"]
    jan = m.iloc[0]
    assert (jan["gmv"], jan["orders"], jan["buyers"]) == (180, 3, 2)
    assert jan["orders_per_buyer"] == 1.5 and jan["aov"] == 60
    assert jan["buyers"] * jan["orders_per_buyer"] * jan["aov"] == pytest.approx(jan["gmv"])
    feb = m.iloc[1]
    assert feb["gmv"] == 0 and feb["buyers"] == 0 and math.isnan(feb["aov"])
    assert m.iloc[2]["gmv_change"] == 180


def test_drivers_of_a_period():
    d = gmv.drivers(ORDERS)
    assert d == {"gmv": 360.0, "orders": 6, "buyers": 4, "orders_per_buyer": 1.5, "aov": 60.0}


def test_lmdi_contributions_add_up_to_the_change_and_match_hand_computation():
    a = {"buyers": 100, "orders_per_buyer": 1.2, "aov": 50.0}     # GMV 6000
    b = {"buyers": 150, "orders_per_buyer": 1.2, "aov": 40.0}     # GMV 7200
    out = gmv.decompose_change(a, b).set_index("driver")
    weight = (7200 - 6000) / math.log(7200 / 6000)
    assert out.loc["buyers", "contribution"] == pytest.approx(weight * math.log(1.5))
    assert out.loc["orders_per_buyer", "contribution"] == 0           # did not move
    assert out.loc["aov", "contribution"] == pytest.approx(weight * math.log(0.8))
    assert out.loc["gmv", "contribution"] == pytest.approx(1200)
    assert out.loc[list(gmv.DRIVERS), "contribution"].sum() == pytest.approx(1200, abs=1e-9)
    assert out.loc[list(gmv.DRIVERS), "contribution_share"].sum() == pytest.approx(1.0)
    assert out.loc["buyers", "change_pct"] == pytest.approx(0.5)
    assert out.loc["buyers", "label"] == "用户数"


@pytest.mark.parametrize("seed", range(5))
def test_lmdi_is_exact_and_antisymmetric_for_random_periods(seed):
    rng = np.random.default_rng(seed)
    a = dict(zip(gmv.DRIVERS, rng.uniform(0.5, 5000, 3)))
    b = dict(zip(gmv.DRIVERS, rng.uniform(0.5, 5000, 3)))
    ab = gmv.decompose_change(a, b).set_index("driver")["contribution"]
    ba = gmv.decompose_change(b, a).set_index("driver")["contribution"]
    change = math.prod(b.values()) - math.prod(a.values())
    assert ab[list(gmv.DRIVERS)].sum() == pytest.approx(change, rel=1e-12)
    np.testing.assert_allclose(ab.to_numpy(), -ba.to_numpy(), rtol=1e-12)


def test_a_period_without_buyers_gives_the_whole_change_to_buyers():
    empty = {"buyers": 0, "orders": 0, "gmv": 0}
    out = gmv.decompose_change(empty, {"buyers": 10, "orders": 20, "gmv": 1000}).set_index("driver")
    assert out.loc["buyers", "contribution"] == 1000
    assert out.loc["orders_per_buyer", "contribution"] == 0 and out.loc["aov", "contribution"] == 0
    back = gmv.decompose_change({"buyers": 10, "orders": 20, "gmv": 1000}, empty).set_index("driver")
    assert back.loc["buyers", "contribution"] == -1000
    both = gmv.decompose_change(empty, empty)
    assert (both["contribution"] == 0).all()


def test_a_zero_aov_period_gives_the_change_to_aov():
    out = gmv.decompose_change({"buyers": 5, "orders": 5, "gmv": 0},
                               {"buyers": 8, "orders": 10, "gmv": 500}).set_index("driver")
    assert out.loc["aov", "contribution"] == 500
    assert out.loc[list(gmv.DRIVERS), "contribution"].sum() == 500


def test_decompose_change_accepts_orders_frames():
    jan = ORDERS[ORDERS["paid_at"] < "2024-02-01"]
    mar = ORDERS[ORDERS["paid_at"] >= "2024-03-01"]
    out = gmv.decompose_change(jan, mar).set_index("driver")
    assert out.loc["gmv", "period_a"] == 180 and out.loc["gmv", "period_b"] == 180
    assert out.loc["buyers", "contribution"] == pytest.approx(180 * math.log(3 / 2))
    assert out.loc[list(gmv.DRIVERS), "contribution"].sum() == pytest.approx(0, abs=1e-9)


def test_decompose_monthly_covers_each_month_after_the_first():
    parts = gmv.decompose_monthly(gmv.monthly_drivers(ORDERS))
    assert list(parts["month"]) == ["2024-02", "2024-03"]
    np.testing.assert_allclose(parts[list(gmv.DRIVERS)].sum(axis=1), parts["gmv_change"])
    assert parts.iloc[0]["buyers"] == -180      # January → empty February


def test_bad_period_raises_data_error():
    with pytest.raises(DataError, match="buyers"):
        gmv.decompose_change({"orders": 1}, {"buyers": 1, "orders": 1, "gmv": 1})
    with pytest.raises(DataError, match="non-negative"):
        gmv.decompose_change({"buyers": 1, "orders_per_buyer": -1, "aov": 3}, {"buyers": 1, "orders": 1, "gmv": 1})


# -- quadrant --------------------------------------------------------------------------------

def test_low_aov_high_frequency_is_frequent_necessity_with_group_buy_hint():
    q = quadrant(aov=60, purchases_per_year=12)
    assert q.value_axis == "annual_spend" and q.value == 720
    assert (q.frequency_level, q.value_level, q.store_type) == ("高", "低", "刚需高频")
    assert any("拼团" in hint for hint in q.playbook) and any("复购提醒" in hint for hint in q.playbook)
    assert "置信度低" in q.split_source


def test_high_spend_low_frequency_is_infrequent_necessity_with_advisor_hint():
    q = quadrant(aov=8000, purchases_per_year=1)      # once a year is not "more than once"
    assert (q.frequency_level, q.value_level, q.store_type) == ("低", "高", "刚需低频")
    assert any("1对1" in h for h in q.playbook) and any("充值升单" in h for h in q.playbook)
    assert any("转介绍" in h for h in q.playbook)


def test_low_spend_low_frequency_is_niche():
    assert quadrant(aov=300, purchases_per_year=0.8).store_type == "小众需求"


def test_split_points_come_from_the_template_unless_given():
    template = {"quadrant": {"aov_level": "低", "frequency_level": "高", "store_type": "刚需高频",
                             "aov_split": 200, "frequency_split": 6}}
    q = quadrant(aov=250, purchases_per_year=4, template=template)
    assert q.value_axis == "aov" and q.value_split == 200 and q.frequency_split == 6
    assert (q.value_level, q.frequency_level, q.store_type) == ("高", "低", "刚需低频")
    assert q.template_store_type == "刚需高频" and q.split_source == "行业模板（客单价 ¥200、每年 6 次）"
    assert quadrant(aov=250, purchases_per_year=4, template=template, aov_split=300).value_level == "低"


def test_quadrant_rejects_negative_input():
    with pytest.raises(DataError):
        quadrant(aov=-1, purchases_per_year=2)


def test_quadrant_inputs_use_the_last_year_and_scale_shorter_spans():
    q = gmv.quadrant_inputs(ORDERS)           # 2024-01-03 .. 2024-03-09: 67-day window
    assert q["window_days"] == 67
    assert q["aov"] == 60
    assert q["purchases_per_year"] == pytest.approx(6 / 4 * 365 / 67)
    assert q["annual_spend"] == pytest.approx(q["aov"] * q["purchases_per_year"])
    longer = pd.concat([ORDERS, _orders([("0", "Z", "2022-06-01", 1000)])])
    year = gmv.quadrant_inputs(longer, as_of="2024-03-10")
    assert year["window_days"] == 365 and year["purchases_per_year"] == 1.5   # 2022 order left out
