"""The live page's server and API, in-process and without a browser."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from diag.errors import UsageError
from diag.industries.registry import load_industry
from diag.live.page import LiveApp, make_server
from diag.live.setup import live_setup
from diag.strategy import levers as lv

METRICS = {"gmv": 100_000.0, "customers": 500, "orders": 800, "aov": 125.0, "orders_per_customer": 1.6,
           "repurchase_rate": 0.3, "first_date": "2026-01-01", "last_date": "2026-06-30"}


@pytest.fixture
def app(tmp_path: Path) -> LiveApp:
    results = {"meta": {"client": {"name": "测试母婴"}},
               "sections": {"diagnosis": {"blocks": [], "data": {"metrics": METRICS, "measured": {}}},
                            "strategy": {"blocks": [], "data": {}}}}
    (tmp_path / "results.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    brief = SimpleNamespace(funnel=SimpleNamespace(reachable=5000, invite_success=None, purchase_intent=0.05,
                                                   referrers=None),
                            assets=SimpleNamespace(friends=600, group_members=300))
    return LiveApp(live_setup(results, brief, load_industry("母婴")), tmp_path)


@pytest.fixture
def url(app: LiveApp):
    server = make_server(app, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def call(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_session_starts_every_lever_where_the_engine_gives_the_measured_gmv(app: LiveApp):
    session = app.session()
    assert session["client"] == "测试母婴" and session["months"] == 12
    assert len(session["sliders"]) == len(lv.LEVERS)
    assert session["start"]["outcome"]["gmv"] == pytest.approx(100_000)
    assert session["start"]["uplift"] == pytest.approx(0)
    json.dumps(session, allow_nan=False)                      # valid JSON, no NaN


def test_compute_keeps_the_levers_it_is_not_given_at_their_start(app: LiveApp):
    answer = app.compute({"aov": 137.5, "unknown": 3})
    assert answer["outcome"]["gmv"] == pytest.approx(110_000)
    assert answer["outcome"]["values"]["reachable"] == app.setup.start["reachable"]
    with pytest.raises(UsageError, match="levers.aov"):
        app.compute({"aov": "cheap"})


def test_the_page_its_files_and_the_api_are_served(url: str):
    status, html = call(url)
    assert status == 200 and "私域GMV现场推演".encode() in html
    for path in ("static/app.js", "static/app.css"):
        assert call(url + path)[0] == 200
    status, body = call(url + "api/compute", "POST", json.dumps({"levers": {"aov": 137.5}}).encode())
    assert status == 200 and json.loads(body)["outcome"]["gmv"] == pytest.approx(110_000)
    assert call(url + "nothing")[0] == 404
    status, font = call(url + "font/cjk.otf")                 # the CJK font without a download
    assert status == 200 and font[:4] == b"OTTO"


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "body: expected a JSON body"),
    (b"[1, 2]", "body: expected a JSON object"),
    (json.dumps({"levers": {"join_rate": 2}}).encode(), "levers.join_rate: expected a share"),
])
def test_bad_requests_are_answered_400_with_the_place_named(url: str, body: bytes, message: str):
    status, answer = call(url + "api/compute", "POST", body)
    assert status == 400 and json.loads(answer)["error"].startswith(message)


@pytest.mark.slow
def test_saving_and_deleting_a_scenario_through_the_api(url: str, app: LiveApp):
    status, body = call(url + "api/scenarios", "POST", json.dumps({"name": "提价", "levers": {"aov": 150}}).encode())
    assert status == 200 and [s["name"] for s in json.loads(body)["saved"]] == ["提价"]
    assert "projection" not in json.loads(body)["saved"][0]   # the page needs the totals only
    assert app.session()["saved"][0]["outputs"]["period_gmv"] == pytest.approx(120_000)
    status, body = call(url + "api/scenarios/s9", "DELETE")
    assert status == 400 and "no saved scenario 's9'" in json.loads(body)["error"]
    status, body = call(url + "api/scenarios/s1", "DELETE")
    assert status == 200 and json.loads(body)["saved"] == []


def test_a_busy_port_is_bad_input(app: LiveApp):
    server = make_server(app, 0)
    try:
        with pytest.raises(UsageError) as info:
            make_server(app, server.server_address[1])
        assert info.value.line().startswith("--port: cannot listen on 127.0.0.1:")
    finally:
        server.server_close()
