"""Written cases of round-2 session 25 (not corpus items): text rules 1.27.0. In each group
the first case fails on the versions before it, the others guard what must stay.

From batch AQ after its unseen score: a divorce applied for is not yet granted (the couple
was married at the offence); from batch AS after its unseen score: care staff are strangers
(grammar 1.16.0), a partner given a sentence is a co-offender, the couple told by the
police's hedged "De twee zouden een relatie hebben"."""

from __future__ import annotations

import pytest

TEXTS = [
    # a divorce applied for is not yet granted (text.time.current)
    ("Hij was boos op zijn vrouw omdat ze de scheiding had aangevraagd, en schoot haar "
     "neer.", "partner"),
    ("Zij vroeg de echtscheiding aan. Twee weken later stak hij haar neer.", "partner"),
    ("Hij schoot zijn ex-vrouw neer; zij had de scheiding aangevraagd.", "partner"),
    # after the divorce: still an ex
    ("Na de scheiding bedreigde hij zijn ex-vrouw.", "ex_partner"),
    # care staff are strangers (grammar strangers.txt): the contact of his wife
    ("De man sloeg de psychiater van zijn vrouw op het hoofd.", "none"),
    ("Zij bedreigde de therapeut van haar zoon.", "none"),
    ("De man sloeg zijn vrouw in de wachtkamer van de psychiater.", "partner"),
    # a partner given a sentence is a co-offender (text.trap.accomplice)
    ("Het OM eiste een celstraf tegen de man voor het opsluiten van een indringer. Zijn "
     "53-jarige echtgenote zou drie maanden cel moeten krijgen.", "none"),
    ("Zijn vrouw kreeg twee jaar cel voor de mishandeling van hun zoon.", "child"),
    # the verb right after the partner word: the victim stays
    ("Hij stak zijn vrouw dood en kreeg tien jaar cel.", "partner"),
    # the couple told by the police's hedged words (text.partner.relationship_told)
    ("Een vrouw is neergeschoten. De twee zouden een relatie met elkaar hebben.", "partner"),
    ("Een studente is doodgestoken. De twee zouden geen relatie met elkaar hebben.", "none"),
]

QUALIFICATIONS = [
    # care staff are strangers in register mode too (the grammar is shared)
    ("mishandeling van de psychiater van zijn echtgenote", "none"),
    ("mishandeling van zijn echtgenote", "partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("qualification, label", QUALIFICATIONS)
def test_register_mode(tag_qualification, qualification, label):
    assert tag_qualification(qualification)["pv_label"] == label
