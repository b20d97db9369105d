"""Measure the text model on the real-text corpus and write its model card.

Used by ``examples/train_text_model.py``. :func:`evaluate_split` tags one corpus split
with the rules only and with rules + model (a policy of :mod:`pv_identify.combine_text`)
and compares them with a **paired cluster bootstrap by source** (whole sources are
resampled, both predictors on the same replicates; the counts are drawn with
:func:`pv_identify.evaluate.metrics.bootstrap_counts`): four-class macro-F1, ex_partner
F1, and precision / recall of the partner-violence flag, each with the difference and
its 95% interval. :func:`write_card` writes the Markdown card.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.evaluate.metrics import bootstrap_counts, calibration_table, prf
from pv_identify.schema import text_class

CLASSES: tuple[str, ...] = ("partner", "ex_partner", "family", "other")
_K = len(CLASSES)
_PV = (0, 1)


def _codes(values: Sequence[str] | np.ndarray) -> np.ndarray:
    index = {c: i for i, c in enumerate(CLASSES)}
    return np.array([index[str(v)] for v in values], dtype=np.int64)


def _metrics(c: np.ndarray, which: int) -> dict[str, np.ndarray]:
    """Metrics of predictor ``which`` (0: a, 1: b) from (n, 4*4*4) cell counts."""
    m = c.reshape(-1, _K, _K, _K)  # gold, a, b
    table = m.sum(axis=3) if which == 0 else m.sum(axis=2)  # gold x pred
    tp = np.diagonal(table, axis1=1, axis2=2)
    _, _, f1 = prf(tp, table.sum(axis=1) - tp, table.sum(axis=2) - tp)
    gold_pv = table[:, list(_PV), :].sum(axis=1)  # pred counts among gold pv
    pred_pv_tp = gold_pv[:, list(_PV)].sum(axis=1)
    pred_pv = table[:, :, list(_PV)].sum(axis=(1, 2))
    all_pv = table[:, list(_PV), :].sum(axis=(1, 2))
    pv_p, pv_r, pv_f = prf(pred_pv_tp, pred_pv - pred_pv_tp, all_pv - pred_pv_tp)
    return {"macro_f1": np.nanmean(np.where(np.isnan(f1), 0.0, f1), axis=1),
            "ex_partner_f1": f1[:, 1], "pv_precision": pv_p, "pv_recall": pv_r,
            "pv_f1": pv_f, "accuracy": tp.sum(axis=1) / table.sum(axis=(1, 2))}


def class_metrics(gold: Sequence[str] | np.ndarray, pred: Sequence[str] | np.ndarray
                  ) -> dict[str, float]:
    """Observed metrics of one four-class predictor (the measures of :func:`paired_compare`).

    Parameters
    ----------
    gold, pred : sequence or numpy.ndarray of str
        Corpus classes per item.

    Returns
    -------
    dict
        ``macro_f1``, ``ex_partner_f1``, ``pv_precision``, ``pv_recall``, ``pv_f1``,
        ``accuracy``.
    """
    cells = (_codes(gold) * _K + _codes(pred)) * _K + _codes(pred)
    counts = np.bincount(cells, minlength=_K ** 3)[None, :]
    return {name: float(v[0]) for name, v in _metrics(counts, 0).items()}


def paired_compare(gold: Sequence[str] | np.ndarray, pred_a: Sequence[str] | np.ndarray,
                   pred_b: Sequence[str] | np.ndarray, *,
                   cluster: Sequence[Any] | None = None, n_boot: int = 2000, seed: int = 0,
                   level: float = 0.95) -> pd.DataFrame:
    """Compare two four-class predictors with a paired (cluster) bootstrap.

    Parameters
    ----------
    gold, pred_a, pred_b : sequence or numpy.ndarray of str
        Corpus classes per item.
    cluster : sequence, optional
        Source per item (whole sources are resampled); None resamples items.
    n_boot : int, default 2000
        Replicates.
    seed : int, default 0
        Random seed.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Index: metric (macro_f1, ex_partner_f1, pv_precision, pv_recall, pv_f1,
        accuracy); columns a, a_low, a_high, b, b_low, b_high, diff (b - a),
        diff_low, diff_high, p_value (two-sided bootstrap test of no difference).
    """
    cells = (_codes(gold) * _K + _codes(pred_a)) * _K + _codes(pred_b)
    obs, reps = bootstrap_counts(cells, _K ** 3, cluster=None if cluster is None
                                 else np.asarray(cluster), n_boot=n_boot, seed=seed)
    alpha = (1 - level) / 2
    oa, ob = _metrics(obs[None, :], 0), _metrics(obs[None, :], 1)
    ra, rb = _metrics(reps, 0), _metrics(reps, 1)
    rows = []
    for name in oa:
        row: dict[str, float] = {"metric": name}  # type: ignore[dict-item]
        for tag, o, r in (("a", oa, ra), ("b", ob, rb)):
            finite = r[name][np.isfinite(r[name])]
            row[tag] = float(o[name][0])
            row[f"{tag}_low"], row[f"{tag}_high"] = (
                (float(x) for x in np.quantile(finite, [alpha, 1 - alpha]))
                if finite.size else (math.nan, math.nan))
        d = rb[name] - ra[name]
        d = d[np.isfinite(d)]
        row["diff"] = row["b"] - row["a"]
        if d.size:
            row["diff_low"], row["diff_high"] = (float(x) for x in
                                                 np.quantile(d, [alpha, 1 - alpha]))
            row["p_value"] = float(min(1.0, 2 * min(np.mean(d <= 0), np.mean(d >= 0))))
        else:
            row["diff_low"] = row["diff_high"] = row["p_value"] = math.nan
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")


def evaluate_split(frame: pd.DataFrame, tagger: Any, *, policy: str | None = None,
                   n_boot: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Tag one corpus split with rules only and with rules + model, and compare.

    Parameters
    ----------
    frame : pandas.DataFrame
        Corpus items (``context``, ``relationship``, ``source``, ``hard``).
    tagger : Tagger
        A tagger with ``text_model`` set.
    policy : str, optional
        The policy of the rules + model predictor (default: the model's chosen one).
    n_boot, seed : int
        Bootstrap replicates and seed.

    Returns
    -------
    dict
        ``compare`` (all items), ``compare_hard`` (hard items), ``calibration``
        (reliability table of the partner-violence probability), ``pred_rules``,
        ``pred_model``, ``score``, ``sources`` (per-item output of rules + model).
    """
    from pv_identify.text.pipeline import tag_texts

    rules = tag_texts(frame["context"], tagger=tagger, policy="rules_only")
    both = tag_texts(frame["context"], tagger=tagger, policy=policy)
    gold = frame["relationship"].astype(str).to_numpy()
    a = np.array([text_class(x) for x in rules["pv_label"].astype(str)])
    b = np.array([text_class(x) for x in both["pv_label"].astype(str)])
    source = frame["source"].to_numpy()
    hard = frame["hard"].to_numpy(dtype=bool)
    out = {
        "n": len(frame), "n_sources": int(pd.Series(source).nunique()),
        "compare": paired_compare(gold, a, b, cluster=source, n_boot=n_boot, seed=seed),
        "compare_hard": paired_compare(gold[hard], a[hard], b[hard], cluster=source[hard],
                                       n_boot=n_boot, seed=seed),
        "n_hard": int(hard.sum()),
        "calibration": calibration_table(np.isin(gold, ["partner", "ex_partner"]),
                                         both["pv_score"].to_numpy(), n_bins=5),
        "pred_rules": a, "pred_model": b, "score": both["pv_score"].to_numpy(),
        "sources": both["pv_source"].astype(str).value_counts().to_dict(),
    }
    return out


def compare_table(result: dict[str, Any], key: str = "compare") -> str:
    """Markdown table of a :func:`paired_compare` result (rules only = a, + model = b)."""
    table = result[key]
    lines = ["| metric | rules + grammar | + model | difference [95% CI] | p |",
             "|---|---|---|---|---|"]
    for name, row in table.iterrows():
        lines.append(
            f"| {name} | {row['a']:.3f} [{row['a_low']:.3f}, {row['a_high']:.3f}] | "
            f"{row['b']:.3f} [{row['b_low']:.3f}, {row['b_high']:.3f}] | "
            f"{row['diff']:+.3f} [{row['diff_low']:+.3f}, {row['diff_high']:+.3f}] | "
            f"{row['p_value']:.2f} |")
    return "\n".join(lines)


def reliability_table(result: dict[str, Any]) -> str:
    """Markdown reliability curve (binned) of the partner-violence probability."""
    cal = result["calibration"]
    lines = ["| score bin | n | mean predicted | observed share [95% Wilson] |",
             "|---|---|---|---|"]
    for _, row in cal.iterrows():
        lo, hi = row["bin"] / 5, (row["bin"] + 1) / 5
        lines.append(f"| {lo:.1f}-{hi:.1f} | {int(row['n'])} | {row['mean_score']:.3f} | "
                     f"{row['observed']:.3f} [{row['low']:.3f}, {row['high']:.3f}] |")
    lines.append(f"\nBrier score: {cal.attrs.get('brier', float('nan')):.4f}")
    return "\n".join(lines)
