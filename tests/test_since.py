"""The earlier run a diagnosis is compared with: found, copied before the swap, read back."""

from __future__ import annotations

import json

import pytest

from diag.errors import DataError, UsageError
from diag.privacy import Scrubber
from diag.run import since


def _run(folder, payload="{}"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(payload, encoding="utf-8")
    return folder


def test_the_default_previous_is_the_same_clients_report_in_the_output_folder(tmp_path):
    assert since.find_previous("shop", tmp_path) == (None, False)
    _run(tmp_path / "shop")
    assert since.find_previous("shop", tmp_path) == (tmp_path / "shop" / "results.json", False)
    assert since.find_previous("shop", tmp_path, use=False) == (None, False)


def test_since_may_name_a_run_folder_a_batch_output_folder_or_the_file(tmp_path):
    run = _run(tmp_path / "old" / "shop")
    found = (run / "results.json").resolve(), True
    assert since.find_previous("shop", tmp_path, run) == found
    assert since.find_previous("shop", tmp_path, tmp_path / "old") == found
    assert since.find_previous("shop", tmp_path, run / "results.json") == found
    with pytest.raises(UsageError, match="no such earlier run folder"):
        since.find_previous("shop", tmp_path, tmp_path / "missing")
    with pytest.raises(UsageError, match="expected an earlier run folder"):
        since.find_previous("other", tmp_path, tmp_path / "old")


def test_staging_copies_the_earlier_results_masked_and_skips_a_damaged_default(tmp_path):
    old = _run(tmp_path / "old", json.dumps({"meta": {}, "sections": {"x": {"note": "客户 13800138000 来电"}}}))
    work = tmp_path / "work"
    assert since.stage(old / "results.json", work, strict=True, clean=Scrubber().data) is None
    copied = since.load_previous(work)
    assert "13800138000" not in json.dumps(copied, ensure_ascii=False)
    assert copied["meta"]["compared_from"] == str(old / "results.json")
    bad = _run(tmp_path / "bad", "[1, 2")
    assert since.stage(bad / "results.json", tmp_path / "w2", strict=False).startswith("提示: 上次的结果无法读取")
    assert not since.has_previous(tmp_path / "w2")
    with pytest.raises(DataError, match="cannot read the earlier results"):
        since.stage(bad / "results.json", tmp_path / "w3", strict=True)
    listed = _run(tmp_path / "list", "[]")
    with pytest.raises(DataError, match="expected a results object"):
        since.stage(listed / "results.json", tmp_path / "w4", strict=True)
