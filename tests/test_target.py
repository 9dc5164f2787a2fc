"""The target is the spine: baseline, gap and KPI tree on hand-computed cases."""

import datetime as dt

import pandas as pd
import pytest

from diag.brief.model import Goals
from diag.strategy.target import baseline, kpi_tree, target_question, target_sentence, target_summary


def orders(rows):
    return pd.DataFrame(rows, columns=["order_id", "customer_id", "paid_at", "amount"]).assign(
        paid_at=lambda f: pd.to_datetime(f["paid_at"]))


#: Jan–Apr 2026, 100 yuan a month from January to March, April only half covered.
FOUR_MONTHS = orders([
    ("o1", "a", "2026-01-01", 100), ("o2", "b", "2026-02-10", 100), ("o3", "a", "2026-03-15", 60),
    ("o4", "c", "2026-03-20", 40), ("o5", "a", "2026-04-10", 500),
])


def test_the_baseline_is_the_last_whole_months_up_to_as_of():
    base = baseline(FOUR_MONTHS, dt.date(2026, 4, 15), 2)  # April is not whole: Feb + Mar
    assert base.months == ["2026-02", "2026-03"] and base.gmv == 200 and not base.scaled


def test_a_baseline_shorter_than_the_horizon_is_scaled_and_says_so():
    base = baseline(FOUR_MONTHS, dt.date(2026, 4, 15), 6)   # three whole months for six
    assert base.months == ["2026-01", "2026-02", "2026-03"]
    assert base.raw_gmv == 300 and base.gmv == pytest.approx(600) and base.scaled
    assert "折算" in base.note and "3 个完整月" in base.note


def test_a_first_month_that_starts_late_is_not_whole():
    late = orders([("o1", "a", "2026-01-05", 100), ("o2", "a", "2026-02-03", 50)])
    base = baseline(late, dt.date(2026, 3, 1), 1)
    assert base.months == ["2026-02"] and base.gmv == 50


def test_less_than_a_month_of_data_is_scaled_by_days():
    short = orders([("o1", "a", "2026-01-05", 100), ("o2", "b", "2026-01-14", 100)])
    base = baseline(short, dt.date(2026, 1, 15), 1)   # 10 days, 200 yuan → 20 a day × 30.44
    assert base.scaled and base.gmv == pytest.approx(200 / 10 * 365.25 / 12)


def test_a_missed_target_records_gap_and_required_growth():
    base = baseline(FOUR_MONTHS, dt.date(2026, 4, 1), 3)       # Jan–Mar = 300
    target = target_summary(Goals(gmv_target=750, timeline_months=3), base)
    assert target["baseline_gmv"] == 300 and target["gap"] == 450
    assert target["required_growth"] == pytest.approx(1.5) and target["status"] == "gap"
    sentence = target_sentence(target)
    assert "¥750" in sentence and "¥300" in sentence and "缺口 ¥450" in sentence
    assert target_question(target) is None


def test_a_met_target_says_so_and_asks_whether_it_is_meant_that_way():
    base = baseline(FOUR_MONTHS, dt.date(2026, 4, 1), 3)
    target = target_summary(Goals(gmv_target=250, timeline_months=3), base)
    assert target["status"] == "met" and target["gap"] == -50
    assert "已能达到" in target_sentence(target) and target_question(target)["priority"] == "中"


def test_no_target_is_said_and_asked_for():
    base = baseline(FOUR_MONTHS, dt.date(2026, 4, 1), 12)
    target = target_summary(Goals(), base)
    assert target["gmv_target"] is None and target["gap"] is None and target["horizon_months"] == 12
    assert "没有填写 GMV 目标" in target_sentence(target)
    assert target_question(target)["priority"] == "高"


def test_the_kpi_tree_multiplies_to_the_baseline_and_names_the_level_that_closes_the_gap():
    base = baseline(FOUR_MONTHS, dt.date(2026, 4, 1), 3)     # 4 orders, 3 buyers, 300 yuan
    target = target_summary(Goals(gmv_target=600, timeline_months=3), base)
    tree = kpi_tree(base, target, reachable=30, benchmarks={"aov": {"low": 80, "high": 120}},
                    driver_gaps={"aov": 10.0}).set_index("driver")
    product = tree.loc[["reachable_users", "purchase_conversion", "orders_per_buyer", "aov"], "value"].prod()
    assert product == pytest.approx(300)
    assert tree.loc["purchase_conversion", "value"] == pytest.approx(0.1)
    assert tree.loc["aov", "needed"] == pytest.approx(150)          # doubling alone: 75 → 150
    assert tree.loc["aov", "bench_low"] == 80 and tree.loc["aov", "yuan_gap"] == 10
    assert tree.loc["new_buyer_gmv", "value"] + tree.loc["repeat_buyer_gmv", "value"] == pytest.approx(300)


def test_the_repeat_split_counts_customers_who_bought_before_the_window():
    base = baseline(FOUR_MONTHS, dt.date(2026, 4, 1), 2)     # Feb–Mar; a bought in January
    target = target_summary(Goals(gmv_target=400, timeline_months=2), base)
    tree = kpi_tree(base, target, reachable=None).set_index("driver")
    assert tree.loc["repeat_buyer_gmv", "value"] == 60 and tree.loc["new_buyer_gmv", "value"] == 140
    assert "buyers" in tree.index and "purchase_conversion" not in tree.index
