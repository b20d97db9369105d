"""Apply a function once per distinct value of a column and map the results back.

Registers repeat the same strings millions of times; every normalisation and
matching step goes through :func:`map_distinct` so its cost scales with the number
of distinct values, not with the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def to_text(value: Any) -> str:
    """Turn one register value into a string; missing values become ``""``.

    Parameters
    ----------
    value : object
        A cell value: str, number, None, NaN, NA, bytes.

    Returns
    -------
    str
        The value as text. Bytes are decoded as UTF-8, falling back to cp1252.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("cp1252", errors="replace")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def factorize_cells(values: pd.Series) -> tuple[np.ndarray, Any]:
    """:func:`pandas.factorize`, with a :class:`ColumnMappingError` for cells holding lists.

    A list, array or mapping in a text column (a Parquet ``list<string>`` column, a
    frame built from JSON) cannot be hashed; pandas raised a bare ``TypeError``.
    """
    try:
        return pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        kinds = sorted({type(v).__name__ for v in values
                        if isinstance(v, list | tuple | set | dict | np.ndarray)})
        if not kinds:
            raise
        from pv_identify.errors import ColumnMappingError

        raise ColumnMappingError(
            f"column {values.name!r} holds {', '.join(kinds)} values, not text; the rules "
            "read one text per cell: join the items into one text first") from None


def factorize_text(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Factorise a column into integer codes and its distinct values as text.

    Missing values get the code of the empty string, so every row has a code.

    Parameters
    ----------
    values : pandas.Series
        The column.

    Returns
    -------
    codes : numpy.ndarray of int64
        One code per row, indexing into ``uniques``.
    uniques : list of str
        Distinct values converted with :func:`to_text` (may repeat after
        conversion, e.g. ``1`` and ``"1"``; that is harmless).
    """
    codes, uniques = factorize_cells(values)
    texts = [to_text(u) for u in uniques]
    codes = np.asarray(codes, dtype=np.int64)
    if (codes < 0).any():
        texts.append("")
        codes = np.where(codes < 0, len(texts) - 1, codes)
    return codes, texts


def map_distinct(values: pd.Series, func: Callable[[str], Any]) -> pd.Series:
    """Apply ``func`` once per distinct value and return a row-aligned Series.

    Parameters
    ----------
    values : pandas.Series
        Input column (any dtype; missing values are passed as ``""``).
    func : callable
        Function of one string.

    Returns
    -------
    pandas.Series
        ``func`` of each row's value, with the index of ``values`` (object dtype).
    """
    codes, uniques = factorize_text(values)
    results = np.empty(len(uniques), dtype=object)
    for i, text in enumerate(uniques):
        results[i] = func(text)
    return pd.Series(results[codes], index=values.index, dtype=object)
