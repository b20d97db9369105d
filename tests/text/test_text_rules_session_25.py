"""Written cases of round-2 session 25 (not corpus items): text rules 1.27.0, grammar
1.16.0. In each group the first case fails on the versions before it, the others guard
what must stay.

From batch AQ after its unseen score: a divorce applied for is not yet granted (the couple
was married at the offence); from batch AS after its unseen score: care staff are strangers
(grammar 1.16.0), a partner given a sentence is a co-offender, the couple told by the
police's hedged "De twee zouden een relatie hebben". The sections "helper R25A" and "helper
R25B" hold the cases of the session's two rule helpers (from the train errors; their first
cases fail on main 346cdb7): R25A, whose relative is the victim, the partner or a child (a
partner word beside a child victim names the offender, a co-accused, a companion or a
reporter; a family word beside a partner victim names the couple from a child's side);
R25B, the time of the relationship told by the victim's account at the time ("dat haar
vriend de boosdoener was") or as over ("nadat de verkering uit was"), partner words that
name no victim (people present at the offence, "naar hem en zijn vrouw", the ex of the
victim's relative as the agent, "diens", a good friend named next to the offence), a
couple told by their civil matters or by a domestic quarrel between "de man" and "de
vrouw"; "partnergeweld" is guarded as no time cue. One text table and one register table
for the whole session, as for sessions 22 to 24."""

from __future__ import annotations

from written_cases import case_tests

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
    # --- helper R25A (from the train errors): whose relative is the victim ---
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
    # (family, not partner; session 26 reads the father as the one who did it: child)
    ("Mijn vader gaf me een klap.", "child"),
    ("Mijn vader sloeg me. Onze relatie was slecht.", "child"),
    # children withheld from custody, without the consent of the partner
    # (text.child.withheld_from_custody, text.trap.consent_of_partner)
    ("Verdachte en X waren gehuwd. Verdachte heeft de kinderen onttrokken aan het gezag door "
     "ze zonder toestemming van zijn echtgenote mee te nemen naar het buitenland.", "child"),
    ("Hij sloeg zijn echtgenote.", "partner"),
    # --- helper R25B (from the train errors): the time of the relationship, partner
    # words that name no victim ---
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

QUALIFICATIONS = [
    # care staff are strangers in register mode too (the grammar is shared)
    ("mishandeling van de psychiater van zijn echtgenote", "none"),
    ("mishandeling van zijn echtgenote", "partner"),
]


test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)


def test_killing_reading_is_named_in_the_evidence(tag_one):
    row = tag_one("Een man heeft zijn 15-jarige zoon vermoord. De dader had ruzie met zijn "
                  "vrouw en mishandelde haar ernstig.")
    assert "next to a killing" in row["pv_evidence"]
