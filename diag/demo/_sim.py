"""Building blocks for synthetic client data: calendars, purchase processes, identifiers, writers.

Customers follow a BG/NBD-like story: each one arrives on a day drawn from an
acquisition curve, buys again after gamma-distributed gaps (a more regular rhythm than
the exponential gaps of the textbook model, because nappies and milk powder run out on a
schedule) and drops out after any purchase with a customer-specific probability.  The
gaps run in *business time*: a day with intensity 3 (双11) counts as three ordinary
days, so promotions pull purchases forward and quiet weeks stretch them.

Everything here is deterministic given the ``numpy.random.Generator`` passed in, and the
writers produce byte-identical files for identical frames (no timestamps inside).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from typing import Any, Sequence

import numpy as np
import pandas as pd

# Real mainland mobile prefixes (China Mobile, Unicom, Telecom), so masking tests see real shapes.
_MOBILE_PREFIXES = np.array([
    130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159,
    166, 173, 175, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199])

# A fixed moment for every timestamp a file format insists on (XLSX core properties, zip entries).
_FIXED_ZIP_TIME = (2026, 11, 1, 0, 0, 0)
_FIXED_ISO = "2026-11-01T00:00:00Z"


# -- calendar -------------------------------------------------------------------------------

def day_index(start: str, end: str) -> pd.DatetimeIndex:
    """Return every calendar day from ``start`` to ``end`` inclusive."""
    return pd.date_range(start, end, freq="D")


def bump(days: pd.DatetimeIndex, center: str, width: float, height: float) -> np.ndarray:
    """Return a Gaussian bump (peak ``height`` on ``center``, sd ``width`` days) over ``days``."""
    offset = (days - pd.Timestamp(center)).days.to_numpy(dtype=float)
    return height * np.exp(-0.5 * (offset / width) ** 2)


def window(days: pd.DatetimeIndex, start: str, end: str, factor: float) -> np.ndarray:
    """Return a multiplier that is ``factor`` from ``start`` to ``end`` (inclusive) and 1 elsewhere."""
    inside = (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))
    return np.where(inside, factor, 1.0)


def ramp(days: pd.DatetimeIndex, first: float, last: float) -> np.ndarray:
    """Return a straight line from ``first`` on the first day to ``last`` on the last."""
    return np.linspace(first, last, len(days))


# -- purchase process ---------------------------------------------------------------------

def simulate_purchases(rng: np.random.Generator, *, n_customers: int, arrival_weight: np.ndarray,
                       intensity: np.ndarray, gap_mean: np.ndarray, gap_shape: float | np.ndarray,
                       dropout: np.ndarray, max_purchases: int = 80) -> pd.DataFrame:
    """Return purchase events ``customer`` (0…n-1) and ``day`` (index into the calendar).

    Parameters
    ----------
    arrival_weight
        Relative chance that a customer's first purchase falls on each day.
    intensity
        Daily purchase intensity (1 = ordinary); gaps are measured in cumulative intensity.
    gap_mean, dropout
        Per-customer mean gap (ordinary days) and probability of dropping out after a purchase.
    gap_shape
        Gamma shape of the gaps: 1 is memoryless, larger is a steadier rhythm.
    """
    n_days = len(intensity)
    # Business time: the cumulative intensity at the start of each day (and the end of the last).
    clock = np.concatenate([[0.0], np.cumsum(intensity)])
    p = arrival_weight / arrival_weight.sum()
    first_day = rng.choice(n_days, size=n_customers, p=p)
    u = clock[first_day] + rng.random(n_customers) * intensity[first_day]
    shape = np.broadcast_to(np.asarray(gap_shape, dtype=float), (n_customers,))
    customers, days = [np.arange(n_customers)], [first_day]
    alive = np.ones(n_customers, dtype=bool)
    for _ in range(max_purchases - 1):
        alive &= rng.random(n_customers) >= dropout
        u = u + rng.gamma(shape, gap_mean / shape)
        alive &= u < clock[-1]
        if not alive.any():
            break
        day = np.searchsorted(clock, u[alive], side="right") - 1
        customers.append(np.flatnonzero(alive))
        days.append(np.minimum(day, n_days - 1))
    events = pd.DataFrame({"customer": np.concatenate(customers), "day": np.concatenate(days)})
    return events.sort_values(["day", "customer"], kind="stable").reset_index(drop=True)


def seconds_of_day(rng: np.random.Generator, n: int, hour_weights: Sequence[float]) -> np.ndarray:
    """Return ``n`` times of day in seconds, hours drawn from 24 relative weights."""
    w = np.asarray(hour_weights, dtype=float)
    hours = rng.choice(24, size=n, p=w / w.sum())
    return hours * 3600 + rng.integers(0, 3600, size=n)


def timestamps(days: pd.DatetimeIndex, day: np.ndarray, seconds: np.ndarray) -> pd.DatetimeIndex:
    """Return calendar timestamps from day indices and seconds of day."""
    return days[day] + pd.to_timedelta(seconds, unit="s")


# -- identifiers ----------------------------------------------------------------------------

def mobile_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return ``n`` distinct 11-digit mainland mobile numbers as strings."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        prefix = rng.choice(_MOBILE_PREFIXES, size=n)
        tail = rng.integers(0, 100_000_000, size=n)
        for a, b in zip(prefix, tail):
            number = f"{a}{b:08d}"
            if number not in seen:
                seen.add(number)
                out.append(number)
                if len(out) == n:
                    break
    return np.array(out, dtype=object)


_ALNUM = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"))
_SYLLABLES = ["li", "wang", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu",
              "sun", "hu", "zhu", "gao", "lin", "he", "guo", "ma", "luo", "mei", "xiao", "yu",
              "jing", "ting", "na", "fang", "min", "lei", "jun", "yan", "hui", "qing", "lily",
              "amy", "coco", "vivian", "home", "mumu", "tang"]


def wechat_ids(rng: np.random.Generator, n: int, *, wxid_share: float) -> np.ndarray:
    """Return ``n`` distinct WeChat-ID-like strings: ``wxid_…`` system ids or custom ids."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        if rng.random() < wxid_share:
            text = "wxid_" + "".join(rng.choice(_ALNUM, size=14))
        else:
            head = "".join(rng.choice(_SYLLABLES, size=int(rng.integers(1, 3))))
            sep = "_" if rng.random() < 0.3 else ""
            text = f"{head}{sep}{int(rng.integers(1, 2000)) if rng.random() < 0.5 else int(rng.integers(1970, 2002))}"
        if text not in seen and 6 <= len(text) <= 20:
            seen.add(text)
            out.append(text)
    return np.array(out, dtype=object)


# -- formatting -----------------------------------------------------------------------------

def yuan(values: np.ndarray, *, symbol: np.ndarray | bool = False) -> np.ndarray:
    """Return amounts as text ``1299.00``, or ``¥1,299.00`` where ``symbol`` is true."""
    symbol = np.broadcast_to(np.asarray(symbol, dtype=bool), np.shape(values))
    return np.array([f"¥{v:,.2f}" if s else f"{v:.2f}" for v, s in zip(values, symbol)], dtype=object)


def cn_datetime(ts: pd.DatetimeIndex | pd.Series, *, seconds: bool = True, sep: str = "/",
                pad: bool = False) -> np.ndarray:
    """Return timestamps as ``2026/3/5 14:03:22`` (or zero-padded / ``-``-separated variants)."""
    ts = pd.DatetimeIndex(ts)
    out = []
    for t in ts:
        if pd.isna(t):
            out.append("")
            continue
        date = f"{t.year}{sep}{t.month:02d}{sep}{t.day:02d}" if pad else f"{t.year}{sep}{t.month}{sep}{t.day}"
        clock = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}" if seconds else f"{t.hour:02d}:{t.minute:02d}"
        out.append(f"{date} {clock}")
    return np.array(out, dtype=object)


# -- writers --------------------------------------------------------------------------------

def csv_bytes(frame: pd.DataFrame, *, encoding: str, newline: str = "\n") -> bytes:
    """Return ``frame`` as CSV bytes in ``encoding`` (``utf-8-sig`` writes a BOM)."""
    text = frame.to_csv(index=False, lineterminator=newline)
    return text.encode(encoding)


def json_bytes(data: Any) -> bytes:
    """Return pretty, stable JSON (UTF-8, Chinese kept readable)."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "Sheet1") -> bytes:
    """Return ``frame`` as an XLSX workbook whose bytes depend only on its content.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry;
    both are replaced by a fixed moment so the demo regenerates byte-identically.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    fixed = dt.datetime(*_FIXED_ZIP_TIME)
    wb.properties.created = fixed
    wb.properties.creator = "diag demo"
    raw = io.BytesIO()
    wb.save(raw)
    return _freeze_zip(raw.getvalue())


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _freeze_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + _FIXED_ISO.encode() + rb"\g<2>", payload)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, payload)
    return out.getvalue()
