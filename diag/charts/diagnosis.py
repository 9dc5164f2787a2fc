"""Diagnosis charts (人货场): one function per chart, sized for an A4 page.

Every function takes its data and ``ax=None`` and returns the Axes it drew on (a new
``(8, 4.5)`` figure when ``ax`` is None); :func:`channel_bars` draws two panels and
returns the Figure.  Empty or degenerate input gives an Axes with a centred "无数据"
note, never an exception.  Money is labelled ``¥`` with thousands separators (万 / 亿
above ten thousand); shares are 0–1 floats and print as percent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.container import Container
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from diag.areas.people import segment_name
from diag.charts import PALETTE
from diag.charts._base import (  # noqa: F401
    _PCT,
    _YUAN_AXIS,
    NO_DATA,
    SIZE,
    _axes,
    _col,
    _frame,
    _month_labels,
    _no_data,
    _num,
    yuan_axis,
)

# Scene and benchmark charts live in their own module; re-exported so that every
# diagnosis chart is ``diag.charts.diagnosis.<name>``.
from diag.charts.scene import (  # noqa: F401
    _STATUS_COLOURS,
    _VERDICT_STATUS,
    benchmark_gap,
    channel_bars,
    community_health,
    data_quality,
    service_quality,
)
from diag.format import format_yuan_short
from diag.messages import messages

__all__ = ["gmv_trend", "gmv_driver_tree", "quadrant", "rfm_segments", "rfm_matrix",
           "cohort_heatmap", "repurchase_gap_histogram", "pareto_curve", "channel_bars",
           "community_health", "service_quality", "benchmark_gap", "data_quality",
           "RFM_ORDER"]

#: The standard eight RFM types, best first (the order bars are drawn in).
RFM_ORDER = ("重要价值", "重要唤回", "重要深耕", "重要挽留", "潜力", "新客", "一般维持", "流失")


# -- GMV ------------------------------------------------------------------------------------
def gmv_trend(monthly: Any, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return bars of monthly GMV with the month's buyers as a line on a twin axis.

    ``monthly`` columns: ``month``, ``gmv`` and ``customers`` (or ``buyers``); an optional
    ``new_customers`` is drawn as a dashed line.  The contract's ``monthly`` list of
    dicts works as it is.
    """
    t = messages("charts", lang)
    title = t("gmv_trend.title")
    df = _frame(monthly)
    buyers = _col(df, "customers", "buyers")
    if df.empty or "gmv" not in df or "month" not in df:
        return _no_data(ax, title)
    ax = _axes(ax)
    x = np.arange(len(df))
    gmv = _num(df["gmv"]).fillna(0)
    bars = ax.bar(x, gmv, color=PALETTE[0], width=0.65, label="GMV")
    ax.yaxis.set_major_formatter(yuan_axis(lang))
    ax.set_ylabel("GMV")
    labels = _month_labels(df["month"])
    step = max(1, math.ceil(len(labels) / 12))
    ax.set_xticks(x[::step], labels[::step], rotation=45 if len(labels) > 6 else 0,
                  ha="right" if len(labels) > 6 else "center")
    if len(df) <= 12:
        for xi, v in zip(x, gmv):
            ax.annotate(format_yuan_short(v, lang), (xi, v), ha="center", va="bottom", fontsize=7.5, color="#3d405b",
                        xytext=(0, 2), textcoords="offset points")
    handles: list[Artist | Container] = [bars]
    if buyers:
        twin = ax.twinx()
        twin.grid(False)
        (line,) = twin.plot(x, _num(df[buyers]), color=PALETTE[1], marker="o", lw=2, label=t("gmv_trend.buyers"))
        handles.append(line)
        if "new_customers" in df:
            (new,) = twin.plot(x, _num(df["new_customers"]), color=PALETTE[2], ls="--", marker=".",
                               label=t("gmv_trend.new"))
            handles.append(new)
        twin.set_ylabel(t("gmv_trend.people"))
        twin.set_ylim(bottom=0)
        twin.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(handles=handles, loc="upper left", fontsize=9, frameon=False)
    ax.set_title(title)
    ax.margins(y=0.15)
    return ax


_DRIVER_LABELS = {"gmv": "GMV", "buyers": "购买用户数", "orders_per_buyer": "人均订单数", "aov": "客单价"}


def _driver_values(drivers: Any, previous: Mapping[str, float] | None
                   ) -> dict[str, tuple[float, float | None]]:
    """Return ``{key: (current, previous or None)}`` for gmv and the three drivers."""
    if isinstance(drivers, pd.DataFrame):
        df = drivers.set_index("driver") if "driver" in drivers else drivers
        cur = "period_b" if "period_b" in df else "current"
        prev = "period_a" if "period_a" in df else ("previous" if "previous" in df else None)
        return {k: (float(df.loc[k, cur]), float(df.loc[k, prev]) if prev else None)
                for k in _DRIVER_LABELS if k in df.index}
    if not isinstance(drivers, Mapping):
        return {}
    out = {}
    for key in _DRIVER_LABELS:
        value = drivers.get(key)
        if isinstance(value, Mapping):
            out[key] = (float(value.get("current", np.nan)),
                        None if value.get("previous") is None else float(value["previous"]))
        elif value is not None:
            out[key] = (float(value), None if not previous or previous.get(key) is None
                        else float(previous[key]))
    return out


def gmv_driver_tree(drivers: Any, *, previous: Mapping[str, float] | None = None,
                    ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return a box diagram GMV = 购买用户数 × 人均订单数 × 客单价 with values and changes.

    ``drivers`` is one of:

    * the frame of :func:`diag.areas.gmv.decompose_change` (rows ``driver`` = buyers,
      orders_per_buyer, aov, gmv; columns ``period_a`` (previous), ``period_b`` (current));
    * a mapping ``{gmv, buyers, orders_per_buyer, aov}`` of current values, with the
      previous period's values in ``previous`` (optional);
    * a mapping ``{key: {"current": x, "previous": y}}``.

    A missing ``gmv`` is computed as the product of the drivers.
    """
    t = messages("charts", lang)
    title = t("driver_tree.title")
    try:
        values = _driver_values(drivers, previous)
    except (KeyError, TypeError, ValueError):
        values = {}
    if not all(k in values for k in ("buyers", "orders_per_buyer", "aov")):
        return _no_data(ax, title)
    if "gmv" not in values:
        cur = math.prod(values[k][0] for k in ("buyers", "orders_per_buyer", "aov"))
        prevs = [values[k][1] for k in ("buyers", "orders_per_buyer", "aov")]
        values["gmv"] = (cur, None if None in prevs else math.prod(p for p in prevs if p is not None))
    ax = _axes(ax)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6)
    ax.axis("off")
    fmt = {"gmv": lambda v: format_yuan_short(v, lang), "buyers": lambda v: t("driver_tree.people", value=v),
           "orders_per_buyer": lambda v: t("driver_tree.orders", value=v),
           "aov": lambda v: f"¥{v:,.1f}"}
    boxes = {"gmv": (5, 4.4), "buyers": (1.7, 1.5), "orders_per_buyer": (5, 1.5), "aov": (8.3, 1.5)}
    for key, (cx, cy) in boxes.items():
        cur, prev = values[key]
        main = key == "gmv"
        w, h = (3.4, 1.6) if main else (2.7, 1.6)
        ax.add_patch(FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, boxstyle="round,pad=0.05",
                                    fc=PALETTE[0] if main else "#eef4f6", ec=PALETTE[0], lw=1.5))
        colour = "white" if main else "#2b2b2b"
        ax.text(cx, cy + 0.42, t(f"driver.{key}"), ha="center", va="center", fontsize=11,
                color=colour, fontweight="bold")
        ax.text(cx, cy, fmt[key](cur) if np.isfinite(cur) else "—", ha="center", va="center",
                fontsize=13, color=colour, fontweight="bold")
        if prev is not None and prev != 0 and np.isfinite(prev) and np.isfinite(cur):
            change = cur / prev - 1
            arrow = "▲" if change > 0 else ("▼" if change < 0 else "")
            tone = ("#d9f2e6" if change >= 0 else "#ffd9d9") if main else \
                ("#2f7d5b" if change >= 0 else "#bc4b51")
            ax.text(cx, cy - 0.45, t("driver_tree.change", arrow=arrow, change=change), ha="center", va="center",
                    fontsize=9, color=tone)
    for cx in (1.7, 5, 8.3):
        ax.plot([cx, cx, 5], [2.3, 3.0, 3.0], color="#99a1a6", lw=1)
    ax.plot([5, 5], [3.0, 3.6], color="#99a1a6", lw=1)
    for x in (3.35, 6.65):
        ax.text(x, 1.5, "×", ha="center", va="center", fontsize=18, color="#3d405b")
    ax.set_title(title)
    return ax


def quadrant(points: Any, *, x_split: float, y_split: float, y_label: str | None = None,
             benchmark: Mapping[str, Sequence[float]] | None = None, ax: Axes | None = None,
             lang: str = "zh") -> Axes:
    """Return the value × frequency quadrant with each point labelled and the quadrants named.

    ``points`` columns (or a list of dicts): ``label``, ``purchases_per_year`` (x),
    ``value`` (y: annual spend per customer or AOV, matching ``y_label``) and optional
    ``client`` (bool; the client's point is drawn large and coloured).  ``x_split`` /
    ``y_split`` are the quadrant borders (:class:`diag.industries.quadrant.QuadrantResult`'s
    ``frequency_split`` / ``value_split``).  ``benchmark`` ``{"x": (lo, hi), "y": (lo, hi)}``
    draws the industry's typical box.  Quadrants as in :func:`diag.industries.quadrant.quadrant`:
    high frequency → 刚需高频; low frequency → 刚需低频 (high value) or 小众需求 (low).
    """
    t = messages("charts", lang)
    title = t("quadrant.title")
    y_label = y_label or t("quadrant.y")
    df = _frame(points)
    if df.empty or not {"purchases_per_year", "value"} <= set(df.columns):
        return _no_data(ax, title)
    x, y = _num(df["purchases_per_year"]), _num(df["value"])
    ok = x.notna() & y.notna()
    if not ok.any() or not (np.isfinite(x_split) and np.isfinite(y_split)):
        return _no_data(ax, title)
    ax = _axes(ax)
    bx = list((benchmark or {}).get("x") or [])
    by = list((benchmark or {}).get("y") or [])
    xmax = max([x_split * 2, float(x[ok].max()) * 1.2, 1.0] + [v * 1.1 for v in bx])
    ymax = max([y_split * 2, float(y[ok].max()) * 1.2, 1.0] + [v * 1.1 for v in by])
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, ymax)
    ax.axvline(x_split, color="#3d405b", lw=1.2)
    ax.axhline(y_split, color="#3d405b", lw=1.2)
    # Names sit in the outer corners, away from the split lines where points gather; a
    # name whose corner holds a point moves to the quadrant's corner farthest from them.
    fills = [((0, y_split), x_split, ymax - y_split, t("quadrant.low_frequency"), "#f2cc8f", "left", "top"),
             ((x_split, y_split), xmax - x_split, ymax - y_split, t("quadrant.high_value"), "#81b29a", "right", "top"),
             ((0, 0), x_split, y_split, t("quadrant.niche"), "#e5e7eb", "left", "bottom"),
             ((x_split, 0), xmax - x_split, y_split, t("quadrant.high_low_value"), "#a8d5e2", "right", "bottom")]
    seen = np.column_stack([x[ok] / xmax, y[ok] / ymax])
    for (x0, y0), w, h, name, colour, ha, va in fills:
        ax.add_patch(Rectangle((x0, y0), w, h, fc=colour, alpha=0.25, ec="none", zorder=0))
        ha, va = _free_corner(seen, (x0 / xmax, y0 / ymax, w / xmax, h / ymax), ha, va)
        tx = x0 + xmax * 0.015 if ha == "left" else x0 + w - xmax * 0.015
        ty = y0 + h - ymax * 0.02 if va == "top" else y0 + ymax * 0.02
        ax.text(tx, ty, name, ha=ha, va=va, fontsize=11, color="#3d405b", fontweight="bold", zorder=1)
    if len(bx) == 2 and len(by) == 2:
        ax.add_patch(Rectangle((bx[0], by[0]), bx[1] - bx[0], by[1] - by[0], fill=False, ls="--",
                               ec=PALETTE[6], lw=1.5, zorder=2))
        ax.text(bx[0], by[1], t("quadrant.typical"), ha="left", va="bottom", fontsize=8.5, color=PALETTE[6])
    client = df["client"].fillna(False).astype(bool) if "client" in df else pd.Series(False, index=df.index)
    labels = df["label"].astype(str) if "label" in df else pd.Series("", index=df.index)
    for i in df.index[ok]:
        main = bool(client[i])
        ax.scatter(x[i], y[i], s=160 if main else 50, color=PALETTE[1] if main else PALETTE[4],
                   edgecolor="white", zorder=3)
        right = x[i] > xmax * 0.8          # near the right edge the label goes to the left
        ax.annotate(labels[i], (x[i], y[i]), xytext=(-9 if right else 9, 7), textcoords="offset points",
                    ha="right" if right else "left", va="bottom",
                    fontsize=10 if main else 8.5, fontweight="bold" if main else "normal", zorder=4)
    ax.set_xlabel(t("quadrant.x"))
    ax.set_ylabel(y_label)
    ax.yaxis.set_major_formatter(yuan_axis(lang))
    ax.set_title(title)
    return ax


def _free_corner(points: np.ndarray, box: tuple[float, float, float, float], ha: str, va: str,
                 reach: tuple[float, float] = (0.3, 0.12)) -> tuple[str, str]:
    """Return the (ha, va) corner of ``box`` for a name: the given one unless a point lies
    within ``reach`` of it (axes fractions), else the corner farthest from every point."""
    x0, y0, w, h = box
    corners = {(a, b): (x0 if a == "left" else x0 + w, y0 + h if b == "top" else y0)
               for a in ("left", "right") for b in ("top", "bottom")}

    def crowded(corner: tuple[str, str]) -> bool:
        cx, cy = corners[corner]
        return bool(len(points)) and bool(((abs(points[:, 0] - cx) < reach[0])
                                           & (abs(points[:, 1] - cy) < reach[1])).any())

    if not crowded((ha, va)):
        return ha, va
    free = [c for c in corners if not crowded(c)]
    if free:
        # Prefer the corner that keeps the name at the same side (only the height changes).
        return min(free, key=lambda c: (c[0] != ha, c[1] != va))
    return max(corners, key=lambda c: float(np.min(np.hypot(points[:, 0] - corners[c][0],
                                                           points[:, 1] - corners[c][1]))))


# -- people ---------------------------------------------------------------------------------
def rfm_segments(segment_table: Any, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return horizontal bars of the eight RFM types with customer counts and shares.

    ``segment_table``: a frame with ``segment`` and ``customers`` (optional ``share``), or
    the contract's mapping ``{segment name: customer count}``.  Types are drawn in the
    standard order (:data:`RFM_ORDER`), unknown names after them.
    """
    t = messages("charts", lang)
    title = t("rfm_segments.title")
    if isinstance(segment_table, Mapping):
        segment_table = pd.DataFrame({"segment": list(segment_table),
                                      "customers": list(segment_table.values())})
    df = _frame(segment_table)
    if df.empty or not {"segment", "customers"} <= set(df.columns):
        return _no_data(ax, title)
    df["customers"] = _num(df["customers"]).fillna(0)
    total = df["customers"].sum()
    if total <= 0:
        return _no_data(ax, title)
    share = _num(df["share"]) if "share" in df else df["customers"] / total
    df["share"] = share
    rank = {name: i for i, name in enumerate(RFM_ORDER)}
    df["_order"] = df["segment"].map(lambda s: rank.get(s, len(rank)))
    df = df.sort_values(["_order", "segment"]).reset_index(drop=True)
    ax = _axes(ax)
    y = np.arange(len(df))[::-1]
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(df))]
    ax.barh(y, df["customers"], color=colours, height=0.65)
    ax.set_yticks(y, [segment_name(str(name), lang) for name in df["segment"]])
    for yi, n, s in zip(y, df["customers"], df["share"]):
        ax.annotate(t("rfm_segments.count", count=n, share=s), (n, yi), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=9)
    ax.set_xlabel(t("customers"))
    ax.set_xlim(0, df["customers"].max() * 1.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    ax.set_title(title)
    return ax


def rfm_matrix(rfm: Any, *, value: str = "customers", ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return an R × F heatmap of customer counts (or total ``monetary`` when ``value="monetary"``).

    ``rfm``: one row per customer with an R score (``r_score``, ``R`` or ``r``), an F score
    (``f_score``, ``F`` or ``f``) — small integers, higher is better — and, for
    ``value="monetary"``, a ``monetary`` column (or ``m``/``M``).
    """
    t = messages("charts", lang)
    title = t("rfm_matrix.title" if value != "monetary" else "rfm_matrix.title_monetary")
    df = _frame(rfm)
    r, f = _col(df, "r_score", "R", "r"), _col(df, "f_score", "F", "f")
    m = _col(df, "monetary", "M", "m")
    if df.empty or r is None or f is None or (value == "monetary" and m is None):
        return _no_data(ax, title)
    data = pd.DataFrame({"r": _num(df[r]), "f": _num(df[f]),
                         "v": _num(df[m]) if value == "monetary" else 1.0}).dropna()
    if data.empty:
        return _no_data(ax, title)
    grid = data.pivot_table(index="f", columns="r", values="v", aggfunc="sum", fill_value=0)
    grid = grid.sort_index(ascending=False)
    ax = _axes(ax, (7, 5))
    image = ax.imshow(grid.to_numpy(dtype=float), cmap="Blues", aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [f"R{int(c)}" for c in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [f"F{int(i)}" for i in grid.index])
    peak = float(grid.to_numpy().max()) or 1.0
    for (i, j), v in np.ndenumerate(grid.to_numpy(dtype=float)):
        text = format_yuan_short(v, lang, digits=0) if value == "monetary" else f"{v:,.0f}"
        ax.text(j, i, text, ha="center", va="center", fontsize=8.5,
                color="white" if v > peak * 0.55 else "#2b2b2b")
    ax.set_xlabel(t("rfm_matrix.x"))
    ax.set_ylabel(t("rfm_matrix.y"))
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label=t("monetary") if value == "monetary" else t("customers"))
    ax.set_title(title)
    return ax


def cohort_heatmap(cohort: Any, *, max_months: int = 12, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return the monthly cohort retention heatmap (month 0 … N), each cell annotated in %.

    ``cohort``: a frame indexed by first-purchase month with columns 0, 1, 2, … (shares
    0–1), or the contract's mapping ``{month: [share month 0, 1, …]}``.  At most
    ``max_months`` + 1 columns are drawn.
    """
    t = messages("charts", lang)
    title = t("cohort.title")
    if isinstance(cohort, Mapping):
        rows = {str(k): [float("nan") if x is None else x for x in (v or [])] for k, v in cohort.items()}
        width = max((len(v) for v in rows.values()), default=0)
        cohort = pd.DataFrame.from_dict({k: v + [float("nan")] * (width - len(v)) for k, v in rows.items()},
                                        orient="index")
    df = _frame(cohort)
    if df.empty:
        return _no_data(ax, title)
    values = df.apply(_num).iloc[:, : max_months + 1]
    if values.isna().all().all():
        return _no_data(ax, title)
    ax = _axes(ax, (9, max(3.0, min(7.5, 0.32 * len(values) + 1.6))))
    arr = values.to_numpy(dtype=float)
    # Month 0 is 100% by definition: scale colours to the later months so they stay readable.
    later = arr[:, 1:][np.isfinite(arr[:, 1:])]
    vmax = max(0.05, float(later.max())) if later.size else 1.0
    ax.imshow(np.ma.masked_invalid(arr), cmap="YlGnBu", vmin=0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(arr.shape[1]), [t("cohort.month", n=j) for j in range(arr.shape[1])],
                  fontsize=8.5)
    ax.set_yticks(range(arr.shape[0]), _month_labels(pd.Series(values.index)), fontsize=8.5)
    small = arr.shape[0] > 14 or arr.shape[1] > 10
    for (i, j), v in np.ndenumerate(arr):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=6.5 if small else 8,
                    color="white" if v > vmax * 0.6 else "#2b2b2b")
    ax.set_xlabel(t("cohort.x"))
    ax.set_ylabel(t("cohort.y"))
    ax.grid(False)
    ax.set_title(title)
    return ax


def repurchase_gap_histogram(gaps_days: Any, *, median: float | None = None,
                             ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Return a histogram of days between consecutive purchase days, with the median marked.

    ``gaps_days``: array-like of day counts (NaN ignored).  ``median`` defaults to the
    sample median.  The axis ends at the 98th percentile; longer gaps are gathered in a
    last, grey bar labelled with its lower bound and count.
    """
    t = messages("charts", lang)
    title = t("gaps.title")
    gaps = pd.to_numeric(pd.Series(list(gaps_days) if gaps_days is not None else [], dtype="object"),
                         errors="coerce").dropna().astype(float)
    gaps = gaps[gaps >= 0]
    if gaps.empty:
        return _no_data(ax, title)
    ax = _axes(ax)
    top = float(np.quantile(gaps, 0.98)) if len(gaps) > 20 else float(gaps.max())
    bins = np.linspace(0, max(top, 1.0), 31)
    tail = gaps[gaps > bins[-1]]
    ax.hist(gaps[gaps <= bins[-1]], bins=bins.tolist(), color=PALETTE[0], edgecolor="white")
    if len(tail):
        width = bins[1] - bins[0]
        ax.bar(bins[-1] + width / 2, len(tail), width=width, color=PALETTE[5], edgecolor="white")
        ax.annotate(t("gaps.tail", days=bins[-1], count=len(tail)), (bins[-1] + width / 2, len(tail)),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8.5, color="#3d405b")
    med = float(gaps.median()) if median is None else float(median)
    ax.axvline(med, color=PALETTE[1], lw=2, ls="--")
    ax.annotate(t("gaps.median", days=med), (med, 1), xycoords=("data", "axes fraction"), xytext=(5, -14),
                textcoords="offset points", color=PALETTE[1], fontsize=10, fontweight="bold")
    ax.set_xlabel(t("gaps.x"))
    ax.set_ylabel(t("gaps.y"))
    ax.set_title(title)
    return ax


# -- goods ----------------------------------------------------------------------------------
def pareto_curve(pareto: Any, *, ax: Axes | None = None, a_share: float = 0.8,
                 b_share: float = 0.95, lang: str = "zh") -> Axes:
    """Return the cumulative GMV share by product rank with the A / B / C bands shaded.

    ``pareto``: one row per product with ``gmv`` (sorted here, largest first) or an
    already computed ``cum_share`` (0–1, in rank order).  Bands: A up to ``a_share`` of
    GMV, B up to ``b_share``, C the rest.
    """
    t = messages("charts", lang)
    title = t("pareto.title")
    df = _frame(pareto)
    if df.empty or ("gmv" not in df and "cum_share" not in df):
        return _no_data(ax, title)
    if "gmv" in df:
        gmv = _num(df["gmv"]).fillna(0).sort_values(ascending=False).to_numpy()
        if gmv.sum() <= 0:
            return _no_data(ax, title)
        cum = np.cumsum(gmv) / gmv.sum()
    else:
        cum = _num(df["cum_share"]).dropna().to_numpy()
        if cum.size == 0:
            return _no_data(ax, title)
    n = len(cum)
    rank = np.arange(1, n + 1) / n
    ax = _axes(ax)
    n_a = int(np.searchsorted(cum, a_share - 1e-12) + 1)
    n_b = int(np.searchsorted(cum, b_share - 1e-12) + 1)
    edges = [(0, n_a / n, "A", PALETTE[0]), (n_a / n, min(n_b, n) / n, "B", PALETTE[3]),
             (min(n_b, n) / n, 1.0, "C", PALETTE[5])]
    for lo, hi, name, colour in edges:
        if hi > lo:
            ax.axvspan(lo, hi, color=colour, alpha=0.15, lw=0)
            count = round((hi - lo) * n)
            ax.text((lo + hi) / 2, 0.06, t("pareto.class", name=name, count=count), ha="center", fontsize=9,
                    color="#3d405b")
    ax.plot(np.r_[0, rank], np.r_[0, cum], color=PALETTE[0], lw=2.2)
    ax.axhline(a_share, color="#99a1a6", ls=":", lw=1)
    ax.annotate(t("pareto.head", products=n_a / n, gmv=cum[n_a - 1]), (n_a / n, cum[n_a - 1]),
                xytext=(12, -22), textcoords="offset points", fontsize=9.5,
                arrowprops={"arrowstyle": "->", "color": "#3d405b"})
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(_PCT)
    ax.yaxis.set_major_formatter(_PCT)
    ax.set_xlabel(t("pareto.x", n=n))
    ax.set_ylabel(t("pareto.y"))
    ax.set_title(title)
    return ax
