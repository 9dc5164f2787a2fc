"""A firm's own template for the tests, made from the bundled one as a firm would restyle it in Word."""

from __future__ import annotations

from pathlib import Path

FIRM_RED = "B22222"
FIRM_FONT = "Noto Serif CJK SC"
FIRM_HEADER = "远山咨询 · {client}"


def logo_png(path: Path, text: str = "YS") -> Path:
    """Write a small wide logo picture (PNG) and return its path."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 1), dpi=100)
    ax.set_axis_off()
    fig.patch.set_facecolor("#" + FIRM_RED)
    ax.text(0.5, 0.5, text, color="white", fontsize=26, ha="center", va="center",
            transform=ax.transAxes)
    fig.savefig(path)
    plt.close(fig)
    return path


def make_firm_template(path: Path, *, cover: bool = False, letter: bool = True,
                       table_pt: float | None = None, drop: tuple[str, ...] = ()) -> Path:
    """Write a firm's template made from the bundled one, restyled as a firm would in Word.

    Serif CJK fonts and red headings, the firm's name and logo in the header, a Letter
    page, sample text in the body (which the report must not carry); with ``cover`` a
    cover of its own with placeholders.  ``drop`` removes styles; ``table_pt`` sets the
    table text size.
    """
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    from diag.paths import REPORT_TEMPLATE

    doc = Document(str(REPORT_TEMPLATE))
    for name in ("Heading 1", "Heading 2", "Title", "TOC Heading"):
        style = doc.styles[name]
        style.font.color.rgb = RGBColor.from_string(FIRM_RED)
    for style in doc.styles:
        rpr = style.element.rPr
        rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if rfonts is not None:
            rfonts.set(qn("w:eastAsia"), FIRM_FONT)
    if table_pt is not None:
        doc.styles["Table Text"].font.size = Pt(table_pt)
        doc.styles["Table Text Small"].font.size = Pt(table_pt)
    for name in drop:
        el = doc.styles[name].element
        el.getparent().remove(el)
    section = doc.sections[0]
    if letter:
        section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    header = section.header.paragraphs[0]
    for run in header.runs:
        run.text = ""
    header.runs[0].add_picture(str(logo_png(path.with_suffix(".header.png"))), height=Cm(0.8))
    header.add_run("  " + FIRM_HEADER)
    if cover:
        doc.add_paragraph("{logo}")
        doc.add_paragraph("致 {client}", style="Cover Client")
        doc.add_paragraph("{report}", style="Title")
        doc.add_paragraph("{firm} 出品　{date}", style="Cover Meta")
        doc.add_paragraph("{confidential}", style="Cover Confidential")
    else:
        doc.add_paragraph("示例正文：请替换为贵公司的内容。")
    doc.save(str(path))
    return path
