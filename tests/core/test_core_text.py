from hypothesis import example, given
from hypothesis import strategies as st

from pv_identify.normalize.text import TextNormalizer, normalize_text, repair_mojibake


def test_case_diacritics_whitespace_and_punctuation():
    assert normalize_text("  Mishandeling,   begaan tegen ZIJN Levensgezel. ") == (
        "mishandeling begaan tegen zijn levensgezel")
    assert normalize_text("geïntimideerd") == "geintimideerd"


def test_stop_words_are_kept():
    words = normalize_text("tegen zijn / haar kind").split()
    assert words == ["tegen", "zijn", "/", "haar", "kind"]
    assert normalize_text("zijn ex-vriendin/partner") == "zijn ex-vriendin / partner"


def test_parentheses_and_dashes():
    assert normalize_text("(ex-)partner") == "ex-partner"
    assert normalize_text("zijn (toenmalige) echtgenote") == "zijn toenmalige echtgenote"
    assert normalize_text("ex–vriendin") == "ex-vriendin"  # en dash
    assert normalize_text("mishandeling - meermalen") == "mishandeling meermalen"


def test_mojibake_from_cp1252_is_repaired():
    garbled = "geïntimideerd".encode().decode("cp1252")
    assert garbled != "geïntimideerd"
    assert repair_mojibake(garbled) == "geïntimideerd"
    assert normalize_text(garbled) == "geintimideerd"


def test_case_sensitive_keeps_case():
    assert normalize_text("Levensgezel", case_sensitive=True) == "Levensgezel"


def test_abbreviations_expand_whole_tokens_only():
    norm = TextNormalizer({"mish.": "mishandeling", "tgn": "tegen"})
    assert norm("Mish. tgn zijn kind") == "mishandeling tegen zijn kind"
    assert norm("tgnx") == "tgnx"


def test_empty_and_very_long():
    assert normalize_text("") == ""
    long = "mishandeling " * 50_000
    assert normalize_text(long).count("mishandeling") == 50_000


@given(st.text())
@example("a\u0345")  # combining ypogegrammeni case-folds to a Greek iota look-alike
def test_normalize_never_fails_and_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "  " not in once
