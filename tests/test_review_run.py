"""A run reviews campaigns and the previous report: --since, the default previous, --no-since, older kits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from diag.cli import main
from diag.run.client import REVIEW, run_client

pytestmark = pytest.mark.slow  # runs notebooks in real kernels

ORDERS = """订单号,买家手机号,支付时间,实付金额,订单状态
A01,13800000001,2026-01-03 10:00,100,交易成功
A02,13800000002,2026-01-15 11:00,80,交易成功
A03,13800000001,2026-02-02 12:00,120,交易成功
A04,13800000003,2026-02-10 09:00,60,交易成功
A05,13800000004,2026-02-11 20:00,90,交易关闭
A06,13800000002,2026-02-12 21:00,70,交易成功
A07,13800000005,2026-02-14 23:59,150,交易成功
A08,13800000001,2026-03-01 08:00,110,交易成功
A09,13800000006,2026-03-20 10:00,40,交易成功
A10,13800000003,2026-03-28 19:00,65,交易成功
"""
CAMPAIGNS = """活动名称,活动类型,开始日期,结束日期,成本,目标GMV,触达人数,新增好友,参与人数,推荐人数
情人节,节日,2026-02-10,2026-02-14,100,250,500,40,20,4
三月团购,团购,2026-03-01,2026-03-31,50,300,,,,
"""


def _brief(folder: Path, *, campaigns: bool = True) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "orders.csv").write_text(ORDERS, encoding="utf-8")
    data = {"orders": "data/orders.csv"}
    if campaigns:
        (folder / "data" / "campaigns.csv").write_text(CAMPAIGNS, encoding="utf-8")
        data["campaigns"] = "data/campaigns.csv"
    brief = folder / "shop.yaml"
    brief.write_text(yaml.safe_dump({"client": {"name": "小花店", "industry": "餐饮"}, "data": data},
                                    allow_unicode=True), encoding="utf-8")
    return brief


def _results(run: Path) -> dict:
    return json.loads((run / "results.json").read_text(encoding="utf-8"))


def _review(run: Path) -> dict:
    return _results(run)["sections"]["review"]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("review")
    brief = _brief(folder / "client")
    result = run_client(brief, folder / "out", notebooks=(REVIEW,))
    return brief, result.report.parent


def test_a_brief_with_campaigns_gets_a_review_section_with_both_tables_and_the_chart(first_run):
    _, run = first_run
    review = _review(run)
    campaigns = {c["name"]: c for c in review["data"]["campaigns"]}
    assert campaigns["情人节"]["gmv"] == 280.0                     # A04, A06, A07 (A05 is closed)
    assert campaigns["情人节"]["base_gmv"] == 0.0                  # 02-05 … 02-09: no orders
    assert campaigns["情人节"]["roi"] == 2.8                       # (280 − 0) ÷ 100
    assert campaigns["情人节"]["met"] is True
    keys = {b.get("key") for b in review["blocks"]}
    assert {"review_campaigns", "review_campaign_targets", "review_campaign_return", "review_rates"} <= keys
    assert (run / "figures" / "review_campaigns.png").is_file()
    assert not (run / "previous").exists()                         # nothing to compare with the first time
    sections = list(_results(run)["sections"])
    assert sections.index("review") < sections.index("summary_review")


def test_the_next_run_compares_with_the_previous_report_of_the_same_client(first_run):
    brief, run = first_run
    before = _results(run)["meta"]["generated_at"]
    result = run_client(brief, run.parent, notebooks=(REVIEW,))
    again = result.report.parent
    assert (again / "previous" / "results.json").is_file()
    assert json.loads((again / "previous" / "results.json").read_text(encoding="utf-8"))["meta"]["generated_at"] == before
    review = _review(again)
    compared = {row["key"]: row for row in review["data"]["comparison"]}
    assert compared["gmv"]["change"] == 0.0 and compared["gmv"]["direction"] == "持平"
    assert "review_then_now" in {b.get("key") for b in review["blocks"]}


def test_no_since_skips_the_comparison(first_run, tmp_path):
    brief, run = first_run
    result = run_client(brief, run.parent, notebooks=(REVIEW,), use_since=False)
    assert not (result.report.parent / "previous").exists()
    assert "comparison" not in _review(result.report.parent)["data"]


def test_a_previous_run_from_an_older_kit_missing_fields_is_compared_without_failing(first_run, tmp_path):
    brief, _ = first_run
    old = tmp_path / "old-run"
    old.mkdir()
    (old / "results.json").write_text(json.dumps({
        "meta": {"client": "小花店"},
        "sections": {"diagnosis": {"blocks": [], "data": {"metrics": {"gmv": 500.0, "aov": 80.0}}},
                     "strategy": {"blocks": [], "data": {"recommendations": [
                         {"action": "提高客单价", "metric": "aov", "current": 80.0, "target": 85.0},
                         {"action": "老带新", "metric": "k_factor"}]}}}}, ensure_ascii=False), encoding="utf-8")
    result = run_client(brief, tmp_path / "out", notebooks=(REVIEW,), since=old)
    data = _review(result.report.parent)["data"]
    compared = {row["key"]: row for row in data["comparison"]}
    assert compared["gmv"]["then"] == 500.0 and compared["gmv"]["now"] == 795.0
    status = {row["action"]: row["status"] for row in data["followup"]}
    assert status == {"提高客单价": "达成", "老带新": "无数据"}    # AOV now 795 ÷ 9 = 88.3 ≥ 85


def test_a_brief_with_nothing_to_review_runs_no_review_notebook(tmp_path):
    brief = _brief(tmp_path / "client", campaigns=False)
    result = run_client(brief, tmp_path / "out", notebooks=(REVIEW,))
    assert "review" not in _results(result.report.parent)["sections"]
    assert not (result.report.parent / "notebooks" / f"{REVIEW}.ipynb").exists()


def test_since_a_folder_without_results_is_bad_input_with_exit_2(tmp_path, capsys):
    brief = _brief(tmp_path / "client")
    (tmp_path / "empty").mkdir()
    assert main(["run", str(brief), "--out", str(tmp_path / "out"), "--since", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --since: expected an earlier run folder")
    assert main(["run", str(brief), "--since", "x", "--no-since"]) == 2       # one or the other


def test_an_explicit_since_that_cannot_be_read_is_bad_input(tmp_path, capsys):
    brief = _brief(tmp_path / "client")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "results.json").write_text("{not json", encoding="utf-8")
    assert main(["run", str(brief), "--out", str(tmp_path / "out"), "--since", str(tmp_path / "bad")]) == 2
    assert "cannot read the earlier results" in capsys.readouterr().err
    assert not (tmp_path / "out" / "shop").exists()


def test_batch_passes_since_and_no_since_to_every_client(tmp_path, monkeypatch):
    import diag.run.batch as batch

    seen = []

    def fake(brief_path, out_root, *, lang="zh", since=None, use_since=True, **_options):
        seen.append((Path(brief_path).name, since, use_since))
        return batch.RunResult(slug=Path(brief_path).stem)

    monkeypatch.setattr(batch, "run_client", fake)
    first = _brief(tmp_path / "a")
    assert main(["batch", str(first), "--out", str(tmp_path / "out"), "--no-since"]) == 0
    assert main(["batch", str(first), "--out", str(tmp_path / "out"), "--since", str(tmp_path / "prev")]) == 0
    assert seen == [("shop.yaml", None, False), ("shop.yaml", tmp_path / "prev", True)]
