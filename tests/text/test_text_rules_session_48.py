"""Written cases of round-2 session 48 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From the train errors:

* text rules 1.88.0: a couple after the verb with a person word as the subject ("stootten
  de man en zijn vriendin op ...") act together, neither is the other's victim; a
  partner with whom the offender fled ("met zijn vriendin op de vlucht") is a companion,
  not the victim (one who sat with somebody is not: "Ze zat met haar man op de bank. Hij
  sloeg haar."); a
  son or daughter of somebody named ("Pieter, zoon van Maarten") is identified by
  parentage, the parent is a third person.

From batches KK, KL, KM, KN and KO after their unseen scores:

* text rules 1.89.0: "nu" and "thans" are modifiers ("zijn nu 19-jarige dochter"); a
  relative clause "die haar ... misbruikte" tells the offence of the relative named
  before it; the offender's state of mind after a relative's death ("gefrustreerd na de
  dood van zijn stiefdochter") makes that relative no victim.

From batches KP, KQ, KR, KS and KT after their unseen scores:

* text rules 1.90.0: present-tense offence verbs (schopt, trapt, wurgt, stalkt, belaagt,
  vermoordt, molesteert, verwondt) are offence cues; foster parents accused ("staan de
  pleegouders ... terecht voor zware mishandeling") hurt their foster child.

From batches KU, KV, KW, KX and KY after their unseen scores:

* text rules 1.91.0: hammer blows are offence cues ("Door de toegebrachte hamerslagen is de
  toestand van zijn 62-jarige stiefvader kritiek"); the victim's parent who admits the
  offence is the offender ("De vader van het slachtoffer gaf toe dat hij ... had
  geschud"); a childhood friend of the narrator's relative is no relative ("een
  jeugdvriend van mijn oom"); text.trap.child_of_named no longer reads a son or daughter
  after a possessive ("haar dochtertje van toen 23 dagen oud" is hers)."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the couple after the verb, a person word as the subject ---
    ("Op de markt stootten de man en zijn vriendin op een groep jongeren. Een van de "
     "jongeren werd neergestoken.", "none"),
    ("Op de markt stootte de man zijn vriendin van de trap.", "partner"),
    # --- a partner with whom he fled or sat somewhere ---
    ("Hij stak de jongen neer en sloeg daarna met zijn vriendin op de vlucht.", "none"),
    ("Ze zat met haar man op de bank. Hij sloeg haar.", "partner"),
    ("Hij kreeg ruzie met zijn vriendin en sloeg haar.", "partner"),
    # --- a son or daughter of somebody named ---
    ("Die avond overleed Pieter, zoon van Maarten, aan een messteek. Die was hem toegebracht "
     "door Hans.", "none"),
    ("Hij sloeg de zoon van verdachte.", "child"),
    ("De man heeft zijn baby van slechts drie maanden ernstig letsel toegebracht.", "child"),
    ("Hij heeft het jongste kind van partijen met messteken gedood.", "child"),
    ("Een vrouw is veroordeeld voor poging tot doodslag op haar dochtertje van toen 23 dagen "
     "oud.", "child"),
    ("Hij moest zich verantwoorden nadat hij zijn zoontje van enkele maanden oud door elkaar "
     "had geschud.", "child"),
    # --- "nu" as a modifier ---
    ("Hij wordt beschuldigd van ontucht - van 1995 tot 2001 - met zijn nu 19-jarige dochter "
     "Eva.", "child"),
    # --- a relative clause that tells the relative's offence ---
    ("Miranda gaat in gesprek met haar tien jaar oudere neef, die haar van haar vierde tot "
     "haar dertiende misbruikte.", "other_family"),
    ("De moeder zag de jongen die haar zoon doodstak in de rechtszaal.", "none"),
    # --- a relative's death as the motive of an offence against somebody else ---
    ("De man filmde het huis van de burgemeester en hoopte op een aanslag. De man raakte "
     "gefrustreerd na de gruwelijke dood van zijn stiefdochter.", "none"),
    ("Hij plaatste de beelden online, samen met een bericht waarin hij zegt te hopen op een "
     "aanslag. Hij raakte verbitterd na de dood van zijn zoon.", "none"),
    ("Hij werd veroordeeld voor de dood van zijn stiefdochter.", "child"),
    # --- present-tense offence verbs ---
    ("Hij krijgt geen hulp in het huishouden en verliest zichzelf. Hij schopt zijn moeder "
     "tot twee keer toe. Hij voelt zich slachtoffer van de situatie.", "parent"),
    # --- foster parents accused ---
    ("Donderdag staan de pleegouders Johnny van den B. en Daisy W. terecht voor zware "
     "mishandeling. Het 10-jarige meisje lag in coma.", "child"),
    ("Donderdag staat de buurman terecht voor zware mishandeling.", "none"),
    # --- hammer blows ---
    ("De onderzoeksrechter heeft een man aangehouden op verdenking van moordpoging. Door de "
     "toegebrachte hamerslagen is de toestand van zijn 62-jarige stiefvader nog altijd "
     "kritiek.", "parent"),
    # --- the victim's parent admits ---
    ("Een baby was opgenomen met het shakenbabysyndroom. De vader van het slachtoffer gaf toe "
     "dat hij eerder ook al stevig had geschud.", "child"),
    ("De vader van het slachtoffer vertelde dat de buurman de jongen sloeg.", "none"),
    # --- a friend of the narrator's relative ---
    ("Ik kende hem, hij was een jeugdvriend van mijn oom. Hij legde zijn hand op mijn "
     "bovenbeen en betastte mij.", "none"),
    ("Mijn oom betastte mij.", "other_family"),
]

# register mode reads no companions: a qualification keeps its relationship word
REGISTER = [
    ("mishandeling van zijn vriendin", "partner"),
    # the modifier list is shared with the register grammar
    ("ontucht met zijn nu 19-jarige dochter", "child"),
    ("ontucht met zijn thans 19-jarige dochter", "child"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
