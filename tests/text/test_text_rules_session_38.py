"""Written cases of round-2 session 38 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

Text rules 1.65.0, from batch GL after its unseen score: a marriage arranged for the
victim and a relationship she ended, told in words; the start of a relationship dates the
offence inside it. Default preset 1.30.0:
foster and step-parents named as a pair with a possessive."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- married off to the man who beat her ---
    ("Toen ik veertien was werd ik uitgehuwelijkt aan een man van vijftig. Hij sloeg mij.",
     "partner"),
    ("Ze werd ontvoerd door de man aan wie ze door haar ouders was uitgehuwelijkt.",
     "partner"),
    # --- a relationship she ended, with the other named: an ex-partner ---
    ("In Gent verbrak de vrouw haar relatie met K. Uit wraak verspreidde K. naaktfoto's van "
     "haar.", "ex_partner"),
    # --- the start of the relationship: the offence took place inside it ---
    ("Al in het begin van de relatie gaat het tussen Ilse en haar ex mis. Hij sloeg haar.",
     "partner"),
    # an ex with no time cue stays an ex
    ("Het gaat tussen Ilse en haar ex mis. Hij bedreigde haar.", "ex_partner"),
    # --- default preset 1.30.0: foster parents as offenders ---
    ("Het meisje werd zwaargewond opgenomen. Haar pleegouders zijn opgepakt wegens poging "
     "tot doodslag.", "parent"),
]

REGISTER = [
    ("Mishandeling door zijn pleegouders", "parent"),
    ("Mishandeling door haar stiefouders", "parent"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
