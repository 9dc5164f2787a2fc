"""Charts: one function per chart kind, the theme and the Chinese font set once.

One module per area: ``diagnosis`` (人货场 charts: GMV, people, goods; it re-exports
``scene``'s channel, community, service, benchmark and data-quality charts), ``journey``
(journey map and funnel), ``plan`` (Gantt, target funnel, scenarios); ``_base`` holds
what they share (sizes, money and percent formats, data coercion, the no-data axes).  Every chart function takes ``ax=None`` and returns the Axes (seaborn's convention);
saving is the recorder's job (:meth:`diag.record.Recorder.figure`).  The CJK font is
Noto Sans CJK SC shipped inside the ``mplfonts`` wheel and registered from the
installed package at import time: nothing is downloaded at run time.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg") if "ipykernel" not in sys.modules else None

import matplotlib.pyplot as plt  # noqa: E402, F401  (pyplot first, so the backend is set)
from matplotlib import font_manager  # noqa: E402

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_NAME = "Noto Sans CJK SC"
PALETTE = ["#1f6f8b", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b", "#99a1a6", "#bc4b51", "#5b8e7d"]


def font_path() -> Path:
    """Return the bundled CJK font file (from the ``mplfonts`` package)."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"CJK font missing: {path}; reinstall with `make install`")
    return path


class _NoBoldFace(logging.Filter):
    """Drop matplotlib's note that the CJK font has no bold face.

    The bundled font ships only its regular weight, so bold titles print in regular
    weight; saying so on every chart is noise in a consultant's notebook.  Any other
    font message (a missing glyph among them) still gets through.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("findfont: Failed to find font weight") and FONT_NAME in message)


def setup() -> None:
    """Register the CJK font and set the house theme (idempotent)."""
    import seaborn as sns

    path = font_path()
    logger = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _NoBoldFace) for f in logger.filters):
        logger.addFilter(_NoBoldFace())
    if FONT_NAME not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    sns.set_theme(style="whitegrid", palette=PALETTE, font=FONT_NAME, rc={
        "font.sans-serif": [FONT_NAME, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "figure.dpi": 110,
        "axes.titleweight": "bold",
        "axes.titlesize": 13,
        "axes.labelsize": 11,
    })


setup()

