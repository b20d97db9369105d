"""Estimates for a whole extract from a filled-in sheet: targets, systems, domains.

:func:`estimate_extract` ties the design, the tagged extract and the annotator's
labels together and returns a JSON-ready dict:

* ``partner_violence``, ``ex_partner``, ``domestic_violence``: ``total`` and ``share``
  of the true offences, each an ``{"estimate", "low", "high", "se", "n"}`` record, and
  ``counted``: what the tagger counts (rules alone, model alone, rules + model);
* ``rules``, ``model`` (None without model scores), ``combined``: ``precision`` and
  ``recall`` of each system's partner-violence flag against the annotated truth;
* ``by_year`` and ``by_source`` (court / prosecutor): the same inside each domain;
* ``strata``, ``design``, ``method`` and ``warnings``.

Domain totals are ``N_d · R_d`` with the known domain size ``N_d`` and the ratio
estimate ``R_d``; for the whole extract (and any union of strata) this is exactly the
Horvitz–Thompson total.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.estimate.design import SampleDesign
from pv_identify.estimate.errors import EstimateError, EstimateWarning
from pv_identify.estimate.estimators import Estimate, StratifiedSample, estimate_ratio
from pv_identify.estimate.intervals import proportion_interval
from pv_identify.estimate.strata import stratifier_values
from pv_identify.estimate.tagged import TaggedColumns
from pv_identify.schema import DOMESTIC_LABELS, EX_PARTNER, PARTNER_LABELS

#: Truth targets: name -> labels that count.
TARGETS: dict[str, frozenset[str]] = {
    "partner_violence": frozenset(PARTNER_LABELS),
    "ex_partner": frozenset({EX_PARTNER}),
    "domestic_violence": frozenset(DOMESTIC_LABELS),
}
#: Systems whose partner-violence flag is evaluated.
SYSTEMS: tuple[str, ...] = ("rules", "model", "combined")
#: Domain variables: JSON key -> stratifier name.
DOMAINS: dict[str, str] = {"by_year": "year", "by_source": "source"}
#: Fewer annotated rows than this in a stratum triggers a warning.
MIN_ANNOTATED_PER_STRATUM = 2


def _record(est: Estimate, level: float, method: str, scale: float = 1.0,
            digits: int = 6) -> dict[str, Any]:
    low, high = proportion_interval(est, level, method)

    def num(value: float) -> float | None:
        return None if not math.isfinite(value) else round(value * scale, digits)

    return {"estimate": num(est.estimate), "low": num(low), "high": num(high),
            "se": num(est.se), "n": est.n}


def _system_flags(view: TaggedColumns) -> dict[str, np.ndarray | None]:
    return {"rules": view.rules_pv, "model": view.model_pv, "combined": view.partner}


def _counted(view: TaggedColumns, target: str, mask: np.ndarray) -> dict[str, int | None]:
    rule = view.source == "rule"
    if target == "partner_violence":
        model = view.model_pv
        return {"rules": int((view.rules_pv & mask).sum()),
                "model": None if model is None else int((model & mask).sum()),
                "combined": int((view.partner & mask).sum())}
    flag = view.ex_partner if target == "ex_partner" else view.domestic
    return {"rules": int((flag & rule & mask).sum()), "model": None,
            "combined": int((flag & mask).sum())}


def _block(view: TaggedColumns, sample: StratifiedSample, rows: np.ndarray,
           gold: dict[str, np.ndarray], pop_mask: np.ndarray, level: float,
           method: str) -> dict[str, Any]:
    d = pop_mask[rows].astype(float)
    n_domain = int(pop_mask.sum())
    out: dict[str, Any] = {"rows": n_domain, "annotated": int(d.sum())}
    for target, y in gold.items():
        share = estimate_ratio(sample, y * d, d)
        out[target] = {"total": _record(share, level, method, scale=n_domain, digits=2),
                       "share": _record(share, level, method),
                       "counted": _counted(view, target, pop_mask)}
    y = gold["partner_violence"]
    for system, flag in _system_flags(view).items():
        if flag is None:
            out[system] = None
            continue
        f = flag[rows].astype(float) * d
        out[system] = {"precision": _record(estimate_ratio(sample, y * f, f), level, method),
                       "recall": _record(estimate_ratio(sample, y * f, y * d), level, method),
                       "flagged": int((flag & pop_mask).sum())}
    return out


def check_design(view: TaggedColumns, design: SampleDesign, where: str = "design") -> None:
    """Check that a design can be used for estimates on this tagged extract.

    Parameters
    ----------
    view : TaggedColumns
        The tagged extract.
    design : SampleDesign
        The design read from the sidecar.
    where : str
        Name in error messages.

    Raises
    ------
    EstimateError
        If the design has no inclusion probabilities or belongs to another extract.
    """
    if not design.probabilistic:
        raise EstimateError(
            f"{where}: the sheet was drawn with --design {design.design}, which has no "
            "inclusion probabilities; design-based estimates need a sheet from "
            "'pv-identify sample --design stratified'")
    if design.population != len(view):
        raise EstimateError(f"{where}: the sample was drawn from an extract of "
                            f"{design.population} rows; this one has {len(view)}")
    if design.fingerprint and design.fingerprint != view.fingerprint():
        raise EstimateError(
            f"{where}: the sample was drawn from a differently tagged extract (fingerprint "
            f"{design.fingerprint}, this file {view.fingerprint()}); estimate against the "
            "tagged file you sampled from")


def estimate_extract(
    view: TaggedColumns,
    design: SampleDesign,
    rows: np.ndarray,
    labels: np.ndarray,
    *,
    level: float = 0.95,
    method: str = "beta",
    domains: Sequence[str] = tuple(DOMAINS),
    where: str = "sheet",
) -> dict[str, Any]:
    """All design-based estimates for a tagged extract from a filled-in sheet.

    Parameters
    ----------
    view : TaggedColumns
        The tagged extract the sample was drawn from.
    design : SampleDesign
        The stratified design.
    rows : numpy.ndarray of int
        Extract position of every sheet row.
    labels : numpy.ndarray of str
        Gold label of every sheet row (``""`` = not annotated).
    level : float, default 0.95
        Confidence level.
    method : {"beta", "wald"}
        Interval method (:mod:`pv_identify.estimate.intervals`).
    domains : sequence of str
        Keys of :data:`DOMAINS` to break down by.
    where : str
        Name of the sheet in messages.

    Returns
    -------
    dict
        JSON-ready results (see the module docstring).

    Raises
    ------
    EstimateError
        If the sheet does not match the design, or a stratum has no annotated row.
    """
    check_design(view, design, where)
    rows = np.asarray(rows, dtype=np.int64)
    drawn = set(design.rows.tolist())
    extra = np.flatnonzero(~np.isin(rows, design.rows))
    if len(extra):
        shown = ", ".join(str(i + 2) for i in extra[:12])
        raise EstimateError(f"{where}: sheet rows {shown} are not in the sample design "
                            "(rows added or pv_row edited?)")
    missing = len(drawn - set(rows.tolist()))
    if missing:
        raise EstimateError(f"{where}: {missing} drawn row(s) are missing from the sheet "
                            "(deleted?); every drawn offence must stay in the sheet")
    names = design.strata["stratum"].to_numpy(dtype=object)
    lookup = pd.Series(np.arange(len(names)), index=names)
    row_stratum = pd.Series(design.row_stratum, index=design.rows)
    keep = np.asarray(labels, dtype=object) != ""
    rows_kept, labels_kept = rows[keep], np.asarray(labels, dtype=object)[keep]
    codes = lookup.loc[row_stratum.loc[rows_kept].to_numpy()].to_numpy(dtype=np.int64)
    sample = StratifiedSample(codes, design.strata["rows"].to_numpy(dtype=np.int64))
    counts = sample.counts
    notes: list[str] = []
    empty = [str(names[h]) for h in np.flatnonzero(counts == 0)]
    if empty:
        raise EstimateError(f"{where}: stratum/strata {empty[:8]} have no annotated row; "
                            "annotate at least one (better two) rows in every stratum")
    few = [(str(names[h]), int(counts[h])) for h in
           np.flatnonzero((counts < MIN_ANNOTATED_PER_STRATUM)
                          & (counts < sample.sizes))]
    if few:
        notes.append(f"{len(few)} stratum/strata with fewer than "
                     f"{MIN_ANNOTATED_PER_STRATUM} annotated rows ("
                     + ", ".join(f"{s}: {c}" for s, c in few[:8])
                     + "): their variance is approximated conservatively; intervals are "
                       "less reliable")
    unfilled = int((~keep).sum())
    if unfilled:
        notes.append(f"{unfilled} of {len(rows)} drawn row(s) are not annotated; they are "
                     "treated as missing at random within their stratum")
    for note in notes:
        warnings.warn(note, EstimateWarning, stacklevel=2)
    gold = {t: np.isin(labels_kept, list(lab)).astype(float) for t, lab in TARGETS.items()}
    everything = np.ones(len(view), dtype=bool)
    result: dict[str, Any] = {
        "extract": {"rows": len(view), "file": design.extract,
                    "fingerprint": view.fingerprint()},
        "design": {"design": design.design, "allocation": design.allocation,
                   "strata_by": list(design.by), "strata": len(names),
                   "sampled": design.n, "annotated": int(keep.sum()), "seed": design.seed,
                   "threshold": view.threshold},
        "method": method_description(level, method),
    }
    overall = _block(view, sample, rows_kept, gold, everything, level, method)
    result.update({k: v for k, v in overall.items() if k not in ("rows", "annotated")})
    for key in domains:
        values = stratifier_values(view, DOMAINS[key], design.bands)
        result[key] = {str(v): _block(view, sample, rows_kept, gold, values == v, level,
                                      method)
                       for v in sorted(pd.unique(values))}
    result["strata"] = _strata_table(design, sample, gold["partner_violence"], level, method)
    result["warnings"] = notes
    return result


def _strata_table(design: SampleDesign, sample: StratifiedSample, y: np.ndarray,
                  level: float, method: str) -> list[dict[str, Any]]:
    out = []
    counts = sample.counts
    for h, rec in enumerate(design.strata.to_dict("records")):
        d = (sample.codes == h).astype(float)
        share = estimate_ratio(sample, y * d, d)
        out.append({"stratum": rec["stratum"], "rows": int(rec["rows"]),
                    "sampled": int(rec["sampled"]), "annotated": int(counts[h]),
                    "partner_violence_share": _record(share, level, method)})
    return out


def method_description(level: float, method: str) -> dict[str, Any]:
    """Describe the estimators, variance and interval (stored with every result).

    Parameters
    ----------
    level : float
        Confidence level.
    method : str
        Interval method.

    Returns
    -------
    dict
        Plain-language description.
    """
    interval = ("Korn-Graubard (Clopper-Pearson at the effective sample size, "
                "degrees of freedom = annotated rows - strata)" if method == "beta" else
                "Wald with Student t quantile (degrees of freedom = annotated rows - "
                "strata), clipped to [0, 1]")
    return {
        "design": "stratified simple random sampling without replacement",
        "estimator": "Horvitz-Thompson totals; ratio estimators for shares, precision, "
                     "recall and domains (domain total = known domain size x ratio)",
        "variance": "stratified with finite-population correction; ratios by Taylor "
                    "linearisation",
        "interval": interval, "level": level,
    }
