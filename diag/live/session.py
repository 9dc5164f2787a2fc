"""The live session: a client-facing page with levers, or the notebooks in JupyterLab.

``diag live BRIEF`` serves the client-facing page (:mod:`diag.live.page`) on the client's
recorded results ``OUT/<slug>/results.json``, running the analysis first when there are
none.  ``diag live BRIEF --lab`` is the consultant's view: it validates the brief and its data, writes the four consulting-flow
notebooks with the client's parameters injected (papermill's ``prepare_only``: nothing
is executed yet) into ``outputs/.live/<slug>/``, and starts JupyterLab bound to
127.0.0.1 on that folder.  The consultant runs the cells with the client watching,
changes an assumption in a cell and re-runs it; results go to a separate run folder
so the last delivered report is never touched.  The firm's template folder is
resolved where the command was started and handed to JupyterLab's kernels as
``$DIAG_TEMPLATES`` (they run in the session folder, where no config file is found).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from diag import paths
from diag.errors import UsageError
from diag.run.client import NOTEBOOKS, kernel_templates, prepare


def prepare_session(brief_path: Path, root: Path | None = None) -> Path:
    """Return the session folder holding the client's parameterized notebooks."""
    import papermill as pm

    brief_path = Path(brief_path).resolve()
    brief, _, _ = prepare(brief_path)  # the files are read (bad input fails here); the notebooks read them live
    folder = (root or paths.OUTPUTS / ".live") / brief.slug
    folder.mkdir(parents=True, exist_ok=True)
    run_dir = folder / "run"
    for name in NOTEBOOKS:
        parameters: dict[str, Any] = {"brief_path": str(brief_path), "run_dir": str(run_dir), "lang": "zh"}
        if name == "01_intake":
            parameters["interactive"] = True      # the intake form opens in the live session
        pm.execute_notebook(str(paths.NOTEBOOKS / f"{name}.ipynb"), str(folder / f"{name}.ipynb"),
                            parameters=parameters, prepare_only=True, kernel_name="python3",
                            progress_bar=False)
    return folder


def _check_port(port: int) -> None:
    if not 1024 <= port <= 65535:
        raise UsageError(f"expected a port between 1024 and 65535, got {port}", file="--port")


def serve(brief_path: Path, *, port: int = 8765, lab: bool = False, out_root: Path | None = None) -> int:
    """Serve the live page (or, with ``lab``, JupyterLab) on ``127.0.0.1:port`` until Ctrl-C or SIGTERM."""
    _check_port(port)
    if lab:
        return serve_lab(brief_path, port=port)
    return serve_levers(brief_path, port=port, out_root=out_root)


def serve_levers(brief_path: Path, *, port: int = 8765, out_root: Path | None = None) -> int:
    """Serve the client-facing page on ``out_root/<slug>/results.json`` (run first when there are none)."""
    from diag.brief.model import load_brief
    from diag.industries.registry import load_industry
    from diag.live.page import LiveApp, serve_page
    from diag.live.setup import live_setup
    from diag.record import RESULTS, load_results
    from diag.run.client import out_folder, run_client

    _check_port(port)
    brief_path = Path(brief_path).resolve()
    brief = load_brief(brief_path)
    template = load_industry(brief.client.industry)
    out_root = out_folder(out_root or Path("outputs"))  # where `diag run` writes by default
    run_dir = out_root / brief.slug
    if not (run_dir / RESULTS).is_file():
        print(f"{run_dir} 还没有分析结果, 先运行分析(需要几分钟)…", file=sys.stderr, flush=True)
        with _sigterm_interrupts():
            run_client(brief_path, out_root)
    results = load_results(run_dir)
    setup = live_setup(results, brief, template, results_file=str(run_dir / RESULTS))
    return serve_page(LiveApp(setup, run_dir), port)


class _sigterm_interrupts:
    """Within the block SIGTERM raises KeyboardInterrupt, so a run's kernels are shut down as on Ctrl-C."""

    def __enter__(self) -> None:
        def interrupt(*_: object) -> None:
            raise KeyboardInterrupt

        self.previous = signal.signal(signal.SIGTERM, interrupt)

    def __exit__(self, *_: object) -> None:
        signal.signal(signal.SIGTERM, self.previous)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _descendants(pid: int) -> list[int]:
    """Return the process ids below ``pid`` (Linux /proc; empty elsewhere)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _stop(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Stop JupyterLab and whatever it started (its kernels run in sessions of their own)."""
    below = _descendants(process.pid)
    if process.poll() is None:
        process.terminate()          # JupyterLab shuts its kernels down on SIGTERM
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pid in below:                # any left behind are ours: end them
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def serve_lab(brief_path: Path, *, port: int = 8765) -> int:
    """Prepare the session and run JupyterLab on ``127.0.0.1:port`` until Ctrl-C or SIGTERM."""
    _check_port(port)
    if _accepts(port):
        raise UsageError(f"port {port} is already in use; choose another port", file="--port")
    folder = prepare_session(brief_path)
    token = secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.port={port}",
               "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={folder}", f"--IdentityProvider.token={token}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    from diag.config import user_templates_dir

    with kernel_templates(user_templates_dir()):  # JupyterLab and its kernels inherit it
        process = subprocess.Popen(command, start_new_session=True)  # Ctrl-C reaches us, we stop it
    with _sigterm_interrupts():
        try:
            while not _accepts(port):
                if process.poll() is not None:
                    print(f"error: JupyterLab stopped before serving (exit {process.returncode})", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            print(f"现场会话已就绪: {folder}")
            print(f"在浏览器中打开 http://127.0.0.1:{port}/lab?token={token} （按 Ctrl+C 结束）", flush=True)
            process.wait()
        except KeyboardInterrupt:
            pass
        finally:
            _stop(process)
    return 0
