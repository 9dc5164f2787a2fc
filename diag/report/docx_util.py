"""Low-level WordprocessingML helpers python-docx has no API for.

Page size, section orientation, table geometry and the
header-row flags.  Formatting itself stays in the template's styles.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Emu, Length, Pt
from docx.table import Table

from diag.errors import TemplateError

__all__ = ["text_width", "text_height", "new_section", "set_col_widths", "mark_header_row",
           "set_table_look", "shade_cell", "header_fill", "adopt_page", "raise_font_floor", "drop_spacers_before", "A4"]

#: A4 portrait, in EMU (210 × 297 mm).
A4 = (Emu(7_560_310), Emu(10_692_130))


def text_width(section: Section) -> int:
    """Return the width between the margins of ``section``, in EMU."""
    return _length(section.page_width, "page width") - _length(section.left_margin, "left margin") \
        - _length(section.right_margin, "right margin")


def text_height(section: Section) -> int:
    """Return the height between the margins of ``section``, in EMU."""
    return _length(section.page_height, "page height") - _length(section.top_margin, "top margin") \
        - _length(section.bottom_margin, "bottom margin")


def _length(value: Length | None, what: str) -> int:
    """Return a page measure in EMU; a template section that sets none is a :class:`TemplateError`."""
    if value is None:
        raise TemplateError(f"expected the report template's sections to set a {what}")
    return int(value)


def new_section(doc, *, landscape: bool) -> Section:
    """Return a new section on a new page, portrait or landscape, with the same margins.

    The new section inherits the header and footer of the one before (python-docx
    leaves it without references, which Word and LibreOffice read as "same as
    previous"); only the first section (the cover) has a distinct first page.
    """
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    width, height = section.page_width, section.page_height
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    return section


def set_col_widths(table: Table, widths: list[int]) -> None:
    """Fix ``table``'s layout to ``widths`` (EMU per column) so it fits the page in any viewer."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    total = sum(widths)
    for tag in ("w:tblW", "w:tblLayout"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    tbl_w = parse_xml(f'<w:tblW {nsdecls("w")} w:w="{_twips(total)}" w:type="dxa"/>')
    layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    # Schema order inside tblPr: tblStyle, …, tblW, jc, …, tblLayout, tblCellMar, tblLook.
    anchor = tbl_pr.find(qn("w:tblStyle"))
    (anchor.addnext(tbl_w) if anchor is not None else tbl_pr.insert(0, tbl_w))
    look = tbl_pr.find(qn("w:tblLook"))
    (look.addprevious(layout) if look is not None else tbl_pr.append(layout))
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(_twips(width)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def set_table_look(table: Table, *, header: bool) -> None:
    """Tell viewers which conditional formats of the table style apply (header row, row bands)."""
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblLook"))
    if old is not None:
        tbl_pr.remove(old)
    first = "1" if header else "0"
    val = "04A0" if header else "0420"
    tbl_pr.append(parse_xml(
        f'<w:tblLook {nsdecls("w")} w:val="{val}" w:firstRow="{first}" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'))


def mark_header_row(table: Table) -> None:
    """Mark the first row as a header: repeated on every page, never split."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def shade_cell(cell, fill: str) -> None:
    """Fill a cell directly (LibreOffice ignores a table style's conditional shading)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    old = tc_pr.find(qn("w:shd"))
    if old is not None:
        tc_pr.remove(old)
    # tcPr is a strict sequence: shd follows tcW … tcBorders and precedes these.
    tc_pr.insert_element_before(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'),
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def header_fill(table_style) -> str | None:
    """Return the header-row fill colour a table style defines (its ``firstRow`` shading), if any."""
    for pr in table_style.element.findall(qn("w:tblStylePr")):
        if pr.get(qn("w:type")) == "firstRow":
            shd = pr.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            if shd is not None and shd.get(qn("w:fill")) not in (None, "auto"):
                return shd.get(qn("w:fill"))
    return None


def adopt_page(section: Section) -> None:
    """Make ``section`` A4 (a firm's Letter template included), keeping its orientation and margins."""
    width, height = A4
    if section.page_width is not None and section.page_height is not None \
            and section.page_width > section.page_height:
        width, height = height, width
    if (section.page_width, section.page_height) != (width, height):
        section.page_width, section.page_height = width, height


def raise_font_floor(styles, points: float) -> None:
    """Give each of ``styles`` at least ``points`` pt (a size inherited from a base style counts)."""
    for style in styles:
        size, base = style.font.size, style
        while size is None and base.base_style is not None:
            base = base.base_style
            size = base.font.size
        if size is not None and size.pt < points:
            style.font.size = Pt(points)


def _twips(emu: int) -> int:
    return int(round(emu / 635))


def drop_spacers_before(document, style_ids: set[str]) -> int:
    """Remove blank spacer paragraphs just before a paragraph in ``style_ids`` (headings that
    start a new page), so a spacer that falls onto the next page cannot leave it blank.
    Return how many were removed."""
    removed = 0
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None or style.get(qn("w:val")) not in style_ids:
            continue
        prev = p.getprevious()
        while prev is not None and prev.tag == qn("w:p") and _blank(prev):
            before = prev.getprevious()
            body.remove(prev)
            removed += 1
            prev = before
    return removed


def _blank(p) -> bool:
    """Return whether paragraph ``p`` shows nothing and ends no section."""
    if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
        return False
    if any(True for _ in p.iter(qn("w:drawing"), qn("w:br"), qn("w:fldChar"), qn("w:bookmarkStart"))):
        return False
    return not "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()


def memoize_style_ids(doc) -> None:
    """Resolve each style name once per document.

    python-docx looks a style up by name, then scans every style for the type's
    default, on each ``paragraph.style = name``; a report sets thousands of them.
    The styles do not change while a report is built, so the answer is kept.
    """
    part = doc.part
    lookup = part.get_style_id
    known: dict[tuple[str, object], object] = {}

    def get_style_id(style_or_name, style_type):
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in known:
            known[key] = lookup(style_or_name, style_type)
        return known[key]

    part.get_style_id = get_style_id
