"""The value × frequency quadrant of industry templates: split points, store type, playbook hint.

A template's ``quadrant`` section sets the split points; :func:`quadrant` places a store
(its AOV and purchases per year) and names its type.  The GMV area measures the inputs
(:func:`diag.areas.gmv.quadrant_inputs`); template validation uses the same rule to check
that a template's typical client falls in its own store type.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from diag.errors import DataError
from diag.messages import messages

#: Vendor split points (lower confidence): ¥5,000 spend per customer per year, one purchase per year.
SPEND_SPLIT = 5000.0
FREQUENCY_SPLIT = 1.0

#: Playbook hints per (value level, frequency level): keys of the ``chapters`` message catalogue.
_PLAYBOOK = {("低", "高"): "low_high", ("高", "低"): "high_low", ("高", "高"): "high_high", ("低", "低"): "low_low"}


@dataclass(frozen=True)
class QuadrantResult:
    """A position in the value × frequency quadrant and its playbook hint."""

    purchases_per_year: float   # x axis: purchases per customer per year
    value: float                # y axis: annual spend per customer, or AOV
    value_axis: str             # "annual_spend" or "aov"
    frequency_split: float
    value_split: float
    frequency_level: str        # 高 / 低
    value_level: str            # 高 / 低
    store_type: str             # 刚需高频 / 刚需低频 / 小众需求
    playbook: list[str]
    split_source: str
    template_store_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data."""
        return asdict(self)


def quadrant(aov: float, purchases_per_year: float, *, spend_split: float = SPEND_SPLIT,
             frequency_split: float = FREQUENCY_SPLIT, aov_split: float | None = None,
             template: Mapping[str, Any] | None = None, lang: str = "zh") -> QuadrantResult:
    """Return the store's position in the AOV × frequency quadrant, its type and playbook.

    Axes: x = purchases per customer per year (high when > ``frequency_split``);
    y = annual spend per customer = ``aov`` × ``purchases_per_year`` (high when >
    ``spend_split``), or — when an ``aov_split`` is given — the AOV itself (high when
    > ``aov_split``).  The defaults are the vendor figures ¥5,000 per year and one
    purchase per year (lower confidence).  An industry template's ``quadrant``
    section may set ``frequency_split``, ``spend_split`` or ``aov_split``; they win
    over the defaults but not over arguments given explicitly.

    Store type: high frequency → 刚需高频; low frequency and high value → 刚需低频;
    low frequency and low value → 小众需求.  Playbook: low value + high frequency →
    group buys and repurchase reminders; high value + low frequency → 1-on-1 advisor,
    top-up (充值升单), referral.  The split source and the playbook are worded in ``lang``;
    levels and store type are the template's codes (高 / 低, 刚需高频 …) in either language.
    """
    t = messages("chapters", lang)
    if not (math.isfinite(aov) and math.isfinite(purchases_per_year)) or aov < 0 or purchases_per_year < 0:
        raise DataError(f"expected a non-negative AOV and purchases per year, got {aov}, {purchases_per_year}",
                        where="quadrant")
    section = dict((template or {}).get("quadrant") or {})
    from_template = bool(section.keys() & {"frequency_split", "spend_split", "aov_split"})
    source = t("quadrant_vendor_source")
    if frequency_split == FREQUENCY_SPLIT and "frequency_split" in section:
        frequency_split = float(section["frequency_split"])
    if aov_split is None and spend_split == SPEND_SPLIT:
        if "aov_split" in section:
            aov_split = float(section["aov_split"])
        elif "spend_split" in section:
            spend_split = float(section["spend_split"])
    if aov_split is not None:
        axis, value, split = "aov", float(aov), float(aov_split)
    else:
        axis, value, split = "annual_spend", float(aov) * float(purchases_per_year), float(spend_split)
    if from_template:
        border = t("quadrant_border_aov" if axis == "aov" else "quadrant_border_spend", split=split)
        source = t("quadrant_template_source", border=border, frequency=frequency_split)
    freq_level = "高" if purchases_per_year > frequency_split else "低"
    value_level = "高" if value > split else "低"
    if freq_level == "高":
        store_type = "刚需高频"
    else:
        store_type = "刚需低频" if value_level == "高" else "小众需求"
    return QuadrantResult(float(purchases_per_year), value, axis, float(frequency_split), split,
                          freq_level, value_level, store_type, [t(f"quadrant_play_{_PLAYBOOK[(value_level, freq_level)]}_{i}") for i in (1, 2, 3)],
                          source, section.get("store_type"))
