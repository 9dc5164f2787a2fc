"""The diagnosis glue picks fair periods, measures in the shared vocabulary and words findings."""

from __future__ import annotations

import pandas as pd
import pytest

from diag.areas import diagnosis as dx


def orders_on(days: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"order_id": [f"o{i}" for i in range(len(days))],
                         "customer_id": ["c1"] * len(days),
                         "paid_at": pd.to_datetime(days), "amount": [10.0] * len(days)})


def test_recent_periods_compare_the_last_whole_months_with_the_months_before():
    days = [f"2025-{m:02d}-15" for m in range(1, 13)] + ["2025-12-28"]
    periods = dx.recent_periods(orders_on(days), months=3)
    assert (periods.label_a, periods.label_b) == ("2025-07～2025-09", "2025-10～2025-12")
    assert len(periods.b) == 4 and len(periods.a) == 3


def test_a_last_month_that_ends_early_is_left_out():
    days = [f"2025-{m:02d}-15" for m in range(1, 13)]  # data stops on Dec 15
    periods = dx.recent_periods(orders_on(days), months=3)
    assert periods.label_b == "2025-09～2025-11"


def test_short_data_shrinks_the_window_to_one_month():
    periods = dx.recent_periods(orders_on(["2025-01-10", "2025-02-27"]), months=3)
    assert (periods.label_a, periods.label_b, periods.months) == ("2025-01", "2025-02", 1)


def test_group_conversion_counts_only_buyers_of_group_channels():
    channels = pd.DataFrame({"channel": ["天猫", "社群团购", "小程序"], "buyers": [500, 60, 300]})
    values = dx.measured({"customers": 800}, None, group_members=1200, channels=channels)
    assert values["group_conversion"] == pytest.approx(60 / 1200)


def test_group_conversion_is_unknown_without_a_group_channel():
    channels = pd.DataFrame({"channel": ["天猫"], "buyers": [500]})
    assert dx.measured({"customers": 500}, None, group_members=1200, channels=channels)["group_conversion"] is None


def test_wecom_figures_join_the_measured_metrics():
    values = dx.measured({"aov": 100.0}, {"reply_rate": 0.8, "avg_reply_minutes": 12.0})
    assert values["aov"] == 100.0 and values["reply_rate"] == 0.8 and values["avg_reply_minutes"] == 12.0


def test_summary_values_print_shares_as_percent_and_counts_with_separators():
    summary = pd.DataFrame({"metric": ["customers", "repurchase_rate", "purchase_days_per_customer"],
                            "value": [3349.0, 0.5716, 3.3959]})
    assert list(dx.format_summary(summary)["数值"]) == ["3,349", "57.2%", "3.40"]
    assert list(dx.format_summary(summary, "en")["Value"]) == ["3,349", "57.2%", "3.40"]


def test_tables_lose_a_leftover_index_and_get_chinese_headers():
    df = pd.DataFrame({"product": ["a", "b"], "share": [0.5, 0.25]}, index=[7, 9])
    out = dx.table_zh(df, {"product": "商品", "share": "占比"}, shares=("share",))
    assert list(out.columns) == ["商品", "占比"] and list(out.index) == [0, 1]
    assert list(out["占比"]) == ["50.0%", "25.0%"]


def test_findings_name_the_biggest_operating_gap_but_not_aov_as_a_lever():
    metrics = {"first_date": "2025-01-01", "last_date": "2025-12-31", "orders": 100, "customers": 50,
               "gmv": 10000.0, "aov": 100.0, "repurchase_rate": 0.3, "median_repurchase_days": 30.0}
    gaps = pd.DataFrame({"metric": ["aov", "repurchase_rate"], "label": ["客单价", "复购率"],
                         "better": ["落后", "落后"], "uplift": [9000.0, 1200.0]})
    text = " ".join(dx.findings(metrics, None, None, {"流失": 10, "新客": 40}, gaps, "刚需高频"))
    assert "运营上最大的机会在「复购率」" in text and "¥1,200" in text
    assert "客单价低于行业区间" in text
