"""Time the live page: start-up, the engine behind the API, and a lever move to the redrawn page.

    .venv/bin/python bench/live.py --out outputs briefs/xiaobei-muying.yaml briefs/mujia-jiaju.yaml
    .venv/bin/python bench/live.py --out outputs --moves 200 briefs/*.yaml

Each brief must have been run into ``--out`` (``make demo``).  Per client, in one run:

- start-up: ``diag live`` as a fresh process until it prints its URL (the page answers), ``--starts`` times;
- API: ``POST /api/compute`` with random lever values inside each slider's span, ``--moves`` times;
- page: in Chromium (``/usr/bin/chromium``, 1280×720), a slider's value is set and its
  ``input`` event fired, and the time until the 12-month GMV on the page shows the new
  answer is taken inside the page (``performance.now()``), ``--moves`` times over
  alternating levers.  The issue's target is 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

MOVE = """async ([key, value]) => {
  const input = document.querySelector(`.lever[data-key="${key}"] input`);
  const target = document.getElementById("projected-total");
  const before = target.dataset.value;
  const t0 = performance.now();
  input.value = value;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  const wanted = String(parseFloat(input.value));
  await new Promise((done) => {
    const check = () => (window.diagLive.idle() && window.diagLive.state.applied[key] === parseFloat(wanted))
      ? done() : requestAnimationFrame(check);
    check();
  });
  return [performance.now() - t0, before !== target.dataset.value];
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(brief: Path, out: Path) -> tuple[subprocess.Popen, str, float]:
    """Return (process, URL, seconds until the URL was printed)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "diag"), "live", str(brief), "--out", str(out),
                             "--port", str(free_port())], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in proc.stdout:  # type: ignore[union-attr]
        if "http://127.0.0.1:" in line:
            return proc, line[line.index("http://"):].split()[0], time.perf_counter() - t0
    raise SystemExit(f"diag live {brief} printed no URL (exit {proc.wait()})")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(30)
    if proc.stdout:
        proc.stdout.close()


def quantiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"


def bench(brief: Path, out: Path, starts: int, moves: int, rng: random.Random) -> dict:
    times = []
    for _ in range(starts):
        proc, url, secs = start(brief, out)
        times.append(secs)
        stop(proc)
    proc, url, _ = start(brief, out)
    try:
        session = json.loads(urllib.request.urlopen(url + "api/session", timeout=30).read())
        sliders = session["sliders"]
        api = []
        for _ in range(moves):
            values = {s["key"]: rng.uniform(s["min"], s["max"]) for s in sliders}
            values["frequency"] = max(1.0, values["frequency"])
            body = json.dumps({"levers": values}).encode("utf-8")
            t0 = time.perf_counter()
            urllib.request.urlopen(urllib.request.Request(url + "api/compute", data=body, method="POST"),
                                   timeout=30).read()
            api.append((time.perf_counter() - t0) * 1000)
        page_ms, changed = [], 0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']")
            for i in range(moves):
                s = sliders[i % len(sliders)]
                value = s["min"] + (s["max"] - s["min"]) * rng.random()
                ms, moved = page.evaluate(MOVE, [s["key"], value])
                page_ms.append(ms)
                changed += bool(moved)
            browser.close()
    finally:
        stop(proc)
    return {"client": session["client"], "orders": session["baseline"]["orders"], "start_s": times,
            "api_ms": api, "page_ms": page_ms, "changed": changed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("briefs", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "outputs")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--moves", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(13)
    print(f"load average at start: {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}")
    for brief in args.briefs:
        r = bench(brief.resolve(), args.out.resolve(), args.starts, args.moves, rng)
        print(f"\n{r['client']} ({r['orders']:,} orders)")
        print(f"  start-up to URL: best {min(r['start_s']):.2f} s, median {statistics.median(r['start_s']):.2f} s"
              f" over {len(r['start_s'])} starts")
        print(f"  POST /api/compute: {quantiles(r['api_ms'])} over {len(r['api_ms'])} requests")
        print(f"  lever move → page redrawn: {quantiles(r['page_ms'])} over {len(r['page_ms'])} moves "
              f"({r['changed']} changed the 12-month GMV)")


if __name__ == "__main__":
    main()
