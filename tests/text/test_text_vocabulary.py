"""Issue 13 rules: family-word plurals and diminutives, number modifiers, grammar words,
text traps and time cues. Written cases (not corpus items), one per rule; rules shared
with register mode (terms, grammar) are checked in both modes.
"""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.text import tag_texts


@pytest.fixture(scope="module")
def tagger():
    return pv.Tagger("default")


def _text(tagger, text: str) -> pd.Series:
    return tag_texts([text], tagger=tagger).iloc[0]


def _register(tagger, qualification: str) -> str:
    out = tagger.tag(pd.DataFrame({"artikelkwalificatie": [qualification]}))
    return str(out["pv_label"].iloc[0])


@pytest.mark.parametrize("qualification, label", [
    ("mishandeling van zijn twee dochtertjes", "child"),
    ("doodslag op zijn acht maanden oude stiefzoontje", "child"),
    ("ontucht met zijn halfzusje", "other_family"),
    ("ontucht met stiefbroertje", "other_family"),
    ("belediging van zijn schoonmama", "other_family"),
    ("mishandeling van zijn broers", "other_family"),
    ("mishandeling van zijn mama", "parent"),
    ("mishandeling van haar peuter", "child"),
])
def test_family_word_forms_in_both_modes(tagger, qualification, label):
    assert _register(tagger, qualification) == label
    assert _text(tagger, qualification)["pv_label"] == label


def test_number_words_are_modifiers_in_text(tagger):
    # text mode extends possessive terms over modifiers ('zijn baby'); register mode
    # reads the term as written
    row = _text(tagger, "Hij werd veroordeeld voor mishandeling van zijn vijf maanden oude baby.")
    assert row["pv_label"] == "child"
    assert "zijn vijf maanden oude baby" in row["pv_evidence"]


@pytest.mark.parametrize("qualification", [
    "doodslag op twee broers",                      # a group of victims, not his brothers
    "mishandeling van een verpleegkundige, de zuster van afdeling 3",
])
def test_bare_sibling_plurals_and_zuster_are_no_relatives(tagger, qualification):
    assert _register(tagger, qualification) == "none"


@pytest.mark.parametrize("qualification", [
    "poging tot moord op de nieuwe liefde van zijn vrouw",   # partner of the partner
    "moord op partner van beoogd slachtoffer",               # mistaken killing
    "moord op de ex-vrouw van zakenman Jansen",              # a title before a name
])
def test_grammar_non_relatives_in_both_modes(tagger, qualification):
    assert _register(tagger, qualification) == "none"
    assert _text(tagger, qualification)["pv_label"] == "none"


def test_friends_of_a_relative_are_not_relatives(tagger):
    row = _text(tagger, "Zij benaderde vrienden en vriendinnen van haar zoon(s) voor een "
                        "fotoshoot en dreigde de foto's te verspreiden.")
    assert row["pv_label"] == "none"
    # the friend word alone does not mask the relative elsewhere
    assert _text(tagger, "Zij bedreigde haar zoons.")["pv_label"] == "child"


def test_born_is_a_verb_not_a_possessive(tagger):
    text = ("Uit de relatie van gedaagde en eiser zijn kinderen geboren, daarna zijn eiser en "
            "gedaagde uit elkaar gegaan. Gedaagde plaatste bedreigende berichten.")
    assert _text(tagger, text)["pv_label"] == "ex_partner"


def test_legal_victim_wording_makes_the_phrase_salient(tagger):
    text = ("Het hof veroordeelde verdachte wegens mishandeling, terwijl het feit de dood ten "
            "gevolge heeft, begaan tegen een kind dat hij verzorgt of opvoedt als behorende "
            "tot zijn gezin.")
    assert _text(tagger, text)["pv_label"] == "child"


@pytest.mark.parametrize("text, label", [
    ("Het meisje had aangegeven dat ze niet meer met hem wilde omgaan. Daarna bleef hij "
     "haar lastigvallen.", "ex_partner"),
    ("In april verliet zij hem. Daarna stak hij haar auto in brand.", "ex_partner"),
    ("Het stel had al langere tijd relatieproblemen. In de nacht stak zij de slaapkamer "
     "in brand.", "partner"),
    ("Het echtpaar is bezig met een echtscheiding. Tijdens een ruzie stak de man de woning "
     "in brand.", "partner"),
    ("Zij beschuldigde zijn voormalige vriendin ... hij sloeg haar tijdens hun vakantie.",
     "partner"),
    ("De vrouw wilde haar vriend verlaten, maar hij sloeg haar.", "partner"),
])
def test_time_cues(tagger, text, label):
    assert _text(tagger, text)["pv_label"] == label
