"""Registration-practice rules of the synthetic extract, checked on generated data."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from pv_identify.schema import DEFAULT_COLUMNS, LABELS, TRUTH_COLUMN
from pv_identify.synth import COLUMNS, SynthConfig, generate
from pv_identify.synth.vocab import COURT_DISPOSALS, DISPOSALS, HG_MCS

C = DEFAULT_COLUMNS
SPECIFIC_FROM = pd.Timestamp("2015-04-01")
SUB1 = re.compile(
    r"304 sub 1|304\.1(?!\d)|304\.1\.1|304, aanhef en onder 1°|SR 304 1", re.IGNORECASE
)
TERMS = re.compile(r"levensgez|echtgeno|\bpartner\b|kind|moeder|vader", re.IGNORECASE)


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return generate(150_000, seed=11)


def test_columns_and_vocabularies(df: pd.DataFrame) -> None:
    assert list(df.columns) == list(COLUMNS)
    assert set(df[TRUTH_COLUMN].unique()) <= set(LABELS)
    assert set(df[C["disposal"]].dropna().unique()) <= set(DISPOSALS)
    assert set(df[C["decision"]].unique()) <= {"bewezen", "vrijspraak", "ontslag",
                                               "technisch sepot", "lopend"}
    assert set(df[C["sex"]].unique()) <= {"man", "vrouw"}
    years = df[C["registration_date"]].dt.year
    assert years.min() >= 2008 and years.max() <= 2022


def test_partner_violence_is_a_minority_but_present(df: pd.DataFrame) -> None:
    share = df[TRUTH_COLUMN].value_counts(normalize=True)
    pv = share.get("partner", 0) + share.get("ex_partner", 0)
    assert 0.02 < pv < 0.25
    assert share.get("ex_partner", 0) > 0.005
    assert share.get("none", 0) > 0.6


def test_no_specific_mc_before_april_2015(df: pd.DataFrame) -> None:
    mc = df[C["mc"]].fillna("").str.lower()
    early = df[C["registration_date"]] < SPECIFIC_FROM
    for name in HG_MCS[1:]:
        assert not (early & mc.str.contains(name, regex=False)).any(), name
    assert (~early & mc.str.contains("partnermishandeling")).any()


def test_at_most_one_mc_before_april_2015(df: pd.DataFrame) -> None:
    mc = df[C["mc"]].fillna("")
    early = df[C["registration_date"]] < SPECIFIC_FROM
    assert not (early & mc.str.contains(";")).any()
    assert (~early & mc.str.contains(";")).any()


def test_generic_hg_mc_used_from_2008(df: pd.DataFrame) -> None:
    mc = df[C["mc"]].fillna("").str.lower()
    domestic = df[TRUTH_COLUMN] != "none"
    y2008 = df[C["registration_date"]].dt.year == 2008
    assert (mc[domestic & y2008] == "huiselijk geweld").mean() > 0.2


def test_partner_mc_ramp_and_used_for_ex_partners(df: pd.DataFrame) -> None:
    mc = df[C["mc"]].fillna("").str.lower().str.contains("partnermishandeling")
    rel = df[TRUTH_COLUMN]
    year = df[C["registration_date"]].dt.year
    pv = rel.isin(["partner", "ex_partner"])
    assert mc[pv & (year == 2015)].mean() < mc[pv & (year >= 2018)].mean()
    assert (mc & (rel == "ex_partner")).any()
    assert not (mc & ~pv).any()


def test_qualification_only_for_court_decisions(df: pd.DataFrame) -> None:
    has_q = df[C["qualification"]].notna()
    court = df[C["disposal"]].isin(COURT_DISPOSALS - {"vrijspraak",
                                                      "ontslag van rechtsvervolging"})
    assert not (has_q & ~court).any()
    assert not (has_q & (df[C["decision"]] != "bewezen")).any()
    prosecutor = df[C["disposal"]].isin(["transactie", "strafbeschikking",
                                         "voorwaardelijk beleidssepot",
                                         "onvoorwaardelijk beleidssepot", "technisch sepot"])
    assert prosecutor.any() and not (has_q & prosecutor).any()
    assert has_q.mean() > 0.2


def test_no_ex_in_qualifications(df: pd.DataFrame) -> None:
    q = df[C["qualification"]].dropna()
    assert not q.str.contains(r"(?i)\bex\b|\bex-|expartner").any()


def test_art_304_sub_1_only_for_spouse_child_parent(df: pd.DataFrame) -> None:
    art = df[C["article"]]
    sub1 = art.str.contains(SUB1)
    assert sub1.any()
    assert set(df.loc[sub1, TRUTH_COLUMN].unique()) <= {"partner", "child", "parent"}
    # and only on assaults (300-303 Sr)
    assert art[sub1].str.contains(r"30[0-3]").all()
    # bare 304 also occurs for officials and must not be read as sub 1
    bare = art.str.contains(r"\b300 jo 304 Sr") & ~sub1
    assert (bare & (df[TRUTH_COLUMN] == "none")).any()


def test_relationship_terms_only_for_current_family(df: pd.DataFrame) -> None:
    q = df[C["qualification"]].fillna("")
    named = q.str.contains(TERMS) & ~q.str.contains("zakenpartner", case=False)
    assert named.any()
    assert set(df.loc[named, TRUTH_COLUMN].unique()) <= {"partner", "child", "parent"}
    ex = df[TRUTH_COLUMN] == "ex_partner"
    assert not (ex & named).any()
    assert not (ex & df[C["article"]].str.contains(SUB1)).any()


def test_traps_are_present(df: pd.DataFrame) -> None:
    q = df[C["qualification"]].fillna("").str.lower()
    zp = q.str.contains("zakenpartner")
    ambt = q.str.contains("ambtenaar")
    assert zp.any() and (df.loc[zp, TRUTH_COLUMN] == "none").all()
    assert ambt.any() and (df.loc[ambt, TRUTH_COLUMN] == "none").all()


def test_dates_are_ordered_and_pending_is_consistent(df: pd.DataFrame) -> None:
    off, reg, disp = (df[C[k]] for k in ("offence_date", "registration_date",
                                         "disposal_date"))
    assert (off <= reg).all()
    assert (reg[disp.notna()] <= disp[disp.notna()]).all()
    pending = df[C["disposal"]].isna()
    assert pending.any()
    assert (pending == disp.isna()).all()
    assert (pending == (df[C["decision"]] == "lopend")).all()
    year = reg.dt.year
    assert pending[year == 2022].mean() > pending[year == 2018].mean()
    assert (df[C["birth_date"]] < off).all()


def test_custodial_days_only_for_custodial_sentences(df: pd.DataFrame) -> None:
    days = df[C["custodial_days"]]
    custodial = df[C["disposal"]] == "vrijheidsstraf"
    assert (days[custodial] > 0).all()
    assert (days[~custodial] == 0).all()


def test_person_and_case_structure(df: pd.DataFrame) -> None:
    per_person = df.groupby(C["person_id"])[[C["sex"], C["birth_date"],
                                             C["country_of_birth"]]].nunique()
    assert (per_person == 1).all().all()
    case_person = df.groupby(C["case_id"])[C["person_id"]].nunique()
    assert (case_person == 1).all()
    nr = df.groupby(C["case_id"])[C["offence_nr"]]
    assert (nr.min() == 1).all()
    assert (nr.max() == nr.size()).all()
    cases_per_person = df.groupby(C["person_id"])[C["case_id"]].nunique()
    assert cases_per_person.max() >= 5  # careers
    disposals_per_case = df.groupby(C["case_id"])[C["disposal"]].nunique(dropna=False)
    assert (disposals_per_case == 1).all()


def test_partner_cases_combine_offences(df: pd.DataFrame) -> None:
    pv_cases = df[df[TRUTH_COLUMN] == "partner"].groupby(C["case_id"]).size()
    assert (pv_cases > 1).mean() > 0.1


def test_typo_and_noise_rates_follow_parameters() -> None:
    clean = SynthConfig(noise_capitalise=0.0, noise_upper=0.0, noise_abbrev=0.0,
                        noise_typo=0.0, mc_noise_case=0.0)
    df = generate(20_000, seed=5, config=clean)
    q = df[C["qualification"]].dropna()
    assert q.str[0].str.islower().all()
    assert not q.str.contains(r"[A-Z]{3}").any()
    assert not q.str.contains(r"mish\.|tgn|echtgenooot|levensgezelin").any()
    noisy = generate(20_000, seed=5, config=SynthConfig(noise_typo=0.3))
    assert noisy[C["qualification"]].dropna().str.contains(
        "echtgenooot|levensgzel|mishandling").any()
    assert np.array_equal(df[C["article"]].to_numpy(), noisy[C["article"]].to_numpy())
