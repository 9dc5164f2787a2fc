"""Generator of small order exports in each platform's header set, with their truth.

Each writer lays the same kind of seeded truth (orders with lines, customers, states)
out as that platform's back office does — its column names, status words and habits
(ids as ``="…"`` or led by a tab, title rows and a 合计 row, full refunds only in an
after-sales column, order-level amounts repeated on every line row, walk-ins …).  The
figures a test expects come from :func:`truth`, computed from the generated orders, never
by reading the file back with the kit.

Run ``python tests/exports.py OUT_DIR`` to write one file per platform and print the truth.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

#: Order states: valid, main status unpaid/cancelled/refunded, full refund in the
#: after-sales column only (main status still completed), partial refund (kept).
STATES = ("valid", "valid", "valid", "valid", "unpaid", "cancelled", "refunded", "after_sales", "partial")


@dataclass
class Line:
    product: str
    quantity: int
    amount: float  # what the customer paid for the line


@dataclass
class Order:
    order_id: str
    customer: str | None  # None: a walk-in (POS)
    paid_at: dt.datetime
    state: str
    lines: list[Line] = field(default_factory=list)
    refund: float = 0.0  # partial refund (on the first line)

    @property
    def amount(self) -> float:
        return round(sum(x.amount for x in self.lines), 2)

    @property
    def kept(self) -> bool:
        return self.state in ("valid", "partial")


def make_orders(seed: int, n: int = 40, *, walk_ins: bool = False, multi_line: bool = True,
                id_digits: int = 19) -> list[Order]:
    """Return ``n`` seeded orders over three months; ~25 % walk-ins when ``walk_ins``."""
    rng = random.Random(seed)
    customers = [f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}" for _ in range(14)]
    products = [("面霜", 129.0), ("精华", 299.0), ("洗面奶", 59.9), ("面膜", 89.0), ("防晒", 119.5)]
    start = dt.datetime(2025, 3, 1, 9, 0, 0)
    orders = []
    for i in range(n):
        state = STATES[i % len(STATES)] if i >= 3 else "valid"
        paid = start + dt.timedelta(days=rng.randint(0, 88), minutes=rng.randint(0, 600))
        lines = []
        for name, price in rng.sample(products, rng.randint(1, 3) if multi_line else 1):
            qty = rng.randint(1, 3)
            lines.append(Line(name, qty, round(price * qty * rng.choice((1.0, 0.9, 0.85)), 2)))
        who = None if walk_ins and i % 4 == 1 else customers[i % len(customers) if i % 3 else rng.randrange(5)]
        oid = str(rng.randint(10 ** (id_digits - 1), 10 ** id_digits - 1))
        order = Order(oid, who, paid, state, lines)
        if state == "partial":
            order.refund = round(lines[0].amount / 2, 2)
        orders.append(order)
    return orders


def truth(orders: list[Order]) -> dict[str, object]:
    """Return the contract's figures computed from the generated orders."""
    kept = [o for o in orders if o.kept]
    members = [o for o in kept if o.customer is not None]
    days: dict[str, set[dt.date]] = {}
    for o in members:
        days.setdefault(o.customer, set()).add(o.paid_at.date())
    gmv = round(sum(o.amount - o.refund for o in kept), 2)
    return {
        "orders": len(kept),
        "excluded_orders": len(orders) - len(kept),
        "customers": len(days),
        "gmv": gmv,
        "aov": round(gmv / len(kept), 2),
        "repurchase_rate": round(sum(len(d) >= 2 for d in days.values()) / len(days), 6),
        "first_date": min(o.paid_at for o in kept).date().isoformat(),
        "last_date": max(o.paid_at for o in kept).date().isoformat(),
        "walk_in_orders": sum(o.customer is None for o in kept),
    }


def _ts(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def _write_csv(path: Path, rows: list[list[object]], encoding: str, *, delimiter: str = ",",
               newline: str = "\r\n") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def _write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


# -- one writer per platform ----------------------------------------------------------------

def taobao_orders(path: Path, orders: list[Order]) -> None:
    """千牛 订单报表: one row per order, GB18030, ids as ="…", refunds via 订单关闭原因 / 退款金额."""
    head = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额",
            "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址",
            "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "宝贝总数量", "店铺名称",
            "订单关闭原因", "退款金额"]
    rows: list[list[object]] = [head]
    for o in orders:
        status = {"valid": "交易成功", "partial": "交易成功", "after_sales": "交易成功",
                  "unpaid": "等待买家付款", "cancelled": "交易关闭", "refunded": "交易关闭"}[o.state]
        reason = {"cancelled": "买家不想买了", "refunded": "退款"}.get(o.state, "未关闭")
        refund = {"after_sales": o.amount, "refunded": o.amount, "partial": o.refund}.get(o.state, 0.0)
        paid = "" if o.state == "unpaid" else _ts(o.paid_at)
        rows.append([f'="{o.order_id}"', f"tb_{o.customer}", "", f"{o.amount:.2f}", "0.00", "0", f"{o.amount:.2f}",
                     "0", f"{o.amount:.2f}", "0", status, "null", "张三", "上海市", "", _ts(o.paid_at), paid,
                     "，".join(x.product for x in o.lines), len(o.lines), sum(x.quantity for x in o.lines),
                     "旗舰店", reason, f"{refund:.2f}"])
    _write_csv(path, rows, "gb18030")


def taobao_items(path: Path, orders: list[Order]) -> None:
    """千牛 宝贝报表: no buyer, no paid amount (must be refused)."""
    rows: list[list[object]] = [["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息",
                                 "备注", "订单状态", "商家编码"]]
    for o in orders:
        rows += [[f'="{o.order_id}"', x.product, f"{x.amount / x.quantity:.2f}", x.quantity, "", "", "", "",
                  "交易成功", ""] for x in o.lines]
    _write_csv(path, rows, "gb18030")


def douyin(path: Path, orders: list[Order]) -> None:
    """抖店: one row per sub-order, ids led by a tab, 售后状态 退款成功 while 已完成, `-` for empty,
    one amount with a note after it."""
    head = ["主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商品ID", "商品金额", "订单应付金额",
            "运费", "收件人", "收件人手机号", "订单提交时间", "支付完成时间", "订单完成时间", "订单状态",
            "售后状态", "取消原因", "流量来源", "退款金额"]
    rows: list[list[object]] = [head]
    noted = False
    for o in orders:
        status = {"valid": "已完成", "partial": "已完成", "after_sales": "已完成", "unpaid": "待支付",
                  "cancelled": "已关闭", "refunded": "已关闭"}[o.state]
        for k, x in enumerate(o.lines):
            after = {"after_sales": "退款成功", "refunded": "退款成功"}.get(o.state, "-")
            refund = "-"
            if o.state == "partial" and k == 0:
                after, refund = "退款成功", f"{o.refund:.2f}"
            amount = f"{x.amount:.2f}"
            if not noted and o.state == "valid":
                amount, noted = f"{x.amount:.2f}（系统计算中，该值仅供参考）", True
            cancel = "用户取消" if o.state == "cancelled" else "-"
            rows.append([f"\t{o.order_id}", f"\t{o.order_id}{k}", x.product, "默认", x.quantity, "3521", f"{x.amount:.2f}",
                         amount, "0", "李四", o.customer, _ts(o.paid_at),
                         "-" if o.state == "unpaid" else _ts(o.paid_at), "-", status, after, cancel, "直播", refund])
    _write_csv(path, rows, "utf-8-sig")


def pinduoduo(path: Path, orders: list[Order]) -> None:
    """拼多多: one row per order, (元)/(件) headers, 售后状态 退款成功 with 已收货."""
    head = ["商品", "订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)", "邮费(元)",
            "用户实付金额(元)", "商家实收金额(元)", "商品数量(件)", "收货人", "手机", "订单成交时间", "发货时间",
            "确认收货时间", "商品id", "商品规格", "售后状态", "快递单号", "快递公司"]
    rows: list[list[object]] = [head]
    for o in orders:
        status = {"valid": "已收货", "partial": "已收货", "after_sales": "已收货", "unpaid": "待支付",
                  "cancelled": "已取消", "refunded": "未发货，退款成功"}[o.state]
        after = {"after_sales": "退款成功", "refunded": "退款成功"}.get(o.state, "无售后或售后取消")
        paid = o.amount - (o.refund if o.state == "partial" else 0)  # PDD shows the amount after a refund
        rows.append([o.lines[0].product, f"{o.paid_at:%y%m%d}-{o.order_id[:15]}", status, f"{o.amount:.2f}", "0",
                     "0", "0", f"{paid:.2f}", f"{paid:.2f}", sum(x.quantity for x in o.lines), "王五",
                     o.customer, _ts(o.paid_at), "", "", "88", "默认", after, "", ""])
    _write_csv(path, rows, "gb18030")


def youzan_goods(path: Path, orders: list[Order]) -> None:
    """有赞 商品维度: one row per line, ¥1,299.00 amounts, 商品退款状态 / 商品已退款金额."""
    head = ["订单号", "外部订单号", "订单商品状态", "交易成功时间", "商品名称", "商品规格", "商品单价", "商品数量",
            "商品金额小计", "店铺优惠（分摊）", "商品实际成交金额", "收货人/提货人", "收货人手机号/提货人手机号",
            "买家手机号", "买家付款时间", "商品发货状态", "商品退款状态", "商品已退款金额", "商家订单备注"]
    rows: list[list[object]] = [head]
    for o in orders:
        status = {"valid": "交易成功", "partial": "交易成功", "after_sales": "交易成功", "unpaid": "待付款",
                  "cancelled": "交易关闭", "refunded": "交易关闭"}[o.state]
        for k, x in enumerate(o.lines):
            refund_state, refunded = "--", 0.0
            if o.state in ("after_sales", "refunded"):
                refund_state, refunded = "退款成功", x.amount
            elif o.state == "partial" and k == 0:
                refund_state, refunded = "退款成功", o.refund
            rows.append([f"E{o.order_id}", "", status, "", x.product, "", f"{x.amount / x.quantity:.2f}", x.quantity,
                         f"¥{x.amount:,.2f}", "0", f"¥{x.amount:,.2f}", "赵六", o.customer, f"'{o.customer}",
                         "" if o.state == "unpaid" else _ts(o.paid_at), "已发货", refund_state,
                         f"{refunded:.2f}", ""])
    _write_csv(path, rows, "utf-8-sig")


def jd_pop(path: Path, orders: list[Order]) -> None:
    """京东 POP: one row per SKU with the order-level 应付金额 repeated on each row."""
    head = ["订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额", "结算金额",
            "余额支付", "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址", "联系电话",
            "付款确认时间", "订单完成时间", "订单来源", "订单渠道"]
    rows: list[list[object]] = [head]
    for o in orders:
        status = {"valid": "完成", "partial": "完成", "after_sales": "完成", "unpaid": "等待付款",
                  "cancelled": "已取消", "refunded": "已取消"}[o.state]
        paid = o.amount - (o.refund if o.state == "partial" else 0)
        if o.state == "after_sales":  # JD shows a full after-sales refund as a cancelled order
            status = "已取消"
        for x in o.lines:
            rows.append([o.order_id, "100012", x.product, x.quantity, "在线支付", _ts(o.paid_at),
                         f"{x.amount / x.quantity * 1.2:.2f}", f"{o.amount * 1.1:.2f}", f"{paid * 0.95:.2f}", "0",
                         f"{paid:.2f}", status, "普通订单", f"jd_{o.customer}", "孙七", "北京", "",
                         "" if o.state == "unpaid" else _ts(o.paid_at), "", "京东", "APP"])
    _write_csv(path, rows, "gb18030")


def kuaituantuan(path: Path, orders: list[Order]) -> None:
    """快团团: a workbook, one row per order, 跟团号, Excel serial paid time, phones led by '."""
    head = ["跟团号", "下单人", "团员备注", "支付时间", "团长备注", "商品", "订单金额", "退款金额", "订单状态",
            "自提点", "收货人", "联系电话", "详细地址"]
    rows: list[list[object]] = [head]
    base = dt.datetime(1899, 12, 30)
    for k, o in enumerate(orders):
        status = {"valid": "已支付", "partial": "已支付", "after_sales": "已支付", "unpaid": "待支付",
                  "cancelled": "已取消", "refunded": "已退款"}[o.state]
        refund = {"after_sales": o.amount, "partial": o.refund, "refunded": o.amount}.get(o.state, 0.0)
        serial = round((o.paid_at - base).total_seconds() / 86400, 6)
        rows.append([k + 1, f"团员{o.customer[-4:]}", "", serial, "", "，".join(f"{x.product}×{x.quantity}" for x in o.lines),
                     f"¥{o.amount:.2f}", f"¥{refund:.2f}", status, "一号楼", "周八", f"'{o.customer}", "某小区"])
    _write_xlsx(path, {"订单": rows})


def meituan_pos(path: Path, orders: list[Order]) -> None:
    """美团收银 店内订单明细: a 说明 sheet first; two title rows above the header; real date
    cells; walk-ins without a member; 退单标识 是 while 已结账; a 合计 row."""
    head = ["订单号", "门店名称", "订单来源", "下单时间", "结账时间", "订单状态", "订单金额", "优惠金额", "实收金额",
            "会员手机号", "退单标识"]
    rows: list[list[object]] = [["店内订单明细"], ["门店：全部门店", None, "统计时间：2025-03-01 至 2025-05-31"], head]
    for o in orders:
        status = {"valid": "已结账", "partial": "已结账", "after_sales": "已结账", "unpaid": "未结账",
                  "cancelled": "已取消", "refunded": "已退单"}[o.state]
        flag = "是" if o.state == "after_sales" else "否"
        amount = o.amount - (o.refund if o.state == "partial" else 0)
        rows.append([o.order_id, "南京西路店", "收银POS", o.paid_at, None if o.state == "unpaid" else o.paid_at,
                     status, amount + 10, 10, amount, o.customer or "", flag])
    rows.append(["合计", None, None, None, None, None, None, None, sum(r[8] for r in rows[3:]), None, None])
    _write_xlsx(path, {"说明": [["本报表由美团收银导出"]], "店内订单明细": rows})


def keruyun(path: Path, orders: list[Order]) -> None:
    """客如云: GB18030 CSV, a title and a filter row, a 合计 row, walk-ins, a stray CR at the end."""
    head = ["订单号", "门店名称", "订单来源", "下单时间", "结账时间", "订单状态", "应收金额", "优惠金额", "实收金额",
            "会员手机号", "会员姓名"]
    rows: list[list[object]] = [["订单明细报表"], ["门店: 全部", "日期: 2025-03-01~2025-05-31"], head]
    for o in orders:
        status = {"valid": "已结账", "partial": "已结账", "after_sales": "已退单", "unpaid": "未结账",
                  "cancelled": "已作废", "refunded": "已退单"}[o.state]
        amount = o.amount - (o.refund if o.state == "partial" else 0)
        rows.append([o.order_id, "五角场店", "POS", _ts(o.paid_at), _ts(o.paid_at), status, f"{amount:.2f}", "0.00",
                     f"{amount:.2f}", o.customer or "--", "" if o.customer is None else "会员"])
    rows.append(["合计", "", "", "", "", "", "", "", "", "", ""])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("gb18030") + b"\r")


def yinbao(path: Path, orders: list[Order]) -> None:
    """银豹: Excel "Unicode text" — UTF-16 with BOM, tab separated, one row per item."""
    head = ["单据号", "销售时间", "门店", "会员号", "会员名称", "商品名称", "商品条码", "数量", "实收金额", "收银员",
            "单据类型"]
    rows: list[list[object]] = [head]
    for o in orders:
        kind = {"valid": "销售", "partial": "销售", "after_sales": "退货", "unpaid": "作废",
                "cancelled": "作废", "refunded": "退货"}[o.state]
        for k, x in enumerate(o.lines):
            amount = x.amount - (o.refund if o.state == "partial" and k == 0 else 0)
            rows.append([o.order_id, _ts(o.paid_at), "总店", o.customer or "", "", x.product, "69001", x.quantity,
                         f"{amount:.2f}", "小王", kind])
    _write_csv(path, rows, "utf-16", delimiter="\t")


#: key → (writer, file suffix, make_orders options)
PLATFORMS: dict[str, tuple[Callable[[Path, list[Order]], None], str, dict[str, object]]] = {
    "taobao_orders": (taobao_orders, ".csv", {}),
    "douyin": (douyin, ".csv", {}),
    "pinduoduo": (pinduoduo, ".csv", {"multi_line": False}),
    "youzan_goods": (youzan_goods, ".csv", {}),
    "jd_pop": (jd_pop, ".csv", {"id_digits": 12}),
    "kuaituantuan": (kuaituantuan, ".xlsx", {}),
    "meituan_pos": (meituan_pos, ".xlsx", {"walk_ins": True}),
    "keruyun": (keruyun, ".csv", {"walk_ins": True}),
    "yinbao": (yinbao, ".txt", {"walk_ins": True}),
}


def write(key: str, folder: Path, seed: int = 7) -> tuple[Path, dict[str, object]]:
    """Return the path of ``key``'s export written into ``folder`` and its truth."""
    writer, suffix, options = PLATFORMS[key]
    orders = make_orders(seed, **options)  # type: ignore[arg-type]
    path = folder / f"{key}{suffix}"
    writer(path, orders)
    return path, truth(orders)


if __name__ == "__main__":  # pragma: no cover - a helper for looking at the files by hand
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "exports")
    out.mkdir(parents=True, exist_ok=True)
    for name in PLATFORMS:
        file, figures = write(name, out)
        print(file, json.dumps(figures, ensure_ascii=False))
