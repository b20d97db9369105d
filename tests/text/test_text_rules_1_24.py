"""Text rules 1.24.0 and 1.25.0, default 1.20.0 and 1.21.0 (round 2, session 23, from the
train errors and batches AF and AG): a partner named as a companion away from the offence,
the partner somebody had an affair with, the accused named as a relative of "de
overledene" or as the parents of a child, former in-laws, Flemish "ondertussen", a
relationship told as lasting, a partner sentenced as the accomplice. Written cases (not
corpus items); the first case of each group fails on the versions before, the others guard
what must stay."""

from __future__ import annotations

import pytest

TEXTS = [
    # a partner named as a companion, away from the offence (salience step)
    ("Christine zit met haar man op de bank. Later werd de schuur in brand gestoken.",
     "none"),
    ("Hij werd 's nachts aangevallen. Ze had met haar vriend afgesproken.", "none"),
    # a quarrel or a tie with the partner before "met" names the couple
    ("Ze had ruzie met haar vriend. Hij stak de woning in brand.", "partner"),
    # an offence cue's object pronoun: the partner may be its subject
    ("Ze zat met haar man op de bank. Hij sloeg haar.", "partner"),
    # a partner phrase next to the offence is its victim, "met" or not
    ("Hij ging met zijn vrouw naar huis en sloeg haar daar.", "partner"),
    # a family phrase also counts: the step leaves the decision alone
    ("Ze ging met haar man en haar zoon naar huis. De zoon werd mishandeld.", "child"),
    # the partner somebody had an affair with (text.trap.affair)
    ("Naar eigen zeggen was het slachtoffer vreemdgegaan met zijn vrouw.", "none"),
    ("Hij sloeg de man die een affaire had met zijn vrouw.", "none"),
    ("Hij wilde praten over de affaire tussen zijn vrouw en de medewerker.", "none"),
    # the unfaithful partner herself as victim, and the couple's own relationship
    ("Hij sloeg zijn vrouw omdat zij vreemdging.", "partner"),
    ("Hij had een verhouding met zijn vriendin. Hij sloeg haar.", "partner"),
    ("De man was vreemdgegaan met zijn schoonzus. Zijn vrouw sloeg hem.", "partner"),
    # the accused named as a relative of "de overledene" (word set victim_noun)
    ("De zoon van de overledene werd aangehouden.", "parent"),
    ("De verdachte, de broer van de overledene, ontkent.", "other_family"),
    ("De verdachte is de tante van het slachtoffertje.", "other_family"),
    # the accused named as parents of a child named by age (text.child.offender_is_parent)
    ("De ouders van een tiener riskeren cel voor het mishandelen van de jongen.", "child"),
    ("Het hof heeft een ouderpaar zwaarder bestraft voor verwaarlozing.", "child"),
    ("De vader van het meisje is aangehouden.", "child"),
    ("De opa van het meisje is veroordeeld voor mishandeling van het meisje.", "other_family"),
    # the offender's parents, and the victim's parents, are no accused parents of a child
    ("De ouders van de verdachte zijn aangehouden.", "none"),
    ("De ouders van het slachtoffer zijn blij dat de dader is veroordeeld.", "none"),
    # text rules 1.25.0 (batch AF): an ex now, not at the offence, in Flemish; a
    # relationship told as lasting; the modifier 'overleden' inside a chain
    ("Hij sloeg haar. De vrouw, die ondertussen gescheiden is, deed aangifte tegen haar man.",
     "partner"),
    ("Het bleek dat hij al langere tijd een slechte relatie had met haar. Hij mishandelde "
     "zijn ex-vriendin.", "partner"),
    ("Hij belaagde de behandelend arts van zijn overleden moeder.", "none"),
    # an ex word without such a cue stays an ex-partner
    ("Hij mishandelde zijn ex-vriendin.", "ex_partner"),
    # a partner sentenced as the accomplice (text.trap.accomplice, batch AG)
    ("Hij vermoordde zeven vrouwen. Zijn ex-vrouw kreeg levenslang voor medeplichtigheid.",
     "none"),
    ("Zijn vrouw, medeverdachte in de zaak, werd aangehouden. Hij doodde de buurman.", "none"),
    # somebody else as the accomplice keeps the partner victim
    ("Hij sloeg zijn vrouw. Zijn broer kreeg twee jaar voor medeplichtigheid.", "partner"),
    # "mepte" is an offence cue; the spouse just married told in the first person (batch AI)
    ("Hij kon niet verkroppen dat zijn ex-vriendin met een andere man meeging. Hij mepte "
     "zijn liefdesrivaal tegen de grond.", "none"),
    ("Kort nadat we huwden, veranderde de vrouw met wie ik net getrouwd was in een monster. "
     "Ze overgoot me met kokend water.", "partner"),
    # drowning somebody is an offence cue (batch AH)
    ("Een vrouw is veroordeeld voor het doden van haar één dag oude baby. Volgens de "
     "rechtbank heeft ze haar dochter met opzet laten verdrinken.", "child"),
]

# Register rows (qualification only), the default rules.
QUALIFICATIONS = [
    # former in-laws (default 1.20.0): "(ex) schoondochter" is no "zijn ex"
    ("aanranding van zijn (ex) schoondochter", "other_family"),
    ("mishandeling van zijn ex-schoonzoon", "other_family"),
    # an ex before a partner word is still an ex-partner
    ("mishandeling van zijn ex vriendin", "ex_partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_rules_1_24(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("qualification, label", QUALIFICATIONS)
def test_register_rows(tag_qualification, qualification, label):
    assert tag_qualification(qualification)["pv_label"] == label
