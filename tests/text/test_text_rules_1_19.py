"""Text rules 1.19.0 (round 2, session 20): an offender-anchored phrase's own victim word
is no offence cue for it, a couple as the subject of a plural verb, an age after the
victim phrase before "om het leven", kin words in idioms and a relationship taken up
again. Written cases (not corpus items); the first case of each test fails on text rules
1.18.0, the others guard what must stay."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, label", [
    # the victim word inside "de vrouw van het slachtoffer" no longer makes that phrase
    # the one next to the offence: the rival stabbed in the first sentence is the victim
    # (train web-W003)
    ("Gisteravond heeft een man zijn liefdesrivaal in de nek gestoken. De vrouw van het "
     "slachtoffer belde de hulpdiensten.", "none"),
    # an offender-anchored phrase next to a real offence cue still decides
    ("De vrouw van het slachtoffer heeft hem doodgestoken.", "partner"),
    # ... and alone, without a rival, it keeps its reading
    ("De echtgenoot van het slachtoffer is gearresteerd.", "partner"),
])
def test_offender_named_phrase_and_its_own_victim_word(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    # a couple acting together names no victim among them (train web-M030, web-M018)
    ("Groeneveld en zijn partner wisten het vuur te doven voordat de buurman verder "
     "gewond raakte.", "none"),
    ("Hij hing een camera op in de kamer van zijn zoon. De man en zijn toenmalige vrouw "
     "maakten zich zorgen over de resultaten van hun zoon.", "child"),
    # a quarrel between the two stays partner
    ("Hij en zijn vrouw kregen ruzie en hij sloeg haar.", "partner"),
])
def test_couple_as_subject_of_a_plural_verb(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


def test_age_between_the_victim_phrase_and_om_het_leven(tag_one):
    # train web-P013: the daughters are the victims; the divorce names his ex-wife
    text = ("De politie heeft de man aangehouden nadat hij zijn eigen dochtertjes van 5 en 8 "
            "om het leven bracht. De man was in augustus gescheiden van zijn vrouw.")
    out = tag_one(text)
    assert out["pv_label"] == "child"
    assert "dochtertjes" in out["pv_evidence"]


@pytest.mark.parametrize("text", [
    "De vader van de jongen zei dat Michel bijna kind aan huis was.",
    "Hij was als een zoon voor hem, zei de eigenaar van de zaak die werd beroofd.",
])
def test_kin_words_in_idioms(tag_one, text):
    hits = tag_one(text)["pv_rule_ids"]
    assert "text.trap.idiom" in hits


def test_relationship_taken_up_again_is_current(tag_one):
    # train web-R051: the reporter's "ex-partner" was a partner again at the offence
    text = ("De man vermoordde zijn ex-partner. Iedereen moet weten dat ze na de breuk in "
            "het geniep de draad van hun relatie weer hadden opgenomen.")
    assert tag_one(text)["pv_label"] == "partner"
    # without the resumption the ex-word stands
    assert tag_one("De man vermoordde zijn ex-partner.")["pv_label"] == "ex_partner"
