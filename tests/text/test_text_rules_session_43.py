"""Written cases of round-2 session 43 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batches IL, IM, IN, IO, IP, IQ and IR after their unseen scores:

* text rules 1.75.0: a killing told with "om het leven gebracht door" names its agent;
  beheading ("onthoofd") and luring ("lokte") are offence words, and blows dealt "aan"
  somebody mark the victim; the victim's relative named as the (suspected) offender with
  a copula ("zou de zoon van de man de vermoedelijke dader zijn") is the offender; a
  relative hurt by a stranger with the agent before the verb ("toen haar echtgenoot door
  een onbekende werd vermoord") was that stranger's victim; a couple stating something
  or being somewhere, and relatives told as also present, are companions; a relative
  aimed at but missed ("maar raakte iemand anders") is not the person hurt; a first-person
  "mijn man" taken up by "sloeg hij me" is the partner; a parent word in the genitive
  ("haar vaders broer") names a further relative; the charge "een moedermoord" names the
  victim;
* default preset 1.38.0: "zijn broeder" is a brother, in both modes.

From batches IT, IU and IW after their unseen scores:

* text rules 1.76.0: a return to the partner after the end of the relationship dates
  what follows inside the renewed relationship; a relationship told as full of violence
  is the partner's; the narrator's parents without an article ("Vader ... moeder te
  wurgen") are a couple; a threat on condition that the victim come back names an
  ex-partner; a couple that had split up before is a former couple; the victim's
  partner hurt as well is no victim of the offender's tie;
  the couple's son told as involved is the accused."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- a killing with its agent: "om het leven gebracht door" ---
    ("De moord op de 70-jarige Anna schokte het dorp. Op 3 mei werd zij om het leven "
     "gebracht door haar zoon.", "parent"),
    ("Op 3 mei werd de vrouw om het leven gebracht door een inbreker.", "none"),
    # --- beheading ---
    ("De moord op het meisje leidde tot protesten. Ze werd door haar vader in haar "
     "slaap onthoofd.", "child"),
    ("Hij heeft zijn broer onthoofd.", "other_family"),
    # --- the victim's relative named as the offender with a copula ---
    ("Een 65-jarige man is in Italië doodgestoken. Volgens de media zou de zoon van de "
     "man de vermoedelijke dader zijn.", "parent"),
    ("Een 65-jarige man is in Italië doodgestoken. Volgens de media zou de buurman van "
     "de man de vermoedelijke dader zijn.", "none"),
    ("Het meisje werd dood gevonden. Volgens de politie zou de vader van het meisje de "
     "dader zijn.", "child"),
    ("De man werd doodgestoken. Volgens de politie is de broer van het slachtoffer de "
     "vermoedelijke dader.", "other_family"),
    # --- a relative hurt by a stranger, the agent before the verb ---
    ("Ze was net bevallen toen haar echtgenoot door een onbekende werd vermoord.", "none"),
    ("Ze was net bevallen toen haar echtgenoot haar met een mes stak.", "partner"),
    # --- a couple stating something or being somewhere; relatives also present ---
    ("F. en zijn partner hadden verklaard dat ze ruzie hadden gekregen met een "
     "landgenoot. Die sloeg F. met een ijzeren staaf.", "none"),
    ("Jan en zijn partner Els waren er met hun hond. Een jongen sloeg Jan neer.", "none"),
    ("Rovers drongen de woning binnen. In die woning waren ook zijn echtgenote en zijn "
     "schoonmoeder aanwezig. De rovers doodden de man.", "none"),
    # --- a missed target ---
    ("De man schoot op zijn vrouw, maar raakte iemand anders.", "none"),
    ("De man schoot op zijn vrouw en raakte haar in de arm.", "partner"),
    # --- blows dealt to somebody ---
    ("Zij kreeg cel voor de slag die ze uitdeelde aan een leerkracht. Ze was boos over "
     "een straf van haar dochter.", "none"),
    ("Hij kreeg cel voor de klappen die hij uitdeelde aan zijn dochter.", "child"),
    # --- luring somebody ---
    ("Ze had een moordlijst gemaakt. Ook haar moeder en broer stonden op de lijst. Ze "
     "lokte haar beste vriendin met een smoes naar een bos om haar neer te steken.", "none"),
    ("Hij lokte zijn stiefmoeder naar buiten en sloeg haar met een bijl.", "parent"),
    # --- the partner taken up by a pronoun, first person ---
    ("In 1971 kreeg mijn man een relatie met een collega. Toen ik hem ter "
     "verantwoording riep, sloeg hij me in mijn gezicht.", "partner"),
    ("Mijn man was op zijn werk. Een inbreker sloeg me neer.", "none"),
    # --- a parent word in the genitive ---
    ("Ze werd op bevel van haar vaders broer gevangengezet.", "other_family"),
    ("Hij sloeg zijn vader.", "parent"),
    # --- the old word for a brother ---
    ("Hij versloeg zijn broeder en nam hem gevangen.", "other_family"),
    ("Een ambulancebroeder werd door de man geslagen.", "none"),
    # --- the charge with "een" ---
    ("De bladen berichtten over een moord, een moedermoord, in Peperga.", "parent"),
    ("De bladen berichtten over een moord in Peperga.", "none"),
    # --- a return to the partner after the end of the relationship ---
    ("Ze keerde een jaar na het einde van hun relatie weer bij hem terug. Weken later "
     "duwde hij haar tegen een deur.", "partner"),
    ("Na het einde van hun relatie duwde hij haar tegen een deur.", "ex_partner"),
    # --- a relationship full of violence ---
    ("Ik leefde acht jaar in een relatie vol geweld. Zelfs mijn zus wist het niet.", "partner"),
    ("Hij sloeg zijn zus.", "other_family"),
    # --- the couple's son told as involved ---
    ("De ouders werden doodgestoken. Volgens bronnen was de zoon van het stel hierbij "
     "betrokken.", "parent"),
    ("Het echtpaar werd doodgestoken. De buurman van het stel werd opgepakt.", "none"),
    # --- the narrator's parents without an article ---
    ("Het huwelijk was slecht. Vader, die dronken was, probeerde moeder te wurgen.", "partner"),
    ("Hij probeerde zijn moeder te wurgen.", "parent"),
    # --- a demand to come back ---
    ("Hij dreigde mijn familie iets aan te doen als ik niet bij hem terugkwam.", "ex_partner"),
    ("Hij dreigde mijn familie iets aan te doen.", "none"),
    # --- the victim's partner hurt as well ---
    ("Een vrouw is ernstig gewond geraakt nadat een man haar in brand stak. Ook de "
     "partner van de vrouw en de chauffeur raakten gewond.", "none"),
    ("Hij stak zijn vrouw in brand.", "partner"),
    # --- a couple that had split up before ---
    ("Het stel bleek een maand eerder uit elkaar te zijn gegaan. Daarna werd zij met "
     "een doorgesneden keel gevonden.", "ex_partner"),
    ("Hij sneed zijn vriendin de keel door.", "partner"),
]

REGISTER = [
    ("mishandeling van zijn broeder", "other_family"),
    ("mishandeling van zijn broer", "other_family"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
