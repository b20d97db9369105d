"""Default 1.17.0 (round 2, session 22): the Flemish 'plus' step-family words. Written
cases (not corpus items); the first case of each test fails on default 1.16.0, the others
guard what must stay."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, label", [
    ("Zij voerde jarenlang een terreurbewind over haar pluszonen.", "child"),
    ("Hij mishandelde zijn plusdochter van twaalf.", "child"),
    ("De jongen sloeg zijn plusmama met een stoel.", "parent"),
    # a 'plus' word that is no relative stays nothing
    ("Hij kocht een pluspakket voor zijn telefoon.", "none"),
])
def test_flemish_step_family_words(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


def test_flemish_step_child_in_register_mode(tag_qualification):
    assert tag_qualification("mishandeling van zijn pluszoon", "300 Sr")["pv_label"] == "child"
