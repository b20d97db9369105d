"""Metrics with bootstrap confidence intervals, and a paired test of two predictors.

Every metric here is a function of a small table of counts (a 2x2 table, a 2x2x2
table for two predictors, a label x label confusion matrix). Resampling rows with
replacement only changes those counts, so the bootstrap draws the *counts* directly:

* row bootstrap: ``n`` rows with replacement = one multinomial draw of ``n`` over the
  cells, with the observed cell shares as probabilities;
* cluster bootstrap (resample whole cases or persons, because offences of one case are
  not independent): each cluster is summarised by its *profile* (its count in every
  cell); drawing ``m`` clusters with replacement = a multinomial draw of ``m`` over
  the distinct profiles, weighted by how often each occurs, times the profiles.

Both are exact equivalents of resampling rows (clusters), and cost does not grow with
the number of rows: a 1-million-row extract with 1,000 replicates takes well under
a second. The resampling itself is the library's one cluster bootstrap,
:mod:`pv_identify.evaluate.bootstrap`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pv_identify.evaluate.bootstrap import (
    LEVEL,
    N_BOOT,
    Estimate,
    cluster_bootstrap,
    percentile_interval,
    prf,
)

__all__ = [
    "LEVEL", "N_BOOT", "Estimate", "PairedTest", "binary_metrics", "bootstrap_counts",
    "calibration_table", "confusion_matrix", "label_order", "paired_test",
    "per_label_metrics", "pr_curve", "prf", "score_metrics", "wilson_interval",
]

def bootstrap_counts(
    cells: np.ndarray,
    n_cells: int,
    *,
    cluster: pd.Series | np.ndarray | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Observed and bootstrapped cell counts.

    :func:`pv_identify.evaluate.bootstrap.cluster_bootstrap` on one cell per row.

    Parameters
    ----------
    cells : numpy.ndarray of int
        The cell (0 .. ``n_cells`` - 1) of every row.
    n_cells : int
        Number of cells.
    cluster : array-like, optional
        Cluster id per row (case or person); whole clusters are resampled. None
        resamples rows.
    n_boot : int, default 1000
        Number of replicates.
    seed : int, default 0
        Random seed.

    Returns
    -------
    observed : numpy.ndarray, shape (n_cells,)
        Counts on the data.
    replicates : numpy.ndarray, shape (n_boot, n_cells)
        Counts in each bootstrap replicate.
    """
    return cluster_bootstrap(np.asarray(cells, dtype=np.int64), n_cols=n_cells,
                             cluster=cluster, n_boot=n_boot, seed=seed)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


_interval = percentile_interval


def binary_metrics(
    gold: pd.Series | np.ndarray,
    pred: pd.Series | np.ndarray,
    *,
    cluster: pd.Series | np.ndarray | None = None,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = 0,
) -> dict[str, Estimate | int]:
    """Precision, recall and F1 of a binary prediction with bootstrap intervals.

    Parameters
    ----------
    gold, pred : array-like of bool
        True flag and predicted flag per row.
    cluster : array-like, optional
        Cluster id per row for a cluster bootstrap (recommended: the case id).
    n_boot : int, default 1000
        Bootstrap replicates.
    level : float, default 0.95
        Confidence level.
    seed : int, default 0
        Random seed.

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1`` (:class:`Estimate`) and the counts ``tp``,
        ``fp``, ``fn``, ``tn``, ``n``.

    Examples
    --------
    >>> m = binary_metrics([True, True, False, False], [True, False, False, True], n_boot=0)
    >>> m["precision"].value, m["recall"].value
    (0.5, 0.5)
    """
    g = np.asarray(gold, dtype=bool)
    p = np.asarray(pred, dtype=bool)
    cells = g.astype(np.int64) * 2 + p  # 0 tn, 1 fp, 2 fn, 3 tp
    obs, reps = bootstrap_counts(cells, 4, cluster=cluster, n_boot=n_boot, seed=seed)
    o = prf(obs[3], obs[1], obs[2])
    r = prf(reps[:, 3], reps[:, 1], reps[:, 2])
    out: dict[str, Estimate | int] = {
        name: _interval(float(o[i]), r[i], level)
        for i, name in enumerate(("precision", "recall", "f1"))
    }
    out.update(tp=int(obs[3]), fp=int(obs[1]), fn=int(obs[2]), tn=int(obs[0]), n=int(obs.sum()))
    return out


@dataclass(frozen=True)
class PairedTest:
    """Paired comparison of two binary predictors on the same rows.

    Parameters
    ----------
    metrics : pandas.DataFrame
        Index ``precision``, ``recall``, ``f1``; columns ``a``, ``b``, ``diff`` (b - a),
        ``diff_low``, ``diff_high`` (bootstrap interval of the difference) and
        ``p_value`` (two-sided paired bootstrap test of "no difference").
    mcnemar_p : float
        Exact McNemar test on the rows where exactly one predictor is right
        (ignores clustering; NaN when no row is discordant).
    discordant : tuple of int
        Rows where only A is right, and where only B is right.
    n_boot : int
        Replicates used.
    clustered : bool
        Whether whole clusters were resampled.
    """

    metrics: pd.DataFrame
    mcnemar_p: float
    discordant: tuple[int, int]
    n_boot: int
    clustered: bool


def _mcnemar(only_a: int, only_b: int) -> float:
    n = only_a + only_b
    if n == 0:
        return math.nan
    k = min(only_a, only_b)
    if n <= 5000:  # exact two-sided binomial test with p = 1/2
        log_terms = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                     - n * math.log(2) for i in range(k + 1)]
        return float(min(1.0, 2 * math.fsum(math.exp(t) for t in log_terms)))
    # large samples: chi-square with continuity correction (1 df)
    stat = (abs(only_a - only_b) - 1) ** 2 / n
    return float(math.erfc(math.sqrt(stat / 2)))


def paired_test(
    gold: pd.Series | np.ndarray,
    pred_a: pd.Series | np.ndarray,
    pred_b: pd.Series | np.ndarray,
    *,
    cluster: pd.Series | np.ndarray | None = None,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = 0,
) -> PairedTest:
    """Compare two predictors of one binary flag on the same rows.

    The same bootstrap replicates are used for both predictors, so the interval of
    the difference accounts for their correlation.

    Parameters
    ----------
    gold : array-like of bool
        True flag per row.
    pred_a, pred_b : array-like of bool
        The two predictions.
    cluster : array-like, optional
        Cluster id per row (case or person) for a cluster bootstrap.
    n_boot : int, default 1000
        Bootstrap replicates.
    level : float, default 0.95
        Confidence level.
    seed : int, default 0
        Random seed.

    Returns
    -------
    PairedTest
        Metrics of both, their difference with interval and p-value, and McNemar.
    """
    g = np.asarray(gold, dtype=bool).astype(np.int64)
    a = np.asarray(pred_a, dtype=bool).astype(np.int64)
    b = np.asarray(pred_b, dtype=bool).astype(np.int64)
    cells = g * 4 + a * 2 + b
    obs, reps = bootstrap_counts(cells, 8, cluster=cluster, n_boot=n_boot, seed=seed)

    def both(c: np.ndarray) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
        c = np.atleast_2d(c)
        # gold=1: cells 4..7 ; a = bit 2, b = bit 1
        tp_a, fp_a, fn_a = c[:, 6] + c[:, 7], c[:, 2] + c[:, 3], c[:, 4] + c[:, 5]
        tp_b, fp_b, fn_b = c[:, 5] + c[:, 7], c[:, 1] + c[:, 3], c[:, 4] + c[:, 6]
        return prf(tp_a, fp_a, fn_a), prf(tp_b, fp_b, fn_b)

    (oa, ob), (ra, rb) = both(obs), both(reps)
    alpha = (1 - level) / 2
    rows = []
    for i, name in enumerate(("precision", "recall", "f1")):
        diff_obs = float(ob[i][0] - oa[i][0])
        d = rb[i] - ra[i]
        d = d[np.isfinite(d)]
        if d.size and not math.isnan(diff_obs):
            low, high = (float(x) for x in np.quantile(d, [alpha, 1 - alpha]))
            p = float(min(1.0, 2 * min(np.mean(d <= 0), np.mean(d >= 0))))
        else:
            low = high = p = math.nan
        rows.append({"metric": name, "a": float(oa[i][0]), "b": float(ob[i][0]),
                     "diff": diff_obs, "diff_low": low, "diff_high": high, "p_value": p})
    # correctness: A right & B wrong vs A wrong & B right
    only_a = int(obs[1] + obs[6])  # gold0 a0 b1 ; gold1 a1 b0
    only_b = int(obs[2] + obs[5])  # gold0 a1 b0 ; gold1 a0 b1
    metrics = pd.DataFrame(rows).set_index("metric")
    return PairedTest(metrics, _mcnemar(only_a, only_b), (only_a, only_b), n_boot,
                      cluster is not None)


def confusion_matrix(
    gold: pd.Series | np.ndarray,
    pred: pd.Series | np.ndarray,
    labels: list[str] | None = None,
) -> pd.DataFrame:
    """Confusion matrix of relationship labels (rows: gold, columns: predicted).

    Parameters
    ----------
    gold, pred : array-like of str
        Gold and predicted label per row.
    labels : list of str, optional
        Label order; by default the labels of :data:`pv_identify.schema.LABELS` that
        occur, then any others in sorted order.

    Returns
    -------
    pandas.DataFrame
        Counts, index ``gold``, columns ``predicted``.
    """
    g, p = _series(gold), _series(pred)
    labels = labels or label_order(g, p)
    k = len(labels)
    gi, pi = _codes(g, labels), _codes(p, labels)
    keep = (gi >= 0) & (pi >= 0)
    counts = np.bincount(gi[keep] * k + pi[keep], minlength=k * k).reshape(k, k)
    return pd.DataFrame(counts.astype(np.int64), index=pd.Index(labels, name="gold"),
                        columns=pd.Index(labels, name="predicted"))


def _series(values: pd.Series | np.ndarray) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    return pd.Series(np.asarray(values, dtype=object))


def _codes(values: pd.Series, labels: list[str]) -> np.ndarray:
    """Codes of ``values`` in ``labels`` (-1 for missing or other values)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in values.cat.categories]
        lookup = np.array([labels.index(c) if c in labels else -1 for c in cats] + [-1],
                          dtype=np.int64)
        return lookup[values.cat.codes.to_numpy(dtype=np.int64)]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = np.array([labels.index(str(u)) if str(u) in labels else -1 for u in uniques]
                      + [-1], dtype=np.int64)
    return lookup[np.asarray(codes, dtype=np.int64)]


def label_order(*series: pd.Series) -> list[str]:
    """Labels present in any of ``series``, in :data:`~pv_identify.schema.LABELS` order."""
    from pv_identify.schema import LABELS

    present: set[str] = set()
    for s in series:
        present |= {str(v) for v in pd.unique(s.dropna())}
    return [lab for lab in LABELS if lab in present] + sorted(present - set(LABELS))


def per_label_metrics(
    gold: pd.Series | np.ndarray,
    pred: pd.Series | np.ndarray,
    *,
    labels: list[str] | None = None,
    cluster: pd.Series | np.ndarray | None = None,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = 0,
) -> pd.DataFrame:
    """Per-label precision, recall and F1 with bootstrap intervals.

    Parameters
    ----------
    gold, pred : array-like of str
        Gold and predicted label per row.
    labels : list of str, optional
        Labels to report (default: all present, in schema order).
    cluster : array-like, optional
        Cluster id per row for a cluster bootstrap.
    n_boot : int, default 1000
        Bootstrap replicates.
    level : float, default 0.95
        Confidence level.
    seed : int, default 0
        Random seed.

    Returns
    -------
    pandas.DataFrame
        Index: label. Columns ``support`` (gold count), ``predicted``, and for each of
        precision, recall, f1 the value and ``_low``/``_high`` bounds.
    """
    g, p = _series(gold), _series(pred)
    labels = labels or label_order(g, p)
    k = len(labels)
    gi, pi = _codes(g, labels), _codes(p, labels)
    keep = (gi >= 0) & (pi >= 0)
    obs, reps = bootstrap_counts(gi[keep] * k + pi[keep], k * k,
                                 cluster=None if cluster is None else np.asarray(cluster)[keep],
                                 n_boot=n_boot, seed=seed)

    def table(c: np.ndarray) -> tuple[np.ndarray, ...]:
        m = c.reshape(-1, k, k)
        tp = np.diagonal(m, axis1=1, axis2=2)
        return prf(tp, m.sum(axis=1) - tp, m.sum(axis=2) - tp)

    o, r = table(obs), table(reps)
    rows = []
    matrix = obs.reshape(k, k)
    for j, label in enumerate(labels):
        row: dict[str, object] = {"label": label, "support": int(matrix[j].sum()),
                                  "predicted": int(matrix[:, j].sum())}
        for i, name in enumerate(("precision", "recall", "f1")):
            est = _interval(float(o[i][0, j]), r[i][:, j], level)
            row[name], row[f"{name}_low"], row[f"{name}_high"] = est.value, est.low, est.high
        rows.append(row)
    return pd.DataFrame(rows).set_index("label")


def wilson_interval(successes: np.ndarray, n: np.ndarray, level: float = LEVEL
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion (vectorised; NaN where ``n`` is 0).

    Parameters
    ----------
    successes, n : numpy.ndarray
        Counts.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper bounds.
    """
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    s = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        phat = s / n
        den = 1 + z**2 / n
        centre = (phat + z**2 / (2 * n)) / den
        half = z * np.sqrt(phat * (1 - phat) / n + z**2 / (4 * n**2)) / den
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    low = np.where((s == 0) & (n > 0), 0.0, low)
    high = np.where((s == n) & (n > 0), 1.0, high)
    return low, high


def pr_curve(gold: pd.Series | np.ndarray, score: pd.Series | np.ndarray) -> pd.DataFrame:
    """Precision-recall curve of a score (rows with a missing score are left out).

    Parameters
    ----------
    gold : array-like of bool
        True flag.
    score : array-like of float
        Model score (higher = more likely).

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold``, ``precision``, ``recall``; ``attrs["average_precision"]``.
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    g, s = _scored(gold, score)
    if g.size == 0 or g.all() or not g.any():
        return pd.DataFrame(columns=["threshold", "precision", "recall"])
    precision, recall, thresholds = precision_recall_curve(g, s)
    out = pd.DataFrame({"threshold": np.append(thresholds, np.nan), "precision": precision,
                        "recall": recall})
    out.attrs["average_precision"] = float(average_precision_score(g, s))
    return out


def calibration_table(gold: pd.Series | np.ndarray, score: pd.Series | np.ndarray,
                      n_bins: int = 10) -> pd.DataFrame:
    """Calibration of a score: mean score vs observed share per score bin.

    Parameters
    ----------
    gold : array-like of bool
        True flag.
    score : array-like of float
        Model score in [0, 1].
    n_bins : int, default 10
        Equal-width bins.

    Returns
    -------
    pandas.DataFrame
        Columns ``bin``, ``n``, ``mean_score``, ``observed``, ``low``, ``high``
        (Wilson interval of the observed share); ``attrs["brier"]``.
    """
    g, s = _scored(gold, score)
    if g.size == 0:
        return pd.DataFrame(columns=["bin", "n", "mean_score", "observed", "low", "high"])
    bins = np.clip((s * n_bins).astype(int), 0, n_bins - 1)
    n = np.bincount(bins, minlength=n_bins)
    pos = np.bincount(bins, weights=g, minlength=n_bins)
    tot = np.bincount(bins, weights=s, minlength=n_bins)
    low, high = wilson_interval(pos, n)
    out = pd.DataFrame({"bin": np.arange(n_bins), "n": n, "mean_score": _ratio(tot, n),
                        "observed": _ratio(pos, n), "low": low, "high": high})
    out = out[out["n"] > 0].reset_index(drop=True)
    out.attrs["brier"] = float(np.mean((s - g) ** 2))
    return out


def score_metrics(score: Sequence[float] | np.ndarray,
                  is_pv: Sequence[bool] | np.ndarray) -> dict[str, float]:
    """How well a score states the probability of partner violence.

    Parameters
    ----------
    score : sequence of float
        Scores in [0, 1] (NaN scores are left out).
    is_pv : sequence of bool
        True flags.

    Returns
    -------
    dict
        ``n``, ``log_loss``, ``brier``, ``ece`` (expected calibration error over
        ten equal-width bins), ``auc`` (NaN with one outcome only),
        ``mean_score`` and ``share`` (observed share of partner violence).
    """
    from sklearn.metrics import log_loss, roc_auc_score

    s = np.asarray(score, dtype=float)
    y = np.asarray(is_pv, dtype=bool)
    keep = np.isfinite(s)
    s, y = s[keep], y[keep]
    if not len(s):
        return {"n": 0.0, "log_loss": math.nan, "brier": math.nan, "ece": math.nan,
                "auc": math.nan, "mean_score": math.nan, "share": math.nan}
    table = calibration_table(y, s, n_bins=10)
    ece = float((table["n"] * (table["mean_score"] - table["observed"]).abs()).sum() / len(s))
    both = bool(y.any() and not y.all())
    return {"n": float(len(s)),
            "log_loss": float(log_loss(y, np.clip(s, 1e-4, 1.0 - 1e-4), labels=[False, True])),
            "brier": float(table.attrs["brier"]), "ece": ece,
            "auc": float(roc_auc_score(y, s)) if both else math.nan,
            "mean_score": float(s.mean()), "share": float(y.mean())}


def _scored(gold: pd.Series | np.ndarray, score: pd.Series | np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(score, dtype=float)
    g = np.asarray(gold, dtype=bool)
    keep = np.isfinite(s)
    return g[keep].astype(float), s[keep]
