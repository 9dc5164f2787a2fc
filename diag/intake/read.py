"""Reading the sheets of a filled 需求澄清表 (see :func:`diag.intake.workbook.read_workbook`).

Rows are found by their hidden field code (or, failing that, by their label), so blank,
inserted or extra rows do not matter; merged cells count for every cell they cover;
an answer typed beside the answer cell of the right row is taken and noted.  Anything
else a client typed — a row with a question the form does not ask, a second value in a
row whose answer is already taken, a repeated question, text in the help rows of a
table — is listed as unresolved (sheet, cell, text found), never dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from diag.brief.labels import FIELDS
from diag.errors import DataError
from diag.intake.answers import AnswerError, as_text
from diag.intake.fields import Unresolved, item_model, model_at, parse_answer, reason, set_at
from diag.intake.style import CODE_ROW, HEADERS, TABLE_HINT, TITLE_HINT

Cells = dict[str, tuple[str, str, str, str]]
_TAGS = {"示例", "e.g.", "说明", "Help", "序号", "No.", CODE_ROW}


def _grid(ws: Any) -> dict[tuple[int, int], Any]:
    """Return ``{(row, col): value}`` of non-blank cells, merged ranges filled from their top-left."""
    grid: dict[tuple[int, int], Any] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            grid[(cell.row, cell.column)] = value
    for rng in ws.merged_cells.ranges:
        top = grid.get((rng.min_row, rng.min_col))
        if top is None:
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                grid.setdefault((r, c), top)
    return grid


def _covered(ws: Any) -> set[tuple[int, int]]:
    """Return the cells a merged range covers besides its top-left one (they repeat its value)."""
    return {(r, c) for rng in ws.merged_cells.ranges
            for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)
            if (r, c) != (rng.min_row, rng.min_col)}


def _frame_texts(spec: Any) -> set[str]:
    """Return the texts the form writes outside the questions: sheet title, column headers, codes."""
    texts = {"code", *_TAGS}
    for lang in ("zh", "en"):
        texts.update(HEADERS[lang])
        texts.add(f"{spec.title(lang)} — {TITLE_HINT[lang]}")
        texts.add(f"{spec.title(lang)} — {TABLE_HINT[lang]}")
    return texts


def _own_texts(f: Any, col: int) -> set[str]:
    """Return what the form itself writes in column ``col`` of a fields-sheet row for ``f``."""
    entry = FIELDS[f.path]
    if col == 1:
        return {f.path}
    if col == 2:
        return {entry[0], entry[1], f"{entry[0]} *", f"{entry[1]} *"}
    if col == 4:
        return {t for t in (entry[2], entry[3]) if t}
    if col == 5:
        return {entry[4]} if entry[4] else set()
    return set()


def _is_own(f: Any, col: int, value: Any) -> bool:
    text = as_text(value)
    return text in _own_texts(f, col) or (col == 5 and _is_hint(text))


def _bare_label(value: Any) -> str:
    return as_text(value).removesuffix("*").strip()


def _template_texts(f: Any) -> set[str]:
    entry = FIELDS[f.path]
    return {t for t in (entry[0], entry[1], entry[2], entry[3], entry[4]) if t}


def _is_hint(text: str) -> bool:
    return text.startswith(("行业典型", "industry typical"))


def _find_sheet(wb: Any, spec: Any, path: Path) -> Any:
    for name in (spec.title_zh, spec.title_en):
        if name in wb.sheetnames:
            return wb[name]
    expected = spec.title_zh
    raise DataError(f"sheet missing: expected a sheet named '{expected}' ({spec.title_en}); "
                    "the workbook must keep every sheet of the form", file=path, where=expected)


def read_sheets(wb: Any, specs: list[Any], path: Path, lang: str
                ) -> tuple[dict[str, Any], Cells, list[Any], list[str]]:
    """Return (brief data, cell of every answer, unresolved answers, notes) of a workbook."""
    data: dict[str, Any] = {}
    cells: Cells = {}
    unresolved: list[Any] = []
    notes: list[str] = []
    for spec in specs:
        ws = _find_sheet(wb, spec, path)
        grid = _grid(ws)
        covered = _covered(ws)
        if spec.layout == "fields":
            _read_fields(ws.title, grid, covered, spec, lang, data, cells, unresolved, notes)
        else:
            _read_table(ws.title, grid, covered, spec, lang, data, cells, unresolved, notes, path)
    return data, cells, unresolved, notes


def _read_fields(sheet: str, grid: dict[tuple[int, int], Any], covered: set[tuple[int, int]], spec: Any,
                 lang: str, data: dict[str, Any], cells: Cells, unresolved: list[Any], notes: list[str]) -> None:
    by_code = {f.path: f for f in spec.fields}
    by_label = {}
    for f in spec.fields:
        by_label[f.label("zh")] = f
        by_label[f.label("en")] = f
    frame = _frame_texts(spec)
    seen: dict[str, int] = {}
    for r in sorted({r for r, _ in grid}):
        row = {c: v for (rr, c), v in sorted(grid.items()) if rr == r and (rr, c) not in covered}
        f = by_code.get(as_text(grid.get((r, 1), ""))) or by_label.get(_bare_label(grid.get((r, 2), "")))
        if f is None:
            _list_unknown_row(sheet, r, row, frame, unresolved)
            continue
        label = f.label(lang)
        if f.path in seen:
            for c, v in row.items():
                if not _is_own(f, c, v):
                    unresolved.append(Unresolved(sheet, f"{get_column_letter(c)}{r}", f.path, label, as_text(v),
                                                 f"同一问题在第 {seen[f.path]} 行已出现，这一行未导入"))
            continue
        seen[f.path] = r
        cells[f.path] = (sheet, f"C{r}", label, "")
        col, value = 3, row.get(3)
        if value is None:
            col = next((c for c, v in row.items() if c >= 4 and not _is_own(f, c, v)), 3)
            value = row.get(col)
            if value is not None:
                notes.append(f"{sheet}!{get_column_letter(col)}{r} {label}：答案写在了第 "
                             f"{get_column_letter(col)} 列，已按 C{r} 读取")
        for c, v in row.items():  # whatever else the row holds besides the form's texts and the answer
            if c != col and not _is_own(f, c, v):
                taken = f"已按 {get_column_letter(col)}{r} 读取答案" if value is not None else "答案栏为空"
                unresolved.append(Unresolved(sheet, f"{get_column_letter(c)}{r}", f.path, label, as_text(v),
                                             f"同一行的另一个值（{taken}），未导入"))
        if value is None:
            continue
        coord, text = f"{get_column_letter(col)}{r}", as_text(value)
        cells[f.path] = (sheet, coord, label, text)
        try:
            parsed = parse_answer(value, f)
        except AnswerError as exc:
            unresolved.append(Unresolved(sheet, coord, f.path, label, text, exc.reason, exc.suggestion))
            continue
        if parsed in ("", [], {}):
            continue
        set_at(data, f.path, parsed)


def _list_unknown_row(sheet: str, r: int, row: dict[int, Any], frame: set[str], unresolved: list[Any]) -> None:
    """List the content of a fields-sheet row that holds no question of the form."""

    row = {c: v for c, v in row.items() if as_text(v) not in frame}
    question = as_text(row[2]) if 2 in row else ""
    others = {c: v for c, v in row.items() if c != 2 or not question}
    if question and not others:
        unresolved.append(Unresolved(sheet, f"B{r}", "", "（表中没有的问题）", question,
                                     "表格中没有这个问题，未导入"))
    for c, v in others.items():
        label = question or "（未识别的行）"
        reason = f"表格中没有「{question}」这个问题，未导入" if question else "不在任何问题的行上，未导入"
        unresolved.append(Unresolved(sheet, f"{get_column_letter(c)}{r}", "", label, as_text(v), reason))


def _columns(grid: dict[tuple[int, int], Any], spec: Any) -> tuple[int, dict[int, Any]]:
    """Return (header row, {column: field}) of a table sheet."""
    names = {f.name: f for f in spec.fields}
    labels = {}
    for f in spec.fields:
        labels[f.label("zh")] = f
        labels[f.label("en")] = f
    rows = sorted({r for r, _ in grid})
    for r in rows:
        if as_text(grid.get((r, 1), "")) == CODE_ROW:
            cols = {c: names[as_text(v)] for (rr, c), v in grid.items() if rr == r and as_text(v) in names}
            if cols:
                return r + 1, cols
    for r in rows:
        cols = {c: labels[_bare_label(v)] for (rr, c), v in grid.items()
                if rr == r and _bare_label(v) in labels}
        if len(cols) * 2 >= len(spec.fields):
            return r, cols
    return 0, {}


def _read_table(sheet: str, grid: dict[tuple[int, int], Any], covered: set[tuple[int, int]], spec: Any,
                lang: str, data: dict[str, Any], cells: Cells, unresolved: list[Any], notes: list[str],
                path: Path) -> None:

    header, cols = _columns(grid, spec)
    if not cols:
        raise DataError("no header row with the form's column names found", file=path, where=sheet)
    row_model = _row_model(spec)
    last_col = max(cols)
    _list_outside_rows(sheet, grid, covered, spec, header, unresolved)
    records: list[dict[str, Any]] = []
    record_cells: list[dict[str, tuple[str, str, str, str]]] = []
    for r in sorted({r for r, _ in grid if r > header}):
        tag = as_text(grid.get((r, 1), ""))
        row = {c: grid[(r, c)] for c in cols if (r, c) in grid}
        if not row or (tag in _TAGS and _is_template_row(row, cols)):
            continue
        if tag in _TAGS and tag not in ("示例", "e.g."):
            for c, v in row.items():  # a help row the client wrote in
                if (r, c) not in covered and as_text(v) not in _template_texts(cols[c]):
                    unresolved.append(Unresolved(sheet, f"{get_column_letter(c)}{r}", cols[c].path,
                                                 cols[c].label(lang), as_text(v), "写在了说明行，未导入"))
            continue
        present = {cols[c].name for c in row}
        if spec.key == "journey" and present == {"stage"}:
            continue  # the form pre-fills the stage column; a bare stage is not an answer
        for (rr, c), v in grid.items():
            if rr == r and c > last_col:
                unresolved.append(Unresolved(sheet, f"{get_column_letter(c)}{r}", spec.list_path or "",
                                             "（表格外）", as_text(v), "写在了表格之外的列，未导入"))
        record: dict[str, Any] = {}
        where: dict[str, tuple[str, str, str, str]] = {}
        for c, value in row.items():
            f = cols[c]
            coord, text = f"{get_column_letter(c)}{r}", as_text(value)
            try:
                parsed = parse_answer(value, f)
            except AnswerError as exc:
                unresolved.append(Unresolved(sheet, coord, f.path, f.label(lang), text, exc.reason,
                                             exc.suggestion))
                continue
            if parsed in ("", [], {}):
                continue
            record[f.name] = parsed
            where[f.name] = (sheet, coord, f.label(lang), text)
        for _ in range(len(cols) + 1):
            try:
                row_model.model_validate(record)
                break
            except ValidationError as exc:
                error = exc.errors()[0]
                name = str(error["loc"][0]) if error["loc"] else ""
                f = next((x for x in spec.fields if x.name == name), None)
                if error["type"] == "missing" or name not in record:
                    label = f.label(lang) if f else name
                    text = "、".join(t for _, _, _, t in where.values())
                    unresolved.append(Unresolved(sheet, f"第{r}行", spec.list_path or "", label, text,
                                                 f"本行缺少必填项「{label}」，整行未导入"))
                    record = {}
                    break
                sheet_, coord, label, text = where[name]
                unresolved.append(Unresolved(sheet_, coord, f.path if f else name, label, text,
                                             reason(error)))
                record.pop(name)
        if spec.key == "journey" and set(record) == {"stage"}:
            continue  # every answer of the row was invalid (listed above): a bare stage is not a note
        if record:
            records.append(record)
            record_cells.append(where)
    if spec.key == "journey":
        records, record_cells = _merge_stages(records, record_cells, notes, sheet)
    for i, where in enumerate(record_cells):
        for name, place in where.items():
            cells[f"{spec.list_path}[{i}].{name}"] = place
    if records:
        set_at(data, spec.list_path, records)


def _list_outside_rows(sheet: str, grid: dict[tuple[int, int], Any], covered: set[tuple[int, int]], spec: Any,
                       header: int, unresolved: list[Any]) -> None:
    """List what a client typed above a table's header row (title, code and header rows)."""

    own = _frame_texts(spec) | {f.name for f in spec.fields}
    for f in spec.fields:
        own |= _template_texts(f) | {f"{f.label(lang)} *" for lang in ("zh", "en")}
    for (r, c), v in sorted(grid.items()):
        if r <= header and (r, c) not in covered and as_text(v) not in own:
            unresolved.append(Unresolved(sheet, f"{get_column_letter(c)}{r}", spec.list_path or "", "（表头区域）",
                                         as_text(v), "写在了表头区域，未导入"))


def _is_template_row(row: dict[int, Any], cols: dict[int, Any]) -> bool:
    """Return whether a help / example row still holds only the form's own texts."""
    return all(as_text(v) in _template_texts(cols[c]) for c, v in row.items())


def _row_model(spec: Any) -> Any:
    return item_model(model_at(spec.list_path)[1])


def _merge_stages(records: list[dict[str, Any]], where: list[dict[str, Any]], notes: list[str],
                  sheet: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return journey rows with one record per stage (several interview rows add up)."""
    merged: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    for record, place in zip(records, where):
        stage = record["stage"]
        if stage not in merged:
            merged[stage], places[stage] = dict(record), dict(place)
            continue
        into = merged[stage]
        for key, value in record.items():
            if isinstance(value, list):
                into[key] = into.get(key, []) + [v for v in value if v not in into.get(key, [])]
            elif key not in into:
                into[key] = value
                places[stage][key] = place[key]
            elif into[key] != value:
                notes.append(f"{sheet} {stage}：多行填写了不同的「{key}」，保留第一行的 {into[key]}，"
                             f"另一行为 {value}")
    return list(merged.values()), list(places.values())
