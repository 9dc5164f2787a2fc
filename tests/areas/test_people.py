"""People area: repurchase, gaps, per-category cycles, RFM and cohorts on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from diag.areas import people


def orders_frame(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame({"order_id": [f"o{i}" for i in range(len(rows))],
                         "customer_id": [r[0] for r in rows],
                         "paid_at": pd.to_datetime([r[1] for r in rows], format="ISO8601"),
                         "amount": [float(r[2]) for r in rows]})


TINY = orders_frame([("A", "2025-01-01 10:00", 100), ("A", "2025-01-01 18:00", 50), ("A", "2025-01-11", 30),
                     ("B", "2025-01-05", 200), ("B", "2025-02-04", 100), ("B", "2025-03-06", 100),
                     ("C", "2025-02-10", 60), ("D", "2025-03-01", 40)])


def test_rfm_table_counts_purchase_days_and_recency_from_as_of():
    rfm = people.rfm_table(TINY).set_index("customer_id")
    assert rfm.loc["A", ["recency_days", "frequency", "monetary", "orders"]].tolist() == [55, 2, 180.0, 3]
    assert rfm.loc["B", ["recency_days", "frequency", "monetary"]].tolist() == [1, 3, 400.0]
    assert rfm.loc[["A", "B", "C", "D"], "segment"].tolist() == ["重要唤回", "重要价值", "流失", "新客"]
    assert rfm.loc["A", ["R", "F", "M"]].tolist() == ["低", "高", "高"]


def test_rfm_ties_with_the_mean_count_as_low():
    same = orders_frame([("A", "2025-01-01", 10), ("B", "2025-01-01", 10)])
    assert set(people.rfm_table(same)["segment"]) == {"流失"}


def test_segment_summary_lists_all_eight_types_with_actions():
    table = people.segment_summary(people.rfm_table(TINY))
    assert table["segment"].tolist() == list(people.SEGMENTS)
    assert table["customers"].sum() == 4 and table["share"].sum() == pytest.approx(1.0)
    assert table.set_index("segment").loc["重要价值", "avg_monetary"] == 400
    assert table["action"].str.len().min() > 5


def test_repurchase_summary_windows_only_count_fully_observed_customers():
    s = people.repurchase_summary(TINY, "2025-03-07").set_index("metric")["value"]
    assert s["repurchase_rate"] == 0.5 and s["median_repurchase_days"] == 30
    assert s["repurchase_rate_30d"] == 1.0          # A (10 days) and B (30 days) are observed ≥ 30 days
    assert pd.isna(s["repurchase_rate_90d"])          # nobody's first purchase is 90 days before as_of


def test_repurchase_gaps_are_days_between_distinct_purchase_days():
    assert sorted(people.repurchase_gaps(TINY)) == [10, 30, 30]


def test_gap_distribution_bands_include_their_upper_edge():
    bands = people.gap_distribution(TINY).set_index("band")
    assert bands.loc["8–14天", "count"] == 1 and bands.loc["15–30天", "count"] == 2
    assert bands["share"].sum() == pytest.approx(1.0)


def test_gap_distribution_names_its_bands_in_english_on_request():
    bands = people.gap_distribution(TINY, lang="en")["band"].tolist()
    assert bands[1] == "8–14 days" and bands[-1] == "365+ days"


def test_repurchase_by_category_uses_each_categorys_own_purchase_days():
    lines = orders_frame([("A", "2025-01-01", 10), ("A", "2025-01-05", 10), ("A", "2025-01-09", 10),
                          ("B", "2025-01-01", 10), ("B", "2025-01-03", 10)])
    lines["category"] = ["奶粉", "奶粉", "纸尿裤", "奶粉", "纸尿裤"]
    table = people.repurchase_by_category(lines).set_index("品类")
    assert table.loc["奶粉", ["购买客户数", "复购率", "复购周期中位数"]].tolist() == [2, 0.5, 4]
    assert table.loc["纸尿裤", "复购率"] == 0.0 and pd.isna(table.loc["纸尿裤", "复购周期中位数"])


def test_repurchase_by_category_gives_the_quartiles_of_each_categorys_gaps():
    lines = orders_frame([("A", "2025-01-01", 10), ("A", "2025-01-03", 10), ("A", "2025-01-07", 10),
                          ("C", "2025-01-01", 10), ("C", "2025-01-07", 10), ("C", "2025-01-15", 10)])
    lines["category"] = "奶粉"                                   # gaps 2, 4, 6, 8 days
    row = people.repurchase_by_category(lines).set_index("品类").loc["奶粉"]
    assert row[["复购间隔次数", "复购周期P25", "复购周期中位数", "复购周期P75"]].tolist() == [4, 3.5, 5, 6.5]


def test_repurchase_by_category_without_categories_is_empty():
    assert people.repurchase_by_category(TINY.assign(category=None)).empty


def test_cohort_retention_is_shares_per_month_with_unknown_future_months():
    cohort = people.cohort_retention(TINY)
    assert cohort.loc["2025-01"].tolist() == [1.0, 0.5, 0.5]
    assert cohort.loc["2025-02"].tolist()[:2] == [1.0, 0.0] and pd.isna(cohort.loc["2025-02", 2])
    assert list(cohort.columns) == [0, 1, 2]


def test_monthly_counts_active_and_new_customers():
    monthly = people.monthly(TINY)
    assert monthly["customers"].tolist() == [2, 2, 2] and monthly["new_customers"].tolist() == [2, 1, 1]
    assert monthly["gmv"].tolist() == [380, 160, 140] and monthly["orders"].tolist() == [4, 2, 2]


def test_missing_columns_are_reported():
    with pytest.raises(ValueError, match="missing"):
        people.rfm_table(TINY.drop(columns="amount"))


def test_rfm_scores_put_recent_frequent_customers_in_the_top_cell():
    from diag.areas.people import rfm_scores

    rfm = pd.DataFrame({"customer_id": list("abcdefghij"),
                        "recency_days": [1, 2, 3, 4, 5, 50, 60, 70, 80, 90],
                        "frequency": [9, 8, 7, 6, 1, 1, 1, 1, 1, 1]})
    scores = rfm_scores(rfm, bins=5).set_index("customer_id")
    assert scores.loc["a", "r_score"] == 5 and scores.loc["j", "r_score"] == 1
    assert list(scores.loc[["a", "b", "c", "d", "e"], "f_score"]) == [5, 5, 5, 5, 1]
    assert scores.loc["j", "f_score"] == 1


def test_f_scores_follow_fixed_purchase_day_bands():
    from diag.areas.people import rfm_scores

    rfm = pd.DataFrame({"customer_id": list("abcdef"), "recency_days": [1, 2, 3, 4, 5, 6],
                        "frequency": [1, 2, 3, 4, 5, 6]})
    assert list(rfm_scores(rfm)["f_score"]) == [1, 2, 3, 4, 4, 5]


def test_median_gap_of_an_even_number_of_gaps_is_the_mean_of_the_middle_two():
    # gaps: A 10; B 30, 31; C 5 → sorted 5, 10, 30, 31 → (10 + 30) / 2
    frame = orders_frame([("A", "2025-01-01", 1), ("A", "2025-01-11", 1), ("B", "2025-01-01", 1),
                          ("B", "2025-01-31", 1), ("B", "2025-03-03", 1), ("C", "2025-02-01", 1),
                          ("C", "2025-02-06", 1)])
    s = people.repurchase_summary(frame, "2025-03-07").set_index("metric")["value"]
    assert s["median_repurchase_days"] == 20.0


def test_median_gap_is_missing_when_nobody_bought_twice():
    frame = orders_frame([("A", "2025-01-01", 1), ("B", "2025-01-02", 1)])
    s = people.repurchase_summary(frame, "2025-03-07").set_index("metric")["value"]
    assert pd.isna(s["median_repurchase_days"])
