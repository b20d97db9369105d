"""Recidivism and Kaplan-Meier against hand computations.

Follow-up in days (cut-off 2020-06-30):
  S1 start 2016-01-01; new PV assault committed 2016-07-01 = day 182.
  S2 start 2016-01-01; index detention 100 days from disposal 2016-01-31 (day 30 to
     130); theft committed 2016-12-31 = day 365 -> 365 - 100 = 265 days at risk.
  S3 start 2017-01-01; offence committed 2016-12-20 (before start, registered after):
     no; acquitted offence 2017-03-01: no; pending damage (350 Sr) 2017-05-01 = day 120.
  S4 start 2019-06-30; no new case; censored at 366 days (2020 is a leap year).
  S5 start 2015-01-01; a later offence inside the index case does not count; an
     offence of 2018 registered after the cut-off is not seen; censored at
     365+366+365+365+365+181 = 2007 days.
  S6 start 2020-01-01; detention 60 days from 2020-05-31 overlaps the cut-off: 181
     calendar days minus 30 detained = 151 days at risk, censored.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pv_identify import cohort
from pv_identify.cohort import CohortConfig


def extract(build) -> pd.DataFrame:
    def idx(p: str, reg: str, disp: str, **kw: object) -> dict[str, object]:
        return {"jds_nummer": p, "parketnummer": f"{p}-I", "pv": True,
                "inschrijvingsdatum": reg, "afdoeningsdatum": disp, **kw}

    return build(
        [
            idx("S1", "2016-01-01", "2016-03-01"),
            {"jds_nummer": "S1", "parketnummer": "S1-R", "pv": True, "wetsartikel": "300 Sr",
             "pleegdatum": "2016-07-01", "inschrijvingsdatum": "2016-08-01",
             "afdoeningsdatum": "2016-10-01"},
            idx("S2", "2016-01-01", "2016-01-31", afdoening="vrijheidsstraf",
                vrijheidsstraf_dagen=100),
            {"jds_nummer": "S2", "parketnummer": "S2-R", "wetsartikel": "310 Sr",
             "pleegdatum": "2016-12-31", "inschrijvingsdatum": "2017-01-15",
             "afdoeningsdatum": "2017-03-01", "afdoening": "geldboete"},
            idx("S3", "2017-01-01", "2017-02-01"),
            {"jds_nummer": "S3", "parketnummer": "S3-X", "wetsartikel": "300 Sr",
             "pleegdatum": "2016-12-20", "inschrijvingsdatum": "2017-02-01",
             "afdoeningsdatum": "2017-04-01"},
            {"jds_nummer": "S3", "parketnummer": "S3-A", "wetsartikel": "300 Sr",
             "pleegdatum": "2017-03-01", "inschrijvingsdatum": "2017-03-15",
             "afdoeningsdatum": "2017-06-01", "afdoening": "vrijspraak",
             "beslissing": "vrijspraak"},
            {"jds_nummer": "S3", "parketnummer": "S3-P", "wetsartikel": "350 Sr",
             "pleegdatum": "2017-05-01", "inschrijvingsdatum": "2017-05-10",
             "afdoening": "", "beslissing": "lopend"},
            idx("S4", "2019-06-30", "2019-09-01"),
            idx("S5", "2015-01-01", "2015-05-01"),
            {"jds_nummer": "S5", "parketnummer": "S5-I", "feit_nr": 2, "wetsartikel": "300 Sr",
             "pleegdatum": "2015-02-01", "inschrijvingsdatum": "2015-01-01",
             "afdoeningsdatum": "2015-05-01"},
            {"jds_nummer": "S5", "parketnummer": "S5-L", "wetsartikel": "300 Sr",
             "pleegdatum": "2018-06-01", "inschrijvingsdatum": "2020-08-01", "afdoening": "",
             "beslissing": "lopend"},
            idx("S6", "2020-01-01", "2020-05-31", afdoening="vrijheidsstraf",
                vrijheidsstraf_dagen=60),
        ]
    )


def run(build, config: CohortConfig | None = None, **kw: object) -> cohort.Recidivism:
    config = config or CohortConfig(window=("2014-01-01", "2020-12-31"))
    off = cohort.classify_offences(extract(build), config=config)
    idx = cohort.index_cases(off, config)
    return cohort.recidivism(off, idx, config, **kw)


def test_person_follow_up(make_extract) -> None:
    p = run(make_extract).persons.set_index("person_id")
    assert p["general_days"].to_dict() == {
        "S1": 182, "S2": 265, "S3": 120, "S4": 366, "S5": 2007, "S6": 151
    }
    assert p["general_event"].to_dict() == {
        "S1": True, "S2": True, "S3": True, "S4": False, "S5": False, "S6": False
    }
    assert p["domestic_event"].sum() == 1 and bool(p.loc["S1", "domestic_event"])
    assert p["violence_event"].sum() == 1 and bool(p.loc["S1", "violence_event"])
    assert p.loc["S2", "followup_days"] == 1642 - 100  # 366+365+365+365+181 minus detention
    assert p.loc["S3", "general_date"] == pd.Timestamp("2017-05-01")


def test_prevalence_table(make_extract) -> None:
    t = run(make_extract).table.set_index(["measure", "years"])
    # general KM: day 120 6 at risk, 1 event -> 5/6; day 151 censored;
    # day 182: 4 at risk -> *3/4; day 265: 3 at risk -> *2/3  => S = 5/12
    assert t.loc[("general", 1), "km_prevalence"] == pytest.approx(1 - 5 / 12)
    assert t.loc[("general", 3), "km_prevalence"] == pytest.approx(1 - 5 / 12)
    assert t.loc[("general", 1), "raw_share"] == pytest.approx(3 / 6)
    # full 1-year follow-up: all but S6 (151 days) -> 5, of whom 3 recidivated
    assert t.loc[("general", 1), "n_full_followup"] == 5
    assert t.loc[("general", 1), "raw_share_full"] == pytest.approx(3 / 5)
    # 2 years (730.5 days): S4 (366) drops out too -> 3 of 4
    assert t.loc[("general", 2), "raw_share_full"] == pytest.approx(3 / 4)
    # domestic: day 151 S6 censored; day 182: 5 at risk, 1 event -> 1/5
    assert t.loc[("domestic", 1), "km_prevalence"] == pytest.approx(1 / 5)
    assert t.loc[("violence", 3), "km_prevalence"] == pytest.approx(1 / 5)


def test_without_incapacitation(make_extract) -> None:
    p = run(make_extract, incapacitation=False).persons.set_index("person_id")
    assert p.loc["S2", "general_days"] == 365
    assert p.loc["S6", "general_days"] == 181


def test_supplied_start_dates(make_extract) -> None:
    starts = pd.Series(
        pd.to_datetime(["2016-08-01"] * 6), index=["S1", "S2", "S3", "S4", "S5", "S6"]
    )
    rec = run(make_extract, start_dates=starts, incapacitation=False)
    p = rec.persons.set_index("person_id")
    assert not bool(p.loc["S1", "general_event"])  # 2016-07-01 is before the start
    # S2 theft 2016-12-31: 2016-08-01 -> 2016-12-31 = 31+30+31+30+31 - 1 + 1 = 152 days
    assert p.loc["S2", "general_days"] == 152
    # with this start S3's offence of 2016-12-20 (registered 2017-02-01) is after the
    # start: Aug 1 -> Dec 20 = 31 + 30 + 31 + 30 + 19 = 141 days
    assert p.loc["S3", "general_days"] == 141


def test_km_hand_computation() -> None:
    # times 1E 2C 3E 3E 4C 5E: t=1: 6 at risk, 1 event -> S=5/6;
    # t=3: 4 at risk (3, 3, 4, 5), 2 events -> S=5/6*2/4=5/12; t=5: 1 at risk -> S=0
    curve = cohort.kaplan_meier([1, 2, 3, 3, 4, 5], [1, 0, 1, 1, 0, 1])
    assert curve["time"].tolist() == [1, 3, 5]
    assert curve["n_at_risk"].tolist() == [6, 4, 1]
    assert curve["survival"].tolist() == pytest.approx([5 / 6, 5 / 12, 0.0])
    prev = cohort.km_prevalence([1, 2, 3, 3, 4, 5], [1, 0, 1, 1, 0, 1], [0.5, 1, 2.9, 4])
    assert prev == pytest.approx([0.0, 1 / 6, 1 / 6, 7 / 12])


def test_km_weights_equal_replication() -> None:
    # weight 2 on a row is the same as the row twice
    w = cohort.km_prevalence([1, 2, 3], [1, 0, 1], [3], weights=[2, 1, 1])
    r = cohort.km_prevalence([1, 1, 2, 3], [1, 1, 0, 1], [3])
    assert w == pytest.approx(r)
    # by hand: 1 - (1 - 2/4) * (1 - 1/1) = 1
    assert r == pytest.approx(np.array([1.0]))
