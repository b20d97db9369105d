"""Kaplan-Meier curves of recidivism, estimated with lifelines (optionally weighted).

The report estimates recidivism prevalence with the Kaplan-Meier procedure (seed 001,
§2.5.2 "Survivalanalyse", seed lines 3724-3740): the prevalence at ``t`` is
``1 - S(t)``. Matched controls in a tie carry weight ``1/k`` (seed lines 3666-3668),
so the curves take case weights. The estimator, its Greenwood variance and the
exponential ("log-log") confidence band are lifelines' :class:`KaplanMeierFitter`;
nothing is computed by hand here.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

ArrayLike: TypeAlias = Sequence[float] | np.ndarray | pd.Series


def _check(time: ArrayLike, event: ArrayLike, weights: ArrayLike | None) -> tuple[
    np.ndarray, np.ndarray, np.ndarray
]:
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=float)
    if not (t.shape == e.shape == w.shape):
        raise ValueError("time, event and weights must have the same length")
    if np.isnan(t).any() or (t < 0).any():
        raise ValueError("time must be non-negative and not missing")
    if np.isnan(w).any() or (w < 0).any():
        raise ValueError("weights must be non-negative and not missing")
    return t, e, w


def fit_kaplan_meier(
    time: ArrayLike,
    event: ArrayLike,
    weights: ArrayLike | None = None,
    alpha: float = 0.05,
    label: str = "KM",
) -> object:
    """Fit lifelines' Kaplan-Meier estimator.

    Parameters
    ----------
    time : array-like of float
        Time to event or censoring (days at risk), non-negative.
    event : array-like of bool
        True for an event, False for censoring.
    weights : array-like of float, optional
        Case weights (default 1). Non-integer weights (1/k of a tie) are allowed; the
        lifelines warning about them is silenced because they are intended.
    alpha : float
        1 - the confidence level of the band (default 0.05: a 95% band).
    label : str
        Name of the curve.

    Returns
    -------
    lifelines.KaplanMeierFitter
        The fitted estimator.
    """
    from lifelines import KaplanMeierFitter

    t, e, w = _check(time, event, weights)
    keep = w > 0
    kmf = KaplanMeierFitter(alpha=alpha, label=label)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*weights are not integers.*")
        kmf.fit(t[keep], e[keep], weights=w[keep], label=label)
    return kmf


def kaplan_meier(
    time: ArrayLike,
    event: ArrayLike,
    weights: ArrayLike | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Kaplan-Meier survival curve with its confidence band.

    Parameters
    ----------
    time, event, weights, alpha
        As in :func:`fit_kaplan_meier`.

    Returns
    -------
    pandas.DataFrame
        One row per distinct event time: ``time``, ``n_at_risk``, ``n_events``,
        ``survival`` (after the events at that time), ``ci_lower``, ``ci_upper``.
    """
    t, _, _ = _check(time, event, weights)
    cols = ["time", "n_at_risk", "n_events", "survival", "ci_lower", "ci_upper"]
    if len(t) == 0:
        return pd.DataFrame(columns=cols)
    kmf = fit_kaplan_meier(time, event, weights, alpha)
    table = kmf.event_table  # type: ignore[attr-defined]
    surv = kmf.survival_function_.iloc[:, 0]  # type: ignore[attr-defined]
    ci = kmf.confidence_interval_  # type: ignore[attr-defined]
    died = table["observed"] > 0
    return pd.DataFrame(
        {
            "time": table.index[died].to_numpy(dtype=float),
            "n_at_risk": table["at_risk"][died].to_numpy(dtype=float),
            "n_events": table["observed"][died].to_numpy(dtype=float),
            "survival": surv.loc[table.index[died]].to_numpy(dtype=float),
            "ci_lower": ci.iloc[:, 0].loc[table.index[died]].to_numpy(dtype=float),
            "ci_upper": ci.iloc[:, 1].loc[table.index[died]].to_numpy(dtype=float),
        },
        columns=cols,
    )


def km_prevalence_ci(
    time: ArrayLike,
    event: ArrayLike,
    at: Sequence[float],
    weights: ArrayLike | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Cumulative prevalence ``1 - S(t)`` and its confidence band at given times.

    Parameters
    ----------
    time, event, weights, alpha
        As in :func:`fit_kaplan_meier`.
    at : sequence of float
        Times at which to read the curve (events at exactly ``at`` are included).

    Returns
    -------
    pandas.DataFrame
        ``at``, ``prevalence``, ``ci_lower``, ``ci_upper`` (NaN when nobody was
        observed).
    """
    at_arr = np.asarray(at, dtype=float)
    t, _, w = _check(time, event, weights)
    if len(t) == 0 or w.sum() <= 0:
        nan = np.full(at_arr.shape, np.nan)
        return pd.DataFrame({"at": at_arr, "prevalence": nan, "ci_lower": nan, "ci_upper": nan})
    kmf = fit_kaplan_meier(time, event, weights, alpha)
    surv = kmf.survival_function_.iloc[:, 0]  # type: ignore[attr-defined]
    ci = kmf.confidence_interval_  # type: ignore[attr-defined]
    pos = np.searchsorted(surv.index.to_numpy(dtype=float), at_arr, side="right") - 1
    ok = pos >= 0
    p = np.where(ok, surv.to_numpy()[np.maximum(pos, 0)], 1.0)
    lo_s = np.where(ok, ci.iloc[:, 0].to_numpy()[np.maximum(pos, 0)], 1.0)
    hi_s = np.where(ok, ci.iloc[:, 1].to_numpy()[np.maximum(pos, 0)], 1.0)
    return pd.DataFrame(
        {"at": at_arr, "prevalence": 1.0 - p, "ci_lower": 1.0 - hi_s, "ci_upper": 1.0 - lo_s}
    )


def km_prevalence(
    time: ArrayLike,
    event: ArrayLike,
    at: Sequence[float],
    weights: ArrayLike | None = None,
) -> np.ndarray:
    """Cumulative prevalence ``1 - S(t)`` at given times.

    Parameters
    ----------
    time, event, weights
        As in :func:`fit_kaplan_meier`.
    at : sequence of float
        Times at which to read the curve (events at exactly ``at`` are included).

    Returns
    -------
    numpy.ndarray
        The prevalence at each time (0 before the first event; NaN if nobody was
        observed at all).
    """
    return km_prevalence_ci(time, event, at, weights)["prevalence"].to_numpy()
