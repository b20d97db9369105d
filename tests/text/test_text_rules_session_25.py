"""Written cases of round-2 session 25 (not corpus items): text rules 1.27.0. In each group
the first case fails on the versions before it, the others guard what must stay.

From batch AQ after its unseen score: a divorce applied for is not yet granted (the couple
was married at the offence)."""

from __future__ import annotations

import pytest

TEXTS = [
    # a divorce applied for is not yet granted (text.time.current)
    ("Hij was boos op zijn vrouw omdat ze de scheiding had aangevraagd, en schoot haar "
     "neer.", "partner"),
    ("Zij vroeg de echtscheiding aan. Twee weken later stak hij haar neer.", "partner"),
    ("Hij schoot zijn ex-vrouw neer; zij had de scheiding aangevraagd.", "partner"),
    # after the divorce: still an ex
    ("Na de scheiding bedreigde hij zijn ex-vrouw.", "ex_partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
