"""The batch index: ``OUT/index.csv`` and ``OUT/index.html``, one row per client."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
from pathlib import Path
from typing import Any, Sequence

from diag.files import write_atomic
from diag.run.client import RunResult

#: Columns of ``OUT/index.csv`` (one row per client of a batch).
INDEX_COLUMNS = ("slug", "client", "industry", "status", "orders", "customers", "gmv", "aov",
                 "repurchase_rate", "seconds", "report", "error", "notebook", "cell")


def write_index(results: Sequence[RunResult], out_root: Path) -> None:
    """Write ``index.csv`` (UTF-8 with BOM, so Excel opens it) and ``index.html``."""
    rows = [r.index_row() for r in results]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDEX_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(out_root / "index.csv", "\ufeff" + buffer.getvalue())
    write_atomic(out_root / "index.html", _index_html(rows))


#: Batch statuses as index.html shows them.
STATUS_ZH = {"ok": "完成", "unchanged": "未变（跳过）", "failed": "失败", "bad input": "输入有误"}


def _index_html(rows: list[dict[str, Any]]) -> str:
    labels = {"slug": "代号", "client": "客户", "industry": "行业", "status": "状态", "orders": "订单数",
              "customers": "购买用户数", "gmv": "GMV (元)", "aov": "客单价 (元)",
              "repurchase_rate": "复购率", "seconds": "耗时 (秒)", "report": "报告", "error": "错误",
              "notebook": "出错的笔记本", "cell": "出错的单元格"}

    def cell(key: str, value: Any, row: dict[str, Any]) -> str:
        if key == "report" and value:
            rel = os.path.relpath(value, start=Path(value).parents[1])
            return f'<a href="{html.escape(rel)}">report.docx</a>'
        if key == "gmv" and isinstance(value, (int, float)):
            return f"{value:,.0f}"
        if key == "aov" and isinstance(value, (int, float)):
            return f"{value:,.2f}"
        if key == "repurchase_rate" and isinstance(value, (int, float)):
            return f"{value:.1%}"
        if key == "notebook" and value:
            # a failed run's folder is kept in .failed/<slug>; its notebook shows the failing cell
            page = f".failed/{row.get('slug', '')}/notebooks/{Path(value).with_suffix('.html').name}"
            return f'<a href="{html.escape(page)}">{html.escape(str(value))}</a>'
        if key == "status":
            return html.escape(STATUS_ZH.get(value, str(value)))
        return "" if value is None else html.escape(str(value))

    head = "".join(f"<th>{labels[c]}</th>" for c in INDEX_COLUMNS)
    body = "\n".join("<tr>" + "".join(f"<td>{cell(c, r.get(c, ''), r)}</td>" for c in INDEX_COLUMNS) + "</tr>"
                     for r in rows)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>诊断报告批量运行</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}
th{{background:#1f6f8b;color:#fff}}</style></head>
<body><h1>诊断报告批量运行</h1><p>生成时间 {dt.datetime.now():%Y-%m-%d %H:%M}</p>
<table><tr>{head}</tr>
{body}
</table></body></html>
"""


__all__ = ["INDEX_COLUMNS", "write_index"]
