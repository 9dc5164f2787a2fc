"""Shared fixtures: seeded data, temporary run folders, figures closed after each test."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# jsonschema (under nbformat) registers an "iri" format check when rfc3987_syntax is importable,
# whose import compiles an Earley grammar: ~4 s of every test process.  No notebook schema
# checks that format, so the tests leave it out (jsonschema skips a checker it cannot import).
sys.modules.setdefault("rfc3987_syntax", None)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CDNOW = SHARED / "data" / "cdnow"
DEMO_BRIEF = ROOT / "briefs" / "xiaobei-muying.yaml"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


#: The bundled demo clients (briefs/<slug>.yaml), one per industry.
DEMO_SLUGS = ("xiaobei-muying", "laomian-canyin", "mujia-jiaju", "qinghe-meizhuang")


@pytest.fixture(scope="session")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run every demo client once per session, as ``diag run`` does; return slug → run folder."""
    from diag import paths
    from diag.run.client import run_client

    out = tmp_path_factory.mktemp("demo-runs")
    runs = {}
    for slug in DEMO_SLUGS:
        result = run_client(paths.BRIEFS / f"{slug}.yaml", out)
        assert result.report is not None and result.report.exists()
        runs[slug] = result.report.parent
    return runs


@pytest.fixture
def cdnow_dir() -> Path:
    if not CDNOW.is_dir():
        pytest.skip("../shared/data/cdnow is not beside the project")
    return CDNOW


#: How often the Chinese demo run's reader parsed its orders file, and how many notebooks ran.
_DEMO_READS: dict[str, int] = {}


def _count_reads(patch: pytest.MonkeyPatch, orders_file: Path, counts: dict[str, int]) -> None:
    """Count the reader's parses and the notebooks in ``counts``; move ``orders_file`` away while each notebook runs."""
    from diag.readers import orders as orders_reader
    from diag.run import client

    real_load, real_execute = orders_reader.load, client._execute
    counts.update(reader=0, notebooks=0)

    def counted_load(*args, **kwargs):
        counts["reader"] += 1
        return real_load(*args, **kwargs)

    def without_the_orders_file(*args, **kwargs):
        away = orders_file.rename(orders_file.with_name(".away.csv"))
        try:
            counts["notebooks"] += 1
            return real_execute(*args, **kwargs)
        finally:
            away.rename(orders_file)

    patch.setattr(orders_reader, "load", counted_load)
    patch.setattr(client, "_execute", without_the_orders_file)


def _run_demo(tmp_path_factory: pytest.TempPathFactory, lang: str, counts: dict[str, int] | None = None) -> Path:
    """Run the demo client xiaobei-muying in ``lang`` and return its run folder.

    With ``counts`` the run works on a copy of the brief and its data, whose orders file is
    moved away while each notebook runs, and counts the reader's parses and the notebooks there.
    """
    import shutil

    from diag.run import client

    if not DEMO_BRIEF.exists():
        pytest.fail(f"demo brief missing: {DEMO_BRIEF}")
    brief = DEMO_BRIEF
    with pytest.MonkeyPatch.context() as patch:
        if counts is not None:
            briefs = tmp_path_factory.mktemp("briefs")
            brief = Path(shutil.copy(DEMO_BRIEF, briefs / DEMO_BRIEF.name))
            data = shutil.copytree(DEMO_BRIEF.parent / "data" / DEMO_BRIEF.stem, briefs / "data" / DEMO_BRIEF.stem)
            _count_reads(patch, Path(data) / "orders.csv", counts)
        result = client.run_client(brief, tmp_path_factory.mktemp(f"demo-{lang}"), lang=lang)
    assert result.report is not None and result.report.exists()
    return result.report.parent


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the run folder of the demo client xiaobei-muying, run once in Chinese (shared, read only).

    The run works on a copy whose orders file is moved away while each notebook runs, and
    counts the reader's parses (:func:`demo_reads`): the notebooks must use the run's cache.
    """
    return _run_demo(tmp_path_factory, "zh", counts=_DEMO_READS)


@pytest.fixture(scope="session")
def demo_reads(demo_run: Path) -> dict[str, int]:
    """Return how often :func:`demo_run` parsed its orders file (``reader``) and how many notebooks ran."""
    return dict(_DEMO_READS)


@pytest.fixture(scope="session")
def english_demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the run folder of the same demo client run once with ``--lang en`` (shared, read only)."""
    return _run_demo(tmp_path_factory, "en")


#: Session fixtures that run demo clients through real kernels: a test that needs one is slow.
KERNEL_FIXTURES = {"demo_run", "demo_runs", "demo_reads", "english_demo_run"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that asks, directly or through another fixture, for a demo run."""
    for item in items:
        if KERNEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _no_libreoffice_unless_asked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build reports without LibreOffice's page count (2 s a report) unless a test asks for ``libreoffice``.

    The contents then keep asking Word to update its fields, as on a machine without LibreOffice. A
    test that sets ``DIAG_SOFFICE`` itself (a fake binary) still gets its own.  Session-scoped demo
    runs are built before any test's fixtures, so they use LibreOffice when it is installed.
    """
    if "libreoffice" not in request.fixturenames:
        monkeypatch.setenv("DIAG_SOFFICE", "off")


@pytest.fixture
def libreoffice(monkeypatch: pytest.MonkeyPatch) -> str:
    """Return the soffice binary, or skip when LibreOffice or poppler is not installed."""
    monkeypatch.delenv("DIAG_SOFFICE", raising=False)
    binary = shutil.which("soffice")
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer-nogui")
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed")
    return binary
