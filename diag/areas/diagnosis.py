"""Glue for the 人货场 diagnosis notebook: comparison periods, measured metrics, findings.

The numbers come from the area modules (:mod:`diag.areas`) and :mod:`diag.areas.metrics`;
this module only picks the periods to compare, gathers the measured values in the
shared vocabulary and words the key findings a client reads first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from diag.format import format_number

__all__ = ["Evidence", "gather", "Periods", "recent_periods", "measured", "findings", "table_zh",
           "column_names", "format_summary",
           "quadrant_words", "store_type_name", "industry_name"]


@dataclass
class Periods:
    """Two consecutive windows of whole months to compare (previous ``a``, current ``b``)."""

    a: pd.DataFrame
    b: pd.DataFrame
    label_a: str
    label_b: str
    months: int


def recent_periods(orders: pd.DataFrame, months: int = 3) -> Periods:
    """Return the last ``months`` whole months of orders and the ``months`` before them.

    The last month of the data counts as whole when the data reaches its last day's
    final week (≥ day 24); otherwise it is left out so a half month does not look
    like a collapse.  With less than two windows of data the window shrinks to one
    month.
    """
    paid = pd.to_datetime(orders["paid_at"])
    month = paid.dt.to_period("M")
    last_day = paid.max()
    end = month.max() if last_day.day >= 24 else month.max() - 1
    span = (end - month.min()).n + 1
    months = max(1, min(months, span // 2))
    b_months = pd.period_range(end - months + 1, end, freq="M")
    a_months = pd.period_range(end - 2 * months + 1, end - months, freq="M")

    def label(rng: pd.PeriodIndex) -> str:
        return str(rng[0]) if len(rng) == 1 else f"{rng[0]}～{rng[-1]}"

    return Periods(orders[month.isin(a_months)], orders[month.isin(b_months)], label(a_months),
                   label(b_months), months)


#: Channel names that mean "sold inside the WeChat groups".
GROUP_CHANNEL_WORDS = ("社群", "群")


def measured(metrics: Mapping[str, Any], wecom: Mapping[str, Any] | None = None, *,
             group_members: int | None = None, channels: pd.DataFrame | None = None
             ) -> dict[str, float | None]:
    """Return the measured metrics in the shared vocabulary (shares 0–1).

    From the orders (``diag metrics``): aov, orders_per_customer,
    purchase_days_per_customer, repurchase_rate, repurchase_rate_90d,
    median_repurchase_days.  From WeCom statistics when given: group_active_share,
    member_activity, reply_rate, avg_reply_minutes, deletion_rate, friend_accept_rate,
    net_member_growth.  group_conversion (社群转化率) = buyers in the group channels
    (channel names containing 社群 or 群, from :func:`diag.areas.scene.channel_mix`) ÷
    group members (brief ``assets.group_members``); None when the orders name no group
    channel, since buyers from other channels say nothing about the groups.
    """
    keys = ("aov", "orders_per_customer", "purchase_days_per_customer", "repurchase_rate",
            "repurchase_rate_90d", "median_repurchase_days")
    out: dict[str, float | None] = {k: metrics.get(k) for k in keys}
    for key in ("group_active_share", "member_activity", "reply_rate", "avg_reply_minutes",
                "deletion_rate", "friend_accept_rate", "net_member_growth"):
        out[key] = (wecom or {}).get(key)
    out["group_conversion"] = None
    if group_members and channels is not None and len(channels):
        names = channels["channel"].astype(str)
        in_groups = names.str.contains("|".join(GROUP_CHANNEL_WORDS), regex=True)
        if in_groups.any():
            out["group_conversion"] = float(channels.loc[in_groups, "buyers"].sum()) / group_members
    return out


@dataclass
class Evidence:
    """Everything measured for one client, shared by the diagnosis and strategy notebooks."""

    metrics: dict[str, Any]
    channels: pd.DataFrame
    contacts: pd.DataFrame | None
    groups: pd.DataFrame | None
    wecom_summary: dict[str, Any]
    measured: dict[str, float | None]


def gather(brief: Any, data: Any, contacts: pd.DataFrame | None = None,
           groups: pd.DataFrame | None = None) -> Evidence:
    """Return the client's measured evidence: the metrics, channel mix, WeCom statistics.

    ``brief`` is a :class:`diag.brief.model.Brief`, ``data`` its :class:`diag.readers.orders.OrdersData`,
    ``contacts`` / ``groups`` its WeCom statistics (``None`` when the brief names none),
    all as :func:`diag.readers.load.load_data` returns them.  One place computes this so
    the diagnosis and the strategy quote the same numbers.
    """
    from diag.areas import scene
    from diag.areas.metrics import compute_metrics

    metrics = compute_metrics(data, as_of=brief.data.as_of)
    reach = {c.name: c.monthly_reach for c in brief.scene.channels if c.monthly_reach}
    channels = scene.channel_mix(data.orders, reach=reach)
    summary = scene.wecom_summary(contacts, groups)
    values = measured(metrics, summary, group_members=brief.assets.group_members, channels=channels)
    return Evidence(metrics, channels, contacts, groups, summary, values)


def _pct(value: float) -> str:
    return format_number(value, "share")


def findings(metrics: Mapping[str, Any], change: pd.DataFrame | None, periods: Periods | None,
             segments: Mapping[str, int], gaps: pd.DataFrame | None, quadrant_type: str, *,
             opportunities: pd.DataFrame | None = None, horizon_months: int | None = None,
             lang: str = "zh") -> list[str]:
    """Return the key findings, one sentence each in ``lang``, most important first.

    With ``opportunities`` (:func:`diag.strategy.ranking.opportunities`) the benchmark finding
    names the first-ranked one, in yuan over ``horizon_months`` — the same ranking the
    plan's priorities follow — and a metric at or above its range is never the headline.
    Metric labels, driver labels and the quadrant's name are printed as given.
    """
    from diag.areas.benchmark import label_in
    from diag.areas.people import segment_name
    from diag.messages import by_text, messages

    t = messages("diagnosis", lang)
    out: list[str] = [t("finding_scale", first=metrics["first_date"], last=metrics["last_date"],
                        orders=metrics["orders"], customers=metrics["customers"], gmv=metrics["gmv"],
                        aov=metrics["aov"])]
    if change is not None and periods is not None:
        total = change.set_index("driver")
        delta = float(total.loc["gmv", "contribution"])
        parts = total.drop(index="gmv")
        main = parts["contribution"].abs().idxmax()
        out.append(t("finding_change", months=periods.months, period=periods.label_b,
                     direction=t("up" if delta >= 0 else "down"), delta=abs(delta),
                     driver=parts.loc[main, "label"], contribution=parts.loc[main, "contribution"]))
    out.append(t("finding_repurchase", rate=metrics["repurchase_rate"], per_100=metrics["repurchase_rate"] * 100,
                 days=metrics["median_repurchase_days"] or 0))
    total = sum(segments.values()) or 1
    at_risk = sorted(((n, segments.get(n, 0)) for n in ("重要挽留", "重要唤回", "流失")), key=lambda x: -x[1])
    lost = sum(count for _, count in at_risk)
    parts = t("sep").join(t("segment_count", name=segment_name(name, lang), count=count)
                          for name, count in at_risk if count)
    valuable = sum(count for name, count in at_risk if name != "流失")
    out.append(t("finding_rfm", lost=lost, share=lost / total, parts=t("parenthesis", text=parts) if parts else "",
                 valuable=valuable, retain=segment_name("重要挽留", lang), win_back=segment_name("重要唤回", lang)))
    if opportunities is not None:
        if len(opportunities):
            top = opportunities.iloc[0]
            money = (t("money_in_months", months=horizon_months, yuan=top["yuan"])
                     if pd.notna(top["yuan"]) and top["yuan"] > 0 else t("money_unknown"))
            why = by_text("summary", lang).get(top["why"], top["why"])  # the ranking's why, in ``lang``
            out.append(t("finding_top_opportunity", label=label_in(top["metric"], lang, top["label"]), why=why,
                         money=money))
        else:
            out.append(t("finding_no_gap"))
    elif gaps is not None and len(gaps):
        behind = gaps[(gaps["better"] == "落后") & gaps["uplift"].notna() & (gaps["uplift"] > 0)]
        # AOV is mostly positioning (price system, category mix), not an operations lever:
        # name it separately rather than as "the biggest opportunity".
        levers = behind[behind["metric"] != "aov"].sort_values("uplift", ascending=False)
        if len(levers):
            top = levers.iloc[0]
            out.append(t("finding_top_lever", label=top["label"], uplift=top["uplift"]))
        else:
            out.append(t("finding_levers_fine"))
        if (behind["metric"] == "aov").any():
            out.append(t("finding_aov"))
    out.append(t("finding_quadrant", quadrant=store_type_name(quadrant_type, lang)))
    return out


def table_zh(df: pd.DataFrame, names: Mapping[str, str], *, shares: tuple[str, ...] = (),
             money: tuple[str, ...] = (), digits: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Return ``df`` with Chinese column names and shares / money formatted for the report.

    The index is dropped: tables here are lists of rows, and a filtered frame's
    leftover index would otherwise print as a column.
    """
    out = df.reset_index(drop=True)
    for col in shares:
        if col in out:
            out[col] = out[col].map(lambda v: "—" if pd.isna(v) else f"{v:.1%}")
    for col in money:
        if col in out:
            out[col] = out[col].map(lambda v: "—" if pd.isna(v) else f"¥{v:,.0f}")
    for col, n in (digits or {}).items():
        if col in out:
            out[col] = out[col].map(lambda v, n=n: "—" if pd.isna(v) else f"{v:,.{n}f}")
    keep = [c for c in names if c in out.columns]
    return out[keep].rename(columns=dict(names))


def column_names(t: Callable[[str], str], table: str, columns: Iterable[str]) -> dict[str, str]:
    """Return ``{column: header}`` for :func:`table_zh`, each header message ``<table>.<column>`` of ``t``.

    ``t`` is a :class:`diag.messages.Messages` of the notebook's domain and language.
    """
    return {column: t(f"{table}.{column}") for column in columns}


def format_summary(summary: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return :func:`diag.areas.people.repurchase_summary` as a metric / value / definition table in ``lang``.

    Labels and definitions come from the metric catalogue; shares print as %, counts with separators.
    """
    from diag.areas.people import window_label
    from diag.messages import messages

    t = messages("diagnosis", lang)

    def show(key: str, value: Any) -> str:
        if pd.isna(value):
            return "—"
        if key.startswith("repurchase_rate"):
            return f"{value:.1%}"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

    words = [window_label(key, lang) for key in summary["metric"]]
    return pd.DataFrame({t("summary.metric"): [w[0] for w in words],
                         t("summary.value"): [show(k, v) for k, v in zip(summary["metric"], summary["value"])],
                         t("summary.definition"): [w[1] for w in words]})


def quadrant_words(position: Any, lang: str = "zh") -> dict[str, str]:
    """Return the quadrant's ``store_type``, ``source`` and ``playbook`` (joined) in ``lang``.

    ``position`` is a :class:`diag.industries.quadrant.QuadrantResult`; its kit words are keys of the
    diagnosis catalogue (``store_type.*``, ``quadrant_source.*``, ``play.<value>_<frequency>.<n>``).
    """
    from diag.messages import messages

    t = messages("diagnosis", lang)
    if lang == "zh":
        return {"store_type": position.store_type, "source": position.split_source,
                "playbook": t("list_sep").join(position.playbook)}
    if position.split_source == messages("diagnosis", "zh")("quadrant_source.vendor"):
        source = t("quadrant_source.vendor")
    else:
        source = t(f"quadrant_source.{position.value_axis}", split=position.value_split,
                   frequency=position.frequency_split)
    levels = f"{position.value_level}_{position.frequency_level}"
    plays = [t(f"play.{levels}.{n}") for n in range(len(position.playbook))]
    return {"store_type": store_type_name(position.store_type, lang), "source": source,
            "playbook": t("list_sep").join(plays)}


def store_type_name(store_type: str, lang: str = "zh") -> str:
    """Return a quadrant store type (刚需高频 / 刚需低频 / 小众需求) in ``lang``."""
    from diag.messages import text

    return text("diagnosis", f"store_type.{store_type}", lang)


def industry_name(template: Mapping[str, Any], lang: str = "zh") -> str:
    """Return the industry template's name in ``lang`` (its key in Chinese, ``name_en`` in English)."""
    return str(template.get("name_en") or template["key"]) if lang == "en" else str(template["key"])
