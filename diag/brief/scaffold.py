"""``diag new``: a new brief started from an industry template, its typical values as hints."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from diag.brief.model import load_brief, slugify
from diag.errors import UsageError
from diag.files import write_atomic
from diag.industries.registry import load_template, require_industry, span


def scaffold_brief(client: str, industry: str, directory: str | Path) -> Path:
    """Return the path of a new brief ``<directory>/<slug>.yaml`` started from ``industry``'s template.

    Only ``client.name`` and ``client.industry`` are set; the template's typical values
    are written as commented hints so that nothing unconfirmed enters the diagnosis.
    An existing file is never overwritten (:class:`UsageError`).
    """
    if not client.strip():
        raise UsageError("expected a client name, got an empty string", file="diag new")
    require_industry(industry, file="--industry")
    template = load_template(industry)
    path = Path(directory) / f"{slugify(client)}.yaml"
    if path.exists():
        raise UsageError("already exists; not overwritten (choose another name or delete it first)",
                         file=path)
    ty = template.typical
    aov_mid = round(sum(ty.aov) / 2)
    cycle_mid = round(sum(ty.repurchase_cycle_days) / 2)
    name = client.strip()
    text = f"""# 需求澄清表 — {name}
# 由行业模板「{template.key}」生成于 {_dt.date.today().isoformat()}。以 # 开头的行是提示, 确认后去掉 # 即生效。
# 行业典型值 (模板, 仅供参考): 客单价 {span(ty.aov, '¥')}, 复购周期 {span(ty.repurchase_cycle_days)} 天,
# 年购买 {span(ty.purchases_per_year)} 次; 店型 {template.quadrant.store_type}。

client:
  name: {json.dumps(name, ensure_ascii=False)}
  industry: {json.dumps(template.key, ensure_ascii=False)}
  # format: 连锁            # 单店 | 连锁 | 电商 | 品牌
  # store_count: 10

# goods:
#   aov: {aov_mid}                  # 行业典型 {span(ty.aov, '¥')}; 请填客户实际客单价
#   repurchase_cycle_days: {cycle_mid}   # 行业典型 {span(ty.repurchase_cycle_days)} 天

# assets:
#   friends: 0
#   groups: 0
#   group_members: 0

# team:
#   headcount: 2            # 1–2 人按小团队搭建, 3 人及以上按大团队
#   gene: 运营              # 流量 | 增长 | 运营

# funnel:                   # 目标漏斗 (例: 5000 可触达 × 1:10 邀约成功 × 4% 付费意向 = 20 单)
#   reachable: 5000
#   invite_success: 0.1
#   purchase_intent: 0.04

# goals:
#   gmv_target: 1000000
#   timeline_months: 3

# data:
#   orders: data/{slugify(client)}/orders.csv
"""
    write_atomic(path, text)
    try:
        load_brief(path)
    except Exception:
        path.unlink(missing_ok=True)  # never leave a brief that does not load
        raise
    return path
