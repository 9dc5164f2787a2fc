"""The schema of a platform profile: how one back office lays out its order export.

A profile is data (``templates/platforms/<key>.yaml``); the one reader
(:mod:`diag.readers.orders`) applies it.  Validated completely when loaded, unknown fields
forbidden, so a typo in a firm's own profile is reported with its field path.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from diag.messages import text

#: What a status value means for the figures.
MEANINGS = ("valid", "unpaid", "cancelled", "refunded", "partial_refund")
#: What kind of amount a column holds.
AMOUNT_KINDS = ("paid", "list", "receipt")
#: The kinds in Chinese (``kind.*`` of the ``quality`` catalogue).
AMOUNT_KIND_LABELS = {k: text("quality", f"kind.{k}") for k in AMOUNT_KINDS}
#: Fields a profile may feed (the reader's fields plus the after-sales ones).
PROFILE_FIELDS = ("order_id", "line_id", "customer_id", "paid_at", "status", "channel", "store",
                  "product", "category", "quantity", "refund_status", "refund_flag", "close_reason",
                  "refund_amount")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AmountColumn(_Model):
    """One candidate amount column: its header, its level and what kind of amount it is."""

    header: str
    level: Literal["line", "order"] = "line"
    kind: Literal["paid", "list", "receipt"] = "paid"


class Source(_Model):
    """Where the header set was taken from."""

    title: str
    url: str | None = None
    note: str | None = None


class PlatformProfile(_Model):
    """One platform's order export (千牛 订单报表, 抖店 订单, 有赞 商品维度 …)."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    #: The name in English reports (the Chinese ``name`` when not given).
    name_en: str | None = None
    platform: str
    export: str
    #: Headers that identify the export; detection scores the share of them present.
    signature: list[str] = Field(min_length=2)
    #: ``{field: [header, …]}``; the first header present in the file feeds the field.
    fields: dict[str, list[str]] = {}
    #: Amount candidates, best first (line-level amounts before order-level ones).
    amount: list[AmountColumn] = []
    #: ``{status value: meaning}`` (exact, trimmed); values not listed follow the generic rule.
    statuses: dict[str, Literal["valid", "unpaid", "cancelled", "refunded", "partial_refund"]] = {}
    #: POS exports: a row without a member is a walk-in order, not an unusable row.
    walk_ins: bool = False
    #: An export that cannot feed the figures alone (e.g. 淘宝 宝贝报表): the reason, in Chinese.
    refuse: str | None = None
    encoding: list[str] = ["utf-8"]
    layout: list[str] = []
    quirks: list[str] = []
    sources: list[Source] = Field(min_length=1)

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = [k for k in value if k not in PROFILE_FIELDS]
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(PROFILE_FIELDS)}")
        return value
