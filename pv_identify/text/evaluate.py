"""Measure text mode on a labelled corpus: a thin wrapper of ``pv-identify evaluate-text``.

``python -m pv_identify.text.evaluate CORPUS [--split dev] [--rules default]
[--field context] [--errors N] [--json OUT]`` runs exactly the evaluation of
``pv-identify evaluate-text CORPUS --mode text`` (:mod:`pv_identify.evaluate.textcorpus`):
gold ``partner``/``ex_partner``/``family``/``other`` against the predicted labels
mapped onto the same classes (:func:`pv_identify.evaluate.corpus.class_of`), with
cluster-bootstrap intervals over sources.

:func:`evaluate_frame` does the same for a DataFrame of gold rows (e.g. the
``dev-`` items of ``tests/data/real_texts``) and returns the old flat tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pv_identify.evaluate.bootstrap import N_BOOT, Estimate
from pv_identify.evaluate.corpus import CLASSES, class_of, corpus_records
from pv_identify.evaluate.metrics import binary_metrics
from pv_identify.evaluate.textcorpus import Scores, predict, score
from pv_identify.schema import LABELS

#: Gold classes.
GOLD_CLASSES: tuple[str, ...] = CLASSES
#: Predicted label -> gold class.
LABEL_TO_GOLD: dict[str, str] = {label: class_of(label) for label in LABELS}


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a gold corpus (a folder of JSON Lines shards or one file) into a DataFrame."""
    return pd.DataFrame(corpus_records(path))


def bootstrap_prf(
    gold: np.ndarray,
    pred: np.ndarray,
    *,
    cluster: np.ndarray | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
    level: float = 0.95,
) -> dict[str, float]:
    """Precision, recall and F1 with bootstrap intervals, as a flat dict for a table row.

    A thin wrapper of :func:`pv_identify.evaluate.metrics.binary_metrics`.

    Parameters
    ----------
    gold, pred : numpy.ndarray of bool
        Gold and predicted flags per row.
    cluster : numpy.ndarray, optional
        Cluster id per row; clusters are resampled whole. None resamples rows.
    n_boot : int, default 1000
        Replicates.
    seed : int, default 0
        Random seed.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    dict
        ``support``, ``predicted``, ``tp``, and ``precision``, ``recall``, ``f1`` with
        ``_low`` and ``_high`` bounds (NaN where undefined).
    """
    gold = np.asarray(gold, dtype=bool)
    pred = np.asarray(pred, dtype=bool)
    m = binary_metrics(gold, pred, cluster=cluster, n_boot=n_boot, level=level, seed=seed)
    tp = m["tp"]
    assert isinstance(tp, int)  # counts are ints, the three scores Estimates
    out: dict[str, float] = {"support": float(gold.sum()), "predicted": float(pred.sum()),
                             "tp": float(tp)}
    for name in ("precision", "recall", "f1"):
        estimate = m[name]
        assert isinstance(estimate, Estimate)
        out[name] = float(estimate.value)
        out[f"{name}_low"], out[f"{name}_high"] = float(estimate.low), float(estimate.high)
    return out


def flat_table(scores: Scores) -> pd.DataFrame:
    """One row per class and flag: support, predicted, and each metric with its bounds."""
    rows = []
    for frame in (scores.classes, scores.flags):
        for name, row in frame.iterrows():
            flat: dict[str, object] = {"target": name, "support": float(row["support"]),
                                       "predicted": float(row["predicted"])}
            for metric in ("precision", "recall", "f1"):
                est = row[metric]
                flat[metric], flat[f"{metric}_low"], flat[f"{metric}_high"] = (
                    est.value, est.low, est.high)
            rows.append(flat)
    return pd.DataFrame(rows).set_index("target")


def evaluate_frame(
    frame: pd.DataFrame,
    *,
    rules: str = "default",
    field: str = "context",
    gold: str = "relationship",
    cluster: str | None = "source",
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tag ``frame[field]`` in text mode and compare with ``frame[gold]``.

    Uses :func:`pv_identify.evaluate.textcorpus.predict` and
    :func:`~pv_identify.evaluate.textcorpus.score` (the code of ``evaluate-text``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Gold data (corpus fields).
    rules : str, default "default"
        Register rule set.
    field : {"context", "kwalificatie", "both"}, default "context"
        Text field.
    gold : str, default "relationship"
        Gold column (``partner``, ``ex_partner``, ``family``, ``other``).
    cluster : str or None, default "source"
        Column whose values (source keys) are resampled whole; None resamples rows.
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Random seed.

    Returns
    -------
    metrics : pandas.DataFrame
        One row per gold class and per flag (``partner_violence``,
        ``domestic_violence``) with support, predicted, precision, recall, F1 and
        their interval bounds.
    rows : pandas.DataFrame
        Per row: id, gold, predicted label and class, rule ids, evidence.
    """
    records = frame.to_dict("records")
    for record in records:
        record["relationship"] = record[gold]
        if cluster is not None:
            record["source"] = record[cluster]
    pred = predict(records, mode="text", field=field, rules=rules)
    scores = score(pred["gold"], pred["predicted"],
                   pred["cluster"] if cluster is not None else None, n_boot=n_boot, seed=seed)
    detail = pd.DataFrame({
        "id": frame["id"].to_numpy() if "id" in frame else frame.index.to_numpy(),
        "gold": pred["gold"].to_numpy(), "pred_label": pred["label"].to_numpy(),
        "pred_class": pred["predicted"].to_numpy(), "rule_ids": pred["rule_ids"].to_numpy(),
        "evidence": pred["evidence"].to_numpy()}, index=frame.index)
    return flat_table(scores), detail


def format_metrics(metrics: pd.DataFrame) -> str:
    """Format the flat metrics table as text (value [low, high])."""
    def cell(row: pd.Series, name: str) -> str:
        if np.isnan(row[name]):
            return "n/a"
        return f"{row[name]:.2f} [{row[f'{name}_low']:.2f}, {row[f'{name}_high']:.2f}]"

    lines = [f"{'target':<18} {'n':>3} {'pred':>4}  {'precision':<18} {'recall':<18} f1"]
    for target, row in metrics.iterrows():
        lines.append(f"{target!s:<18} {int(row['support']):>3} {int(row['predicted']):>4}  "
                     f"{cell(row, 'precision'):<18} {cell(row, 'recall'):<18} "
                     f"{cell(row, 'f1')}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``pv-identify evaluate-text CORPUS --mode text`` with the given options."""
    import sys

    from pv_identify.cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    if "--mode" in args:
        print("python -m pv_identify.text.evaluate is text mode only; use "
              "pv-identify evaluate-text --mode register", file=sys.stderr)
        return 2
    return cli_main(["evaluate-text", *args, "--mode", "text"])


if __name__ == "__main__":
    raise SystemExit(main())
