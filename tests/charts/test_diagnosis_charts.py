"""Diagnosis charts draw with Chinese glyphs (a missing glyph warning fails), label values, survive empty input."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from diag.charts import diagnosis as d

MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]


def _render(result: Axes | Figure) -> list[str]:
    """Draw the chart to PNG (glyph warnings are raised here) and return every text on it."""
    fig = result if isinstance(result, Figure) else result.figure
    fig.savefig(io.BytesIO(), format="png", dpi=50)
    return [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text") and o.get_text())]


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


def _cases(rng: np.random.Generator) -> dict[str, tuple]:
    monthly = pd.DataFrame({"month": MONTHS, "gmv": rng.uniform(1e5, 5e5, 6), "orders": rng.integers(100, 900, 6),
                            "customers": rng.integers(80, 600, 6), "new_customers": rng.integers(10, 80, 6)})
    return {
        "gmv_trend": (d.gmv_trend, (monthly,), {}),
        "gmv_driver_tree": (d.gmv_driver_tree, ({"buyers": 1200, "orders_per_buyer": 1.5, "aov": 200.0},),
                            {"previous": {"buyers": 1000, "orders_per_buyer": 1.5, "aov": 180.0}}),
        "quadrant": (d.quadrant, (pd.DataFrame({"label": ["本店"], "purchases_per_year": [3.0],
                                                 "value": [2400.0], "client": [True]}),),
                     {"x_split": 1.0, "y_split": 5000.0, "benchmark": {"x": (2, 6), "y": (1000, 3000)}}),
        "rfm_segments": (d.rfm_segments, ({"流失": 40, "重要价值": 10, "新客": 50},), {}),
        "rfm_matrix": (d.rfm_matrix, (pd.DataFrame({"r_score": rng.integers(1, 4, 60),
                                                     "f_score": rng.integers(1, 4, 60)}),), {}),
        "cohort_heatmap": (d.cohort_heatmap, ({"2026-01": [1.0, 0.3, 0.2], "2026-02": [1.0, 0.25]},), {}),
        "repurchase_gap_histogram": (d.repurchase_gap_histogram, (rng.gamma(2.0, 15.0, 200),), {}),
        "pareto_curve": (d.pareto_curve, (pd.DataFrame({"gmv": rng.pareto(1.5, 50) * 100}),), {}),
        "channel_bars": (d.channel_bars, (pd.DataFrame({"channel": ["社群", "门店"], "gmv": [3e5, 1e5],
                                                         "orders": [1000, 250]}),), {}),
        "community_health": (d.community_health, (pd.DataFrame({"month": MONTHS,
                                                                 "group_active_share": rng.uniform(0.2, 0.6, 6),
                                                                 "member_activity": rng.uniform(0.05, 0.2, 6)}),),
                             {"benchmark": {"group_active_share": (0.3, 0.5)}}),
        "service_quality": (d.service_quality, (pd.DataFrame({"date": MONTHS, "reply_rate": rng.uniform(0.5, 1, 6),
                                                               "avg_reply_minutes": rng.uniform(1, 20, 6)}),), {}),
        "benchmark_gap": (d.benchmark_gap, (pd.DataFrame({"label": ["复购率", "客单价"], "value": [0.1, 260.0],
                                                           "low": [0.2, 150.0], "high": [0.4, 300.0],
                                                           "unit": ["share", "yuan"]}),), {}),
        "data_quality": (d.data_quality, (pd.DataFrame({"项目": ["读取行数", "有效订单"], "数量": [120, 100],
                                                         "说明": ["", ""]}),), {}),
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", list(_cases(np.random.default_rng(0))))
def test_chart_draws_with_chinese_labels_and_returns_its_axes(name: str, rng: np.random.Generator) -> None:
    func, args, kwargs = _cases(rng)[name]
    result = func(*args, **kwargs)
    assert isinstance(result, Figure if name == "channel_bars" else Axes)
    texts = _render(result)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)


@pytest.mark.parametrize("name", list(_cases(np.random.default_rng(0))))
def test_chart_with_empty_input_shows_no_data_instead_of_failing(name: str) -> None:
    func = getattr(d, name)
    kwargs = {"x_split": 1.0, "y_split": 5000.0} if name == "quadrant" else {}
    for empty in (pd.DataFrame(), None, []):
        result = func(empty, **kwargs)
        assert d.NO_DATA in _render(result)


def test_chart_draws_on_the_axes_it_is_given() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert d.repurchase_gap_histogram([10, 20, 30], ax=ax) is ax


def test_gmv_driver_tree_shows_values_and_change_on_previous_period() -> None:
    texts = _render(d.gmv_driver_tree({"buyers": 1200, "orders_per_buyer": 1.5, "aov": 200.0},
                                      previous={"buyers": 1000, "orders_per_buyer": 1.5, "aov": 180.0}))
    assert "1,200 人" in texts and "¥200.0" in texts
    assert "¥36.0万" in texts                      # GMV = 1200 × 1.5 × 200
    assert "较上期 ▲+20.0%" in texts                # buyers 1000 → 1200


def test_gmv_driver_tree_reads_the_decomposition_frame() -> None:
    from diag.areas.gmv import decompose_change

    frame = decompose_change({"buyers": 100, "orders": 150, "gmv": 15000.0},
                             {"buyers": 120, "orders": 150, "gmv": 18000.0})
    texts = _render(d.gmv_driver_tree(frame))
    assert "120 人" in texts and "较上期 ▲+20.0%" in texts


def test_rfm_segments_are_drawn_in_standard_order_with_counts_and_shares() -> None:
    ax = d.rfm_segments(pd.DataFrame({"segment": ["流失", "重要价值"], "customers": [30, 10]}))
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert [label for _, label in ticks] == ["流失", "重要价值"]   # bottom to top: best type on top
    assert "10 人（25.0%）" in _render(ax)


def test_cohort_heatmap_annotates_each_cell_in_percent() -> None:
    texts = _render(d.cohort_heatmap({"2026-01": [1.0, 0.3, 0.2], "2026-02": [1.0, 0.25]}))
    assert {"100%", "30%", "20%", "25%"} <= set(texts)


def test_gaps_beyond_the_98th_percentile_are_one_labelled_bar() -> None:
    texts = _render(d.repurchase_gap_histogram(np.arange(1, 101)))   # 98th percentile: 98.02 days
    assert "＞98 天\n2 次" in texts                                   # 99 and 100 days


def test_repurchase_gap_histogram_marks_the_median() -> None:
    assert "中位数 20 天" in _render(d.repurchase_gap_histogram([10, 20, 30]))
    assert "中位数 25 天" in _render(d.repurchase_gap_histogram([10, 20, 30], median=25))


def test_pareto_curve_counts_products_in_band_a() -> None:
    # 80 + 10 + 5 + 3 + 2: the first product alone reaches 80% of GMV.
    texts = _render(d.pareto_curve(pd.DataFrame({"gmv": [10, 80, 3, 5, 2]})))
    assert "A 类\n1 个" in texts and "前 20% 的商品贡献 80% GMV" in texts


def test_benchmark_gap_colours_values_by_position_in_the_band() -> None:
    ax = d.benchmark_gap(pd.DataFrame({"label": ["低", "中", "高"], "value": [1.0, 5.0, 9.0],
                                       "low": [4.0] * 3, "high": [6.0] * 3}))
    colours = [tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in ax.collections]
    assert len(set(colours)) == 3


def test_benchmark_gap_colours_a_reply_time_above_its_band_as_lagging() -> None:
    from matplotlib.colors import to_rgb

    ax = d.benchmark_gap(pd.DataFrame({"label": ["复购率", "平均回复时长"], "value": [0.5, 16.5],
                                       "low": [0.3, 2.0], "high": [0.45, 10.0],
                                       "status": ["高于", "高于"], "better": ["领先", "落后"]}))
    colours = [tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in ax.collections]
    assert colours == [tuple(np.round(to_rgb(d._STATUS_COLOURS[k]), 3)) for k in ("above", "below")]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["落后", "达标", "领先"]


NAN = float("nan")
DEGENERATE = {
    "one_month_without_buyers": lambda: d.gmv_trend([{"month": "2026-01", "gmv": None, "customers": None}]),
    "tree_without_buyers": lambda: d.gmv_driver_tree({"buyers": 0, "orders_per_buyer": NAN, "aov": NAN}),
    "tree_of_wrong_type": lambda: d.gmv_driver_tree("gmv"),
    "quadrant_at_zero": lambda: d.quadrant([{"label": "本店", "purchases_per_year": 0, "value": 0}],
                                           x_split=0, y_split=0),
    "segments_all_zero": lambda: d.rfm_segments({"流失": 0}),
    "matrix_one_cell": lambda: d.rfm_matrix(pd.DataFrame({"R": [1], "F": [1], "monetary": [0.0]}),
                                            value="monetary"),
    "cohort_month_zero_only": lambda: d.cohort_heatmap({"2026-01": [1.0, None], "2026-02": [1.0]}),
    "gaps_all_zero": lambda: d.repurchase_gap_histogram([0, 0, 0]),
    "gaps_not_numbers": lambda: d.repurchase_gap_histogram(["x", None]),
    "pareto_one_product": lambda: d.pareto_curve(pd.DataFrame({"gmv": [5.0]})),
    "pareto_no_sales": lambda: d.pareto_curve(pd.DataFrame({"gmv": [0.0, 0.0]})),
    "channel_without_orders": lambda: d.channel_bars(pd.DataFrame({"channel": ["a", "b"], "gmv": [1.0, 2.0],
                                                                   "orders": [0, 1]})),
    "community_all_missing": lambda: d.community_health(pd.DataFrame({"month": ["1"],
                                                                      "group_active_share": [NAN]})),
    "service_rate_missing": lambda: d.service_quality(pd.DataFrame({"reply_rate": [NAN]})),
    "benchmark_value_missing": lambda: d.benchmark_gap(pd.DataFrame({"metric": ["a"], "value": [NAN],
                                                                     "low": [1], "high": [1]})),
    "quality_counts_not_numbers": lambda: d.data_quality(pd.DataFrame({"项目": ["a"], "数量": ["x"]})),
}


@pytest.mark.parametrize("case", list(DEGENERATE))
def test_degenerate_input_draws_without_warnings_or_errors(case: str) -> None:
    _render(DEGENERATE[case]())


def test_bold_text_in_the_regular_only_cjk_font_draws_without_a_font_message(caplog):
    import logging

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("复购率", fontweight="bold")
    with caplog.at_level(logging.INFO, logger="matplotlib.font_manager"):
        _render(ax)
    plt.close(fig)
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]


def test_a_quadrant_name_moves_off_the_corner_where_the_client_sits():
    point = np.array([[0.8, 0.04]])                      # low right, where 刚需高频（低值） would sit
    assert d._free_corner(point, (0.5, 0.0, 0.5, 0.5), "right", "bottom") == ("right", "top")
    assert d._free_corner(point, (0.0, 0.0, 0.5, 0.5), "left", "bottom") == ("left", "bottom")


@pytest.mark.slow
def test_the_client_label_on_the_quadrant_stays_inside_the_axes():
    ax = d.quadrant([{"label": "小贝母婴", "purchases_per_year": 1.95, "value": 430, "client": True}],
                    x_split=1, y_split=5000)
    ax.figure.canvas.draw()
    label = next(t for t in ax.texts if t.get_text() == "小贝母婴")
    inside = ax.get_window_extent()
    assert label.get_window_extent().x1 <= inside.x1


def test_weekly_points_are_labelled_by_day_not_by_a_repeated_month():
    weeks = pd.date_range("2026-05-04", periods=6, freq="7D")
    assert d._month_labels(pd.Series(weeks)) == [f"{w:%Y-%m-%d}" for w in weeks]
    assert d._month_labels(pd.Series(["2026-05", "2026-06"])) == ["2026-05", "2026-06"]


def test_money_ticks_above_ten_thousand_stay_distinct():
    from diag.charts._base import _yuan_tick

    assert [_yuan_tick(v) for v in (8000, 10000, 12000, 14000, 2.5e8)] == \
        ["¥8,000", "¥1万", "¥1.2万", "¥1.4万", "¥2.5亿"]


#: Charts whose titles, axes, legends and marks come from diag/messages/charts.yaml.
TRANSLATED = ["gmv_trend", "gmv_driver_tree", "quadrant", "rfm_segments", "rfm_matrix", "cohort_heatmap",
              "repurchase_gap_histogram", "pareto_curve"]


@pytest.mark.parametrize("name", TRANSLATED)
def test_a_chart_drawn_in_english_writes_no_chinese_beyond_its_data(rng, name):
    import re

    draw, args, kwargs = _cases(rng)[name]
    texts = _render(draw(*args, **kwargs, lang="en"))
    money = re.compile(r"^[-¥\d.,+\s]+[万亿]$")  # yuan() still writes 万 / 亿 in every language
    assert [t for t in texts if re.search(r"[\u4e00-\u9fff]", t) and t != "本店" and not money.match(t)] == []


def test_english_rfm_bars_name_the_segments_in_english(rng):
    draw, args, kwargs = _cases(rng)["rfm_segments"]
    texts = _render(draw(*args, **kwargs, lang="en"))
    assert {"Champions", "New", "Lapsed"} <= set(texts) and "RFM segments" in texts
