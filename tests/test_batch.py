"""A batch runs clients in warm kernels, skips unchanged ones, survives failures and kills."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from diag import paths
from diag.errors import UsageError
from diag.run.batch import run_batch
from diag.run.client import NOTEBOOKS, RunResult
from diag.run.kernels import CellFailure, WarmKernel
from diag.run.outlock import batch_lock
from diag.run.progress import Progress

pytestmark = pytest.mark.slow  # batches of real kernels

ROOT = Path(__file__).resolve().parents[1]

#: A stand-in for each consulting-flow notebook: reads the orders, records one number.
STEP = """from diag import Recorder, load_brief
from diag.readers.orders import read_orders
import time
brief = load_brief(brief_path)
data = read_orders(brief.data_path("orders"))
if brief.client.name.startswith("坏") and "{name}" == "03_diagnosis":
    raise ValueError("这一步坏了")
time.sleep(float(brief.notes or 0))
rec = Recorder(run_dir, "{section}", "{name}")
rec.number("orders", len(data.orders), label="订单数", definition="有效订单数", fmt="{{:,.0f}}")
rec.data("metrics", {{"orders": len(data.orders)}})"""


def write_notebook(folder: Path, name: str, code: str) -> Path:
    """Write a notebook of a ``parameters`` cell and ``code``; return its path."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('brief_path = ""\nrun_dir = ""\nlang = "zh"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *[nbformat.v4.new_code_cell(c) for c in code.split("\n#--\n")]]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    return folder / f"{name}.ipynb"


@pytest.fixture
def quick_notebooks(tmp_path, monkeypatch) -> Path:
    """Replace the flow's notebooks by quick stand-ins (the real ones are tested in test_run)."""
    folder = tmp_path / "notebooks"
    for name, section in ((n, n.split("_", 1)[1]) for n in NOTEBOOKS):
        write_notebook(folder, name, STEP.format(name=name, section=section))
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    return folder


def client_brief(folder: Path, stem: str, *, name: str, orders: int = 3, sleep: float = 0) -> Path:
    """Write a brief with ``orders`` orders of its own; return its path."""
    data = folder / "data" / stem
    data.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"A{i},1380013{i:04d},2025-03-{i % 27 + 1:02d} 10:00,{100 + i}\n" for i in range(orders))
    (data / "orders.csv").write_text("订单号,买家手机号,支付时间,实付金额\n" + rows, encoding="utf-8")
    brief = folder / f"{stem}.yaml"
    brief.write_text(yaml.safe_dump({"client": {"name": name, "industry": "母婴"},
                                     "data": {"orders": f"data/{stem}/orders.csv"},
                                     "notes": str(sleep)}, allow_unicode=True), encoding="utf-8")
    return brief


def read_index(out: Path) -> list[dict[str, str]]:
    raw = (out / "index.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


# -- the warm kernel -----------------------------------------------------------------------

def test_a_warm_kernel_records_papermill_parameters_and_gives_each_notebook_a_clean_namespace(tmp_path):
    first = write_notebook(tmp_path / "nb", "first", "secret = 42\nprint(lang)")
    second = write_notebook(tmp_path / "nb", "second", "print(secret)")
    with WarmKernel() as kernel:
        kernel.run_notebook(first, tmp_path / "first.ipynb", {"lang": "en"}, cwd=tmp_path)
        with pytest.raises(CellFailure) as info:
            kernel.run_notebook(second, tmp_path / "second.ipynb", {"lang": "en"}, cwd=tmp_path)
        kernel.run_notebook(first, tmp_path / "again.ipynb", {"lang": "zh"}, cwd=tmp_path)  # restarted
    assert info.value.ename == "NameError" and info.value.exec_count == 3  # after the injected cell
    done = nbformat.read(tmp_path / "first.ipynb", as_version=4)
    injected = [c for c in done.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "lang = \"en\"" in injected[0].source
    assert done.metadata.papermill.parameters == {"lang": "en"}
    assert done.cells[-1].outputs[0]["text"] == "en\n"
    assert [c.execution_count for c in done.cells if c.cell_type == "code"] == [1, 2, 3]
    failed = nbformat.read(tmp_path / "second.ipynb", as_version=4)
    assert failed.cells[-1].outputs[-1]["output_type"] == "error"  # the record keeps the traceback
    assert "zh" in nbformat.read(tmp_path / "again.ipynb", as_version=4).cells[-1].outputs[0]["text"]


# -- incremental --------------------------------------------------------------------------

def test_an_unchanged_client_is_skipped_and_listed_as_unchanged_until_its_data_changes(quick_notebooks, tmp_path):
    briefs = tmp_path / "briefs"
    a = client_brief(briefs, "a", name="甲店")
    client_brief(briefs, "b", name="乙店")
    out = tmp_path / "out"
    first = run_batch([briefs], out, progress=Progress(2, tty=False))
    assert [r.status for r in first.results] == ["ok", "ok"] and first.exit_code == 0
    report_a = (out / "a" / "report.docx").stat().st_mtime_ns

    again = run_batch([briefs], out, progress=Progress(2, tty=False))
    assert [r.status for r in again.results] == ["unchanged", "unchanged"] and again.exit_code == 0
    rows = read_index(out)
    assert [r["status"] for r in rows] == ["unchanged", "unchanged"]
    assert rows[0]["orders"] == "3"  # the recorded figures are kept in the index
    assert (out / "a" / "report.docx").stat().st_mtime_ns == report_a

    data = a.parent / "data" / "a" / "orders.csv"
    data.write_bytes(data.read_bytes())  # touched, same content: still unchanged
    assert [r.status for r in run_batch([briefs], out, progress=Progress(2, tty=False)).results] == \
        ["unchanged", "unchanged"]
    data.write_text(data.read_text(encoding="utf-8") + "A9,13800139999,2025-04-01 10:00,99\n", encoding="utf-8")
    changed = run_batch([briefs], out, progress=Progress(2, tty=False))
    assert [r.status for r in changed.results] == ["ok", "unchanged"]
    forced = run_batch([briefs], out, force=True, progress=Progress(2, tty=False))
    assert [r.status for r in forced.results] == ["ok", "ok"]


def test_a_changed_notebook_or_option_reruns_the_client(quick_notebooks, tmp_path):
    briefs = tmp_path / "briefs"
    client_brief(briefs, "a", name="甲店")
    out = tmp_path / "out"
    run_batch([briefs], out, progress=Progress(1, tty=False))
    assert run_batch([briefs], out, lang="en", progress=Progress(1, tty=False)).results[0].status == "ok"
    nb = quick_notebooks / "02_journey.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("订单数", "有效订单数"), encoding="utf-8")
    assert run_batch([briefs], out, lang="en", progress=Progress(1, tty=False)).results[0].status == "ok"
    assert run_batch([briefs], out, lang="en", progress=Progress(1, tty=False)).results[0].status == "unchanged"


# -- isolation and safety -----------------------------------------------------------------

def test_a_failing_client_does_not_stop_the_others_and_the_index_names_its_cell(quick_notebooks, tmp_path):
    briefs = tmp_path / "briefs"
    client_brief(briefs, "a", name="坏店")
    client_brief(briefs, "b", name="好店")
    out = tmp_path / "out"
    summary = run_batch([briefs], out, jobs=2, progress=Progress(2, tty=False))
    assert [r.status for r in summary.results] == ["failed", "ok"] and summary.exit_code == 3
    rows = read_index(out)
    assert rows[0]["notebook"] == "03_diagnosis.ipynb" and rows[0]["cell"] == "3"
    assert "ValueError: 这一步坏了" in rows[0]["error"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "03_diagnosis.ipynb" in page and "失败" in page
    assert (out / "b" / "report.docx").is_file() and not (out / "a").exists()
    assert not list(out.glob(".*.tmp-*"))


def test_a_second_batch_into_the_same_folder_is_refused_while_one_runs(quick_notebooks, tmp_path):
    briefs = tmp_path / "briefs"
    client_brief(briefs, "a", name="甲店")
    out = tmp_path / "out"
    with batch_lock(out):
        with pytest.raises(UsageError, match="另一个批量运行"):
            run_batch([briefs], out, progress=Progress(1, tty=False))
    assert run_batch([briefs], out, progress=Progress(1, tty=False)).exit_code == 0  # released


def test_a_killed_holder_does_not_leave_the_lock_stuck(tmp_path):
    out = tmp_path / "out"
    code = ("import sys, time; from pathlib import Path; from diag.run.outlock import batch_lock\n"
            "with batch_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(UsageError, match=f"进程 {holder.pid}"):
            with batch_lock(out):
                pass
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    with batch_lock(out):
        pass


def test_a_batch_killed_with_sigkill_and_started_again_finishes_the_rest(tmp_path):
    briefs = tmp_path / "briefs"
    for stem in "abcd":
        client_brief(briefs, stem, name=f"{stem}店", sleep=1.5)
    nbdir = tmp_path / "notebooks"
    for name, section in ((n, n.split("_", 1)[1]) for n in NOTEBOOKS):
        write_notebook(nbdir, name, STEP.format(name=name, section=section))
    out = tmp_path / "out"
    # the stand-in notebooks reach the batch's process through paths.NOTEBOOKS
    code = ("import sys; from pathlib import Path; from diag import paths; paths.NOTEBOOKS = Path(sys.argv[1]);"
            "from diag.cli import main; sys.exit(main(sys.argv[2:]))")
    cmd = [sys.executable, "-c", code, str(nbdir), "batch", str(briefs), "--out", str(out), "-j", "2"]
    batch = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    deadline = time.monotonic() + 240
    while not (out / "a" / "report.docx").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait()
    assert (out / "a" / "report.docx").exists()
    time.sleep(1.5)  # the workers die with their parent; their kernels notice within a second
    left = subprocess.run(["pgrep", "-f", str(nbdir)], capture_output=True, text=True).stdout.split()
    assert not left, f"processes of the killed batch still run: {left}"
    again = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr
    rows = read_index(out)
    assert {r["slug"] for r in rows} == set("abcd")
    assert "unchanged" in [r["status"] for r in rows] and {r["status"] for r in rows} <= {"ok", "unchanged"}
    assert not list(out.glob(".*.tmp-*")) and not list(out.glob(".*.old-*"))
    for stem in "abcd":
        json.loads((out / stem / "results.json").read_text(encoding="utf-8"))  # whole, valid


# -- progress ------------------------------------------------------------------------------

def _result(slug: str, status: str) -> RunResult:
    return RunResult(slug=slug, client=f"{slug}店", status=status, report=Path(f"/o/{slug}/report.docx"),
                     seconds=2.0, error="" if status in ("ok", "unchanged") else "error: x.ipynb: cell 3: boom")


def test_without_a_terminal_each_finished_client_is_one_plain_line(capsys):
    progress = Progress(3, tty=False)
    for slug, status in (("a", "ok"), ("b", "failed"), ("c", "unchanged")):
        progress.finished(_result(slug, status))
    out, err = capsys.readouterr()
    assert out.splitlines() == ["[1/3] [完成] a店: /o/a/report.docx  (2 秒)",
                                "[3/3] [未变] c店: 输入未变化，跳过（--force 可强制重跑）"]
    assert err.splitlines() == ["error: b: x.ipynb: cell 3: boom"]
    assert "\r" not in out + err


def test_on_a_terminal_a_bar_shows_done_failed_remaining_and_time_left(capsys):
    import io

    err = io.StringIO()
    progress = Progress(4, tty=True, err=err, out=io.StringIO())
    progress.finished(_result("a", "ok"))
    progress.finished(_result("b", "failed"))
    last = err.getvalue().split("\r\x1b[2K")[-1]
    assert "2/4" in last and "完成 1" in last and "失败 1" in last and "剩余 2" in last and "预计剩余" in last
    assert "#" * 14 in last and "预计剩余 —" not in last


# -- beyond one machine ------------------------------------------------------------------

def _comparable(results: dict) -> dict:
    meta = dict(results["meta"])
    meta.pop("generated_at", None)
    return {**results, "meta": meta}


def test_a_dask_batch_on_two_local_workers_records_what_the_local_executor_records(tmp_path):
    import shutil

    briefs = tmp_path / "briefs"
    (briefs / "data").mkdir(parents=True)
    shutil.copytree(paths.BRIEFS / "data" / "mujia-jiaju", briefs / "data" / "mujia-jiaju")
    shutil.copy(paths.BRIEFS / "mujia-jiaju.yaml", briefs / "mujia-jiaju.yaml")
    bad = briefs / "zz-bad.yaml"
    bad.write_text("client: {name: 坏, industry: 母婴}\ndata: {orders: none.csv}\n", encoding="utf-8")
    local = run_batch([briefs], tmp_path / "local", progress=Progress(2, tty=False))
    dask = run_batch([briefs], tmp_path / "dask", jobs=2, executor="dask", progress=Progress(2, tty=False))
    assert [r.status for r in local.results] == [r.status for r in dask.results] == ["ok", "bad input"]
    one, two = (json.loads((tmp_path / where / "mujia-jiaju" / "results.json").read_text(encoding="utf-8"))
                for where in ("local", "dask"))
    assert _comparable(one) == _comparable(two)
