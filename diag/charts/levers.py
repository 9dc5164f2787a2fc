"""Live-session charts: a lever scenario's monthly GMV projection against today's run rate.

Drawn when a scenario is saved from the live page (the PNG goes into the client's
``figures/`` and the report's strategy section).  Takes data and ``ax=None``, returns
the Axes; saving is the caller's job.
"""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from diag.charts import PALETTE
from diag.charts._base import yuan_axis
from diag.format import format_yuan_short
from diag.messages import messages

__all__ = ["projection"]


def projection(rows: Sequence[dict[str, Any]], *, ax: Axes | None = None, title: str | None = None,
               lang: str = "zh") -> Axes:
    """Return bars of the projected monthly GMV over a dashed line at today's run rate.

    ``rows`` is :func:`diag.strategy.levers.projection` output (``month, baseline, projected,
    projected_total, baseline_total``); the title's end gives both totals.  Texts and amounts in ``lang``.
    """
    t = messages("charts", lang)
    title = title or t("projection.title")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.2))
    if not rows:
        ax.set_title(title)
        ax.text(0.5, 0.5, t("no_data"), ha="center", va="center", transform=ax.transAxes)
        return ax
    months = [int(r["month"]) for r in rows]
    projected = [float(r["projected"]) for r in rows]
    baseline = [float(r["baseline"]) for r in rows]
    ax.bar(months, projected, color=PALETTE[0], width=0.65, label=t("projection.projected"))
    ax.plot(months, baseline, color=PALETTE[1], linestyle="--", linewidth=2, label=t("projection.baseline"))
    ax.set_xticks(months, [t("projection.month", m=m) for m in months], fontsize=8.5)
    ax.yaxis.set_major_formatter(yuan_axis(lang))
    top = max(max(projected), max(baseline))
    ax.set_ylim(0, top * 1.3 if top > 0 else 1)
    total, base = float(rows[-1]["projected_total"]), float(rows[-1]["baseline_total"])
    change = f"{total / base - 1:+.1%}" if base else ""
    ax.set_title(t("projection.totals", title=title, total=format_yuan_short(total, lang),
                   base=format_yuan_short(base, lang), change=change))
    ax.set_ylabel(t("projection.y"))
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", ncol=2, frameon=False)
    return ax
