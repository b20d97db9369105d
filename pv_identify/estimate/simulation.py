"""Repeated-sampling check of the estimates on generated extracts whose truth is known.

:func:`coverage_study` generates extracts with :func:`pv_identify.synth.generate`
(their ``true_relationship`` column is the truth), tags them, and then, for each
repetition, draws a stratified sample and a simple random sample of the same size
with the repetition's seed, fills the labels from the truth, estimates, and records
whether each 95 % interval covers the true value of the extract. The truth is the
finite-population value (design-based inference conditions on the extract).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.estimate.design import draw_stratified
from pv_identify.estimate.errors import EstimateWarning
from pv_identify.estimate.results import TARGETS, estimate_extract
from pv_identify.estimate.strata import DEFAULT_STRATA
from pv_identify.estimate.tagged import TaggedColumns, tagged_columns
from pv_identify.schema import TRUTH_COLUMN

#: Quantities checked: (name, path into the result).
QUANTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("partner_violence total", ("partner_violence", "total")),
    ("ex_partner total", ("ex_partner", "total")),
    ("domestic_violence total", ("domestic_violence", "total")),
    ("rules recall", ("rules", "recall")),
    ("rules precision", ("rules", "precision")),
    ("combined recall", ("combined", "recall")),
    ("combined precision", ("combined", "precision")),
)


def true_values(view: TaggedColumns, truth: np.ndarray) -> dict[str, float]:
    """Return the population values of :data:`QUANTITIES` for one extract.

    Parameters
    ----------
    view : TaggedColumns
        The tagged extract.
    truth : numpy.ndarray of str
        True relationship per row.

    Returns
    -------
    dict of str to float
        Quantity name -> true value.
    """
    gold = {t: np.isin(truth, list(labels)) for t, labels in TARGETS.items()}
    pv = gold["partner_violence"]
    out = {f"{t} total": float(g.sum()) for t, g in gold.items()}
    for system, flag in (("rules", view.rules_pv), ("combined", view.partner)):
        out[f"{system} recall"] = float((pv & flag).sum() / max(pv.sum(), 1))
        out[f"{system} precision"] = float((pv & flag).sum() / max(flag.sum(), 1))
    return out


def make_extract(n_rows: int, seed: int, model: Any = "default"
                 ) -> tuple[TaggedColumns, np.ndarray]:
    """Generate and tag one synthetic extract.

    Parameters
    ----------
    n_rows : int
        Offence rows.
    seed : int
        Generator seed.
    model : str or RelationshipClassifier, default "default"
        Model used by the tagger (None: rules only).

    Returns
    -------
    (TaggedColumns, numpy.ndarray of str)
        The tagger's view and the true relationship per row.
    """
    from pv_identify.synth import generate
    from pv_identify.tagger import tag

    df = generate(n_rows, seed=seed)
    truth = df[TRUTH_COLUMN].astype(str).to_numpy(dtype=object)
    tagged = tag(df.drop(columns=[TRUTH_COLUMN]), model=model)
    return tagged_columns(tagged), truth


def coverage_study(
    *,
    reps: int = 100,
    n: int = 400,
    n_rows: int = 20_000,
    extracts: int = 5,
    by: Sequence[str] = DEFAULT_STRATA,
    allocation: str = "neyman",
    level: float = 0.95,
    method: str = "beta",
    seed: int = 0,
    model: Any = "default",
) -> pd.DataFrame:
    """Repeat sample -> annotate from the truth -> estimate, for two designs.

    Parameters
    ----------
    reps : int, default 100
        Repetitions (sampling seeds ``seed .. seed + reps - 1``).
    n : int, default 400
        Sample size of both designs.
    n_rows : int, default 20000
        Rows per generated extract.
    extracts : int, default 5
        Generated extracts (repetition ``r`` uses extract ``r % extracts``).
    by : sequence of str
        Stratifiers of the stratified design.
    allocation : str, default "neyman"
        Allocation of the stratified design.
    level : float, default 0.95
        Confidence level.
    method : str, default "beta"
        Interval method.
    seed : int, default 0
        First sampling seed; extract ``k`` is generated with seed ``1000 + k``.
    model : str or RelationshipClassifier, default "default"
        Model used by the tagger.

    Returns
    -------
    pandas.DataFrame
        One row per repetition, design and quantity: ``rep``, ``extract``, ``design``
        (``stratified`` / ``srs``), ``quantity``, ``truth``, ``estimate``, ``low``,
        ``high``, ``covered``, ``width``.
    """
    made = [make_extract(n_rows, 1000 + k, model) for k in range(extracts)]
    truths = [true_values(view, truth) for view, truth in made]
    records = []
    for rep in range(reps):
        k = rep % extracts
        view, truth = made[k]
        for design_name, strata in (("stratified", tuple(by)), ("srs", ())):
            design = draw_stratified(view, n, by=strata, allocation=allocation,
                                     seed=seed + rep)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", EstimateWarning)
                result = estimate_extract(view, design, design.rows, truth[design.rows],
                                          level=level, method=method, domains=())
            for name, path in QUANTITIES:
                rec = result[path[0]][path[1]]
                true = truths[k][name]
                est, low, high = (np.nan if rec[key] is None else float(rec[key])
                                  for key in ("estimate", "low", "high"))
                covered = bool(low - 1e-9 <= true <= high + 1e-9) if np.isfinite(low) \
                    else False
                records.append({"rep": rep, "extract": k, "design": design_name,
                                "quantity": name, "truth": true, "estimate": est,
                                "low": low, "high": high, "covered": covered,
                                "width": high - low})
    return pd.DataFrame.from_records(records)


def summarise(study: pd.DataFrame) -> pd.DataFrame:
    """Coverage and mean interval width per quantity and design.

    Parameters
    ----------
    study : pandas.DataFrame
        Output of :func:`coverage_study`.

    Returns
    -------
    pandas.DataFrame
        Index quantity; columns ``coverage_stratified``, ``coverage_srs``,
        ``width_stratified``, ``width_srs``, ``width_ratio`` (stratified / SRS).
    """
    agg = study.pivot_table(index="quantity", columns="design",
                            values=["covered", "width"], aggfunc="mean")
    out = pd.DataFrame({
        "coverage_stratified": agg[("covered", "stratified")],
        "coverage_srs": agg[("covered", "srs")],
        "width_stratified": agg[("width", "stratified")],
        "width_srs": agg[("width", "srs")],
    })
    out["width_ratio"] = out["width_stratified"] / out["width_srs"]
    return out.loc[[q for q, _ in QUANTITIES if q in out.index]]
