"""The 需求澄清表 workbook: write a form a client can fill alone, read a filled one back.

The form is generated from the :class:`~diag.brief.model.Brief` model (field list, kinds,
enumerations) and the catalogue in :mod:`diag.brief.labels` (labels, help, examples),
so it cannot drift from the brief.  A hidden sheet ``_meta`` (and the defined name
``DIAG_INTAKE_VERSION``) carries the template version, checked on import.

Import is tolerant of what clients really type (see :mod:`diag.intake.answers`), of blank or
extra rows, merged cells and answers typed in the wrong column of the right row.
Whatever it cannot interpret is listed (sheet, cell, text found) and left out of the
brief for the consultant — never guessed.
"""

from __future__ import annotations

import datetime as _dt
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from diag.brief.labels import ENUM_EN, FIELDS, INSTRUCTIONS, SHEETS
from diag.brief.model import Brief, brief_to_dict, save_brief
from diag.errors import DataError, TemplateError, UsageError
from diag.intake import answers
from diag.intake import style as style
from diag.intake.fields import (
    FormField,
    SheetSpec,
    Unresolved,
    fields_of,
    get_at,
    item_model,
    kind_of,
    model_at,
    reason,
)
from diag.intake.read import read_sheets

__all__ = ["FORM_VERSION", "FormField", "SheetSpec", "ImportResult", "Unresolved", "form_sheets",
           "write_form", "read_workbook", "import_workbook", "industry_choices"]

FORM_VERSION = "1"
META_SHEET = "_meta"
MARKER = "diag-intake-form"
FALLBACK_INDUSTRIES = ("餐饮", "产康", "商超连锁", "母婴", "美妆护肤", "食品大健康", "家居软装", "品牌消费品")
TABLE_ROWS = {"journey": 40}  # input rows per table sheet; 30 otherwise
EXAMPLE_TAG = {"zh": "示例", "en": "e.g."}


# -- the form's structure, derived from the Brief model ----------------------------------

def form_sheets() -> list[SheetSpec]:
    """Return the workbook's sheets with their fields, derived from the Brief model."""
    sheets = []
    for key, zh, en, layout, prefixes in SHEETS:
        fields: list[FormField] = []
        list_path = None
        for prefix in prefixes:
            if layout == "table":
                list_path = prefix
                item = item_model(model_at(prefix)[1])
                assert item is not None, prefix
                fields += fields_of(item, f"{prefix}.", skip_records=True)
            elif prefix in Brief.model_fields and item_model(Brief.model_fields[prefix].annotation) is None:
                kind, choices = kind_of(prefix, Brief.model_fields[prefix].annotation)
                fields.append(FormField(prefix, prefix, kind, choices))
            else:
                section = item_model(Brief.model_fields[prefix].annotation)
                assert section is not None, prefix
                fields += fields_of(section, f"{prefix}.", skip_records=True)
        sheets.append(SheetSpec(key, zh, en, layout, tuple(fields), list_path))
    return sheets


def industry_choices() -> list[str]:
    """Return the industries offered in the form: installed templates, else the standard eight."""
    from diag.industries.registry import known_industries

    return list(known_industries()) or list(FALLBACK_INDUSTRIES)


# -- writing the form ------------------------------------------------------------------

def _display(value: Any, kind: str, lang: str) -> Any:
    """Return a brief value as the cell value a client would have typed."""
    if value is None or value == [] or value == {}:
        return None
    if kind in ("list",):
        return "、".join(str(v) for v in value)
    if kind == "map":
        return "；".join(f"{k}={v}" for k, v in value.items())
    if kind == "map_share":
        return "；".join(f"{k}: {(Decimal(str(v)) * 100).normalize():f}%" for k, v in value.items())
    if kind == "bool":
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if kind == "enum":
        return value if lang == "zh" else ENUM_EN.get(value, value)
    if kind == "date":
        return _dt.datetime.combine(value, _dt.time()) if isinstance(value, _dt.date) else value
    return value


_FORMATS = {"share": "0%", "money": "#,##0.00", "count": "#,##0", "date": "yyyy-mm-dd"}


def write_form(path: str | Path, *, industry: str | None = None, lang: str = "zh",
               brief: Brief | None = None) -> Path:
    """Write a 需求澄清表 workbook to ``path`` and return it.

    ``industry`` pre-fills ``client.industry`` and shows the template's typical values
    beside the matching questions; ``brief`` pre-fills every answer (a brief sent back
    to the client for completion).  Labels are Chinese, or English with ``lang="en"``.
    """
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName


    if lang not in ("zh", "en"):
        raise UsageError(f"expected --lang zh or en, got '{lang}'", file="--lang")
    choices = industry_choices()
    hints: dict[str, str] = {}
    if industry:
        if industry not in choices:
            raise TemplateError(f"no industry template '{industry}'; known: {'、'.join(choices)}",
                                where="--industry")
        hints = _template_hints(industry, lang)
    values = brief_to_dict(brief) if brief is not None else {}
    if industry and not values.get("client", {}).get("industry"):
        values.setdefault("client", {})["industry"] = industry

    wb = Workbook()
    style.instructions_sheet(wb.active, INSTRUCTIONS[lang], lang)
    meta = wb.create_sheet(META_SHEET)
    meta.append([MARKER, FORM_VERSION])
    meta.append(["lang", lang])
    for i, name in enumerate(choices, start=1):
        meta.cell(row=i, column=4, value=name)
    meta.sheet_state = "hidden"
    wb.defined_names["DIAG_INTAKE_VERSION"] = DefinedName("DIAG_INTAKE_VERSION",
                                                          attr_text=f"{META_SHEET}!$B$1")
    industry_list = f"{META_SHEET}!$D$1:$D${len(choices)}"
    for spec in form_sheets():
        ws = wb.create_sheet(spec.title(lang), index=len(wb.sheetnames) - 1)
        if spec.layout == "fields":
            rows = []
            for f in spec.fields:
                value = _display(get_at(values, f.path), f.kind, lang)
                example = hints.get(f.path) or f.example
                rows.append((f, value, example))
            style.fields_sheet(ws, spec, rows, lang, _FORMATS, industry_list)
        else:
            records = get_at(values, spec.list_path or "") or []
            shown = [[_display(rec.get(f.name), f.kind, lang) for f in spec.fields] for rec in records]
            n_rows = max(TABLE_ROWS.get(spec.key, 30), len(shown) + 10)
            prefill = None
            if spec.key == "journey" and not shown:
                from diag.brief.model import JOURNEY_STAGES
                prefill = [_display(s, "enum", lang) for s in JOURNEY_STAGES]
            style.table_sheet(ws, spec, shown, n_rows, lang, _FORMATS, EXAMPLE_TAG[lang], prefill)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _template_hints(industry: str, lang: str) -> dict[str, str]:
    """Return example texts from the industry template's typical values."""
    from diag.industries.registry import known_industries, load_industry

    if industry not in known_industries():
        return {}
    typical = load_industry(industry).get("typical") or {}
    word = "行业典型" if lang == "zh" else "industry typical"
    out = {}
    for key, path in (("aov", "goods.aov"), ("repurchase_cycle_days", "goods.repurchase_cycle_days"),
                      ("purchases_per_year", "people.purchases_per_year")):
        band = typical.get(key)
        if isinstance(band, (list, tuple)) and len(band) == 2:
            out[path] = f"{word}: {band[0]:g}–{band[1]:g}"
    return out


# -- reading a filled form ---------------------------------------------------------------

@dataclass
class ImportResult:
    """What :func:`read_workbook` found: the brief, what was left open, and notes."""

    brief: Brief
    unresolved: list[Unresolved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    path: Path | None = None


def _open(path: Path) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise DataError("file not found" if not path.exists() else "expected a workbook file", file=path)
    try:
        with warnings.catch_warnings():
            # Excel re-saves cross-sheet drop-downs as an extension openpyxl does not read;
            # the answers are unaffected, so the warning would only be noise.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DataError("not an Excel workbook (.xlsx); expected the 需求澄清表 from `diag intake form`",
                        file=path) from None


def read_workbook(path: str | Path) -> ImportResult:
    """Return the brief in a filled 需求澄清表 plus every answer it could not interpret.

    Raises :class:`DataError` for a file that is not a workbook, has no or another
    template version, misses a sheet, or lacks the client's name or industry.
    """

    path = Path(path)
    wb = _open(path)
    if META_SHEET not in wb.sheetnames or wb[META_SHEET]["A1"].value != MARKER:
        raise DataError("not a 需求澄清表 workbook (no template version marker); "
                        "start from `diag intake form`", file=path)
    version = answers.as_text(wb[META_SHEET]["B1"].value or "")
    if version != FORM_VERSION:
        raise DataError(f"wrong template version: expected {FORM_VERSION}, got {version or 'none'}; "
                        "generate a new form with `diag intake form` and copy the answers", file=path)
    lang = wb[META_SHEET]["A2"].value == "lang" and wb[META_SHEET]["B2"].value or "zh"
    data, cells, unresolved, notes = read_sheets(wb, form_sheets(), path, lang)
    brief = _validate(data, cells, unresolved, path)
    _check_industry(brief, cells, unresolved)
    return ImportResult(brief, unresolved, notes)


def _validate(data: dict[str, Any], cells: dict[str, tuple[str, str, str, str]],
              unresolved: list[Unresolved], path: Path) -> Brief:
    """Return the validated brief, moving every value the model rejects to ``unresolved``.

    Table rows were validated one by one while reading, so the errors left here sit in
    plain mappings and dropping one never shifts another's place.
    """
    for _ in range(100):
        for required in ("client.name", "client.industry"):
            if not get_at(data, required):
                sheet, cell, label, _text = cells.get(required, ("企业概况", "C?", FIELDS[required][0], ""))
                raise DataError(f"{label} ({required}) is required but empty", file=path,
                                where=f"{sheet}!{cell}")
        try:
            return Brief.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = [str(p) for p in error["loc"]]
                n = next((n for n in range(len(loc), 0, -1) if ".".join(loc[:n]) in cells), len(loc))
                key = ".".join(loc[:n])
                sheet, cell, label, text = cells.get(key, ("?", "?", key, ""))
                unresolved.append(Unresolved(sheet, cell, key, label, text, reason(error)))
                _drop(data, loc[:n])
    raise DataError("too many invalid answers", file=path)  # pragma: no cover - bounded loop


def _drop(data: dict[str, Any], loc: list[str]) -> None:
    for part in loc[:-1]:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    if isinstance(data, dict):
        data.pop(loc[-1], None)


def _check_industry(brief: Brief, cells: dict[str, tuple[str, str, str, str]],
                    unresolved: list[Unresolved]) -> None:
    from diag.industries.registry import known_industries

    known = list(known_industries())
    if known and brief.client.industry not in known:
        sheet, cell, label, text = cells.get("client.industry", ("企业概况", "?", "所属行业", ""))
        close = [k for k in known if k in brief.client.industry or brief.client.industry in k]
        unresolved.append(Unresolved(sheet, cell, "client.industry", label, text or brief.client.industry,
                                     "没有这个行业模板；请改为已有行业",
                                     "、".join(close or known)))


def import_workbook(workbook: str | Path, output: str | Path) -> ImportResult:
    """Read a filled workbook and write the brief YAML to ``output``; return the result.

    Unresolved answers are listed as comments at the top of the YAML file as well as
    in the result, so the consultant sees them where they edit.
    """
    result = read_workbook(workbook)
    output = Path(output)
    save_brief(result.brief, output)
    if result.unresolved:
        header = ["# 导入时无法识别、留待顾问确认的回答：", *[f"#   {item}" for item in result.unresolved], ""]
        from diag.files import write_atomic

        write_atomic(output, "\n".join(header) + output.read_text(encoding="utf-8"))
    result.path = output
    return result
