"""WeCom statistics readers: Chinese / English CSV, GBK, API JSON, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from diag.errors import DataError
from diag.readers import wecom

DATA = Path(__file__).parent / "data" / "wecom"


def test_contact_stats_from_a_gbk_console_export_with_title_and_totals_rows():
    df = wecom.read_contact_stats(DATA / "contacts_zh_gbk.csv")
    assert len(df) == 4                                   # title line and 合计 row skipped
    assert list(df.columns) == ["date", *[k for k in wecom.CONTACT_FIELDS if k != "date"]]
    first = df.iloc[0]
    assert first["date"] == pd.Timestamp("2024-03-01") and first["staff"] == "张三"
    assert (first["new_apply_cnt"], first["new_contact_cnt"], first["chat_cnt"]) == (20, 10, 30)
    assert first["reply_percentage"] == pytest.approx(0.8)   # "80%" → 0.8
    assert first["avg_reply_time"] == 5 and first["negative_feedback_cnt"] == 1
    assert np.isnan(df.iloc[3]["reply_percentage"]) and np.isnan(df.iloc[3]["avg_reply_time"])


def test_contact_stats_from_api_json_convert_percent_and_beijing_dates():
    df = wecom.read_contact_stats(DATA / "behavior_api.json")
    assert len(df) == 4
    assert list(df["staff"]) == ["zhangsan", "zhangsan", "lisi", "lisi"]
    assert list(df["date"].dt.strftime("%Y-%m-%d")) == ["2024-03-01", "2024-03-02"] * 2
    assert list(df["reply_percentage"].iloc[:3]) == pytest.approx([0.8, 0.9, 0.5])
    assert np.isnan(df["reply_percentage"].iloc[3])


def test_english_headers_and_plain_percent_numbers(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("stat_time,userid,new_apply_cnt,new_contact_cnt,chat_cnt,message_cnt,reply_percentage,"
                    "avg_reply_time,negative_feedback_cnt\n"
                    "2024-03-01,zs,4,2,10,30,75,1分30秒,0\n"
                    "2024/03/02,zs,4,2,10,30,100,00:02:00,0\n", encoding="utf-8")
    df = wecom.read_contact_stats(path)
    assert list(df["reply_percentage"]) == [0.75, 1.0]       # WeCom percent 0–100 → share
    assert list(df["avg_reply_time"]) == [1.5, 2.0]
    assert df["date"].iloc[1] == pd.Timestamp("2024-03-02")


def test_reply_shares_already_between_zero_and_one_are_kept(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("日期,成员,新增客户数,已回复聊天占比\n2024-03-01,a,3,0.75\n2024-03-02,a,3,1\n", encoding="utf-8")
    assert list(wecom.read_contact_stats(path)["reply_percentage"]) == [0.75, 1.0]
    path.write_text("日期,成员,已回复聊天占比\n2024-03-01,a,1\n2024-03-02,a,0\n", encoding="utf-8")
    assert list(wecom.read_contact_stats(path)["reply_percentage"]) == [1.0, 0.0]   # 100 %, 0 %


def test_contact_stats_from_xlsx(tmp_path):
    path = tmp_path / "c.xlsx"
    pd.DataFrame({"日期": ["2024-03-01"], "成员": ["张三"], "新增客户数": [5], "发起申请数": [10]}).to_excel(path, index=False)
    df = wecom.read_contact_stats(path)
    assert df.loc[0, "new_contact_cnt"] == 5 and df.loc[0, "staff"] == "张三"
    assert np.isnan(df.loc[0, "chat_cnt"])


def test_group_stats_from_chinese_csv_with_bom():
    df = wecom.read_group_stats(DATA / "groups_zh.csv")
    assert len(df) == 5 and set(df["owner"]) == {"zhangsan", "lisi"}
    row = df.iloc[1]
    assert (row["chat_total"], row["chat_has_msg"], row["new_member_cnt"], row["member_total"]) == (4, 3, 8, 105)
    assert np.isnan(row["migrate_trainee_chat_cnt"])


def test_group_stats_from_api_json_by_day_and_by_owner():
    by_day = wecom.read_group_stats(DATA / "groups_by_day_api.json")
    assert list(by_day["date"].dt.day) == [1, 2, 4] and by_day["owner"].isna().all()
    assert by_day["member_total"].tolist() == [150, 153, 156]
    by_owner = wecom.read_group_stats(DATA / "groups_by_owner_api.json")
    assert by_owner["date"].isna().all() and list(by_owner["owner"]) == ["zhangsan", "lisi"]
    assert by_owner["migrate_trainee_chat_cnt"].tolist() == [0, 0]


# -- bad files -------------------------------------------------------------------------------

def test_a_bad_count_names_the_file_row_and_field(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("日期,成员,新增客户数\n2024-03-01,a,3\n2024-03-02,a,三个\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        wecom.read_contact_stats(path)
    assert err.value.file == str(path) and err.value.where == "row 3, new_contact_cnt"
    assert "expected a number" in err.value.message and "三个" in err.value.message


def test_a_bad_date_names_the_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("日期,成员,新增客户数\n上周一,a,3\n", encoding="utf-8")
    with pytest.raises(DataError, match="expected a date") as err:
        wecom.read_contact_stats(path)
    assert err.value.where == "row 2, date"


def test_a_reply_percentage_above_100_is_rejected(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("日期,成员,已回复聊天占比\n2024-03-01,a,120\n", encoding="utf-8")
    with pytest.raises(DataError, match="between 0 and 100") as err:
        wecom.read_contact_stats(path)
    assert err.value.where == "row 2, reply_percentage"


def test_a_file_without_known_columns_lists_what_was_expected(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("订单号,实付金额\n1,20\n", encoding="utf-8")
    with pytest.raises(DataError, match="联系客户统计 table with columns such as"):
        wecom.read_contact_stats(path)
    with pytest.raises(DataError, match="群聊数据统计"):
        wecom.read_group_stats(path)


def test_api_errors_and_broken_json_are_reported(tmp_path):
    failed = tmp_path / "failed.json"
    failed.write_text(json.dumps({"errcode": 40014, "errmsg": "invalid access_token"}), encoding="utf-8")
    with pytest.raises(DataError, match="errcode 40014") as err:
        wecom.read_contact_stats(failed)
    assert err.value.where == "errcode"
    broken = tmp_path / "broken.json"
    broken.write_text('{"errcode": 0, "items": [', encoding="utf-8")
    with pytest.raises(DataError, match="not valid JSON"):
        wecom.read_group_stats(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"errcode": 0, "items": [{"owner": "a", "data": {"chat_total": "x"}}]}),
                     encoding="utf-8")
    with pytest.raises(DataError) as err:
        wecom.read_group_stats(wrong)
    assert err.value.where == "items[0].data, chat_total"


def test_a_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        wecom.read_group_stats(tmp_path / "nope.csv")


def test_undecodable_bytes_are_a_data_error(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\xff" * 20)
    with pytest.raises(DataError, match="UTF-8 or GBK"):
        wecom.read_contact_stats(path)


def test_repeated_days_from_overlapping_exports_are_dropped_and_counted(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("日期,成员,新增客户数\n2024-03-01,a,3\n2024-03-02,a,4\n2024-03-02,a,4\n2024-03-02,b,1\n",
                    encoding="utf-8")
    df = wecom.read_contact_stats(path)
    assert len(df) == 3 and df.attrs["duplicate_rows"] == 1


def test_conflicting_rows_for_the_same_day_and_staff_are_an_error(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("日期,成员,新增客户数\n2024-03-01,a,3\n2024-03-01,a,5\n", encoding="utf-8")
    with pytest.raises(DataError, match="same date and staff") as err:
        wecom.read_contact_stats(path)
    assert err.value.where == "row 3"
