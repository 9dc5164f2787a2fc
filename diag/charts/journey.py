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

from diag.areas.journey import emotion_word, stage_word
from diag.charts import PALETTE
from diag.charts._base import _figure
from diag.messages import Messages, messages

__all__ = ["journey_map", "funnel_chart", "A4_LANDSCAPE", "REPORT_LANDSCAPE"]

A4_LANDSCAPE = (11.69, 8.27)  # inches
#: The journey map's size in inches: a little inside the area the report gives a
#: landscape figure (the text width of A4 landscape, 25.3 cm, by 82 % of its 16.3 cm
#: text height, i.e. 9.96 × 5.26 in, less the 0.1 in margin the saved PNG gets), so the
#: map prints at its drawn size or slightly larger and TEXT_PT is the size on paper.
REPORT_LANDSCAPE = (9.7, 5.1)
PHASE_COLOURS = {"购前": "#dbe9ee", "购中": "#f6e3c8", "购后": "#dcebe1"}
#: Lanes top to bottom: column (its name: ``map.<column>`` in the ``journey`` catalogue), background.
LANES = (("touchpoints", "#ffffff"), ("actions", "#ffffff"), ("thoughts", "#ffffff"), ("emotion", "#fbfbfb"),
         ("pain_points", "#fbecec"), ("opportunities", "#eaf4ec"), ("data", "#f3f3f3"))
TEXT_PT = 7.5
LINE_SPACING = 1.25
POSITIVE, NEGATIVE, NEUTRAL = "#2e7d5b", "#bc4b51", "#7f7f7f"
#: Heights in points of the map's fixed parts.
PHASE_PT, HEADER_PT, EMOTION_PT, LANE_PAD_PT = 17.0, 32.0, 50.0, 3.5
#: Per lane: items shown and lines per item at most, before the map is short of room.
LANE_LIMITS = {"data": (3, 3)}
DEFAULT_LIMITS = (4, 2)

# Line breaking (kinsoku): a line never starts with closing punctuation nor ends with
# an opening bracket; text is broken after a phrase separator where the phrase fits.
_NO_LINE_START = set("）)」』】〕，,。.、；;：:！!？?%…·")
_NO_LINE_END = set("（(「『【〔")
_PHRASE_END = set("，,；;、：:")
_char_widths: dict[str, float] = {}


def _em(text: str) -> float:
    """Return the printed width of ``text`` in em of the chart font (glyph advances, cached)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    total = 0.0
    for ch in text:
        if ch not in _char_widths:
            width, _, _ = text_to_path.get_text_width_height_descent(ch, FontProperties(size=10), ismath=False)
            _char_widths[ch] = width / 10
        total += _char_widths[ch]
    return total


def _atoms(text: str) -> list[str]:
    """Return ``text`` cut into pieces that may not be broken: a CJK character, a Latin word
    or number (``1,814``, ``10.8%``), a space; punctuation glued to its neighbour."""
    pieces: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if pieces and (ch in _NO_LINE_START or pieces[-1][-1] in _NO_LINE_END):
            pieces[-1] += ch
        elif (pieces and not wide and not ch.isspace() and not pieces[-1][-1].isspace()
              and unicodedata.east_asian_width(pieces[-1][-1]) not in ("W", "F")):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def _wrap(text: str, limit: float) -> list[str]:
    """Return ``text`` in lines at most ``limit`` em wide, broken at sensible points.

    A phrase (up to ，、；：) that would not fit on the current line but fits on a line
    of its own starts a new line; otherwise lines break between characters or words,
    never before closing punctuation (``）``, ``，``, ``%``) or after an opening bracket.
    A last line of a character or two is avoided by narrowing the lines (same count).
    """
    lines = _fill(text, limit)
    if len(lines) > 1 and _em(lines[-1]) < 0.3 * limit:
        narrower = limit
        while narrower > limit / 2 and len(_fill(text, narrower - 0.5)) == len(lines):
            narrower -= 0.5
        lines = _fill(text, narrower)
    return lines


def _fill(text: str, limit: float) -> list[str]:
    """Return ``text`` filled greedily into lines of at most ``limit`` em (see :func:`_wrap`)."""
    phrases, phrase = [], ""
    for i, ch in enumerate(text):
        phrase += ch
        if ch in _PHRASE_END and not text[i + 1:i + 2].isdigit():  # 5,547 is one number, not two phrases
            phrases.append(phrase)
            phrase = ""
    if phrase:
        phrases.append(phrase)
    lines, line = [], ""
    for phrase in phrases:
        if line and _em(line + phrase.rstrip()) > limit and _em(phrase.strip()) <= limit:
            lines.append(line.rstrip())
            line = ""
        for atom in _atoms(phrase):
            if not line and atom.isspace():
                continue
            if line and _em(line + atom.rstrip()) > limit:
                lines.append(line.rstrip())
                line = "" if atom.isspace() else atom
            else:
                line += atom
            while _em(line) > limit and len(line) > 1:  # a word longer than a line
                cut = max(i for i in range(1, len(line)) if _em(line[:i]) <= limit or i == 1)
                lines.append(line[:cut])
                line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


#: Continuation lines start under the text after the bullet "· " (about three spaces).
_INDENT = "   "


def _items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [s for s in value.split("；") if s]
    return [str(i) for i in (value if isinstance(value, (list, tuple, np.ndarray)) else [])]


def _cell_lines(items: list[str], limit: float, max_items: int, max_lines: int, room: int,
                more: str) -> list[str]:
    """Return the lines of one cell: bullets, wrapped items, and ``more`` (等 {n} 项) when not all fit in ``room`` lines."""
    lines: list[str] = []
    for k, item in enumerate(items[:max_items]):
        wrapped = _wrap(item, limit - _em("· ")) or [""]
        if len(wrapped) > max_lines:
            wrapped = wrapped[:max_lines]
            wrapped[-1] = wrapped[-1][:-1] + "…" if _em(wrapped[-1] + "…") > limit - _em("· ") else wrapped[-1] + "…"
        shown = ["· " + wrapped[0]] + [_INDENT + w for w in wrapped[1:]]
        remaining = len(items) - k - 1
        if len(lines) + len(shown) + (1 if remaining else 0) > room:
            if lines or room < len(shown):
                lines.append(_INDENT + more.format(n=len(items)))
                return lines if len(lines) <= room else lines[:room - 1] + [_INDENT + more.format(n=len(items))]
        lines.extend(shown)
    if len(items) > max_items:
        lines.append(_INDENT + more.format(n=len(items)))
    return lines


def journey_map(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                note: str | None = None, lang: str = "zh") -> Axes:
    """Draw the journey map: stages across, phases above, one lane per row; return the Axes.

    ``table`` is :func:`diag.areas.journey.journey_table`.  Lanes: 触点, 行为, 想法, 情绪 (the
    emotion score -2 … 2 as a curve), 痛点, 机会点, 数据.  Each stage header names its
    source (访谈 / 模板 / 数据).  A new figure is :data:`REPORT_LANDSCAPE`, the size the
    report prints it, so lane text prints at :data:`TEXT_PT`.  Lanes are as tall as
    their longest cell; when the page is short of room the tallest lanes show fewer
    lines and end with 等 N 项.  Its own words (title, lanes, stages, phases, sources,
    emotions) are in ``lang``; the lanes' texts as written.
    """
    t = messages("journey", lang)
    more = t("chart.more", n="{n}")
    title = t("map_title") if title is None else title
    if ax is None:
        fig, ax = plt.subplots(figsize=REPORT_LANDSCAPE)
        fig.subplots_adjust(left=0.005, right=0.995, top=1 - 24 / (REPORT_LANDSCAPE[1] * 72), bottom=0.005)
    n = len(table)
    label_w = 0.45
    box = ax.get_position()
    figure = _figure(ax)
    width_pt = box.width * figure.get_figwidth() * 72
    height_pt = box.height * figure.get_figheight() * 72
    column_pt = width_pt / (n + label_w + 0.07)
    limit = max(4.0, (column_pt * 0.92 - 2) / TEXT_PT)  # em of lane text per stage column
    line_pt = TEXT_PT * LINE_SPACING
    ax.set_xlim(-label_w - 0.05, n + 0.02)
    ax.set_ylim(0, height_pt)  # y in points of the printed figure
    ax.set_axis_off()

    # lane heights: as many lines as the longest cell, fewer when the page is short of room
    text_lanes = [lane for lane, _ in LANES if lane != "emotion"]
    rows = {lane: [_items(v) for v in table[lane]] for lane in text_lanes}
    limits = {lane: LANE_LIMITS.get(lane, DEFAULT_LIMITS) for lane in text_lanes}
    available = height_pt - PHASE_PT - HEADER_PT - EMOTION_PT - 2
    room = {lane: 99 for lane in text_lanes}

    def needed(lane: str) -> int:
        return max([len(_cell_lines(items, limit, *limits[lane], room[lane], more)) for items in rows[lane]] + [1])

    lines = {lane: needed(lane) for lane in text_lanes}
    while sum(lines.values()) * line_pt + len(text_lanes) * 2 * LANE_PAD_PT > available:
        tallest = max(text_lanes, key=lambda lane: lines[lane])
        if lines[tallest] <= 2:
            break
        room[tallest] = lines[tallest] - 1
        lines[tallest] = needed(tallest)
    spare = max(0.0, available - sum(lines.values()) * line_pt - len(text_lanes) * 2 * LANE_PAD_PT)
    heights = {lane: lines[lane] * line_pt + 2 * LANE_PAD_PT + spare / (len(text_lanes) + 1) for lane in text_lanes}
    heights["emotion"] = EMOTION_PT + spare / (len(text_lanes) + 1)
    top = sum(heights.values())

    # phases
    phase_y = top + HEADER_PT
    start = 0
    phases = list(table["phase"])
    for i in range(1, n + 1):
        if i == n or phases[i] != phases[start]:
            colour = PHASE_COLOURS.get(phases[start], "#eeeeee")
            ax.add_patch(Rectangle((start + 0.02, phase_y + 2), i - start - 0.04, PHASE_PT - 4,
                                   facecolor=colour, edgecolor="none"))
            ax.text((start + i) / 2, phase_y + PHASE_PT / 2, stage_word(phases[start], lang), ha="center", va="center",
                    fontsize=9.5, fontweight="bold", color="#3d405b")
            start = i
    # stage headers
    for i, row in enumerate(table.itertuples(index=False)):
        ax.add_patch(FancyBboxPatch((i + 0.04, top + 2.5), 0.92, HEADER_PT - 5,
                                    boxstyle="round,pad=0.0,rounding_size=0.06", mutation_aspect=40,
                                    facecolor=PALETTE[0], edgecolor="none"))
        ax.text(i + 0.5, top + HEADER_PT * 0.62, stage_word(row.stage, lang), ha="center", va="center", fontsize=11,
                fontweight="bold", color="white")
        ax.text(i + 0.5, top + HEADER_PT * 0.27, t("chart.source", source=stage_word(row.source, lang)),
                ha="center", va="center",
                fontsize=TEXT_PT, color="white")
    # lanes
    y = top
    for column, background in LANES:
        name = t(f"map.{column}")
        height = heights[column]
        y -= height
        ax.add_patch(Rectangle((-label_w, y), label_w + n, height, facecolor=background,
                               edgecolor="#d9d9d9", linewidth=0.6))
        ax.text(-label_w / 2, y + height / 2, name, ha="center", va="center", fontsize=9,
                fontweight="bold", color="#3d405b")
        if column == "emotion":
            _emotion_lane(ax, table, y, height, t)
            continue
        for i, items in enumerate(rows[column]):
            cell = "\n".join(_cell_lines(items, limit, *limits[column], room[column], more))
            ax.text(i + 0.04, y + height - LANE_PAD_PT, cell, ha="left", va="top", fontsize=TEXT_PT,
                    color="#222222", linespacing=LINE_SPACING)
    for i in range(1, n):
        ax.plot([i, i], [0, top], color="#d9d9d9", linewidth=0.6)
    ax.set_title(title, fontsize=12, fontweight="bold", loc="left")
    if note:
        ax.text(n + 0.02, height_pt + 3, note, ha="right", va="bottom", fontsize=9, fontweight="bold",
                color=NEGATIVE)
    return ax


def _emotion_lane(ax: Axes, table: pd.DataFrame, y: float, height: float, t: Messages) -> None:
    """Draw the emotion curve: score -2 … 2 mapped into the lane (y in points), labelled with the emotion."""
    pad = 13.0  # room for a label above the highest and below the lowest point

    def to_y(score: float) -> float:
        return y + pad + (score + 2) / 4 * (height - 2 * pad)

    ax.plot([0, len(table)], [to_y(0)] * 2, color="#bfbfbf", linewidth=0.8, linestyle="--")
    scores = pd.to_numeric(table["score"], errors="coerce")
    xs = np.arange(len(table)) + 0.5
    known = ~scores.isna().to_numpy()
    if known.sum() >= 2:
        ax.plot(xs[known], [to_y(s) for s in scores[known]], color=PALETTE[0], linewidth=1.8)
    for x, score, emotion in zip(xs, scores, table["emotion"]):
        if pd.isna(score):
            ax.text(x, to_y(0), t("chart.unknown"), ha="center", va="center", fontsize=7.5, color=NEUTRAL)
            continue
        colour = POSITIVE if score > 0 else NEGATIVE if score < 0 else NEUTRAL
        ax.scatter([x], [to_y(score)], s=40, color=colour, zorder=3)
        word = emotion_word(emotion, t.lang)
        shown = "±0" if score == 0 else f"{score:+.0f}" if float(score).is_integer() else f"{score:+.1f}"
        offset = -8.5 if score < 0 or score >= 2 else 8.5
        ax.text(x, to_y(score) + offset, f"{word} {shown}".strip(), ha="center", va="center", fontsize=8,
                color=colour)


def funnel_chart(funnel: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                 lang: str = "zh") -> Axes:
    """Draw the funnel as horizontal bars with count, conversion and median days; return the Axes.

    ``funnel`` is :func:`diag.areas.journey.funnel`.  Stages without data are drawn as an
    empty outline marked 无数据.  The x axis is widened until every label ends inside
    the frame; a label that would squeeze the bars is put on two lines.  Words in ``lang``.
    """
    t = messages("journey", lang)
    english = lang != "zh"
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.2))
    counts = pd.to_numeric(funnel["count"], errors="coerce")
    top = counts.max() if counts.notna().any() else 1.0
    ys = np.arange(len(funnel))[::-1]
    labels = []
    for y, row, count in zip(ys, funnel.itertuples(index=False), counts):
        if pd.isna(count):
            ax.barh(y, top * 0.15, color="none", edgecolor=NEUTRAL, hatch="//", linewidth=0.8)
            labels.append((top * 0.17, ax.text(top * 0.17, y, t("no_data"), va="center", fontsize=9, color=NEUTRAL)))
            continue
        ax.barh(y, count, color=PALETTE[0], alpha=0.85)
        parts = [t("chart.people", count=count)]
        if not pd.isna(row.conversion):
            parts.append(t("data.conversion", value=row.conversion) if row.conversion <= 1 else t("chart.unverified"))
        if not pd.isna(row.median_days):
            basis = t(f"basis.{row.stage}") if english else getattr(row, "days_basis", "")
            parts.append(t("data.median", basis=basis, days=row.median_days))
        text = " · ".join(parts) + t("chart.source_suffix", source=stage_word(row.source, lang))
        labels.append((count + top * 0.01, ax.text(count + top * 0.01, y, text, va="center", fontsize=9)))
    ax.set_yticks(ys)
    ax.set_yticklabels([t(f"stage.{key}") for key in funnel["stage"]] if english else funnel["label"])
    ax.set_xlabel(t("funnel.count"))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(t("funnel_title") if title is None else title)
    ax.grid(axis="y", visible=False)
    _fit_labels(ax, labels, top)
    return ax


def _fit_labels(ax: Axes, labels: list[tuple[float, Any]], top: float) -> None:
    """Set the x limit so that each label (its start in data units, its Text) ends inside the frame.

    A label that would need the axis wider than 1.6 × the longest bar (the bars would
    shrink) goes on two lines, broken at its last `` · ``.
    """
    # Agg canvases (the kit's backend, and Jupyter's inline one) have get_renderer; the base class does not.
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer).width

    def needed(start: float, label: Any) -> float:
        share = label.get_window_extent(renderer).width / frame
        # the label ends at start / right + share of the frame; keep 2 % free
        return start / (0.98 - share) if share < 0.93 else np.inf

    right = top * 1.05
    for start, label in labels:
        need = needed(start, label)
        if need > top * 1.6 and " · " in label.get_text():
            head, _, tail = label.get_text().rpartition(" · ")
            label.set_text(f"{head}\n{tail}")
            need = needed(start, label)
        right = max(right, need if np.isfinite(need) else top * 1.6)
    ax.set_xlim(0, right)
