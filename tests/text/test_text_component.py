"""The spaCy factory (entry point), extensions, tokenizer and rule files."""

from __future__ import annotations

import textwrap

import pytest
import spacy
from spacy.tokens import Doc

from pv_identify.errors import RuleFileError
from pv_identify.text import load, load_text_rules
from pv_identify.text.extensions import register_extensions
from pv_identify.text.tokenizer import adjust_tokenizer


def test_factory_via_entry_point():
    nlp = spacy.blank("nl")
    nlp.add_pipe("pv_identify", config={"rules": "wodc2022"})
    assert nlp.pipe_names == ["pv_identify"]
    doc = nlp("mishandeling, begaan tegen zijn levensgezel")
    assert doc._.pv_label == "partner"
    assert nlp.get_pipe("pv_identify").ruleset.name == "wodc2022"


def test_factory_disable_and_no_tokenizer_change():
    nlp = spacy.blank("nl")
    # 'diens vader' (somebody else's father) is read by the text traps and by the
    # relationship grammar (issue 13): switched off together, it is a parent again
    nlp.add_pipe("pv_identify", config={"disable": ["text.traps", "exclusions",
                                                    "grammar.third_party"],
                                        "adjust_tokenizer": False})
    assert nlp("mishandeling van diens vader")._.pv_label == "parent"
    assert "pv_identify_tokenizer" not in nlp.meta


def test_unknown_disable_is_an_error():
    with pytest.raises(KeyError):
        load("default", disable=["no.such.rule"])


def test_pipeline_roundtrip(tmp_path):
    nlp = load("default")
    nlp.to_disk(tmp_path / "pipe")
    again = spacy.load(tmp_path / "pipe")
    text = "tegen zijn (ex-)partner, art.300 Sr"
    assert [t.text for t in again(text)] == [t.text for t in nlp(text)]
    assert again(text)._.pv_label == nlp(text)._.pv_label == "ex_partner"


def test_extensions_register_idempotently():
    register_extensions()
    register_extensions()
    assert Doc.has_extension("pv_label")


@pytest.mark.parametrize("text, tokens", [
    ("tegen zijn (ex-)partner,", ["tegen", "zijn", "(ex-)partner", ","]),
    ("ex-vriendin/partner", ["ex-vriendin", "/", "partner"]),
    ("art.300 Sr", ["art.", "300", "Sr"]),
    ("art. 300 jo. 304 Sr.", ["art.", "300", "jo.", "304", "Sr."]),
    ("zijn ex.", ["zijn", "ex", "."]),
    ("zijn vriend(in)", ["zijn", "vriend(in)"]),
    ("zijn ex-schoonvader", ["zijn", "ex-schoonvader"]),
])
def test_tokenizer(text, tokens):
    nlp = adjust_tokenizer(spacy.blank("nl"))
    assert [t.text for t in nlp(text)] == tokens


def test_tokenizer_adjustment_is_idempotent():
    nlp = adjust_tokenizer(spacy.blank("nl"))
    first = nlp.tokenizer
    assert adjust_tokenizer(nlp).tokenizer is first


def test_term_added_to_register_list_is_found(tmp_path):
    # one source of truth: a term in the register rule set is matched in free text
    terms = tmp_path / "extra.txt"
    terms.write_text("scharrelpartner\n", encoding="utf-8")
    from pv_identify.rules import load_rules

    rules = load_rules("default", extra_terms={"ex_partner": terms})
    nlp = load(rules)
    assert nlp("mishandeling van zijn scharrelpartner")._.pv_label == "ex_partner"
    assert load("default")("mishandeling van zijn scharrelpartner")._.pv_label == "none"


def _write(tmp_path, body):
    path = tmp_path / "text.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_text_rule_file_errors_name_file_and_line(tmp_path):
    path = _write(tmp_path, """\
        name: t
        version: "1"
        settings: {possessive_phrases: false}
        rules:
          - id: a
            label: partner
            rationale: x
            patterns: ["@nope vader"]
        """)
    with pytest.raises(RuleFileError) as err:
        load_text_rules(path)
    assert err.value.line in (5, 8) and "@nope" in str(err.value)


@pytest.mark.parametrize("rule, message", [
    ("{id: a, label: spouse, rationale: x, patterns: [vader]}", "unknown label"),
    ("{id: a, label: partner, rationale: x, patterns: ['vader?']}", "zero tokens"),
    ("{id: a, label: partner, rationale: x}", "neither"),
    ("{id: a, label: partner, rationale: x, patterns: ['re:(']}", "regular expression"),
    ("{id: a, label: partner, rationale: x, patterns: [vader], colour: red}", "unknown key"),
    # every label of a label union is checked
    ("{id: a, label: none, rationale: x, patterns: ['zei @label:child|spouse']}",
     "unknown label 'spouse'"),
    # '!' negates a word, alternation or set, not an expression or "any token"
    ("{id: a, label: none, rationale: x, patterns: ['!re:^x vader']}", "'!' negates"),
    ("{id: a, label: none, rationale: x, patterns: ['!_ vader']}", "'!' negates"),
    ("{id: a, label: none, rationale: x, patterns: ['!@nope vader']}", "unknown set '@nope'"),
])
def test_text_rule_validation(tmp_path, rule, message):
    path = _write(tmp_path, f"""\
        name: t
        version: "1"
        settings: {{possessive_phrases: false}}
        rules:
          - {rule}
        """)
    with pytest.raises(RuleFileError, match=message):
        load_text_rules(path)


def _pipeline(tmp_path, sets_and_rules):
    """The default pipeline with a custom text rule file (its ``sets`` and ``rules``)."""
    head = 'name: t\nversion: "1"\nsettings: {possessive_phrases: false, match_mc_names: false}\n'
    return load("default", text_rules=_write(tmp_path, head + textwrap.dedent(sets_and_rules)))


def _custom_nlp(tmp_path):
    """The default pipeline with a custom text rule file of two rules."""
    return _pipeline(tmp_path, """\
        sets:
          rel: [opa, oma]
        rules:
          - id: my.trap
            label: none
            rationale: grandparents of the victim
            patterns: ["@rel van het slachtoffer"]
          - id: my.speaker
            label: none
            rationale: a relative who speaks
            patterns: ["zei zijn @label:child|parent"]
        """)


def test_custom_text_rules(tmp_path):
    nlp = _custom_nlp(tmp_path)
    assert nlp("mishandeling van de opa van het slachtoffer")._.pv_label == "none"
    assert nlp("mishandeling van zijn opa")._.pv_label == "other_family"


def test_a_negated_element_accepts_every_token_but_its_words(tmp_path):
    """``!@set`` and ``!a|b`` take one token outside the set (its ``re:`` entries too)."""
    nlp = _pipeline(tmp_path, """\
        sets:
          owner: [zijn, haar, "re:^[0-9]"]
        rules:
          - id: my.named_parent
            label: none
            rationale: the son of somebody named, not of an owner
            patterns: ["!@owner zoon van !de|het"]
        """)
    ids = [nlp(text)._.pv_rule_ids for text in (
        "Pieter, zoon van Maarten, werd gestoken",   # a name before and after
        "Hij sloeg zijn zoon van zes",                # an owner before
        "Hij sloeg 2 zoon van Jan",                   # an owner by the set's expression
        "Pieter, zoon van de bakker, werd gestoken")]  # a negated word after
    assert ["my.named_parent" in found for found in ids] == [True, False, False, False]
    # a saved and reloaded pipeline parses its patterns again from their texts (the
    # hashed form): the negation survives (session 49 found it dropped on reload)
    nlp.to_disk(tmp_path / "pipe")
    again = spacy.load(tmp_path / "pipe")
    assert [again(text)._.pv_rule_ids for text in (
        "Pieter, zoon van Maarten, werd gestoken", "Hij sloeg zijn zoon van zes",
        "Hij sloeg 2 zoon van Jan", "Pieter, zoon van de bakker, werd gestoken")] == ids


def test_bundled_text_rules_are_valid():
    rules = load_text_rules()
    assert rules.rules and len(rules.hash) == 16
    assert all(r.rationale for r in rules.rules)


def test_label_union_matches_the_nouns_of_every_label(tmp_path):
    # "@label:child|parent" is the union of "@label:child" and "@label:parent"
    nlp = _custom_nlp(tmp_path)
    for text in ("Hij sloeg hem, zei zijn zoon", "Hij sloeg hem, zei zijn vader"):
        assert "my.speaker" in nlp(text)._.pv_rule_ids
    assert "my.speaker" not in nlp("Hij sloeg hem, zei zijn vrouw")._.pv_rule_ids
