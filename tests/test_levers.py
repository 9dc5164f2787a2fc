"""The lever engine: hand-computed cases for each driver, the projection and the report's scenarios."""

from __future__ import annotations

import pandas as pd
import pytest

from diag.areas.benchmark import benchmark_gaps
from diag.errors import UsageError
from diag.industries.registry import load_industry
from diag.strategy import levers as lv
from diag.strategy import playbook as pb

# 100,000 yuan from 800 orders of 500 customers: AOV 125, 1.6 orders per customer.
# Funnel 10,000 × 10% × 50% = 500 members × 4% = 20 group buyers; 30% repeat,
# so a repeater buys 1 + 0.6 ÷ 0.3 = 3 times.
START = {"reachable": 10_000, "add_rate": 0.1, "join_rate": 0.5, "group_conversion": 0.04, "aov": 125.0,
         "frequency": 3.0, "repurchase_rate": 0.3, "k_factor": 0.1}
BASE = lv.Baseline(gmv=100_000.0, customers=500, orders=800, days=365, start=START)


def moved(**changes: float) -> dict[str, float]:
    return {**START, **changes}


def test_at_the_starting_values_the_engine_gives_back_the_measured_gmv():
    out = lv.evaluate(BASE, START)
    assert out.gmv == pytest.approx(100_000.0)
    assert out.buyers == pytest.approx(500) and out.orders == pytest.approx(800)
    assert out.funnel == pytest.approx({"可触达": 10_000, "好友": 1_000, "社群成员": 500, "社群成交": 20})


def test_a_repeater_buys_as_often_as_the_measured_orders_per_customer_say():
    assert lv.orders_per_repeater(1.6, 0.3) == pytest.approx(3.0)
    assert lv.orders_per_repeater(1.0, 0.0) == 2.0        # no repeaters: the least a repeater buys


def test_ten_percent_more_aov_is_ten_percent_more_gmv():
    assert lv.evaluate(BASE, moved(aov=137.5)).gmv == pytest.approx(110_000.0)


def test_group_conversion_adds_one_first_order_per_extra_group_buyer():
    out = lv.evaluate(BASE, moved(group_conversion=0.06))   # 500 members × 2 points = 10 buyers × ¥125
    assert out.new_from_groups == pytest.approx(10)
    assert out.gmv == pytest.approx(101_250.0)
    assert out.buyers == pytest.approx(510)


def test_every_funnel_stage_moves_the_same_group_buyers():
    # doubling reach, add rate or join rate doubles the 20 group buyers: +20 × ¥125
    for key in ("reachable", "add_rate", "join_rate"):
        assert lv.evaluate(BASE, moved(**{key: START[key] * 2})).gmv == pytest.approx(102_500.0), key


def test_k_factor_brings_referred_customers_with_one_order_each():
    out = lv.evaluate(BASE, moved(k_factor=0.2))          # 500 × 0.1 = 50 referred × ¥125
    assert out.new_from_referrals == pytest.approx(50)
    assert out.gmv == pytest.approx(106_250.0)


def test_repurchase_rate_adds_the_repeat_orders_of_the_new_repeaters():
    # orders per customer 1.6 + (0.4 − 0.3) × (3 − 1) = 1.8 → GMV × 1.8 ÷ 1.6
    assert lv.evaluate(BASE, moved(repurchase_rate=0.4)).gmv == pytest.approx(112_500.0)
    # repeaters buying 4 times instead of 3: 1.6 + 0.3 × 1 = 1.9
    assert lv.evaluate(BASE, moved(frequency=4.0)).gmv == pytest.approx(118_750.0)


def test_the_drivers_multiply():
    out = lv.evaluate(BASE, moved(group_conversion=0.06, aov=137.5, repurchase_rate=0.4))
    assert out.gmv == pytest.approx(100_000 * 1.0125 * 1.125 * 1.1)
    assert out.buyers * out.orders_per_buyer * out.aov == pytest.approx(out.gmv)


def test_a_lever_set_to_zero_never_makes_gmv_negative():
    out = lv.evaluate(BASE, moved(aov=0.0, repurchase_rate=0.0, frequency=1.0))
    assert out.gmv == 0.0
    assert lv.combine_drivers(100.0, {"用户数": -500.0}) == 0.0


def test_the_projection_ramps_over_three_months_then_holds():
    out = lv.evaluate(BASE, moved(aov=137.5))              # factor 1.1
    rows = lv.projection(BASE, out, months=12)
    base = 100_000 / (365 / lv.DAYS_PER_MONTH)
    assert [r["projected"] / base for r in rows[:4]] == pytest.approx([1 + 0.1 / 3, 1 + 0.2 / 3, 1.1, 1.1])
    # 12 months at today's rate plus 0.1 × (1/3 + 2/3 + 10 full months)
    assert rows[-1]["projected_total"] == pytest.approx(base * (12 + 0.1 * 11))
    assert rows[-1]["baseline_total"] == pytest.approx(base * 12)


def test_the_projection_takes_any_horizon():
    out = lv.evaluate(BASE, START)
    assert len(lv.projection(BASE, out, months=24)) == 24
    with pytest.raises(UsageError, match="at least 1 month"):
        lv.projection(BASE, out, months=0)


def test_a_period_shorter_than_a_month_counts_as_one_month():
    assert lv.monthly_run_rate(3_000, 10) == pytest.approx(3_000 / (30 / lv.DAYS_PER_MONTH))


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("add_rate", 1.5, "levers.add_rate: expected a share between 0 and 1"),
    ("aov", -1, "levers.aov: expected a non-negative number"),
    ("frequency", 0.5, "levers.frequency: expected at least 1 order"),
    ("reachable", "many", "levers.reachable: expected a number"),
])
def test_a_lever_out_of_range_is_bad_input_naming_the_lever(key, value, expected):
    with pytest.raises(UsageError) as info:
        lv.evaluate(BASE, moved(**{key: value}))
    assert info.value.line().startswith(expected)


def test_every_lever_must_be_given():
    values = dict(START)
    del values["k_factor"]
    with pytest.raises(UsageError, match="missing 'k_factor'"):
        lv.evaluate(BASE, values)


# -- one engine: the report's scenarios, set on the levers, give the report's numbers -------------

def test_the_reports_scenarios_set_on_the_levers_give_the_reports_gmv():
    template = load_industry("母婴")
    measured = {"aov": 125.0, "orders_per_customer": 1.6, "repurchase_rate": 0.3, "group_conversion": 0.04,
                "k_factor": 0.1}
    gaps = benchmark_gaps(measured, template, gmv=100_000, customers=500, orders=800, group_members=500)
    recs = pb.recommend(gaps, template)
    table = pb.gmv_scenarios(recs, 100_000, attainment=template["scenarios"]).set_index("情景")
    moves = pb.scenario_moves(recs, 100_000, attainment=template["scenarios"])
    assert set(moves) == set(table.index)
    assert any(m["moves"] for m in moves.values())
    for name, move in moves.items():
        values = lv.levers_for_moves(BASE, move["moves"], move["gains"])
        assert lv.evaluate(BASE, values).gmv == pytest.approx(table.loc[name, "预计GMV"], rel=1e-12), name


def test_an_orders_per_customer_target_becomes_the_frequency_that_gives_it():
    recs = pd.DataFrame([{"metric": "orders_per_customer", "current": 1.6, "target": 2.0, "uplift": 25_000.0,
                          "unit": "count", "priority": 1}])
    table = pb.gmv_scenarios(recs, 100_000).set_index("情景")
    for name, move in pb.scenario_moves(recs, 100_000).items():
        values = lv.levers_for_moves(BASE, move["moves"], move["gains"])
        assert values["repurchase_rate"] == START["repurchase_rate"]
        assert lv.evaluate(BASE, values).gmv == pytest.approx(table.loc[name, "预计GMV"])
    # base: 2.0 orders per customer at 30% repeat = 1 + (2.0 − 1) ÷ 0.3 per repeater
    base = lv.levers_for_moves(BASE, *pb.scenario_moves(recs, 100_000)["基准"].values())
    assert base["frequency"] == pytest.approx(1 + 1.0 / 0.3)


def test_a_baseline_without_sales_is_bad_input():
    with pytest.raises(UsageError, match="above 0"):
        lv.Baseline(gmv=0, customers=0, orders=0, days=30, start=START)
