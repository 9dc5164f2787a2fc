"""Remember results of pure computations by the content of their inputs.

The notebooks of one run ask for the same figures more than once (the intake, the
diagnosis and the strategy each compute the contract's metrics from the same orders);
in a warm kernel those calls follow each other.  :class:`Memo` keeps the last few
results keyed by a digest of the input *content* (never by object identity), and
hands out deep copies, so a caller that edits its result changes nothing for the next.
"""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from typing import Any, Hashable

import pandas as pd


def frame_digest(frame: pd.DataFrame) -> str:
    """Return a digest of a DataFrame's values, column names and dtypes."""
    digest = hashlib.sha256()
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode("utf-8"))
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


class Memo:
    """A small least-recently-used store of results, returned as deep copies."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        """Return a copy of the result stored under ``key``, or None."""
        if key not in self._items:
            return None
        self._items.move_to_end(key)
        return copy.deepcopy(self._items[key])

    def put(self, key: Hashable, value: Any) -> Any:
        """Store ``value`` under ``key`` and return it."""
        self._items[key] = copy.deepcopy(value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value


__all__ = ["Memo", "frame_digest"]
