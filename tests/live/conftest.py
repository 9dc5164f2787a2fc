"""The live-session tests' client, analysed once by ``diag live`` itself (it has no results at first)."""

from __future__ import annotations

import shutil

import pytest
from live_helpers import free_port, start_live, write_client


@pytest.fixture(scope="session")
def first_session(tmp_path_factory):
    """``diag live`` on a client with no results yet: it runs the analysis, then serves."""
    folder = tmp_path_factory.mktemp("live-client")
    brief = write_client(folder)
    out = folder / "out"
    live = start_live(brief, out, free_port())
    try:
        assert live.url, f"diag live printed no URL: {live.out} {live.stderr()}"
        yield brief, out, live
    finally:
        if live.process.poll() is None:
            live.stop()


@pytest.fixture
def live_client(first_session, tmp_path):
    """Return (brief, out folder) with the analysed client copied into this test's own folder."""
    brief, out, _live = first_session
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    return brief, copy
