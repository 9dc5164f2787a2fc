"""The 需求澄清表's fields, shared by writing, styling and reading the workbook.

:class:`FormField` and :class:`SheetSpec` describe the form, derived from the
:class:`~diag.brief.model.Brief` model (:func:`kind_of`, :func:`fields_of`,
:func:`model_at`); :func:`parse_answer` turns one answer cell into a brief value and
:class:`Unresolved` records one it could not.  :mod:`diag.intake.workbook`,
:mod:`diag.intake.read` and :mod:`diag.intake.style` all import from here, never from
each other upwards.
"""

from __future__ import annotations

import datetime as _dt
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from diag.brief.labels import ENUM_EN, FIELDS
from diag.brief.model import Brief, _share
from diag.intake import answers

__all__ = ["FormField", "SheetSpec", "unwrap", "kind_of", "item_model", "model_at", "fields_of", "get_at",
           "set_at", "Unresolved", "parse_answer", "reason"]


@dataclass(frozen=True)
class FormField:
    """One answer cell (a ``fields`` sheet row or a ``table`` sheet column)."""

    path: str
    name: str
    kind: str  # text number money count share days months bool enum list map map_share date
    choices: tuple[str, ...] = ()
    required: bool = False

    def label(self, lang: str = "zh") -> str:
        """Return the label shown to the client."""
        entry = FIELDS[self.path]
        return entry[0] if lang == "zh" else entry[1]

    def help(self, lang: str = "zh") -> str:
        """Return the help text."""
        entry = FIELDS[self.path]
        return entry[2] if lang == "zh" else entry[3]

    @property
    def example(self) -> str:
        """Return the example answer."""
        return FIELDS[self.path][4]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook."""

    key: str
    title_zh: str
    title_en: str
    layout: str  # "fields" or "table"
    fields: tuple[FormField, ...]
    list_path: str | None = None  # for tables: the brief's list field

    def title(self, lang: str = "zh") -> str:
        """Return the sheet name in ``lang``."""
        return self.title_zh if lang == "zh" else self.title_en


def unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Return (bare type, metadata) with Optional and Annotated removed."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata += list(annotation.__metadata__)
            annotation = annotation.__origin__
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation, metadata


def kind_of(name: str, annotation: Any) -> tuple[str, tuple[str, ...]]:
    bare, metadata = unwrap(annotation)
    origin = typing.get_origin(bare)
    if origin is typing.Literal:
        return "enum", tuple(typing.get_args(bare))
    if origin is list:
        return "list", ()
    if origin is dict:
        value, meta = unwrap(typing.get_args(bare)[1])
        return ("map_share" if any(getattr(m, "func", None) is _share for m in meta) else "map"), ()
    if any(getattr(m, "func", None) is _share for m in metadata):
        return "share", ()
    if bare is bool:
        return "bool", ()
    if bare is _dt.date:
        return "date", ()
    if bare is int:
        return ("months" if name.endswith("_months") else "count"), ()
    if bare is float:
        if name.endswith("_days"):
            return "days", ()
        return ("money" if name in ("aov", "price_min", "price_max", "gmv_target", "budget") else "number"), ()
    return "text", ()


def item_model(annotation: Any) -> type[BaseModel] | None:
    bare, _ = unwrap(annotation)
    if typing.get_origin(bare) is list:
        inner = typing.get_args(bare)[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return bare
    return None


def model_at(path: str) -> tuple[type[BaseModel], Any]:
    """Return (model holding the last part of ``path``, that field's annotation)."""
    model: type[BaseModel] = Brief
    parts = path.split(".")
    for part in parts[:-1]:
        inner = item_model(model.model_fields[part].annotation)
        assert inner is not None, path
        model = inner
    return model, model.model_fields[parts[-1]].annotation


def fields_of(model: type[BaseModel], prefix: str, *, skip_records: bool) -> list[FormField]:
    out = []
    for name, info in model.model_fields.items():
        if name == "source":
            continue
        if skip_records and typing.get_origin(unwrap(info.annotation)[0]) is list \
                and item_model(info.annotation) is not None:
            continue
        if item_model(info.annotation) is not None and typing.get_origin(unwrap(info.annotation)[0]) is not list:
            continue  # a nested section, listed on its own sheet
        kind, choices = kind_of(name, info.annotation)
        out.append(FormField(f"{prefix}{name}", name, kind, choices, info.is_required()))
    return out


def get_at(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)  # type: ignore[assignment]
    return data


def set_at(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


@dataclass
class Unresolved:
    """An answer the import could not interpret; left out of the brief for the consultant."""

    sheet: str
    cell: str
    field: str
    label: str
    text: str
    reason: str
    suggestion: str | None = None

    def __str__(self) -> str:
        hint = f"；建议：{self.suggestion}" if self.suggestion else ""
        field = f"（{self.field}）" if self.field else ""  # text on no question of the form has no field
        return f"{self.sheet}!{self.cell} {self.label}{field}：「{self.text}」— {self.reason}{hint}"


def parse_answer(value: Any, f: FormField) -> Any:
    """Return the brief value for one cell, or raise :class:`AnswerError`."""
    if f.kind in ("number", "money", "count", "share", "days", "months"):
        return answers.parse_number(value, kind=f.kind)
    if f.kind == "list":
        return answers.parse_list(value)
    if f.kind == "map":
        return answers.parse_mapping(value)
    if f.kind == "map_share":
        pairs = answers.parse_mapping(value)
        return {k: answers.parse_number(v, kind="share") for k, v in pairs.items()}
    if f.kind == "bool":
        return answers.parse_bool(value)
    if f.kind == "enum":
        return answers.parse_choice(value, f.choices, ENUM_EN)
    if f.kind == "date":
        return answers.parse_date(value)
    return answers.as_text(value)


def reason(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {next(iter(ctx.values()), 0)}"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {next(iter(ctx.values()), '')}"
    if kind == "missing":
        return "本行缺少必填项"
    if kind == "string_pattern_mismatch":
        return "只能包含字母、数字、汉字或 -"
    return "不符合填写要求"
