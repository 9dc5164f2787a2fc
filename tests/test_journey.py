"""The journey table and the private-domain funnel (hand-computed cases)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from diag.areas.journey import (
    EMOTION_SCORE,
    format_funnel,
    format_journey,
    funnel,
    has_interviews,
    journey_table,
    member_joins,
    merge_notes,
    source_note,
    template_journey,
)
from diag.brief.model import Brief

TEMPLATE = {"journey": [
    {"stage": "认知", "phase": "购前", "touchpoints": ["点评"], "actions": ["看评分"], "emotion": "好奇", "score": 1,
     "pain_points": ["同质化"], "opportunities": ["探店"]},
    {"stage": "考虑", "phase": "购前", "touchpoints": ["朋友圈"], "emotion": "犹豫", "score": 0},
    {"stage": "到店", "phase": "购中", "touchpoints": ["门店"], "emotion": "期待", "score": 1},
    {"stage": "首购", "phase": "购中", "touchpoints": ["收银台"], "emotion": "满意", "score": 1},
    {"stage": "复购", "phase": "购后", "touchpoints": ["社群"], "emotion": "平淡", "score": 0,
     "pain_points": ["忘了再来"]},
]}


def make(**sections) -> Brief:
    return Brief.model_validate({"client": {"name": "测试", "industry": "餐饮"}, **sections})


def orders(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [r[0] for r in rows], "paid_at": pd.to_datetime([r[1] for r in rows]),
                         "channel": [r[2] for r in rows]})


ORDERS = orders([
    ("a", "2024-01-01 10:00", "门店"), ("a", "2024-01-01 18:00", "门店"),  # same day: one purchase day
    ("a", "2024-01-11 09:00", "门店"), ("a", "2024-02-20 09:00", "门店"),
    ("b", "2024-02-01 10:00", "小程序"), ("b", "2024-03-02 10:00", "小程序"),
    ("c", "2024-01-05 10:00", "门店"), ("d", "2024-01-07 10:00", "老带新"),
])


def test_the_funnel_counts_buyers_and_repeat_buyers_from_purchase_days():
    table = funnel(ORDERS, make(funnel={"reachable": 400}, assets={"friends": 100, "group_members": 40}))
    counts = table.set_index("stage")["count"]
    assert list(table["label"]) == ["触达", "加好友", "入群", "首购", "复购", "推荐"]
    assert counts.to_dict() == {"reached": 400, "friend": 100, "group": 40, "first_order": 4, "repurchase": 2,
                                "referral": 1}
    conversion = table.set_index("stage")["conversion"]
    assert math.isnan(conversion["reached"])
    assert conversion["friend"] == pytest.approx(0.25) and conversion["group"] == pytest.approx(0.4)
    assert conversion["first_order"] == pytest.approx(0.1) and conversion["repurchase"] == pytest.approx(0.5)


def test_median_days_from_first_to_second_purchase_day_over_repeat_buyers():
    table = funnel(ORDERS, make()).set_index("stage")
    # a: 2024-01-01 → 01-11 = 10 days (the 18:00 order is the same day); b: 02-01 → 03-02 = 30 days
    assert table.loc["repurchase", "median_days"] == 20
    assert table["median_days"].drop("repurchase").isna().all()


# Members as a POS exports them: text cells, a phone number besides the member id, one member twice.
MEMBERS = pd.DataFrame({"会员ID": ["a", "b", "c", "c", "z"], "手机号": ["138", "139", "137", "137", "136"],
                        "注册时间": ["2024-01-01 09:00", "2024-01-20 10:00", "2023-12-01 08:00",
                                 "2024-01-05 08:00", "2024-02-01 08:00"]})


def test_median_days_from_joining_to_the_first_purchase_over_members_who_joined_within_the_orders():
    # orders start 2024-01-01.  a: joined 01-01, first bought 01-01 → 0 days; b: joined 01-20, first bought
    # 02-01 → 12 days; c: listed twice, earliest join 2023-12-01 is before the orders begin → left out;
    # d: not a member; z: a member who never bought.  Median of (0, 12) = 6.
    row = funnel(ORDERS, make(), customers=MEMBERS).set_index("stage").loc["first_order"]
    assert row["median_days"] == 6 and row["days_basis"] == "入会→首购"
    assert "2 名" in row["days_note"]


def test_a_member_who_joined_after_the_first_purchase_is_left_out_of_join_to_first_purchase():
    late = pd.DataFrame({"会员ID": ["a", "b"], "注册时间": ["2024-01-03", "2024-01-21"]})
    # a joined two days after buying (left out); b: 01-21 → 02-01 = 11 days
    assert funnel(ORDERS, make(), customers=late).set_index("stage").loc["first_order", "median_days"] == 11


def test_the_members_id_column_is_the_one_that_matches_the_buyers():
    by_phone = orders([("140", "2024-01-01 10:00", "门店"),  # not a member; the orders start that day
                       ("138", "2024-01-04 10:00", "门店"), ("139", "2024-01-10 10:00", "门店")])
    joins, used = member_joins(MEMBERS, pd.Index(["138", "139"]))
    assert joins["138"] == pd.Timestamp("2024-01-01") and "手机号" in used and "注册时间" in used
    # 138: 01-01 → 01-04 = 3 days; 139: 01-20 is after its purchase on 01-10 → left out
    assert funnel(by_phone, make(), customers=MEMBERS).set_index("stage").loc["first_order", "median_days"] == 3


def test_median_days_from_first_purchase_to_a_later_referral_channel_order():
    with_referrals = orders([
        ("a", "2024-01-01 10:00", "门店"), ("a", "2024-01-21 10:00", "老带新"),  # 20 days after first purchase
        ("b", "2024-01-01 10:00", "门店"), ("b", "2024-01-31 10:00", "老带新"),  # 30 days
        ("b", "2024-02-10 10:00", "老带新"),                                    # not b's first referral
        ("c", "2024-01-05 10:00", "老带新"),                                    # a referred newcomer: left out
    ])
    row = funnel(with_referrals, make()).set_index("stage").loc["referral"]
    assert row["count"] == 3 and row["median_days"] == 25 and "2 人" in row["days_note"]
    only_first = funnel(ORDERS, make()).set_index("stage").loc["referral"]
    assert math.isnan(only_first["median_days"]) and "首单" in only_first["days_note"]


def test_every_interval_without_data_says_why_in_the_report_table():
    table = funnel(ORDERS, make(assets={"friends": 100}, funnel={"referrers": 2})).set_index("stage")
    assert table.loc["friend", "days_note"] == "只有人数汇总，无逐人日期"
    assert "会员文件" in table.loc["first_order", "days_note"]
    shown = format_funnel(table.reset_index()).set_index("环节")
    assert shown.loc["复购", "中位间隔天数"] == "20" and shown.loc["复购", "间隔口径"].startswith("首购→复购：")
    assert shown.loc["首购", "中位间隔天数"] == "—" and "未提供会员文件" in shown.loc["首购", "间隔口径"]
    assert shown["间隔口径"].str.len().gt(0).all()
    no_dates = pd.DataFrame({"会员ID": ["a"], "等级": ["金卡"]})
    assert funnel(ORDERS, make(), customers=no_dates).set_index("stage").loc["first_order", "days_note"] == \
        "会员文件没有注册 / 入会时间列"


def test_several_notes_for_one_stage_are_merged_without_repeating_an_item():
    merged = merge_notes([
        {"stage": "考虑", "touchpoints": ["详情页", "直播间"], "pain_points": ["价格乱"], "emotion": "犹豫"},
        {"stage": "认知", "touchpoints": ["小红书"]},
        {"stage": "考虑", "touchpoints": ["直播间", "门店"], "pain_points": ["怕买错"], "emotion": "焦虑", "score": -1},
    ])
    assert list(merged) == ["考虑", "认知"]
    assert merged["考虑"]["touchpoints"] == ["详情页", "直播间", "门店"]
    assert merged["考虑"]["pain_points"] == ["价格乱", "怕买错"]
    # every emotion heard is kept; the score is the mean of 犹豫's usual score and the stated -1
    assert merged["考虑"]["emotion"] == "犹豫、焦虑"
    assert merged["考虑"]["score"] == pytest.approx((EMOTION_SCORE["犹豫"] + -1) / 2)
    assert merged["认知"]["score"] is None


def test_a_second_interview_note_for_a_stage_reaches_the_journey_table():
    brief = make(journey=[{"stage": "首购", "actions": ["到店"], "score": 2},
                          {"stage": "首购", "actions": ["扫码点单"], "thoughts": ["要排队吗"], "score": -1}])
    row = journey_table(brief, TEMPLATE).set_index("stage").loc["首购"]
    assert row["actions"] == ["到店", "扫码点单"] and row["thoughts"] == ["要排队吗"]
    assert row["score"] == pytest.approx(0.5) and row["source"] == "访谈+模板"


def test_stages_without_any_source_are_marked_no_data():
    table = funnel(None, make()).set_index("stage")
    assert table["count"].isna().all() and set(table["source"]) == {"无数据"}
    shown = format_funnel(funnel(None, make()))
    assert set(shown["人数"]) == {"无数据"}


def test_reach_falls_back_to_the_channels_monthly_reach():
    brief = make(scene={"channels": [{"name": "门店", "monthly_reach": 300}, {"name": "点评", "monthly_reach": 200}]})
    assert funnel(None, brief).set_index("stage").loc["reached", "count"] == 500


def test_wecom_member_total_wins_over_the_stated_group_members():
    table = funnel(None, make(assets={"group_members": 40}), {"member_total": 55.0}).set_index("stage")
    assert table.loc["group", "count"] == 55 and table.loc["group", "source"] == "企微"


def test_friends_fall_back_to_the_customers_wecom_added_in_the_period():
    row = funnel(None, make(), {"new_contact_cnt": 14.0}).set_index("stage").loc["friend"]
    assert (row["count"], row["source"]) == (14, "企微（期间新增）")
    stated = funnel(None, make(assets={"friends": 50}), {"new_contact_cnt": 14.0}).set_index("stage")
    assert stated.loc["friend", "count"] == 50


def test_referral_comes_from_the_brief_then_from_referral_channels():
    stated = funnel(ORDERS, make(funnel={"referrers": 7})).set_index("stage").loc["referral"]
    assert (stated["count"], stated["source"]) == (7, "澄清表")
    plain = orders([("a", "2024-01-01 10:00", "门店")])
    assert funnel(plain, make()).set_index("stage").loc["referral", "source"] == "无数据"


def test_a_conversion_above_one_is_shown_as_a_different_basis():
    table = funnel(ORDERS, make(assets={"group_members": 2}))
    shown = format_funnel(table).set_index("环节")
    assert "口径不同" in shown.loc["首购", "较上一环节转化"]


def test_the_journey_merges_interviews_template_and_data_and_says_which():
    brief = make(journey=[{"stage": "认知", "touchpoints": ["小红书"], "emotion": "惊喜"},
                          {"stage": "推荐", "actions": ["晒单"], "score": -1}])
    table = journey_table(brief, TEMPLATE, funnel(ORDERS, brief)).set_index("stage")
    assert list(table.index) == ["认知", "考虑", "到店", "首购", "使用", "复购", "推荐"]
    awareness = table.loc["认知"]
    assert awareness["touchpoints"] == ["小红书"] and awareness["actions"] == ["看评分"]
    assert awareness["score"] == EMOTION_SCORE["惊喜"] and awareness["source"] == "访谈+模板"
    assert table.loc["考虑", "source"] == "模板"
    assert table.loc["首购", "source"] == "模板+数据" and "首购 4 人" in table.loc["首购", "data"]
    assert table.loc["复购", "data"] == "复购 2 人，转化 50.0%，首购→复购中位 20 天"
    assert table.loc["使用", "source"] == "无" and math.isnan(table.loc["使用", "score"])
    assert table.loc["使用", "phase"] == "购后" and table.loc["到店", "phase"] == "购中"
    assert table.loc["推荐", "score"] == -1 and pd.isna(table.loc["推荐", "emotion"])


def test_a_brief_without_interviews_gets_a_template_map_marked_as_such():
    brief = make()
    assert not has_interviews(brief)
    table = journey_table(brief, TEMPLATE)
    assert set(table["source"]) <= {"模板", "无"}
    assert "未包含客户访谈" in source_note(brief)


def test_a_template_without_a_journey_falls_back_to_a_generic_one():
    assert [s["stage"] for s in template_journey({})] == ["认知", "考虑", "首购", "使用", "复购", "推荐"]
    table = journey_table(make(), None)
    assert len(table) == 6 and table["touchpoints"].map(len).gt(0).all()


def test_the_report_table_joins_lists_under_chinese_headers():
    shown = format_journey(journey_table(make(journey=[{"stage": "认知", "touchpoints": ["a", "b"]}]), TEMPLATE))
    assert list(shown.columns)[:3] == ["阶段", "购买环节", "触点"] and shown.iloc[0]["触点"] == "a、b"
