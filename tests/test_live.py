"""The live session prepares the client's notebooks, parameterized, without running them."""

import nbformat
import pytest

from diag import paths
from diag.cli import main
from diag.live.session import prepare_session


@pytest.mark.slow
def test_a_live_session_holds_the_flows_notebooks_with_the_clients_parameters(tmp_path):
    brief = paths.BRIEFS / "laomian-canyin.yaml"
    folder = prepare_session(brief, root=tmp_path)
    names = sorted(p.stem for p in folder.glob("*.ipynb"))
    assert names == ["01_intake", "02_journey", "03_diagnosis", "03b_review", "04_strategy"]
    nb = nbformat.read(folder / "03_diagnosis.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and str(brief.resolve()) in injected[0].source
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")
    intake = nbformat.read(folder / "01_intake.ipynb", as_version=4)
    injected = [c for c in intake.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "interactive = True" in injected[0].source          # the form opens live, not in batch runs


def test_a_port_out_of_range_is_bad_input(capsys):
    assert main(["live", str(paths.BRIEFS / "laomian-canyin.yaml"), "--port", "80"]) == 2
    assert capsys.readouterr().err.startswith("error: --port: expected a port")
