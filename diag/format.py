"""Formatting of recorded values for print: numbers, amounts shortened for charts, table cells, text widths."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

DASH = "—"

try:  # pandas' missing value, when pandas is there (it always is in a run)
    from pandas import NA as _NA
except ImportError:  # pragma: no cover
    _NA = object()

# Column names that hold shares (0–1 floats everywhere in the kit) and print as percent.
_SHARE_NAME = re.compile(r"(率|占比|份额|比例|share|rate|ratio|pct|%)", re.IGNORECASE)
_CJK_UNIT = re.compile(r"^[\u3000-\u9fff\uff00-\uffef%‰]")


def format_value(value: Any, fmt: str = "{:,.2f}", unit: str = "") -> str:
    """Return a recorded number as printed: ``fmt`` applied, ``unit`` appended, None → "—".

    Strings are printed as they are; a format that does not fit the value falls
    back to ``str``.  A unit that starts with a CJK character or ``%`` follows the
    number directly (``12.5天``), any other unit after a space (``12.5 kg``).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if isinstance(value, str):
        text = value
    else:
        try:
            text = (fmt or "{}").format(value)
        except (ValueError, TypeError, IndexError, KeyError):
            text = str(value)
    if unit:
        text = f"{text}{unit}" if _CJK_UNIT.match(unit) else f"{text} {unit}"
    return text


#: Default decimals per kind of number (see :func:`format_number`).
_DIGITS = {"share": 1, "yuan": 0, "count": 0, "people": 0, "days": 0, "minutes": 1, "ratio": 2}
#: Units after a number, per language.
_SUFFIX = {"zh": {"people": "人", "days": "天", "minutes": "分钟"},
           "en": {"people": " people", "days": " days", "minutes": " min"}}


def _missing(value: Any) -> bool:
    """Return True for a number that cannot print: None, pandas' NA, NaN or an infinity."""
    return value is None or value is _NA or (isinstance(value, float) and not math.isfinite(value))


#: Short amounts per language, largest first: (from, divisor, suffix).
_SHORT_YUAN: dict[str, tuple[tuple[float, float, str], ...]] = {
    "zh": ((1e8, 1e8, "亿"), (1e4, 1e4, "万")),
    "en": ((1e6, 1e6, "M"), (1e4, 1e3, "k")),
}


def format_yuan_short(value: Any, lang: str = "zh", *, digits: int = 1, missing: str = DASH) -> str:
    """Return an amount in yuan shortened for a chart label or tick, the sign before ``¥``.

    Chinese counts in 万 and 亿 (``¥8,000``, ``¥12.3万``, ``¥1.2亿``), other languages in
    k and M (``¥8,000``, ``¥12.3k``, ``¥1.2M``); ``digits`` decimals, whole yuan below 10,000.  None, NaN, infinities and pandas' NA print as ``missing``.  ``lang`` words the unit (``30 days`` in English).
    """
    if _missing(value):
        return missing
    amount = float(value)
    sign, size = ("-" if amount < 0 else ""), abs(amount)
    for start, divisor, suffix in _SHORT_YUAN["zh" if lang == "zh" else "en"]:
        if size >= start:
            return f"{sign}¥{size / divisor:,.{digits}f}{suffix}"
    return f"{sign}¥{size:,.0f}"


def format_number(value: Any, kind: str = "ratio", *, digits: int | None = None, missing: str = DASH,
                  lang: str = "zh") -> str:
    """Return a number for prose and tables: the kit's one formatter of kinds of numbers.

    ``kind`` is ``share`` (0–1, printed as percent: ``32.7%``), ``yuan`` (``¥1,299``),
    ``count`` (``1,299``), ``people`` (``1,299人``), ``days`` (``30天``), ``minutes``
    (``16.5分钟``) or ``ratio`` (anything else: ``1.98``); ``digits`` overrides the kind's decimals.  None, NaN,
    infinities and pandas' NA print as ``missing``.
    """
    if _missing(value):
        return missing
    d = _DIGITS.get(kind, 2) if digits is None else digits
    if kind == "share":
        return f"{value:.{d}%}"
    if kind == "yuan":
        return f"¥{value:,.{d}f}"
    return f"{value:,.{d}f}{_SUFFIX['zh' if lang == 'zh' else 'en'].get(kind, '')}"


def is_number(value: Any) -> bool:
    """Return True for int / float cell values (bools excluded)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def share_column(name: str, values: list[Any], *, context: str = "") -> bool:
    """Return True when a column reads as a share (0–1 floats everywhere in the kit).

    Its name says so (率, 占比, share, …) and every number is in [0, 1]; or the
    table's title says so and every number is a float in [0, 1], not all whole
    (a cohort table titled 留存率 with columns 第1月, 第2月, …).
    """
    numbers = [v for v in values if is_number(v) and not (isinstance(v, float) and math.isnan(v))]
    if not numbers or not all(0 <= v <= 1 for v in numbers):
        return False
    if _SHARE_NAME.search(name):
        return True
    return (bool(_SHARE_NAME.search(context)) and all(isinstance(v, float) for v in numbers)
            and any(not v.is_integer() for v in numbers))


def format_cell(value: Any, *, share: bool = False) -> str:
    """Return a table cell as printed: thousands separators, percent for share columns."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if share:
            return f"{value:.1%}"
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:,.0f}"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:,.2f}"
        return f"{value:.3g}"
    if isinstance(value, (list, dict)):
        return str(value)
    return str(value)


def text_width(text: str) -> int:
    """Return the printed width of ``text`` in half-width units (CJK and full-width count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
