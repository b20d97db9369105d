"""Written cases of round-2 session 36 (not corpus items). In each group the first case
fails on the text rules before its version; the others guard what must stay.

Text rules 1.62.0, from batches FB and FE after their unseen scores: the child's mother
named in apposition as the accused's partner makes the child his partner's child; a
relationship told in the first person by one of the two ("we hadden verkering").
Text rules 1.63.0, from batches FI and FJ: children counted without a possessive; the
parent named bare who reported the offence; a relative introduced with "een" as the
speaker; sexual touching told in the active perfect with its object before it."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- text rules 1.62.0: the child's mother, in apposition, is the accused's partner ---
    ("Het kindje van één jaar raakte als gevolg van de mishandeling verlamd. Op die "
     "ochtend zit de baby in de "
     "box, terwijl haar moeder, de toenmalige vriendin van de verdachte, in de badkamer "
     "is. Op dat moment is de verdachte bij de baby.", "child"),
    # the partner hurt herself stays the victim
    ("Hij sloeg zijn vriendin. Haar moeder, de vriendin van de verdachte, was erbij.",
     "partner"),
    # --- a relationship told in the first person ---
    ("\"Met dit meisje was het anders\", vertelt de verdachte over het misbruik. \"Ik was "
     "zelf ook pas 17 en we hadden verkering.\"", "partner"),
    ("Hij misbruikte het meisje. \"We hadden een relatie\", zegt de verdachte.", "partner"),
    # a business relationship is none
    ("Hij sloeg de man. \"We hadden een zakelijke relatie\", zegt de verdachte.", "none"),
    # --- text rules 1.63.0: children counted without a possessive ---
    ("Een verwarde man heeft op het schoolplein een aantal kinderen bedreigd met een mes.",
     "none"),
    ("Een man zou zich hebben vergrepen aan meerdere kinderen uit de buurt.", "none"),
    # a chain after the words decides
    ("Hij heeft enkele kinderen van zijn vriendin misbruikt.", "child"),
    # his own children, with a possessive or a numeral, stay his
    ("Hij heeft zijn twee kinderen mishandeld.", "child"),
    # --- the parent named bare who reported the offence ---
    ("De leraar pakte de jongen bij zijn lurven en gaf hem een oorvijg. De vader deed "
     "aangifte bij de politie.", "none"),
    # a relative with a possessive who reports may be the victim
    ("Hij sloeg zijn moeder. Zijn moeder deed aangifte.", "parent"),
    # --- a relative introduced with "een" as the speaker ---
    ("\"Hij zei dat hij haar dood zou maken\", vertelt een geschrokken vader.", "none"),
    # --- sexual touching in the active perfect, its object before it ---
    ("De vader is inmiddels 77 jaar. Hij bekent dat hij zijn dochter jarenlang heeft "
     "betast. Maar hij zegt dat hij haar nooit heeft verkracht.", "child"),
]

# the cues are text-mode rules (register mode reads no cues or time words)
test_text_mode, _ = case_tests(TEXTS, [])
