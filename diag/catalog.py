"""One written definition for each number the diagnosis adds about the target and the plan.

Recording (``Recorder.number``), the strategy tables and the report's appendix read the
labels and definitions from :data:`DEFINITIONS`; nothing else words them.  (The kit has
no full metric catalogue yet; when it gets one, these entries move there unchanged.)
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFINITIONS", "definition", "label"]

#: key → {label, unit, fmt, definition}
DEFINITIONS: dict[str, dict[str, str]] = {
    "gmv_target": {"label": "GMV 目标", "unit": "元", "fmt": "{:,.0f}",
                   "definition": "需求澄清表填写的销售目标：客户希望在目标周期内达到的 GMV"},
    "horizon_months": {"label": "目标周期", "unit": "个月", "fmt": "{:,.0f}",
                       "definition": "需求澄清表填写的目标周期；未填写时按 12 个月计"},
    "baseline_gmv": {"label": "基线 GMV", "unit": "元", "fmt": "{:,.0f}",
                     "definition": "截至数据截止日最近「目标周期」个完整自然月的有效订单 GMV；"
                                   "完整月份不足时按已有完整月份的月均 GMV 折算到目标周期"},
    "gap": {"label": "目标缺口", "unit": "元", "fmt": "{:,.0f}",
            "definition": "GMV 目标 − 基线 GMV；为负表示按现状已能达到目标"},
    "required_growth": {"label": "所需增长", "unit": "", "fmt": "{:+.1%}",
                        "definition": "GMV 目标 ÷ 基线 GMV − 1"},
    "reachable_users": {"label": "可触达用户数", "unit": "人", "fmt": "{:,.0f}",
                        "definition": "需求澄清表填写的可触达人数；未填写时为企业微信好友数"},
    "buyers": {"label": "购买用户数", "unit": "人", "fmt": "{:,.0f}",
               "definition": "基线期内至少有一笔有效订单的去重客户数"},
    "purchase_conversion": {"label": "购买转化率", "unit": "", "fmt": "{:.1%}",
                            "definition": "基线期购买用户数 ÷ 可触达用户数"},
    "orders_per_buyer": {"label": "人均订单数", "unit": "单", "fmt": "{:,.2f}",
                         "definition": "基线期有效订单数 ÷ 基线期购买用户数"},
    "aov": {"label": "客单价", "unit": "元", "fmt": "{:,.2f}", "definition": "基线期 GMV ÷ 基线期有效订单数"},
    "new_buyer_gmv": {"label": "新客 GMV", "unit": "元", "fmt": "{:,.0f}",
                      "definition": "基线期内首次购买（此前数据中没有订单）的客户贡献的 GMV"},
    "repeat_buyer_gmv": {"label": "老客 GMV", "unit": "元", "fmt": "{:,.0f}",
                         "definition": "基线期内此前已购买过的客户贡献的 GMV"},
    "plan_cover": {"label": "计划覆盖缺口", "unit": "元", "fmt": "{:,.0f}",
                   "definition": "计划各项行动在目标周期内的 GMV 增量（按驱动因素合并、避免重复计算）；"
                                 "不超过目标缺口"},
    "plan_remaining": {"label": "缺口余量", "unit": "元", "fmt": "{:,.0f}",
                       "definition": "目标缺口 − 计划覆盖缺口"},
    "plan_cost": {"label": "计划总投入", "unit": "元", "fmt": "{:,.0f}",
                  "definition": "各项行动成本之和：人工工时 × 时薪 + 券/礼品让利 + 工具费"},
    "action_cost": {"label": "行动成本", "unit": "元", "fmt": "{:,.0f}",
                    "definition": "人工工时（按投入等级与持续月数）× 时薪 + 券/礼品让利（增量 GMV 的固定比例）+ 工具月费 × 月数"},
    "action_uplift": {"label": "预计增量", "unit": "元", "fmt": "{:,.0f}",
                      "definition": "该行动针对的指标追到行业区间中值时的 GMV 增量，按基线 GMV 折算到目标周期"},
    "roi": {"label": "投入产出比", "unit": "", "fmt": "{:,.1f}",
            "definition": "预计增量 GMV ÷ 行动成本（每投入 1 元带来的 GMV）"},
    "churn_window_days": {"label": "流失判定天数", "unit": "天", "fmt": "{:,.0f}",
                          "definition": "距上次购买超过该天数视为可能流失：取行业典型复购周期上限与实测复购周期中位数 1.5 倍中较大者"},
}


def definition(key: str) -> str:
    """Return the written definition of ``key``."""
    return DEFINITIONS[key]["definition"]


def label(key: str) -> str:
    """Return the Chinese label of ``key``."""
    return DEFINITIONS[key]["label"]


def number_kwargs(key: str) -> dict[str, Any]:
    """Return ``label, unit, fmt, definition`` for :meth:`diag.record.Recorder.number`."""
    d = DEFINITIONS[key]
    return {"label": d["label"], "unit": d["unit"], "fmt": d["fmt"], "definition": d["definition"]}
