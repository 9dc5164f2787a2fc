"""Notebooks hold no Chinese in their code: report texts come from the message catalogues.

Markdown cells may be Chinese: they are the consultant's narrative. The label, unit and
definition of a ``rec.number`` call belong to the metric catalogue (issue 10, item 1) and
are left to it.
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from diag import paths

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
#: Notebooks whose code cells take every reader-facing text from diag/messages.
NOTEBOOKS = ["01_intake", "02_journey", "03_diagnosis", "03b_review", "04_strategy", "05_stores"]
METRIC_ARGUMENTS = {"label", "unit", "definition"}


def _metric_argument_ids(tree: ast.AST) -> set[int]:
    """Return the ids of the string nodes inside ``rec.number(..., label=, unit=, definition=)``."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "number":
            for keyword in node.keywords:
                if keyword.arg in METRIC_ARGUMENTS:
                    out.update(id(n) for n in ast.walk(keyword.value))
    return out


def chinese_literals(source: str) -> list[str]:
    """Return the string literals of ``source`` holding Chinese characters or punctuation."""
    tree = ast.parse(source)
    exempt = _metric_argument_ids(tree)
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt
            and CJK.search(node.value)]


def test_the_check_finds_chinese_in_strings_and_f_strings_but_not_in_metric_labels():
    source = 'rec.text(f"共 {n} 笔")\nrec.number("gmv", 1, label="GMV 总额", definition="之和")\nx = "ok"'
    assert sorted(chinese_literals(source)) == [" 笔", "共 "]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_code_cells_hold_no_chinese_string_literals(name: str):
    notebook = json.loads((paths.NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    found = [(i, text) for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"
             for text in chinese_literals("".join(cell["source"]))]
    assert found == [], f"{name}: Chinese string literals in code cells (cell, text): {found}"
