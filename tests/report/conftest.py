"""A small synthetic run (results.json + figures) recorded through the real Recorder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from diag.record import Recorder, merge_results

PHONE = "13800138000"

META = {
    "client": {"name": "示例母婴连锁", "slug": "demo-muying", "industry": "母婴", "format": "连锁",
               "consultant": "王顾问"},
    "generated_at": "2026-11-23T10:00:00",
    "lang": "zh",
    "headline": "复购率低于行业区间，老客召回是最大的增长机会。",
}


def _figure(seed: int, size=(8, 4.5)):
    import matplotlib.pyplot as plt

    import diag.charts  # noqa: F401  (CJK font and theme)

    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots(figsize=size)
    ax.bar(range(12), rng.integers(50, 100, 12))
    ax.set_title("月度GMV")
    return fig


def record_run(run_dir: Path, *, meta: dict | None = None) -> Path:
    """Record a three-section run with every block kind; return ``run_dir``."""
    intake = Recorder(run_dir, "intake", "需求澄清")
    intake.heading("客户概况")
    intake.text("客户为华东地区的母婴连锁，门店 12 家。")
    intake.text("数据来源：有赞订单导出。", style="note")
    intake.bullets(["目标：年 GMV 增长 30%", "预算：每月 2 万元"])
    intake.table("data_quality", pd.DataFrame({"项目": ["读取行数", "有效订单", "排除订单"],
                                               "数量": [1200, 1100, 100],
                                               "说明": ["", "", "交易关闭 80，退款 20"]}),
                 title="数据质量")

    diag = Recorder(run_dir, "diagnosis", "人货场诊断")
    diag.heading("核心指标")
    diag.number("gmv", 1234567.891, label="GMV", definition="有效订单实付金额之和", unit="元",
                fmt="{:,.0f}", headline=True)
    diag.number("repurchase_rate", 0.2345, label="复购率",
                definition="有两个及以上购买日的客户 ÷ 购买客户", fmt="{:.1%}", headline=True)
    diag.number("aov", None, label="客单价", definition="GMV ÷ 订单数", unit="元", fmt="{:,.2f}")
    diag.figure("gmv_trend", _figure(1), title="月度 GMV 与购买用户数", caption="数据截至 2026-10")
    diag.heading("高价值客户", level=3)
    customers = pd.DataFrame({"客户": [PHONE, "13912345678", "wxid_abcdefgh12"],
                              "消费金额": [12345.5, 9876.0, 5432.1], "订单数": [12, 9, 5],
                              "复购率": [0.5, 0.25, 0.125]})
    diag.table("top_customers", customers, title="消费金额前列客户", id_columns=["客户"],
               note="客户标识已脱敏")
    long = pd.DataFrame({"商品": [f"商品{i}" for i in range(60)],
                         "GMV": np.linspace(10000, 100, 60), "占比": np.linspace(0.1, 0.001, 60)})
    diag.table("pareto", long, title="商品贡献", max_rows=20)
    wide = pd.DataFrame({f"第{i}月": [0.5 / (i + 1), 0.4 / (i + 1)] for i in range(10)})
    wide.insert(0, "首购月份", ["2026-01", "2026-02"])
    diag.table("cohort", wide, title="同期群留存率")
    diag.figure("cohort_heatmap", _figure(2, (11, 4.5)), title="同期群留存热力图", landscape=True)
    diag.number("gmv", 1234567.891, label="GMV", definition="有效订单实付金额之和", unit="元",
                fmt="{:,.0f}")

    strategy = Recorder(run_dir, "strategy", "策略建议")
    strategy.heading("复购")
    strategy.text("按复购周期在第 25 天推送提醒。", style="quote")
    strategy.text(f"联系人电话 {PHONE} 仅供内部。")
    merge_results(run_dir, meta or META)
    return run_dir


@pytest.fixture(scope="session")
def _recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return record_run(tmp_path_factory.mktemp("recorded") / "demo-muying")


@pytest.fixture
def run_dir(_recorded: Path, tmp_path: Path) -> Path:
    """Return a fresh copy of the recorded run (tests may change or break it)."""
    import shutil

    return Path(shutil.copytree(_recorded, tmp_path / "demo-muying"))


