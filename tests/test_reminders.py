"""Reminders per category: measured P25/P50/P75 with 30 repeat buyers, else the template's cycle; long cycles get service."""

import pandas as pd
import pytest

from diag.industries.registry import load_industry
from diag.strategy import plays
from diag.strategy import reminders as rm

LIB = plays.load_library()


def _cats(*rows):
    return pd.DataFrame(rows, columns=["品类", "购买客户数", "复购率", "复购间隔次数", "复购周期P25", "复购周期中位数", "复购周期P75"])


def test_a_category_with_enough_repeat_buyers_is_touched_at_its_own_quartiles():
    out = rm.category_reminders(_cats(("纸尿裤", 200, 0.5, 300, 15.0, 27.0, 54.0)), load_industry("母婴"),
                                plays.industry_profile(LIB, "母婴"))
    assert out == [{"category": "纸尿裤", "cycle_days": 27.0, "touch_days": [15, 27, 54],
                    "touches": ["余量关怀", "补货提醒+专属券", "断档唤回"], "mode": "复购提醒", "basis": "实测",
                    "repeat_buyers": 100}]


def test_a_category_with_few_repeat_buyers_uses_the_templates_cycle_and_says_so():
    (out,) = rm.category_reminders(_cats(("玩具", 100, 0.29, 40, 10.0, 20.0, 30.0)), load_industry("母婴"),
                                   plays.industry_profile(LIB, "母婴"))
    assert out["repeat_buyers"] == 29 and out["basis"].startswith("行业模板") and "不足 30 人" in out["basis"]
    assert out["cycle_days"] == 32.5 and out["touch_days"] == [26, 32, 49]  # 0.8×, 1×, 1.5× of (20 + 45) / 2


def test_a_long_cycle_category_gets_the_service_cadence_never_a_short_care_touch():
    template = load_industry("家居软装")
    (out,) = rm.category_reminders(_cats(("沙发", 500, 0.2, 100, 200.0, 400.0, 700.0)), template,
                                   plays.industry_profile(LIB, "家居软装"))
    assert out["mode"] == "服务节奏" and out["touches"][0] == "交付后回访" and out["touch_days"][0] == 3
    assert "使用关怀" not in out["touches"]
    action = rm.reminder_action([out])
    assert "交付后回访" in action and "第14天" not in action


def test_without_categories_the_overall_cycle_gives_one_row():
    (out,) = rm.category_reminders(_cats(), load_industry("餐饮"), plays.industry_profile(LIB, "餐饮"),
                                   overall={"customers": 1000, "repurchase_rate": 0.4, "median_repurchase_days": 12})
    assert out["category"] == "全部商品" and out["basis"] == "实测" and out["touch_days"] == [10, 12, 18]
    assert out["touches"][0] == "新品/时令推荐"  # a restaurant never gets a 使用关怀


@pytest.mark.slow
def test_the_blanket_reminder_rule_is_rewritten_category_by_category():
    from tests.test_plays import brief_for
    template = load_industry("母婴")
    ctx = plays.client_context(brief_for("母婴", "电商"), template, library=LIB)
    rem = rm.category_reminders(_cats(("纸尿裤", 200, 0.5, 300, 15.0, 27.0, 54.0), ("奶粉", 200, 0.5, 300, 14.0, 26.0, 49.0)),
                                template, plays.industry_profile(LIB, "母婴"))
    fitted = plays.fit_template(template, ctx, library=LIB, reminders=rem)
    rule = next(r for r in fitted["rules"] if r["id"] == "复购-周期提醒")
    assert "纸尿裤(周期27天, 实测): 第15天" in rule["action"] and "奶粉(周期26天" in rule["action"]
