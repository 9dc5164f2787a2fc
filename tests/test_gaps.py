"""Completeness of a brief and the questions to ask the client next (hand-computed cases)."""

from __future__ import annotations

import pytest

from diag.brief.gaps import (
    TOLERANCE,
    brief_summary,
    completeness,
    format_completeness,
    format_questions,
    overall_score,
    questions,
    scored_fields,
    stated_vs_measured,
)
from diag.brief.model import Brief


def make(**sections) -> Brief:
    return Brief.model_validate({"client": {"name": "测试", "industry": "母婴", **sections.pop("client", {})},
                                 **sections})


def asked(table, field: str, issue_part: str = "") -> bool:
    rows = table[table["field"] == field]
    return any(issue_part in issue for issue in rows["issue"])


def test_completeness_counts_filled_answers_per_section():
    brief = make(client={"format": "单店", "regions": ["杭州"]},
                 goods={"aov": 100, "selling_points": []},
                 scene={"channels": [{"name": "门店"}]},
                 journey=[{"stage": "认知"}, {"stage": "复购"}, {"stage": "复购"}])
    table = completeness(brief).set_index("section")
    # client: name, industry, format, regions filled out of 10 scored (slug, consultant are settings)
    assert (table.loc["client", "filled"], table.loc["client", "total"]) == (4, 10)
    assert (table.loc["goods", "filled"], table.loc["goods", "total"]) == (1, 8)
    assert table.loc["scene", "filled"] == 1  # a list counts when it has an entry
    assert (table.loc["journey", "filled"], table.loc["journey", "total"]) == (2, 6)
    assert table.loc["client", "score"] == pytest.approx(0.4)
    assert table.loc["team", "score"] == 0


def test_overall_score_is_all_filled_over_all_scored_answers():
    table = completeness(make(goods={"aov": 100}))
    assert overall_score(table) == pytest.approx(table["filled"].sum() / table["total"].sum())
    assert table["total"].sum() == len(scored_fields()) - 1 + 6  # journey counts six stages


def test_settings_do_not_count_towards_completeness():
    plain = completeness(make())
    with_settings = completeness(make(client={"slug": "x", "consultant": "李"}, notes="备注",
                                      data={"as_of": "2024-06-30", "columns": {"amount": "实收"}}))
    assert plain["filled"].sum() == with_settings["filled"].sum()


def test_missing_important_answers_become_questions():
    table = questions(make())
    assert asked(table, "goods.aov", "未填写") and asked(table, "data.orders", "未填写")
    row = table[table["field"] == "goods.aov"].iloc[0]
    assert row["priority"] == "高" and "客单价" in row["question"] and row["section"] == "货品"


def test_an_online_shop_is_not_asked_for_its_store_count():
    assert not asked(questions(make(client={"format": "电商"})), "client.store_count")


@pytest.mark.parametrize("stated, expected", [(121, True), (119, False), (79, True), (81, False)])
def test_a_stated_aov_more_than_20_percent_off_the_orders_aov_is_queried(stated, expected):
    assert TOLERANCE["aov"] == 0.2
    table = questions(make(goods={"aov": stated}), {"aov": 100.0})
    assert asked(table, "goods.aov", "订单数据测得") is expected


def test_a_stated_repurchase_cycle_far_from_the_measured_median_is_queried():
    table = questions(make(goods={"repurchase_cycle_days": 60}), {"median_repurchase_days": 20.0})
    row = table[table["issue"].str.contains("中位")].iloc[0]
    assert row["field"] == "goods.repurchase_cycle_days" and row["priority"] == "高"
    assert not asked(questions(make(goods={"repurchase_cycle_days": 25}), {"median_repurchase_days": 20.0}),
                     "goods.repurchase_cycle_days", "中位")


def test_group_counts_that_do_not_match_wecom_statistics_are_queried():
    brief = make(assets={"groups": 12, "group_members": 3000})
    table = questions(brief, None, {"chat_total": 20.0, "member_total": 3100.0})
    assert asked(table, "assets.groups", "企业微信统计为 20")
    assert not asked(table, "assets.group_members", "企业微信")  # 3000 vs 3100 is within 10 %


def test_a_repurchase_target_not_above_the_current_rate_is_queried():
    table = questions(make(goals={"repurchase_rate_target": 0.3}), {"repurchase_rate": 0.4})
    assert asked(table, "goals.repurchase_rate_target", "不高于现状")


def test_contradictions_inside_the_brief_are_queried():
    brief = make(client={"format": "单店", "store_count": 3, "online_share": 0.9},
                 assets={"groups": 2, "group_members": 1500},
                 scene={"channels": [{"name": "门店", "share": 0.5, "kind": "线下"},
                                     {"name": "小程序", "share": 0.3, "kind": "私域"}]},
                 goods={"aov": 20, "product_lines": [{"name": "A", "price_min": 50, "price_max": 30}]},
                 team={"headcount": 1, "roles": [{"role": "运营", "count": 2}]})
    table = questions(brief)
    assert asked(table, "client.store_count", "单店")
    assert asked(table, "assets.group_members", "500")
    assert asked(table, "scene.channels", "80%")
    assert asked(table, "goods.product_lines", "最低价高于最高价")
    assert asked(table, "goods.aov", "低于最便宜")
    assert asked(table, "team.headcount", "合计 2")


def test_figures_far_outside_the_templates_typical_range_are_queried_with_low_priority():
    template = {"typical": {"aov": [80, 300]}}
    table = questions(make(goods={"aov": 2000}), template=template)
    row = table[table["issue"].str.contains("行业典型")].iloc[0]
    assert row["priority"] == "低"
    assert not questions(make(goods={"aov": 200}), template=template)["issue"].str.contains("行业典型").any()


def test_questions_come_high_priority_first():
    order = list(questions(make(goods={"aov": 500}), {"aov": 100.0})["priority"])
    assert order == sorted(order, key=["高", "中", "低"].index)


def test_report_tables_have_chinese_headers_and_an_overall_row():
    brief = make(goods={"aov": 120}, assets={"groups": 3})
    table = format_completeness(completeness(brief))
    assert list(table.columns) == ["部分", "已填", "应填", "完整度"] and table.iloc[-1]["部分"] == "总体"
    assert list(format_questions(questions(brief)).columns) == ["优先级", "部分", "项目", "发现", "需确认的问题"]
    summary = brief_summary(brief).set_index("项目")["内容"]
    assert summary["客单价（填写）"] == "¥120" and summary["经营形态"] == "未填写"
    compared = stated_vs_measured(brief, {"aov": 100.0}, {"chat_total": 4.0})
    assert list(compared["差异"]) == ["+20%", "-25%"]
