"""Convictions, index cases and exclusions on a hand-made extract.

Every expected count below is worked out from the rows in ``extract(make_extract)``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pv_identify import cohort
from pv_identify.cohort import CohortConfig


def extract(build) -> pd.DataFrame:
    return build(
        [
            # P1: two PV convictions in the window; the first by disposal date is index
            {"jds_nummer": "P1", "parketnummer": "P1-A", "pv": True,
             "inschrijvingsdatum": "2014-03-01", "afdoeningsdatum": "2014-06-01"},
            {"jds_nummer": "P1", "parketnummer": "P1-B", "pv": True,
             "inschrijvingsdatum": "2015-01-10", "afdoeningsdatum": "2015-05-01",
             "afdoening": "vrijheidsstraf", "vrijheidsstraf_dagen": 60},
            # P2: a PV acquittal (2015) does not count; the 2016 PV conviction is index
            {"jds_nummer": "P2", "parketnummer": "P2-A", "pv": True,
             "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-03-01",
             "afdoening": "vrijspraak", "beslissing": "vrijspraak"},
            {"jds_nummer": "P2", "parketnummer": "P2-B", "pv": True,
             "inschrijvingsdatum": "2016-01-01", "afdoeningsdatum": "2016-04-01",
             "afdoening": "strafbeschikking"},
            # P3: a pending PV case is no conviction
            {"jds_nummer": "P3", "parketnummer": "P3-A", "pv": True,
             "inschrijvingsdatum": "2016-01-01", "afdoening": "", "beslissing": "lopend"},
            # P4: convicted before the window (registered and disposed in 2013)
            {"jds_nummer": "P4", "parketnummer": "P4-A", "pv": True,
             "inschrijvingsdatum": "2013-06-01", "afdoeningsdatum": "2013-12-31"},
            # P5: registered 2013, disposed 2014: in the window on disposal date only
            {"jds_nummer": "P5", "parketnummer": "P5-A", "pv": True,
             "inschrijvingsdatum": "2013-11-01", "afdoeningsdatum": "2014-02-01"},
            # P6: no BSN
            {"jds_nummer": "P6", "parketnummer": "P6-A", "pv": True, "bsn_aanwezig": False,
             "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-02-01"},
            # P7: minor: born 2000-01-01, offence 2016-05-01 (16 years)
            {"jds_nummer": "P7", "parketnummer": "P7-A", "pv": True,
             "geboortedatum": "2000-01-01", "pleegdatum": "2016-05-01",
             "inschrijvingsdatum": "2016-05-02", "afdoeningsdatum": "2016-08-01"},
            # P8: the PV of the index case is a sexual offence (242 Sr)
            {"jds_nummer": "P8", "parketnummer": "P8-A", "pv": True, "wetsartikel": "242 Sr",
             "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-09-01",
             "afdoening": "vrijheidsstraf", "vrijheidsstraf_dagen": 400},
            # P9: on the user's list (programme participant)
            {"jds_nummer": "P9", "parketnummer": "P9-A", "pv": True,
             "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-02-01"},
            # P10: the PV offence is acquitted; only the non-PV offence is proven
            {"jds_nummer": "P10", "parketnummer": "P10-A", "pv": True,
             "beslissing": "vrijspraak", "afdoeningsdatum": "2015-06-01"},
            {"jds_nummer": "P10", "parketnummer": "P10-A", "feit_nr": 2,
             "wetsartikel": "310 Sr", "afdoeningsdatum": "2015-06-01"},
        ]
    )


def test_offence_classes(make_extract) -> None:
    off = cohort.classify_offences(extract(make_extract))
    by_case = off.set_index("case_id")
    assert bool(by_case.loc["P1-A", "is_conviction"])
    assert by_case.loc["P2-A", "disposal_class"] == "acquittal"
    assert not bool(by_case.loc["P2-A", "counts"])
    assert by_case.loc["P3-A", "disposal_class"] == "pending"
    assert bool(by_case.loc["P3-A", "is_pending"]) and bool(by_case.loc["P3-A", "counts"])
    assert not bool(by_case.loc["P3-A", "is_conviction"])
    # 60 days unconditional: 30 <= 60 <= 180 -> band 1-6 months
    assert by_case.loc["P1-B", "severity"] == "vrijheidsstraf_1_6m"
    assert by_case.loc["P8-A", "severity"] == "vrijheidsstraf_gt_6m"
    assert by_case.loc["P8-A", "pv_type"] == "zedendelict"
    assert by_case.loc["P2-B", "severity"] == "overig"  # footnote 29
    p10 = off.loc[off["case_id"] == "P10-A"]
    assert p10["is_conviction"].tolist() == [False, True]


def test_index_cases_default_window_on_disposal_date(make_extract) -> None:
    idx = cohort.index_cases(cohort.classify_offences(extract(make_extract))).set_index("person_id")
    # P1, P2, P5, P6, P7, P8, P9 have a PV conviction disposed in 2014-2017
    assert sorted(idx.index) == ["P1", "P2", "P5", "P6", "P7", "P8", "P9"]
    assert idx.loc["P1", "case_id"] == "P1-A"
    assert idx.loc["P1", "n_pv_convictions_in_window"] == 2
    assert idx.loc["P2", "case_id"] == "P2-B"
    assert idx.loc["P1", "index_date"] == pd.Timestamp("2014-06-01")
    # age of P7 at the offence: 2000-01-01 -> 2016-05-01 = 5965 days
    assert idx.loc["P7", "age_at_index"] == pytest.approx(5965 / 365.25)


def test_index_cases_window_on_registration_date(make_extract) -> None:
    config = CohortConfig(window_date="registration_date")
    idx = cohort.index_cases(cohort.classify_offences(extract(make_extract), config=config), config)
    # P5 was registered in 2013: out; everyone else as before
    assert sorted(idx["person_id"]) == ["P1", "P2", "P6", "P7", "P8", "P9"]


def test_attrition_table(make_extract) -> None:
    idx = cohort.index_cases(cohort.classify_offences(extract(make_extract)))
    sel = cohort.apply_exclusions(idx, exclude_persons=["P9", "not-in-data"])
    att = sel.attrition
    # 7 index persons; -P6 (no BSN) = 6; -P7 (minor) = 5; -P8 (242 Sr) = 4; -P9 = 3
    assert att["remaining"].tolist() == [7, 6, 5, 4, 3]
    assert att["excluded"].tolist() == [0, 1, 1, 1, 1]
    assert att["step"].tolist() == [0, 1, 2, 3, 4]
    assert sorted(sel.cohort["person_id"]) == ["P1", "P2", "P5"]
    assert dict(zip(sel.excluded["person_id"], sel.excluded["reason"], strict=True))["P6"] == (
        "no BSN"
    )


def test_input_frame_not_modified(make_extract) -> None:
    df = extract(make_extract)
    before = df.copy()
    cohort.build_control_group(df)
    pd.testing.assert_frame_equal(df, before)


def test_custom_column_names(make_extract) -> None:
    df = extract(make_extract).rename(columns={"jds_nummer": "persoon", "afdoening": "afd"})
    off = cohort.classify_offences(df, columns={"person_id": "persoon", "disposal": "afd"})
    idx = cohort.index_cases(off)
    assert len(idx) == 7


def test_upper_cased_columns_work_in_tag_and_cohort(make_extract) -> None:
    """One resolver: the cohort finds columns whatever their case, as ``pv.tag`` does."""
    import pv_identify as pv
    from pv_identify.errors import ColumnMappingError

    df = extract(make_extract)
    upper = df.rename(columns={c: c.upper() for c in df.columns if not c.startswith("pv_")})
    text = ["artikelkwalificatie", "wetsartikel", "maatschappelijke_classificatie"]
    lower_tags = pv.tag(df[text])
    upper_tags = pv.tag(upper[[c.upper() for c in text]])
    pd.testing.assert_frame_equal(lower_tags.filter(like="pv_"), upper_tags.filter(like="pv_"))
    pd.testing.assert_frame_equal(cohort.classify_offences(upper), cohort.classify_offences(df))
    idx = cohort.index_cases(cohort.classify_offences(upper))
    assert sorted(idx["person_id"]) == ["P1", "P2", "P5", "P6", "P7", "P8", "P9"]
    both = df.assign(JDS_NUMMER=df["jds_nummer"])
    with pytest.raises(ColumnMappingError, match="differ only in case"):
        cohort.classify_offences(both)
    # a mapping names the column exactly, as in tag
    assert len(cohort.classify_offences(both, columns={"person_id": "JDS_NUMMER"})) == len(df)
