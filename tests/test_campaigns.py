"""The campaigns file: Chinese or English headers, CSV or XLSX, and one clear line for bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from diag.cli import main
from diag.errors import DataError
from diag.readers.campaigns import read_campaigns

HEADER = "活动名称,活动类型,开始日期,结束日期,成本,目标GMV,目标新客数,触达人数,新增好友,入群人数,参与人数,推荐人数\n"


def _csv(tmp_path: Path, body: str, *, header: str = HEADER, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "campaigns.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def test_a_chinese_csv_reads_dates_money_and_blank_optional_cells(tmp_path):
    path = _csv(tmp_path, "双11,大促,2025/11/1,2025年11月11日,\"¥30,000\",15万,400,60000,,900,3200,-\n")
    c = read_campaigns(path).iloc[0]
    assert (c["name"], c["type"]) == ("双11", "大促")
    assert (c["start"], c["end"], c["days"]) == (dt.date(2025, 11, 1), dt.date(2025, 11, 11), 11)
    assert c["cost"] == 30000.0 and c["target_gmv"] == 150000.0
    assert pd.isna(c["new_friends"]) and pd.isna(c["referrals"]) and c["group_joins"] == 900.0
    assert c["store"] is None and c["row"] == 2


def test_a_gbk_csv_with_only_the_required_columns_reads(tmp_path):
    path = _csv(tmp_path, "团购,社群,2026-03-01,2026-03-15,,\n", header="活动名称,活动类型,开始日期,结束日期,成本,目标GMV\n",
                encoding="gb18030")
    c = read_campaigns(path).iloc[0]
    assert pd.isna(c["cost"]) and pd.isna(c["target_gmv"]) and pd.isna(c["participants"])


def test_an_xlsx_with_english_headers_and_excel_dates_reads(tmp_path):
    path = tmp_path / "campaigns.xlsx"
    pd.DataFrame({"Campaign": ["618"], "Type": ["promo"], "Start Date": [dt.datetime(2026, 6, 1)],
                  "End Date": [dt.datetime(2026, 6, 18)], "Cost": [35000], "Target GMV": [260000],
                  "Participants": [3500], "Store": ["西湖店"]}).to_excel(path, index=False)
    c = read_campaigns(path).iloc[0]
    assert c["name"] == "618" and c["end"] == dt.date(2026, 6, 18) and c["participants"] == 3500.0
    assert c["store"] == "西湖店"


@pytest.mark.parametrize("body, where, words", [
    ("双11,大促,2025-13-45,2025-11-11,1,1\n", "row 2:开始日期", "expected a date"),
    ("双11,大促,2025-11-11,2025-11-01,1,1\n", "row 2:结束日期", "before start"),
    ("双11,大促,2025-11-01,2025-11-11,-5,1\n", "row 2:成本", "≥ 0"),
    ("双11,大促,2025-11-01,2025-11-11,1,很多\n", "row 2:目标GMV", "amount in yuan"),
    ("双11,大促,2025-11-01,2025-11-11,1,1\n双11,大促,2025-12-01,2025-12-02,1,1\n", "row 3:活动名称", "repeats row 2"),
    (",大促,2025-11-01,2025-11-11,1,1\n", "row 2:活动名称", "expected a campaign name"),
    ("双11,大促,,2025-11-11,1,1\n", "row 2:开始日期", "empty cell"),
])
def test_a_bad_cell_names_the_file_row_and_column(tmp_path, body, where, words):
    path = _csv(tmp_path, body, header="活动名称,活动类型,开始日期,结束日期,成本,目标GMV\n")
    with pytest.raises(DataError) as err:
        read_campaigns(path)
    assert err.value.where == where and words in err.value.message and err.value.file == str(path)


def test_a_count_that_is_not_a_whole_number_of_people_is_bad_input(tmp_path):
    path = _csv(tmp_path, "双11,大促,2025-11-01,2025-11-11,1,1,,100.5,,,,\n")
    with pytest.raises(DataError, match="whole number") as err:
        read_campaigns(path)
    assert err.value.where == "row 2:触达人数"


@pytest.mark.parametrize("text, words", [
    ("活动名称,开始日期,结束日期\n双11,2025-11-01,2025-11-11\n", "missing column 活动类型, 成本, 目标GMV"),
    (HEADER, "at least one campaign"),
    ("", "expected a campaigns table"),
    ("a,b,c\n1,2,3\n", "expected a campaigns table"),
])
def test_a_file_without_the_columns_or_rows_is_bad_input(tmp_path, text, words):
    path = tmp_path / "campaigns.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=words):
        read_campaigns(path)


def test_another_format_is_refused_with_what_is_expected(tmp_path):
    path = tmp_path / "campaigns.parquet"
    path.write_bytes(b"PAR1")
    with pytest.raises(DataError, match="CSV or XLSX"):
        read_campaigns(path)


def _brief(tmp_path: Path, campaigns: str) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "orders.csv").write_text("订单号,买家手机号,支付时间,实付金额\nA1,13800130807,2025-03-05 10:00,100\n",
                                                 encoding="utf-8")
    (tmp_path / "data" / "campaigns.csv").write_text(campaigns, encoding="utf-8")
    brief = tmp_path / "b.yaml"
    brief.write_text(yaml.safe_dump({"client": {"name": "小店", "industry": "餐饮"},
                                     "data": {"orders": "data/orders.csv", "campaigns": "data/campaigns.csv"}},
                                    allow_unicode=True), encoding="utf-8")
    return brief


def test_diag_check_validates_the_campaigns_file_with_exit_2_and_one_line(tmp_path, capsys):
    brief = _brief(tmp_path, "活动名称,活动类型,开始日期,结束日期,成本,目标GMV\n春茶,上新,明天,2025-03-10,1,1\n")
    assert main(["check", str(brief)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "campaigns.csv:row 2:开始日期: expected a date" in err[0]
    assert "Traceback" not in err[0]


@pytest.mark.slow
def test_diag_run_rejects_a_bad_campaigns_file_before_any_notebook_starts(tmp_path, capsys):
    brief = _brief(tmp_path, "活动名称,活动类型,开始日期\n春茶,上新,2025-03-01\n")
    assert main(["run", str(brief), "--out", str(tmp_path / "out")]) == 2
    assert "missing column 结束日期, 成本, 目标GMV" in capsys.readouterr().err
    assert not (tmp_path / "out" / "b").exists()


@pytest.mark.slow
def test_diag_check_lists_a_good_campaigns_file_in_the_inventory(tmp_path, capsys):
    brief = _brief(tmp_path, "活动名称,活动类型,开始日期,结束日期,成本,目标GMV\n春茶,上新,2025-03-01,2025-03-10,1,1\n")
    assert main(["check", str(brief)]) == 0
    assert "活动（data.campaigns）：可读取" in capsys.readouterr().out
