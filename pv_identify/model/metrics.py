"""Per-label precision, recall and F1 with cluster-bootstrap confidence intervals.

Offences of one person are not independent, so the bootstrap resamples whole
*groups* (persons; each row its own group where there is no person id). Every metric
is a function of per-group counts (true positives, false positives, false
negatives); the resampling is the library's one cluster bootstrap,
:func:`pv_identify.evaluate.bootstrap.cluster_bootstrap`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pv_identify.evaluate.bootstrap import cluster_bootstrap, percentile_interval, prf
from pv_identify.schema import FAMILY_LABELS, LABELS, NONE, PARTNER_LABELS

#: Gold labels of the dev rulings -> the library's labels they cover.
RULINGS_GOLD: Mapping[str, tuple[str, ...]] = {
    "partner": ("partner",),
    "ex_partner": ("ex_partner",),
    "family": FAMILY_LABELS,
    "other": ("none", "domestic_unspecified"),
}


def targets_synthetic(gold: np.ndarray, pred: np.ndarray) -> dict[str, tuple[np.ndarray,
                                                                             np.ndarray]]:
    """Binary targets on synthetic data: each label, the two flags, ex-partner flag recall.

    Parameters
    ----------
    gold, pred : numpy.ndarray of str
        Gold and predicted labels per offence.

    Returns
    -------
    dict of str to (gold mask, predicted mask)
        ``label:<name>`` per gold label, ``flag:partner_violence``,
        ``flag:domestic_violence`` and ``flag:pv_among_ex_partner`` (gold = ex-partner,
        predicted = partner-violence flag; only its recall is meaningful).
    """
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for label in LABELS:
        if label == NONE or not (gold == label).any():
            continue
        out[f"label:{label}"] = (gold == label, pred == label)
    pv_gold = np.isin(gold, list(PARTNER_LABELS))
    pv_pred = np.isin(pred, list(PARTNER_LABELS))
    out["flag:partner_violence"] = (pv_gold, pv_pred)
    out["flag:domestic_violence"] = (gold != NONE, pred != NONE)
    out["flag:pv_among_ex_partner"] = (gold == "ex_partner", pv_pred & (gold == "ex_partner"))
    return out


def targets_rulings(gold: np.ndarray, pred: np.ndarray) -> dict[str, tuple[np.ndarray,
                                                                           np.ndarray]]:
    """Binary targets on the dev rulings (gold partner / ex_partner / family / other).

    Parameters
    ----------
    gold : numpy.ndarray of str
        Gold ``relationship`` per ruling.
    pred : numpy.ndarray of str
        Predicted library label.

    Returns
    -------
    dict of str to (gold mask, predicted mask)
        ``label:partner``, ``label:ex_partner``, ``label:family``,
        ``flag:partner_violence``, ``flag:domestic_violence``, ``flag:pv_among_ex_partner``.
    """
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in ("partner", "ex_partner", "family"):
        out[f"label:{name}"] = (gold == name, np.isin(pred, RULINGS_GOLD[name]))
    pv_pred = np.isin(pred, list(PARTNER_LABELS))
    out["flag:partner_violence"] = (np.isin(gold, ["partner", "ex_partner"]), pv_pred)
    out["flag:domestic_violence"] = (gold != "other", ~np.isin(pred, RULINGS_GOLD["other"]))
    out["flag:pv_among_ex_partner"] = (gold == "ex_partner", pv_pred & (gold == "ex_partner"))
    return out


def bootstrap_table(
    targets: Mapping[str, tuple[np.ndarray, np.ndarray]],
    groups: Sequence[object] | np.ndarray | pd.Series | None = None,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Precision, recall and F1 per target with percentile cluster-bootstrap intervals.

    The resampling is :func:`pv_identify.evaluate.bootstrap.cluster_bootstrap` on the
    per-row tp/fp/fn of every target (all targets share the replicates).

    Parameters
    ----------
    targets : mapping of str to (gold mask, predicted mask)
        Binary targets (see :func:`targets_synthetic`).
    groups : array-like, optional
        Cluster per row (person id); None: every row is its own cluster.
    n_boot : int, default 1000
        Bootstrap replicates.
    level : float, default 0.95
        Confidence level.
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    pandas.DataFrame
        Index: target; columns ``support``, ``precision``, ``precision_low``,
        ``precision_high``, ``recall``, ... ``f1_high``.
    """
    names = list(targets)
    n = len(next(iter(targets.values()))[0]) if names else 0
    cols = []
    for name in names:
        g, p = (np.asarray(x, dtype=bool) for x in targets[name])
        cols += [g & p, ~g & p, g & ~p]
    values = (np.column_stack(cols).astype(np.int64) if cols
              else np.zeros((n, 0), dtype=np.int64))
    total, boot = cluster_bootstrap(
        values, cluster=None if groups is None else np.asarray(groups, dtype=object),
        n_boot=n_boot, seed=seed)
    rows = []
    for i in range(len(names)):
        tp, fp, fn = (total[3 * i + k] for k in range(3))
        point = prf(np.array([tp]), np.array([fp]), np.array([fn]))
        reps = prf(boot[:, 3 * i], boot[:, 3 * i + 1], boot[:, 3 * i + 2])
        row: dict[str, float] = {"support": float(tp + fn)}
        for metric, value, rep in zip(("precision", "recall", "f1"), point, reps,
                                      strict=True):
            est = percentile_interval(float(value[0]), rep, level)
            row[metric], row[f"{metric}_low"], row[f"{metric}_high"] = (
                est.value, est.low, est.high)
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(names, name="target"))


def format_table(tables: Mapping[str, pd.DataFrame], targets: Sequence[str] | None = None,
                 digits: int = 3) -> str:
    """Markdown table: one row per (target, system), P/R/F1 with intervals.

    Parameters
    ----------
    tables : mapping of system name to :func:`bootstrap_table` result
        E.g. ``{"rules wodc2022": ..., "rules+model": ...}``.
    targets : sequence of str, optional
        Targets to show (default: all of the first table).
    digits : int, default 3
        Decimals.

    Returns
    -------
    str
        A markdown table.
    """
    def cell(row: pd.Series, metric: str) -> str:
        value = row[metric]
        if not np.isfinite(value):
            return "n/a"
        return (f"{value:.{digits}f} [{row[metric + '_low']:.{digits}f}, "
                f"{row[metric + '_high']:.{digits}f}]")

    first = next(iter(tables.values()))
    targets = list(targets) if targets is not None else list(first.index)
    lines = ["| target | system | support | precision | recall | F1 |",
             "|---|---|---:|---|---|---|"]
    for target in targets:
        for system, table in tables.items():
            if target not in table.index:
                continue
            row = table.loc[target]
            if target == "flag:pv_among_ex_partner":
                prec, f1 = "-", "-"
            else:
                prec, f1 = cell(row, "precision"), cell(row, "f1")
            lines.append(f"| {target} | {system} | {int(row['support'])} | {prec} | "
                         f"{cell(row, 'recall')} | {f1} |")
    return "\n".join(lines)
