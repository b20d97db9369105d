"""Text rules 1.22.0 and 1.23.0, grammar 1.12.0 and 1.13.0, default 1.18.0 and 1.19.0
(round 2, session 22, from batches AC, AD and AE after their unseen scores): violence told
as within the relationship, a relative the offender posed as, a civil ruling's parties
named as relatives, step-uncles and -aunts, prepositions in -s that are no genitive names,
and unfaithful partners. Written cases (not corpus items); the first case of each test
fails on the versions before, the others guard what must stay."""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv


@pytest.mark.parametrize("text, label", [
    ("Zij maakten afspraken om voortaan geweld binnen hun relatie te voorkomen.", "partner"),
    ("Hij werd veroordeeld wegens mishandeling binnen het huwelijk.", "partner"),
    # an ex word elsewhere still decides
    ("Na het geweld binnen haar relatie stalkte haar ex-vriend haar maandenlang.",
     "ex_partner"),
    # a relationship that is no partner relationship is no partner phrase
    ("Hij sloeg een collega binnen de zakelijke relatie.", "none"),
])
def test_violence_within_the_relationship(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    ("Hij had zich voorgedaan als haar vriend.", "none"),
    ("De oplichters, die zich voordeden als haar tante, vroegen geld.", "none"),
    ("Hij probeerde zich voor te doen als haar broer.", "none"),
    # the real relative beside the trap still counts
    ("Hij deed zich voor als een agent en sloeg zijn vrouw.", "partner"),
])
def test_a_relative_the_offender_posed_as(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    ("Gedaagde is de stiefvader van eiseres. Hij heeft haar jarenlang misbruikt.", "child"),
    ("Gedaagde is een stiefoom van eiseres.", "other_family"),
    ("Verweerder is de zoon van verzoekster. Hij heeft haar bedreigd.", "parent"),
    # a party of a civil ruling without a relative
    ("Gedaagde is de buurman van eiseres.", "none"),
])
def test_civil_parties_named_as_relatives(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


def test_step_uncle_in_register_mode():
    frame = pd.DataFrame({"artikelkwalificatie": ["ontucht met zijn stiefnicht"]})
    assert pv.Tagger("default").tag(frame)["pv_label"].iloc[0] == "other_family"


@pytest.mark.parametrize("qualification, label", [
    # grammar 1.11.0 read 'jegens' as a genitive name ("Harry's vrouw") and gave none
    ("bedreiging jegens echtgenote", "partner"),
    ("belaging jegens ex-vriendin", "ex_partner"),
    # a real genitive name still points at somebody else
    ("mishandeling van Harrys vrouw", "none"),
])
def test_preposition_in_s_is_no_genitive_name(qualification, label):
    frame = pd.DataFrame({"artikelkwalificatie": [qualification]})
    assert pv.Tagger("default").tag(frame)["pv_label"].iloc[0] == label


def test_preposition_in_s_in_text_mode(tag_one):
    row = tag_one("Een man werd veroordeeld wegens verkrachting binnen het huwelijk.")
    assert row["pv_label"] == "partner"
    assert "relative of somebody else" not in row["pv_evidence"]


@pytest.mark.parametrize("text, label", [
    # text rules 1.23.0 / grammar 1.13.0 (from batch AE after its unseen score)
    ("De vrouw had insuline ingespoten bij haar overspelige man.", "partner"),
    ("Hij stak zijn ontrouwe vriendin neer.", "partner"),
])
def test_unfaithful_partner_modifiers(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


def test_unfaithful_partner_in_register_mode():
    frame = pd.DataFrame({"artikelkwalificatie": ["mishandeling van zijn overspelige vrouw"]})
    assert pv.Tagger("default").tag(frame)["pv_label"].iloc[0] == "partner"
