"""The operating chapters of the plan: 社群SOP · 朋友圈 · 1对1话术, 活动方案, 风控与合规, 团队分工.

Like :mod:`diag.strategy.chapters`, each returns a :class:`diag.strategy.chapters.Chapter` filled with the
client's own products, channels, people and numbers; scripts and schedules come from the
play library (``templates/plays/plays.yaml``) and only those in the client's scope are used.
Pure functions.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import pandas as pd

from diag.industries.registry import METRICS
from diag.strategy.chapters import BRIEF, Chapter, rate_of
from diag.strategy.playbook import _fmt
from diag.strategy.plays import ClientContext, fill, in_scope

__all__ = ["scripts_and_sop", "campaign_plan", "compliance", "team_mapping", "incentive_advice", "team_sentence", "ROLE_WORDS"]


def _script_format(ctx: ClientContext, scripts: list[Mapping[str, Any]], scene: str) -> Mapping[str, Any] | None:
    fitting = [s for s in scripts if s["scene"] == scene and in_scope(s, ctx)]
    return fitting[0] if fitting else None


def scripts_and_sop(brief: Any, ctx: ClientContext, library: Mapping[str, Any],
                    reminders: list[Mapping[str, Any]]) -> Chapter:
    """Return 社群SOP, 朋友圈 plan and 1对1 话术 (first add, repurchase reminder per category, win-back)."""
    plays = library["plays"]
    paras, scripts = [], []
    first = _script_format(ctx, plays["scripts"], "首次添加")
    if first:
        scripts.append({"场景": "首次添加", "品类": ctx.lead, "话术": fill(first["text"], ctx), "出处": first["source"]})
    again = _script_format(ctx, plays["scripts"], "复购提醒")
    short = [r for r in reminders if r["mode"] == "复购提醒"][:2]
    for r in short:
        if again:
            scripts.append({"场景": f"复购提醒(第{r['touch_days'][1]}天)", "品类": r["category"],
                            "话术": fill(again["text"], ctx, repurchase=r["category"], cycle=f"{r['cycle_days']:.0f}",
                                       care=ctx.care.format(item=r["category"])), "出处": again["source"]})
    for r in [r for r in reminders if r["mode"] == "服务节奏"][:1]:
        steps = "、".join(f"第{d}天{t}" for d, t in zip(r["touch_days"], r["touches"]))
        scripts.append({"场景": "长周期服务", "品类": r["category"],
                        "话术": f"{ctx.address}好, 我是{ctx.client}的{ctx.advisor}, {r['category']}到家后这几天用得怎么样? "
                                f"我们会按{steps}来跟进, 有任何问题随时找我。", "出处": "行业经验估计（可编辑）"})
    back = _script_format(ctx, plays["scripts"], "流失唤回")
    if back:
        scripts.append({"场景": "流失唤回", "品类": ctx.profit, "话术": fill(back["text"], ctx), "出处": back["source"]})
    for s in scripts:
        paras.append(f"「{s['场景']}·{s['品类']}」{s['话术']}")
    week = pd.DataFrame([{"日": d["day"], "时间": fill(d["time"], ctx), "动作": fill(d["action"], ctx)}
                         for d in plays["group_week"]])
    per_week = brief.assets.moments_per_week
    n = int(min(7, max(1, round(per_week)))) if per_week else 7
    moments = pd.DataFrame([{"日": m["day"], "类型": m["kind"], "内容": fill(m["text"], ctx)}
                            for m in plays["moments"][:n]])
    src = f"{BRIEF}(每周 {per_week:g} 条)" if per_week else "打法库默认(每天1条)"
    promo = int((moments["类型"] == "促销").sum())
    paras.append(f"朋友圈按{src}排, 一周 {len(moments)} 条里促销 {promo} 条, 其余讲{ctx.selling_point}、老客反馈和{ctx.advisor}的日常。")
    basis = (f"依据: 打法库的话术与排期(行业经验估计, 可编辑), 用{ctx.client}自己的{ctx.lead}、{ctx.repurchase}、{ctx.profit}"
             f"和{ctx.advisor}填写; 复购提醒的天数来自上文分品类复购周期。")
    return Chapter("scripts", "社群SOP、朋友圈与1对1话术", basis, paras,
                   [("scripts", pd.DataFrame(scripts), "1对1话术"), ("group_week", week, "社群一周SOP"),
                    ("moments_plan", moments, "朋友圈一周排期")], data={"scripts": scripts})


def _margin(brief: Any, name: str) -> tuple[float, str]:
    for p in brief.goods.product_lines:
        if p.name == name and p.gross_margin is not None:
            return float(p.gross_margin), BRIEF
    if brief.goods.gross_margin is not None:
        return float(brief.goods.gross_margin), f"{BRIEF}(整体毛利率)"
    return 0.5, "估计(毛利率按50%)"


def campaign_plan(brief: Any, ctx: ClientContext, library: Mapping[str, Any], template: Mapping[str, Any],
                  measured: Mapping[str, Any]) -> Chapter:
    """Return 活动方案: the fitted template's activities, prizes from the client's own products, and the budget.

    Participants per event = group members (brief) × member activity (measured, else the
    template benchmark's middle).  Prize cost = price × (1 − gross margin) per winner;
    coupons cost their face value × redemption; red packets their stated yuan.  The
    total is recorded as ``budget.total`` (yuan) for the plan's cost.
    """
    spec = library["plays"]["campaign"]
    members = brief.assets.group_members or 0
    active, mark = rate_of(spec["participation"], template, measured)
    events = int(spec["events"])
    participants = int(round(members * active))
    rows, total = [], 0.0
    prices = {"lead_price": ctx.lead_price, "profit_price": ctx.profit_price, "coupon": float(ctx.coupon)}
    for p in spec["prizes"]:
        item = fill(p["item"], ctx)
        winners = int(math.ceil(participants * p["winners_per_100"] / 100))
        if p["price"] == "coupon":
            unit, how = prices["coupon"] * p.get("redeem", 1.0), f"券面 ¥{ctx.coupon} × 核销 {p.get('redeem', 1.0):.0%}"
        else:
            source = ctx.profit if p["price"] == "profit_price" else ctx.lead
            margin, msrc = _margin(brief, source)
            unit, how = prices[p["price"]] * (1 - margin), f"售价 ¥{prices[p['price']]:,.1f} × (1 − 毛利 {margin:.0%}, {msrc})"
        cost = unit * winners * events
        total += cost
        rows.append({"项目": p["tier"], "奖品": item, "每场中奖": winners, "场次": events,
                     "单件成本": f"¥{unit:,.1f}", "成本口径": how, "小计": f"¥{cost:,.0f}"})
    packets = float(spec["red_packets_per_event"]) * events
    total += packets
    rows.append({"项目": "红包雨", "奖品": "小额现金红包", "每场中奖": "—", "场次": events, "单件成本": "—",
                 "成本口径": f"每场 ¥{spec['red_packets_per_event']:,}", "小计": f"¥{packets:,.0f}"})
    rows.append({"项目": "合计", "奖品": "—", "每场中奖": "—", "场次": "—", "单件成本": "—", "成本口径": "—",
                 "小计": f"¥{total:,.0f}"})
    acts = [a["name"] for a in template.get("activities", [])]
    paras = [f"前90天在{ctx.venue}做 {events} 场活动({'、'.join(acts[:4])}等, 均在{ctx.client}的适用范围内), "
             f"每场约 {participants:,} 人参与(群成员 {members:,} × 活跃率 {active:.0%}{mark}); 一等奖用{ctx.profit}, "
             f"二等奖用{ctx.lead}, 三等奖是 {ctx.coupon} 元无门槛券。"]
    budget = brief.goals.budget
    if budget:
        paras.append(f"{ctx.profit}、{ctx.lead}、{ctx.coupon}元券与红包合计 ¥{total:,.0f}, 占{ctx.client}全年私域预算 "
                     f"¥{budget:,.0f} 的 {total / budget:.1%}, 计入计划成本。")
    if not members:
        paras.append("需求澄清表没有群成员数, 参与人数按 0 计; 填上 assets.group_members 后预算会按群规模重算。")
    left = [d for d in template.get("fitted_out", []) if d["kind"] == "活动"]
    for d in left:
        paras.append(f"没有安排「{d['name']}」: {d['reason']}。")
    basis = f"依据: 需求澄清表的群成员数、产品价格与毛利率; 活跃率{mark}; 奖品结构与红包额度见打法库({spec['source']})。"
    return Chapter("campaign", "活动方案", basis, paras, [("campaign_budget", pd.DataFrame(rows), "活动奖品与预算")],
                   data={"items": rows[:-1], "total": round(total, 2), "events": events,
                         "participants_per_event": participants})


def compliance(brief: Any, ctx: ClientContext, library: Mapping[str, Any], path: Mapping[str, Any],
               reminders: list[Mapping[str, Any]]) -> Chapter:
    """Return 风控与合规: the WeCom limits this plan meets (adds per day, group sizes, 群发), consent, constraints."""
    lim = library["plays"]["limits"]
    days = int(path.get("months", 3)) * 30
    total = path.get("total", {})
    accounts = brief.assets.wecom_accounts or brief.assets.personal_wechat_accounts or 1
    per_day = total.get("加企微", 0) / days / accounts
    cap = lim["adds_per_account_day"]["value"]
    groups = math.ceil(total.get("入群", 0) / lim["group_target"]["value"]) if total.get("入群") else 0
    have = brief.assets.groups or 0
    touches = max((len(r["touch_days"]) for r in reminders), default=0)
    rows = [
        {"限制": f"单账号每天加好友约 {cap} 人", "本计划需要": f"{per_day:,.0f} 人/天/账号({accounts} 个企微账号)",
         "结论": "受限: 需要增开账号或拉长引流期" if per_day > cap else "不受限", "出处": lim["adds_per_account_day"]["source"]},
        {"限制": f"约 {lim['group_target']['value']} 人一群, 上限 {lim['group_max']['value']} 人",
         "本计划需要": f"新入群 {total.get('入群', 0):,.0f} 人 → 约 {groups} 个新群(现有 {have} 个)",
         "结论": "需要活码自动建群" if groups > 1 else "现有群可容纳", "出处": lim["group_max"]["source"]},
        {"限制": f"群二维码 {lim['qr_days']['value']} 天失效、{lim['qr_scan_members']['value']} 人后不能扫码",
         "本计划需要": f"{ctx.card_text()}上的码长期有效", "结论": "必须用活码", "出处": lim["qr_days"]["source"]},
        {"限制": f"每位客户每天最多收到企业群发 {lim['mass_per_customer_day']['value']} 条",
         "本计划需要": f"每个品类每个周期 {touches} 次1对1触达, 多品类客户按天错开", "结论": "同一客户同一天只排一条",
         "出处": lim["mass_per_customer_day"]["source"]},
    ]
    paras = ["; ".join(fill(c, ctx) for c in library["plays"]["consent"]) + "。"]
    if brief.goals.constraints:
        paras.append(f"{ctx.client}自己的约束: {brief.goals.constraints}。计划中的引流与触达动作都在这个范围内, "
                     "与之冲突的做法不采用。")
    if per_day > cap:
        paras.append(f"按引流路径, {ctx.client}每个企微账号每天要加 {per_day:,.0f} 人, 超过约 {cap} 人的稳妥上限: "
                     f"先增开账号或把引流期拉长到 {math.ceil(per_day / cap * days / 30)} 个月。")
    basis = (f"依据: 企业微信规则与服务商资料(以企业微信后台当前规则为准); {ctx.client}经{'、'.join(r['渠道'] for r in path.get('channels', [])) or '各渠道'}"
             "引流的人数; 需求澄清表的账号数与约束。")
    return Chapter("compliance", "风控与合规", basis, paras, [("compliance_limits", pd.DataFrame(rows), "本计划涉及的企业微信限制")],
                   data={"limits": rows, "adds_per_account_day": round(per_day, 1), "groups_needed": groups})


#: Words in a brief's job titles that say which template role the person can take.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "总PM": ("负责人", "经理", "主管", "店长", "总监", "创始人", "老板"),
    "顾问/客服": ("顾问", "客服", "导购", "美容师", "康复师", "设计师", "企微", "店长"),
    "产品讲解": ("顾问", "导购", "讲师", "设计师", "康复师", "店长"),
    "行业分享者": ("专家", "顾问", "设计师", "负责人"),
    "氛围组": ("社群", "运营", "顾问", "导购"),
    "引流运营": ("引流", "投放", "推广", "增长", "运营"),
    "社群运营": ("社群", "运营"),
    "内容运营": ("内容", "设计", "编辑", "文案", "新媒体"),
}


def team_mapping(brief: Any, team: Any, recs: pd.DataFrame) -> Chapter:
    """Return the team chapter: every role of the plan mapped onto the client's actual people, KPIs from the plan.

    People are the brief's ``team.roles`` (title × count); without them, the headcount
    as numbered seats.  A role goes to the first title containing one of its
    :data:`ROLE_WORDS`, else to the person who already holds the most roles' lead (总PM's
    holder).  So the number of people holding roles never exceeds the headcount.
    KPIs: the plan's recommendations owned by those roles, with current → target.
    """
    people = [(r.role, r.count) for r in brief.team.roles]
    if not people:
        n = brief.team.headcount or 1
        people = [(f"成员{i + 1}", 1) for i in range(n)]
    template_roles = list(team.roles["角色"]) if len(team.roles) else []
    owners = [o for o in recs["owner"].dropna().unique()] if len(recs) else []
    roles = list(dict.fromkeys(template_roles + owners))
    holder: dict[str, str] = {}
    for role in roles:
        words = (role, *ROLE_WORDS.get(role, ()))  # the title itself first, then the words in their order
        match = next((p for w in words for p, _ in people if w in p), None)
        holder[role] = match or holder.get("总PM") or people[0][0]
    rows = []
    for person, count in people:
        mine = [r for r, h in holder.items() if h == person]
        kpis = []
        for r in recs.itertuples(index=False) if len(recs) else []:
            if r.owner in mine and r.current is not None and not pd.isna(r.current) and r.metric:
                kpis.append(f"{METRICS.get(r.metric, r.metric)} {_fmt(r.current, r.metric, r.unit)}→"
                            f"{_fmt(r.target, r.metric, r.unit)}")
        rows.append({"人员": f"{person} × {count}", "承担的角色": "、".join(mine) or "—",
                     "本计划KPI": "、".join(dict.fromkeys(kpis)) or "按角色KPI表", "人数": count})
    size = sum(c for _, c in people)
    paras = [f"{brief.client.name}现有 {size} 人, 计划里的 {len(roles)} 个角色落到 {len([r for r in rows if r['承担的角色'] != '—'])} "
             f"个岗位上, 不另外设岗: " + "; ".join(f"{r['人员']}承担{r['承担的角色']}" for r in rows if r["承担的角色"] != "—") + "。"]
    basis = (f"依据: 需求澄清表的岗位({'、'.join(p for p, _ in people)}); 角色与KPI来自{brief.client.industry}模板和本计划的行动清单。")
    return Chapter("team_mapping", "团队分工与KPI", basis, paras,
                   [("team_mapping", pd.DataFrame(rows).drop(columns="人数"), "角色落到现有人员")],
                   data={"people": rows, "holders": holder, "headcount": size})


#: Words that show a brief's incentive text already covers a template incentive (by its name).
INCENTIVE_WORDS: dict[str, tuple[str, ...]] = {"奖金池": ("奖金池", "季度", "年度", "达标奖"), "底薪加提成": ("提成",)}


def incentive_advice(brief: Any, team: Any) -> list[str]:
    """Return the incentive lines: the client's own scheme first, then only the template schemes it lacks."""
    own = brief.team.incentives or ""
    lines = [f"{brief.client.name}现行激励: {own}; 提成与奖金按下表KPI核算"] if own else []
    for name, text in team.incentives.items():
        if not any(w in own for w in INCENTIVE_WORDS.get(name, (name,))):
            lines.append(f"{name}: {text}")
    return lines


def team_sentence(brief: Any, team: Any) -> str:
    """Return the team's size with the client's own job titles, its set-up (small / large) and build order."""
    roles = "、".join(f"{r.role}{r.count}人" for r in brief.team.roles)
    return (f"现有 {brief.team.headcount or '未填写'} 人" + (f"({roles})" if roles else "") + f", 按{team.label}搭建。"
            "搭建顺序: " + " → ".join(team.build_order) + f"。{team.note}")
