"""The salience step: the relationship phrase next to the offence names the victim.

Written cases (not corpus items): a violence verb or a victim word marks the clause that
tells the offence; relatives named elsewhere belong to somebody else's story.
"""

from __future__ import annotations

import pytest

import pv_identify as pv
from pv_identify.text import tag_texts


@pytest.fixture(scope="module")
def tagger():
    return pv.Tagger("default")


def _one(tagger, text):
    return tag_texts([text], tagger=tagger).iloc[0]


@pytest.mark.parametrize("text, label", [
    # the phrase next to the offence wins over a higher-tier phrase elsewhere
    ("De vader deelt het hoederecht over de vier kinderen met zijn vrouw en moest hen "
     "zondagavond terugbrengen naar haar woning in de stad. Hij heeft zijn zoon gedood.",
     "child"),
    # relatives far from the offence are not the victim: family -> none
    ("Hij bedreigde zijn bovenbuurman met een mes. Volgens de buurvrouw die boven de "
     "familie woont was het al jaren onrustig in het huis en speelden zijn kinderen "
     "vaak buiten.", "none"),
    # the phrase next to the offence keeps its label
    ("De man heeft zijn dochter mishandeld.", "child"),
    ("De man stak zijn vrouw neer in hun woning.", "partner"),
    # no offence cue: the step does nothing
    ("Hij woonde met zijn moeder in Utrecht.", "parent"),
    # "een (voormalige) vriendin" is a friend, not a partner
    ("Slagen en verwondingen aan een voormalige vriendin.", "none"),
    ("Hij sloeg zijn voormalige vriendin.", "ex_partner"),
    # a separable offence verb: its particle follows the victim and marks the clause
    # ("stak ... zijn beide ouders dood"), so the relatives are not somebody else's
    ("De jongen stak vorig jaar in september in de boerderij aan de rand van het dorp "
     "zijn beide ouders dood. Volgens de rechtbank is de jongen schuldig aan moord.",
     "parent"),
])
def test_salience(tagger, text, label):
    assert _one(tagger, text)["pv_label"] == label


def test_evidence_names_the_step(tagger):
    later = ("met een mes. Volgens de buurvrouw die boven de familie woont was het al jaren "
             "onrustig in het huis en speelden zijn kinderen vaak buiten.")
    row = _one(tagger, "Hij bedreigde de man " + later)
    assert "text.victim.cue" in row["pv_rule_ids"]
    assert "victim: no relationship phrase next to the offence" in row["pv_evidence"]
    # a stranger word with a possessive next to the offence is named as its victim
    # (text rules 1.12.0)
    row = _one(tagger, "Hij bedreigde zijn bovenbuurman " + later)
    assert row["pv_label"] == "none"
    assert "victim: 'zijn bovenbuurman' is the phrase next to the offence" in row[
        "pv_evidence"]


@pytest.mark.parametrize("text", [
    "Hij was naar zijn ex-partner gegaan voor een gesprek over de verdeling van het huis. "
    "Het liep uit de hand en hij sloeg de nieuwe partner van zijn ex in het gezicht.",
    "De brief gaat over zijn zoontje en over de school en de vakanties en de verhuizing. "
    "Ook zou hij zich bedreigend hebben opgesteld naar de moeder van zijn ex-partner.",
])
def test_rival_next_to_the_offence_is_the_victim(tagger, text):
    # a non-relative named through the (ex-)partner is the phrase next to the offence
    row = _one(tagger, text)
    assert row["pv_label"] == "none"
    assert "is the phrase next to the offence" in row["pv_evidence"]


def test_rival_far_from_the_offence_changes_nothing(tagger):
    row = _one(tagger, "Hij sloeg zijn ex-vriendin. Weken later zag hij de nieuwe vriend "
                       "van zijn ex in de stad.")
    assert row["pv_label"] == "ex_partner"
