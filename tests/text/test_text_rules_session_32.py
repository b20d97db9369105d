"""Written cases of round-2 session 32 (not corpus items). In each group the first case
fails on the versions before it, the others guard what must stay.

Text rules 1.43.0, from the train errors: the relative a message came from, or seemed to
come from (WhatsApp fraud), is not the victim's tie to the offender; a message from an
ex-partner, or a threatening message from a relative, keeps its reading."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the relative a message (seemed to) come from ---
    ("Een vrouw van 70 kreeg vorige week een berichtje van haar kleinzoon met een nieuw "
     "nummer. Ze maakte 2000 euro over en bleek te zijn opgelicht.", "none"),
    ("Hij kreeg een appje van zijn dochter: of hij snel geld kon overmaken. De oplichters "
     "zijn niet gevonden.", "none"),
    # a message from an ex-partner may be the offence itself
    ("Zij ontving een berichtje van haar ex-vriend waarin hij dreigde haar te doden.",
     "ex_partner"),
    # a threatening message: an adjective before the message word
    ("De man stuurde dreigende berichtjes naar zijn moeder en sloeg haar later.", "parent"),
]

# the trap is a text phrase (no qualification names a message), so no register cases
test_text_mode, _ = case_tests(TEXTS, [])
