"""Cox regression with LASSO selection of predictors (seed 001, §2.5.3), on lifelines.

The report (seed lines 3809-3889) fits a multiple Cox model of general recidivism on
programme and control characteristics. Because a model should have at least ten
events per predictor (Peduzzi et al., 1996), it first selects predictors with an
L1-penalised (LASSO) survival model (R package ``penalized``), then fits the Cox
model on the selected ones and reports hazard ratios (e^beta) with 95% intervals and
z statistics (Table 3.5).

Here both steps are lifelines' :class:`CoxPHFitter`: ``penalizer`` with
``l1_ratio=1`` for the LASSO, and an unpenalised fit on the selection. The penalty is
chosen from a grid as the smallest one that keeps at most ``events // 10``
predictors (the report's rule); pass ``penalizer`` to fix it instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from .matching import design_matrix

#: Coefficients smaller than this (absolute, standardised scale) count as zero.
ZERO: float = 1e-4


class CoxResult(NamedTuple):
    """Result of :func:`lasso_cox`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per selected predictor: ``hazard_ratio``, ``ci_lower``, ``ci_upper``,
        ``z``, ``p`` (Table 3.5 layout).
    selected : list of str
        The predictors the LASSO kept.
    penalizer : float
        The L1 penalty used for the selection.
    lasso_coefficients : pandas.Series
        The penalised coefficients of every candidate predictor (standardised).
    """

    table: pd.DataFrame
    selected: list[str]
    penalizer: float
    lasso_coefficients: pd.Series


def _fit(frame: pd.DataFrame, penalizer: float, l1_ratio: float, weights: bool) -> object:
    from lifelines import CoxPHFitter

    cph = CoxPHFitter(penalizer=penalizer, l1_ratio=l1_ratio)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter and non-integer weights
        cph.fit(frame, duration_col="_T", event_col="_E",
                weights_col="_W" if weights else None, robust=weights)
    return cph


def cox_design(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    weights: str | None = None,
) -> pd.DataFrame:
    """Numeric frame for lifelines: dummies (first level as reference) and numbers.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person. Not modified.
    duration, event : str
        Columns with days at risk and the event flag.
    covariates : sequence of str
        Predictors; categories become ``name=level`` dummies.
    weights : str, optional
        Column of case weights.

    Returns
    -------
    pandas.DataFrame
        Predictor columns plus ``_T``, ``_E`` (and ``_W``); constant columns dropped.
    """
    x = design_matrix(data, covariates, drop_first=True)
    x = x.loc[:, x.std(ddof=0) > 0]
    x["_T"] = data[duration].astype(float).to_numpy()
    x["_E"] = data[event].astype(bool).astype(int).to_numpy()
    if weights:
        x["_W"] = data[weights].astype(float).to_numpy()
    return x


def cox_regression(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    weights: str | None = None,
    penalizer: float = 0.0,
    l1_ratio: float = 0.0,
) -> pd.DataFrame:
    """Fit a Cox model and return hazard ratios as in Table 3.5.

    Parameters
    ----------
    data, duration, event, covariates, weights
        As in :func:`cox_design`.
    penalizer, l1_ratio : float
        lifelines' penalty (0: the ordinary partial likelihood).

    Returns
    -------
    pandas.DataFrame
        Indexed by predictor: ``coef``, ``hazard_ratio``, ``ci_lower``, ``ci_upper``
        (95%), ``z``, ``p``.
    """
    frame = cox_design(data, duration, event, covariates, weights)
    cph = _fit(frame, penalizer, l1_ratio, weights is not None)
    s = cph.summary  # type: ignore[attr-defined]
    return pd.DataFrame(
        {
            "coef": s["coef"],
            "hazard_ratio": s["exp(coef)"],
            "ci_lower": s["exp(coef) lower 95%"],
            "ci_upper": s["exp(coef) upper 95%"],
            "z": s["z"],
            "p": s["p"],
        }
    )


def lasso_cox(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    penalizer: float | None = None,
    max_predictors: int | None = None,
    grid: Sequence[float] | None = None,
) -> CoxResult:
    """Select predictors with an L1-penalised Cox model, then fit them unpenalised.

    Parameters
    ----------
    data, duration, event, covariates
        As in :func:`cox_design`. Numbers are standardised for the LASSO only.
    penalizer : float, optional
        Fixed L1 penalty. By default the smallest value of ``grid`` that keeps at most
        ``max_predictors`` predictors.
    max_predictors : int, optional
        Default: events // 10 (ten events per predictor, Peduzzi et al., 1996).
    grid : sequence of float, optional
        Penalties to try (default 25 values from 1e-3 to 1, log-spaced).

    Returns
    -------
    CoxResult
        Hazard-ratio table of the selection, the selection, the penalty, the LASSO
        coefficients.
    """
    frame = cox_design(data, duration, event, covariates)
    preds = [c for c in frame.columns if not c.startswith("_")]
    std = frame[preds].std(ddof=0)
    scaled = frame.copy()
    scaled[preds] = (frame[preds] - frame[preds].mean()) / std
    events = int(frame["_E"].sum())
    limit = max(1, events // 10) if max_predictors is None else max_predictors
    values = [penalizer] if penalizer is not None else list(
        grid if grid is not None else np.logspace(-3, 0, 25)
    )
    chosen, coefs = values[-1], pd.Series(0.0, index=preds)
    for lam in values:
        cph = _fit(scaled, float(lam), 1.0, False)
        c = cph.params_  # type: ignore[attr-defined]
        chosen, coefs = float(lam), c
        if int((c.abs() > ZERO).sum()) <= limit:
            break
    selected = [p for p in preds if abs(coefs[p]) > ZERO]
    if selected:
        cph = _fit(frame[[*selected, "_T", "_E"]], 0.0, 0.0, False)
        s = cph.summary  # type: ignore[attr-defined]
        table = pd.DataFrame(
            {
                "hazard_ratio": s["exp(coef)"],
                "ci_lower": s["exp(coef) lower 95%"],
                "ci_upper": s["exp(coef) upper 95%"],
                "z": s["z"],
                "p": s["p"],
            }
        )
    else:
        table = pd.DataFrame(columns=["hazard_ratio", "ci_lower", "ci_upper", "z", "p"])
    return CoxResult(table, selected, chosen, coefs)
