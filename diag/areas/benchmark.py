"""Benchmark gap: each measured metric against the industry template's range, in yuan.

The template (``diag.industries.registry.load_industry``) gives a ``[low, high]`` range per
metric with its source and confidence.  :func:`benchmark_gaps` places each measured
value below, within or above its range and estimates the GMV the client would add if
the metric reached the range's middle, holding every other metric where it is.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import pandas as pd

from diag import catalog
from diag.format import format_number
from diag.industries.registry import METRICS
from diag.messages import messages, text

__all__ = ["benchmark_gaps", "number_or_none", "LOWER_IS_BETTER", "STATUS_LOW", "STATUS_OK", "STATUS_HIGH",
           "STATUS_NONE", "VERDICT_KEYS", "gaps_display", "label_in", "method_in"]

STATUS_LOW, STATUS_OK, STATUS_HIGH, STATUS_NONE = "低于", "达标", "高于", "无数据"

#: Metrics where a smaller number is the better one (the catalogue's direction).
LOWER_IS_BETTER = frozenset(k for k in METRICS if catalog.metric(k).direction == "lower")

_NO_PATH = "无直接GMV路径: 它影响转化与复购, 效果体现在其他指标上"

COLUMNS = ["metric", "label", "value", "low", "high", "mid", "unit", "status", "better",
           "uplift", "uplift_model", "reason", "source", "confidence"]


def number_or_none(value: Any) -> float | None:
    """Return ``value`` as a finite float, or None (missing, text, bool, NaN, infinity)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _status(value: float | None, low: float, high: float) -> str:
    if value is None:
        return STATUS_NONE
    if value < low:
        return STATUS_LOW
    if value > high:
        return STATUS_HIGH
    return STATUS_OK


def _better(metric: str, value: float | None, low: float, high: float) -> str:
    """Return 落后 / 达标 / 领先 in the metric's good direction."""
    if value is None:
        return STATUS_NONE
    if low <= value <= high:
        return "达标"
    worse = value > high if metric in LOWER_IS_BETTER else value < low
    return "落后" if worse else "领先"


#: The message keys of the reasons :func:`benchmark_gaps` writes when it has no estimate.
_REASONS = ("not_measured", "aov_zero", "orders_per_customer_zero", "purchase_days_per_customer_zero", "cycle_zero",
            "needs_group_members", "needs_reached", "needs_requests", "needs_conversion")

#: The kit's words in the templates' benchmark sources, worded in the run's language by :func:`gaps_display`.
_SOURCE_PHRASES = ("estimate", "estimate_short", "vendor", "case")


def _model(metric: str, lang: str = "zh") -> str:
    """The uplift model of ``metric`` as the benchmark table prints it."""
    return text("diagnosis", f"uplift_model.{metric}", lang, label=_label(metric, lang))


def _reason(key: str, lang: str = "zh") -> str:
    return text("diagnosis", f"reason.{key}", lang)


def _label(metric: str, lang: str) -> str:
    return catalog.label(metric, lang) if lang == "en" and catalog.known(metric) else METRICS.get(metric, metric)


def label_in(metric: str, lang: str = "zh", shown: str | None = None) -> str:
    """Return a benchmark metric's name in ``lang``: in Chinese ``shown`` (the gap table's label) when given,
    in English the metric catalogue's label."""
    return shown if lang == "zh" and shown is not None else _label(metric, lang)


def method_in(row: Any, lang: str = "zh") -> str:
    """Return how a gap row's GMV uplift is estimated, or why it has none, in ``lang`` (``row`` has
    ``metric``, ``uplift_model`` and ``reason``)."""
    if lang == "zh":
        return row.uplift_model or row.reason
    if row.uplift_model:
        return _model(row.metric, lang)
    reasons = {_reason(key): key for key in _REASONS}
    if row.reason in reasons:
        return text("diagnosis", f"reason.{reasons[row.reason]}", lang)
    key = VERDICT_KEYS.get(row.reason) if isinstance(row.reason, str) else None
    return row.reason if key is None else text("diagnosis", f"verdict.{key}", lang)


def _uplift(metric: str, value: float, mid: float, measured: Mapping[str, Any], *, gmv: float,
            customers: int, orders: int, group_members: int | None, reached: int | None,
            requests: int | None, conversion: float | None) -> tuple[float | None, str, str]:
    """Return (uplift in yuan or None, model text, reason when None)."""
    aov = gmv / orders if orders else 0.0
    repeat_gmv = gmv * (orders - customers) / orders if orders else 0.0
    if metric == "aov":
        return (gmv * (mid / value - 1) if value > 0 else None,
                _model(metric), "" if value > 0 else _reason("aov_zero"))
    if metric in ("orders_per_customer", "purchase_days_per_customer"):
        return (gmv * (mid / value - 1) if value > 0 else None,
                _model(metric), "" if value > 0 else _reason(f"{metric}_zero"))
    if metric == "repurchase_rate":
        repeaters = value * customers
        per_repeater = (orders - customers) / repeaters if repeaters > 0 else 1.0
        return (customers * (mid - value) * per_repeater * aov,
                _model(metric), "")
    if metric == "repurchase_rate_90d":
        return (customers * (mid - value) * aov,
                _model(metric), "")
    if metric == "median_repurchase_days":
        if mid <= 0 or value <= 0:
            return None, "", _reason("cycle_zero")
        return (repeat_gmv * (value / mid - 1),
                _model(metric), "")
    if metric == "group_conversion":
        if not group_members:
            return None, "", _reason("needs_group_members")
        return (group_members * (mid - value) * aov, _model(metric), "")
    if metric in ("add_rate", "friend_accept_rate"):
        base, need = (reached, "needs_reached") if metric == "add_rate" else (requests, "needs_requests")
        if not base:
            return None, "", _reason(need)
        if conversion is None:
            return None, "", _reason("needs_conversion")
        return (base * (mid - value) * conversion * aov, _model(metric), "")
    if metric == "k_factor":
        return (customers * (mid - value) * aov,
                _model(metric), "")
    return None, "", _NO_PATH


def benchmark_gaps(measured: Mapping[str, Any], template: Mapping[str, Any], *, gmv: float,
                   customers: int, orders: int, group_members: int | None = None,
                   reached: int | None = None, requests: int | None = None) -> pd.DataFrame:
    """Return one row per template benchmark: the measured value against its range and the GMV at stake.

    Parameters
    ----------
    measured : mapping
        Measured metrics by the common vocabulary (``aov``, ``repurchase_rate``, …);
        shares are 0–1.  A missing or ``None`` value gives status ``无数据``.
    template : mapping
        An industry template (``diag.industries.registry.load_industry``); its ``benchmarks``.
    gmv, customers, orders : number
        The period's GMV (yuan), distinct buyers and valid orders (``diag metrics``).
    group_members, reached, requests : int, optional
        Community members, people reached and friend requests, for the metrics whose
        GMV path runs through them.

    Returns
    -------
    DataFrame
        Columns ``metric, label, value, low, high, mid, unit, status, better, uplift,
        uplift_model, reason, source, confidence``.  ``status`` is the value's position
        (低于 / 达标 / 高于 / 无数据); ``better`` reads it in the metric's good direction
        (落后 / 达标 / 领先; lower is better for repurchase days, reply minutes and
        deletion rate).  ``uplift`` is the GMV change in yuan if the metric moved to the
        range's middle ``mid = (low + high) / 2`` with all other metrics held; it is
        clipped at 0 (a metric already past the middle is not asked to get worse) and
        ``None`` with a ``reason`` when no GMV path or input exists.

    Notes
    -----
    Uplift models, with ``aov = gmv ÷ orders``:

    - aov: ``gmv × (mid ÷ aov − 1)``.
    - orders_per_customer, purchase_days_per_customer: ``gmv × (mid ÷ value − 1)``.
    - repurchase_rate: extra repeat customers ``customers × (mid − rate)`` × repeat
      orders per current repeater ``(orders − customers) ÷ (rate × customers)`` (1 when
      there are no repeaters) × aov.
    - repurchase_rate_90d: ``customers × (mid − rate)`` extra repeaters × 1 order × aov.
    - median_repurchase_days: repeat GMV ``gmv × (orders − customers) ÷ orders`` ×
      ``(days ÷ mid − 1)`` — a shorter cycle repeats proportionally more often.
    - group_conversion: ``group_members × (mid − rate) × aov``.
    - add_rate / friend_accept_rate: ``reached`` (or ``requests``) × ``(mid − rate)`` ×
      community conversion (measured, else the template's middle) × aov.
    - k_factor: ``customers × (mid − k)`` extra referred customers × 1 order × aov.
    - group_active_share, member_activity, reply_rate, avg_reply_minutes,
      deletion_rate, net_member_growth: no direct GMV path (uplift ``None``).
    """
    benchmarks: Mapping[str, Any] = template.get("benchmarks", {})
    conversion = number_or_none(measured.get("group_conversion"))
    if conversion is None and "group_conversion" in benchmarks:
        b = benchmarks["group_conversion"]
        conversion = (b["low"] + b["high"]) / 2
    rows = []
    for metric, b in benchmarks.items():
        low, high = float(b["low"]), float(b["high"])
        mid = (low + high) / 2
        value = number_or_none(measured.get(metric))
        status = _status(value, low, high)
        uplift: float | None = None
        model, reason = "", ""
        if value is None:
            reason = _reason("not_measured")
        else:
            uplift, model, reason = _uplift(metric, value, mid, measured, gmv=float(gmv),
                                            customers=int(customers), orders=int(orders),
                                            group_members=group_members, reached=reached,
                                            requests=requests, conversion=conversion)
            if uplift is not None:
                uplift = max(0.0, uplift)
        rows.append({"metric": metric, "label": METRICS.get(metric, metric), "value": value,
                     "low": low, "high": high, "mid": mid, "unit": b.get("unit", ""),
                     "status": status, "better": _better(metric, value, low, high),
                     "uplift": uplift, "uplift_model": model, "reason": reason,
                     "source": b.get("source", "行业经验估计（可编辑）"),
                     "confidence": b.get("confidence", "低")})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["uplift"] = frame["uplift"].astype("Float64")
    return frame


def _source_phrase(key: str) -> str:
    return text("diagnosis", f"source_phrase.{key}", "zh")


def _fmt(value: Any, unit: str) -> str:
    """A template value in its unit: shares and yuan as such, anything else with one decimal."""
    money_or_share = unit in ("share", "yuan")
    return format_number(value, unit if money_or_share else "ratio", digits=None if money_or_share else 1)


#: Message keys of the verdicts :func:`benchmark_gaps` writes in ``status`` and ``better``.
VERDICT_KEYS = {STATUS_LOW: "below", STATUS_OK: "within", STATUS_HIGH: "above", STATUS_NONE: "no_data",
                "落后": "behind", "领先": "ahead", _NO_PATH: "no_path"}


def gaps_display(gaps: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the gap table with headers, positions and verdicts in ``lang`` and formatted values, for the report.

    In Chinese, labels, uplift models, sources and confidences are printed as the benchmark gives them; in
    English, labels come from the metric catalogue and the models, reasons, the kit's words in the sources
    and the confidences from the diagnosis catalogue (article titles stay as written).
    """
    t = messages("diagnosis", lang)

    def word(value: Any) -> Any:
        key = VERDICT_KEYS.get(value) if isinstance(value, str) else None
        return value if key is None or lang == "zh" else t(f"verdict.{key}")

    def source(value: str) -> str:
        for key in _SOURCE_PHRASES if lang == "en" else ():
            value = value.replace(_source_phrase(key), t(f"source_phrase.{key}"))
        return value[:1].upper() + value[1:] if lang == "en" else value

    def confidence(value: str) -> str:
        return value if lang == "zh" else t(f"confidence.{value}")

    rows = []
    for r in gaps.itertuples(index=False):
        uplift = r.uplift
        rows.append({t("gaps.label"): r.label if lang == "zh" else _label(r.metric, lang), t("gaps.value"): _fmt(r.value, r.unit),
                     t("gaps.range"): f"{_fmt(r.low, r.unit)}–{_fmt(r.high, r.unit)}",
                     t("gaps.status"): word(r.status), t("gaps.better"): word(r.better),
                     t("gaps.uplift"): "—" if pd.isna(uplift) else f"¥{uplift:,.0f}",
                     t("gaps.method"): method_in(r, lang),
                     t("gaps.source"): source(r.source), t("gaps.confidence"): confidence(r.confidence)})
    return pd.DataFrame(rows)
