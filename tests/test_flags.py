"""Credible numbers: impossible or far-off metrics and boundary fits are flagged, not praised."""

import pandas as pd

from diag.areas.benchmark import benchmark_gaps
from diag.strategy.flags import (
    UNVERIFIED,
    churn_window,
    fit_flags,
    funnel_flags,
    mask_flagged,
    metric_flags,
    recency_at_risk,
)
from diag.strategy.ranking import opportunities

BENCH = {"group_conversion": {"low": 0.04, "high": 0.06, "unit": "share"},
         "repurchase_rate": {"low": 0.3, "high": 0.5, "unit": "share"},
         "aov": {"low": 100, "high": 200, "unit": "yuan"}}


def test_a_rate_above_100_percent_is_flagged_with_its_inputs_and_a_question():
    flags = metric_flags({"repurchase_rate": 1.2}, BENCH)
    assert [f["metric"] for f in flags] == ["repurchase_rate"]
    assert "100%" in flags[0]["reason"] and flags[0]["inputs"] and "？" in flags[0]["question"]


def test_a_metric_beyond_three_times_its_benchmark_is_flagged_and_one_inside_is_not():
    flags = metric_flags({"group_conversion": 0.521, "repurchase_rate": 0.35, "aov": 30}, BENCH)
    assert {f["metric"] for f in flags} == {"group_conversion", "aov"}   # 52% vs 4–6%; ¥30 < ¥100 / 3
    assert metric_flags({"group_conversion": 0.17}, BENCH) == []          # under 3 × 6%


def test_a_flagged_metric_is_neither_ahead_nor_behind_and_gives_no_opportunity():
    template = {"benchmarks": BENCH}
    gaps = benchmark_gaps({"group_conversion": 0.521, "repurchase_rate": 0.2, "aov": 150}, template,
                          gmv=10_000, customers=100, orders=150, group_members=1_000)
    masked = mask_flagged(gaps, metric_flags({"group_conversion": 0.521}, BENCH)).set_index("metric")
    assert masked.loc["group_conversion", "better"] == UNVERIFIED
    assert pd.isna(masked.loc["group_conversion", "uplift"])
    assert list(opportunities(masked.reset_index())["metric"]) == ["repurchase_rate"]


def value_table(p_alive, spend):
    n = len(p_alive)
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "frequency": [2] * n,
                         "p_alive": p_alive, "expected_value_90d": spend, "total_value": [100 * (i + 1) for i in range(n)],
                         "days_since_last": [30 * (i + 1) for i in range(n)],
                         "clv_90d": [float(n - i) for i in range(n)]})


def test_a_fit_at_its_boundary_is_flagged_when_everyone_looks_alike():
    flat = fit_flags(value_table([1.0, 1.0, 1.0], [200, 201, 202]))
    assert {f["metric"] for f in flat} == {"p_alive", "expected_value_90d"}
    assert fit_flags(value_table([0.9, 0.4, 0.1], [150, 200, 400])) == []


def test_a_shape_parameter_at_its_lower_bound_is_a_boundary_fit():
    varied = value_table([0.9, 0.4, 0.1], [150, 200, 400])
    flags = fit_flags(varied, {"r": 0.2, "alpha": 79.7, "a": 5e-06, "b": 7e-06, "gamma": 26_820.0})
    assert [f["metric"] for f in flags] == ["p_alive"] and "2 个形状参数" in flags[0]["reason"]
    assert "a、b" not in flags[0]["reason"]  # model symbols only in the method appendix


def test_a_top_list_where_everyone_is_certainly_alive_is_a_boundary_fit():
    table = value_table([1.0, 1.0, 0.3, 0.2], [150, 200, 400, 300])  # the two most valuable alike
    assert [f["metric"] for f in fit_flags(table, top=2)] == ["p_alive"]


def test_a_funnel_step_above_100_percent_names_both_stages():
    table = pd.DataFrame({"stage": ["group", "first_order"], "label": ["入群", "首购"], "count": [500.0, 1_200.0],
                          "conversion": [float("nan"), 2.4], "source": ["澄清表", "订单"]})
    flags = funnel_flags(table)
    assert len(flags) == 1 and "入群" in flags[0]["inputs"] and "首购" in flags[0]["inputs"]


def test_the_churn_window_follows_the_category_cycle():
    furniture = {"typical": {"repurchase_cycle_days": [365, 1825]}}
    noodles = {"typical": {"repurchase_cycle_days": [14, 30]}}
    assert churn_window(furniture, 40) == 1825          # a sofa bought 555 days ago has not lapsed
    assert churn_window(noodles, 7) == 30
    assert churn_window(noodles, 40) == 60              # the client's own slower cycle wins


def test_the_fallback_list_keeps_valuable_repeat_customers_silent_beyond_the_window():
    table = value_table([1.0] * 5, [100] * 5)            # days since last 30 … 150, value 100 … 500
    risk = recency_at_risk(table, 100, value_quantile=0.6)
    assert list(risk["customer_id"]) == ["c4", "c3"]      # top 40% by value, silent > 100 days
