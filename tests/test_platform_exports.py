"""Exports in each platform's header set are read with no options, and their figures are
the generator's truth (tests/exports.py), never the kit's own reading of the file."""

from __future__ import annotations

import json

import pytest
from exports import PLATFORMS, write

from diag.areas.metrics import compute_metrics
from diag.cli import main

pytestmark = pytest.mark.slow  # generates and reads seeded platform exports

FIGURES = ("orders", "excluded_orders", "customers", "gmv", "aov", "repurchase_rate", "first_date",
           "last_date")


@pytest.mark.parametrize("key", sorted(PLATFORMS))
def test_an_export_is_recognised_by_its_headers_and_gives_the_true_figures(key, tmp_path):
    path, truth = write(key, tmp_path)
    m = compute_metrics(path)
    assert m["data_quality"]["profile"] == key
    assert {k: m[k] for k in FIGURES} == {k: truth[k] for k in FIGURES}
    assert m["data_quality"]["walk_in_orders"] == truth["walk_in_orders"]
    assert sum(m["rfm_segments"].values()) == truth["customers"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_give_the_true_figures_too(seed, tmp_path):
    for key in ("douyin", "jd_pop", "meituan_pos", "youzan_goods"):
        path, truth = write(key, tmp_path, seed=seed)
        m = compute_metrics(path)
        assert {k: m[k] for k in FIGURES} == {k: truth[k] for k in FIGURES}, key


def test_the_pos_workbook_reports_its_sheet_header_row_total_row_and_walk_ins(tmp_path):
    path, truth = write("meituan_pos", tmp_path)
    q = compute_metrics(path)["data_quality"]
    assert (q["sheet"], q["header_row"], q["total_rows"]) == ("店内订单明细", 3, 1)
    assert q["walk_in_orders"] == truth["walk_in_orders"] > 0
    assert q["column_map"]["amount"] == "实收金额" and q["amount_kind"] == "receipt"
    assert q["excluded_by_meaning"]["refunded"] >= 1


def test_a_gb18030_csv_ending_in_a_stray_carriage_return_is_read_with_its_title_rows(tmp_path):
    path, truth = write("keruyun", tmp_path)
    assert path.read_bytes().endswith(b"\r\n\r")
    m = compute_metrics(path)
    assert m["orders"] == truth["orders"] and m["data_quality"]["header_row"] == 3
    assert m["data_quality"]["encoding"] == "gb18030"


def test_full_refunds_in_the_after_sales_column_are_excluded_and_partial_ones_subtracted(tmp_path):
    path, truth = write("douyin", tmp_path)
    q = compute_metrics(path)["data_quality"]
    assert q["partial_refund_lines"] >= 1 and q["annotated_amounts"] == 1
    assert "全额退款 (售后/退款列)" in q["excluded_by_status"]


def test_the_taobao_item_report_alone_is_refused_with_a_clear_message(tmp_path, capsys):
    from exports import make_orders, taobao_items

    path = tmp_path / "宝贝报表.csv"
    taobao_items(path, make_orders(3))
    assert main(["metrics", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}: ") and "订单报表" in err[0]


def test_platform_forces_a_profile_and_an_unknown_key_names_the_known_ones(tmp_path, capsys):
    path, truth = write("youzan_goods", tmp_path)
    assert main(["metrics", str(path), "--platform", "youzan_goods"]) == 0
    assert json.loads(capsys.readouterr().out)["gmv"] == truth["gmv"]
    assert main(["metrics", str(path), "--platform", "youzna"]) == 2
    err = capsys.readouterr().err
    assert "no platform profile 'youzna'" in err and "youzan_goods" in err


def test_a_missing_required_field_names_the_headers_the_closest_profile_and_the_fix(tmp_path, capsys):
    path = tmp_path / "orders.csv"
    path.write_text("订单号,订单状态,订单创建时间,买家付款时间,订单实付金额,收货人/提货人\n1,交易成功,2025-01-01,"
                    "2025-01-01,10,张\n", encoding="utf-8")
    assert main(["metrics", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}:customer_id: ")
    assert "headers found: 订单号, 订单状态" in err[0] and "youzan_orders" in err[0]
    assert "--column customer_id=" in err[0]


def test_table_format_says_which_platform_and_header_feed_each_field(tmp_path, capsys):
    path, _ = write("jd_pop", tmp_path)
    assert main(["metrics", str(path), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "京东 POP 订单" in out and "金额←应付金额" in out and "取订单级金额 (每单一次)" in out


def test_the_generator_writes_every_platform_from_the_command_line(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).with_name("exports.py")
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                          check=True)
    assert len(done.stdout.strip().splitlines()) == len(PLATFORMS)
