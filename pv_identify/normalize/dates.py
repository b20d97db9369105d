"""Parse register dates (ISO ``2016-03-01``, Dutch ``01-03-2016``, SPSS/pandas datetimes).

Dates repeat heavily, so parsing runs once per distinct value. This is the one rule for
what a date is: the model's case and person history, the roll-ups, the cohort builder
and the estimates all read dates through :func:`parse_dates` (or :func:`arrow_dates`,
its Arrow fast path), so ``01-03-2016`` is 1 March 2016 everywhere (``pandas.to_datetime``
would read it as 3 January, and set a column that mixes formats to NaT).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

_FALLBACK_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d")


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a column of dates; unparseable and missing values become NaT.

    Parameters
    ----------
    values : pandas.Series
        Strings, datetimes or dates.

    Returns
    -------
    pandas.Series
        ``datetime64[ns]`` values with the index of ``values``.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)  # the local calendar date, as written
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.astype("datetime64[ns]")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = pd.Series(uniques, dtype=object).map(
        lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))
    parsed = pd.to_datetime(texts, format="ISO8601", errors="coerce")
    for fmt in _FALLBACK_FORMATS:
        missing = parsed.isna()
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(texts[missing], format=fmt, errors="coerce")
    table = parsed.astype("datetime64[ns]").to_numpy()
    table = np.append(table, np.datetime64("NaT", "ns"))  # code -1 -> NaT
    return pd.Series(table[codes], index=values.index, dtype="datetime64[ns]")


def arrow_dates(values: Any) -> Any | None:
    """Arrow dates and naive timestamps as ``timestamp[ns]``, as :func:`parse_dates` gives them.

    The fast path for Parquet columns: a ``date32``/``date64`` or time-zone-free
    timestamp column is cast in Arrow (pandas would first make a Python ``date`` per
    cell). Returns None for anything else, and for values outside the nanosecond range
    (which :func:`parse_dates` turns into NaT): convert those through pandas.

    Parameters
    ----------
    values : pyarrow.Array or pyarrow.ChunkedArray
        The column.

    Returns
    -------
    pyarrow.Array or pyarrow.ChunkedArray or None
        ``timestamp[ns]`` values, or None when the column needs :func:`parse_dates`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        return None
    kind = values.type
    if not (pa.types.is_date(kind) or (pa.types.is_timestamp(kind) and kind.tz is None)):
        return None
    try:
        return pc.cast(values, pa.timestamp("ns"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # out of the nanosecond range
