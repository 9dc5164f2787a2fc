"""Plan charts: the roadmap Gantt, the target funnel and the GMV scenarios.

Every function takes its data and ``ax=None`` and returns the Axes it drew on; the
Gantt is sized for a landscape A4 page, the others for a portrait one.  Labels are in
the run's language (``lang``, the ``plan`` message catalogue); saving is :meth:`diag.record.Recorder.figure`'s job.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from diag.charts import PALETTE
from diag.charts._base import yuan_axis
from diag.format import format_yuan_short
from diag.messages import text
from diag.strategy.wording import word

__all__ = ["gantt", "target_funnel", "scenarios"]

_STREAM_COLOURS = {"社群SOP": PALETTE[0], "活动": PALETTE[1], "行动": PALETTE[2], "里程碑": PALETTE[6]}
_SCENARIO_COLOURS = {"现状": PALETTE[5], "保守": PALETTE[3], "基准": PALETTE[0], "乐观": PALETTE[2]}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _no_data(ax: Axes | None, title: str, lang: str = "zh") -> Axes:
    ax = _axes(ax, (8, 3))
    ax.text(0.5, 0.5, text("plan", "no_data", lang), ha="center", va="center", fontsize=14, color="#6b7280",
            transform=ax.transAxes)
    ax.set_axis_off()
    ax.set_title(title)
    return ax


def gantt(plan: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None, lang: str = "zh") -> Axes:
    """Return a Gantt chart of ``plan`` (:func:`diag.strategy.playbook.roadmap`): bars with owners, milestone diamonds.

    Rows top to bottom in the plan's order; colour by stream (社群SOP / 活动 / 行动 /
    里程碑); the owner is written right of each bar; dashed lines mark days 30, 60, 90.
    """
    title = title or text("plan", "gantt_title", lang)
    if plan is None or len(plan) == 0:
        return _no_data(ax, title, lang)
    df = plan.reset_index(drop=True)
    ax = _axes(ax, (11.5, min(7.2, max(4.0, 0.22 * len(df) + 1.4))))  # fits a landscape A4 page
    start0 = pd.Timestamp(min(df["start"]))
    end_max = pd.Timestamp(max(df["end"]))
    for i, row in df.iterrows():
        y = len(df) - 1 - i
        s, e = pd.Timestamp(row["start"]), pd.Timestamp(row["end"]) + pd.Timedelta(days=1)
        colour = _STREAM_COLOURS.get(row["stream"], PALETTE[4])
        if row["milestone"]:
            ax.scatter(mdates.date2num(s + pd.Timedelta(hours=12)), y, marker="D", s=55, color=colour,
                       zorder=3, edgecolor="white")
            x_text = mdates.date2num(s) + 1.4
        else:
            ax.barh(y, mdates.date2num(e) - mdates.date2num(s), left=mdates.date2num(s), height=0.62,
                    color=colour, alpha=0.9, edgecolor="white")
            x_text = mdates.date2num(e) + 0.4
        ax.text(x_text, y, word(str(row["owner"]), lang), va="center", fontsize=7.5, color="#374151")
    for d in (30, 60, 90):
        x = mdates.date2num(start0 + pd.Timedelta(days=d))
        if x <= mdates.date2num(end_max) + 1:
            ax.axvline(x, color="#6b7280", ls="--", lw=0.8)
            ax.text(x, len(df) - 0.3, text("plan", "gantt_day", lang, day=d), ha="center", va="bottom", fontsize=8, color="#6b7280")
    labels = [str(t) if len(str(t)) <= 26 else str(t)[:25] + "…" for t in df["task"]]
    ax.set_yticks(range(len(df)), labels[::-1], fontsize=8)
    ax.set_ylim(-0.7, len(df) + 0.2)
    ax.set_xlim(mdates.date2num(start0) - 1, mdates.date2num(end_max) + 12)
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="y", visible=False)
    handles = [Patch(color=c, label=word(s, lang)) for s, c in _STREAM_COLOURS.items() if s in set(df["stream"])]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=len(handles),
              fontsize=8, frameon=False)
    ax.set_xlabel(text("plan", "gantt_axis", lang))
    ax.set_title(title)
    return ax


def target_funnel(funnel: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                  lang: str = "zh") -> Axes:
    """Return the target funnel as centred horizontal bars (``阶段``, ``人数``, optional ``转化率``).

    Accepts :func:`diag.strategy.playbook.funnel_forward` output or an inverse funnel's
    ``to_frame()`` (``需要人数``).  Bar widths are on a square-root scale so that the
    last stage (often 1% of the first) stays visible; the counts are printed.
    """
    title = title or text("plan", "funnel_title", lang)
    if funnel is None or len(funnel) == 0:
        return _no_data(ax, title, lang)
    count_col = "人数" if "人数" in funnel.columns else "需要人数"
    df = funnel.reset_index(drop=True)
    counts = df[count_col].astype(float)
    top = float(counts.max()) or 1.0
    ax = _axes(ax, (7, 0.9 * len(df) + 1.4))
    for i, (stage, n) in enumerate(zip(df["阶段"], counts)):
        y = len(df) - 1 - i
        width = max((n / top) ** 0.5, 0.04)
        ax.barh(y, width, left=-width / 2, height=0.7, color=PALETTE[i % len(PALETTE)], alpha=0.9)
        ax.text(0, y, text("plan", "funnel_bar", lang, stage=word(stage, lang), count=n), ha="center", va="center", fontsize=10, color="white"
                if width > 0.35 else "#111827", fontweight="bold")
        if "转化率" in df.columns and i > 0:
            ax.text(0.56, y + 0.5, f"× {float(df['转化率'][i]):.1%}", va="center", fontsize=9, color="#374151")
    ax.set_xlim(-0.6, 0.8)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_axis_off()
    ax.set_title(title)
    return ax


def scenarios(table: pd.DataFrame, *, ax: Axes | None = None, current: float | None = None,
              title: str | None = None, lang: str = "zh") -> Axes:
    """Return a bar chart of the GMV scenarios (:func:`diag.strategy.playbook.gmv_scenarios`), with today's GMV.

    ``current`` (today's GMV) is drawn as the first bar; each scenario bar is labelled
    with its GMV and its change against today.
    """
    title = title or text("plan", "scenarios_title", lang)
    if table is None or len(table) == 0:
        return _no_data(ax, title, lang)
    names: list[str] = []
    values: list[float] = []
    if current is None and {"预计GMV", "增量"} <= set(table.columns):
        current = float(table["预计GMV"].iloc[0] - table["增量"].iloc[0])
    if current is not None:
        names.append("现状")
        values.append(float(current))
    names += [str(n) for n in table["情景"]]
    values += [float(v) for v in table["预计GMV"]]
    ax = _axes(ax, (7.5, 4.2))
    colours = [_SCENARIO_COLOURS.get(n, PALETTE[4]) for n in names]
    bars = ax.bar([word(n, lang) for n in names], values, color=colours, width=0.6)
    for bar, name, value in zip(bars, names, values):
        label = format_yuan_short(value, lang)
        if current and name != "现状":
            label += f"\n(+{value / current - 1:.0%})"
        ax.text(bar.get_x() + bar.get_width() / 2, value, label, ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, max(values) * 1.22 if max(values) > 0 else 1)
    ax.yaxis.set_major_formatter(yuan_axis(lang))
    ax.set_ylabel("GMV")
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    return ax
