"""The table of contents: a ``TOC`` field whose entries list the headings with their pages.

The builder reserves the contents' place (:meth:`Contents.reserve`) before the body
exists; once the document is complete, :meth:`Contents.fill` bookmarks every heading
and writes the entries the way Word's own contents are written (a hyperlink per entry
and a ``PAGEREF`` field to the heading's bookmark holding its page number).  The page
numbers come from a layout engine (LibreOffice, :mod:`diag.report.office`) via
:meth:`Contents.set_pages`; without one the document asks Word to update its fields
on opening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from diag.report import fields as fl

__all__ = ["Contents", "Entry", "BOOKMARK_PREFIX"]

#: Heading bookmarks are named ``_Toc`` + a number, as Word names its own (hidden bookmarks).
BOOKMARK_PREFIX = "_Toc"
_FIRST = 90_000_001


@dataclass
class Entry:
    """One line of the contents: a heading, its level, its bookmark and its page."""

    level: int
    text: str
    bookmark: str
    page: int | None = None
    _result: Any = field(default=None, repr=False)   # the w:t holding the page number


class Contents:
    """The contents of one document.

    Parameters
    ----------
    document : docx.Document
        The document being built.
    headings : dict
        ``{style id: level}`` of the headings listed (levels 1 … ``depth``).
    entry_styles : dict
        ``{level: style id}`` of the entry paragraphs (``toc 1``, ``toc 2``).
    """

    def __init__(self, document, headings: dict[str, int], entry_styles: dict[int, str],
                 depth: int = 2) -> None:
        self.document = document
        self.headings = {k: v for k, v in headings.items() if v <= depth}
        self.entry_styles = entry_styles
        self.depth = depth
        self.entries: list[Entry] = []
        self._anchor: Any = None

    def reserve(self, paragraph: Paragraph, tab_position: int) -> None:
        """Mark the empty ``paragraph`` as the place of the contents; ``tab_position`` is
        the right tab stop of the page numbers (the text width, EMU)."""
        self._anchor = paragraph._p
        self._tab = int(round(tab_position / 635))

    def fill(self) -> list[Entry]:
        """Bookmark each heading after the contents and write the entries; return them."""
        if self._anchor is None:
            raise RuntimeError("Contents.reserve() was not called")
        body = self.document.element.body
        after = False
        number = _FIRST
        bookmark_id = fl.next_bookmark_id(self.document)
        self.entries = []
        for el in body.iterchildren(qn("w:p")):
            if el is self._anchor:
                after = True
                continue
            level = self.headings.get(fl.style_of(el) or "")
            text = "".join(t.text or "" for t in el.iter(qn("w:t"))).strip()
            if not after or level is None or not text:
                continue
            name = f"{BOOKMARK_PREFIX}{number}"
            number += 1
            runs = [r for r in el.iterchildren(qn("w:r"))]
            first, last = (runs[0], runs[-1]) if runs else (None, None)
            if first is None:
                continue
            fl.add_bookmark(first, last, name, bookmark_id)
            bookmark_id += 1
            self.entries.append(Entry(level, text, name))
        self._write()
        return self.entries

    def set_pages(self, pages: dict[str, int]) -> int:
        """Write each entry's page from ``{bookmark: page}``; return how many were found."""
        found = 0
        for entry in self.entries:
            page = pages.get(entry.bookmark)
            if page is not None:
                entry.page = int(page)
                entry._result.text = str(page)
                found += 1
        return found

    def _write(self) -> None:
        anchor = self._anchor
        if not self.entries:
            return
        paragraphs = [self._entry(e) for e in self.entries]
        # The TOC field opens in the first entry and closes after the last one.
        first = paragraphs[0]
        ppr = first.find(qn("w:pPr"))
        begin = fl.field_runs('TOC \\o "1-%d" \\h \\z \\u' % self.depth, "")[:3]
        for run in reversed(begin):
            ppr.addnext(run)
        paragraphs[-1].append(parse_xml(
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
        for p in paragraphs:
            anchor.addprevious(p)
        anchor.getparent().remove(anchor)

    def _entry(self, entry: Entry):
        style = self.entry_styles.get(entry.level) or self.entry_styles[max(self.entry_styles)]
        p = parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/><w:tabs>'
            f'<w:tab w:val="right" w:leader="dot" w:pos="{self._tab}"/></w:tabs></w:pPr>'
            f'<w:hyperlink w:anchor="{entry.bookmark}" w:history="1"/></w:p>')
        link = p.find(qn("w:hyperlink"))
        link.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">'
                              f'{fl.escape(entry.text)}</w:t></w:r>'))
        link.append(parse_xml(f'<w:r {nsdecls("w")}><w:tab/></w:r>'))
        runs = fl.field_runs(f"PAGEREF {entry.bookmark} \\h", "")
        for run in runs:
            link.append(run)
        entry._result = runs[3].find(qn("w:t"))
        return p


def paginate(builder) -> bytes:
    """Return the finished document with page numbers in its contents where LibreOffice can count them.

    ``builder`` is a :class:`~diag.report.builder.ReportBuilder` after ``build()``.
    The document is laid out by LibreOffice (:func:`diag.report.office.page_numbers`);
    each contents entry gets its heading's page and the request to update fields on
    opening is dropped.  Without LibreOffice, or when it fails, the document keeps
    asking Word to update its fields (the failure is logged, the report still written).
    """
    import logging
    import tempfile
    from pathlib import Path

    from diag.report import office

    payload = builder.save()
    if not builder.contents.entries or not office.available():
        return payload
    with tempfile.TemporaryDirectory(prefix="diag-toc-") as tmp:
        draft = Path(tmp) / "report.docx"
        draft.write_bytes(payload)
        try:
            pages, _ = office.page_numbers(draft)
        except office.OfficeError as exc:
            logging.getLogger("diag.report").warning("contents without page numbers: %s", exc)
            return payload
    if builder.contents.set_pages(pages) < len(builder.contents.entries):
        logging.getLogger("diag.report").warning("LibreOffice did not place every heading")
        return payload
    fl.set_update_fields(builder.doc, False)
    return builder.save()
