"""Journey charts: an A4-landscape journey map with every stage and lane, and the funnel."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from diag.brief import Brief
from diag.charts.journey import A4_LANDSCAPE, funnel_chart, journey_map
from diag.journey import funnel, journey_table

TEMPLATE = {"journey": [
    {"stage": s, "phase": p, "touchpoints": ["门店", "小程序商城", "朋友推荐的妈妈群里看到的长长的一条笔记"],
     "actions": ["比价"], "emotion": e, "score": sc, "pain_points": ["等位时间太长，高峰期要排队四十分钟以上"],
     "opportunities": ["排队时扫码加企微送小菜"]}
    for s, p, e, sc in (("认知", "购前", "好奇", 1), ("考虑", "购前", "犹豫", -1), ("首购", "购中", "期待", 1),
                        ("使用", "购后", "满意", 1), ("复购", "购后", "无聊", -1), ("推荐", "购后", "惊喜", 2))]}


def brief(**sections) -> Brief:
    return Brief.model_validate({"client": {"name": "测试", "industry": "餐饮"}, **sections})


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_the_journey_map_is_an_a4_landscape_page_with_every_stage_and_lane():
    table = journey_table(brief(journey=[{"stage": "认知", "thoughts": ["靠谱吗？"], "emotion": "负面"}]), TEMPLATE)
    ax = journey_map(table)
    width, height = ax.figure.get_size_inches()
    assert (round(width, 2), round(height, 2)) == A4_LANDSCAPE and width > height
    shown = texts(ax)
    for stage in ("认知", "考虑", "首购", "使用", "复购", "推荐", "购前", "购中", "购后"):
        assert stage in shown
    for lane in ("触点", "行为", "想法", "情绪", "痛点", "机会点", "数据"):
        assert lane in shown
    assert "来源：访谈+模板" in shown and "来源：模板" in shown
    assert "负面 -2" in shown  # the emotion curve is labelled with the word and the score
    assert ax.get_title(loc="left") == "用户旅程地图"


def test_journey_map_text_stays_legible_on_paper():
    ax = journey_map(journey_table(brief(), TEMPLATE))
    assert min(t.get_fontsize() for t in ax.texts) >= 7
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for t in ax.texts:  # nothing spills off the page
        box = t.get_window_extent(renderer)
        assert box.x0 >= frame.x0 - 2 and box.x1 <= frame.x1 + 2, t.get_text()


def test_the_journey_map_draws_into_a_given_axes_and_copes_with_unknown_scores():
    table = journey_table(brief(), {"journey": [{"stage": "认知", "phase": "购前"}]})
    assert table["score"].isna().sum() >= 1
    fig, ax = plt.subplots(figsize=(11.69, 8.27))
    assert journey_map(table, ax=ax, note="未含访谈") is ax
    assert "未知" in texts(ax) and "未含访谈" in texts(ax)


def test_the_funnel_chart_shows_counts_conversion_days_and_marks_missing_stages():
    orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
                           "paid_at": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-01-05"]),
                           "channel": ["门店"] * 3})
    table = funnel(orders, brief(assets={"friends": 10}))
    ax = funnel_chart(table)
    shown = " ".join(texts(ax))
    assert "无数据" in shown and "10 人" in shown and "中位 30 天" in shown and "转化 50.0%" in shown
    by_height = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert [label for _, label in by_height] == ["触达", "加好友", "入群", "首购", "复购", "推荐"]  # top down


def test_the_funnel_chart_draws_without_any_data():
    ax = funnel_chart(funnel(None, brief()))
    assert " ".join(texts(ax)).count("无数据") == 6
    assert np.isfinite(ax.get_xlim()).all()
