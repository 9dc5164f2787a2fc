"""Benchmark gap: position against the template range and the GMV at stake, on hand-computed cases."""

from __future__ import annotations

import pandas as pd
import pytest

from diag.areas.benchmark import benchmark_gaps, gaps_display
from diag.industries.registry import load_industry


def bench(low, high, unit="share", source="expert estimate", confidence="低"):
    return {"low": low, "high": high, "unit": unit, "source": source, "confidence": confidence}


TEMPLATE = {"benchmarks": {
    "aov": bench(100, 200, "yuan", "种子文章(seeds)", "中"),
    "orders_per_customer": bench(2.5, 3.5, "count"),
    "repurchase_rate": bench(0.4, 0.6),
    "repurchase_rate_90d": bench(0.3, 0.5),
    "median_repurchase_days": bench(20, 40, "days"),
    "group_conversion": bench(0.1, 0.2),
    "add_rate": bench(0.08, 0.12),
    "k_factor": bench(0.2, 0.4, "count"),
    "avg_reply_minutes": bench(2, 10, "minutes"),
    "deletion_rate": bench(0.01, 0.05),
    "member_activity": bench(0.1, 0.3),
}}
# 1,000 orders by 500 customers for ¥120,000: AOV ¥120, 2 orders each, 150 repeaters.
MEASURED = {"aov": 120.0, "orders_per_customer": 2.0, "repurchase_rate": 0.3, "repurchase_rate_90d": 0.2,
            "median_repurchase_days": 60.0, "group_conversion": 0.05, "add_rate": 0.05, "k_factor": 0.1,
            "avg_reply_minutes": 30.0, "deletion_rate": 0.01}
CONTEXT = {"gmv": 120_000.0, "customers": 500, "orders": 1000}


@pytest.fixture
def gaps() -> pd.DataFrame:
    frame = benchmark_gaps(MEASURED, TEMPLATE, group_members=2000, reached=10_000, **CONTEXT)
    return frame.set_index("metric")


def test_aov_uplift_is_gmv_times_mid_over_aov_minus_one(gaps):
    # 120,000 × (150 ÷ 120 − 1) = 30,000
    assert gaps.loc["aov", "uplift"] == pytest.approx(30_000)
    assert gaps.loc["aov", "status"] == "达标" and gaps.loc["aov", "mid"] == 150


def test_orders_per_customer_uplift_scales_gmv_to_the_middle(gaps):
    # 120,000 × (3 ÷ 2 − 1) = 60,000
    assert gaps.loc["orders_per_customer", "uplift"] == pytest.approx(60_000)
    assert gaps.loc["orders_per_customer", "status"] == "低于"


def test_repurchase_rate_uplift_counts_extra_repeaters_times_their_repeat_orders(gaps):
    # extra repeaters 500 × (0.5 − 0.3) = 100; repeat orders per repeater (1000 − 500) ÷ 150 = 10/3;
    # 100 × 10/3 × ¥120 = 40,000
    assert gaps.loc["repurchase_rate", "uplift"] == pytest.approx(40_000)


def test_repurchase_rate_90d_uplift_is_one_order_per_extra_repeater(gaps):
    # 500 × (0.4 − 0.2) × 120 = 12,000
    assert gaps.loc["repurchase_rate_90d", "uplift"] == pytest.approx(12_000)


def test_a_repurchase_cycle_longer_than_the_range_is_behind_and_shortening_it_pays(gaps):
    # repeat GMV 120,000 × 500 ÷ 1000 = 60,000; × (60 ÷ 30 − 1) = 60,000
    row = gaps.loc["median_repurchase_days"]
    assert (row["status"], row["better"]) == ("高于", "落后")
    assert row["uplift"] == pytest.approx(60_000)


def test_group_conversion_uplift_uses_the_community_size(gaps):
    # 2,000 × (0.15 − 0.05) × 120 = 24,000
    assert gaps.loc["group_conversion", "uplift"] == pytest.approx(24_000)


def test_add_rate_uplift_runs_through_reach_and_community_conversion(gaps):
    # 10,000 × (0.10 − 0.05) × 0.05 (measured group conversion) × 120 = 3,000
    assert gaps.loc["add_rate", "uplift"] == pytest.approx(3_000)


def test_k_factor_uplift_is_extra_referred_customers_buying_once(gaps):
    # 500 × (0.3 − 0.1) × 120 = 12,000
    assert gaps.loc["k_factor", "uplift"] == pytest.approx(12_000)


def test_reply_time_has_no_gmv_path_and_says_so(gaps):
    row = gaps.loc["avg_reply_minutes"]
    assert (row["status"], row["better"]) == ("高于", "落后")
    assert pd.isna(row["uplift"]) and "无直接GMV路径" in row["reason"]


def test_a_value_on_the_range_edge_is_within(gaps):
    assert gaps.loc["deletion_rate", "status"] == "达标"


def test_an_unmeasured_metric_is_flagged_without_data(gaps):
    row = gaps.loc["member_activity"]
    assert row["status"] == "无数据" and pd.isna(row["uplift"]) and pd.isna(row["value"])


def test_a_metric_already_past_the_middle_is_not_asked_to_get_worse():
    frame = benchmark_gaps({"aov": 250.0}, TEMPLATE, **CONTEXT).set_index("metric")
    assert frame.loc["aov", "status"] == "高于" and frame.loc["aov", "better"] == "领先"
    assert frame.loc["aov", "uplift"] == 0


def test_group_conversion_without_the_community_size_gives_a_reason_not_a_number():
    frame = benchmark_gaps(MEASURED, TEMPLATE, **CONTEXT).set_index("metric")
    assert pd.isna(frame.loc["group_conversion", "uplift"])
    assert "社群人数" in frame.loc["group_conversion", "reason"] and "assets." not in frame.loc["group_conversion", "reason"]


def test_every_row_carries_its_source_and_confidence(gaps):
    assert gaps.loc["aov", "source"] == "种子文章(seeds)" and gaps.loc["aov", "confidence"] == "中"
    assert set(gaps["source"]) >= {"expert estimate"}


def test_the_display_table_has_chinese_headers_and_formatted_values(gaps):
    shown = gaps_display(gaps.reset_index())
    assert list(shown.columns)[:5] == ["指标", "实测", "基准区间", "位置", "判断"]
    row = shown[shown["指标"] == "复购率"].iloc[0]
    assert row["实测"] == "30.0%" and row["基准区间"] == "40.0%–60.0%" and row["达到中值的GMV增量"] == "¥40,000"


def test_a_bundled_template_gives_one_row_per_benchmark():
    template = load_industry("餐饮")
    frame = benchmark_gaps({"aov": 80.0}, template, **CONTEXT)
    assert list(frame["metric"]) == list(template["benchmarks"])
