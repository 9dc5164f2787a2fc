"""Shared fixtures: seeded data, temporary run folders, figures closed after each test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CDNOW = SHARED / "data" / "cdnow"
DEMO_BRIEF = ROOT / "briefs" / "xiaobei-muying.yaml"


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


def _run_demo(tmp_path_factory: pytest.TempPathFactory, lang: str) -> Path:
    from diag.run.client import run_client

    if not DEMO_BRIEF.exists():
        pytest.fail(f"demo brief missing: {DEMO_BRIEF}")
    result = run_client(DEMO_BRIEF, tmp_path_factory.mktemp(f"demo-{lang}"), lang=lang)
    assert result.report is not None and result.report.exists()
    return result.report.parent


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the run folder of the demo client xiaobei-muying, run once in Chinese (shared, read only)."""
    return _run_demo(tmp_path_factory, "zh")


@pytest.fixture(scope="session")
def english_demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the run folder of the same demo client run once with ``--lang en`` (shared, read only)."""
    return _run_demo(tmp_path_factory, "en")
