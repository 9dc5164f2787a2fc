"""Layout and styling of the 需求澄清表 sheets (openpyxl): what the client sees.

Fields sheets: column A holds the hidden field code, B the label, C the answer
(yellow, unlocked), D the help and E an example.  Table sheets: a hidden row of field
codes, a header row, a help row, an example row, then yellow input rows.  Sheets are
protected (no password) so labels and help cannot be overwritten by mistake; answer
cells stay editable and rows may be inserted.
"""

from __future__ import annotations

from typing import Any, Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from diag.brief.labels import ENUM_EN
from diag.intake.fields import FormField, SheetSpec

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F6F8B")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color="1F6F8B")
HELP_FONT = Font(color="7F7F7F", size=9)
EXAMPLE_FONT = Font(color="7F7F7F", italic=True, size=9)
REQUIRED_FONT = Font(bold=True, color="C00000")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
CODE_ROW = "__fields__"  # column A of a table sheet's hidden code row

HEADERS = {"zh": ("项目", "填写（黄色单元格）", "说明", "示例"),
           "en": ("Question", "Answer (yellow cells)", "Help", "Example")}
TITLE_HINT = {"zh": "请在黄色单元格填写；灰色为说明，无需修改",
              "en": "Type answers in the yellow cells; grey text is help"}
TABLE_HINT = {"zh": "每行填写一条，可继续往下加行；灰色示例行无需删除",
              "en": "One item per row; add rows as needed; leave the grey example row"}


def _choices_text(f: "FormField", lang: str) -> list[str]:
    if f.kind == "bool":
        return ["是", "否"] if lang == "zh" else ["yes", "no"]
    if lang == "en":
        return [ENUM_EN.get(c, c) for c in f.choices]
    return list(f.choices)


def _validation(ws: Any, f: "FormField", lang: str, industry_list: str | None) -> DataValidation | None:
    """Return a drop-down for enumerations (added to ``ws``), or ``None``."""
    if f.path == "client.industry" and industry_list:
        formula = industry_list
    elif f.kind in ("enum", "bool"):
        formula = '"' + ",".join(_choices_text(f, lang)) + '"'
    else:
        return None
    title = "请从列表选择" if lang == "zh" else "Pick from the list"
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorStyle="warning", errorTitle=title,
                        error=f.help(lang) or title, showInputMessage=bool(f.help(lang)),
                        promptTitle=f.label(lang)[:32], prompt=(f.help(lang) or "")[:250])
    ws.add_data_validation(dv)
    return dv


def instructions_sheet(ws: Any, lines: Sequence[str], lang: str) -> None:
    """Fill the first sheet with the filling instructions."""
    ws.title = "填写说明" if lang == "zh" else "Instructions"
    ws.column_dimensions["A"].width = 110
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=line)
        cell.font = TITLE_FONT if i == 1 else Font(size=11)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[i].height = 28 if i == 1 else 22
    ws.protection.sheet = True


def fields_sheet(ws: Any, spec: "SheetSpec", rows: Sequence[tuple["FormField", Any, str]], lang: str,
                 formats: dict[str, str], industry_list: str | None) -> None:
    """Lay out a one-question-per-row sheet."""
    ws.cell(row=1, column=2, value=f"{spec.title(lang)} — {TITLE_HINT[lang]}").font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=5)
    ws.cell(row=2, column=1, value="code")
    for col, text in enumerate(HEADERS[lang], start=2):
        cell = ws.cell(row=2, column=col, value=text)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BOX
    for r, (f, value, example) in enumerate(rows, start=3):
        ws.cell(row=r, column=1, value=f.path)
        label = ws.cell(row=r, column=2, value=f.label(lang) + (" *" if f.required else ""))
        label.font = REQUIRED_FONT if f.required else Font(bold=True)
        label.border, label.alignment = BOX, WRAP
        answer = ws.cell(row=r, column=3, value=value)
        answer.fill, answer.border, answer.protection = INPUT_FILL, BOX, UNLOCKED
        answer.alignment = WRAP
        if f.kind in formats:
            answer.number_format = formats[f.kind]
        help_cell = ws.cell(row=r, column=4, value=f.help(lang) or None)
        help_cell.font, help_cell.alignment, help_cell.border = HELP_FONT, WRAP, BOX
        ex = ws.cell(row=r, column=5, value=example or None)
        ex.font, ex.alignment, ex.border = EXAMPLE_FONT, WRAP, BOX
        dv = _validation(ws, f, lang, industry_list)
        if dv is not None:
            dv.add(answer.coordinate)
        ws.row_dimensions[r].height = 30
    ws.column_dimensions["A"].hidden = True
    for letter, width in zip("BCDE", (24, 34, 42, 24)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C3"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def table_sheet(ws: Any, spec: "SheetSpec", records: Sequence[Sequence[Any]], n_rows: int, lang: str,
                formats: dict[str, str], example_tag: str, prefill: Sequence[str] | None = None) -> None:
    """Lay out a one-record-per-row sheet: title, codes, header, help, example, input rows."""
    fields = spec.fields
    last = len(fields) + 1
    ws.cell(row=1, column=1, value=f"{spec.title(lang)} — {TABLE_HINT[lang]}").font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.cell(row=2, column=1, value=CODE_ROW)
    ws.cell(row=3, column=1, value="序号" if lang == "zh" else "No.")
    ws.cell(row=4, column=1, value="说明" if lang == "zh" else "Help")
    ws.cell(row=5, column=1, value=example_tag)
    for col, f in enumerate(fields, start=2):
        ws.cell(row=2, column=col, value=f.name)
        ws.cell(row=3, column=col, value=f.label(lang) + (" *" if f.required else ""))
        help_cell = ws.cell(row=4, column=col, value=f.help(lang) or None)
        help_cell.font, help_cell.alignment = HELP_FONT, WRAP
        ex = ws.cell(row=5, column=col, value=f.example or None)
        ex.font, ex.fill = EXAMPLE_FONT, EXAMPLE_FILL
        width = 30 if f.kind == "list" else 16
        ws.column_dimensions[get_column_letter(col)].width = width
        dv = _validation(ws, f, lang, None)
        if dv is not None:
            dv.add(f"{get_column_letter(col)}6:{get_column_letter(col)}{5 + n_rows}")
    for col in range(1, last + 1):
        head = ws.cell(row=3, column=col)
        head.font, head.fill, head.border = HEADER_FONT, HEADER_FILL, BOX
    ws.cell(row=4, column=1).font = HELP_FONT
    ws.cell(row=5, column=1).font = EXAMPLE_FONT
    for i in range(n_rows):
        r = 6 + i
        ws.cell(row=r, column=1, value=i + 1).font = HELP_FONT
        values = list(records[i]) if i < len(records) else []
        if not values and prefill and i < len(prefill):
            values = [prefill[i]]
        for col, f in enumerate(fields, start=2):
            cell = ws.cell(row=r, column=col, value=values[col - 2] if col - 2 < len(values) else None)
            cell.fill, cell.border, cell.protection, cell.alignment = INPUT_FILL, BOX, UNLOCKED, WRAP
            if f.kind in formats:
                cell.number_format = formats[f.kind]
    ws.row_dimensions[2].hidden = True
    ws.row_dimensions[4].height = 42
    ws.column_dimensions["A"].width = 6
    ws.freeze_panes = "B6"
    ws.protection.sheet = True
    ws.protection.insertRows = False  # False = allowed
    ws.protection.deleteRows = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
