"""Shared pieces of the chart modules: sizes, number formats, data coercion, no-data axes."""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from diag.format import format_yuan_short

SIZE = (8, 4.5)
NO_DATA = "无数据"
_PCT = PercentFormatter(1.0, decimals=0)


# -- helpers ------------------------------------------------------------------------------
def _yuan_tick(value: float, _pos: Any = None, lang: str = "zh") -> str:
    """Return an axis tick in yuan (never two ticks alike).

    Chinese counts in 万 and 亿 (``¥8,000``, ``¥1万``, ``¥1.2万``), English in k and M
    (``¥8,000``, ``¥12k``, ``¥12.5k``, ``¥1.2M``, ``¥1.25M``): whole units when the tick is
    whole, else as many decimals as the tick needs (at most one in Chinese, two in English).
    """
    if abs(value) < 1e4:
        return f"¥{value:,.0f}"
    if lang == "zh":
        unit = 1e8 if abs(value) >= 1e8 else 1e4
        return format_yuan_short(value, digits=0 if round(value / unit, 6) % 1 == 0 else 1)
    unit = 1e6 if abs(value) >= 1e6 else 1e3
    exact = round(value / unit, 6)
    digits = next((d for d in (0, 1) if round(exact, d) == exact), 2)
    return format_yuan_short(value, lang, digits=digits)


_YUAN_AXIS = FuncFormatter(_yuan_tick)
_YUAN_AXIS_EN = FuncFormatter(lambda value, pos=None: _yuan_tick(value, pos, "en"))


def yuan_axis(lang: str = "zh") -> FuncFormatter:
    """Return the tick formatter of a yuan axis in ``lang`` (:func:`_yuan_tick`)."""
    return _YUAN_AXIS if lang == "zh" else _YUAN_AXIS_EN


def _axes(ax: Axes | None, size: tuple[float, float] = SIZE) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _figure(ax: Axes) -> Figure:
    """Return the Figure ``ax`` is on: the charts size and lay out whole figures, so not a SubFigure's axes."""
    figure = ax.figure
    assert isinstance(figure, Figure), "expected the axes of a Figure, not of a SubFigure"
    return figure


def _no_data(ax: Axes | None, title: str, mark: str = NO_DATA) -> Axes:
    ax = _axes(ax)
    ax.set_title(title)
    ax.text(0.5, 0.5, mark, ha="center", va="center", fontsize=14, color="#99a1a6",
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return ax


def _frame(data: Any) -> pd.DataFrame:
    """Return ``data`` (DataFrame, list of dicts, dict of columns) as a DataFrame, or empty."""
    if data is None:
        return pd.DataFrame()
    if isinstance(data, pd.DataFrame):
        return data.copy()
    try:
        return pd.DataFrame(data)
    except (ValueError, TypeError):
        return pd.DataFrame()


def _col(df: pd.DataFrame, *names: str) -> str | None:
    """Return the first of ``names`` that is a column of ``df``."""
    return next((n for n in names if n in df.columns), None)


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _month_labels(values: pd.Series) -> list[str]:
    """Return time labels: the month (``2026-05``) for monthly data, the day for finer data."""
    texts = [str(v) for v in values]
    months = [t[:7] if len(t) >= 7 and t[4] == "-" else t for t in texts]
    if len(set(months)) < len(set(texts)):      # weekly or daily points: months would repeat
        return [t[:10] for t in texts]
    return months


def _time_axis(df: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    when = _col(df, "month", "date", "period", "day")
    labels = _month_labels(df[when]) if when else [str(i + 1) for i in range(len(df))]
    return np.arange(len(df)), labels


def _set_time_ticks(ax: Axes, x: np.ndarray, labels: list[str]) -> None:
    step = max(1, math.ceil(len(labels) / 12))
    ax.set_xticks(x[::step], labels[::step], rotation=45 if len(labels) > 6 else 0,
                  ha="right" if len(labels) > 6 else "center", fontsize=8.5)
