"""Written cases of round-2 session 27 (not corpus items): text rules 1.29.0. In each group
the first case fails on the versions before it, the others guard what must stay.

A possessive kin phrase outranks a bare kin noun of the other direction (the
possessive-kin step of the text matcher): "de zoon" or "vader A." names a relative but
not whose, and in news it is as often the offender ("De 32-jarige zoon diende zijn vader
van 53 jaar een zware slag toe"); "zijn vader" says whose relative the victim is.

From batches BC, BD, BE and BF after their unseen scores: the accused named as the
(step)parent of a child or a suspect; the couple's child hurt by a partner named by a
genitive; a couple sentenced together with the verb first; thieves in a relative's home;
a weapon aimed at somebody, "tekeer tegen", "schepte"; neighbours across the street and
fellow campers as strangers."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the possessive-kin step ---
    # a bare son and his father: the father is the victim (was child)
    ("De 32-jarige zoon diende zijn vader een zware slag toe.", "parent"),
    ("De jongen stak zijn beide ouders dood. De slachtoffers hadden drie zoons.", "parent"),
    # a bare mother and her son: the son is the victim
    ("De moeder nam haar zoontje mee naar het buitenland.", "child"),
    # a possessive phrase before an object pronoun is the subject: it is passed over
    ("De dochter vertelde wat haar vader haar als kind heeft aangedaan.", "child"),
    ("De zoon zei dat zijn moeder hem vaak sloeg.", "child"),
    # a possessive of the decided label keeps the decision
    ("De vader sloeg zijn zoon en zijn dochter keek toe.", "child"),
    ("Hij sloeg zijn moeder. Haar zoon werd aangehouden.", "parent"),
    # a bare kin noun alone keeps its label (register reading of a qualification)
    ("Mishandeling van de vader.", "parent"),
    ("Hij sloeg de zoon van de buurman.", "none"),
    # partners are not touched
    ("De vader sloeg zijn vrouw.", "partner"),
    # --- from batches BC, BD, BE and BF ---
    # the accused named as the (step)parent of a child named by age
    ("Hij zag hoe de vrouw de jongen sloeg. De vrouw is de stiefmoeder van de jongen.",
     "child"),
    ("De man is naar verluidt de vader van het meisje. Hij mishandelde haar.", "child"),
    # ... not a relative of another adult
    ("De vrouw is de moeder van de verdachte. Hij sloeg de buurman.", "none"),
    # a relative named a suspect
    ("Het slachtoffer kwam om het leven. Haar zoon is als verdachte aangemerkt.", "parent"),
    ("De baby overleed. Zijn vader werd als verdachte aangemerkt.", "child"),
    # the couple's child hurt by a partner named by a genitive
    ("De ex-partner van Sim schudde hun zoontje hard door elkaar.", "child"),
    ("De partner van Lisa sloeg hun dochter.", "child"),
    # a couple sentenced together, the verb first
    ("Toen werden de 45-jarige man en zijn 44-jarige vrouw veroordeeld. Het echtpaar stal "
     "geld van hun buurman.", "none"),
    # ... a couple in the usual order still reads the man's offence against his wife
    ("De man werd veroordeeld voor mishandeling van zijn vrouw.", "partner"),
    # thieves who emptied a relative's home
    ("Hij zag hoe vier dieven het huis van zijn moeder leegroofden.", "none"),
    ("Hij beroofde zijn moeder in haar huis.", "parent"),
    # a weapon aimed at somebody, raging against somebody, hit by a car
    ("De vrouw vluchtte met haar kind. De man richtte zijn vuurwapen op de agenten.",
     "none"),
    ("Hij ging tekeer tegen de campinggasten en schepte een campinggast. Zijn vrouw zat "
     "thuis.", "none"),
    ("Hij stak de overbuurman neer. Zijn vrouw keek toe.", "none"),
    ("Hij richtte een pistool op zijn vrouw.", "partner"),
    # --- from batches BI and BJ ---
    # the affair told by the victim's lawyer (text.trap.affair)
    ("Hij dacht dat mijn cliënt een relatie had met zijn echtgenote. Hij sloeg hem.",
     "none"),
    ("Hij had een relatie met zijn vriendin en sloeg haar.", "partner"),
    # siblings named as a group (text.trap.kin_pair)
    ("De broers beweren dat hun collega hen heeft geslagen.", "none"),
    ("De 2 broers reden zijn taxi klem en de oudste broer schoot hem neer.", "none"),
    ("Hij sloeg zijn broers.", "other_family"),
    # a couple in proceedings (text.trap.companion)
    ("De man en zijn echtgenoot voerden procedures tegen de ambtenaren.", "none"),
    # "voor het oog van" (text.trap.witness)
    ("Hij greep voor het oog van zijn kinderen de handhaver bij de keel.", "none"),
    ("Hij sloeg zijn kinderen voor het oog van de buren.", "child"),
    # fire set in a relative's home (offence cue)
    ("Hij wordt verdacht van brandstichting. Hij stichtte brand in het huis van zijn "
     "zwager. Zijn geld is weggenomen door de vrouw van zijn zwager.", "other_family"),
    # contact words: a classmate of her son
    ("Een klasgenootje van haar zoon werd door hem geslagen.", "none"),
]

QUALIFICATIONS = [
    # a text-mode step (as the salience and time steps): register labels stay
    ("Mishandeling vader", "parent"),
    ("Mishandeling van zijn zoon", "child"),
]


test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)


def test_the_possessive_decides_and_the_bare_noun_stays_evidence():
    import pv_identify as pv

    exp = pv.Tagger("default").explain_text(
        "De 32-jarige zoon diende zijn vader een zware slag toe.")
    assert exp.output["pv_label"] == "parent"
    assert "zijn vader" in exp.output["pv_evidence"]
    assert "zoon" in exp.output["pv_evidence"].replace("zijn vader", "")
