"""Where the levers start: measured values first, then the brief, then the template — each marked."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from diag.errors import DataError
from diag.industries.registry import load_industry
from diag.live.setup import live_setup
from diag.strategy import levers as lv

TEMPLATE = load_industry("母婴")
METRICS = {"gmv": 100_000.0, "customers": 500, "orders": 800, "aov": 125.0, "orders_per_customer": 1.6,
           "repurchase_rate": 0.3, "first_date": "2026-01-01", "last_date": "2026-06-30"}


def results(measured: dict | None = None, **strategy) -> dict:
    return {"meta": {"client": {"name": "测试母婴"}},
            "sections": {"diagnosis": {"blocks": [], "data": {"metrics": METRICS, "measured": measured or {}}},
                         "strategy": {"blocks": [], "data": strategy}}}


def brief(reachable=None, friends=None, members=None, invite=None, intent=None, referrers=None):
    return SimpleNamespace(funnel=SimpleNamespace(reachable=reachable, invite_success=invite, purchase_intent=intent,
                                                  referrers=referrers),
                           assets=SimpleNamespace(friends=friends, group_members=members))


def starts(setup) -> dict:
    return {s.key: (s.value, s.source) for s in setup.sliders}


def test_a_brief_with_the_three_counts_gives_the_funnel_rates_from_them():
    setup = live_setup(results({"group_conversion": 0.05}), brief(20_000, 2_000, 800), TEMPLATE)
    s = starts(setup)
    assert s["reachable"] == (20_000, "需求澄清表")
    assert s["add_rate"] == (pytest.approx(0.1), "需求澄清表")
    assert s["join_rate"] == (pytest.approx(0.4), "需求澄清表")
    assert s["group_conversion"] == (0.05, "实测")
    # the community stage is the brief's members: the base of the report's group-conversion gap
    assert lv.evaluate(setup.baseline, setup.start).funnel["社群成员"] == pytest.approx(800)


def test_the_period_is_calibrated_so_the_start_gives_the_measured_gmv():
    setup = live_setup(results(), brief(5_000, 600, 300), TEMPLATE)
    assert lv.evaluate(setup.baseline, setup.start).gmv == pytest.approx(100_000)
    assert setup.baseline.days == 181
    assert starts(setup)["aov"] == (125.0, "实测")
    assert starts(setup)["frequency"] == (pytest.approx(3.0), "实测")       # 1 + 0.6 ÷ 0.3


def test_with_a_recorded_target_the_page_starts_from_the_targets_baseline_like_the_reports_scenarios():
    target = {"gmv_target": 120_000.0, "horizon_months": 3, "baseline_gmv": 45_000.0}
    setup = live_setup(results(target=target), brief(5_000, 600, 300), TEMPLATE)
    assert lv.evaluate(setup.baseline, setup.start).gmv == pytest.approx(45_000)
    assert setup.baseline.days == round(3 * lv.DAYS_PER_MONTH)
    assert setup.baseline.aov == pytest.approx(125.0)                          # the same customers' mix
    assert setup.baseline.orders_per_customer == pytest.approx(1.6)
    assert "3 个月" in setup.period


def test_a_stage_larger_than_the_one_before_is_capped_and_said():
    setup = live_setup(results(), brief(10_000, 12_000, 15_000), TEMPLATE)
    by_key = {s.key: s for s in setup.sliders}
    assert by_key["reachable"].value == 15_000 and by_key["reachable"].source == "推算"
    assert "少于好友数" in by_key["reachable"].note
    assert by_key["add_rate"].value == 1.0 and by_key["join_rate"].value == 1.0
    assert lv.evaluate(setup.baseline, setup.start).funnel["社群成员"] == pytest.approx(15_000)


def test_without_any_funnel_figure_the_template_and_the_worked_example_fill_in_marked_as_such():
    setup = live_setup(results(), brief(), TEMPLATE)
    s = starts(setup)
    mid = (TEMPLATE["benchmarks"]["add_rate"]["low"] + TEMPLATE["benchmarks"]["add_rate"]["high"]) / 2
    assert s["reachable"] == (5_000, "示例")
    assert s["add_rate"] == (pytest.approx(mid), "行业中值")
    assert s["join_rate"][1] == "示例"                                    # 1:10 invitation ÷ add rate
    assert s["group_conversion"][1] == "行业中值" and s["k_factor"][1] == "行业中值"


def test_the_briefs_purchase_intent_and_referrers_are_used_when_nothing_was_measured():
    s = starts(live_setup(results(), brief(5_000, intent=0.06, referrers=50), TEMPLATE))
    assert s["group_conversion"] == (0.06, "需求澄清表")
    assert s["k_factor"] == (pytest.approx(0.1), "需求澄清表")           # 50 referrers ÷ 500 customers


def test_each_slider_carries_the_industry_range_and_room_past_it():
    by_key = {s.key: s for s in live_setup(results(), brief(5_000, 600, 300), TEMPLATE).sliders}
    b = TEMPLATE["benchmarks"]["group_conversion"]
    conv = by_key["group_conversion"]
    assert (conv.low, conv.high) == (b["low"], b["high"])
    assert conv.min == 0 and conv.max >= b["high"] and conv.max <= 1
    assert by_key["join_rate"].low is None and "未给区间" in by_key["join_rate"].bench_note
    # frequency's range is the template's orders per customer at the measured repurchase rate
    o = TEMPLATE["benchmarks"]["orders_per_customer"]
    assert by_key["frequency"].low == pytest.approx(1 + (o["low"] - 1) / 0.3)
    for s in by_key.values():
        assert s.min <= s.value <= s.max and s.step > 0


def test_recorded_benchmark_ranges_win_over_the_template():
    gaps = [{"metric": "aov", "low": 200.0, "high": 400.0, "source": "公司经验"}]
    aov = next(s for s in live_setup(results(benchmark_gaps=gaps), brief(), TEMPLATE).sliders if s.key == "aov")
    assert (aov.low, aov.high) == (200.0, 400.0) and "公司经验" in aov.bench_note


def test_results_without_the_diagnosis_metrics_are_bad_input_naming_the_field():
    with pytest.raises(DataError) as info:
        live_setup({"sections": {}}, brief(), TEMPLATE, results_file="out/x/results.json")
    assert info.value.line().startswith("out/x/results.json:sections.diagnosis.data.metrics:")
    empty = results()
    empty["sections"]["diagnosis"]["data"]["metrics"] = {**METRICS, "orders": 0}
    with pytest.raises(DataError, match="positive orders"):
        live_setup(empty, brief(), TEMPLATE)
