"""The chapters a real diagnosis has, built for one client: 用户画像, 竞品对标, 引流路径.

Each chapter is a :class:`Chapter` — paragraphs, tables and recorded data — built from the
client's data where it exists and from the brief and the industry template otherwise; each
finding says which (依据: 数据 / 需求澄清表 / 行业模板 / 基准).  The operating chapters
(社群SOP, 朋友圈, 话术, 活动方案, 风控与合规, 团队) are in :mod:`diag.strategy.chapters_ops`.
Pure functions; the strategy notebook records the chapters with :func:`record`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import pandas as pd

from diag.catalog import label
from diag.industries.registry import in_language
from diag.messages import messages
from diag.strategy.plays import ClientContext, fill, in_scope
from diag.strategy.wording import gene_word, localize, word

__all__ = ["Chapter", "record", "business_type", "reminders_chapter", "persona", "competitors", "acquisition_path", "path_funnel", "funnel_gap", "rate_of"]

DATA, BRIEF, TEMPLATE, BENCH = "数据", "需求澄清表", "行业模板", "基准"
#: The marks of :func:`rate_of` (codes in either language) and their message keys.
_MARKS = {"实测": "mark_measured", "基准": "mark_benchmark", "估计": "mark_estimate"}
_STATUSES = {"在用": "status_in_use", "行业模板建议": "status_suggested", "不适用": "status_not_applicable",
             "暂不优先": "status_later"}


def _mark(mark: str, lang: str) -> str:
    return messages("chapters", lang)(_MARKS[mark]) if mark in _MARKS else mark


def _industry(ctx: ClientContext, template: Mapping[str, Any], lang: str) -> str:
    """Return the industry's name in ``lang``: the template's key, or its English name in English."""
    return str(template.get("name_en") or ctx.industry) if lang == "en" else ctx.industry


@dataclass
class Chapter:
    """One chapter of the plan: a title, what it rests on, paragraphs, tables and data to record."""

    key: str
    title: str
    basis: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame, str]] = field(default_factory=list)
    data: Any = None
    boxes: list[str] = field(default_factory=list)


def record(rec: Any, chapter: Chapter, *, lang: str = "zh") -> None:
    """Write ``chapter`` to a :class:`diag.record.Recorder`: heading, basis note, text, tables, data.

    The chapter's title, table titles, headers and the kit's own cell words are written
    in ``lang`` (:mod:`diag.strategy.wording`); recorded data keep their keys.
    """
    rec.heading(word(chapter.title, lang))
    rec.text(chapter.basis, style="note")
    for p in chapter.paragraphs:
        rec.text(p)
    for key, frame, title in chapter.tables:
        if len(frame):
            rec.table(key, localize(frame, lang), title=word(title, lang))
    for box in chapter.boxes:
        rec.text(box, style="note")
    if chapter.data is not None:
        rec.data(chapter.key, chapter.data)


def _bands(values: pd.Series, edges: list[float], lang: str = "zh") -> pd.DataFrame:
    t = messages("chapters", lang)
    labels = [t("band", low=a, high=b) for a, b in zip(edges, edges[1:-1])] + [t("band_above", low=edges[-2])]
    cut = pd.cut(values, bins=edges[:-1] + [float("inf")], labels=labels, right=False, include_lowest=True)
    counts = cut.value_counts().reindex(labels).fillna(0).astype(int)
    spend = values.groupby(cut, observed=False).sum().reindex(labels).fillna(0.0)
    return pd.DataFrame({"累计消费": labels, "客户数": counts.values,
                         "客户占比": [f"{c / max(len(values), 1):.0%}" for c in counts.values],
                         "消费占比": [f"{s / max(values.sum(), 1e-9):.0%}" for s in spend.values]})


def _nice(x: float) -> float:
    for mag in range(0, 9):
        for step in (1, 2, 5):
            v = step * 10 ** mag
            if v >= x:
                return float(v)
    return float(round(x))


def persona(brief: Any, orders: pd.DataFrame, lines: pd.DataFrame, ctx: ClientContext,
            members: list[dict[str, Any]] | None = None, *, lang: str = "zh") -> Chapter:
    """Return the 用户画像: regions, order times, first products, channels, spend bands, members' attributes.

    ``members`` are :func:`diag.readers.members.attribute_summary` rows from the member file, when one is given.
    The kit's words are in ``lang``; the client's (regions, products, channels, persona) stay as written.
    """
    from diag.areas import goods
    t = messages("chapters", lang)
    sep, data_, brief_ = t("list_sep"), t("src_data"), t("src_brief")
    rows: list[dict[str, str]] = []
    paras: list[str] = []
    name = brief.client.name
    if brief.client.regions:
        rows.append({"维度": t("dim_region"), "发现": sep.join(brief.client.regions), "依据": brief_})
    if "store" in orders and orders["store"].notna().any():
        top = orders.groupby("store")["customer_id"].nunique().sort_values(ascending=False)
        rows.append({"维度": t("dim_store"), "发现": sep.join(t("persona_store", store=s, count=n)
                                                            for s, n in top.head(3).items()), "依据": data_})
    paid = pd.to_datetime(orders["paid_at"])
    if len(paid) and (paid.dt.hour + paid.dt.minute).gt(0).mean() > 0.5:
        hours = paid.dt.hour // 2 * 2
        shares = hours.value_counts(normalize=True).sort_values(ascending=False)
        top = [t("persona_hour", start=h, end=h + 2, share=v) for h, v in shares.head(3).items()]
        peak = int(shares.index[0])
        rows.append({"维度": t("dim_peak"), "发现": sep.join(top), "依据": data_})
        paras.append(t("persona_peak", client=name, start=peak, end=peak + 2, share=shares.iloc[0], advisor=ctx.advisor)
                     + (t("persona_peak_end") if f"{peak}:00" in ctx.window else t("persona_peak_window", window=ctx.window)))
    by = "category" if "category" in lines and lines["category"].notna().any() else "product"
    if by in lines and lines[by].notna().any():
        first = goods.first_order_products(lines.dropna(subset=[by]), by=by).head(3)
        rows.append({"维度": t("dim_first"), "发现": sep.join(t("persona_first_item", item=r[by], share=r["share"],
                                                                rate=r["repurchase_rate"]) for _, r in first.iterrows()),
                     "依据": data_})
        best = first.sort_values("repurchase_rate", ascending=False).iloc[0]
        paras.append(t("persona_first", first=first.iloc[0][by], best=best[by], rate=best["repurchase_rate"], lead=ctx.lead))
    if "channel" in orders and orders["channel"].notna().any():
        ch = orders.groupby("channel")["customer_id"].nunique().sort_values(ascending=False)
        total = orders["customer_id"].nunique()
        rows.append({"维度": t("dim_channel"), "发现": sep.join(t("persona_share", name=c, share=n / total)
                                                              for c, n in ch.head(4).items()), "依据": data_})
    elif brief.scene.channels:
        rows.append({"维度": t("dim_channel"), "发现": sep.join(t("persona_share", name=c.name, share=c.share)
                                                              for c in brief.scene.channels if c.share is not None),
                     "依据": brief_})
    spend = orders.groupby("customer_id")["amount"].sum()
    tables = []
    if len(spend):
        aov = float(orders["amount"].sum() / max(len(orders), 1))
        edges = sorted({0.0, _nice(aov), _nice(3 * aov), _nice(10 * aov)})
        table = _bands(spend, edges + [float("inf")], lang)
        tables.append(("persona_spend_bands", table, "客户累计消费分层"))
        top = next((r for _, r in table.iloc[::-1].iterrows() if r["客户数"] >= 0.02 * len(spend)), table.iloc[0])
        paras.append(t("persona_top_band", band=top["累计消费"], customers=top["客户占比"], spend=top["消费占比"],
                       advisor=ctx.advisor, profit=ctx.profit))
    for m in members or []:
        found = t("member_values", values=t("member_sep").join(t("member_value", value=v, share=x)
                                                              for v, x in m["values"]), members=m["members"])
        label = f"member_attr.{m['attribute']}"
        rows.append({"维度": t(label) if t.has(label) else m["attribute"], "发现": found, "依据": t("src_members")})
    signup = next((m for m in members or [] if m["attribute"] == "注册方式" and m["values"]), None)
    if signup:
        paras.append(t("persona_signup", client=name, way=t("member_value", value=signup["values"][0][0],
                                                             share=signup["values"][0][1]), advisor=ctx.advisor))
    attrs = [x for x in (brief.people.persona, brief.people.purchase_logic) if x]
    if attrs or brief.people.member_tiers:
        rows.append({"维度": t("dim_member"), "发现": "; ".join(attrs + ([t("persona_tiers", tiers=ctx.tiers)]
                                                                     if brief.people.member_tiers else [])),
                     "依据": brief_})
    if rows:
        tables.insert(0, ("persona_overview", pd.DataFrame(rows), "用户画像"))
    basis = t("persona_basis", items=t("basis_sep").join(t("persona_basis_item", dimension=r["维度"], source=r["依据"])
                                                         for r in rows))
    return Chapter("persona", "用户画像", basis, paras, tables, data=rows)


def _our_side(words: list[str], brief: Any, ctx: ClientContext, metrics: Mapping[str, Any],
              lang: str = "zh") -> tuple[str, str]:
    """Return what the kit knows about the client on a competitor's strength, and from where (in ``lang``)."""
    t = messages("chapters", lang)
    rate = {"rate_label": label("repurchase_rate", lang), "rate": metrics.get("repurchase_rate", 0)}
    if any(w in words for w in ("价格低", "低价", "便宜", "价格", "满减", "促销", "折扣")):
        return t("ours_price", client=ctx.client, aov_label=label("aov", lang), aov=metrics.get("aov", 0),
                 lead=ctx.lead, price=ctx.lead_price), t("src_data")
    if any(w in words for w in ("门店", "线下", "到店", "网点", "专柜")):
        stores = t("list_sep").join(ctx.stores) if ctx.stores else t("ours_store_count",
                                                                      count=brief.client.store_count or "")
        return (t("ours_stores", stores=stores) if ctx.has_stores else t("ours_no_stores")), t("src_brief")
    if any(w in words for w in ("会员", "积分", "储值")):
        return t("ours_members", tiers=ctx.tiers, **rate), t("src_data")
    if any(w in words for w in ("信任", "口碑", "团长", "复购快", "社群")):
        return t("ours_trust", days=metrics.get("median_repurchase_days") or 0, **rate), t("src_data")
    if any(w in words for w in ("达人", "直播", "抖音", "内容", "小红书", "种草")):
        return t("ours_public", public=ctx.public), t("src_brief")
    return t("ours_unknown"), t("src_brief")


def competitors(brief: Any, ctx: ClientContext, library: Mapping[str, Any], metrics: Mapping[str, Any], *,
                lang: str = "zh") -> Chapter:
    """Return 竞品对标: each competitor's strengths against the client's, and what the plan does about each.

    The kit's words and the play library's answers are in ``lang`` (their ``en`` twins in
    English); the competitors' names, strengths and weak spots stay as the brief has them.
    """
    t = messages("chapters", lang)
    counters = library["plays"]["counters"]
    rows, paras = [], []
    for c in brief.competitors:
        text = c.strengths or ""  # the counter answers the strength; the notes only when the strength says nothing
        hits = [k for k in counters if any(w in text for w in k["words"])]
        if not hits:
            text = f"{text} {c.notes or ''}"
            hits = [k for k in counters if any(w in text for w in k["words"])]
        counter = in_language(dict(hits[0] if hits else library["plays"]["default_counter"]), lang)
        words = [w for w in counter.get("words", []) if w in text]
        if "answer_store" in counter:
            answer = counter["answer_store"] if ctx.has_stores else counter["answer_online"]
        else:
            answer = counter["answer"]
        answer = fill(answer, ctx)
        ours, src = _our_side(words, brief, ctx, metrics, lang)
        rows.append({"对手": c.name, "对手强项": c.strengths or "—", "对手短板": c.notes or "—",
                     f"{ctx.client}现状": ours, "依据": src, "计划的应对": answer, "领域": counter["area"]})
        weak = t("competitor_weak", notes=c.notes) if c.notes else ""
        paras.append(t("competitor_para", name=c.name, strengths=c.strengths or t("unstated"), weak=weak,
                       client=ctx.client, ours=ours, area=word(counter["area"], lang), answer=answer))
    if not rows:
        paras.append(t("competitors_none", client=ctx.client))
    basis = t("competitors_basis", names=t("list_sep").join(c.name for c in brief.competitors)
              or t("competitors_unnamed"), client=ctx.client)
    return Chapter("competitors", "竞品对标", basis, paras,
                   [("competitors", pd.DataFrame(rows), "竞品对标与应对")], data=rows)


def rate_of(spec: Mapping[str, Any], template: Mapping[str, Any], measured: Mapping[str, Any]) -> tuple[float, str]:
    """Return a step's conversion and its mark: measured (实测), a template benchmark (基准) or the play's estimate."""
    key = spec.get("benchmark")
    if key:
        value = measured.get(key)
        if isinstance(value, (int, float)) and 0 < value <= 1:
            return float(value), "实测"
        b = template.get("benchmarks", {}).get(key)
        if b:
            return (b["low"] + b["high"]) / 2, "基准"
        return 0.1, "估计"
    return float(spec["rate"]), "估计"


def _pool_for(name: str, pools: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    for p in pools:
        if name == p["name"] or name in p["name"].split("/") or p["name"] in name:
            return p
    return None


def _parcel(pool: Mapping[str, Any]) -> bool:
    """Return whether a pool reaches people by parcel (its reach is the brief's monthly parcels)."""
    return bool(pool.get("parcel")) or "包裹" in str(pool["path"][0])


def acquisition_path(brief: Any, ctx: ClientContext, template: Mapping[str, Any], library: Mapping[str, Any],
                     measured: Mapping[str, Any], *, months: int = 3, lang: str = "zh") -> Chapter:
    """Return 引流路径: which of the eight public pools apply, and each channel's path to WeCom with conversions.

    Stages per channel over ``months`` months: 触达 (monthly reach × months; parcels for a
    package-card path) → 加企微 (× the path's two step rates) → 入群 (× friends ÷ group
    members from the brief, else the play library's join rate) → 成交 (× the brief's
    purchase intent, else the template's group-conversion benchmark).  The totals are
    the target funnel's stages (:func:`path_funnel`), one number per stage.  The recorded
    data keep their keys and codes (状态 在用 …, marks 实测 / 基准 / 估计); the texts, paths
    and the shown tables are in ``lang`` (the play library's ``en`` twins and pool ``name_en`` in English).
    """
    t = messages("chapters", lang)
    sep = t("list_sep")
    plays = library["plays"]
    pools = plays["pools"]

    def pool_name(p: Mapping[str, Any]) -> str:
        return str(p.get("name_en") or p["name"]) if lang == "en" else str(p["name"])

    def path_of(spec: Mapping[str, Any], **extra: Any) -> str:
        return " → ".join(fill(s, ctx, **extra) for s in in_language(dict(spec), lang)["path"])

    used = {p for p in brief.scene.public_platforms} | {c.name for c in brief.scene.channels if c.kind == "公域"}
    suggested = {p["name"] for p in template.get("acquisition", {}).get("pools", [])}
    pool_rows = []
    for p in pools:
        fits = in_scope({"formats": p["formats"]}, ctx)
        on = any(_pool_for(u, [p]) for u in used)
        status = ("在用" if on else ("行业模板建议" if p["name"] in suggested and fits else
                                   ("不适用" if not fits else "暂不优先")))
        why = (t("why_in_use") if on else t("why_no_stores", client=ctx.client) if not fits and "门店" in p["formats"]
               else t("why_needs_online") if not fits else t("why_template_pool") if p["name"] in suggested
               else t("why_rare"))
        pool_rows.append({"公域流量池": p["name"], "状态": status, "原因": why, "导入企微的路径": path_of(p)})
    a, g = brief.assets, brief.funnel
    if a.friends and a.group_members:
        join, join_src = min(1.0, a.group_members / a.friends), t("join_from_brief")
    else:
        join, join_src = float(plays["join_rate"]["rate"]), t("mark_estimate")
    if g.purchase_intent is not None:
        intent, intent_src = float(g.purchase_intent), t("src_brief")
    else:
        intent, mark = rate_of({"benchmark": "group_conversion"}, template, {})
        intent_src = _mark(mark, lang)
    parcel_channels = [c for c in brief.scene.channels if (p := _pool_for(c.name, pools)) and _parcel(p)]
    parcel_share = sum(c.share or 0 for c in parcel_channels) or 1.0
    rows = []
    channels = list(brief.scene.channels) or []
    names = {c.name for c in channels}
    extra = [p for p in brief.scene.public_platforms if p not in names]
    for c in channels + extra:
        cname = c if isinstance(c, str) else c.name
        kind = "公域" if isinstance(c, str) else c.kind
        pool = _pool_for(cname, pools) if kind in (None, "公域") else None
        spec = pool or plays["own_channels"].get(kind or "") or plays["own_channels"]["私域"]
        if pool and not in_scope({"formats": pool["formats"]}, ctx):
            continue
        monthly = None if isinstance(c, str) else c.monthly_reach
        reach_src = t("src_brief")
        if pool and _parcel(pool) and brief.scene.monthly_parcels:
            monthly = brief.scene.monthly_parcels * ((c.share or 0) / parcel_share if not isinstance(c, str) else 0)
            reach_src = t("reach_from_parcels")
        reach = int(round((monthly or 0) * months))
        r1, s1 = rate_of(spec["steps"][0], template, measured)
        r2, s2 = rate_of(spec["steps"][1], template, measured)
        added = int(round(reach * r1 * r2))
        in_group = int(round(added * join))
        rows.append({"渠道": cname, "路径": path_of(spec, channel=cname), "触达": reach,
                     "第一步转化": r1, "第一步依据": s1, "加好友通过": r2, "通过依据": s2, "加企微": added,
                     "入群率": join, "入群": in_group, "成交率": intent, "成交": in_group * intent,
                     "触达依据": reach_src if reach else t("reach_missing")})
    frame = pd.DataFrame(rows)
    total = {k: (float(frame[k].sum()) if len(frame) else 0.0) for k in ("触达", "加企微", "入群", "成交")}
    shown = pd.DataFrame([{
        "渠道": r["渠道"], "路径": r["路径"], "触达": f"{r['触达']:,}",
        "加企微": t("path_added", added=r["加企微"], r1=r["第一步转化"], m1=_mark(r["第一步依据"], lang),
                   r2=r["加好友通过"], m2=_mark(r["通过依据"], lang)),
        "入群": t("path_share", count=r["入群"], rate=r["入群率"]),
        "成交": t("path_sales", count=r["成交"], rate=r["成交率"])} for r in rows]
        + ([{"渠道": t("path_total"), "路径": "—", "触达": f"{total['触达']:,.0f}", "加企微": f"{total['加企微']:,.0f}",
             "入群": f"{total['入群']:,.0f}", "成交": f"{total['成交']:,.0f}"}] if rows else []))
    paras = []
    if rows:
        best = max(rows, key=lambda r: r["入群"])
        paras.append(t("path_main", months=months, client=ctx.client, channel=best["渠道"], count=best["入群"],
                       share=best["入群"] / max(total["入群"], 1), path=best["路径"]))
        for r in sorted(rows, key=lambda r: -r["入群"]):
            if r["触达"] and r is not best:
                paras.append(t("path_other", channel=r["渠道"], path=r["路径"], months=months, added=r["加企微"],
                               mark=_mark(r["第一步依据"], lang), rate=r["第一步转化"]))
        unknown = [r["渠道"] for r in rows if not r["触达"]]
        if unknown:
            paras.append(t("path_unknown", channels=sep.join(unknown)))
    by_name = {p["name"]: pool_name(p) for p in pools}
    in_use = [by_name[r["公域流量池"]] for r in pool_rows if r["状态"] == "在用"]
    todo = [by_name[r["公域流量池"]] for r in pool_rows if r["状态"] == "行业模板建议"]
    paras.append(t("path_pools", client=ctx.client, in_use=sep.join(in_use) or t("none"), todo=sep.join(todo) or t("none"),
                   join=join_src, intent=intent_src))
    basis = t("path_basis", channels=sep.join(r["渠道"] for r in rows) or t("path_unnamed"))
    data = {"pools": pool_rows, "channels": rows, "total": total, "join_rate": join, "purchase_intent": intent,
            "months": months}
    pools_shown = pd.DataFrame([{**r, "公域流量池": by_name[r["公域流量池"]],
                                 "状态": t(_STATUSES[r["状态"]])} for r in pool_rows])
    return Chapter("acquisition_path", "引流路径", basis, paras,
                   [("acquisition_pools", pools_shown, "公域流量池"),
                    ("acquisition_path", shown, f"各渠道导入企微的路径(未来{months}个月)")], data=data)


def path_funnel(funnel_plan: Any, path: Chapter, brief: Any, *, aov: float, reachable: float | None = None,
                invite_success: float | None = None, purchase_intent: float | None = None, lang: str = "zh",
                **targets: Any) -> Any:
    """Return the target funnel whose stages are the acquisition path's totals (live parameters still win).

    ``funnel_plan`` is :func:`diag.strategy.funnel.funnel_plan`.  Reachable = the path's total
    reach, invite success = its in-group total ÷ that reach (exact), purchase intent =
    the path's; when the path reaches nobody the brief's funnel applies unchanged.  The
    basis sentence is in ``lang``.
    """
    t = messages("chapters", lang)
    total = path.data["total"] if path.data else {}
    reach, group = int(total.get("触达", 0)), int(total.get("入群", 0))
    if reach <= 0:
        return funnel_plan(brief.funnel, brief.goals, aov=aov, reachable=reachable, invite_success=invite_success,
                           purchase_intent=purchase_intent, lang=lang, **targets)
    live = {"reachable": reachable, "invite_success": invite_success, "purchase_intent": purchase_intent}
    plan = funnel_plan(brief.funnel, brief.goals, aov=aov,
                       reachable=reachable if reachable is not None else reach,
                       invite_success=invite_success if invite_success is not None else Fraction(group, reach),
                       purchase_intent=purchase_intent if purchase_intent is not None
                       else Fraction(str(path.data["purchase_intent"])), lang=lang, **targets)
    sources = {k: ("现场调整" if live[k] is not None else "引流路径") for k in live}
    names = t("list_sep").join(r["渠道"] for r in path.data.get("channels", []) if r["触达"])
    basis = (t("funnel_basis", channels=names) + (t("funnel_live") if any(v is not None for v in live.values()) else "")
             + t("funnel_end"))
    return dataclasses.replace(plan, sources=sources, basis=basis, rates_from_brief=False)


def business_type(position: Any, ctx: ClientContext, template: Mapping[str, Any], *, lang: str = "zh") -> Chapter:
    """Return the business type: format, quadrant from the template's split points and the measured axes, gene.

    ``position`` is :func:`diag.industries.quadrant.quadrant` with the template; ``template`` the
    fitted one (:func:`diag.strategy.plays.fit_template`), whose ``fitted_out`` says which plays
    were left out for this format or gene.  Texts in ``lang``; the data keep the codes.
    """
    t = messages("chapters", lang)
    q = template.get("quadrant", {})
    source = q.get("split_source") or position.split_source
    axis = label("aov", lang) if position.value_axis == "aov" else t("annual_spend")
    industry = _industry(ctx, template, lang)
    data = {"format": ctx.format, "store_type": position.store_type, "template_store_type": q.get("store_type"),
            "purchases_per_year": position.purchases_per_year, "value": position.value, "value_axis": position.value_axis,
            "frequency_split": position.frequency_split, "value_split": position.value_split,
            "split_source": source, "gene": ctx.gene, "left_out": template.get("fitted_out", [])}
    paras = [t("business_type_para", client=ctx.client, format=word(ctx.format, lang),
               stores=t("no_stores_note") if not ctx.has_stores else "", per_year=position.purchases_per_year,
               axis=axis, value=position.value, industry=industry, frequency_split=position.frequency_split,
               value_split=position.value_split, source=source, store_type=word(position.store_type, lang))]
    if q.get("store_type") and q["store_type"] != position.store_type:
        paras.append(t("business_type_differs", template=word(q["store_type"], lang), client=ctx.client,
                       measured=word(position.store_type, lang)))
    left = template.get("fitted_out", [])
    if left:
        paras.append(t("business_type_left", items="; ".join(_left_out(d, ctx, lang) for d in left)))
    gene = gene_word(ctx.gene, lang) or t("gene_missing")
    stores = (t("list_sep").join(ctx.stores) or t("stores_yes")) if ctx.has_stores else t("stores_no")
    basis = t("business_type_basis", axis=axis, industry=industry, format=word(ctx.format, lang), stores=stores, gene=gene)
    return Chapter("business_type", "经营类型与打法选择", basis, paras, [], data=data)


def _left_out(entry: Mapping[str, Any], ctx: ClientContext, lang: str) -> str:
    """Return why a play was left out (:func:`diag.strategy.plays.fit_template`'s ``fitted_out``) in ``lang``."""
    if lang == "zh":
        return str(entry["reason"])
    t = messages("chapters", lang)
    name = word(str(entry["name"]), lang)
    if entry.get("kind") == "规则":  # a rule is named by its id: in English, by its area and its English action
        from diag.industries.registry import load_industry
        rule = next((r for r in load_industry(ctx.industry, lang).get("rules", []) if r.get("id") == entry["name"]), None)
        if rule is not None:
            name = t("left_rule", area=word(str(rule["area"]), lang), action=rule["action"])
    if "需要门店" in str(entry["reason"]):
        return t("left_needs_store", name=name, client=ctx.client)
    gene = gene_word(ctx.gene, lang)
    return t("left_discount", name=name, gene=gene)


def reminders_chapter(reminders: list[Mapping[str, Any]], ctx: ClientContext, *, lang: str = "zh",
                      template: Mapping[str, Any] | None = None) -> Chapter:
    """Return the per-category reminder plan (recorded as ``reminders``: category, cycle_days, touch_days, …).

    Texts in ``lang``; ``template`` (the industry template) gives the industry's English name.
    """
    from diag.strategy.reminders import MIN_REPEAT_BUYERS, reminders_table
    t = messages("chapters", lang)
    sep = t("list_sep")
    measured = [r["category"] for r in reminders if r["basis"] == "实测"]
    other = [r["category"] for r in reminders if r["basis"] != "实测"]
    long = [r["category"] for r in reminders if r["mode"] == "服务节奏"]
    paras = []
    if measured:
        fast = min((r for r in reminders if r["basis"] == "实测"), key=lambda r: r["cycle_days"])
        paras.append(t("reminders_measured", client=ctx.client, categories=sep.join(measured), fastest=fast["category"],
                       days=fast["cycle_days"]))
    if other:
        paras.append(t("reminders_template", categories=sep.join(other), min_repeat=MIN_REPEAT_BUYERS))
    if long:
        paras.append(t("reminders_long", categories=sep.join(long)))
    basis = t("reminders_basis", categories=sep.join(r["category"] for r in reminders[:6]), min_repeat=MIN_REPEAT_BUYERS,
              industry=_industry(ctx, template or {}, lang))
    return Chapter("reminders", "分品类复购提醒", basis, paras,
                   [("strategy_reminders", reminders_table(reminders, lang), "分品类复购提醒")], data=list(reminders))


def funnel_gap(funnel: Any, path: Chapter, *, lang: str = "zh") -> str:
    """Return whether the acquisition path reaches enough people for the inverse target, and which channel to push."""
    t = messages("chapters", lang)
    rows = [r for r in (path.data or {}).get("channels", []) if r["触达"]]
    if funnel.inverse is None or not rows:
        return ""
    reach = sum(r["触达"] for r in rows)
    best = max(rows, key=lambda r: r["入群"])
    need = funnel.inverse.reachable
    if reach >= need:
        return t("gap_enough", channels=t("list_sep").join(r["渠道"] for r in rows), reach=reach, need=need,
                 best=best["渠道"])
    return t("gap_short", reach=reach, need=need, short=need - reach, best=best["渠道"], path=best["路径"])
