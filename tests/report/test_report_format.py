"""Recorded values print with their format and unit; table cells get separators and percents."""

from __future__ import annotations

from diag.format import DASH, format_cell, format_number, format_value, format_yuan_short, share_column, text_width


def test_format_value_applies_fmt_and_unit() -> None:
    assert format_value(1234567.8, "{:,.0f}", "元") == "1,234,568元"
    assert format_value(0.2345, "{:.1%}") == "23.4%"
    assert format_value(12.5, "{:.1f}", "kg") == "12.5 kg"


def test_format_value_prints_a_dash_for_missing_and_strings_as_they_are() -> None:
    assert format_value(None, "{:,.0f}", "元") == DASH
    assert format_value(float("nan")) == DASH
    assert format_value("高", "{:.1%}") == "高"


def test_format_value_falls_back_when_the_format_does_not_fit() -> None:
    assert format_value(3, "{:%Y}") == "3"


def test_format_cell_groups_thousands_and_prints_shares_as_percent() -> None:
    assert format_cell(1234567) == "1,234,567"
    assert format_cell(1234.0) == "1,234"
    assert format_cell(12.345) == "12.35"
    assert format_cell(0.25, share=True) == "25.0%"
    assert format_cell(None) == DASH
    assert format_cell(True) == "是"


def test_share_column_needs_a_share_name_or_title_and_values_in_zero_one() -> None:
    assert share_column("复购率", [0.1, 0.5, None])
    assert not share_column("复购率", [0.1, 2.0])
    assert not share_column("客户数", [0.1, 0.5])
    assert share_column("第1月", [1.0, 0.25], context="同期群留存率")
    assert not share_column("订单数", [0, 1], context="转化率")


def test_text_width_counts_chinese_characters_twice() -> None:
    assert text_width("GMV") == 3
    assert text_width("复购率") == 6


def test_format_number_prints_each_kind_of_number_the_one_way_the_kit_prints_it():
    assert format_number(0.327024, "share") == "32.7%"
    assert format_number(1299.4, "yuan") == "¥1,299" and format_number(85, "yuan", digits=2) == "¥85.00"
    assert format_number(5547, "count") == "5,547" and format_number(5547, "people") == "5,547人"
    assert format_number(30.4, "days") == "30天" and format_number(16.55, "minutes") == "16.6分钟"
    assert format_number(1.98413, "ratio") == "1.98" and format_number(1.98413) == "1.98"
    assert format_number(None, "share") == "—" and format_number(float("nan"), "yuan", missing="无数据") == "无数据"
    assert format_number(float("inf"), "days") == "—"


def test_a_short_amount_counts_in_wan_and_yi_in_chinese_and_in_k_and_m_in_english():
    assert [format_yuan_short(v) for v in (8000, 123_456, 250_000_000)] == ["¥8,000", "¥12.3万", "¥2.5亿"]
    assert [format_yuan_short(v, "en") for v in (8000, 123_456, 2_500_000)] == ["¥8,000", "¥123.5k", "¥2.5M"]
    assert format_yuan_short(120_000, digits=0) == "¥12万" and format_yuan_short(9999.6) == "¥10,000"


def test_a_short_amount_puts_the_sign_before_the_yuan_sign_and_prints_a_missing_amount_as_a_dash():
    assert format_yuan_short(-123_456) == "-¥12.3万" and format_yuan_short(-500, "en") == "-¥500"
    assert [format_yuan_short(v) for v in (None, float("nan"), float("inf"))] == [DASH, DASH, DASH]
    assert format_yuan_short(None, missing="无数据") == "无数据"
