"""Written cases of round-2 session 47 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From the train errors and from batches JY, JZ, KA and KB after their unseen scores:

* text rules 1.84.0: an offender introduced as a person word with a relative clause
  whose possessive cannot point back at that person ("de jongen die haar zoon
  doodstak") hurt somebody else's relative; the person arrested told in a sentence of
  its own to be the victim's son ("Hij is de zoon van het slachtoffer") is the offender;
  a pronoun and his or her partner as the subject of a passive offence are co-victims;
  somebody's partner sitting in the car the victim fled into is present, not hurt; the
  victim's parents who found out about the abuse are not its victims.

From batches KC, KD, KE and KF after their unseen scores:

* text rules 1.85.0: a statistic of killings "linked to" partner violence tells nothing
  of the case beside it; the offender's relationship with the victim's partner makes the
  victim a rival (no "relationele sfeer" between them, no ended relationship); the
  accused and the victim "halfzussen van elkaar" are siblings; the victim's children told
  that the accused is their father make him her partner; a relative taken away by armed
  men is their victim; a relative's death told with its year is no offence; relatives
  "in aanwezigheid van de kinderen" are witnesses.

From the train errors of the time cues:

* text rules 1.86.0: "ze gingen uiteen" ends a relationship, and so does a relationship
  ended in a relative clause with a time adverbial ("een relatie, die ze na vijf weken
  verbreekt").

From batches KG, KH, KI and KJ after their unseen scores:

* text rules 1.86.0: "tijdens hun 13 maanden durende relatie" is a current cue; the
  partner of somebody named who speaks after a quote is no party; armed men as the
  subject who took a relative hurt that relative; "Haar vader was verslaafd ... en
  mishandelde haar moeder" is violence between the parents."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- an offender with a relative clause and a possessive of somebody else ---
    ("De moeder zag de jongen die haar zoon doodstak in de rechtszaal.", "none"),
    ("De vrouw die zijn vader mishandelde werd aangehouden.", "none"),
    ("De man die zijn vrouw doodstak werd aangehouden.", "partner"),
    ("De vrouw die haar zoon mishandelde werd aangehouden.", "child"),
    ("De man die zijn zoon sloeg werd aangehouden.", "child"),
    ("Zijn zoon werd aangehouden.", "parent"),
    # --- the person arrested told to be the victim's son or father ---
    ("De man die is aangehouden na de vondst van een lichaam heeft de moord bekend. Hij is "
     "de zoon van het 74-jarige slachtoffer.", "parent"),
    ("De man die is aangehouden na de vondst van een lichaam heeft de moord bekend. Hij is "
     "de vader van het slachtoffer.", "child"),
    ("De man die is aangehouden na de vondst van een lichaam heeft de moord bekend. Hij is "
     "de buurman van het slachtoffer.", "none"),
    # --- a pronoun and her partner as co-victims of a passive offence ---
    ("Hij wilde zijn zus doden. De vrouw was net gehoord toen zij en haar vriend op straat "
     "werden beschoten.", "other_family"),
    ("Zij en haar vriend werden op straat beschoten.", "none"),
    ("Hij schoot op zijn vriendin.", "partner"),
    # --- a partner sitting in the car the victim fled into ---
    ("De fotograaf werd bedreigd en trok zich terug in zijn auto, waarin ook zijn vriendin "
     "zat.", "none"),
    ("De man bedreigde zijn vriendin in de auto.", "partner"),
    # --- the victim's parents who found out ---
    ("Het meisje is misbruikt door een trainer, totdat haar ouders achter het misbruik "
     "komen.", "none"),
    ("Het meisje is misbruikt door haar vader.", "child"),
    # --- a statistic of partner violence beside an ex-partner case ---
    ("Ze werd maandenlang gestalkt door haar ex-vriend, tot die haar doodstak. Elk jaar zijn "
     "150 moorden gelinkt aan partnergeweld.", "ex_partner"),
    ("Ze werd het slachtoffer van partnergeweld door haar ex-vriend.", "partner"),
    # --- the offender's affair with the victim's partner ---
    ("Er ging een ruzie in de relationele sfeer vooraf aan de schietpartij: de schutter zou "
     "een relatie hebben gehad met de vrouw van het slachtoffer.", "none"),
    ("Er ging een ruzie in de relationele sfeer vooraf aan de schietpartij.", "partner"),
    # --- relatives "van elkaar" ---
    ("De verdachte en het slachtoffer van de steekpartij zijn halfzussen van elkaar.",
     "other_family"),
    ("De verdachte en het slachtoffer van de steekpartij zijn buren van elkaar.", "none"),
    # --- the victim's children told that the accused is their father ---
    ("De kinderen van de 84-jarige vrouw die werd doodgestoken zijn verdrietig. De verdachte "
     "is hun hoogbejaarde vader.", "partner"),
    # --- a relative taken away by armed men ---
    ("Een getuige verklaarde dat haar man uit huis werd gehaald door gewapende mannen.",
     "none"),
    ("Een getuige verklaarde dat haar man haar had geslagen.", "partner"),
    # --- a relative's death told with its year ---
    ("Hij zat in de gevangenis voor de moord op een vrouw. Zijn vader overleed in 2009.",
     "none"),
    ("Hij sloeg zijn vader in 2009.", "parent"),
    # --- a relationship ended: "uiteen", and in a relative clause with a time adverbial ---
    ("De man was getrouwd met een vrouw, maar ze gingen uiteen. De man verborg een camera "
     "waarmee de vrouw naakt gefilmd kon worden.", "ex_partner"),
    ("Ze hadden een relatie, die ze na vijf weken verbreekt. Daarna blijft hij haar nog "
     "jaren mailen.", "ex_partner"),
    ("De groepen gingen uiteen nadat de politie kwam. Een man sloeg een agent.", "none"),
    # --- the length of the relationship during which the abuse took place ---
    ("Zijn ex-partner verklaarde dat hij haar sloeg tijdens hun 13 maanden durende relatie.",
     "partner"),
    ("Hij sloeg zijn ex-partner.", "ex_partner"),
    # --- the partner of somebody named as the speaker ---
    ("“Je liep al weken met dat wapen op zak”, zei de partner van Hoefdraad. Hoefdraad werd "
     "door zijn hoofd geschoten.", "none"),
    # --- armed men who took a relative ---
    ("Zes gewapende mannen hadden vader Obi op donderdag ontvoerd.", "none"),
    # --- the father the subject of a main clause, the mother the object ---
    ("Haar vader was verslaafd aan alcohol en mishandelde haar moeder.", "partner"),
    ("Een man schoot zijn vader dood, verwondde zijn moeder en stak het huis in brand.",
     "parent"),
]

# register mode reads no relative clauses: a qualification keeps its relationship word
REGISTER = [
    ("mishandeling van zijn zoon", "child"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
