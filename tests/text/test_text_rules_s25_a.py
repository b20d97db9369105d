"""Written cases of round-2 session 25, helper R25A (not corpus items): whose relative is
the victim, the partner or a child? A partner word beside a child victim names the
offender, a co-accused, a companion or a reporter; a family word beside a partner victim
names the couple from a child's side. In each group the first case fails on main 346cdb7;
the others guard what must stay."""

from __future__ import annotations

import pytest

TEXTS = [
    # the couple's child as the object of a clause whose subject is the partner
    # (text.child.couples_child_hurt_by_partner)
    ("Op de beelden zag ze hoe haar partner Mark hun meisje mishandelde.", "child"),
    ("Ze vertelde hoe haar ex-vriend hun zoontje sloeg.", "child"),
    # the partner as the object: no subject phrase, the partner decides
    ("Hij sloeg zijn vrouw en hun zoontje.", "partner"),
    # a partner co-accused with another person (text.trap.co_accused_partner)
    ("Het meisje stierf nadat ze geregeld was mishandeld. Haar moeder en haar toenmalige "
     "vriend Mike zijn allebei veroordeeld voor de dood van het meisje.", "parent"),
    ("De vader mishandelde zijn zoon en zijn vrouw.", "partner"),
    # a bare parent convicted for an offence against "de dochter"
    # (text.child.parent_convicted_for_child): no bare family word for the time step
    ("Na de echtscheiding van de moeder en de vader is de moeder hertrouwd. De vader is "
     "onherroepelijk veroordeeld wegens seksueel misbruik van de dochter.", "child"),
    ("Na de echtscheiding is de vader veroordeeld voor mishandeling van zijn ex-vrouw.",
     "ex_partner"),
    # the accused named as the victim's ex (text.ex_partner.accused_is_victims_ex)
    ("Ze gaf haar man en haar zoon een alibi. Haar zoon is de ex van het slachtoffer en "
     "zou haar hebben gewurgd.", "ex_partner"),
    ("De ex van het slachtoffer verklaarde dat ze bang was.", "none"),
    # the stepparent hurting the children's parent (text.partner.stepparent_hurt_parent)
    ("De stiefvader mishandelde ook de moeder van de twee broertjes.", "partner"),
    ("De stiefmoeder sloeg de vader van het meisje.", "partner"),
    ("De stiefvader mishandelde de twee broertjes.", "parent"),
    # one parent of a named person hurt by the other parent
    ("Renzy's moeder werd voor zijn ogen doodgeschoten door zijn eigen vader.", "partner"),
    ("Zijn moeder werd doodgeschoten door een buurman.", "none"),
    # a relative killed, told first, beside a partner hurt less (salience step,
    # TextMatcher._killed_relative)
    ("Een man heeft zijn 15-jarige zoon vermoord. De dader had ruzie met zijn vrouw en "
     "mishandelde haar ernstig.", "child"),
    ("Ze werd veroordeeld voor de moord op haar moeder en een poging tot moord op haar "
     "echtgenoot.", "parent"),
    # the offence against the partner told first, or the partner killed too
    ("De dader mishandelde zijn vrouw ernstig. Toen hun zoon wilde ingrijpen vermoordde hij "
     "de jongen.", "partner"),
    ("Hij vermoordde zijn vrouw en zijn zoon.", "partner"),
    ("Hij doodde zijn zoon en stak zijn vrouw dood.", "partner"),
    # a figure of speech is no killing
    ("Hij probeerde zijn zoon het leven zuur te maken en bedreigde zijn vrouw.", "partner"),
    # smothering, strangling, poisoning (text.victim.cue_smothered)
    ("Hij bracht het kind naar zijn ex-partner. Volgens de deskundige heeft hij de keel van "
     "zijn kind dichtgeknepen.", "child"),
    ("Ze wordt verdacht van poging tot gifmoord op haar zoontje. Haar ex-partner werd "
     "vrijgelaten.", "child"),
    ("Hij heeft zijn vrouw verstikt.", "partner"),
    # a passive with its agent before "betast" (text.victim.cue_touched_by)
    ("Misschien was het zijn ex-vrouw die haar dat influisterde. De dochter vertelde door "
     "haar vader te zijn betast.", "child"),
    ("Zijn ex-vrouw zei dat de dochter werd betast.", "ex_partner"),
    # a child taken abroad (text.victim.cue_taken_abroad)
    ("De moeder van de ontvoerde Melisa is bang. De gescheiden ouders leven in onmin. De "
     "vader probeerde zijn dochter mee te nemen naar zijn geboorteland.", "child"),
    # only abroad: a trip is no offence, so the daughter stays away from it
    ("Hij sloeg de buurman. Later wilde hij zijn dochter meenemen naar de speeltuin.",
     "none"),
    # "in het mes lopen" (text.victim.cue_into_the_knife)
    ("Die zag zijn vrouw onder het bloed. De vader liep op de trap in het mes van zijn "
     "zoon.", "child"),
    ("Hij liep in het mes van zijn vrouw.", "partner"),
    # the (ex-)partner reporting the abuse of the children
    # (text.child.reported_abuse_of_children)
    ("De kinderen hebben omgang met de ex-partner. De ex-partner heeft aangifte van "
     "mishandeling van de kinderen gedaan tegen klaagster.", "child"),
    ("Zijn ex-partner deed aangifte van mishandeling.", "ex_partner"),
    # a phrase joined by "en" to a salient phrase (salience step, TextMatcher._joined)
    ("Een man duwde zijn kind van 10 maanden en zijn 26-jarige vriendin uit het raam.",
     "partner"),
    ("Een man duwde zijn kind van 10 maanden uit het raam. Zijn vriendin was niet thuis.",
     "child"),
    # a party married to somebody's relative or to the other party
    # (text.partner.married_to_relative), the party's relatives as co-victims
    # (text.trap.co_victim_party)
    ("[geïntimeerde] is gehuwd geweest met de zus van [appellant]. [geïntimeerde] heeft "
     "haar om het leven gebracht.", "partner"),
    ("[appellante] is van 1991 tot 2003 gehuwd geweest met [geïntimeerde]. [geïntimeerde] "
     "is veroordeeld voor het mishandelen van [appellante] en haar beide dochters.",
     "partner"),
    ("Hij is veroordeeld voor het mishandelen van zijn dochters.", "child"),
    # the partner named only as a companion beside a relative (salience step)
    ("Daar werd die dag een jonge vrouw, Fatma (alle namen zijn gefingeerd), doodgeschoten. "
     "Ahmed, haar oudste broer, liep met een geheven pistool op haar af, toen ze met haar "
     "vriend Mustafa het ziekenhuis verliet.", "other_family"),
    ("Ze zat met haar man op de bank. Hij sloeg haar.", "partner"),
    # the victim's first-person account (text.partner.first_person_relationship,
    # text.partner.first_person_blow)
    ("Onze relatie heeft zes jaar geduurd. We hebben twee kinderen. Ook tijdens mijn "
     "zwangerschap mishandelde hij mij.", "partner"),
    ("Mijn eigen man, die altijd voor me klaarstond, gaf me zomaar een klap in mijn "
     "gezicht.", "partner"),
    ("Mijn vader gaf me een klap.", "parent"),
    ("Mijn vader sloeg me. Onze relatie was slecht.", "parent"),
    # children withheld from custody, without the consent of the partner
    # (text.child.withheld_from_custody, text.trap.consent_of_partner)
    ("Verdachte en X waren gehuwd. Verdachte heeft de kinderen onttrokken aan het gezag door "
     "ze zonder toestemming van zijn echtgenote mee te nemen naar het buitenland.", "child"),
    ("Hij sloeg zijn echtgenote.", "partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


def test_killing_reading_is_named_in_the_evidence(tag_one):
    row = tag_one("Een man heeft zijn 15-jarige zoon vermoord. De dader had ruzie met zijn "
                  "vrouw en mishandelde haar ernstig.")
    assert "next to a killing" in row["pv_evidence"]
