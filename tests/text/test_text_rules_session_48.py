"""Written cases of round-2 session 48 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From the train errors:

* text rules 1.88.0: a couple after the verb with a person word as the subject ("stootten
  de man en zijn vriendin op ...") act together, neither is the other's victim; a
  partner with whom the offender fled ("met zijn vriendin op de vlucht") or sat
  somewhere ("zat met zijn vriendin in de pizzeria") is a companion, not the victim; a
  son or daughter of somebody named ("Pieter, zoon van Maarten") is identified by
  parentage, the parent is a third person."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the couple after the verb, a person word as the subject ---
    ("Op de markt stootten de man en zijn vriendin op een groep jongeren. Een van de "
     "jongeren werd neergestoken.", "none"),
    ("Op de markt stootte de man zijn vriendin van de trap.", "partner"),
    # --- a partner with whom he fled or sat somewhere ---
    ("Hij stak de jongen neer en sloeg daarna met zijn vriendin op de vlucht.", "none"),
    ("Een van de mannen zat met zijn vriendin in de pizzeria toen een groep hem aanviel.",
     "none"),
    ("Hij kreeg ruzie met zijn vriendin en sloeg haar.", "partner"),
    # --- a son or daughter of somebody named ---
    ("Die avond overleed Pieter, zoon van Maarten, aan een messteek. Die was hem toegebracht "
     "door Hans.", "none"),
    ("Hij sloeg de zoon van verdachte.", "child"),
    ("De man heeft zijn baby van slechts drie maanden ernstig letsel toegebracht.", "child"),
    ("Hij heeft het jongste kind van partijen met messteken gedood.", "child"),
]

# register mode reads no companions: a qualification keeps its relationship word
REGISTER = [
    ("mishandeling van zijn vriendin", "partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
