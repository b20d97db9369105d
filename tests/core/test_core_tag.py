"""The output contract of pv_identify.tag and bad-input behaviour."""

import numpy as np
import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.schema import OUTPUT_COLUMNS


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "jds_nummer": ["p1", "p1", "p2", "p3"],
            "parketnummer": ["c1", "c1", "c2", "c3"],
            "artikelkwalificatie": ["mishandeling, begaan tegen zijn levensgezel", None,
                                    "diefstal", 12.0],
            "wetsartikel": ["300 jo 304 sub 1 Sr", "285 Sr", np.nan, "310"],
            "maatschappelijke_classificatie": ["", "Huiselijk geweld", None, "Diefstal"],
            "other": [1, 2, 3, 4],
        },
        index=pd.Index([40, 10, 30, 20], name="rij"),
    )


def test_contract(frame):
    before = frame.copy(deep=True)
    out = pv.tag(frame, "wodc2022")
    pd.testing.assert_frame_equal(frame, before)  # caller's frame untouched
    assert list(out.columns) == list(frame.columns) + list(OUTPUT_COLUMNS)
    pd.testing.assert_index_equal(out.index, frame.index)
    pd.testing.assert_frame_equal(out[frame.columns], frame)
    assert out["pv_label"].tolist() == ["partner", "domestic_unspecified", "none", "none"]
    assert out["pv_partner_violence"].dtype == bool
    assert out["pv_source"].tolist() == ["rule", "rule", "none", "none"]
    assert out["pv_score"].isna().all()
    meta = out.attrs["pv_identify"]
    rs = pv.load_rules("wodc2022")
    assert meta["ruleset"] == {"name": "wodc2022", "version": rs.version, "hash": rs.hash,
                               "files": ["wodc2022.yaml"]}
    assert meta["columns"]["mc"] == ["maatschappelijke_classificatie"]


def test_rule_ids_and_evidence_agree(frame):
    out = pv.tag(frame, "wodc2022")
    first = out.iloc[0]
    assert first["pv_rule_ids"] == "wodc.art.304_1|wodc.qual.partner"
    assert first["pv_evidence"] == 'article="Sr:304.1"; qualification="levensgezel"'
    assert out.iloc[2]["pv_rule_ids"] == "" and out.iloc[2]["pv_evidence"] == ""


def test_column_mapping_and_several_mc_columns():
    df = pd.DataFrame({"kwal": ["bedreiging", "belaging"], "mc1": ["Mishandeling", None],
                       "mc2": [None, "huiselijk geweld partnermishandeling"]})
    out = pv.tag(df, columns={"qualification": "kwal", "mc": ["mc1", "mc2"]})
    assert out["pv_label"].tolist() == ["none", "partner"]


def test_mc_series_columns_are_found_automatically():
    df = pd.DataFrame({"mc_1": ["x", "huiselijk geweld"], "mc_2": [None, None]})
    assert pv.tag(df)["pv_domestic_violence"].tolist() == [False, True]


def test_missing_fields_error_lists_columns():
    with pytest.raises(pv.ColumnMappingError) as info:
        pv.tag(pd.DataFrame({"a": [1], "b": [2]}))
    assert "Columns found: ['a', 'b']" in str(info.value)
    with pytest.raises(pv.ColumnMappingError, match="no such column"):
        pv.tag(pd.DataFrame({"a": [1]}), columns={"qualification": "kwal"})
    with pytest.raises(pv.ColumnMappingError, match="unknown field"):
        pv.tag(pd.DataFrame({"a": [1]}), columns={"qualificatie": "a"})


def test_duplicate_column_names_are_refused():
    df = pd.DataFrame([["x", "y"]], columns=["artikelkwalificatie", "artikelkwalificatie"])
    with pytest.raises(pv.ColumnMappingError, match="duplicate column names"):
        pv.tag(df)


def test_existing_output_columns_need_overwrite(frame):
    once = pv.tag(frame)
    with pytest.raises(pv.ColumnMappingError, match="overwrite=True"):
        pv.tag(once)
    twice = pv.tag(once, overwrite=True)
    assert list(twice.columns) == list(once.columns)
    pd.testing.assert_series_equal(twice["pv_label"], once["pv_label"])


def test_empty_frame():
    out = pv.tag(pd.DataFrame({"artikelkwalificatie": pd.Series([], dtype=object)}))
    assert len(out) == 0 and list(out.columns)[1:] == list(OUTPUT_COLUMNS)


def test_bad_values_get_defined_results():
    garbled = "mishandeling, begaan tegen zijn echtgenoot, geïntimideerd".encode().decode("cp1252")
    df = pd.DataFrame({"artikelkwalificatie": [None, np.nan, "", 3, 2.5, "x" * 200_000,
                                               garbled, b"levensgezel", pd.NA]})
    out = pv.tag(df)
    assert out["pv_label"].tolist() == ["none"] * 6 + ["partner", "partner", "none"]


def test_not_a_frame():
    with pytest.raises(pv.PvIdentifyError, match="expects a pandas DataFrame"):
        pv.tag(["mishandeling"])


def test_distinct_values_are_matched_once(monkeypatch):
    from pv_identify.rules import compiler

    calls = []
    original = compiler.CompiledRules.match_qualification

    def counting(self, text):
        calls.append(text)
        return original(self, text)

    monkeypatch.setattr(compiler.CompiledRules, "match_qualification", counting)
    texts = ["mishandeling, begaan tegen zijn levensgezel", "Mishandeling, begaan tegen zijn "
             "LEVENSGEZEL", "diefstal"] * 1000
    out = pv.tag(pd.DataFrame({"artikelkwalificatie": texts}))
    assert len(calls) == 2  # two distinct normalised texts
    assert out["pv_partner_violence"].sum() == 2000


def test_accessor_and_explain(frame):
    out = frame.pv.tag("wodc2022")
    assert out["pv_label"].iloc[0] == "partner"
    text = str(out.pv.explain(40, "wodc2022"))
    assert "wodc.qual.partner" in text and "Decision: partner" in text
    assert len(out.pv.cases()) == 3 and len(out.pv.persons()) == 3


def test_explain_shows_vetoes_and_no_rule():
    text = str(pv.explain(qualification="mishandeling, tegen een ambtenaar",
                          article="300 jo 304 sub 1 Sr"))
    assert "x (vetoed) wodc.art.304_1" in text
    assert "Decision: none (an exclusion rule fired" in text
    assert "Decision: none (no rule fired)" in str(pv.explain(qualification="diefstal"))
