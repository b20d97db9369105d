"""The partner-violence score recalibrated on unseen text (``pv_score`` of a text model).

The text model's probabilities are calibrated on held-out folds of the train texts and
checked on ``dev``. Both are text the rules were written from. On text neither the rules
nor the model had seen -- the replay of the corpus history
(:mod:`pv_identify.model.text_replay`) -- the partner-violence probability
``s_pv = P(partner) + P(ex_partner)`` is too high below 0.8 (session 57, forward chaining
over 4,194 replayed items: texts scored 0.10-0.20 were partner violence in 5 %, those
scored 0.30-0.40 in 16 %; the mean score 0.290 against a share of 0.231), so a sum of
``pv_score`` over an extract overstates how many texts are partner violence.

A :class:`ScoreCalibration` maps ``s_pv`` to the probability seen on unseen text by a
logistic function of its logit (Platt scaling: two numbers, monotone, so every ranking
and every ordering by score stays as it was). It is fitted on the replay by
:func:`fit_score_calibration`, stored in the text model (``score_calibration_``, plain
numbers) and applied with numpy only. It changes ``pv_score`` only: the labels, flags and
sources, and every threshold the policies read, use the model's own ``s_pv``
(:func:`pv_identify.combine_text.combine_text`).

:func:`pv_identify.evaluate.metrics.score_metrics` gives the figures by which it is
judged (log loss, Brier score, expected calibration error over ten equal-width bins, ROC
AUC, mean score against the observed share).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from scipy.special import expit, logit

#: Name of the mapping (stored with its numbers).
METHOD: Final[str] = "platt"
#: Scores are clipped to [EPS, 1 - EPS] before the logit.
EPS: Final[float] = 1e-4


@dataclass(frozen=True)
class ScoreCalibration:
    """A monotone map of the model's partner-violence probability (Platt scaling).

    ``pv_score = expit(slope * logit(s_pv) + intercept)``.

    Attributes
    ----------
    slope, intercept : float
        The logistic map; ``slope`` must be positive (the map keeps the order).
    n : int
        Items it was fitted on (texts the rules and the model of their day had not seen).
    """

    slope: float
    intercept: float
    n: int = 0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.slope) and math.isfinite(self.intercept)):
            raise ValueError("score calibration needs a finite slope and intercept")
        if self.slope <= 0:
            raise ValueError(f"score calibration slope must be positive (a map that keeps "
                             f"the order of the scores), got {self.slope}")
        if self.n < 0:
            raise ValueError(f"score calibration n must be >= 0, got {self.n}")

    def apply(self, score: Sequence[float] | np.ndarray) -> np.ndarray:
        """Return the recalibrated scores (NaN stays NaN)."""
        s = np.asarray(score, dtype=float)
        out = expit(self.slope * logit(np.clip(s, EPS, 1.0 - EPS)) + self.intercept)
        return np.where(np.isnan(s), np.nan, out)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (stored in a fitted text model; builtins only)."""
        return {"method": METHOD, "slope": self.slope, "intercept": self.intercept,
                "n": self.n}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoreCalibration:
        """Rebuild from :meth:`to_dict`.

        Raises
        ------
        ValueError
            If a key is missing, the method is not :data:`METHOD` or a number is invalid.
        """
        for key in ("method", "slope", "intercept"):
            if key not in data:
                raise ValueError(f"score calibration data lacks {key!r}")
        if data["method"] != METHOD:
            raise ValueError(f"score calibration method must be {METHOD!r}, "
                             f"got {data['method']!r}")
        try:
            slope, intercept = float(data["slope"]), float(data["intercept"])
            n = int(data.get("n", 0))
        except (TypeError, ValueError):
            raise ValueError("score calibration slope, intercept and n must be numbers"
                             ) from None
        return cls(slope, intercept, n)


def fit_score_calibration(score: Sequence[float] | np.ndarray,
                          is_pv: Sequence[bool] | np.ndarray) -> ScoreCalibration:
    """Fit the map on scores of texts the model had not seen and their true flags.

    Parameters
    ----------
    score : sequence of float
        The model's ``s_pv`` per text.
    is_pv : sequence of bool
        Whether the text is partner violence (gold ``partner`` or ``ex_partner``).

    Returns
    -------
    ScoreCalibration

    Raises
    ------
    ValueError
        If the lengths differ, a score is not finite, one of the two outcomes is
        missing (nothing to calibrate against), or higher scores do not go with more
        partner violence (a map that keeps the order cannot fit).
    """
    from sklearn.linear_model import LogisticRegression

    s = np.asarray(score, dtype=float)
    y = np.asarray(is_pv, dtype=bool)
    if s.shape != y.shape or s.ndim != 1:
        raise ValueError("scores and flags must be two sequences of the same length")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite to fit a score calibration")
    if y.all() or not y.any():
        raise ValueError("a score calibration needs texts with and without partner violence")
    z = logit(np.clip(s, EPS, 1.0 - EPS))[:, None]
    fitted = LogisticRegression(C=1e6, max_iter=1000).fit(z, y)
    slope = round(float(fitted.coef_[0, 0]), 8)
    if not slope > 0:
        raise ValueError("higher scores do not go with more partner violence in these "
                         "texts: no order-keeping score calibration fits")
    # rounded: the stored map reads the same in every run and on every machine
    return ScoreCalibration(slope, round(float(fitted.intercept_[0]), 8), len(s))


__all__ = ["EPS", "METHOD", "ScoreCalibration", "fit_score_calibration"]
