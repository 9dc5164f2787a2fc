"""How much of a report is boilerplate: prose paragraphs identical across clients' reports.

A paragraph is *shared* when, after masking numbers, the client's name and its industry,
the same text appears in every report compared.  The method appendix (from the first
heading starting 附录 / Appendix) is left out; headings, captions and contents lines are
not prose.  Pure functions plus :func:`prose_paragraphs`, which reads a .docx.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["prose_paragraphs", "mask", "shared_share", "repeated"]

_NOT_PROSE = ("heading", "title", "caption", "toc", "table caption", "subtitle")
_NUMBER = re.compile(r"[¥￥]?\d[\d,]*(?:\.\d+)?%?")


def prose_paragraphs(path: str | Path) -> list[str]:
    """Return the report's prose paragraphs (body, notes, bullets) before the method appendix."""
    import docx
    out = []
    for p in docx.Document(str(path)).paragraphs:
        text, style = p.text.strip(), (p.style.name if p.style is not None else "").lower()
        if not text:
            continue
        if style.startswith("heading") and (text.startswith("附录") or text.lower().startswith("appendix")):
            break
        if not any(style.startswith(s) for s in _NOT_PROSE):
            out.append(text)
    return out


def mask(text: str, names: Iterable[str] = ()) -> str:
    """Return ``text`` with numbers replaced by # and each of ``names`` (client, industry, …) by @."""
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, "@")
    return _NUMBER.sub("#", text)


def shared_share(reports: Sequence[Sequence[str]], names: Sequence[Iterable[str]]) -> float:
    """Return the largest share, over the reports, of prose paragraphs that every report contains once masked."""
    masked = [[mask(p, n) for p in r] for r, n in zip(reports, names)]
    common = set.intersection(*(set(m) for m in masked)) if masked else set()
    return max((sum(p in common for p in m) / len(m) for m in masked if m), default=0.0)


def repeated(paragraphs: Sequence[str]) -> list[str]:
    """Return the paragraphs that occur more than once in one report."""
    seen: dict[str, int] = {}
    for p in paragraphs:
        seen[p] = seen.get(p, 0) + 1
    return [p for p, n in seen.items() if n > 1]
