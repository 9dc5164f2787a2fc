"""The reader's quality record: what it kept, excluded and could not use, and why.

:class:`Quality` is filled in by :func:`diag.readers.orders.load` and shown by ``diag check``,
``diag metrics --format table`` (:func:`diag.areas.metrics.quality_rows`), the JSON key
``data_quality`` and the report's data-quality table (:meth:`Quality.to_frame`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from diag.messages import Messages, messages, text
from diag.platforms.registry import known_platforms, load_platform

#: The reader's fields in Chinese (their English words are the catalogue's ``field.*``).
FIELD_LABELS = {k: text("quality", f"field.{k}") for k in (
    "order_id", "customer_id", "paid_at", "amount", "status", "channel", "store", "product", "category",
    "quantity", "line_id", "refund_status", "refund_flag", "close_reason", "refund_amount")}
#: Why a row could not be used, in Chinese (``reason.*`` in the catalogue).
REASONS = {k: text("quality", f"reason.{k}") for k in (
    "missing order id", "missing customer", "missing date", "unparseable date", "future date", "missing amount",
    "unparseable amount", "negative amount", "placeholder date", "malformed row")}
#: Rows that are not orders: dropped and counted apart from the unusable rows.
NOT_ROWS = {"blank row": "空行", "total row": "合计/汇总行"}


@dataclass
class Quality:
    """Return-value record of what the reader kept, excluded and could not use."""

    file: str = ""
    platform: str = text("quality", "generic_platform")
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

        Statuses and header names are printed as the export gives them; the platform and the
        kit's own words (fields, reasons, meanings, amount kinds) in ``lang``.
        """
        t = messages("quality", lang)
        level = t("level_line" if self.amount_level == "line" else "level_order")
        where = (t("sheet", sheet=self.sheet) if self.sheet else "") + t("header_row", row=self.header_row)
        sep = t("sep")
        rows: list[tuple[str, int | float, str]] = [
            (t("platform"), self.signature_matched, self._platform_words(t)),
            (t("rows_read"), self.rows_read, t("rows_read.note", where=where, encoding=self.encoding, level=level)),
            (t("orders_kept"), self.orders_kept, t("orders_kept.note")),
            (t("lines_kept"), self.lines_kept, t("lines_kept.note")),
            (t("by_meaning"), self.orders_excluded,
             sep.join(f"{_kit_word(t, 'meaning', k)} {v}" for k, v in self.excluded_by_meaning.items())
             or t("none")),
            (t("by_status"), self.orders_excluded,
             sep.join(f"{k} {v}" for k, v in self.excluded_by_status.items()) or t("none")),
        ]
        if self.walk_in_orders:
            rows.append((t("walk_in"), self.walk_in_orders, t("walk_in.note", gmv=self.walk_in_gmv)))
        if self.partial_refund_lines:
            rows.append((t("partial_refund"), self.partial_refund_lines, t("partial_refund.note")))
        for reason, count in self.unusable.items():
            rows.append((t("unusable", reason=_kit_word(t, "reason", reason)), count, t("unusable.note")))
        for key, count in (("total_rows", self.total_rows), ("blank_rows", self.blank_rows),
                           ("placeholder_dates", self.placeholder_dates),
                           ("annotated_amounts", self.annotated_amounts), ("duplicates", self.duplicates)):
            rows.append((t(key), count, t(f"{key}.note")))
        fields = ", ".join(f"{_kit_word(t, 'field', k)}←{v}" for k, v in self.column_map.items())
        rows.append((t("column_map"), len(self.column_map),
                     fields + t("amount_kind", kind=_kit_word(t, "kind", self.amount_kind))))
        return pd.DataFrame(rows, columns=[t("col.item"), t("col.count"), t("col.note")])

    def _platform_words(self, t: Messages) -> str:
        """Return the platform cell: the profile's name in ``t``'s language, its key and how it was found."""
        if not self.profile:
            return (t("generic_platform") if self.platform == text("quality", "generic_platform") else self.platform) \
                + t("generic")
        if t.lang == "zh":
            return f"{self.platform} ({self.profile}); {self.detection}"
        path = known_platforms().get(self.profile)
        profile = load_platform(path) if path is not None else None
        name = (profile.name_en or profile.name) if profile is not None else self.platform
        total = len(profile.signature) if profile is not None else 0
        found = t("detected", matched=self.signature_matched, total=total) if total else self.detection
        return f"{name} ({self.profile}); {found}"


def _kit_word(t: Messages, kind: str, key: str) -> str:
    """Return the catalogue's word ``kind.key`` in ``t``'s language, the key itself when it has none."""
    return t(f"{kind}.{key}") if t.has(f"{kind}.{key}") else key
