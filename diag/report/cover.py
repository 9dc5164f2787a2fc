"""The cover and the placeholders of a firm's template.

A template may lay out its own cover: when its body holds any of the placeholders
``{client}``, ``{report}``, ``{subtitle}``, ``{date}``, ``{firm}``, ``{author}``,
``{consultant}``, ``{industry}``, ``{format}``, ``{confidential}`` or ``{logo}``
(a paragraph of its own, replaced by the logo picture), that body is the cover and
the placeholders are filled in.  Otherwise the template's body (sample text) is
dropped and the cover is laid out from the cover styles: logo, client, title,
industry, firm, date, author, consultant and the confidentiality line.  The logo is
the firm's (``logo:`` in the config) or else the first picture of the template's body.

Headers and footers keep everything the template puts there (a logo, rules,
``PAGE`` fields); the same placeholders are filled in them.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph

from diag.cleantext import client_text
from diag.privacy import scrub_text
from diag.report.firm import FirmSettings

__all__ = ["CoverFields", "cover_fields", "display_date", "has_template_cover", "body_picture", "clear_body", "fill_template_cover",
           "write_cover", "fill_headers", "PLACEHOLDERS"]

PLACEHOLDERS = ("client", "report", "subtitle", "date", "firm", "author", "consultant", "industry",
                "format", "confidential", "logo")
_PATTERN = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")

#: The logo never exceeds this box on the cover.
LOGO_MAX_W, LOGO_MAX_H = Cm(6), Cm(2.6)


@dataclass
class CoverFields:
    """The texts of the cover (already masked) and the logo picture."""

    client: str = ""
    report: str = ""
    subtitle: str = ""
    date: str = ""
    firm: str = ""
    author: str = ""
    consultant: str = ""
    industry: str = ""
    format: str = ""
    confidential: str = ""
    logo: bytes | None = None
    # The labelled lines as printed (报告日期：…, 撰写：…, 顾问：…).
    date_line: str = ""
    author_line: str = ""
    consultant_line: str = ""

    def values(self) -> dict[str, str]:
        """Return ``{placeholder: text}`` (``{logo}`` is handled apart)."""
        return {k: getattr(self, k) for k in PLACEHOLDERS if k != "logo"}


def _paragraphs(container) -> Iterator[Paragraph]:
    """Yield every paragraph of a body, header or footer, tables included."""
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def has_template_cover(document) -> bool:
    """Return whether the template's body holds cover placeholders."""
    return any(_PATTERN.search(p.text) for p in _paragraphs(document))


def body_picture(document) -> bytes | None:
    """Return the first picture of the template's body (its logo), if any."""
    for blip in document.element.body.iter(qn("a:blip")):
        rid = blip.get(qn("r:embed"))
        part = document.part.related_parts.get(rid) if rid else None
        if part is not None and getattr(part, "blob", None):
            return part.blob
    return None


def clear_body(document) -> None:
    """Drop the template's body content, keeping its page set-up (the last sectPr)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def fill(paragraph: Paragraph, values: dict[str, str]) -> None:
    """Replace placeholders in ``paragraph``, also when Word split one over several runs."""
    if not _PATTERN.search(paragraph.text):
        return
    runs = paragraph.runs
    for run in runs:                       # the usual case: each placeholder inside one run
        if _PATTERN.search(run.text):
            run.text = _PATTERN.sub(lambda m: values.get(m.group(1), ""), run.text)
    if _PATTERN.search(paragraph.text) and runs:   # split across runs: the first run takes the text
        text = _PATTERN.sub(lambda m: values.get(m.group(1), ""), paragraph.text)
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""


def fill_headers(document, values: dict[str, str]) -> None:
    """Fill the placeholders of every header and footer of every section."""
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            for paragraph in _paragraphs(part):
                fill(paragraph, {k: v for k, v in values.items() if k != "logo"})


def _logo_size(blob: bytes) -> tuple[int, int]:
    image = Image.from_blob(blob)
    w, h = image.px_width or 1, image.px_height or 1
    scale = min(LOGO_MAX_W / w, LOGO_MAX_H / h)
    return int(w * scale), int(h * scale)


def fill_template_cover(document, fields: CoverFields) -> None:
    """Fill the placeholders of a template's own cover (``{logo}`` becomes the picture)."""
    values = fields.values()
    for paragraph in list(_paragraphs(document)):
        if "{logo}" in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace("{logo}", "")
            if fields.logo:
                width, _ = _logo_size(fields.logo)
                paragraph.add_run().add_picture(io.BytesIO(fields.logo), width=Emu(width))
        fill(paragraph, values)


def write_cover(para: Callable[..., Paragraph], fields: CoverFields) -> None:
    """Lay the cover out with the cover styles; ``para(role, text)`` adds a paragraph."""
    if fields.logo:
        width, _ = _logo_size(fields.logo)
        para("cover_logo").add_run().add_picture(io.BytesIO(fields.logo), width=Emu(width))
    para("cover_client", fields.client)
    para("title", fields.report)
    if fields.subtitle:
        para("subtitle", fields.subtitle)
    para("cover_firm", fields.firm)   # always printed: its spacing moves the block down the page
    for line in (fields.date_line, fields.author_line, fields.consultant_line):
        if line:
            para("cover_meta", line)
    if fields.confidential:
        para("cover_confidential", fields.confidential, align=WD_ALIGN_PARAGRAPH.CENTER)


def _t(text: Any) -> str:
    return client_text(scrub_text("" if text is None else str(text)))


def cover_fields(client: dict[str, Any], generated_at: Any, m: dict[str, str], firm: FirmSettings,
                 lang: str, *, template_logo: bytes | None = None) -> CoverFields:
    """Return the cover's texts (masked) from the brief's client, the run date, the messages
    and the firm's settings; the logo is the firm's, else ``template_logo``."""
    from diag.brief.gaps import format_name, industry_name

    industry, business = industry_name(client.get("industry") or "", lang), format_name(client.get("format"), lang)
    line = [m["cover_industry"].format(industry=_t(industry))] if industry else []
    if business:
        line.append(m["cover_format"].format(format=_t(business)))
    date = display_date(generated_at, lang)
    author, consultant = _t(firm.author), _t(client.get("consultant") or "")
    return CoverFields(
        client=_t(client.get("name") or ""), report=_t(m["report_title"]), subtitle="　".join(line),
        date=date, firm=_t(firm.firm_name), author=author, consultant=consultant,
        industry=_t(industry), format=_t(business or ""),
        confidential=_t(firm.confidentiality or m["cover_confidential"]),
        logo=firm.logo.read_bytes() if firm.logo else template_logo,
        date_line=m["cover_date"].format(date=date) if date else "",
        author_line=m["cover_author"].format(author=author) if author else "",
        consultant_line=(m["cover_consultant"].format(consultant=consultant)
                         if consultant and consultant != author else ""))


def display_date(value: Any, lang: str) -> str:
    """Return the report date as ``2026年11月23日`` (zh) or ``2026-11-23`` (en)."""
    if not value:
        return ""
    text = str(value)
    try:
        date = _dt.date.fromisoformat(text[:10])
    except ValueError:
        return _t(text)
    return f"{date.year}年{date.month}月{date.day}日" if lang == "zh" else date.isoformat()
