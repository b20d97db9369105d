"""The one cluster bootstrap of the library.

Every metric the library reports with an interval is a function of a few counts per
row (the cell of a confusion table, or tp/fp/fn of several targets). Offences of one
case or person, and items quoting one ruling, are not independent, so whole
*clusters* are resampled. A cluster is summarised by its *profile*: the sum of its
rows' counts. Drawing ``m`` clusters with replacement is one multinomial draw of ``m``
over the distinct profiles, weighted by how often each occurs, times the profiles;
the result is exactly the bootstrap of clusters, and its cost does not grow with the
number of rows. Without clusters every row is its own cluster (the row bootstrap).

Used by :mod:`pv_identify.evaluate.metrics` (``bootstrap_counts``),
:mod:`pv_identify.model.metrics` (``bootstrap_table``) and the corpus evaluation
(:mod:`pv_identify.evaluate.textcorpus`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError

#: Default number of bootstrap replicates.
N_BOOT = 1000
#: Default confidence level.
LEVEL = 0.95
#: Fixed weights of the multiset hash that identifies equal profiles.
_HASH_SEED = 0x5EED


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a confidence interval.

    Parameters
    ----------
    value : float
        The estimate on the observed data (NaN when undefined, e.g. precision with
        nothing flagged).
    low, high : float
        Bounds of the percentile bootstrap interval.
    """

    value: float
    low: float
    high: float

    def format(self, digits: int = 3) -> str:
        """Return ``"0.912 [0.890, 0.931]"``."""
        if math.isnan(self.value):
            return "n/a"
        if math.isnan(self.low):
            return f"{self.value:.{digits}f}"
        return f"{self.value:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"

    def to_dict(self) -> dict[str, float | None]:
        """``{"value", "low", "high"}`` with None for NaN (JSON-safe)."""
        return {k: (None if math.isnan(v) else float(v))
                for k, v in (("value", self.value), ("low", self.low), ("high", self.high))}


def cluster_codes(cluster: pd.Series | np.ndarray | list | None, n: int) -> np.ndarray:
    """Integer cluster code per row (0 .. m - 1); rows without a cluster id stand alone.

    Parameters
    ----------
    cluster : array-like or None
        Cluster id per row; None makes every row its own cluster.
    n : int
        Number of rows.

    Returns
    -------
    numpy.ndarray of int64
        The codes.
    """
    if cluster is None:
        return np.arange(n, dtype=np.int64)
    values = np.asarray(cluster, dtype=object) if isinstance(cluster, list) else np.asarray(cluster)
    if len(values) != n:
        raise PvIdentifyError(f"cluster has {len(values)} values for {n} rows")
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    missing = codes < 0
    if missing.any():
        codes[missing] = codes.max(initial=-1) + 1 + np.arange(int(missing.sum()))
    return codes


def pool_profiles(values: np.ndarray, codes: np.ndarray, n_cols: int | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Distinct cluster profiles and how many clusters have each.

    Parameters
    ----------
    values : numpy.ndarray
        Either one cell index per row (1-D, ints in ``0 .. n_cols - 1``) or a count
        matrix (2-D, rows x columns).
    codes : numpy.ndarray of int
        Cluster code per row (0 .. m - 1, every code used).
    n_cols : int, optional
        Number of cells (required for 1-D ``values``).

    Returns
    -------
    profiles : numpy.ndarray, shape (k, n_cols)
        The distinct profiles (column sums of a cluster's rows), in lexicographic
        order (as :func:`numpy.unique` with ``axis=0`` gives them).
    freq : numpy.ndarray, shape (k,)
        Number of clusters with each profile.
    """
    one_hot = values.ndim == 1
    if one_hot:
        if n_cols is None:
            raise PvIdentifyError("n_cols is required for cell indices")
        cells = values.astype(np.int64)
    else:
        n_cols = values.shape[1]
        counts = values.astype(np.int64)
    n_clusters = int(codes.max()) + 1 if len(codes) else 0
    if n_clusters == 0:
        return np.zeros((0, n_cols), dtype=np.int64), np.zeros(0, dtype=np.int64)
    # identify each cluster's profile by a multiset hash (sum of fixed random 64-bit
    # weights, wrapping), then build the profile of one representative per hash
    weights = np.random.default_rng(_HASH_SEED).integers(1, 2**63, size=n_cols,
                                                          dtype=np.uint64)
    if one_hot:
        row_key = weights[cells]
    else:
        with np.errstate(over="ignore"):
            row_key = (counts.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
    key = np.zeros(n_clusters, dtype=np.uint64)
    np.add.at(key, codes, row_key)
    pid, uniques = pd.factorize(key)
    k = len(uniques)
    freq = np.bincount(pid, minlength=k).astype(np.int64)
    first = np.full(k, -1, dtype=np.int64)
    first[pid[::-1]] = np.arange(n_clusters - 1, -1, -1)
    is_rep = np.zeros(n_clusters, dtype=bool)
    is_rep[first] = True
    rows = is_rep[codes]
    if one_hot:
        profiles = np.bincount(pid[codes[rows]] * n_cols + cells[rows],
                               minlength=k * n_cols).reshape(k, n_cols)
        observed = np.bincount(cells, minlength=n_cols)
    else:
        profiles = np.zeros((k, n_cols), dtype=np.int64)
        np.add.at(profiles, pid[codes[rows]], counts[rows])
        observed = counts.sum(axis=0)
    if not np.array_equal(freq @ profiles, observed):  # a hash collision: exact fallback
        dense = np.zeros((n_clusters, n_cols), dtype=np.int64)
        if one_hot:
            np.add.at(dense, (codes, cells), 1)
        else:
            np.add.at(dense, codes, counts)
        profiles, freq = np.unique(dense, axis=0, return_counts=True)
        return profiles.astype(np.int64), freq.astype(np.int64)
    order = np.lexsort(profiles.T[::-1]) if n_cols else np.arange(k)
    return profiles[order].astype(np.int64), freq[order]


def cluster_bootstrap(
    values: np.ndarray,
    *,
    n_cols: int | None = None,
    cluster: pd.Series | np.ndarray | list | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Observed and bootstrapped column totals, resampling whole clusters.

    Parameters
    ----------
    values : array-like
        One cell index per row (1-D; then ``n_cols`` is required) or a count matrix
        (2-D, rows x columns; e.g. tp/fp/fn of several targets).
    n_cols : int, optional
        Number of cells for 1-D ``values``.
    cluster : array-like, optional
        Cluster id per row (case, person, source); None resamples rows.
    n_boot : int, default 1000
        Number of replicates.
    seed : int, default 0
        Random seed (fixed: the same data give the same intervals).

    Returns
    -------
    observed : numpy.ndarray, shape (n_cols,)
        Totals on the data.
    replicates : numpy.ndarray, shape (n_boot, n_cols)
        Totals in each replicate.

    Examples
    --------
    >>> obs, reps = cluster_bootstrap([3, 3, 3, 0], n_cols=4, cluster=["a", "a", "a", "b"],
    ...                               n_boot=5)
    >>> obs.tolist(), sorted(set(reps[:, 3].tolist())) <= [0, 3, 6]
    ([1, 0, 0, 3], True)
    """
    arr = np.asarray(values)
    if arr.ndim == 1:
        if n_cols is None:
            raise PvIdentifyError("n_cols is required for cell indices")
        arr = arr.astype(np.int64)
        observed = np.bincount(arr, minlength=n_cols).astype(np.int64)
    elif arr.ndim == 2:
        n_cols = arr.shape[1]
        observed = arr.sum(axis=0).astype(np.int64)
    else:
        raise PvIdentifyError(f"values must be 1-D cells or a 2-D count matrix, got {arr.ndim}-D")
    n_boot = max(int(n_boot), 0)
    if len(arr) == 0 or n_boot == 0:
        return observed, np.zeros((n_boot, n_cols), dtype=np.int64)
    codes = cluster_codes(cluster, len(arr))
    profiles, freq = pool_profiles(arr, codes, n_cols)
    m = int(freq.sum())
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(m, freq / m, size=n_boot)
    return observed, (draws @ profiles).astype(np.int64)


def percentile_interval(observed: float, replicates: np.ndarray, level: float = LEVEL
                        ) -> Estimate:
    """Percentile interval of a statistic (replicates where it is undefined are left out).

    Parameters
    ----------
    observed : float
        Value on the data.
    replicates : numpy.ndarray
        Value in each bootstrap replicate (NaN where undefined).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Estimate
        Value with bounds (NaN bounds without finite replicates).
    """
    reps = np.asarray(replicates, dtype=float)
    finite = reps[np.isfinite(reps)]
    if math.isnan(observed) or finite.size == 0:
        return Estimate(float(observed), math.nan, math.nan)
    alpha = (1 - level) / 2
    low, high = np.quantile(finite, [alpha, 1 - alpha])
    return Estimate(float(observed), float(low), float(high))


def prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, ...]:
    """Precision, recall and F1 from counts (vectorised; NaN where undefined).

    Parameters
    ----------
    tp, fp, fn : numpy.ndarray
        True positives, false positives, false negatives.

    Returns
    -------
    tuple of numpy.ndarray
        Precision, recall, F1.
    """
    tp = np.asarray(tp, dtype=float)
    fp = np.asarray(fp, dtype=float)
    fn = np.asarray(fn, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / np.where(tp + fp > 0, tp + fp, 1), np.nan)
        recall = np.where(tp + fn > 0, tp / np.where(tp + fn > 0, tp + fn, 1), np.nan)
        den = 2 * tp + fp + fn
        f1 = np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), np.nan)
    return precision, recall, f1
