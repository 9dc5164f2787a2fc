"""Render a run's recorded results into the Word document.

The builder walks ``results.json`` (see :mod:`diag.record` for the block kinds) and
writes paragraphs, tables and pictures that refer to the template's styles by name
(:data:`STYLES`).  It never formats text directly except table geometry, which
depends on the content.  Every string passes through :func:`diag.privacy.scrub_text`.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any, Iterable

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Emu

from diag import catalog
from diag.cleantext import client_text
from diag.errors import DataError, TemplateError
from diag.format import format_cell, format_value, is_number, share_column, text_width
from diag.privacy import scrub_text
from diag.record import FIGURES, RESULTS
from diag.report import cover as cv
from diag.report import docx_util as dx
from diag.report import fields as fl
from diag.report.contents import Contents
from diag.report.firm import MIN_TABLE_PT, FirmSettings
from diag.report.messages import METHODS
from diag.report.styles import STYLES, TABLE_TEXT_ROLES

#: Header-row fill when the template's table style defines none.  The style's own
#: colour is repeated as direct shading because LibreOffice ignores conditional formats.
HEADER_FILL = "1F6F8B"

SUMMARY_SECTION = "summary"
#: Summary parts printed before the others: the target opens the executive summary.
SUMMARY_FIRST = ("summary_target",)


def _is_summary(name: str) -> bool:
    """Sections ``summary`` and ``summary_<x>`` feed the executive summary, not a chapter."""
    return name == SUMMARY_SECTION or name.startswith(SUMMARY_SECTION + "_")
DATA_QUALITY_KEY = "data_quality"
WIDE_TABLE = 7         # more columns than this → a landscape page
SMALL_TEXT_TABLE = 5   # more columns than this → the small cell style
_TEXT_STYLES = {"body": "body", "note": "note", "quote": "quote", "bullet": "bullet"}


def _t(text: Any) -> str:
    """Return ``text`` as a string with personal data masked (belt and braces)."""
    return client_text(scrub_text("" if text is None else str(text)))


def _cell(value: Any, share: bool) -> str:
    """Return a table cell as printed; an integer that is a phone number is masked, not comma-grouped."""
    if is_number(value) and float(value).is_integer() and abs(value) < 1e15:
        digits = str(int(value))
        if scrub_text(digits) != digits:
            return scrub_text(digits)
    return _t(format_cell(value, share=share))


class ReportBuilder:
    """Build one report document from ``results`` (the parsed results.json)."""

    def __init__(self, results: dict[str, Any], run_dir: Path, messages: dict[str, str],
                 template: Path, lang: str = "zh", firm: FirmSettings | None = None) -> None:
        self.results = results
        self.lang = lang
        self.run_dir = Path(run_dir)
        self.m = messages
        self.doc = Document(str(template))
        dx.memoize_style_ids(self.doc)
        missing = sorted(name for name in set(STYLES.values()) if name not in self.doc.styles)
        if missing:
            raise TemplateError(f"report template lacks styles: {', '.join(missing)}", file=template)
        self.firm = firm or FirmSettings()
        for section in self.doc.sections:
            dx.adopt_page(section)
        dx.raise_font_floor([self.doc.styles[STYLES[r]] for r in TABLE_TEXT_ROLES], MIN_TABLE_PT)
        self.sections = self._sections()
        self.header_fill = dx.header_fill(self.doc.styles[STYLES["table"]]) or HEADER_FILL
        self.meta = meta if isinstance(meta := results.get("meta"), dict) else {}
        self.client = self.meta.get("client") or {}
        if not isinstance(self.client, dict):
            self.client = {"name": str(self.client)}
        self.figure_no = 0
        self.table_no = 0
        self.bookmark_id: int | None = None
        self.contents = Contents(self.doc, {self._sid("h1"): 1, self._sid("h2"): 2},
                                 {1: self._sid("toc1"), 2: self._sid("toc2")})
        self.landscape = False
        self.lead_in = 0       # EMU of headings and text printed on the current landscape page
        self.printed: set[tuple[str, str]] = set()   # tables and paragraphs already printed
        self.in_appendix = False
        self.readings: list[list[str]] = []   # [figure/table label, title, how to read it]

    # -- entry point ------------------------------------------------------------------
    def build(self) -> bytes:
        """Return the finished document as .docx bytes."""
        self._header()
        self._cover()
        self._toc()
        self._summary()
        for name, section in self.sections:
            if _is_summary(name):
                continue
            # A chapter opens on a portrait page unless its lead-in goes with a wide block.
            plan = _orientation_plan([{"kind": "heading"}] + section["blocks"], False)
            self._orient(plan[0])
            self._para("h1", section.get("title") or name)
            self._blocks(section["blocks"], name, plan[1:])
        self._appendix()
        self._finish_fields()
        return self.save()

    def save(self) -> bytes:
        """Return the document as it stands as .docx bytes."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def _sid(self, role: str) -> str:
        return self.doc.styles[STYLES[role]].style_id

    def _finish_fields(self) -> None:
        """List the headings in the contents and make the text refer to each caption.

        Until a layout engine has counted the pages, the document asks Word to update
        its fields when opened (:func:`diag.report.contents.paginate` stops that)."""
        self.contents.fill()     # first: its reserved paragraph is blank until then
        dx.drop_spacers_before(self.doc, {self._sid("h1"), self._sid("toc_heading")})
        fl.caption_refs(self.doc, caption_styles={self._sid("caption"), self._sid("table_caption")},
                        text_styles={self._sid("body")},
                        stop_styles={self._sid(r) for r in ("h1", "h2", "h3", "toc_heading")},
                        template=(self.m["ref_before"], self.m["ref_after"]),
                        default_style=self.doc.styles.default(WD_STYLE_TYPE.PARAGRAPH).style_id)
        fl.declare_captions(self.doc, [self.m["figure"], self.m["table"]])
        fl.set_update_fields(self.doc, True)

    def _caption(self, role: str, label: str, number: int, title: str) -> None:
        """Add a numbered caption: label, a SEQ field and the title; label and number bookmarked."""
        paragraph = self._para(role)
        kind = "Fig" if role == "caption" else "Tab"
        if self.bookmark_id is None:
            self.bookmark_id = fl.next_bookmark_id(self.doc)   # after any of the template's own
        self.bookmark_id += 1
        fl.caption(paragraph, label, number, self.m["caption_sep"], _t(title),
                   bookmark=f"_Ref{kind}{number:04d}", bookmark_id=self.bookmark_id - 1)

    # -- validation -------------------------------------------------------------------
    def _sections(self) -> list[tuple[str, dict[str, Any]]]:
        where_file = self.run_dir / RESULTS
        sections = self.results.get("sections") if isinstance(self.results, dict) else None
        if not isinstance(sections, dict):
            raise DataError("expected an object with 'meta' and 'sections'", file=where_file,
                            where="sections")
        out = []
        for name, section in sections.items():
            blocks = section.get("blocks") if isinstance(section, dict) else None
            if not isinstance(blocks, list):
                raise DataError("expected a list of blocks", file=where_file,
                                where=f"sections.{name}.blocks")
            for i, block in enumerate(blocks):
                kind = block.get("kind") if isinstance(block, dict) else None
                if kind not in ("heading", "text", "number", "table", "figure"):
                    raise DataError(f"unknown block kind {kind!r}; known: heading, text, number, "
                                    "table, figure", file=where_file,
                                    where=f"sections.{name}.blocks[{i}]")
            out.append((str(name), section))
        return out

    # -- paragraphs ---------------------------------------------------------------------
    def _para(self, role: str, text: Any = "", *, align=None):
        paragraph = self.doc.add_paragraph(_t(text), style=STYLES[role])
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def _orient(self, landscape: bool) -> None:
        if landscape != self.landscape:
            dx.new_section(self.doc, landscape=landscape)
            self.landscape = landscape
            self.lead_in = 0

    def _height(self, role: str, text: str) -> int:
        """Return about how much page height (EMU) a paragraph of ``text`` in ``role`` takes."""
        style = self.doc.styles[STYLES[role]]
        fmt, size = style.paragraph_format, (style.font.size or Emu(int(12_700 * 10.5)))
        per_line = max(1, int(dx.text_width(self.doc.sections[-1]) / size))   # CJK characters
        lines = max(1, math.ceil(text_width(text) / 2 / per_line))
        spacing = fmt.line_spacing if isinstance(fmt.line_spacing, float) else 1.2
        return int(lines * size * spacing) + int(fmt.space_before or 0) + int(fmt.space_after or 0)

    # -- front matter -----------------------------------------------------------------
    def _header(self) -> None:
        self.cover_fields = self._cover_fields()
        cv.fill_headers(self.doc, self.cover_fields.values())
        c = self.cover_fields
        self.doc.core_properties.title = f"{c.client} {c.report}".strip()
        if c.author or c.firm:
            self.doc.core_properties.author = c.author or c.firm

    def _cover_fields(self) -> cv.CoverFields:
        return cv.cover_fields(self.client, self.meta.get("generated_at"), self.m, self.firm, self.lang,
                               template_logo=cv.body_picture(self.doc))

    def _cover(self) -> None:
        """The template's own cover, filled in, or the cover laid out from the cover styles."""
        if cv.has_template_cover(self.doc):
            cv.fill_template_cover(self.doc, self.cover_fields)
            return
        cv.clear_body(self.doc)
        cv.write_cover(self._para, self.cover_fields)

    def _toc(self) -> None:
        self._para("toc_heading", self.m["toc"])
        self.contents.reserve(self._para("toc1"), dx.text_width(self.doc.sections[0]))

    # -- executive summary ----------------------------------------------------------------
    def _summary(self) -> None:
        m = self.m
        self._para("h1", m["summary"])
        headline = self.meta.get("headline")
        if isinstance(headline, str) and headline.strip():
            self._para("quote", headline)
        elif isinstance(headline, (list, tuple)):
            for item in headline:
                self._para("bullet", item)
        summaries = [(n, s) for n, s in self.sections if _is_summary(n)]
        for name, section in sorted(summaries, key=lambda ns: ns[0] not in SUMMARY_FIRST):
            self._blocks(section["blocks"], name)
        rows = [[label, format_value(b.get("value"), b.get("fmt", "{:,.2f}"), unit), definition]
                for _, b in self._number_blocks() if b.get("headline")
                for label, definition, unit in [self._metric_words(b)]]
        if not rows:
            self._para("note", m["summary_empty"])
            return
        self._table(m["summary_key_numbers"],
                    [m["summary_metric"], m["summary_value"], m["summary_definition"]], rows,
                    weights=[3, 2, 6], numeric_cols={1})

    def _metric_words(self, block: dict[str, Any]) -> tuple[str, str, str]:
        """Return a number's label, definition and unit in the report's language.

        Chinese prints what the section recorded (the catalogue's words unless it had a
        reason to override them); other languages take the catalogue's entry.
        """
        key = block.get("key", "")
        if self.lang != "zh" and catalog.known(key):
            m = catalog.metric(key)
            return m.label(self.lang), m.definition(self.lang), m.unit_in(self.lang)
        return block.get("label") or key, block.get("definition", ""), block.get("unit", "")

    def _number_blocks(self) -> Iterable[tuple[str, dict[str, Any]]]:
        for name, section in self.sections:
            for block in section["blocks"]:
                if block["kind"] == "number":
                    yield section.get("title") or name, block

    # -- blocks -------------------------------------------------------------------------
    def _blocks(self, blocks: list[dict[str, Any]], section: str,
                plan: list[bool] | None = None) -> None:
        plan = plan if plan is not None else _orientation_plan(blocks, self.landscape)
        pending: list[dict[str, Any]] = []
        for block, landscape in zip(blocks, plan):
            if block["kind"] == "number":
                if not pending:
                    self._orient(landscape)
                pending.append(block)
                continue
            if pending:
                self._numbers(pending)
                pending = []
            self._orient(landscape)
            getattr(self, f"_block_{block['kind']}")(block)
        if pending:
            self._numbers(pending)

    def _block_heading(self, block: dict[str, Any]) -> None:
        level = min(max(int(block.get("level") or 2), 2), 3)
        self._para(f"h{level}", block.get("text", ""))
        if self.landscape:
            self.lead_in += self._height(f"h{level}", str(block.get("text", "")))

    def _block_text(self, block: dict[str, Any]) -> None:
        role = _TEXT_STYLES.get(block.get("style", "body"), "body")
        if len(str(block.get("text", ""))) > 20 and self._seen("text", block.get("text")):
            return  # a paragraph is printed once
        self._para(role, block.get("text", ""))
        if self.landscape:
            self.lead_in += self._height(role, str(block.get("text", "")))

    def _numbers(self, blocks: list[dict[str, Any]]) -> None:
        """Print consecutive numbers as a label · value · definition grid."""
        table = self.doc.add_table(rows=len(blocks), cols=3)
        table.style = self.doc.styles[STYLES["metric_table"]]
        dx.set_table_look(table, header=False)
        for row, block in zip(table.rows, blocks):
            label, value, definition = row.cells
            for cell in row.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            label.paragraphs[0].style = STYLES["metric"]
            words, meaning, unit = self._metric_words(block)
            label.paragraphs[0].add_run(_t(words))
            p = value.paragraphs[0]
            p.style = STYLES["metric"]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            text = format_value(block.get("value"), block.get("fmt", "{:,.2f}"), unit)
            p.add_run(_t(text), style=STYLES["metric_value"])
            definition.paragraphs[0].style = STYLES["metric_definition"]
            definition.paragraphs[0].add_run(_t(meaning))
        width = dx.text_width(self.doc.sections[-1])
        dx.set_col_widths(table, _split(width, [3, 2, 5]))
        self._para("body", "")  # breathing room before the next block

    def _seen(self, kind: str, *content: Any) -> bool:
        """Return True when the same table or paragraph was printed before (and remember it)."""
        key = (kind, repr(content))
        if key in self.printed:
            return True
        self.printed.add(key)
        return False

    def _block_table(self, block: dict[str, Any]) -> None:
        columns = [str(c) for c in block.get("columns") or []]
        rows = [list(r) for r in block.get("rows") or []]
        if block.get("key") == DATA_QUALITY_KEY and not self.in_appendix:
            if not self._seen("text", self.m["see_appendix_b"]):
                self._para("note", self.m["see_appendix_b"])   # the table is printed once, in appendix B
            return
        if rows and self._seen("table", columns, rows):
            return  # a table is printed once
        max_rows = int(block.get("max_rows") or 40)
        self._table(block.get("title", ""), columns, rows, max_rows=max_rows, note=block.get("note", ""))
        self._reading(self.m["table"], self.table_no, block)

    def _block_figure(self, block: dict[str, Any]) -> None:
        self._orient(bool(block.get("landscape")))
        path = self.run_dir / FIGURES / Path(str(block.get("path") or f"{block.get('key')}.png")).name
        section = self.doc.sections[-1]
        width, height = dx.text_width(section), dx.text_height(section)
        try:
            size = _png_size(path)
        except (OSError, ValueError):
            self._para("note", self.m["missing_figure"].format(path=f"{FIGURES}/{path.name}"))
            return
        # Fit the text width, but leave room for the caption (and some text) on the page;
        # on a landscape page, also for the heading and lead-in printed above the figure.
        max_h = height * (0.82 if self.landscape else 0.62)
        if self.landscape and self.lead_in:
            below = self._height("caption", str(block.get("title", ""))) + self._height("body", "")
            if block.get("caption"):
                below += self._height("note", str(block["caption"]))
            max_h = max(min(max_h, height - self.lead_in - below), height * 0.5)
            self.lead_in = 0   # the figure fills the page; what follows starts afresh
        w = min(width, int(max_h * size[0] / size[1]))
        paragraph = self._para("body", align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.keep_with_next = True
        try:
            paragraph.add_run().add_picture(str(path), width=Emu(w))
        except (UnrecognizedImageError, OSError, ValueError):
            paragraph.text = ""
            self._para("note", self.m["missing_figure"].format(path=f"{FIGURES}/{path.name}"))
            return
        self.figure_no += 1
        m = self.m
        self._caption("caption", m["figure"], self.figure_no, block.get("title", ""))
        if block.get("caption"):
            self._para("note", block["caption"], align=WD_ALIGN_PARAGRAPH.CENTER)
        self._reading(m["figure"], self.figure_no, block)

    # -- tables -------------------------------------------------------------------------
    def _table(self, title: str, columns: list[str], rows: list[list[Any]], *, max_rows: int = 0,
               note: str = "", weights: list[float] | None = None,
               numeric_cols: set[int] | None = None) -> None:
        """Print a captioned table that fits the page; numbers right-aligned, long tables cut."""
        m = self.m
        ncols = max([len(columns)] + [len(r) for r in rows]) if (columns or rows) else 0
        self._orient(ncols > WIDE_TABLE)
        self.table_no += 1
        self._caption("table_caption", m["table"], self.table_no, title)
        if ncols == 0:
            self._para("note", m["empty_table"])
            return
        columns = columns + [""] * (ncols - len(columns))
        rows = [r + [None] * (ncols - len(r)) for r in rows]
        total = len(rows)
        shown = rows[:max_rows] if max_rows and total > max_rows else rows
        shares = [share_column(columns[j], [r[j] for r in rows], context=title) for j in range(ncols)]
        numeric = numeric_cols if numeric_cols is not None else {
            j for j in range(ncols) if any(is_number(r[j]) for r in rows)
            and all(is_number(r[j]) or r[j] is None for r in rows)}
        texts = [[_cell(v, shares[j]) for j, v in enumerate(r)] for r in shown]
        header = [_t(c) for c in columns]
        small = ncols > SMALL_TEXT_TABLE
        cell_style = STYLES["cell_small" if small else "cell"]
        header_style = STYLES["cell_header_small" if small else "cell_header"]

        table = self.doc.add_table(rows=len(texts) + 1, cols=ncols)
        table.style = self.doc.styles[STYLES["table"]]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        dx.set_table_look(table, header=True)
        dx.mark_header_row(table)
        for i, values in enumerate([header] + texts):
            for j, (cell, value) in enumerate(zip(table.rows[i].cells, values)):
                paragraph = cell.paragraphs[0]
                paragraph.style = header_style if i == 0 else cell_style
                paragraph.add_run(value)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if i == 0:
                    dx.shade_cell(cell, self.header_fill)
                if j in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if weights is None:
            weights = [_column_weight(header[j], [r[j] for r in texts]) for j in range(ncols)]
        size = self.doc.styles[cell_style].font.size
        mins = [_min_width([r[j] for r in texts], size.pt if size else 9.0) for j in range(ncols)]
        dx.set_col_widths(table, _fit_widths(dx.text_width(self.doc.sections[-1]), weights, mins))
        notes = []
        if len(shown) < total:
            notes.append(m["truncated"].format(shown=len(shown), total=total))
        if note:
            notes.append(_t(note))
        for text in notes:
            self._para("note", text)
        if not notes:
            self._para("note", "")

    # -- appendix -----------------------------------------------------------------------
    def _appendix(self) -> None:
        m = self.m
        self._orient(False)
        self._para("h1", m["appendix_a"])
        self._para("body", m["appendix_a_intro"])
        seen: set[Any] = set()
        rows = []
        for section, block in self._number_blocks():
            label, definition, _ = self._metric_words(block)
            key = block.get("key") if catalog.known(block.get("key", "")) else (label, definition)
            if key in seen:
                continue  # each metric once, where it first appears
            seen.add(key)
            rows.append([section, label, definition])
        self._table(m["appendix_a"].split(m["caption_sep"])[-1].strip(),
                    [m["appendix_section"], m["summary_metric"], m["summary_definition"]], rows,
                    weights=[2, 3, 7], numeric_cols=set())

        self._orient(False)
        self._para("h1", m["appendix_b"])
        quality = next((b for _, s in self.sections for b in s["blocks"]
                        if b["kind"] == "table" and b.get("key") == DATA_QUALITY_KEY), None)
        if quality is None:
            self._para("note", m["appendix_b_missing"])
        else:
            self.in_appendix = True
            self._block_table({**quality, "max_rows": 0})

        self._orient(False)
        self._para("h1", m["appendix_c"])
        for key in METHODS:
            self._para("h2", m[f"method_{key}_title"])
            self._para("body", m[f"method_{key}"])
            if key == "clv":
                self._model_parameters()
        self._readings()

    def _reading(self, label: str, number: int, block: dict[str, Any]) -> None:
        """Keep a block's fixed reading note for the method appendix (the same text once)."""
        text = _t(block.get("reading") or "")
        if text and not self._seen("reading", text):
            self.readings.append([f"{label} {number}", _t(block.get("title", "")), text])

    def _readings(self) -> None:
        """Print how to read each figure and table whose explanation is the same for every client."""
        if not self.readings:
            return
        m = self.m
        self._para("h2", m["readings_title"])
        self._table(m["readings_title"], [m["readings_item"], m["readings_name"], m["readings_text"]],
                    self.readings, weights=[1.2, 3, 7], numeric_cols=set())

    def _model_parameters(self) -> None:
        """Print the fitted model parameters (only here: the owner's chapters carry no symbols)."""
        metrics = (self.results.get("sections", {}).get("diagnosis", {}).get("data", {}) or {}).get("metrics")
        params = ((metrics or {}).get("clv") or {}).get("params") if isinstance(metrics, dict) else None
        if not isinstance(params, dict):
            return
        rows = [[k, round(float(v), 6)] for k, v in params.items() if is_number(v)]
        if rows:
            self._table(self.m["clv_params"], [self.m["clv_param"], self.m["clv_estimate"]], rows,
                        numeric_cols={1})


def _wants_landscape(block: dict[str, Any]) -> bool | None:
    """Return the orientation a table or figure block needs; None for blocks that follow."""
    if block["kind"] == "figure":
        return bool(block.get("landscape"))
    if block["kind"] == "table":
        widths = [len(block.get("columns") or [])] + [len(r) for r in block.get("rows") or []]
        return max(widths) > WIDE_TABLE
    return None


def _orientation_plan(blocks: list[dict[str, Any]], current: bool) -> list[bool]:
    """Return, per block, whether it is printed on a landscape page.

    Tables and figures decide for themselves.  Headings, text and numbers go with the
    table or figure they introduce, so that a heading and its lead-in move to a
    landscape page with their wide table instead of being left alone on a portrait
    page.  Only the lead-in from the last heading before that block moves; what comes
    earlier stays where it is.  After the last table or figure, text stays on its page
    (a note under a wide table), but a new heading there starts a portrait page.
    """
    plan: list[bool | None] = [_wants_landscape(b) for b in blocks]
    nxt: bool | None = None
    introduces = True        # still inside the lead-in of the next table or figure
    for i in range(len(blocks) - 1, -1, -1):
        if plan[i] is not None:
            nxt, introduces = plan[i], True
        elif nxt is not None and introduces:
            plan[i] = nxt
            if blocks[i]["kind"] == "heading":
                introduces = False
    # After the last table or figure, a new heading opens a text-only part: portrait.
    last = max([i for i, b in enumerate(blocks) if _wants_landscape(b) is not None], default=-1)
    out: list[bool] = []
    for i, want in enumerate(plan):
        if want is None and i > last and blocks[i]["kind"] == "heading":
            want = False
        current = current if want is None else want
        out.append(current)
    return out


def _split(total: int, weights: list[float]) -> list[int]:
    """Return ``total`` divided in proportion to ``weights`` (integers summing to ``total``)."""
    s = sum(weights) or 1.0
    widths = [int(total * w / s) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


#: Printed width of one half-width unit, in ems (digits and Latin letters of the CJK font),
#: and the cell's left + right padding in EMU (about 0.2 cm each side).
_HALF_EM = 0.56
_CELL_PADDING = 150_000
_SHORT_CELL = 10   # cells up to this many half-width units (numbers, shares, short words) never wrap


def _min_width(cells: list[str], size_pt: float) -> int:
    """Return the narrowest width (EMU) at which a column's short cells print on one line.

    Numbers such as ``32.7%`` or ``¥1,299`` must not break across lines; long text may
    wrap, so it asks for no more than two CJK characters.
    """
    short = [text_width(c) for c in cells if text_width(c) <= _SHORT_CELL]
    units = max(short + [4])
    return int(units * _HALF_EM * size_pt * 12_700) + _CELL_PADDING


def _fit_widths(total: int, weights: list[float], mins: list[int]) -> list[int]:
    """Return column widths summing to ``total``: in proportion to ``weights``, but no
    column below its minimum (the others give up the difference in proportion)."""
    if sum(mins) >= total:
        return _split(total, [float(m) for m in mins])
    fixed: dict[int, int] = {}
    while True:
        free = [j for j in range(len(weights)) if j not in fixed]
        room = total - sum(fixed.values())
        share = sum(weights[j] for j in free) or 1.0
        under = [j for j in free if room * weights[j] / share < mins[j]]
        if not under:
            break
        for j in under:
            fixed[j] = mins[j]
    widths = [fixed[j] if j in fixed else int(room * weights[j] / share) for j in range(len(weights))]
    widths[max(free or [len(widths) - 1])] += total - sum(widths)
    return widths


def _column_weight(header: str, cells: list[str]) -> float:
    """Return a column's share of the width from its printed text (capped so one long cell wraps)."""
    widest = max([text_width(c) for c in cells] or [0])
    return float(min(max(widest, text_width(header) * 0.7, 4), 36))


def _png_size(path: Path) -> tuple[int, int]:
    """Return (width, height) in pixels of a PNG, read from its header."""
    with open(path, "rb") as fh:
        head = fh.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"not a PNG: {path}")
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if width <= 0 or height <= 0:
        raise ValueError(f"empty PNG: {path}")
    return width, height
