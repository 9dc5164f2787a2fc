"""Glue for the 人货场 diagnosis notebook: comparison periods, measured metrics, findings.

The numbers come from the area modules (:mod:`diag.areas`) and :mod:`diag.areas.metrics`;
this module only picks the periods to compare, gathers the measured values in the
shared vocabulary and words the key findings a client reads first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from diag.format import format_number

__all__ = ["Evidence", "gather", "Periods", "recent_periods", "measured", "findings", "table_zh",
           "format_summary"]


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


def gather(brief: Any, data: Any) -> Evidence:
    """Return the client's measured evidence: the metrics, channel mix, WeCom statistics.

    ``brief`` is a :class:`diag.brief.model.Brief`, ``data`` its :class:`diag.readers.orders.OrdersData`.
    One place computes this so the diagnosis and the strategy quote the same numbers.
    """
    from diag.areas import scene
    from diag.areas.metrics import compute_metrics
    from diag.readers import wecom

    metrics = compute_metrics(data, as_of=brief.data.as_of)
    reach = {c.name: c.monthly_reach for c in brief.scene.channels if c.monthly_reach}
    channels = scene.channel_mix(data.orders, reach=reach)
    contacts_path, groups_path = brief.data_path("wecom_contacts"), brief.data_path("wecom_groups")
    contacts = wecom.read_contact_stats(contacts_path) if contacts_path else None
    groups = wecom.read_group_stats(groups_path) if groups_path else None
    summary = scene.wecom_summary(contacts, groups)
    values = measured(metrics, summary, group_members=brief.assets.group_members, channels=channels)
    return Evidence(metrics, channels, contacts, groups, summary, values)


def _pct(value: float) -> str:
    return format_number(value, "share")


def findings(metrics: Mapping[str, Any], change: pd.DataFrame | None, periods: Periods | None,
             segments: Mapping[str, int], gaps: pd.DataFrame | None, quadrant_type: str, *,
             opportunities: pd.DataFrame | None = None, horizon_months: int | None = None) -> list[str]:
    """Return the key findings, one Chinese sentence each, most important first.

    With ``opportunities`` (:func:`diag.strategy.ranking.opportunities`) the benchmark finding
    names the first-ranked one, in yuan over ``horizon_months`` — the same ranking the
    plan's priorities follow — and a metric at or above its range is never the headline.
    """
    out: list[str] = []
    out.append(f"数据期内（{metrics['first_date']} 至 {metrics['last_date']}）有效订单 {metrics['orders']:,} 笔，"
               f"购买用户 {metrics['customers']:,} 人，GMV ¥{metrics['gmv']:,.0f}，客单价 ¥{metrics['aov']:,.0f}。")
    if change is not None and periods is not None:
        total = change.set_index("driver")
        delta = float(total.loc["gmv", "contribution"])
        parts = total.drop(index="gmv")
        main = parts["contribution"].abs().idxmax()
        direction = "增长" if delta >= 0 else "下降"
        out.append(f"最近{periods.months}个月（{periods.label_b}）GMV 较前{periods.months}个月{direction} "
                   f"¥{abs(delta):,.0f}，其中「{parts.loc[main, 'label']}」的变化贡献最大"
                   f"（¥{parts.loc[main, 'contribution']:+,.0f}）。")
    out.append(f"复购率 {_pct(metrics['repurchase_rate'])}：每 100 位购买用户中有 "
               f"{metrics['repurchase_rate'] * 100:.0f} 位在两个及以上不同日期下过单；"
               f"复购周期中位数 {metrics['median_repurchase_days'] or 0:.0f} 天。")
    total = sum(segments.values()) or 1
    at_risk = sorted(((n, segments.get(n, 0)) for n in ("重要挽留", "重要唤回", "流失")), key=lambda x: -x[1])
    lost = sum(count for _, count in at_risk)
    parts = "、".join(f"「{name}」{count:,} 人" for name, count in at_risk if count)
    valuable = sum(count for name, count in at_risk if name != "流失")
    out.append(f"按 RFM 分层，{lost:,} 位客户（{lost / total:.0%}）处于流失或需要挽回的状态"
               + (f"（{parts}）" if parts else "")
               + f"；其中 {valuable:,} 位高价值客户（「重要挽留」「重要唤回」）最值得优先联系。")
    if opportunities is not None:
        if len(opportunities):
            top = opportunities.iloc[0]
            money = (f"{horizon_months} 个月 GMV 预计可增加 ¥{top['yuan']:,.0f}"
                     if pd.notna(top["yuan"]) and top["yuan"] > 0 else "暂无法折算成 GMV")
            out.append(f"对照行业基准与你们的目标，最大的机会在「{top['label']}」（{top['why']}）：若追到行业区间中值，"
                       f"其他不变时 {money}。")
        else:
            out.append("对照行业基准，已测得的指标都不低于行业区间；目标缺口要靠扩大可触达用户与提高转化来补。")
    elif gaps is not None and len(gaps):
        behind = gaps[(gaps["better"] == "落后") & gaps["uplift"].notna() & (gaps["uplift"] > 0)]
        # AOV is mostly positioning (price system, category mix), not an operations lever:
        # name it separately rather than as "the biggest opportunity".
        levers = behind[behind["metric"] != "aov"].sort_values("uplift", ascending=False)
        if len(levers):
            top = levers.iloc[0]
            out.append(f"对照行业基准，运营上最大的机会在「{top['label']}」：若追到行业区间中值，"
                       f"其他不变时 GMV 预计可增加 ¥{top['uplift']:,.0f}。")
        else:
            out.append("对照行业基准，复购、频次等运营指标都已达到或超过行业区间，"
                       "下一步的重点是扩大可触达用户规模、守住现有水平。")
        if (behind["metric"] == "aov").any():
            out.append("客单价低于行业区间：这首先是价格体系和品类结构的定位问题，"
                       "可通过组合装、满减门槛和高客单品的顾问式推荐逐步抬升。")
    out.append(f"客单价与购买频次决定打法方向：该客户属于「{quadrant_type}」型。")
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


def format_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """Return a 指标 / 数值 / 口径 table with shares as % and counts with separators."""
    out = summary.copy()

    def show(row: pd.Series) -> str:
        value = row["数值"]
        if pd.isna(value):
            return "—"
        if "率" in row["指标"]:
            return f"{value:.1%}"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

    out["数值"] = out.apply(show, axis=1)
    return out
