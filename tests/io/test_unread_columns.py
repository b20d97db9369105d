"""Columns that look like a field the rules read but are not read warn, naming them."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.io.mapping import ColumnMapping, UnreadColumnWarning, unread_columns


def test_a_frame_read_from_one_field_warns_about_the_others():
    df = pd.DataFrame({"artikel": ["300 Sr"], "mc": [None],
                       "kwalificatie": ["mishandeling van zijn echtgenote"]})
    with pytest.warns(UnreadColumnWarning) as caught:
        out = pv.tag(df)
    message = str(caught[0].message)
    assert "article: ['artikel']" in message and "qualification: ['kwalificatie']" in message
    assert "--map article=artikel" in message
    # the warning points at the caller, not inside the package
    assert caught[0].filename == __file__
    # the rows were tagged from mc alone: mapped, the qualification is read
    assert out["pv_label"].iloc[0] == "none"
    mapped = pv.tag(df, columns={"qualification": "kwalificatie", "article": "artikel"})
    assert mapped["pv_label"].iloc[0] == "partner"


def test_default_names_and_mapped_columns_do_not_warn():
    df = pd.DataFrame({"wetsartikel": ["300 Sr"], "maatschappelijke_classificatie": [None],
                       "artikelkwalificatie": ["mishandeling"], "kwal_oud": ["x"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pv.tag(df)  # every field found: an extra 'kwal' column is not a missing field
        pv.tag(df.drop(columns=["artikelkwalificatie"]).rename(columns={"kwal_oud": "kwal"}),
               columns={"qualification": "kwal"})


def test_only_identifier_like_names_are_shown():
    names = ["mc", "mishandeling van zijn kwalificatie echtgenote", "kwal_tekst"]
    with pytest.warns(UnreadColumnWarning):
        mapping = ColumnMapping.resolve(names)
    # a data row read as a header is never echoed
    assert unread_columns(mapping, names) == {"qualification": ["kwal_tekst"]}


def test_a_qualification_name_is_no_article_hint():
    # "artikelkwalificatie" holds "artikel": it is the qualification's default name, and a
    # qualification-like name is never offered as the article
    names = ["Artikelkwalificatie", "artikelkwalificatie", "artikel_kwal"]
    mapping = ColumnMapping.resolve(names, {"qualification": "Artikelkwalificatie"})
    assert unread_columns(mapping, names) == {}
