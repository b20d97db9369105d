"""Regression on every row of the real dev rulings, in register mode (qualification + articles).

Register mode sees only what a register holds; the relationship is often only in the
context text. Expectations below are the gold annotations: a qualification that names
the relationship must get that label, a trap must get none, and no non-domestic row may
be flagged.
"""

import pytest

import pv_identify as pv

COLUMNS = {"qualification": "kwalificatie", "article": "articles"}

# qualification names the relationship -> label (from the gold annotation)
NAMED = {
    "D001": "partner",   # begaan tegen zijn levensgezel
    "D010": "partner",   # begaan tegen zijn echtgenoot
    "D011": "partner",
    "D026": "partner",
    "D012": "child",     # begaan tegen zijn kind
    "D029": "child",     # met zijn kind beneden de leeftijd van zestien jaren
    "D031": "child",     # ontucht plegen met zijn minderjarig kind
}
DEFAULT_ONLY = {"D021": "child"}  # 'babydochter'
# traps: business partner, officials with a bare '300 jo 304', '300/304' without sub
TRAPS = ["D067", "D019", "D041", "D062", "D003", "D016", "D045", "D046"]
ART_304_1 = ["D017"]  # 45 jo. 302.1 jo. 304.1.1 Sr


@pytest.fixture(scope="module", params=["wodc2022", "default"])
def tagged(request, rulings):
    return request.param, pv.tag(rulings, request.param, columns=COLUMNS).set_index("id")


def test_named_relationships(tagged):
    preset, frame = tagged
    expected = dict(NAMED, **(DEFAULT_ONLY if preset == "default" else {}))
    for rid, label in expected.items():
        assert frame.loc[rid, "pv_label"] == label, (preset, rid)


def test_traps_get_none(tagged):
    _, frame = tagged
    for rid in TRAPS:
        assert frame.loc[rid, "pv_label"] == "none", rid


def test_304_sub_1_is_domestic(tagged):
    _, frame = tagged
    for rid in ART_304_1:
        assert frame.loc[rid, "pv_domestic_violence"], rid


def test_no_false_positives_on_non_domestic_rows(tagged):
    _, frame = tagged
    other = frame[frame["relationship"] == "other"]
    assert not other["pv_domestic_violence"].any()


def test_flagged_partner_rows_are_partner_in_gold(tagged):
    _, frame = tagged
    flagged = frame[frame["pv_partner_violence"]]
    assert len(flagged) >= 4
    assert flagged["relationship"].isin(["partner", "ex_partner"]).all()


def test_unnamed_rows_are_not_labelled_by_guess(tagged):
    """Rows whose qualification and article carry no signal stay 'none'."""
    _, frame = tagged
    unnamed = frame[(frame["pv_rule_ids"] == "")]
    assert (unnamed["pv_label"] == "none").all()
    assert set(unnamed.index).isdisjoint(NAMED)
