"""Choose the settings of the text combination policy by cross-validation on train.

The ``rules_first`` policy (:mod:`pv_identify.combine_text`) has three settings: the
model ``threshold``, the ``rule_confidence`` from which a rule's label stands, and the
``overrule_threshold`` of the partner / ex_partner switch. They are chosen here on
**out-of-fold** predictions of the training texts -- never on ``dev`` or ``test``:

1. :func:`out_of_fold` fits a clone of the text model on all but one fold of the
   training texts (folds grouped by source, stratified by class) and scores the held-out
   fold: calibrated probabilities, the rules' decision and the fold model's own
   ``rule_precision_`` (so a rule's confidence is measured without the text it decides);
2. :func:`select_policy` combines rules and model with every setting of a small grid
   and keeps the one with the best four-class macro-F1 on the held-out folds; ties
   (equal to three decimals) go to the better macro-F1 on the ``hard`` items, then to
   the *more conservative* setting (higher threshold, higher overrule threshold, lower
   rule confidence: the rules keep more decisions). The grid holds threshold and
   overrule threshold ``1.0`` ("the model decides nothing", "no overrule"), so a model
   that does not beat the rules out of fold leaves every label to them and only fills
   ``pv_score``.

The chosen settings are stored with the fitted model (``policy_``; the training script
sets it) and are what a policy given by name uses (:func:`pv_identify.model.text_apply.
policy_for`).

Caveat, recorded in the model card: the rules were developed on the ``train`` texts, so
the rules look better on train than on unseen text and the cross-validation tends to
trust them more than ``dev`` would. The shipped model therefore takes its threshold from
the replay of the corpus history (:mod:`pv_identify.model.text_replay`: every batch of
real texts tagged by the code that had not seen it) and only the other two settings from
the cross-validation, at that threshold (:func:`best_at_threshold`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold

from pv_identify.combine_text import MODEL_CLASSES, TextPolicy, combine_text
from pv_identify.model.text_card import class_metrics
from pv_identify.schema import text_class

#: Grid of the ``rules_first`` settings searched by :func:`select_policy`.
POLICY_GRID: Final[dict[str, tuple[float, ...]]] = {
    "threshold": (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0),
    "rule_confidence": (0.6, 0.7, 0.8, 0.9),
    "overrule_threshold": (0.6, 0.7, 0.8, 0.9, 1.0),
}


@dataclass(frozen=True)
class FoldScores:
    """What the rules and a fold model say about the held-out texts of one fold."""

    index: np.ndarray
    rule_labels: list[str]
    fired: list[bool]
    winners: list[str]
    proba: np.ndarray
    classes: list[str]
    temporal: np.ndarray
    precision: dict[str, list[int]]


def score_texts(model: Any, texts: Sequence[str], index: np.ndarray) -> FoldScores:
    """Match ``texts`` with the model's matcher and score them (policy inputs)."""
    from pv_identify.model.text_apply import temporal_near

    matcher = model._matcher()
    compiled = matcher.compiled
    matches = [matcher.match(t) for t in texts]
    docs = model.feature_docs(matches, compiled)
    proba = model.predict_proba_matrix(model.transform_matches(matches, compiled, docs=docs))
    return FoldScores(
        index=np.asarray(index), rule_labels=[m.decision.label for m in matches],
        fired=[bool(m.decision.fired) for m in matches],
        winners=[compiled.rules[m.decision.winner.rule].id if m.decision.winner is not None
                 else "" for m in matches],
        proba=proba, classes=[str(c) for c in model.classes_],
        temporal=temporal_near(docs), precision=dict(model.rule_precision_))


def out_of_fold(estimator: Any, texts: Sequence[str], y: Sequence[str], groups: Sequence[Any],
                n_splits: int = 5, random_state: int = 0) -> list[FoldScores]:
    """Out-of-fold rules and model outputs on the training texts.

    Parameters
    ----------
    estimator : TextRelationshipClassifier
        Unfitted (or fitted) model; a clone is fitted per fold.
    texts, y, groups : sequence
        Training texts, their classes and sources (a source stays in one fold).
    n_splits : int, default 5
        Folds.
    random_state : int, default 0
        Seed of the fold assignment.

    Returns
    -------
    list of FoldScores
        One per fold, with the positions of its held-out texts in ``index``.
    """
    texts = [str(t) for t in texts]
    y_arr = np.asarray([str(v) for v in y])
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True,
                                    random_state=random_state)
    out = []
    for train, held in splitter.split(np.zeros((len(texts), 1)), y_arr,
                                      groups=np.asarray(groups)):
        model = clone(estimator).fit([texts[i] for i in train], y_arr[train],
                                     groups=np.asarray(groups)[train])
        out.append(score_texts(model, [texts[i] for i in held], held))
    return out


def combined_classes(folds: Sequence[FoldScores], policy: TextPolicy) -> np.ndarray:
    """Corpus class per text (in ``index`` order of the folds) under ``policy``."""
    parts = []
    for f in folds:
        comb = combine_text(f.rule_labels, f.fired, f.winners, f.proba, f.classes,
                            temporal=f.temporal, precision=f.precision, policy=policy)
        parts.append([text_class(str(x)) for x in comb.label])
    return np.concatenate([np.asarray(p, dtype=object) for p in parts])


def macro_f1(gold: Sequence[str] | np.ndarray, pred: Sequence[str] | np.ndarray) -> float:
    """Four-class macro-F1 (partner, ex_partner, family, other)."""
    if len(gold) == 0:
        return float("nan")
    return float(f1_score(list(gold), list(pred), labels=list(MODEL_CLASSES),
                          average="macro", zero_division=0))


def select_policy(folds: Sequence[FoldScores], y: Sequence[str],
                  hard: Sequence[bool] | np.ndarray | None = None,
                  grid: Mapping[str, Sequence[float]] | None = None,
                  precision_floor: bool = False,
                  ) -> tuple[TextPolicy, pd.DataFrame]:
    """Choose the ``rules_first`` settings with the best out-of-fold macro-F1.

    Parameters
    ----------
    folds : sequence of FoldScores
        From :func:`out_of_fold`.
    y : sequence of str
        Gold class per training text (positions as in the folds' ``index``).
    hard : sequence of bool, optional
        Hard items (the first tie-break).
    grid : mapping, optional
        Settings to search (default :data:`POLICY_GRID`).
    precision_floor : bool, default False
        Choose only among settings whose partner-violence precision is not lower than
        the rules' alone (issue 14: "precision not lower"); if none is, the rules alone
        (threshold and overrule threshold 1.0).

    Returns
    -------
    policy : TextPolicy
        The chosen ``rules_first`` policy.
    table : pandas.DataFrame
        Every setting with its out-of-fold ``macro_f1``, ``hard_macro_f1`` and
        ``pv_precision`` / ``pv_recall``, best first; the last row is the rules alone
        (``rules_only``).
    """
    grid = dict(POLICY_GRID if grid is None else grid)
    order = np.concatenate([f.index for f in folds])
    gold = np.asarray([str(v) for v in y], dtype=object)[order]
    is_hard = (np.zeros(len(gold), dtype=bool) if hard is None
               else np.asarray(hard, dtype=bool)[order])
    rows = []
    keys = ("threshold", "rule_confidence", "overrule_threshold")
    for th, rc, ot in itertools.product(*(grid[k] for k in keys)):
        policy = TextPolicy("rules_first", threshold=float(th), rule_confidence=float(rc),
                            overrule_threshold=float(ot))
        pred = combined_classes(folds, policy)
        rows.append({**{k: v for k, v in asdict(policy).items() if k != "name"},
                     **_scores(gold, pred, is_hard)})
    table = pd.DataFrame(rows)
    rank = table.assign(_m=table["macro_f1"].round(3),
                        _h=table["hard_macro_f1"].fillna(0).round(3),
                        _rc=-table["rule_confidence"])
    rank = rank.sort_values(["_m", "_h", "threshold", "overrule_threshold", "_rc"],
                            ascending=False, kind="stable")
    table = table.loc[rank.index].reset_index(drop=True)
    base = combined_classes(folds, TextPolicy("rules_only"))
    base_row = _scores(gold, base, is_hard)
    allowed = (table["pv_precision"] >= base_row["pv_precision"] if precision_floor
               else np.ones(len(table), dtype=bool))
    chosen = (_policy_of(table[allowed].iloc[0]) if allowed.any() else
              TextPolicy("rules_first", threshold=1.0, overrule_threshold=1.0))
    table.loc[len(table)] = {"threshold": np.nan, "rule_confidence": np.nan,
                             "min_support": np.nan, "overrule_threshold": np.nan, **base_row}
    return chosen, table


def _scores(gold: np.ndarray, pred: np.ndarray, hard: np.ndarray) -> dict[str, float]:
    """Macro-F1 (all and hard items) and partner-violence precision / recall."""
    flag = class_metrics(gold, pred)
    return {"macro_f1": macro_f1(gold, pred),
            "hard_macro_f1": macro_f1(gold[hard], pred[hard]),
            "pv_precision": flag["pv_precision"], "pv_recall": flag["pv_recall"]}


def settings_markdown(table: pd.DataFrame, prefix: str = "") -> str:
    """Markdown: the five best settings of a :func:`select_policy` table and the rules alone.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`select_policy` (best first, the rules alone last).
    prefix : str, default ""
        Put before the measure names in the header (``"CV "``).

    Returns
    -------
    str
        A Markdown table; the partner-violence columns when the table has them.
    """
    pv = "pv_precision" in table.columns
    lines = [f"| threshold | rule confidence | overrule threshold | {prefix}macro-F1 "
             f"| {prefix}hard macro-F1 |" + (" PV precision | PV recall |" if pv else ""),
             "|---|---|---|---|---|" + ("---|---|" if pv else "")]
    for i in [0, 1, 2, 3, 4, len(table) - 1]:
        row = table.iloc[i]
        head = ("rules alone | |" if np.isnan(row["threshold"]) else
                f"{row['threshold']:.2f} | {row['rule_confidence']:.2f} | "
                f"{row['overrule_threshold']:.2f}")
        cells = [row["macro_f1"], row["hard_macro_f1"],
                 *([row["pv_precision"], row["pv_recall"]] if pv else [])]
        lines.append(f"| {head} | " + " | ".join(f"{v:.3f}" for v in cells) + " |")
    return "\n".join(lines)


def _policy_of(row: pd.Series) -> TextPolicy:
    """Return the ``rules_first`` policy of one row of :func:`select_policy`'s table."""
    return TextPolicy("rules_first", threshold=float(row["threshold"]),
                      rule_confidence=float(row["rule_confidence"]),
                      min_support=int(row["min_support"]),
                      overrule_threshold=float(row["overrule_threshold"]))


def best_at_threshold(table: pd.DataFrame, threshold: float) -> TextPolicy:
    """Return the best cross-validated setting with the threshold fixed to ``threshold``.

    Used when the threshold is chosen elsewhere (on the replay of the corpus history,
    :mod:`pv_identify.model.text_replay`): the rule confidence and the overrule threshold
    still come from the cross-validation, among the settings with that threshold.

    Parameters
    ----------
    table : pandas.DataFrame
        The table of :func:`select_policy` (best first).
    threshold : float
        The fixed threshold; it must be in the searched grid.

    Returns
    -------
    TextPolicy
        The ``rules_first`` policy.

    Raises
    ------
    ValueError
        If the table holds no setting with this threshold.
    """
    rows = table[np.isclose(table["threshold"].astype(float), float(threshold))]
    if rows.empty:
        raise ValueError(f"threshold {threshold} was not searched; the grid has "
                         f"{sorted(set(table['threshold'].dropna()))}")
    return _policy_of(rows.iloc[0])


def policy_settings(policy: TextPolicy) -> dict[str, float | int]:
    """Plain-data settings of a policy (stored as the model's ``policy_``)."""
    return {"threshold": float(policy.threshold),
            "rule_confidence": float(policy.rule_confidence),
            "min_support": int(policy.min_support),
            "overrule_threshold": float(policy.overrule_threshold)}
