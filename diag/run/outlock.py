"""One batch at a time per output folder.

``OUT/.diag-batch.lock`` is held with ``fcntl.flock`` for the whole batch.  The kernel
releases the lock when the process that holds it ends, however it ends (SIGKILL too),
so a killed batch never leaves it stuck; the pid written inside only names the holder
in the message a second batch prints.  Batch workers die with their parent
(:func:`diag.run.kernels.die_with_parent`), so none of them keeps the lock alive.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from diag.errors import UsageError

LOCK = ".diag-batch.lock"


@contextlib.contextmanager
def batch_lock(out_root: Path) -> Iterator[Path]:
    """Return a context holding the output folder's lock; raise :class:`UsageError` when held."""
    import fcntl

    out_root.mkdir(parents=True, exist_ok=True)
    path = out_root / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "ignore").strip() or "?"
            raise UsageError(f"另一个批量运行（进程 {holder}）正在写入这个输出文件夹；"
                             "请等它结束，或用 --out 指定另一个文件夹", file=out_root) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


__all__ = ["LOCK", "batch_lock"]
