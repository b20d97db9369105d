"""Written cases of round-2 session 25, helper R25B (not corpus items), from the train
errors: the time of the relationship told by the victim's account at the time ("dat
haar vriend de boosdoener was"), a relationship told as over ("nadat de verkering uit
was"); partner words that name no victim (people present at the offence, "naar hem en
zijn vrouw", the ex of the victim's relative as the agent, the partner of somebody's
relative introduced with "diens", a good friend named next to the offence); a couple
told by their civil matters (partneralimentatie, huwelijksgemeenschap) or by a domestic
quarrel between "de man" and "de vrouw". In each group the first case fails on main
346cdb7, the others guard what must stay; "partnergeweld" is guarded as no time cue."""

from __future__ import annotations

import pytest

TEXTS = [
    # "partnergeweld" does not tell that the relationship was current: Flemish news names
    # violence against an ex-partner so too (a rule reading it so was tried and dropped)
    ("Een man uit Gent is veroordeeld voor partnergeweld tegen zijn ex-vrouw.", "ex_partner"),
    ("Partnergeweld: man belaagt ex-vriendin al maanden.", "ex_partner"),
    ("Hij werd veroordeeld voor partnergeweld tegen zijn vrouw.", "partner"),
    # the victim's account at the time names the offender by a partner word
    # (text.time.partner_accused_then)
    ("Zijn ex belandde met een gebroken neus in het ziekenhuis. Ze vertelde dat haar vriend "
     "de boosdoener was.", "partner"),
    ("Zijn ex belandde met een gebroken neus in het ziekenhuis. Ze vertelde dat haar vriend "
     "de dader was.", "partner"),
    # without it the ex word still names the partner as she is today
    ("Hij sloeg zijn vrouw. Zijn ex-vrouw zei dat hij agressief was.", "ex_partner"),
    # a relationship told as over (text.time.ended_over)
    ("Ze stuurde hem een naaktfoto. Nadat de verkering uit was, verspreidde hij de foto.",
     "ex_partner"),
    ("Toen hun relatie over was, bleef hij haar stalken.", "ex_partner"),
    # "uit" before the relation word is no cue
    ("Uit de relatie zijn twee kinderen geboren. Hij sloeg zijn vrouw.", "partner"),
    # people present at the offence are its witnesses (text.trap.present_at_offence)
    ("Het slachtoffer werd in zijn woning door zijn vriend gedood. Er ontstond ruzie en de "
     "vriend van het slachtoffer zou hebben uitgehaald met een mes. De vriendin van de "
     "beklaagde en zijn vader waren aanwezig tijdens de feiten.", "none"),
    ("De man stak de buurman neer. Zijn vrouw en zijn zoon waren aanwezig.", "none"),
    ("Hij stak zijn vrouw neer terwijl zijn zoon aanwezig was.", "partner"),
    # "hem en zijn vrouw" as the ones the offence was aimed at
    # (text.trap.pronoun_and_partner)
    ("Hij vond dat de overburen naar hem en zijn vrouw gluurden. Hij begon te schreeuwen "
     "en te dreigen.", "none"),
    ("Zij bedreigde hem en zijn vriendin met een mes.", "none"),
    # not after "tussen": the offender and his wife
    ("Er is iets veranderd tussen hem en zijn vrouw. Hij sloeg haar.", "partner"),
    # the ex of the victim's relative as the agent (text.trap.relatives_ex_as_agent)
    ("Mijn vader is in 2003 om het leven gebracht. Hij is vermoord door de ex-vriend van "
     "mijn zus.", "none"),
    ("Zij werd mishandeld door de ex-man van haar zus.", "none"),
    # the current partner of a relative and the victim's own ex keep their labels
    ("Ze werd jarenlang misbruikt door de vriend van haar moeder.", "other_family"),
    ("Zij werd mishandeld door haar ex-man.", "ex_partner"),
    # the partner of somebody's relative introduced with "diens"
    # (text.trap.third_party_partner)
    ("Hij legde een dreigbrief bij zijn buren, in wiens huis ook diens dochter Anna met "
     "haar man woonde.", "none"),
    # a good friend named next to the offence (text.victim.good_friend) and a shot through
    # the head as an offence cue (text.victim.cue_shot_through)
    ("De jury achtte bewezen dat hij zijn goede vriendin Susan in 2000 door het hoofd "
     "schoot. Zij zou getuigen over de verdwijning van zijn eerste vrouw.", "none"),
    ("Hij heeft zijn beste vriend mishandeld. Zijn vrouw was er niet bij.", "none"),
    ("Hij heeft zijn vrouw door het hoofd geschoten.", "partner"),
    # "zich vergrijpen aan een vrouw" with the auxiliary between
    # (text.victim.indefinite_person_abused)
    ("Het proces tegen tientallen mannen die zich vergrepen hebben aan een vrouw die "
     "jarenlang door haar echtgenoot werd gedrogeerd.", "none"),
    ("Hij heeft zich jarenlang vergrepen aan zijn dochter.", "child"),
    # a couple told by their civil matters (text.partner.marital_matters)
    ("Nihilstelling partneralimentatie wegens grievend gedrag. Vrouw heeft onderbouwd dat "
     "zij door de man psychisch is mishandeld.", "partner"),
    ("Door het overlijden van de vrouw is de huwelijksgemeenschap ontbonden. De man is "
     "veroordeeld voor de moord op de vrouw.", "partner"),
    # only beside "de man" or "de vrouw", the parties of such a ruling
    ("De echtscheidingsprocedure liep nog toen hij de advocaat van de tegenpartij bedreigde.",
     "none"),
    ("Over de partneralimentatie ontstond ruzie; hij bedreigde de advocaat van de tegenpartij.",
     "none"),
    # priority 10: a relationship word of the text decides first
    ("De huwelijksgemeenschap is ontbonden. Hij sloeg zijn dochter.", "child"),
    # a domestic quarrel between "de man" and "de vrouw" (text.partner.domestic_quarrel)
    ("Huiselijke twist waarbij de vrouw de man met een pan heeft geslagen.", "partner"),
    ("Op straat sloeg de man de vrouw met een pan.", "none"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
