"""A light HTML copy of an executed notebook.

nbconvert's default (``lab``) page inlines about 280 KB of JupyterLab CSS into every
file and re-parses the page twice (bleach, BeautifulSoup); a batch writes four per
client.  The ``basic`` template gives the cells' HTML alone; it is wrapped here in a
page with a small stylesheet.  Figures stay links to ``../figures/*.png`` (see
:data:`diag.record.FIGURES_ENV`), so the page weighs what its text weighs.  The
outputs come from the kit's own recorder and pandas, which escape what they show, so
the page is not sanitised again.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;line-height:1.5;color:#222}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:12px}
.jp-InputPrompt,.jp-OutputPrompt,.prompt{display:none}
table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px}
th{background:#eef3f6}img{max-width:100%}.jp-RenderedText pre{background:none}
.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]{background:#fdd}"""


@lru_cache(maxsize=1)
def _exporter() -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", sanitize_html=False)


def notebook_html(nb: Any, title: str) -> str:
    """Return a standalone HTML page of the executed notebook ``nb``."""
    body, _ = _exporter().from_notebook_node(nb)
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title>\n<style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")


__all__ = ["notebook_html"]
