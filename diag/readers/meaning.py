"""What a row means for the figures: the status rule, full and partial refunds.

* **Status** — a line whose status says closed, cancelled, unpaid or fully refunded is
  excluded (:data:`EXCLUDED_STATUS`; :data:`KEPT_STATUS` such as 部分退款 wins).  A
  platform profile's vocabulary (exact values with their meaning) is consulted first.
* **Full refund in an after-sales column** — a line is excluded, whatever its main
  status, when its refunded amount is at least its amount, or (no refunded amount
  given) when the after-sales / refund status says the refund succeeded
  (:data:`FULL_REFUND`), a refund flag says yes (退单标识 = 是), or the close reason names
  a refund (订单关闭原因 = 退款).
* **Partial refund** — a refunded amount above zero and below the amount: the line is
  kept and the refunded amount is subtracted.

Patterns are plain words, so the same pattern runs in Python's ``re`` and DuckDB's RE2.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

#: Status words that exclude a line (lower-cased substrings); KEPT_STATUS wins over them.
EXCLUDED_STATUS = ("交易关闭", "已关闭", "关闭", "已取消", "取消", "待付款", "未付款", "待支付", "未支付",
                   "等待买家付款", "等待付款", "未结账", "退款成功", "已退款", "全额退款", "已退单", "作废",
                   "closed", "cancel", "refunded", "unpaid", "wait_buyer_pay", "pending payment",
                   "no_create_pay", "void")
KEPT_STATUS = ("部分退款", "partial")
UNPAID_WORDS = ("待付款", "未付款", "待支付", "未支付", "等待买家付款", "等待付款", "未结账", "unpaid",
                "wait_buyer_pay", "pending payment", "no_create_pay")
REFUND_WORDS = ("退款成功", "已退款", "全额退款", "退款完成", "已退单", "退货", "refunded")
#: After-sales / refund status texts that mean the whole line was refunded.
FULL_REFUND = ("退款成功", "退款完成", "已退款", "全额退款", "全部退款", "退货退款成功", "仅退款成功",
               "已退单", "退单成功", "refunded", "refund_success")
#: Refund flags that mean yes.
FLAG_YES = ("是", "y", "yes", "true", "1", "已退单", "退单", "已退款")
#: Close reasons that name a refund.
REFUND_REASON = ("退款", "退单", "退货")

#: The status text given to a line excluded by an after-sales / refund column.
REFUND_COLUMN_STATUS = "全额退款 (售后/退款列)"

_EXCLUDED_RE = re.compile("|".join(EXCLUDED_STATUS), re.IGNORECASE)
_KEPT_RE = re.compile("|".join(KEPT_STATUS), re.IGNORECASE)
_UNPAID_RE = re.compile("|".join(UNPAID_WORDS), re.IGNORECASE)
_REFUND_RE = re.compile("|".join(REFUND_WORDS), re.IGNORECASE)
_FULL_RE = re.compile("|".join(FULL_REFUND), re.IGNORECASE)


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def status_excluded(status: object, vocabulary: Mapping[str, str] | None = None) -> bool:
    """Return True when a status text says closed, cancelled, unpaid or fully refunded.

    ``vocabulary`` (a profile's ``{value: meaning}``) decides the values it lists.
    """
    if status is None or (isinstance(status, float) and status != status):
        return False
    text = str(status).strip()
    if vocabulary and text in vocabulary:
        return vocabulary[text] in ("unpaid", "cancelled", "refunded")
    return bool(_EXCLUDED_RE.search(text)) and not _KEPT_RE.search(text)


def status_meaning(status: object, vocabulary: Mapping[str, str] | None = None) -> str:
    """Return why an excluded status is excluded: 'unpaid', 'cancelled' or 'refunded'."""
    text = str(status).strip()
    if vocabulary and vocabulary.get(text) in ("unpaid", "cancelled", "refunded"):
        return vocabulary[text]
    if _REFUND_RE.search(text):
        return "refunded"
    if _UNPAID_RE.search(text):
        return "unpaid"
    return "cancelled"


def excluded_sql(status: str, seen: list[str], decide: Callable[[object], bool]) -> str:
    """Return SQL for ``decide`` of a cleaned status: the statuses seen in a sample (and a
    profile's vocabulary) by a fast IN list, any other value by the generic patterns."""
    out = []
    for flag in (True, False):
        values = [v for v in seen if decide(v) is flag]
        if values:
            out.append(f"WHEN {status} IN ({', '.join(map(_sql_str, values))}) THEN {str(flag).lower()}")
    regex = (f"regexp_matches({status}, {_sql_str('(?i)' + _EXCLUDED_RE.pattern)}) AND NOT "
             f"regexp_matches({status}, {_sql_str('(?i)' + _KEPT_RE.pattern)})")
    return f"CASE WHEN {status} IS NULL THEN false {' '.join(out)} ELSE {regex} END"


def refund_sql(amount: str, refund_amount: str | None, refund_status: str | None,
               refund_flag: str | None, close_reason: str | None) -> tuple[str, str]:
    """Return SQL for (full refund, partial refunded amount) of a line.

    Arguments are SQL expressions of the parsed amount and cleaned after-sales cells
    (None when the file has no such column).
    """
    by_text = []
    if refund_status:
        by_text.append(f"(regexp_matches({refund_status}, {_sql_str('(?i)' + _FULL_RE.pattern)}) AND NOT "
                       f"regexp_matches({refund_status}, {_sql_str('(?i)' + _KEPT_RE.pattern)}))")
    if refund_flag:
        by_text.append(f"lower({refund_flag}) IN ({', '.join(map(_sql_str, FLAG_YES))})")
    if close_reason:
        by_text.append(f"regexp_matches({close_reason}, {_sql_str('|'.join(REFUND_REASON))})")
    text = " OR ".join(by_text) or "false"
    if refund_amount is None:
        return f"coalesce({text}, false)", "NULL"
    full = (f"coalesce(CASE WHEN {refund_amount} > 0 THEN {refund_amount} >= {amount} - 0.005 "
            f"ELSE {text} END, false)")
    partial = f"CASE WHEN {refund_amount} > 0 AND {refund_amount} < {amount} - 0.005 THEN {refund_amount} END"
    return full, partial
