"""Batch progress: a bar on a terminal, one plain line per finished client otherwise.

On a terminal the bar (done, failed, remaining, time left) is redrawn on stderr after
each client, with errors printed above it; in a log or a pipe each finished client is
one line, so the log reads the same whatever the terminal.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from diag.messages import messages

#: Statuses that count as done without failure.
SUCCESS = ("ok", "unchanged")


def _clock(seconds: float, lang: str = "zh") -> str:
    t = messages("common", lang)
    seconds = int(round(seconds))
    if seconds >= 3600:
        return t("progress.hours", h=seconds // 3600, m=seconds % 3600 // 60)
    if seconds >= 60:
        return t("progress.minutes", m=seconds // 60, s=seconds % 60)
    return t("progress.seconds", s=seconds)


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
    lang : str
        The language of the lines (the batch's ``--lang``).
    """

    def __init__(self, total: int, *, out: TextIO | None = None, err: TextIO | None = None,
                 tty: bool | None = None, width: int = 28, lang: str = "zh") -> None:
        self.total = total
        self.lang = lang
        self.t = messages("common", lang)
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
                         else elapsed / self._ran * remaining, self.lang)
        elif not remaining:
            eta = _clock(0, self.lang)
        return (f"[{'#' * filled}{'.' * (self.width - filled)}] {finished}/{self.total}  "
                + self.t("progress.bar", done=self.done, failed=self.failed, remaining=remaining, eta=eta))

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
            return self.t("progress.ok", count=count, name=name, report=result.report,
                          seconds=result.seconds), self.out
        if result.status == "unchanged":
            return self.t("progress.unchanged", count=count, name=name), self.out
        if result.status == "bad input":   # the message already names the brief or data file
            return result.error, self.err
        return f"error: {result.slug}: {result.error.removeprefix('error: ')}", self.err

    def _draw(self) -> None:
        self.err.write("\r\x1b[2K" + self.bar())
        self.err.flush()


__all__ = ["Progress", "SUCCESS"]
