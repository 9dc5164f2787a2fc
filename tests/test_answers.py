"""Reading what clients really type: one clear reading is taken, anything else is listed."""

from __future__ import annotations

import datetime as dt

import pytest

from diag.intake.answers import (
    AnswerError,
    parse_bool,
    parse_choice,
    parse_date,
    parse_list,
    parse_mapping,
    parse_number,
)


@pytest.mark.parametrize("text, kind, expected", [
    ("约5000人", "count", 5000),
    ("5000", "count", 5000),
    (5000, "count", 5000),
    (5000.0, "count", 5000),
    ("3万", "number", 30000.0),
    ("3万人", "count", 30000),
    ("1.2w", "count", 12000),
    ("1.2W", "count", 12000),
    ("1.1w", "number", 11000.0),  # exact decimal arithmetic, not 11000.000000000002
    ("2k", "count", 2000),
    ("1.5亿", "money", 150_000_000.0),
    ("¥1,299", "money", 1299.0),
    ("￥1,299.00", "money", 1299.0),
    ("1299元", "money", 1299.0),
    ("RMB 88", "money", 88.0),
    ("大概200元左右", "money", 200.0),
    ("12家", "count", 12),
    ("３家", "count", 3),
    ("１２，０００", "count", 12000),
    ("三万", "count", 30000),
    ("十二", "count", 12),
    ("两千五", "count", 2500),
    ("一百零五", "count", 105),
    ("30天", "days", 30.0),
    ("3个月", "days", 90.0),
    ("2周", "days", 14.0),
    ("6个月", "months", 6),
    ("1年", "months", 12),
    ("-1", "number", -1.0),
])
def test_a_number_with_units_words_or_full_width_digits_is_read(text, kind, expected):
    value = parse_number(text, kind=kind)
    assert value == expected and type(value) is type(expected)


# A bare digit after a unit is tenths of that unit, as it is spoken; after 零 it is units.
@pytest.mark.parametrize("text, expected", [
    ("两万五", 2 * 10_000 + 5 * 1_000),
    ("三万五", 3 * 10_000 + 5 * 1_000),
    ("一万二", 1 * 10_000 + 2 * 1_000),
    ("两亿五", 2 * 10**8 + 5 * 10**7),
    ("万五", 10_000 + 5 * 1_000),
    ("亿五", 10**8 + 5 * 10**7),
    ("千五", 1_000 + 5 * 100),
    ("百五", 100 + 5 * 10),
    ("三万五千五", 3 * 10_000 + 5 * 1_000 + 5 * 100),
    ("两亿五千万", 2 * 10**8 + 5_000 * 10_000),
    ("一万零五", 10_000 + 5),
    ("一千零五十", 1_000 + 50),
    ("两万五千人", 25_000),
])
def test_a_spoken_chinese_number_reads_its_trailing_digit_as_tenths_of_the_unit_before_it(text, expected):
    assert parse_number(text, kind="count") == expected


@pytest.mark.parametrize("text, expected", [
    ("30%", 0.3), ("30％", 0.3), ("４５％", 0.45), ("0.3", 0.3), (0.3, 0.3), ("3成", 0.3),
    ("约20%", 0.2), ("100%", 1.0), ("0", 0.0),
])
def test_a_share_is_read_as_a_fraction_of_one(text, expected):
    assert parse_number(text, kind="share") == pytest.approx(expected)


@pytest.mark.parametrize("text, kind, suggestion", [
    ("100-200", "count", "150"),
    ("100~200", "money", "150"),
    ("100到200元", "money", "150"),
    ("10%-20%", "share", "0.15"),
])
def test_a_range_is_not_guessed_but_suggests_its_midpoint(text, kind, suggestion):
    with pytest.raises(AnswerError) as caught:
        parse_number(text, kind=kind)
    assert "区间" in caught.value.reason
    assert suggestion in caught.value.suggestion


@pytest.mark.parametrize("text", ["5000以上", "5000+", "5000多人", "不到100", "超过3万"])
def test_a_bound_is_not_a_number(text):
    with pytest.raises(AnswerError) as caught:
        parse_number(text, kind="count")
    assert "上下限" in caught.value.reason


@pytest.mark.parametrize("text, kind", [
    ("十几家", "count"), ("不知道", "number"), ("abc", "money"), ("30%", "money"), ("1.5", "count"),
    ("", "number"), (None, "number"), (True, "count"),
])
def test_what_has_no_single_reading_raises(text, kind):
    with pytest.raises(AnswerError):
        parse_number(text, kind=kind)


def test_a_bare_number_above_one_in_a_share_field_asks_whether_it_was_a_percentage():
    with pytest.raises(AnswerError) as caught:
        parse_number("30", kind="share")
    assert "30%" in caught.value.suggestion
    with pytest.raises(AnswerError):
        parse_number(45, kind="share")


def test_a_number_excel_turned_into_a_date_is_not_read_as_a_number():
    with pytest.raises(AnswerError) as caught:
        parse_number(dt.datetime(2024, 3, 5), kind="count")
    assert "日期" in caught.value.reason


def test_a_fractional_count_suggests_the_rounded_number():
    with pytest.raises(AnswerError) as caught:
        parse_number("2.6", kind="count")
    assert "3" in caught.value.suggestion


def test_list_answers_split_on_chinese_and_western_separators():
    assert parse_list("杭州、宁波，上海; 苏州\n南京") == ["杭州", "宁波", "上海", "苏州", "南京"]
    assert parse_list(None) == [] and parse_list("  ") == []


def test_mapping_answers_take_colons_or_equals_in_either_width():
    assert parse_mapping("奶粉: 25%；纸尿裤：30%") == {"奶粉": "25%", "纸尿裤": "30%"}
    assert parse_mapping("amount=实收金额") == {"amount": "实收金额"}
    with pytest.raises(AnswerError):
        parse_mapping("只有名称")


def test_yes_no_answers_in_chinese_and_english():
    assert parse_bool("是") and parse_bool("有") and parse_bool("Yes") and parse_bool(True)
    assert not parse_bool("否") and not parse_bool("没有") and not parse_bool("no")
    with pytest.raises(AnswerError):
        parse_bool("看情况")


def test_a_choice_accepts_the_chinese_value_its_english_name_or_a_bracketed_note():
    choices = ("单店", "连锁")
    assert parse_choice("连锁", choices) == "连锁"
    assert parse_choice("连锁（直营）", choices) == "连锁"
    assert parse_choice("Chain", choices, {"连锁": "chain"}) == "连锁"
    with pytest.raises(AnswerError):
        parse_choice("加盟", choices)


@pytest.mark.parametrize("value", ["2024-06-30", "2024/6/30", "2024年6月30日", "２０２４-０６-３０",
                                   dt.datetime(2024, 6, 30), dt.date(2024, 6, 30)])
def test_dates_in_the_usual_spellings(value):
    assert parse_date(value) == dt.date(2024, 6, 30)


def test_an_impossible_date_raises():
    with pytest.raises(AnswerError):
        parse_date("2024-02-30")
