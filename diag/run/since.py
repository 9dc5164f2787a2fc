"""The earlier diagnosis a run compares with (``diag run --since`` / the previous report).

A run replaces ``OUT/<client>`` only at its end, so the previous report's
``results.json`` is still there when the run starts: :func:`stage` copies it into the
run's work folder as ``previous/results.json`` before any notebook runs, and the
review notebook reads it back with :func:`load_previous`.  The copy stays in the
delivered folder as the record of what was compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from diag.errors import DataError, UsageError
from diag.files import write_atomic
from diag.record import RESULTS

__all__ = ["PREVIOUS", "find_previous", "stage", "load_previous", "has_previous"]

#: Folder of a run that holds the results.json it was compared with.
PREVIOUS = "previous"


def find_previous(slug: str, out_root: Path, since: Path | None = None, *, use: bool = True) -> tuple[Path | None, bool]:
    """Return (the earlier results.json to compare with, whether it was asked for explicitly).

    ``since`` is a run folder (``OUT/<client>``), an output folder holding
    ``<slug>/results.json`` (a previous batch), or a results.json itself; without it
    the previous report of the same client, ``out_root/<slug>/results.json``, is used
    when there is one.  ``use=False`` (``--no-since``) compares with nothing.
    Raises :class:`UsageError` when ``since`` holds no results.json for the client.
    """
    if not use:
        return None, False
    if since is None:
        default = Path(out_root) / slug / RESULTS
        return (default, False) if default.is_file() else (None, False)
    since = Path(since)
    for candidate in (since, since / RESULTS, since / slug / RESULTS):
        if candidate.is_file():
            return candidate.resolve(), True
    if not since.exists():
        raise UsageError(f"no such earlier run folder: {since}", file="--since")
    raise UsageError(f"expected an earlier run folder with results.json (or an output folder with "
                     f"{slug}/results.json), found none in {since}", file="--since")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"cannot read the earlier results ({type(exc).__name__}: {exc})", file=path) from None
    if not isinstance(data, dict):
        raise DataError(f"expected a results object, got {type(data).__name__}", file=path)
    return data


def stage(source: Path | None, work: Path, *, strict: bool,
          clean: Callable[[Any], Any] | None = None) -> str | None:
    """Copy the earlier ``results.json`` into ``work/previous/``; return a note when it was skipped.

    ``strict`` (asked for with ``--since``): an unreadable file is bad input
    (:class:`DataError`).  Otherwise (the default previous report) it is skipped and
    the returned note says why, so a damaged old folder never stops a new run.
    ``clean`` (the run's :class:`~diag.privacy.Scrubber` ``.data``) masks personal data
    in the copy, which becomes part of the delivered folder.
    """
    if source is None:
        return None
    try:
        data = _read(Path(source))
    except DataError as exc:
        if strict:
            raise
        return f"提示: 上次的结果无法读取, 本次不做前后对比 ({exc.line()})"
    data.setdefault("meta", {})
    if isinstance(data["meta"], dict):
        data["meta"]["compared_from"] = str(source)
    if clean is not None:
        data = clean(data)
    write_atomic(Path(work) / PREVIOUS / RESULTS, json.dumps(data, ensure_ascii=False, indent=1))
    return None


def has_previous(run_dir: str | Path) -> bool:
    """Return True when the run folder holds an earlier results.json to compare with."""
    return (Path(run_dir) / PREVIOUS / RESULTS).is_file()


def load_previous(run_dir: str | Path) -> dict[str, Any] | None:
    """Return the earlier results the run compares with, or None (none staged, or unreadable)."""
    path = Path(run_dir) / PREVIOUS / RESULTS
    if not path.is_file():
        return None
    try:
        return _read(path)
    except DataError:
        return None
