"""`diag check BRIEF`: the brief and its data files validated, gaps and questions listed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from diag.areas.scene import has_wecom
from diag.cli import main
from diag.errors import DataError
from diag.run.check import check_brief, format_check, load_data

ORDERS = """订单号,买家手机号,支付时间,实付金额,订单来源,订单状态
A1,13800000001,2024-01-01 10:00,100,门店,交易成功
A2,13800000001,2024-01-11 10:00,200,门店,交易成功
A3,13800000002,2024-02-01 10:00,300,小程序,交易成功
A4,13800000002,2024-03-02 09:00,100,老带新,交易成功
A5,13800000003,2024-01-05 12:00,300,门店,交易成功
A6,13800000003,2024-01-06 12:00,50,门店,交易关闭
"""
CONTACTS = """date,staff,new_apply_cnt,new_contact_cnt,chat_cnt,message_cnt,reply_percentage,avg_reply_time,negative_feedback_cnt
2024-03-01,王,10,8,20,50,90,5,1
2024-03-02,王,10,6,60,80,70,9,1
"""
GROUPS = """date,owner,new_chat_cnt,chat_total,chat_has_msg,new_member_cnt,member_total,member_has_msg,msg_total
2024-03-01,王,0,4,2,5,100,20,300
2024-03-02,王,1,5,3,5,105,30,300
"""


def write_client(folder: Path, brief: dict | None = None) -> Path:
    """Write a tiny client (brief, orders, WeCom statistics) into ``folder``; return the brief path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "orders.csv").write_text(ORDERS, encoding="utf-8")
    (folder / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (folder / "groups.csv").write_text(GROUPS, encoding="utf-8")
    data = brief or {
        "client": {"name": "测试母婴", "industry": "母婴", "format": "单店", "store_count": 1},
        "goods": {"aov": 100, "repurchase_cycle_days": 20},
        "assets": {"friends": 50, "groups": 12, "group_members": 105},
        "funnel": {"reachable": 100},
        "data": {"orders": "orders.csv", "wecom_contacts": "contacts.csv", "wecom_groups": "groups.csv"},
    }
    path = folder / "brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.slow
def test_check_reads_the_data_and_lists_inventory_quality_completeness_and_questions(tmp_path):
    report = check_brief(write_client(tmp_path))
    inventory = report.inventory.set_index("字段")
    assert inventory.loc["data.orders", "状态"] == "可读取" and inventory.loc["data.orders", "行数"] == 6
    assert inventory.loc["data.customers", "状态"] == "未提供"
    quality = report.quality.set_index("项目")
    assert quality.loc["按状态排除的订单", "数量"] == 1
    # 5 valid orders, 1000 yuan → AOV 200; stated 100 is 50 % off
    assert report.measured["aov"] == 200
    assert report.measured["median_repurchase_days"] == 20  # gaps of 10 and 30 days
    questions = report.questions
    assert ((questions["field"] == "goods.aov") & questions["issue"].str.contains("订单数据测得")).any()
    assert not ((questions["field"] == "goods.repurchase_cycle_days") & questions["issue"].str.contains("中位")).any()
    # stated 12 groups vs 5 in WeCom; 105 members match
    assert ((questions["field"] == "assets.groups") & questions["issue"].str.contains("企业微信")).any()
    assert not ((questions["field"] == "assets.group_members") & questions["issue"].str.contains("企业微信")).any()
    assert 0 < report.overall < 1


def test_format_check_prints_a_chinese_summary(tmp_path):
    text = format_check(check_brief(write_client(tmp_path)))
    for heading in ("【数据清单】", "【订单数据质量】", "【订单实测】", "【企业微信】", "【完整度】", "【待问问题】"):
        assert heading in text
    assert "客单价 ¥200" in text and "总体：" in text
    assert "13800000001" not in text


@pytest.mark.slow
def test_the_cli_prints_the_summary_and_exits_0(tmp_path, capsys):
    assert main(["check", str(write_client(tmp_path))]) == 0
    assert "【待问问题】" in capsys.readouterr().out


def test_a_data_file_named_in_the_brief_but_missing_exits_2_with_the_contract_line(tmp_path, capsys):
    path = write_client(tmp_path)
    (tmp_path / "orders.csv").unlink()
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"error: {path}:data.orders: file not found: {tmp_path / 'orders.csv'}"
    assert "Traceback" not in err


@pytest.mark.slow
def test_an_unreadable_wecom_file_exits_2(tmp_path, capsys):
    path = write_client(tmp_path)
    (tmp_path / "groups.csv").write_text("这不是统计表\n1,2\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_an_invalid_brief_exits_2(tmp_path, capsys):
    path = write_client(tmp_path, {"client": {"name": "x", "industry": "母婴"}, "goods": {"aov": "很贵"}})
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == f"error: {path}:goods.aov: expected a number, got '很贵'"


def test_a_brief_without_data_files_is_checked_too(tmp_path):
    path = write_client(tmp_path, {"client": {"name": "x", "industry": "母婴"}})
    report = check_brief(path)
    assert report.measured == {} and not has_wecom(report.wecom) and report.quality is None
    assert (report.questions["field"] == "data.orders").any()


def test_load_data_refuses_a_directory_named_as_a_file(tmp_path):
    path = write_client(tmp_path, {"client": {"name": "x", "industry": "母婴"}, "data": {"customers": "."}})
    from diag.brief.model import load_brief

    with pytest.raises(DataError) as caught:
        load_data(load_brief(path))
    assert caught.value.where == "data.customers"
