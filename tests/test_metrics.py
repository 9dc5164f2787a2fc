"""diag metrics: hand-computed figures, CDNOW, the two paths agreeing, CLV sampling, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from english import CJK, kit_chinese

from diag.areas.metrics import compute_metrics, format_table, to_json
from diag.cli import main
from diag.readers.orders import read_orders

KEYS = {"orders", "excluded_orders", "customers", "gmv", "aov", "orders_per_customer",
        "purchase_days_per_customer", "repurchase_rate", "median_repurchase_days", "first_date",
        "last_date", "rfm_segments", "monthly", "cohort_retention", "clv", "data_quality"}

# Four customers; A buys twice on 1 Jan (one purchase day), D's second order is closed
# and C's unpaid, so 8 valid orders remain.
TINY = """订单号,客户ID,支付时间,实付金额,订单状态
o1,A,2025-01-01 10:00,100,已完成
o2,A,2025-01-01 18:00,50,已完成
o3,A,2025-01-11 09:00,30,已完成
o4,B,2025-01-05 12:00,200,已完成
o5,B,2025-02-04 12:00,100,已完成
o6,B,2025-03-06 12:00,100,已完成
o7,C,2025-02-10 12:00,60,已完成
o8,D,2025-03-01 08:00,40,已完成
o9,D,2025-03-02 08:00,999,交易关闭
o10,C,2025-03-03 08:00,5,待付款
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.csv"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_tiny_case_matches_hand_computed_figures(tiny):
    m = compute_metrics(tiny)
    assert KEYS <= set(m)
    assert m["orders"] == 8 and m["excluded_orders"] == 2 and m["customers"] == 4
    assert m["gmv"] == 680 and m["aov"] == 85 and m["orders_per_customer"] == 2
    # purchase days: A 2, B 3, C 1, D 1
    assert m["purchase_days_per_customer"] == 1.75
    assert m["repurchase_rate"] == 0.5
    # gaps: A 10; B 30, 30 → median 30
    assert m["median_repurchase_days"] == 30
    assert (m["first_date"], m["last_date"], m["as_of"]) == ("2025-01-01", "2025-03-06", "2025-03-07")
    # first purchase ≥ 30 days before 7 Mar: A (gap 10) and B (gap 30) → both within 30 days
    assert m["repurchase_rate_30d"] == 1.0 and m["repurchase_rate_90d"] is None


def test_tiny_case_rfm_segments_follow_the_mean_split(tiny):
    # recency: A 55, B 1, C 25, D 6 (mean 21.75) → R高 B, D
    # frequency: 2, 3, 1, 1 (mean 1.75) → F高 A, B;  monetary: 180, 400, 60, 40 (mean 170) → M高 A, B
    segments = compute_metrics(tiny)["rfm_segments"]
    assert segments == {"重要价值": 1, "重要唤回": 1, "重要深耕": 0, "重要挽留": 0, "潜力": 0, "新客": 1,
                        "一般维持": 0, "流失": 1}


def test_tiny_case_monthly_and_cohorts(tiny):
    m = compute_metrics(tiny)
    assert m["monthly"] == [
        {"month": "2025-01", "gmv": 380.0, "orders": 4, "customers": 2, "new_customers": 2},
        {"month": "2025-02", "gmv": 160.0, "orders": 2, "customers": 2, "new_customers": 1},
        {"month": "2025-03", "gmv": 140.0, "orders": 2, "customers": 2, "new_customers": 1}]
    assert m["cohort_retention"] == {"2025-01": [1.0, 0.5, 0.5], "2025-02": [1.0, 0.0], "2025-03": [1.0]}


def test_as_of_cuts_later_orders_and_sets_recency(tiny):
    m = compute_metrics(tiny, as_of="2025-01-31")
    # only January: A (2 days), B (1 day); orders o1–o4
    assert (m["orders"], m["customers"], m["gmv"], m["as_of"]) == (4, 2, 380, "2025-01-31")
    assert m["repurchase_rate"] == 0.5 and m["median_repurchase_days"] == 10


@pytest.mark.slow
def test_metrics_from_path_and_from_orders_data_agree(tiny):
    a, b = compute_metrics(tiny), compute_metrics(read_orders(tiny))
    assert {k: v for k, v in a.items() if k != "clv"} == {k: v for k, v in b.items() if k != "clv"}


@pytest.mark.slow
def test_clv_block_says_not_fitted_with_the_reason_instead_of_failing(tiny):
    clv = compute_metrics(tiny)["clv"]
    assert clv["model"] == "bgnbd+gamma-gamma"
    assert clv["fitted"] is False and clv["status"] == f"not fitted: {clv['reason']}"
    assert "客户太少" in clv["reason"]
    assert clv["params"] == dict.fromkeys(("r", "alpha", "a", "b", "p", "q", "gamma"))


def test_the_table_in_english_takes_labels_definitions_and_segments_from_the_catalogues(tiny):
    metrics = compute_metrics(tiny)
    text = format_table(metrics, lang="en")
    for phrase in ("Core metrics", "Valid orders", "Average order value", "GMV ÷ valid orders", "RFM segments",
                   "Champions", "Cohort retention", "Data quality", "Field mapping", "¥85.00",
                   "Model not fitted: too few customers (4; at least 20 are needed)"):
        assert phrase in text
    # The export's own headers (订单号, 客户ID…) and statuses stay as written; nothing else is Chinese.
    export_words = TINY.splitlines()[0].split(",") + ["交易关闭", "待付款"]
    assert kit_chinese(text.splitlines(), export_words) == []
    assert CJK.search(format_table(metrics))                    # the default stays Chinese
    assert to_json(metrics) == to_json(compute_metrics(tiny))   # the language never touches the figures


def test_format_table_shows_chinese_labels(tiny):
    text = format_table(compute_metrics(tiny))
    for label in ("有效订单数", "客单价", "复购率", "重要价值", "同期群留存", "数据质量"):
        assert label in text
    assert "¥85.00" in text


# -- CDNOW --------------------------------------------------------------------------------

def cdnow_csv(cdnow_dir: Path, tmp_path: Path) -> Path:
    raw = pd.read_csv(cdnow_dir / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["customer", "sample", "date", "cds", "dollar_value"], dtype={"date": str})
    raw.insert(0, "order", [f"t{i}" for i in range(len(raw))])
    path = tmp_path / "cdnow.csv"
    raw.drop(columns="sample").to_csv(path, index=False)
    return path


@pytest.mark.slow
def test_cdnow_headline_figures(cdnow_dir, tmp_path):
    m = compute_metrics(cdnow_csv(cdnow_dir, tmp_path))
    assert m["customers"] == 2357 and m["orders"] == 6919 and m["excluded_orders"] == 0
    assert (m["first_date"], m["last_date"]) == ("1997-01-01", "1998-06-30")
    assert sum(m["rfm_segments"].values()) == 2357
    assert m["gmv"] == pytest.approx(pd.read_csv(cdnow_dir / "CDNOW_sample.txt", sep=r"\s+",
                                                 header=None)[4].sum(), abs=0.01)


@pytest.mark.slow
def test_cdnow_clv_summary_matches_the_clv_module(cdnow_dir, tmp_path):
    from diag.areas import clv, people
    from diag.areas.metrics import clv_summary_sql
    from diag.readers.orders import connect

    data = read_orders(cdnow_csv(cdnow_dir, tmp_path))
    as_of = pd.Timestamp("1997-09-30").date()
    expected = clv.summary_from_orders(data.orders, as_of).set_index("customer_id").sort_index()
    con = connect()
    con.register("o", data.orders)
    people.build(con, "o", as_of)
    got = con.execute(clv_summary_sql(as_of)).df().set_index("customer_id").sort_index()
    assert len(got) == len(expected) == 2357
    for col in ("frequency", "recency", "T", "monetary_value"):
        np.testing.assert_allclose(got[col], expected[col], atol=1e-9, err_msg=col)
    # and the published calibration summary (39 weeks to 1997-09-30, time in weeks)
    published = pd.read_csv(Path(cdnow_dir) / "cdnow_customers_summary.csv")
    assert got["frequency"].sum() == published["frequency"].sum()


@pytest.mark.slow
def test_cdnow_people_frames_agree_with_metrics(cdnow_dir, tmp_path):
    from diag.areas import people

    path = cdnow_csv(cdnow_dir, tmp_path)
    m, data = compute_metrics(path), read_orders(path)
    rfm = people.rfm_table(data.orders, m["as_of"])
    assert rfm["segment"].value_counts().reindex(people.SEGMENTS, fill_value=0).to_dict() == m["rfm_segments"]
    summary = people.repurchase_summary(data.orders, m["as_of"]).set_index("metric")["value"]
    assert summary["repurchase_rate"] == pytest.approx(m["repurchase_rate"])
    assert summary["median_repurchase_days"] == m["median_repurchase_days"]
    assert float(np.median(people.repurchase_gaps(data.orders))) == m["median_repurchase_days"]
    cohort = people.cohort_retention(data.orders)
    assert [round(v, 6) for v in cohort.loc["1997-01"].dropna()] == m["cohort_retention"]["1997-01"]


# -- CLV sampling ---------------------------------------------------------------------------

@pytest.mark.slow
def test_clv_fitted_on_a_sample_agrees_with_the_full_fit(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import order_table

    path = tmp_path / "synthetic.parquet"
    order_table(120_000, seed=3).to_pandas().to_parquet(path)
    full = compute_metrics(path, clv_sample=10**9)["clv"]
    part = compute_metrics(path, clv_sample=10_000)["clv"]
    assert full["customers_fitted"] > 25_000 and part["customers_fitted"] == 10_000
    for key in ("r", "alpha", "a", "b", "p"):
        assert part["params"][key] == pytest.approx(full["params"][key], rel=0.08), key
    # With q large (≈ 29 here) Gamma-Gamma pins the population mean spend p·γ / (q − 1)
    # tightly, while q and γ trade off along it (the 10k sample has both ≈ 20 % higher).
    mean = {name: fit["params"]["p"] * fit["params"]["gamma"] / (fit["params"]["q"] - 1)
            for name, fit in (("full", full), ("part", part))}
    assert mean["part"] == pytest.approx(mean["full"], rel=0.01)
    assert part["expected_purchases_90d"] == pytest.approx(full["expected_purchases_90d"], rel=0.01)
    assert part["expected_value_90d"] == pytest.approx(full["expected_value_90d"], rel=0.01)


# -- CLI --------------------------------------------------------------------------------------

def test_cli_prints_json_with_every_contract_key(tiny, capsys):
    assert main(["metrics", str(tiny), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert KEYS <= set(out) and out["orders"] == 8


@pytest.mark.slow
def test_cli_table_and_as_of(tiny, capsys):
    assert main(["metrics", str(tiny), "--format", "table", "--as-of", "2025-01-31"]) == 0
    out = capsys.readouterr().out
    assert "基准日 2025-01-31" in out and "有效订单数" in out
    assert "30天复购率" in out and "60天复购率" in out and "90天复购率" in out


@pytest.mark.slow
def test_cli_table_names_unusable_rows_in_chinese(tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_text("订单号,客户ID,支付时间,实付金额\no1,c1,2025-01-02,10\no2,c1,,5\n", encoding="utf-8")
    assert main(["metrics", str(path), "--format", "table"]) == 0
    assert re.search(r"无法使用的行: 缺少支付时间 +1 +已计数, 未计入指标", capsys.readouterr().out)


@pytest.mark.parametrize("content,name", [(b"", "empty.csv"), (bytes(range(256)) * 4, "garbage.csv"),
                                          (b"a,b\n1,2\n", "nocols.csv"), (b"x", "orders.json")])
def test_cli_bad_file_exits_2_with_one_error_line(tmp_path, capsys, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["metrics", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}") and "Traceback" not in err


def test_cli_missing_file_exits_2(tmp_path, capsys):
    assert main(["metrics", str(tmp_path / "nope.csv")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.slow
@pytest.mark.parametrize("extra", [
    "o1,A,2025-01-01 10:00,100,已完成\n",                    # exact duplicate of a row
    "o3,A,2025-01-11 09:00,7,已完成\no4,B,2025-01-05 12:00,1,已退款\n"])   # a second line; a refunded line
def test_fast_path_and_frame_path_agree_on_duplicates_and_multi_line_orders(tmp_path, extra):
    rows = "".join(f"u{i},c{i % 40},2025-02-{1 + i % 27:02d} 10:00,{i % 9 + 1},已完成\n" for i in range(200))
    path = tmp_path / "orders.csv"
    path.write_text(TINY + rows + extra, encoding="utf-8")
    a, b = compute_metrics(path), compute_metrics(read_orders(path))
    assert {k: v for k, v in a.items() if k != "clv"} == {k: v for k, v in b.items() if k != "clv"}
    assert a["data_quality"]["duplicates"] == (1 if "10:00,100" in extra else 0)


def _line_item_metrics(tmp_path: Path, headers: str, cells: str, extra: str) -> dict:
    """Return the fast path's metrics of 200 orders of two or three lines each (so the fast
    path takes the line-item branch) plus ``extra``, after checking the frame path agrees.
    ``headers`` and ``cells`` (with ``{k}``, the line number) go before the amount."""
    rows = "".join(f"L{i},c{i % 30},2025-02-{1 + i % 27:02d} 10:00,{cells.format(k=k)}{k + i % 5 + 1},已完成\n"
                   for i in range(10, 210) for k in range(2 + i % 2))
    path = tmp_path / "lines.csv"
    path.write_text(f"订单号,客户ID,支付时间,{headers}商品实付金额,订单状态\n" + rows + extra, encoding="utf-8")
    a, b = compute_metrics(path), compute_metrics(read_orders(path))
    assert {k: v for k, v in a.items() if k != "clv"} == {k: v for k, v in b.items() if k != "clv"}
    return a


@pytest.mark.parametrize("extra, duplicates", [
    ("L7,c7,2025-02-08 10:00,T恤,红,3,已完成\nL7,c7,2025-02-08 10:00,T恤,红,3,已完成\n", 1),
    # Same order, product and price, another colour: the cheap line hash matches, the lines differ.
    ("L7,c7,2025-02-08 10:00,T恤,红,3,已完成\nL7,c7,2025-02-08 10:00,T恤,蓝,3,已完成\n", 0),
    ("L7,c7,2025-02-08 10:00,T恤,红,3,已完成\nL7,c7,2025-02-08 10:00,T恤,红,3,已完成\n"
     "L7,c7,2025-02-08 10:00,T恤,蓝,3,已完成\n", 1)])
def test_line_items_sharing_product_and_price_are_merged_only_when_the_whole_line_repeats(
        tmp_path, extra, duplicates):
    a = _line_item_metrics(tmp_path, "商品名称,颜色,", "商品{k},黑,", extra)
    assert a["data_quality"]["duplicates"] == duplicates
    assert a["data_quality"]["lines_kept"] == 500 + extra.count("\n") - duplicates


@pytest.mark.parametrize("duplicate", [False, True])
def test_an_order_of_more_lines_than_the_duplicate_masks_bits_keeps_every_distinct_line(tmp_path, duplicate):
    # 80 distinct lines set at most 64 bits of the order's line-hash mask, so the order is
    # a duplicate candidate; only an exact repeat of a line makes it a duplicate.
    lines = [f"L7,c7,2025-02-08 10:00,P{j},红,{j + 1},已完成\n" for j in range(80)]
    extra = "".join(lines + lines[40:41] * duplicate)
    a = _line_item_metrics(tmp_path, "商品名称,颜色,", "商品{k},黑,", extra)
    assert a["data_quality"]["duplicates"] == int(duplicate)
    assert a["data_quality"]["lines_kept"] == 580
    assert a["orders"] == 201


@pytest.mark.slow
def test_cli_column_option_maps_an_unusual_header_like_a_briefs_columns(tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_text("订单号,user_key,支付时间,实付金额\no1,u1,2025-01-02,10\no2,u1,2025-01-09,5\n",
                    encoding="utf-8")
    assert main(["metrics", str(path), "--column", "customer_id=user_key"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["customers"], out["orders"], out["repurchase_rate"]) == (1, 2, 1.0)
    assert main(["metrics", str(path), "--column", "customer_id"]) == 2
    assert capsys.readouterr().err.startswith("error: --column: expected FIELD=HEADER")


@pytest.mark.parametrize("extra", [
    "L7,c7,2025-02-08 10:00,3,已完成\nL7,c7,2025-02-08 10:00,3,已完成\n",   # an exact duplicate line
    "L9,c3,2025-02-09 11:00,4,交易关闭\nL9,c3,,5,交易关闭\n",              # an order with every line closed
    "L8,,2025-02-10 12:00,6,已完成\n"])                                # an unusable line
def test_fast_path_and_frame_path_agree_on_a_line_item_file(tmp_path, extra):
    a = _line_item_metrics(tmp_path, "", "", extra)
    assert a["data_quality"]["duplicates"] == (1 if extra.count("\n") == 2 and "已完成" in extra else 0)


def test_every_reason_the_parse_can_give_fits_the_metrics_paths_one_byte_enum():
    import datetime as dt
    import re

    from diag.readers.orders_sql import ROW_REASONS, _parse_sql
    from diag.readers.quality import NOT_ROWS, REASONS

    types = {"订单号": "VARCHAR", "买家": "VARCHAR", "支付时间": "VARCHAR", "实付金额": "VARCHAR"}
    mapping = {"order_id": "订单号", "customer_id": "买家", "paid_at": "支付时间", "amount": "实付金额"}
    sql = _parse_sql(mapping, types, dt.datetime(2026, 1, 1), True, [])
    given = set(re.findall(r"THEN '([a-z ]+)'", sql))
    assert given == set(ROW_REASONS)
    assert given <= set(REASONS) | set(NOT_ROWS)


@pytest.mark.parametrize("extra, duplicates, unusable", [
    ("L7,c7,2025-02-08 10:00,3,已完成\nL7,c7,2025-02-08 10:00,3,已完成\nL8,,2025-02-10 12:00,6,已完成\n"
     "L9,c9,2025-13-40,6,已完成\n", 1, {"missing customer": 1, "unparseable date": 1})])
def test_a_line_item_file_with_a_duplicate_and_unusable_lines_counts_each_by_reason(
        tmp_path, extra, duplicates, unusable):
    a = _line_item_metrics(tmp_path, "", "", extra)
    assert a["data_quality"]["duplicates"] == duplicates
    assert a["data_quality"]["unusable"] == unusable
