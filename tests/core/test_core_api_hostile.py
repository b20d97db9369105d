"""One rule id or group given as a plain string (session-5 QA).

``disable="grammar"`` was read letter by letter: "'g', 'r', 'a', 'm', ... is not a
rule id or group". A string now names one rule id or group at every door.
"""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.rules.loader import load_rules
from pv_identify.text import tag_texts

FRAME = pd.DataFrame({"artikelkwalificatie": ["mishandeling van de dochter van zijn vriendin",
                                              "mishandeling van zijn vriendin"]})


@pytest.mark.parametrize(("option", "name"), [("disable", "grammar"),
                                              ("enable", "qualification"),
                                              ("disable", "qualification.friend")])
def test_a_string_is_one_name_in_tag(option, name):
    one = pv.tag(FRAME, **{option: name})
    listed = pv.tag(FRAME, **{option: [name]})
    pd.testing.assert_frame_equal(one, listed)


def test_a_string_is_one_name_in_tag_texts_and_select():
    text = ["Hij sloeg zijn vriendin"]
    assert tag_texts(text, disable="qualification.friend")["pv_label"].tolist() == \
        tag_texts(text, disable=["qualification.friend"])["pv_label"].tolist() == ["none"]
    rules = load_rules("default")
    assert rules.select(disable="qualification").hash == \
        rules.select(disable=["qualification"]).hash
    assert load_rules("default", enable="qualification").hash == \
        load_rules("default", enable=["qualification"]).hash


def test_explain_of_a_record_without_a_known_field_is_an_error():
    # {"kwalificatie": ...} explained as 'none (no rule fired)': a wrong answer, where
    # pv.tag on the same column names says which columns it needs
    with pytest.raises(pv.ColumnMappingError, match="none of the fields the rules read"):
        pv.explain({"kwalificatie": "mishandeling van zijn vrouw"})
    mapped = pv.explain({"kwalificatie": "mishandeling van zijn vrouw"},
                        columns={"qualification": "kwalificatie"})
    assert mapped.output["pv_label"] == "partner"
    assert pv.explain({"kwalificatie": "x"}, qualification="zijn vrouw").output[
        "pv_label"] == "partner"


@pytest.mark.parametrize("record", ["mishandeling van zijn vrouw", FRAME])
def test_explain_takes_one_record(record):
    # a string raised "dictionary update sequence element #0 ...", a frame
    # "unhashable type: 'Series'"
    with pytest.raises(TypeError, match="explain takes one record"):
        pv.explain(record)
