"""The in-process floor of a batch: the notebooks' ``diag`` calls made directly, no kernel.

    .venv/bin/python bench/floor.py BRIEFS_DIR OUT_DIR      # every brief, one process
    .venv/bin/python bench/floor.py --report-only BRIEF RUN_DIR

Each code cell of the four notebooks is ``exec``-ed in a fresh namespace holding the
parameters (as a fresh kernel would see them), loading the run's data cache as a run
does; then the recorded results are merged and the report built, as a run does.
``--report-only`` does only that last step (after papermill has run the notebooks).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from diag import paths  # noqa: E402
from diag.files import write_atomic  # noqa: E402
from diag.readers import orders  # noqa: E402
from diag.readers.load import write_cache  # noqa: E402
from diag.record import merge_results  # noqa: E402
from diag.report import build_report  # noqa: E402
from diag.run.client import CACHE, NOTEBOOKS, _meta, prepare  # noqa: E402


def finish(brief_path: Path, work: Path, prepared: tuple | None = None) -> None:
    """Merge the recorded sections (scrubbed) and build the report, as a run does."""
    brief, scrub, _data = prepared or prepare(brief_path)
    for part in (work / "results").glob("*.json"):
        data = scrub.data(json.loads(part.read_text(encoding="utf-8")))
        write_atomic(part, json.dumps(data, ensure_ascii=False, indent=1))
    merge_results(work, _meta(brief, brief_path, "zh"))
    build_report(work, lang="zh")


def client(brief_path: Path, out: Path) -> None:
    """Run one client's notebooks' code in this process, then its report."""
    import matplotlib.pyplot as plt

    prepared = prepare(brief_path)
    work = out / prepared[0].slug
    work.mkdir(parents=True, exist_ok=True)
    cache = write_cache(prepared[0], prepared[2], work / CACHE)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        for name in NOTEBOOKS:
            nb = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
            namespace = {"__name__": "__main__"}
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                exec(compile(cell.source, f"{name}.ipynb", "exec"), namespace)
                if "parameters" in cell.metadata.get("tags", []):
                    namespace.update(brief_path=str(brief_path), run_dir=str(work), lang="zh", data_cache=str(cache))
            plt.close("all")
    finally:
        os.chdir(cwd)
    import shutil

    shutil.rmtree(cache.parent)
    finish(brief_path, work, prepared)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--report-only"]:
        finish(Path(argv[1]).resolve(), Path(argv[2]).resolve())
        return 0
    orders.enable_cache()
    folder, out = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    for brief in sorted(folder.glob("*.yaml")):
        client(brief, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
