"""Evaluate rules and/or a model against gold relationship labels.

:func:`evaluate` gives the confusion matrix over the relationship labels, per-label
precision/recall/F1 with bootstrap intervals, the two flags' metrics, and — when a
model score column exists and holds scores — the precision-recall curve and a
calibration table of the score for the partner-violence flag.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import ColumnMappingError, PvIdentifyError
from pv_identify.evaluate.common import (
    RulesSpec,
    cluster_codes,
    ensure_tagged,
    gold_flag,
    labels_of,
    predicted_flag,
    resolve_gold,
)
from pv_identify.evaluate.metrics import (
    N_BOOT,
    Estimate,
    binary_metrics,
    calibration_table,
    confusion_matrix,
    per_label_metrics,
    pr_curve,
)
from pv_identify.schema import OUT_SCORE


@dataclass
class Evaluation:
    """Result of :func:`evaluate`.

    Attributes
    ----------
    confusion : pandas.DataFrame
        Gold (rows) x predicted (columns) label counts.
    per_label : pandas.DataFrame
        Per-label support, precision, recall, F1 and bounds.
    flags : pandas.DataFrame
        Index ``partner``, ``domestic``: precision, recall, F1 and bounds, counts.
    pr_curve, calibration : pandas.DataFrame or None
        For the model score (partner-violence flag), None without scores.
    n : int
        Offences evaluated (with a gold label).
    notes : list of str
        Remarks (no record contents).
    """

    confusion: pd.DataFrame
    per_label: pd.DataFrame
    flags: pd.DataFrame
    pr_curve: pd.DataFrame | None
    calibration: pd.DataFrame | None
    n: int
    notes: list[str] = field(default_factory=list)

    def format(self) -> str:
        """Return a plain-text report (the CLI output)."""
        lines = [f"offences with a gold label: {self.n:,}", "",
                 "confusion matrix (rows: gold, columns: predicted)",
                 self.confusion.to_string(), "", "per label"]
        show = pd.DataFrame(index=self.per_label.index)
        show["support"] = self.per_label["support"]
        show["predicted"] = self.per_label["predicted"]
        for k in ("precision", "recall", "f1"):
            show[k] = [Estimate(v, lo, hi).format() for v, lo, hi in zip(
                self.per_label[k], self.per_label[k + "_low"], self.per_label[k + "_high"],
                strict=True)]
        lines += [show.to_string(), "", "flags"]
        for name, row in self.flags.iterrows():
            lines.append(f"  {name:<9}" + "  ".join(
                f"{k} {Estimate(row[k], row[k + '_low'], row[k + '_high']).format()}"
                for k in ("precision", "recall", "f1")))
        if self.pr_curve is not None and "average_precision" in self.pr_curve.attrs:
            lines.append(f"model score: average precision "
                         f"{self.pr_curve.attrs['average_precision']:.3f}")
        if self.calibration is not None and "brier" in self.calibration.attrs:
            lines.append(f"model score: Brier score {self.calibration.attrs['brier']:.4f}")
        lines += [""] + [f"note: {n}" for n in self.notes]
        return "\n".join(lines).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary."""
        def clean(v: Any) -> Any:
            if isinstance(v, float | np.floating):
                return None if math.isnan(v) else float(v)
            return int(v) if isinstance(v, np.integer) else v

        def rec(t: pd.DataFrame) -> Any:
            return {str(i): {str(k): clean(v) for k, v in r.items()} for i, r in t.iterrows()}

        out: dict[str, Any] = {"n": self.n, "confusion": rec(self.confusion),
                               "per_label": rec(self.per_label), "flags": rec(self.flags),
                               "notes": self.notes}
        if self.pr_curve is not None:
            out["average_precision"] = self.pr_curve.attrs.get("average_precision")
        if self.calibration is not None:
            out["calibration"] = self.calibration.to_dict(orient="records")
            out["brier"] = self.calibration.attrs.get("brier")
        return out


def evaluate(
    df: pd.DataFrame,
    rules: RulesSpec | None = "default",
    *,
    gold: str | pd.Series | None = None,
    score: str | None = OUT_SCORE,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    cluster: str | None = "case_id",
    retag: bool = False,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> Evaluation:
    """Evaluate the labels (and a model score) of a tagged or untagged extract.

    Parameters
    ----------
    df : pandas.DataFrame
        A tagged frame (its ``pv_*`` columns are used) or an extract to tag with
        ``rules``. Not modified.
    rules : str, pathlib.Path or RuleSet, optional
        Rule set for untagged data (or with ``retag``).
    gold : str or pandas.Series, optional
        Gold-label column; default ``true_relationship``.
    score : str or None, default "pv_score"
        Model score column; curves are drawn only when it holds scores.
    columns : mapping, optional
        Column mapping.
    cluster : str or None, default "case_id"
        Canonical field resampled as a whole in the bootstrap, or None for rows.
    retag : bool, default False
        Tag again even if ``df`` is tagged.
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Random seed.

    Returns
    -------
    Evaluation
        Confusion matrix, per-label and per-flag metrics, curves.

    Raises
    ------
    ColumnMappingError
        If there is no gold-label column.
    """
    gold_labels = resolve_gold(df, gold)
    if gold_labels is None:
        raise ColumnMappingError("no gold labels: give the column with gold= / --gold "
                                 "(the synthetic extract has 'true_relationship')")
    tagged = ensure_tagged(df, rules, columns=columns, retag=retag)
    notes: list[str] = []
    has = gold_labels.notna().to_numpy()
    if not has.any():
        raise PvIdentifyError("the gold-label column is empty")
    if not has.all():
        notes.append(f"{int((~has).sum()):,} offences without a gold label left out")
    g = gold_labels[has]
    pred = labels_of(tagged)[has]
    all_codes = cluster_codes(tagged, cluster, columns)
    if cluster and all_codes is None:
        notes.append(f"no {cluster} column: the bootstrap resamples offences")
    clus = all_codes[has] if all_codes is not None else None
    if clus is not None:
        notes.append(f"confidence intervals: {n_boot} bootstrap replicates resampling whole "
                     f"{cluster.replace('_id', 's')}" if cluster else "")
    conf = confusion_matrix(g, pred)
    per_label = per_label_metrics(g, pred, cluster=clus, n_boot=n_boot, seed=seed)
    flag_rows = {}
    for target in ("partner", "domestic"):
        m = binary_metrics(gold_flag(g, target), predicted_flag(tagged, target)[has],
                           cluster=clus, n_boot=n_boot, seed=seed)
        row: dict[str, float] = {}
        for k in ("precision", "recall", "f1"):
            est = m[k]
            assert isinstance(est, Estimate)
            row[k], row[k + "_low"], row[k + "_high"] = est.value, est.low, est.high
        row.update({k: float(m[k]) for k in ("tp", "fp", "fn", "tn")})  # type: ignore[arg-type]
        flag_rows[target] = row
    flags = pd.DataFrame.from_dict(flag_rows, orient="index")
    if "domestic_unspecified" in conf.columns and not (g == "domestic_unspecified").any():
        notes.append("'domestic_unspecified' is a prediction only (a domestic signal without "
                     "a relationship); it counts as wrong in the per-label table but right "
                     "for the domestic flag")
    pr = cal = None
    scores = (pd.to_numeric(tagged[score], errors="coerce").to_numpy(dtype=float)[has]
              if score and score in tagged.columns else None)
    if scores is None or not np.isfinite(scores).any():
        notes.append("no model score in the data (no trained model was used): no "
                     "precision-recall or calibration curve")
    else:
        scored = np.isfinite(scores)
        if not scored.all():
            notes.append(f"model score present on {scored.mean():.1%} of offences; curves "
                         "use those only")
        gp = gold_flag(g, "partner")
        pr = pr_curve(gp, scores)
        cal = calibration_table(gp, scores)
    return Evaluation(conf, per_label, flags, pr, cal, int(has.sum()), notes)
