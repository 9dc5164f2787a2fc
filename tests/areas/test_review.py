"""Campaign review: hand-computed windows, baselines, ROI, attainment and the six review rates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from diag.areas import review


def _orders(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "paid_at", "amount", "store"])
    frame["paid_at"] = pd.to_datetime(frame["paid_at"], format="ISO8601")
    return frame


@pytest.fixture
def orders() -> pd.DataFrame:
    return _orders([
        ("o0", "C5", "2026-02-01 09:00", 10.0, "东店"),        # the data's first day
        ("o1", "C2", "2026-02-28 23:59", 80.0, "东店"),        # last baseline day of A
        ("o2", "C1", "2026-03-01 00:00", 100.0, "西店"),       # first day of A, C1's first purchase ever
        ("o3", "C2", "2026-03-05 12:00", 120.0, "东店"),
        ("o4", "C3", "2026-03-07 23:59:59", 200.0, "东店"),    # last second of A's last day
        ("o5", "C4", "2026-03-08 00:00:01", 70.0, "西店"),     # the day after A
        ("o6", "C1", "2026-03-10 18:00", 50.0, "西店"),        # the data's last day
    ])


def _campaigns(rows) -> pd.DataFrame:
    base = {"type": "", "cost": float("nan"), "target_gmv": float("nan"), "target_new": float("nan"),
            "reached": float("nan"), "new_friends": float("nan"), "group_joins": float("nan"),
            "participants": float("nan"), "referrals": float("nan"), "store": None}
    out = []
    for row in rows:
        rec = {**base, **row}
        rec["start"], rec["end"] = dt.date.fromisoformat(rec["start"]), dt.date.fromisoformat(rec["end"])
        rec["days"] = (rec["end"] - rec["start"]).days + 1
        out.append(rec)
    return pd.DataFrame(out)


def test_a_campaign_counts_whole_days_and_a_baseline_of_the_same_length_just_before(orders):
    c = _campaigns([{"name": "A", "start": "2026-03-01", "end": "2026-03-07", "cost": 170.0, "target_gmv": 400.0,
                     "target_new": 4.0}])
    r = review.campaign_results(orders, c).iloc[0]
    assert (r["gmv"], r["orders"], r["buyers"]) == (420.0, 3, 3)      # o2, o3, o4; not o1 nor o5
    assert r["new_customers"] == 2                                       # C1 and C3; C2 first bought in February
    assert (r["base_start"], r["base_end"]) == (dt.date(2026, 2, 22), dt.date(2026, 2, 28))
    assert (r["base_gmv"], r["base_buyers"], r["base_new_customers"]) == (80.0, 1, 1)
    assert r["uplift"] == 340.0 and r["uplift_pct"] == pytest.approx(4.25)
    assert r["roi"] == pytest.approx(2.0)                                # (420 − 80) ÷ 170
    assert r["cost_per_new"] == pytest.approx(85.0)
    assert r["attainment"] == pytest.approx(1.05) and bool(r["met"]) is True
    assert r["new_attainment"] == pytest.approx(0.5)
    assert r["after_days"] == 3 and r["repeat_buyers"] == 1             # only C1 bought again after 03-07


def test_overlapping_campaigns_are_each_measured_on_their_own_window_and_the_overlap_is_named(orders):
    c = _campaigns([{"name": "A", "start": "2026-03-01", "end": "2026-03-07"},
                    {"name": "B", "start": "2026-03-05", "end": "2026-03-10", "target_gmv": 500.0}])
    a, b = review.campaign_results(orders, c).itertuples(index=False)
    assert a.gmv == 420.0 and b.gmv == 440.0                             # o3 and o4 count for both
    assert b.new_customers == 2                                          # C3 and C4
    assert b.base_gmv == 180.0                                           # 02-27 … 03-04: o1 and o2
    assert bool(b.met) is False and b.attainment == pytest.approx(0.88)
    assert "「B」" in a.notes and "「A」" in b.notes
    assert "对比期内有「A」" in b.notes


def test_a_campaign_with_no_orders_has_zeros_and_no_ratio_that_divides_by_them(orders):
    c = _campaigns([{"name": "清明", "start": "2026-04-01", "end": "2026-04-03", "cost": 0.0, "target_gmv": 100.0}])
    r = review.campaign_results(orders, c).iloc[0]
    assert (r["gmv"], r["orders"], r["buyers"], r["new_customers"]) == (0.0, 0, 0, 0)
    assert pd.isna(r["cost_per_new"]) and pd.isna(r["roi"])               # cost 0: no ROI rather than infinity
    assert bool(r["met"]) is False and r["after_days"] == 0 and pd.isna(r["repeat_buyers"])
    assert "晚于数据最后一天" in r["notes"]


def test_a_baseline_that_starts_before_the_data_is_left_empty_rather_than_understated(orders):
    c = _campaigns([{"name": "早", "start": "2026-02-01", "end": "2026-02-10", "cost": 10.0}])
    r = review.campaign_results(orders, c).iloc[0]
    assert r["gmv"] == 10.0 and pd.isna(r["base_gmv"]) and pd.isna(r["uplift"]) and pd.isna(r["roi"])
    assert "基线无数据" in r["notes"]


def test_a_campaign_of_one_store_counts_only_that_stores_orders(orders):
    c = _campaigns([{"name": "西店日", "start": "2026-03-01", "end": "2026-03-10", "store": "西店"},
                    {"name": "南店日", "start": "2026-03-01", "end": "2026-03-10", "store": "南店"}])
    west, south = review.campaign_results(orders, c).itertuples(index=False)
    assert west.gmv == 220.0 and west.buyers == 2                        # o2, o5, o6
    assert south.gmv == 0.0 and "没有门店「南店」" in south.notes


def test_the_functions_work_on_a_filtered_orders_frame(orders):
    c = _campaigns([{"name": "A", "start": "2026-03-01", "end": "2026-03-07"}])
    east = orders[orders["store"] == "东店"]
    r = review.campaign_results(east, c).iloc[0]
    assert r["gmv"] == 320.0 and r["new_customers"] == 1                # C3; C2 is not new


def test_the_six_rates_follow_their_definitions_and_say_no_data_where_inputs_are_missing(orders):
    c = _campaigns([
        {"name": "A", "type": "团购", "start": "2026-03-01", "end": "2026-03-07", "target_gmv": 400.0,
         "reached": 1000.0, "new_friends": 50.0, "participants": 30.0, "referrals": 6.0},
        {"name": "B", "type": "团购", "start": "2026-03-05", "end": "2026-03-10", "target_gmv": 500.0,
         "reached": 200.0, "group_joins": 40.0},
    ])
    results = review.campaign_results(orders, c)
    groups = pd.DataFrame({"date": pd.date_range("2026-02-20", "2026-03-07"), "member_total": 100.0,
                           "member_has_msg": 10.0})
    rates = review.review_rates(results, c, groups=groups).set_index(["name", "rate"])["value"]
    assert rates["A", "acquisition"] == pytest.approx(0.05)              # 50 new friends ÷ 1,000 reached
    assert rates["B", "acquisition"] == pytest.approx(0.2)               # no new friends: 40 joins ÷ 200
    assert rates["A", "activity"] == pytest.approx(0.1)
    assert pd.isna(rates["B", "activity"])                                 # group stats stop before B ends
    assert rates["A", "conversion"] == pytest.approx(3 / 30)
    assert rates["B", "conversion"] == pytest.approx(4 / 40)             # no participants: ÷ joins
    assert rates["A", "repurchase"] == pytest.approx(1 / 3)
    assert rates["A", "fission"] == pytest.approx(0.2) and pd.isna(rates["B", "fission"])
    assert rates["A", "replication"] == pytest.approx(0.5)               # 2 campaigns of 团购, A met, B not
    overall = review.overall_rates(review.review_rates(results, c, groups=groups), results)
    by_rate = overall.set_index("rate")["value"]
    assert by_rate["acquisition"] == pytest.approx(90 / 1200)            # Σ added ÷ Σ reached
    assert by_rate["replication"] == pytest.approx(0.5)
    shown = review.rates_display(review.review_rates(results, c), overall)
    assert list(shown["活动"]) == ["A", "B", "全部活动"]
    assert shown.loc[1, "裂变倍增率"] == "无数据"


def test_report_tables_print_no_data_instead_of_blanks(orders):
    c = _campaigns([{"name": "早", "start": "2026-02-01", "end": "2026-02-10"}])
    results = review.campaign_results(orders, c)
    assert review.campaigns_display(results, "return").iloc[0]["ROI"] == "无数据"
    assert review.campaigns_display(results, "targets").iloc[0]["结论"] == "—"


def test_a_playbook_copied_to_stores_on_the_same_dates_does_not_overlap_but_counts_for_replication(orders):
    c = _campaigns([{"name": "会员日·东店", "type": "会员日", "start": "2026-03-01", "end": "2026-03-07",
                     "store": "东店", "target_gmv": 300.0},
                    {"name": "会员日", "type": "会员日", "start": "2026-03-01", "end": "2026-03-07",
                     "store": "西店", "target_gmv": 300.0}])
    results = review.campaign_results(orders, c)
    assert list(results["notes"]) == ["", ""]                              # different stores share no orders
    assert list(results["gmv"]) == [320.0, 100.0]
    rates = review.review_rates(results, c).set_index(["name", "rate"])["value"]
    assert rates["会员日", "replication"] == pytest.approx(0.5)             # one of the two stores met 300
    shown = review.campaigns_display(results)
    assert list(shown["活动"]) == ["会员日·东店", "会员日（西店）"]


def test_a_stores_report_keeps_its_own_and_the_chain_wide_campaigns(orders):
    c = _campaigns([{"name": "全国", "start": "2026-03-01", "end": "2026-03-07"},
                    {"name": "东", "start": "2026-03-01", "end": "2026-03-07", "store": "东店"},
                    {"name": "西", "start": "2026-03-01", "end": "2026-03-07", "store": "西店"}])
    mine = review.for_store(c, "东店")
    assert list(mine["name"]) == ["全国", "东"]
    results = review.campaign_results(orders[orders["store"] == "东店"], mine)
    assert list(results["gmv"]) == [320.0, 320.0]


def test_the_summary_counts_targets_met_and_names_the_copied_playbooks(orders):
    c = _campaigns([{"name": "会员日·东店", "type": "会员日", "start": "2026-03-01", "end": "2026-03-07",
                     "store": "东店", "target_gmv": 300.0, "cost": 10.0},
                    {"name": "会员日·西店", "type": "会员日", "start": "2026-03-01", "end": "2026-03-07",
                     "store": "西店", "target_gmv": 300.0, "cost": 10.0}])
    lines = review.summary_sentences(review.campaign_results(orders, c))
    assert lines[0] == "2 场活动中，1 场达成 GMV 目标（有目标的 2 场）。"
    assert "「会员日」打法复制到 2 个门店，1 场达成目标（复制成功率 50%）" in lines[1]
