"""A frame's rows kept in growable numpy columns: appends amortised, the frame built on demand.

:class:`~pv_identify.stream.distinct.DistinctTagger` keeps one output row per cache
slot and appends a chunk's new slots; with ``pd.concat`` every append copied the
whole store (10M-row model run: 147k slots over 119 chunks, ~0.7 cpu s on pass 1's
main thread, plus ~0.4 for the new rows' own concat and takes). Here each column is
a numpy array with spare capacity (doubled when full; a categorical column as its
codes), so an append copies only the new rows, rows are taken with numpy, and the
pandas frame is built only when asked for (kept until the next append).

The frame equals what ``pd.concat([...], ignore_index=True)`` of the appended frames
gives as long as every appended frame has the first one's columns and dtypes; an
append that differs goes through ``pd.concat`` with the frame so far, as before, and
the store starts again from its result. A frame with other column types (pandas'
extension arrays) is kept as a frame and appended with ``pd.concat``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def with_room(array: np.ndarray, used: int, size: int) -> np.ndarray:
    """Return ``array`` if it has ``size`` rows, else a larger one holding its first ``used``.

    The one growth rule of the stream's growable arrays (this store's columns, the
    model cache's slot parts): the capacity doubles (from at least 16) until it holds
    ``size`` rows, so appending n rows one chunk at a time copies O(n) rows in all. The
    new array's other rows are zeros.
    """
    if size <= len(array):
        return array
    capacity = max(len(array), 16)
    while capacity < size:
        capacity *= 2
    grown = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[:used] = array[:used]
    return grown


def _supported(frame: pd.DataFrame) -> bool:
    """Whether every column is a numpy dtype or a categorical (what the store keeps)."""
    return all(isinstance(t, (np.dtype, pd.CategoricalDtype)) for t in frame.dtypes)


def _same_dtype(a: Any, b: Any) -> bool:
    """Whether values of dtype ``a`` can be kept as values of dtype ``b``.

    Two categoricals must have their categories in the same order: the store keeps
    codes, and pandas calls unordered categoricals with the same categories in another
    order equal.
    """
    if isinstance(a, pd.CategoricalDtype) or isinstance(b, pd.CategoricalDtype):
        return (isinstance(a, pd.CategoricalDtype) and isinstance(b, pd.CategoricalDtype)
                and a.ordered == b.ordered and a.categories.equals(b.categories)
                and a.categories.dtype == b.categories.dtype)
    return bool(a == b)


def _values(series: pd.Series) -> np.ndarray:
    """Return a column's values as kept: a categorical's codes, else the numpy array."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return np.asarray(series.cat.codes)
    return series.to_numpy(dtype=series.dtype, copy=False)


class ColumnStore:
    """Rows of one frame's columns, appended chunk by chunk.

    Examples
    --------
    >>> store = ColumnStore()
    >>> store.append(pd.DataFrame({"a": [1, 2]}))
    >>> store.append(pd.DataFrame({"a": [3]}))
    >>> store.frame()["a"].tolist()
    [1, 2, 3]
    """

    def __init__(self) -> None:
        self._dtypes: dict[str, Any] | None = None
        self._arrays: dict[str, np.ndarray] = {}
        self._size = 0
        self._frame: pd.DataFrame | None = None
        #: The frame itself while a column is of a type not kept in numpy (see _supported).
        self._plain: pd.DataFrame | None = None

    def __len__(self) -> int:
        return self._size if self._plain is None else len(self._plain)

    @property
    def columnar(self) -> bool:
        """Whether the rows are kept in numpy columns (:meth:`take`, :meth:`column` work)."""
        return self._dtypes is not None and self._plain is None

    @property
    def dtypes(self) -> dict[str, Any]:
        """Column name -> pandas dtype (in column order); empty before the first append."""
        return dict(self._dtypes or {})

    def matches(self, frame: pd.DataFrame) -> bool:
        """Whether ``frame`` has this store's columns and dtypes (in order)."""
        return (self.columnar and list(frame.columns) == list(self._dtypes or {})
                and all(_same_dtype(frame[c].dtype, t) for c, t in (self._dtypes or {}).items()))

    def append(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame`` (see the module's note on other dtypes)."""
        if self._dtypes is None or not len(self):  # an empty store takes the frame's layout
            self._start(frame)
        elif self._plain is not None:
            self._start(pd.concat([self._plain, frame.reset_index(drop=True)],
                                  ignore_index=True))
        elif self.matches(frame):
            self.append_values({c: _values(frame[c]) for c in frame.columns})
        else:  # another layout: pandas decides the result, as it did before
            self._start(pd.concat([self.frame(), frame.reset_index(drop=True)],
                                  ignore_index=True))

    def append_values(self, values: Mapping[str, np.ndarray]) -> None:
        """Append rows given as kept values (codes for categoricals; see :meth:`take`)."""
        if not self.columnar:
            raise RuntimeError("append a frame of numpy or categorical columns first")
        n = len(next(iter(values.values()))) if values else 0
        size = self._size + n
        for name in self._dtypes or {}:
            array = self._arrays[name] = with_room(self._arrays[name], self._size, size)
            array[self._size:size] = values[name]
        self._size = size
        self._frame = None

    def _start(self, frame: pd.DataFrame) -> None:
        frame = frame.reset_index(drop=True)
        frame.attrs = {}
        if not _supported(frame):
            self._plain, self._frame = frame, frame
            self._dtypes, self._arrays, self._size = {}, {}, 0
            return
        self._plain = None
        self._dtypes = {c: frame[c].dtype for c in frame.columns}
        self._arrays = {c: np.array(_values(frame[c]), copy=True) for c in frame.columns}
        self._size = len(frame)
        self._frame = None

    @staticmethod
    def kept(series: pd.Series) -> np.ndarray:
        """Return a column's values as the store keeps them (a categorical's codes)."""
        return _values(series)

    def take(self, rows: np.ndarray, names: Any = None) -> dict[str, np.ndarray]:
        """Values (codes for categoricals) of rows ``rows``, by column (new arrays)."""
        names = list(self._dtypes or {}) if names is None else names
        return {c: self._arrays[c][:self._size].take(rows) for c in names}

    def column(self, name: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Kept values of one column, rows ``start:stop`` (a view: do not change it)."""
        stop = self._size if stop is None else min(stop, self._size)
        return self._arrays[name][start:stop]

    def frame(self) -> pd.DataFrame:
        """Return the rows as a pandas frame (RangeIndex; built once per append)."""
        if self._plain is not None:
            return self._plain
        if self._dtypes is None:
            raise RuntimeError("nothing stored yet")
        if self._frame is None:
            n = self._size
            columns = {}
            for name, dtype in self._dtypes.items():
                values = self._arrays[name][:n].copy()
                if isinstance(dtype, pd.CategoricalDtype):
                    columns[name] = pd.Categorical.from_codes(values, dtype=dtype)
                else:
                    columns[name] = pd.Series(values, dtype=dtype)
            frame = pd.DataFrame(columns, columns=list(self._dtypes))
            frame.attrs = {}
            self._frame = frame
        return self._frame
