"""Scene (场) and benchmark charts: channels, community health, 1-on-1 service, the
benchmark gap and data quality.  Conventions as in :mod:`diag.charts.diagnosis`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.container import Container
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from diag import catalog
from diag.charts import PALETTE
from diag.charts._base import (
    _PCT,
    _axes,
    _col,
    _figure,
    _frame,
    _no_data,
    _num,
    _set_time_ticks,
    _time_axis,
    yuan_axis,
)
from diag.format import format_number, format_yuan_short
from diag.messages import messages

__all__ = ["channel_bars", "community_health", "service_quality", "benchmark_gap", "data_quality"]

_STATUS_COLOURS = {"below": "#bc4b51", "within": "#81b29a", "above": "#1f6f8b"}
_STATUS_ALIASES = {"低于": "below", "偏低": "below", "区间内": "within", "达标": "within",
                   "高于": "above", "偏高": "above"}
#: Verdicts of :func:`diag.areas.benchmark.benchmark_gaps` (``better``) → colour keys.
_VERDICT_STATUS = {"落后": "below", "达标": "within", "领先": "above"}


# -- scene ----------------------------------------------------------------------------------
def channel_bars(channels: Any, *, axes: Sequence[Axes] | None = None, lang: str = "zh") -> Figure:
    """Return a two-panel Figure: GMV share per channel (left) and AOV per channel (right).

    ``channels`` columns: ``channel``, ``gmv``; optional ``share`` (0–1; else computed
    from ``gmv``) and ``aov`` (else ``gmv ÷ orders`` when ``orders`` is there).  ``axes``
    is an optional pair of Axes to draw on; titles in ``lang``.
    """
    t = messages("charts", lang)
    df = _frame(channels)
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(9, 4.5), sharey=True)
    else:
        fig = _figure(axes[0])
    left, right = axes
    if df.empty or not {"channel", "gmv"} <= set(df.columns) or _num(df["gmv"]).fillna(0).sum() <= 0:
        _no_data(left, t("channels.share"), t("no_data"))
        _no_data(right, t("channels.aov"), t("no_data"))
        return fig
    df["gmv"] = _num(df["gmv"]).fillna(0)
    df["share"] = _num(df["share"]) if "share" in df else df["gmv"] / df["gmv"].sum()
    if "aov" not in df and "orders" in df:
        df["aov"] = df["gmv"] / _num(df["orders"]).replace(0, np.nan)
    df = df.sort_values("gmv", ascending=True)
    y = np.arange(len(df))
    names = df["channel"].astype(str).tolist()
    left.barh(y, df["share"], color=PALETTE[0], height=0.6)
    left.set_yticks(y, names)
    for yi, s, g in zip(y, df["share"], df["gmv"]):
        left.annotate(f"{s:.1%} ({format_yuan_short(g, lang)})" if lang != "zh" else f"{s:.1%}（{format_yuan_short(g)}）", (s, yi), xytext=(4, 0), textcoords="offset points",
                      va="center", fontsize=8.5)
    left.set_xlim(0, max(float(df["share"].max()), 0.01) * 1.6)
    left.xaxis.set_major_formatter(_PCT)
    left.set_title(t("channels.share"))
    if "aov" in df and _num(df["aov"]).notna().any():
        aov = _num(df["aov"])
        right.barh(y, aov.fillna(0), color=PALETTE[1], height=0.6)
        for yi, v in zip(y, aov):
            right.annotate(f"¥{v:,.0f}" if np.isfinite(v) else "—", (0 if not np.isfinite(v) else v, yi),
                           xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5)
        right.set_xlim(0, float(aov.max()) * 1.35)
        right.xaxis.set_major_formatter(yuan_axis(lang))
        right.xaxis.set_major_locator(MaxNLocator(nbins=4))   # money ticks are wide
        right.set_title(t("channels.aov"))
    else:
        _no_data(right, t("channels.aov"), t("no_data"))
    fig.tight_layout()
    return fig


def community_health(trend: Any, *, benchmark: Mapping[str, Sequence[float]] | None = None,
                     ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return active-group share and member activity over time, with optional benchmark bands.

    ``trend`` columns: a time column (``month`` / ``date`` / ``period``),
    ``group_active_share`` (chat_has_msg ÷ chat_total) and/or ``member_activity``
    (member_has_msg ÷ member_total), both 0–1.  ``benchmark`` maps those keys to an
    industry ``(low, high)`` range, drawn as a shaded band.
    """
    t = messages("charts", lang)
    title = t("community.title")
    df = _frame(trend)
    series = [(k, t(f"community.{k}"), c) for k, c in (("group_active_share", PALETTE[0]),
                                                      ("member_activity", PALETTE[1])) if k in df]
    if df.empty or not series or all(_num(df[k]).isna().all() for k, _, _ in series):
        return _no_data(ax, title, t("no_data"))
    ax = _axes(ax)
    x, labels = _time_axis(df)
    for key, name, colour in series:
        values = _num(df[key])
        ax.plot(x, values, marker="o", color=colour, lw=2, label=name)
        last = values.last_valid_index()
        if last is not None:
            ax.annotate(f"{values[last]:.0%}", (x[df.index.get_loc(last)], values[last]), xytext=(5, 0),
                        textcoords="offset points", va="center", fontsize=9, color=colour)
        band = (benchmark or {}).get(key)
        if band is not None and len(band) == 2:
            ax.axhspan(band[0], band[1], color=colour, alpha=0.12, lw=0, label=t("community.band", name=name))
    _set_time_ticks(ax, x, labels)
    ax.set_ylim(0, min(1.05, max(0.1, float(np.nanmax([_num(df[k]).max() for k, _, _ in series])) * 1.3)))
    ax.yaxis.set_major_formatter(_PCT)
    ax.legend(loc="upper left", fontsize=9, frameon=False, ncol=2)
    ax.set_title(title)
    return ax


def service_quality(trend: Any, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return 1-on-1 service quality over time: reply rate (line, %) and reply time (bars, minutes).

    ``trend`` columns: a time column (``month`` / ``date`` / ``period``), ``reply_rate``
    (0–1) and/or ``avg_reply_minutes``.
    """
    t = messages("charts", lang)
    title = t("service.title")
    df = _frame(trend)
    has_rate, has_time = "reply_rate" in df, "avg_reply_minutes" in df
    if df.empty or not (has_rate or has_time):
        return _no_data(ax, title, t("no_data"))
    ax = _axes(ax)
    x, labels = _time_axis(df)
    handles: list[Artist | Container] = []
    if has_time:
        minutes = _num(df["avg_reply_minutes"])
        handles.append(ax.bar(x, minutes.fillna(0), color=PALETTE[3], width=0.6, label=t("service.minutes")))
        ax.set_ylabel(t("service.minutes"))
    rate_ax = ax.twinx() if has_time else ax
    if has_rate:
        rate = _num(df["reply_rate"])
        (line,) = rate_ax.plot(x, rate, color=PALETTE[0], marker="o", lw=2, label=t("service.reply_rate"))
        handles.append(line)
        rate_ax.set_ylim(0, 1.05)
        rate_ax.yaxis.set_major_formatter(_PCT)
        rate_ax.set_ylabel(t("service.reply_rate"))
        rate_ax.grid(has_time is False)
    _set_time_ticks(ax, x, labels)
    ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=True, framealpha=0.9)
    ax.set_title(title)
    return ax


# -- benchmark and data quality -----------------------------------------------------------
def benchmark_gap(gaps: Any, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return each metric's value against its industry low–high band, coloured by position.

    ``gaps`` columns: ``label`` (or ``metric``), ``value``, ``low``, ``high``, optional
    ``unit`` (share | yuan | days | count | minutes), ``status`` (below / within /
    above, or 低于 / 区间内 / 高于; computed from the band when absent) and ``better``
    (落后 / 达标 / 领先).  Each row is drawn on its own scale: the band spans the middle
    third of its row.  With ``better`` the points are coloured by the verdict, so a reply
    time above its band shows as lagging, not as ahead; without it, by position.
    """
    t = messages("charts", lang)
    title = t("benchmark.title")
    df = _frame(gaps)
    name = _col(df, "label", "metric")
    if df.empty or name is None or not {"value", "low", "high"} <= set(df.columns):
        return _no_data(ax, title, t("no_data"))
    df = df.assign(value=_num(df["value"]), low=_num(df["low"]), high=_num(df["high"]))
    df = df[df["low"].notna() & df["high"].notna()].reset_index(drop=True)
    if df.empty:
        return _no_data(ax, title, t("no_data"))
    if lang == "en" and "metric" in df:  # the row names are the catalogue's labels in the run's language
        df[name] = [catalog.label(m, lang) if catalog.known(str(m)) else n for m, n in zip(df["metric"], df[name])]
    ax = _axes(ax, (8, max(2.5, 0.55 * len(df) + 1.2)))
    by_verdict = "better" in df and df["better"].isin(list(_VERDICT_STATUS)).any()
    for i, row in df.iterrows():
        y = len(df) - 1 - i
        low, high, value = row["low"], row["high"], row["value"]
        span = (high - low) or max(abs(high), 1.0) * 0.2
        status: Any = row.get("status") if "status" in df else None  # a cell: str, NaN or None
        status = _STATUS_ALIASES.get(status, status)
        if status not in _STATUS_COLOURS and np.isfinite(value):
            status = "below" if value < low else ("above" if value > high else "within")
        if by_verdict:
            status = _VERDICT_STATUS.get(row["better"], status)
        ax.add_patch(Rectangle((1, y - 0.18), 1, 0.36, fc="#e5e7eb", ec="#99a1a6", lw=0.8))
        unit = str(row.get("unit", "") or "")
        ax.text(1, y + 0.28, format_number(low, unit, lang=lang), ha="center", fontsize=7.5, color="#6b7280")
        ax.text(2, y + 0.28, format_number(high, unit, lang=lang), ha="center", fontsize=7.5, color="#6b7280")
        if np.isfinite(value):
            pos = float(np.clip(1 + (value - low) / span, 0.05, 2.95))
            ax.scatter(pos, y, s=110, color=_STATUS_COLOURS.get(status, PALETTE[4]), zorder=3,
                       edgecolor="white")
            ax.text(pos, y - 0.42, format_number(value, unit, lang=lang), ha="center", fontsize=8.5, fontweight="bold",
                    color=_STATUS_COLOURS.get(status, PALETTE[4]))
    ax.set_yticks(range(len(df)), df[name].astype(str).tolist()[::-1])
    ax.set_xlim(0, 3)
    ax.set_ylim(-0.8, len(df) - 0.3)
    places = ("below", "within", "above")
    ax.set_xticks([0.5, 1.5, 2.5], [t(f"benchmark.tick.{k}") for k in places])
    ax.grid(False)
    kind = "verdict" if by_verdict else "position"
    handles = [plt.Line2D([], [], marker="o", ls="", color=_STATUS_COLOURS[k], label=t(f"benchmark.{kind}.{k}"))
               for k in places]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False,
              fontsize=9)
    ax.set_title(title)
    return ax


def data_quality(quality_frame: Any, *, ax: Axes | None = None) -> Axes:
    """Return horizontal bars of the data-quality counts.

    ``quality_frame``: ``Quality.to_frame()`` of :mod:`diag.readers.orders` — columns ``项目``
    and ``数量`` (``item`` / ``count`` also accepted); non-numeric counts are skipped.
    """
    title = "数据质量"
    df = _frame(quality_frame)
    item, count = _col(df, "项目", "item"), _col(df, "数量", "count")
    if df.empty or item is None or count is None:
        return _no_data(ax, title)
    df = pd.DataFrame({"item": df[item].astype(str), "count": _num(df[count])}).dropna()
    if df.empty:
        return _no_data(ax, title)
    ax = _axes(ax, (8, max(2.5, 0.42 * len(df) + 1.2)))
    y = np.arange(len(df))[::-1]
    ax.barh(y, df["count"], color=PALETTE[0], height=0.6)
    ax.set_yticks(y, df["item"].tolist())
    for yi, v in zip(y, df["count"]):
        ax.annotate(f"{v:,.0f}", (v, yi), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=9)
    ax.set_xlim(0, max(float(df["count"].max()), 1.0) * 1.2)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    ax.set_title(title)
    return ax
