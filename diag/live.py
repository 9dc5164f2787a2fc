"""The live session: the client's notebooks, parameterized, in JupyterLab on localhost.

``diag live BRIEF`` validates the brief and its data, writes the four consulting-flow
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
import subprocess
import sys
from pathlib import Path

from . import paths
from .errors import UsageError
from .run import NOTEBOOKS, kernel_templates, prepare


def prepare_session(brief_path: Path, root: Path | None = None) -> Path:
    """Return the session folder holding the client's parameterized notebooks."""
    import papermill as pm

    brief_path = Path(brief_path).resolve()
    brief, _ = prepare(brief_path)
    folder = (root or paths.OUTPUTS / ".live") / brief.slug
    folder.mkdir(parents=True, exist_ok=True)
    run_dir = folder / "run"
    for name in NOTEBOOKS:
        parameters = {"brief_path": str(brief_path), "run_dir": str(run_dir), "lang": "zh"}
        if name == "01_intake":
            parameters["interactive"] = True      # the intake form opens in the live session
        pm.execute_notebook(str(paths.NOTEBOOKS / f"{name}.ipynb"), str(folder / f"{name}.ipynb"),
                            parameters=parameters, prepare_only=True, kernel_name="python3",
                            progress_bar=False)
    return folder


def serve(brief_path: Path, *, port: int = 8765) -> int:
    """Prepare the session and run JupyterLab on ``127.0.0.1:port`` until interrupted."""
    if not 1024 <= port <= 65535:
        raise UsageError(f"expected a port between 1024 and 65535, got {port}", file="--port")
    folder = prepare_session(brief_path)
    token = secrets.token_hex(16)
    print(f"现场会话已就绪: {folder}")
    print(f"在浏览器中打开 http://127.0.0.1:{port}/lab?token={token} （按 Ctrl+C 结束）")
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.port={port}",
               "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={folder}", f"--IdentityProvider.token={token}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    from .industries import user_templates_dir

    try:
        with kernel_templates(user_templates_dir()):  # JupyterLab and its kernels inherit it
            return subprocess.call(command)
    except KeyboardInterrupt:
        return 0
