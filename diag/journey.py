"""The user journey (用户旅程地图): stages, lanes and the private-domain funnel.

Pure functions.  The journey table merges three sources, marked per stage in its
``source`` column:

* **访谈** — the brief's interview notes (``journey:`` in the brief);
* **模板** — the industry template's default journey, used for stages (or lanes) the
  interviews did not cover;
* **数据** — funnel counts, conversion and days between stages from the orders, the
  brief's stated assets and WeCom statistics.

A brief without interview notes still gets a map (template + data); callers should say
so — :func:`has_interviews` tells them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .brief import JOURNEY_STAGES, Brief

__all__ = ["PHASES", "STAGE_PHASE", "EMOTION_SCORE", "FUNNEL_STAGES", "journey_table", "funnel",
           "has_interviews", "source_note", "template_journey", "format_journey", "format_funnel"]

PHASES = ("购前", "购中", "购后")
STAGE_PHASE = {"认知": "购前", "考虑": "购前", "首购": "购中", "使用": "购后", "复购": "购后", "推荐": "购后"}
#: Default emotion score (-2 … 2) of an emotion word when an interview gives no score.
EMOTION_SCORE = {"惊喜": 2, "满意": 1, "好奇": 1, "期待": 1, "平淡": 0, "无聊": -1, "犹豫": -1,
                 "焦虑": -2, "负面": -2}
LANES = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities")

#: Funnel stages: key, Chinese label, the journey stage it belongs to.
FUNNEL_STAGES = (("reached", "触达", "认知"), ("friend", "加好友", "考虑"), ("group", "入群", "考虑"),
                 ("first_order", "首购", "首购"), ("repurchase", "复购", "复购"), ("referral", "推荐", "推荐"))
REFERRAL_WORDS = ("推荐", "转介绍", "老带新", "裂变", "分享", "referral")

#: Used when the industry template carries no journey.
GENERIC_JOURNEY: tuple[dict[str, Any], ...] = (
    {"stage": "认知", "phase": "购前", "touchpoints": ["公域平台", "朋友推荐"], "actions": ["看到内容或广告"],
     "emotion": "好奇", "pain_points": ["信息多，难以信任"], "opportunities": ["内容种草", "引流品"]},
    {"stage": "考虑", "phase": "购前", "touchpoints": ["门店", "详情页"], "actions": ["比价", "看口碑"],
     "emotion": "犹豫", "pain_points": ["不确定是否适合自己"], "opportunities": ["试用装", "顾问答疑"]},
    {"stage": "首购", "phase": "购中", "touchpoints": ["门店", "小程序"], "actions": ["下单付款"],
     "emotion": "期待", "pain_points": ["付款后无人跟进"], "opportunities": ["加企微送礼", "包裹卡"]},
    {"stage": "使用", "phase": "购后", "touchpoints": ["企微", "社群"], "actions": ["使用产品", "咨询"],
     "emotion": "满意", "pain_points": ["使用问题无人解答"], "opportunities": ["使用指导", "社群答疑"]},
    {"stage": "复购", "phase": "购后", "touchpoints": ["社群", "朋友圈"], "actions": ["再次购买"],
     "emotion": "平淡", "pain_points": ["忘记补货"], "opportunities": ["按复购周期提醒", "会员权益"]},
    {"stage": "推荐", "phase": "购后", "touchpoints": ["朋友圈", "朋友"], "actions": ["分享", "推荐朋友"],
     "emotion": "满意", "pain_points": ["推荐没有回报"], "opportunities": ["老带新奖励", "裂变海报"]},
)


def source_note(brief: Brief) -> str:
    """Return the sentence that says where the map comes from (for the report)."""
    if has_interviews(brief):
        stages = "、".join(dict.fromkeys(n.stage for n in brief.journey))
        return (f"访谈覆盖的阶段（{stages}）来自客户访谈，其余阶段和访谈未提及的栏目来自「{brief.client.industry}」"
                "行业模板；人数与转化来自订单、澄清表和企业微信数据。")
    return (f"本旅程地图未包含客户访谈：各阶段内容来自「{brief.client.industry}」行业模板的默认旅程，"
            "人数与转化来自订单、澄清表和企业微信数据。访谈后请在 brief 的 journey 部分补充，再重新生成。")


def has_interviews(brief: Brief) -> bool:
    """Return whether the brief carries interview notes for at least one stage."""
    return bool(brief.journey)


def template_journey(template: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Return the template's default journey (a generic one when it has none)."""
    stages = (template or {}).get("journey") or []
    return [dict(s) for s in stages] if stages else [dict(s) for s in GENERIC_JOURNEY]


def _stage_order(template_stages: list[str]) -> list[str]:
    """Return the template's stages with any missing standard stage put in its usual place."""
    order = list(template_stages)
    for i, stage in enumerate(JOURNEY_STAGES):
        if stage in order:
            continue
        before = [s for s in JOURNEY_STAGES[:i] if s in order]
        order.insert(order.index(before[-1]) + 1 if before else 0, stage)
    return order


def journey_table(brief: Brief, template: dict[str, Any] | None = None,
                  funnel_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the journey map as a table, one row per stage, in journey order.

    Columns: ``stage``, ``phase`` (购前 / 购中 / 购后), ``touchpoints``, ``actions``,
    ``thoughts``, ``pain_points``, ``opportunities`` (lists of text), ``emotion``,
    ``score`` (-2 … 2), ``data`` (funnel counts for the stage, text) and ``source``.

    For a stage with interview notes every lane comes from the notes; lanes the notes
    leave empty are filled from the template and the source reads ``访谈+模板``.  A
    stage without notes comes from the template (``模板``).  The emotion score is the
    interview's score, else the usual score of the interview's emotion word
    (:data:`EMOTION_SCORE`), else the template's.  ``+数据`` marks stages with data.
    """
    template_rows = {s["stage"]: s for s in template_journey(template)}
    notes: dict[str, dict[str, Any]] = {}
    for note in brief.journey:
        notes.setdefault(note.stage, note.model_dump())
    data_text = _data_by_stage(funnel_table)
    rows = []
    for stage in _stage_order(list(template_rows)):
        tpl, note = template_rows.get(stage, {}), notes.get(stage)
        row: dict[str, Any] = {"stage": stage, "phase": tpl.get("phase") or STAGE_PHASE.get(stage, "购后")}
        sources = []
        if note is not None:
            sources.append("访谈")
            used_template = False
            for lane in LANES:
                row[lane] = list(note.get(lane) or [])
                if not row[lane] and tpl.get(lane):
                    row[lane], used_template = list(tpl[lane]), True
            emotion = note.get("emotion")
            score = note.get("score")
            if emotion is None and score is None and tpl.get("emotion"):
                emotion, score, used_template = tpl.get("emotion"), tpl.get("score"), True
            if used_template:
                sources.append("模板")
        else:
            if tpl:
                sources.append("模板")
            for lane in LANES:
                row[lane] = list(tpl.get(lane) or [])
            emotion, score = tpl.get("emotion"), tpl.get("score")
        if score is None and emotion in EMOTION_SCORE:
            score = EMOTION_SCORE[emotion]
        row["emotion"] = emotion
        row["score"] = float(score) if score is not None else np.nan
        row["data"] = data_text.get(stage, "")
        if row["data"]:
            sources.append("数据")
        row["source"] = "+".join(sources) or "无"
        rows.append(row)
    columns = ["stage", "phase", "touchpoints", "actions", "thoughts", "emotion", "score",
               "pain_points", "opportunities", "data", "source"]
    return pd.DataFrame(rows, columns=columns)


def _data_by_stage(funnel_table: pd.DataFrame | None) -> dict[str, str]:
    if funnel_table is None or funnel_table.empty:
        return {}
    out: dict[str, list[str]] = {}
    for row in funnel_table.itertuples(index=False):
        if pd.isna(row.count):
            continue
        text = f"{row.label} {row.count:,.0f} 人"
        if not pd.isna(row.conversion):
            text += f"（转化 {_conversion(row.conversion)}）"
        if not pd.isna(row.median_days):
            text += f"，中位 {row.median_days:.0f} 天"
        out.setdefault(row.journey_stage, []).append(text)
    return {k: "；".join(v) for k, v in out.items()}


def _conversion(value: float) -> str:
    """Return a conversion as text; above 100 % the two stages were counted on different bases."""
    return f"{value:.1%}" if value <= 1 else f"{value:.0%}，口径不同"


def _orders_frame(orders: Any) -> pd.DataFrame | None:
    if orders is None:
        return None
    frame = getattr(orders, "orders", orders)
    return frame if isinstance(frame, pd.DataFrame) else None


def purchase_days(orders: pd.DataFrame) -> pd.DataFrame:
    """Return one row per customer and distinct purchase day (``customer_id``, ``day``)."""
    days = pd.DataFrame({"customer_id": orders["customer_id"].astype("string"),
                         "day": pd.to_datetime(orders["paid_at"]).dt.normalize()})
    return days.dropna().drop_duplicates().sort_values(["customer_id", "day"]).reset_index(drop=True)


def funnel(orders: Any, brief: Brief, wecom: dict[str, Any] | None = None) -> pd.DataFrame:
    """Return the private-domain funnel 触达 → 加好友 → 入群 → 首购 → 复购 → 推荐.

    Counts and where they come from (``source``):

    * 触达 — ``funnel.reachable`` in the brief, else the sum of the channels'
      ``monthly_reach`` (澄清表);
    * 加好友 — WeCom ``contact_total`` when given (企微), else ``assets.friends``, else
      the customers WeCom added in the statistics' period (``new_contact_cnt``);
    * 入群 — WeCom ``member_total`` when given (企微), else ``assets.group_members``;
    * 首购 — distinct customers with at least one valid order (订单);
    * 复购 — customers with at least two distinct purchase days (订单);
    * 推荐 — ``funnel.referrers`` in the brief, else customers with an order in a
      referral channel (渠道 containing 推荐 / 转介绍 / 老带新 …), else 无数据.

    ``conversion`` is a stage's count ÷ the previous stage's count (when both are
    known).  Stages come from different sources and periods, so a conversion above
    100 % means buyers outside the previous stage's pool (e.g. buyers not in any group).
    ``median_days`` is known only for 复购: the median, over repeat customers, of days
    from the first to the second distinct purchase day.
    """
    wecom = wecom or {}
    frame = _orders_frame(orders)
    counts: dict[str, tuple[float, str]] = {}
    reach = brief.funnel.reachable
    if reach is None and any(c.monthly_reach is not None for c in brief.scene.channels):
        reach = sum(c.monthly_reach or 0 for c in brief.scene.channels)
    counts["reached"] = (np.nan, "无数据") if reach is None else (float(reach), "澄清表")
    for key, wecom_key, stated in (("friend", "contact_total", brief.assets.friends),
                                   ("group", "member_total", brief.assets.group_members)):
        value = wecom.get(wecom_key)
        added = wecom.get("new_contact_cnt") if key == "friend" else None
        if isinstance(value, (int, float)) and not pd.isna(value):
            counts[key] = (float(value), "企微")
        elif stated is not None:
            counts[key] = (float(stated), "澄清表")
        elif isinstance(added, (int, float)) and not pd.isna(added):
            counts[key] = (float(added), "企微（期间新增）")
        else:
            counts[key] = (np.nan, "无数据")
    days_to_repeat = np.nan
    if frame is not None and not frame.empty:
        days = purchase_days(frame)
        nth = days.groupby("customer_id").cumcount()
        first = days[nth == 0].set_index("customer_id")["day"]
        second = days[nth == 1].set_index("customer_id")["day"]
        counts["first_order"] = (float(len(first)), "订单")
        counts["repurchase"] = (float(len(second)), "订单")
        if len(second):
            days_to_repeat = float((second - first.reindex(second.index)).dt.days.median())
    else:
        counts["first_order"] = counts["repurchase"] = (np.nan, "无数据")
    if brief.funnel.referrers is not None:
        counts["referral"] = (float(brief.funnel.referrers), "澄清表")
    elif frame is not None and "channel" in frame and frame["channel"].notna().any():
        channel = frame["channel"].astype("string").fillna("")
        mask = channel.str.contains("|".join(REFERRAL_WORDS), case=False, regex=True)
        counts["referral"] = ((float(frame.loc[mask, "customer_id"].nunique()), "订单（推荐渠道）")
                              if mask.any() else (np.nan, "无数据"))
    else:
        counts["referral"] = (np.nan, "无数据")
    rows, previous = [], np.nan
    for key, label, stage in FUNNEL_STAGES:
        count, source = counts[key]
        conversion = count / previous if previous and not np.isnan(previous) and not np.isnan(count) else np.nan
        rows.append({"stage": key, "label": label, "journey_stage": stage, "count": count,
                     "conversion": conversion, "median_days": days_to_repeat if key == "repurchase" else np.nan,
                     "source": source})
        previous = count
    return pd.DataFrame(rows)


def format_journey(table: pd.DataFrame) -> pd.DataFrame:
    """Return the journey table for the report: Chinese headers, lists joined with 、."""
    out = pd.DataFrame({
        "阶段": table["stage"], "购买环节": table["phase"],
        "触点": table["touchpoints"].map("、".join), "行为": table["actions"].map("、".join),
        "想法": table["thoughts"].map("、".join), "情绪": table["emotion"].fillna(""),
        "情绪分": table["score"], "痛点": table["pain_points"].map("、".join),
        "机会点": table["opportunities"].map("、".join), "数据": table["data"], "来源": table["source"],
    })
    return out


def format_funnel(table: pd.DataFrame) -> pd.DataFrame:
    """Return the funnel for the report: Chinese headers, 无数据 where a count is unknown."""
    return pd.DataFrame({
        "环节": table["label"],
        "人数": table["count"].map(lambda v: "无数据" if pd.isna(v) else f"{v:,.0f}"),
        "较上一环节转化": table["conversion"].map(lambda v: "" if pd.isna(v) else _conversion(v)),
        "距上一环节中位天数": table["median_days"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}"),
        "数据来源": table["source"],
    })
