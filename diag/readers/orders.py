"""The orders reader: one order export in, clean orders and line items out.

Client exports come from 有赞, 微盟, 微信小店, 淘宝, a POS or a spreadsheet: CSV in
UTF-8 (with or without BOM) or GBK / GB18030, XLSX or Parquet; Chinese or English
headers; often one row per line item; statuses to filter; amounts written ``¥1,299.00``;
mixed date formats.  Every rule below is written once, in SQL run by an embedded
DuckDB (:mod:`diag.readers.orders_sql`), so a 10-million-row file is read in seconds and in
bounded memory:

* **Columns** — headers match the aliases in :data:`ALIASES` ignoring case, spaces,
  ``_``/``-`` and a unit suffix such as ``(元)``; a brief's explicit mapping wins.
* **Amount level** — a line-level amount (商品实付金额 …) or a plain one (实付金额 …) is
  summed over an order's lines; an order-level amount (订单实付金额 …) that is the only
  amount column is repeated on every line, so the order takes its largest value.
* **Statuses** — a line whose status says closed, cancelled, unpaid or fully refunded
  is excluded (:data:`EXCLUDED_STATUS`; partial refunds are kept); an order whose lines
  are all excluded is counted in ``excluded_orders``.
* **Unusable rows** — missing order id / customer / date / amount, a date or amount
  that cannot be read, a negative amount or a date after today are counted by reason;
  exact duplicate rows are counted and kept once.  The status is decided first: an
  excluded line needs only its order id (closed and unpaid orders are often exported
  with a blank payment time or a negative refund amount), so it counts as excluded,
  never as unusable.  An order's customer, date, channel and store come from its kept
  lines.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from diag.errors import DataError
from diag.platforms.registry import Detection, detect, forced, normalise_header, require_platform  # noqa: F401
from diag.platforms.schema import PlatformProfile
from diag.readers.aliases import ALIASES, FIELDS, LINE_AMOUNT, ORDER_AMOUNT, REQUIRED  # noqa: F401
from diag.readers.meaning import REFUND_COLUMN_STATUS, status_meaning
from diag.readers.orders_sql import (  # noqa: F401
    _ID_MARKS,
    DATE_FORMATS,
    EXCLUDED_STATUS,
    KEPT_STATUS,
    MODES,
    _check_file,
    _first_line,
    _ident,
    _number,
    _open_source,
    _parse_sql,
    _SourceError,
    _text,
    _typed_csv,
    connect,
    kept_first,
    notes_sql,
    order_key_sql,
    reason_code,
    status_excluded,
)
from diag.readers.quality import FIELD_LABELS, REASONS, Quality


@dataclass
class OrdersData:
    """Return-value record of :func:`read_orders`: orders, line items, quality, as_of."""

    orders: pd.DataFrame
    lines: pd.DataFrame
    quality: Quality
    as_of: dt.date


# -- columns ------------------------------------------------------------------------------

def map_columns(headers: list[str], explicit: dict[str, str] | None, file: Path,
                profile: PlatformProfile | None = None, detection: Detection | None = None
                ) -> tuple[dict[str, str], str, str]:
    """Return ``{field: header}`` for the file's headers, the amount level and amount kind.

    An explicit mapping wins; then the platform profile's columns; then the generic
    aliases.  Raises :class:`DataError` naming the field, the headers found, the closest
    profile and the ``--column`` that would fix it when a required field is missing.
    """
    found = {normalise_header(h): h for h in reversed(headers)}
    mapping: dict[str, str] = {}
    for key, header in (explicit or {}).items():
        if key not in FIELDS:
            raise DataError(f"unknown field '{key}' in the column mapping; known: {', '.join(FIELDS)}",
                            file=file, where=f"columns.{key}")
        if normalise_header(header) not in found:
            raise DataError(f"column '{header}' mapped to {key} is not in the file; "
                            f"headers found: {', '.join(map(str, headers))}", file=file,
                            where=f"columns.{key}")
        mapping[key] = found[normalise_header(header)]
    level, kind = "", "paid"
    if profile is not None:
        for key, names in profile.fields.items():
            hit = next((found[normalise_header(n)] for n in names if normalise_header(n) in found
                        and found[normalise_header(n)] not in mapping.values()), None)
            if key not in mapping and hit is not None:
                mapping[key] = hit
        if "amount" not in mapping:
            for cand in profile.amount:
                if normalise_header(cand.header) in found:
                    mapping["amount"] = found[normalise_header(cand.header)]
                    level, kind = cand.level, cand.kind
                    break
    order_level = {normalise_header(a) for a in ORDER_AMOUNT}
    required = [k for k in REQUIRED if not (k == "customer_id" and profile is not None and profile.walk_ins)]
    for key in FIELDS:
        if key in mapping:
            continue
        aliases = [normalise_header(a) for a in ALIASES[key]]
        if key == "amount":  # prefer line-level and plain amounts over order-level ones
            aliases.sort(key=lambda a: a in order_level)
        hit = next((found[a] for a in aliases if a in found and found[a] not in mapping.values()), None)
        if hit is not None:
            mapping[key] = hit
        elif key in required:
            closest = detection.describe() if detection is not None else "无"
            raise DataError(
                f"no column for required field '{key}' ({FIELD_LABELS[key]}); headers found: "
                f"{', '.join(map(str, headers)) or '(none)'}; closest platform profile: {closest}; "
                f"accepted headers: {', '.join(ALIASES[key][:8])} …; fix: --column {key}=<header> "
                f"(in a brief: data.columns.{key})", file=file, where=key)
    if not level:
        level = "order" if normalise_header(mapping["amount"]) in order_level else "line"
    return mapping, level, kind


def choose_profile(headers: list[str], platform: str | None, file: Path
                   ) -> tuple[PlatformProfile | None, Detection]:
    """Return the forced profile (``platform``) or the one detected from the headers."""
    if platform:
        profile = require_platform(platform, file=file, where="platform")
        return profile, forced(profile, headers)
    detection = detect(headers)
    return detection.profile, detection


def load(con: Any, path: str | os.PathLike[str], *, columns: dict[str, str] | None = None,
         platform: str | None = None, lean: bool = False, now: dt.datetime | None = None) -> Quality:
    """Return :func:`_load`'s quality, trying the reading modes in turn.

    A CSV is read by DuckDB with sniffed types, then as text, then from a re-encoded
    copy with clean line ends, then by Python's tolerant csv reader; a CSV whose UTF-8
    head hid GBK bytes is read again as GB18030.  No parser message reaches the user:
    a file no mode can read fails with one line naming the file.
    """
    encoding: str | None = None
    last = ""
    modes = list(MODES)
    while modes:
        mode = modes[0]
        try:
            return _load(con, path, columns=columns, platform=platform, lean=lean, now=now,
                         encoding=encoding, mode=mode)
        except _Retry as retry:
            last = retry.detail or last
            if retry.reason == "encoding" and encoding is None:
                encoding = "gb18030"
            else:
                modes.pop(0)
            for kind in ("VIEW", "TABLE"):
                for name in ("orders", "lines", "fix", "multi", "o1", "rows", "src_head", "src"):
                    try:
                        con.execute(f"DROP {kind} IF EXISTS {name}")
                    except Exception:  # noqa: BLE001 - the name is of the other kind
                        pass
            try:
                con.unregister("src")
            except Exception:  # noqa: BLE001 - nothing registered
                pass
            if Path(path).suffix.lower() in (".parquet", ".pq", ".xlsx", ".xlsm"):
                break  # the reading modes are CSV's; a workbook or Parquet file is read one way
    raise DataError("cannot read the table as CSV, XLSX or Parquet"
                    + (f" (the reader stopped at: {last[:120]})" if last else ""), file=path)


class _Retry(Exception):
    """Read the file again: as GB18030 (a non-UTF-8 byte after a UTF-8 head) or in the next
    reading mode (a value the sniffed type cannot hold, a line DuckDB cannot parse)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def _load(con: Any, path: str | os.PathLike[str], *, columns: dict[str, str] | None = None,
          platform: str | None = None, lean: bool = False, now: dt.datetime | None = None,
          encoding: str | None = None, mode: str = "fast") -> Quality:
    """Return the quality summary after building tables ``lines`` and ``orders`` in ``con``.

    ``orders``: one row per order (order_id, customer_id, paid_at, amount, status,
    excluded and, unless ``lean``, channel and store); metrics use ``WHERE NOT
    excluded``.  Unless ``lean``, ``lines`` holds one row per distinct usable line
    (order_id, customer_id, paid_at, amount, line_amount, excluded, status, channel,
    store, product, category, quantity).  With ``lean`` (the metrics path) ids are
    64-bit hashes — used for counting only; a collision among 10 million ids has a
    chance of about 3 in a million —, paid_at is the purchase date and exact duplicates
    are found per order.  A walk-in order (POS profile, no member) has a NULL customer.
    """
    path = Path(path)
    _check_file(path)
    now = now or dt.datetime.now()
    folder = tempfile.mkdtemp(prefix="diag-orders-")
    try:
        try:
            types, encoding, csv_info, layout = _open_source(con, path, folder, encoding, mode)
        except _SourceError as exc:
            if encoding == "utf-8" and "unicode" in str(exc).lower():
                raise _Retry("encoding", str(exc)) from None
            raise _Retry("next", str(exc)) from None
        headers = list(types)
        profile, detection = choose_profile(headers, platform, path)
        if profile is not None and profile.refuse and not columns:
            raise DataError(f"{profile.name}: {profile.refuse}", file=path)
        mapping, level, kind = map_columns(headers, columns, path, profile, detection)
        typed = mode == "fast" and csv_info is not None
        if typed:
            assert csv_info is not None
            try:
                types = _typed_csv(con, types, mapping, *csv_info)
            except Exception:  # noqa: BLE001 - the sniffer failed (e.g. short rows): read as text
                raise _Retry("next") from None
        try:
            # One sample of the head serves the amount level, the status values and the
            # line-item check (a LIMIT over the file's view costs a scan each time).
            con.execute("CREATE OR REPLACE TEMP TABLE src_head AS SELECT * FROM src LIMIT 100000")
            if not (columns and "amount" in columns):
                level = amount_level(con, mapping, types, level)
        except Exception as exc:  # noqa: BLE001 - DuckDB cannot scan the head in this mode
            raise _Retry("next", _first_line(exc)) from None
        walk_ins = bool(profile and profile.walk_ins)
        quality = Quality(file=str(path), encoding=encoding, column_map=mapping, amount_level=level,
                          amount_kind=kind, sheet=layout.sheet, header_row=layout.header_row + 1,
                          blank_rows=layout.blank_rows, detection=detection.matched_text() if profile else "")
        if profile is not None:
            quality.platform, quality.profile = profile.name, profile.key
            quality.signature_matched = len(detection.matched)
        vocabulary: dict[str, str] | None = dict(profile.statuses) if profile is not None else None
        try:
            seen: list[str] = []
            if "status" in mapping:
                seen = [r[0] for r in con.execute(
                    f"SELECT DISTINCT {_text(_ident(mapping['status']), types[mapping['status']])} "
                    f"FROM src_head").fetchall() if r[0] is not None]
            sql = _parse_sql(mapping, types, now, lean, seen, vocabulary, walk_ins)
            line_items = lean and _looks_line_level(con, mapping, types)
            if lean and not line_items:
                # One scan of the file into a compact typed table (hashed ids, the purchase
                # date); order ids that repeat are then found by a key-only grouping of
                # that table, and only their rows are grouped exactly (see _lean_orders).
                con.execute(f"""
                    CREATE TEMP TABLE rows AS
                    SELECT order_id, customer_id, CAST(paid_at AS DATE) AS paid_at, amount,
                           excluded, status, {reason_code()} AS reason FROM ({sql})""")
                counts = con.execute("SELECT reason, count(*) FROM rows GROUP BY reason").fetchall()
            elif lean:
                # A file whose head repeats order ids: one scan into a compact typed table
                # with the cheap line hash instead of the raw-row hash of every column
                # (which DuckDB computes on about one core); see _lean_line_orders.
                con.execute(f"""
                    CREATE TEMP TABLE rows AS
                    SELECT order_id, line_h, customer_id, CAST(paid_at AS DATE) AS paid_at, amount,
                           excluded, status, {reason_code()} AS reason FROM ({sql})""")
                counts = con.execute("SELECT reason, count(*) FROM rows GROUP BY reason").fetchall()
            else:
                con.execute(f"CREATE TEMP TABLE rows AS {sql}")
                counts = con.execute("SELECT reason, count(*) FROM rows GROUP BY reason").fetchall()
            if layout.malformed_rows:
                counts = [*counts, ("malformed row", layout.malformed_rows)]
            unusable = {r[0]: int(r[1]) for r in sorted(counts, key=lambda r: (-r[1], r[0] or "")) if r[0]}
            quality.blank_rows += unusable.pop("blank row", 0)
            quality.total_rows = unusable.pop("total row", 0)
            quality.rows_read = int(sum(r[1] for r in counts)) - quality.blank_rows + layout.blank_rows
            quality.unusable = unusable
            _count_notes(con, mapping, types, quality)
            if quality.rows_read == quality.total_rows:
                raise DataError("the orders file has a header but no rows", file=path)
            if quality.rows_read == sum(quality.unusable.values()) + quality.total_rows:
                reasons = ", ".join(f"{REASONS[k]} {v}" for k, v in quality.unusable.items())
                raise DataError(f"no usable row: all {quality.rows_read} rows are unusable ({reasons})",
                                file=path)
            if line_items:
                candidates = (f"(SELECT * FROM src WHERE {order_key_sql(mapping, types)} "
                              f"IN (SELECT order_id FROM multi))")
                _lean_line_orders(con, level, quality, _parse_sql(
                    mapping, types, now, lean, seen, vocabulary, walk_ins, source=candidates))
            elif lean:
                _lean_orders(con, level, quality, sql)
            else:
                _full_orders(con, level, quality)
        except DataError:
            raise
        except Exception as exc:  # noqa: BLE001 - malformed CSV rows and the like
            if encoding == "utf-8" and "unicode" in str(exc).lower():
                raise _Retry("encoding", _first_line(exc)) from None
            raise _Retry("next", _first_line(exc)) from None
    finally:
        for p in Path(folder).glob("*"):
            p.unlink(missing_ok=True)
        Path(folder).rmdir()
    con.execute("DROP TABLE IF EXISTS src_head")
    quality.excluded_by_status = {str(s): int(n) for s, n in con.execute(
        "SELECT status, count(*) FROM orders WHERE excluded GROUP BY status ORDER BY 2 DESC, 1").fetchall()}
    meaning: dict[str, int] = {}
    for status, n in quality.excluded_by_status.items():
        key = "refunded" if status == REFUND_COLUMN_STATUS else status_meaning(status, vocabulary)
        meaning[key] = meaning.get(key, 0) + n
    quality.excluded_by_meaning = {k: meaning[k] for k in ("unpaid", "cancelled", "refunded") if k in meaning}
    if walk_ins:
        n, gmv = con.execute("SELECT count(*), coalesce(sum(amount), 0) FROM orders "
                             "WHERE NOT excluded AND customer_id IS NULL").fetchone()
        quality.walk_in_orders, quality.walk_in_gmv = int(n), round(float(gmv), 2)
    if quality.orders_kept == 0:
        raise DataError(f"no valid order: all {quality.orders_excluded} orders are excluded by status "
                        f"({', '.join(quality.excluded_by_status)})", file=path)
    return quality


def amount_level(con: Any, mapping: dict[str, str], types: dict[str, str], level: str) -> str:
    """Return the amount level the rows show, correcting the one the header suggests.

    In the first 100,000 rows, orders with several distinct rows are looked at: an
    order-level amount never differs between an order's rows, so an amount that differs
    in at least half of them is a line amount; an amount under an ambiguous header
    (订单应付金额, 实付金额 …, not a known line header such as 商品实付金额) that is the same on
    every row of at least 90 % of them is an order amount repeated on each line.
    """
    oid = _text(_ident(mapping["order_id"]), types[mapping["order_id"]], _ID_MARKS)
    amt = _ident(mapping["amount"])
    # Only the two columns are read (exact duplicate rows, rare, count as "the same amount").
    multi, same = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE d = 1) FROM (
            SELECT o, count(DISTINCT a) AS d FROM (SELECT {oid} AS o, {amt} AS a FROM src_head)
            WHERE o IS NOT NULL GROUP BY o HAVING count(*) >= 2)""").fetchone()
    if multi < 5:
        return level
    line_header = normalise_header(mapping["amount"]) in {normalise_header(a) for a in LINE_AMOUNT}
    if level == "order" and (multi - same) >= 0.5 * multi:
        return "line"
    if level == "line" and not line_header and same >= 0.9 * multi:
        return "order"
    return level


def _count_notes(con: Any, mapping: dict[str, str], types: dict[str, str], quality: Quality) -> None:
    """Fill in the annotated amounts, placeholder dates and partial refunds of ``src``."""
    sql = notes_sql(mapping, types)
    if sql is not None:
        quality.annotated_amounts, quality.placeholder_dates = map(int, con.execute(sql).fetchone())
    # A typed date column is not scanned again: its placeholders are those of the usable rows.
    quality.placeholder_dates = max(quality.placeholder_dates, quality.unusable.get("placeholder date", 0))
    if "refund_amount" in mapping:
        ramt = _number(_ident(mapping["refund_amount"]), types[mapping["refund_amount"]])
        amt = _number(_ident(mapping["amount"]), types[mapping["amount"]])
        quality.partial_refund_lines = int(con.execute(
            f"SELECT count(*) FROM src WHERE {ramt} > 0 AND {ramt} < {amt} - 0.005").fetchone()[0])


def _full_orders(con: Any, level: str, quality: Quality) -> None:
    """Build ``lines`` (exact duplicates dropped) and ``orders`` from ``rows``."""
    agg = "sum(amount)" if level == "line" else "max(amount)"
    # An order-level amount says nothing about a single line of a multi-line order.
    line_amount = "amount" if level == "line" else \
        "CASE WHEN count(*) OVER (PARTITION BY order_id) = 1 THEN amount END"
    con.execute(f"""
        CREATE TEMP TABLE lines AS
        SELECT *, {line_amount} AS line_amount FROM (
            SELECT * EXCLUDE (row_h, reason) FROM (
                SELECT *, row_number() OVER (PARTITION BY row_h) AS k FROM rows WHERE reason IS NULL)
            WHERE k = 1) ;
        CREATE TEMP TABLE orders AS
        SELECT order_id, {kept_first("customer_id")} AS customer_id,
               {kept_first("paid_at")} AS paid_at,
               coalesce({agg} FILTER (WHERE NOT excluded), 0.0) AS amount,
               {kept_first("channel")} AS channel, {kept_first("store")} AS store,
               coalesce(min(status) FILTER (WHERE NOT excluded), min(status)) AS status,
               bool_and(excluded) AS excluded
        FROM lines GROUP BY order_id;
    """)
    valid = quality.rows_read - sum(quality.unusable.values()) - quality.total_rows
    n_lines, kept_lines = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT excluded) FROM lines").fetchone()
    quality.duplicates = int(valid - n_lines)
    quality.lines_kept = int(kept_lines)
    quality.orders_kept, quality.orders_excluded = map(int, con.execute(
        "SELECT count(*) FILTER (WHERE NOT excluded), count(*) FILTER (WHERE excluded) FROM orders").fetchone())
    con.execute("DROP TABLE rows")


def _looks_line_level(con: Any, mapping: dict[str, str], types: dict[str, str]) -> bool:
    """Return True when order ids repeat within the file's first 100,000 rows."""
    oid = _text(_ident(mapping["order_id"]), types[mapping["order_id"]], _ID_MARKS)
    n, distinct = con.execute(f"SELECT count({oid}), count(DISTINCT {oid}) FROM "
                              f"src_head").fetchone()
    return bool(n) and distinct < 0.9 * n


def _lean_line_orders(con: Any, level: str, quality: Quality, exact: str) -> None:
    """Build ``orders`` from the compact ``rows`` table of a line-item file.

    Two exact duplicate lines (same raw row) share their line hash (:func:`_parse_sql`'s
    ``line_h`` of the raw order id, amount, product, quantity and line id cells).  The one
    grouping of the usable lines by order id also folds each line hash into a 64-bit mask
    (the bit chosen by the hash's last six bits): an order with a repeated line hash sets
    fewer bits than it has lines, and an order of distinct hashes seldom does (about 9 %
    of four-line orders).  Only the lines of those candidate orders are grouped by line
    hash to find the orders that really repeat one — usually none, and the orders are
    that one grouping (a sort of all 25 million line hashes of 10 million orders cost
    about as much as the grouping itself).  Otherwise ``exact`` (the parse
    of the raw rows of the flagged orders only, with the raw-row hash of every column)
    groups their lines by distinct raw row first: a line that only shares its line hash
    with another (same product and price, a different colour) stays a line.

    The metrics read only the kept orders and the status of the excluded ones, so an
    order without a kept line has no customer, date or amount here.
    """
    agg = "sum(amount)" if level == "line" else "max(amount)"
    # An order is excluded when it has no kept line: kept = 0 says so without a
    # bool_and(excluded) state per order.
    select = f"""
        SELECT order_id, min(customer_id) FILTER (WHERE NOT excluded) AS customer_id,
               min(paid_at) FILTER (WHERE NOT excluded) AS paid_at,
               coalesce({agg} FILTER (WHERE NOT excluded), 0.0) AS amount,
               min(status) FILTER (WHERE excluded) AS status,
               count(*) FILTER (WHERE NOT excluded) AS kept"""
    columns = "order_id, customer_id, paid_at, amount, status, kept = 0 AS excluded, kept, dups"
    con.execute(f"""
        CREATE TEMP TABLE o1 AS SELECT {columns}, maybe FROM (
        {select}, 0 AS dups,
               bit_count(bit_or(CAST(1 AS UBIGINT) << (line_h & 63))) < count(*) AS maybe
        FROM rows WHERE reason IS NULL GROUP BY order_id)""")
    con.execute("""
        CREATE TEMP TABLE multi AS
        SELECT DISTINCT order_id FROM (
            SELECT order_id FROM rows SEMI JOIN (SELECT order_id FROM o1 WHERE maybe) USING (order_id)
            WHERE reason IS NULL GROUP BY order_id, line_h HAVING count(*) > 1)""")
    multi = con.execute("SELECT count(*) FROM multi").fetchone()[0]
    con.execute("DROP TABLE rows")
    if multi:
        con.execute(f"""
            CREATE TEMP TABLE orders AS
            SELECT * EXCLUDE (maybe) FROM o1 ANTI JOIN multi USING (order_id)
            UNION ALL
            SELECT {columns} FROM ({select}, sum(n - 1) AS dups
            FROM (SELECT order_id, any_value(customer_id) AS customer_id,
                         any_value(CAST(paid_at AS DATE)) AS paid_at, any_value(amount) AS amount,
                         any_value(excluded) AS excluded, any_value(status) AS status,
                         count(*) AS n
                  FROM ({exact}) WHERE reason IS NULL GROUP BY order_id, row_h) GROUP BY order_id)""")
        con.execute("DROP TABLE o1")
    else:
        con.execute("ALTER TABLE o1 DROP COLUMN maybe")
        con.execute("ALTER TABLE o1 RENAME TO orders")
    dups, kept_lines, kept, excluded = con.execute(
        "SELECT sum(dups), sum(kept), count(*) FILTER (WHERE NOT excluded), count(*) FILTER (WHERE excluded) "
        "FROM orders").fetchone()
    quality.duplicates, quality.lines_kept = int(dups or 0), int(kept_lines or 0)
    quality.orders_kept, quality.orders_excluded = int(kept or 0), int(excluded or 0)


def _lean_orders(con: Any, level: str, quality: Quality, sql: str) -> None:
    """Make ``orders`` a view over the compact ``rows`` table: orders with one usable row
    as they are, plus an exact pass (duplicates dropped, lines combined) over the orders
    whose id repeats — found by a key-only grouping, so an order-level file with unique
    ids costs one cheap aggregation and no copy of the table.  The exact pass reads the
    file again (``sql``, with the raw-row hash that finds exact duplicates) only when
    some order id repeats."""
    # Sorting the ids and comparing neighbours is about twice as fast as a 10-million-group
    # GROUP BY … HAVING count(*) > 1, and just as exact.
    con.execute("""
        CREATE TEMP TABLE multi AS
        SELECT DISTINCT order_id FROM (
            SELECT order_id, order_id = lag(order_id) OVER (ORDER BY order_id) AS repeated
            FROM rows WHERE reason IS NULL)
        WHERE repeated""")
    multi = con.execute("SELECT count(*) FROM multi").fetchone()[0]
    agg = "sum(amount)" if level == "line" else "max(amount)"
    con.execute("""
        CREATE TEMP TABLE fix (order_id UBIGINT, customer_id UBIGINT, paid_at DATE, amount DOUBLE,
                               status VARCHAR, excluded BOOLEAN, kept BIGINT, dups BIGINT)""")
    single = "FROM rows WHERE reason IS NULL"
    if multi:
        con.execute(f"""
            INSERT INTO fix
            SELECT order_id, {kept_first("customer_id")}, {kept_first("paid_at")},
                   coalesce({agg} FILTER (WHERE NOT excluded), 0.0),
                   min(status) FILTER (WHERE excluded), bool_and(excluded),
                   count(*) FILTER (WHERE NOT excluded), sum(n - 1)
            FROM (SELECT order_id, any_value(customer_id) AS customer_id, any_value(paid_at) AS paid_at,
                         any_value(amount) AS amount, any_value(excluded) AS excluded,
                         any_value(status) AS status, count(*) AS n
                  FROM ({sql}) r SEMI JOIN multi USING (order_id) WHERE reason IS NULL
                  GROUP BY order_id, row_h)
            GROUP BY order_id""")
        single = "FROM rows ANTI JOIN multi USING (order_id) WHERE reason IS NULL"
    con.execute(f"""
        CREATE TEMP VIEW orders AS
        SELECT order_id, customer_id, paid_at, amount, status, excluded {single}
        UNION ALL SELECT order_id, customer_id, paid_at, amount, status, excluded FROM fix""")
    dups, kept_lines, kept, excluded = con.execute(f"""
        SELECT sum(dups), sum(kept), sum(kept_orders), sum(excluded_orders) FROM (
            SELECT 0 AS dups, count(*) FILTER (WHERE NOT excluded) AS kept,
                   count(*) FILTER (WHERE NOT excluded) AS kept_orders,
                   count(*) FILTER (WHERE excluded) AS excluded_orders
            {single}
            UNION ALL
            SELECT sum(dups), sum(kept), count(*) FILTER (WHERE NOT excluded),
                   count(*) FILTER (WHERE excluded) FROM fix)""").fetchone()
    quality.duplicates, quality.lines_kept = int(dups or 0), int(kept_lines or 0)
    quality.orders_kept, quality.orders_excluded = int(kept or 0), int(excluded or 0)


def as_of_default(con: Any, table: str = "orders") -> dt.date:
    """Return the day after the last valid purchase in ``table``."""
    last = con.execute(f"SELECT max(paid_at) FROM {table} WHERE NOT excluded").fetchone()[0]
    return (pd.Timestamp(last).date() + dt.timedelta(days=1))


def _frame(con: Any, sql: str, text: tuple[str, ...]) -> pd.DataFrame:
    df = con.execute(sql).df()
    for col in text:  # an all-NULL column comes back as object; keep the string dtype
        if df[col].dtype == object:
            df[col] = df[col].astype("str")
    return df


def read_orders(path: str | os.PathLike[str], *, columns: dict[str, str] | None = None,
                platform: str | None = None) -> OrdersData:
    """Return the valid orders and line items of an order export, with a quality summary.

    Parameters
    ----------
    path
        CSV (UTF-8, UTF-8 BOM, GBK/GB18030), XLSX or Parquet.
    columns
        Explicit ``{field: header}`` mapping (from the brief); wins over the aliases.
    platform
        Key of a platform profile to use instead of detecting one (``data.platform``).

    Raises
    ------
    DataError
        The file is missing, empty, not a table, lacks a required column or has no
        usable row.
    """
    key = _cache_key(path, columns, platform)
    if key is not None and _CACHE is not None and key in _CACHE:
        return _copy(_CACHE[key])
    con = connect()
    try:
        quality = load(con, path, columns=columns, platform=platform)
        orders = _frame(con, "SELECT order_id, customer_id, CAST(paid_at AS TIMESTAMP_NS) AS paid_at, "
                             "amount, channel, store, status FROM orders WHERE NOT excluded "
                             "ORDER BY paid_at, order_id",
                       ("order_id", "customer_id", "channel", "store", "status"))
        lines = _frame(con, "SELECT order_id, customer_id, CAST(paid_at AS TIMESTAMP_NS) AS paid_at, "
                            "product, category, quantity, line_amount AS amount FROM lines WHERE NOT excluded "
                            "ORDER BY paid_at, order_id, product",
                      ("order_id", "customer_id", "product", "category"))
        as_of = as_of_default(con)
    finally:
        con.close()
    data = OrdersData(orders=orders, lines=lines, quality=quality, as_of=as_of)
    if key is not None and _CACHE is not None:
        _CACHE.clear()  # one file at a time: a warm kernel serves one client after another
        _CACHE[key] = data
        return _copy(data)
    return data


# -- the read cache of a warm kernel --------------------------------------------------------

#: ``None`` until :func:`enable_cache`; then {(path, size, mtime, inode, columns): OrdersData}.
_CACHE: dict[tuple[Any, ...], OrdersData] | None = None


def enable_cache() -> None:
    """Keep the last file read in memory: the notebooks of one run read the same export.

    Warm kernels turn this on (:mod:`diag.run.kernels`); the key is the file's identity
    (resolved path, size, modification time, inode) and the column mapping, so a
    changed file is read again.  Callers get shallow copies (pandas copy-on-write):
    a notebook that adds a column does not change what the next one reads.
    """
    global _CACHE
    if _CACHE is None:
        _CACHE = {}


def _cache_key(path: str | os.PathLike[str], columns: dict[str, str] | None,
               platform: str | None = None) -> tuple[Any, ...] | None:
    if _CACHE is None:
        return None
    try:
        resolved = Path(path).resolve()
        st = resolved.stat()
    except OSError:
        return None
    return (str(resolved), st.st_size, st.st_mtime_ns, st.st_ino, tuple(sorted((columns or {}).items())),
            platform)


def _copy(data: OrdersData) -> OrdersData:
    import copy

    deep = pd.__version__.split(".")[0] < "3"  # before pandas 3, a shallow copy shares writes
    return OrdersData(orders=data.orders.copy(deep=deep), lines=data.lines.copy(deep=deep),
                      quality=copy.deepcopy(data.quality), as_of=data.as_of)
