"""Notebooks hold no Chinese string literals outside markdown cells: their texts come from the catalogues."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CJK = re.compile(r"[\u3400-\u9fff]")
# Metric labels and definitions passed to Recorder.number move into diag/catalog.py with the metric catalogue.
METRIC_WORDING = {"label", "definition", "unit"}


def chinese_literals(source: str) -> list[str]:
    """Return the string literals of ``source`` that hold Chinese, metric wording left aside."""
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "number":
            for keyword in node.keywords:
                if keyword.arg in METRIC_WORDING:
                    exempt.update(id(n) for n in ast.walk(keyword.value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt
            and CJK.search(node.value)]


@pytest.mark.parametrize("name", ["01_intake", "04_strategy", "05_stores"])
def test_a_notebooks_code_cells_hold_no_chinese_string_literals(name: str):
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    found = [text for cell in notebook.cells if cell.cell_type == "code"
             for text in chinese_literals(cell.source)]
    assert found == [], f"{name}: Chinese literals belong in diag/messages/*.yaml: {found}"


def test_the_check_sees_chinese_in_plain_and_formatted_strings_but_not_in_comments():
    source = 'rec.heading("门店排名")  # 注释\nrec.text(f"共 {n} 家")\nrec.number("k", 1, label="门店数")\n'
    assert chinese_literals(source) == ["门店排名", "共 ", " 家"]
