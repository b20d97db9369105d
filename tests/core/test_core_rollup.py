"""Roll-ups per case and per person, on a hand-built extract."""

import pandas as pd
import pytest

import pv_identify as pv


@pytest.fixture
def tagged():
    df = pd.DataFrame({
        "jds_nummer": ["A", "A", "A", "A", "B", "B", "C"],
        "parketnummer": ["a1", "a1", "a2", "a3", "b1", "b2", "c1"],
        "inschrijvingsdatum": ["2016-05-01", "2016-05-01", "2015-01-10", "2017-03-03",
                               None, "2014-02-02", "2019-01-01"],
        "artikelkwalificatie": [
            "bedreiging",                                   # a1: plain
            "mishandeling, begaan tegen zijn levensgezel",  # a1: partner
            "mishandeling, begaan tegen zijn echtgenoot",   # a2: partner, earlier
            "mishandeling, begaan tegen zijn kind",         # a3: child
            "mishandeling, begaan tegen zijn levensgezel",  # b1: partner, no date
            "mishandeling, begaan tegen zijn echtgenoot",   # b2: partner, dated
            "diefstal",                                     # c1
        ],
    })
    return pv.tag(df, "wodc2022")


def test_cases(tagged):
    cases = pv.rollup_cases(tagged)
    assert list(cases.index) == ["a1", "a2", "a3", "b1", "b2", "c1"]
    a1 = cases.loc["a1"]
    assert a1["n_offences"] == 2 and a1["n_partner_violence"] == 1 and a1["partner_violence"]
    assert a1["labels"] == "partner" and a1["n_partner"] == 1
    assert cases.loc["a3", "labels"] == "child" and not cases.loc["a3", "partner_violence"]
    assert cases.loc["a3", "domestic_violence"]
    assert cases.loc["c1", "labels"] == "" and not cases.loc["c1", "domestic_violence"]
    # the person column has the data's name, as the persons table's index (issue 15)
    assert cases["jds_nummer"].tolist() == ["A", "A", "A", "B", "B", "C"]
    assert "person_id" not in cases.columns and "date" not in cases.columns
    assert cases.loc["a1", "first_registration_date"] == pd.Timestamp("2016-05-01")


def test_rollup_columns_name_the_person_and_the_date(tagged):
    cases = pv.rollup_cases(tagged)
    persons = pv.rollup_persons(tagged)
    assert cases.index.name == "parketnummer" and persons.index.name == "jds_nummer"
    assert list(cases.columns[:3]) == ["jds_nummer", "n_offences", "first_registration_date"]
    dated = tagged.assign(pleegdatum=tagged["inschrijvingsdatum"])
    by_offence = pv.rollup_cases(dated, date_field="offence_date")
    assert "first_offence_date" in by_offence.columns
    only_offence = pv.rollup_cases(dated.drop(columns=["inschrijvingsdatum"]))
    assert "first_offence_date" in only_offence.columns
    assert pv.rollup_persons(dated.drop(columns=["inschrijvingsdatum"])).loc[
        "A", "first_partner_violence_case"] == "a2"


def test_persons_first_case_by_date_missing_dates_last(tagged):
    persons = pv.rollup_persons(tagged)
    assert persons.loc["A", "n_cases"] == 3
    assert persons.loc["A", "n_partner_violence_cases"] == 2
    assert persons.loc["A", "n_domestic_violence_cases"] == 3
    assert persons.loc["A", "first_partner_violence_case"] == "a2"  # 2015 before 2016
    assert persons.loc["A", "first_partner_violence_date"] == pd.Timestamp("2015-01-10")
    assert persons.loc["B", "first_partner_violence_case"] == "b2"  # dated before undated
    assert pd.isna(persons.loc["C", "first_partner_violence_case"])


def test_person_without_id_keeps_its_first_partner_violence_case(tagged):
    # Rows without a person id form one group (as in the streamed roll-up); its first PV
    # case must be found like any other person's, not lost to a NaN label lookup.
    frame = tagged.copy()
    frame["jds_nummer"] = frame["jds_nummer"].where(frame["jds_nummer"] != "B")
    persons = pv.rollup_persons(frame)
    missing = persons[persons.index.isna()]
    assert len(missing) == 1
    assert missing["n_partner_violence_cases"].iloc[0] == 2
    assert missing["first_partner_violence_case"].iloc[0] == "b2"
    assert missing["first_partner_violence_date"].iloc[0] == pd.Timestamp("2014-02-02")
    assert persons.loc["A", "first_partner_violence_case"] == "a2"
    assert pd.isna(persons.loc["C", "first_partner_violence_case"])


def test_rollups_need_tagged_frame_and_ids():
    with pytest.raises(pv.ColumnMappingError, match="tagged frame"):
        pv.rollup_cases(pd.DataFrame({"parketnummer": ["x"]}))
    tagged = pv.tag(pd.DataFrame({"artikelkwalificatie": ["x"]}))
    with pytest.raises(pv.ColumnMappingError, match="case_id"):
        pv.rollup_cases(tagged)
