"""Repurchase reminders per category: touches timed to each category's own measured cycle.

A category with at least :data:`MIN_REPEAT_BUYERS` customers who bought it on two or more
days gets touches at its measured P25, median and P75 gap (days after a purchase); any
other category uses the industry template's typical cycle (0.8×, 1× and 1.5× its middle),
and says so.  A category whose cycle is longer than the industry's ``long_cycle_days``
(``templates/plays/industries.yaml``) gets the industry's service cadence instead (e.g.
交付后回访), never a short "使用关怀".  Pure functions.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import pandas as pd

from diag.industries.registry import in_language
from diag.messages import messages

__all__ = ["MIN_REPEAT_BUYERS", "category_reminders", "reminder_action", "reminders_table"]

#: Repeat buyers a category needs before its own measured cycle is trusted.
MIN_REPEAT_BUYERS = 30


def _days(values: list[float]) -> list[int]:
    out: list[int] = []
    for v in values:
        d = max(1, int(round(v)))
        out.append(d if not out or d > out[-1] else out[-1] + 1)  # strictly later touches
    return out


def category_reminders(by_category: pd.DataFrame, template: Mapping[str, Any], profile: Mapping[str, Any], *,
                       overall: Mapping[str, Any] | None = None,
                       min_repeat: int = MIN_REPEAT_BUYERS, lang: str = "zh") -> list[dict[str, Any]]:
    """Return one reminder plan per category: ``category, cycle_days, touch_days, touches, basis, repeat_buyers``.

    ``by_category`` is :func:`diag.areas.people.repurchase_by_category`; repeat buyers =
    round(购买客户数 × 复购率).  With none (no category column), ``overall`` (the
    ``diag metrics`` JSON) gives one row 全部商品 from the overall median gap.  ``basis``
    is 实测 (measured P25/P50/P75) or 行业模板 (the template's typical cycle), and
    ``mode`` is 复购提醒 or 服务节奏 (long-cycle categories).  ``basis`` and ``mode`` are codes
    in either language (the template basis sentence in ``lang``); the touches, the template
    basis and 全部商品 are in ``lang`` (the profile's ``en`` twins in English).
    """
    t = messages("chapters", lang)
    profile = in_language(dict(profile), lang)
    lo, hi = template["typical"]["repurchase_cycle_days"]
    template_cycle = (lo + hi) / 2
    rows: list[tuple[str, int, float | None, list[float] | None]] = []
    for r in by_category.to_dict("records"):
        buyers, rate = r.get("购买客户数") or 0, r.get("复购率") or 0.0
        repeat = int(round(float(buyers) * float(rate))) if buyers and not pd.isna(rate) else 0
        q = [r.get("复购周期P25"), r.get("复购周期中位数"), r.get("复购周期P75")]
        ok = all(v is not None and not pd.isna(v) and v > 0 for v in q)
        rows.append((str(r["品类"]), repeat, float(q[1]) if ok else None, [float(v) for v in q] if ok else None))
    if not rows and overall:
        repeat = int(round(float(overall.get("customers") or 0) * float(overall.get("repurchase_rate") or 0)))
        median = overall.get("median_repurchase_days")
        if not (isinstance(median, (int, float)) and math.isfinite(median) and median > 0):
            median = None
        rows.append((t("all_products"), repeat, None if median is None else float(median), None))
    long_after = float(profile.get("long_cycle_days", 120))
    labels = list(profile.get("touches", ["关怀", "提醒+专属券", "唤回"]))
    out = []
    for name, repeat, median, quartiles in rows:
        measured = median is not None and repeat >= min_repeat
        cycle = median if median is not None and measured else template_cycle
        basis = "实测" if measured else t("basis_template", repeat=repeat, min_repeat=min_repeat, low=lo, high=hi)
        if cycle > long_after:
            service = profile.get("service", [])
            days, touches, mode = _days([d for d, _ in service]), [a for _, a in service], "服务节奏"
        else:
            base = quartiles if measured and quartiles else [cycle * 0.8, cycle, cycle * 1.5]
            days, touches, mode = _days(base), labels[:3], "复购提醒"
        out.append({"category": name, "cycle_days": round(float(cycle), 1), "touch_days": days, "touches": touches,
                    "mode": mode, "basis": basis, "repeat_buyers": repeat})
    return out


def _steps(r: Mapping[str, Any], lang: str) -> str:
    t = messages("chapters", lang)
    return t("list_sep").join(t("touch", day=d, touch=x) for d, x in zip(r["touch_days"], r["touches"]))


def reminder_action(reminders: list[Mapping[str, Any]], limit: int = 4, *, lang: str = "zh") -> str:
    """Return the plan's reminder action in one sentence, category by category (largest first), in ``lang``."""
    t = messages("chapters", lang)
    parts = []
    for r in reminders[:limit]:
        kind = t("action_long") if r["mode"] == "服务节奏" else t("action_cycle", days=r["cycle_days"])
        src = t("mark_measured") if r["basis"] == "实测" else t("action_template")
        parts.append(t("action_item", category=r["category"], kind=kind, source=src, steps=_steps(r, lang)))
    more = t("action_more", count=len(reminders) - limit) if len(reminders) > limit else ""
    return t("action", items="; ".join(parts), more=more)


_MODES = {"复购提醒": "mode_reminder", "服务节奏": "mode_service"}


def reminders_table(reminders: list[Mapping[str, Any]], lang: str = "zh") -> pd.DataFrame:
    """Return the reminders for the report: Chinese headers (worded by :func:`diag.strategy.wording.localize`), cells in ``lang``."""
    t = messages("chapters", lang)
    return pd.DataFrame([{"品类": r["category"], "复购周期(天)": f"{r['cycle_days']:.0f}", "触达安排": _steps(r, lang),
                          "方式": t(_MODES[r["mode"]]) if r["mode"] in _MODES else r["mode"],
                          "依据": t("mark_measured") if r["basis"] == "实测" else r["basis"],
                          "复购客户数": r["repeat_buyers"]}
                         for r in reminders])
