"""Written cases of round-2 session 24, helper R24C (not corpus items): more family words
that are not the victim's tie to the offender, one more offence cue and the offence told
as a quarrel within a family (text rules, and the new group text.family_setting of the
salience step). In each group the first case fails on the rules before it, the others
guard what must stay.

Traps: a ruling's defined term "(hierna: de zoon)", a relative killed before ("zijn
moeder, die in 2015 vermoord werd"), the parent of a classmate or a friend, a relative
found with a suspect, a family word after "deze"/"dit" or after "je"/"jouw". Cue: "wat
haar vader haar heeft aangedaan". Setting: "een familieruzie" keeps a family decision
from the demotion to none, and never outranks a partner word."""

from __future__ import annotations

import pytest

# Free text, the default rules: one table, a comment per rule.
TEXTS = [
    # a ruling's defined term (text.trap.defined_term)
    ("Partijen hadden een vriendschappelijke relatie. De vrouw heeft een zoon, geboren in "
     "2003 (hierna: de zoon).", "none"),
    ("Eiseres is de buurvrouw van gedaagde (hierna te noemen: dochter en schoonzoon).",
     "none"),
    # the son named and hit stays the offender's
    ("De vrouw sloeg haar zoon (hierna: de zoon).", "child"),
    # a relative killed before, in a relative clause (text.trap.relative_killed_before)
    ("Hij ging door het lint na een opmerking over zijn moeder, die in 2015 vermoord werd.",
     "none"),
    ("Zij sprak over haar broer, die vorig jaar werd doodgestoken. Een man sloeg haar.",
     "none"),
    # the offence of the text against the relative stays
    ("Hij heeft zijn moeder vermoord.", "parent"),
    ("Hij stak zijn moeder, die op de bank zat, neer.", "parent"),
    # the relative of a classmate or a friend (text.trap.relative_of_contact)
    ("Ze herkende de man, omdat hij de vader is van een klasgenoot van haar. Hij filmde haar.",
     "none"),
    ("Ron is de vader van Esmees beste vriendin. Hij misbruikte haar.", "none"),
    # his own daughter stays
    ("De vader van haar klasgenoot sloeg zijn eigen dochter.", "child"),
    # a relative found with a suspect (text.trap.relative_found_with_suspect)
    ("Een jongen heeft zijn 12-jarige zusje naakt aangetroffen in haar kamer met een "
     "27-jarige verdachte.", "none"),
    ("Hij betrapte zijn dochter met een onbekende man die haar misbruikte.", "none"),
    ("Hij heeft zijn zusje misbruikt.", "other_family"),
    # harm done to somebody told with "aandoen" (text.victim.cue_done_to)
    ("De dochter vertelde in de rechtbank over wat haar vader haar als kind heeft aangedaan. "
     "Hij wordt verdacht van ontucht; het misbruik begon toen haar ouders scheidden.",
     "child"),
    # a family word after "deze" or "dit" takes up people named before
    # (text.trap.demonstrative_kin)
    ("Twee van Maria's kinderen zijn jong gestorven. Men zegt dat deze kinderen haar "
     "eerste slachtoffers waren.", "none"),
    # the earlier phrase still counts when it names a tie
    ("Hij heeft zijn twee kinderen mishandeld. Deze kinderen zijn nu in een pleeggezin.",
     "child"),
    # a relative of the person addressed (text.trap.second_person_kin)
    ("Hij zou de moord samen met zijn dochter hebben gepleegd. „Hoe erg moet je je vader "
     "haten?”", "none"),
    ("Hoe kun je jouw moeder zo behandelen? De man sloeg de buurman.", "none"),
    # "uw" (the judge to the accused) stays
    ("De rechter: „U heeft uw dochter jarenlang misbruikt.”", "child"),
    # the offence told as a quarrel within a family (text.other_family.family_quarrel)
    ("In het ressort is een familieruzie uitgelopen op geweld. Volgens de politie greep een "
     "vrouw naar een houwer en verwondde het meisje.", "other_family"),
    ("Meneer H. zorgde voor een familiecrisis. Hij zou het slachtoffer op de grond hebben "
     "geduwd.", "other_family"),
    # a partner word still decides, also next to the offence
    ("Tijdens een familieruzie werd een vrouw neergestoken. De politie heeft haar man "
     "aangehouden.", "partner"),
    ("Bij een familieruzie is een vrouw met een mes gestoken. Haar echtgenoot werd "
     "aangehouden.", "partner"),
    # a stranger next to the offence is still the victim
    ("Na een familieruzie stak hij op straat een voorbijganger neer.", "none"),
    # "familiedrama" is no such phrase (news names a partner killing so too)
    ("Een familiedrama in Gent: een man werd neergestoken.", "none"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
