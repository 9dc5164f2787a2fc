"""The orders reader's engine: DuckDB connection, file sources and the SQL rules.

Every reading rule of :mod:`diag.orders` is written here once, as SQL: text cleaning,
the date formats, amount text, the status rule and the per-row validity reasons.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from .errors import DataError

#: Status words that exclude a line (lower-cased substrings); KEPT_STATUS wins over them.
EXCLUDED_STATUS = ("交易关闭", "已关闭", "关闭", "已取消", "取消", "待付款", "未付款", "待支付", "未支付",
                   "等待买家付款", "退款成功", "已退款", "全额退款", "作废", "closed", "cancel",
                   "refunded", "unpaid", "wait_buyer_pay", "pending payment", "no_create_pay", "void")
KEPT_STATUS = ("部分退款", "partial")

#: Date formats tried after the ISO cast, in order (DuckDB ``strptime``).
DATE_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y%m%d", "%Y%m%d%H%M%S",
                "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日", "%Y.%m.%d %H:%M:%S",
                "%Y.%m.%d", "%Y-%m-%d %H:%M:%S.%f", "%Y/%m/%d %H:%M:%S.%f")

SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq"}
_TEXT_TYPES = ("VARCHAR",)
_CHUNK = 1 << 24


# -- engine ------------------------------------------------------------------------------

_SPILL: list[str] = []


def _spill_dir() -> str:
    # One private spill folder per process, removed when the process ends.
    if not _SPILL:
        import atexit
        import shutil

        _SPILL.append(tempfile.mkdtemp(prefix="diag-duckdb-"))
        atexit.register(shutil.rmtree, _SPILL[0], True)
    return _SPILL[0]


def connect(memory_limit: str = "1.4GB", threads: int = 2) -> Any:
    """Return an in-memory DuckDB connection with bounded memory and a private spill folder.

    1.4 GB for DuckDB keeps a 10-million-order ``diag metrics`` under 2 GB peak RSS; past
    it DuckDB spills to disk rather than failing.
    """
    import duckdb

    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads,
                                 "temp_directory": _spill_dir(),
                                 "preserve_insertion_order": False})
    con.execute("SET enable_progress_bar = false")
    return con


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- sources ------------------------------------------------------------------------------

def _check_file(path: Path) -> None:
    if not path.exists():
        raise DataError("orders file not found", file=path)
    if not path.is_file():
        raise DataError("expected an orders file, found a directory", file=path)
    if path.suffix.lower() not in SUFFIXES:
        hint = " (save it as .xlsx or CSV)" if path.suffix.lower() == ".xls" else ""
        raise DataError(f"unsupported file type '{path.suffix}'{hint}; expected .csv, .xlsx or .parquet",
                        file=path)
    if path.stat().st_size == 0:
        raise DataError("the orders file is empty", file=path)


def _detect_encoding(path: Path) -> str:
    """Return 'utf-8' or 'gb18030' from the file's head (the first 4 MB).

    The head is decoded strictly as UTF-8; DuckDB checks the rest as it reads and
    :func:`load` falls back to GB18030 if it finds a byte that is not UTF-8.
    """
    with open(path, "rb") as fh:
        head = fh.read(1 << 22)
    if b"\x00" in head:
        raise DataError("not a text table (binary content); expected CSV, XLSX or Parquet", file=path)
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _transcode(path: Path, folder: str) -> Path:
    """Return a UTF-8 copy of a GB18030 file, written in streaming chunks."""
    out = Path(folder) / "orders-utf8.csv"
    dec = codecs.getincrementaldecoder("gb18030")("strict")
    try:
        with open(path, "rb") as src, open(out, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(dec.decode(chunk))
            dst.write(dec.decode(b"", final=True))
    except UnicodeDecodeError:
        raise DataError("not a text table: neither UTF-8 nor GBK/GB18030 text", file=path) from None
    return out


def _sniff_delimiter(path: Path) -> str:
    with open(path, "rb") as fh:
        first = fh.readline(1 << 16).decode("utf-8", "replace")
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _register_xlsx(con: Any, path: Path) -> list[str]:
    import openpyxl
    import pyarrow as pa

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any openpyxl failure means "not a workbook"
        raise DataError(f"not a readable XLSX workbook ({type(exc).__name__})", file=path) from None
    try:
        sheet = wb.active if wb.active is not None else wb.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header: list[str] = []
        for row in rows:
            if any(v not in (None, "") for v in row):
                header = [str(v).strip() if v is not None else f"column{i}" for i, v in enumerate(row)]
                break
        data: list[list[str | None]] = [[] for _ in header]
        for row in rows:
            for i in range(len(header)):
                data[i].append(_cell_text(row[i]) if i < len(row) else None)
    finally:
        wb.close()
    if not header:
        raise DataError("the workbook's first sheet is empty", file=path)
    names = _unique(header)
    con.register("src", pa.table({n: pa.array(col, pa.string()) for n, col in zip(names, data)}))
    return names


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        seen[n] = k + 1
        out.append(n if k == 0 else f"{n}_{k}")
    return out


def _open_source(con: Any, path: Path, folder: str, encoding: str | None = None
                 ) -> tuple[dict[str, str], str, tuple[Path, str] | None]:
    """Create the view ``src`` over the file; return its ``{header: type}``, encoding and,
    for CSV, the (UTF-8 file, delimiter) it reads."""
    csv_info = None
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        magic = fh.read(4)
    try:
        if suffix in (".parquet", ".pq"):
            if magic != b"PAR1":
                raise DataError("not a Parquet file (bad magic bytes)", file=path)
            con.execute(f"CREATE VIEW src AS SELECT * FROM read_parquet({_sql_str(str(path))})")
            encoding = "parquet"
        elif suffix in (".xlsx", ".xlsm"):
            if magic[:2] != b"PK":
                raise DataError("not an XLSX workbook (not a zip file)", file=path)
            _register_xlsx(con, path)
            encoding = "xlsx"
        else:
            encoding = encoding or _detect_encoding(path)
            csv = path if encoding == "utf-8" else _transcode(path, folder)
            delim = _sniff_delimiter(csv)
            con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM {_read_csv(csv, delim)}")
            csv_info = (csv, delim)
        types = {r[0]: r[1] for r in con.execute("DESCRIBE src").fetchall()}
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - DuckDB's errors for a file it cannot parse
        raise DataError(f"cannot read the table: {_first_line(exc)}", file=path) from None
    return types, encoding, csv_info


def _read_csv(csv: Path, delim: str, types: dict[str, str] | None = None) -> str:
    """Return the read_csv call: every column text (short rows padded), or the given types
    with the rest sniffed (faster: null_padding turns DuckDB's parallel reader off)."""
    opts = f"header=true, delim={_sql_str(delim)}, quote='\"', escape='\"'"
    if types is None:
        return f"read_csv({_sql_str(str(csv))}, all_varchar=true, null_padding=true, {opts})"
    spec = "{" + ", ".join(f"{_sql_str(k)}: {_sql_str(v)}" for k, v in types.items()) + "}"
    return f"read_csv({_sql_str(str(csv))}, types={spec}, {opts})"


def _typed_csv(con: Any, types: dict[str, str], mapping: dict[str, str], csv: Path, delim: str
               ) -> dict[str, str]:
    """Re-open ``src`` with the date, amount and quantity columns typed by DuckDB's sniffer.

    Reading a clean timestamp or number is much faster than parsing text; a value the
    sniffed type cannot hold makes the read fail and :func:`load` reads as text again.
    """
    sniffed = {mapping[k] for k in ("paid_at", "amount", "quantity") if k in mapping}
    fixed = {h: "VARCHAR" for h in types if h not in sniffed}
    con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM {_read_csv(csv, delim, fixed)}")
    return {r[0]: r[1] for r in con.execute("DESCRIBE src").fetchall()}


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


# -- SQL rules ---------------------------------------------------------------------------

#: Characters trimmed from every text cell; ids also lose Excel's ="…" and '… text marks.
_BLANK = (" \t", " \t")
_ID_MARKS = (" \t='", " \t\"")


def _text(col: str, typ: str, marks: tuple[str, str] = _BLANK) -> str:
    """Return SQL for a cell as trimmed text, NULL when empty.

    trim() copies every string; only a value that starts with one of ``marks[0]`` or
    ends with one of ``marks[1]`` needs it, and ascii()/ends_with() tests copy nothing.
    """
    if typ in ("DOUBLE", "FLOAT"):
        val = (f"CASE WHEN {col} = floor({col}) AND abs({col}) < 1e15 THEN "
               f"CAST(CAST({col} AS HUGEINT) AS VARCHAR) ELSE CAST({col} AS VARCHAR) END")
    elif typ == "VARCHAR":
        val = col
    else:
        return f"CAST({col} AS VARCHAR)"
    lead, trail = marks
    ends = " OR ".join([f"ascii({val}) IN ({', '.join(str(ord(c)) for c in lead)})"]
                       + [f"ends_with({val}, {_sql_str(c)})" for c in trail])
    strip = "".join(dict.fromkeys(lead + trail + "\r\n"))
    return f"nullif(CASE WHEN {ends} THEN trim({val}, {_sql_str(strip)}) ELSE {val} END, '')"


def _timestamp(col: str, typ: str) -> str:
    if typ.startswith("TIMESTAMP") or typ == "DATE":
        return f"CAST({col} AS TIMESTAMP)"
    t = _text(col, typ)
    fmts = "[" + ", ".join(_sql_str(f) for f in DATE_FORMATS) + "]"
    serial = (f"CASE WHEN regexp_full_match({t}, '[1-9][0-9]{{4}}(\\.[0-9]+)?') THEN TIMESTAMP '1899-12-30' "
              f"+ to_microseconds(CAST(CAST({t} AS DOUBLE) * 86400000000 AS BIGINT)) END")
    return f"coalesce(try_cast({t} AS TIMESTAMP), try_strptime({t}, {fmts}), {serial})"


def _number(col: str, typ: str) -> str:
    if typ not in _TEXT_TYPES:
        return f"try_cast({col} AS DOUBLE)"
    t = _text(col, typ)
    cleaned = f"regexp_replace({t}, '[¥￥,，元\\s]|RMB|CNY|rmb|cny', '', 'g')"
    return f"coalesce(try_cast({t} AS DOUBLE), try_cast({cleaned} AS DOUBLE))"


# Plain words only, so the same pattern runs in Python's re and in DuckDB's RE2.
_EXCLUDED_RE = re.compile("|".join(EXCLUDED_STATUS), re.IGNORECASE)
_KEPT_RE = re.compile("|".join(KEPT_STATUS), re.IGNORECASE)


def status_excluded(status: object) -> bool:
    """Return True when a status text says closed, cancelled, unpaid or fully refunded."""
    if status is None or (isinstance(status, float) and status != status):
        return False
    text = str(status)
    return bool(_EXCLUDED_RE.search(text)) and not _KEPT_RE.search(text)


def _excluded_sql(status: str, seen: list[str]) -> str:
    """Return SQL for :func:`status_excluded`: the statuses seen in a sample are decided
    in Python (a fast IN list), any other value by the same regular expressions."""
    out = []
    for flag in (True, False):
        values = [v for v in seen if status_excluded(v) is flag]
        if values:
            out.append(f"WHEN {status} IN ({', '.join(map(_sql_str, values))}) THEN {str(flag).lower()}")
    regex = (f"regexp_matches({status}, {_sql_str('(?i)' + _EXCLUDED_RE.pattern)}) AND NOT "
             f"regexp_matches({status}, {_sql_str('(?i)' + _KEPT_RE.pattern)})")
    return f"CASE WHEN {status} IS NULL THEN false {' '.join(out)} ELSE {regex} END"


def _excluded_fast(col: str, typ: str, seen: list[str]) -> str:
    """Return SQL for :func:`status_excluded` of a raw status cell.

    A raw text cell equal to a status seen in the sample is decided by a plain IN test
    (a seen value is already trimmed, so the raw cell needs no cleaning); any other cell
    is cleaned and decided by :func:`_excluded_sql`.
    """
    full = _excluded_sql(_text(col, typ), seen)
    if typ != "VARCHAR" or not seen:
        return full
    out = [f"WHEN {col} IS NULL THEN false"]
    for flag in (True, False):
        values = [v for v in seen if status_excluded(v) is flag]
        if values:
            out.append(f"WHEN {col} IN ({', '.join(map(_sql_str, values))}) THEN {str(flag).lower()}")
    return f"CASE {' '.join(out)} ELSE {full} END"


def _parse_sql(mapping: dict[str, str], types: dict[str, str], now: dt.datetime, lean: bool,
               seen: list[str]) -> str:
    """Return the SELECT that turns ``src`` rows into typed, reason-tagged rows.

    ``row_h`` hashes every column of the raw row (exact duplicates share it).  With
    ``lean`` the ids become 64-bit hashes and only what the metrics need is kept.
    """
    def col(key: str) -> tuple[str, str] | None:
        return (_ident(mapping[key]), types[mapping[key]]) if key in mapping else None

    oid, cid = col("order_id"), col("customer_id")
    pay, amt = col("paid_at"), col("amount")
    assert oid and cid and pay and amt
    parts = {
        "order_id": _text(*oid, _ID_MARKS),
        "customer_id": _text(*cid, _ID_MARKS),
        "paid_at": _timestamp(*pay),
        "amount": _number(*amt),
        "paid_raw": pay[0],
        "amount_raw": amt[0],
        "row_h": "hash(" + ", ".join(_ident(h) for h in types) + ")",
    }
    st = col("status")
    parts["status_raw"] = st[0] if st else "CAST(NULL AS VARCHAR)"
    parts["excluded"] = _excluded_fast(*st, seen) if st else "false"
    optional = () if lean else ("channel", "store", "product", "category")
    for key in optional:
        c = col(key)
        parts[key] = _text(*c) if c else "CAST(NULL AS VARCHAR)"
    q = col("quantity")
    if not lean:
        parts["quantity"] = _number(*q) if q else "CAST(NULL AS DOUBLE)"
    inner = ",\n  ".join(f"{v} AS {k}" for k, v in parts.items())
    # A cheap AND chain decides validity; the reason CASE runs only for invalid rows.  The
    # status is decided first: a closed, unpaid or refunded line only needs its order id to
    # be counted as excluded (such exports often leave its payment time or amount blank).
    ok = (f"order_id IS NOT NULL AND (excluded OR (customer_id IS NOT NULL AND paid_at IS NOT NULL AND "
          f"paid_at <= TIMESTAMP '{now:%Y-%m-%d %H:%M:%S}' AND amount >= 0 AND NOT isinf(amount)))")
    reason = (f"CASE WHEN {ok} THEN NULL "
              f"WHEN order_id IS NULL THEN 'missing order id' "
              f"WHEN customer_id IS NULL THEN 'missing customer' "
              f"WHEN {_text('paid_raw', pay[1])} IS NULL THEN 'missing date' "
              f"WHEN paid_at IS NULL THEN 'unparseable date' "
              f"WHEN paid_at > TIMESTAMP '{now:%Y-%m-%d %H:%M:%S}' THEN 'future date' "
              f"WHEN {_text('amount_raw', amt[1])} IS NULL THEN 'missing amount' "
              f"WHEN amount IS NULL OR isnan(amount) OR isinf(amount) THEN 'unparseable amount' "
              f"WHEN amount < 0 THEN 'negative amount' END")
    # The reason CASE reads the raw date and amount cells as text only for rows that
    # fail the validity test; the metrics path cleans the status text only on excluded rows.
    status = _text("status_raw", st[1]) if st else "CAST(NULL AS VARCHAR)"
    if lean:
        keep = (f"hash(order_id) AS order_id, hash(customer_id) AS customer_id, paid_at, amount, "
                f"excluded, CASE WHEN excluded THEN {status} END AS status")
    else:
        keep = (f"order_id, customer_id, paid_at, amount, excluded, {status} AS status, channel, store, "
                f"product, category, quantity")
    return f"SELECT row_h, {keep}, {reason} AS reason FROM (SELECT\n  {inner}\nFROM src)"


def kept_first(column: str) -> str:
    """Return SQL for an order's ``column`` taken from its kept lines, else from any line.

    An order's customer, date, channel and store come from the lines that count; only
    an order whose every line is excluded falls back to those lines.
    """
    return f"coalesce(min({column}) FILTER (WHERE NOT excluded), min({column}))"
