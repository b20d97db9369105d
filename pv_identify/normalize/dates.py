"""Parse register dates (ISO ``2016-03-01``, Dutch ``01-03-2016``, SPSS/pandas datetimes).

Dates repeat heavily, so parsing runs once per distinct value.
"""

from __future__ import annotations

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
