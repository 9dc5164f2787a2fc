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

    def to_frame(self, lang: str = "zh") -> pd.DataFrame:
        """Return the summary as a table for the report (项目 / 数量 / 说明), headers and items in ``lang``.

        Platform names, statuses and header names are printed as the export gives them.
        """
        from diag.messages import messages

        t = messages("diagnosis", lang)
        english = lang != "zh"
        level = t("quality.level_line" if self.amount_level == "line" else "quality.level_order")
        where = (t("quality.sheet", sheet=self.sheet) if self.sheet else "") + t("quality.header_row", row=self.header_row)
        meaning = self.excluded_by_meaning
        sep = t("quality.sep")
        rows: list[tuple[str, int | float, str]] = [
            (t("quality.platform"), self.signature_matched,
             f"{self.platform}" + (f" ({self.profile}); {self.detection}" if self.profile else t("quality.generic"))),
            (t("quality.rows_read"), self.rows_read, t("quality.rows_read.note", where=where, encoding=self.encoding,
                                                        level=level)),
            (t("quality.orders_kept"), self.orders_kept, t("quality.orders_kept.note")),
            (t("quality.lines_kept"), self.lines_kept, t("quality.lines_kept.note")),
            (t("quality.by_meaning"), self.orders_excluded,
             sep.join(f"{k if english else MEANING_ZH[k]} {v}" for k, v in meaning.items()) or t("quality.none")),
            (t("quality.by_status"), self.orders_excluded,
             sep.join(f"{k} {v}" for k, v in self.excluded_by_status.items()) or t("quality.none")),
        ]
        if self.walk_in_orders:
            rows.append((t("quality.walk_in"), self.walk_in_orders, t("quality.walk_in.note", gmv=self.walk_in_gmv)))
        if self.partial_refund_lines:
            rows.append((t("quality.partial_refund"), self.partial_refund_lines, t("quality.partial_refund.note")))
        for reason, count in self.unusable.items():
            rows.append((t("quality.unusable", reason=reason if english else REASONS.get(reason, reason)), count,
                         t("quality.unusable.note")))
        for key, count in (("total_rows", self.total_rows), ("blank_rows", self.blank_rows),
                           ("placeholder_dates", self.placeholder_dates),
                           ("annotated_amounts", self.annotated_amounts), ("duplicates", self.duplicates)):
            rows.append((t(f"quality.{key}"), count, t(f"quality.{key}.note")))
        kind = self.amount_kind if english else AMOUNT_KIND_LABELS.get(self.amount_kind, self.amount_kind)
        fields = ", ".join(f"{k if english else FIELD_LABELS.get(k, k)}←{v}" for k, v in self.column_map.items())
        rows.append((t("quality.column_map"), len(self.column_map), fields + t("quality.amount_kind", kind=kind)))
        return pd.DataFrame(rows, columns=[t("quality.col.item"), t("quality.col.count"), t("quality.col.note")])
