"""Active-learning annotation sample: offences ranked by what a label would teach the model.

This is the ``active`` design of ``pv-identify sample --design active``. (The default
design, ``stratified``, is a probability sample for estimates; see
:mod:`pv_identify.estimate`.) :func:`select_for_annotation` ranks the offences of a
tagged extract (tagged *with* a model, so that both the rules' and the model's view
are known) by how much a label would teach the model:

* ``disagree`` -- rules and model disagree on the partner-violence flag;
* ``uncertain`` -- the model's partner-violence score is close to the threshold;

and draws ``n`` of them stratified by registration year and source (court decision
with a qualification vs prosecutor disposal without one), proportionally to the
stratum's size with at least one per non-empty stratum, highest priority first,
ties broken with a fixed seed. The rows are not a probability sample: the sheet's
``inclusion_probability`` is empty, and ``pv-identify estimate`` refuses it. The sheet
format is the one of :mod:`pv_identify.estimate.sheet` (label column
``gold_relationship``, plus a ``reason`` column); ``pv-identify train --sheet`` reads
it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.estimate.design import SampleDesign
from pv_identify.estimate.sheet import build_sheet, write_sheet
from pv_identify.estimate.tagged import tagged_columns
from pv_identify.schema import OUT_PARTNER, OUT_SCORE, OUT_SOURCE

__all__ = ["draw_active", "select_for_annotation", "write_sheet"]


def draw_active(
    tagged: pd.DataFrame,
    n: int,
    *,
    rule_partner: np.ndarray | pd.Series | None = None,
    threshold: float = 0.5,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    seed: int = 0,
) -> tuple[SampleDesign, np.ndarray]:
    """Choose ``n`` offences for labelling by what they would teach the model.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of ``pv.tag(df, model=...)`` (needs ``pv_score``).
    n : int
        Offences to pick.
    rule_partner : array-like of bool, optional
        The rules-only partner-violence flag per row (default: ``pv_source == "rule"``
        and the flag).
    threshold : float, default 0.5
        The model threshold (uncertainty = closeness of the score to it).
    columns : mapping, optional
        Column mapping (for the registration date and the qualification).
    seed : int, default 0
        Seed for ties.

    Returns
    -------
    (SampleDesign, numpy.ndarray of str)
        The ``active`` design (no inclusion probabilities) and the reason per drawn row.

    Raises
    ------
    PvIdentifyError
        If ``tagged`` has no model score or ``n`` < 1.
    """
    if n < 1:
        raise PvIdentifyError("the sample size must be at least 1")
    if OUT_SCORE not in tagged.columns or tagged[OUT_SCORE].isna().all():
        raise PvIdentifyError("the extract must be tagged with a model (pv_score is empty)")
    view = tagged_columns(tagged, columns=columns, threshold=threshold)
    score = np.nan_to_num(view.score, nan=0.0)
    model_pv = score >= threshold
    if rule_partner is None:
        rule_partner = (tagged[OUT_SOURCE].astype(str).to_numpy() == "rule") & tagged[
            OUT_PARTNER].to_numpy(dtype=bool)
    rule_partner = np.asarray(rule_partner, dtype=bool)
    disagree = rule_partner != model_pv
    closeness = 1.0 - np.abs(score - threshold) / max(threshold, 1 - threshold)
    priority = np.where(disagree, 1.0 + closeness, closeness)
    reason = np.where(disagree, "disagree", "uncertain")
    stratum = pd.Series(view.year, dtype=object) + "/" + pd.Series(view.disposal, dtype=object)
    rng = np.random.default_rng(seed)
    tie = rng.random(len(tagged))
    every = pd.DataFrame({"pos": np.arange(len(tagged)), "priority": priority, "tie": tie,
                          "stratum": stratum.to_numpy()})
    frame = every[priority > 0.5]  # near the threshold or disagreeing
    if frame.empty:
        frame = every
    sizes = frame["stratum"].value_counts().sort_index()
    quota = np.maximum(1, np.floor(sizes / sizes.sum() * n)).astype(int)
    frame = frame.sort_values(["priority", "tie"], ascending=[False, True], kind="stable")
    frame = frame.assign(rank=frame.groupby("stratum", sort=False).cumcount())
    picked = frame[frame["rank"] < frame["stratum"].map(quota)]
    if len(picked) < n:  # fill up with the best remaining rows
        rest = frame.drop(picked.index)
        picked = pd.concat([picked, rest.head(n - len(picked))])
    picked = picked.sort_values(["priority", "tie"], ascending=[False, True]).head(n)
    pos = np.sort(picked["pos"].to_numpy())
    row_stratum = stratum.to_numpy(dtype=object)[pos]
    all_sizes = stratum.value_counts()
    taken = pd.Series(row_stratum).value_counts()
    strata = pd.DataFrame({"stratum": sorted(taken.index)})
    strata["rows"] = strata["stratum"].map(all_sizes).astype(int)
    strata["sampled"] = strata["stratum"].map(taken).astype(int)
    strata["inclusion_probability"] = np.nan
    strata["anticipated_pv_share"] = np.nan
    design = SampleDesign(
        design="active", population=len(tagged), strata=strata, rows=pos,
        row_stratum=row_stratum, by=("year", "source"), allocation=None, seed=seed,
        threshold=threshold, fingerprint=view.fingerprint())
    return design, reason[pos]


def select_for_annotation(
    tagged: pd.DataFrame,
    n: int,
    *,
    rule_partner: np.ndarray | pd.Series | None = None,
    threshold: float = 0.5,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Return the annotation sheet of the ``active`` design (see :func:`draw_active`).

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of ``pv.tag(df, model=...)`` (needs ``pv_score``).
    n : int
        Offences to pick.
    rule_partner : array-like of bool, optional
        The rules-only partner-violence flag per row.
    threshold : float, default 0.5
        The model threshold.
    columns : mapping, optional
        Column mapping.
    seed : int, default 0
        Seed for ties.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``tagged`` with the sheet columns (and ``reason``) in front.
    """
    design, reason = draw_active(tagged, n, rule_partner=rule_partner, threshold=threshold,
                                 columns=columns, seed=seed)
    return build_sheet(tagged, design, extra={"reason": reason})
