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

from diag import catalog
from diag.brief.gaps import industry_name
from diag.industries.registry import METRICS, in_language
from diag.messages import messages
from diag.strategy.chapters import Chapter, _left_out, _mark, rate_of
from diag.strategy.playbook import _kpi_value
from diag.strategy.plays import ClientContext, fill, in_scope
from diag.strategy.wording import word

__all__ = ["scripts_and_sop", "campaign_plan", "compliance", "team_mapping", "incentive_advice", "team_sentence", "ROLE_WORDS"]


def _script_format(ctx: ClientContext, scripts: list[Mapping[str, Any]], scene: str) -> Mapping[str, Any] | None:
    fitting = [s for s in scripts if s["scene"] == scene and in_scope(s, ctx)]
    return fitting[0] if fitting else None


def scripts_and_sop(brief: Any, ctx: ClientContext, library: Mapping[str, Any],
                    reminders: list[Mapping[str, Any]], lang: str = "zh") -> Chapter:
    """Return 社群SOP, 朋友圈 plan and 1对1 话术 (first add, repurchase reminder per category, win-back).

    Sentences and the kit's table words are in ``lang``; the scripts and schedules are the
    play library's, in ``lang`` when the library was loaded in it (their ``en`` twins).
    """
    t = messages("ops", lang)
    plays = in_language(dict(library["plays"]), lang)
    paras, scripts = [], []
    first = _script_format(ctx, plays["scripts"], "首次添加")
    if first:
        scripts.append({"场景": t("scene_first"), "品类": ctx.lead, "话术": fill(first["text"], ctx), "出处": first["source"]})
    again = _script_format(ctx, plays["scripts"], "复购提醒")
    short = [r for r in reminders if r["mode"] == "复购提醒"][:2]
    for r in short:
        if again:
            scripts.append({"场景": t("scene_repurchase", day=r["touch_days"][1]), "品类": r["category"],
                            "话术": fill(again["text"], ctx, repurchase=r["category"], cycle=f"{r['cycle_days']:.0f}",
                                       care=ctx.care.format(item=r["category"])), "出处": again["source"]})
    for r in [r for r in reminders if r["mode"] == "服务节奏"][:1]:
        steps = t("list_sep").join(t("service_step", day=d, touch=x) for d, x in zip(r["touch_days"], r["touches"]))
        scripts.append({"场景": t("scene_service"), "品类": r["category"],
                        "话术": t("service_script", address=ctx.address, client=ctx.client, advisor=ctx.advisor,
                                category=r["category"], steps=steps), "出处": t("source_estimate")})
    back = _script_format(ctx, plays["scripts"], "流失唤回")
    if back:
        scripts.append({"场景": t("scene_winback"), "品类": ctx.profit, "话术": fill(back["text"], ctx), "出处": back["source"]})
    for s in scripts:
        paras.append(t("script_para", scene=s["场景"], category=s["品类"], script=s["话术"]))
    week = pd.DataFrame([{"日": d["day"], "时间": fill(d["time"], ctx), "动作": fill(d["action"], ctx)}
                         for d in plays["group_week"]])
    per_week = brief.assets.moments_per_week
    n = int(min(7, max(1, round(per_week)))) if per_week else 7
    shown = plays["moments"][:n]
    moments = pd.DataFrame([{"日": m["day"], "类型": word(m["kind"], lang, "ops", patterns=False),
                             "内容": fill(m["text"], ctx)} for m in shown])
    src = t("moments_source_brief", count=per_week) if per_week else t("moments_source_default")
    promo = sum(m["kind"] == "促销" for m in shown)
    paras.append(t("moments_para", source=src, count=len(moments), promo=promo, selling_point=ctx.selling_point,
                   advisor=ctx.advisor))
    basis = t("scripts_basis", client=ctx.client, lead=ctx.lead, repurchase=ctx.repurchase, profit=ctx.profit,
              advisor=ctx.advisor)
    return Chapter("scripts", "社群SOP、朋友圈与1对1话术", basis, paras,
                   [("scripts", pd.DataFrame(scripts), "1对1话术"), ("group_week", week, "社群一周SOP"),
                    ("moments_plan", moments, "朋友圈一周排期")], data={"scripts": scripts})


def _margin(brief: Any, name: str, lang: str = "zh") -> tuple[float, str]:
    t = messages("ops", lang)
    for p in brief.goods.product_lines:
        if p.name == name and p.gross_margin is not None:
            return float(p.gross_margin), t("margin_brief")
    if brief.goods.gross_margin is not None:
        return float(brief.goods.gross_margin), t("margin_overall")
    return 0.5, t("margin_estimate")


def campaign_plan(brief: Any, ctx: ClientContext, library: Mapping[str, Any], template: Mapping[str, Any],
                  measured: Mapping[str, Any], lang: str = "zh") -> Chapter:
    """Return 活动方案: the fitted template's activities, prizes from the client's own products, and the budget.

    Participants per event = group members (brief) × member activity (measured, else the
    template benchmark's middle).  Prize cost = price × (1 − gross margin) per winner;
    coupons cost their face value × redemption; red packets their stated yuan.  The
    total is recorded as ``budget.total`` (yuan) for the plan's cost.  Texts in ``lang``.
    """
    t = messages("ops", lang)
    spec = in_language(dict(library["plays"]["campaign"]), lang)
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
            unit, how = prices["coupon"] * p.get("redeem", 1.0), t("cost_coupon", coupon=ctx.coupon, redeem=p.get("redeem", 1.0))
        else:
            source = ctx.profit if p["price"] == "profit_price" else ctx.lead
            margin, msrc = _margin(brief, source, lang)
            unit, how = prices[p["price"]] * (1 - margin), t("cost_price", price=prices[p["price"]], margin=margin, source=msrc)
        cost = unit * winners * events
        total += cost
        rows.append({"项目": p["tier"], "奖品": item, "每场中奖": winners, "场次": events,
                     "单件成本": f"¥{unit:,.1f}", "成本口径": how, "小计": f"¥{cost:,.0f}"})
    packets = float(spec["red_packets_per_event"]) * events
    total += packets
    dash = t("none")
    rows.append({"项目": t("red_packets"), "奖品": t("red_packets_prize"), "每场中奖": dash, "场次": events, "单件成本": dash,
                 "成本口径": t("red_packets_cost", amount=spec["red_packets_per_event"]), "小计": f"¥{packets:,.0f}"})
    rows.append({"项目": t("total"), "奖品": dash, "每场中奖": dash, "场次": dash, "单件成本": dash, "成本口径": dash,
                 "小计": f"¥{total:,.0f}"})
    acts = [word(a["name"], lang) for a in template.get("activities", [])]
    paras = [t("campaign_para", venue=ctx.venue, events=events, activities=t("list_sep").join(acts[:4]), client=ctx.client,
               participants=participants, members=members, active=active, mark=_mark(mark, lang), profit=ctx.profit,
               lead=ctx.lead, coupon=ctx.coupon)]
    budget = brief.goals.budget
    if budget:
        paras.append(t("campaign_budget", profit=ctx.profit, lead=ctx.lead, coupon=ctx.coupon, total=total,
                       client=ctx.client, budget=budget, share=total / budget))
    if not members:
        paras.append(t("campaign_no_members"))
    left = [d for d in template.get("fitted_out", []) if d["kind"] == "活动"]
    for d in left:
        paras.append(t("campaign_left", name=d["name"], reason=_left_out(d, ctx, lang)))
    basis = t("campaign_basis", mark=_mark(mark, lang), source=spec["source"])
    return Chapter("campaign", "活动方案", basis, paras, [("campaign_budget", pd.DataFrame(rows), "活动奖品与预算")],
                   data={"items": rows[:-1], "total": round(total, 2), "events": events,
                         "participants_per_event": participants})


def compliance(brief: Any, ctx: ClientContext, library: Mapping[str, Any], path: Mapping[str, Any],
               reminders: list[Mapping[str, Any]], lang: str = "zh") -> Chapter:
    """Return 风控与合规: the WeCom limits this plan meets (adds per day, group sizes, 群发), consent, constraints.

    Texts in ``lang`` (the limits' sources and the consent lines are the play library's, their
    ``en`` twins in English).
    """
    t = messages("ops", lang)
    plays = in_language(dict(library["plays"]), lang)
    lim = plays["limits"]
    days = int(path.get("months", 3)) * 30
    total = path.get("total", {})
    accounts = brief.assets.wecom_accounts or brief.assets.personal_wechat_accounts or 1
    per_day = total.get("加企微", 0) / days / accounts
    cap = lim["adds_per_account_day"]["value"]
    groups = math.ceil(total.get("入群", 0) / lim["group_target"]["value"]) if total.get("入群") else 0
    have = brief.assets.groups or 0
    touches = max((len(r["touch_days"]) for r in reminders), default=0)
    rows = [
        {"限制": t("limit_adds", cap=cap), "本计划需要": t("need_adds", per_day=per_day, accounts=accounts),
         "结论": t("adds_limited") if per_day > cap else t("adds_ok"), "出处": lim["adds_per_account_day"]["source"]},
        {"限制": t("limit_groups", target=lim["group_target"]["value"], max=lim["group_max"]["value"]),
         "本计划需要": t("need_groups", joined=total.get("入群", 0), groups=groups, have=have),
         "结论": t("groups_live_codes") if groups > 1 else t("groups_ok"), "出处": lim["group_max"]["source"]},
        {"限制": t("limit_qr", days=lim["qr_days"]["value"], members=lim["qr_scan_members"]["value"]),
         "本计划需要": t("need_qr", card=ctx.card_text()), "结论": t("qr_live"), "出处": lim["qr_days"]["source"]},
        {"限制": t("limit_mass", count=lim["mass_per_customer_day"]["value"]),
         "本计划需要": t("need_mass", touches=touches), "结论": t("mass_one"),
         "出处": lim["mass_per_customer_day"]["source"]},
    ]
    consent = [c["text"] if isinstance(c, Mapping) else c for c in plays["consent"]]
    paras = [t("consent_sep").join(fill(c, ctx) for c in consent) + t("consent_end")]
    if brief.goals.constraints:
        paras.append(t("constraints", client=ctx.client, constraints=brief.goals.constraints))
    if per_day > cap:
        paras.append(t("over_cap", client=ctx.client, per_day=per_day, cap=cap, months=math.ceil(per_day / cap * days / 30)))
    channels = t("list_sep").join(r["渠道"] for r in path.get("channels", [])) or t("every_channel")
    basis = t("compliance_basis", client=ctx.client, channels=channels)
    return Chapter("compliance", "风控与合规", basis, paras, [("compliance_limits", pd.DataFrame(rows), "本计划涉及的企业微信限制")],
                   data={"limits": rows, "adds_per_account_day": round(per_day, 1), "groups_needed": groups})


#: Words in a brief's job titles that say which template role the person can take (Chinese, then English;
#: English words match whatever their case in the title).
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "总PM": ("负责人", "经理", "主管", "店长", "总监", "创始人", "老板",
             "head", "manager", "lead", "director", "founder", "owner"),
    "顾问/客服": ("顾问", "客服", "导购", "美容师", "康复师", "设计师", "企微", "店长",
              "advisor", "adviser", "consultant", "service", "assistant", "beautician", "therapist", "designer", "wecom"),
    "产品讲解": ("顾问", "导购", "讲师", "设计师", "康复师", "店长", "advisor", "adviser", "assistant", "trainer",
             "presenter", "designer", "therapist"),
    "行业分享者": ("专家", "顾问", "设计师", "负责人", "expert", "advisor", "adviser", "designer", "head"),
    "氛围组": ("社群", "运营", "顾问", "导购", "community", "operations", "advisor", "adviser", "assistant"),
    "引流运营": ("引流", "投放", "推广", "增长", "运营", "acquisition", "ads", "promotion", "growth", "marketing",
             "operations"),
    "社群运营": ("社群", "运营", "community", "operations"),
    "内容运营": ("内容", "设计", "编辑", "文案", "新媒体", "content", "design", "editor", "copywriter", "media"),
}


def _has(title: str, word_: str) -> bool:
    """Return whether a job title holds a word (English words in any case)."""
    return word_.lower() in title.lower()


def team_mapping(brief: Any, team: Any, recs: pd.DataFrame, lang: str = "zh") -> Chapter:
    """Return the team chapter: every role of the plan mapped onto the client's actual people, KPIs from the plan.

    People are the brief's ``team.roles`` (title × count); without them, the headcount
    as numbered seats.  A role goes to the first title containing one of its
    :data:`ROLE_WORDS`, else to the person who already holds the most roles' lead (总PM's
    holder).  So the number of people holding roles never exceeds the headcount.
    KPIs: the plan's recommendations owned by those roles, with current → target.
    Texts in ``lang``; the client's job titles stay as written, role names are worded.
    """
    t = messages("ops", lang)
    people = [(r.role, r.count) for r in brief.team.roles]
    if not people:
        n = brief.team.headcount or 1
        people = [(t("member_seat", number=i + 1), 1) for i in range(n)]
    template_roles = list(team.roles["角色"]) if len(team.roles) else []
    owners = [o for o in recs["owner"].dropna().unique()] if len(recs) else []
    roles = list(dict.fromkeys(template_roles + owners))
    holder: dict[str, str] = {}
    for role in roles:
        words = (role, *ROLE_WORDS.get(role, ()))  # the title itself first, then the words in their order
        match = next((p for w in words for p, _ in people if _has(p, w)), None)
        holder[role] = match or holder.get("总PM") or people[0][0]

    def metric_label(metric: str) -> str:
        return catalog.label(metric, lang) if lang != "zh" and catalog.known(metric) else METRICS.get(metric, metric)

    rows = []
    for person, count in people:
        mine = [r for r, h in holder.items() if h == person]
        kpis = []
        for r in recs.itertuples(index=False) if len(recs) else []:
            if r.owner in mine and r.current is not None and not pd.isna(r.current) and r.metric:
                kpis.append(t("kpi_move", metric=metric_label(r.metric), current=_kpi_value(r.current, r.metric, r.unit, lang),
                              target=_kpi_value(r.target, r.metric, r.unit, lang)))
        rows.append({"人员": t("person_count", person=person, count=count),
                     "承担的角色": t("list_sep").join(word(m, lang) for m in mine) or "—",
                     "本计划KPI": t("list_sep").join(dict.fromkeys(kpis)) or t("kpi_by_role"), "人数": count})
    size = sum(c for _, c in people)
    held = [r for r in rows if r["承担的角色"] != "—"]
    items = t("mapping_sep").join(t("mapping_item", person=r["人员"], roles=r["承担的角色"]) for r in held)
    paras = [t("mapping_para", client=brief.client.name, size=size, roles=len(roles), posts=len(held), items=items)]
    basis = t("mapping_basis", titles=t("list_sep").join(p for p, _ in people),
              industry=industry_name(brief.client.industry, lang))
    return Chapter("team_mapping", "团队分工与KPI", basis, paras,
                   [("team_mapping", pd.DataFrame(rows).drop(columns="人数"), "角色落到现有人员")],
                   data={"people": rows, "holders": holder, "headcount": size})


#: Words that show a brief's incentive text already covers a template incentive (by its name; English in any case).
INCENTIVE_WORDS: dict[str, tuple[str, ...]] = {
    "奖金池": ("奖金池", "季度", "年度", "达标奖", "bonus pool", "quarterly", "yearly", "annual", "target bonus"),
    "底薪加提成": ("提成", "commission"),
}


def incentive_advice(brief: Any, team: Any, lang: str = "zh") -> list[str]:
    """Return the incentive lines: the client's own scheme first, then only the template schemes it lacks, in ``lang``."""
    t = messages("ops", lang)
    own = brief.team.incentives or ""
    lines = [t("incentive_own", client=brief.client.name, own=own)] if own else []
    for name, text in team.incentives.items():
        if not any(_has(own, w) for w in INCENTIVE_WORDS.get(name, (name,))):
            lines.append(t("incentive_item", name=word(name, lang), text=text))
    return lines


def team_sentence(brief: Any, team: Any, lang: str = "zh") -> str:
    """Return the team's size with the client's own job titles, its set-up (small / large) and build order, in ``lang``."""
    t = messages("ops", lang)
    roles = t("list_sep").join(t("team_role_count", role=r.role, count=r.count) for r in brief.team.roles)
    return t("team_sentence", headcount=brief.team.headcount or t("team_headcount_missing"),
             roles=t("team_roles", roles=roles) if roles else "", label=team.label, order=" → ".join(team.build_order),
             note=team.note)
