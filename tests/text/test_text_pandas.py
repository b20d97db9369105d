"""The pandas entry point tag_texts and the CLI sub-command."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from pv_identify.text import load, tag_texts


class Counting:
    """A tagger whose free-text matcher records the texts it matches."""

    def __init__(self):
        from pv_identify import Tagger

        self.tagger = Tagger("default")
        self.nlp = load(tagger=self.tagger)
        matcher = self.tagger.text_matcher
        self.seen: list[str] = []
        original = matcher.match

        def match(text, field="text"):
            self.seen.append(text)
            return original(text, field)

        matcher.match = match


@pytest.fixture(scope="module")
def counting():
    return Counting()


def test_index_preserved_and_distinct_once(counting):
    texts = pd.Series(
        ["mishandeling van zijn ex-vriendin", None, "belaging", "mishandeling van zijn "
         "ex-vriendin", "belaging", np.nan, "doodslag op zijn ex-schoonvader"],
        index=pd.Index([70, 3, 12, 5, 99, 1, 42], name="rij"))
    counting.seen.clear()
    out = tag_texts(texts, tagger=counting.tagger)
    assert out.index.equals(texts.index)
    assert sorted(counting.seen) == sorted(set(counting.seen))
    assert len(counting.seen) == texts.fillna("").nunique()
    assert out.attrs["pv_identify"]["distinct_texts"] == len(counting.seen)
    # every row equals the result of the spaCy component on its text alone
    for idx, text in texts.items():
        doc = counting.nlp("" if pd.isna(text) else text)
        assert out.loc[idx, "pv_label"] == doc._.pv_label
        assert out.loc[idx, "pv_partner_violence"] == doc._.pv_partner_violence
        assert out.loc[idx, "pv_rule_ids"] == "|".join(doc._.pv_rule_ids)
        assert out.loc[idx, "pv_evidence"] == doc._.pv_evidence


def test_without_dedup_gives_same_result(counting):
    texts = pd.Series(["zijn ex", "zijn ex", "haar echtgenoot", ""], index=list("abcd"))
    counting.seen.clear()
    a = tag_texts(texts, tagger=counting.tagger, distinct=False)
    assert len(counting.seen) == len(texts)
    b = tag_texts(texts, nlp=counting.nlp)
    pd.testing.assert_frame_equal(a, b)


def test_columns_and_types_match_register_mode():
    import pv_identify as pv
    from pv_identify.schema import OUTPUT_COLUMNS

    texts = pd.Series(["mishandeling, begaan tegen zijn levensgezel", "belaging"])
    out = tag_texts(texts, rules="wodc2022")
    reg = pv.tag(pd.DataFrame({"artikelkwalificatie": texts}), rules="wodc2022")
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    for col in ("pv_label", "pv_source", "pv_partner_violence", "pv_domestic_violence"):
        assert out[col].dtype == reg[col].dtype
    assert out["pv_label"].tolist() == reg["pv_label"].tolist()


def test_plain_list_input():
    out = tag_texts(["zijn ex", "fietsdiefstal"])
    assert list(out.index) == [0, 1]
    assert out["pv_label"].tolist()[1] == "none"


def test_empty_input():
    out = tag_texts(pd.Series([], dtype=object))
    assert len(out) == 0


def _cli(argv):
    from pv_identify.cli import text as text_cli

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    text_cli.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_single_text(capsys):
    assert _cli(["text", "--text", "Mishandeling van zijn ex-vriendin", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["label"] == "ex_partner"
    assert result["evidence"][0]["rule_id"] == "default.qual.ex_partner"


def test_cli_single_text_prints_the_steps(capsys):
    # the step that demoted the phrase is in the output, as in tag_texts' pv_evidence
    text = "In 2021 doodt de dan 21-jarige Bouchra tijdens een acute psychose haar jongere zus."
    assert _cli(["text", "--text", text]) == 0
    out = capsys.readouterr().out
    assert "label             none" in out
    assert "→ none (victim: no relationship phrase next to the offence" in out
    assert _cli(["text", "--text", text, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pv_evidence"] == tag_texts(pd.Series([text])).iloc[0]["pv_evidence"]


def test_cli_column(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame({"id": ["a", "b", "c"],
                  "tekst": ["zijn ex", "belaging", "zijn ex"]}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert _cli(["text", str(src), "--column", "tekst", "-o", str(out)]) == 0
    tagged = pd.read_csv(out, dtype=str)
    assert list(tagged["id"]) == ["a", "b", "c"]
    expected = tag_texts(pd.Series(["zijn ex", "belaging", "zijn ex"]))
    assert list(tagged["pv_label"]) == expected["pv_label"].astype(str).tolist()
    assert "distinct texts    2" in capsys.readouterr().out


def test_cli_missing_column(tmp_path):
    from pv_identify.errors import PvIdentifyError

    src = tmp_path / "in.csv"
    pd.DataFrame({"x": ["zijn ex"]}).to_csv(src, index=False)
    with pytest.raises(PvIdentifyError):
        _cli(["text", str(src), "--column", "tekst"])
