"""The metric catalogue: every number the kit records or prints, defined once.

The entries live in ``diag/catalog.yaml``.  Each :class:`Metric` carries its key, its
label and definition in Chinese and English, its unit and number format, the direction
in which it is better, the GMV driver it belongs to (GMV = users × conversion ×
frequency × AOV) and the function that computes it.  :meth:`diag.record.Recorder.number` takes label, unit, format and definition from
here; the report's appendix of definitions, ``diag metrics --format table``, the
benchmark table and the playbook's wording read the same entries.  Nothing else words a
metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from diag.errors import TemplateError, UsageError

__all__ = ["Metric", "METRICS", "DIRECTIONS", "DRIVERS", "metric", "label", "definition", "unit",
           "number_kwargs", "known"]

Direction = Literal["higher", "lower", "neutral"]
Driver = Literal["users", "conversion", "frequency", "aov", "none"]
DIRECTIONS: tuple[str, ...] = ("higher", "lower", "neutral")
DRIVERS: tuple[str, ...] = ("users", "conversion", "frequency", "aov", "none")

#: The catalogue's entries (kit data, edited like the message catalogues).
_FILE = Path(__file__).with_name("catalog.yaml")

#: The printed unit in English for each Chinese unit.
_UNIT_EN = {"元": "yuan", "人": "people", "单": "orders", "天": "days", "次": "purchases", "分钟": "min",
            "家": "stores", "个月": "months", "": ""}


@dataclass(frozen=True)
class Metric:
    """One metric: how it is named, printed, read and where it is computed."""

    key: str
    label_zh: str
    label_en: str
    unit: str                 # the Chinese unit as printed after the number ("" for shares and ratios)
    fmt: str                  # a str.format pattern for the number
    definition_zh: str
    definition_en: str
    direction: Direction      # higher: more is better; lower: less is better; neutral: neither
    driver: Driver            # the GMV driver it moves
    computed_in: str          # "module.function" that computes it

    def label(self, lang: str = "zh") -> str:
        """Return the label in ``lang`` (``zh`` or ``en``)."""
        return self.label_en if lang == "en" else self.label_zh

    def definition(self, lang: str = "zh") -> str:
        """Return the definition in ``lang`` (``zh`` or ``en``)."""
        return self.definition_en if lang == "en" else self.definition_zh

    def unit_in(self, lang: str = "zh") -> str:
        """Return the printed unit in ``lang``."""
        return _UNIT_EN[self.unit] if lang == "en" else self.unit


def _entry(key: str, e: Any) -> Metric:
    try:
        m = Metric(key, str(e["label"]["zh"]), str(e["label"]["en"]), str(e["unit"]), str(e["fmt"]),
                   str(e["definition"]["zh"]), str(e["definition"]["en"]), e["direction"], e["driver"],
                   str(e["computed_in"]))
    except (KeyError, TypeError) as exc:
        raise TemplateError(f"expected label, unit, fmt, definition (zh and en), direction, driver and "
                            f"computed_in; missing {exc}", file=str(_FILE), where=key) from None
    if m.direction not in DIRECTIONS or m.driver not in DRIVERS:
        raise TemplateError(f"expected direction in {DIRECTIONS} and driver in {DRIVERS}, got "
                            f"{m.direction!r}, {m.driver!r}", file=str(_FILE), where=key)
    return m


def _load() -> dict[str, Metric]:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8")) or {}
    return {str(key): _entry(str(key), entry) for key, entry in data.items()}


#: key → :class:`Metric`, every metric the kit records or prints.
METRICS: dict[str, Metric] = _load()


def known(key: str) -> bool:
    """Return whether ``key`` is in the catalogue."""
    return key in METRICS


def metric(key: str) -> Metric:
    """Return the catalogue entry of ``key`` (UsageError naming the key when it has none)."""
    try:
        return METRICS[key]
    except KeyError:
        raise UsageError(f"metric '{key}' is not in the metric catalogue (diag/catalog.yaml)") from None


def label(key: str, lang: str = "zh") -> str:
    """Return the label of ``key`` in ``lang``."""
    return metric(key).label(lang)


def definition(key: str, lang: str = "zh") -> str:
    """Return the written definition of ``key`` in ``lang``."""
    return metric(key).definition(lang)


def unit(key: str, lang: str = "zh") -> str:
    """Return the printed unit of ``key`` in ``lang``."""
    return metric(key).unit_in(lang)


def number_kwargs(key: str, lang: str = "zh") -> dict[str, Any]:
    """Return ``label, unit, fmt, definition`` of ``key`` for :meth:`diag.record.Recorder.number`."""
    m = metric(key)
    return {"label": m.label(lang), "unit": m.unit_in(lang), "fmt": m.fmt, "definition": m.definition(lang)}
