"""Shared fixtures: seeded data, temporary run folders, figures closed after each test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CDNOW = SHARED / "data" / "cdnow"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


#: The bundled demo clients (briefs/<slug>.yaml), one per industry.
DEMO_SLUGS = ("xiaobei-muying", "laomian-canyin", "mujia-jiaju", "qinghe-meizhuang")


@pytest.fixture(scope="session")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run every demo client once per session, as ``diag run`` does; return slug → run folder."""
    from diag import paths
    from diag.run.client import run_client

    out = tmp_path_factory.mktemp("demo-runs")
    runs = {}
    for slug in DEMO_SLUGS:
        result = run_client(paths.BRIEFS / f"{slug}.yaml", out)
        assert result.report is not None and result.report.exists()
        runs[slug] = result.report.parent
    return runs


@pytest.fixture
def cdnow_dir() -> Path:
    if not CDNOW.is_dir():
        pytest.skip("../shared/data/cdnow is not beside the project")
    return CDNOW
