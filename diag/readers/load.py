"""The one loader of a brief's data files, and the run's cache of what it read.

:func:`load_data` reads every data file a brief names through its reader — orders
(:mod:`diag.readers.orders`), WeCom statistics (:mod:`diag.readers.wecom`), members
(:mod:`diag.readers.members`), campaigns (:mod:`diag.readers.campaigns`) — and lists
them in an inventory table.  ``diag run``, ``diag check``, ``diag live`` and the
notebooks all load through it.

A run reads and cleans the client's files once: :func:`write_cache` stores what
:func:`load_data` returned as Parquet files (and the reader's quality record as JSON)
in a folder of the run's work folder named by :func:`cache_key` — the content hash of
the orders file and the reader's settings — and the notebooks get that folder as the
``data_cache`` parameter.  :func:`cached` loads it back, or reads the brief's files
when there is no cache (a notebook run by hand in JupyterLab) or the cache was made
for other files (the brief was edited since).  The cache holds unmasked identifiers:
the run removes it before the folder becomes the delivered one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from diag.brief.model import Brief
from diag.errors import DataError
from diag.messages import text
from diag.readers import wecom
from diag.readers.campaigns import read_campaigns
from diag.readers.members import read_member_table
from diag.readers.orders import OrdersData, read_orders
from diag.readers.quality import Quality

__all__ = ["DATA_FILES", "BriefData", "load_data", "cache_key", "write_cache", "cached"]

#: Data files a brief may name: field, Chinese name.
DATA_FILES = (("orders", "订单"), ("wecom_contacts", "企微联系客户统计"), ("wecom_groups", "企微群聊统计"),
              ("customers", "会员"), ("campaigns", "活动"))
#: Tables of :class:`BriefData` other than the orders, as cached (attribute names).
_TABLES = ("contacts", "groups", "customers", "campaigns")
#: The cache's description of itself: what it was made from.
MANIFEST = "manifest.json"
INVENTORY_COLUMNS = ["数据", "字段", "文件", "状态", "行数", "说明"]


@dataclass
class BriefData:
    """Return-value record of :func:`load_data`: the data a brief names, read."""

    orders: OrdersData | None = None
    contacts: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    customers: pd.DataFrame | None = None
    campaigns: pd.DataFrame | None = None
    inventory: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=INVENTORY_COLUMNS))

    def inventory_table(self, lang: str = "zh") -> pd.DataFrame:
        """Return the inventory with its notes (说明) in ``lang``, worded again from the data read."""
        if lang == "zh" or self.inventory.empty:
            return self.inventory
        out = self.inventory.copy()
        out["说明"] = [_note(self, row.字段.removeprefix("data."), lang) if row.状态 == "可读取" else row.说明
                     for row in out.itertuples(index=False)]
        return out


def _require(brief: Brief, name: str) -> Path:
    path = brief.data_path(name)
    assert path is not None
    if not path.exists():
        raise DataError(f"file not found: {path}", file=brief.source, where=f"data.{name}")
    if not path.is_file():
        raise DataError(f"expected a file, got a directory: {path}", file=brief.source, where=f"data.{name}")
    return path


def _span(dates: pd.Series, lang: str = "zh") -> str:
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    if dates.empty:
        return text("intake", "inv.no_dates", lang)
    return text("intake", "inv.span", lang, start=f"{dates.min():%Y-%m-%d}", end=f"{dates.max():%Y-%m-%d}",
                days=dates.dt.normalize().nunique())


def _note(data: BriefData, name: str, lang: str = "zh") -> str:
    """Return the inventory's note on data file ``name`` (read into ``data``) in ``lang``."""
    if name == "orders" and data.orders is not None:
        frame = data.orders.orders
        return text("intake", "inv.orders", lang, orders=data.orders.quality.orders_kept,
                    customers=frame["customer_id"].nunique(), span=_span(frame["paid_at"], lang))
    if name == "wecom_contacts" and data.contacts is not None:
        return text("intake", "inv.wecom_contacts", lang, staff=data.contacts["staff"].dropna().nunique(),
                    span=_span(data.contacts["date"], lang))
    if name == "wecom_groups" and data.groups is not None:
        return _span(data.groups["date"], lang)
    if name == "campaigns" and data.campaigns is not None:
        c = data.campaigns
        return text("intake", "inv.campaigns", lang, count=len(c), start=f"{min(c['start']):%Y-%m-%d}",
                    end=f"{max(c['end']):%Y-%m-%d}")
    if name == "customers" and data.customers is not None:
        return text("intake", "inv.customers", lang, count=len(data.customers.columns))
    return ""


def load_data(brief: Brief) -> BriefData:
    """Return every data file the brief names, read by its reader, with an inventory table.

    Raises :class:`DataError` (``<brief>:data.<field>: file not found: <path>``) for a
    named file that does not exist; the readers raise it for a file they cannot use.
    """
    data = BriefData()
    rows: list[tuple[str, str, str, str, int | None, str]] = []
    for name, label in DATA_FILES:
        given = getattr(brief.data, name)
        if not given:
            rows.append((label, f"data.{name}", "", "未提供", None, ""))
            continue
        path = _require(brief, name)
        if name == "orders":
            data.orders = read_orders(path, columns=brief.data.columns or None, platform=brief.data.platform)
            rows.append((label, "data.orders", Path(given).name, "可读取", data.orders.quality.rows_read,
                         _note(data, name)))
        elif name == "wecom_contacts":
            data.contacts = wecom.read_contact_stats(path)
            rows.append((label, f"data.{name}", Path(given).name, "可读取", len(data.contacts), _note(data, name)))
        elif name == "wecom_groups":
            data.groups = wecom.read_group_stats(path)
            rows.append((label, f"data.{name}", Path(given).name, "可读取", len(data.groups), _note(data, name)))
        elif name == "campaigns":
            data.campaigns = c = read_campaigns(path)
            rows.append((label, f"data.{name}", Path(given).name, "可读取", len(c), _note(data, name)))
        else:
            data.customers = read_member_table(path)
            rows.append((label, f"data.{name}", Path(given).name, "可读取", len(data.customers),
                         _note(data, name)))
    data.inventory = pd.DataFrame(rows, columns=INVENTORY_COLUMNS)
    return data


# -- the run's cache ----------------------------------------------------------------------

def _sources(brief: Brief) -> dict[str, str | None]:
    """Return the settings the cache must match: each named file's path and the orders reader's options."""
    out: dict[str, str | None] = {name: (None if brief.data_path(name) is None else str(brief.data_path(name)))
                                  for name, _ in DATA_FILES}
    out["columns"] = json.dumps(brief.data.columns or {}, ensure_ascii=False, sort_keys=True)
    out["platform"] = brief.data.platform
    return out


def cache_key(brief: Brief, content_hash: str | None = None) -> str:
    """Return the cache's name for this brief's data: the orders file's content hash and the reader's settings.

    ``content_hash`` is the orders file's SHA-256 when the caller has it already (a
    run's input fingerprint); otherwise the file is hashed here.
    """
    orders = brief.data_path("orders")
    if content_hash is None and orders is not None and orders.is_file():
        file = hashlib.sha256()
        with orders.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                file.update(chunk)
        content_hash = file.hexdigest()
    settings = json.dumps({**_sources(brief), "sha256": content_hash}, sort_keys=True)
    return hashlib.sha256(settings.encode()).hexdigest()[:20]


def write_cache(brief: Brief, data: BriefData, root: Path, *, content_hash: str | None = None) -> Path:
    """Write ``data`` (from :func:`load_data`) under ``root/<cache_key>/``; return that folder.

    ``content_hash`` is the orders file's SHA-256 if known (see :func:`cache_key`).
    """
    folder = Path(root) / cache_key(brief, content_hash)
    folder.mkdir(parents=True, exist_ok=True)
    if data.orders is not None:
        data.orders.orders.to_parquet(folder / "orders.parquet")
        data.orders.lines.to_parquet(folder / "lines.parquet")
        (folder / "quality.json").write_text(json.dumps(data.orders.quality.to_dict(), ensure_ascii=False),
                                             encoding="utf-8")
    for name in _TABLES:
        frame = getattr(data, name)
        if frame is not None:
            frame.to_parquet(folder / f"{name}.parquet")
    inventory = data.inventory.astype(object).where(data.inventory.notna(), None)
    manifest = {"sources": _sources(brief), "as_of": None if data.orders is None else data.orders.as_of.isoformat(),
                "inventory": inventory.values.tolist()}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


def _read_cache(folder: Path, manifest: dict) -> BriefData:
    data = BriefData(inventory=pd.DataFrame(manifest["inventory"], columns=INVENTORY_COLUMNS))
    if manifest["as_of"] is not None:
        quality = Quality(**json.loads((folder / "quality.json").read_text(encoding="utf-8")))
        data.orders = OrdersData(orders=pd.read_parquet(folder / "orders.parquet"),
                                 lines=pd.read_parquet(folder / "lines.parquet"), quality=quality,
                                 as_of=dt.date.fromisoformat(manifest["as_of"]))
    for name in _TABLES:
        if (folder / f"{name}.parquet").is_file():
            frame = pd.read_parquet(folder / f"{name}.parquet")
            if name == "campaigns":  # Parquet gives dates back as timestamps; the reader's are dates
                for col in ("start", "end"):
                    frame[col] = pd.to_datetime(frame[col]).dt.date.astype(object)
            setattr(data, name, frame)
    return data


def cached(brief: Brief, data_cache: str | Path | None = None) -> BriefData:
    """Return the brief's data from the run's cache ``data_cache``, or read it when there is none.

    The cache is used only when it was made for the files and reader settings the brief
    names now; otherwise (no cache, or a brief edited since) the files are read with
    :func:`load_data`.
    """
    if data_cache:
        folder = Path(data_cache)
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if manifest is not None and manifest.get("sources") == _sources(brief):
            return _read_cache(folder, manifest)
    return load_data(brief)
