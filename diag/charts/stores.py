"""Store-chain charts: the league table, small multiples of stores' trends, one store's trend.

Conventions as in :mod:`diag.charts.diagnosis` (``ax=None``, the Axes or Figure
returned, saving elsewhere; the CJK font and theme are set once by the package).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from diag.charts import PALETTE
from diag.charts._base import _axes, _figure, _month_labels, yuan_axis
from diag.messages import text

__all__ = ["league_table", "trend_multiples", "store_trend"]


def _t(key: str, lang: str, **fields: object) -> str:
    return text("stores", key, lang, **fields)


def league_table(table: pd.DataFrame, *, median: float | None = None, top: int = 30,
                 ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return horizontal bars of GMV per store, best first (at most ``top`` best and the
    weakest below a gap line when there are more), the chain median as a dashed line.

    ``table`` columns: ``store``, ``gmv``, ``status`` (as :func:`diag.areas.stores.store_table`).
    """
    ranked = table.sort_values("gmv", ascending=False).reset_index(drop=True)
    if len(ranked) > top:
        head, tail = ranked.head(top - top // 3), ranked.tail(top // 3)
        shown = pd.concat([head, pd.DataFrame([{"store": "…", "gmv": np.nan, "status": "gap"}]), tail])
    else:
        shown = ranked
    shown = shown.reset_index(drop=True)
    height = max(3.0, 0.26 * len(shown) + 1.0)
    ax = _axes(ax, (8, height))
    colours = [PALETTE[0] if s == "ok" else "#bbbbbb" for s in shown["status"]]
    y = np.arange(len(shown))[::-1]
    ax.barh(y, shown["gmv"].fillna(0), color=colours)
    ax.set_yticks(y, [str(s) for s in shown["store"]], fontsize=8)
    if median is not None and median > 0:
        ax.axvline(median, color="#bc4b51", linestyle="--", linewidth=1)
        ax.annotate(_t("chain_median", lang), (median, y.max() + 0.6), color="#bc4b51", fontsize=8, ha="left",
                    annotation_clip=False)
    ax.xaxis.set_major_formatter(yuan_axis(lang))
    ax.set_xlabel(_t("gmv_axis", lang))
    ax.set_title(_t("league_chart_title", lang, count=len(ranked)), loc="left")
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    return ax


def trend_multiples(monthly: pd.DataFrame, stores: Sequence[str], *, ncols: int = 5,
                    axes: Sequence[Axes] | None = None, lang: str = "zh") -> Figure:
    """Return a grid of small line charts, one per store in ``stores``, of monthly GMV on a
    shared scale (``monthly`` as :func:`diag.areas.stores.store_monthly`: months × stores)."""
    stores = [s for s in stores if s in monthly.columns]
    nrows = max(1, math.ceil(len(stores) / ncols))
    if axes is None:
        fig, grid = plt.subplots(nrows, ncols, figsize=(10, 1.7 * nrows + 0.6), sharex=True, sharey=True,
                                 squeeze=False)
        axes = list(grid.ravel())
    fig = _figure(axes[0])
    x = np.arange(len(monthly.index))
    labels = _month_labels(pd.Series(monthly.index))
    chain = monthly.median(axis=1).to_numpy(float)
    for ax, store in zip(axes, stores):
        ax.plot(x, chain, color="#bbbbbb", linewidth=1)
        ax.plot(x, monthly[store].to_numpy(float), color=PALETTE[0], linewidth=1.5)
        ax.set_title(str(store), fontsize=8, loc="left")
        ax.tick_params(labelsize=6)
        ax.yaxis.set_major_formatter(yuan_axis(lang))
    for ax in list(axes)[len(stores):]:
        ax.set_visible(False)
    step = max(1, len(x) // 3)
    axes[0].set_xticks(x[::step], [labels[i] for i in range(0, len(x), step)])
    fig.suptitle(_t("trends_chart_title", lang), x=0.01, ha="left", fontsize=10)
    fig.tight_layout()
    return fig


def store_trend(monthly: pd.DataFrame, store: str, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return one store's monthly GMV (bars) against the chain's median store (line)."""
    ax = _axes(ax, (8, 3.6))
    x = np.arange(len(monthly.index))
    ax.bar(x, monthly[store].to_numpy(float), color=PALETTE[0], label=_t("this_store", lang))
    ax.plot(x, monthly.median(axis=1).to_numpy(float), color="#bc4b51", marker="o", markersize=3,
            label=_t("store_median", lang))
    labels = _month_labels(pd.Series(monthly.index))
    step = max(1, math.ceil(len(x) / 6))
    ax.set_xticks(x[::step], [labels[i] for i in range(0, len(x), step)])
    ax.yaxis.set_major_formatter(yuan_axis(lang))
    ax.set_title(_t("store_trend_title", lang, store=store), loc="left")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(axis="x", visible=False)
    return ax
