"""Written cases of round-2 session 39 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

Grammar 1.20.0 (default preset 1.31.0), from the replay of the corpus history: the
victim's partner named in a chain ("de vrouw van het slachtoffer") is the offender only
in a sentence that accuses somebody; elsewhere a bystander (none). A possessive read
back to the victim, the victim's ex-partner and register mode are left alone."""

from __future__ import annotations

import pandas as pd
import pytest
from written_cases import case_tests, word_set_text

import pv_identify as pv
from pv_identify.text import tag_texts

TEXTS = [
    # --- the victim's partner who only speaks, sees or alarms: a bystander ---
    ("Twee mannen kregen ruzie in een café. De vrouw van het slachtoffer alarmeerde de "
     "hulpdiensten.", "none"),
    ("De man van het slachtoffer zag de aanval vanuit het raam.", "none"),
    ("De partner van het slachtoffer zegt dat de man eerst schold. Daarna werd het "
     "slachtoffer geslagen.", "none"),
    # the sentence accuses the partner: the offender
    ("Een vrouw is dood aangetroffen. De 70-jarige echtgenoot van het slachtoffer is "
     "aangehouden.", "partner"),
    ("Het onderzoek wijst naar de man van het slachtoffer.", "partner"),
    # an active offence accuses as well; a passive one does not
    ("De vrouw van het slachtoffer heeft hem met een mes gestoken.", "partner"),
    ("Bij de overval werd ook de vrouw van het slachtoffer geslagen.", "none"),
    # an accusation in another sentence does not reach the chain
    ("Een twintiger werd gearresteerd voor de steekpartij. De vrouw van het slachtoffer "
     "belde de politie.", "none"),
    # --- left alone: the victim's ex-partner, a possessive read back to the victim ---
    ("Hij schoot in opdracht van de ex-vrouw van het slachtoffer. De jury acht haar "
     "schuldig.", "ex_partner"),
    ("Het 38-jarige slachtoffer werd in haar huis gewurgd. Haar man belde zelf de politie.",
     "partner"),
]

REGISTER = [
    # register mode has no sentence to read: the chain keeps its reading
    ("bedreiging door de echtgenoot van het slachtoffer", "partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)


BYSTANDER = TEXTS[1][0]


@pytest.mark.parametrize("edit", [
    # without the bystander rule the anchor reads nothing
    lambda: ("    of: bystander\n", "    of: unrelated\n    words: [nooitgebruikt]\n"),
    # without the word set 'accused' the step is off
    lambda: (word_set_text("accused"), ""),
], ids=["no bystander rule", "no accused words"])
def test_the_bystander_reading_is_data(edited_grammar, edit):
    edited = edited_grammar(*edit())
    out = tag_texts(pd.Series([BYSTANDER]), rules=pv.load_rules(edited))
    assert out["pv_label"].iloc[0] == "partner"
    assert out["pv_rule_ids"].iloc[0].split("|")[0] == "grammar.victim.partner"


def test_bystander_evidence_names_the_reading():
    out = tag_texts(pd.Series([BYSTANDER]))
    assert out["pv_rule_ids"].iloc[0].split("|")[0] == "grammar.victim.partner_bystander"
    assert "nobody accused in the sentence" in out["pv_evidence"].iloc[0]
