"""Validation messages in one wording: a pydantic error as "expected …, got …" at a field path.

Briefs, industry templates and platform profiles are pydantic models; every one of them
reports a bad field through :func:`describe_error` at :func:`field_path`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails


def field_path(loc: tuple[Any, ...]) -> str:
    """Return a pydantic error location as a consultant reads it: ``goods.products[2].price``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and (part.startswith(("literal[", "function-", "constrained-"))
                                         or part in ("float", "int", "str", "bool", "date", "list", "dict",
                                                     "none", "list[str]", "dict[str,str]")):
            continue  # pydantic's union-member tags are noise for a consultant
        else:
            out += f".{part}" if out else str(part)
    return out


def _known_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
            inner = getattr(candidate, "__args__", ())
            found = [c for c in inner if isinstance(c, type) and issubclass(c, BaseModel)]
            if found:
                current = found[0]
                break
    return [n for n in getattr(current, "model_fields", {}) if n != "source"]


def describe_error(error: ErrorDetails, model: type[BaseModel]) -> str:
    """Return one pydantic error as "expected …, got …" in the kit's wording."""
    kind, got, ctx = error["type"], error.get("input"), error.get("ctx", {})
    shown = repr(got) if isinstance(got, str) else got
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"expected a number, got {shown}"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        known = ", ".join(_known_fields(model, error["loc"]))
        return f"unknown field; known: {known}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}, got {shown}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤",
                 "less_than": "<"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"expected a value {bound} {limit}, got {shown}"
    if kind in ("list_type",):
        return f"expected a list, got {shown}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields, got {shown}"
    if kind in ("string_type",):
        return f"expected text, got {shown}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected yes/no (true/false), got {shown}"
    if kind.startswith("date"):
        return f"expected a date YYYY-MM-DD, got {shown}"
    if kind == "string_pattern_mismatch":
        return f"expected letters, digits, CJK characters or '-', got {shown}"
    return f"{error['msg']}, got {shown}"
