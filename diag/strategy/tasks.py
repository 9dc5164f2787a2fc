"""The client's own words: their tasks answered, their constraints kept, what they already do improved.

Pure functions on the brief and the plan.

- :func:`constraint_terms` / :func:`violation` — "不做短信群发" forbids actions that mention 短信;
- :func:`existing_practices` / :func:`improve_existing` — a 会员日 the client already runs
  every Wednesday is improved, not proposed anew;
- :func:`apply_brief` — both, on the ranked recommendations;
- :func:`task_table` — every ``goals.tasks`` item with an action (or 不建议, 因为…), the
  data the kit holds on it, the owner and the date.

Matching is by shared two-character words (bigrams) between the task and an action, a
channel or a store; it needs no word list of its own.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable, Mapping

import pandas as pd

from diag.messages import messages

__all__ = ["constraint_terms", "violation", "existing_practices", "improve_existing", "apply_brief",
           "task_table", "PRACTICES", "bigrams"]

_NEGATIONS = r"(?:不做|不用|不能用|不使用|不采用|禁止|不要|不搞|不允许|不考虑|不开展|不发|不打|不上|不走)"
#: A forbidden word's other spellings.
_SYNONYMS = {"短信": ("短信", "SMS", "sms"), "电话": ("电话", "外呼"), "直播": ("直播",),
             "折": ("打折", "折扣")}
#: Practices a client may already run (the word as it appears in actions and briefs).
PRACTICES = ("会员日", "储值", "秒杀", "拼团", "积分", "签到", "包裹卡", "直播", "团购", "生日", "社群", "小程序",
             "朋友圈", "企微", "企业微信")
#: Words that say a practice in the brief's tasks is already running.
_RUNNING = ("每周", "每月", "每天", "固定", "已", "现有", "正在", "在做", "目前")
_SPLIT = re.compile(r"[;；,，。、\n]+")


def bigrams(text: str) -> set[str]:
    """Return the two-character runs of the CJK and Latin words in ``text``."""
    out: set[str] = set()
    for word in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z]+", text or ""):
        if re.match(r"[A-Za-z]", word):
            out.add(word.lower())
        else:
            out |= {word[i:i + 2] for i in range(len(word) - 1)}
    return out


def constraint_terms(constraints: str | None) -> list[tuple[str, str]]:
    """Return ``(forbidden word, clause)`` pairs read from ``goals.constraints``.

    A clause with a negation verb (不做, 不用, 禁止, 不要, …) forbids its object and the
    object's first word: "不做短信群发" forbids 短信群发 and 短信 (and SMS).
    """
    out: list[tuple[str, str]] = []
    for clause in _SPLIT.split(constraints or ""):
        clause = clause.strip()
        for m in re.finditer(_NEGATIONS + r"([\u4e00-\u9fffA-Za-z]{1,12})", clause):
            obj = m.group(1)
            terms = {obj}
            if len(obj) >= 3:
                terms.add(obj[:2])
            if m.group(0).startswith("不打"):
                terms = {"打" + obj}
            for t in list(terms):
                terms |= set(_SYNONYMS.get(t, ()))
            out += [(t, clause) for t in sorted(terms)]
    return out


def violation(text: str, terms: Iterable[tuple[str, str]]) -> str | None:
    """Return the constraint clause ``text`` breaks, else None."""
    for term, clause in terms:
        if term and term in (text or ""):
            return clause
    return None


def existing_practices(brief: Any) -> dict[str, str]:
    """Return the practices the brief says the client already runs: ``{practice: where it says so}``."""
    sources: list[tuple[str, str]] = [("需求澄清表备注", brief.notes or ""),
                                      ("会员等级", "、".join(brief.people.member_tiers)),
                                      ("SCRM工具", brief.assets.scrm_tool or "")]
    sources += [("客户的任务", t) for t in brief.goals.tasks if any(w in t for w in _RUNNING)]
    for note in brief.journey:
        sources.append(("旅程访谈", "、".join(note.touchpoints + note.actions)))
    out: dict[str, str] = {}
    for practice in PRACTICES:
        for where, text in sources:
            if practice in text:
                out.setdefault(practice, f"{where}: {_excerpt(text, practice)}")
    if brief.assets.mini_program:
        out.setdefault("小程序", "私域资产: 已有小程序")
    if brief.assets.groups:
        out.setdefault("社群", f"私域资产: 已有 {brief.assets.groups} 个群")
    return out


def _excerpt(text: str, word: str, width: int = 14) -> str:
    i = text.find(word)
    start = max(0, i - width)
    return ("…" if start else "") + text[start:i + len(word) + width].strip() + ("…" if i + len(word) + width < len(text) else "")


#: Practices so basic that "already has groups" does not make a group action an improvement.
_BASIC = ("社群", "小程序", "朋友圈", "企微", "企业微信")


def improve_existing(action: str, existing: Mapping[str, str], lang: str = "zh") -> tuple[str, str]:
    """Return ``(action, practice)``: the action worded (in ``lang``) as an improvement of what the client runs."""
    for practice in PRACTICES:
        if practice in _BASIC or practice not in existing or practice not in action:
            continue
        return messages("actions", lang)("improve", practice=practice, action=action), practice
    return action, ""


def apply_brief(recs: pd.DataFrame, brief: Any, lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(kept, dropped)``: actions breaking a constraint are dropped (with ``reason``),
    actions the client already runs are reworded as improvements (``improves`` names it); notes in ``lang``."""
    t = messages("actions", lang)
    terms = constraint_terms(brief.goals.constraints)
    existing = existing_practices(brief)
    keep, drop = [], []
    for r in recs.to_dict("records"):
        clause = violation(str(r.get("action", "")), terms)
        if clause:
            drop.append({**r, "reason": t("constraint_kept", clause=clause)})
            continue
        r["action"], r["improves"] = improve_existing(str(r.get("action", "")), existing, lang)
        keep.append(r)
    kept = pd.DataFrame(keep, columns=list(recs.columns) + ["improves"])
    if len(kept):
        kept["priority"] = range(1, len(kept) + 1)
    return kept.reset_index(drop=True), pd.DataFrame(drop, columns=list(recs.columns) + ["reason"])


# -- the tasks table ------------------------------------------------------------------------

def fill(action: str, values: Mapping[str, Any]) -> str:
    """Return a template action with its ``{placeholders}`` filled; unknown ones stay visible."""
    class _Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return action.format_map(_Keep(values))
    except (ValueError, IndexError):
        return action


_WINDOW_DAYS = {"30天": 0, "60天": 30, "90天": 60}


#: Everyday words a client uses for what actions call by another name (added to the task's words).
_ALIASES = {"二次": "复购", "再次": "复购", "回头": "复购", "回购": "复购", "入会": "会员 加粉 引流", "加企微": "加粉 企微 引流",
            "扫码": "加粉 引流", "拉新": "引流 新客", "冷启动": "引流 起群", "开业": "引流 新店", "裂变": "推荐 邀请",
            "转介绍": "推荐 裂变", "客单": "客单价 组合"}


def _grams(text: str) -> set[str]:
    """Return the bigrams and trigrams of ``text`` (a shared trigram such as 会员日 weighs more)."""
    out = bigrams(text)
    for word in re.findall(r"[\u4e00-\u9fff]+", text or ""):
        out |= {word[i:i + 3] for i in range(len(word) - 2)}
    return out


def _field(item: Any, key: str) -> Any:
    """Return ``key`` of a candidate: a plain record or a (kind, record) pair."""
    record = item[1] if isinstance(item, tuple) else item
    return record.get(key, "") if isinstance(record, Mapping) else ""


def _task_words(task: str) -> set[str]:
    extra = " ".join(v for k, v in _ALIASES.items() if k in task)
    return _grams(task + " " + extra)


def _best(task: str, candidates: list[tuple[str, Any]]) -> tuple[Any, float, int]:
    """Return the candidate sharing the most distinctive words with ``task`` (idf-weighted),
    its score and how many bigrams it shares."""
    import math

    words = _task_words(task)
    docs = [_grams(text) for text, _item in candidates]
    n = len(docs) or 1
    df: dict[str, int] = {}
    for d in docs:
        for w in d:
            df[w] = df.get(w, 0) + 1
    best, score, shared = None, 0.0, 0
    for d, (_text, item) in zip(docs, candidates):
        common = words & d
        s = sum(math.log(1 + n / df[w]) for w in common)
        area = str(_field(item, "area"))
        named = bool(area) and area in words  # the task names the action's area (复购, 引流, …)
        if named:
            s += math.log(1 + n)
        if s > score:
            best, score, shared = item, s, len(common) + int(named)
    return best, score, shared


def _data_on(task: str, channels: pd.DataFrame | None, stores: pd.DataFrame | None,
             metrics: Mapping[str, Any], brief: Any = None, lang: str = "zh") -> str:
    t = messages("actions", lang)
    words = _task_words(task)
    facts = []
    for frame, name, kind in ((channels, "channel", "channel"), (stores, "store", "store")):
        if frame is None or not len(frame) or name not in frame:
            continue
        scored = [(len(words & bigrams(str(v))), i) for i, v in enumerate(frame[name])]
        score, i = max(scored)
        if score:
            row = frame.iloc[i]
            parts = [t("data_gmv", gmv=row["gmv"])] if "gmv" in row else []
            if "share" in row and pd.notna(row["share"]):
                parts.append(t("data_share", share=row["share"]))
            if "buyers" in row and pd.notna(row["buyers"]):
                parts.append(t("data_buyers", buyers=row["buyers"]))
            repurchase = "repurchase_rate" in row and pd.notna(row["repurchase_rate"])
            if repurchase:
                parts.append(t(f"data_repurchase_{kind}", rate=row["repurchase_rate"]))
            facts.append((t(f"data_{kind}"), row[name], parts, repurchase))
    rate = metrics.get("repurchase_rate")
    out = [t("data_fact", kind=k, name=n, parts=t("data_parts_sep").join(p)) for k, n, p, _r in facts]
    if "复购" in words and rate is not None and not any(r for *_rest, r in facts):
        out.append(t("data_repurchase", rate=rate, days=metrics.get("median_repurchase_days") or 0))
    assets = getattr(brief, "assets", None)
    if assets is not None:
        for keys, value, key in (("加粉 企微 好友 会员", assets.friends, "data_friends"),
                                 ("社群 群里 入群", assets.group_members, "data_group_members"),
                                 ("公众号 粉丝", assets.official_account_followers, "data_followers")):
            if value is not None and words & bigrams(keys):
                out.append(t(key, value=value))
    return t("data_sep").join(out) or t("data_none")


def task_table(brief: Any, recs: pd.DataFrame, *, start: _dt.date, template_rules: list[Mapping[str, Any]],
               channels: pd.DataFrame | None = None, stores: pd.DataFrame | None = None,
               metrics: Mapping[str, Any] | None = None, owner_of: Any = None,
               values: Mapping[str, Any] | None = None, lang: str = "zh") -> pd.DataFrame:
    """Return one row per ``goals.tasks`` item: 你们提出的任务 / 建议 / 我们掌握的数据 / 负责人 / 开始日期.

    The headers stay the kit's Chinese keys (:func:`diag.strategy.wording.localize` words them);
    the advice and the data are written in ``lang``, the task as the client wrote it.

    The advice is, first found: 不建议 when the task breaks a constraint; the plan's
    action sharing most words with the task (at least two bigrams), with its owner and
    start date; a template rule that shares them (not fired by the data, so it starts
    at the first review, day 30); else a study to scope at the first review.
    """
    t = messages("actions", lang)
    metrics = metrics or {}
    owner_of = owner_of or (lambda role: role)
    terms = constraint_terms(brief.goals.constraints)
    planned = {r.get("rule") for r in recs.to_dict("records")}
    candidates = [(f"{r['action']} {r['area']}", ("plan", r)) for r in recs.to_dict("records")]
    candidates += [(f"{r.get('action', '')} {r.get('area', '')} {r.get('id', '')}", ("rule", r))
                   for r in template_rules if r.get("id") not in planned]
    existing = existing_practices(brief)
    rows = []
    review = start + _dt.timedelta(days=30)
    for task in brief.goals.tasks:
        data = _data_on(task, channels, stores, metrics, brief, lang)
        clause = violation(task, terms)
        match, _score, shared = _best(task, candidates)
        kind, item = match if match is not None else ("", None)
        if clause:
            advice, owner, date = t("task_refused", clause=clause), "—", "—"
        elif kind == "plan" and shared >= 2:
            assert item is not None  # a match has an item
            window = item.get("start_window") or item.get("timing") or "30天"
            advice = t("task_planned", priority=int(item["priority"]), action=item["action"])
            owner = item["owner"]
            date = (start + _dt.timedelta(days=_WINDOW_DAYS.get(window, 0))).isoformat()
        else:
            text = str(item.get("action", "")) if item is not None else ""
            action = improve_existing(fill(text, values or {}), existing, lang)[0]
            if kind == "rule" and shared >= 2 and not violation(action, terms):
                assert item is not None  # a match has an item
                advice = t("task_extra", action=action)
                owner, date = owner_of(item.get("owner", "总PM")), review.isoformat()
            else:
                advice = t("task_study_no_data") if data == t("data_none") else t("task_study")
                owner, date = owner_of("总PM"), review.isoformat()
        rows.append({"你们提出的任务": task, "建议": advice, "我们掌握的数据": data, "负责人": owner, "开始日期": date})
    return pd.DataFrame(rows, columns=["你们提出的任务", "建议", "我们掌握的数据", "负责人", "开始日期"])
