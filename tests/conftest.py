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


@pytest.fixture
def cdnow_dir() -> Path:
    if not CDNOW.is_dir():
        pytest.skip("../shared/data/cdnow is not beside the project")
    return CDNOW


@pytest.fixture(scope="session")
def english_demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the run folder of the muying demo client run with ``--lang en`` (once per session)."""
    from diag import paths
    from diag.run.client import run_client

    result = run_client(paths.BRIEFS / "xiaobei-muying.yaml", tmp_path_factory.mktemp("english"), lang="en",
                        use_since=False)
    assert result.report is not None and result.report.exists()
    return result.report.parent
