"""One loader for a brief's files, and the run's cache that hands its result to every notebook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from diag import paths
from diag.brief.model import load_brief
from diag.readers import load

BRIEFS = sorted(paths.BRIEFS.glob("*.yaml"))


def assert_same_data(got: load.BriefData, want: load.BriefData) -> None:
    pd.testing.assert_frame_equal(got.orders.orders, want.orders.orders)
    pd.testing.assert_frame_equal(got.orders.lines, want.orders.lines)
    assert got.orders.quality == want.orders.quality
    assert got.orders.as_of == want.orders.as_of
    for name in ("contacts", "groups", "customers", "campaigns"):
        if getattr(want, name) is None:
            assert getattr(got, name) is None, name
        else:
            pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), obj=name)
    pd.testing.assert_frame_equal(got.inventory, want.inventory, check_dtype=False)


@pytest.mark.slow
@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.stem)
def test_the_cache_gives_back_exactly_what_the_readers_read(path: Path, tmp_path):
    brief = load_brief(path)
    read = load.load_data(brief)
    folder = load.write_cache(brief, read, tmp_path)
    assert_same_data(load.cached(brief, folder), read)


@pytest.mark.slow
def test_a_notebook_run_by_hand_without_a_cache_reads_the_briefs_files():
    brief = load_brief(BRIEFS[0])
    assert_same_data(load.cached(brief, None), load.load_data(brief))


@pytest.mark.slow
def test_a_cache_made_for_other_files_is_not_used(tmp_path, monkeypatch):
    brief = load_brief(paths.BRIEFS / "xiaobei-muying.yaml")
    folder = load.write_cache(brief, load.load_data(brief), tmp_path)
    edited = brief.model_copy(update={"data": brief.data.model_copy(update={"campaigns": None})})
    calls = []
    monkeypatch.setattr(load, "load_data", lambda b: calls.append(b) or "read again")
    assert load.cached(edited, folder) == "read again" and calls == [edited]


def test_the_cache_is_named_by_the_orders_files_content(tmp_path):
    brief = load_brief(paths.BRIEFS / "xiaobei-muying.yaml")
    orders = tmp_path / "orders.csv"
    orders.write_bytes(brief.data_path("orders").read_bytes())
    moved = brief.model_copy(update={"data": brief.data.model_copy(update={"orders": str(orders)})})
    before = load.cache_key(moved)
    orders.write_bytes(orders.read_bytes() + b"\n")
    assert load.cache_key(moved) != before
    import hashlib

    assert load.cache_key(moved, hashlib.sha256(orders.read_bytes()).hexdigest()) == load.cache_key(moved)
