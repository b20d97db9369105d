"""Fit and measure the ``pv_score`` map on the replay of the corpus history.

The replay (:mod:`pv_identify.model.text_replay`) holds, for every batch of real texts
added to the corpus, the probabilities of the text model *of the commit before it*: text
that model had not seen. :func:`replay_score_calibration` measures the map of
:mod:`pv_identify.combine_score` there by forward chaining, as the ``stacked`` combiner is
measured: every batch after a warm-up is mapped by a calibration fitted on the batches
before it, and compared with the model's own ``s_pv`` on the same items. The map fitted on
all replayed items ships (``score_calibration_`` of the text model) only if, so measured,
it lowers the log loss (:func:`score_calibration_used`); it never changes a label.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
import pandas as pd

from pv_identify.combine_score import ScoreCalibration, fit_score_calibration
from pv_identify.combine_text import model_decisions
from pv_identify.evaluate.metrics import calibration_table, score_metrics
from pv_identify.model.text_replay import ReplayPolicy
from pv_identify.schema import PARTNER_LABELS

#: Rows of the comparison table.
RAW: Final[str] = "model s_pv"
MAPPED: Final[str] = "mapped to unseen text"


class ReplayScore(NamedTuple):
    """The ``pv_score`` map fitted and measured on a replay (:func:`replay_score_calibration`)."""

    #: Fitted on every replayed item.
    calibration: ScoreCalibration
    #: Whether it lowered the forward-chained log loss.
    use: bool
    #: The model's own ``s_pv`` per replayed item.
    raw: np.ndarray
    #: The forward-chained mapped score per item (NaN where not ``evaluated``).
    mapped: np.ndarray
    #: Whether the item was mapped by a calibration fitted on earlier batches only.
    evaluated: np.ndarray
    #: Whether the item is partner violence.
    is_pv: np.ndarray
    #: :func:`~pv_identify.evaluate.metrics.score_metrics` of both on the evaluated items.
    table: pd.DataFrame


def replay_pv_score(chosen: ReplayPolicy) -> np.ndarray:
    """Return the model's ``s_pv`` per replayed item, as the tagger computes it."""
    score = np.full(len(chosen.items), np.nan)
    for fold in chosen.folds:
        score[fold.index] = model_decisions(
            fold.proba, fold.classes, np.asarray(fold.rule_labels, dtype=object), 1.0)[1]
    return score


def replay_score_calibration(chosen: ReplayPolicy, *, warmup: int = 500) -> ReplayScore:
    """Fit the ``pv_score`` map on the replay and measure it by forward chaining.

    Parameters
    ----------
    chosen : ReplayPolicy
        :func:`~pv_identify.model.text_replay.select_replay_policy` of the replay: its
        folds are the batches, in corpus order.
    warmup : int, default 500
        Items of the first batches only used for fitting (never mapped).

    Returns
    -------
    ReplayScore

    Raises
    ------
    ValueError
        If no map fits the whole replay (:func:`~pv_identify.combine_score.
        fit_score_calibration`).
    """
    raw = replay_pv_score(chosen)
    is_pv = np.isin(chosen.items["gold"].to_numpy(dtype=object), list(PARTNER_LABELS))
    mapped = np.full(len(raw), np.nan)
    evaluated = np.zeros(len(raw), dtype=bool)
    seen: list[np.ndarray] = []
    for fold in chosen.folds:
        before = np.concatenate(seen) if seen else np.zeros(0, dtype=int)
        if len(before) >= warmup:
            try:
                fitted = fit_score_calibration(raw[before], is_pv[before])
            except ValueError:  # one outcome only, or scores that do not rank: not mapped
                fitted = None
            if fitted is not None:
                mapped[fold.index] = fitted.apply(raw[fold.index])
                evaluated[fold.index] = True
        seen.append(np.asarray(fold.index))
    calibration = fit_score_calibration(raw, is_pv)
    table = pd.DataFrame({RAW: score_metrics(raw[evaluated], is_pv[evaluated]),
                          MAPPED: score_metrics(mapped[evaluated], is_pv[evaluated])}).T
    use = bool(evaluated.any()) and score_calibration_used(table)
    return ReplayScore(calibration, use, raw, mapped, evaluated, is_pv, table)


def score_calibration_used(table: pd.DataFrame) -> bool:
    """Whether the map ships: a lower forward-chained log loss than the model's ``s_pv``."""
    return bool(table.loc[MAPPED, "log_loss"] < table.loc[RAW, "log_loss"])


def score_calibration_lines(result: ReplayScore) -> list[str]:
    """Markdown: the map, its forward-chained figures and both reliability curves."""
    ev = result.evaluated
    cal = result.calibration
    lines = [f"`pv_score` on unseen text (`pv_identify/combine_score.py`): the model's "
             f"partner-violence probability `s_pv` mapped by `expit({cal.slope:.4f} * "
             f"logit(s_pv) {cal.intercept:+.4f})`, fitted on the {cal.n:,} replayed "
             "items; measured by forward chaining (each of the "
             f"{int(ev.sum()):,} items after the first batches mapped by a fit on the "
             "batches before it). "
             + ("It lowers the log loss and is used." if result.use
                else "It does not lower the log loss: not used."), "",
             "| score | items | log loss | Brier | ECE (10 bins) | ROC AUC | mean score | "
             "share PV |", "|---|---|---|---|---|---|---|---|"]
    for name, row in result.table.iterrows():
        lines.append(f"| {name} | {int(row['n']):,} | {row['log_loss']:.4f} | "
                     f"{row['brier']:.4f} | {row['ece']:.4f} | {row['auc']:.4f} | "
                     f"{row['mean_score']:.3f} | {row['share']:.3f} |")
    raw = calibration_table(result.is_pv[ev], result.raw[ev], n_bins=10)
    mapped = calibration_table(result.is_pv[ev], result.mapped[ev], n_bins=10)
    lines += ["", "Reliability on the forward-chained items (observed share of partner "
              "violence [95% Wilson] per score bin):", "",
              "| score bin | model s_pv: n, mean, observed | mapped: n, mean, observed |",
              "|---|---|---|"]
    by_bin = {int(r["bin"]): r for _, r in mapped.iterrows()}
    raw_bins = {int(r["bin"]): r for _, r in raw.iterrows()}
    for b in range(10):
        cells = []
        for part in (raw_bins, by_bin):
            r = part.get(b)
            cells.append("" if r is None else
                         f"{int(r['n'])}, {r['mean_score']:.3f}, {r['observed']:.3f} "
                         f"[{r['low']:.3f}, {r['high']:.3f}]")
        lines.append(f"| {b / 10:.1f}-{(b + 1) / 10:.1f} | {cells[0]} | {cells[1]} |")
    return lines


__all__ = ["MAPPED", "RAW", "ReplayScore", "replay_pv_score", "replay_score_calibration",
           "score_calibration_lines", "score_calibration_used"]
