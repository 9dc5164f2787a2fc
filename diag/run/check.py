"""``diag check BRIEF``: validate a brief and its data files; list gaps and questions.

:func:`diag.readers.load.load_data` reads every data file a brief names (a missing or
unreadable file raises :class:`~diag.errors.DataError` → exit 2); :func:`inspect_brief` measures what
the intake needs and collects completeness and questions (:mod:`diag.brief.gaps`);
:func:`format_check` prints the Chinese summary.  The intake and journey notebooks use
the same functions, so the CLI and the report agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from diag.areas import scene
from diag.brief.model import Brief, load_brief
from diag.format import format_number
from diag.readers.load import DATA_FILES, BriefData, load_data

__all__ = ["DATA_FILES", "BriefData", "CheckReport", "load_data", "measure",
           "inspect_brief", "check_brief", "format_check"]

#: Orders metrics the intake compares with the brief (keys of ``diag metrics``).
MEASURED_KEYS = ("orders", "customers", "gmv", "aov", "orders_per_customer", "purchase_days_per_customer",
                 "repurchase_rate", "repurchase_rate_90d", "median_repurchase_days", "first_date", "last_date")


@dataclass
class CheckReport:
    """Return-value record of :func:`inspect_brief`."""

    brief: Brief
    data: BriefData
    measured: dict[str, Any]
    wecom: dict[str, Any]
    completeness: pd.DataFrame
    overall: float
    questions: pd.DataFrame

    @property
    def inventory(self) -> pd.DataFrame:
        """Return the data inventory (数据 / 字段 / 文件 / 状态 / 行数 / 说明)."""
        return self.data.inventory

    @property
    def quality(self) -> pd.DataFrame | None:
        """Return the orders' data-quality table in Chinese, or ``None`` without orders."""
        return self.quality_table()

    def quality_table(self, lang: str = "zh") -> pd.DataFrame | None:
        """Return the orders' data-quality table in ``lang``, or ``None`` without orders."""
        return None if self.data.orders is None else self.data.orders.quality.to_frame(lang)




def measure(brief: Brief, data: BriefData) -> dict[str, Any]:
    """Return the orders metrics the intake compares with the brief (empty without orders)."""
    if data.orders is None:
        return {}
    from diag.areas.metrics import compute_metrics

    metrics = compute_metrics(data.orders, as_of=brief.data.as_of, clv_sample=2_000)
    return {k: metrics.get(k) for k in MEASURED_KEYS}


def inspect_brief(brief: Brief, data: BriefData | None = None, lang: str = "zh") -> CheckReport:
    """Return the check of a loaded brief: data read, measured, completeness, questions (in ``lang``).

    ``data`` is the brief's data already loaded (:func:`diag.readers.load.cached`); by
    default the files are read here.
    """
    from diag.brief import gaps
    from diag.industries.registry import known_industries, load_industry

    data = load_data(brief) if data is None else data
    measured = measure(brief, data)
    wecom = scene.wecom_summary(data.contacts, data.groups)
    template = load_industry(brief.client.industry) if brief.client.industry in known_industries() else None
    table = gaps.completeness(brief)
    return CheckReport(brief, data, measured, wecom, table, gaps.overall_score(table),
                       gaps.questions(brief, measured, wecom, template=template, lang=lang))


def check_brief(path: str | Path, lang: str = "zh") -> CheckReport:
    """Return the check of the brief at ``path``, its questions in ``lang`` (BriefError / DataError for bad input)."""
    return inspect_brief(load_brief(path), lang=lang)


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def format_check(report: CheckReport, lang: str = "zh") -> str:
    """Return the summary ``diag check`` prints, in ``lang`` (the ``cli`` and ``intake`` catalogues).

    The questions are in the language the report was inspected in (:func:`check_brief`).
    """
    from diag.brief.gaps import industry_name
    from diag.messages import messages, text
    from diag.strategy.wording import word

    t = messages("cli", lang)

    def kit(value: Any) -> Any:  # the intake's own words (data names, statuses, sections, priorities)
        return word(value, lang, "intake", patterns=False)

    b = report.brief
    lines = [t("check.title", source=b.source or b.client.name),
             t("check.client", client=b.client.name, industry=industry_name(b.client.industry, lang)), ""]
    lines.append(t("check.inventory"))
    for row in report.data.inventory_table(lang).itertuples(index=False):
        count = "" if row.行数 is None or pd.isna(row.行数) else t("check.rows", rows=int(row.行数))
        detail = t("check.detail", file=row.文件, rows=count, note=row.说明) if row.状态 != "未提供" else ""
        lines.append(t("check.file", data=kit(row.数据), field=row.字段, status=kit(row.状态), detail=detail))
    quality = report.quality_table(lang)
    if quality is not None:
        lines += ["", t("check.quality")]
        for item, count, note in quality.itertuples(index=False):
            lines.append(t("check.quality_row", item=item, count=_fmt(count), note=note).rstrip())
    if report.measured:
        m = report.measured
        lines += ["", t("check.measured"),
                  t("check.measured_row", aov=_fmt(m.get("aov")), rate=_pct(m.get("repurchase_rate")),
                    days=_fmt(m.get("median_repurchase_days")), customers=_fmt(m.get("customers")))]
    if scene.has_wecom(report.wecom):
        w = report.wecom
        lines += ["", t("check.wecom"),
                  t("check.wecom_row", chats=_fmt(w.get("chat_total")), members=_fmt(w.get("member_total")),
                    active=_pct(w.get("group_active_share")), accept=_pct(w.get("friend_accept_rate")))]
    lines += ["", t("check.completeness")]
    for row in report.completeness.itertuples(index=False):
        lines.append(t("check.completeness_row", label=kit(row.label), filled=row.filled, total=row.total,
                       score=row.score))
    lines.append(t("check.overall", overall=report.overall))
    q = report.questions
    lines += ["", t("check.questions", count=len(q))]
    blank = {"未填写", text("intake", "issue.blank", lang)}
    for i, row in enumerate(q.itertuples(index=False), start=1):
        issue = "" if row.issue in blank else t("check.issue", issue=row.issue)
        lines.append(t("check.question", n=i, priority=kit(row.priority), section=kit(row.section), label=row.label,
                       question=row.question, issue=issue))
    return "\n".join(lines)


def _pct(value: Any) -> str:
    return format_number(value, "share", digits=0)
