"""Small vectorised sampling helpers shared by the generator modules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Days per (Gregorian) year; calendar times are kept as fractional years.
DAYS_PER_YEAR: float = 365.2425


def categorical(rng: np.random.Generator, probs: Sequence[float], n: int) -> np.ndarray:
    """Draw ``n`` category codes with fixed probabilities.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream.
    probs : sequence of float
        Probabilities of codes ``0 .. len(probs) - 1`` (normalised here).
    n : int
        Number of draws.

    Returns
    -------
    numpy.ndarray
        ``int16`` codes.
    """
    p = np.asarray(probs, dtype=float)
    cum = np.cumsum(p / p.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, rng.random(n), side="right").astype(np.int16)


def categorical_rows(
    rng: np.random.Generator, table: np.ndarray, row: np.ndarray
) -> np.ndarray:
    """Draw one category per element, each from its own row of a probability table.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream.
    table : numpy.ndarray
        ``(n_groups, n_categories)`` probabilities (each row is normalised here).
    row : numpy.ndarray
        Group index of each element.

    Returns
    -------
    numpy.ndarray
        ``int16`` codes.
    """
    t = np.asarray(table, dtype=float)
    cum = np.cumsum(t / t.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(row))
    return (u[:, None] >= cum[row]).sum(axis=1).astype(np.int16)


def gamma_mean(
    rng: np.random.Generator, mean: float, shape: float, n: int
) -> np.ndarray:
    """Draw gamma variates parameterised by mean and shape.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream.
    mean, shape : float
        Mean and shape (smaller shape = more spread).
    n : int
        Number of draws.

    Returns
    -------
    numpy.ndarray
        Draws (float).
    """
    return rng.gamma(shape, mean / shape, size=n)


def years_to_days(t: np.ndarray) -> np.ndarray:
    """Convert fractional calendar years (e.g. ``2015.5``) to days since 1970-01-01.

    Parameters
    ----------
    t : numpy.ndarray
        Fractional calendar years.

    Returns
    -------
    numpy.ndarray
        ``int64`` day numbers.
    """
    return np.floor((np.asarray(t) - 1970.0) * DAYS_PER_YEAR).astype(np.int64)


def day_of(iso: str) -> int:
    """Return the day number (days since 1970-01-01) of an ISO date.

    Parameters
    ----------
    iso : str
        ``YYYY-MM-DD``.

    Returns
    -------
    int
        Day number.
    """
    return int(np.datetime64(iso, "D").astype(np.int64))


def year_of_days(days: np.ndarray) -> np.ndarray:
    """Return the calendar year of day numbers.

    Parameters
    ----------
    days : numpy.ndarray
        Days since 1970-01-01.

    Returns
    -------
    numpy.ndarray
        ``int32`` years.
    """
    return (np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
            + 1970).astype(np.int32)


def segment_starts(group: np.ndarray) -> np.ndarray:
    """Return, for each element of a sorted group array, the index where its group starts.

    Parameters
    ----------
    group : numpy.ndarray
        Non-decreasing group ids.

    Returns
    -------
    numpy.ndarray
        Start index per element (so ``arange(n) - result`` is the rank in the group).
    """
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(group[1:], group[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return np.repeat(starts, np.diff(np.append(starts, n)))
