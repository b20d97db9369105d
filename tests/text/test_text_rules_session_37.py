"""Written cases of round-2 session 37 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

Text rules 1.64.0, from batches GA and GE after their unseen scores: the applicant and
the complainant of a decision are parties, so their relatives are third parties;
violence "binnen" a relationship also bare and with an adjective; the applicant told as
having a relationship. Default preset 1.29.0, from batch GE: the Belgian law's wording
for a (former) partner names the relationship in register mode too."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- text rules 1.64.0: a relative of the applicant is a third party ---
    ("Op 3 juni werd Anna, de dochter van verzoekster, in de crèche mishandeld door een "
     "medewerkster.", "none"),
    ("De kinderen van klaagster werden door de buurman bedreigd.", "none"),
    # the offender's own relative, with a possessive, stays his
    ("Verzoekster werd mishandeld door haar zoon.", "parent"),
    # --- violence within a relationship, bare or with an adjective ---
    ("Letselschade ten gevolge van mishandeling binnen affectieve relatie.", "partner"),
    ("Hij werd veroordeeld voor geweld binnen een langdurige relatie.", "partner"),
    # a business relationship is none
    ("Hij werd veroordeeld voor geweld binnen een zakelijke relatie.", "none"),
    # --- the applicant told as having a relationship ---
    ("Uit het dossier blijkt dat verzoekster een knipperlichtrelatie onderhield met Tom Z. "
     "Hij sloeg haar meermaals.", "partner"),
    ("Verzoekster had een relatie met de genaamde Tom Z. Hij sloeg haar.", "partner"),
    # ... and ended before the offence: the time step reads the ex
    ("Verzoekster had een relatie met Tom Z. Nadat zij de relatie had beëindigd, "
     "belaagde hij haar.", "ex_partner"),
    # --- default preset 1.29.0: the Belgian law's wording for a (former) partner ---
    ("Slagen toegebracht met de omstandigheid dat de schuldige het misdrijf pleegde tegen "
     "de persoon met wie hij samenleeft of samengeleefd heeft.", "partner"),
]

REGISTER = [
    ("Opzettelijke slagen met de omstandigheid dat de schuldige het misdrijf pleegde tegen "
     "de persoon met wie hij samenleeft of samengeleefd heeft en een duurzame affectieve "
     "en seksuele relatie heeft of gehad heeft", "partner"),
    ("Opzettelijke slagen tegen de persoon met wie zij samenleeft of samengeleefd heeft",
     "partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
