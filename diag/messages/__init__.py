"""Message catalogues: every text the kit writes for a reader, in Chinese and English.

One YAML file per domain (``diag/messages/<domain>.yaml``), each entry a key with its
``zh`` and ``en`` text, ``str.format`` fields in braces::

    repurchase_finding:
      zh: "复购率 {rate}，低于行业区间 {low}–{high}。"
      en: "Repurchase rate {rate}, below the industry range {low}–{high}."

:func:`text` returns one message in a language; :func:`messages` a small callable bound
to a domain and a language, which notebooks use as ``t = messages("diagnosis", lang)``;
:func:`by_text` the reverse lookup, a Chinese text to its twin in another language.
What the client wrote (names, products, interview notes) never goes through here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from diag.errors import UsageError

__all__ = ["LANGS", "Messages", "by_text", "messages", "said", "say", "text"]

#: The languages every catalogue carries.
LANGS: tuple[str, ...] = ("zh", "en")
_HERE = Path(__file__).resolve().parent
#: libyaml's safe loader when PyYAML has it (several times faster than the pure-Python one).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def _catalogue(domain: str) -> dict[str, dict[str, str]]:
    path = _HERE / f"{domain}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in _HERE.glob("*.yaml")))
        raise UsageError(f"no message catalogue '{domain}'; known: {known}", file=str(path))
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}  # noqa: S506 - a safe loader
    for key, entry in data.items():
        if not isinstance(key, str):
            raise UsageError(f"expected a text key, got {key!r} (quote it)", file=str(path))
        if not isinstance(entry, dict) or any(not isinstance(entry.get(lang), str) for lang in LANGS):
            raise UsageError(f"expected zh and en texts for every message, got {entry!r}", file=str(path),
                             where=str(key))
    return data


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"expected a language among {', '.join(LANGS)}, got {lang!r}", file="--lang")
    return lang


def text(domain: str, key: str, lang: str = "zh", /, **fields: Any) -> str:
    """Return message ``key`` of ``domain`` in ``lang``, its fields filled from ``fields``."""
    entry = _catalogue(domain).get(key)
    if entry is None:
        raise KeyError(f"message '{key}' is not in diag/messages/{domain}.yaml")
    return entry[_lang(lang)].format(**fields) if fields else entry[_lang(lang)]


class Messages:
    """The messages of one domain in one language: ``t("key", **fields)``."""

    def __init__(self, domain: str, lang: str = "zh") -> None:
        self.domain, self.lang = domain, _lang(lang)
        _catalogue(domain)  # fail early on an unknown or malformed catalogue

    def __call__(self, key: str, /, **fields: Any) -> str:
        return text(self.domain, key, self.lang, **fields)

    def has(self, key: str) -> bool:
        """Return whether the domain holds ``key``."""
        return key in _catalogue(self.domain)


def messages(domain: str, lang: str = "zh") -> Messages:
    """Return the messages of ``domain`` in ``lang``."""
    return Messages(domain, lang)


def by_text(domain: str, lang: str) -> dict[str, str]:
    """Return every message of ``domain`` as its Chinese text → its text in ``lang`` (a new dict).

    The reverse lookup for words the kit builds in Chinese and words again at the end
    (table headers, fixed cell words); fields in braces stay unfilled.  Where two
    messages share a Chinese text (门店 as a header and as a business format), the first
    in the file wins: put the table word first.
    """
    target = _lang(lang)
    out: dict[str, str] = {}
    for entry in _catalogue(domain).values():
        out.setdefault(entry["zh"], entry[target])
    return out


def said(key: str, /, **fields: Any) -> dict[str, Any]:
    """Return a message to word later, as plain data: ``{"key": key, "fields": fields}``.

    Analysis records what it found this way (JSON-safe, language-free); presentation words
    it with :func:`say` in the reader's language.  A field may itself be such an item, or a
    list of them.
    """
    return {"key": key, "fields": fields}


def say(domain: str, item: dict[str, Any], lang: str = "zh") -> str:
    """Return ``item`` (a :func:`said` record) worded by ``domain``'s catalogue in ``lang``.

    Fields that are items are worded first; a list of items is joined with the domain's
    ``list_sep``.
    """
    t = messages(domain, lang)

    def word(value: Any) -> Any:
        if isinstance(value, dict) and "key" in value:
            return say(domain, value, lang)
        if isinstance(value, list):
            return t("list_sep").join(str(word(v)) for v in value)
        return value

    return t(item["key"], **{k: word(v) for k, v in (item.get("fields") or {}).items()})
