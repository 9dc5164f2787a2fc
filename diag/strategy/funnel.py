"""The target funnel, worked forwards and backwards: reachable → in group → sales.

Pure functions on exact decimal arithmetic (:class:`fractions.Fraction`), so 5,000 ×
0.1 × 0.04 is 20 sales, not 19.999…:

- :func:`funnel_forward` — how many sales the rates give;
- :func:`funnel_inverse` — how many people each stage needs for a sales or GMV target;
- :func:`funnel_plan` — both for a brief, with live inputs from the strategy notebook.

Re-exported by :mod:`diag.strategy.playbook`, where the rest of the plan is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import pandas as pd

from diag.errors import UsageError
from diag.format import format_number
from diag.messages import messages

__all__ = ["funnel_forward", "funnel_inverse", "InverseFunnel", "FunnelPlan", "funnel_plan"]


def _exact(value: float | int | str, name: str, *, share: bool = False) -> Fraction:
    try:
        number = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"expected a number, got {value!r}", where=name) from None
    if number < 0 or (share and number > 1):
        raise UsageError(f"expected {'a share between 0 and 1' if share else 'a non-negative number'}, "
                         f"got {value}", where=name)
    return number


def funnel_forward(reachable: int, invite_success: float, purchase_intent: float, *,
                   aov: float | None = None) -> pd.DataFrame:
    """Return the target funnel forward: reachable × invite success → in groups × intent → sales.

    Arithmetic is exact on the decimal rates (5,000 × 0.1 = 500 × 0.04 = 20, not
    19.999…).  Columns ``阶段, 人数, 转化率`` (rate from the previous stage); with
    ``aov`` a ``GMV`` column prices the sales.
    """
    n = _exact(reachable, "funnel.reachable")
    inv = _exact(invite_success, "funnel.invite_success", share=True)
    intent = _exact(purchase_intent, "funnel.purchase_intent", share=True)
    counts = [n, n * inv, n * inv * intent]
    frame = pd.DataFrame({"阶段": ["可触达", "入群", "成交"], "人数": [float(c) for c in counts],
                          "转化率": [1.0, float(inv), float(intent)]})
    if aov is not None:
        frame["GMV"] = [None, None, float(counts[-1] * _exact(aov, "aov"))]
    return frame


@dataclass(frozen=True)
class InverseFunnel:
    """How many people each stage needs for a sales or GMV target (rounded up to whole people)."""

    sales: int
    in_group: int
    reachable: int
    gmv: float | None

    def to_frame(self) -> pd.DataFrame:
        """Return the stages as a table (阶段 / 需要人数)."""
        return pd.DataFrame({"阶段": ["可触达", "入群", "成交"],
                             "需要人数": [self.reachable, self.in_group, self.sales]})


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def funnel_inverse(*, invite_success: float, purchase_intent: float, sales: int | None = None,
                   gmv: float | None = None, aov: float | None = None) -> InverseFunnel:
    """Return the people needed at each stage for ``sales`` conversions or ``gmv`` yuan.

    ``sales = ⌈gmv ÷ aov⌉`` when a GMV target is given; then ``in_group = ⌈sales ÷
    intent⌉`` and ``reachable = ⌈in_group ÷ invite_success⌉`` — whole people, exact on
    the decimal rates (20 sales at 1:10 and 4% need 500 in groups and 5,000 reached);
    a rate may also be a :class:`~fractions.Fraction` such as ``Fraction(1, 3)``.
    """
    inv = _exact(invite_success, "funnel.invite_success", share=True)
    intent = _exact(purchase_intent, "funnel.purchase_intent", share=True)
    if inv == 0 or intent == 0:
        raise UsageError("the rates must be above 0 to work backwards", where="funnel")
    if (sales is None) == (gmv is None):
        raise UsageError("give exactly one target: sales or gmv", where="funnel")
    if gmv is not None:
        if not aov:
            raise UsageError("a GMV target needs the AOV", where="aov")
        needed = _ceil(_exact(gmv, "gmv") / _exact(aov, "aov"))
    else:
        needed = _ceil(_exact(sales, "sales"))  # type: ignore[arg-type]
    in_group = _ceil(Fraction(needed) / intent)
    reach = _ceil(Fraction(in_group) / inv)
    return InverseFunnel(needed, in_group, reach, None if gmv is None else float(gmv))


@dataclass
class FunnelPlan:
    """The target funnel for the report: forward from the rates, inverse for the goal."""

    forward: pd.DataFrame
    inverse: InverseFunnel | None
    rates_from_brief: bool
    target_text: str
    #: Where each input came from: 需求澄清表 / 现场调整 / 示例 (see :func:`funnel_plan`).
    sources: dict[str, str] = field(default_factory=dict)
    basis: str = ""


#: The funnel's inputs: brief field and live parameter, Chinese label, the worked example's value.
_FUNNEL_INPUTS = (("reachable", "funnel_reachable", "可触达人数", 5000),
                  ("invite_success", "funnel_invite_success", "邀约入群率", 0.1),
                  ("purchase_intent", "funnel_purchase_intent", "付费意向率", 0.04))


def _show_input(key: str, value: Any) -> str:
    return format_number(float(value), "count" if key == "reachable" else "share")


def funnel_plan(funnel: Any, goals: Any, *, aov: float, horizon_days: int = 90,
                reachable: float | None = None, invite_success: float | None = None,
                purchase_intent: float | None = None, target_sales: int | None = None,
                target_gmv: float | None = None, lang: str = "zh") -> FunnelPlan:
    """Return the forward and inverse funnel from a brief's ``funnel`` and ``goals`` sections.

    Each input is taken, first found: the live value given here (``reachable``,
    ``invite_success``, ``purchase_intent`` — the strategy notebook's parameters, so a
    consultant can change an assumption and re-run), the brief's ``funnel``, the worked
    example (5,000 reachable, 1:10 invitation success, 4% purchase intent).
    ``rates_from_brief`` is True when all three come from the brief; ``sources`` and
    ``basis`` say where each came from.

    The inverse target is, first found: ``target_sales`` or ``target_gmv`` (live, for
    the plan's ``horizon_days``; at most one); else the share of the goal that falls
    in the horizon (goal × min(horizon in months, timeline) ÷ timeline; timeline
    default 12 months): ``goals.new_customers_target`` as sales (rounded up), else
    ``goals.gmv_target`` priced at ``aov``; no goal → no inverse.  ``target_text`` and
    ``basis`` are in ``lang``.
    """
    t = messages("summary", lang)
    live = {"reachable": reachable, "invite_success": invite_success, "purchase_intent": purchase_intent}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, param, _label, example in _FUNNEL_INPUTS:
        if (value := live[key]) is not None:
            values[key] = _exact(value, param, share=key != "reachable")
            sources[key] = "现场调整"
        elif getattr(funnel, key, None) is not None:
            values[key], sources[key] = getattr(funnel, key), "需求澄清表"
        else:
            values[key], sources[key] = example, "示例"
    reach, inv, intent = values["reachable"], values["invite_success"], values["purchase_intent"]
    forward = funnel_forward(reach, inv, intent, aov=aov)
    if target_sales is not None and target_gmv is not None:
        raise UsageError(f"give at most one live target, got target_sales={target_sales} and "
                         f"target_gmv={target_gmv}", where="target_sales / target_gmv")
    inverse, text = None, t("funnel_no_target")
    months = getattr(goals, "timeline_months", None) or 12
    if inv and intent:
        share = min(horizon_days / 30, months) / months
        if target_sales is not None:
            sales = _ceil(_exact(target_sales, "target_sales"))
            inverse = funnel_inverse(invite_success=inv, purchase_intent=intent, sales=sales)
            text = t("funnel_live_sales", days=horizon_days, sales=sales)
        elif target_gmv is not None:
            if not aov:
                raise UsageError("a GMV target needs the AOV", where="target_gmv")
            inverse = funnel_inverse(invite_success=inv, purchase_intent=intent,
                                     gmv=float(_exact(target_gmv, "target_gmv")), aov=aov)
            text = t("funnel_live_gmv", days=horizon_days, gmv=float(target_gmv), aov=aov)
        elif getattr(goals, "new_customers_target", None):
            sales = _ceil(Fraction(goals.new_customers_target) * Fraction(share).limit_denominator(1000))
            inverse = funnel_inverse(invite_success=inv, purchase_intent=intent, sales=sales)
            text = t("funnel_goal_new", target=goals.new_customers_target, months=months, days=horizon_days,
                     sales=sales)
        elif getattr(goals, "gmv_target", None) and aov:
            target = float(goals.gmv_target) * share
            inverse = funnel_inverse(invite_success=inv, purchase_intent=intent, gmv=target, aov=aov)
            text = t("funnel_goal_gmv", target=goals.gmv_target, months=months, days=horizon_days, share=target,
                     aov=aov)
    from_brief = all(v == "需求澄清表" for v in sources.values())
    return FunnelPlan(forward, inverse, from_brief, text, sources, _funnel_basis(values, sources, lang))


def _funnel_basis(values: Mapping[str, Any], sources: Mapping[str, str], lang: str = "zh") -> str:
    """Return one sentence saying where the funnel's inputs came from (in ``lang``)."""
    t = messages("summary", lang)
    if all(v == "需求澄清表" for v in sources.values()):
        return t("funnel_all_brief")
    parts = []
    for source, lead in (("现场调整", "funnel_live"), ("需求澄清表", "funnel_brief"), ("示例", "funnel_example")):
        named = [t("funnel_input", label=t(f"funnel_input_{k}"), value=_show_input(k, values[k]))
                 for k, v in sources.items() if v == source]
        if named:
            parts.append(t("funnel_part", lead=t(lead), items=t("list_sep").join(named)))
    tail = t("funnel_confirm") if "示例" in sources.values() else ""
    return t("funnel_part_sep").join(parts) + tail + t("funnel_end")
