"""Written cases of round-2 session 50 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From the train and dev errors (text rules 1.94.0):

* domestic violence told as earlier than the killing ("Voor de moord had zij melding
  gemaakt van huiselijk geweld") dates the earlier violence, not the killing of the
  ex-partner: the ex-word dates the offence again;
* a parent who took the children "mee de dood in" killed his own children: the partner
  or ex-partner word beside it names the other parent.

From batches LK–LP after their unseen scores:

* an ex "almost" ("haar bijna ex-man"), a couple "in scheiding" and a divorce still to
  be pronounced tell that the relationship lasted at the offence;
* a love rival ("liefdesrivaal") is the victim: the partner words tell the triangle;
* the relative the offender says he defended ("dat hij zijn neef verdedigde") is not his
  victim."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- domestic violence told as earlier than the killing ---
    ("Hij werd beschuldigd van de moord op zijn ex-vrouw. Voor de moord had zij meerdere "
     "malen melding gemaakt van huiselijk geweld.", "ex_partner"),
    ("Ze heeft jaren te maken gehad met huiselijk geweld. Ze vluchtte naar een opvanghuis, "
     "weg van haar ex-man.", "partner"),
    # --- children taken into death ---
    ("Na een vechtscheiding nam de vader zijn twee zoontjes mee de dood in. Ook zijn "
     "vriendin begrijpt het niet.", "child"),
    ("Hij nam zijn dochtertje mee in de dood nadat zijn ex-vrouw de politie had gebeld.",
     "child"),
    ("Na een vechtscheiding stak de vader zijn ex-vrouw neer.", "ex_partner"),
    # --- an ex "almost", a divorce under way ---
    ("De vrouw moest naar de rechter, die de scheiding zou uitspreken. Haar bijna ex-man "
     "reed op het pand in.", "partner"),
    ("Hij sloeg zijn ex-vrouw toen ze in scheiding lagen.", "partner"),
    ("Na de scheiding sloeg hij zijn ex-vrouw.", "ex_partner"),
    # --- a love rival ---
    ("Hij bracht z'n liefdesrivaal om het leven. Hij kon niet verkroppen dat z'n vriendin "
     "een relatie was begonnen met de slagerszoon.", "none"),
    ("Hij kon niet verkroppen dat z'n vriendin hem wilde verlaten en stak haar neer.",
     "partner"),
    # --- the relative the offender defended ---
    ("De rechter zag genoeg bewijs voor mishandeling, maar de man zegt dat hij zijn neef "
     "verdedigde toen die werd geslagen.", "none"),
    ("De man mishandelde zijn neef.", "other_family"),
]

# register mode: the text-only rules leave a qualification as it was
REGISTER = [
    ("mishandeling van zijn ex-vrouw", "ex_partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
