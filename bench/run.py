"""Time ``diag metrics`` end to end against a plain-pandas reference, in the same run.

    .venv/bin/python bench/run.py                       # 10M orders, every shape, CSV and Parquet
    .venv/bin/python bench/run.py --orders 1000000 --variant orders lines
    .venv/bin/python bench/run.py --repeat 3            # best of 3 each (noisy machine)

Each measurement is a fresh subprocess wrapped in ``/usr/bin/time -f '%e %M'`` (wall
seconds, peak RSS in KB): ``.venv/bin/diag metrics FILE --format json`` and
``.venv/bin/python bench/reference.py FILE``, after reading the file once so both find
it in the page cache.  The two runs of a pair alternate, so machine noise hits both; the figures both compute (orders, customers, GMV,
repurchase rate, median gap, RFM counts) are checked to agree.  Missing data files
are generated first (bench/generate.py).  Per file it also prints the load average at
each pair, and the CLV fits on *all* customers (``bench/fit.py``: seconds and
iterations of BG/NBD + Gamma-Gamma), besides the iterations of the sample fit that
``diag metrics`` reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(HERE))

from generate import TABLES, write  # noqa: E402

SEGMENT_CODES = {"重要价值": 7, "重要唤回": 3, "重要深耕": 5, "重要挽留": 1, "潜力": 6, "新客": 4,
                 "一般维持": 2, "流失": 0}


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Return (wall seconds, peak RSS in MB, stdout) of one subprocess run."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    secs, kb = proc.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024, proc.stdout


def agree(diag: dict, ref: dict) -> list[str]:
    """Return the figures on which ``diag metrics`` and the reference differ."""
    bad = []
    for key in ("orders", "customers", "repurchase_rate", "median_repurchase_days"):
        if abs(float(diag[key]) - float(ref[key])) > 1e-6 * max(1.0, abs(float(ref[key]))):
            bad.append(f"{key}: {diag[key]} vs {ref[key]}")
    if abs(diag["gmv"] - ref["gmv"]) > 0.01 * max(1, diag["orders"]) ** 0.5:
        bad.append(f"gmv: {diag['gmv']} vs {ref['gmv']}")
    segs = {str(SEGMENT_CODES[k]): v for k, v in diag["rfm_segments"].items() if v}
    if segs != {k: v for k, v in ref["segments"].items() if v}:
        bad.append(f"rfm: {segs} vs {ref['segments']}")
    return bad


def _iterations(metrics: dict) -> dict:
    conv = metrics["clv"].get("convergence", {})
    return {k: v.get("iterations") for k, v in conv.items()}


def _fit_text(fit: dict | None) -> str:
    """Return "1.23 s (CPU 0.70 s) for 2,000,000 customers (BG/NBD 0.80 s, 21 it.; GG 0.43 s, 18 it.)"."""
    if fit is None:
        return "—"
    parts = []
    for key, label in (("bgnbd", "BG/NBD"), ("gamma_gamma", "GG")):
        f = fit[key]
        detail = f"{f['iterations']} it." if "iterations" in f else f"not fitted: {f['not_fitted']}"
        parts.append(f"{label} {f['seconds']:.2f} s, {detail}")
    return (f"{fit['fit_seconds']:.2f} s (CPU {fit['fit_cpu_seconds']:.2f} s) for {fit['customers']:,} "
            f"customers ({'; '.join(parts)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="*", default=[10_000_000])
    parser.add_argument("--variant", choices=tuple(TABLES), nargs="*", default=list(TABLES))
    parser.add_argument("--no-fit", action="store_true", help="skip timing the fits on all customers")
    parser.add_argument("--format", choices=("csv", "parquet"), nargs="*", default=["csv", "parquet"])
    parser.add_argument("--repeat", type=int, default=1, help="runs per pair; the best is reported")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    print(f"# {dt.datetime.now():%Y-%m-%d %H:%M} · {platform.node()} · {os.cpu_count()} cores · "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    print("| file | diag metrics s | peak MB | reference s | peak MB | ratio | load | figures agree "
          "| fit on all customers |")
    print("|---|---:|---:|---:|---:|---:|---|---|---|")
    results = []
    for n in args.orders:
        for variant in args.variant:
            for fmt in args.format:
                path = write(n, variant, fmt).relative_to(ROOT)
                runs, loads = [], []
                for _ in range(args.repeat):
                    loads.append(round(os.getloadavg()[0], 1))
                    with open(ROOT / path, "rb") as fh:      # warm the page cache for both
                        while fh.read(1 << 24):
                            pass
                    d = timed([str(BIN / "diag"), "metrics", str(path), "--format", "json"])
                    r = timed([str(BIN / "python"), str(HERE / "reference.py"), str(path)])
                    runs.append((d, r))
                d_best = min(runs, key=lambda x: x[0][0])[0]
                r_best = min(runs, key=lambda x: x[1][0])[1]
                bad = agree(json.loads(d_best[2]), json.loads(r_best[2]))
                ratios = [round(r[0] / d[0], 2) for d, r in runs]
                fit = None if args.no_fit else json.loads(
                    timed([str(BIN / "python"), str(HERE / "fit.py"), str(path)])[2])
                row = {"file": str(path), "diag_s": d_best[0], "diag_mb": round(d_best[1]),
                       "ref_s": r_best[0], "ref_mb": round(r_best[1]), "ratio": round(r_best[0] / d_best[0], 2),
                       "pair_ratios": ratios, "loads": loads, "agree": not bad, "diffs": bad, "fit": fit,
                       "sample_fit_iterations": _iterations(json.loads(d_best[2])),
                       "all_runs": [[d[0], round(d[1]), r[0], round(r[1])] for d, r in runs]}
                results.append(row)
                print(f"| {path.name} | {row['diag_s']:.2f} | {row['diag_mb']} | {row['ref_s']:.2f} | "
                      f"{row['ref_mb']} | {row['ratio']:.2f}× (pairs {', '.join(map(str, ratios))}) | "
                      f"{', '.join(map(str, loads))} | {'yes' if not bad else '; '.join(bad)} | "
                      f"{_fit_text(fit)} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
