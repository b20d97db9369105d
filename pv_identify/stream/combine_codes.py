"""Rules and model combined as output codes, the policy run once per distinct outcome.

The model cache (:mod:`pv_identify.stream.model_cache`) combines the rules with the
model for every new (class, context) key -- 10M rows: ~0.94M rows over the run. The
policy (:func:`~pv_identify.combine.combine_with_model`) works on label strings
(``np.where`` and ``np.isin`` over object arrays), and its labels and sources were
turned into categorical codes afterwards: ~1 cpu s at 10M rows on pass 2's main thread.

A row's label, source and flags depend only on whether a rule fired, the rules' label
and the model's label at the threshold (:func:`~pv_identify.combine.model_labels`); its
score is the model's partner-violence score. So :func:`combine_codes` computes the
model's labels and scores of all rows, runs the policy on one row per distinct (fired,
rule label, model label) -- a few dozen -- and spreads its codes to the rows. The
scores and model labels of those rows are compared with the policy's; if they ever
differ, every row goes through the policy as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pv_identify.combine import CombinedColumns, RuleColumns, combine_with_model, model_labels
from pv_identify.stream.distinct import representatives_first
from pv_identify.stream.key_rows import dense_factorize
from pv_identify.tagger import LABEL_DTYPE, SOURCE_DTYPE


def combine_codes(fired: np.ndarray, label_code: np.ndarray, proba: np.ndarray,
                  classes: Any, threshold: float, *, refine_unspecified: bool = True
                  ) -> dict[str, np.ndarray]:
    """Return ``combine_with_model``'s result as output codes, flags and scores.

    Parameters
    ----------
    fired : numpy.ndarray of bool
        A rule fired on the row.
    label_code : numpy.ndarray of int
        The rules' label (index into :data:`pv_identify.schema.LABELS`, -1 missing).
    proba : numpy.ndarray of shape (n, len(classes))
        The model's probabilities.
    classes, threshold, refine_unspecified
        As for :func:`~pv_identify.combine.combine_with_model`.

    Returns
    -------
    dict of numpy.ndarray
        ``label`` and ``source`` (int8 codes of ``LABEL_DTYPE`` / ``SOURCE_DTYPE``),
        ``partner`` and ``domestic`` (bool), ``score`` (float64) per row: the values
        of ``combine_with_model(RuleColumns(...), proba, ...)`` on all rows.
    """
    fired = np.asarray(fired, dtype=bool)
    label_code = np.asarray(label_code, dtype=np.int64)
    n = len(fired)
    m_label, s_pv = model_labels(proba, classes, threshold)
    m_code = pd.factorize(m_label, use_na_sentinel=False)[0]
    n_rule = int(label_code.max(initial=-1)) + 2
    outcome = ((np.asarray(m_code, dtype=np.int64) * n_rule + label_code + 1) * 2
               + fired.astype(np.int64))
    codes, uniques = dense_factorize(outcome)
    reps = representatives_first(codes, len(uniques))
    combined = _policy(fired[reps], label_code[reps], proba[reps], classes, threshold,
                       refine_unspecified)
    score = np.asarray(s_pv, dtype=np.float64)
    if not n or not np.array_equal(combined.score, score[reps]) \
            or not np.array_equal(combined.model_label, m_label[reps]):
        combined = _policy(fired, label_code, proba, classes, threshold, refine_unspecified)
        return _codes(combined)
    # a few dozen outcomes: their codes by a dict (what the categoricals give: -1 where
    # a value is no category), without pandas' per-call cost
    label = _category_codes(combined.label, LABEL_DTYPE)
    source = _category_codes(combined.source, SOURCE_DTYPE)
    return {"label": label[codes], "source": source[codes],
            "partner": np.asarray(combined.partner, dtype=bool)[codes],
            "domestic": np.asarray(combined.domestic, dtype=bool)[codes], "score": score}


def _category_codes(values: np.ndarray, dtype: pd.CategoricalDtype) -> np.ndarray:
    """Return the int8 category codes of a few ``values`` (-1: not a category)."""
    index = {name: i for i, name in enumerate(dtype.categories)}
    return np.fromiter((index.get(v, -1) if isinstance(v, str) else -1 for v in values),
                       dtype=np.int8, count=len(values))


def _policy(fired: np.ndarray, label_code: np.ndarray, proba: np.ndarray, classes: Any,
            threshold: float, refine_unspecified: bool) -> CombinedColumns:
    n = len(fired)
    rules = RuleColumns(fired=fired, rule_ids=np.empty(n, dtype=object),
                        evidence=np.empty(n, dtype=object), label_code=label_code)
    return combine_with_model(rules, proba, classes, threshold,
                              refine_unspecified=refine_unspecified)


def _codes(combined: CombinedColumns) -> dict[str, np.ndarray]:
    """Return the policy's result as the model cache keeps it."""
    label = pd.Categorical(combined.label, dtype=LABEL_DTYPE)
    source = pd.Categorical(combined.source, dtype=SOURCE_DTYPE)
    return {
        "label": np.asarray(label.codes, dtype=np.int8),
        "source": np.asarray(source.codes, dtype=np.int8),
        "partner": np.asarray(combined.partner, dtype=bool),
        "domestic": np.asarray(combined.domestic, dtype=bool),
        "score": np.asarray(combined.score, dtype=np.float64),
    }
