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
