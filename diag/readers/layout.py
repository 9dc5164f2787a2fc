"""Layout of an export file: which sheet, which row is the header, and text that the fast
CSV reader refuses.

* **Header row** — title and filter rows often sit above the header (POS reports): the
  row, within the first :data:`HEAD_ROWS`, whose cells match the most known headers
  (every alias and every platform profile's header) is the header.
* **Sheet** — in a workbook the sheet whose header row matches the most known headers
  holds the orders.  Workbooks are read with python-calamine (Rust), which skips the
  empty rows a formatted sheet may declare, instead of openpyxl.
* **Text** — UTF-16 ("Unicode text" from Excel, tab separated), GB18030 and UTF-8 are
  decoded into one UTF-8 copy with ``\\n`` line ends; stray carriage returns are dropped.
* **Tolerant reading** — when DuckDB refuses a CSV even as text, Python's csv module
  reads it and rows with more cells than the header are counted as malformed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from diag.errors import DataError
from diag.platforms.registry import known_headers as known_profile_headers
from diag.platforms.registry import normalise_header
from diag.readers.aliases import ALIASES

HEAD_ROWS = 20
_CHUNK = 1 << 24


@dataclass
class Layout:
    """Return-value record: the sheet (workbooks), the 0-based header row and its score."""

    sheet: str | None = None
    header_row: int = 0
    sheets: tuple[str, ...] = ()
    malformed_rows: int = 0
    blank_rows: int = 0


def unique_names(names: list[str]) -> list[str]:
    """Return ``names`` with repeats numbered (``金额``, ``金额_1``, …), as DuckDB names repeated columns."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        seen[n] = k + 1
        out.append(n if k == 0 else f"{n}_{k}")
    return out


def header_score(cells: Iterable[object], known: set[str]) -> int:
    """Return how many cells of a row are known headers."""
    return sum(1 for c in cells if c not in (None, "") and normalise_header(c) in known)


def find_header_row(rows: Sequence[Sequence[object]], known: set[str]) -> tuple[int, int]:
    """Return (index, score) of the row among ``rows[:HEAD_ROWS]`` matching the most known
    headers; the earliest wins a tie, and row 0 when nothing matches."""
    best, score = 0, -1
    for i, row in enumerate(rows[:HEAD_ROWS]):
        s = header_score(row, known)
        if s > score:
            best, score = i, s
    return best, max(score, 0)


def known_headers() -> set[str]:
    """Return every alias of the reader and every profile header, normalised."""
    out = known_profile_headers()
    for names in ALIASES.values():
        out.update(normalise_header(n) for n in names)
    return out


# -- text ----------------------------------------------------------------------------------

def detect_text_encoding(head: bytes) -> str | None:
    """Return 'utf-16' for UTF-16 text (BOM, or NUL bytes in every other place), else None."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 8 and sample[1::2].count(0) > 0.4 * len(sample[1::2]):
        return "utf-16-le"
    return None


def transcode(path: Path, folder: str, encoding: str) -> Path:
    """Return a UTF-8 copy of ``path`` with ``\\n`` line ends, written in streaming chunks.

    ``\\r\\n`` becomes ``\\n``; in a file that has no ``\\n`` at all (old Mac text) a
    ``\\r`` is the line end, otherwise a lone ``\\r`` is dropped.
    """
    out = Path(folder) / "orders-utf8.csv"
    dec = codecs.getincrementaldecoder(encoding)("strict")
    saw_lf = False
    carry = ""
    try:
        with open(path, "rb") as src, open(out, "w", encoding="utf-8", newline="") as dst:
            while True:
                chunk = src.read(_CHUNK)
                text = carry + dec.decode(chunk, final=not chunk)
                carry = ""
                if text.endswith("\r") and chunk:
                    text, carry = text[:-1], "\r"
                saw_lf = saw_lf or "\n" in text
                text = text.replace("\r\n", "\n")
                text = text.replace("\r", "" if saw_lf else "\n")
                dst.write(text.lstrip("\ufeff") if dst.tell() == 0 else text)
                if not chunk:
                    break
    except UnicodeDecodeError:
        raise DataError(f"not a text table: the bytes are not {encoding} text", file=path) from None
    return out


def head_rows(csv_path: Path, delim: str, n: int = HEAD_ROWS) -> list[list[str]]:
    """Return the first ``n`` rows of a UTF-8 CSV (read leniently)."""
    with open(csv_path, "r", encoding="utf-8", errors="replace", newline="") as fh:
        text = fh.read(1 << 18)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delim):
            rows.append(row)
            if len(rows) >= n:
                break
    except csv.Error:
        pass
    return rows


def tolerant_csv(csv_path: Path, delim: str, skip: int) -> tuple[Any, list[str], int, int]:
    """Return (arrow table of text, headers, malformed rows, blank rows) read by Python's csv.

    Rows with more cells than the header are malformed and left out (counted); shorter
    rows are padded; blank lines are skipped (counted).
    """
    import pyarrow as pa

    malformed = blank = 0
    with open(csv_path, "r", encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader((line.replace("\0", "") for line in fh), delimiter=delim, strict=False)
        for _ in range(skip):
            next(reader, None)
        header = next(reader, None) or []
        names = unique_names([h.strip() or f"column{i}" for i, h in enumerate(header)])
        cols: list[list[str | None]] = [[] for _ in names]
        width = len(names)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                malformed += 1
                continue
            if not any(c.strip() for c in row):
                blank += 1
                continue
            if len(row) > width and any(c.strip() for c in row[width:]):
                malformed += 1
                continue
            for i in range(width):
                cols[i].append(row[i] if i < len(row) and row[i] != "" else None)
    table = pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, cols)})
    return table, names, malformed, blank


# -- workbooks -----------------------------------------------------------------------------

def cell_text(value: object) -> str | None:
    """Return a workbook cell as text: whole numbers without ``.0``, dates in ISO."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():  # ids: never 1.2e+18 or 12.0
        return str(int(value))
    return str(value)


#: A sheet's XML larger than this is checked for a long value-free tail (formatted empty rows).
BIG_SHEET = 32 << 20


def _value_free_tail(zf: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """Return (offset just after the row holding the last value, uncompressed size) of a
    sheet's XML, in one streaming pass (0 when no cell holds a value)."""
    last_value, cut, pos, tail = -1, 0, 0, b""
    with zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            base = pos - len(tail)
            found = max(data.rfind(b"<v>"), data.rfind(b"<is>"))  # memchr speed, no regex
            if found >= 0 and base + found > last_value:
                last_value, cut = base + found, 0
            if last_value >= 0 and not cut:
                end = data.find(b"</row>", max(last_value - base, 0))
                if end >= 0:
                    cut = base + end + len(b"</row>")
            tail = data[-16:]
            pos += len(chunk)
    return (cut or (pos if last_value >= 0 else 0)), pos


def trim_empty_rows(path: Path, folder: str) -> Path:
    """Return ``path``, or a copy whose big sheets end at their last row holding a value.

    Excel keeps formatting on rows nobody filled; a sheet may list ten million of them.
    Every reader (openpyxl, calamine) parses each listed row, so the copy drops the
    value-free tail before the sheet is read: two streaming passes over the XML.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return path
    with zf:
        cuts: dict[str, int] = {}
        for info in zf.infolist():
            if info.filename.startswith("xl/worksheets/") and info.file_size > BIG_SHEET:
                cut, size = _value_free_tail(zf, info.filename)
                if cut and size - cut > size // 2:
                    cuts[info.filename] = cut
        if not cuts:
            return path
        out = Path(folder) / "orders-trimmed.xlsx"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in zf.infolist():
                if info.filename not in cuts:
                    dst.writestr(info, zf.read(info.filename))
                    continue
                with zf.open(info.filename) as src, dst.open(info.filename, "w", force_zip64=True) as fh:
                    left = cuts[info.filename]
                    while left > 0 and (chunk := src.read(min(_CHUNK, left))):
                        fh.write(chunk)
                        left -= len(chunk)
                    fh.write(b"</sheetData></worksheet>")
    return out


def read_workbook(path: Path, known: set[str], folder: str | None = None) -> tuple[Any, list[str], Layout]:
    """Return (arrow table of text, headers, layout) for the sheet of a workbook that holds
    the orders (the one whose header row matches the most known headers)."""
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    source = trim_empty_rows(path, folder) if folder else path
    try:
        wb = CalamineWorkbook.from_path(str(source))
    except Exception as exc:  # noqa: BLE001 - any calamine failure means "not a workbook"
        raise DataError(f"not a readable XLSX workbook ({type(exc).__name__})", file=path) from None
    names = list(wb.sheet_names)
    best: tuple[int, int, str, int] | None = None  # (score, -order, name, header_row)
    parsed: dict[str, Any] = {}  # calamine parses a whole sheet when it is opened: once each
    for order, name in enumerate(names):
        try:
            sheet = parsed[name] = wb.get_sheet_by_name(name)
            head = []
            for sheet_row in sheet.iter_rows():
                head.append(list(sheet_row))
                if len(head) >= HEAD_ROWS:
                    break
        except Exception:  # noqa: BLE001 - a chart sheet or an unreadable one: skip it
            continue
        if not any(any(c not in (None, "") for c in r) for r in head):
            continue
        row, score = find_header_row(head, known)
        if best is None or (score, -order) > (best[0], best[1]):
            best = (score, -order, name, row)
    if best is None:
        raise DataError("the workbook has no sheet with data", file=path)
    _, _, name, header_row = best
    sheet = parsed[name]
    rows = sheet.iter_rows()
    for _ in range(header_row):
        next(rows, None)
    header = [cell_text(v) for v in next(rows, [])]
    while header and header[-1] is None:
        header.pop()
    headers = unique_names([(h or f"column{i}").strip() for i, h in enumerate(header)])
    cols: list[list[str | None]] = [[] for _ in headers]
    width = len(headers)
    blank = 0
    for row in rows:
        cells = [cell_text(v) for v in row[:width]]
        if not any(c is not None and c.strip() for c in cells):
            blank += 1
            continue
        for i in range(width):
            cols[i].append(cells[i] if i < len(cells) else None)
    table = pa.table({n: pa.array(c, pa.string()) for n, c in zip(headers, cols)})
    layout = Layout(sheet=name, header_row=header_row, sheets=tuple(names), blank_rows=blank)
    return table, headers, layout
