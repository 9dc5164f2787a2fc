"""WeCom (企业微信) statistics: 联系客户统计 and 群聊数据统计, from exports or API JSON.

Two readers, each returning one tidy frame with fixed columns:

* :func:`read_contact_stats` — 联系客户统计 (``externalcontact/get_user_behavior_data``),
  one row per staff member per day: ``date, staff, new_apply_cnt, new_contact_cnt,
  chat_cnt, message_cnt, reply_percentage, avg_reply_time, negative_feedback_cnt``.
* :func:`read_group_stats` — 群聊数据统计 (``externalcontact/groupchat/statistic`` by
  owner, or ``statistic_group_by_day`` by day): ``date, owner, new_chat_cnt,
  chat_total, chat_has_msg, new_member_cnt, member_total, member_has_msg, msg_total,
  migrate_trainee_chat_cnt``.

Files may be CSV (UTF-8, UTF-8 with BOM, GBK / GB18030), XLSX or the JSON the API
returns (one response, or a list of responses — WeCom answers at most 30 days per
query and keeps only the last 180 days, so a half-year export is several responses).
Headers may be English field names or the Chinese labels of the admin console;
title lines above the header are skipped.  Units: ``reply_percentage`` is a share
0–1 (WeCom gives percent 0–100, converted here); ``avg_reply_time`` is minutes.
API ``stat_time`` stamps are midnight Beijing time (UTC+8) and become dates.
A value that cannot be read raises :class:`DataError` naming the file and the row
(or JSON path) and field.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from diag.errors import DataError

__all__ = ["CONTACT_FIELDS", "GROUP_FIELDS", "read_contact_stats", "read_group_stats",
           "contact_stats_from_json", "group_stats_from_json"]

#: 联系客户统计 fields and the header labels accepted for them.
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("stat_time", "date", "日期", "统计日期", "时间", "统计时间"),
    "staff": ("userid", "staff", "成员", "员工", "成员名称", "成员账号", "员工姓名", "企业成员", "姓名"),
    "new_apply_cnt": ("new_apply_cnt", "发起申请数", "发起好友申请数", "申请数"),
    "new_contact_cnt": ("new_contact_cnt", "新增客户数", "新增客户", "新增联系客户数"),
    "chat_cnt": ("chat_cnt", "聊天总数", "聊天数"),
    "message_cnt": ("message_cnt", "发送消息数", "消息数"),
    "reply_percentage": ("reply_percentage", "已回复聊天占比", "回复率", "已回复聊天比例"),
    "avg_reply_time": ("avg_reply_time", "平均首次回复时长", "平均回复时长", "首次回复时长"),
    "negative_feedback_cnt": ("negative_feedback_cnt", "删除/拉黑成员的客户数", "删除拉黑成员的客户数",
                              "删除/拉黑客户数", "流失客户数"),
}

#: 群聊数据统计 fields and the header labels accepted for them.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("stat_time", "date", "日期", "统计日期", "时间", "统计时间"),
    "owner": ("owner", "群主", "群主名称", "群主账号", "userid"),
    "new_chat_cnt": ("new_chat_cnt", "新增客户群数量", "新增客户群数", "新增群聊数", "新增群数"),
    "chat_total": ("chat_total", "截至当天客户群总数量", "客户群总数量", "客户群总数", "群聊总数"),
    "chat_has_msg": ("chat_has_msg", "截至当天有发过消息的客户群数量", "有发过消息的客户群数量", "活跃群数"),
    "new_member_cnt": ("new_member_cnt", "客户群新增群人数", "新增群人数", "新增群成员数"),
    "member_total": ("member_total", "截至当天客户群总人数", "客户群总人数", "群总人数", "群成员总数"),
    "member_has_msg": ("member_has_msg", "截至当天有发过消息的群成员数", "有发过消息的群成员数", "发言成员数"),
    "msg_total": ("msg_total", "截至当天客户群消息总数", "客户群消息总数", "群消息总数"),
    "migrate_trainee_chat_cnt": ("migrate_trainee_chat_cnt", "截至当天新增迁移群数", "新增迁移群数",
                                 "迁移群聊数"),
}

_TEXT_KEYS = {"date", "staff", "owner"}


def _norm(label: object) -> str:
    text = str(label).strip().lower()
    text = re.sub(r"[（(][^)）]*[)）]\s*$", "", text)  # "平均首次回复时长(分钟)" → label only
    return re.sub(r"[\s_\-:：]", "", text)


def _lookup(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_norm(alias): key for key, aliases in fields.items() for alias in aliases}


# -- value parsing ---------------------------------------------------------------------------

class _Bad(ValueError):
    """A value that cannot be read; the caller adds the place."""


def _number(value: Any, key: str) -> tuple[float, bool]:
    """Return (number, written_with_percent_sign); NaN for blanks."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan"), False
    if isinstance(value, bool):
        raise _Bad(f"expected a number, got {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value), False
    text = str(value).strip().replace(",", "").replace("，", "")
    if text in ("", "-", "--", "—", "null", "None", "nan"):
        return float("nan"), False
    if key == "avg_reply_time":
        minutes = _minutes(text)
        if minutes is not None:
            return minutes, False
    percent = text.endswith(("%", "％"))
    if percent:
        text = text[:-1].strip()
    try:
        return float(text), percent
    except ValueError:
        raise _Bad(f"expected a number, got {value!r}") from None


def _minutes(text: str) -> float | None:
    # "12.5" / "12分钟" / "1分30秒" / "45秒" / "00:01:30" → minutes; None if not a duration.
    m = re.fullmatch(r"(?:(\d+(?:\.\d+)?)\s*(?:小时|h))?\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min))?"
                     r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s))?", text)
    if m and any(m.groups()):
        h, mi, s = (float(g) if g else 0.0 for g in m.groups())
        return h * 60 + mi + s / 60
    m = re.fullmatch(r"(\d+):(\d{1,2}):(\d{1,2})", text)
    if m:
        h, mi, s = (int(g) for g in m.groups())
        return h * 60 + mi + s / 60
    return None


def _date(value: Any) -> pd.Timestamp:
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == "":
        return pd.NaT
    text = str(value).strip()
    if re.fullmatch(r"\d{9,11}(\.0+)?", text):
        # API stamps: midnight Beijing time as Unix seconds; China has no DST.
        return (pd.Timestamp(int(float(text)), unit="s") + pd.Timedelta(hours=8)).normalize()
    text = re.sub(r"[年月/.]", "-", text).replace("日", "")
    try:
        return pd.Timestamp(text).normalize()
    except ValueError:
        raise _Bad(f"expected a date (YYYY-MM-DD or a Unix time stamp), got {value!r}") from None


def _frame(records: list[dict[str, Any]], places: list[str], fields: dict[str, tuple[str, ...]],
           file: str | None, *, percent_scale: bool | None) -> pd.DataFrame:
    """Return the typed frame; ``places`` name each record's row / JSON path for errors.

    ``percent_scale`` True: reply_percentage numbers are 0–100 (API); None: decide from
    the column (numbers written without % that are all ≤ 1 are shares already).
    """
    text_key = "staff" if "staff" in fields else "owner"
    cols: dict[str, list[Any]] = {k: [] for k in fields}
    percent_marks: list[bool] = []
    for rec, place in zip(records, places):
        for key in fields:
            value = rec.get(key)
            try:
                if key == "date":
                    cols[key].append(_date(value))
                elif key == text_key:
                    cols[key].append(None if value is None or str(value).strip() in ("", "nan")
                                     else str(value).strip())
                else:
                    number, pct = _number(value, key)
                    if number < 0:
                        raise _Bad(f"expected a count ≥ 0, got {value!r}")
                    cols[key].append(number)
                    if key == "reply_percentage":
                        percent_marks.append(pct)
            except _Bad as exc:
                raise DataError(str(exc), file=file, where=f"{place}, {key}") from None
    df = pd.DataFrame({"date": pd.to_datetime(pd.Series(cols["date"], dtype="object")).astype("datetime64[ns]"),
                       text_key: pd.Series(cols[text_key], dtype="string")})
    for key in fields:
        if key not in _TEXT_KEYS:
            df[key] = np.asarray(cols[key], dtype=float)
    if "reply_percentage" in fields:
        rp = df["reply_percentage"].to_numpy(copy=True)
        marks = np.asarray(percent_marks, dtype=bool)
        known = ~np.isnan(rp)
        if percent_scale is None:
            plain = known & ~marks
            # A percent column whose every value is ≤ 1 % is implausible; a share column
            # (a spreadsheet's percent cells, e.g. 0.75 or 1 for 100 %) is the likely reading.
            percent_scale = not (plain.any() and np.all(rp[plain] <= 1))
        rp = np.where(marks | percent_scale, rp / 100, rp)
        bad = np.flatnonzero(known & (rp > 1 + 1e-9))
        if bad.size:
            raise DataError(f"expected a reply percentage between 0 and 100, got "
                            f"{records[bad[0]].get('reply_percentage')!r}", file=file,
                            where=f"{places[bad[0]]}, reply_percentage")
        df["reply_percentage"] = rp
    return _dedupe(df, text_key, places, file)


def _dedupe(df: pd.DataFrame, text_key: str, places: list[str], file: str | None) -> pd.DataFrame:
    # Overlapping exports (two 30-day queries sharing a day) repeat rows: identical
    # repeats are dropped and counted in ``df.attrs["duplicate_rows"]``; two different
    # rows for the same day and staff / owner cannot both be right.
    keyed = df["date"].notna()
    key_cols = ["date"] + ([text_key] if df[text_key].notna().any() else [])
    exact = df.duplicated(keep="first") & keyed
    out = df[~exact]
    clash = out[out["date"].notna()].duplicated(subset=key_cols, keep=False)
    if clash.any():
        rows = [places[i] for i in clash[clash].index[:2]]
        who = f" and {text_key}" if len(key_cols) > 1 else ""
        raise DataError(f"two different rows for the same date{who}: {rows[0]} and {rows[1]}", file=file,
                        where=rows[1])
    out = out.reset_index(drop=True)
    out.attrs["duplicate_rows"] = int(exact.sum())
    return out


# -- JSON --------------------------------------------------------------------------------------

def _responses(data: Any, file: str | None) -> list[tuple[str, dict[str, Any]]]:
    items = data if isinstance(data, list) else [data]
    out = []
    for i, resp in enumerate(items):
        where = f"[{i}]" if isinstance(data, list) else ""
        if not isinstance(resp, dict):
            raise DataError(f"expected a WeCom API response object, got {type(resp).__name__}",
                            file=file, where=where or None)
        code = resp.get("errcode", 0)
        if code not in (0, "0", None):
            raise DataError(f"the WeCom API answered errcode {code} ({resp.get('errmsg', '')}); "
                            "expected a successful response (errcode 0)", file=file,
                            where=f"{where}.errcode".lstrip("."))
        out.append((where, resp))
    return out


def contact_stats_from_json(data: Any, *, file: str | None = None) -> pd.DataFrame:
    """Return 联系客户统计 from parsed ``get_user_behavior_data`` JSON (one response or a list).

    A response may carry ``userid`` (the staff member it was queried for; the API
    does not echo it), and so may each ``behavior_data`` item.
    """
    records, places = [], []
    for where, resp in _responses(data, file):
        rows = resp.get("behavior_data")
        if not isinstance(rows, list):
            raise DataError("expected a 'behavior_data' list (get_user_behavior_data response)", file=file,
                            where=f"{where}.behavior_data".lstrip("."))
        for j, item in enumerate(rows):
            place = f"{where}.behavior_data[{j}]".lstrip(".")
            if not isinstance(item, dict):
                raise DataError("expected an object of statistics", file=file, where=place)
            rec = {k: item.get(k) for k in CONTACT_FIELDS if k not in ("date", "staff")}
            rec["date"] = item.get("stat_time")
            rec["staff"] = item.get("userid", resp.get("userid"))
            records.append(rec)
            places.append(place)
    return _frame(records, places, CONTACT_FIELDS, file, percent_scale=True)


def group_stats_from_json(data: Any, *, file: str | None = None) -> pd.DataFrame:
    """Return 群聊数据统计 from parsed ``groupchat/statistic`` (by owner) or
    ``statistic_group_by_day`` (by day) JSON: ``{"items": [{"owner"|"stat_time", "data": {…}}]}``.

    By-owner items have no date (the query's day range is not echoed): ``date`` is NaT.
    """
    records, places = [], []
    for where, resp in _responses(data, file):
        rows = resp.get("items")
        if not isinstance(rows, list):
            raise DataError("expected an 'items' list (groupchat statistic response)", file=file,
                            where=f"{where}.items".lstrip("."))
        for j, item in enumerate(rows):
            place = f"{where}.items[{j}]".lstrip(".")
            stats = item.get("data") if isinstance(item, dict) else None
            if not isinstance(stats, dict):
                raise DataError("expected an item with a 'data' object", file=file, where=place)
            rec = {k: stats.get(k) for k in GROUP_FIELDS if k not in ("date", "owner")}
            rec["date"] = item.get("stat_time")
            rec["owner"] = item.get("owner")
            records.append(rec)
            places.append(f"{place}.data")
    return _frame(records, places, GROUP_FIELDS, file, percent_scale=True)


# -- files -------------------------------------------------------------------------------------

def _decode(raw: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError("expected UTF-8 or GBK text, got undecodable bytes", file=file)


def _table_rows(path: Path, file: str) -> list[list[Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            sheet = pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise DataError(f"cannot read the workbook ({exc})", file=file) from None
        return [[None if (isinstance(v, float) and math.isnan(v)) else v for v in row]
                for row in sheet.itertuples(index=False, name=None)]
    text = _decode(path.read_bytes(), file)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _read(path: str | Path, fields: dict[str, tuple[str, ...]], what: str,
          from_json: Any) -> pd.DataFrame:
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise DataError("file not found" if not path.exists() else "expected a file, got a directory", file=file)
    head = path.read_bytes()[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() == ".json" or head[:1] in (b"{", b"["):
        try:
            data = json.loads(_decode(path.read_bytes(), file))
        except json.JSONDecodeError as exc:
            raise DataError(f"not valid JSON ({exc.msg})", file=file, where=f"line {exc.lineno}") from None
        return from_json(data, file=file)
    rows = _table_rows(path, file)
    lookup = _lookup(fields)
    header_at = None
    for i, row in enumerate(rows[:15]):
        hits = {lookup[_norm(c)] for c in row if c is not None and _norm(c) in lookup}
        if len(hits - _TEXT_KEYS) >= 1 and len(hits) >= 2:
            header_at = i
            break
    if header_at is None:
        examples = "、".join(a for k, al in fields.items() if k not in _TEXT_KEYS for a in al[1:2])
        found = ", ".join(str(c) for c in (rows[0] if rows else []))[:200]
        raise DataError(f"expected a {what} table with columns such as {examples}; found: {found or 'nothing'}",
                        file=file)
    header = rows[header_at]
    index: dict[str, int] = {}
    for j, label in enumerate(header):
        key = lookup.get(_norm(label)) if label is not None else None
        if key and key not in index:
            index[key] = j
    records, places = [], []
    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(c is not None and str(c).strip() for c in row):
            continue
        first = str(row[0]).strip() if row and row[0] is not None else ""
        if first in ("合计", "总计", "汇总", "Total", "total"):
            continue  # console exports end with a totals row; it is not a day
        records.append({k: (row[j] if j < len(row) else None) for k, j in index.items()})
        places.append(f"row {i}")
    return _frame(records, places, fields, file, percent_scale=None)


def read_contact_stats(path: str | Path) -> pd.DataFrame:
    """Return 联系客户统计 from a CSV / XLSX export or saved API JSON (see the module doc).

    Columns: ``date`` (NaT when the file has none), ``staff`` (NA when unknown) and the
    seven counts / rates, float (NaN where blank).  WeCom keeps 180 days and one API
    query spans at most 30 days.
    """
    return _read(path, CONTACT_FIELDS, "联系客户统计", contact_stats_from_json)


def read_group_stats(path: str | Path) -> pd.DataFrame:
    """Return 群聊数据统计 from a CSV / XLSX export or saved API JSON (see the module doc).

    Columns: ``date`` (NaT for by-owner statistics), ``owner`` and the eight counts.
    ``chat_total`` and ``member_total`` are stocks at the end of the day; the others
    are that day's counts.  WeCom keeps 180 days; one query spans at most 30 days.
    """
    return _read(path, GROUP_FIELDS, "群聊数据统计", group_stats_from_json)
