"""Reading the sheets of a filled 需求澄清表 (see :func:`diag.intake.read_workbook`).

Rows are found by their hidden field code (or, failing that, by their label), so blank,
inserted or extra rows do not matter; merged cells count for every cell they cover;
an answer typed beside the answer cell of the right row is taken and noted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from .answers import AnswerError, as_text
from .errors import DataError
from .intake_labels import FIELDS
from .intake_style import CODE_ROW

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
        if spec.layout == "fields":
            _read_fields(ws.title, grid, spec, lang, data, cells, unresolved, notes)
        else:
            _read_table(ws.title, grid, spec, lang, data, cells, unresolved, notes, path)
    return data, cells, unresolved, notes


def _read_fields(sheet: str, grid: dict[tuple[int, int], Any], spec: Any, lang: str,
                 data: dict[str, Any], cells: Cells, unresolved: list[Any], notes: list[str]) -> None:
    from .intake import Unresolved, _set, parse_answer

    by_code = {f.path: f for f in spec.fields}
    by_label = {}
    for f in spec.fields:
        by_label[f.label("zh")] = f
        by_label[f.label("en")] = f
    rows = sorted({r for r, _ in grid})
    seen: set[str] = set()
    max_col = max((c for _, c in grid), default=5)
    for r in rows:
        f = by_code.get(as_text(grid.get((r, 1), ""))) or by_label.get(_bare_label(grid.get((r, 2), "")))
        if f is None or f.path in seen:
            continue
        seen.add(f.path)
        cells[f.path] = (sheet, f"C{r}", f.label(lang), "")
        col, value = 3, grid.get((r, 3))
        if value is None:
            template = _template_texts(f)
            for c in range(4, max_col + 1):
                other = grid.get((r, c))
                if other is not None and as_text(other) not in template and not _is_hint(as_text(other)):
                    col, value = c, other
                    notes.append(f"{sheet}!{get_column_letter(c)}{r} {f.label(lang)}：答案写在了第 "
                                 f"{get_column_letter(c)} 列，已按 C{r} 读取")
                    break
        if value is None:
            continue
        coord, text = f"{get_column_letter(col)}{r}", as_text(value)
        cells[f.path] = (sheet, coord, f.label(lang), text)
        try:
            parsed = parse_answer(value, f)
        except AnswerError as exc:
            unresolved.append(Unresolved(sheet, coord, f.path, f.label(lang), text, exc.reason, exc.suggestion))
            continue
        if parsed in ("", [], {}):
            continue
        _set(data, f.path, parsed)


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


def _read_table(sheet: str, grid: dict[tuple[int, int], Any], spec: Any, lang: str,
                data: dict[str, Any], cells: Cells, unresolved: list[Any], notes: list[str],
                path: Path) -> None:
    from .intake import Unresolved, _reason, _set, parse_answer

    header, cols = _columns(grid, spec)
    if not cols:
        raise DataError("no header row with the form's column names found", file=path, where=sheet)
    item_model = _item_model(spec)
    last_col = max(cols)
    records: list[dict[str, Any]] = []
    record_cells: list[dict[str, tuple[str, str, str, str]]] = []
    for r in sorted({r for r, _ in grid if r > header}):
        tag = as_text(grid.get((r, 1), ""))
        row = {c: grid[(r, c)] for c in cols if (r, c) in grid}
        if not row or (tag in _TAGS and _is_template_row(row, cols)):
            continue
        if tag in _TAGS and tag not in ("示例", "e.g."):
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
                item_model.model_validate(record)
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
                                             _reason(error)))
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
        _set(data, spec.list_path, records)


def _is_template_row(row: dict[int, Any], cols: dict[int, Any]) -> bool:
    """Return whether a help / example row still holds only the form's own texts."""
    return all(as_text(v) in _template_texts(cols[c]) for c, v in row.items())


def _item_model(spec: Any) -> Any:
    from .intake import _item_model as item, _model_at

    return item(_model_at(spec.list_path)[1])


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
