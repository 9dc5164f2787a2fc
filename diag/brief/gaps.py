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

from diag.brief.labels import ENUM_EN, FIELDS, NOT_SCORED, SECTIONS
from diag.brief.model import JOURNEY_STAGES, Brief
from diag.messages import Messages, messages

__all__ = ["completeness", "overall_score", "questions", "TOLERANCE", "PRIORITIES", "inventory_display",
           "industry_name", "format_name"]

PRIORITIES = ("高", "中", "低")

#: Relative difference between a stated and a measured figure above which we ask.
TOLERANCE = {
    "aov": 0.20,              # AOV: stated vs orders' gmv ÷ orders
    "repurchase_cycle": 0.30,  # stated cycle vs median days between purchase days (noisier)
    "wecom_counts": 0.10,      # group / member / friend counts vs WeCom statistics
}
GROUP_LIMIT = 500  # members a WeChat group holds

#: Important answers and the priority of asking when they are blank (the question: ``ask.<path>`` in
#: the ``intake`` catalogue).
ASK: dict[str, str] = {
    "client.format": "高",
    "goods.aov": "高",
    "goods.repurchase_cycle_days": "高",
    "scene.channels": "高",
    "assets.friends": "高",
    "assets.groups": "高",
    "goals.gmv_target": "高",
    "data.orders": "高",
    "client.store_count": "中",
    "goods.gross_margin": "中",
    "goods.product_lines": "中",
    "people.persona": "中",
    "people.purchase_logic": "中",
    "assets.group_members": "中",
    "team.headcount": "中",
    "team.roles": "中",
    "goals.timeline_months": "中",
    "goals.budget": "中",
    "funnel.reachable": "中",
    "data.wecom_contacts": "中",
    "data.wecom_groups": "中",
    "competitors": "低",
    "journey": "中",
    "scene.monthly_parcels": "低",
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


def _q(rows: list[dict[str, Any]], path: str, issue: str, question: str, priority: str, t: Messages) -> None:
    section = _section(path)
    label = (FIELDS[path][0] if t.lang == "zh" else FIELDS[path][1]) if path in FIELDS else path
    rows.append({"section": SECTIONS.get(section, section), "field": path, "label": label, "issue": issue,
                 "question": question, "priority": priority})


def _pick(summary: dict[str, Any] | None, *keys: str) -> float | None:
    for key in keys:
        value = (summary or {}).get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def questions(brief: Brief, measured: dict[str, Any] | None = None,
              wecom_summary: dict[str, Any] | None = None, *,
              template: dict[str, Any] | None = None, lang: str = "zh") -> pd.DataFrame:
    """Return the questions to ask the client next, most important first, their texts in ``lang``.

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
    ``issue``, ``question`` (to ask the client; both in ``lang``, the label too) and ``priority``
    (the codes 高 / 中 / 低, worded at presentation).
    """
    t = messages("intake", lang)
    rows: list[dict[str, Any]] = []
    for path, priority in ASK.items():
        if path == "client.store_count" and brief.client.format == "电商":
            continue  # an online shop has no stores to count
        if not _filled(_value(brief, path)):
            _q(rows, path, t("issue.blank"), t(f"ask.{path}"), priority, t)
    _data_questions(rows, brief, measured or {}, wecom_summary or {}, t)
    _consistency_questions(rows, brief, t)
    if template:
        _template_questions(rows, brief, template, t)
    columns = ["section", "field", "label", "issue", "question", "priority"]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    order = {p: i for i, p in enumerate(PRIORITIES)}
    table["_rank"] = table["priority"].map(order)
    table = table.sort_values("_rank", kind="stable").drop(columns="_rank")
    return table.reset_index(drop=True)


def _data_questions(rows: list[dict[str, Any]], brief: Brief, measured: dict[str, Any],
                    wecom: dict[str, Any], t: Messages) -> None:
    aov, m_aov = brief.goods.aov, _pick(measured, "aov")
    if aov and m_aov and _rel(aov, m_aov) > TOLERANCE["aov"]:
        _q(rows, "goods.aov", t("issue.aov", stated=aov, measured=m_aov, diff=_rel(aov, m_aov)),
           t("question.aov"), "高", t)
    cycle, m_cycle = brief.goods.repurchase_cycle_days, _pick(measured, "median_repurchase_days")
    if cycle and m_cycle and _rel(cycle, m_cycle) > TOLERANCE["repurchase_cycle"]:
        _q(rows, "goods.repurchase_cycle_days",
           t("issue.cycle", stated=cycle, measured=m_cycle, diff=_rel(cycle, m_cycle)), t("question.cycle"), "高", t)
    target, m_rate = brief.goals.repurchase_rate_target, _pick(measured, "repurchase_rate")
    if target is not None and m_rate is not None and target <= m_rate:
        _q(rows, "goals.repurchase_rate_target", t("issue.rate_target", target=target, measured=m_rate),
           t("question.rate_target"), "中", t)
    for path, keys, count in (("assets.groups", ("chat_total",), "groups"),
                              ("assets.group_members", ("member_total",), "group_members"),
                              ("assets.friends", ("contact_total", "customer_total"), "friends")):
        stated, counted = _value(brief, path), _pick(wecom, *keys)
        if stated is not None and counted is not None and _rel(stated, counted) > TOLERANCE["wecom_counts"]:
            name = t(f"count.{count}")
            _q(rows, path, t("issue.wecom", name=name, stated=stated, counted=counted),
               t("question.wecom", name=name), "中", t)


def _consistency_questions(rows: list[dict[str, Any]], brief: Brief, t: Messages) -> None:
    shares = [c.share for c in brief.scene.channels if c.share is not None]
    if shares and len(shares) == len(brief.scene.channels) and abs(sum(shares) - 1) > 0.05:
        _q(rows, "scene.channels", t("issue.shares", total=sum(shares)), t("question.shares"), "中", t)
    client = brief.client
    if client.format == "单店" and (client.store_count or 0) > 1:
        _q(rows, "client.store_count", t("issue.single_stores", count=client.store_count),
           t("question.single_stores"), "中", t)
    if client.format == "连锁" and client.store_count is not None and client.store_count <= 1:
        _q(rows, "client.store_count", t("issue.chain_stores", count=client.store_count),
           t("question.chain_stores"), "中", t)
    assets = brief.assets
    if assets.groups and assets.group_members and assets.group_members > assets.groups * GROUP_LIMIT:
        _q(rows, "assets.group_members",
           t("issue.group_limit", groups=assets.groups, members=assets.group_members, limit=GROUP_LIMIT),
           t("question.group_limit"), "高", t)
    for line in brief.goods.product_lines:
        if line.price_min is not None and line.price_max is not None and line.price_min > line.price_max:
            _q(rows, "goods.product_lines", t("issue.price_range", name=line.name),
               t("question.price_range", name=line.name), "中", t)
    lows = [p.price_min for p in brief.goods.product_lines if p.price_min is not None]
    if brief.goods.aov and lows and brief.goods.aov < min(lows):
        _q(rows, "goods.aov", t("issue.aov_below_lines", aov=brief.goods.aov, low=min(lows)),
           t("question.aov_below_lines"), "低", t)
    roles = sum(r.count for r in brief.team.roles)
    if brief.team.headcount is not None and roles > brief.team.headcount:
        _q(rows, "team.headcount", t("issue.roles", headcount=brief.team.headcount, roles=roles),
           t("question.roles"), "低", t)
    if brief.funnel.reachable is not None and assets.friends and brief.funnel.reachable < assets.friends:
        _q(rows, "funnel.reachable", t("issue.reachable", reachable=brief.funnel.reachable, friends=assets.friends),
           t("question.reachable"), "低", t)
    if brief.client.online_share is not None and shares and len(shares) == len(brief.scene.channels) \
            and all(c.kind for c in brief.scene.channels):
        online = sum(c.share or 0 for c in brief.scene.channels if c.kind != "线下")
        if abs(online - brief.client.online_share) > 0.1:
            _q(rows, "client.online_share", t("issue.online_share", stated=brief.client.online_share, online=online),
               t("question.online_share"), "低", t)


def _template_questions(rows: list[dict[str, Any]], brief: Brief, template: dict[str, Any], t: Messages) -> None:
    typical = template.get("typical") or {}
    for path, key, unit in (("goods.aov", "aov", "yuan"), ("goods.repurchase_cycle_days", "repurchase_cycle_days", "day"),
                            ("people.purchases_per_year", "purchases_per_year", "times")):
        band, value = typical.get(key), _value(brief, path)
        if value is None or not isinstance(band, (list, tuple)) or len(band) != 2:
            continue
        low, high = float(band[0]), float(band[1])
        if value < low / 2 or value > high * 2:
            label = FIELDS[path][0] if t.lang == "zh" else FIELDS[path][1]
            _q(rows, path, t("issue.typical", value=value, unit=t(f"unit.{unit}"), low=low, high=high),
               t("question.typical", label=label), "低", t)


# -- tables for the report ----------------------------------------------------------------

def industry_name(key: str, lang: str = "zh") -> str:
    """Return the industry's name in ``lang``: the key (Chinese), else its template's English name."""
    from diag.industries.registry import known_industries, load_industry

    if lang == "zh" or key not in known_industries():
        return key
    return str(load_industry(key).get("name_en") or key)


def format_name(business_format: str | None, lang: str = "zh") -> str | None:
    """Return a business format (单店 / 连锁 / 电商 / 品牌) in ``lang``."""
    if lang == "zh" or not business_format:
        return business_format
    return ENUM_EN.get(business_format, business_format)


def brief_summary(brief: Brief, lang: str = "zh") -> pd.DataFrame:
    """Return the client's key facts as a two-column table (项目 / 内容) in ``lang``, blanks shown as 未填写.

    The client's own words stay as written; the kit's words (the industry's and the business
    format's names, the units it adds to the client's numbers) are in ``lang``.
    """
    t = messages("intake", lang)
    c, g, a = brief.client, brief.goods, brief.assets

    def show(value: Any, fmt: str = "{}", unit: str | None = None) -> str:
        if not _filled(value):
            return t("not_filled")
        if isinstance(value, list):
            return t("list_sep").join(str(v) for v in value)
        return t(f"unit.{unit}", value=value) if unit else fmt.format(value)

    rows = [
        ("client", c.name), ("industry", industry_name(c.industry, lang)), ("format", show(format_name(c.format, lang))), ("categories", show(c.category)),
        ("store_count", show(c.store_count, "{:,}")), ("regions", show(c.regions)),
        ("online_share", show(c.online_share, "{:.0%}")), ("aov_stated", show(g.aov, "¥{:,.0f}")),
        ("cycle_stated", show(g.repurchase_cycle_days, unit="days")),
        ("channels", show([ch.name + (f" {ch.share:.0%}" if ch.share is not None else "")
                           for ch in brief.scene.channels])),
        ("friends", show(a.friends, "{:,}")), ("groups", show(a.groups, unit="groups")),
        ("group_members", show(a.group_members, "{:,}")), ("team", show(brief.team.headcount, unit="people")),
        ("gmv_target", show(brief.goals.gmv_target, "¥{:,.0f}")),
        ("horizon", show(brief.goals.timeline_months, unit="months")), ("tasks", show(brief.goals.tasks)),
    ]
    return pd.DataFrame([(t(key), value) for key, value in rows], columns=[t("item"), t("content")])


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
