"""Time the BG/NBD and Gamma-Gamma fits on every customer of an orders file.

    .venv/bin/python bench/fit.py FILE       # prints JSON: customers, seconds, iterations

The file is read by the kit's own reader and summarised per customer as ``diag metrics``
does (frequency, recency, T, mean repeat spend); then :func:`diag.areas.clv.fit_bgnbd`
and :func:`~diag.areas.clv.fit_gamma_gamma` run on *all* customers (``diag metrics``
itself fits on a seeded sample).  Only the fits are timed, each from its summary frame
(compression included): wall seconds and CPU seconds of this process (on a shared,
overloaded machine the CPU time is the steadier figure).
"""

from __future__ import annotations

import json
import sys
import time

import scipy.optimize  # noqa: F401 - imported before the clock starts (≈ 0.3 s, once per process)

from diag.areas import clv, people
from diag.areas.metrics import clv_summary_sql
from diag.readers.orders import as_of_default, connect, load


def main(path: str) -> dict:
    con = connect()
    load(con, path, lean=True)
    con.execute("CREATE VIEW valid_orders AS SELECT * FROM orders WHERE NOT excluded")
    as_of = as_of_default(con)
    people.build(con, "valid_orders", as_of)
    summary = con.execute(clv_summary_sql(as_of)).df()
    con.close()
    out: dict = {"customers": len(summary), "repeaters": int((summary["frequency"] > 0).sum())}
    for name, fit in (("bgnbd", clv.fit_bgnbd), ("gamma_gamma", clv.fit_gamma_gamma)):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            model = fit(summary)
            conv = model.convergence
            out[name] = {"seconds": round(time.perf_counter() - start, 3),
                         "cpu_seconds": round(time.process_time() - cpu, 3), "params": model.params(),
                         "iterations": conv.iterations, "evaluations": conv.evaluations,
                         "converged": conv.converged, "at_boundary": list(conv.at_boundary)}
        except clv.ModelNotFitted as exc:
            out[name] = {"seconds": round(time.perf_counter() - start, 3),
                         "cpu_seconds": round(time.process_time() - cpu, 3), "not_fitted": exc.reason}
    for key in ("seconds", "cpu_seconds"):
        out[f"fit_{key}"] = round(out["bgnbd"][key] + out["gamma_gamma"][key], 3)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))
