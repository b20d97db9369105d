"""Written cases of round-2 session 44 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batches IX, IY, IZ, JA, JB, JC, JD and JE after their unseen scores:

* text rules 1.77.0: violence "between" a parent and the parent's partner is between
  partners; "de moeder" hurt by "de vader" (the parties of a custody case) is the
  partner; the partner of the victim's parent is a step-parent; a child hurt "door de
  ouders" is their child; the child of a complainant hurt by that complainant is his or
  her child, also told with "wiens"; a relative hurt by a new person with a place
  between verb and agent, or by a stranger who is the subject of an active verb, was
  that stranger's victim; a divorce because of the abuse dates the abuse inside the
  marriage; an offence "in de familiesfeer" is domestic; "een familielid" right after
  the subject pronoun is the offender's relative; the parties of a civil or
  administrative case (eiser, appellant, geïntimeerde ...) are parties, so their
  relatives are nobody's relative of the offender;
* default preset 1.39.0: "zijn voormalige schoonouders" and "haar ex-schoonouders" are
  in-laws, in both modes.

From batches JF, JG, JH, JI, JJ, JK, JL and JM (the second wave) after their unseen scores:

* text rules 1.78.0: a relative killed "om het leven" with the name between is the
  victim; "door mijn vader" and "door zowel mijn vader als mijn moeder" name the
  narrator's parents as the offenders (both parents so named are no couple); a
  relationship that arose "tussen" two people, or one with the other party of an
  employment case, is a partner relationship, and one that "is geëindigd" has ended."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- violence between a parent and the parent's partner ---
    ("Het meisje zag jarenlang geweld tussen haar moeder en diens vriend.", "partner"),
    ("Hij sloeg zijn broer.", "other_family"),
    # --- the parties of a custody case ---
    ("De moeder werd mishandeld door de vader. De rechter wijst het verzoek om omgang af.",
     "partner"),
    ("De rechter gaf gezag aan de moeder die jarenlang door de vader is mishandeld.",
     "partner"),
    ("Hij sloeg zijn moeder.", "parent"),
    # --- the partner of the victim's parent ---
    ("De man kreeg een relatie met de moeder van het slachtoffer en misbruikte het meisje "
     "twee jaar lang.", "child"),
    ("De moeder van het slachtoffer deed aangifte tegen een buurman.", "none"),
    # --- a child hurt by "de ouders" ---
    ("Het jongetje, dat door de ouders werd verwaarloosd, overleed in het ziekenhuis.",
     "child"),
    # --- the child of a complainant hurt by the complainant ---
    ("De psycholoog onderzocht de zoon van klager in verband met mishandeling door klager.",
     "child"),
    ("De psycholoog onderzocht de zoon van klager na mishandeling door een buurman.", "none"),
    ("Verzoeker, wiens zoon aangifte tegen hem had gedaan van mishandeling, klaagt over de "
     "politie.", "child"),
    # --- a relative hurt by a new person or a stranger ---
    ("De 50-jarige vader is neergestoken op straat door een man die hij niet kende.", "none"),
    ("Een agent heeft zijn zoon bij de aanhouding geslagen.", "none"),
    ("Hij heeft zijn zoon geslagen.", "child"),
    # --- a divorce because of the abuse ---
    ("Zij is wegens mishandeling door haar man van hem gescheiden.", "partner"),
    ("Na de scheiding bedreigde haar ex-man haar.", "ex_partner"),
    # --- an offence in the family sphere ---
    ("Hij zit een straf uit voor een doodslag in de familiesfeer.", "domestic_unspecified"),
    # --- "een familielid" after the subject pronoun ---
    ("Hij werd veroordeeld omdat hij een 9-jarig familielid met een hamer verwondde.",
     "other_family"),
    ("Hij werd veroordeeld omdat hij een 9-jarig kind met een hamer verwondde.", "none"),
    # --- the parties of a civil case ---
    ("De zoon van gedaagde heeft de zoon van eiser op het schoolplein geslagen.", "none"),
    ("Hij heeft zijn dochter geslagen.", "child"),
    # --- a relative killed, the name between ---
    ("In Breda bracht een vader zijn 5-jarige zoon Daan om het leven. In Tilburg werd een "
     "baby van het leven beroofd.", "child"),
    ("In Tilburg werd een baby van het leven beroofd.", "none"),
    # --- the narrator's parents as the offenders ---
    ("Ik werd als kind door mijn vader geslagen.", "child"),
    ("Thuis werd ik geslagen door zowel mijn vader als mijn moeder.", "child"),
    ("Mijn vader sloeg mijn moeder.", "partner"),
    # --- a relationship that arose, and ended ---
    ("Tussen hem en zijn collega is een relatie ontstaan. Deze relatie is geëindigd. "
     "Daarna heeft hij haar bedreigd.", "ex_partner"),
    ("De werkgever heeft een affectieve relatie met werknemer. Zij sloeg hem.", "partner"),
    ("De werkgever heeft een zakelijke relatie met werknemer. Zij sloeg hem.", "none"),
]

REGISTER = [
    ("mishandeling van zijn voormalige schoonouders", "other_family"),
    ("mishandeling van haar ex-schoonouders", "other_family"),
    ("mishandeling van zijn schoonouders", "other_family"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
