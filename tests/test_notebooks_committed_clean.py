"""Committed notebooks carry no outputs, no execution counts, and one parameters cell."""

from pathlib import Path

import nbformat
import pytest

from diag import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def test_the_consulting_flow_has_its_four_notebooks_and_the_chains_store_comparison():
    from diag.run.client import NOTEBOOKS as FLOW
    from diag.run.client import STORES_NOTEBOOK

    assert [p.stem for p in NOTEBOOKS] == [*FLOW, STORES_NOTEBOOK]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_committed_notebook_has_no_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_has_exactly_one_parameters_cell_with_plain_values(path: Path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("brief_path", "run_dir", "lang"):
        assert f"{name} = " in tagged[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_reads_every_line_of_the_parameters_cell(path: Path, caplog):
    import ast
    import logging

    from papermill.translators import PythonTranslator

    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    with caplog.at_level(logging.WARNING, logger="papermill"):
        found = {p.name for p in PythonTranslator().inspect(cell)}
    assert not [r for r in caplog.records if "Unable to parse" in r.getMessage()]
    assigned = {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                for t in node.targets}
    assert found == assigned


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_defines_no_functions_or_classes(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "def " not in cell.source and "class " not in cell.source, path.name
