"""Cell and layout quirks of real exports: each is read as the consultant means it."""

from __future__ import annotations

import datetime as dt

import pytest

from diag.cli import main
from diag.readers.orders import read_orders

HEAD = "订单号,买家手机号,支付时间,实付金额,订单状态,渠道\n"


def _csv(tmp_path, body: str, head: str = HEAD, name: str = "orders.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes((head + body).encode(encoding))
    return path


@pytest.mark.slow
def test_excel_text_marks_around_ids_and_phones_are_removed_and_long_ids_stay_exact(tmp_path):
    path = _csv(tmp_path, '="2407011234567890123",\t13800000001,2025-01-02 10:00:00,10,交易成功,小程序\n'
                          "\t2407011234567890124,'13800000002,2025-01-03,20,交易成功,小程序\n")
    data = read_orders(path)
    assert list(data.orders["order_id"]) == ["2407011234567890123", "2407011234567890124"]
    assert list(data.orders["customer_id"]) == ["13800000001", "13800000002"]


@pytest.mark.slow
@pytest.mark.parametrize("token", ["-", "--", "—", "null", "无", "NULL", " - "])
def test_placeholder_cell_texts_are_empty(tmp_path, token):
    path = _csv(tmp_path, f"A1,13800000001,2025-01-02,10,交易成功,{token}\nA2,{token},2025-01-03,20,交易成功,群\n")
    data = read_orders(path)
    assert data.quality.unusable == {"missing customer": 1}
    assert data.orders["channel"].isna().all()


@pytest.mark.slow
def test_headers_with_trailing_or_full_width_spaces_are_matched(tmp_path):
    path = _csv(tmp_path, "A1,13800000001,2025-01-02,10,交易成功,群\n",
                head="订单号　,买家手机号 ,支付时间,\u3000实付金额（元）,订单状态,渠道\n")
    q = read_orders(path).quality
    assert q.column_map["amount"].strip("\u3000 ") == "实付金额（元）"
    assert q.column_map["order_id"].strip("\u3000 ") == "订单号" and q.orders_kept == 1


@pytest.mark.slow
@pytest.mark.parametrize("cell, value, annotated", [
    ("¥1,299.00", 1299.0, 0), ("￥88", 88.0, 0), ("66元", 66.0, 0), ("１２３．５０", 123.5, 0),
    ("499.00（系统计算中，该值仅供参考）", 499.0, 1), ("RMB 12.5", 12.5, 0)])
def test_amount_texts_are_read_and_a_note_after_the_number_is_flagged(tmp_path, cell, value, annotated):
    path = _csv(tmp_path, f'A1,13800000001,2025-01-02,"{cell}",交易成功,群\n')
    data = read_orders(path)
    assert data.orders["amount"].tolist() == [value]
    assert data.quality.annotated_amounts == annotated


@pytest.mark.slow
@pytest.mark.parametrize("cell", ["0001-01-01 00:00:00", "1970-01-01 08:00:00", "1900-01-00", "0000-00-00"])
def test_placeholder_dates_are_missing_dates_not_the_year_one(tmp_path, cell):
    path = _csv(tmp_path, f"A1,13800000001,{cell},10,交易成功,群\nA2,13800000002,2025-01-03,20,交易成功,群\n")
    data = read_orders(path)
    assert data.quality.unusable == {"placeholder date": 1}
    assert data.quality.placeholder_dates == 1
    assert data.orders["paid_at"].min() == dt.datetime(2025, 1, 3)


@pytest.mark.slow
def test_excel_serial_dates_in_text_are_read(tmp_path):
    path = _csv(tmp_path, "A1,13800000001,45717.5,10,交易成功,群\n")
    assert read_orders(path).orders["paid_at"].tolist() == [dt.datetime(2025, 3, 1, 12, 0)]


@pytest.mark.slow
def test_mixed_line_ends_a_stray_carriage_return_and_trailing_blank_lines(tmp_path):
    body = "A1,13800000001,2025-01-02,10,交易成功,群\r\nA2,13800000002,2025-01-03,20,交易成功,群\n" \
           "A3,13800000003,2025-01-04,30,交易成功,群\r\n\r\n\n\r"
    for encoding in ("utf-8", "gb18030"):
        data = read_orders(_csv(tmp_path, body, name=f"o-{encoding}.csv", encoding=encoding))
        assert data.quality.orders_kept == 3 and data.quality.unusable == {}
        assert data.orders["amount"].sum() == 60


@pytest.mark.slow
def test_a_row_with_more_cells_than_the_header_is_counted_not_a_parser_message(tmp_path, capsys):
    path = _csv(tmp_path, 'A1,13800000001,2025-01-02,10,交易成功,群\nA2,13800000002,2025-01-03,20,交易成功,群,x,y\n'
                          'A3,13800000003,"2025-01-04,30,交易成功,群\n')
    assert main(["metrics", str(path)]) == 0
    captured = capsys.readouterr()
    assert "state machine" not in captured.err and "Traceback" not in captured.err
    import json

    q = json.loads(captured.out)["data_quality"]
    assert q["unusable"]["malformed row"] == 1 and q["orders_kept"] == 1


def test_title_rows_above_the_header_and_a_total_row_below(tmp_path):
    path = _csv(tmp_path, "A1,13800000001,2025-01-02,10,交易成功,群\nA2,13800000002,2025-01-03,20,交易成功,群\n"
                          "合计,,,30,,\n", head="订单明细\n导出时间: 2025-02-01\n" + HEAD)
    q = read_orders(path).quality
    assert (q.header_row, q.total_rows, q.orders_kept, q.unusable) == (3, 1, 2, {})


@pytest.mark.slow
def test_utf16_tab_separated_unicode_text_is_read(tmp_path):
    path = _csv(tmp_path, "A1\t13800000001\t2025-01-02\t10\t交易成功\t群\n", head=HEAD.replace(",", "\t"),
                name="orders.txt", encoding="utf-16")
    data = read_orders(path)
    assert data.quality.encoding.startswith("utf-16") and data.orders["amount"].tolist() == [10.0]


@pytest.mark.slow
def test_a_workbook_with_date_cells_a_notes_sheet_and_trailing_empty_rows(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["导出说明"])
    ws = wb.create_sheet("订单")
    ws.append(["订单号", "会员手机号", "支付时间", "实付金额", "订单状态"])
    ws.append([2407011234567890, 13800000001, dt.datetime(2025, 1, 2, 9, 30), 10.5, "已完成"])
    ws.append([2407011234567891, 13800000002, dt.date(2025, 1, 3), 20, "已完成"])
    for r in range(4, 2000):
        ws.cell(row=r, column=1).number_format = "0"  # formatted but empty
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    data = read_orders(path)
    assert data.quality.sheet == "订单"
    assert data.orders["order_id"].tolist() == ["2407011234567890", "2407011234567891"]
    assert data.orders["paid_at"].tolist() == [dt.datetime(2025, 1, 2, 9, 30), dt.datetime(2025, 1, 3)]
    assert data.quality.unusable == {}


def _multi_line_rows(repeat_order_amount: bool) -> str:
    rows = []
    for i in range(8):
        lines = [(f"P{k}", 10.0 * (k + 1) + i) for k in range(3)]
        total = sum(a for _, a in lines)
        for name, amount in lines:
            rows.append(f"O{i},1390000000{i % 3},2025-01-0{1 + i % 9} 10:00:00,{name},"
                        f"{total if repeat_order_amount else amount},已完成\n")
    return "".join(rows)


@pytest.mark.slow
def test_an_order_amount_repeated_on_each_line_under_an_ambiguous_header_counts_once(tmp_path):
    head = "主订单编号,收件人手机号,支付完成时间,选购商品,订单应付金额,订单状态\n"
    data = read_orders(_csv(tmp_path, _multi_line_rows(True), head=head))
    expected = sum(3 * 10.0 * 2 + 3 * i for i in range(8))  # (10+20+30) + 3i per order
    assert data.quality.amount_level == "order"
    assert data.orders["amount"].sum() == pytest.approx(expected)


@pytest.mark.slow
def test_an_amount_that_differs_between_an_orders_rows_is_summed_whatever_its_header(tmp_path):
    head = "订单号,买家手机号,支付时间,商品名称,订单金额,订单状态\n"
    data = read_orders(_csv(tmp_path, _multi_line_rows(False), head=head))
    assert data.quality.amount_level == "line"
    assert data.orders["amount"].sum() == pytest.approx(sum(60.0 + 3 * i for i in range(8)))
