"""Time ``diag run BRIEF --per-store`` on a generated store chain.

    .venv/bin/python bench/chain.py                    # 500 stores, ~150 orders each
    .venv/bin/python bench/chain.py --stores 50 100

The chain comes from :func:`diag.demo.chain.write_chain` (seeded).  Prints the wall
time, the stores written, the largest store folder and the client folder without
its stores, with the load average before and after.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from diag.demo.chain import write_chain  # noqa: E402


def folder_bytes(folder: Path, *, skip: str | None = None) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and (skip is None or skip not in f.parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, nargs="+", default=[500])
    parser.add_argument("--orders-per-store", type=int, default=150)
    args = parser.parse_args()
    for n in args.stores:
        with tempfile.TemporaryDirectory(prefix="diag-bench-chain-") as tmp:
            brief = write_chain(Path(tmp) / "briefs", stores=n, orders_per_store=args.orders_per_store)
            rows = sum(1 for _ in open(brief.parent / "data" / "chain" / "orders.csv", encoding="utf-8")) - 1
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            started = time.perf_counter()
            proc = subprocess.run([str(ROOT / ".venv" / "bin" / "diag"), "run", str(brief), "--out",
                                   str(Path(tmp) / "out"), "--per-store"], capture_output=True, text=True)
            wall = time.perf_counter() - started
            if proc.returncode:
                sys.exit(proc.stderr)
            run = Path(tmp) / "out" / "chain"
            index = list(csv.DictReader((run / "stores" / "index.csv").read_text(encoding="utf-8-sig").splitlines()))
            largest = max(folder_bytes((run / "stores" / r["report"]).parent) for r in index)
            print(f"{n} stores, {rows:,} order rows: {wall:.0f} s ({wall / 60:.1f} min), {len(index)} store reports "
                  f"({sum(r['status'] != 'ok' for r in index)} with too little data); largest store folder "
                  f"{largest / 1e6:.2f} MB; client folder without stores {folder_bytes(run, skip='stores') / 1e6:.2f} MB; "
                  f"load {load} → {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
