"""The recorder writes what notebooks record, atomically and masked."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from diag.record import Recorder, load_results, merge_results


@pytest.mark.slow
def test_numbers_tables_and_figures_land_in_results_json(tmp_path):
    rec = Recorder(tmp_path, "diagnosis", "人货场诊断")
    rec.number("gmv", np.float64(1234.5), label="GMV", unit="元", definition="有效订单实付金额之和",
               headline=True)
    rec.table("top", pd.DataFrame({"customer_id": ["13800130807"], "gmv": [10.0]}), title="大客户",
              id_columns=["customer_id"])
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    rec.figure("trend", ax, title="趋势")
    merged = merge_results(tmp_path, {"client": {"name": "x"}})
    blocks = merged["sections"]["diagnosis"]["blocks"]
    assert [b["kind"] for b in blocks] == ["number", "table", "figure"]
    assert blocks[0]["value"] == 1234.5 and blocks[0]["headline"] is True
    assert blocks[1]["rows"] == [["138****0807", 10.0]]
    assert (tmp_path / "figures" / "trend.png").stat().st_size > 1000
    assert load_results(tmp_path) == merged


def test_a_figure_is_saved_as_a_palette_png_that_keeps_the_charts_colours(tmp_path):
    from PIL import Image

    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [3, 4], color=["#1f5f8b", "#e07b39"])
    path = Recorder(tmp_path, "diagnosis", "x").figure("bars", fig, title="bars")
    with Image.open(path) as image:
        assert image.mode == "P"                                     # 256 colours at most
        colours = {rgb for _n, rgb in image.convert("RGB").getcolors(maxcolors=1 << 16)}
    assert any(max(abs(a - b) for a, b in zip(rgb, (0x1f, 0x5f, 0x8b))) <= 4 for rgb in colours)


def test_sections_are_merged_in_consulting_flow_order(tmp_path):
    for section in ("strategy", "diagnosis", "intake"):
        Recorder(tmp_path, section, section)
    merged = merge_results(tmp_path, {})
    assert list(merged["sections"]) == ["intake", "diagnosis", "strategy"]


def test_nan_and_timestamps_become_plain_json(tmp_path):
    rec = Recorder(tmp_path, "diagnosis", "x")
    rec.data("values", {"a": float("nan"), "b": pd.Timestamp("2025-03-05"), "c": np.int64(3)})
    part = json.loads((tmp_path / "results" / "diagnosis.json").read_text(encoding="utf-8"))
    assert part["data"]["values"] == {"a": None, "b": "2025-03-05", "c": 3}


def test_free_text_is_scrubbed(tmp_path):
    rec = Recorder(tmp_path, "intake", "x")
    rec.text("客户 13912345678 反馈")
    assert rec.blocks[0]["text"] == "客户 139****5678 反馈"


@pytest.mark.slow
def test_in_a_kernel_numbers_findings_and_figures_are_shown_masked(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    rec = Recorder(tmp_path, "diagnosis", "人货场诊断", show=True)
    rec.number("aov", 272.5, label="客单价", unit="元", definition="GMV ÷ 有效订单数")
    rec.text("大客户 13800130807 的复购 <最高>")
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    rec.figure("trend", ax, title="趋势", caption="按月")
    html = [o.data for o in shown if type(o).__name__ == "HTML"]
    assert html[0] == "<p><b>客单价</b>　272.50元　<small>（GMV ÷ 有效订单数）</small></p>"
    assert html[1] == "<p>大客户 138****0807 的复购 &lt;最高&gt;</p>"
    assert html[2] == "<p><b>趋势</b>　<small>按月</small></p>"
    images = [o for o in shown if type(o).__name__ == "Image"]
    assert len(images) == 1 and images[0].data[:8] == b"\x89PNG\r\n\x1a\n"


def test_outside_a_kernel_nothing_is_displayed(tmp_path):
    assert Recorder(tmp_path, "diagnosis", "人货场诊断").show is False


@pytest.mark.slow
def test_outputs_get_the_mode_of_an_ordinary_file_not_a_private_one(tmp_path):
    import os
    import stat

    from diag.files import write_atomic

    mask = os.umask(0)
    os.umask(mask)
    write_atomic(tmp_path / "a.json", "{}")
    fig, ax = plt.subplots()
    Recorder(tmp_path, "diagnosis", "诊断").figure("f", ax, title="图")
    for path in (tmp_path / "a.json", tmp_path / "figures" / "f.png"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask      # 0644 under umask 022
