"""Design-based estimators for a stratified random sample (STSI).

Notation: stratum ``h`` has ``N_h`` offences, ``m_h`` of them drawn *and annotated*;
each annotated offence stands for ``w = N_h / m_h`` offences (the inverse inclusion
probability, adjusted for unfilled rows when those are allowed).

* **Total** (Horvitz–Thompson): ``Y = sum_h N_h ybar_h``.
* **Ratio** ``R = Y / X`` (a share, a precision, a recall, or any of them inside a
  domain such as a registration year): ``R = sum w y / sum w x``.
* **Variance** of a total of ``z``: the stratified estimator with finite-population
  correction, ``V = sum_h N_h^2 (1 - m_h / N_h) s_h^2 / m_h`` with ``s_h^2`` the sample
  variance of ``z`` in stratum ``h`` (Cochran, *Sampling Techniques*, 5.6). For a ratio,
  Taylor linearisation: ``z = (y - R x) / X`` (Särndal, Swensson & Wretman, 5.6).
* A stratum with a single annotated row (``1 < N_h``) cannot estimate its own spread:
  its row is centred at the overall mean of ``z`` instead of the stratum mean (the
  conservative ``adjust`` rule of R's *survey* package), and the caller warns.
* Degrees of freedom: annotated rows in the denominator minus the strata they lie in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StratifiedSample:
    """The annotated rows of a stratified sample and their strata.

    Parameters
    ----------
    codes : numpy.ndarray of int
        Stratum index (``0..H-1``) of each annotated row.
    sizes : numpy.ndarray of int
        ``N_h`` per stratum.
    """

    codes: np.ndarray
    sizes: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        """``m_h``: annotated rows per stratum."""
        return np.bincount(self.codes, minlength=len(self.sizes))

    @property
    def weights(self) -> np.ndarray:
        """``N_h / m_h`` per annotated row."""
        return (self.sizes / np.maximum(self.counts, 1))[self.codes]

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its design-based standard error.

    Parameters
    ----------
    estimate : float
        Point estimate (NaN if the denominator is empty).
    se : float
        Standard error.
    n : int
        Annotated rows that carry information (non-zero denominator).
    df : int
        Degrees of freedom for the interval.
    """

    estimate: float
    se: float
    n: int
    df: int


def total_variance(sample: StratifiedSample, z: np.ndarray) -> float:
    """Stratified variance (with finite-population correction) of the estimated total of ``z``.

    Parameters
    ----------
    sample : StratifiedSample
        The annotated rows.
    z : numpy.ndarray of float
        Value per annotated row.

    Returns
    -------
    float
        ``sum_h N_h^2 (1 - m_h/N_h) s_h^2 / m_h``.
    """
    z = np.asarray(z, dtype=float)
    h = len(sample.sizes)
    m = sample.counts.astype(float)
    sizes = sample.sizes.astype(float)
    mean_h = np.bincount(sample.codes, weights=z, minlength=h) / np.maximum(m, 1)
    lonely = (m == 1) & (sizes > 1)
    centre = mean_h[sample.codes]
    if lonely.any():
        w = sample.weights
        overall = float(np.sum(w * z) / np.sum(w)) if len(z) else 0.0
        centre = np.where(lonely[sample.codes], overall, centre)
    ss = np.bincount(sample.codes, weights=(z - centre) ** 2, minlength=h)
    s2 = np.where(m >= 2, ss / np.maximum(m - 1, 1), ss)
    fpc = np.where(sizes > 0, 1.0 - m / np.maximum(sizes, 1), 0.0)
    per_stratum = np.where(m > 0, sizes**2 * fpc * s2 / np.maximum(m, 1), 0.0)
    return float(np.sum(per_stratum))


def _df(sample: StratifiedSample, active: np.ndarray) -> int:
    rows = int(active.sum())
    strata = len(np.unique(sample.codes[active]))
    return max(rows - strata, 1)


def estimate_total(sample: StratifiedSample, y: np.ndarray) -> Estimate:
    """Horvitz–Thompson total of ``y`` over the population.

    Parameters
    ----------
    sample : StratifiedSample
        The annotated rows.
    y : numpy.ndarray
        Value per annotated row.

    Returns
    -------
    Estimate
        ``sum w y`` and its standard error.
    """
    y = np.asarray(y, dtype=float)
    total = float(np.sum(sample.weights * y))
    var = total_variance(sample, y)
    return Estimate(total, float(np.sqrt(max(var, 0.0))), len(sample),
                    _df(sample, np.ones(len(sample), dtype=bool)))


def estimate_ratio(sample: StratifiedSample, y: np.ndarray, x: np.ndarray) -> Estimate:
    """Ratio ``sum w y / sum w x`` with its linearised standard error.

    Parameters
    ----------
    sample : StratifiedSample
        The annotated rows.
    y, x : numpy.ndarray
        Numerator and denominator per annotated row (for a share of a domain:
        ``y * d`` and ``d``; for a precision: ``gold * flag`` and ``flag``).

    Returns
    -------
    Estimate
        The ratio (NaN if no annotated row has ``x != 0``).
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    w = sample.weights
    denom = float(np.sum(w * x))
    active = x != 0
    if denom <= 0 or not active.any():
        return Estimate(float("nan"), float("nan"), 0, 1)
    ratio = float(np.sum(w * y)) / denom
    z = (y - ratio * x) / denom
    var = total_variance(sample, z)
    return Estimate(ratio, float(np.sqrt(max(var, 0.0))), int(active.sum()),
                    _df(sample, active))
