"""The report's fixed texts in Chinese and English (titles, captions, notes, method notes).

Everything the builder writes that does not come from ``results.json`` comes from
here, so a translation or a firm's own wording is one edit.  :func:`catalogue` fails
with the list of known languages for an unknown one.
"""

from __future__ import annotations

from diag.errors import UsageError

__all__ = ["LANGS", "catalogue"]

_ZH: dict[str, str] = {
    "report_title": "私域运营诊断报告",
    "cover_industry": "行业：{industry}",
    "cover_format": "业态：{format}",
    "cover_date": "报告日期：{date}",
    "cover_consultant": "顾问：{consultant}",
    "cover_author": "撰写：{author}",
    "cover_confidential": "内部资料　仅供客户与顾问团队使用",
    "toc": "目录",
    "toc_hint": "（在 Word 中右键目录选择“更新域”可刷新页码）",
    "see_appendix_b": "订单数据质量的明细（读取、排除、无法使用的行与字段对应）见附录 B。",
    "clv_params": "模型参数（最大似然估计，时间单位：周）", "clv_param": "参数", "clv_estimate": "估计值",
    "summary": "执行摘要",
    "summary_metric": "指标",
    "summary_value": "数值",
    "summary_definition": "定义",
    "summary_key_numbers": "关键指标",
    "summary_empty": "本次运行没有记录标为重点的指标。",
    "figure": "图",
    "table": "表",
    "caption_sep": "\u3000",
    "ref_before": "（见",
    "ref_after": "）",
    "truncated": "仅显示前 {shown} 行，共 {total} 行。",
    "missing_figure": "（图表文件缺失：{path}）",
    "empty_table": "（无数据）",
    "appendix": "附录",
    "appendix_a": "附录 A\u3000指标定义",
    "appendix_a_intro": "报告中出现的每个指标及其唯一的书面定义，按章节排列。",
    "appendix_section": "章节",
    "appendix_b": "附录 B\u3000数据质量",
    "appendix_b_missing": "本次运行没有记录数据质量表。",
    "appendix_c": "附录 C\u3000方法说明",
    "readings_title": "图表读法与口径", "readings_item": "图表", "readings_name": "名称", "readings_text": "读法与口径",
    "method_rfm_title": "RFM 分层",
    "method_rfm": (
        "按最近一次购买距今天数（R）、购买频次（F）和累计消费金额（M）给每位客户打分，"
        "每项分为高、低两档（分界值见正文），组合成 8 类：重要价值、重要唤回、重要深耕、"
        "重要挽留、潜力、新客、一般维持、流失。分层用于确定召回、维护和深耕的优先顺序。"),
    "method_cohort_title": "同期群留存",
    "method_cohort": (
        "按首次购买月份把客户分组，统计每组在之后第 0、1、2……个月仍有购买的客户占比。"
        "同期群把新客质量的变化与老客流失分开，便于判断留存问题出在哪一批客户。"),
    "method_clv_title": "客户终身价值（BG/NBD + Gamma-Gamma）",
    "method_clv": (
        "BG/NBD 模型根据每位客户的购买次数、首末次购买时间和观察期长度，估计其仍然“活跃”的概率"
        "和未来一段时间的预期购买次数（时间单位为周，与文献一致）；Gamma-Gamma 模型根据复购客户"
        "的平均订单金额估计其未来每单金额。两者相乘得到预期未来消费额，用于识别高价值和高流失风险客户。"
        "模型参数以最大似然法拟合。"),
    "method_gmv_title": "GMV 拆解",
    "method_gmv": (
        "GMV = 购买用户数 × 人均订单数 × 客单价。比较两个时期时，把 GMV 的变化分配给这三个因素，"
        "三项贡献之和等于 GMV 的变化，由此判断增长（或下滑）来自拉新、复购还是客单价。"),
    "method_benchmark_title": "行业对标",
    "method_benchmark": (
        "每个指标与所属行业模板中的参考区间比较，低于下限、区间内、高于上限分别标注；参考区间注明"
        "来源和可信度，仅作方向性判断。"),
    "no_data": "无数据",
}

_EN: dict[str, str] = {
    "report_title": "Private-Domain Diagnosis Report",
    "cover_industry": "Industry: {industry}",
    "cover_format": "Format: {format}",
    "cover_date": "Date: {date}",
    "cover_consultant": "Consultant: {consultant}",
    "cover_author": "Author: {author}",
    "cover_confidential": "Confidential: for the client and the consulting team only",
    "toc": "Contents",
    "toc_hint": "(In Word, right-click the contents and choose Update Field to refresh page numbers.)",
    "see_appendix_b": "Details of the order data's quality (rows read, excluded, unusable; field mapping) are in appendix B.",
    "clv_params": "Model parameters (maximum likelihood, time in weeks)", "clv_param": "Parameter",
    "clv_estimate": "Estimate",
    "summary": "Executive summary",
    "summary_metric": "Metric",
    "summary_value": "Value",
    "summary_definition": "Definition",
    "summary_key_numbers": "Key figures",
    "summary_empty": "No headline metric was recorded in this run.",
    "figure": "Figure",
    "table": "Table",
    "caption_sep": " ",
    "ref_before": " (see ",
    "ref_after": ")",
    "truncated": "Showing the first {shown} of {total} rows.",
    "missing_figure": "(chart file missing: {path})",
    "empty_table": "(no data)",
    "appendix": "Appendix",
    "appendix_a": "Appendix A  Metric definitions",
    "appendix_a_intro": "Every metric in the report with its one written definition, by chapter.",
    "appendix_section": "Chapter",
    "appendix_b": "Appendix B  Data quality",
    "appendix_b_missing": "No data-quality table was recorded in this run.",
    "appendix_c": "Appendix C  Methods",
    "readings_title": "How to read the figures and tables", "readings_item": "Item", "readings_name": "Name", "readings_text": "How to read it",
    "method_rfm_title": "RFM segments",
    "method_rfm": (
        "Each customer is scored on recency (days since the last purchase), frequency and monetary "
        "value; each score is split high / low (thresholds in the text), giving eight segments "
        "(champions, at-risk high value, growth, hold, potential, new, maintain, lost) that set the "
        "order of win-back, care and upsell work."),
    "method_cohort_title": "Cohort retention",
    "method_cohort": (
        "Customers are grouped by the month of their first purchase; for each group the share still "
        "buying in month 0, 1, 2, … is counted. Cohorts separate the quality of new customers from "
        "the churn of existing ones."),
    "method_clv_title": "Customer lifetime value (BG/NBD + Gamma-Gamma)",
    "method_clv": (
        "The BG/NBD model estimates from each customer's purchase count, first and last purchase and "
        "observation length the probability of being alive and the expected number of future "
        "purchases (time in weeks, as in the literature); the Gamma-Gamma model estimates the future "
        "spend per order from repeat customers' average order value. Their product is the expected "
        "future spend. Parameters are fitted by maximum likelihood."),
    "method_gmv_title": "GMV decomposition",
    "method_gmv": (
        "GMV = buyers × orders per buyer × average order value. Between two periods the change in GMV "
        "is split across the three drivers so that their contributions add up to the change, showing "
        "whether growth (or decline) came from new buyers, repeat orders or order value."),
    "method_benchmark_title": "Benchmarks",
    "method_benchmark": (
        "Each metric is compared with the range in the industry template and marked below, within or "
        "above; ranges carry their source and confidence and are indicative only."),
    "no_data": "No data",
}

_CATALOGUES = {"zh": _ZH, "en": _EN}
LANGS = tuple(_CATALOGUES)

#: Keys of the method notes in appendix C, in print order.
METHODS = ("rfm", "cohort", "clv", "gmv", "benchmark")


def catalogue(lang: str) -> dict[str, str]:
    """Return the fixed texts for ``lang``; raise :class:`UsageError` for an unknown language."""
    try:
        return _CATALOGUES[lang]
    except KeyError:
        raise UsageError(f"no report language '{lang}'; known: {', '.join(LANGS)}",
                         where="lang") from None
