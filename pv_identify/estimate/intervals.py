"""Confidence intervals for shares, precisions and recalls from a complex sample.

* ``beta`` (default): the Korn–Graubard interval (Korn & Graubard 1998, *Survey
  Methodology* 24:193; R ``survey::svyciprop(method = "beta")``, SAS ``SURVEYFREQ``):
  the Clopper–Pearson interval at the *effective* sample size
  ``n* = p (1 - p) / V(p)``, scaled by ``(t_{n-1} / t_df)^2`` for the design's degrees
  of freedom. It stays inside [0, 1] and does not collapse to a point when every
  annotated row agrees (then ``n*`` is the number of annotated rows), which a Wald
  interval does.
* ``wald``: ``p ± t_df · se``, clipped to [0, 1].

Quantiles come from :mod:`scipy.stats`. A total ``N_d · p`` gets the interval of ``p``
scaled by the known domain size ``N_d``.
"""

from __future__ import annotations

import math

from scipy import stats

from pv_identify.estimate.errors import EstimateError
from pv_identify.estimate.estimators import Estimate

#: Interval methods.
INTERVALS: tuple[str, ...] = ("beta", "wald")
#: Relative variance below which a sample is taken to show no spread at all.
_TINY = 1e-12


def proportion_interval(est: Estimate, level: float = 0.95,
                        method: str = "beta") -> tuple[float, float]:
    """Confidence interval of a proportion-type estimate (in [0, 1]).

    Parameters
    ----------
    est : Estimate
        The estimate with its standard error, rows and degrees of freedom.
    level : float, default 0.95
        Confidence level.
    method : {"beta", "wald"}
        Interval method (see the module docstring).

    Returns
    -------
    (float, float)
        Lower and upper bound (NaN, NaN if the estimate is undefined).

    Raises
    ------
    EstimateError
        On an unknown method or a level outside (0, 1).
    """
    if method not in INTERVALS:
        raise EstimateError(f"unknown interval method {method!r}; use one of {INTERVALS}")
    if not 0 < level < 1:
        raise EstimateError(f"the confidence level must be in (0, 1), got {level}")
    p, se, n = est.estimate, est.se, est.n
    if not math.isfinite(p) or n < 1:
        return (math.nan, math.nan)
    p = min(max(p, 0.0), 1.0)
    alpha = 1.0 - level
    if method == "wald":
        half = float(stats.t.ppf(1 - alpha / 2, est.df)) * (se if math.isfinite(se) else 0.0)
        return (max(0.0, p - half), min(1.0, p + half))
    var = se * se if math.isfinite(se) else 0.0
    # no spread in the sample (numerically): fall back to the rows themselves
    spread = var > _TINY * max(p * (1 - p), _TINY)
    n_eff = p * (1 - p) / var if spread and 0 < p < 1 else float(n)
    if n > 1:
        n_eff *= (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, est.df)) ** 2
    low = 0.0 if p <= 0 else float(stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1))
    high = 1.0 if p >= 1 else float(stats.beta.ppf(1 - alpha / 2, n_eff * p + 1,
                                                   n_eff * (1 - p)))
    return (low, high)
