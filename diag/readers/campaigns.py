"""Read a campaigns (活动) file: one row per activity, Chinese or English headers.

A brief's ``data.campaigns`` names a CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX with
the columns below (case- and space-insensitive aliases).  Required: 活动名称, 活动类型,
开始日期, 结束日期, 成本, 目标GMV; the rest are optional and feed the review rates
(:mod:`diag.areas.review`).  A cell left blank in an optional column, or in 成本 /
目标GMV, means "not known" (the figure it feeds says 无数据); a cell that cannot be read
is bad input: :class:`~diag.errors.DataError` naming the file, the row and the column.

=============  ==========================================  =====================
field          aliases (at least)                          kind
=============  ==========================================  =====================
name           活动名称, 活动, 名称, name, campaign          text, unique
type           活动类型, 类型, type, campaign_type           text (may be blank)
start / end    开始日期, 结束日期, start, end, start_date …   date, end ≥ start
cost           成本, 活动成本, 费用, 投入, cost, spend         yuan ≥ 0
target_gmv     目标GMV, GMV目标, 目标销售额, target_gmv       yuan ≥ 0
target_new     目标新客数, 新客目标, target_new_customers     count
reached        触达人数, 触达, reached, reach                 count
new_friends    新增好友, 新增好友数, 加好友数, new_friends     count
group_joins    入群人数, 新增入群, group_joins, joins         count
participants   参与人数, participants                         count
referrals      推荐人数, 裂变人数, 邀请人数, referrals         count
store          门店, 门店名称, 店铺, store                     text: only this store's orders
=============  ==========================================  =====================
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from diag.errors import DataError

__all__ = ["FIELDS", "REQUIRED", "COUNTS", "read_campaigns"]

#: Field → accepted headers; the first is the name the kit prints.
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("活动名称", "活动", "名称", "活动名", "name", "campaign", "campaign_name", "activity"),
    "type": ("活动类型", "类型", "type", "campaign_type", "kind"),
    "start": ("开始日期", "开始时间", "开始", "start", "start_date", "begin", "from"),
    "end": ("结束日期", "结束时间", "结束", "end", "end_date", "finish", "to"),
    "cost": ("成本", "活动成本", "费用", "投入", "活动费用", "cost", "spend"),
    "target_gmv": ("目标GMV", "GMV目标", "目标销售额", "目标成交额", "target_gmv", "gmv_target"),
    "target_new": ("目标新客数", "新客目标", "目标新客", "target_new_customers", "target_new"),
    "reached": ("触达人数", "触达", "reached", "reach"),
    "new_friends": ("新增好友", "新增好友数", "加好友数", "加粉数", "new_friends"),
    "group_joins": ("入群人数", "新增入群", "入群", "group_joins", "joins"),
    "participants": ("参与人数", "参与", "participants"),
    "referrals": ("推荐人数", "裂变人数", "邀请人数", "推荐", "referrals", "referred"),
    "store": ("门店", "门店名称", "店铺", "store"),
}
REQUIRED = ("name", "type", "start", "end", "cost", "target_gmv")
MONEY = ("cost", "target_gmv")
COUNTS = ("target_new", "reached", "new_friends", "group_joins", "participants", "referrals")
_EMPTY = ("", "-", "--", "—", "nan", "none", "null", "n/a", "无")


def _norm(text: Any) -> str:
    s = str(text).replace("\ufeff", "").strip().lower()
    s = s.replace("（", "(").replace("）", ")")
    s = re.sub(r"\((元|¥|￥|人|个|rmb|cny)\)$", "", s)
    return re.sub(r"[\s_\-]+", "", s)


_LOOKUP = {_norm(alias): key for key, aliases in FIELDS.items() for alias in aliases}


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip().lower() in _EMPTY


def _date(value: Any) -> dt.date:
    """Return a calendar date from an Excel date, an Excel serial or text like 2026/6/1 or 2026年6月1日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:
        return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))).date()
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", text)
    if match:
        return dt.date(*(int(g) for g in match.groups()))
    if re.fullmatch(r"\d{8}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise ValueError(text)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        out = float(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        text = text.removesuffix("元").removesuffix("人").strip()
        scale = 1.0
        if text.endswith("万"):
            text, scale = text[:-1], 10_000.0
        out = float(text) * scale
    if not math.isfinite(out):
        raise ValueError(value)
    return out


def _rows(path: Path) -> list[list[Any]]:
    from diag.readers.wecom import _table_rows  # the kit's one CSV/XLSX row reader (encodings, dialects)

    return _table_rows(path, str(path))


def read_campaigns(path: str | Path) -> pd.DataFrame:
    """Return the campaigns of a CSV / XLSX file, one row each, in file order.

    Columns: ``name, type, start, end`` (``datetime.date``), ``days`` (whole days,
    both ends included), ``cost, target_gmv`` (float, NaN when blank), the counts of
    :data:`COUNTS` (float, NaN when blank or absent), ``store`` (None when absent) and
    ``row`` (the row number in the file).

    Raises :class:`DataError` ``<file>[:row N:<column>]: <what is wrong>`` for a file
    that cannot be read, a missing required column, no campaign rows, a duplicate
    name, an unreadable date or number, a negative figure, or an end before the start.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise DataError("file not found" if not path.exists() else "expected a file, got a directory", file=file)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        raise DataError(f"expected a CSV or XLSX campaigns file, got '{path.suffix or path.name}'", file=file)
    try:
        rows = _rows(path)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is bad input
        raise DataError(f"cannot read the campaigns file ({type(exc).__name__}: {exc})", file=file) from None
    header_at, index = None, {}
    for i, row in enumerate(rows[:15]):
        found = {}
        for j, cell in enumerate(row):
            key = _LOOKUP.get(_norm(cell)) if not _blank(cell) else None
            if key and key not in found:
                found[key] = j
        if "name" in found and ("start" in found or "end" in found):
            header_at, index = i, found
            break
    if header_at is None:
        seen = ", ".join(str(c) for c in (rows[0] if rows else []) if not _blank(c))[:200]
        raise DataError("expected a campaigns table with columns 活动名称, 活动类型, 开始日期, 结束日期, 成本, "
                        f"目标GMV; found: {seen or 'nothing'}", file=file)
    missing = [FIELDS[k][0] for k in REQUIRED if k not in index]
    if missing:
        raise DataError(f"missing column {', '.join(missing)} (expected 活动名称, 活动类型, 开始日期, 结束日期, "
                        "成本, 目标GMV)", file=file)
    header = rows[header_at]
    records: list[dict[str, Any]] = []
    names: dict[str, int] = {}
    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if all(_blank(c) for c in row):
            continue
        cell = {k: (row[j] if j < len(row) else None) for k, j in index.items()}
        if str(cell["name"] or "").strip() in ("合计", "总计", "汇总", "Total", "total"):
            continue

        def where(key: str, i: int = i) -> str:
            return f"row {i}:{str(header[index[key]]).strip()}"

        if _blank(cell["name"]):
            raise DataError("expected a campaign name, got an empty cell", file=file, where=where("name"))
        name = str(cell["name"]).strip()
        if name in names:
            raise DataError(f"campaign name '{name}' repeats row {names[name]}; expected one row per campaign",
                            file=file, where=where("name"))
        names[name] = i
        rec: dict[str, Any] = {"name": name, "type": "" if _blank(cell["type"]) else str(cell["type"]).strip()}
        for key in ("start", "end"):
            if _blank(cell[key]):
                raise DataError("expected a date such as 2026-06-01, got an empty cell", file=file, where=where(key))
            try:
                rec[key] = _date(cell[key])
            except (ValueError, TypeError, OverflowError):
                raise DataError(f"expected a date such as 2026-06-01, got '{cell[key]}'", file=file,
                                where=where(key)) from None
        if rec["end"] < rec["start"]:
            raise DataError(f"end {rec['end']} is before start {rec['start']}", file=file, where=where("end"))
        for key in MONEY + COUNTS:
            value = cell.get(key)
            if key not in index or _blank(value):
                rec[key] = float("nan")
                continue
            kind = "an amount in yuan" if key in MONEY else "a count"
            try:
                number = _number(value)
            except (ValueError, TypeError):
                raise DataError(f"expected {kind}, got '{value}'", file=file, where=where(key)) from None
            if number < 0:
                raise DataError(f"expected {kind} ≥ 0, got {value}", file=file, where=where(key))
            if key in COUNTS and not float(number).is_integer():
                raise DataError(f"expected a whole number of people, got {value}", file=file, where=where(key))
            rec[key] = number
        store = cell.get("store")
        rec["store"] = None if store is None or _blank(store) else str(store).strip()
        rec["days"] = (rec["end"] - rec["start"]).days + 1
        rec["row"] = i
        records.append(rec)
    if not records:
        raise DataError("expected at least one campaign row under the header, found none", file=file)
    columns = ["name", "type", "start", "end", "days", *MONEY, *COUNTS, "store", "row"]
    return pd.DataFrame(records, columns=columns)
