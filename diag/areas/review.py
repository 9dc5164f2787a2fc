"""复盘 (review), part one: each campaign against its targets, and the six review rates.

Pure functions: an orders frame (:func:`diag.readers.orders.read_orders` ``.orders``, or any
filtered part of it such as one store's orders), the campaigns
(:func:`diag.readers.campaigns.read_campaigns`) and, when given, the WeCom statistics in;
DataFrames out.  The comparison with an earlier diagnosis is in
:mod:`diag.areas.followup`.

Windows are whole calendar days: a campaign from ``start`` to ``end`` counts every
valid order paid on those days, both included; its baseline is the same number of
days just before ``start``.  Definitions (one place, quoted in the report):

* GMV / orders / buyers — sum of amounts, distinct orders, distinct customers of the
  valid orders paid in the window (only the campaign's store when the file names one);
* new customers — buyers whose first valid purchase ever (in the orders given) falls
  in the window;
* uplift = GMV − baseline GMV; uplift % = GMV ÷ baseline GMV − 1;
* cost per new customer = cost ÷ new customers;
* ROI = (GMV − baseline GMV) ÷ cost;
* attainment = GMV ÷ target GMV (new-customer attainment = new customers ÷ target).

A baseline that starts before the first day of the data is incomplete: its figures,
the uplift and the ROI are left empty (无数据) rather than understated, and the row
says so.  Overlapping campaigns are each measured on their own window (an order paid
on a shared day counts for both) and the overlap is named.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from diag import catalog
from diag.format import format_number
from diag.messages import messages

__all__ = ["CAMPAIGN_COLUMNS", "notes_text", "RATES", "NO_DATA", "campaign_results", "review_rates", "rates_display",
           "campaigns_display", "overall_rates", "summary_sentences", "for_store"]

NO_DATA = "无数据"
#: The name of the rates' row over every campaign.
OVERALL = "全部活动"

CAMPAIGN_COLUMNS = [
    "name", "type", "store", "start", "end", "days", "gmv", "orders", "buyers", "new_customers",
    "base_start", "base_end", "base_gmv", "base_orders", "base_buyers", "base_new_customers",
    "uplift", "uplift_pct", "cost", "cost_per_new", "roi", "target_gmv", "attainment", "met",
    "target_new", "new_attainment", "after_days", "repeat_buyers", "notes", "note_items"]

#: The six review rates: key → (label, definition).  Order as the case articles list them.
RATES: dict[str, tuple[str, str]] = {
    key: (catalog.label(f"review_{key}"), catalog.definition(f"review_{key}"))
    for key in ("acquisition", "activity", "conversion", "repurchase", "fission", "replication")}


def _day(paid_at: pd.Series) -> pd.Series:
    return pd.to_datetime(paid_at).dt.normalize()


def _ts(value: Any) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _window(orders: pd.DataFrame, days: pd.Series, start: pd.Timestamp, end: pd.Timestamp,
            first: pd.Series) -> dict[str, float]:
    mask = (days >= start) & (days <= end)
    part = orders.loc[mask]
    buyers = part["customer_id"].unique()
    firsts = first.reindex(buyers)
    new = int(((firsts >= start) & (firsts <= end)).sum())
    return {"gmv": round(float(part["amount"].sum()), 2), "orders": int(part["order_id"].nunique()),
            "buyers": int(len(buyers)), "new_customers": new}


def _ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or pd.isna(num) or pd.isna(den) or den == 0:
        return None
    # Rounded: a float tail such as 60947.16000000002 would read like a phone number in results.json.
    return round(float(num) / float(den), 6)


def campaign_results(orders: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    """Return one row per campaign: window figures, baseline, uplift, ROI and attainment.

    ``orders`` needs ``order_id, customer_id, paid_at, amount`` (and ``store`` when a
    campaign names a store); ``campaigns`` is :func:`diag.readers.campaigns.read_campaigns`
    output.  Columns: :data:`CAMPAIGN_COLUMNS`.  ``met`` is True / False against the
    target GMV, None without a target; ``after_days`` is how many days of data follow
    the campaign's end, ``repeat_buyers`` how many of its buyers bought again in them;
    ``note_items`` lists what limits the row (incomplete baseline, window past the data,
    overlaps) as ``{"key", "names"}``; ``notes`` words them in Chinese (:func:`notes_text`).  See the module docstring for every definition.
    """
    columns = CAMPAIGN_COLUMNS
    if campaigns is None or len(campaigns) == 0:
        return pd.DataFrame(columns=columns)
    days = _day(orders["paid_at"]) if len(orders) else pd.Series([], dtype="datetime64[ns]")
    first = days.groupby(orders["customer_id"]).min() if len(orders) else pd.Series(dtype="datetime64[ns]")
    data_first = days.min() if len(orders) else None
    data_last = days.max() if len(orders) else None
    stores = [_store(getattr(c, "store", None)) for c in campaigns.itertuples(index=False)]
    # Campaigns share orders only within one scope: the same store, or either chain-wide.
    spans = [(_ts(c.start), _ts(c.end), c.name, st) for c, st in zip(campaigns.itertuples(index=False), stores)]
    rows = []
    for c in campaigns.itertuples(index=False):
        start, end = _ts(c.start), _ts(c.end)
        length = (end - start).days + 1
        base_end = start - pd.Timedelta(days=1)
        base_start = start - pd.Timedelta(days=length)
        store = _store(getattr(c, "store", None))
        scope = orders
        scope_days = days
        if store is not None:
            keep = orders["store"].astype(str) == str(store) if "store" in orders else pd.Series(False, orders.index)
            scope, scope_days = orders.loc[keep], days.loc[keep]
        now = _window(scope, scope_days, start, end, first)
        base: dict[str, float | None] = dict(_window(scope, scope_days, base_start, base_end, first))
        notes: list[dict[str, Any]] = []
        base_ok = data_first is not None and base_start >= data_first
        if not base_ok:
            notes.append({"key": "baseline_before_data"})
            base = {k: None for k in base}
        if data_last is None or end > data_last:
            notes.append({"key": "end_after_data"})
        if store is not None and len(scope) == 0:
            notes.append({"key": "no_store_orders", "names": [str(store)]})
        shared = [(s, e, name) for s, e, name, st in spans
                  if name != c.name and (st is None or store is None or st == store)]
        overlaps = [name for s, e, name in shared if s <= end and e >= start]
        if overlaps:
            notes.append({"key": "overlap", "names": overlaps})
        in_base = [name for s, e, name in shared if s <= base_end and e >= base_start]
        if in_base and base_ok:
            notes.append({"key": "campaign_in_baseline", "names": in_base})
        cost = None if pd.isna(c.cost) else float(c.cost)
        target = None if pd.isna(c.target_gmv) else float(c.target_gmv)
        target_new = None if pd.isna(c.target_new) else float(c.target_new)
        uplift = None if base["gmv"] is None else round(now["gmv"] - base["gmv"], 2)
        after_days = 0 if data_last is None else max(0, (data_last - end).days)
        in_window = scope.loc[(scope_days >= start) & (scope_days <= end), "customer_id"].unique()
        later = scope.loc[scope_days > end, "customer_id"].unique() if after_days else []
        rows.append({
            "name": c.name, "type": c.type, "store": store, "start": start.date(), "end": end.date(),
            "days": length, **now,
            "base_start": base_start.date(), "base_end": base_end.date(),
            "base_gmv": base["gmv"], "base_orders": base["orders"], "base_buyers": base["buyers"],
            "base_new_customers": base["new_customers"],
            "uplift": uplift, "uplift_pct": _ratio(uplift, base["gmv"]) if uplift is not None else None,
            "cost": cost, "cost_per_new": _ratio(cost, now["new_customers"]) if cost is not None else None,
            "roi": _ratio(uplift, cost) if uplift is not None else None,
            "target_gmv": target, "attainment": _ratio(now["gmv"], target),
            "met": None if not target else bool(now["gmv"] >= target),
            "target_new": target_new, "new_attainment": _ratio(now["new_customers"], target_new),
            "after_days": after_days,
            "repeat_buyers": int(np.isin(in_window, later).sum()) if after_days else None,
            "notes": notes_text(notes), "note_items": notes})
    return pd.DataFrame(rows, columns=columns)


def _store(value: Any) -> str | None:
    """Return a campaign's store name, or None for a chain-wide campaign (blank, None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        return None
    return str(value).strip()


def _label(name: str, store: Any) -> str:
    """Return the campaign's name as printed: with its store unless the name already says it."""
    store = _store(store)
    if store is None:
        return name
    core = re.sub(r"^.*[(（]|[)）]$", "", store) or store
    return name if core in name or store in name else f"{name}（{store}）"


def for_store(campaigns: pd.DataFrame, store: str) -> pd.DataFrame:
    """Return the campaigns that concern one store: its own and the chain-wide ones (for a store's report)."""
    keep = [(_store(v) is None or _store(v) == str(store).strip()) for v in campaigns["store"]]
    return campaigns.loc[keep].reset_index(drop=True)


def _daily(frame: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame | None:
    """Return the dated WeCom rows inside the window, or None when the statistics do not cover it."""
    if frame is None or len(frame) == 0 or "date" not in frame or frame["date"].isna().all():
        return None
    dates = pd.to_datetime(frame["date"]).dt.normalize()
    if dates.min() > start or dates.max() < end:
        return None          # WeCom keeps 180 days: a window it does not cover has no figure
    return frame.loc[(dates >= start) & (dates <= end)]


def _rate(key: str, num: float | None, den: float | None, basis: str) -> dict[str, Any]:
    value = _ratio(num, den)
    return {"rate": key, "label": RATES[key][0], "value": value, "numerator": num, "denominator": den,
            "basis": basis if value is not None else NO_DATA, "definition": RATES[key][1]}


def _known(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def review_rates(results: pd.DataFrame, campaigns: pd.DataFrame, *, contacts: pd.DataFrame | None = None,
                 groups: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the six review rates per campaign, long: one row per campaign and rate.

    ``results`` is :func:`campaign_results` output for ``campaigns``; ``contacts`` and
    ``groups`` are the WeCom 联系客户统计 / 群聊数据统计 (:mod:`diag.readers.wecom`), used only
    for windows they cover.  Columns: ``name, rate, label, value, numerator,
    denominator, basis, definition``; ``value`` is None and ``basis`` 无数据 where the
    inputs do not allow the rate.  Definitions: :data:`RATES`.
    """
    rows = []
    by_name = campaigns.set_index("name")
    for r in results.itertuples(index=False):
        c = by_name.loc[r.name]
        start, end = _ts(r.start), _ts(r.end)
        if _known(c["new_friends"]):
            added, basis = c["new_friends"], "活动文件：新增好友 ÷ 触达人数"
        elif _known(c["group_joins"]):
            added, basis = c["group_joins"], "活动文件：入群人数 ÷ 触达人数"
        else:
            window = _daily(contacts, start, end)
            added = float(window["new_contact_cnt"].sum()) if window is not None else None
            basis = "企业微信新增客户 ÷ 活动文件触达人数"
        reached = c["reached"] if _known(c["reached"]) else None
        out = [_rate("acquisition", added, reached, basis)]
        window = _daily(groups, start, end)
        if window is not None and window["member_total"].sum() > 0:
            out.append(_rate("activity", float(window["member_has_msg"].sum()),
                             float(window["member_total"].sum()), "企业微信群聊统计（活动期内）"))
        else:
            out.append(_rate("activity", None, None, ""))
        if _known(c["participants"]):
            den, basis = c["participants"], "订单 ÷ 活动文件参与人数"
        else:
            den, basis = (c["group_joins"] if _known(c["group_joins"]) else None), "订单 ÷ 活动文件入群人数"
        out.append(_rate("conversion", float(r.buyers), den, basis))
        repeat = r.repeat_buyers if _known(r.repeat_buyers) else None
        out.append(_rate("repurchase", repeat, float(r.buyers) if repeat is not None else None,
                         f"订单：活动后 {r.after_days} 天内"))
        out.append(_rate("fission", c["referrals"] if _known(c["referrals"]) else None,
                         c["participants"] if _known(c["participants"]) else None, "活动文件：推荐人数 ÷ 参与人数"))
        same = results[(results["type"] == r.type) & results["met"].notna()] if r.type else results.iloc[0:0]
        if len(same) >= 2:
            out.append(_rate("replication", float(same["met"].astype(bool).sum()), float(len(same)),
                             f"同类型「{r.type}」{len(same)} 场"))
        else:
            out.append(_rate("replication", None, None, ""))
        rows += [{"name": r.name, **row} for row in out]
    return pd.DataFrame(rows, columns=["name", "rate", "label", "value", "numerator", "denominator", "basis",
                                       "definition"])


def overall_rates(rates: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Return the six rates over all campaigns: Σ numerators ÷ Σ denominators of the campaigns that have both.

    复制成功率 over all campaigns is the share of the campaigns of repeated types (at
    least two of the type with a GMV target) that met their target.  Columns as
    :func:`review_rates`, with ``name`` = 全部活动.
    """
    rows = []
    for key, (label, definition) in RATES.items():
        part = rates[(rates["rate"] == key) & rates["value"].notna()]
        if key == "replication":
            with_target = results[results["met"].notna() & (results["type"].astype(str) != "")]
            counts = with_target["type"].value_counts()
            copied = with_target[with_target["type"].isin(counts[counts >= 2].index)]
            num, den = (float(copied["met"].astype(bool).sum()), float(len(copied))) if len(copied) else (None, None)
        else:
            num = float(part["numerator"].sum()) if len(part) else None
            den = float(part["denominator"].sum()) if len(part) else None
        value = _ratio(num, den)
        rows.append({"name": OVERALL, "rate": key, "label": label, "value": value, "numerator": num,
                     "denominator": den, "basis": f"{len(part)} 场活动合计" if value is not None else NO_DATA,
                     "definition": definition})
    return pd.DataFrame(rows, columns=list(rates.columns))


def _pct(value: Any, digits: int = 1) -> str:
    return format_number(value, "share", digits=digits, missing=NO_DATA)


def _money(value: Any) -> str:
    return format_number(value, "yuan", missing=NO_DATA)


def rate_texts(lang: str = "zh") -> dict[str, tuple[str, str]]:
    """Return each rate's (label, definition) in ``lang``: :data:`RATES`, or their English words."""
    if lang == "zh":
        return dict(RATES)
    t = messages("review", lang)
    return {key: (t(f"rate.{key}"), t(f"rate.{key}.definition")) for key in RATES}


def rates_display(rates: pd.DataFrame, overall: pd.DataFrame | None = None, lang: str = "zh") -> pd.DataFrame:
    """Return the rates as a table for the report: one row per campaign (and 全部活动), one column per rate."""
    t = messages("review", lang)
    labels = rate_texts(lang)
    frame = rates if overall is None else pd.concat([rates, overall], ignore_index=True)
    if frame.empty:
        return pd.DataFrame(columns=[t("col.campaign"), *(label for label, _ in labels.values())])
    shown = frame.assign(text=[(t("no_data") if not _known(v) else (f"{v:.2f}" if k == "fission" else _pct(v)))
                               for k, v in zip(frame["rate"], frame["value"])],
                         name=frame["name"].replace(OVERALL, t("overall")))
    table = shown.pivot(index="name", columns="rate", values="text")
    order = list(dict.fromkeys(shown["name"]))
    table = table.reindex(index=order, columns=list(RATES)).rename(columns={k: v[0] for k, v in labels.items()})
    return table.rename_axis(None, axis=1).reset_index().rename(columns={"name": t("col.campaign")})


def campaigns_display(results: pd.DataFrame, part: str = "targets", lang: str = "zh") -> pd.DataFrame:
    """Return the campaigns as a report table: ``part="targets"`` (目标与达成) or ``"return"`` (投入产出).

    Headers and verdicts in ``lang``; names and types as the client wrote them.
    """
    t = messages("review", lang)
    rows = []
    for r in results.itertuples(index=False):
        name = _label(r.name, r.store)
        if part == "targets":
            met = "—" if r.met is None or pd.isna(r.met) else (t("met") if r.met else t("missed"))
            span = f"{r.start:%m-%d}～{r.end:%m-%d}" if r.start.year == r.end.year else f"{r.start}～{r.end}"
            new = f"{r.new_customers:,}" + ("" if not _known(r.target_new) else f" / {r.target_new:,.0f}")
            rows.append({t("col.campaign"): name,
                         t("col.dates"): f"{r.start:%Y}-{span}" if r.start.year == r.end.year else span,
                         "GMV": _money(r.gmv), t("col.target_gmv"): _money(r.target_gmv),
                         t("col.attainment"): _pct(r.attainment, 0), t("col.new_vs_target"): new,
                         t("col.verdict"): met})
        else:
            rows.append({t("col.campaign"): name, t("col.type"): r.type or "—",
                         t("col.base_gmv"): _money(r.base_gmv), t("col.lift"): _pct(r.uplift_pct),
                         t("col.cost"): _money(r.cost), t("col.cost_per_new"): _money(r.cost_per_new),
                         "ROI": t("no_data") if not _known(r.roi) else f"{r.roi:.2f}"})
    return pd.DataFrame(rows)


def notes_text(items: list[dict[str, Any]], lang: str = "zh") -> str:
    """Return a campaign's ``note_items`` (``{"key", "names"}``) as one sentence in ``lang``; campaign and store names stay as written."""
    t = messages("review", lang)
    return t("note_sep").join(t(f"note.{item['key']}", names=t("name_sep").join(t("name_quote", name=name)
                                                                               for name in item.get("names", [])))
                              for item in items)


def summary_sentences(results: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Return the campaign review's findings, one sentence each in ``lang``."""
    if results.empty:
        return []
    t = messages("review", lang)
    judged = results[results["met"].notna()]
    out = [t("summary_met", campaigns=len(results), met=int(judged["met"].astype(bool).sum()), judged=len(judged))]
    for kind, copies in judged[judged["type"].astype(str) != ""].groupby("type", sort=False):
        if len(copies) >= 2:
            met = int(copies["met"].astype(bool).sum())
            where = copies["store"].dropna().nunique()
            scope = t("scope_stores", stores=where) if where >= 2 else t("scope_runs", runs=len(copies))
            out.append(t("summary_play", kind=kind, scope=scope, met=met, share=met / len(copies)))
    roi = results[results["roi"].notna()]
    if len(roi):
        best, worst = roi.loc[roi["roi"].idxmax()], roi.loc[roi["roi"].idxmin()]
        out.append(t("summary_roi", best=best["name"], best_roi=best["roi"], worst=worst["name"],
                     worst_roi=worst["roi"], below=t("roi_below") if worst["roi"] < 0 else ""))
    return out
