"""Files the kit writes and lists: atomic writes, plain-JSON values, YAML folders by key.

Every output (results, reports, briefs, caches) is written through :func:`write_atomic`,
so a reader never sees half a file; :func:`to_jsonable` turns numpy and pandas values
into strict JSON (NaN → null).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def _file_mode() -> int:
    """Return the mode a plain new file gets under this process's umask (0644 under 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


#: ``mkstemp`` makes private (0600) files; outputs are shared like any file the user writes.
FILE_MODE = _file_mode()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_jsonable(value: Any) -> Any:
    """Return ``value`` as plain JSON types (numpy / pandas scalars, dates, NaN → None)."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 and getattr(value, "minute", 0) == 0 \
            else value.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    return value


def yaml_by_key(folders: list[Path]) -> dict[str, Path]:
    """Return ``{file stem: path}`` of the ``*.yaml`` files in ``folders``; a later folder
    (the firm's) overrides an earlier one, and files starting with ``.`` or ``_`` are skipped."""
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                if not path.name.startswith((".", "_")):
                    found[path.stem] = path
    return found
