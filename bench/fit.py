"""Time the BG/NBD and Gamma-Gamma fits on every customer of an orders file.

    .venv/bin/python bench/fit.py FILE [--repeat N]   # prints JSON: customers, seconds, iterations

The file is read by the kit's own reader and summarised per customer as ``diag metrics``
does (frequency, recency, T, mean repeat spend); then :func:`diag.areas.clv.fit_bgnbd`
and :func:`~diag.areas.clv.fit_gamma_gamma` run on *all* customers (``diag metrics``
itself fits on a seeded sample).  Only the fits are timed, each from its summary frame
(compression included): wall seconds and CPU seconds of this process (on a shared,
overloaded machine the CPU time is the steadier figure).  ``--repeat N`` fits N times on
the one summary (the file is read once) and reports every run with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

import pandas as pd
import scipy.optimize  # noqa: F401 - imported before the clock starts (≈ 0.3 s, once per process)

from diag.areas import clv, people
from diag.areas.metrics import clv_summary_sql
from diag.readers.orders import as_of_default, connect, load


def summary_of(path: str) -> pd.DataFrame:
    """Return the per-customer summary ``diag metrics`` fits on, of the orders file ``path``."""
    con = connect()
    load(con, path, lean=True)
    con.execute("CREATE VIEW valid_orders AS SELECT * FROM orders WHERE NOT excluded")
    as_of = as_of_default(con)
    people.build(con, "valid_orders", as_of)
    summary = con.execute(clv_summary_sql(as_of)).df()
    con.close()
    return summary


def time_fits(summary: pd.DataFrame) -> dict[str, Any]:
    """Return wall and CPU seconds, parameters and iterations of both fits on ``summary``."""
    out: dict[str, Any] = {"load_average": round(os.getloadavg()[0], 2)}
    for name, fit in (("bgnbd", clv.fit_bgnbd), ("gamma_gamma", clv.fit_gamma_gamma)):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            model = fit(summary)
            conv = model.convergence
            out[name] = {"seconds": round(time.perf_counter() - start, 3),
                         "cpu_seconds": round(time.process_time() - cpu, 3), "params": model.params(),
                         "iterations": conv.iterations if conv else None,
                         "evaluations": conv.evaluations if conv else None,
                         "converged": conv.converged if conv else None,
                         "at_boundary": list(conv.at_boundary) if conv else []}
        except clv.ModelNotFitted as exc:
            out[name] = {"seconds": round(time.perf_counter() - start, 3),
                         "cpu_seconds": round(time.process_time() - cpu, 3), "not_fitted": exc.reason}
    for key in ("seconds", "cpu_seconds"):
        out[f"fit_{key}"] = round(out["bgnbd"][key] + out["gamma_gamma"][key], 3)
    return out


def main(path: str, repeat: int = 1) -> dict[str, Any]:
    """Return the customers of ``path`` and the timing of ``repeat`` fits (one dict per run)."""
    summary = summary_of(path)
    out: dict[str, Any] = {"file": os.path.basename(path), "customers": len(summary),
                           "repeaters": int((summary["frequency"] > 0).sum())}
    runs = [time_fits(summary) for _ in range(repeat)]
    return {**out, **runs[0]} if repeat == 1 else {**out, "runs": runs}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--repeat", type=int, default=1, help="fits on the one summary (default 1)")
    args = parser.parse_args()
    print(json.dumps(main(args.file, max(1, args.repeat)), ensure_ascii=False))
