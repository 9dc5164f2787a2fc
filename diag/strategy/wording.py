"""Table words in the run's language: headers and fixed cell words of the plan's tables.

The strategy functions build their report tables with the Chinese words the report
has always shown; :func:`localize` turns the headers, and the cells that are exactly
one of the kit's own words (领域 引流, 投入 低, 时间 30天 …), into the run's language
from the ``plan`` message catalogue.  Any other cell — what the client wrote, numbers,
sentences — stays as it is.  In Chinese nothing changes.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from diag.messages import LANGS, by_text, text

__all__ = ["localize", "word"]

_CATALOGUE = "plan"
#: Words with a number or a name in them: pattern → message key (its one field named ``value``).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d+)个月GMV机会$"), "horizon_opportunity"),
    (re.compile(r"^各渠道导入企微的路径\(未来(\d+)个月\)$"), "channel_paths"),
    (re.compile(r"^(.+)现状$"), "client_today"),
)


@lru_cache(maxsize=None)
def _by_zh(lang: str, domain: str) -> dict[str, str]:
    return by_text(domain, lang)


def word(zh: str, lang: str, domain: str = _CATALOGUE, *, patterns: bool = True) -> str:
    """Return the kit's word ``zh`` in ``lang`` from catalogue ``domain`` (itself when it does not hold it).

    With ``patterns`` (titles and headers) a word with a number or a name in it
    (:data:`_PATTERNS`) is worded too; cells are matched whole only.
    """
    if lang not in LANGS:
        text(_CATALOGUE, "priority", lang)  # raises the usual error for an unknown language
    if lang == "zh" or not isinstance(zh, str):
        return zh
    found = _by_zh(lang, domain).get(zh)
    if found is not None:
        return found
    for pattern, key in _PATTERNS if patterns else ():
        matched = pattern.match(zh)
        if matched:
            return text(_CATALOGUE, key, lang, value=matched.group(1))
    return zh


#: The team genes the brief may name (``team.gene``) → their word in the ``chapters`` catalogue.
_GENES = {"流量": "gene_traffic", "增长": "gene_growth", "运营": "gene_operations", "产品": "gene_product",
          "品牌": "gene_brand"}


def gene_word(gene: str | None, lang: str = "zh") -> str:
    """Return the team gene ``gene`` (流量 / 增长 / 运营 …) in ``lang``; another value as written, None as ''."""
    if not gene:
        return ""
    return gene if lang == "zh" or gene not in _GENES else text("chapters", _GENES[gene], lang)


def localize(frame: pd.DataFrame, lang: str, domain: str = _CATALOGUE) -> pd.DataFrame:
    """Return ``frame`` with its headers and the kit's own cell words in ``lang`` (catalogue ``domain``)."""
    if lang == "zh":
        return frame
    out = frame.rename(columns={c: word(c, lang, domain) for c in frame.columns if isinstance(c, str)})
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: word(v, lang, domain, patterns=False) if isinstance(v, str) else v)
    return out
