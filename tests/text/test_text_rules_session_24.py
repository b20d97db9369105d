"""Written cases of round-2 session 24 (not corpus items): text rules 1.26.0. In each group
the first case fails on the versions before it, the others guard what must stay."""

from __future__ import annotations

import pytest

TEXTS = [
    # abuse told as lasting for years took place during the relationship
    # (text.time.ex_current: revises an ex-partner decision only)
    ("Dennis werd jarenlang door zijn ex-partner mishandeld.", "partner"),
    ("Hij drogeerde zijn ex-vrouw negen jaar lang.", "partner"),
    ("Zij werd slachtoffer van stelselmatige mishandeling door haar ex-echtgenoot.",
     "partner"),
    # stalking and threats go on after a break-up: still an ex
    ("Zij werd jarenlang gestalkt door haar ex-vriend.", "ex_partner"),
    ("Haar ex bedreigde haar jarenlang.", "ex_partner"),
    # cues of both kinds: no reading, the ex word decides
    ("Hij mishandelde jarenlang zijn ex. Na de scheiding bleef hij haar stalken.",
     "ex_partner"),
    # a family decision stays (no ex-partner decision to revise)
    ("De stelselmatige mishandeling van tien kinderen door hun vader.", "child"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


def test_ex_current_cue_is_named_in_the_evidence(tag_one):
    row = tag_one("Dennis werd jarenlang door zijn ex-partner mishandeld.")
    assert "time:" in row["pv_evidence"] and "jarenlang" in row["pv_evidence"]
