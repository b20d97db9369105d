"""Written cases of round-2 session 41 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batches GX, GZ and HB after their unseen scores:

* text rules 1.68.0: the Belgian charge of killing a parent (oudermoord) is the offence
  itself, so the parents named far from the verb keep the family label; becoming a
  parent ("vader geworden") is an idiom; a relative named as the source with "volgens"
  is a speaker; circumcision nouns and participles are offence words (not the
  infinitive).

From batches HE, HF and HG after their unseen scores:

* grammar 1.23.0 (default preset 1.34.0): word set ``conjunction_adverb`` -- "een man en
  ook zijn vriendin" is the man's girlfriend, in both modes;
* text rules 1.69.0: love told as not returned vetoes "relationele sfeer"; a relative
  who watched ("keek toe") is a witness.

From batches HK, HM and HN after their unseen scores:

* text rules 1.70.0: youth-care staff are strangers ("de jeugdbeschermer"); theft from a
  person is an offence word ("bestalen"); "haalde ... uit naar" is an offence cue."""

from __future__ import annotations

import pandas as pd
from written_cases import case_tests, word_set_text

import pv_identify as pv
from pv_identify.text import tag_texts

TEXTS = [
    # --- the charge of killing a parent names the victim ---
    ("Het assisenproces over de oudermoord begint vrijdag. In de zaal lag de balk waarmee "
     "de man zijn 59-jarige vader en zijn moeder op 4 december 2009 in hun slaapkamer het "
     "hoofd insloeg.", "parent"),
    ("Hij staat terecht voor moord en oudermoord.", "parent"),
    # --- becoming a parent names no tie ---
    ("Peter V. werd opgepakt op verdenking van moord. Hij was enkele weken voor de moord "
     "vader geworden.", "none"),
    ("Hij sloeg zijn vader in elkaar.", "parent"),
    # --- a relative as the source, with "volgens" ---
    ("De zorginstelling krijgt een boete voor de dood van een cliënt. Volgens zijn moeder "
     "was zijn dood te voorkomen.", "none"),
    ("Volgens de politie sloeg hij zijn moeder.", "parent"),
    # --- circumcision as the offence ---
    ("Mishandeling. Verdachte heeft zonder toestemming van de moeder de besnijdenis van "
     "zijn zoons laten uitvoeren. Het hof acht dat bewezen.", "child"),
    # the infinitive tells an intention or a fear, not the offence
    ("Zij vreest dat zij haar eigen dochter zou moeten besnijden. Haar man heeft haar "
     "dagelijks mishandeld.", "partner"),
    # --- an adverb between "en" and the possessive ---
    ("Bij de aanslag kwamen een 55-jarige man en ook zijn 44-jarige vriendin om het "
     "leven.", "none"),
    ("Bij de aanslag kwamen een 55-jarige man en zijn 44-jarige vriendin om het leven.",
     "none"),
    ("Hij sloeg zijn vrouw en ook zijn dochter.", "partner"),
    # --- love not returned ---
    ("De politie zoekt het motief in de relationele sfeer. De verdachte was verliefd op "
     "het meisje, maar die liefde werd niet beantwoord.", "none"),
    ("De politie zoekt het motief in de relationele sfeer.", "partner"),
    # a partner word still decides
    ("Hij stak zijn vriendin neer. Zijn liefde werd niet beantwoord, zei hij later.",
     "partner"),
    # --- a relative who watched ---
    ("“Hij viel me zonder aanleiding aan”, zegt de student. “Zijn vriendin keek toe.”",
     "none"),
    ("Hij schopte een voorbijganger zonder aanleiding. Zijn vriendin keek toe.", "none"),
    # --- youth-care staff named as the victim ---
    ("Hij begeleidde een gezin waarbij de ouders uit elkaar waren en een omgangsregeling "
     "met de vader was opgezet. Daarna volgden de bedreigingen aan het adres van de "
     "jeugdbeschermer.", "none"),
    ("De ouders waren uit elkaar en een omgangsregeling met de vader was opgezet. Daarna "
     "volgden de bedreigingen aan het adres van de moeder.", "ex_partner"),
    # --- theft from a relative ---
    ("Die dag bestalen ze de zieke grootmoeder van een van de verdachten. De vrouw werd "
     "ernstig bedreigd.", "other_family"),
    # --- lashing out at somebody ---
    ("Dat deed ze, maar haar man weigerde. De winkelier haalde op een gegeven moment met "
     "de hamer uit naar de agenten.", "none"),
]

REGISTER = [
    ("mishandeling van een 55-jarige man en ook zijn vriendin", "none"),
    ("mishandeling van zijn vrouw en ook zijn dochter", "partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)

WITH_ADVERB = TEXTS[8][0]


def test_the_conjunction_adverb_is_data(edited_grammar):
    edited = edited_grammar(word_set_text("conjunction_adverb"), "")
    out = tag_texts(pd.Series([WITH_ADVERB]), rules=pv.load_rules(edited))
    assert out["pv_label"].iloc[0] == "partner"
    assert tag_texts(pd.Series([WITH_ADVERB]))["pv_label"].iloc[0] == "none"


def test_unrequited_love_evidence_names_the_trap():
    out = tag_texts(pd.Series([TEXTS[11][0]]))
    assert out["pv_label"].iloc[0] == "none"
    assert "text.trap.unrequited_love" in out["pv_rule_ids"].iloc[0]
