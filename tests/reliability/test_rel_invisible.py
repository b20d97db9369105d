"""Issue 15 point 7: invisible and look-alike characters in every field."""

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.mc import split_mc
from pv_identify.normalize.text import clean_text, confusables, normalize_text

INVISIBLE = {
    "zero-width space": "\u200b", "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d", "word joiner": "\u2060", "BOM": "\ufeff",
    "soft hyphen": "\u00ad", "NUL": "\x00", "left-to-right mark": "\u200e",
}


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_characters_inside_words_are_removed(name):
    ch = INVISIBLE[name]
    for word in ("levensgezel", "echtgenoot"):
        cut = word[:4] + ch + word[4:]
        assert normalize_text(f"mishandeling tegen zijn {cut}").endswith(word)
    df = pd.DataFrame({"artikelkwalificatie": [f"mishandeling tegen zijn levens{ch}gezel",
                                               f"bedreiging van zijn zaken{ch}partner"]})
    assert pv.tag(df, rules="default")["pv_label"].tolist() == ["partner", "none"]


def test_zakenpartner_exclusion_holds_with_invisible_characters():
    for ch in ("\u200b", "\u00ad", "\u2060"):
        assert normalize_text(f"zaken{ch}partner") == "zakenpartner"


@pytest.mark.parametrize("text, latin", [
    ("l\u0435vensgezel", "levensgezel"),          # Cyrillic e
    ("\u0435chtg\u0435noot", "echtgenoot"),        # two Cyrillic e
    ("echtgen\u03bf\u03bft", "echtgenoot"),        # Greek omicron
    ("P\u0410RTNER", "partner"),                   # Cyrillic capital A
])
def test_look_alike_letters_inside_latin_words(text, latin):
    assert normalize_text(text) == latin
    df = pd.DataFrame({"artikelkwalificatie": [f"mishandeling tegen zijn {text}"]})
    assert pv.tag(df, rules="default")["pv_partner_violence"].tolist() == [True]


def test_wholly_cyrillic_and_greek_words_are_left_alone():
    assert clean_text("кот и λόγος") == "кот и λόγος"
    assert 0x0430 in confusables()  # the table is data (rules/confusables.txt)


def test_full_width_digits_and_invisible_characters_in_articles_and_mc():
    assert [str(r) for r in parse_articles("３０４ sub １ Sr")] == ["Sr:304.1"]
    assert [str(r) for r in parse_articles("30\u200b4 lid\u00ad 1 Sr")] == ["Sr:304.1"]
    assert split_mc("huiselijk geweld partner\u200bmishandeling") == (
        "huiselijk geweld partnermishandeling",)
    assert split_mc("huiselijk g\u0435weld") == ("huiselijk geweld",)
    df = pd.DataFrame({"wetsartikel": ["３０４ sub １ Sr"],
                       "maatschappelijke_classificatie": [
                           "Huiselijk geweld partner\u2060mishandeling"]})
    out = pv.tag(df, rules="wodc2022")
    assert out["pv_label"].tolist() == ["partner"]
    assert "wodc.art.304_1" in out["pv_rule_ids"].iloc[0]


def test_ascii_text_is_returned_unchanged():
    text = "mishandeling, begaan tegen zijn levensgezel"
    assert clean_text(text) is text
