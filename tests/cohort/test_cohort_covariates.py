"""Table 2.1 covariates on a hand-made criminal history (arithmetic in comments)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pv_identify import cohort


def history(build) -> pd.DataFrame:
    q = {"jds_nummer": "Q", "geboorteland": "Marokko", "geboortedatum": "1980-01-01"}
    return build(
        [
            # H1: theft, fine (conviction, not violence)
            {**q, "parketnummer": "H1", "wetsartikel": "310 Sr", "afdoening": "geldboete",
             "pleegdatum": "2007-12-15", "inschrijvingsdatum": "2008-01-01",
             "afdoeningsdatum": "2008-03-01"},
            # H2: domestic assault, 20 days unconditional custody
            {**q, "parketnummer": "H2", "wetsartikel": "300 Sr", "pv_domestic_violence": True,
             "afdoening": "vrijheidsstraf", "vrijheidsstraf_dagen": 20,
             "pleegdatum": "2009-12-01", "inschrijvingsdatum": "2010-01-01",
             "afdoeningsdatum": "2010-05-01"},
            # H3: acquittal: not a case
            {**q, "parketnummer": "H3", "wetsartikel": "300 Sr", "afdoening": "vrijspraak",
             "beslissing": "vrijspraak", "inschrijvingsdatum": "2011-06-01",
             "afdoeningsdatum": "2011-09-01"},
            # H4: threat, still pending: counts as a (violence) case
            {**q, "parketnummer": "H4", "wetsartikel": "285 Sr", "afdoening": "",
             "beslissing": "lopend", "inschrijvingsdatum": "2012-01-01"},
            # index case I: PV assault (300 jo 304) and PV threat (285); two disposals
            {**q, "parketnummer": "I", "wetsartikel": "300 jo 304 Sr", "pv": True,
             "afdoening": "vrijheidsstraf", "vrijheidsstraf_dagen": 90,
             "pleegdatum": "2015-12-01", "inschrijvingsdatum": "2016-01-01",
             "afdoeningsdatum": "2016-06-01"},
            {**q, "parketnummer": "I", "feit_nr": 2, "wetsartikel": "285 Sr", "pv": True,
             "afdoening": "voorwaardelijke vrijheidsstraf",
             "pleegdatum": "2015-12-01", "inschrijvingsdatum": "2016-01-01",
             "afdoeningsdatum": "2016-06-01"},
            # R: first offender, PV threat only, vrouw, born in Curaçao
            {"jds_nummer": "R", "parketnummer": "R1", "wetsartikel": "285 Sr", "pv": True,
             "sekse": "vrouw", "geboorteland": "Curaçao", "geboortedatum": "1990-07-01",
             "afdoening": "voorwaardelijk beleidssepot", "pleegdatum": "2016-06-01",
             "inschrijvingsdatum": "2016-07-01", "afdoeningsdatum": "2016-09-01"},
        ]
    )


def run(build) -> pd.DataFrame:
    off = cohort.classify_offences(history(build))
    idx = cohort.index_cases(off)
    return cohort.covariates(off, idx).set_index("person_id")


def test_history_counts(make_extract) -> None:
    q = run(make_extract).loc["Q"]
    assert q["n_prior_cases"] == 3  # H1, H2, H4 (H3 acquitted)
    assert q["n_prior_violence_cases"] == 2  # H2 (300), H4 (285)
    assert q["n_prior_dv_cases"] == 1  # H2
    assert q["n_prior_custodial"] == 1  # H2
    assert q["pv_type"] == "eenvoudige mishandeling"  # 300 ranks above 285
    assert q["most_severe_disposal"] == "vrijheidsstraf_1_6m"  # 90 days
    assert bool(q["vv_vw_sb"])  # the second offence's conditional sentence
    assert q["country_of_birth"] == "Marokko"
    assert q["sex"] == "man"


def test_ages_and_densities(make_extract) -> None:
    q = run(make_extract).loc["Q"]
    born = date(1980, 1, 1)
    assert q["age_at_index"] == pytest.approx((date(2015, 12, 1) - born).days / 365.25)
    assert q["age_first_case"] == pytest.approx((date(2007, 12, 15) - born).days / 365.25)
    years = (date(2016, 1, 1) - date(2008, 1, 1)).days / 365.25  # 2922 / 365.25 = 8.0
    assert years == pytest.approx(8.0)
    # footnote 31: cases per year from the first up to and including the current case
    # (density.yaml, numerator: prior_and_index)
    assert q["case_density"] == pytest.approx(4 / 8.0)  # H1, H2, H4, I
    assert q["case_density_violence"] == pytest.approx(3 / 8.0)  # H2, H4, I
    assert q["case_density_dv"] == pytest.approx(2 / 8.0)  # H2, I


def test_first_offender(make_extract) -> None:
    r = run(make_extract).loc["R"]
    assert r["n_prior_cases"] == 0
    # first offender: no period before the index case -> first_offender = 0
    assert r["case_density"] == 0.0
    assert r["case_density_violence"] == 0.0
    assert r["case_density_dv"] == 0.0
    assert r["country_of_birth"] == "Nederlandse Antillen"
    assert r["pv_type"] == "bedreiging"
    assert r["most_severe_disposal"] == "vw_beleidssepot"
    assert r["age_first_case"] == pytest.approx(r["age_at_index"])


def test_covariate_table(make_extract) -> None:
    cov = run(make_extract).reset_index()
    table = cohort.covariate_table(cov, ["sex", "n_prior_cases"])
    assert table.loc[("N", ""), "all"] == 2
    assert table.loc[("sex", "man"), "all"] == pytest.approx(0.5)
    assert table.loc[("n_prior_cases", ""), "all"] == pytest.approx(1.5)  # (3 + 0) / 2


def test_density_definition_is_editable(make_extract, tmp_path) -> None:
    import shutil

    from pv_identify.cohort import CohortConfig

    folder = tmp_path / "cohort"
    shutil.copytree(cohort.default_rules_dir(), folder)
    (folder / "density.yaml").write_text(
        "numerator: prior\nmin_years: 1.0\nfirst_offender: formula\n",
        encoding="utf-8")
    config = CohortConfig(rules_dir=folder)
    off = cohort.classify_offences(history(make_extract), config=config)
    cov = cohort.covariates(off, cohort.index_cases(off, config), config).set_index("person_id")
    assert cov.loc["Q", "case_density"] == pytest.approx(3 / 8.0)  # H1, H2, H4
    assert cov.loc["Q", "case_density_dv"] == pytest.approx(1 / 8.0)  # H2
    assert cov.loc["R", "case_density"] == 0.0  # 0 prior cases / max(0, 1) year
    (folder / "density.yaml").write_text(
        "numerator: prior_and_index\nmin_years: 1.0\nfirst_offender: formula\n",
        encoding="utf-8")
    config = CohortConfig(rules_dir=folder)
    off = cohort.classify_offences(history(make_extract), config=config)
    cov = cohort.covariates(off, cohort.index_cases(off, config), config).set_index("person_id")
    assert cov.loc["R", "case_density"] == pytest.approx(1.0)  # the pre-issue-16 value
    # the floor: a first case 0.5 years before the index case divides by 1 year
    dens = cohort.case_densities(
        pd.Series([2]), pd.Series([1]), pd.Series([0]), pd.Series([2]), pd.Series([1]),
        pd.Series([0.5]))
    assert dens["case_density"].item() == pytest.approx(3.0)  # (2 + index) / 1
    assert dens["case_density_violence"].item() == pytest.approx(2.0)
    assert dens["case_density_dv"].item() == pytest.approx(1.0)
