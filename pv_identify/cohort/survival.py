"""Kaplan-Meier estimation in numpy (optionally weighted, for matched groups).

The survival function is ``S(t) = prod_{t_j <= t} (1 - d_j / n_j)`` over the distinct
event times ``t_j``, with ``d_j`` the (weighted) events at ``t_j`` and ``n_j`` the
(weighted) number still at risk just before ``t_j`` (censored at ``t_j`` counts as at
risk). The recidivism prevalence at ``t`` is ``1 - S(t)`` (seed lines 3728-3737).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def kaplan_meier(
    time: Sequence[float] | np.ndarray | pd.Series,
    event: Sequence[bool] | np.ndarray | pd.Series,
    weights: Sequence[float] | np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    """Kaplan-Meier survival curve.

    Parameters
    ----------
    time : array-like of float
        Time to event or censoring (e.g. days at risk), non-negative.
    event : array-like of bool
        True if the time is an event, False if censored.
    weights : array-like of float, optional
        Case weights (default 1).

    Returns
    -------
    pandas.DataFrame
        One row per distinct event time: ``time``, ``n_at_risk``, ``n_events``,
        ``survival`` (after the events at that time).
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=float)
    if not (t.shape == e.shape == w.shape):
        raise ValueError("time, event and weights must have the same length")
    if np.isnan(t).any() or (t < 0).any():
        raise ValueError("time must be non-negative and not missing")
    uniq, inv = np.unique(t, return_inverse=True)
    removed = np.bincount(inv, weights=w, minlength=len(uniq))
    died = np.bincount(inv, weights=w * e, minlength=len(uniq))
    at_risk = removed[::-1].cumsum()[::-1]
    keep = died > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - died / at_risk, 1.0)
    surv = np.cumprod(factor[keep])
    return pd.DataFrame(
        {
            "time": uniq[keep],
            "n_at_risk": at_risk[keep],
            "n_events": died[keep],
            "survival": surv,
        }
    )


def km_prevalence(
    time: Sequence[float] | np.ndarray | pd.Series,
    event: Sequence[bool] | np.ndarray | pd.Series,
    at: Sequence[float],
    weights: Sequence[float] | np.ndarray | pd.Series | None = None,
) -> np.ndarray:
    """Cumulative prevalence ``1 - S(t)`` at given times.

    Parameters
    ----------
    time, event, weights
        As in :func:`kaplan_meier`.
    at : sequence of float
        Times at which to read the curve (events at exactly ``at`` are included).

    Returns
    -------
    numpy.ndarray
        The prevalence at each time (0 before the first event; NaN if nobody was
        observed at all).
    """
    curve = kaplan_meier(time, event, weights)
    at_arr = np.asarray(at, dtype=float)
    if len(np.asarray(time)) == 0:
        return np.full(at_arr.shape, np.nan)
    if curve.empty:
        return np.zeros(at_arr.shape)
    pos = np.searchsorted(curve["time"].to_numpy(), at_arr, side="right") - 1
    surv = np.where(pos >= 0, curve["survival"].to_numpy()[np.maximum(pos, 0)], 1.0)
    return 1.0 - surv
