"""The orders reader's engine: DuckDB connection, file sources and the SQL rules.

Every reading rule of :mod:`diag.readers.orders` is written here once, as SQL: text cleaning,
the date formats, amount text, the status rule and the per-row validity reasons.
"""

from __future__ import annotations

import codecs
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, Callable

from diag.errors import DataError
from diag.readers.layout import (
    Layout,
    detect_text_encoding,
    find_header_row,
    head_rows,
    known_headers,
    read_workbook,
    tolerant_csv,
    transcode,
)
from diag.readers.meaning import (  # noqa: F401
    EXCLUDED_STATUS,
    KEPT_STATUS,
    REFUND_COLUMN_STATUS,
    excluded_sql,
    refund_sql,
    status_excluded,
)

#: Date formats tried after the ISO cast, in order (DuckDB ``strptime``).
DATE_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y%m%d", "%Y%m%d%H%M%S",
                "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日", "%Y.%m.%d %H:%M:%S",
                "%Y.%m.%d", "%Y-%m-%d %H:%M:%S.%f", "%Y/%m/%d %H:%M:%S.%f")

SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq"}
_TEXT_TYPES = ("VARCHAR",)


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
    """Return 'utf-8', 'gb18030' or 'utf-16' from the file's head (the first 4 MB).

    UTF-16 is known by its BOM or its NUL bytes; otherwise the head is decoded strictly
    as UTF-8; DuckDB checks the rest as it reads and :func:`load` falls back to GB18030
    if it finds a byte that is not UTF-8.
    """
    with open(path, "rb") as fh:
        head = fh.read(1 << 22)
    wide = detect_text_encoding(head)
    if wide:
        return wide
    if b"\x00" in head:
        raise DataError("not a text table (binary content); expected CSV, XLSX or Parquet", file=path)
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _sniff_delimiter(rows_text: str) -> str:
    """Return the delimiter most used on the busiest of the first lines (title rows above
    the header may hold none)."""
    lines = rows_text.splitlines()[:20] or [""]
    counts = {d: max(line.count(d) for line in lines) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


#: Reading modes, tried in order by :func:`diag.readers.orders.load`: DuckDB with sniffed types,
#: DuckDB with text columns, DuckDB on a re-encoded copy with clean line ends, Python's csv.
MODES = ("fast", "text", "normalised", "tolerant")


def _open_source(con: Any, path: Path, folder: str, encoding: str | None = None, mode: str = "fast"
                 ) -> tuple[dict[str, str], str, tuple[Path, str, int] | None, Any]:
    """Create the view ``src`` over the file; return its ``{header: type}``, encoding, for
    CSV the (UTF-8 file, delimiter, header row) DuckDB reads, and the :class:`Layout`."""
    csv_info = None
    layout = Layout()
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
            table, _, layout = read_workbook(path, known_headers(), folder)
            con.register("src", table)
            encoding = "xlsx"
        else:
            encoding = encoding or _detect_encoding(path)
            plain = encoding == "utf-8" and mode in ("fast", "text")
            csv = path if plain else transcode(path, folder, encoding)
            with open(csv, "r", encoding="utf-8", errors="replace", newline="") as fh:
                delim = _sniff_delimiter(fh.read(1 << 16))
            skip, _ = find_header_row(head_rows(csv, delim), known_headers())
            layout.header_row = skip
            if mode == "tolerant":
                table, _, layout.malformed_rows, layout.blank_rows = tolerant_csv(csv, delim, skip)
                con.register("src", table)
            else:
                con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM {_read_csv(csv, delim, skip=skip)}")
                csv_info = (csv, delim, skip)
        types = {r[0]: r[1] for r in con.execute("DESCRIBE src").fetchall()}
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - DuckDB's errors for a file it cannot parse
        raise _SourceError(_first_line(exc)) from None
    return types, encoding, csv_info, layout


class _SourceError(Exception):
    """DuckDB could not open the file in this mode (the next mode is tried)."""


def _read_csv(csv: Path, delim: str, types: dict[str, str] | None = None, skip: int = 0) -> str:
    """Return the read_csv call: every column text (short rows padded), or the given types
    with the rest sniffed (faster: null_padding turns DuckDB's parallel reader off)."""
    opts = f"header=true, delim={_sql_str(delim)}, quote='\"', escape='\"'"
    if skip:
        opts += f", skip={int(skip)}"
    if types is None:
        return f"read_csv({_sql_str(str(csv))}, all_varchar=true, null_padding=true, {opts})"
    spec = "{" + ", ".join(f"{_sql_str(k)}: {_sql_str(v)}" for k, v in types.items()) + "}"
    return f"read_csv({_sql_str(str(csv))}, types={spec}, {opts})"


def _typed_csv(con: Any, types: dict[str, str], mapping: dict[str, str], csv: Path, delim: str,
               skip: int = 0) -> dict[str, str]:
    """Re-open ``src`` with the date, amount and quantity columns typed by DuckDB's sniffer.

    Reading a clean timestamp or number is much faster than parsing text; a value the
    sniffed type cannot hold makes the read fail and :func:`load` reads as text again.
    """
    sniffed = {mapping[k] for k in ("paid_at", "amount", "quantity") if k in mapping}
    fixed = {h: "VARCHAR" for h in types if h not in sniffed}
    con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM {_read_csv(csv, delim, fixed, skip)}")
    return {r[0]: r[1] for r in con.execute("DESCRIBE src").fetchall()}


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


# -- SQL rules ---------------------------------------------------------------------------

#: Characters trimmed from every text cell; ids also lose Excel's ="…" and '… text marks.
_BLANK = (" \t", " \t")
_ID_MARKS = (" \t='", " \t\"")
#: Cell texts that mean "empty" in exports (after trimming).
NULL_TOKENS = ("-", "--", "---", "—", "——", "null", "NULL", "Null", "none", "None", "无", "N/A", "n/a", "#N/A")
#: First characters of a null token: a cell starting with one takes the cleaning path.
_NULL_LEAD = "-—nN无#"


def _text(col: str, typ: str, marks: tuple[str, str] = _BLANK) -> str:
    """Return SQL for a cell as trimmed text, NULL when empty or a null token (``-``, ``无`` …).

    trim() copies every string; only a value that starts with one of ``marks[0]`` (or a
    null token's first character) or ends with one of ``marks[1]`` (one-character marks)
    needs it, and the ascii() and last-character tests copy nothing.
    """
    if typ in ("DOUBLE", "FLOAT"):
        val = (f"CASE WHEN {col} = floor({col}) AND abs({col}) < 1e20 THEN "
               f"CAST(CAST({col} AS HUGEINT) AS VARCHAR) ELSE CAST({col} AS VARCHAR) END")
    elif typ == "VARCHAR":
        val = col
    else:
        return f"CAST({col} AS VARCHAR)"
    lead, trail = marks
    # One equality per first character and one IN test of the last character: DuckDB
    # plans ``ascii(x) IN (…)`` as a join, and three ends_with() tests cost about twice
    # as much as the one ``x[-1]`` (the last code point, so equal to ends_with for a
    # one-character mark).
    firsts = [str(ord(c)) for c in dict.fromkeys(lead + _NULL_LEAD)]
    if typ == "VARCHAR":
        ends = " OR ".join([f"ascii({val}) = {n}" for n in firsts]
                           + [f"{val}[-1] IN ({', '.join(_sql_str(c) for c in trail)})"])
    else:
        ends = " OR ".join([f"ascii({val}) IN ({', '.join(firsts)})"]
                           + [f"ends_with({val}, {_sql_str(c)})" for c in trail])
    strip = "".join(dict.fromkeys(lead + trail + "\r\n\u3000"))
    tokens = ", ".join(_sql_str(t) for t in NULL_TOKENS)
    cleaned = f"CASE WHEN trim({val}, {_sql_str(strip)}) IN ({tokens}) THEN NULL ELSE trim({val}, {_sql_str(strip)}) END"
    return f"nullif(CASE WHEN {ends} THEN {cleaned} ELSE {val} END, '')"


#: Dates that exports write for "no date": before 1900-01-02, or the Unix epoch day.
_PLACEHOLDER_TEXT = "^(0{4}|0001|1899-12-3[01]|1900-0?1-0?[01]|1970-0?1-0?1)([^0-9]|$)"


def _timestamp(col: str, typ: str) -> str:
    """Return SQL for a cell as a timestamp; a placeholder date (0001-01-01, 1970-01-01,
    1900-01-00 …) is NULL."""
    if typ.startswith("TIMESTAMP") or typ == "DATE":
        return (f"CASE WHEN {col} < TIMESTAMP '1900-01-02' OR ({col} >= TIMESTAMP '1970-01-01' AND "
                f"{col} < TIMESTAMP '1970-01-02') THEN NULL ELSE CAST({col} AS TIMESTAMP) END")
    t = _text(col, typ)
    fmts = "[" + ", ".join(_sql_str(f) for f in DATE_FORMATS) + "]"
    serial = (f"CASE WHEN regexp_full_match({t}, '[1-9][0-9]{{4}}(\\.[0-9]+)?') THEN TIMESTAMP '1899-12-30' "
              f"+ to_microseconds(CAST(CAST({t} AS DOUBLE) * 86400000000 AS BIGINT)) END")
    ts = f"coalesce(try_cast({t} AS TIMESTAMP), try_strptime({t}, {fmts}), {serial})"
    # Text placeholders (0001-01-01, 1970-01-01 08:00:00, 1900-01-00) are caught by their
    # spelling; a serial number needs five digits (1927 on), so it is never one.
    return f"CASE WHEN regexp_matches({t}, {_sql_str(_PLACEHOLDER_TEXT)}) THEN NULL ELSE {ts} END"


def placeholder_date_sql(col: str, typ: str) -> str:
    """Return SQL that is true when a date cell holds a placeholder date."""
    if typ.startswith("TIMESTAMP") or typ == "DATE":
        return (f"({col} < TIMESTAMP '1900-01-02' OR ({col} >= TIMESTAMP '1970-01-01' AND "
                f"{col} < TIMESTAMP '1970-01-02'))")
    return f"coalesce(regexp_matches({_text(col, typ)}, {_sql_str(_PLACEHOLDER_TEXT)}), false)"


_FULLWIDTH = ("０１２３４５６７８９．－＋", "0123456789.-+")


def _number_parts(col: str, typ: str) -> tuple[str, str, str]:
    """Return SQL for (plain cast, cleaned cast, leading number) of an amount cell."""
    t = _text(col, typ)
    cleaned = (f"regexp_replace(translate({t}, {_sql_str(_FULLWIDTH[0])}, {_sql_str(_FULLWIDTH[1])}), "
               f"'[¥￥,，元\\s]|RMB|CNY|rmb|cny', '', 'g')")
    lead = f"try_cast(nullif(regexp_extract({cleaned}, '^[+-]?[0-9]+(\\.[0-9]+)?', 0), '') AS DOUBLE)"
    return f"try_cast({t} AS DOUBLE)", f"try_cast({cleaned} AS DOUBLE)", lead


def _number(col: str, typ: str) -> str:
    """Return SQL for an amount: plain numbers, ``¥1,299.00``, full-width digits, and the
    number that leads an annotated text (``499.00（系统计算中…）``)."""
    if typ not in _TEXT_TYPES:
        return f"try_cast({col} AS DOUBLE)"
    return "coalesce(" + ", ".join(_number_parts(col, typ)) + ")"


def annotated_amount_sql(col: str, typ: str) -> str:
    """Return SQL that is true when an amount was read from the number leading a note."""
    if typ not in _TEXT_TYPES:
        return "false"
    plain, cleaned, lead = _number_parts(col, typ)
    return f"({plain} IS NULL AND {cleaned} IS NULL AND {lead} IS NOT NULL)"


def _excluded_fast(col: str, typ: str, seen: list[str],
                   decide: Callable[[object], bool] = status_excluded) -> str:
    """Return SQL for ``decide`` (:func:`status_excluded`) of a raw status cell.

    A raw text cell equal to a status seen in the sample is decided by a plain IN test
    (a seen value is already trimmed, so the raw cell needs no cleaning); any other cell
    is cleaned and decided by :func:`diag.readers.meaning.excluded_sql`.
    """
    full = excluded_sql(_text(col, typ), seen, decide)
    if typ != "VARCHAR" or not seen:
        return full
    out = [f"WHEN {col} IS NULL THEN false"]
    for flag in (True, False):
        values = [v for v in seen if decide(v) is flag]
        if values:
            out.append(f"WHEN {col} IN ({', '.join(map(_sql_str, values))}) THEN {str(flag).lower()}")
    return f"CASE {' '.join(out)} ELSE {full} END"


#: Every reason :func:`_parse_sql` tags a row with (the metrics path stores it as this
#: one-byte ENUM: a VARCHAR column costs 5 bytes a row even when NULL).
ROW_REASONS = ("blank row", "total row", "missing order id", "missing customer", "placeholder date",
               "missing date", "unparseable date", "future date", "missing amount", "unparseable amount",
               "negative amount")


def reason_code(column: str = "reason") -> str:
    """Return SQL for a row's reason as the one-byte ENUM of :data:`ROW_REASONS`."""
    return f"CAST({column} AS ENUM({', '.join(map(_sql_str, ROW_REASONS))}))"


#: Text in a total row's first cells (合计 / 总计 / 汇总 / 本页合计 …).
_TOTAL_ROW = "^\\s*(本页|本月|全部)?(合计|总计|汇总|小计|total)"


def _parse_sql(mapping: dict[str, str], types: dict[str, str], now: dt.datetime, lean: bool,
               seen: list[str], vocabulary: dict[str, str] | None = None, walk_ins: bool = False,
               source: str = "src") -> str:
    """Return the SELECT that turns the rows of ``source`` (a table, view or subquery
    with ``src``'s columns) into typed, reason-tagged rows.

    ``row_h`` hashes every column of the raw row (exact duplicates share it).  With
    ``lean`` the ids become 64-bit hashes and only what the metrics need is kept, and
    ``line_h`` hashes only the raw order id, amount, product, quantity and line id cells
    (those mapped): two exact duplicate lines share it, and it costs much less than
    ``row_h``, which DuckDB computes on about one core.
    ``vocabulary`` is a profile's ``{status: meaning}``; with ``walk_ins`` a row without
    a customer is a walk-in order (customer NULL), not an unusable row.
    """
    def col(key: str) -> tuple[str, str] | None:
        return (_ident(mapping[key]), types[mapping[key]]) if key in mapping else None

    def decide(value: object) -> bool:
        return status_excluded(value, vocabulary)

    seen = list(dict.fromkeys([*seen, *(vocabulary or {})]))
    oid, cid = col("order_id"), col("customer_id")
    pay, amt = col("paid_at"), col("amount")
    assert oid and pay and amt and (cid or walk_ins)
    first = _ident(next(iter(types)))
    parts = {
        "order_id": _text(*oid, _ID_MARKS),
        "customer_id": _text(*cid, _ID_MARKS) if cid else "CAST(NULL AS VARCHAR)",
        "paid_at": _timestamp(*pay),
        "amount": _number(*amt),
        "paid_raw": pay[0],
        "amount_raw": amt[0],
        "first_raw": first,
        "row_h": "hash(" + ", ".join(_ident(h) for h in types) + ")",
    }
    if lean:
        parts["line_h"] = "hash(" + ", ".join(_ident(mapping[k]) for k in (
            "order_id", "amount", "product", "quantity", "line_id") if k in mapping) + ")"
    st = col("status")
    parts["status_raw"] = st[0] if st else "CAST(NULL AS VARCHAR)"
    parts["excluded"] = _excluded_fast(*st, seen, decide) if st else "false"
    refund_cols = {k: c for k in ("refund_amount", "refund_status", "refund_flag", "close_reason")
                   if (c := col(k)) is not None}
    for key, c in refund_cols.items():
        parts[key] = _number(*c) if key == "refund_amount" else _text(*c)
    optional = () if lean else ("channel", "store", "product", "category")
    for key in optional:
        c = col(key)
        parts[key] = _text(*c) if c else "CAST(NULL AS VARCHAR)"
    q = col("quantity")
    if not lean:
        parts["quantity"] = _number(*q) if q else "CAST(NULL AS DOUBLE)"
    inner = ",\n  ".join(f"{v} AS {k}" for k, v in parts.items())
    source = f"(SELECT\n  {inner}\nFROM {source})"
    refund_full = "false"
    if refund_cols:
        # A middle layer decides full and partial refunds from the parsed cells: a fully
        # refunded line is excluded whatever its main status; a partial refund is subtracted.
        full, partial = refund_sql("amount", "refund_amount" if "refund_amount" in refund_cols else None,
                                   *(k if k in refund_cols else None
                                     for k in ("refund_status", "refund_flag", "close_reason")))
        source = (f"(SELECT * EXCLUDE (amount, excluded), excluded AS status_excl, {full} AS refund_full, "
                  f"excluded OR {full} AS excluded, "
                  f"CASE WHEN NOT ({full}) AND {partial} IS NOT NULL THEN amount - {partial} ELSE amount END "
                  f"AS amount FROM {source})")
        refund_full = "refund_full"  # a closed order that was refunded is labelled a refund
    customer_ok = "" if walk_ins else "customer_id IS NOT NULL AND "
    # A cheap AND chain decides validity; the reason CASE runs only for invalid rows.  The
    # status is decided first: a closed, unpaid or refunded line only needs its order id to
    # be counted as excluded (such exports often leave its payment time or amount blank).
    ok = (f"order_id IS NOT NULL AND (excluded OR ({customer_ok}paid_at IS NOT NULL AND "
          f"paid_at <= TIMESTAMP '{now:%Y-%m-%d %H:%M:%S}' AND amount >= 0 AND NOT isinf(amount)))")
    paid_text, amount_text = _text("paid_raw", pay[1]), _text("amount_raw", amt[1])
    reason = (f"CASE WHEN {ok} THEN NULL "
              f"WHEN order_id IS NULL AND customer_id IS NULL AND {paid_text} IS NULL AND {amount_text} IS NULL "
              f"THEN 'blank row' "
              f"WHEN regexp_matches(coalesce(order_id, {_text('first_raw', types[next(iter(types))])}, ''), "
              f"{_sql_str('(?i)' + _TOTAL_ROW)}) THEN 'total row' "
              f"WHEN order_id IS NULL THEN 'missing order id' "
              f"WHEN customer_id IS NULL THEN 'missing customer' "
              f"WHEN {placeholder_date_sql('paid_raw', pay[1])} THEN 'placeholder date' "
              f"WHEN {paid_text} IS NULL THEN 'missing date' "
              f"WHEN paid_at IS NULL THEN 'unparseable date' "
              f"WHEN paid_at > TIMESTAMP '{now:%Y-%m-%d %H:%M:%S}' THEN 'future date' "
              f"WHEN {amount_text} IS NULL THEN 'missing amount' "
              f"WHEN amount IS NULL OR isnan(amount) OR isinf(amount) THEN 'unparseable amount' "
              f"WHEN amount < 0 THEN 'negative amount' END")
    # The reason CASE reads the raw date and amount cells as text only for rows that
    # fail the validity test; the metrics path cleans the status text only on excluded rows.
    status = _text("status_raw", st[1]) if st else "CAST(NULL AS VARCHAR)"
    if refund_cols:
        status = f"CASE WHEN {refund_full} THEN {_sql_str(REFUND_COLUMN_STATUS)} ELSE {status} END"
    cust = "CASE WHEN customer_id IS NULL THEN NULL ELSE hash(customer_id) END" if walk_ins \
        else "hash(customer_id)"
    if lean:
        keep = (f"line_h, hash(order_id) AS order_id, {cust} AS customer_id, paid_at, amount, "
                f"excluded, CASE WHEN excluded THEN {status} END AS status")
    else:
        keep = (f"order_id, customer_id, paid_at, amount, excluded, {status} AS status, channel, store, "
                f"product, category, quantity")
    return f"SELECT row_h, {keep}, {reason} AS reason FROM {source}"


def order_key_sql(mapping: dict[str, str], types: dict[str, str]) -> str:
    """Return SQL for a raw row's hashed order id, as :func:`_parse_sql` computes it with ``lean``."""
    return f"hash({_text(_ident(mapping['order_id']), types[mapping['order_id']], _ID_MARKS)})"


def notes_sql(mapping: dict[str, str], types: dict[str, str]) -> str | None:
    """Return a SELECT counting (amounts read from annotated text, placeholder dates) over
    ``src``, or None when neither can occur (typed date and amount columns)."""
    amt, pay = mapping["amount"], mapping["paid_at"]
    annotated = annotated_amount_sql(_ident(amt), types[amt])
    if annotated == "false" and not types[pay] == "VARCHAR":
        return None
    placeholder = placeholder_date_sql(_ident(pay), types[pay])
    return (f"SELECT count(*) FILTER (WHERE {annotated}), count(*) FILTER (WHERE {placeholder}) FROM src")


def kept_first(column: str) -> str:
    """Return SQL for an order's ``column`` taken from its kept lines, else from any line.

    An order's customer, date, channel and store come from the lines that count; only
    an order whose every line is excluded falls back to those lines.
    """
    return f"coalesce(min({column}) FILTER (WHERE NOT excluded), min({column}))"
