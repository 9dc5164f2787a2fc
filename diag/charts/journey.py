"""Journey charts: the journey map (A4 landscape) and the private-domain funnel."""

from __future__ import annotations

import unicodedata
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.ticker import FuncFormatter

from . import PALETTE

__all__ = ["journey_map", "funnel_chart", "A4_LANDSCAPE"]

A4_LANDSCAPE = (11.69, 8.27)  # inches
PHASE_COLOURS = {"购前": "#dbe9ee", "购中": "#f6e3c8", "购后": "#dcebe1"}
#: Lanes top to bottom: column, Chinese name, height (axis units), background.
LANES = (("touchpoints", "触点", 1.1, "#ffffff"), ("actions", "行为", 0.95, "#ffffff"),
         ("thoughts", "想法", 0.9, "#ffffff"), ("emotion", "情绪", 1.5, "#fbfbfb"),
         ("pain_points", "痛点", 1.1, "#fbecec"), ("opportunities", "机会点", 1.1, "#eaf4ec"),
         ("data", "数据", 1.05, "#f3f3f3"))
TEXT_PT = 7.5
POSITIVE, NEGATIVE, NEUTRAL = "#2e7d5b", "#bc4b51", "#7f7f7f"


def _wrap(text: str, limit: float) -> list[str]:
    """Return ``text`` in lines of at most ``limit`` em (CJK characters count 1, others ~0.55)."""
    lines, line, width = [], "", 0.0
    for ch in text:
        w = 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55
        if width + w > limit and line:
            lines.append(line.rstrip())
            line, width = ("", 0.0) if ch == " " else (ch, w)
            continue
        line, width = line + ch, width + w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _cell_text(items: Any, limit: float, max_items: int = 4, max_lines: int = 2) -> str:
    if isinstance(items, str):
        items = [s for s in items.split("；") if s]
    items = [str(i) for i in (items if isinstance(items, (list, tuple, np.ndarray)) else [])]
    lines = []
    for item in items[:max_items]:
        wrapped = _wrap(item, limit) or [""]
        lines.append("· " + "\n  ".join(wrapped[:max_lines]) + ("…" if len(wrapped) > max_lines else ""))
    if len(items) > max_items:
        lines.append(f"  等 {len(items)} 项")
    return "\n".join(lines)


def journey_map(table: pd.DataFrame, *, ax: Axes | None = None, title: str = "用户旅程地图",
                note: str | None = None) -> Axes:
    """Draw the journey map: stages across, phases above, one lane per row; return the Axes.

    ``table`` is :func:`diag.journey.journey_table`.  Lanes: 触点, 行为, 想法, 情绪 (the
    emotion score -2 … 2 as a curve), 痛点, 机会点, 数据.  Each stage header names its
    source (访谈 / 模板 / 数据).  A new figure is A4 landscape.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=A4_LANDSCAPE)
        fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.02)
    n = len(table)
    label_w = 0.75
    heights = [h for _, _, h, _ in LANES]
    top = sum(heights)
    header_h, phase_h = 0.85, 0.45
    ax.set_xlim(-label_w - 0.05, n + 0.02)
    ax.set_ylim(-0.05, top + header_h + phase_h + 0.05)
    ax.set_axis_off()
    # characters per line of 7.5 pt text that fit a stage column of this Axes
    axes_inches = ax.get_position().width * ax.figure.get_figwidth()
    limit = max(4.0, axes_inches / (n + label_w + 0.07) * 72 / TEXT_PT - 1.6)
    # phases
    start = 0
    phases = list(table["phase"])
    for i in range(1, n + 1):
        if i == n or phases[i] != phases[start]:
            colour = PHASE_COLOURS.get(phases[start], "#eeeeee")
            ax.add_patch(Rectangle((start + 0.02, top + header_h + 0.03), i - start - 0.04, phase_h - 0.06,
                                   facecolor=colour, edgecolor="none"))
            ax.text((start + i) / 2, top + header_h + phase_h / 2, phases[start], ha="center", va="center",
                    fontsize=10, fontweight="bold", color="#3d405b")
            start = i
    # stage headers
    for i, row in enumerate(table.itertuples(index=False)):
        ax.add_patch(FancyBboxPatch((i + 0.05, top + 0.08), 0.9, header_h - 0.16,
                                    boxstyle="round,pad=0.0,rounding_size=0.08",
                                    facecolor=PALETTE[0], edgecolor="none"))
        ax.text(i + 0.5, top + header_h * 0.6, row.stage, ha="center", va="center", fontsize=12,
                fontweight="bold", color="white")
        ax.text(i + 0.5, top + header_h * 0.27, f"来源：{row.source}", ha="center", va="center",
                fontsize=7, color="white")
    # lanes
    y = top
    for column, name, height, background in LANES:
        y -= height
        ax.add_patch(Rectangle((-label_w, y), label_w + n, height, facecolor=background,
                               edgecolor="#d9d9d9", linewidth=0.6))
        ax.text(-label_w / 2, y + height / 2, name, ha="center", va="center", fontsize=10,
                fontweight="bold", color="#3d405b")
        if column == "emotion":
            _emotion_lane(ax, table, y, height)
            continue
        for i, value in enumerate(table[column]):
            text = _cell_text(value, limit, max_items=3 if column == "data" else 4,
                              max_lines=3 if column == "data" else 2)
            ax.text(i + 0.06, y + height - 0.07, text, ha="left", va="top", fontsize=TEXT_PT,
                    color="#222222", linespacing=1.25)
    for i in range(1, n):
        ax.plot([i, i], [0, top], color="#d9d9d9", linewidth=0.6)
    ax.set_title(title, fontsize=14, fontweight="bold", loc="left")
    if note:
        ax.text(n + 0.02, top + header_h + phase_h + 0.05, note, ha="right", va="bottom", fontsize=9.5,
                fontweight="bold",
                color=NEGATIVE)
    return ax


def _emotion_lane(ax: Axes, table: pd.DataFrame, y: float, height: float) -> None:
    """Draw the emotion curve: score -2 … 2 mapped into the lane, labelled with the emotion."""
    pad = 0.28
    def to_y(score: float) -> float:
        return y + pad + (score + 2) / 4 * (height - 2 * pad)
    ax.plot([0, len(table)], [to_y(0)] * 2, color="#bfbfbf", linewidth=0.8, linestyle="--")
    scores = pd.to_numeric(table["score"], errors="coerce")
    xs = np.arange(len(table)) + 0.5
    known = ~scores.isna().to_numpy()
    if known.sum() >= 2:
        ax.plot(xs[known], [to_y(s) for s in scores[known]], color=PALETTE[0], linewidth=2)
    for x, score, emotion in zip(xs, scores, table["emotion"]):
        if pd.isna(score):
            ax.text(x, to_y(0), "未知", ha="center", va="center", fontsize=7.5, color=NEUTRAL)
            continue
        colour = POSITIVE if score > 0 else NEGATIVE if score < 0 else NEUTRAL
        ax.scatter([x], [to_y(score)], s=60, color=colour, zorder=3)
        word = "" if pd.isna(emotion) else str(emotion)
        label = f"{word} {'±0' if score == 0 else f'{score:+.0f}'}".strip()
        offset = -0.2 if score < 0 or score >= 2 else 0.18
        ax.text(x, to_y(score) + offset, label, ha="center", va="center", fontsize=8, color=colour)


def funnel_chart(funnel: pd.DataFrame, *, ax: Axes | None = None, title: str = "私域漏斗") -> Axes:
    """Draw the funnel as horizontal bars with count, conversion and median days; return the Axes.

    ``funnel`` is :func:`diag.journey.funnel`.  Stages without data are drawn as an
    empty outline marked 无数据.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.2))
    counts = pd.to_numeric(funnel["count"], errors="coerce")
    top = counts.max() if counts.notna().any() else 1.0
    ys = np.arange(len(funnel))[::-1]
    for y, row, count in zip(ys, funnel.itertuples(index=False), counts):
        if pd.isna(count):
            ax.barh(y, top * 0.15, color="none", edgecolor=NEUTRAL, hatch="//", linewidth=0.8)
            ax.text(top * 0.17, y, "无数据", va="center", fontsize=9, color=NEUTRAL)
            continue
        ax.barh(y, count, color=PALETTE[0], alpha=0.85)
        text = f"{count:,.0f} 人"
        if not pd.isna(row.conversion):
            text += f" · 转化 {row.conversion:.1%}" if row.conversion <= 1 else " · 高于上一环节（口径不同）"
        if not pd.isna(row.median_days):
            text += f" · 中位 {row.median_days:.0f} 天"
        text += f"（{row.source}）"
        ax.text(count + top * 0.01, y, text, va="center", fontsize=9)
    ax.set_yticks(ys)
    ax.set_yticklabels(funnel["label"])
    ax.set_xlim(0, top * 1.6)
    ax.set_xlabel("人数")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    return ax
