"""The result API notebooks write through.

A notebook creates one :class:`Recorder` for its section and records, in reading
order, the blocks the report shows: headings, paragraphs, numbers (each with its
definition), tables and figures.  Each call rewrites ``<run>/results/<section>.json``
atomically, so whatever a notebook recorded survives it; :func:`merge_results` then
folds the sections into ``<run>/results.json``, the only input of the report builder
(``diag report RUN_DIR`` rebuilds from it).

Block kinds (``results["sections"][name]["blocks"]``)::

    {"kind": "heading", "text": str, "level": 1|2|3}
    {"kind": "text", "text": str, "style": "body"|"note"|"quote"|"bullet"}
    {"kind": "number", "key": str, "label": str, "value": float|int|str|None,
     "unit": str, "fmt": str, "definition": str, "headline": bool}
    {"kind": "table", "key": str, "title": str, "columns": [str], "rows": [[...]],
     "note": str, "reading": str (optional: how to read it, printed in the method appendix)}
    {"kind": "figure", "key": str, "path": "figures/<key>.png", "title": str,
     "caption": str, "landscape": bool, "reading": str (optional)}

Every recorded string and table cell passes through :mod:`diag.privacy`.
Machine-readable values that the report does not print go to ``data`` via
:meth:`Recorder.data`.

Inside a Jupyter kernel the recorder also shows what it records that the notebook
would not show by itself: each number with its definition, each paragraph of
findings and each figure (tables are shown by the notebook's own cells).  What it
shows is the masked, recorded form, so the executed notebook and its HTML read like
the report.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from diag.catalog import number_kwargs
from diag.cleantext import client_text
from diag.files import FILE_MODE, to_jsonable, write_atomic
from diag.privacy import mask_id, scrub_text

RESULTS = "results.json"
PARTS = "results"
FIGURES = "figures"

#: ``link`` (set by runs): the executed notebook shows a figure as a link to its PNG, not a copy.
FIGURES_ENV = "DIAG_NOTEBOOK_FIGURES"

#: The order in which notebook sections appear in the report.
SECTION_ORDER = ("intake", "journey", "diagnosis", "review", "strategy")





def _clean(value: Any) -> Any:
    value = to_jsonable(value)
    if isinstance(value, str):
        return client_text(scrub_text(value))
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def table_payload(df: pd.DataFrame, *, id_columns: Iterable[str] = ()) -> dict[str, Any]:
    """Return ``{"columns", "rows"}`` for ``df`` with identifier columns masked."""
    frame = df.copy()
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    for column in id_columns:
        if column in frame.columns:
            frame[column] = frame[column].map(mask_id)
    rows = [[_clean(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return {"columns": [client_text(scrub_text(str(c))) for c in frame.columns], "rows": rows}


def _compact_png(path: str) -> None:
    """Rewrite a chart PNG with a 256-colour palette (in place).

    A chart holds few colours, so the palette image looks the same and weighs about a
    third; the report embeds every figure, so the client's folder shrinks with it.
    """
    from PIL import Image

    with Image.open(path) as image:
        compact = image.convert("RGB").quantize(colors=256)
    compact.save(path, format="PNG", optimize=True)


class Recorder:
    """Record one notebook section's results under ``run_dir``.

    Parameters
    ----------
    run_dir : path
        ``OUT/<client-slug>`` (or its temporary twin while a run is in progress).
    section : str
        The notebook's section name: ``intake``, ``journey``, ``diagnosis``, ``strategy``.
    title : str
        The section's title in the report (a level-1 heading).
    lang : str
        ``zh`` or ``en``: the language of the catalogue's labels and definitions.
    """

    def __init__(self, run_dir: str | os.PathLike[str], section: str, title: str,
                 show: bool | None = None, lang: str = "zh") -> None:
        self.run_dir = Path(run_dir)
        self.lang = lang
        self.section = section
        self.title = title
        self.show = _in_kernel() if show is None else show
        self.blocks: list[dict[str, Any]] = []
        self.values: dict[str, Any] = {}
        (self.run_dir / FIGURES).mkdir(parents=True, exist_ok=True)
        self._flush()

    # -- blocks the report prints -------------------------------------------------
    def heading(self, text: str, level: int = 2) -> None:
        """Record a heading (level 2 or 3; level 1 is the section title)."""
        self._add({"kind": "heading", "text": text, "level": int(level)})

    def text(self, text: str, style: str = "body") -> None:
        """Record a paragraph; ``style`` is ``body``, ``note``, ``quote`` or ``bullet``."""
        self._add({"kind": "text", "text": text, "style": style})

    def bullets(self, items: Iterable[str]) -> None:
        """Record a bulleted list, one paragraph per item."""
        for item in items:
            self.text(item, style="bullet")

    def number(self, key: str, value: Any, *, label: str | None = None, definition: str | None = None,
               unit: str | None = None, fmt: str | None = None, headline: bool = False) -> None:
        """Record a metric with its one written definition (shown beside it and in the appendix).

        Label, unit, format and definition come from the metric catalogue
        (:mod:`diag.catalog`), in the recorder's language; an explicit argument overrides
        its entry (only where the section has a real reason, such as a threshold in the
        definition).  A key missing from the catalogue is a UsageError.
        """
        entry = number_kwargs(key, self.lang)
        given = {"label": label, "unit": unit, "fmt": fmt, "definition": definition}
        entry.update({k: v for k, v in given.items() if v is not None})
        self._add({"kind": "number", "key": key, "label": entry["label"], "value": to_jsonable(value),
                   "unit": entry["unit"], "fmt": entry["fmt"], "definition": entry["definition"],
                   "headline": bool(headline)})
        self.values[key] = to_jsonable(value)

    def table(self, key: str, df: pd.DataFrame, *, title: str, note: str = "",
              id_columns: Iterable[str] = (), max_rows: int = 40, reading: str = "") -> None:
        """Record a table (at most ``max_rows`` rows are printed in the report; all are kept).

        ``note`` is printed under the table; ``reading`` is a fixed explanation of how to read
        it (definitions, formulas), printed once in the method appendix instead.
        """
        payload = table_payload(df, id_columns=id_columns)
        self._add({"kind": "table", "key": key, "title": title, "note": note,
                   "max_rows": int(max_rows), **payload, **({"reading": reading} if reading else {})})

    def figure(self, key: str, fig: Any, *, title: str, caption: str = "",
               landscape: bool = False, dpi: int = 150, reading: str = "") -> Path:
        """Save a matplotlib Figure (or an Axes' figure) as ``figures/<key>.png`` and record it.

        ``caption`` is printed under the figure; ``reading`` (how to read it: axes, marks,
        definitions) is printed once in the method appendix instead.
        """
        import matplotlib.pyplot as plt

        figure = fig if hasattr(fig, "savefig") else fig.figure  # a Figure, or an Axes
        path = self.run_dir / FIGURES / f"{key}.png"
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".png", dir=path.parent)
        os.close(fd)
        try:
            figure.savefig(tmp, dpi=dpi, bbox_inches="tight", facecolor="white")
            _compact_png(tmp)
            os.chmod(tmp, FILE_MODE)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        plt.close(figure)
        self._add({"kind": "figure", "key": key, "path": f"{FIGURES}/{key}.png", "title": title,
                   "caption": caption, "landscape": bool(landscape),
                   **({"reading": reading} if reading else {})})
        return path

    # -- machine-readable values ----------------------------------------------------
    def data(self, key: str, value: Any) -> None:
        """Record a machine-readable value (kept in results.json, not printed)."""
        self.values[key] = _clean(value)
        self._flush()

    # -- internals ------------------------------------------------------------------
    def _add(self, block: dict[str, Any]) -> None:
        block = _clean(block)
        self.blocks.append(block)
        self._flush()
        if self.show:
            self._display(block)

    def _display(self, block: dict[str, Any]) -> None:
        from html import escape

        from IPython.display import HTML, Image, display

        from diag.format import format_value

        kind = block["kind"]
        if kind == "number":
            value = format_value(block["value"], block["fmt"], block["unit"])
            display(HTML(f"<p><b>{escape(block['label'])}</b>　{escape(value)}　"
                         f"<small>（{escape(block['definition'])}）</small></p>"))
        elif kind == "text":
            text = escape(block["text"])
            display(HTML(f"<ul><li>{text}</li></ul>" if block["style"] == "bullet" else f"<p>{text}</p>"))
        elif kind == "figure":
            caption = f"　<small>{escape(block['caption'])}</small>" if block["caption"] else ""
            display(HTML(f"<p><b>{escape(block['title'])}</b>{caption}</p>"))
            if os.environ.get(FIGURES_ENV) == "link":
                # a run's notebooks sit in <run>/notebooks: link the saved figure, do not embed it
                display(HTML(f'<img src="../{escape(block["path"])}" width="900" alt="{escape(block["title"])}">'))
            else:
                display(Image(filename=str(self.run_dir / block["path"]), width=900))

    def _flush(self) -> None:
        payload = {"section": self.section, "title": self.title, "blocks": self.blocks,
                   "data": self.values}
        write_atomic(self.run_dir / PARTS / f"{self.section}.json",
                     json.dumps(payload, ensure_ascii=False, indent=1))


def _in_kernel() -> bool:
    """Return True when running inside a Jupyter kernel (as papermill and JupyterLab do)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def merge_results(run_dir: str | os.PathLike[str], meta: dict[str, Any]) -> dict[str, Any]:
    """Fold ``results/<section>.json`` into ``results.json`` and return the merged dict."""
    run_dir = Path(run_dir)
    sections: dict[str, Any] = {}
    parts = sorted((run_dir / PARTS).glob("*.json"),
                   key=lambda p: (SECTION_ORDER.index(p.stem) if p.stem in SECTION_ORDER else 99, p.stem))
    for part in parts:
        sections[part.stem] = json.loads(part.read_text(encoding="utf-8"))
    merged = {"meta": _clean(meta), "sections": sections}
    write_atomic(run_dir / RESULTS, json.dumps(merged, ensure_ascii=False, indent=1))
    return merged


def load_results(run_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the merged ``results.json`` of a finished run."""
    from diag.errors import DataError

    path = Path(run_dir) / RESULTS
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("no results.json here; run `diag run BRIEF` first", file=path) from None
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read recorded results ({exc})", file=path) from None
