"""Completeness of a brief and the questions to ask the client next.

Pure functions: a :class:`~diag.brief.model.Brief` (plus measured metrics and a WeCom
summary when there are data) in, a DataFrame out.  Three kinds of question:

* **missing** — an important answer is blank;
* **contradiction** — two answers in the brief cannot both be true (channel shares
  that do not add up to 100 %, more group members than 500 per group allow, …);
* **data** — a stated figure differs from what the data measure by more than the
  tolerance in :data:`TOLERANCE` (stated AOV vs the orders' AOV, stated repurchase
  cycle vs the measured median, group counts vs WeCom statistics).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from diag.brief.labels import FIELDS, NOT_SCORED, SECTIONS
from diag.brief.model import JOURNEY_STAGES, Brief

__all__ = ["completeness", "overall_score", "questions", "TOLERANCE", "PRIORITIES", "inventory_display"]

PRIORITIES = ("高", "中", "低")

#: Relative difference between a stated and a measured figure above which we ask.
TOLERANCE = {
    "aov": 0.20,              # AOV: stated vs orders' gmv ÷ orders
    "repurchase_cycle": 0.30,  # stated cycle vs median days between purchase days (noisier)
    "wecom_counts": 0.10,      # group / member / friend counts vs WeCom statistics
}
GROUP_LIMIT = 500  # members a WeChat group holds

#: Important answers and the question to ask when they are blank: path → (priority, question).
ASK: dict[str, tuple[str, str]] = {
    "client.format": ("高", "您的经营形态是单店、连锁、电商还是品牌？"),
    "goods.aov": ("高", "平均每笔订单的实付金额（客单价）大约是多少？"),
    "goods.repurchase_cycle_days": ("高", "老顾客一般隔多少天会再次购买？"),
    "scene.channels": ("高", "目前有哪些销售渠道，各占销售额的多少？"),
    "assets.friends": ("高", "所有微信 / 企业微信账号的好友一共有多少人？"),
    "assets.groups": ("高", "现在有多少个顾客群？"),
    "goals.gmv_target": ("高", "私域的销售目标（GMV）是多少，在多长时间内完成？"),
    "data.orders": ("高", "能否导出近 12–24 个月的订单明细（订单号、顾客、时间、实付金额）？"),
    "client.store_count": ("中", "线下门店有几家？"),
    "goods.gross_margin": ("中", "整体毛利率大约是多少？这决定活动让利的空间。"),
    "goods.product_lines": ("中", "主要有哪些产品线，价格区间和毛利如何？哪些是引流款、利润款、复购款？"),
    "people.persona": ("中", "主要顾客是谁（年龄、身份、需求）？"),
    "people.purchase_logic": ("中", "顾客为什么选择您，下单前最在意什么？"),
    "assets.group_members": ("中", "所有顾客群加起来一共有多少人？"),
    "team.headcount": ("中", "目前有几个人负责私域运营？"),
    "team.roles": ("中", "私域团队有哪些岗位，各自考核什么？"),
    "goals.timeline_months": ("中", "目标希望在几个月内达成？"),
    "goals.budget": ("中", "私域项目可投入的预算是多少？"),
    "funnel.reachable": ("中", "目前能直接联系到的顾客（会员、好友、公众号粉丝）一共有多少？"),
    "data.wecom_contacts": ("中", "能否从企业微信后台导出「联系客户统计」（近 30 天）？"),
    "data.wecom_groups": ("中", "能否从企业微信后台导出「群聊数据统计」（近 30 天）？"),
    "competitors": ("低", "您最关注的 1–3 个竞争对手是谁，他们哪里做得好？"),
    "journey": ("中", "能否安排 3–5 位老顾客访谈，了解他们从认识到复购、推荐的经历？"),
    "scene.monthly_parcels": ("低", "每月寄出多少个快递包裹？（用于评估包裹卡加粉）"),
}


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def _value(brief: Brief, path: str) -> Any:
    value: Any = brief
    for part in path.split("."):
        value = getattr(value, part, None)
    return value


def _list_paths() -> set[str]:
    return {p for p in FIELDS if any(q.startswith(p + ".") for q in FIELDS)}


def _section(path: str) -> str:
    head = path.split(".")[0]
    return "goals" if head == "funnel" else head


def scored_fields() -> list[str]:
    """Return the brief fields that count towards completeness (answers, not settings)."""
    lists = _list_paths()
    return [p for p in FIELDS if p not in NOT_SCORED
            and not any(p.startswith(lp + ".") for lp in lists) and _section(p) in SECTIONS]


def completeness(brief: Brief) -> pd.DataFrame:
    """Return how complete each section of the brief is.

    Columns: ``section`` (key), ``label`` (Chinese), ``filled``, ``total``, ``score``
    (filled ÷ total, 0–1).  A field counts as filled when it is not blank; a list
    (product lines, channels, competitors, roles) when it has at least one entry.  The
    journey section counts the six stages (认知 … 推荐) that have interview notes.
    Settings (slug, consultant, column names, data as-of date, notes) do not count.
    """
    counts = {key: [0, 0] for key in SECTIONS}
    for path in scored_fields():
        section = _section(path)
        if path == "journey":
            stages = {note.stage for note in brief.journey}
            counts[section][0] += sum(1 for s in JOURNEY_STAGES if s in stages)
            counts[section][1] += len(JOURNEY_STAGES)
            continue
        counts[section][0] += int(_filled(_value(brief, path)))
        counts[section][1] += 1
    rows = [{"section": key, "label": SECTIONS[key], "filled": f, "total": t,
             "score": (f / t) if t else 1.0} for key, (f, t) in counts.items()]
    return pd.DataFrame(rows, columns=["section", "label", "filled", "total", "score"])


def overall_score(table: pd.DataFrame) -> float:
    """Return overall completeness: all filled answers ÷ all scored answers (0–1)."""
    total = int(table["total"].sum())
    return float(table["filled"].sum() / total) if total else 1.0


def _rel(stated: float, measured: float) -> float:
    return abs(stated - measured) / abs(measured) if measured else float("inf")


def _q(rows: list[dict[str, Any]], path: str, issue: str, question: str, priority: str) -> None:
    section = _section(path)
    rows.append({"section": SECTIONS.get(section, section), "field": path,
                 "label": FIELDS[path][0] if path in FIELDS else path, "issue": issue,
                 "question": question, "priority": priority})


def _pick(summary: dict[str, Any] | None, *keys: str) -> float | None:
    for key in keys:
        value = (summary or {}).get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def questions(brief: Brief, measured: dict[str, Any] | None = None,
              wecom_summary: dict[str, Any] | None = None, *,
              template: dict[str, Any] | None = None) -> pd.DataFrame:
    """Return the questions to ask the client next, most important first.

    Parameters
    ----------
    brief : Brief
    measured : dict, optional
        Metrics measured from the orders (the common vocabulary: ``aov``,
        ``median_repurchase_days``, ``repurchase_rate`` …).
    wecom_summary : dict, optional
        WeCom totals: ``chat_total`` (groups), ``member_total`` (group members) and
        ``contact_total`` (customers added as contacts), when known.
    template : dict, optional
        The industry template; stated figures far outside its ``typical`` ranges are
        queried (low priority).

    Returns
    -------
    DataFrame with columns ``section`` (Chinese), ``field`` (brief path), ``label``,
    ``issue``, ``question`` (Chinese, to ask the client) and ``priority`` (高 / 中 / 低).
    """
    rows: list[dict[str, Any]] = []
    for path, (priority, question) in ASK.items():
        if path == "client.store_count" and brief.client.format == "电商":
            continue  # an online shop has no stores to count
        if not _filled(_value(brief, path)):
            _q(rows, path, "未填写", question, priority)
    _data_questions(rows, brief, measured or {}, wecom_summary or {})
    _consistency_questions(rows, brief)
    if template:
        _template_questions(rows, brief, template)
    columns = ["section", "field", "label", "issue", "question", "priority"]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    order = {p: i for i, p in enumerate(PRIORITIES)}
    table["_rank"] = table["priority"].map(order)
    table = table.sort_values("_rank", kind="stable").drop(columns="_rank")
    return table.reset_index(drop=True)


def _data_questions(rows: list[dict[str, Any]], brief: Brief, measured: dict[str, Any],
                    wecom: dict[str, Any]) -> None:
    aov, m_aov = brief.goods.aov, _pick(measured, "aov")
    if aov and m_aov and _rel(aov, m_aov) > TOLERANCE["aov"]:
        _q(rows, "goods.aov", f"填写客单价 ¥{aov:,.0f}，订单数据测得 ¥{m_aov:,.0f}（相差 {_rel(aov, m_aov):.0%}）",
           "两个客单价哪个口径更准？填写的数字是否含运费、退款或线下订单，订单导出是否完整？", "高")
    cycle, m_cycle = brief.goods.repurchase_cycle_days, _pick(measured, "median_repurchase_days")
    if cycle and m_cycle and _rel(cycle, m_cycle) > TOLERANCE["repurchase_cycle"]:
        _q(rows, "goods.repurchase_cycle_days",
           f"填写复购周期 {cycle:g} 天，订单数据测得中位 {m_cycle:.0f} 天（相差 {_rel(cycle, m_cycle):.0%}）",
           "老顾客实际多久回购一次？不同品类的周期是否差别很大（是否需要分品类提醒）？", "高")
    target, m_rate = brief.goals.repurchase_rate_target, _pick(measured, "repurchase_rate")
    if target is not None and m_rate is not None and target <= m_rate:
        _q(rows, "goals.repurchase_rate_target",
           f"复购率目标 {target:.0%} 不高于现状 {m_rate:.0%}", "复购率目标是否按其他口径（如 90 天复购）设定？", "中")
    for path, keys, name in (("assets.groups", ("chat_total",), "群数"),
                             ("assets.group_members", ("member_total",), "群成员数"),
                             ("assets.friends", ("contact_total", "customer_total"), "客户（好友）数")):
        stated, counted = _value(brief, path), _pick(wecom, *keys)
        if stated is not None and counted is not None and _rel(stated, counted) > TOLERANCE["wecom_counts"]:
            _q(rows, path, f"填写{name} {stated:,}，企业微信统计为 {counted:,.0f}",
               f"{name}以哪个为准？是否有个人微信号上的{name}没有计入企业微信？", "中")


def _consistency_questions(rows: list[dict[str, Any]], brief: Brief) -> None:
    shares = [c.share for c in brief.scene.channels if c.share is not None]
    if shares and len(shares) == len(brief.scene.channels) and abs(sum(shares) - 1) > 0.05:
        _q(rows, "scene.channels", f"各渠道占比合计 {sum(shares):.0%}，不是 100%",
           "各渠道销售额占比分别是多少？是否漏了某个渠道？", "中")
    client = brief.client
    if client.format == "单店" and (client.store_count or 0) > 1:
        _q(rows, "client.store_count", f"经营形态为单店，但门店数量为 {client.store_count}",
           "是单店还是连锁？多家门店是否独立经营？", "中")
    if client.format == "连锁" and client.store_count is not None and client.store_count <= 1:
        _q(rows, "client.store_count", f"经营形态为连锁，但门店数量为 {client.store_count}",
           "连锁门店一共有几家？", "中")
    assets = brief.assets
    if assets.groups and assets.group_members and assets.group_members > assets.groups * GROUP_LIMIT:
        _q(rows, "assets.group_members",
           f"{assets.groups} 个群共 {assets.group_members:,} 人，超过每群 {GROUP_LIMIT} 人上限",
           "群数或群成员数是否填错？是否包含了公众号粉丝或好友？", "高")
    for i, line in enumerate(brief.goods.product_lines):
        if line.price_min is not None and line.price_max is not None and line.price_min > line.price_max:
            _q(rows, "goods.product_lines", f"产品线「{line.name}」最低价高于最高价",
               f"「{line.name}」的价格区间是多少？", "中")
    lows = [p.price_min for p in brief.goods.product_lines if p.price_min is not None]
    if brief.goods.aov and lows and brief.goods.aov < min(lows):
        _q(rows, "goods.aov", f"客单价 ¥{brief.goods.aov:,.0f} 低于最便宜产品线的起价 ¥{min(lows):,.0f}",
           "客单价是否扣除了优惠，还是有更低价的商品没有列出？", "低")
    roles = sum(r.count for r in brief.team.roles)
    if brief.team.headcount is not None and roles > brief.team.headcount:
        _q(rows, "team.headcount", f"团队人数 {brief.team.headcount}，各岗位人数合计 {roles}",
           "是否有人身兼多岗，或有兼职 / 外包人员？", "低")
    if brief.funnel.reachable is not None and assets.friends and brief.funnel.reachable < assets.friends:
        _q(rows, "funnel.reachable", f"可触达人数 {brief.funnel.reachable:,} 少于好友数 {assets.friends:,}",
           "可触达人数是否只算了某一个渠道？", "低")
    if brief.client.online_share is not None and shares and len(shares) == len(brief.scene.channels) \
            and all(c.kind for c in brief.scene.channels):
        online = sum(c.share or 0 for c in brief.scene.channels if c.kind != "线下")
        if abs(online - brief.client.online_share) > 0.1:
            _q(rows, "client.online_share",
               f"线上占比填写 {brief.client.online_share:.0%}，渠道表中线上渠道合计 {online:.0%}",
               "线上销售占比以哪个为准？", "低")


def _template_questions(rows: list[dict[str, Any]], brief: Brief, template: dict[str, Any]) -> None:
    typical = template.get("typical") or {}
    for path, key, unit in (("goods.aov", "aov", "元"), ("goods.repurchase_cycle_days", "repurchase_cycle_days", "天"),
                            ("people.purchases_per_year", "purchases_per_year", "次")):
        band, value = typical.get(key), _value(brief, path)
        if value is None or not isinstance(band, (list, tuple)) or len(band) != 2:
            continue
        low, high = float(band[0]), float(band[1])
        if value < low / 2 or value > high * 2:
            _q(rows, path, f"填写 {value:g}{unit}，远离行业典型区间 {low:g}–{high:g}{unit}",
               f"{FIELDS[path][0]}是否按同样口径填写？贵品牌有何特殊之处？", "低")


# -- tables for the report ----------------------------------------------------------------

def brief_summary(brief: Brief) -> pd.DataFrame:
    """Return the client's key facts as a two-column table (项目 / 内容), blanks shown as 未填写."""
    c, g, a = brief.client, brief.goods, brief.assets

    def show(value: Any, fmt: str = "{}") -> str:
        if not _filled(value):
            return "未填写"
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return fmt.format(value)

    rows = [
        ("客户", c.name), ("行业", c.industry), ("经营形态", show(c.format)), ("主营品类", show(c.category)),
        ("门店数量", show(c.store_count, "{:,}")), ("经营区域", show(c.regions)),
        ("线上销售占比", show(c.online_share, "{:.0%}")), ("客单价（填写）", show(g.aov, "¥{:,.0f}")),
        ("复购周期（填写）", show(g.repurchase_cycle_days, "{:g} 天")),
        ("销售渠道", show([ch.name + (f" {ch.share:.0%}" if ch.share is not None else "")
                         for ch in brief.scene.channels])),
        ("好友数", show(a.friends, "{:,}")), ("社群", show(a.groups, "{:,} 个")),
        ("社群人数", show(a.group_members, "{:,}")), ("私域团队", show(brief.team.headcount, "{} 人")),
        ("GMV 目标", show(brief.goals.gmv_target, "¥{:,.0f}")),
        ("目标周期", show(brief.goals.timeline_months, "{} 个月")), ("具体任务", show(brief.goals.tasks)),
    ]
    return pd.DataFrame(rows, columns=["项目", "内容"])


def stated_vs_measured(brief: Brief, measured: dict[str, Any] | None,
                       wecom_summary: dict[str, Any] | None = None) -> pd.DataFrame:
    """Return the figures the client stated next to what the data measure (指标 / 填写 / 实测 / 差异).

    差异 is (stated − measured) ÷ measured; only pairs with both sides known are listed.
    """
    measured, wecom = measured or {}, wecom_summary or {}
    pairs = [("客单价（元）", brief.goods.aov, _pick(measured, "aov"), "{:,.2f}"),
             ("复购周期（天）", brief.goods.repurchase_cycle_days, _pick(measured, "median_repurchase_days"), "{:,.1f}"),
             ("社群数量", brief.assets.groups, _pick(wecom, "chat_total"), "{:,.0f}"),
             ("社群人数", brief.assets.group_members, _pick(wecom, "member_total"), "{:,.0f}")]
    rows = [(name, fmt.format(s), fmt.format(m), f"{(s - m) / m:+.0%}" if m else "")
            for name, s, m, fmt in pairs if s is not None and m is not None]
    return pd.DataFrame(rows, columns=["指标", "澄清表填写", "数据实测", "差异"])


def format_completeness(table: pd.DataFrame) -> pd.DataFrame:
    """Return the completeness table for the report, with an overall row (部分 / 已填 / 应填 / 完整度)."""
    out = pd.DataFrame({"部分": table["label"], "已填": table["filled"], "应填": table["total"],
                        "完整度": table["score"].map("{:.0%}".format)})
    total = pd.DataFrame([{"部分": "总体", "已填": int(table["filled"].sum()), "应填": int(table["total"].sum()),
                           "完整度": f"{overall_score(table):.0%}"}])
    return pd.concat([out, total], ignore_index=True)


def format_questions(table: pd.DataFrame) -> pd.DataFrame:
    """Return the questions for the report (优先级 / 部分 / 项目 / 发现 / 需确认的问题)."""
    return pd.DataFrame({"优先级": table["priority"], "部分": table["section"], "项目": table["label"],
                         "发现": table["issue"], "需确认的问题": table["question"]})


def inventory_display(inventory: pd.DataFrame) -> pd.DataFrame:
    """Return the data inventory for the report: without the brief's field paths (字段)."""
    return inventory.drop(columns="字段", errors="ignore")
