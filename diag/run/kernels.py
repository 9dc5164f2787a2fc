"""Warm Jupyter kernels: the notebooks of many clients run in one long-lived kernel.

Starting a kernel and importing pandas, matplotlib and the kit takes seconds; a batch
pays it once per worker instead of once per notebook.  The executed notebooks stay the
record of how each number was made: parameters are injected exactly as papermill does
(an ``injected-parameters`` cell after the ``parameters`` cell, and papermill's
metadata), every cell runs through :mod:`nbclient` and its outputs are kept.

Isolation between notebooks and between clients: before each notebook the kernel's
user namespace is reset (``reset(new_session=True)``), matplotlib's figures are closed
and the working directory and environment are set for the run, so a notebook sees
only what it defines itself, as in a fresh kernel.  Imported modules stay loaded (that
is the point); the kit keeps no client state at module level except the read-orders
cache, which is keyed by file identity (path, size, modification time).  A kernel is
restarted after a notebook fails and every ``restart_every`` clients.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from diag.errors import RunError

#: Imported once when a kernel starts (what every notebook imports anyway).
PRELOAD = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot
import pandas, numpy, scipy.optimize, scipy.special
import diag, diag.run.check, diag.brief.gaps, diag.areas.journey, diag.areas.diagnosis, diag.strategy.playbook, diag.strategy.funnel
import diag.areas.clv, diag.areas.gmv, diag.areas.goods, diag.areas.people, diag.areas.scene
import diag.areas.benchmark, diag.charts.diagnosis, diag.charts.journey, diag.charts.plan
import diag.industries.registry, diag.readers.orders, diag.record
diag.readers.orders.enable_cache()
"""

#: Run (not recorded) before each notebook: a clean namespace in the run's folder.
_RESET = """\
get_ipython().reset(new_session=True)
import os as _os, matplotlib.pyplot as _plt
_plt.close("all")
_os.chdir({cwd!r})
_os.environ.update({set!r})
[_os.environ.pop(_k, None) for _k in {unset!r}]
del _os, _plt
"""


@dataclass
class CellFailure(Exception):
    """A notebook cell raised: the exception's class name and message, and the cell."""

    notebook: str
    exec_count: int | None
    ename: str
    evalue: str

    def __str__(self) -> str:
        return f"{self.notebook}: cell {self.exec_count}: {self.ename}: {self.evalue}"


class NotebookFailed(RunError):
    """A run's notebook cell failed: the message, and which notebook and cell (for the batch index)."""

    def __init__(self, message: str, notebook: str, cell: int | None) -> None:
        super().__init__(message)
        self.notebook, self.cell = notebook, cell


class WarmKernel:
    """One long-lived python3 kernel that executes notebooks for many clients.

    Parameters
    ----------
    restart_every : int
        Restart the kernel after this many clients (bounds memory growth).
    timeout : int
        Seconds one cell may run.
    """

    def __init__(self, *, restart_every: int = 40, timeout: int = 1800) -> None:
        self.restart_every = restart_every
        self.timeout = timeout
        self.clients_run = 0
        self._km: Any = None
        self._kc: Any = None

    # -- life cycle ------------------------------------------------------------------
    def start(self) -> None:
        """Start the kernel and import the kit (no-op when it is running)."""
        if self._km is not None:
            return
        from jupyter_client.manager import KernelManager

        km = KernelManager(kernel_name="python3")
        # the kernel's start-up chatter (TCP transport notice) is not for consultants
        km.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                        env={**os.environ, "MPLBACKEND": "Agg"})
        kc = km.blocking_client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
        except RuntimeError:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            raise
        self._km, self._kc = km, kc
        self._run_hidden(PRELOAD)
        self.clients_run = 0

    def shutdown(self) -> None:
        """Stop the kernel and its channels (safe to call twice)."""
        kc, km, self._kc, self._km = self._kc, self._km, None, None
        if kc is not None:
            kc.stop_channels()
        if km is not None:
            km.shutdown_kernel(now=True)

    def restart(self) -> None:
        """Replace the kernel by a fresh one."""
        self.shutdown()
        self.start()

    def __enter__(self) -> "WarmKernel":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def client_done(self) -> None:
        """Count a finished client; restart the kernel every ``restart_every`` clients."""
        self.clients_run += 1
        if self.clients_run >= self.restart_every:
            self.restart()

    # -- execution -------------------------------------------------------------------
    def run_notebook(self, source: Path, target: Path, parameters: Mapping[str, Any], *, cwd: Path,
                     env: Mapping[str, str | None] | None = None) -> None:
        """Execute ``source`` with papermill-style ``parameters`` and write it to ``target``.

        The executed notebook is written whether or not a cell failed (a failed cell
        keeps its traceback, as papermill's record does); a failure raises
        :class:`CellFailure` and restarts the kernel.
        """
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError

        from diag.files import write_atomic

        self.start()
        nb = parameterize(nbformat.read(source, as_version=4), parameters, source, target)
        env = dict(env or {})
        self._run_hidden(_RESET.format(cwd=str(cwd), set={k: v for k, v in env.items() if v is not None},
                                       unset=[k for k, v in env.items() if v is None]))
        client = NotebookClient(nb, km=self._km, timeout=self.timeout, kernel_name="python3",
                                allow_errors=False, record_timing=True)
        client.kc = self._kc
        failure: CellFailure | None = None
        try:
            client.execute()
        except CellExecutionError as exc:
            failure = CellFailure(target.name, _failed_count(nb), exc.ename, str(exc.evalue))
        except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout fails this notebook
            failure = CellFailure(target.name, _failed_count(nb), type(exc).__name__, str(exc))
        finally:
            nb.metadata.setdefault("papermill", {})["exception"] = failure is not None
            write_atomic(target, nbformat.writes(nb))
        if failure is not None:
            self.restart()
            raise failure

    def _run_hidden(self, code: str) -> None:
        """Run ``code`` without recording it; raise RuntimeError when it fails."""
        reply = self._kc.execute_interactive(code, store_history=False, silent=True, timeout=self.timeout,
                                             output_hook=lambda msg: None)
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")


def parameterize(nb: Any, parameters: Mapping[str, Any], source: Path, target: Path) -> Any:
    """Return ``nb`` with ``parameters`` injected and papermill's metadata, as papermill records it."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    for cell in nb.cells:  # papermill's reader gives every cell a tags list
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", nbformat.NotebookNode())
    nb = parameterize_notebook(nb, dict(parameters), kernel_name="python3", language="python")
    meta = nb.metadata.setdefault("papermill", {})
    meta.update(input_path=str(source), output_path=str(target), parameters=dict(parameters),
                engine_name="diag-warm-kernel")
    return nb


def _failed_count(nb: Any) -> int | None:
    """Return the execution count of the cell whose output is an error (the failing cell)."""
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return cell.get("execution_count")
    return None


#: The warm kernel of this process (a batch worker's), created on first use.
_KERNEL: WarmKernel | None = None


def process_kernel() -> WarmKernel:
    """Return this process's warm kernel, shut down when the process exits."""
    global _KERNEL
    if _KERNEL is None:
        import atexit
        from multiprocessing import util

        _KERNEL = WarmKernel()
        atexit.register(_KERNEL.shutdown)
        # a pool worker exits through multiprocessing, which runs its finalizers, not atexit
        util.Finalize(_KERNEL, _KERNEL.shutdown, exitpriority=100)
    return _KERNEL


def shutdown_process_kernel() -> None:
    """Stop this process's warm kernel, if one was started (the next use starts a new one)."""
    global _KERNEL
    kernel, _KERNEL = _KERNEL, None
    if kernel is not None:
        kernel.shutdown()


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a SIGKILLed batch leaves no worker)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


__all__ = ["WarmKernel", "CellFailure", "NotebookFailed", "parameterize", "process_kernel", "shutdown_process_kernel",
           "die_with_parent"]
