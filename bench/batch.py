"""Time a batch of demo-like clients three ways, in one run, and print the ratios.

    .venv/bin/python bench/batch.py                   # 40 clients, papermill on 4 of them
    .venv/bin/python bench/batch.py --clients 12 --papermill 2 --jobs 2

1. **papermill**: the ``papermill`` command on each of a client's four notebooks in
   turn (a fresh kernel per notebook, as a consultant would script it), then the
   report built from what they recorded; per-client seconds = the sum.
2. **floor**: the same ``diag`` calls made directly in one Python process: every code
   cell of the four notebooks ``exec``-ed in a fresh namespace, then the report; no
   kernel, no notebook written.  Per-client seconds = total ÷ clients.
3. **batch**: ``diag batch DIR --force -j N`` over all clients (warm kernels); per-client
   seconds = wall ÷ clients.  Then the same batch again without ``--force`` (nothing
   changed: every client skipped) as a share of the first.

The clients are the four demo briefs copied ``clients ÷ 4`` times under new slugs,
all reading the bundled demo data.  Every measurement is a subprocess; the load
average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
DEMOS = ("xiaobei-muying", "laomian-canyin", "qinghe-meizhuang", "mujia-jiaju")
NOTEBOOKS = ("01_intake", "02_journey", "03_diagnosis", "04_strategy")


def make_briefs(folder: Path, clients: int) -> list[Path]:
    """Write ``clients`` demo-like briefs into ``folder`` (data shared via a symlink)."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if not data.exists():
        data.symlink_to(ROOT / "briefs" / "data")
    out = []
    for i in range(clients):
        demo = DEMOS[i % len(DEMOS)]
        brief = yaml.safe_load((ROOT / "briefs" / f"{demo}.yaml").read_text(encoding="utf-8"))
        brief["client"]["slug"] = f"{demo}-{i:03d}"
        brief["client"]["name"] = f"{brief['client']['name']}{i:03d}"
        path = folder / f"{demo}-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(brief, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out.append(path)
    return out


def run(cmd: list[str], **kw) -> float:
    """Return the wall seconds of one subprocess (it must succeed)."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, **kw)
    if proc.returncode not in (0,):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - started


def papermill_client(brief: Path, out: Path) -> float:
    """Return the seconds of one client the papermill way (four commands, then the report)."""
    work = out / brief.stem
    (work / "notebooks").mkdir(parents=True, exist_ok=True)
    seconds = 0.0
    for name in NOTEBOOKS:
        seconds += run([str(BIN / "papermill"), str(ROOT / "notebooks" / f"{name}.ipynb"),
                        str(work / "notebooks" / f"{name}.ipynb"), "-p", "brief_path", str(brief),
                        "-p", "run_dir", str(work), "-p", "lang", "zh", "--cwd", str(work),
                        "--no-progress-bar", "--no-log-output"])
    seconds += run([str(BIN / "python"), str(HERE / "floor.py"), "--report-only", str(brief), str(work)])
    return seconds


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--papermill", type=int, default=4, help="clients timed the papermill way")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="diag-bench-batch-") as tmp:
        tmp = Path(tmp)
        briefs = make_briefs(tmp / "briefs", args.clients)
        print(f"{args.clients} clients; load average at start {load()}")
        pm = [papermill_client(b, tmp / "pm") for b in briefs[:args.papermill]]
        pm_client = sum(pm) / len(pm)
        print(f"papermill, each notebook in turn: {pm_client:.2f} s per client "
              f"({', '.join(f'{s:.1f}' for s in pm)})  load {load()}")
        floor = run([str(BIN / "python"), str(HERE / "floor.py"), str(tmp / "briefs"), str(tmp / "floor")])
        floor_client = floor / args.clients
        print(f"in-process floor (one process): {floor_client:.2f} s per client ({floor:.0f} s)  load {load()}")
        for jobs in args.jobs:
            out = tmp / f"batch-j{jobs}"
            wall = run([str(BIN / "diag"), "batch", str(tmp / "briefs"), "--out", str(out), "--force",
                        "-j", str(jobs)])
            per = wall / args.clients
            again = run([str(BIN / "diag"), "batch", str(tmp / "briefs"), "--out", str(out), "-j", str(jobs)])
            print(f"diag batch -j {jobs}: {per:.2f} s per client ({wall:.0f} s); "
                  f"papermill ÷ batch = {pm_client / per:.1f}×; batch ÷ floor = {per / floor_client:.2f}× "
                  f"(floor is one process: compare at -j 1); unchanged re-run {again:.1f} s = "
                  f"{again / wall:.1%} of the first  load {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
