"""The whole control-group pipeline in one call (seed 001, §2.2.2 and §2.4.2).

A study script normally calls the steps itself (see ``examples/cohort_control_group.py``)::

    offences = classify_offences(tagged, columns, config)
    cases = case_table(offences, config)
    index = index_cases(offences, config, cases)
    selection = apply_exclusions(index, config, exclude_persons=participants)
    cov = covariates(offences, selection.cohort, config, cases)
    rec = recidivism(offences, cov, config)

:func:`build_control_group` does exactly that and returns every intermediate frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import pandas as pd

from .config import CohortConfig, CohortConfigError
from .convictions import case_table, classify_offences
from .covariates import COVARIATES, covariates
from .exclusions import apply_exclusions
from .index_cases import index_cases, treated_index_cases
from .matching import Matching, match
from .recidivism import Recidivism, recidivism


class ControlGroup(NamedTuple):
    """Result of :func:`build_control_group`.

    Attributes
    ----------
    offences : pandas.DataFrame
        Classified offences (:func:`~pv_identify.cohort.classify_offences`).
    cases : pandas.DataFrame
        Case table (:func:`~pv_identify.cohort.case_table`).
    index : pandas.DataFrame
        Index cases before exclusions.
    attrition : pandas.DataFrame
        The attrition table.
    covariates : pandas.DataFrame
        The cohort after exclusions with the Table 2.1 covariates.
    recidivism : Recidivism
        Per-person follow-up and the prevalence table.
    """

    offences: pd.DataFrame
    cases: pd.DataFrame
    index: pd.DataFrame
    attrition: pd.DataFrame
    covariates: pd.DataFrame
    recidivism: Recidivism


def build_control_group(
    tagged: pd.DataFrame,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    config: CohortConfig | None = None,
    exclude_persons: Iterable[object] | None = None,
    detention: pd.DataFrame | None = None,
) -> ControlGroup:
    """Run convictions -> index cases -> exclusions -> covariates -> recidivism.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of :func:`pv_identify.tag` (offence rows with the ``pv_*`` columns).
    columns : mapping, optional
        Canonical field -> column name, merged over the default column names.
    config : CohortConfig, optional
        Study definitions (defaults as published).
    exclude_persons : iterable, optional
        Person ids to exclude last (e.g. programme participants).
    detention : pandas.DataFrame, optional
        Actual detention periods (``person_id``, ``detention_start``,
        ``detention_end``) for the incapacitation correction.

    Returns
    -------
    ControlGroup
        All intermediate frames and tables.
    """
    config = config or CohortConfig()
    offences = classify_offences(tagged, columns, config)
    cases = case_table(offences, config)
    index = index_cases(offences, config, cases)
    selection = apply_exclusions(index, config, exclude_persons)
    cov = covariates(offences, selection.cohort, config, cases)
    rec = recidivism(offences, cov, config, detention=detention)
    return ControlGroup(offences, cases, index, selection.attrition, cov, rec)


class MatchedStudy(NamedTuple):
    """Result of :func:`match_treated`.

    Attributes
    ----------
    treated : pandas.DataFrame
        Covariates of the treated persons found in the extract (after the exclusions
        for no BSN, minors and excluded types).
    matching : Matching
        Matched persons, balance table, scores, caliper and summary.
    recidivism_treated : Recidivism
        Recidivism of the matched treated persons from their supplied start dates,
        without incapacitation correction (as in the report).
    recidivism_control : Recidivism
        Recidivism of the matched controls, weighted (1/k for ties).
    linkage : pandas.DataFrame
        Per supplied treated person how the index case was found (``status``).
    """

    treated: pd.DataFrame
    matching: Matching
    recidivism_treated: Recidivism
    recidivism_control: Recidivism
    linkage: pd.DataFrame


def match_treated(
    offences: pd.DataFrame,
    index: pd.DataFrame,
    control: pd.DataFrame,
    treated: pd.DataFrame,
    config: CohortConfig | None = None,
    cases: pd.DataFrame | None = None,
    match_on: Sequence[str] = COVARIATES,
    random_state: int = 0,
    detention: pd.DataFrame | None = None,
) -> MatchedStudy:
    """Match a treated group (person ids + start dates) to the control group.

    Parameters
    ----------
    offences : pandas.DataFrame
        Classified offences.
    index : pandas.DataFrame
        All index cases (before exclusions); the treated persons' index cases come
        from here.
    control : pandas.DataFrame
        Control-group covariates (treated persons excluded, e.g. by
        ``apply_exclusions(exclude_persons=treated["person_id"])``).
    treated : pandas.DataFrame
        ``person_id`` and ``start_date`` (e.g. end of the programme) per treated
        person, and optionally ``case_id``: the case of the intervention, which then
        is the index case (the report's linkage by parketnummer), even outside the
        window or not flagged by the rules; it must hold a conviction.
    config : CohortConfig, optional
        Study definitions.
    cases : pandas.DataFrame, optional
        Case table of ``offences``.
    match_on : sequence of str
        Matching covariates (default all of Table 2.1).
    random_state : int
        Seed of the matching order.
    detention : pandas.DataFrame, optional
        Actual detention periods for the controls' incapacitation correction (see
        :func:`~pv_identify.cohort.recidivism`).

    Returns
    -------
    MatchedStudy
        Treated covariates, matching result and both recidivism results.
    """
    config = config or CohortConfig()
    if cases is None:
        cases = case_table(offences, config)
    if not {"person_id", "start_date"} <= set(treated.columns):
        raise CohortConfigError("treated: expected columns person_id and start_date")
    if "case_id" in treated.columns:
        t_index, linkage = treated_index_cases(offences, treated, config, cases)
    else:
        t_index = index.loc[index["person_id"].isin(treated["person_id"])]
        linkage = pd.DataFrame({
            "person_id": treated["person_id"], "case_id": pd.NA,
            "status": treated["person_id"].isin(t_index["person_id"]).map(
                {True: "linked by rule", False: "no partner-violence conviction in window"}),
        })
    t_index = apply_exclusions(t_index, config).cohort
    t_cov = covariates(offences, t_index, config, cases)
    m = match(t_cov, control, match_on, random_state=random_state, config=config)
    mt = m.matched.loc[m.matched["group"] == "treated"]
    mc = m.matched.loc[m.matched["group"] == "control"]
    rt = recidivism(offences, mt, config, start_dates=treated, incapacitation=False)
    rc = recidivism(offences, mc, config, weights=mc.set_index("person_id")["weight"],
                    detention=detention)
    return MatchedStudy(t_cov, m, rt, rc, linkage)
