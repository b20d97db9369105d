"""Session 19 (text rules 1.17.0 and 1.18.0): sentence boundaries in the salience step, the partner
pair left to the time step, first-person accounts, a couple told of the parties and a
split "reed ... aan". Written cases (not corpus items)."""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.text import tag_texts
from pv_identify.text.sentences import sentence_ids


@pytest.fixture(scope="module")
def tagger():
    return pv.Tagger("default")


def _label(tagger, text: str) -> str:
    return str(tag_texts([text], tagger=tagger).iloc[0]["pv_label"])


def _norm(tagger):
    return tagger.text_matcher.compiled.normalize_qualification


def test_sentence_ids_follow_the_tokens(tagger):
    norm = _norm(tagger)
    text = "Hij sloeg zijn vrouw. Johan H. had eerst zijn dochter gedood! Zij belde 112."
    n = len(norm(text).split(" "))
    ids = sentence_ids(text, norm, n)
    assert ids is not None and len(ids) == n
    # three sentences; the initial "H." before a lower-case word ends none
    assert sorted(set(ids)) == [0, 1, 2]
    assert ids[:4] == [0, 0, 0, 0] and ids[-2:] == [2, 2]


def test_sentence_ids_none_for_one_sentence_or_a_count_mismatch(tagger):
    norm = _norm(tagger)
    assert sentence_ids("Hij sloeg zijn vrouw", norm, 4) is None
    text = "Hij sloeg zijn vrouw. Zij belde de politie."
    assert sentence_ids(text, norm, 3) is None  # counts do not add up: no boundaries


@pytest.mark.parametrize("text, label", [
    # the phrase next to the offence in the same sentence names the victim; a partner
    # word in the next sentence does not (train web-V001)
    ("Zij wordt vervolgd voor de moord op haar drie kinderen. Haar man beëindigde "
     "intussen hun relatie.", "child"),
    # a stranger next to the offence in its own sentence (train web-V029)
    ("Er was ruzie tussen hem en zijn vriendin. Daarbij reed hij de agente aan.", "none"),
    # a family phrase in the sentence before the offence still keeps the family label
    # (no demotion to none across a boundary)
    ("Zijn zus kwam die avond thuis. Hij stak haar met een mes.", "other_family"),
    # partner and ex-partner words name the same person: the time step decides
    ("Hij stak het huis in brand. Zijn toen 38-jarige partner lag boven te slapen. Hij "
     "werd veroordeeld voor poging tot moord op zijn ex-vriendin.", "partner"),
])
def test_salience_within_one_sentence(tagger, text, label):
    assert _label(tagger, text) == label


@pytest.mark.parametrize("text, label", [
    ("“De derde keer dat mijn man me sloeg, heb ik een advocaat gebeld”, vertelt zij.",
     "partner"),
    ("Mijn ex valt mij steeds lastig. Hij rijdt door mijn straat.", "ex_partner"),
    ("Ik werd door mijn vriend geslagen.", "partner"),
    # 'mijn' of a witness, no "me/mij" as the object: no relationship of the offender
    ("“Mijn vrouw belde meteen de politie”, zegt de buurman. De dader sloeg de bezorger.",
     "none"),
])
def test_first_person_accounts(tagger, text, label):
    assert _label(tagger, text) == label


def test_parties_told_as_a_couple(tagger):
    text = ("Uit het onderzoek is komen vast te staan dat partijen een koppel vormen. De "
            "zaak ging naar de afdeling Huiselijk Geweld.")
    assert _label(tagger, text) == "partner"


def test_register_mode_is_unchanged_by_the_text_rules(tagger):
    out = tagger.tag(pd.DataFrame({"artikelkwalificatie": ["mishandeling van zijn echtgenote"]}))
    assert out["pv_label"].iloc[0] == "partner"


@pytest.mark.parametrize("text, label", [
    # a rival named next to the offence is its victim, not the ex named after it
    ("Hij gaf ook toe dat hij een hobbyfotograaf ombracht. Die had zijn ex meermaals "
     "gefotografeerd.", "none"),
    # the ex next to the offence stays the victim
    ("Hij stak zijn ex neer. Een fotograaf legde alles vast.", "ex_partner"),
    # seizing somebody by the throat is an offence cue; a bare stranger word after a
    # preposition names that person (train web-D022)
    ("Hij zag zijn vrouw. Hij liep achter buurman aan en pakte de man bij de keel.", "none"),
    ("Hij pakte zijn vrouw bij de keel.", "partner"),
    # batch W words: a rival, a visitor, harassment, running somebody over
    ("Hij had ruzie gehad met zijn vrouw. Later stak hij zijn liefdesrivaal neer.", "none"),
    ("Zijn vrouw was thuis. De man treiterde de bezoeker urenlang.", "none"),
    ("Zijn vrouw zag het gebeuren. Met zijn auto reed hij over de fietser heen.", "none"),
])
def test_session19_stranger_words(tagger, text, label):
    assert _label(tagger, text) == label

