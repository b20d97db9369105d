"""Step 2: the index case ("uitgangszaak") of every person.

Seed 001, seed lines 3004-3008: all offenders convicted of partner violence in
2014-2017 are selected; if a person has several partner-violence convictions in that
period, the first is the index case. Here: among the cases with a proven partner-
violence offence and a conviction disposal whose ``config.window_date`` falls inside
``config.window`` (both ends inclusive), the one with the earliest window date; ties
are broken by registration date and then case id, so the result is deterministic.
"""

from __future__ import annotations

import pandas as pd

from .config import CohortConfig
from .convictions import case_table


def _age(birth: pd.Series, at: pd.Series, year_days: float) -> pd.Series:
    return (at - birth).dt.days / year_days


def age_reference_date(frame: pd.DataFrame, config: CohortConfig) -> pd.Series:
    """Return the case date at which ages are computed (``config.age_date``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Case-level rows with ``offence_date`` and ``registration_date``.
    config : CohortConfig
        Study definitions.

    Returns
    -------
    pandas.Series
        ``offence_date`` falling back to ``registration_date`` (default), or
        ``registration_date``.
    """
    if config.age_date == "registration_date":
        return frame["registration_date"]
    return frame["offence_date"].fillna(frame["registration_date"])


def person_table(offences: pd.DataFrame) -> pd.DataFrame:
    """Person attributes: the first non-missing value per person.

    Parameters
    ----------
    offences : pandas.DataFrame
        Output of :func:`~pv_identify.cohort.classify_offences`.

    Returns
    -------
    pandas.DataFrame
        ``person_id``, ``sex``, ``birth_date``, ``country_of_birth`` and
        ``bsn_present`` (True if any row of the person says so; missing if the
        extract has no BSN column).
    """
    cols = ["person_id", "sex", "birth_date", "country_of_birth"]
    g = offences[cols].groupby("person_id", sort=False, observed=True)
    persons = g.first().reset_index()
    bsn = offences["bsn_present"]
    if bsn.isna().all():
        persons["bsn_present"] = pd.NA
    else:
        any_bsn = bsn.astype("boolean").fillna(False).groupby(offences["person_id"]).any()
        persons["bsn_present"] = persons["person_id"].map(any_bsn).astype(bool)
    return persons


def index_cases(
    offences: pd.DataFrame,
    config: CohortConfig | None = None,
    cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Select each person's first partner-violence conviction in the window.

    Parameters
    ----------
    offences : pandas.DataFrame
        Output of :func:`~pv_identify.cohort.classify_offences`.
    config : CohortConfig, optional
        Study definitions (window, window date, age date).
    cases : pandas.DataFrame, optional
        Output of :func:`~pv_identify.cohort.case_table` for ``offences`` (computed
        when not given).

    Returns
    -------
    pandas.DataFrame
        One row per person, sorted by ``person_id``: ``person_id``, ``case_id`` (the
        index case), ``index_date`` (its window date), ``registration_date``,
        ``disposal_date``, ``offence_date``, ``custodial_days``, ``severity``,
        ``vv_vw_sb``, ``pv_type``, ``pv_type_excluded``, ``violence``, ``domestic``,
        ``n_pv_convictions_in_window``, the person attributes of
        :func:`person_table` and ``age_at_index`` (years).
    """
    config = config or CohortConfig()
    if cases is None:
        cases = case_table(offences, config)
    wd = cases[config.window_date]
    inside = cases["pv_conviction"] & wd.between(config.window_start, config.window_end)
    cand = cases.loc[inside].copy()
    cand["index_date"] = cand[config.window_date]
    cand = cand.sort_values(
        ["person_id", "index_date", "registration_date", "case_id"], kind="stable"
    )
    n_in_window = cand.groupby("person_id", sort=False, observed=True).size()
    first = cand.drop_duplicates("person_id", keep="first")
    keep = [
        "person_id",
        "case_id",
        "index_date",
        "registration_date",
        "disposal_date",
        "offence_date",
        "custodial_days",
        "severity",
        "vv_vw_sb",
        "pv_type",
        "pv_type_excluded",
        "violence",
        "domestic",
    ]
    idx = first[keep].reset_index(drop=True)
    idx["n_pv_convictions_in_window"] = idx["person_id"].map(n_in_window).astype(int)
    idx = idx.merge(person_table(offences), on="person_id", how="left")
    idx["age_at_index"] = _age(idx["birth_date"], age_reference_date(idx, config), config.year_days)
    return idx.sort_values("person_id", kind="stable").reset_index(drop=True)
