"""Numbers of integer keys in order of first sight, without a Python loop.

The model cache's scorer keeps one decision row per distinct packed context and per
year (:class:`~pv_identify.stream.model_cache._Scorer`); each chunk looks up its
distinct contexts (10M rows: ~1.2M lookups over the run) and appends the new ones.
A Python loop over a dict did that one key at a time (~0.6-0.8 cpu s of pass 2's main
thread at 10M rows); :class:`KeyRows` looks a chunk's keys up at once in pandas'
``Int64HashTable`` and numbers the new ones as the loop did.

:func:`dense_factorize` gives ``pd.factorize``'s codes and uniques for small
non-negative integers (the model cache's rule-id and evidence numbers of a chunk's
rows) from a table as long as the largest value, without hashing: ~0.5 ms per 100k
rows against ~3 ms.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pv_identify.stream.distinct import mixed_keys


class KeyRows:
    """Number int64 keys 0, 1, ... in order of first sight.

    Examples
    --------
    >>> rows = KeyRows()
    >>> out, new = rows.rows(np.array([7, 3, 7]))
    >>> out.tolist(), new
    ([0, 1, 0], [7, 3])
    >>> out, new = rows.rows(np.array([3, 9]))
    >>> out.tolist(), new, len(rows)
    ([1, 2], [9], 3)
    """

    def __init__(self) -> None:
        from pandas._libs.hashtable import Int64HashTable

        self._index: Any = Int64HashTable(1 << 10)
        self._size = 0

    def __len__(self) -> int:
        """Keys numbered so far."""
        return self._size

    def rows(self, keys: np.ndarray) -> tuple[np.ndarray, list[int]]:
        """Return each key's number and the keys numbered by this call.

        Parameters
        ----------
        keys : numpy.ndarray
            Integer keys (repeats allowed).

        Returns
        -------
        tuple
            The number of every key (int64; a key not seen before gets the next number,
            in order of its first position in ``keys``), and the new keys in that order
            as Python ints.
        """
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        if not len(keys):
            return np.empty(0, dtype=np.int64), []
        out = np.asarray(self._index.lookup(mixed_keys(keys)), dtype=np.int64)
        absent = np.flatnonzero(out < 0)
        if not len(absent):
            return out, []
        codes, uniques = pd.factorize(keys[absent])  # in order of first position
        new = np.asarray(uniques, dtype=np.int64)
        start, self._size = self._size, self._size + len(new)
        out[absent] = start + np.asarray(codes, dtype=np.int64)
        self._index.map_keys_to_values(mixed_keys(new),
                                       np.arange(start, self._size, dtype=np.int64))
        return out, new.tolist()


#: Largest value :func:`dense_factorize` numbers with a table (else ``pd.factorize``).
DENSE_LIMIT = 1 << 22


def dense_factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``pd.factorize(values)`` as int64 arrays (codes, uniques in order of first row).

    For integers in ``[0, DENSE_LIMIT)`` each value's first row is found with one
    scatter (``first[values[::-1]] = rows[::-1]``: the last write of a repeated index,
    the first row, is kept, as in
    :func:`~pv_identify.stream.distinct.representatives_first`); other values go through
    ``pd.factorize``.

    Parameters
    ----------
    values : numpy.ndarray
        Integer values.

    Returns
    -------
    tuple of numpy.ndarray
        The code of every value (int64) and the distinct values in order of first row.

    Examples
    --------
    >>> codes, uniques = dense_factorize(np.array([5, 2, 5, 0, 2]))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, 0, 2, 1], [5, 2, 0])
    """
    values = np.asarray(values)
    n = len(values)
    if not n or values.dtype.kind not in "iu" or int(values.min()) < 0 \
            or int(values.max()) >= DENSE_LIMIT:
        codes, uniques = pd.factorize(values)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=np.int64)
    size = int(values.max()) + 1
    first = np.full(size, n, dtype=np.int64)
    first[values[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
    present = np.flatnonzero(first < n)
    uniques = present[np.argsort(first[present], kind="stable")]
    rank = np.empty(size, dtype=np.int64)
    rank[uniques] = np.arange(len(uniques), dtype=np.int64)
    return rank[values], uniques.astype(np.int64)
