"""A run executes the notebooks in a real kernel and leaves a report, atomically."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from diag import paths
from diag.cli import main
from diag.errors import RunError, TemplateError
from diag.run.client import run_client

pytestmark = pytest.mark.slow  # runs notebooks in real kernels

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
DEMO = paths.BRIEFS / "xiaobei-muying.yaml"


def tiny_brief(folder: Path, stem: str, *, name: str, industry: str) -> Path:
    """Write ``folder/<stem>.yaml`` with a one-order ``data/orders.csv`` beside it; return the brief."""
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "orders.csv").write_text(
        "订单号,买家手机号,支付时间,实付金额\nA1,13800130807,2025-03-05 10:00,100\n", encoding="utf-8")
    brief = folder / f"{stem}.yaml"
    brief.write_text(yaml.safe_dump({"client": {"name": name, "industry": industry},
                                     "data": {"orders": "data/orders.csv"}}, allow_unicode=True),
                     encoding="utf-8")
    return brief


def test_a_run_leaves_the_contracts_output_layout(demo_run: Path):
    assert (demo_run / "report.docx").is_file()
    assert (demo_run / "results.json").is_file()
    assert list((demo_run / "figures").glob("*.png"))
    for name in ("01_intake", "02_journey", "03_diagnosis", "04_strategy"):
        assert (demo_run / "notebooks" / f"{name}.ipynb").is_file()
        assert (demo_run / "notebooks" / f"{name}.html").is_file()
    assert not list(demo_run.parent.glob(".*.tmp-*"))


def test_the_report_has_headings_pictures_and_tables(demo_run: Path):
    import docx

    document = docx.Document(str(demo_run / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for title in ("需求澄清", "用户旅程地图", "人货场诊断", "策略与行动计划"):
        assert any(title in h for h in headings), headings
    assert document.inline_shapes, "no picture in the report"
    assert len(document.tables) >= 5


STRATEGY_HEADINGS_ZH = ["策略与行动计划", "象限定位与打法方向", "经营类型与打法选择", "分品类复购提醒", "用户画像", "竞品对标",
                        "目标与差距", "要弥合的差距", "策略建议(按优先级)", "你们提出的任务 → 建议", "团队配置与KPI",
                        "引流路径", "目标漏斗", "30/60/90天路线图", "社群SOP、朋友圈与1对1话术", "活动方案", "风控与合规",
                        "团队分工与KPI", "GMV情景", "顾问小结"]


def test_the_chinese_reports_intake_and_strategy_headings_stay_as_they_were(demo_run: Path):
    import docx

    document = docx.Document(str(demo_run / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    start = headings.index("策略与行动计划")
    assert headings[start:start + len(STRATEGY_HEADINGS_ZH)] == STRATEGY_HEADINGS_ZH
    intake = headings.index("需求澄清")
    assert headings[intake + 1:intake + 5] == ["客户概况", "澄清表完整度", "数据清单与数据质量", "待确认问题"]


def test_the_recorded_metrics_match_the_orders_file(demo_run: Path):
    from diag.areas.metrics import compute_metrics
    from diag.brief.model import load_brief

    brief = load_brief(DEMO)
    expected = compute_metrics(brief.data_path("orders"))
    results = json.loads((demo_run / "results.json").read_text(encoding="utf-8"))
    recorded = results["sections"]["diagnosis"]["data"]["metrics"]
    for key in ("orders", "customers", "gmv", "repurchase_rate"):
        assert recorded[key] == pytest.approx(expected[key]), key


def test_a_run_reads_the_orders_file_once_and_every_notebook_loads_the_cache(demo_run: Path, demo_reads):
    assert demo_reads == {"reader": 1, "notebooks": 5}
    assert not list(demo_run.rglob("*.parquet")), "the cache (unmasked identifiers) must not be delivered"


def test_the_cached_quality_record_is_the_readers_own(demo_run: Path):
    from diag.brief.model import load_brief
    from diag.readers.orders import read_orders

    brief = load_brief(DEMO)
    quality = read_orders(brief.data_path("orders"), columns=brief.data.columns or None).quality.to_dict()
    results = json.loads((demo_run / "results.json").read_text(encoding="utf-8"))
    recorded = results["sections"]["diagnosis"]["data"]["metrics"]["data_quality"]
    assert {k: v for k, v in recorded.items() if k != "file"} == {k: v for k, v in quality.items() if k != "file"}


def test_no_phone_number_appears_unmasked_in_any_output(demo_run: Path):
    texts = [(demo_run / "results.json").read_text(encoding="utf-8")]
    for path in (demo_run / "notebooks").iterdir():
        texts.append(path.read_text(encoding="utf-8"))
    with zipfile.ZipFile(demo_run / "report.docx") as archive:
        texts += [archive.read(n).decode("utf-8", "ignore") for n in archive.namelist() if n.endswith(".xml")]
    for text in texts:
        assert not PHONE.search(text), PHONE.search(text).group(0)


def test_a_failing_notebook_leaves_the_previous_report_in_place(tmp_path, monkeypatch):
    brief = tiny_brief(tmp_path / "briefs", "tiny", name="小店", industry="母婴")
    nbdir = tmp_path / "notebooks"
    _notebook(nbdir, "broken", "raise ValueError('boom')")
    monkeypatch.setattr(paths, "NOTEBOOKS", nbdir)
    out = tmp_path / "out"
    previous = out / "tiny" / "report.docx"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"previous good report")
    with pytest.raises(RunError, match="broken.ipynb.*ValueError: boom"):
        run_client(brief, out, notebooks=("broken",))
    assert previous.read_bytes() == b"previous good report"
    assert not list(out.glob(".tiny.tmp-*"))
    assert (out / ".failed" / "tiny" / "notebooks" / "broken.ipynb").exists()


def test_executed_notebooks_are_scrubbed_of_the_clients_own_ids(tmp_path):
    from diag.privacy import Scrubber
    from diag.run.client import _scrub_notebook

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("risk")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={
        "text/plain": "客户 zhang_1991 13800130807", "text/html": "<td>zhang_1991</td>"})]
    nb.cells = [cell]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    _scrub_notebook(path, Scrubber(["zhang_1991"]))
    text = path.read_text(encoding="utf-8")
    assert "zhang_1991" not in text and "13800130807" not in text


# -- the firm's own templates reach the kernels --------------------------------------------

PROBE = """from diag import Recorder, load_brief
from diag.industries.registry import load_industry
brief = load_brief(brief_path)
template = load_industry(brief.client.industry)
Recorder(run_dir, "probe", "模板探针").text(template["name_en"])"""


def _notebook(folder: Path, name: str, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('brief_path = ""\nrun_dir = ""\nlang = "zh"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture
def pet_shop(tmp_path, monkeypatch) -> Path:
    """Return a tiny brief of the custom industry 宠物, named by a .diag.yaml in the working directory."""
    monkeypatch.delenv(paths.USER_INDUSTRIES_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    firm = tmp_path / "firm-templates"
    firm.mkdir()
    template = yaml.safe_load((paths.INDUSTRIES / "餐饮.yaml").read_text(encoding="utf-8"))
    template.update(key="宠物", name_en="pet stores")
    (firm / "宠物.yaml").write_text(yaml.safe_dump(template, allow_unicode=True, sort_keys=False), encoding="utf-8")
    project = tmp_path / "project"
    brief = tiny_brief(project, "pet", name="毛孩子宠物", industry="宠物")
    (project / ".diag.yaml").write_text("templates_dir: ../firm-templates\n", encoding="utf-8")
    monkeypatch.chdir(project)
    return brief


def test_a_config_files_templates_reach_the_kernels_of_a_run(pet_shop, tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    _notebook(nbdir, "probe", PROBE)
    monkeypatch.setattr(paths, "NOTEBOOKS", nbdir)
    result = run_client(pet_shop, tmp_path / "out", notebooks=("probe",))
    results = json.loads((result.report.parent / "results.json").read_text(encoding="utf-8"))
    blocks = results["sections"]["probe"]["blocks"]
    assert any(b.get("text") == "pet stores" for b in blocks)
    assert paths.USER_INDUSTRIES_ENV not in os.environ  # the parent's environment is restored


def test_a_brief_whose_custom_template_is_invalid_fails_before_any_kernel_starts(pet_shop, tmp_path, monkeypatch):
    broken = tmp_path / "firm-templates" / "宠物.yaml"
    data = yaml.safe_load(broken.read_text(encoding="utf-8"))
    del data["rules"]
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    nbdir = tmp_path / "notebooks"
    _notebook(nbdir, "probe", "raise SystemExit('a kernel was started')")
    monkeypatch.setattr(paths, "NOTEBOOKS", nbdir)
    with pytest.raises(TemplateError) as info:
        run_client(pet_shop, tmp_path / "out", notebooks=("probe",))
    assert info.value.file == str(broken.resolve()) and info.value.where == "rules"
    assert not (tmp_path / "out" / ".failed").exists()  # nothing ran


def test_bad_input_found_inside_a_kernel_exits_2_not_1(pet_shop, tmp_path, monkeypatch, capsys):
    nbdir = tmp_path / "notebooks"
    _notebook(nbdir, "01_intake", "from diag.industries.registry import load_industry\nload_industry('火星菜')")
    monkeypatch.setattr(paths, "NOTEBOOKS", nbdir)
    assert main(["run", str(pet_shop), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no industry template '火星菜'" in err
    assert "宠物" in err.split("known:")[1]  # the kernel saw the firm's folder too
    assert "01_intake.ipynb" in err and len(err.splitlines()) == 1


def test_work_folders_left_by_killed_runs_are_swept_but_a_live_ones_is_kept(tmp_path):
    import os
    import subprocess

    from diag.run.client import _sweep_stale

    gone = subprocess.Popen(["true"])
    gone.wait()
    dead, live = tmp_path / f".acme.tmp-{gone.pid}", tmp_path / f".acme.tmp-{os.getppid()}"
    other = tmp_path / f".other.tmp-{gone.pid}"
    for folder in (dead, live, other):
        (folder / "notebooks").mkdir(parents=True)
    _sweep_stale(tmp_path, "acme")
    assert not dead.exists() and live.exists() and other.exists()


def test_a_dask_batch_collects_every_clients_result_and_writes_the_index(tmp_path):
    from diag.run.batch import run_batch

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.yaml").write_text("client: {name: 甲, industry: 不存在的行业}\n", encoding="utf-8")
    (folder / "b.yaml").write_text("client: {name: 乙, industry: 母婴}\ndata: {orders: none.csv}\n",
                                   encoding="utf-8")
    summary = run_batch([folder], tmp_path / "out", jobs=2, executor="dask")
    assert [(r.slug, r.status) for r in summary.results] == [("a", "bad input"), ("b", "bad input")]
    assert summary.exit_code == 2
    assert "client.industry" in summary.results[0].error and "data.orders" in summary.results[1].error
    index = (tmp_path / "out" / "index.csv").read_text(encoding="utf-8-sig")
    assert index.count("bad input") == 2
