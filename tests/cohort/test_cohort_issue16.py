"""Issue 16, points 2, 3, 5, 9 and 10 on hand-made extracts (arithmetic in comments)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from pv_identify import cohort
from pv_identify.cohort import CohortConfig
from pv_identify.cohort.index_cases import treated_index_cases
from pv_identify.errors import RuleFileError


# --- point 2: several disposals per case ----------------------------------------
def test_combined_disposals_in_one_cell(make_extract) -> None:
    d = {"afdoeningsdatum": "2015-03-01"}
    df = make_extract([
        # werkstraf plus a conditional prison sentence: severity werkstraf, vv_vw_sb yes
        {**d, "jds_nummer": "A", "parketnummer": "A1", "pv": True,
         "afdoening": "werkstraf; voorwaardelijke vrijheidsstraf"},
        # a strafbeschikking with a werkstraf: severity werkstraf (not overig), sb
        {**d, "jds_nummer": "B", "parketnummer": "B1", "pv": True,
         "afdoening": "strafbeschikking werkstraf"},
        # 60 days prison + werkstraf: the custodial band outranks the werkstraf
        {**d, "jds_nummer": "C", "parketnummer": "C1", "pv": True, "vrijheidsstraf_dagen": 60,
         "afdoening": "vrijheidsstraf + werkstraf"},
    ])
    idx = cohort.index_cases(cohort.classify_offences(df)).set_index("person_id")
    assert idx.loc["A", "severity"] == "werkstraf" and bool(idx.loc["A", "vv_vw_sb"])
    assert idx.loc["B", "severity"] == "werkstraf" and bool(idx.loc["B", "vv_vw_sb"])
    assert idx.loc["C", "severity"] == "vrijheidsstraf_1_6m"
    assert not bool(idx.loc["C", "vv_vw_sb"])


def test_unknown_part_of_a_combined_cell(make_extract) -> None:
    df = make_extract([{"pv": True, "afdoening": "werkstraf; taakstraf xyz"}])
    with pytest.raises(RuleFileError, match=r"1 distinct code\(s\) not listed") as info:
        cohort.classify_offences(df)
    assert "taakstraf xyz" not in str(info.value)  # counts, never cell values (issue 15)


# --- point 3: general recidivism is any crime -----------------------------------
def test_crime_classes() -> None:
    crimes = cohort.load_cohort_rules().crimes
    assert cohort.crime_class("310 Sr", crimes) == "misdrijf"  # Book 2
    assert cohort.crime_class("453 Sr", crimes) == "overtreding"  # Book 3 (drunkenness)
    assert cohort.crime_class("45 jo 287 Sr", crimes) == "misdrijf"  # 45 is general
    assert cohort.crime_class("art. 8 lid 2 sub a WVW 1994", crimes) == "misdrijf"
    assert cohort.crime_class("art. 107 lid 1 WVW 1994", crimes) == "overtreding"
    assert cohort.crime_class("2C Opiumwet", crimes) == "misdrijf"
    assert cohort.crime_class("", crimes) == "misdrijf"  # unparsed


def test_general_recidivism_counts_only_crimes(make_extract) -> None:
    df = make_extract([
        {"jds_nummer": "A", "parketnummer": "A1", "pv": True,
         "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-02-01"},
        # public drunkenness (453 Sr, an overtreding) half a year later: not recidivism
        {"jds_nummer": "A", "parketnummer": "A2", "wetsartikel": "453 Sr",
         "afdoening": "geldboete", "inschrijvingsdatum": "2015-07-01"},
        {"jds_nummer": "B", "parketnummer": "B1", "pv": True,
         "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-02-01"},
        # theft (310 Sr, a misdrijf): recidivism
        {"jds_nummer": "B", "parketnummer": "B2", "wetsartikel": "310 Sr",
         "afdoening": "geldboete", "inschrijvingsdatum": "2015-07-01"},
    ])
    off = cohort.classify_offences(df)
    rec = cohort.recidivism(off, cohort.index_cases(off))
    p = rec.persons.set_index("person_id")
    assert not p.loc["A", "general_event"] and p.loc["B", "general_event"]
    t = rec.table.set_index(["measure", "years"])
    assert t.loc[("general", 1), "km_prevalence"] == pytest.approx(0.5)  # 1 of 2


# --- point 5: treated index case by case number ---------------------------------
def test_treated_index_case_by_case_number(make_extract) -> None:
    df = make_extract([
        # T1's programme case T1a is outside the window and not flagged by the rules
        {"jds_nummer": "T1", "parketnummer": "T1a", "inschrijvingsdatum": "2013-03-01",
         "afdoeningsdatum": "2013-05-01", "wetsartikel": "300 Sr"},
        {"jds_nummer": "T1", "parketnummer": "T1b", "pv": True,
         "inschrijvingsdatum": "2016-01-01", "afdoeningsdatum": "2016-02-01"},
        # T2's case was acquitted: not linked
        {"jds_nummer": "T2", "parketnummer": "T2a", "pv": True, "afdoening": "vrijspraak",
         "beslissing": "vrijspraak", "afdoeningsdatum": "2015-03-01"},
        # T3 gives no case number: the rule finds T3a
        {"jds_nummer": "T3", "parketnummer": "T3a", "pv": True,
         "afdoeningsdatum": "2015-03-01"},
    ])
    off = cohort.classify_offences(df)
    treated = pd.DataFrame({"person_id": ["T1", "T2", "T3", "T4"],
                            "case_id": ["T1a", "T2a", None, "X"]})
    idx, link = treated_index_cases(off, treated)
    idx = idx.set_index("person_id")
    assert idx.loc["T1", "case_id"] == "T1a"  # not the rule's T1b
    assert idx.loc["T1", "pv_type"] == "eenvoudige mishandeling"  # from its proven 300 Sr
    assert idx.loc["T3", "case_id"] == "T3a"
    assert "T2" not in idx.index
    status = link.set_index("person_id")["status"]
    assert status.to_dict() == {"T1": "linked", "T2": "case is not a conviction",
                                "T3": "linked by rule", "T4": "person not in extract"}


# --- point 9: actual detention periods -------------------------------------------
def test_detention_periods_replace_imposed_days(make_extract) -> None:
    df = make_extract([
        # 100 days imposed from the disposal 2015-03-01; offence 2016-01-01
        {"jds_nummer": "A", "parketnummer": "A1", "pv": True, "afdoening": "vrijheidsstraf",
         "vrijheidsstraf_dagen": 100, "inschrijvingsdatum": "2015-01-01",
         "afdoeningsdatum": "2015-03-01"},
        {"jds_nummer": "A", "parketnummer": "A2", "wetsartikel": "310 Sr",
         "inschrijvingsdatum": "2016-01-10", "pleegdatum": "2016-01-01"},
    ])
    off = cohort.classify_offences(df)
    idx = cohort.index_cases(off)
    imposed = cohort.recidivism(off, idx).persons.iloc[0]
    # 365 calendar days to the offence, 100 of them in detention
    assert imposed["general_days"] == 365 - 100
    assert imposed["detention_source"] == "imposed"
    periods = pd.DataFrame({"person_id": ["A"], "detention_start": ["2015-01-01"],
                            "detention_end": ["2015-01-30"]})  # 30 days, end inclusive
    actual = cohort.recidivism(off, idx, detention=periods).persons.iloc[0]
    assert actual["general_days"] == 365 - 30
    assert actual["detention_source"] == "periods"
    off_cfg = CohortConfig(detention_periods=False)
    assert cohort.recidivism(off, idx, off_cfg, detention=periods).persons.iloc[0][
        "general_days"] == 365 - 100


# --- point 10: exclusion 3 per partner-violence offence or per case -------------
def test_exclusion_scope(make_extract, tmp_path) -> None:
    df = make_extract([
        # a PV assault and, in the same case, a sexual offence without a partner term
        {"jds_nummer": "A", "parketnummer": "A1", "pv": True, "afdoeningsdatum": "2015-03-01"},
        {"jds_nummer": "A", "parketnummer": "A1", "feit_nr": 2, "wetsartikel": "242 Sr",
         "afdoeningsdatum": "2015-03-01"},
    ])
    off = cohort.classify_offences(df)
    sel = cohort.apply_exclusions(cohort.index_cases(off))
    assert len(sel.cohort) == 1  # default: only the PV offence decides
    folder = tmp_path / "cohort"
    shutil.copytree(cohort.default_rules_dir(), folder)
    f = folder / "pv_types.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace(
        "exclusion_scope: pv_offences", "exclusion_scope: case"), encoding="utf-8")
    cfg = CohortConfig(rules_dir=folder)
    off = cohort.classify_offences(df, config=cfg)
    sel = cohort.apply_exclusions(cohort.index_cases(off, cfg), cfg)
    assert len(sel.cohort) == 0 and sel.attrition.loc[3, "excluded"] == 1
