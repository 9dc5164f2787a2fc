"""Batch progress: a bar on a terminal, one plain line per finished client otherwise.

On a terminal the bar (done, failed, remaining, time left) is redrawn on stderr after
each client, with errors printed above it; in a log or a pipe each finished client is
one line, so the log reads the same whatever the terminal.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

#: Statuses that count as done without failure.
SUCCESS = ("ok", "unchanged")


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}时{seconds % 3600 // 60:02d}分"
    if seconds >= 60:
        return f"{seconds // 60}分{seconds % 60:02d}秒"
    return f"{seconds}秒"


class Progress:
    """Report a batch of ``total`` clients as they finish.

    Parameters
    ----------
    total : int
        Number of clients in the batch.
    out, err : text streams
        Where finished clients and errors go (stdout and stderr by default).
    tty : bool, optional
        Draw a bar; the default is whether ``err`` is a terminal.
    """

    def __init__(self, total: int, *, out: TextIO | None = None, err: TextIO | None = None,
                 tty: bool | None = None, width: int = 28) -> None:
        self.total = total
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.tty = self.err.isatty() if tty is None else tty
        self.width = width
        self.done = 0
        self.failed = 0
        self.skipped = 0
        self.started = time.monotonic()
        self._ran_seconds = 0.0
        self._ran = 0
        if self.tty and total:
            self._draw()

    def bar(self) -> str:
        """Return the progress line: bar, done, failed, remaining and time left."""
        finished = self.done + self.failed
        filled = int(self.width * finished / self.total) if self.total else self.width
        remaining = self.total - finished
        eta = "—"
        if remaining and self._ran:
            # clients skipped as unchanged cost nothing: estimate from the ones that ran
            elapsed = time.monotonic() - self.started
            eta = _clock(elapsed / max(finished, 1) * remaining if not self.skipped
                         else elapsed / self._ran * remaining)
        elif not remaining:
            eta = "0秒"
        return (f"[{'#' * filled}{'.' * (self.width - filled)}] {finished}/{self.total}  "
                f"完成 {self.done}  失败 {self.failed}  剩余 {remaining}  预计剩余 {eta}")

    def finished(self, result: Any) -> None:
        """Count one finished client (a :class:`diag.run.client.RunResult`) and report it."""
        if result.status in SUCCESS:
            self.done += 1
            self.skipped += result.status == "unchanged"
        else:
            self.failed += 1
        if result.status != "unchanged":
            self._ran += 1
        line, stream = self._line(result)
        if self.tty:
            self.err.write("\r\x1b[2K")
            print(line, file=stream, flush=True)
            self._draw()
            if self.done + self.failed == self.total:
                self.err.write("\n")
                self.err.flush()
        else:
            print(line, file=stream, flush=True)

    def _line(self, result: Any) -> tuple[str, TextIO]:
        count = f"[{self.done + self.failed}/{self.total}]"
        name = result.client or result.slug
        if result.status == "ok":
            return f"{count} [完成] {name}: {result.report}  ({result.seconds:.0f} 秒)", self.out
        if result.status == "unchanged":
            return f"{count} [未变] {name}: 输入未变化，跳过（--force 可强制重跑）", self.out
        if result.status == "bad input":   # the message already names the brief or data file
            return result.error, self.err
        return f"error: {result.slug}: {result.error.removeprefix('error: ')}", self.err

    def _draw(self) -> None:
        self.err.write("\r\x1b[2K" + self.bar())
        self.err.flush()


__all__ = ["Progress", "SUCCESS"]
