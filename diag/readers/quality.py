"""The reader's quality record: what it kept, excluded and could not use, and why.

:class:`Quality` is filled in by :func:`diag.readers.orders.load` and shown by ``diag check``,
``diag metrics --format table`` (:func:`diag.areas.metrics.quality_lines`), the JSON key
``data_quality`` and the report's data-quality table (:meth:`Quality.to_frame`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from diag.platforms.schema import AMOUNT_KIND_LABELS
from diag.readers.meaning import MEANING_ZH

FIELD_LABELS = {"order_id": "订单号", "customer_id": "客户标识", "paid_at": "支付时间", "amount": "金额",
                "status": "订单状态", "channel": "渠道", "store": "门店", "product": "商品", "category": "品类",
                "quantity": "数量", "line_id": "子订单/行号", "refund_status": "售后/退款状态",
                "refund_flag": "退单标识", "close_reason": "关闭原因", "refund_amount": "退款金额"}
REASONS = {
    "missing order id": "缺少订单号",
    "missing customer": "缺少客户标识",
    "missing date": "缺少支付时间",
    "unparseable date": "支付时间无法识别",
    "future date": "支付时间晚于今天",
    "missing amount": "缺少金额",
    "unparseable amount": "金额无法识别",
    "negative amount": "金额为负",
    "placeholder date": "占位日期 (0001-01-01、1970-01-01 等)",
    "malformed row": "格式错误 (单元格多于表头)",
}
#: Rows that are not orders: dropped and counted apart from the unusable rows.
NOT_ROWS = {"blank row": "空行", "total row": "合计/汇总行"}


@dataclass
class Quality:
    """Return-value record of what the reader kept, excluded and could not use."""

    file: str = ""
    platform: str = "通用表头 (未识别平台)"
    profile: str | None = None
    detection: str = ""
    signature_matched: int = 0
    sheet: str | None = None
    header_row: int = 1
    rows_read: int = 0
    orders_kept: int = 0
    orders_excluded: int = 0
    excluded_by_status: dict[str, int] = field(default_factory=dict)
    excluded_by_meaning: dict[str, int] = field(default_factory=dict)
    walk_in_orders: int = 0
    walk_in_gmv: float = 0.0
    unusable: dict[str, int] = field(default_factory=dict)
    total_rows: int = 0
    blank_rows: int = 0
    placeholder_dates: int = 0
    annotated_amounts: int = 0
    partial_refund_lines: int = 0
    duplicates: int = 0
    encoding: str = ""
    column_map: dict[str, str] = field(default_factory=dict)
    amount_level: str = "line"
    amount_kind: str = "paid"
    lines_kept: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain JSON types."""
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.__dict__.items()}

    def to_frame(self) -> pd.DataFrame:
        """Return the summary as a table for the report (项目 / 数量 / 说明)."""
        level = "按订单行汇总商品金额" if self.amount_level == "line" else "取订单级金额 (每单一次)"
        where = (f"工作表「{self.sheet}」, " if self.sheet else "") + f"表头在第 {self.header_row} 行"
        meaning = self.excluded_by_meaning
        rows: list[tuple[str, int | float, str]] = [
            ("平台模板", self.signature_matched,
             f"{self.platform}" + (f" ({self.profile}); {self.detection}" if self.profile else "; 按通用表头对应")),
            ("读取行数", self.rows_read, f"{where}; 编码 {self.encoding}; {level}"),
            ("有效订单", self.orders_kept, "去除无效行与排除状态后的订单数"),
            ("有效订单行", self.lines_kept, "去重后的商品行数"),
            ("按含义排除的订单", self.orders_excluded,
             "; ".join(f"{MEANING_ZH[k]} {v}" for k, v in meaning.items()) or "无"),
            ("按状态排除的订单", self.orders_excluded,
             "; ".join(f"{k} {v}" for k, v in self.excluded_by_status.items()) or "无"),
        ]
        if self.walk_in_orders:
            rows.append(("散客订单 (无会员)", self.walk_in_orders,
                         f"计入订单数与 GMV (¥{self.walk_in_gmv:,.2f}), 不计入客户、复购与 RFM"))
        if self.partial_refund_lines:
            rows.append(("部分退款的行", self.partial_refund_lines, "保留, 已扣除退款金额"))
        for reason, count in self.unusable.items():
            rows.append((f"无法使用的行: {REASONS.get(reason, reason)}", count, "已计数, 未计入指标"))
        rows.append(("合计/汇总行", self.total_rows, "已去除, 未计入指标"))
        rows.append(("空行", self.blank_rows, "已跳过"))
        rows.append(("占位日期", self.placeholder_dates, "如 0001-01-01、1970-01-01, 视为缺失日期"))
        rows.append(("带注释的金额", self.annotated_amounts, "如 499.00（…仅供参考）, 取开头的数字"))
        rows.append(("完全重复的行", self.duplicates, "仅保留一行"))
        kind = AMOUNT_KIND_LABELS.get(self.amount_kind, self.amount_kind)
        rows.append(("字段对应", len(self.column_map),
                     ", ".join(f"{FIELD_LABELS.get(k, k)}←{v}" for k, v in self.column_map.items())
                     + f"; 金额为{kind}"))
        return pd.DataFrame(rows, columns=["项目", "数量", "说明"])
