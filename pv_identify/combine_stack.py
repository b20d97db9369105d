"""The learned combination of rules and text model (policy ``"stacked"``).

The ``rules_first`` policy (:mod:`pv_identify.combine_text`) combines rules and model by
hand-set settings. The *stacked* combiner learns the combination instead: a small
multinomial logistic regression whose inputs are what the rules and the text model say
about a text, and which is fitted on text **neither had seen** -- the replay of the corpus
history (:mod:`pv_identify.model.text_replay`: every batch of real texts tagged by the
code of the commit before it). Rules written from the training texts look better on them
than on new text, so a combination fitted there would trust them too much; fitted on the
replay it learns how far each kind of evidence holds on unseen text.

The inputs per text (:func:`stack_features`, one implementation for fitting and
tagging; names in :data:`STACK_FEATURES`):

* the text model's calibrated probabilities of ``partner``, ``ex_partner``, ``family``,
  ``other`` and their logarithms;
* the rules' class (one-hot over the same four classes);
* the deciding rule's precision (smoothed ``(correct + 1) / (n + 2)``; the model's
  ``rule_precision_``: unseen precision where the replay measured it) and ``log(1 + n)``;
  whether any rule fired, whether a temporal cue stands near a partner hit, whether a
  rule decided; the rules' class one-hot times that precision.

The combiner is plain data (:class:`Stacker`: classes, coefficients, intercepts),
stored in the text model (``stacker_``) and applied with numpy only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from scipy.special import softmax

from pv_identify.schema import text_class

#: Classes of the combiner (the text model's corpus classes).
STACK_CLASSES: Final[tuple[str, ...]] = ("partner", "ex_partner", "family", "other")
#: Names of the columns of :func:`stack_features`.
STACK_FEATURES: Final[tuple[str, ...]] = (
    *(f"p_{c}" for c in STACK_CLASSES), *(f"log_p_{c}" for c in STACK_CLASSES),
    *(f"rules_{c}" for c in STACK_CLASSES), "rule_precision", "log1p_rule_support",
    "fired", "temporal", "rule_decided", *(f"rules_{c}_x_precision" for c in STACK_CLASSES))
#: Regularisation and class weights of the shipped combiner (chosen on the replay).
DEFAULT_C: Final[float] = 0.3
_FLOOR: Final[float] = 1e-4


def stack_features(proba: np.ndarray, classes: Sequence[str],
                   rule_labels: Sequence[str] | np.ndarray,
                   fired: Sequence[bool] | np.ndarray, winners: Sequence[str] | np.ndarray,
                   temporal: Sequence[bool] | np.ndarray,
                   precision: Mapping[str, Sequence[int]]) -> np.ndarray:
    """Return the inputs of the stacked combiner, one row per text (:data:`STACK_FEATURES`).

    Parameters
    ----------
    proba : numpy.ndarray of shape (n, len(classes))
        Calibrated text-model probabilities.
    classes : sequence of str
        Their classes (any order; all of :data:`STACK_CLASSES` expected).
    rule_labels : sequence of str
        The rules' register label per text.
    fired : sequence of bool
        Whether any rule fired.
    winners : sequence of str
        Id of the deciding rule (``""`` where none decided).
    temporal : sequence of bool
        Whether a temporal cue stands near a partner hit.
    precision : mapping
        ``{rule id: [n, correct]}`` (the model's ``rule_precision_``).

    Returns
    -------
    numpy.ndarray of shape (n, len(STACK_FEATURES))

    Raises
    ------
    ValueError
        If a class is missing or the lengths differ.
    """
    names = [str(c) for c in classes]
    missing = [c for c in STACK_CLASSES if c not in names]
    if missing:
        raise ValueError(f"model probabilities lack the classes {missing}")
    p = np.asarray(proba, dtype=float)[:, [names.index(c) for c in STACK_CLASSES]]
    n = p.shape[0]
    if not (len(rule_labels) == len(fired) == len(winners) == len(temporal) == n):
        raise ValueError("rules and model results have different numbers of texts")
    # distinct rule labels and deciding rules once, mapped back (a batch has few of each)
    labels, label_of = np.unique(np.asarray(rule_labels, dtype=str), return_inverse=True)
    rule_class = np.asarray([text_class(lab) for lab in labels], dtype=object)[label_of]
    onehot = np.stack([rule_class == c for c in STACK_CLASSES], axis=1).astype(float)
    wins, win_of = np.unique(np.asarray(winners, dtype=str), return_inverse=True)
    counts = np.asarray([precision.get(str(w), (0, 0)) if w else (0, 0) for w in wins],
                        dtype=float).reshape(-1, 2)[win_of]
    decided = (wins != "")[win_of].astype(float)
    prec = decided * (counts[:, 1] + 1) / (counts[:, 0] + 2)
    support = decided * np.log1p(counts[:, 0])
    return np.hstack([p, np.log(np.clip(p, _FLOOR, 1.0)), onehot,
                      np.c_[prec, support, np.asarray(fired, dtype=float),
                            np.asarray(temporal, dtype=float), decided],
                      onehot * prec[:, None]])


@dataclass(frozen=True)
class Stacker:
    """A fitted stacked combiner: multinomial logistic regression as plain numbers.

    Attributes
    ----------
    classes : tuple of str
        Output classes (corpus classes).
    coef : tuple of tuple of float
        One row of :data:`STACK_FEATURES` weights per class.
    intercept : tuple of float
        One per class.
    """

    classes: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.classes or set(self.classes) - set(STACK_CLASSES):
            raise ValueError(f"combiner classes must be among {STACK_CLASSES}, "
                             f"got {self.classes}")
        if len(self.coef) != len(self.classes) or len(self.intercept) != len(self.classes):
            raise ValueError("combiner needs one coefficient row and one intercept per class")
        if any(len(row) != len(STACK_FEATURES) for row in self.coef):
            raise ValueError(f"combiner coefficient rows must have {len(STACK_FEATURES)} "
                             "values (one per STACK_FEATURES)")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities (softmax of the linear scores), columns ``classes``."""
        scores = np.asarray(X, dtype=float) @ np.asarray(self.coef).T \
            + np.asarray(self.intercept)
        return np.asarray(softmax(scores, axis=1))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Return the likeliest class per row."""
        return np.asarray(self.classes, dtype=object)[self.predict_proba(X).argmax(axis=1)]

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (stored in a fitted text model; builtins only)."""
        return {"classes": list(self.classes), "features": list(STACK_FEATURES),
                "coef": [list(r) for r in self.coef], "intercept": list(self.intercept)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stacker:
        """Rebuild from :meth:`to_dict`.

        Raises
        ------
        ValueError
            If a key is missing, the features differ from :data:`STACK_FEATURES` (a
            combiner of another version) or the shapes do not fit.
        """
        for key in ("classes", "features", "coef", "intercept"):
            if key not in data:
                raise ValueError(f"combiner data lacks {key!r}")
        if tuple(data["features"]) != STACK_FEATURES:
            raise ValueError("combiner was fitted on other inputs than this version's "
                             "STACK_FEATURES; retrain the text model")
        return cls(tuple(str(c) for c in data["classes"]),
                   tuple(tuple(float(v) for v in row) for row in data["coef"]),
                   tuple(float(v) for v in data["intercept"]))


def fit_stacker(X: np.ndarray, y: Sequence[str] | np.ndarray, *, C: float = DEFAULT_C
                ) -> Stacker:
    """Fit the combiner (class-balanced multinomial logistic regression).

    Parameters
    ----------
    X : numpy.ndarray
        :func:`stack_features` rows of texts the rules and model had not seen.
    y : sequence of str
        Their gold corpus classes.
    C : float, default 0.3
        Inverse regularisation strength.

    Returns
    -------
    Stacker
    """
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit(np.asarray(X, dtype=float), np.asarray(list(y), dtype=object))
    classes = [str(c) for c in model.classes_]
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # binary: sklearn keeps one row; spell out both classes
        coef = np.vstack([-coef[0], coef[0]]) / 2
        intercept = np.array([-intercept[0], intercept[0]]) / 2
    # rounded: the stored combiner reads the same in every run and on every machine
    return Stacker(tuple(classes), tuple(tuple(round(float(v), 8) for v in row) for row in coef),
                   tuple(round(float(v), 8) for v in intercept))


__all__ = ["DEFAULT_C", "STACK_CLASSES", "STACK_FEATURES", "Stacker", "fit_stacker",
           "stack_features"]
