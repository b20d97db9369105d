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
    return _finish(first, n_in_window, offences, config)


def _finish(
    first: pd.DataFrame, n_in_window: pd.Series, offences: pd.DataFrame, config: CohortConfig
) -> pd.DataFrame:
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
    idx["n_pv_convictions_in_window"] = (
        idx["person_id"].map(n_in_window).fillna(0).astype(int)
    )
    idx = idx.merge(person_table(offences), on="person_id", how="left")
    idx["age_at_index"] = _age(idx["birth_date"], age_reference_date(idx, config), config.year_days)
    return idx.sort_values("person_id", kind="stable").reset_index(drop=True)


def treated_index_cases(
    offences: pd.DataFrame,
    treated: pd.DataFrame,
    config: CohortConfig | None = None,
    cases: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Index cases of treated persons, linked by the case number of the intervention.

    The report links each participant's partner-violence case by its parketnummer
    (seed lines 2891-2907 and 4082-4092); participants whose case was acquitted or
    cannot be found are left out (issue 16, point 5). A treated row without a
    ``case_id`` (or a frame without that column) falls back to the first
    rule-identified partner-violence conviction in the window, as for controls.

    Parameters
    ----------
    offences : pandas.DataFrame
        Output of :func:`~pv_identify.cohort.classify_offences`.
    treated : pandas.DataFrame
        ``person_id`` and optionally ``case_id`` per treated person.
    config : CohortConfig, optional
        Study definitions.
    cases : pandas.DataFrame, optional
        Output of :func:`~pv_identify.cohort.case_table`.

    Returns
    -------
    index : pandas.DataFrame
        One row per linked treated person, columns as :func:`index_cases`, plus
        ``linked_by`` (``"case_id"`` or ``"rule"``).
    attrition : pandas.DataFrame
        ``person_id``, ``case_id`` and ``status``: ``linked``, ``linked by rule``,
        ``person not in extract``, ``case not in extract`` (or not this person's),
        ``case is not a conviction`` or ``no partner-violence conviction in window``.
    """
    config = config or CohortConfig()
    if cases is None:
        cases = case_table(offences, config)
    ids = treated["person_id"]
    given = (treated["case_id"] if "case_id" in treated.columns
             else pd.Series(pd.NA, index=treated.index, dtype=object))
    has_case = given.notna() & (given.astype(str).str.strip() != "")
    status = pd.Series("linked", index=treated.index, dtype=object)
    known_person = ids.isin(offences["person_id"])
    status[~known_person] = "person not in extract"
    key = pd.MultiIndex.from_frame(cases[["person_id", "case_id"]].astype(str))
    look = pd.MultiIndex.from_arrays([ids.astype(str), given.astype(str)])
    found = pd.Series(look.isin(key), index=treated.index)
    status[known_person & has_case & ~found] = "case not in extract"
    conv = cases.set_index([cases["person_id"].astype(str), cases["case_id"].astype(str)])
    is_conv = pd.Series(
        [bool(conv["conviction"].get(k, False)) if f else False for k, f in zip(look, found,
                                                                                 strict=True)],
        index=treated.index,
    )
    status[known_person & has_case & found & ~is_conv] = "case is not a conviction"
    linked = status == "linked"
    by_case = linked & has_case
    pairs = pd.DataFrame({"person_id": ids[by_case].astype(str),
                          "case_id": given[by_case].astype(str)})
    c = cases.assign(_p=cases["person_id"].astype(str), _c=cases["case_id"].astype(str))
    chosen = c.merge(pairs, left_on=["_p", "_c"], right_on=["person_id", "case_id"],
                     suffixes=("", "_t"))
    chosen = chosen.drop(columns=["_p", "_c", "person_id_t", "case_id_t"])
    chosen["index_date"] = chosen[config.window_date]
    # the type of a linked case that no rule flagged: from all its proven offences
    _fill_type(chosen, offences, config)
    parts = [_finish(chosen, pd.Series(dtype=int), offences, config).assign(linked_by="case_id")]
    rule_ids = ids[linked & ~has_case]
    if len(rule_ids):
        by_rule = index_cases(offences, config, cases)
        by_rule = by_rule.loc[by_rule["person_id"].isin(rule_ids)]
        missing = linked & ~has_case & ~ids.isin(by_rule["person_id"])
        status[missing] = "no partner-violence conviction in window"
        status[linked & ~has_case & ~missing] = "linked by rule"
        parts.append(by_rule.assign(linked_by="rule"))
    index = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else parts[0]
    attrition = pd.DataFrame({"person_id": ids, "case_id": given, "status": status})
    return index.sort_values("person_id", kind="stable").reset_index(drop=True), attrition


def _fill_type(chosen: pd.DataFrame, offences: pd.DataFrame, config: CohortConfig) -> None:
    if not len(chosen) or chosen["pv_type"].notna().all():
        return
    rules = config.rules
    rank = {t.name: i for i, t in enumerate(rules.pv_types)}
    o = offences.loc[offences["is_conviction"], ["person_id", "case_id", "pv_type",
                                                 "pv_type_excluded"]]
    o = o.assign(_r=o["pv_type"].map(rank).fillna(len(rank)))
    best = o.sort_values("_r", kind="stable").drop_duplicates(["person_id", "case_id"])
    best = best.set_index(["person_id", "case_id"])
    idx = pd.MultiIndex.from_frame(chosen[["person_id", "case_id"]])
    need = chosen["pv_type"].isna().to_numpy()
    chosen.loc[need, "pv_type"] = best["pv_type"].reindex(idx).to_numpy()[need]
    excl = best["pv_type_excluded"].reindex(idx).fillna(False).astype(bool).to_numpy()
    chosen.loc[need, "pv_type_excluded"] = excl[need]
