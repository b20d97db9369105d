"""Text rules 1.21.0 and default 1.16.0 (round 2, session 21, from batches Y and Z): a
former casual partner ("voormalige scharrel"), a relationship told as violent, "haar
toenmalige vriendje" and the Flemish "nonkel". Written
cases (not corpus items); the first case of each test fails on text rules 1.20.0 /
default 1.15.0, the others guard what must stay."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, label", [
    ("Zij werd maandenlang gestalkt door een voormalige scharrel.", "ex_partner"),
    ("Hij bedreigde zijn ex-scharrel via Instagram.", "ex_partner"),
    # a plain "scharrel" stays no relationship term
    ("Zij had een scharrel op vakantie.", "none"),
])
def test_former_casual_partner(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


def test_former_casual_partner_in_register_mode(tag_qualification):
    row = tag_qualification("belaging van zijn voormalige scharrel", "285b Sr")
    assert row["pv_label"] == "ex_partner"


@pytest.mark.parametrize("text, label", [
    # the relationship told as violent, no partner word (train web-Z006)
    ("Het was een gewelddadige relatie. Toen hij me opnieuw had geslagen, ging ik weg.",
     "partner"),
    # an ex word elsewhere decides first (train web-Z007)
    ("Zij stapte uit een gewelddadige relatie. Sindsdien stalkt haar ex-vriend haar.",
     "ex_partner"),
])
def test_relationship_told_as_violent(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    ("Later bleek haar toenmalige vriendje haar te hebben uitgebuit.", "partner"),
    ("Jarenlang vergreep hun nonkel zich aan de drie broers.", "other_family"),
    # the diminutive alone is no partner term (a child's playmate)
    ("Het meisje speelde met haar vriendje in de tuin.", "none"),
])
def test_diminutive_with_toenmalige_and_flemish_uncle(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
