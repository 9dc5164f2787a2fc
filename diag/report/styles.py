"""The Word styles the report uses, by role: what a firm's template must define.

:mod:`diag.report.builder` writes with them; :func:`diag.report.firm.check_template`
checks a template has them, each of its kind.
"""

from __future__ import annotations

#: Every template style the builder uses, by role.  ``tests/report`` checks the template has them.
STYLES: dict[str, str] = {
    "title": "Title", "subtitle": "Subtitle", "cover_client": "Cover Client", "cover_meta": "Cover Meta",
    "h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3",
    "body": "Normal", "note": "Note", "quote": "Quote", "bullet": "List Bullet",
    "caption": "Caption", "table_caption": "Table Caption",
    "metric": "Metric", "metric_value": "Metric Value", "metric_definition": "Metric Definition",
    "table": "Diag Table", "metric_table": "Metric Table",
    "cell": "Table Text", "cell_small": "Table Text Small",
    "cell_header": "Table Header", "cell_header_small": "Table Header Small",
    "toc_heading": "TOC Heading", "toc1": "toc 1", "toc2": "toc 2",
    "header": "Header", "footer": "Footer",
    "cover_logo": "Cover Logo", "cover_firm": "Cover Firm", "cover_confidential": "Cover Confidential",
}

#: The kind of each style that is not a paragraph style (``--check-template`` checks kinds).
STYLE_KINDS: dict[str, str] = {"table": "table", "metric_table": "table", "metric_value": "character"}

#: Styles of table text, kept at least :data:`diag.report.firm.MIN_TABLE_PT` for phones.
TABLE_TEXT_ROLES = ("cell", "cell_small", "cell_header", "cell_header_small")
