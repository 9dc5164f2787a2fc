"""One definition per metric: the catalogue covers every recorded number, and a run records each value once."""

from __future__ import annotations

import ast
import functools
import importlib
import json
import re
from pathlib import Path
from typing import Any, Iterator

import docx
import pytest

from diag import catalog, paths
from diag.areas import review
from diag.errors import UsageError
from diag.record import Recorder, merge_results

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


# -- the catalogue itself ---------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(catalog.METRICS))
def test_every_metric_names_a_function_that_exists_and_reads_in_both_languages(key):
    m = catalog.metric(key)
    module, function = m.computed_in.rsplit(".", 1)
    assert callable(getattr(importlib.import_module(module), function)), m.computed_in
    assert m.direction in catalog.DIRECTIONS and m.driver in catalog.DRIVERS
    assert m.label_zh and m.definition_zh and m.label_en and m.definition_en
    assert not CJK.search(m.label_en + m.definition_en), "the English label and definition are English"
    assert m.fmt.format(1.5) and m.unit_in("en") is not None


def test_the_reply_time_definition_says_the_days_are_weighted_by_replied_chats():
    assert "replied chats" in catalog.definition("avg_reply_minutes", "en")
    assert "已回复聊天数" in catalog.definition("avg_reply_minutes")


def test_the_repurchase_rate_is_worded_once_wherever_it_is_printed():
    from diag.areas.metrics import format_table

    metrics = {"orders": 3, "excluded_orders": 0, "customers": 2, "gmv": 30.0, "aov": 10.0,
               "orders_per_customer": 1.5, "purchase_days_per_customer": 1.5, "repurchase_rate": 0.5,
               "median_repurchase_days": 3.0, "first_date": "2025-01-01", "last_date": "2025-01-04",
               "as_of": "2025-01-05", "rfm_segments": {}, "monthly": [], "cohort_retention": {}, "clv": {}}
    assert catalog.definition("repurchase_rate") in format_table(metrics)


# -- recording --------------------------------------------------------------------------------

def test_a_recorded_number_takes_label_unit_format_and_definition_from_the_catalogue(tmp_path):
    rec = Recorder(tmp_path, "diagnosis", "诊断", show=False)
    rec.number("purchases_per_year", 1.58)
    block = rec.blocks[-1]
    assert (block["label"], block["unit"], block["fmt"], block["definition"]) == (
        "年均购买次数", "次", "{:,.2f}", catalog.definition("purchases_per_year"))
    english = Recorder(tmp_path / "en", "diagnosis", "Diagnosis", show=False, lang="en")
    english.number("purchases_per_year", 1.58)
    assert english.blocks[-1]["label"] == "Purchases per year"


def test_recording_a_number_the_catalogue_does_not_know_is_refused(tmp_path):
    rec = Recorder(tmp_path, "diagnosis", "诊断", show=False)
    with pytest.raises(UsageError, match="not in the metric catalogue"):
        rec.number("made_up_rate", 0.5)


def test_the_appendix_lists_a_metric_recorded_in_two_sections_once(tmp_path):
    from diag.report import build_report

    for section in ("diagnosis", "strategy"):
        Recorder(tmp_path, section, section, show=False).number("purchases_per_year", 1.58)
    merge_results(tmp_path, {"client": {"name": "测试", "industry": "母婴"}})
    document = docx.Document(str(build_report(tmp_path)))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    appendix = [r for r in rows if catalog.definition("purchases_per_year") in r and len(r) == 3
                and r[1] == "年均购买次数" and r[0] in ("diagnosis", "strategy")]
    assert len(appendix) == 1


# -- every recorded key is in the catalogue ---------------------------------------------------

def _number_calls(tree: ast.AST) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
    """Yield each ``rec.number(...)`` call with the ``for`` loops enclosing it."""
    def walk(node: ast.AST, parents: list[ast.AST]) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "number"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "rec"):
            yield node, parents
        inner = [*parents, node] if isinstance(node, ast.For) else parents  # only loops name keys
        for child in ast.iter_child_nodes(node):
            yield from walk(child, inner)
    yield from walk(tree, [])


def _keys(call: ast.Call, parents: list[ast.AST]) -> list[str]:
    """Return the keys a ``rec.number`` call can record (literal, f-string prefix or loop over literals)."""
    first = call.args[0]
    if isinstance(first, ast.Constant):
        return [first.value]
    if isinstance(first, ast.JoinedStr):
        prefix = "".join(v.value for v in first.values if isinstance(v, ast.Constant))
        assert prefix == "review_", ast.unparse(first)
        return [f"review_{rate}" for rate in review.RATES]
    assert isinstance(first, ast.Name), ast.unparse(first)
    loops = [p for p in parents if isinstance(p, ast.For) and isinstance(p.target, ast.Name)
             and p.target.id == first.id and isinstance(p.iter, ast.Tuple)]
    assert loops, f"cannot tell which keys {ast.unparse(call)} records"
    return [e.value for e in loops[-1].iter.elts]


@functools.lru_cache(maxsize=1)
def _recorded_keys() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            for call, parents in _number_calls(ast.parse(source)):
                found.setdefault(notebook.name, set()).update(_keys(call, parents))
    for module in sorted((ROOT / "diag").rglob("*.py")):
        for call, parents in _number_calls(ast.parse(module.read_text(encoding="utf-8"))):
            found.setdefault(str(module.relative_to(ROOT)), set()).update(_keys(call, parents))
    return found


def test_every_key_a_notebook_or_the_kit_records_as_a_number_is_in_the_catalogue():
    found = _recorded_keys()
    assert {"02_journey.ipynb", "03_diagnosis.ipynb", "04_strategy.ipynb"} <= set(found)
    missing = {where: sorted(keys - set(catalog.METRICS)) for where, keys in found.items()
               if keys - set(catalog.METRICS)}
    assert not missing


def test_the_journey_no_longer_records_the_repurchase_rate_a_second_time():
    assert "first_to_repeat_conversion" not in _recorded_keys()["02_journey.ipynb"]
    assert "first_to_repeat_conversion" not in catalog.METRICS


# -- demo runs: each metric recorded with one value -------------------------------------------

def _values(results: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """Yield (key, where, value) for every catalogue metric a results.json holds as a number.

    Numbers come from number blocks and from the sections' data (top level and one level
    down, e.g. ``data.wecom_summary.avg_reply_minutes``).
    """
    def scalar(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    for name, section in results["sections"].items():
        for block in section["blocks"]:
            if block["kind"] == "number":
                yield block["key"], f"{name} number", block["value"]
        for key, value in section["data"].items():
            if catalog.known(key) and scalar(value):
                yield key, f"{name}.data", value
            if isinstance(value, dict):
                for inner, v in value.items():
                    if catalog.known(inner) and scalar(v):
                        yield inner, f"{name}.data.{key}", v


def test_every_number_of_every_demo_run_is_in_the_catalogue(demo_runs):
    for slug, run in demo_runs.items():
        results = json.loads((run / "results.json").read_text(encoding="utf-8"))
        keys = {b["key"] for s in results["sections"].values() for b in s["blocks"] if b["kind"] == "number"}
        assert keys and keys <= set(catalog.METRICS), (slug, sorted(keys - set(catalog.METRICS)))


def test_no_metric_is_recorded_with_two_different_values_in_one_demo_run(demo_runs):
    checked = 0
    for slug, run in demo_runs.items():
        results = json.loads((run / "results.json").read_text(encoding="utf-8"))
        seen: dict[str, tuple[str, Any]] = {}
        for key, where, value in _values(results):
            if key in seen and value is not None and seen[key][1] is not None:
                assert value == pytest.approx(seen[key][1], rel=1e-9), (slug, key, seen[key], (where, value))
            seen.setdefault(key, (where, value))
            checked += 1
    assert checked > 50


def test_the_wecom_reply_time_of_the_demo_client_is_one_figure_across_check_and_diagnosis(demo_runs):
    results = json.loads((demo_runs["xiaobei-muying"] / "results.json").read_text(encoding="utf-8"))
    recorded = {where: value for key, where, value in _values(results) if key == "avg_reply_minutes"}
    assert {"intake.data.wecom_summary", "diagnosis number"} <= set(recorded)
    assert len({round(v, 9) for v in recorded.values()}) == 1


def test_the_demo_briefs_are_the_ones_the_runs_cover(demo_runs):
    assert {p.stem for p in paths.BRIEFS.glob("*.yaml")} == set(demo_runs)
