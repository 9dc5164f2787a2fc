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


def check_brief(path: str | Path) -> CheckReport:
    """Return the check of the brief at ``path`` (BriefError / DataError for bad input)."""
    return inspect_brief(load_brief(path))


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def format_check(report: CheckReport) -> str:
    """Return the Chinese summary ``diag check`` prints."""
    b = report.brief
    lines = [f"需求澄清表检查：{b.source or b.client.name}", f"客户：{b.client.name}　行业：{b.client.industry}", ""]
    lines.append("【数据清单】")
    for row in report.inventory.itertuples(index=False):
        count = "" if row.行数 is None or pd.isna(row.行数) else f"，{int(row.行数):,} 行"
        detail = f"　{row.文件}{count}；{row.说明}" if row.状态 != "未提供" else ""
        lines.append(f"  {row.数据}（{row.字段}）：{row.状态}{detail}")
    if report.quality is not None:
        lines += ["", "【订单数据质量】"]
        for row in report.quality.itertuples(index=False):
            lines.append(f"  {row.项目}：{_fmt(row.数量)}　{row.说明}".rstrip())
    if report.measured:
        m = report.measured
        lines += ["", "【订单实测】",
                  f"  客单价 ¥{_fmt(m.get('aov'))}　复购率 {_pct(m.get('repurchase_rate'))}　"
                  f"复购周期中位 {_fmt(m.get('median_repurchase_days'))} 天　顾客 {_fmt(m.get('customers'))}"]
    if scene.has_wecom(report.wecom):
        w = report.wecom
        lines += ["", "【企业微信】",
                  f"  群 {_fmt(w.get('chat_total'))} 个，群成员 {_fmt(w.get('member_total'))} 人，"
                  f"活跃群占比 {_pct(w.get('group_active_share'))}，好友通过率 {_pct(w.get('friend_accept_rate'))}"]
    lines += ["", "【完整度】"]
    for row in report.completeness.itertuples(index=False):
        lines.append(f"  {row.label}：{row.filled}/{row.total}（{row.score:.0%}）")
    lines.append(f"  总体：{report.overall:.0%}")
    q = report.questions
    lines += ["", f"【待问问题】共 {len(q)} 个"]
    for i, row in enumerate(q.itertuples(index=False), start=1):
        issue = "" if row.issue == "未填写" else f"（{row.issue}）"
        lines.append(f"  {i}. [{row.priority}] {row.section}·{row.label}：{row.question}{issue}")
    return "\n".join(lines)


def _pct(value: Any) -> str:
    return format_number(value, "share", digits=0)
