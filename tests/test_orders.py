"""The orders reader: encodings, aliases, line items, statuses, formats, quality, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from diag.errors import DataError
from diag.readers.orders import ALIASES, normalise_header, read_orders

DATA = Path(__file__).parent / "data"

BASIC = (
    "订单号,买家手机号,支付时间,实付金额,订单状态\n"
    "A1,13800138000,2025-03-05 14:03:22,100,已完成\n"
    "A2,13800138000,2025-03-09 10:00:00,50.5,已完成\n"
    "A3,13900139000,2025-03-10,20,交易关闭\n"
)


def write(tmp_path: Path, text: str, name: str = "orders.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# -- encodings and formats ---------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_every_supported_encoding(tmp_path, encoding):
    data = read_orders(write(tmp_path, BASIC, encoding=encoding))
    assert list(data.orders["order_id"]) == ["A1", "A2"]
    assert data.orders["amount"].sum() == pytest.approx(150.5)
    assert data.quality.encoding == ("utf-8" if encoding.startswith("utf") else "gb18030")


@pytest.mark.slow
def test_gbk_line_item_export_is_summed_filtered_and_counted():
    data = read_orders(DATA / "youzan_lines_gbk.csv")
    q = data.quality
    assert q.encoding == "gb18030" and q.amount_level == "line"
    assert q.column_map["amount"] == "商品实付金额"          # line level wins over 订单实付金额
    assert dict(zip(data.orders["order_id"], data.orders["amount"])) == {
        "YZ001": 1299.0, "YZ002": 88.0, "YZ005": 45.5}
    assert q.orders_excluded == 3                              # 交易关闭, 已退款, 等待买家付款
    assert q.excluded_by_status == {"交易关闭": 1, "已退款": 1, "等待买家付款": 1}
    assert q.unusable == {"missing customer": 1, "negative amount": 1,
                          "unparseable amount": 1, "unparseable date": 1}
    assert q.duplicates == 1 and q.rows_read == 12
    assert len(data.lines) == 4 and set(data.lines["category"]) == {"奶粉", "洗护", "纸尿裤", "辅食"}
    assert data.as_of == dt.date(2025, 4, 3)


def test_xlsx_with_excel_datetimes_and_numbers_is_read(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["订单号", "会员ID", "下单时间", "成交金额", "渠道"])
    ws.append([1001, 7, dt.datetime(2025, 3, 5, 14, 3), 99.9, "小程序"])
    ws.append([1002, 7, dt.date(2025, 3, 8), "¥1,299.00", "社群"])
    ws.append([1003, 8, 45722, 10, None])                     # an Excel serial date
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    data = read_orders(path)
    assert list(data.orders["order_id"]) == ["1001", "1003", "1002"]
    assert list(data.orders["paid_at"]) == [pd.Timestamp("2025-03-05 14:03"), pd.Timestamp("2025-03-06"),
                                            pd.Timestamp("2025-03-08")]
    assert data.orders["amount"].tolist() == [99.9, 10.0, 1299.0]
    assert data.orders["channel"].isna().tolist() == [False, True, False]


def test_parquet_with_typed_columns_is_read(tmp_path):
    df = pd.DataFrame({"order_id": ["p1", "p2", "p2"], "user_id": [1, 2, 2],
                       "order_date": pd.to_datetime(["2025-01-01 10:00", "2025-01-02 00:00", "2025-01-02 00:00"]),
                       "商品实付金额": [10.0, 5.0, 7.5], "sku_name": ["a", "b", "c"]})
    path = tmp_path / "orders.parquet"
    df.to_parquet(path)
    data = read_orders(path)
    assert data.orders.set_index("order_id")["amount"].to_dict() == {"p1": 10.0, "p2": 12.5}
    assert data.orders["customer_id"].tolist() == ["1", "2"]
    assert data.quality.encoding == "parquet" and len(data.lines) == 3


# -- columns ------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("field", ["order_id", "customer_id", "paid_at", "amount"])
def test_every_contract_alias_of_a_required_field_is_recognised(tmp_path, field):
    headers = {"order_id": "订单号", "customer_id": "客户ID", "paid_at": "支付时间", "amount": "实付金额"}
    row = {"order_id": "o1", "customer_id": "c1", "paid_at": "2025-01-02", "amount": "12"}
    for alias in ALIASES[field]:
        if alias in ("order_amount", "order_total") or alias.startswith("订单") and field == "amount":
            continue  # order-level amounts are tested separately
        heads = {**headers, field: f" {alias.upper()} "}
        path = write(tmp_path, ",".join(heads.values()) + "\n" + ",".join(row.values()) + "\n")
        data = read_orders(path)
        assert normalise_header(data.quality.column_map[field]) == normalise_header(alias), alias


def test_headers_match_ignoring_case_spaces_underscores_and_unit_suffix():
    assert normalise_header(" Order ID ") == normalise_header("order_id") == "orderid"
    assert normalise_header("订单金额（元）") == normalise_header("订单金额(元)") == "订单金额"


def test_english_cdnow_style_headers_are_recognised(tmp_path):
    text = "customer,order_date,Dollar Value,Number of CDs,order\n4,19970101,29.33,2,1\n"
    data = read_orders(write(tmp_path, text))
    assert data.orders.iloc[0].to_dict()["amount"] == 29.33
    assert data.lines["quantity"].tolist() == [2.0]


def test_explicit_mapping_wins_over_aliases(tmp_path):
    text = "订单号,客户ID,支付时间,实付金额,应付金额\no1,c1,2025-01-02,10,12\n"
    data = read_orders(write(tmp_path, text), columns={"amount": "应付金额"})
    assert data.orders["amount"].tolist() == [12.0]


@pytest.mark.slow
def test_order_level_amount_alone_is_taken_once_per_order(tmp_path):
    text = ("订单号,客户ID,支付时间,商品名称,订单实付金额\n"
            "o1,c1,2025-01-02,a,100\no1,c1,2025-01-02,b,100\n")
    data = read_orders(write(tmp_path, text))
    assert data.quality.amount_level == "order"
    assert data.orders["amount"].tolist() == [100.0]
    assert data.lines["amount"].isna().all()     # a line's own amount is unknown


# -- values -------------------------------------------------------------------------------

@pytest.mark.slow
def test_amount_texts_parse(tmp_path):
    amounts = ['"¥1,299.00"', "￥88", '"1,299元"', " 12.5 ", "RMB 3"]
    text = "订单号,客户ID,支付时间,实付金额\n" + "".join(
        f"o{i},c1,2025-01-0{i + 1},{a}\n" for i, a in enumerate(amounts))
    data = read_orders(write(tmp_path, text))
    assert data.orders["amount"].tolist() == [1299.0, 88.0, 1299.0, 12.5, 3.0]


@pytest.mark.slow
def test_mixed_date_formats_parse(tmp_path):
    dates = ["2025/3/5 14:03:22", "2025-03-05 14:03", "2025-03-05", "20250305", "2025年3月5日",
             "2025.03.05", "45721"]
    text = "订单号,客户ID,支付时间,实付金额\n" + "".join(f"o{i},c1,{d},1\n" for i, d in enumerate(dates))
    data = read_orders(write(tmp_path, text))
    assert data.quality.unusable == {}
    assert (data.orders["paid_at"].dt.normalize() == pd.Timestamp("2025-03-05")).all()


@pytest.mark.slow
@pytest.mark.parametrize("status,excluded", [
    ("交易关闭", True), ("已关闭", True), ("已取消", True), ("取消", True), ("待付款", True),
    ("未付款", True), ("等待买家付款", True), ("退款成功", True), ("已退款", True), ("全额退款", True),
    ("TRADE_CLOSED", True), ("Cancelled", True), ("refunded", True), ("unpaid", True),
    ("部分退款", False), ("partially refunded", False), ("交易成功", False), ("", False)])
def test_status_decides_exclusion(tmp_path, status, excluded):
    text = f"订单号,客户ID,支付时间,实付金额,交易状态\no1,c1,2025-01-02,10,{status}\no2,c1,2025-01-03,10,\n"
    q = read_orders(write(tmp_path, text)).quality
    assert q.orders_excluded == int(excluded)
    assert q.orders_kept == 2 - int(excluded)


def test_order_with_some_lines_refunded_keeps_the_rest(tmp_path):
    text = ("订单号,客户ID,支付时间,商品实付金额,订单状态\n"
            "o1,c1,2025-01-02,10,已完成\no1,c1,2025-01-02,5,已退款\n")
    data = read_orders(write(tmp_path, text))
    assert data.orders["amount"].tolist() == [10.0] and data.quality.orders_excluded == 0


def test_unusable_rows_are_counted_by_reason(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    text = ("订单号,客户ID,支付时间,实付金额\n"
            ",c1,2025-01-02,1\n"            # missing order id
            "o2,,2025-01-02,1\n"            # missing customer
            "o3,c1,,1\n"                    # missing date
            "o4,c1,yesterday,1\n"           # unparseable date
            f"o5,c1,{future},1\n"           # future date
            "o6,c1,2025-01-02,\n"           # missing amount
            "o7,c1,2025-01-02,abc\n"        # unparseable amount
            "o8,c1,2025-01-02,-3\n"         # negative amount
            "o9,c1,2025-01-02,4\n"
            "o9,c1,2025-01-02,4\n")         # exact duplicate
    data = read_orders(write(tmp_path, text))
    q = data.quality
    assert q.unusable == {r: 1 for r in ("future date", "missing amount", "missing customer", "missing date",
                                         "missing order id", "negative amount", "unparseable amount",
                                         "unparseable date")}
    assert q.duplicates == 1 and q.rows_read == 10
    assert data.orders["amount"].tolist() == [4.0]
    frame = q.to_frame()
    assert list(frame.columns) == ["项目", "数量", "说明"]
    assert "无法使用的行: 金额为负" in frame["项目"].tolist()


def test_excel_text_prefix_and_tabs_are_stripped_from_ids(tmp_path):
    text = '订单号,客户ID,支付时间,实付金额\n"=""E123""\t",c1,2025-01-02,1\n'
    assert read_orders(write(tmp_path, text)).orders["order_id"].tolist() == ["E123"]


def test_tab_separated_file_is_read(tmp_path):
    text = "订单号\t客户ID\t支付时间\t实付金额\no1\tc1\t2025-01-02\t1\n"
    assert len(read_orders(write(tmp_path, text, name="orders.tsv")).orders) == 1


# -- errors ----------------------------------------------------------------------------------

def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="not found") as err:
        read_orders(tmp_path / "nope.csv")
    assert err.value.file.endswith("nope.csv")


def test_empty_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="empty"):
        read_orders(write(tmp_path, ""))


def test_binary_garbage_is_a_data_error(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(DataError, match="not a text table"):
        read_orders(path)


@pytest.mark.parametrize("name,content,message", [
    ("orders.xlsx", b"this is not a zip", "not an XLSX"),
    ("orders.parquet", b"this is not parquet", "not a Parquet"),
    ("orders.xls", b"whatever", "unsupported file type"),
    ("orders.json", b"{}", "unsupported file type")])
def test_wrong_content_or_extension_is_a_data_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_orders(path)


def test_missing_required_column_names_field_aliases_and_headers(tmp_path):
    path = write(tmp_path, "订单号,客户ID,支付时间,备注\no1,c1,2025-01-02,x\n")
    with pytest.raises(DataError) as err:
        read_orders(path)
    msg = err.value.line()
    assert err.value.where == "amount"
    assert "实付金额" in msg and "备注" in msg and str(path) in msg


def test_mapping_to_an_absent_header_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="not in the file"):
        read_orders(write(tmp_path, BASIC), columns={"amount": "应付金额"})


def test_file_without_usable_row_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no usable row"):
        read_orders(write(tmp_path, "订单号,客户ID,支付时间,实付金额\no1,c1,never,1\n"))


def test_header_only_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no rows"):
        read_orders(write(tmp_path, "订单号,客户ID,支付时间,实付金额\n"))


def test_all_orders_excluded_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="excluded by status"):
        read_orders(write(tmp_path, "订单号,客户ID,支付时间,实付金额,订单状态\no1,c1,2025-01-02,1,已取消\n"))


@pytest.mark.slow
def test_gbk_bytes_after_a_pure_ascii_head_are_still_read_as_gbk(tmp_path):
    head = b"order_id,customer_id,date,amount\n"
    body = b"".join(f"o{i},c{i},2025-01-02,1\n".encode() for i in range(300_000))   # > 4 MB of ASCII
    path = tmp_path / "orders.csv"
    path.write_bytes(head + body + "x1,张三,2025-01-03,2\n".encode("gbk"))
    data = read_orders(path)
    assert data.quality.encoding == "gb18030"
    assert "张三" in set(data.orders["customer_id"])


@pytest.mark.slow
def test_odd_values_after_the_sniffed_sample_are_still_parsed(tmp_path):
    rows = "".join(f"o{i},c{i % 97},2025-01-02 10:00:00,{i % 50}.5\n" for i in range(30_000))
    tail = 'x1,c1,2025/3/5 14:03:22,"¥1,299.00"\nx2,c1,never,1\n'
    data = read_orders(write(tmp_path, "order_id,customer_id,paid_at,amount\n" + rows + tail))
    got = data.orders.set_index("order_id")
    assert got.loc["x1", "amount"] == 1299.0 and got.loc["x1", "paid_at"] == pd.Timestamp("2025-03-05 14:03:22")
    assert data.quality.unusable == {"unparseable date": 1}


@pytest.mark.slow
def test_short_rows_are_padded_with_missing_values(tmp_path):
    text = "订单号,客户ID,支付时间,实付金额,门店\no1,c1,2025-01-02,10,静安\no2,c1,2025-01-03,5\n"
    data = read_orders(write(tmp_path, text))
    assert data.orders["store"].isna().tolist() == [False, True]


@pytest.mark.parametrize("value", ["已退款", " 已退款 ", "已完成", "\t已完成", "部分退款", "交易关闭",
                                   "退款成功(全额)", "", None, "closed by buyer", "Partial refund"])
def test_status_rule_on_raw_cells_agrees_with_status_excluded_for_sampled_and_unsampled_values(value):
    # The metrics path decides a raw cell equal to a sampled status by an IN list and
    # cleans every other cell first; both must agree with status_excluded().
    from diag.readers.orders_sql import _excluded_fast, connect, status_excluded

    con = connect()
    try:
        sql = _excluded_fast("v", "VARCHAR", ["已退款", "已完成", "部分退款"])
        got = con.execute(f"SELECT {sql} FROM (SELECT CAST(? AS VARCHAR) AS v)", [value]).fetchone()[0]
    finally:
        con.close()
    cleaned = (value or "").strip(" \t") or None
    assert got is status_excluded(cleaned)


@pytest.mark.slow
def test_metrics_path_counts_a_padded_status_as_excluded_like_the_frame_path(tmp_path):
    from diag.areas.metrics import compute_metrics

    rows = "".join(f"u{i},c{i % 7},2025-02-{1 + i % 27:02d} 10:00,{i + 1},已完成\n" for i in range(30))
    path = write(tmp_path, "订单号,买家手机号,支付时间,实付金额,订单状态\n" + rows
                 + "x1,c1,2025-02-03 10:00,9, 已退款 \nx2,c2,2025-02-04 10:00,9,已退款\n")
    fast, frame = compute_metrics(path), compute_metrics(read_orders(path))
    assert fast["excluded_orders"] == frame["excluded_orders"] == 2
    assert fast["data_quality"]["excluded_by_status"] == {"已退款": 2}
    assert fast["orders"] == frame["orders"] == 30


CLOSED_WITHOUT_PAYMENT = (
    "订单号,买家手机号,付款时间,实付金额,订单状态\n"
    + "".join(f"k{i},c{i % 5},2025-02-{1 + i % 27:02d} 10:00,{i + 10},交易成功\n" for i in range(30))
    + "z1,c1,,40,交易关闭\n"           # closed before payment: no payment time
    "z2,c2,,,待付款\n"                  # unpaid: no time, no amount
    "z3,c3,2025-02-05 10:00,-25,退款成功\n"   # refund row with a negative amount
    "z4,,2025-02-06 10:00,30,已取消\n"  # cancelled, customer left blank
    "z5,c4,,12,交易成功\n")             # a kept order without a date stays unusable


@pytest.mark.slow
@pytest.mark.parametrize("path_kind", ["frame", "metrics"])
def test_closed_or_unpaid_orders_with_blank_cells_count_as_excluded_not_unusable(tmp_path, path_kind):
    from diag.areas.metrics import compute_metrics

    path = write(tmp_path, CLOSED_WITHOUT_PAYMENT)
    m = compute_metrics(read_orders(path) if path_kind == "frame" else path)
    assert m["excluded_orders"] == 4
    assert m["data_quality"]["excluded_by_status"] == {"交易关闭": 1, "待付款": 1, "退款成功": 1, "已取消": 1}
    assert m["data_quality"]["unusable"] == {"missing date": 1}
    assert m["orders"] == 30 and m["gmv"] == pytest.approx(sum(i + 10 for i in range(30)))


def test_an_order_takes_its_date_and_customer_from_its_kept_lines(tmp_path):
    text = ("订单号,客户ID,支付时间,商品实付金额,订单状态,渠道\n"
            "o1,,2025-01-01,5,已退款,门店\n"           # refunded line: earlier date, no customer
            "o1,c9,2025-01-03,10,已完成,小程序\n")
    data = read_orders(write(tmp_path, text))
    order = data.orders.iloc[0]
    assert (order["customer_id"], order["amount"], order["channel"]) == ("c9", 10.0, "小程序")
    assert pd.Timestamp(order["paid_at"]).date() == dt.date(2025, 1, 3)
