"""Saved live scenarios: kept in the results atomically, at most three, printed in the report's strategy."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from diag.errors import UsageError
from diag.report import build_report
from diag.report.scenarios import (
    MAX_SAVED,
    delete_scenario,
    projection_png,
    save_scenario,
    saved_scenarios,
    scenario_record,
    with_saved_scenarios,
)
from diag.strategy import levers as lv

START = {"reachable": 10_000, "add_rate": 0.1, "join_rate": 0.5, "group_conversion": 0.04, "aov": 125.0,
         "frequency": 3.0, "repurchase_rate": 0.3, "k_factor": 0.1}
BASE = lv.Baseline(gmv=100_000.0, customers=500, orders=800, days=365, start=START)
STRATEGY_BLOCKS = [{"kind": "heading", "text": "GMV情景", "level": 2},
                   {"kind": "table", "key": "strategy_scenarios", "title": "GMV情景与假设", "columns": ["情景"],
                    "rows": [["基准"]], "note": ""},
                   {"kind": "heading", "text": "顾问小结", "level": 2}]


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    strategy = {"section": "strategy", "title": "策略与行动计划", "blocks": STRATEGY_BLOCKS, "data": {"scenarios": []}}
    (tmp_path / "results").mkdir()
    (tmp_path / "figures").mkdir()
    (tmp_path / "results" / "strategy.json").write_text(json.dumps(strategy, ensure_ascii=False), encoding="utf-8")
    results = {"meta": {"client": {"name": "测试母婴"}, "lang": "zh"}, "sections": {"strategy": strategy}}
    (tmp_path / "results.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def record(name: str, **changes: float) -> dict:
    return scenario_record(BASE, {**START, **changes}, name=name)


def test_a_scenario_record_holds_inputs_outputs_and_the_projection():
    r = record("提客单价", aov=137.5)
    assert r["inputs"]["aov"] == 137.5 and r["start"] == START
    assert r["outputs"]["period_gmv"] == pytest.approx(110_000)
    assert r["outputs"]["projected_total"] == pytest.approx(r["projection"][-1]["projected_total"])
    assert r["outputs"]["uplift_share"] == pytest.approx(1.1 / 12)          # 0.1 × 11 ramped months ÷ 12
    assert len(r["projection"]) == 12 and r["months"] == 12


def test_a_name_with_a_phone_number_is_masked():
    assert "13800138000" not in record("给13800138000的方案")["name"]


@pytest.mark.slow
def test_saving_writes_the_scenario_into_both_results_files_and_its_chart(run_dir: Path):
    r = record("提客单价", aov=137.5)
    saved = save_scenario(run_dir, r, projection_png(r))
    assert [s["id"] for s in saved] == ["s1"]
    merged = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    part = json.loads((run_dir / "results" / "strategy.json").read_text(encoding="utf-8"))
    for data in (merged["sections"]["strategy"]["data"], part["data"]):
        assert data["saved_scenarios"][0]["inputs"]["aov"] == 137.5
        assert data["scenarios"] == []                                      # the report's scenarios stay
    assert (run_dir / saved[0]["chart"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(run_dir.glob(".results.json.*"))                        # no temporary file left


def test_at_most_three_scenarios_are_kept_and_a_deleted_ones_place_is_reused(run_dir: Path):
    for i in range(MAX_SAVED):
        r = record(f"情景{i + 1}", aov=130.0 + i)
        save_scenario(run_dir, r, b"png")
    with pytest.raises(UsageError, match="at most 3"):
        save_scenario(run_dir, record("第四个"), b"png")
    left = delete_scenario(run_dir, "s2")
    assert [s["id"] for s in left] == ["s1", "s3"]
    assert not (run_dir / "figures" / "live_scenario_s2.png").exists()
    assert save_scenario(run_dir, record("新的"), b"png")[-1]["id"] == "s2"
    with pytest.raises(UsageError, match="no saved scenario 's9'"):
        delete_scenario(run_dir, "s9")


def test_without_saved_scenarios_the_results_are_unchanged(run_dir: Path):
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    assert with_saved_scenarios(results) is results


@pytest.mark.slow
def test_saved_scenarios_follow_the_reports_gmv_scenarios_side_by_side(run_dir: Path):
    for name, aov in (("稳健", 130.0), ("进取", 150.0)):
        r = record(name, aov=aov)
        save_scenario(run_dir, r, projection_png(r))
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    blocks = with_saved_scenarios(results, run_dir)["sections"]["strategy"]["blocks"]
    keys = [b.get("key") or b.get("text") for b in blocks]
    at = keys.index("strategy_scenarios")
    assert keys[at + 1] == "现场情景" and keys.index("顾问小结") > keys.index("strategy_live_scenarios")
    table = next(b for b in blocks if b.get("key") == "strategy_live_scenarios")
    assert table["columns"] == ["指标", "现状", "稳健", "进取"]
    aov_row = next(r for r in table["rows"] if r[0] == "客单价")
    assert aov_row == ["客单价", "¥125", "¥130", "¥150"]
    figures = [b for b in blocks if b["kind"] == "figure"]
    assert [f["path"] for f in figures] == ["figures/live_scenario_s1.png", "figures/live_scenario_s2.png"]
    assert json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["sections"]["strategy"]["blocks"] \
        == STRATEGY_BLOCKS                                                  # the file itself is not rewritten


@pytest.mark.slow
def test_diag_report_prints_the_saved_scenarios_in_the_strategy_section(run_dir: Path):
    r = record("社群转化6%", group_conversion=0.06)
    save_scenario(run_dir, r, projection_png(r))
    docx = build_report(run_dir)
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    assert "现场情景对比" in xml and "社群转化6%" in xml
    body = xml.rindex  # the last occurrence is the body's: headings also appear in the contents
    assert body("GMV情景与假设") < body("现场情景对比") < body("顾问小结")
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(docx).namelist())
    assert saved_scenarios(run_dir)[0]["outputs"]["period_gmv"] == pytest.approx(101_250)
