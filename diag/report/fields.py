"""Word fields the report carries: numbered captions (SEQ), references to them (REF),
bookmarks, and the settings that tell Word which captions exist and whether to
refresh fields when the document opens.

Captions are written the way Word's *Insert Caption* writes them, so Word's
cross-reference dialog and its *Update Field* recognise them: the label, a
``SEQ <label>`` field holding the number, and a bookmark around label and number
that ``REF`` fields in the text point at ("见图 3").  Every field also carries its
result, so viewers that never update fields show the right number.
"""

from __future__ import annotations

import copy
import re
from typing import Iterator

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

__all__ = ["field_runs", "add_field", "add_bookmark", "caption", "reference_runs",
           "caption_refs", "declare_captions", "set_update_fields", "next_bookmark_id",
           "iter_instructions", "escape", "style_of"]

_W = nsdecls("w")
_XML_SPACE = 'xml:space="preserve"'


def escape(text: str) -> str:
    """Return ``text`` with the XML special characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(inner: str, rpr: str = "") -> BaseOxmlElement:
    return parse_xml(f"<w:r {_W}>{rpr}{inner}</w:r>")


def field_runs(instruction: str, result: str, *, rpr: str = "", dirty: bool = False) -> list:
    """Return the five runs of a complex field: begin, instruction, separate, result, end.

    ``rpr`` is a ``<w:rPr>`` string applied to every run (a caption's label keeps the
    paragraph style, so usually empty).  ``dirty`` asks Word to recompute the field.
    """
    flag = ' w:dirty="true"' if dirty else ""
    return [_run(f'<w:fldChar w:fldCharType="begin"{flag}/>', rpr),
            _run(f"<w:instrText {_XML_SPACE}> {escape(instruction)} </w:instrText>", rpr),
            _run('<w:fldChar w:fldCharType="separate"/>', rpr),
            _run(f"<w:t {_XML_SPACE}>{escape(result)}</w:t>", rpr),
            _run('<w:fldChar w:fldCharType="end"/>', rpr)]


def add_field(paragraph: Paragraph, instruction: str, result: str) -> None:
    """Append a field (``PAGE``, ``SEQ 图 \\* ARABIC`` …) with its shown ``result``."""
    for run in field_runs(instruction, result):
        paragraph._p.append(run)


def next_bookmark_id(document) -> int:
    """Return a bookmark id not used yet in ``document``'s body."""
    ids = [int(el.get(qn("w:id"))) for el in document.element.body.iter(qn("w:bookmarkStart"))
           if (el.get(qn("w:id")) or "").isdigit()]
    return max(ids, default=0) + 1


def add_bookmark(first, last, name: str, bookmark_id: int) -> None:
    """Put a bookmark ``name`` around the sibling elements ``first`` … ``last`` (runs or paragraph children)."""
    first.addprevious(parse_xml(f'<w:bookmarkStart {_W} w:id="{bookmark_id}" w:name="{name}"/>'))
    last.addnext(parse_xml(f'<w:bookmarkEnd {_W} w:id="{bookmark_id}"/>'))


def caption(paragraph: Paragraph, label: str, number: int, sep: str, title: str,
            bookmark: str, bookmark_id: int) -> None:
    """Write ``<label> <SEQ field> <sep><title>`` into the empty caption ``paragraph``.

    Label and number sit inside the bookmark ``bookmark`` (Word's "only label and
    number" reference), so a ``REF`` to it reads "图 3".
    """
    p = paragraph._p
    label_run = _run(f"<w:t {_XML_SPACE}>{escape(label)} </w:t>")
    p.append(label_run)
    runs = field_runs(f"SEQ {label} \\* ARABIC", str(number))
    for run in runs:
        p.append(run)
    add_bookmark(label_run, runs[-1], bookmark, bookmark_id)
    if title:
        p.append(_run(f"<w:t {_XML_SPACE}>{escape(sep + title)}</w:t>"))


def reference_runs(bookmark: str, shown: str, before: str, after: str) -> list:
    """Return runs reading ``before`` + a ``REF`` field to ``bookmark`` (showing ``shown``) + ``after``."""
    runs = [_run(f"<w:t {_XML_SPACE}>{escape(before)}</w:t>")] if before else []
    runs += field_runs(f"REF {bookmark} \\h", shown)
    if after:
        runs.append(_run(f"<w:t {_XML_SPACE}>{escape(after)}</w:t>"))
    return runs


#: Where a lead-in paragraph ends: the reference goes before this punctuation.
_END = re.compile(r"[。．.！!？?：:；;]+\s*$")


def caption_refs(document, *, caption_styles: set[str], text_styles: set[str],
                 stop_styles: set[str], template: tuple[str, str], default_style: str) -> int:
    """Make the paragraph that introduces each captioned figure or table refer to it.

    For every caption paragraph (style in ``caption_styles``, holding a bookmarked
    ``SEQ`` field), the nearest text paragraph before it (style in ``text_styles``;
    blank and picture paragraphs are skipped; a heading, a table or another caption
    in ``stop_styles`` / ``caption_styles`` ends the search) gets ``（见图 3）``
    inserted before its closing punctuation, as a ``REF`` field.  ``template`` is the
    text before and after the reference (``("（见", "）")``).  A paragraph already
    naming that figure is left alone.  Styles are given by style id, as the XML names
    them; a paragraph without one has ``default_style``.  Return how many references
    were added.
    """
    body = document.element.body
    children = list(body.iterchildren())
    added = 0
    for i, el in enumerate(children):
        if el.tag != qn("w:p") or style_of(el) not in caption_styles:
            continue
        target = _caption_target(el)
        if target is None:
            continue
        bookmark, shown = target
        lead = _lead_in(children, i, caption_styles, text_styles, stop_styles, default_style)
        if lead is None or shown.replace(" ", "") in "".join(lead.itertext()).replace(" ", ""):
            continue
        _insert_reference(lead, reference_runs(bookmark, shown, *template))
        added += 1
    return added


def style_of(p) -> str | None:
    """Return the style id of paragraph element ``p`` (None: the default style)."""
    el = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if el is None else el.get(qn("w:val"))


def _caption_target(p) -> tuple[str, str] | None:
    """Return (bookmark name, "label number") of a caption paragraph, or None."""
    start = p.find(qn("w:bookmarkStart"))
    if start is None or not any("SEQ" in (t.text or "") for t in p.iter(qn("w:instrText"))):
        return None
    texts: list[str] = []
    inside = False
    for el in p.iter():
        if el.tag == qn("w:bookmarkStart") and el is start:
            inside = True
        elif el.tag == qn("w:bookmarkEnd") and el.get(qn("w:id")) == start.get(qn("w:id")):
            break
        elif inside and el.tag == qn("w:t"):
            texts.append(el.text or "")
    return start.get(qn("w:name")), "".join(texts).strip()


def _lead_in(children: list, i: int, caption_styles: set[str], text_styles: set[str],
             stop_styles: set[str], default_style: str):
    for el in reversed(children[max(0, i - 6):i]):
        if el.tag != qn("w:p"):
            return None      # a table (the figure's own caption comes after the picture)
        style = style_of(el) or default_style
        if style in stop_styles or style in caption_styles:
            return None
        text = "".join(t.text or "" for t in el.iter(qn("w:t"))).strip()
        if not text:
            continue         # a blank spacer or the picture's paragraph
        return el if style in text_styles else None
    return None


def _insert_reference(p, runs: list) -> None:
    """Insert ``runs`` before the closing punctuation of paragraph ``p`` (else at its end)."""
    texts = [t for t in p.iter(qn("w:t")) if t.text]
    last = texts[-1] if texts else None
    match = _END.search(last.text) if last is not None else None
    if last is None or match is None:
        for run in runs:
            p.append(run)
        return
    run = last.getparent()
    head, tail = last.text[:match.start()], last.text[match.start():]
    last.text = head
    last.set(qn("xml:space"), "preserve")
    rpr = run.find(qn("w:rPr"))   # the tail keeps the run's format
    tail_run = _run(f"<w:t {_XML_SPACE}>{escape(tail)}</w:t>")
    if rpr is not None:
        tail_run.insert(0, copy.deepcopy(rpr))
    anchor = run
    for new in runs:
        anchor.addnext(new)
        anchor = new
    anchor.addnext(tail_run)


def declare_captions(document, labels: list[str]) -> None:
    """Declare caption labels (图, 表) in settings.xml so Word's caption dialogs list them."""
    settings = document.settings.element
    old = settings.find(qn("w:captions"))
    if old is not None:
        settings.remove(old)
    inner = "".join(f'<w:caption w:name="{escape(label)}" w:pos="below" w:numFmt="decimal"/>'
                    for label in labels)
    settings.insert_element_before(
        parse_xml(f"<w:captions {_W}>{inner}</w:captions>"),
        "w:readModeInkLockDown", "w:smartTagType", "w:schemaLibrary", "w:shapeDefaults",
        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def set_update_fields(document, on: bool) -> None:
    """Ask Word to refresh every field on opening (``on``), or stop asking."""
    settings = document.settings.element
    old = settings.find(qn("w:updateFields"))
    if old is not None:
        settings.remove(old)
    if not on:
        return
    # settings.xml is a strict sequence: updateFields precedes these.
    settings.insert_element_before(
        parse_xml(f'<w:updateFields {_W} w:val="true"/>'),
        "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults",
        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def iter_instructions(document) -> Iterator[str]:
    """Yield the instruction text of every field in the body (for checks and tests)."""
    for el in document.element.body.iter(qn("w:instrText")):
        yield (el.text or "").strip()
