"""The library's two bounded caches: a least-recently-used mapping and a cleared memo.

Every module-level cache (compiled rule sets, loaded models, free-text taggers, the
per-process distinct-value taggers of the file runner and the engines, the per-field
match caches) is an :class:`LRUCache`, so they all evict the same way.

The memos of the hot paths (a text matcher's per-token, per-key-word and per-hits
answers, the scanner's and the grammar's per-token results) are plain dicts owned by one
object, whose values are functions of their keys: :func:`remember` stores into them and
empties a memo that is full, with no lock and no recency bookkeeping (a look-up is one
``dict.get``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, TypeVar

_ABSENT = object()

_K = TypeVar("_K")
_V = TypeVar("_V")


def remember(memo: dict[_K, _V], key: _K, value: _V, size: int) -> _V:
    """Store ``value`` under ``key`` in a memo that is emptied when it holds ``size`` entries.

    Parameters
    ----------
    memo : dict
        The memo (its values are functions of its keys, so forgetting them is safe).
    key, value
        The entry to keep.
    size : int
        Entries the memo may hold; a full memo is cleared before the new entry goes in.

    Returns
    -------
    object
        ``value``, so a miss reads ``return remember(memo, key, compute(key), SIZE)``.
    """
    if len(memo) >= size:
        memo.clear()
    memo[key] = value
    return value


class LRUCache:
    """A small least-recently-used mapping bounded by the number of entries.

    Parameters
    ----------
    max_entries : int
        Entries kept; the least recently used are dropped beyond that.
    """

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = int(max_entries)
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Any, default: Any = None) -> Any:
        """Return the value of ``key`` (marking it recently used), or ``default``."""
        with self._lock:
            try:
                value = self._data[key]
            except KeyError:
                self.misses += 1
                return default
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Any, value: Any) -> None:
        """Store ``value`` under ``key``, dropping the oldest entries beyond the bound."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def get_or_create(self, key: Any, factory: Any) -> Any:
        """Return the value of ``key``, creating it with ``factory()`` when absent."""
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            value = factory()
            self.put(key, value)
        return value

    def clear(self) -> None:
        """Drop all entries."""
        with self._lock:
            self._data.clear()
