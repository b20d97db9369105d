"""Measure text mode on a gold JSONL file (``rulings_dev.jsonl``).

Gold relationships ``partner``, ``ex_partner``, ``family`` and ``other`` are compared
with the predicted labels mapped to the same four classes: the family labels
(``child``, ``parent``, ``other_family``, ``domestic_unspecified``) become ``family``
and ``none`` becomes ``other``. Per class: precision, recall and F1 with percentile
bootstrap 95% intervals, resampling whole sources (rows quoting the same ruling are
not independent) unless ``cluster=None``. Also the partner-violence flag (partner or
ex-partner) and the domestic-violence flag.

Run ``python -m pv_identify.text.evaluate PATH [--rules default] [--field context]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pv_identify.evaluate.metrics import binary_metrics
from pv_identify.schema import DOMESTIC_LABELS, NONE, PARTNER_LABELS
from pv_identify.text.pipeline import tag_texts

#: Gold classes of ``rulings_dev.jsonl``.
GOLD_CLASSES: tuple[str, ...] = ("partner", "ex_partner", "family", "other")
#: Predicted label -> gold class.
LABEL_TO_GOLD: dict[str, str] = {
    "partner": "partner", "ex_partner": "ex_partner", "child": "family", "parent": "family",
    "other_family": "family", "domestic_unspecified": "family", NONE: "other",
}


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a gold JSONL file (one JSON object per line) into a DataFrame."""
    with Path(path).open(encoding="utf-8") as handle:
        return pd.DataFrame([json.loads(line) for line in handle if line.strip()])


def bootstrap_prf(
    gold: np.ndarray,
    pred: np.ndarray,
    *,
    cluster: np.ndarray | None = None,
    n_boot: int = 2000,
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
    n_boot : int, default 2000
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
    out: dict[str, float] = {"support": float(gold.sum()), "predicted": float(pred.sum()),
                             "tp": float(m["tp"])}
    for name in ("precision", "recall", "f1"):
        estimate = m[name]
        out[name] = float(estimate.value)
        out[f"{name}_low"], out[f"{name}_high"] = float(estimate.low), float(estimate.high)
    return out


def evaluate_frame(
    frame: pd.DataFrame,
    *,
    rules: str = "default",
    field: str = "context",
    gold: str = "relationship",
    cluster: str | None = "source",
    n_boot: int = 2000,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tag ``frame[field]`` and compare with ``frame[gold]``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Gold data.
    rules : str, default "default"
        Register rule set.
    field : str, default "context"
        Text column.
    gold : str, default "relationship"
        Gold column (``partner``, ``ex_partner``, ``family``, ``other``).
    cluster : str or None, default "source"
        Column whose values are resampled whole; None resamples rows.
    n_boot : int, default 2000
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
        Per row: id (if present), gold, predicted label and class, rule ids, evidence.
    """
    tagged = tag_texts(frame[field], rules=rules)
    pred_label = tagged["pv_label"].astype(str).to_numpy()
    pred_class = np.array([LABEL_TO_GOLD[x] for x in pred_label], dtype=object)
    gold_class = frame[gold].astype(str).to_numpy()
    unknown = set(gold_class) - set(GOLD_CLASSES)
    if unknown:
        raise ValueError(f"unknown gold classes {sorted(unknown)}; expected {GOLD_CLASSES}")
    groups = frame[cluster].to_numpy() if cluster else None
    rows = []
    for cls in GOLD_CLASSES:
        m = bootstrap_prf(gold_class == cls, pred_class == cls, cluster=groups,
                          n_boot=n_boot, seed=seed)
        rows.append({"target": cls, **m})
    flags = {
        "partner_violence": (np.isin(gold_class, ["partner", "ex_partner"]),
                             np.isin(pred_label, list(PARTNER_LABELS))),
        "domestic_violence": (gold_class != "other", np.isin(pred_label, list(DOMESTIC_LABELS))),
    }
    for name, (g, p) in flags.items():
        rows.append({"target": name, **bootstrap_prf(g, p, cluster=groups, n_boot=n_boot,
                                                     seed=seed)})
    metrics = pd.DataFrame(rows).set_index("target")
    detail = pd.DataFrame({
        "id": frame["id"] if "id" in frame else frame.index,
        "gold": gold_class, "pred_label": pred_label, "pred_class": pred_class,
        "rule_ids": tagged["pv_rule_ids"].to_numpy(),
        "evidence": tagged["pv_evidence"].to_numpy(),
    }, index=frame.index)
    return metrics, detail


def format_metrics(metrics: pd.DataFrame) -> str:
    """Format the metrics table as text (value [low, high])."""
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
    """Print text-mode metrics for a gold JSONL file."""
    parser = argparse.ArgumentParser(prog="python -m pv_identify.text.evaluate",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("path", help="gold JSONL file (e.g. rulings_dev.jsonl)")
    parser.add_argument("--rules", default="default", help="rule preset or file")
    parser.add_argument("--field", default="context", help="text field; default: context")
    parser.add_argument("--n-boot", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rows", action="store_true", help="also print every row")
    parser.add_argument("--errors", action="store_true", help="also print misclassified rows")
    parser.add_argument("--no-cluster", action="store_true",
                        help="resample rows instead of sources")
    args = parser.parse_args(argv)
    frame = read_gold(args.path)
    metrics, detail = evaluate_frame(frame, rules=args.rules, field=args.field,
                                     cluster=None if args.no_cluster else "source",
                                     n_boot=args.n_boot, seed=args.seed)
    unit = "rows" if args.no_cluster else f"{frame['source'].nunique()} sources"
    print(f"text mode, rules={args.rules}, field={args.field}, n={len(frame)}; "
          f"95% bootstrap CIs ({args.n_boot} replicates over {unit})")
    print(format_metrics(metrics))
    if args.rows or args.errors:
        show = detail if args.rows else detail[detail["gold"] != detail["pred_class"]]
        with pd.option_context("display.width", 200, "display.max_colwidth", 70,
                               "display.max_rows", None):
            print(show.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
