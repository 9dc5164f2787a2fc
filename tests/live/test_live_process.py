"""``diag live`` as a process: it serves only once it accepts connections and stops leaving nothing behind."""

from __future__ import annotations

import json
import re
import shutil
import signal
import time
import urllib.error
import urllib.request

import pytest
from live_helpers import alive, free_port, port_is_free, start_live

from diag.live.session import _descendants

pytestmark = pytest.mark.slow  # starts diag live and JupyterLab


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def post(url: str, payload: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(payload).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_diag_live_runs_the_analysis_first_and_prints_the_url_once_the_page_answers(first_session):
    brief, out, live = first_session
    assert (out / "ceshi-muying" / "results.json").is_file()
    assert (out / "ceshi-muying" / "report.docx").is_file()
    assert "还没有分析结果" in live.stderr()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", live.url)
    status, html = get(live.url)                      # the URL works the moment it is printed
    assert status == 200 and "私域GMV现场推演" in html
    session = json.loads(get(live.url + "api/session")[1])
    assert session["client"] == "测试母婴"
    assert [s["key"] for s in session["sliders"]] == ["reachable", "add_rate", "join_rate", "group_conversion",
                                                     "aov", "frequency", "repurchase_rate", "k_factor"]
    assert session["start"]["outcome"]["gmv"] == pytest.approx(session["baseline"]["gmv"])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_stops_the_session_leaving_no_process_and_a_free_port(live_client, sig):
    brief, out = live_client
    port = free_port()
    live = start_live(brief, out, port, timeout=120)
    assert live.url, live.stderr()
    get(live.url)
    below = _descendants(live.process.pid)
    assert live.stop(sig) == 0
    assert "现场会话已结束" in "".join(live.out)
    assert not [pid for pid in below if alive(pid)]
    assert port_is_free(port)


def test_two_sessions_on_two_ports_serve_each_its_own_client_folder(live_client, tmp_path):
    brief, out = live_client
    other = tmp_path / "other"
    shutil.copytree(out, other)
    a, b = start_live(brief, out, free_port(), timeout=120), start_live(brief, other, free_port(), timeout=120)
    try:
        assert a.url and b.url
        start = json.loads(get(a.url + "api/session")[1])["start"]["projected_total"]
        moved = post(a.url + "api/compute", {"levers": {"aov": 400.0}})
        assert moved["projected_total"] != pytest.approx(start)
        assert post(b.url + "api/compute", {"levers": {}})["projected_total"] == pytest.approx(start)
        post(a.url + "api/scenarios", {"name": "A的情景", "levers": {"aov": 400.0}})
        assert [s["name"] for s in json.loads(get(a.url + "api/session")[1])["saved"]] == ["A的情景"]
        assert json.loads(get(b.url + "api/session")[1])["saved"] == []
        assert a.stop() == 0
        assert get(b.url)[0] == 200                    # stopping one leaves the other serving
    finally:
        for live in (a, b):
            if live.process.poll() is None:
                live.stop()


def test_a_port_already_in_use_is_bad_input(live_client):
    brief, out = live_client
    port = free_port()
    first = start_live(brief, out, port, timeout=120)
    try:
        second = start_live(brief, out, port, timeout=120)
        assert second.wait(30) == 2 and not second.url
        assert second.stderr().startswith("error: --port: cannot listen on 127.0.0.1:")
        assert "Traceback" not in second.stderr()
    finally:
        first.stop()


def test_bad_lever_values_are_answered_with_the_lever_named(first_session):
    _brief, _out, live = first_session
    request = urllib.request.Request(live.url + "api/compute", method="POST",
                                     data=json.dumps({"levers": {"add_rate": 3}}).encode("utf-8"))
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 400
    assert json.loads(info.value.read())["error"].startswith("levers.add_rate: expected a share")


def test_lab_keeps_jupyterlab_on_the_notebooks_and_stops_it_and_its_kernels_on_sigterm(live_client):
    brief, out = live_client
    port = free_port()
    live = start_live(brief, out, port, "--lab", timeout=180)
    try:
        assert "/lab?token=" in live.url, live.stderr()
        token = live.url.split("token=", 1)[1]
        status, _ = get(f"http://127.0.0.1:{port}/api/contents?token={token}")
        assert status == 200
        kernel = post(f"http://127.0.0.1:{port}/api/kernels?token={token}", {"name": "python3"})
        assert kernel["id"]
        deadline = time.monotonic() + 60
        while len(_descendants(live.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)                              # the server and its kernel
        below = _descendants(live.process.pid)
        assert len(below) >= 2
    finally:
        code = live.stop(timeout=60)
    assert code == 0
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in below if alive(pid)]
    assert port_is_free(port)

