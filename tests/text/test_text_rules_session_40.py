"""Written cases of round-2 session 40 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batches GM, GN and GP after their unseen scores:

* grammar 1.21.0 (default preset 1.32.0): a bare relation word after "de", "het" or
  "deze" that repeats the head of an earlier chain read as no relationship names the
  same person ("de zoon van patiënt ... De zoon"), text mode with the text rules only;
* partner term "concubine" (Surinamese Dutch for a cohabiting partner);
* text rules 1.66.0: a relationship told in the first person as years together or
  married ("We zijn al eeuwen samen", "we waren getrouwd").

From batches GR, GS, GT and GV after their unseen scores:

* grammar 1.22.0 (default preset 1.33.0): word set ``victim_modifier`` -- "de echtgenoot
  van de vermoorde atlete" is the victim's husband, in both modes;
* text rules 1.67.0: a relative named with "een" as the agent of the offence ("misbruikt
  door een familielid"); a couple introduced as a pair with names and ages acts or
  suffers together; a forced marriage arranged by her family ("de man aan wie haar
  familie haar heeft uitgehuwelijkt"); incest "van haar man met hun dochtertje"."""

from __future__ import annotations

import pandas as pd
import pytest
from written_cases import case_tests, word_set_text

import pv_identify as pv
from pv_identify.text import tag_texts

TEXTS = [
    # --- the same relative named again, bare: a stranger's relative still ---
    ("Een huisarts wordt bij huisbezoek geïntimideerd door de zoon van een patiënt. De "
     "zoon dreigt hem te vinden.", "none"),
    ("De broer van een bewoner zorgde voor onrust. De instelling heeft de broer de toegang "
     "ontzegd.", "none"),
    ("Hij sloeg de zoon van zijn buurman. Deze zoon liep letsel op.", "none"),
    # only the chain's head repeats: "de kinderen" after "de moeder van de kinderen"
    # is no repeat of the mother
    ("De moeder van de kinderen liet hen bij haar zus achter. Die vrouw verwaarloosde de "
     "kinderen.", "child"),
    # a possessive is no repeat: "zijn zoon" is the offender's own
    ("Hij bedreigde de zoon van zijn buurman. Daarna sloeg hij zijn zoon.", "child"),
    # a chain read as a relative is not repeated as none
    ("Hij mishandelde de zoon van zijn vriendin. De zoon moest naar het ziekenhuis.",
     "child"),
    # --- concubine ---
    ("Volgens de aanklager heeft de verdachte zijn concubine mishandeld.", "partner"),
    ("De man verwondde zijn ex-concubine en vluchtte naar Guyana.", "ex_partner"),
    # --- first person: years together or married ---
    ("Hij gaf me een klap in mijn gezicht. We waren toen drie jaar getrouwd.", "partner"),
    ("De eerste keer dat hij me sloeg dacht ik dat het eenmalig was. We zijn al tien jaar "
     "samen.", "partner"),
    # --- the murdered one is the victim ---
    ("De echtgenoot van de vermoorde atlete werd gisteren opgepakt in Mombasa.", "partner"),
    ("De ouders van de vermoorde vrouw zaten in de zaal.", "none"),
    ("De echtgenoot van de vermoorde 23-jarige atlete werd gisteren opgepakt.", "partner"),
    # --- a relative as the agent, with "een" ---
    ("Ze vertelt dat ze van haar vierde tot haar dertiende is misbruikt door een "
     "familielid.", "other_family"),
    ("Jarenlang werd Susanne door een familielid thuis seksueel misbruikt.", "other_family"),
    ("Niet door een familielid, niet door een vreemde, maar door de buurman werd ze "
     "bedreigd.", "none"),
    # --- a couple introduced as a pair, with names and ages ---
    ("Ouissem M. (40) en zijn partner Sabrina K. (35) zijn schuldig aan moord op hun "
     "au-pair.", "none"),
    ("Een man (32) sloeg zijn vriendin (28) in het gezicht.", "partner"),
    # --- married off by her family ---
    ("Zij vreest voor de man aan wie haar familie haar in 2018 heeft uitgehuwelijkt. Hij "
     "heeft haar dagelijks mishandeld.", "partner"),
    # --- incest of the mother's husband with their child ---
    ("De vrouw vroeg de scheiding aan op grond van incest van haar man met hun enige "
     "dochtertje.", "child"),
]

REGISTER = [
    # register mode: the repeat step is text mode's (no sentences in a qualification)
    ("bedreiging van de zoon van de buurman en de zoon", "child"),
    ("mishandeling van zijn concubine", "partner"),
    ("bedreiging door de echtgenoot van de vermoorde vrouw", "partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)

REPEAT = TEXTS[0][0]
MURDERED = TEXTS[10][0]


def test_the_repeat_reading_is_data(edited_grammar):
    edited = edited_grammar(word_set_text("repeat_determiner"), "")
    out = tag_texts(pd.Series([REPEAT]), rules=pv.load_rules(edited))
    assert out["pv_label"].iloc[0] == "child"


def test_repeat_evidence_names_the_earlier_phrase():
    out = tag_texts(pd.Series([REPEAT]))
    assert out["pv_label"].iloc[0] == "none"
    assert "the same zoon as 'de zoon van een patient'" in out["pv_evidence"].iloc[0]


@pytest.mark.parametrize("qualification", ["aangestoken door de zoon van de bewoners en "
                                           "de zoon", REGISTER[0][0]])
def test_text_mode_without_text_rules_skips_the_repeat_step(qualification, no_text_rules):
    register = pv.tag(pd.DataFrame({"artikelkwalificatie": [qualification]}))
    text = tag_texts([qualification], tagger=pv.Tagger("default", text_rules=no_text_rules))
    assert text["pv_label"].iloc[0] == register["pv_label"].iloc[0]
    assert text["pv_evidence"].iloc[0] == register["pv_evidence"].iloc[0].replace(
        "qualification=", "text=")


def test_the_victim_modifier_is_data(edited_grammar):
    assert "vermoorde atlete" in MURDERED
    edited = edited_grammar(word_set_text("victim_modifier"), "")
    out = tag_texts(pd.Series([MURDERED]), rules=pv.load_rules(edited))
    assert out["pv_label"].iloc[0] == "none"
    assert tag_texts(pd.Series([MURDERED]))["pv_label"].iloc[0] == "partner"
