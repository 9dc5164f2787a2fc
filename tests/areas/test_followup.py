"""Review against the last diagnosis: tolerant snapshots, then / now, drivers, follow-up and carry-over."""

from __future__ import annotations

import pandas as pd
import pytest

from diag.areas import followup


def _previous() -> dict:
    return {
        "meta": {"generated_at": "2026-10-02T09:00:00", "diag_version": "0.1.0", "client": {"name": "小店"}},
        "sections": {
            "diagnosis": {"data": {
                "metrics": {"gmv": 1000.0, "orders": 10, "customers": 8, "aov": 100.0, "repurchase_rate": 0.2,
                            "first_date": "2026-01-01", "last_date": "2026-03-31",
                            "monthly": [{"month": "2026-01", "gmv": 300.0, "orders": 3, "customers": 3},
                                        {"month": "2026-02", "gmv": 300.0, "orders": 3, "customers": 2},
                                        {"month": "2026-03", "gmv": 400.0, "orders": 4, "customers": 4}]},
                "measured": {"median_repurchase_days": 40.0, "group_conversion": None}}},
            "strategy": {"data": {"recommendations": [
                {"priority": 1, "area": "复购", "action": "到期提醒", "metric": "repurchase_rate", "current": 0.2,
                 "target": 0.3, "rule": "remind", "unit": "share"},
                {"priority": 2, "area": "复购", "action": "缩短周期", "metric": "median_repurchase_days",
                 "current": 40.0, "target": 30.0, "rule": "cycle", "unit": "days"},
                {"priority": 3, "area": "转化", "action": "社群秒杀", "metric": "group_conversion", "current": None,
                 "target": None, "rule": "flash", "unit": "share"},
                {"priority": 4, "area": "复制", "action": "写SOP", "metric": "", "current": None, "target": None,
                 "rule": "sop"}]}}}}


def test_a_snapshot_of_an_older_kit_version_missing_fields_is_empty_not_an_error():
    for old in ({}, {"meta": "x"}, {"sections": {"diagnosis": {"data": {"metrics": {"gmv": "n/a"}}}}},
                {"sections": {"strategy": {"data": {"recommendations": "none"}}}}, None):
        shot = followup.snapshot(old)
        assert shot["values"] == {} and shot["monthly"] == [] and shot["recommendations"] == []
    shot = followup.snapshot(_previous())
    assert shot["values"]["gmv"] == 1000.0 and shot["values"]["median_repurchase_days"] == 40.0
    assert "group_conversion" not in shot["values"] and shot["client"] == "小店"


def test_metrics_then_and_now_have_change_and_a_direction_that_knows_lower_is_better():
    table = followup.compare_metrics({"gmv": 1000.0, "median_repurchase_days": 40.0, "aov": 0.0},
                                     {"gmv": 1200.0, "median_repurchase_days": 30.0, "repurchase_rate": 0.3})
    rows = table.set_index("key")
    assert rows.loc["gmv", "change"] == 200.0 and rows.loc["gmv", "change_pct"] == pytest.approx(0.2)
    assert rows.loc["gmv", "direction"] == "变好"
    assert rows.loc["median_repurchase_days", "direction"] == "变好"         # shorter cycle is better
    assert pd.isna(rows.loc["repurchase_rate", "change"]) and rows.loc["repurchase_rate", "direction"] == "—"
    assert pd.isna(rows.loc["aov", "change_pct"])                             # then 0: no relative change
    assert "orders" not in rows.index                                         # missing on both sides
    assert followup.moved_most(table)["key"] == "median_repurchase_days"     # −25% beats +20%
    shown = followup.comparison_display(table)
    assert shown.iloc[0]["上次"] == "¥1,000" and shown.iloc[0]["变化"] == "+¥200"


def test_the_driver_split_uses_the_last_whole_months_and_adds_up_to_the_change():
    then = _previous()["sections"]["diagnosis"]["data"]["metrics"]
    now = then["monthly"][1:] + [{"month": "2026-04", "gmv": 600.0, "orders": 5, "customers": 5},
                                 {"month": "2026-05", "gmv": 50.0, "orders": 1, "customers": 1}]
    table, a, b = followup.driver_change(then["monthly"], then["last_date"], now, "2026-05-10")
    assert (a, b) == ("2026-01～2026-03", "2026-02～2026-04")              # May is not whole (day 10 < 24)
    rows = table.set_index("driver")
    assert rows.loc["gmv", "period_a"] == pytest.approx(1000 / 3)
    assert rows.loc["gmv", "period_b"] == pytest.approx(1300 / 3)
    assert rows.loc["buyers", "period_b"] == pytest.approx(11 / 3)            # mean monthly buyers
    parts = rows.drop(index="gmv")["contribution"].sum()
    assert parts == pytest.approx(rows.loc["gmv", "contribution"]) == pytest.approx(100.0)
    assert followup.driver_change([], None, now, "2026-05-10") == (None, "", "")


def test_each_earlier_recommendation_is_met_not_met_or_no_data_against_the_value_now():
    table = followup.plan_followup(_previous(), {"repurchase_rate": 0.25, "median_repurchase_days": 28.0})
    status = dict(zip(table["action"], table["status"]))
    assert status == {"到期提醒": "未达成", "缩短周期": "达成", "社群秒杀": "无数据", "写SOP": "无数据"}
    progress = dict(zip(table["action"], table["progress"]))
    assert progress["到期提醒"] == pytest.approx(0.5)                        # 0.20 → 0.25 of 0.20 → 0.30
    assert progress["缩短周期"] == pytest.approx(1.2)
    shown = followup.followup_display(table, {"repurchase_rate": "复购率"})
    assert shown.iloc[0]["结论"] == "未达成（完成计划变化的 50%）" and shown.iloc[1]["结论"] == "达成"
    assert followup.plan_followup({"sections": {}}, {}).empty


def test_the_new_plan_says_which_recommendations_carry_over_and_why():
    previous = followup.plan_followup(_previous(), {"repurchase_rate": 0.25, "median_repurchase_days": 28.0})
    new = pd.DataFrame([{"priority": 1, "rule": "remind", "metric": "repurchase_rate"},
                        {"priority": 2, "rule": "other", "metric": "group_conversion"}])
    carried = followup.carry_over(previous, new).set_index("action")
    assert carried.loc["到期提醒", "decision"] == "延续" and "第 1 项" in carried.loc["到期提醒", "reason"]
    assert carried.loc["缩短周期", "decision"] == "转为保持"
    assert carried.loc["社群秒杀", "decision"] == "延续"                      # matched by metric, still no data
    assert carried.loc["写SOP", "decision"] == "调整"
    unmatched = followup.carry_over(previous, None).set_index("action")
    assert unmatched.loc["到期提醒", "decision"] == "调整" and unmatched.loc["社群秒杀", "decision"] == "补数据"
