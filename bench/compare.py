"""Time this checkout's ``diag metrics`` against another checkout's, in alternating pairs.

    git archive <commit> | tar -x -C /tmp/base
    .venv/bin/python bench/compare.py /tmp/base bench/data/orders_1000000.csv … [--repeat 3]

Each run is a fresh subprocess under ``/usr/bin/time -f '%e %M'``, started in the
checkout's folder so ``python -m diag`` imports that checkout's package; both use this
checkout's virtual environment.  The figures both print are checked to agree (orders,
excluded orders, customers, GMV, repurchase rate).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
KEYS = ("orders", "excluded_orders", "customers", "gmv", "repurchase_rate")


def run(cwd: Path, file: Path) -> tuple[float, float, dict]:
    """Return (wall s, peak RSS MB, the headline figures) of ``diag metrics file`` in ``cwd``."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", str(PY), "-m", "diag", "metrics", str(file)],
                          capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(cwd), "PYTHONHASHSEED": "0"})
    wall, rss = proc.stderr.strip().splitlines()[-1].split()
    figures = json.loads(proc.stdout) if proc.returncode == 0 else {"error": proc.stderr.splitlines()[0]}
    return float(wall), int(rss) / 1024, {k: figures.get(k) for k in KEYS} if "error" not in figures else figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for file in args.files:
        file = file.resolve()
        file.read_bytes()  # page cache
        pairs = []
        for _ in range(args.repeat):
            new = run(ROOT, file)
            old = run(args.base.resolve(), file)
            pairs.append((new, old))
        best_new = min(p[0][0] for p in pairs)
        best_old = min(p[1][0] for p in pairs)
        agree = all(p[0][2] == p[1][2] for p in pairs)
        each = ", ".join(f"{o[0] / n[0]:.2f}x" for n, o in pairs)
        print(f"| {file.name} | {best_new:.2f} | {max(p[0][1] for p in pairs):.0f} | {best_old:.2f} | "
              f"{max(p[1][1] for p in pairs):.0f} | {best_old / best_new:.2f}x | {each} | "
              f"{'yes' if agree else 'NO: ' + str(pairs[0][0][2]) + ' vs ' + str(pairs[0][1][2])} |")


if __name__ == "__main__":
    main()
