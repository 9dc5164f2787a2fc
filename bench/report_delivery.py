"""What the delivered report costs: ``diag report RUN_DIR`` without LibreOffice, with the
contents' page numbers counted by LibreOffice, and with ``--pdf`` as well.

Each mode runs as a fresh ``diag report`` process, in alternating rounds on the same run
folders, so the shared machine's noise falls on every mode alike::

    .venv/bin/python bench/report_delivery.py outputs/laomian-canyin outputs/xiaobei-muying --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODES = {"docx only (DIAG_SOFFICE=off)": ([], {"DIAG_SOFFICE": "off"}),
         "docx + page numbers": ([], {}),
         "docx + page numbers + --pdf": (["--pdf"], {})}


def _pages(run: Path) -> int:
    pdf = run / "report.pdf"
    if not pdf.exists() or shutil.which("pdfinfo") is None:
        return 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="run folders (results.json + figures/)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    diag = Path(sys.executable).with_name("diag")
    times: dict[tuple[str, str], list[float]] = {}
    pages: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for run in args.runs:
            copy = Path(tmp) / run.name
            shutil.copytree(run, copy, ignore=shutil.ignore_patterns("notebooks", "report.*"))
            copies.append(copy)
        for _ in range(args.repeat):
            for copy in copies:
                for mode, (extra, env) in MODES.items():
                    started = time.perf_counter()
                    subprocess.run([str(diag), "report", str(copy), *extra], check=True,
                                   env={**os.environ, **env}, stdout=subprocess.DEVNULL)
                    times.setdefault((copy.name, mode), []).append(time.perf_counter() - started)
                pages[copy.name] = _pages(copy)
    print(f"| run | pages | {' | '.join(MODES)} |")
    print("|---|---|" + "---|" * len(MODES))
    for copy in copies:
        cells = [f"{statistics.median(times[(copy.name, m)]):.1f} s" for m in MODES]
        print(f"| {copy.name} | {pages[copy.name]} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
