"""Make ``report-template.docx``: the page set-up and every style the report builder uses.

Run from the project root::

    .venv/bin/python templates/report/make_template.py

Formatting lives here, not in ``diag/report``: the builder refers to styles by name
(``tests/report`` asserts each one exists in the template).  A firm may restyle the
report by editing the .docx in Word, as long as the style names stay.

Chinese text needs ``w:eastAsia`` on every style's ``w:rFonts`` (python-docx's
``Font.name`` sets only the Latin slots), and theme font attributes must be removed
because they take precedence over explicit names.  The CJK face is Noto Sans CJK SC
(Debian ``fonts-noto-cjk``, also what LibreOffice renders here); the font table names
微软雅黑 as its alternate and GB2312 as its charset so Word on Windows substitutes a
Chinese sans face where Noto is not installed.  Latin text uses Arial (LibreOffice
maps it to the metric-compatible Liberation Sans).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from diag.report.fields import set_update_fields

OUT = Path(__file__).with_name("report-template.docx")

LATIN = "Arial"
CJK = "Noto Sans CJK SC"
CJK_ALT = "微软雅黑"

PRIMARY = "1F6F8B"   # the charts' first palette colour
DARK = "3D405B"
TEXT = "2B2B2B"
GREY = "6B7280"
RULE = "C9D3DA"
HEADER_FILL = PRIMARY
HEADER_TEXT = "FFFFFF"
BAND_FILL = "F3F6F8"


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def set_fonts(rpr_owner, *, latin: str = LATIN, cjk: str = CJK) -> None:
    """Set ascii / hAnsi / eastAsia / cs font names explicitly, dropping theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del rfonts.attrib[attr]
    for slot, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", cjk), ("cs", latin)):
        rfonts.set(qn(f"w:{slot}"), name)


def _strip_theme_fonts(doc) -> None:
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if "theme" in attr.lower():
                del rfonts.attrib[attr]


def _defaults(doc) -> None:
    """Document defaults: fonts, zh-CN language, 10.5 pt (五号) text."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    rpr_default.remove(rpr)
    rpr_default.append(parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{CJK}" '
        f'w:cs="{LATIN}"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'))


def _paragraph_style(doc, name: str, *, base: str | None = "Normal", size: float | None = None,
                     bold: bool | None = None, italic: bool | None = False, color: str | None = None,
                     before: float | None = None, after: float | None = None,
                     line: float | None = None, align=None, keep_next: bool | None = None,
                     page_break: bool | None = None, indent_cm: float | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base and name != base:
        style.base_style = styles[base]
    set_fonts(style.element)
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = _rgb(color)
    pf = style.paragraph_format
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        pf.line_spacing = line
    if align is not None:
        pf.alignment = align
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if page_break is not None:
        pf.page_break_before = page_break
    if indent_cm is not None:
        pf.left_indent = Cm(indent_cm)
    # The default template draws a rule under Title; the cover does its own layout.
    ppr = style.element.pPr
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))
    return style


def _character_style(doc, name: str, *, size: float, bold: bool, color: str):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    set_fonts(style.element)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = _rgb(color)
    return style


def _table_style(doc, name: str, *, header: bool, borders: str, banded: bool) -> None:
    """Add a table style: thin horizontal rules, a filled header row, cell margins."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    el = style.element
    el.append(parse_xml(
        f'<w:pPr {nsdecls("w")}><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'))
    el.append(parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{CJK}" '
        f'w:cs="{LATIN}"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'))
    el.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="90" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="90" w:type="dxa"/></w:tblCellMar></w:tblPr>'))
    if header:
        el.append(parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
            f'<w:color w:val="{HEADER_TEXT}"/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr></w:tblStylePr>'))
    if banded:
        el.append(parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="band2Horz"><w:tblPr/>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{BAND_FILL}"/></w:tcPr></w:tblStylePr>'))


def _page(doc) -> None:
    """A4 portrait, margins for binding-free print, a blank header and footer on the cover."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.2), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.0)
    section.different_first_page_header_footer = True  # the cover carries no header

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run("{client}")   # placeholders the builder fills in
    header.add_run("  ·  ")
    header.add_run("{report}")
    ppr = header._p.get_or_add_pPr()
    # pPr children have a fixed order (Word rejects others): pBdr comes before tabs, spacing, jc.
    ppr.insert_element_before(
        parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="4" '
                  f'w:color="{RULE}"/></w:pBdr>'),
        "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")
    section.first_page_header.paragraphs[0].text = ""
    section.first_page_footer.paragraphs[0].text = ""


def _field(paragraph, instruction: str, shown: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) as begin / instr / separate / result / end runs."""
    for xml in (f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {nsdecls("w")}><w:t>{shown}</w:t></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))


def _font_table(doc) -> None:
    """Declare the CJK face with a Windows alternate and the GB2312 charset."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = parse_xml(part.blob)
    for font in root.findall(qn("w:font")):
        if font.get(qn("w:name")) in (CJK, LATIN):
            root.remove(font)
    root.append(parse_xml(
        f'<w:font {nsdecls("w")} w:name="{CJK}"><w:altName w:val="{CJK_ALT}"/>'
        '<w:panose1 w:val="020B0500000000000000"/><w:charset w:val="86"/><w:family w:val="swiss"/>'
        '<w:pitch w:val="variable"/></w:font>'))
    root.append(parse_xml(
        f'<w:font {nsdecls("w")} w:name="{LATIN}"><w:panose1 w:val="020B0604020202020204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(doc) -> None:
    """Ask Word to refresh fields (the table of contents' page numbers) when opened.

    The builder drops the request once LibreOffice has counted the pages."""
    set_update_fields(doc, True)


def make() -> Path:
    """Return the path of the freshly written template."""
    doc = Document()
    _defaults(doc)
    _strip_theme_fonts(doc)
    C = WD_ALIGN_PARAGRAPH.CENTER

    _paragraph_style(doc, "Normal", base=None, size=10.5, color=TEXT, after=6, line=1.35)
    _paragraph_style(doc, "Title", size=28, bold=True, color=PRIMARY, before=0, after=12, align=C)
    _paragraph_style(doc, "Subtitle", size=14, color=GREY, after=6, align=C)
    _paragraph_style(doc, "Heading 1", size=18, bold=True, color=PRIMARY, before=6, after=12,
                     keep_next=True, page_break=True, line=1.15)
    _paragraph_style(doc, "Heading 2", size=14, bold=True, color=DARK, before=16, after=8,
                     keep_next=True, line=1.15)
    _paragraph_style(doc, "Heading 3", size=12, bold=True, color=PRIMARY, before=12, after=6,
                     keep_next=True, line=1.15)
    _paragraph_style(doc, "Caption", size=9, bold=True, color=DARK, before=4, after=8, align=C,
                     keep_next=False)
    _paragraph_style(doc, "Table Caption", base="Caption", keep_next=True, before=10, after=4)
    _paragraph_style(doc, "Note", size=8.5, color=GREY, after=6, line=1.2)
    _paragraph_style(doc, "Quote", size=10.5, italic=False, color=DARK, indent_cm=0.6, before=4,
                     after=8)
    _paragraph_style(doc, "List Bullet", after=3)
    _paragraph_style(doc, "Metric", size=10.5, color=DARK, after=0, line=1.1)
    _paragraph_style(doc, "Metric Definition", base="Note", after=0, line=1.1)
    _character_style(doc, "Metric Value", size=13, bold=True, color=PRIMARY)
    # Table text stays at 9 pt or more: the report is read as a PDF on a phone.
    _paragraph_style(doc, "Table Text", size=9.5, after=0, line=1.0)
    _paragraph_style(doc, "Table Text Small", base="Table Text", size=9)
    _paragraph_style(doc, "Table Header", base="Table Text", bold=True, color=HEADER_TEXT)
    _paragraph_style(doc, "Table Header Small", base="Table Text Small", bold=True, color=HEADER_TEXT)
    # The cover: logo, client, title, industry; lower down the firm, date, author; at the foot
    # the confidentiality line.  Space before a style moves its block down the page.
    _paragraph_style(doc, "Cover Logo", before=36, after=0, align=C, line=1.0)
    _paragraph_style(doc, "Cover Client", size=22, bold=True, color=DARK, before=110, after=18, align=C)
    firm = _paragraph_style(doc, "Cover Firm", size=13, bold=True, color=PRIMARY, before=170, after=8,
                            align=C)
    # A short rule above the firm separates the title block from the delivery block.
    firm.element.get_or_add_pPr().insert_element_before(
        parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="8" w:space="12" '
                  f'w:color="{PRIMARY}"/></w:pBdr>'),
        "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")
    firm.paragraph_format.left_indent, firm.paragraph_format.right_indent = Cm(5), Cm(5)
    _paragraph_style(doc, "Cover Meta", size=11, color=GREY, after=4, align=C)
    _paragraph_style(doc, "Cover Confidential", size=9, color=GREY, before=28, after=0, align=C)
    _paragraph_style(doc, "TOC Heading", size=18, bold=True, color=PRIMARY, before=6, after=12,
                     page_break=True)
    # Dense enough that the contents of a full report (about 50 headings) fit on one page.
    _paragraph_style(doc, "toc 1", size=10.5, bold=True, before=4, after=1, line=1.1)
    _paragraph_style(doc, "toc 2", size=9.5, indent_cm=0.6, after=0, line=1.1)
    _paragraph_style(doc, "Header", size=8.5, color=GREY, after=0)
    _paragraph_style(doc, "Footer", size=8.5, color=GREY, after=0, align=C)

    rule = f'w:val="single" w:sz="4" w:space="0" w:color="{RULE}"'
    strong = f'w:val="single" w:sz="8" w:space="0" w:color="{PRIMARY}"'
    _table_style(doc, "Diag Table", header=True, banded=True,
                 borders=f'<w:top {strong}/><w:bottom {strong}/><w:insideH {rule}/>')
    _table_style(doc, "Metric Table", header=False, banded=False,
                 borders=f'<w:bottom {rule}/><w:insideH {rule}/>')

    # Every style (built-in ones we did not touch included) gets the CJK slot.
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            rpr = style.element.rPr
            if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
                set_fonts(style.element)

    _page(doc)
    _font_table(doc)
    _settings(doc)
    doc.core_properties.title = "私域诊断报告"
    doc.core_properties.author = "diag"
    doc.save(OUT)
    return OUT


if __name__ == "__main__":
    print(make())
