"""Written cases of round-2 session 24 (not corpus items): text rules 1.26.0. In each group
the first case fails on the versions before it, the others guard what must stay.

From the train errors: abuse told as lasting for years took place in the relationship
(text.time.ex_current), wanting a divorce is still being married; from review: a bare
parent accused of an offence against a definite child named by age; from batch AJ after
its unseen score: trades and roles news names victims by are strangers (grammar 1.15.0);
from batches AK and AL after their unseen scores: a footnote mark stuck to a word, the
victim's step, adopted or foster child accused, the man she was pregnant by; from batch
AM: the offender of a relative named by the offence, "om zeep", "niet door een ...", a
couple for years, one parent threatening the other told by their child."""

from __future__ import annotations

import pytest

TEXTS = [
    # abuse told as lasting for years took place during the relationship
    # (text.time.ex_current: revises an ex-partner decision only)
    ("Dennis werd jarenlang door zijn ex-partner mishandeld.", "partner"),
    ("Hij drogeerde zijn ex-vrouw negen jaar lang.", "partner"),
    ("Zij werd slachtoffer van stelselmatige mishandeling door haar ex-echtgenoot.",
     "partner"),
    # stalking and threats go on after a break-up: still an ex
    ("Zij werd jarenlang gestalkt door haar ex-vriend.", "ex_partner"),
    ("Haar ex bedreigde haar jarenlang.", "ex_partner"),
    # cues of both kinds: no reading, the ex word decides
    ("Hij mishandelde jarenlang zijn ex. Na de scheiding bleef hij haar stalken.",
     "ex_partner"),
    # a family decision stays (no ex-partner decision to revise)
    ("De stelselmatige mishandeling van tien kinderen door hun vader.", "child"),
    # wanting a divorce is still being married (text.time.current)
    ("Zij wilden destijds scheiden. Zijn ex-echtgenote verklaarde dat hij haar daarna "
     "probeerde te wurgen.", "partner"),
    ("Hij stak zijn ex-vrouw neer omdat ze van hem wilde scheiden.", "partner"),
    # an ended cue beside it: no reading, the ex word decides
    ("Ze wilde scheiden. Na de scheiding stalkte haar ex-man haar.", "ex_partner"),
    # a bare parent accused of an offence against a definite child named by age
    # (text.child.offender_is_parent)
    ("De vader is veroordeeld voor mishandeling van het meisje.", "child"),
    ("De ouders zijn veroordeeld voor de verwaarlozing van de tweeling.", "child"),
    # an indefinite child may be somebody else's: the bare parent word decides as before
    ("De moeder wordt verdacht van de dood van een baby.", "parent"),
    # trades and roles news names victims by are strangers (grammar 1.15.0)
    ("Hij greep een keukenmes en bedreigde de landbouwer en zijn zoon.", "none"),
    ("Redouan B., de broer van kroongetuige Nabil B., werd doodgeschoten.", "none"),
    # the offender's own relative beside them still counts
    ("Hij bedreigde de landbouwer en sloeg zijn zoon.", "child"),
    # the victim's step, adopted or foster child accused (text.parent.offender_is_child)
    ("Al snel na de feiten werd de adoptiedochter van het slachtoffer opgepakt.", "parent"),
    ("De stiefzoon van het slachtoffer werd aangehouden.", "parent"),
    ("De dochter van het slachtoffer werd aangehouden.", "parent"),
    # the man she was pregnant by, in a relative clause (text.partner.relationship_told)
    ("De man bij wie ze in huis verbleef en van wie ze ook zwanger was. Hij verklaarde "
     "haar te hebben neergestoken.", "partner"),
    ("De man van wie ze zwanger was, stak haar neer.", "partner"),
    # pregnant after a rape is no relationship
    ("Ze raakte zwanger van hem nadat hij haar verkrachtte.", "none"),
    # a footnote mark stuck to the partner word (normalisation)
    ("De vader is nadien veroordeeld voor doodslag op zijn echtgenote((1)).", "partner"),
    # from batch AM after its unseen score: the offender of somebody's relative named by
    # the offence (grammar 1.15.0), "om zeep helpen", the offender told by what he was
    # not, a couple for years, one parent threatening the other told by their child
    ("In 1991 vermoordde zij de verkrachter van haar dochter.", "none"),
    ("Hij bedreigde de belager van zijn vrouw.", "none"),
    ("Rachel hielp in 2007 haar vriend om zeep.", "partner"),
    ("Niet door een familielid, niet door een (ex-)partner maar door een volstrekt "
     "onbekende man.", "none"),
    ("Hij werd niet door zijn vrouw maar door zijn zoon geslagen.", "child"),
    ("Hij werd bijna vermoord door de vrouw met wie hij achttien jaar samen is.", "partner"),
    ("Ze komt niet in beeld, omdat haar vader haar moeder nog altijd bedreigt.", "partner"),
    ("Haar vader, haar moeder en haar broer werden doodgeschoten.", "parent"),
]

# Register mode: the grammar is shared, so a qualification reads the same.
QUALIFICATIONS = [
    ("bedreiging van de landbouwer en zijn zoon", "none"),
    ("doodslag op de broer van kroongetuige", "none"),
    ("mishandeling van de zoon van verdachte", "child"),
    ("moord op de verkrachter van zijn dochter", "none"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("qualification, label", QUALIFICATIONS)
def test_register_mode(tag_qualification, qualification, label):
    assert tag_qualification(qualification)["pv_label"] == label


def test_ex_current_cue_is_named_in_the_evidence(tag_one):
    row = tag_one("Dennis werd jarenlang door zijn ex-partner mishandeld.")
    assert "time:" in row["pv_evidence"] and "jarenlang" in row["pv_evidence"]
