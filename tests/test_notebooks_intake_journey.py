"""The intake and journey notebooks run headless under papermill on a tiny client."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml

from diag import paths

pytestmark = pytest.mark.slow  # runs notebooks in a kernel

ORDERS = """订单号,买家手机号,支付时间,实付金额,订单来源
A1,13800000001,2024-01-01 10:00,100,门店
A2,13800000001,2024-01-11 10:00,200,门店
A3,13800000002,2024-02-01 10:00,300,小程序
A4,13800000002,2024-03-02 09:00,100,老带新
A5,13800000003,2024-01-05 12:00,300,门店
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, Path]:
    """Run both notebooks once for a tiny client without interview notes; return their paths."""
    import papermill as pm

    folder = tmp_path_factory.mktemp("client")
    (folder / "orders.csv").write_text(ORDERS, encoding="utf-8")
    brief = {"client": {"name": "测试母婴", "industry": "母婴", "format": "单店"},
             "goods": {"aov": 100}, "assets": {"friends": 40, "group_members": 20},
             "funnel": {"reachable": 200}, "data": {"orders": "orders.csv"}}
    brief_path = folder / "brief.yaml"
    brief_path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    run_dir = folder / "run"
    out = {}
    for name in ("01_intake", "02_journey"):
        target = folder / f"{name}.ipynb"
        pm.execute_notebook(str(paths.NOTEBOOKS / f"{name}.ipynb"), str(target), kernel_name="python3",
                            progress_bar=False, cwd=str(paths.ROOT),
                            parameters={"brief_path": str(brief_path), "run_dir": str(run_dir), "lang": "zh"})
        out[name] = target
    out["run"] = run_dir
    return out


def blocks(run_dir: Path, section: str) -> list[dict]:
    return json.loads((run_dir / "results" / f"{section}.json").read_text(encoding="utf-8"))["blocks"]


def test_the_intake_notebook_records_completeness_data_and_questions(executed):
    recorded = blocks(executed["run"], "intake")
    keys = {b.get("key") for b in recorded}
    assert {"completeness_overall", "completeness", "data_inventory", "data_quality", "questions",
            "brief_summary", "stated_vs_measured"} <= keys
    overall = next(b for b in recorded if b.get("key") == "completeness_overall")
    assert 0 < overall["value"] < 1 and overall["definition"]
    questions = next(b for b in recorded if b.get("key") == "questions")
    assert any("订单数据测得" in str(row) for row in questions["rows"])  # stated AOV 100 vs measured 200
    assert "13800000001" not in json.dumps(recorded, ensure_ascii=False)


def test_the_intake_notebook_skips_the_form_when_run_by_papermill(executed):
    nb = nbformat.read(executed["01_intake"], as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})


def test_the_journey_notebook_records_a_landscape_map_with_its_table_and_the_funnel(executed):
    recorded = blocks(executed["run"], "journey")
    figure = next(b for b in recorded if b.get("key") == "journey_map")
    assert figure["kind"] == "figure" and figure["landscape"] is True
    assert (executed["run"] / figure["path"]).is_file() and (executed["run"] / "figures" / "funnel.png").is_file()
    table = next(b for b in recorded if b.get("key") == "journey_table")
    assert [row[0] for row in table["rows"]] == ["认知", "考虑", "首购", "使用", "复购", "推荐"]
    assert "模板" in table["columns"] or any("模板" in str(row[-1]) for row in table["rows"])
    funnel = next(b for b in recorded if b.get("key") == "funnel")
    assert [row[0] for row in funnel["rows"]] == ["触达", "加好友", "入群", "首购", "复购", "推荐"]
    days = next(b for b in recorded if b.get("key") == "first_to_repeat_days")
    assert days["value"] == 20


def test_a_brief_without_interviews_is_marked_as_template_and_data_only(executed):
    figure = next(b for b in blocks(executed["run"], "journey") if b.get("key") == "journey_map")
    assert "未包含客户访谈" in figure["caption"]          # printed under the map in the report


def test_the_executed_notebooks_show_the_recorded_figures_and_numbers(executed):
    outputs = [o for name in ("01_intake", "02_journey")
               for cell in nbformat.read(executed[name], as_version=4).cells
               for o in cell.get("outputs", [])]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2     # journey map + funnel
    assert "<b>首购到复购的中位天数</b>" in html
    assert "首购→复购转化率" not in html    # the repurchase rate is recorded once, by the diagnosis
    assert "<b>需求澄清表总体完整度</b>" in html
    assert "13800000001" not in html
