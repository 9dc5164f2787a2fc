"""Bad input exits with status 2 and one `error: <file>[:<where>]: <what>` line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from diag.cli import main

ORDERS_CSV = "订单号,买家手机号,支付时间,实付金额\nA1,13800130807,2025-03-05 10:00,100\n"


def brief(tmp_path: Path, **sections) -> Path:
    data = {"client": {"name": "测试客户", "industry": "母婴"}, **sections}
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    return code, err


def assert_one_line_error(err: str, *fragments: str) -> None:
    first = err.splitlines()[0]
    assert first.startswith("error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in first, first


def test_an_unknown_command_is_a_usage_error(capsys):
    code, err = run_cli(capsys, "frobnicate")
    assert code == 2
    assert_one_line_error(err, "diag", "invalid choice")


def test_a_missing_orders_file_names_the_file(capsys, tmp_path):
    code, err = run_cli(capsys, "metrics", str(tmp_path / "none.csv"))
    assert code == 2
    assert_one_line_error(err, "none.csv")


def test_a_malformed_as_of_date_names_the_option(capsys, tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(ORDERS_CSV, encoding="utf-8")
    code, err = run_cli(capsys, "metrics", str(path), "--as-of", "next week")
    assert code == 2
    assert_one_line_error(err, "--as-of", "YYYY-MM-DD")


def test_an_empty_orders_file_is_bad_input(capsys, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, err = run_cli(capsys, "metrics", str(path))
    assert code == 2
    assert_one_line_error(err, "empty.csv")


def test_an_orders_file_without_amounts_names_the_missing_field(capsys, tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("订单号,买家手机号,支付时间\nA1,13800130807,2025-03-05\n", encoding="utf-8")
    code, err = run_cli(capsys, "metrics", str(path))
    assert code == 2
    assert_one_line_error(err, "o.csv", "amount")


@pytest.mark.slow
def test_a_brief_with_invalid_yaml_is_bad_input(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("client: {name: x\n", encoding="utf-8")
    code, err = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert_one_line_error(err, "bad.yaml:line")
    assert not (tmp_path / "out").exists()


def test_a_brief_with_a_wrong_type_names_the_field_path(capsys, tmp_path):
    path = brief(tmp_path, goods={"aov": "约100元"})
    code, err = run_cli(capsys, "check", str(path))
    assert code == 2
    assert_one_line_error(err, "brief.yaml:goods.aov", "expected a number")


@pytest.mark.slow
def test_a_brief_with_an_unknown_industry_lists_known_ones(capsys, tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump({"client": {"name": "x", "industry": "零食"}}, allow_unicode=True),
                    encoding="utf-8")
    code, err = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert_one_line_error(err, "b.yaml:client.industry", "known:")


@pytest.mark.slow
def test_a_run_whose_orders_file_is_missing_names_the_brief_field(capsys, tmp_path):
    path = brief(tmp_path, data={"orders": "data/orders.csv"})
    code, err = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert_one_line_error(err, "brief.yaml:data.orders", "file not found")


@pytest.mark.slow
def test_a_run_without_an_orders_file_says_one_is_needed(capsys, tmp_path):
    code, err = run_cli(capsys, "run", str(brief(tmp_path)), "--out", str(tmp_path / "out"))
    assert code == 2
    assert_one_line_error(err, "data.orders")


def test_a_brief_that_is_a_folder_is_bad_input(capsys, tmp_path):
    code, err = run_cli(capsys, "check", str(tmp_path))
    assert code == 2
    assert_one_line_error(err, "directory")


def test_a_batch_over_a_missing_folder_is_bad_input(capsys, tmp_path):
    code, err = run_cli(capsys, "batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_line_error(err, "nowhere")


def test_a_batch_with_zero_jobs_is_bad_input(capsys, tmp_path):
    brief(tmp_path)
    code, err = run_cli(capsys, "batch", str(tmp_path), "-j", "0", "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_line_error(err, "-j")


def test_a_batch_whose_briefs_are_all_bad_exits_2_and_still_writes_the_index(capsys, tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.yaml").write_text("client: {name: x}\n", encoding="utf-8")
    code, err = run_cli(capsys, "batch", str(folder), "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_line_error(err, "a.yaml:client.industry")
    index = (tmp_path / "o" / "index.csv").read_text(encoding="utf-8-sig")
    assert "bad input" in index and "client.industry" in index


@pytest.mark.slow
def test_a_run_whose_wecom_file_is_unreadable_is_bad_input_before_any_notebook(capsys, tmp_path):
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    (tmp_path / "groups.csv").write_bytes(bytes(range(256)) * 8)
    path = brief(tmp_path, data={"orders": "orders.csv", "wecom_groups": "groups.csv"})
    code, err = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert_one_line_error(err, "groups.csv")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("command", ["run", "batch"])
def test_an_output_folder_that_is_a_file_is_a_usage_error(capsys, tmp_path, command):
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    path = brief(tmp_path, data={"orders": "orders.csv"})
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, err = run_cli(capsys, command, str(path), "--out", str(tmp_path / "afile"))
    assert code == 2
    assert_one_line_error(err, "--out", "got a file")


def test_rebuilding_a_report_where_no_run_happened_is_bad_input(capsys, tmp_path):
    code, err = run_cli(capsys, "report", str(tmp_path))
    assert code == 2
    assert_one_line_error(err, "results.json")


def test_an_unknown_template_key_lists_the_known_ones(capsys):
    code, err = run_cli(capsys, "templates", "show", "零售")
    assert code == 2
    assert_one_line_error(err, "零售", "known:")


@pytest.mark.slow
def test_the_installed_command_prints_no_traceback_for_bad_input(tmp_path):
    garbage = tmp_path / "orders.csv"
    garbage.write_bytes(b"\x00\x01\x02\xff\xfe" * 100)
    proc = subprocess.run([sys.executable, "-m", "diag", "metrics", str(garbage)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_a_scheduler_without_the_dask_executor_is_a_usage_error(capsys, tmp_path):
    brief(tmp_path)
    code, err = run_cli(capsys, "batch", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1",
                        "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_line_error(err, "--scheduler", "--executor dask")


@pytest.mark.slow
def test_an_unreachable_dask_scheduler_is_a_usage_error_and_starts_nothing(capsys, tmp_path):
    brief(tmp_path)
    code, err = run_cli(capsys, "batch", str(tmp_path), "--executor", "dask",
                        "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_line_error(err, "--scheduler", "cannot reach")
    assert not (tmp_path / "o").exists()
