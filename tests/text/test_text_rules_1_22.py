"""Text rules 1.22.0 and 1.23.0, grammar 1.12.0 and 1.13.0, default 1.18.0 and 1.19.0
(round 2, session 22, from batches AC, AD and AE after their unseen scores): violence told
as within the relationship, a relative the offender posed as, a civil ruling's parties
named as relatives, step-uncles and -aunts, prepositions in -s that are no genitive names,
and unfaithful partners. Written cases (not corpus items); the first case of each test
fails on the versions before, the others guard what must stay."""

from __future__ import annotations

import pytest

# Free text, the default rules: one table, a comment per rule.
TEXTS = [
    # violence told as within the relationship (text.partner.relational)
    ("Zij maakten afspraken om voortaan geweld binnen hun relatie te voorkomen.", "partner"),
    ("Hij werd veroordeeld wegens mishandeling binnen het huwelijk.", "partner"),
    # an ex word elsewhere still decides
    ("Na het geweld binnen haar relatie stalkte haar ex-vriend haar maandenlang.",
     "ex_partner"),
    # a relationship that is no partner relationship is no partner phrase
    ("Hij sloeg een collega binnen de zakelijke relatie.", "none"),
    # a relative the offender posed as (text.trap.impersonation)
    ("Hij had zich voorgedaan als haar vriend.", "none"),
    ("De oplichters, die zich voordeden als haar tante, vroegen geld.", "none"),
    ("Hij probeerde zich voor te doen als haar broer.", "none"),
    # the real relative beside the trap still counts
    ("Hij deed zich voor als een agent en sloeg zijn vrouw.", "partner"),
    # a civil ruling's parties named as relatives (the accused_relative rules)
    ("Gedaagde is de stiefvader van eiseres. Hij heeft haar jarenlang misbruikt.", "child"),
    ("Gedaagde is een stiefoom van eiseres.", "other_family"),
    ("Verweerder is de zoon van verzoekster. Hij heeft haar bedreigd.", "parent"),
    # a party of a civil ruling without a relative
    ("Gedaagde is de buurman van eiseres.", "none"),
    # unfaithful partners (text rules 1.23.0 / grammar 1.13.0, from batch AE)
    ("De vrouw had insuline ingespoten bij haar overspelige man.", "partner"),
    ("Hij stak zijn ontrouwe vriendin neer.", "partner"),
]

# Register rows (qualification only), the default rules.
QUALIFICATIONS = [
    # step-uncles, -aunts and -cousins (default 1.18.0)
    ("ontucht met zijn stiefnicht", "other_family"),
    # grammar 1.11.0 read 'jegens' as a genitive name ("Harry's vrouw") and gave none
    ("bedreiging jegens echtgenote", "partner"),
    ("belaging jegens ex-vriendin", "ex_partner"),
    # a real genitive name still points at somebody else
    ("mishandeling van Harrys vrouw", "none"),
    # unfaithful partners (default 1.19.0)
    ("mishandeling van zijn overspelige vrouw", "partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_rules_1_22_and_1_23(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("qualification, label", QUALIFICATIONS)
def test_register_rows(tag_qualification, qualification, label):
    assert tag_qualification(qualification)["pv_label"] == label


def test_preposition_in_s_in_text_mode(tag_one):
    row = tag_one("Een man werd veroordeeld wegens verkrachting binnen het huwelijk.")
    assert row["pv_label"] == "partner"
    assert "relative of somebody else" not in row["pv_evidence"]
