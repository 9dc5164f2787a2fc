"""复盘 charts: each campaign's GMV against its target and baseline, and then versus now.

Every function takes its data and ``ax=None`` and returns the Axes it drew on.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from diag import catalog
from diag.charts import PALETTE
from diag.charts._base import _axes, _no_data, yuan_axis
from diag.format import format_yuan_short
from diag.messages import messages

__all__ = ["campaign_targets", "then_vs_now"]

_GOOD, _BAD, _FLAT = PALETTE[2], PALETTE[6], PALETTE[5]


def _short(text: str, n: int = 16) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def campaign_targets(results: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                     lang: str = "zh") -> Axes:
    """Return horizontal bars of each campaign's GMV, its baseline and a tick at its target.

    ``results`` is :func:`diag.areas.review.campaign_results` output.  The bar is the
    campaign's GMV (green when it met the target, red when not, blue without one), the
    thin grey bar the baseline window's GMV, the black tick the target GMV; the label
    right of each bar gives the attainment.  Texts in ``lang``; campaign names as written.
    """
    t = messages("charts", lang)
    title = title or t("campaigns.title")
    if results is None or len(results) == 0:
        return _no_data(ax, title, t("no_data"))
    df = results.reset_index(drop=True)
    ax = _axes(ax, (8, max(3.0, 0.62 * len(df) + 1.5)))
    top = 0.0
    for i, r in df.iterrows():
        y = len(df) - 1 - i
        colour = PALETTE[0] if r["met"] is None or pd.isna(r["met"]) else (_GOOD if r["met"] else _BAD)
        ax.barh(y + 0.12, r["gmv"], height=0.46, color=colour, alpha=0.92)
        base = r["base_gmv"]
        if base is not None and not pd.isna(base):
            ax.barh(y - 0.26, base, height=0.2, color="#c4c9cc")
            top = max(top, float(base))
        target = r["target_gmv"]
        label = format_yuan_short(float(r["gmv"]), lang)
        if target is not None and not pd.isna(target) and target > 0:
            ax.plot([target, target], [y - 0.2, y + 0.42], color="#111827", lw=2.2)
            label += t("campaigns.attainment", share=r["gmv"] / target)
            top = max(top, float(target))
        top = max(top, float(r["gmv"]))
        ax.text(max(float(r["gmv"]), float(target or 0)), y + 0.12, "  " + label, va="center", fontsize=8.5,
                color="#374151")
    ax.set_yticks(range(len(df)), [_short(str(n)) for n in df["name"]][::-1], fontsize=9)
    ax.set_xlim(0, top * 1.32 if top > 0 else 1)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.xaxis.set_major_formatter(yuan_axis(lang))
    ax.grid(axis="y", visible=False)
    handles = [Patch(color=_GOOD, label=t("campaigns.met")), Patch(color=_BAD, label=t("campaigns.missed")),
               Patch(color="#c4c9cc", label=t("campaigns.baseline")),
               Line2D([0], [0], color="#111827", lw=2.2, label=t("campaigns.target"))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=4, fontsize=8, frameon=False)
    ax.set_title(title)
    return ax


def then_vs_now(comparison: pd.DataFrame, *, ax: Axes | None = None, then_label: str | None = None,
                now_label: str | None = None, title: str | None = None, lang: str = "zh") -> Axes:
    """Return horizontal bars of each key metric's relative change since the last diagnosis.

    ``comparison`` is :func:`diag.areas.followup.compare_metrics` output; only metrics
    measured both times are drawn.  Green = better, red = worse (a shorter cycle or
    reply time is better); the label gives the change in percent.  Texts in ``lang``; the
    metrics' names are the comparison's ``label`` (the metric catalogue's in ``lang``
    when the comparison has ``key``s it knows).
    """
    t = messages("charts", lang)
    title, then_label, now_label = (title or t("then_now.title"), then_label or t("then_now.then"),
                                    now_label or t("then_now.now"))
    df = comparison[comparison["change_pct"].notna()].reset_index(drop=True) if comparison is not None else None
    if df is None or len(df) == 0:
        return _no_data(ax, title, t("no_data"))
    names = [catalog.label(m, lang) if lang == "en" and catalog.known(str(m)) else label
             for m, label in zip(df["key"] if "key" in df else df["label"], df["label"])]
    ax = _axes(ax, (8, max(3.0, 0.45 * len(df) + 1.5)))
    values = [float(v) for v in df["change_pct"]]
    colours = [_GOOD if d == "变好" else _BAD if d == "变差" else _FLAT for d in df["direction"]]
    ys = list(range(len(df)))[::-1]
    ax.barh(ys, values, color=colours, height=0.6)
    span = max(max(abs(v) for v in values), 0.01)
    for y, v in zip(ys, values):
        ax.text(v + (span * 0.03 if v >= 0 else -span * 0.03), y, f"{v:+.1%}", va="center",
                ha="left" if v >= 0 else "right", fontsize=8.5, color="#374151")
    ax.axvline(0, color="#6b7280", lw=0.8)
    ax.set_yticks(ys, [str(name) for name in names], fontsize=9)
    ax.set_xlim(-span * 1.35 if min(values) < 0 else -span * 0.05, span * 1.35 if max(values) > 0 else span * 0.05)
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:+.0%}" if not math.isclose(v, 0, abs_tol=1e-12) else "0")
    ax.set_xlabel(t("then_now.x", now=now_label, then=then_label))
    ax.grid(axis="y", visible=False)
    ax.legend(handles=[Patch(color=_GOOD, label=t("then_now.better")), Patch(color=_BAD, label=t("then_now.worse"))], loc="lower right",
              fontsize=8, frameon=False)
    ax.set_title(title)
    return ax
