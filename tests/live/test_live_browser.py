"""The live page in a real browser (Debian's Chromium through Playwright; no browser is downloaded).

Skips, saying why, where ``/usr/bin/chromium`` or the ``playwright`` package is missing
(``make test`` / ``.ci/run`` install Chromium with apt when they can).  The screenshot
of the page, at projector size, is kept under ``outputs/test-artifacts/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from live_helpers import ROOT, free_port, start_live

from diag.brief.model import load_brief
from diag.industries.registry import load_industry
from diag.live.setup import live_setup
from diag.record import load_results
from diag.strategy import levers as lv

pytestmark = pytest.mark.slow  # drives Chromium

CHROMIUM = Path(os.environ.get("DIAG_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "outputs" / "test-artifacts"


@pytest.fixture
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; make test does it when it can)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def session(live_client):
    brief, out = live_client
    live = start_live(brief, out, free_port(), timeout=120)
    assert live.url, live.stderr()
    try:
        yield brief, out / "ceshi-muying", live
    finally:
        assert live.stop() == 0


def engine_total(brief: Path, run_dir: Path, values: dict[str, float]) -> float:
    """Return the engine's 12-month GMV for ``values`` on the same recorded results the page uses."""
    b = load_brief(brief)
    setup = live_setup(load_results(run_dir), b, load_industry(b.client.industry))
    outcome = lv.evaluate(setup.baseline, {**setup.start, **values})
    return lv.projection(setup.baseline, outcome, months=12)[-1]["projected_total"]


def open_page(browser, url: str):
    """Return a projector-sized page showing the live session, once it has drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return page


def drag(page, selector: str, fraction: float) -> None:
    """Drag the slider's thumb to ``fraction`` of its track with the mouse, as a person would."""
    box = page.locator(selector).bounding_box()
    current = page.eval_on_selector(selector, "e => (e.value - e.min) / (e.max - e.min)")
    y = box["y"] + box["height"] / 2
    pad = 9  # half the thumb: the track's ends are the thumb's centre at min and max
    x = lambda f: box["x"] + pad + (box["width"] - 2 * pad) * f  # noqa: E731
    page.mouse.move(x(current), y)
    page.mouse.down()
    page.mouse.move(x(fraction), y, steps=12)
    page.mouse.up()


def test_moving_a_lever_shows_the_engines_gmv_and_a_saved_scenario_lands_in_the_results(browser, session):
    brief, run_dir, live = session
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live.url)
    page.wait_for_selector("body[data-ready='1']")
    text = page.inner_text("body")
    assert "社群转化率" in text and "行业区间" in text and "万" in text
    for word in ("import ", "def ", "diag.", "In [", "Traceback"):       # no code anywhere on the page
        assert word not in text
    start = float(page.get_attribute("#projected-total", "data-value"))
    assert start == pytest.approx(engine_total(brief, run_dir, {}), rel=1e-12)

    slider = '.lever[data-key="group_conversion"] input'
    drag(page, slider, 0.8)
    page.wait_for_function("window.diagLive.idle()", timeout=5000)
    value = float(page.input_value(slider))
    assert value > 0
    shown = float(page.get_attribute("#projected-total", "data-value"))
    expected = engine_total(brief, run_dir, {"group_conversion": value})
    assert shown == pytest.approx(expected, rel=1e-12) and shown > start
    assert page.inner_text("#projected-exact").startswith(f"¥{round(expected):,}")
    assert float(page.get_attribute('.lever[data-key="group_conversion"] .val', "data-value")) == value

    page.fill("#scenario-name", "社群转化提升")
    page.click("#save")
    page.wait_for_selector(".card[data-id='s1']")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "live_page.png"
    page.screenshot(path=str(shot))
    print(f"live page screenshot: {shot}")
    saved = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["sections"]["strategy"]["data"]
    scenario = saved["saved_scenarios"][0]
    assert scenario["name"] == "社群转化提升" and scenario["inputs"]["group_conversion"] == value
    assert scenario["outputs"]["projected_total"] == pytest.approx(shown, rel=1e-12)
    assert (run_dir / scenario["chart"]).is_file()

    page.click("#reset")
    page.wait_for_function("window.diagLive.idle()", timeout=5000)
    assert float(page.get_attribute("#projected-total", "data-value")) == pytest.approx(start, rel=1e-12)
    assert not errors


def test_the_reports_base_scenario_on_the_levers_shows_the_reports_gmv(browser, session):
    brief, run_dir, live = session
    page = open_page(browser, live.url)
    presets = page.locator(".presets button")
    if presets.count() == 0:
        pytest.skip("this client's plan has no scenario with a GMV path")
    report = {row["情景"]: row["预计GMV"] for row in
              load_results(run_dir)["sections"]["strategy"]["data"]["scenarios"]}
    page.click("text=报告·基准")
    page.wait_for_function("window.diagLive.idle()", timeout=5000)
    assert float(page.get_attribute("#period-gmv", "data-value")) == pytest.approx(report["基准"], rel=1e-9)
    assert "报告「基准」情景" in page.inner_text("#period-sub")


def test_the_page_fits_a_projector_screen(browser, session):
    _brief, _run_dir, live = session
    page = open_page(browser, live.url)
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= 1280 and size[1] <= 720
    bottom = page.evaluate("Math.max(...[...document.querySelectorAll('.lever, .card, .kpi')]"
                           ".map(e => e.getBoundingClientRect().bottom))")
    assert bottom <= 720                              # every lever, key number and card is on screen
    big = page.evaluate("parseFloat(getComputedStyle(document.getElementById('projected-total')).fontSize)")
    assert big >= 32
