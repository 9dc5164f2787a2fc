"""Numbers too strange to believe: flag them, ask about them, never praise or reuse them.

Pure functions.  A flag is ``{metric, label, value, reason, question, inputs}`` and is
recorded in ``sections.diagnosis.data.flags``.  Three rules:

* a rate bounded by definition (a share, unit ``share``) above 100 %;
* a metric beyond :data:`FAR` × its benchmark's high end, or below its low end ÷ :data:`FAR`;
* a model fit at a parameter boundary: P(alive) equal for every customer, or predicted
  spend equal within :data:`EQUAL_SPREAD` (the BG/NBD / Gamma-Gamma fit degenerated, so
  its per-customer lists say nothing).

A flagged metric leaves the benchmark comparison (:func:`mask_flagged`): it is shown as
数据待核实, not as 领先 nor 落后, and no action or KPI quotes it.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import pandas as pd

from diag import catalog
from diag.areas.benchmark import number_or_none
from diag.areas.journey import stage_word
from diag.format import format_number
from diag.industries.registry import METRICS
from diag.messages import messages
from diag.messages import text as _text

__all__ = ["FAR", "EQUAL_SPREAD", "metric_flags", "fit_flags", "funnel_flags", "mask_flagged",
           "flagged_metrics", "flags_display", "flag_words", "UNVERIFIED", "churn_window", "recency_at_risk"]

FAR = 3.0
EQUAL_SPREAD = 0.02
UNVERIFIED = "数据待核实"

#: What each measured metric is computed from (named in the flag, so the client can check both):
#: the catalogue's definition.
INPUTS: dict[str, str] = {metric: catalog.definition(metric) for metric in METRICS}




def _journey_text(key: str, lang: str) -> str:
    """Return a journey-catalogue word (a funnel stage) in ``lang``."""
    return _text("journey", key, lang)


def _show(value: float, unit: str) -> str:
    return format_number(value, "share" if unit == "share" else "ratio")


def metric_flags(measured: Mapping[str, Any], benchmarks: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return a flag for each measured metric that is impossible or far outside its benchmark."""
    out = []
    for metric, b in benchmarks.items():
        value = number_or_none(measured.get(metric))
        if value is None:
            continue
        unit, low, high = b.get("unit", ""), float(b["low"]), float(b["high"])
        name = METRICS.get(metric, metric)
        inputs = INPUTS.get(metric, "")
        reason = None
        if unit == "share" and value > 1:
            reason = f"按定义不能超过 100%，实测 {_show(value, unit)}"
        elif high > 0 and value > FAR * high:
            reason = (f"实测 {_show(value, unit)}，超过行业区间上限 {_show(high, unit)} 的 {FAR:g} 倍"
                      f"（区间 {_show(low, unit)}–{_show(high, unit)}）")
        elif low > 0 and value < low / FAR:
            reason = (f"实测 {_show(value, unit)}，不到行业区间下限 {_show(low, unit)} 的 1/{FAR:g}"
                      f"（区间 {_show(low, unit)}–{_show(high, unit)}）")
        if reason:
            rule = "share_above_one" if unit == "share" and value > 1 else \
                ("far_above" if high > 0 and value > FAR * high else "far_below")
            out.append({"metric": metric, "label": name, "value": value, "shown": _show(value, unit),
                        "reason": reason, "inputs": inputs,
                        "question": f"{name}的两个口径是否一致：{inputs or '请说明计算所用的数据'}？"
                                    "分子与分母是否来自同一时期、同一批顾客？",
                        "kind": "metric", "fields": {"rule": rule, "unit": unit, "low": low, "high": high}})
    return out


#: Shape parameters of the BG/NBD (r, α, a, b) and Gamma-Gamma (p, q) fits; one at the
#: optimiser's lower bound means the data could not pin it down.
SHAPE_PARAMS = ("r", "alpha", "a", "b", "p", "q")
BOUNDARY = 1e-4


def fit_flags(value_table: pd.DataFrame | None, params: Mapping[str, Any] | None = None, *,
              top: int = 20) -> list[dict[str, Any]]:
    """Return a flag when the customer-value fit sits at a boundary, read from its outputs.

    Symptoms: a shape parameter at its lower bound (< :data:`BOUNDARY`); P(alive) equal
    (within 0.1 point) for every repeat customer or for every customer of the top
    ``top`` by predicted value; predicted spend equal within :data:`EQUAL_SPREAD`.
    """
    out = []
    at_bound = [k for k in SHAPE_PARAMS if number_or_none((params or {}).get(k)) is not None
                and 0 <= float((params or {})[k]) < BOUNDARY]
    vt = value_table if value_table is not None else pd.DataFrame()
    p = pd.to_numeric(vt[vt["frequency"] > 0]["p_alive"], errors="coerce").dropna() \
        if {"frequency", "p_alive"} <= set(vt.columns) else pd.Series(dtype=float)
    head = pd.Series(dtype=float)
    if {"clv_90d", "p_alive"} <= set(vt.columns) and len(vt) >= 2:
        head = pd.to_numeric(vt.sort_values("clv_90d", ascending=False).head(top)["p_alive"], errors="coerce")
    same_all = len(p) >= 2 and float(p.max() - p.min()) < 1e-3
    same_top = len(head.dropna()) >= 2 and float(head.max() - head.min()) < 1e-3
    if at_bound or same_all or same_top:
        symptom = []
        if at_bound:
            symptom.append(f"{len(at_bound)} 个形状参数落在取值下限附近")  # names stay in the method appendix
        if same_all or same_top:
            group = "所有复购客户" if same_all else f"预计贡献最高的 {top} 位客户"
            value = p.mean() if same_all else head.mean()
            symptom.append(f"{group}的仍活跃概率都是 {value:.0%}")
        fields: dict[str, Any] = {"params": len(at_bound), "same": "all" if same_all else ("top" if same_top else ""),
                                  "alive": float(p.mean() if same_all else head.mean()) if same_all or same_top else 0.0,
                                  "top": top}
        out.append({"metric": "p_alive", "label": "仍活跃概率（模型）", "value": float(p.mean()) if len(p) else 0.0,
                    "shown": "拟合在参数边界",
                    "reason": "BG/NBD 模型拟合落在参数边界（" + "；".join(symptom) + "），无法区分客户是否还在",
                    "inputs": "每位客户的购买次数、首购与末次购买日期（订单）",
                    "question": "订单是否完整覆盖数据期（是否缺月份、是否只导出了部分门店或渠道）？",
                    "kind": "fit", "fields": fields})
    spend = pd.to_numeric(vt["expected_value_90d"], errors="coerce").dropna() \
        if "expected_value_90d" in vt.columns else pd.Series(dtype=float)
    if len(spend) >= 2 and spend.mean() > 0 and float(spend.max() - spend.min()) / float(spend.mean()) < EQUAL_SPREAD:
        out.append({"metric": "expected_value_90d", "label": "预计单次消费", "value": float(spend.mean()),
                    "shown": f"¥{spend.mean():,.0f}",
                    "reason": f"每位客户的预计单次消费相差不到 {EQUAL_SPREAD:.0%}：Gamma-Gamma 模型拟合落在参数边界",
                    "inputs": "每位复购客户的平均订单金额（订单）",
                    "question": "订单金额是否被统一成了套餐价或均价？能否导出每单实付金额？",
                    "kind": "spend", "fields": {"spread": EQUAL_SPREAD}})
    return out


def funnel_flags(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a flag for each journey-funnel step that converts above 100 %."""
    out = []
    previous = None
    for r in table.itertuples(index=False):
        conv = number_or_none(r.conversion)
        if conv is not None and conv > 1 and previous is not None:
            out.append({"metric": f"funnel_{r.stage}", "label": f"{previous.label}→{r.label}转化", "value": conv, "shown": f"{conv:.0%}",
                        "reason": f"{r.label} {r.count:,.0f} 人（{r.source}）多于{previous.label} "
                                  f"{previous.count:,.0f} 人（{previous.source}），转化 {conv:.0%} 超过 100%",
                        "inputs": f"{previous.label}人数（{previous.source}）与{r.label}人数（{r.source}）",
                        "question": f"{previous.label}人数是否只统计了部分渠道？{r.label}的顾客是否都经过{previous.label}？",
                        "kind": "funnel",
                        "fields": {"stage": str(r.stage), "previous": str(previous.stage), "count": float(r.count),
                                   "previous_count": float(previous.count), "source": str(r.source),
                                   "previous_source": str(previous.source), "conv": float(conv)}})
        previous = r
    return out


def flagged_metrics(flags: Sequence[Mapping[str, Any]]) -> set[str]:
    """Return the metric keys that carry a flag."""
    return {str(f["metric"]) for f in flags}


def mask_flagged(gaps: pd.DataFrame, flags: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Return the benchmark gaps with flagged metrics marked 数据待核实: no verdict, no uplift."""
    out = gaps.copy()
    hit = out["metric"].isin(flagged_metrics(flags))
    if hit.any():
        out.loc[hit, "better"] = UNVERIFIED
        out.loc[hit, "status"] = UNVERIFIED
        out.loc[hit, "uplift"] = pd.NA
        reasons = {f["metric"]: f["reason"] for f in flags}
        out.loc[hit, "reason"] = out.loc[hit, "metric"].map(reasons)
        out.loc[hit, "uplift_model"] = ""
    return out


def flag_words(flag: Mapping[str, Any], lang: str = "zh") -> dict[str, str]:
    """Return a flag's ``label, shown, reason, inputs, question`` in ``lang``.

    In Chinese, as the flag holds them; in English, worded from its ``kind`` and ``fields``
    (metric names and definitions from the metric catalogue, funnel stages and sources from
    the journey catalogue).  A flag without a kind (given by a caller) keeps its own words.
    """
    words = {"label": str(flag["label"]), "shown": str(flag.get("shown") or f"{float(flag['value']):,.2f}"),
             "reason": str(flag["reason"]), "inputs": str(flag.get("inputs", "")), "question": str(flag["question"])}
    kind, fields = flag.get("kind"), dict(flag.get("fields") or {})
    if lang == "zh" or kind not in ("metric", "fit", "spend", "funnel"):
        return words
    t = messages("summary", lang)
    if kind == "metric":
        metric, unit = str(flag["metric"]), str(fields["unit"])
        shown, low, high = _show(float(flag["value"]), unit), _show(fields["low"], unit), _show(fields["high"], unit)
        name = catalog.label(metric, lang) if catalog.known(metric) else words["label"]
        inputs = catalog.definition(metric, lang) if catalog.known(metric) else ""
        return {"label": name, "shown": shown,
                "reason": t(f"flag_{fields['rule']}", value=shown, low=low, high=high, far=f"{FAR:g}"),
                "inputs": inputs, "question": t("flag_metric_question", label=name, inputs=inputs or t("flag_no_inputs"))}
    if kind == "fit":
        symptoms = [t("flag_fit_params", n=fields["params"])] if fields.get("params") else []
        if fields.get("same") == "all":
            symptoms.append(t("flag_fit_all", value=fields["alive"]))
        elif fields.get("same") == "top":
            symptoms.append(t("flag_fit_top", top=fields["top"], value=fields["alive"]))
        return {"label": t("flag_fit_label"), "shown": t("flag_fit_shown"),
                "reason": t("flag_fit_reason", symptoms=t("flag_fit_sep").join(symptoms)),
                "inputs": t("flag_fit_inputs"), "question": t("flag_fit_question")}
    if kind == "spend":
        return {"label": t("flag_spend_label"), "shown": words["shown"],
                "reason": t("flag_spend_reason", spread=fields["spread"]), "inputs": t("flag_spend_inputs"),
                "question": t("flag_spend_question")}
    names = {"stage": _journey_text(f"stage.{fields['stage']}", lang),
             "previous": _journey_text(f"stage.{fields['previous']}", lang),
             "source": stage_word(fields["source"], lang), "previous_source": stage_word(fields["previous_source"], lang)}
    return {"label": t("flag_funnel_label", **names), "shown": f"{fields['conv']:.0%}",
            "reason": t("flag_funnel_reason", **{**names, "count": fields["count"],
                                                 "previous_count": fields["previous_count"], "conv": fields["conv"]}),
            "inputs": t("flag_funnel_inputs", **names),
            "question": t("flag_funnel_question", **names)}


def flags_display(flags: list[Mapping[str, Any]], lang: str = "zh") -> pd.DataFrame:
    """Return the flags for the report (指标 / 数值 / 为什么待核实 / 计算所用数据 / 需确认的问题), in ``lang``."""
    from diag.strategy.wording import localize

    columns = {"label": "指标", "shown": "数值", "reason": "为什么待核实", "inputs": "计算所用数据",
               "question": "需确认的问题"}
    rows = [{columns[k]: v for k, v in flag_words(f, lang).items()} for f in flags]
    return localize(pd.DataFrame(rows, columns=list(columns.values())), lang)


# -- the simpler rule lists fall back to ----------------------------------------------------

def churn_window(template: Mapping[str, Any], median_days: float | None) -> float:
    """Return the days after which a customer counts as possibly lapsed.

    The larger of the category's typical repurchase cycle's upper end (template
    ``typical.repurchase_cycle_days``) and 1.5 × the measured median cycle: a sofa
    bought 555 days ago has not lapsed in a category that rebuys every 1–5 years, a
    noodle customer gone 60 days has.
    """
    band = (template.get("typical") or {}).get("repurchase_cycle_days") or [30, 90]
    window = float(band[1])
    m = number_or_none(median_days)
    if m is not None and m > 0:
        window = max(window, 1.5 * m)
    return window


def recency_at_risk(value_table: pd.DataFrame, window_days: float, *, top: int = 30,
                    value_quantile: float = 0.8) -> pd.DataFrame:
    """Return valuable repeat customers silent for longer than ``window_days`` (the model-free rule).

    Valuable: historical spend in the top ``1 − value_quantile``; repeat: bought on at
    least two days; sorted by historical spend.
    """
    vt = value_table
    cut = vt["total_value"].quantile(value_quantile)
    keep = (vt["total_value"] >= cut) & (vt["frequency"] > 0) & (vt["days_since_last"] > window_days)
    out = vt.loc[keep, ["customer_id", "frequency", "total_value", "days_since_last"]].copy()
    out = out.sort_values(["total_value", "customer_id"], ascending=[False, True])
    return out.head(top).reset_index(drop=True)
