"""Written cases of round-2 session 36 (not corpus items). In each group the first case
fails on the text rules before its version; the others guard what must stay.

Text rules 1.62.0, from batches FB and FE after their unseen scores: the child's mother
named in apposition as the accused's partner makes the child his partner's child; a
relationship told in the first person by one of the two ("we hadden verkering")."""

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
]

# the cues are text-mode rules (register mode reads no cues or time words)
test_text_mode, _ = case_tests(TEXTS, [])
