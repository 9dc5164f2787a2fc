"""The client's tasks answered, constraints kept, existing practices improved."""

import datetime as dt

import pandas as pd

from diag.brief.model import Brief
from diag.strategy.tasks import apply_brief, constraint_terms, existing_practices, task_table, violation


def brief(**goals):
    return Brief.model_validate({"client": {"name": "测试", "industry": "餐饮"}, "goals": goals,
                                 "notes": "2026年5月起每周三会员日"})


def recs():
    return pd.DataFrame([
        {"priority": 1, "area": "复购", "action": "每周固定会员日, 信任建立后做储值/买满送", "owner": "社群运营",
         "rule": "r1", "start_window": "30天", "timing": "30天"},
        {"priority": 2, "area": "复购", "action": "短信群发专属券唤回90天未购客户", "owner": "顾问/客服", "rule": "r2",
         "start_window": "30天", "timing": "30天"},
        {"priority": 3, "area": "引流", "action": "到店卡扫码即加企微, 分渠道活码统计", "owner": "引流运营", "rule": "r3",
         "start_window": "60天", "timing": "60天"},
    ])


def test_a_stated_constraint_forbids_its_object_and_its_first_word():
    terms = constraint_terms("门店高峰期人手紧; 不做短信群发")
    assert ("短信", "不做短信群发") in terms and ("SMS", "不做短信群发") in terms
    assert violation("发短信提醒", terms) == "不做短信群发" and violation("企微私聊提醒", terms) is None


def test_no_action_breaks_a_constraint_and_what_the_client_runs_is_improved():
    kept, dropped = apply_brief(recs(), brief(constraints="不做短信群发"))
    assert list(dropped["rule"]) == ["r2"] and "不做短信群发" in dropped["reason"].iloc[0]
    assert not kept["action"].str.contains("短信").any()
    assert kept["action"].iloc[0].startswith("改进现有的会员日")
    assert list(kept["priority"]) == [1, 2]
    assert "会员日" in existing_practices(brief())


def test_every_task_gets_an_answer_with_data_owner_and_date():
    b = brief(tasks=["结账时引导扫码入会加企微", "团购券用户二次到店", "短信通知新品", "门店装修风格升级"],
              constraints="不做短信群发")
    channels = pd.DataFrame({"channel": ["堂食", "团购券"], "gmv": [9_000.0, 1_000.0], "share": [0.9, 0.1],
                             "buyers": [300, 80], "repurchase_rate": [0.4, 0.12]})
    table = task_table(b, recs(), start=dt.date(2026, 12, 7), template_rules=[], channels=channels,
                       metrics={"repurchase_rate": 0.35, "median_repurchase_days": 9}).set_index("你们提出的任务")
    assert len(table) == 4
    assert table.loc["结账时引导扫码入会加企微", "建议"].startswith("纳入计划(优先级 3)")
    assert table.loc["结账时引导扫码入会加企微", "开始日期"] == "2027-01-06"          # the 60-day window
    assert "团购券" in table.loc["团购券用户二次到店", "我们掌握的数据"] and "12.0%" in table.loc["团购券用户二次到店", "我们掌握的数据"]
    assert table.loc["短信通知新品", "建议"].startswith("不建议, 因为")
    unknown = table.loc["门店装修风格升级"]
    assert unknown["建议"].startswith("作为专项推进") and "没有" in unknown["我们掌握的数据"]
    assert unknown["负责人"] and unknown["开始日期"] == "2027-01-06"
