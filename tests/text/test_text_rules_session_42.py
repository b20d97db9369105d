"""Written cases of round-2 session 42 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batches HT, HU, HW and HX after their unseen scores:

* default preset 1.35.0: a possessive before the plural "baby's" names the offender's
  children ("haar baby's"), in both modes;
* text rules 1.71.0: somebody who "separated" two fighters ("heeft hen gescheiden")
  ended a fight, not a relationship; leaving told as a possibility the offender wanted
  to prevent ("als ze hem zou verlaten") dates the offence inside the relationship; a
  relative helped with a name between ("schoot zijn broer Klaas te hulp") is a
  companion, as is a couple told as friends of somebody ("bevriend met de verdachte en
  zijn vriendin"); sisters or brothers counted as diminutives ("twee zusjes") are a kin
  pair; a relative hurt by men or youths counted, not named ("door twee volwassen
  mannen"), was their victim."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the plural of "baby" after a possessive ---
    ("Zij staat terecht voor het doden van haar twee baby's.", "child"),
    ("Zij staat terecht voor het doden van haar baby.", "child"),
    # --- separating two fighters ---
    ("Hij sloeg zijn vrouw. Een buurman heeft hen gescheiden.", "partner"),
    ("Hij sloeg zijn ex-vrouw nadat ze waren gescheiden.", "ex_partner"),
    # --- leaving told as a possibility ---
    ("Ze werd jaren geslagen door haar ex. Hij dreigde haar te doden als ze hem zou "
     "verlaten.", "partner"),
    ("Ze werd bedreigd door haar ex nadat ze hem had verlaten.", "ex_partner"),
    # --- a relative helped, a name between ---
    ("Een man sloeg een voorbijganger. Pieter schoot zijn broer Klaas te hulp en stak de "
     "man neer.", "none"),
    ("Hij stak zijn broer Klaas neer.", "other_family"),
    # --- a couple told as friends of somebody ---
    ("Hij misbruikte een meisje van 8. Haar ouders waren bevriend met de verdachte en zijn "
     "vriendin.", "none"),
    ("Hij misbruikte een meisje van 8. Hij sloeg ook zijn vriendin.", "partner"),
    # --- sisters counted as diminutives ---
    ("Hij wordt verdacht van het misbruiken van twee zusjes van 5 en 8 jaar.", "none"),
    ("Hij sloeg zijn twee zusjes.", "other_family"),
    # --- a relative hurt by men counted, not named ---
    ("De vrouw deed aangifte van mishandeling van haar dochter door twee volwassen "
     "mannen.", "none"),
    ("Hij wordt verdacht van mishandeling van zijn dochter.", "child"),
]

REGISTER = [
    ("doodslag op haar baby's", "child"),
    ("doodslag op haar baby", "child"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
