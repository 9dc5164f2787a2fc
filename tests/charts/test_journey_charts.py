"""Journey charts: an A4-landscape journey map with every stage and lane, and the funnel."""

from __future__ import annotations

import zipfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from diag.areas.journey import funnel, journey_table
from diag.brief.model import Brief
from diag.charts.journey import REPORT_LANDSCAPE, TEXT_PT, funnel_chart, journey_map

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


def test_the_journey_map_is_drawn_at_the_size_of_its_landscape_page_with_every_stage_and_lane():
    table = journey_table(brief(journey=[{"stage": "认知", "thoughts": ["靠谱吗？"], "emotion": "负面"}]), TEMPLATE)
    ax = journey_map(table)
    width, height = ax.figure.get_size_inches()
    assert (round(width, 2), round(height, 2)) == REPORT_LANDSCAPE and width > height
    shown = texts(ax)
    for stage in ("认知", "考虑", "首购", "使用", "复购", "推荐", "购前", "购中", "购后"):
        assert stage in shown
    for lane in ("触点", "行为", "想法", "情绪", "痛点", "机会点", "数据"):
        assert lane in shown
    assert "来源：访谈+模板" in shown and "来源：模板" in shown
    assert "负面 -2" in shown  # the emotion curve is labelled with the word and the score
    assert ax.get_title(loc="left") == "用户旅程地图"


# Orders behind a busy data lane: 加好友 and 入群 both in 考虑, conversions above 100 %, a median.
BUSY_ORDERS = pd.DataFrame({"customer_id": ["a", "a", "b"],
                            "paid_at": pd.to_datetime(["2024-01-01", "2024-03-02", "2024-01-05"]),
                            "channel": ["门店"] * 3})
BUSY = brief(funnel={"reachable": 10_000}, assets={"friends": 12_000, "group_members": 13_066},
             journey=[{"stage": "考虑", "touchpoints": ["天猫详情页", "抖音直播间", "小程序商城", "门店", "朋友圈"]}])


def _lines(ax) -> list[str]:
    return [line.strip(" ·") for t in ax.texts for line in t.get_text().split("\n") if line.strip(" ·")]


def assert_cells_fit(ax) -> None:
    """Assert every lane cell ends inside its stage column and inside the map, and no two texts overlap."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    to_x = ax.transData.transform
    boxes = []
    for t in ax.texts:
        box = t.get_window_extent(renderer)
        x, _ = t.get_position()
        if t.get_ha() == "left" and x >= 0:  # a lane cell of stage int(x)
            assert box.x1 <= to_x((int(x) + 1, 0))[0], t.get_text()
        assert box.y0 >= frame.y0 - 1 and box.x0 >= frame.x0 - 2 and box.x1 <= frame.x1 + 2, t.get_text()
        boxes.append((box, t.get_text()))
    for k, (a, text_a) in enumerate(boxes):
        for b, text_b in boxes[k + 1:]:
            overlap_w = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_h = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert overlap_w <= 1 or overlap_h <= 1, (text_a, text_b)


def test_journey_map_text_stays_inside_its_stage_column_without_overlapping():
    ax = journey_map(journey_table(BUSY, TEMPLATE, funnel(BUSY_ORDERS, BUSY)))
    assert min(t.get_fontsize() for t in ax.texts) >= 7
    assert_cells_fit(ax)


@pytest.mark.slow
def test_a_crowded_journey_map_shortens_its_tallest_lanes_and_says_how_many_items_there_are():
    long = "这是一条很长很长的访谈记录，需要换行才能放得下的内容"
    crowded = {"journey": [dict(stage, actions=[long] * 5, thoughts=[long] * 5, pain_points=[long] * 5,
                                opportunities=[long] * 5) for stage in TEMPLATE["journey"]]}
    ax = journey_map(journey_table(BUSY, crowded, funnel(BUSY_ORDERS, BUSY)))
    assert_cells_fit(ax)
    assert _lines(ax).count("等 5 项") >= 4 * 6  # four crowded lanes in six stages


def test_journey_map_lines_break_at_sensible_points():
    ax = journey_map(journey_table(BUSY, TEMPLATE, funnel(BUSY_ORDERS, BUSY)))
    lines = _lines(ax)
    assert not [line for line in lines if line[0] in "）)，,、；%"]  # nothing starts with closing punctuation
    assert not [line for line in lines if line[-1] in "（("]           # nor ends with an opening bracket
    # the 考虑 data cell: each funnel row on its own bullet, phrases kept whole
    assert "数据待核实（口径不同）" in lines and "首购→复购中位 61 天" in lines
    assert "等 5 项" in lines  # five touchpoints: four shown, then how many there are


@pytest.mark.slow
def test_journey_map_text_prints_at_seven_points_or_more_in_the_report(tmp_path):
    from docx import Document

    from diag.record import Recorder, merge_results
    from diag.report import build_report

    ax = journey_map(journey_table(BUSY, TEMPLATE, funnel(BUSY_ORDERS, BUSY)))
    smallest = min(t.get_fontsize() for t in ax.texts)
    assert smallest >= TEXT_PT - 0.5
    png = Recorder(tmp_path, "journey", "用户旅程地图").figure("journey_map", ax, title="用户旅程地图",
                                                           landscape=True)
    merge_results(tmp_path, {"client": {"name": "测试", "slug": "test", "industry": "餐饮"}, "lang": "zh"})
    report = Document(build_report(tmp_path))
    placed = [s for s in report.inline_shapes]
    assert len(placed) == 1
    head = png.read_bytes()[16:24]
    drawn_inches = int.from_bytes(head[:4], "big") / 200  # saved at 200 dpi
    scale = placed[0].width.inches / drawn_inches
    assert smallest * scale >= 7
    assert zipfile.is_zipfile(tmp_path / "report.docx")


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


def test_funnel_labels_stay_inside_the_frame_even_beside_the_longest_bar():
    # 加好友 is the longest bar and carries the longest label (a conversion above 100 %)
    table = funnel(None, brief(funnel={"reachable": 5_000}, assets={"friends": 7_800, "group_members": 620}))
    ax = funnel_chart(table)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    assert any("口径不同" in t.get_text() for t in ax.texts)
    for t in ax.texts:
        box = t.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, t.get_text()


def test_the_emotion_curve_shows_a_mean_score_with_one_decimal():
    table = journey_table(brief(journey=[{"stage": "认知", "score": 1}, {"stage": "认知", "score": 2}]), TEMPLATE)
    assert table.loc[0, "score"] == pytest.approx(1.5)
    assert "+1.5" in texts(journey_map(table))


def test_the_funnel_chart_draws_without_any_data():
    ax = funnel_chart(funnel(None, brief()))
    assert " ".join(texts(ax)).count("无数据") == 6
    assert np.isfinite(ax.get_xlim()).all()
