"""Members' attributes from a brief's ``data.customers`` file: tier, sign-up channel, store — counted, never listed.

Only categorical columns a 用户画像 needs are read (aliases below); identifiers, phone
numbers and birthdays are ignored, so no personal data leaves this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from diag.errors import DataError

__all__ = ["ATTRIBUTES", "read_member_table", "member_attributes", "read_member_attributes", "attribute_summary"]

#: Attribute → header aliases (case- and space-insensitive).
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "会员等级": ("会员等级", "等级", "tier", "level", "会员级别"),
    "注册方式": ("注册方式", "来源", "来源渠道", "注册渠道", "source", "channel"),
    "注册门店": ("注册门店", "门店", "store", "所属门店"),
    "标签": ("标签", "tags", "tag", "客户标签"),
}


def _read(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return pd.read_excel(path, dtype=str, engine="openpyxl")
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path).astype(str)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise DataError("expected a CSV in UTF-8 or GBK/GB18030", file=path)


def read_member_table(path: str | Path) -> pd.DataFrame:
    """Return the member file as read, every column as text (CSV in UTF-8 or GBK, XLSX or Parquet)."""
    path = Path(path)
    try:
        return _read(path)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas and openpyxl raise many kinds for a damaged file
        raise DataError(f"expected a readable member list (CSV, XLSX or Parquet): {exc}", file=path) from None


def member_attributes(table: pd.DataFrame) -> pd.DataFrame:
    """Return the member table's attribute columns renamed to :data:`ATTRIBUTES` keys (other columns dropped)."""
    norm = {str(c).strip().lower().replace(" ", ""): c for c in table.columns}
    keep = {}
    for name, aliases in ATTRIBUTES.items():
        hit = next((norm[a.lower()] for a in aliases if a.lower() in norm), None)
        if hit is not None:
            keep[hit] = name
    return table[list(keep)].rename(columns=keep)


def read_member_attributes(path: str | Path) -> pd.DataFrame:
    """Return the member file's attribute columns (:func:`member_attributes` of :func:`read_member_table`)."""
    return member_attributes(read_member_table(path))


def attribute_summary(members: pd.DataFrame, top: int = 4) -> list[dict[str, Any]]:
    """Return one record per attribute (an :data:`ATTRIBUTES` key): its ``top`` most common values
    with their shares of members, and the members counted — ``{"attribute", "values": [(value,
    share), …], "members"}``.  :func:`diag.strategy.chapters.persona` words them."""
    rows = []
    for name in members.columns:
        values = members[name].dropna().astype(str).str.strip()
        values = values[values.ne("") & values.ne("nan")]
        if values.empty:
            continue
        share = values.value_counts(normalize=True).head(top)
        rows.append({"attribute": str(name), "values": [(str(k), float(v)) for k, v in share.items()],
                     "members": int(len(values))})
    return rows
