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

from diag.strategy.plays import ClientContext, fill, in_scope
from diag.strategy.wording import localize, word

__all__ = ["Chapter", "record", "business_type", "reminders_chapter", "persona", "competitors", "acquisition_path", "path_funnel", "funnel_gap", "rate_of"]

DATA, BRIEF, TEMPLATE, BENCH = "数据", "需求澄清表", "行业模板", "基准"


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


def _bands(values: pd.Series, edges: list[float]) -> pd.DataFrame:
    labels = [f"¥{a:,.0f}–{b:,.0f}" for a, b in zip(edges, edges[1:-1])] + [f"¥{edges[-2]:,.0f}以上"]
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
            members: list[dict[str, str]] | None = None) -> Chapter:
    """Return the 用户画像: regions, order times, first products, channels, spend bands, members' attributes.

    ``members`` are :func:`diag.readers.members.attribute_summary` rows from the member file, when one is given.
    """
    from diag.areas import goods
    rows: list[dict[str, str]] = []
    paras: list[str] = []
    name = brief.client.name
    if brief.client.regions:
        rows.append({"维度": "地区", "发现": "、".join(brief.client.regions), "依据": BRIEF})
    if "store" in orders and orders["store"].notna().any():
        top = orders.groupby("store")["customer_id"].nunique().sort_values(ascending=False)
        rows.append({"维度": "门店", "发现": "、".join(f"{s} {n:,}人" for s, n in top.head(3).items()), "依据": DATA})
    paid = pd.to_datetime(orders["paid_at"])
    if len(paid) and (paid.dt.hour + paid.dt.minute).gt(0).mean() > 0.5:
        hours = paid.dt.hour // 2 * 2
        shares = hours.value_counts(normalize=True).sort_values(ascending=False)
        top = [f"{h}–{h + 2}点 {v:.0%}" for h, v in shares.head(3).items()]
        peak = int(shares.index[0])
        rows.append({"维度": "下单高峰(两小时段)", "发现": "、".join(top), "依据": DATA})
        paras.append(f"{name}的客户最集中在{peak}–{peak + 2}点下单(占 {shares.iloc[0]:.0%}); 社群活动与{ctx.advisor}的值班"
                     f"按这个时段排" + ("。" if f"{peak}:00" in ctx.window else f", 并对照行业通用的{ctx.window}。"))
    by = "category" if "category" in lines and lines["category"].notna().any() else "product"
    if by in lines and lines[by].notna().any():
        first = goods.first_order_products(lines.dropna(subset=[by]), by=by).head(3)
        rows.append({"维度": "首单商品", "发现": "、".join(f"{r[by]} {r['share']:.0%}(其中{r['repurchase_rate']:.0%}回购)"
                                                      for _, r in first.iterrows()), "依据": DATA})
        best = first.sort_values("repurchase_rate", ascending=False).iloc[0]
        paras.append(f"首单买{first.iloc[0][by]}的客户最多, 但首单买{best[by]}的客户回购比例最高({best['repurchase_rate']:.0%}); "
                     f"新客欢迎语里优先推{best[by]}, 引流品{ctx.lead}负责把人带进来。")
    if "channel" in orders and orders["channel"].notna().any():
        ch = orders.groupby("channel")["customer_id"].nunique().sort_values(ascending=False)
        total = orders["customer_id"].nunique()
        rows.append({"维度": "来源渠道", "发现": "、".join(f"{c} {n / total:.0%}" for c, n in ch.head(4).items()),
                     "依据": DATA})
    elif brief.scene.channels:
        rows.append({"维度": "来源渠道", "发现": "、".join(f"{c.name} {c.share:.0%}" for c in brief.scene.channels
                                                      if c.share is not None), "依据": BRIEF})
    spend = orders.groupby("customer_id")["amount"].sum()
    tables = []
    if len(spend):
        aov = float(orders["amount"].sum() / max(len(orders), 1))
        edges = sorted({0.0, _nice(aov), _nice(3 * aov), _nice(10 * aov)})
        table = _bands(spend, edges + [float("inf")])
        tables.append(("persona_spend_bands", table, "客户累计消费分层"))
        top = next((r for _, r in table.iloc[::-1].iterrows() if r["客户数"] >= 0.02 * len(spend)), table.iloc[0])
        paras.append(f"累计消费在{top['累计消费']}的客户占 {top['客户占比']}, 贡献 {top['消费占比']} 的消费: "
                     f"他们是{ctx.advisor}一对一服务和{ctx.profit}推荐的重点。")
    rows.extend(members or [])
    signup = next((m for m in members or [] if "注册方式" in m["维度"]), None)
    if signup:
        paras.append(f"{name}的会员主要经{signup['发现'].split('、')[0]}注册: 在这个环节同时邀请加{ctx.advisor}, "
                     "比事后再找人更省力。")
    attrs = [x for x in (brief.people.persona, brief.people.purchase_logic) if x]
    if attrs or brief.people.member_tiers:
        rows.append({"维度": "会员属性", "发现": "; ".join(attrs + (["会员等级: " + ctx.tiers]
                                                              if brief.people.member_tiers else [])), "依据": BRIEF})
    if rows:
        tables.insert(0, ("persona_overview", pd.DataFrame(rows), "用户画像"))
    basis = ("依据: " + "; ".join(f"{r['维度']}来自{r['依据']}" for r in rows) + "; 消费分层来自数据。")
    return Chapter("persona", "用户画像", basis, paras, tables, data=rows)


def _our_side(words: list[str], brief: Any, ctx: ClientContext, metrics: Mapping[str, Any]) -> tuple[str, str]:
    """Return what the kit knows about the client on a competitor's strength, and from where."""
    if any(w in words for w in ("价格低", "低价", "便宜", "价格", "满减", "促销", "折扣")):
        return f"{ctx.client}客单价 ¥{metrics.get('aov', 0):,.0f}, 引流品{ctx.lead} ¥{ctx.lead_price:,.0f}", DATA
    if any(w in words for w in ("门店", "线下", "到店", "网点", "专柜")):
        return ("有门店: " + ("、".join(ctx.stores) if ctx.stores else f"{brief.client.store_count or ''}家")
                if ctx.has_stores else "没有门店, 全部线上成交"), BRIEF
    if any(w in words for w in ("会员", "积分", "储值")):
        return f"复购率 {metrics.get('repurchase_rate', 0):.0%}, 会员等级: {ctx.tiers}", DATA
    if any(w in words for w in ("信任", "口碑", "团长", "复购快", "社群")):
        return f"复购率 {metrics.get('repurchase_rate', 0):.0%}, 复购周期中位 {metrics.get('median_repurchase_days') or 0:.0f} 天", DATA
    if any(w in words for w in ("达人", "直播", "抖音", "内容", "小红书", "种草")):
        return f"在用公域: {ctx.public}", BRIEF
    return "本次数据无法直接对比", BRIEF


def competitors(brief: Any, ctx: ClientContext, library: Mapping[str, Any], metrics: Mapping[str, Any]) -> Chapter:
    """Return 竞品对标: each competitor's strengths against the client's, and what the plan does about each."""
    counters = library["plays"]["counters"]
    rows, paras = [], []
    for c in brief.competitors:
        text = c.strengths or ""  # the counter answers the strength; the notes only when the strength says nothing
        hits = [k for k in counters if any(w in text for w in k["words"])]
        if not hits:
            text = f"{text} {c.notes or ''}"
            hits = [k for k in counters if any(w in text for w in k["words"])]
        counter = hits[0] if hits else library["plays"]["default_counter"]
        words = [w for w in counter.get("words", []) if w in text]
        if "answer_store" in counter:
            answer = counter["answer_store"] if ctx.has_stores else counter["answer_online"]
        else:
            answer = counter["answer"]
        answer = fill(answer, ctx)
        ours, src = _our_side(words, brief, ctx, metrics)
        rows.append({"对手": c.name, "对手强项": c.strengths or "—", "对手短板": c.notes or "—",
                     f"{ctx.client}现状": ours, "依据": src, "计划的应对": answer, "领域": counter["area"]})
        weak = f", 短板是{c.notes}" if c.notes else ""
        paras.append(f"{c.name}强在{c.strengths or '未写明'}{weak}。{ctx.client}这一项: {ours}。应对({counter['area']}): {answer}。")
    if not rows:
        paras.append(f"需求澄清表没有列出{ctx.client}的竞品; 请在 competitors 一栏补充两三个客户最常拿来比较的对手, "
                     "下次生成时逐一对标。")
    basis = (f"依据: 需求澄清表列出的{'、'.join(c.name for c in brief.competitors) or '竞品(未填)'}的强项与短板, "
             f"对照{ctx.client}的订单数据。")
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


def acquisition_path(brief: Any, ctx: ClientContext, template: Mapping[str, Any], library: Mapping[str, Any],
                     measured: Mapping[str, Any], *, months: int = 3) -> Chapter:
    """Return 引流路径: which of the eight public pools apply, and each channel's path to WeCom with conversions.

    Stages per channel over ``months`` months: 触达 (monthly reach × months; parcels for a
    package-card path) → 加企微 (× the path's two step rates) → 入群 (× friends ÷ group
    members from the brief, else the play library's join rate) → 成交 (× the brief's
    purchase intent, else the template's group-conversion benchmark).  The totals are
    the target funnel's stages (:func:`path_funnel`), one number per stage.
    """
    plays = library["plays"]
    pools = plays["pools"]
    used = {p for p in brief.scene.public_platforms} | {c.name for c in brief.scene.channels if c.kind == "公域"}
    suggested = {p["name"] for p in template.get("acquisition", {}).get("pools", [])}
    pool_rows = []
    for p in pools:
        fits = in_scope({"formats": p["formats"]}, ctx)
        on = any(_pool_for(u, [p]) for u in used)
        status = ("在用" if on else ("行业模板建议" if p["name"] in suggested and fits else
                                   ("不适用" if not fits else "暂不优先")))
        why = ("需求澄清表列为在用渠道" if on else f"{ctx.client}没有门店" if not fits and "门店" in p["formats"]
               else "需要电商包裹或线上店铺" if not fits else "行业模板的引流池" if p["name"] in suggested else "本行业少用")
        pool_rows.append({"公域流量池": p["name"], "状态": status, "原因": why,
                          "导入企微的路径": " → ".join(fill(s, ctx) for s in p["path"])})
    a, g = brief.assets, brief.funnel
    if a.friends and a.group_members:
        join, join_src = min(1.0, a.group_members / a.friends), f"{BRIEF}(群成员 ÷ 好友)"
    else:
        join, join_src = float(plays["join_rate"]["rate"]), "估计"
    if g.purchase_intent is not None:
        intent, intent_src = float(g.purchase_intent), BRIEF
    else:
        intent, intent_src = rate_of({"benchmark": "group_conversion"}, template, {})
    parcel_channels = [c for c in brief.scene.channels if (p := _pool_for(c.name, pools)) and "包裹" in p["path"][0]]
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
        reach_src = BRIEF
        if pool and "包裹" in pool["path"][0] and brief.scene.monthly_parcels:
            monthly = brief.scene.monthly_parcels * ((c.share or 0) / parcel_share if not isinstance(c, str) else 0)
            reach_src = f"{BRIEF}(月包裹数按渠道占比)"
        reach = int(round((monthly or 0) * months))
        r1, s1 = rate_of(spec["steps"][0], template, measured)
        r2, s2 = rate_of(spec["steps"][1], template, measured)
        added = int(round(reach * r1 * r2))
        in_group = int(round(added * join))
        rows.append({"渠道": cname, "路径": " → ".join(fill(s, ctx, channel=cname) for s in spec["path"]), "触达": reach,
                     "第一步转化": r1, "第一步依据": s1, "加好友通过": r2, "通过依据": s2, "加企微": added,
                     "入群率": join, "入群": in_group, "成交率": intent, "成交": in_group * intent,
                     "触达依据": reach_src if reach else "未填月触达, 暂不计入"})
    frame = pd.DataFrame(rows)
    total = {k: (float(frame[k].sum()) if len(frame) else 0.0) for k in ("触达", "加企微", "入群", "成交")}
    shown = pd.DataFrame([{
        "渠道": r["渠道"], "路径": r["路径"], "触达": f"{r['触达']:,}",
        "加企微": f"{r['加企微']:,} ({r['第一步转化']:.1%}{r['第一步依据']} × {r['加好友通过']:.0%}{r['通过依据']})",
        "入群": f"{r['入群']:,} ({r['入群率']:.0%})", "成交": f"{r['成交']:,.0f} ({r['成交率']:.1%})"} for r in rows]
        + ([{"渠道": "合计(即目标漏斗)", "路径": "—", "触达": f"{total['触达']:,.0f}", "加企微": f"{total['加企微']:,.0f}",
             "入群": f"{total['入群']:,.0f}", "成交": f"{total['成交']:,.0f}"}] if rows else []))
    paras = []
    if rows:
        best = max(rows, key=lambda r: r["入群"])
        paras.append(f"未来{months}个月{ctx.client}的新入群主要来自{best['渠道']}({best['入群']:,} 人, 占 "
                     f"{best['入群'] / max(total['入群'], 1):.0%}), 路径是{best['路径']}。")
        for r in sorted(rows, key=lambda r: -r["入群"]):
            if r["触达"] and r is not best:
                paras.append(f"{r['渠道']}: {r['路径']}, 3个月约 {r['加企微']:,} 人加企微; 第一步转化是{r['第一步依据']}值 "
                             f"{r['第一步转化']:.1%}, 第30天用分渠道活码的实测替换。".replace("3个月", f"{months}个月"))
        unknown = [r["渠道"] for r in rows if not r["触达"]]
        if unknown:
            paras.append("、".join(unknown) + " 没有填写月触达人数, 暂不计入漏斗; 补上后重新生成即可看到这些渠道的贡献。")
    in_use = [r["公域流量池"] for r in pool_rows if r["状态"] == "在用"]
    todo = [r["公域流量池"] for r in pool_rows if r["状态"] == "行业模板建议"]
    paras.append(f"八大公域流量池中{ctx.client}在用: {'、'.join(in_use) or '无'}; 行业模板建议补上: {'、'.join(todo) or '无'}; "
                 f"入群率依据{join_src}, 成交率依据{intent_src}。")
    basis = (f"依据: 需求澄清表中{'、'.join(r['渠道'] for r in rows) or '渠道(未填)'}的月触达与包裹数; 每一步的转化率"
             "标明实测、基准(行业模板区间中值)或估计(打法库, 可编辑); 各渠道合计即下文目标漏斗的每一阶段。")
    data = {"pools": pool_rows, "channels": rows, "total": total, "join_rate": join, "purchase_intent": intent,
            "months": months}
    return Chapter("acquisition_path", "引流路径", basis, paras,
                   [("acquisition_pools", pd.DataFrame(pool_rows), "公域流量池"),
                    ("acquisition_path", shown, f"各渠道导入企微的路径(未来{months}个月)")], data=data)


def path_funnel(funnel_plan: Any, path: Chapter, brief: Any, *, aov: float, reachable: float | None = None,
                invite_success: float | None = None, purchase_intent: float | None = None, **targets: Any) -> Any:
    """Return the target funnel whose stages are the acquisition path's totals (live parameters still win).

    ``funnel_plan`` is :func:`diag.strategy.funnel.funnel_plan`.  Reachable = the path's total
    reach, invite success = its in-group total ÷ that reach (exact), purchase intent =
    the path's; when the path reaches nobody the brief's funnel applies unchanged.
    """
    total = path.data["total"] if path.data else {}
    reach, group = int(total.get("触达", 0)), int(total.get("入群", 0))
    if reach <= 0:
        return funnel_plan(brief.funnel, brief.goals, aov=aov, reachable=reachable, invite_success=invite_success,
                           purchase_intent=purchase_intent, **targets)
    live = {"reachable": reachable, "invite_success": invite_success, "purchase_intent": purchase_intent}
    plan = funnel_plan(brief.funnel, brief.goals, aov=aov,
                       reachable=reachable if reachable is not None else reach,
                       invite_success=invite_success if invite_success is not None else Fraction(group, reach),
                       purchase_intent=purchase_intent if purchase_intent is not None
                       else Fraction(str(path.data["purchase_intent"])), **targets)
    sources = {k: ("现场调整" if live[k] is not None else "引流路径") for k in live}
    names = "、".join(r["渠道"] for r in path.data.get("channels", []) if r["触达"])
    basis = (f"漏斗各阶段取引流路径中{names}的合计(触达 → 入群 → 成交), 与上一章一一对应"
             + ("; 现场调整的参数优先" if any(v is not None for v in live.values()) else "") + "。")
    return dataclasses.replace(plan, sources=sources, basis=basis, rates_from_brief=False)


def business_type(position: Any, ctx: ClientContext, template: Mapping[str, Any]) -> Chapter:
    """Return the business type: format, quadrant from the template's split points and the measured axes, gene.

    ``position`` is :func:`diag.industries.quadrant.quadrant` with the template; ``template`` the
    fitted one (:func:`diag.strategy.plays.fit_template`), whose ``fitted_out`` says which plays
    were left out for this format or gene.
    """
    q = template.get("quadrant", {})
    source = q.get("split_source") or position.split_source
    axis = "客单价" if position.value_axis == "aov" else "年人均消费"
    data = {"format": ctx.format, "store_type": position.store_type, "template_store_type": q.get("store_type"),
            "purchases_per_year": position.purchases_per_year, "value": position.value, "value_axis": position.value_axis,
            "frequency_split": position.frequency_split, "value_split": position.value_split,
            "split_source": source, "gene": ctx.gene, "left_out": template.get("fitted_out", [])}
    paras = [f"{ctx.client}是{ctx.format}型客户" + ("(没有自己的门店)" if not ctx.has_stores else "")
             + f": 实测年均购买 {position.purchases_per_year:.2f} 次、{axis} ¥{position.value:,.0f}, 按{ctx.industry}行业分界"
             f"(每年 {position.frequency_split:g} 次、{axis} ¥{position.value_split:,.0f}; {source})属于「{position.store_type}」。"]
    if q.get("store_type") and q["store_type"] != position.store_type:
        paras.append(f"行业模板默认是「{q['store_type']}」, {ctx.client}的实测不同: 计划按实测的「{position.store_type}」选打法, "
                     f"只保留这一象限适用的规则。")
    left = template.get("fitted_out", [])
    if left:
        paras.append("按经营形态与团队基因, 这些打法不用: " + "; ".join(d["reason"] for d in left) + "。")
    basis = (f"依据: 订单数据的年均购买次数与{axis}; {ctx.industry}模板的分界点; 需求澄清表: 经营形态{ctx.format}、"
             f"门店{('、'.join(ctx.stores) or '有') if ctx.has_stores else '无'}、团队基因{ctx.gene or '未填'}。")
    return Chapter("business_type", "经营类型与打法选择", basis, paras, [], data=data)


def reminders_chapter(reminders: list[Mapping[str, Any]], ctx: ClientContext) -> Chapter:
    """Return the per-category reminder plan (recorded as ``reminders``: category, cycle_days, touch_days, …)."""
    from diag.strategy.reminders import MIN_REPEAT_BUYERS, reminders_table
    measured = [r["category"] for r in reminders if r["basis"] == "实测"]
    other = [r["category"] for r in reminders if r["basis"] != "实测"]
    long = [r["category"] for r in reminders if r["mode"] == "服务节奏"]
    paras = []
    if measured:
        fast = min((r for r in reminders if r["basis"] == "实测"), key=lambda r: r["cycle_days"])
        paras.append(f"{ctx.client}的{'、'.join(measured)}按各自实测的复购间隔(P25 / 中位 / P75)触达; 最快的是{fast['category']}, "
                     f"中位 {fast['cycle_days']:.0f} 天, 不再用一个统一的周期。")
    if other:
        paras.append(f"{'、'.join(other)}的复购客户不足 {MIN_REPEAT_BUYERS} 人, 先按行业模板的典型周期触达, "
                     "数据积累后重新生成即改用实测周期。")
    if long:
        paras.append(f"{'、'.join(long)}是长周期品类, 不发短期的使用提醒, 按服务节奏跟进(见表)。")
    basis = (f"依据: 订单中{'、'.join(r['category'] for r in reminders[:6])}的复购间隔(至少 {MIN_REPEAT_BUYERS} 位复购客户"
             f"才用实测); 其余按{ctx.industry}模板的典型周期与服务节奏。")
    return Chapter("reminders", "分品类复购提醒", basis, paras,
                   [("strategy_reminders", reminders_table(reminders), "分品类复购提醒")], data=list(reminders))


def funnel_gap(funnel: Any, path: Chapter) -> str:
    """Return whether the acquisition path reaches enough people for the inverse target, and which channel to push."""
    rows = [r for r in (path.data or {}).get("channels", []) if r["触达"]]
    if funnel.inverse is None or not rows:
        return ""
    reach = sum(r["触达"] for r in rows)
    best = max(rows, key=lambda r: r["入群"])
    need = funnel.inverse.reachable
    if reach >= need:
        return (f"按{'、'.join(r['渠道'] for r in rows)}的引流路径可触达 {reach:,} 人, 够目标所需的 {need:,} 人; "
                f"重点是把{best['渠道']}的每一步转化做实。")
    return (f"按现有渠道只能触达 {reach:,} 人, 比目标所需的 {need:,} 人少 {need - reach:,} 人: "
            f"先加大{best['渠道']}({best['路径']}), 或补充新的公域流量池。")
