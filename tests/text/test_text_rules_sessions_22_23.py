"""Written cases of rounds-2 sessions 22 and 23 (not corpus items): default 1.17.0 to
1.21.0, grammar 1.12.0 and 1.13.0, text rules 1.22.0 to 1.25.0. In each group the first
case fails on the versions before it, the others guard what must stay.

Session 22 (batches AB, AC, AD and AE): the Flemish 'plus' step-family words, violence told
as within the relationship, a relative the offender posed as, a civil ruling's parties
named as relatives, step-uncles and -aunts, prepositions in -s that are no genitive names,
unfaithful partners. Session 23 (the train errors, then batches AF to AI): a partner named
as a companion away from the offence, the partner somebody had an affair with, the accused
named as a relative of "de overledene" or of a child named by age, former in-laws, Flemish
"ondertussen", a relationship told as lasting, a partner sentenced as the accomplice,
drowning and "mepte" as offence cues, the spouse just married told in the first person."""

from __future__ import annotations

import pytest

# Free text, the default rules: one table, a comment per rule.
TEXTS = [
    # --- session 22 -------------------------------------------------------------------
    # the Flemish 'plus' step-family words (default 1.17.0)
    ("Zij voerde jarenlang een terreurbewind over haar pluszonen.", "child"),
    ("Hij mishandelde zijn plusdochter van twaalf.", "child"),
    ("De jongen sloeg zijn plusmama met een stoel.", "parent"),
    # a 'plus' word that is no relative stays nothing
    ("Hij kocht een pluspakket voor zijn telefoon.", "none"),
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
    # --- session 23 -------------------------------------------------------------------
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

# Register rows (qualification, article), the default rules.
QUALIFICATIONS = [
    # the Flemish 'plus' step-family words (default 1.17.0)
    ("mishandeling van zijn pluszoon", "300 Sr", "child"),
    # step-uncles, -aunts and -cousins (default 1.18.0)
    ("ontucht met zijn stiefnicht", "", "other_family"),
    # grammar 1.11.0 read 'jegens' as a genitive name ("Harry's vrouw") and gave none
    ("bedreiging jegens echtgenote", "", "partner"),
    ("belaging jegens ex-vriendin", "", "ex_partner"),
    # a real genitive name still points at somebody else
    ("mishandeling van Harrys vrouw", "", "none"),
    # unfaithful partners (default 1.19.0)
    ("mishandeling van zijn overspelige vrouw", "", "partner"),
    # former in-laws (default 1.20.0): "(ex) schoondochter" is no "zijn ex"
    ("aanranding van zijn (ex) schoondochter", "", "other_family"),
    ("mishandeling van zijn ex-schoonzoon", "", "other_family"),
    # an ex before a partner word is still an ex-partner
    ("mishandeling van zijn ex vriendin", "", "ex_partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("qualification, article, label", QUALIFICATIONS)
def test_register_mode(tag_qualification, qualification, article, label):
    assert tag_qualification(qualification, article)["pv_label"] == label


def test_preposition_in_s_in_text_mode(tag_one):
    # grammar 1.12.0: "wegens" is no genitive name, so the partner phrase is the offender's
    row = tag_one("Een man werd veroordeeld wegens verkrachting binnen het huwelijk.")
    assert row["pv_label"] == "partner"
    assert "relative of somebody else" not in row["pv_evidence"]
