"""Interpret what clients really type into a form: ``约5000人``, ``3万``, ``1.2w``, ``¥1,299``, ``30%``.

One rule throughout: a value is returned only when the text has one clear reading.
Anything else (a range, a bound such as ``5000以上``, a percentage where an amount is
asked, words) raises :class:`AnswerError` carrying the reason and, where one exists,
a suggestion for the consultant — never a silent guess.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import Decimal
from typing import Any, Iterable

__all__ = ["AnswerError", "parse_number", "parse_list", "parse_mapping", "parse_bool",
           "parse_choice", "parse_date", "normalize"]


class AnswerError(ValueError):
    """An answer with no single clear reading; ``suggestion`` is a hint for the consultant."""

    def __init__(self, reason: str, suggestion: str | None = None) -> None:
        self.reason = reason
        self.suggestion = suggestion
        super().__init__(reason if suggestion is None else f"{reason}; {suggestion}")


def normalize(text: str) -> str:
    """Return ``text`` with full-width digits, letters and punctuation made half-width, trimmed."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip()


# Approximation words mean "about this number" — taken as the number.
_APPROX = re.compile(r"^(?:约|大约|大概|差不多|将近|接近|近|约莫|估计|预计|预估|about|approx\.?|~|≈)\s*", re.I)
_APPROX_TAIL = re.compile(r"\s*(?:左右|上下|前后)$")
# Bounds ("more than 5000") do not give one number.
_BOUND = re.compile(r"(以上|以下|以内|不到|不足|超过|多于|少于|至少|最多|不少于|\+$|>|<|≥|≤|^多|^上)")
_FUZZY_TAIL = re.compile(r"(?<=\d)多")   # 5000多人
_MULTIPLIERS = {"亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
                "万": Decimal(10) ** 4, "w": Decimal(10) ** 4, "千": Decimal(1000),
                "k": Decimal(1000), "百": Decimal(100)}
_CURRENCY = re.compile(r"^(?:¥|¥|rmb|cny|人民币)\s*|\s*(?:元|块钱|块|rmb|cny)$", re.I)
_UNIT_NOUNS = ("人次", "个人", "人", "位", "名", "个", "家", "间", "单", "笔", "件", "群", "份", "条",
               "次", "粉", "户", "店")
_DAY_UNITS = {"天": 1, "日": 1, "周": 7, "星期": 7, "个月": 30, "月": 30, "年": 365}
_RANGE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(?:-|~|—|–|至|到|～)\s*(\d+(?:\.\d+)?)(.*)$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _chinese_numeral(text: str) -> Decimal | None:
    """Return the value of a spoken Chinese numeral (三, 十二, 三千五百, 两万五, 一万零五) or ``None``.

    A bare digit right after a unit counts in tenths of that unit, as it is spoken:
    两千五 is 2500, 两万五 25000, 两亿五 250000000, 百五 150.  After 零 it is units
    again: 一万零五 is 10005.
    """
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch not in "万亿" for ch in text):
        return None
    total, section, digit = 0, 0, None
    previous_unit = 0  # value of the unit written just before the current digit; 0 after a digit or 零
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
            if ch in "零〇":
                previous_unit = 0
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit, previous_unit = None, _CN_UNITS[ch]
        elif ch == "万":
            total += ((section + (digit or 0)) or 1) * 10_000
            section, digit, previous_unit = 0, None, 10_000
        else:  # 亿 scales everything before it (一万亿 is 10^12)
            total = ((total + section + (digit or 0)) or 1) * 100_000_000
            section, digit, previous_unit = 0, None, 100_000_000
    if digit is not None and previous_unit >= 100 and text[-1] not in "零〇":
        digit *= previous_unit // 10  # 两万五 is 25000, not 20005
    return Decimal(total + section + (digit or 0))


def _plain(text: str, kind: str) -> Decimal:
    """Return the number in ``text`` (no ranges, bounds or approximations left) or raise."""
    text = _CURRENCY.sub("", text).strip()
    for units, unit_days in (_DAY_UNITS.items() if kind == "days" else ()):
        if text.endswith(units) and text[: -len(units)].strip():
            return _plain(text[: -len(units)].strip(), "number") * unit_days
    if kind == "months":
        for unit in ("个月", "月"):
            if text.endswith(unit):
                text = text[: -len(unit)].strip()
                break
        if text.endswith("年") and text[:-1].strip():
            return _plain(text[:-1].strip(), "number") * 12
    for noun in _UNIT_NOUNS:
        if text.endswith(noun) and text[: -len(noun)].strip():
            text = text[: -len(noun)].strip()
            break
    text = _CURRENCY.sub("", text).strip()
    numeral = _chinese_numeral(text)
    if numeral is not None:
        return numeral
    factor = Decimal(1)
    lowered = text.lower()
    for word, mult in _MULTIPLIERS.items():
        if lowered.endswith(word) and lowered[: -len(word)].strip():
            factor, text = mult, text[: -len(word)].strip()
            break
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if _NUMBER.match(text):
        return Decimal(text) * factor
    numeral = _chinese_numeral(text)
    if numeral is not None:
        return numeral * factor
    raise AnswerError("不是可识别的数字")


def _to_output(value: Decimal, kind: str) -> int | float:
    if kind in ("count", "months"):
        if value != value.to_integral_value():
            raise AnswerError("应为整数", suggestion=f"约 {round(value)}？")
        return int(value)
    return float(value)


def parse_number(value: Any, *, kind: str = "number") -> int | float:
    """Return the one number a client's answer means, or raise :class:`AnswerError`.

    ``kind`` is ``number``, ``money`` (yuan), ``count`` (whole number), ``days``
    (``3个月`` → 90, ``2周`` → 14), ``months`` (``1年`` → 12) or ``share`` (0–1:
    ``30%`` / ``３０％`` / ``3成`` → 0.3; a bare 30 is not taken as 30 %).

    Accepted: thousands separators (``1,299``), currency (``¥``, ``元``), units of
    count (``人``, ``家``, ``个``, …), multipliers (``万``/``w``, ``千``/``k``, ``亿``),
    approximations (``约``, ``大概``, ``左右``), small Chinese numerals (``三万``),
    full-width characters.  Ranges (``100-200``), bounds (``5000以上``, ``5000+``,
    ``5000多``) and anything else raise, with a suggestion where one is obvious.
    """
    if isinstance(value, bool):
        raise AnswerError("应为数字，却是是/否")
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        # Excel turns "3-5" or "3/5" into a date as the client types it
        raise AnswerError("Excel 把这个回答存成了日期，原本的数字已无法确定", suggestion="请向客户确认原本填写的数字")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
        if kind == "share" and number > 1:
            raise AnswerError("比例应在 0–100% 之间", suggestion=f"是否为 {value:g}%？")
        return _to_output(number, kind)
    if value is None:
        raise AnswerError("空白")
    text = normalize(str(value))
    if not text:
        raise AnswerError("空白")
    text = _APPROX_TAIL.sub("", _APPROX.sub("", text))
    compact = text.replace(" ", "")
    probe = compact.replace("%", "")
    rng = _RANGE.match(probe)
    if rng and not probe.startswith("-"):
        lo, hi, tail = rng.groups()
        unit_kind = "number" if kind == "share" else kind
        try:
            low, high = _plain(lo + tail, unit_kind), _plain(hi + tail, unit_kind)
        except AnswerError:
            low, high = Decimal(lo), Decimal(hi)
        if "%" in compact:
            low, high = low / 100, high / 100
        mid = (low + high) / 2
        raise AnswerError("填写的是区间，不是一个数", suggestion=f"区间中点为 {mid.normalize():f}，请与客户确认")
    if _BOUND.search(compact) or _FUZZY_TAIL.search(compact):
        digits = re.search(r"\d+(?:\.\d+)?", compact)
        hint = f"请确认具体数值（填写的是大致范围，参考 {digits.group(0)}）" if digits else None
        raise AnswerError("填写的是上下限，不是一个数", suggestion=hint)
    if kind == "share":
        if compact.endswith("%"):
            number = _plain(compact[:-1], "number") / 100
        elif compact.endswith("成") and compact[:-1]:
            number = _plain(compact[:-1], "number") / 10
        else:
            number = _plain(compact, "number")
            if number > 1:
                raise AnswerError("比例应在 0–100% 之间", suggestion=f"是否为 {number.normalize():f}%？")
        if not 0 <= number <= 1:
            raise AnswerError("比例应在 0–100% 之间")
        return float(number)
    if compact.endswith("%"):
        raise AnswerError("此处应为数值，填写的是百分比")
    return _to_output(_plain(compact, kind), kind)


_SEPARATORS = re.compile(r"[、,，;；\n/|]+")


def parse_list(value: Any) -> list[str]:
    """Return the items of a list answer (separated by 、 , ， ; ； / | or new lines)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).replace("\u3000", " ")
    return [item.strip() for item in _SEPARATORS.split(text) if item.strip()]


def parse_mapping(value: Any) -> dict[str, str]:
    """Return ``key: value`` pairs (``奶粉: 25%；纸尿裤: 30%`` or ``amount=实收金额``) as text."""
    if value is None or not str(value).strip():
        return {}
    out: dict[str, str] = {}
    for part in re.split(r"[;；\n]+", str(value)):
        if not part.strip():
            continue
        match = re.match(r"^\s*([^:：=]+?)\s*[:：=]\s*(.+?)\s*$", part)
        if not match:
            raise AnswerError(f"「{part.strip()}」不是「名称: 值」的格式")
        out[match.group(1)] = match.group(2)
    return out


_YES = {"是", "有", "已有", "已开通", "开通", "yes", "y", "true", "1", "√", "✓", "对"}
_NO = {"否", "无", "没有", "未开通", "没", "no", "n", "false", "0", "×", "✗", "不是"}


def parse_bool(value: Any) -> bool:
    """Return ``True`` / ``False`` for 是 / 否 (有 / 无, yes / no, …)."""
    if isinstance(value, bool):
        return value
    text = normalize(str(value)).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise AnswerError("应为 是 / 否")


def parse_choice(value: Any, choices: Iterable[str], english: dict[str, str] | None = None) -> str:
    """Return the enumeration value meant by ``value`` (the Chinese value, its English name,
    or either followed by a note in brackets)."""
    choices = list(choices)
    text = normalize(str(value))
    text = re.split(r"[（(]", text)[0].strip() or text
    if text in choices:
        return text
    for choice in choices:
        if english and english.get(choice, "").lower() == text.lower():
            return choice
    raise AnswerError(f"应为 {' / '.join(choices)} 之一")


def parse_date(value: Any) -> _dt.date:
    """Return the date of ``2024-06-30``, ``2024/6/30``, ``2024年6月30日`` or an Excel date cell."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = normalize(str(value))
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", text)
    if match:
        try:
            return _dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise AnswerError("应为日期，格式 2024-06-30")


def as_text(value: Any) -> str:
    """Return a cell value as text (whole floats without ``.0``, dates as ISO)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()

