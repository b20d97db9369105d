"""Written cases of rounds-2 session 24, helper R24D (not corpus items): the time of the
relationship told by the cause of the break-up, from the train errors (gold partner,
predicted ex_partner). A group whose comment names a rule starts with a case that fails on
the versions before it (main e65b580); the other cases guard what must stay.

A relationship ended because of the abuse was current at the abuse
(text.time.ended_by_violence); a break-up told without that cause stays an ended cue. A
grammar rival phrase that is the object of an offence cue names the victim (salience step,
TextMatcher._rival_object; fails on main e65b580)."""

from __future__ import annotations

import pytest

# Free text, the default rules: one table, a comment per rule.
TEXTS = [
    # the relationship ended because of the abuse: it lasted at the abuse
    # (text.time.ended_by_violence)
    ("De vrouw is twee jaar gehuwd geweest, wanneer zij de relatie verbreekt wegens "
     "seksueel geweld.", "partner"),
    ("Zij heeft de relatie beëindigd wegens het geweld. Hij sloeg haar.", "partner"),
    ("Zij verbrak de relatie vanwege de mishandelingen.", "partner"),
    ("Hun huwelijk werd verbroken door huiselijk geweld van de man.", "partner"),
    # a break-up told without the abuse as its cause stays an ended relationship
    ("Zij heeft de relatie beëindigd. Daarna bedreigde hij haar.", "ex_partner"),
    ("Nadat de relatie was verbroken, mishandelde hij haar.", "ex_partner"),
    ("Zij verbrak de relatie vanwege zijn nieuwe baan. Later sloeg hij haar.", "ex_partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


# A grammar rival phrase (somebody's partner or contact through the offender's partner) that
# is the object of an offence cue names the victim (salience step, TextMatcher._rival_object),
# also when a partner phrase stands next to another cue.
RIVAL_OBJECTS = [
    ("De man die de ex-partner van zijn vriendin neerstak, is vrij. Het slachtoffer ging "
     "spullen ophalen bij zijn ex-vriendin. Het kwam tot een vechtpartij met haar nieuwe "
     "vriend.", "none"),
    ("Hij werd veroordeeld voor de moord op een vriend van zijn ex-vriendin. Hij trof het "
     "slachtoffer aan in de woning van zijn ex-vriendin.", "none"),
    # a partner phrase that is the object of another cue keeps its label
    ("Hij stak de nieuwe vriend van zijn ex-vriendin neer. Eerder had hij zijn ex-vriendin "
     "mishandeld.", "ex_partner"),
    ("Hij stak zijn ex-vrouw neer.", "ex_partner"),
]


@pytest.mark.parametrize("text, label", RIVAL_OBJECTS)
def test_rival_object(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
