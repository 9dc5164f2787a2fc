"""Plan charts: Gantt, target funnel and GMV scenarios draw on an Axes, in Chinese, without warnings."""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes

import diag.charts  # noqa: F401 - registers the CJK font
from diag.areas.benchmark import benchmark_gaps
from diag.charts import plan as charts
from diag.industries.registry import load_industry
from diag.strategy import playbook as pb


@pytest.fixture
def roadmap() -> pd.DataFrame:
    template = load_industry("餐饮")
    gaps = benchmark_gaps({"aov": 50.0, "repurchase_rate": 0.1}, template, gmv=50_000, customers=500, orders=1000)
    return pb.roadmap(template, pb.recommend(gaps, template), start=dt.date(2026, 3, 2))


def test_the_gantt_draws_one_row_per_task_with_owners_and_milestones(roadmap):
    ax = charts.gantt(roadmap)
    assert isinstance(ax, Axes)
    assert len(ax.get_yticklabels()) == len(roadmap)
    texts = {t.get_text() for t in ax.texts}
    assert {"第30天", "第60天", "第90天"} <= texts
    assert set(roadmap["owner"]) <= texts
    assert ax.collections, "milestones are drawn as diamonds"
    assert ax.figure.get_size_inches()[0] > ax.figure.get_size_inches()[1]  # landscape
    ax.figure.canvas.draw()  # glyphs render without a missing-font warning (filterwarnings=error)


def test_the_gantt_draws_into_a_given_axes_and_handles_an_empty_plan():
    fig, ax = plt.subplots()
    assert charts.gantt(pd.DataFrame(), ax=ax) is ax
    assert any(t.get_text() == "无数据" for t in ax.texts)


def test_the_target_funnel_prints_each_stage_and_its_rate():
    ax = charts.target_funnel(pb.funnel_forward(5000, 0.1, 0.04))
    texts = [t.get_text() for t in ax.texts]
    assert "可触达  5,000人" in texts and "入群  500人" in texts and "成交  20人" in texts
    assert "× 10.0%" in texts and "× 4.0%" in texts
    ax.figure.canvas.draw()


def test_the_target_funnel_accepts_an_inverse_funnel_table():
    inverse = pb.funnel_inverse(invite_success=0.1, purchase_intent=0.04, sales=20).to_frame()
    ax = charts.target_funnel(inverse)
    assert "可触达  5,000人" in [t.get_text() for t in ax.texts]


def test_the_scenarios_chart_shows_today_and_each_scenario_with_its_change():
    table = pd.DataFrame({"情景": ["保守", "基准", "乐观"], "目标达成度": [0.5, 1.0, 1.5],
                          "预计GMV": [110_000.0, 120_000.0, 150_000.0], "增量": [10_000.0, 20_000.0, 50_000.0]})
    ax = charts.scenarios(table)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["现状", "保守", "基准", "乐观"]
    labels = [t.get_text() for t in ax.texts]
    assert "¥10.0万" in labels[0] and "(+50%)" in labels[-1]
    ax.figure.canvas.draw()
