"""The client-facing live page: a small stdlib HTTP server, a hand-written page and a JSON API.

``diag live BRIEF`` serves, on 127.0.0.1 only, one page (``diag/live/static/``) on the
client's recorded results: eight levers, the GMV driver tree, the funnel and a
12-month projection.  Every number the page shows comes from the engine
(:mod:`diag.strategy.levers`) through the API, so the page computes nothing itself:

- ``GET /api/session`` — client, sliders (start, source, benchmark range), presets, saved scenarios;
- ``POST /api/compute`` ``{"levers": {...}}`` — the outcome and the projection;
- ``POST /api/scenarios`` ``{"name", "levers"}`` — save a scenario into the results;
- ``DELETE /api/scenarios/<id>`` — delete one.

:class:`LiveApp` holds the logic (testable without a server or a browser);
:func:`serve_page` runs it until Ctrl-C or SIGTERM.  No process is started: stopping
the server leaves nothing behind.
"""

from __future__ import annotations

import json
import signal
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Mapping

from diag.errors import DiagError, UsageError
from diag.live.setup import LiveSetup
from diag.report.scenarios import delete_scenario, projection_png, save_scenario, saved_scenarios, scenario_record
from diag.strategy import levers as lv

__all__ = ["LiveApp", "make_server", "serve_page", "STATIC"]

STATIC = Path(__file__).resolve().parent / "static"
_FILES = {"/": ("index.html", "text/html; charset=utf-8"),
          "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/static/app.css": ("app.css", "text/css; charset=utf-8")}
_MAX_BODY = 64 * 1024


class LiveApp:
    """The live session's API: pure request → response dicts over one client's setup and run folder."""

    def __init__(self, setup: LiveSetup, run_dir: Path, *, months: int = 12) -> None:
        self.setup = setup
        self.run_dir = Path(run_dir)
        self.months = int(months)

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Return the outcome and projection for lever ``values`` (missing levers keep their start)."""
        if not isinstance(values, Mapping):
            raise UsageError("expected an object of lever values", where="levers")
        merged = {**self.setup.start, **{k: v for k, v in values.items() if k in lv.LEVER_KEYS}}
        outcome = lv.evaluate(self.setup.baseline, merged)
        rows = lv.projection(self.setup.baseline, outcome, months=self.months)
        total, base = rows[-1]["projected_total"], rows[-1]["baseline_total"]
        return {"outcome": outcome.to_dict(), "projection": rows, "projected_total": total,
                "baseline_total": base, "uplift": total - base, "uplift_share": total / base - 1 if base else 0.0}

    def session(self) -> dict[str, Any]:
        """Return everything the page starts from, with the outcome at the starting values."""
        from diag.charts import PALETTE

        presets = [{"name": name, "levers": p["levers"], "report_gmv": p["report_gmv"],
                    "gmv": lv.evaluate(self.setup.baseline, p["levers"]).gmv}
                   for name, p in self.setup.presets.items()]
        b = self.setup.baseline
        return {"client": self.setup.client, "industry": self.setup.industry, "period": self.setup.period,
                "months": self.months, "ramp_months": lv.RAMP_MONTHS, "palette": PALETTE,
                "baseline": {"gmv": b.gmv, "customers": b.customers, "orders": b.orders, "days": b.days},
                "sliders": [s.to_dict() for s in self.setup.sliders], "presets": presets,
                "saved": self.saved(), "start": self.compute(self.setup.start)}

    def saved(self) -> list[dict[str, Any]]:
        """Return the saved scenarios without their monthly rows (the page needs the totals)."""
        return [{k: v for k, v in s.items() if k != "projection"} for s in saved_scenarios(self.run_dir)]

    def save(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Save the scenario ``{"name", "levers"}`` with its chart; return the saved list."""
        if not isinstance(payload, Mapping):
            raise UsageError("expected an object with name and levers", where="scenario")
        levers = payload.get("levers") or {}
        if not isinstance(levers, Mapping):
            raise UsageError("expected an object of lever values", where="scenario.levers")
        values = {**self.setup.start, **{k: v for k, v in levers.items() if k in lv.LEVER_KEYS}}
        name = str(payload.get("name") or f"情景{len(saved_scenarios(self.run_dir)) + 1}")
        record = scenario_record(self.setup.baseline, values, name=name, months=self.months)
        save_scenario(self.run_dir, record, projection_png(record))
        return {"saved": self.saved()}

    def delete(self, scenario_id: str) -> dict[str, Any]:
        """Delete a saved scenario; return the saved list."""
        delete_scenario(self.run_dir, scenario_id)
        return {"saved": self.saved()}


def _handler(app: LiveApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "diag-live"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass  # a quiet terminal: the consultant's screen may be on the projector

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: Any) -> None:
            self._send(status, json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                raise UsageError("request too large", where="body")
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                raise UsageError("expected a JSON body", where="body") from None
            if not isinstance(body, dict):
                raise UsageError("expected a JSON object", where="body")
            return body

        def _api(self, call: Callable[[], Any]) -> None:
            try:
                self._json(HTTPStatus.OK, call())
            except DiagError as exc:
                self._json(HTTPStatus.BAD_REQUEST, {"error": exc.line()})
            except Exception as exc:  # noqa: BLE001 - the page shows it; the session keeps serving
                self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"internal error: {exc}"})

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            path = self.path.split("?", 1)[0]
            if path in _FILES:
                name, kind = _FILES[path]
                self._send(HTTPStatus.OK, (STATIC / name).read_bytes(), kind)
            elif path == "/font/cjk.otf":
                from diag.charts import font_path

                self._send(HTTPStatus.OK, font_path().read_bytes(), "font/otf")
            elif path == "/favicon.ico":
                self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            elif path == "/api/session":
                self._api(app.session)
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no page {path}"})

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            if path == "/api/compute":
                self._api(lambda: app.compute(self._body().get("levers") or {}))
            elif path == "/api/scenarios":
                self._api(lambda: app.save(self._body()))
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no endpoint {path}"})

        def do_DELETE(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            if path.startswith("/api/scenarios/"):
                self._api(lambda: app.delete(path.rsplit("/", 1)[-1]))
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no endpoint {path}"})

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_port = False    # never share a port with another session
    allow_reuse_address = True  # restart at once on a port in TIME_WAIT; on Linux a live listener still blocks it


def make_server(app: LiveApp, port: int) -> ThreadingHTTPServer:
    """Return the server bound to ``127.0.0.1:port`` (not yet serving); a busy port is bad input."""
    try:
        return _Server(("127.0.0.1", int(port)), _handler(app))
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); choose another port",
                         file="--port") from None


def _accepting(port: int, timeout: float = 5.0) -> None:
    """Return once a connection to the port succeeds (the URL is printed only then)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout):
        pass


def serve_page(app: LiveApp, port: int, *, out: Any = None) -> int:
    """Serve ``app`` on ``127.0.0.1:port`` until Ctrl-C or SIGTERM; return 0."""
    out = out or sys.stdout
    server = make_server(app, port)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    try:
        thread.start()
        _accepting(port)
        print(f"现场会话已就绪: {app.setup.client}（{app.setup.period}）", file=out)
        print(f"在浏览器中打开 http://127.0.0.1:{port}/ （按 Ctrl+C 结束）", file=out, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("现场会话已结束", file=out, flush=True)
    return 0
