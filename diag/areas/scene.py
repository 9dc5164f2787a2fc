"""场 (scene): channel and store mix, community health, 1-on-1 service quality.

Orders come from :attr:`diag.readers.orders.OrdersData.orders`; WeCom statistics from
:func:`diag.readers.wecom.read_contact_stats` / :func:`diag.readers.wecom.read_group_stats` (WeCom
keeps only the last 180 days, and one API query covers at most 30 days, so the
community and service figures describe at most the last half year).

Definitions (all shares 0–1):

* repurchase rate of a channel — its buyers with ≥ 2 distinct purchase days *in that
  channel* ÷ its buyers;
* conversion of a channel — mean monthly buyers ÷ the channel's monthly reach (from
  the brief's ``scene.channels[*].monthly_reach``); mean over the calendar months from
  the first to the last order month, months without orders counting as 0;
* ``group_active_share`` — Σ chat_has_msg ÷ Σ chat_total over the days of a period
  (group-days with a message ÷ group-days);
* ``member_activity`` — Σ member_has_msg ÷ Σ member_total, likewise;
* joins = new_member_cnt; WeCom gives no leave count, so leaves are derived from the
  member stock, per group owner: leaves = previous member_total + joins − member_total
  (they can come out negative when groups are transferred in); net member change =
  joins − leaves = the change of member_total; ``net_member_growth`` (summary) = net
  change over the whole span ÷ members on the first day (净增率, a share);
* ``reply_rate`` — reply_percentage averaged with chat_cnt as weights;
* ``avg_reply_minutes`` — avg_reply_time averaged with replied chats (chat_cnt ×
  reply_percentage) as weights: WeCom defines a day's average first-reply time over
  that day's replied chats, so several days pool by replied chats (the one definition,
  in :mod:`diag.catalog`);
* ``deletion_rate`` — Σ negative_feedback_cnt ÷ Σ new_contact_cnt;
* ``friend_accept_rate`` — Σ new_contact_cnt ÷ Σ new_apply_cnt (customers who add a
  staff member themselves also count as new contacts, so it can exceed 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from diag.errors import DataError

__all__ = ["UNKNOWN", "channel_mix", "store_table", "community_health", "service_quality",
           "staff_table", "wecom_summary", "has_wecom"]

UNKNOWN = "（未标注）"
_FREQS = {"D": "D", "W": "W-SUN", "M": "M"}


def _mix(orders: pd.DataFrame, by: str, reach: Mapping[str, int] | None) -> pd.DataFrame:
    needed = ("order_id", "customer_id", "paid_at", "amount", by)
    missing = [c for c in needed if c not in orders.columns]
    if missing:
        raise DataError(f"expected columns {', '.join(needed)} in the orders; missing {', '.join(missing)}",
                        where="orders")
    df = pd.DataFrame({
        "key": orders[by].astype("string").str.strip().replace("", pd.NA).fillna(UNKNOWN),
        "order_id": orders["order_id"], "customer_id": orders["customer_id"],
        "day": pd.to_datetime(orders["paid_at"]).dt.normalize(),
        "amount": orders["amount"].astype(float),
    })
    df["month"] = df["day"].dt.to_period("M")
    g = df.groupby("key")
    out = pd.DataFrame({"gmv": g["amount"].sum(), "orders": g["order_id"].nunique(),
                        "buyers": g["customer_id"].nunique()})
    total = out["gmv"].sum()
    out["share"] = out["gmv"] / total if total else np.nan
    out["aov"] = out["gmv"] / out["orders"]
    days = df.groupby(["key", "customer_id"])["day"].nunique()
    out["repurchase_rate"] = (days >= 2).groupby(level="key").sum() / out["buyers"]
    n_months = len(pd.period_range(df["month"].min(), df["month"].max(), freq="M")) if len(df) else 0
    monthly = df.groupby(["key", "month"])["customer_id"].nunique().groupby(level="key").sum()
    out["monthly_buyers"] = monthly / n_months if n_months else np.nan
    reach = {str(k): v for k, v in (reach or {}).items()}
    out["monthly_reach"] = [float(reach[k]) if reach.get(k) else np.nan for k in out.index]
    out["conversion"] = out["monthly_buyers"] / out["monthly_reach"]
    out = out.reset_index().rename(columns={"key": by})
    out = out.sort_values(["gmv", by], ascending=[False, True], kind="mergesort")
    return out[[by, "gmv", "share", "orders", "buyers", "aov", "repurchase_rate", "monthly_buyers",
                "monthly_reach", "conversion"]].reset_index(drop=True)


def channel_mix(orders: pd.DataFrame, reach: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Return one row per sales channel: GMV, share, orders, buyers, AOV, repurchase rate, conversion.

    ``reach`` maps channel name → monthly reach (people reached per month); channels
    without a known reach get NaN conversion.  Orders without a channel are grouped
    as ``（未标注）``.  Columns: ``channel, gmv, share, orders, buyers, aov,
    repurchase_rate, monthly_buyers, monthly_reach, conversion`` (definitions in the
    module docstring), sorted by GMV.
    """
    return _mix(orders, "channel", reach)


def store_table(orders: pd.DataFrame, reach: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Return the :func:`channel_mix` table per store (empty when no order names a store)."""
    if "store" not in orders.columns or not orders["store"].notna().any():
        return pd.DataFrame(columns=["store", "gmv", "share", "orders", "buyers", "aov", "repurchase_rate",
                                     "monthly_buyers", "monthly_reach", "conversion"])
    return _mix(orders, "store", reach)


# -- WeCom: communities ------------------------------------------------------------------------

def _period(dates: pd.Series, freq: str) -> pd.Series:
    if freq not in _FREQS:
        raise DataError(f"expected freq D, W or M, got {freq!r}", where="freq")
    periods = dates.dt.to_period(_FREQS[freq])
    return periods.dt.start_time.dt.strftime("%Y-%m" if freq == "M" else "%Y-%m-%d").fillna("全部")


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den and not np.isnan(den) else float("nan")


def _owner_periods(groups: pd.DataFrame, freq: str) -> pd.DataFrame:
    # One row per (owner, period): flows summed, stocks at the period's last day, and
    # the member stock at the end of the owner's previous period (for leaves).
    df = groups.copy()
    df["owner"] = df["owner"].astype("string").fillna("（全部）")
    df["period"] = _period(df["date"], freq)
    df = df.sort_values(["owner", "date"], kind="mergesort")
    g = df.groupby(["owner", "period"], sort=True)
    out = g[["new_chat_cnt", "chat_has_msg", "member_has_msg", "new_member_cnt", "msg_total"]].sum(min_count=1)
    out["chat_days"] = g["chat_total"].sum(min_count=1)        # group-days, for the pooled share
    out["member_days"] = g["member_total"].sum(min_count=1)    # member-days, likewise
    out["chat_total"] = g["chat_total"].last()
    out["member_total"] = g["member_total"].last()
    out["dates"] = g["date"].nunique()
    out = out.reset_index()
    prev = out.groupby("owner")["member_total"].shift()
    out["net_change"] = out["member_total"] - prev
    out["leaves"] = prev + out["new_member_cnt"] - out["member_total"]
    return out


def community_health(groups: pd.DataFrame, freq: str = "D") -> pd.DataFrame:
    """Return community health per day (``freq="D"``), week (``"W"``, from Monday) or month (``"M"``).

    ``groups`` is :func:`diag.readers.wecom.read_group_stats` output.  Columns: ``period,
    days, new_chat_cnt, chat_total, chat_has_msg, group_active_share, member_total,
    member_has_msg, member_activity, joins, leaves, net_member_change, msg_total``.
    ``chat_total`` / ``member_total`` are the stocks on the period's last day (summed
    over owners); counts are sums over the period; shares as in the module docstring.
    ``net_member_change`` = member stock at the end of the period − at the end of the
    owner's previous period in the data; ``leaves`` = that previous stock + joins −
    stock now (NaN for an owner's first period; days missing from the file hide their
    joins, so leaves then look smaller).  By-owner statistics without dates form a
    single period ``全部``.
    """
    per = _owner_periods(groups, freq)
    days = groups.assign(period=_period(groups["date"], freq)).groupby("period")["date"].nunique()
    g = per.groupby("period", sort=True)
    out = g[["new_chat_cnt", "chat_total", "chat_has_msg", "member_total", "member_has_msg",
             "new_member_cnt", "leaves", "net_change", "msg_total", "chat_days", "member_days"]].sum(min_count=1)
    out["group_active_share"] = out["chat_has_msg"] / out["chat_days"].where(out["chat_days"] > 0)
    out["member_activity"] = out["member_has_msg"] / out["member_days"].where(out["member_days"] > 0)
    out["days"] = days.reindex(out.index).fillna(0).astype(int)
    out = out.rename(columns={"new_member_cnt": "joins", "net_change": "net_member_change"}).reset_index()
    return out[["period", "days", "new_chat_cnt", "chat_total", "chat_has_msg", "group_active_share",
                "member_total", "member_has_msg", "member_activity", "joins", "leaves",
                "net_member_change", "msg_total"]]


# -- WeCom: 1-on-1 service ---------------------------------------------------------------------

def _service(part: pd.DataFrame) -> dict[str, Any]:
    chats, reply = part["chat_cnt"], part["reply_percentage"]
    known = reply.notna() & chats.notna()
    if known.any() and chats[known].sum() > 0:
        reply_rate = float((reply[known] * chats[known]).sum() / chats[known].sum())
    else:
        reply_rate = float(reply.mean()) if reply.notna().any() else float("nan")
    minutes = part["avg_reply_time"]
    weights = chats * reply
    ok = minutes.notna() & weights.notna()
    if ok.any() and weights[ok].sum() > 0:
        avg_minutes = float((minutes[ok] * weights[ok]).sum() / weights[ok].sum())
    else:
        avg_minutes = float(minutes.mean()) if minutes.notna().any() else float("nan")
    sums = {k: part[k].sum(min_count=1) for k in ("new_apply_cnt", "new_contact_cnt", "negative_feedback_cnt",
                                                   "chat_cnt", "message_cnt")}
    return {**sums, "reply_rate": reply_rate, "avg_reply_minutes": avg_minutes,
            "deletion_rate": _ratio(sums["negative_feedback_cnt"], sums["new_contact_cnt"]),
            "friend_accept_rate": _ratio(sums["new_contact_cnt"], sums["new_apply_cnt"])}


_SERVICE_COLS = ["new_apply_cnt", "new_contact_cnt", "negative_feedback_cnt", "chat_cnt", "message_cnt",
                 "reply_rate", "avg_reply_minutes", "deletion_rate", "friend_accept_rate"]


def service_quality(contacts: pd.DataFrame, freq: str = "D") -> pd.DataFrame:
    """Return 1-on-1 service per day / week (from Monday) / month: counts and the four rates.

    ``contacts`` is :func:`diag.readers.wecom.read_contact_stats` output.  Columns: ``period,
    staff`` (how many staff members reported) and ``new_apply_cnt, new_contact_cnt,
    negative_feedback_cnt, chat_cnt, message_cnt, reply_rate, avg_reply_minutes,
    deletion_rate, friend_accept_rate`` (definitions in the module docstring).
    """
    df = contacts.copy()
    df["period"] = _period(df["date"], freq)
    rows = [{"period": p, "staff": int(part["staff"].nunique()), **_service(part)}
            for p, part in df.groupby("period", sort=True)]
    return pd.DataFrame(rows, columns=["period", "staff", *_SERVICE_COLS])


def staff_table(contacts: pd.DataFrame) -> pd.DataFrame:
    """Return the :func:`service_quality` measures per staff member over the whole span.

    ``staff`` holds WeCom user ids; they are staff accounts, not customers.
    """
    df = contacts.copy()
    df["staff"] = df["staff"].astype("string").fillna(UNKNOWN)
    rows = [{"staff": s, "days": int(part["date"].nunique()), **_service(part)}
            for s, part in df.groupby("staff", sort=True)]
    out = pd.DataFrame(rows, columns=["staff", "days", *_SERVICE_COLS])
    return out.sort_values(["new_contact_cnt", "staff"], ascending=[False, True]).reset_index(drop=True)


_STOCKS = ("chat_total", "member_total", "chat_has_msg", "member_has_msg")
_FLOWS = ("new_apply_cnt", "new_contact_cnt", "negative_feedback_cnt")


def has_wecom(summary: Mapping[str, Any]) -> bool:
    """Return whether a :func:`wecom_summary` holds any figure (it is a dict of None without data)."""
    return any(v is not None for v in summary.values())


def wecom_summary(contacts: pd.DataFrame | None = None,
                  groups: pd.DataFrame | None = None) -> dict[str, Any]:
    """Return one dict of measured metrics over the whole span, in the shared vocabulary.

    The one WeCom summary: ``diag check``, the journey funnel and the diagnosis read it.
    Keys: ``group_active_share, member_activity, net_member_growth`` (from ``groups``),
    ``reply_rate, avg_reply_minutes, deletion_rate, friend_accept_rate`` (from
    ``contacts``) — None when the data is missing — plus ``net_member_change``
    (members, count), ``joins``, ``leaves``, ``members_start``, ``members_end``,
    ``first_date`` and ``last_date``.  ``net_member_growth`` = net member change ÷
    members on the first day (a share).  Counts: ``chat_total, member_total,
    chat_has_msg, member_has_msg`` — groups and members on the latest date (all rows
    for by-owner statistics without dates); ``new_apply_cnt, new_contact_cnt,
    negative_feedback_cnt`` — sums over the span.
    """
    out: dict[str, Any] = {k: None for k in (
        "group_active_share", "member_activity", "net_member_growth", "reply_rate", "avg_reply_minutes",
        "deletion_rate", "friend_accept_rate", "net_member_change", "joins", "leaves", "members_start",
        "members_end", "first_date", "last_date", *_STOCKS, *_FLOWS)}
    dates: list[pd.Timestamp] = []
    if groups is not None and len(groups):
        dated = groups.dropna(subset=["date"])
        latest = dated[dated["date"] == dated["date"].max()] if not dated.empty else groups
        out.update({k: float(latest[k].sum()) for k in _STOCKS})
        out["group_active_share"] = _ratio(groups["chat_has_msg"].sum(), groups["chat_total"].sum())
        out["member_activity"] = _ratio(groups["member_has_msg"].sum(), groups["member_total"].sum())
        if groups["date"].notna().all():
            # Stocks at the end of each owner's first and last day; joins after the first day.
            df = groups.assign(owner=groups["owner"].astype("string").fillna("（全部）"))
            df = df.sort_values(["owner", "date"], kind="mergesort")
            first, last = df.groupby("owner").head(1), df.groupby("owner").tail(1)
            start, end = first["member_total"].sum(min_count=1), last["member_total"].sum(min_count=1)
            joins = df.drop(first.index)["new_member_cnt"].sum()
            net = end - start
            out.update(members_start=start, members_end=end, net_member_change=net, joins=joins,
                       leaves=joins - net, net_member_growth=_ratio(net, start))
            dates += [df["date"].min(), df["date"].max()]
    if contacts is not None and len(contacts):
        service = _service(contacts)
        out.update({k: service[k] for k in ("reply_rate", "avg_reply_minutes", "deletion_rate",
                                            "friend_accept_rate")})
        out.update({k: float(contacts[k].sum()) for k in _FLOWS})
        if contacts["date"].notna().any():
            dates += [contacts["date"].min(), contacts["date"].max()]
    if dates:
        out["first_date"], out["last_date"] = min(dates).date().isoformat(), max(dates).date().isoformat()
    return {k: (None if isinstance(v, float) and np.isnan(v) else
                (v.item() if isinstance(v, np.generic) else v)) for k, v in out.items()}
