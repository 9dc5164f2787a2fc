"""The user journey (用户旅程地图): stages, lanes and the private-domain funnel.

Pure functions.  The journey table merges three sources, marked per stage in its
``source`` column:

* **访谈** — the brief's interview notes (``journey:`` in the brief);
* **模板** — the industry template's default journey, used for stages (or lanes) the
  interviews did not cover;
* **数据** — funnel counts, conversion and days between stages from the orders, the
  members file (``data.customers``), the brief's stated assets and WeCom statistics.

A brief without interview notes still gets a map (template + data); callers should say
so — :func:`has_interviews` tells them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from diag.areas import people
from diag.brief.gaps import industry_name
from diag.brief.labels import ENUM_EN
from diag.brief.model import JOURNEY_STAGES, Brief
from diag.messages import Messages, messages

__all__ = ["PHASES", "STAGE_PHASE", "EMOTION_SCORE", "FUNNEL_STAGES", "journey_table", "funnel",
           "member_joins", "merge_notes", "has_interviews", "source_note", "template_journey",
           "format_journey", "format_funnel", "stage_word", "emotion_word"]

PHASES = ("购前", "购中", "购后")
STAGE_PHASE = {"认知": "购前", "考虑": "购前", "首购": "购中", "使用": "购后", "复购": "购后", "推荐": "购后"}
#: Default emotion score (-2 … 2) of an emotion word when an interview gives no score.
EMOTION_SCORE = {"惊喜": 2, "满意": 1, "好奇": 1, "期待": 1, "平淡": 0, "无聊": -1, "犹豫": -1,
                 "焦虑": -2, "负面": -2}
LANES = ("touchpoints", "actions", "thoughts", "pain_points", "opportunities")

#: Funnel stages: key, Chinese label, the journey stage it belongs to.
FUNNEL_STAGES = (("reached", "触达", "认知"), ("friend", "加好友", "考虑"), ("group", "入群", "考虑"),
                 ("first_order", "首购", "首购"), ("repurchase", "复购", "复购"), ("referral", "推荐", "推荐"))
#: An interval's median days, the key of its note (``note.*`` in the ``journey`` catalogue) and its fields.
Interval = tuple[float, str, dict[str, Any]]
REFERRAL_WORDS = ("推荐", "转介绍", "老带新", "裂变", "分享", "referral")
#: Headers of a members file's join date (注册 / 入会 / 开卡 / 加好友), matched like order headers.
JOIN_DATE_ALIASES = ("join_date", "joined_at", "注册时间", "注册日期", "入会时间", "入会日期", "开卡时间",
                     "开卡日期", "成为会员时间", "加入时间", "加入日期", "加好友时间", "添加时间",
                     "添加好友时间", "registered_at", "register_time", "signup_date", "created_at")

#: Used when the industry template carries no journey.
GENERIC_JOURNEY: tuple[dict[str, Any], ...] = (
    {"stage": "认知", "phase": "购前", "touchpoints": ["公域平台", "朋友推荐"], "actions": ["看到内容或广告"],
     "emotion": "好奇", "pain_points": ["信息多，难以信任"], "opportunities": ["内容种草", "引流品"],
     "en": {"touchpoints": ["public platforms", "friends' recommendations"], "actions": ["sees content or ads"],
            "pain_points": ["too much information, hard to trust"], "opportunities": ["seeding content", "traffic items"]}},
    {"stage": "考虑", "phase": "购前", "touchpoints": ["门店", "详情页"], "actions": ["比价", "看口碑"],
     "emotion": "犹豫", "pain_points": ["不确定是否适合自己"], "opportunities": ["试用装", "顾问答疑"],
     "en": {"touchpoints": ["store", "product page"], "actions": ["compares prices", "reads reviews"],
            "pain_points": ["unsure whether it suits them"], "opportunities": ["trial packs", "advisers answer questions"]}},
    {"stage": "首购", "phase": "购中", "touchpoints": ["门店", "小程序"], "actions": ["下单付款"],
     "emotion": "期待", "pain_points": ["付款后无人跟进"], "opportunities": ["加企微送礼", "包裹卡"],
     "en": {"touchpoints": ["store", "mini program"], "actions": ["orders and pays"],
            "pain_points": ["nobody follows up after payment"], "opportunities": ["a gift for adding WeCom", "parcel cards"]}},
    {"stage": "使用", "phase": "购后", "touchpoints": ["企微", "社群"], "actions": ["使用产品", "咨询"],
     "emotion": "满意", "pain_points": ["使用问题无人解答"], "opportunities": ["使用指导", "社群答疑"],
     "en": {"touchpoints": ["WeCom", "groups"], "actions": ["uses the product", "asks questions"],
            "pain_points": ["questions on use go unanswered"], "opportunities": ["usage guidance", "answers in groups"]}},
    {"stage": "复购", "phase": "购后", "touchpoints": ["社群", "朋友圈"], "actions": ["再次购买"],
     "emotion": "平淡", "pain_points": ["忘记补货"], "opportunities": ["按复购周期提醒", "会员权益"],
     "en": {"touchpoints": ["groups", "Moments"], "actions": ["buys again"],
            "pain_points": ["forgets to restock"], "opportunities": ["reminders by repurchase cycle", "member benefits"]}},
    {"stage": "推荐", "phase": "购后", "touchpoints": ["朋友圈", "朋友"], "actions": ["分享", "推荐朋友"],
     "emotion": "满意", "pain_points": ["推荐没有回报"], "opportunities": ["老带新奖励", "裂变海报"],
     "en": {"touchpoints": ["Moments", "friends"], "actions": ["shares", "recommends to friends"],
            "pain_points": ["recommending brings no reward"], "opportunities": ["referral rewards", "sharing posters"]}},
)


def source_note(brief: Brief, lang: str = "zh") -> str:
    """Return the sentence that says where the map comes from (for the report), in ``lang``."""
    t = messages("journey", lang)
    industry = industry_name(brief.client.industry, lang)
    if has_interviews(brief):
        stages = t("stage_sep").join(_word(stage, t) for stage in dict.fromkeys(n.stage for n in brief.journey))
        return t("source_with_interviews", stages=stages, industry=industry)
    return t("source_without_interviews", industry=industry)


def has_interviews(brief: Brief) -> bool:
    """Return whether the brief carries interview notes for at least one stage."""
    return bool(brief.journey)


def template_journey(template: dict[str, Any] | None, lang: str = "zh") -> list[dict[str, Any]]:
    """Return the template's default journey (a generic one, its texts in ``lang``, when it has none)."""
    from diag.industries.registry import in_language

    stages = (template or {}).get("journey") or []
    return [dict(s) for s in stages] if stages else [dict(s) for s in in_language(list(GENERIC_JOURNEY), lang)]


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
                  funnel_table: pd.DataFrame | None = None, lang: str = "zh") -> pd.DataFrame:
    """Return the journey map as a table, one row per stage, in journey order.

    Columns: ``stage``, ``phase`` (购前 / 购中 / 购后), ``touchpoints``, ``actions``,
    ``thoughts``, ``pain_points``, ``opportunities`` (lists of text), ``emotion``,
    ``score`` (-2 … 2), ``data`` (funnel counts for the stage, text) and ``source``.

    For a stage with interview notes every lane comes from the notes; lanes the notes
    leave empty are filled from the template and the source reads ``访谈+模板``.  A
    stage without notes comes from the template (``模板``).  Several notes for one stage
    are merged first (:func:`merge_notes`).  The emotion score is the interview's
    score, else the usual score of the interview's emotion word (:data:`EMOTION_SCORE`),
    else the template's.  ``+数据`` marks stages with data; the ``data`` text is in ``lang``.
    """
    template_rows = {s["stage"]: s for s in template_journey(template, lang)}
    notes = merge_notes([note.model_dump() for note in brief.journey])
    data_text = _data_by_stage(funnel_table, lang)
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


def merge_notes(notes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return the interview notes merged into one note per stage, in first-seen order.

    Several interviews often describe the same stage.  Lanes are the union of the
    notes' items, in the order heard, each item once.  Every emotion heard is kept
    (``emotion`` joins the distinct words with 、, e.g. ``犹豫、焦虑``), and ``score`` is
    the mean of the notes' scores, a note without a score counting the usual score of
    its emotion word (:data:`EMOTION_SCORE`); notes with neither are left out of the
    mean, and ``score`` is ``None`` when no note has one.
    """
    merged: dict[str, dict[str, Any]] = {}
    scores: dict[str, list[float]] = {}
    for note in notes:
        stage = note["stage"]
        out = merged.setdefault(stage, {"stage": stage, **{lane: [] for lane in LANES}, "emotion": None,
                                        "score": None})
        for lane in LANES:
            for item in note.get(lane) or []:
                if item not in out[lane]:
                    out[lane].append(item)
        emotion, score = note.get("emotion"), note.get("score")
        if emotion:
            words = out["emotion"].split("、") if out["emotion"] else []
            out["emotion"] = "、".join(dict.fromkeys([*words, emotion]))
        if score is None and emotion in EMOTION_SCORE:
            score = EMOTION_SCORE[emotion]
        if score is not None:
            scores.setdefault(stage, []).append(float(score))
            out["score"] = sum(scores[stage]) / len(scores[stage])
    return merged


def _data_by_stage(funnel_table: pd.DataFrame | None, lang: str = "zh") -> dict[str, str]:
    """Return each journey stage's funnel text in ``lang``: ``复购 1,814 人，转化 32.7%，首购→复购中位 62 天``.

    Phrases are joined with ，so the map can break lines between them; rows of one stage
    with ；.
    """
    if funnel_table is None or funnel_table.empty:
        return {}
    t = messages("journey", lang)
    out: dict[str, list[str]] = {}
    for row in funnel_table.itertuples(index=False):
        if pd.isna(row.count):
            continue
        label = row.label if lang == "zh" else t(f"stage.{row.stage}")
        phrases = [t("data.count", label=label, count=row.count)]
        if not pd.isna(row.conversion):
            phrases.append(t("data.conversion", value=row.conversion) if row.conversion <= 1 else t("data.unverified"))
        if not pd.isna(row.median_days):
            basis = row.days_basis if lang == "zh" else t(f"basis.{row.stage}")
            phrases.append(t("data.median", basis=basis, days=row.median_days))
        out.setdefault(row.journey_stage, []).append(t("data.phrase_sep").join(phrases))
    return {k: t("data.row_sep").join(v) for k, v in out.items()}


def _conversion(value: float, lang: str = "zh") -> str:
    """Return a conversion as text; above 100 % the two stages were counted on different bases."""
    return f"{value:.1%}" if value <= 1 else messages("journey", lang)("conversion_unverified", value=value)


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


def member_joins(customers: pd.DataFrame | None, buyers: pd.Index | None = None) -> tuple[pd.Series, str]:
    """Return each member's join day (index: customer id as text) and a note on the columns used.

    The join date is the first column whose header matches :data:`JOIN_DATE_ALIASES`
    (注册时间, 入会时间, 开卡时间, …); the customer id is the customer-id column (the
    orders' aliases: 会员ID, 手机号, …) sharing the most values with ``buyers`` (the
    orders' customer ids), else the first one.  A member listed twice keeps the earliest
    day.  The series is empty, and the note says why, when there is no members file or no
    such column.
    """
    joins, key, fields = _member_joins(customers, buyers)
    return joins, messages("journey")(f"note.{key}", **fields)


def _member_joins(customers: pd.DataFrame | None, buyers: pd.Index | None = None
                  ) -> tuple[pd.Series, str, dict[str, Any]]:
    """Return :func:`member_joins`' series, the key of its note (``note.*`` in the catalogue) and its fields."""
    from diag.readers.orders import ALIASES, normalise_header

    empty = pd.Series(dtype="datetime64[ns]")
    if customers is None or customers.empty:
        return empty, "no_members_file", {}
    headers = {normalise_header(c): c for c in customers.columns}
    join_col = next((headers[a] for a in map(normalise_header, JOIN_DATE_ALIASES) if a in headers), None)
    if join_col is None:
        return empty, "no_join_column", {}
    id_cols = [headers[a] for a in dict.fromkeys(map(normalise_header, ALIASES["customer_id"]))
               if a in headers and headers[a] != join_col]
    if not id_cols:
        return empty, "no_id_column", {}
    ids = {c: customers[c].astype("string").str.strip() for c in id_cols}
    if buyers is not None:
        id_col = max(id_cols, key=lambda c: (ids[c].isin(buyers).sum(), -id_cols.index(c)))
    else:
        id_col = id_cols[0]
    joined = pd.DataFrame({"customer_id": ids[id_col],
                           "day": pd.to_datetime(customers[join_col], errors="coerce").dt.normalize()})
    joined = joined.dropna()
    return joined.groupby("customer_id")["day"].min(), "members_file", {"id_col": id_col, "join_col": join_col}


def funnel(orders: Any, brief: Brief, wecom: dict[str, Any] | None = None,
           customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the private-domain funnel 触达 → 加好友 → 入群 → 首购 → 复购 → 推荐.

    Counts and where they come from (``source``):

    * 触达 — ``funnel.reachable`` in the brief, else the sum of the channels'
      ``monthly_reach`` (澄清表);
    * 加好友 — WeCom ``contact_total`` when given (企微), else ``assets.friends``, else
      the customers WeCom added in the statistics' period (``new_contact_cnt``);
    * 入群 — WeCom ``member_total`` when given (企微), else ``assets.group_members``;
    * 首购 — distinct customers with at least one valid order (订单);
    * 复购 — customers with at least two distinct purchase days (订单); both counts are
      :func:`diag.areas.people.buyer_counts`, the rules behind ``customers`` and
      ``repurchase_rate`` in the metrics, so 首购→复购 conversion is the repurchase rate;
    * 推荐 — ``funnel.referrers`` in the brief, else customers with an order in a
      referral channel (渠道 containing 推荐 / 转介绍 / 老带新 …), else 无数据.

    ``conversion`` is a stage's count ÷ the previous stage's count (when both are
    known).  Stages come from different sources and periods, so a conversion above
    100 % means buyers outside the previous stage's pool (e.g. buyers not in any group).

    ``median_days`` is the median number of days of the interval ``days_basis``, over
    the customers whose both dates are known; ``days_note`` gives the definition and
    how many customers it covers, or, where it is ``NaN``, why:

    * 入会→首购 — from a member's join day (``customers``, the members file; see
      :func:`member_joins`) to their first purchase day, over buyers who joined on or
      after the orders' first day (earlier members may have bought before the orders
      begin) and bought on or after joining;
    * 首购→复购 — from a repeat customer's first to second distinct purchase day;
    * 首购→推荐 — from a customer's first purchase day to their first later order in a
      referral channel, over customers whose referral-channel order is not their first
      purchase (a first order there is a referred newcomer, not a recommendation);
    * 触达→加好友, 加好友→入群 — never: the brief and WeCom statistics give totals,
      not per-person dates.
    """
    wecom = wecom or {}
    zh = messages("journey")
    frame = _orders_frame(orders)
    counts: dict[str, tuple[float, str]] = {}
    days: dict[str, Interval] = {"reached": (np.nan, "start", {}), "friend": (np.nan, "totals_only", {}),
                                 "group": (np.nan, "totals_only", {})}
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
    has_orders = frame is not None and not frame.empty
    if has_orders:
        bought = purchase_days(frame)
        nth = bought.groupby("customer_id").cumcount()
        first = bought[nth == 0].set_index("customer_id")["day"]
        second = bought[nth == 1].set_index("customer_id")["day"]
        buyers = people.buyer_counts(frame)
        counts["first_order"] = (float(buyers["customers"]), "订单")
        counts["repurchase"] = (float(buyers["repeat_customers"]), "订单")
        days["first_order"] = _join_to_first(first, customers)
        if len(second):
            gaps = (second - first.reindex(second.index)).dt.days
            days["repurchase"] = (float(gaps.median()), "first_to_second", {"n": len(gaps)})
        else:
            days["repurchase"] = (np.nan, "no_repeaters", {})
    else:
        counts["first_order"] = counts["repurchase"] = (np.nan, "无数据")
        days["first_order"] = days["repurchase"] = (np.nan, "no_orders", {})
    referral_mask = None
    if frame is not None and "channel" in frame and frame["channel"].notna().any():
        channel = frame["channel"].astype("string").fillna("")
        referral_mask = channel.str.contains("|".join(REFERRAL_WORDS), case=False, regex=True)
    if brief.funnel.referrers is not None:
        counts["referral"] = (float(brief.funnel.referrers), "澄清表")
    elif referral_mask is not None and frame is not None and referral_mask.any():
        counts["referral"] = (float(frame.loc[referral_mask, "customer_id"].nunique()), "订单（推荐渠道）")
    else:
        counts["referral"] = (np.nan, "无数据")
    if referral_mask is not None and referral_mask.any():
        days["referral"] = _first_to_referral(frame, referral_mask, first)
    elif brief.funnel.referrers is not None:
        days["referral"] = (np.nan, "referral_brief_only", {})
    else:
        days["referral"] = (np.nan, "no_referral_channel", {})
    rows, previous = [], np.nan
    for key, label, stage in FUNNEL_STAGES:
        count, source = counts[key]
        conversion = count / previous if previous and not np.isnan(previous) and not np.isnan(count) else np.nan
        median_days, note_key, fields = days[key]
        rows.append({"stage": key, "label": label, "journey_stage": stage, "count": count,
                     "conversion": conversion, "median_days": median_days, "days_basis": DAYS_BASIS[key],
                     "days_note": zh(f"note.{note_key}", **fields), "note_key": note_key, "note_fields": fields,
                     "source": source})
        previous = count
    return pd.DataFrame(rows)


#: The interval each funnel stage's ``median_days`` measures.
DAYS_BASIS = {"reached": "", "friend": "触达→加好友", "group": "加好友→入群", "first_order": "入会→首购",
              "repurchase": "首购→复购", "referral": "首购→推荐"}


def _join_to_first(first: pd.Series, customers: pd.DataFrame | None) -> Interval:
    """Return the median days from join day to first purchase day, and its note (see :func:`funnel`)."""
    joins, key, found = _member_joins(customers, first.index)
    if joins.empty:
        return np.nan, key, found
    start = first.min()
    both = pd.DataFrame({"joined": joins, "first": first}).dropna()
    if both.empty:
        return np.nan, "members_unmatched", found
    usable = both[(both["joined"] >= start) & (both["first"] >= both["joined"])]
    if usable.empty:
        return np.nan, "no_join_after_start", {**found, "start": f"{start:%Y-%m-%d}"}
    gaps = (usable["first"] - usable["joined"]).dt.days
    return float(gaps.median()), "join_to_first", {"n": len(gaps)}


def _first_to_referral(frame: pd.DataFrame, mask: pd.Series, first: pd.Series) -> Interval:
    """Return the median days from first purchase to the first later referral-channel order, and its note."""
    referral_days = purchase_days(frame[mask.to_numpy()])
    later = referral_days[referral_days["day"] > first.reindex(referral_days["customer_id"]).to_numpy()]
    if later.empty:
        return np.nan, "referral_first_only", {}
    first_referral = later.groupby("customer_id")["day"].min()
    gaps = (first_referral - first.reindex(first_referral.index)).dt.days
    return float(gaps.median()), "first_to_referral", {"n": len(gaps)}


#: Message keys of the words :func:`funnel` and :func:`journey_table` write (stages, phases, sources).
WORD_KEYS = {"认知": "awareness", "考虑": "consideration", "首购": "first_purchase", "使用": "use", "复购": "repurchase",
             "推荐": "referral", "购前": "before", "购中": "during", "购后": "after", "访谈": "interviews",
             "模板": "template", "数据": "data", "无": "none", "澄清表": "intake", "企微": "wecom",
             "企微（期间新增）": "wecom_added", "订单": "orders", "订单（推荐渠道）": "orders_referral", "无数据": "no_data"}


def _word(value: Any, t: Any) -> Any:
    """Return a :data:`WORD_KEYS` word (or ``+``-joined words) in ``t``'s language; other values as they are."""
    if not isinstance(value, str) or t.lang == "zh":
        return value
    parts = value.split("+")
    if all(part in WORD_KEYS for part in parts):
        return "+".join(t(f"word.{WORD_KEYS[part]}") for part in parts)
    return value


def format_journey(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the journey table for the report: headers, stages, phases and sources in ``lang``,
    lists joined with 、 (, in English).

    The lanes' texts are the interviews' and the template's, as written.
    """
    t = messages("journey", lang)
    sep = t("stage_sep")
    joined = {lane: table[lane].map(sep.join) for lane in LANES}
    columns = {"stage": table["stage"].map(lambda v: _word(v, t)), "phase": table["phase"].map(lambda v: _word(v, t)), "touchpoints": joined["touchpoints"],
               "actions": joined["actions"], "thoughts": joined["thoughts"], "emotion": table["emotion"].map(lambda v: _emotion(v, t)),
               "score": table["score"], "pain_points": joined["pain_points"],
               "opportunities": joined["opportunities"], "data": table["data"], "source": table["source"].map(lambda v: _word(v, t))}
    return pd.DataFrame({t(f"map.{key}"): values for key, values in columns.items()})


def stage_word(value: Any, lang: str = "zh") -> Any:
    """Return a stage, phase or source word of :data:`WORD_KEYS` (``+``-joined too) in ``lang``."""
    return _word(value, messages("journey", lang))


def emotion_word(value: Any, lang: str = "zh") -> str:
    """Return an emotion word (or 、-joined words) of the brief in ``lang``; ``""`` for none."""
    return _emotion(value, messages("journey", lang))


def _emotion(value: Any, t: Messages) -> str:
    """Return an emotion word (or 、-joined words, one of the brief's emotions each) in ``t``'s language."""
    if not isinstance(value, str):
        return ""
    if t.lang == "zh":
        return value
    return t("stage_sep").join(ENUM_EN.get(word, word) for word in value.split("、"))


def format_funnel(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the funnel for the report: headers and stage names in ``lang``, 无数据 where a count is
    unknown, and for each median interval its definition or why it cannot be computed."""
    t = messages("journey", lang)
    english = lang != "zh"
    labels = [t(f"stage.{key}") for key in table["stage"]] if english else table["label"]
    bases = [t(f"basis.{key}") if basis else "" for key, basis in zip(table["stage"], table["days_basis"])]
    return pd.DataFrame({
        t("funnel.label"): labels,
        t("funnel.count"): table["count"].map(lambda v: t("no_data") if pd.isna(v) else f"{v:,.0f}"),
        t("funnel.conversion"): table["conversion"].map(lambda v: "" if pd.isna(v) else _conversion(v, lang)),
        t("funnel.median_days"): table["median_days"].map(lambda v: "—" if pd.isna(v) else f"{v:.0f}"),
        t("funnel.days_note"): [note if not basis else t("basis_note", basis=basis, note=note)
                                for basis, note in zip(bases, _notes(table, t))],
        t("funnel.source"): table["source"].map(lambda v: _word(v, t)),
    })


def _notes(table: pd.DataFrame, t: Messages) -> list[str]:
    """Return the funnel's interval notes in ``t``'s language (from ``note_key``; ``days_note`` as given without it)."""
    if "note_key" not in table:
        return list(table["days_note"])
    return [t(f"note.{key}", **(fields or {})) for key, fields in zip(table["note_key"], table["note_fields"])]
