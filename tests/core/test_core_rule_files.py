"""Loading and validating rule files: every error names file, line and what is expected."""

import textwrap

import pytest

from pv_identify import RuleFileError, load_rules
from pv_identify.rules.loader import load_rule_file

RULE = """\
    - id: t.qual.partner
      field: qualification
      label: partner
      rationale: test
      terms: [levensgezel]
"""


def write(tmp_path, body, name="rules.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def rules_file(tmp_path, rules_body, header='name: t\nversion: "1"\n'):
    return write(tmp_path, header + "rules:\n" + textwrap.indent(textwrap.dedent(rules_body), "  "))


def error_of(path):
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    return info.value


def test_valid_file_loads(tmp_path):
    rs = load_rule_file(rules_file(tmp_path, RULE))
    assert [r.id for r in rs.rules] == ["t.qual.partner"]
    assert rs.rules[0].terms[0].line == 8


def test_unknown_key_names_line_and_expected_keys(tmp_path):
    path = rules_file(tmp_path, RULE + "      colour: red\n")
    err = error_of(path)
    assert err.path == str(path) and err.line == 4 and err.rule_id == "t.qual.partner"
    assert "'colour'" in str(err) and "expected one of" in str(err) and "terms" in str(err)


def test_unknown_top_level_key(tmp_path):
    err = error_of(write(tmp_path, 'name: t\nversion: "1"\nrulez: []\nrules: []\n'))
    assert "'rulez'" in str(err)


def test_duplicate_ids(tmp_path):
    err = error_of(rules_file(tmp_path, RULE + RULE.replace("levensgezel", "echtgenoot")))
    assert err.line == 9 and "duplicate rule id" in str(err) and "line 4" in str(err)


def test_empty_term(tmp_path):
    err = error_of(rules_file(tmp_path, RULE.replace("[levensgezel]", '[levensgezel, ""]')))
    assert "must not be empty" in str(err)


def test_term_empty_after_normalisation(tmp_path):
    """'()' or '"( )"' normalise to nothing: the term could never match, so it is refused."""
    for term in ('"()"', '"( )"', '"()*"', "'\"\"'"):
        path = rules_file(tmp_path, RULE.replace("[levensgezel]", f"[levensgezel, {term}]"))
        err = error_of(path)
        assert err.line == 8 and "empty after normalisation" in str(err), term


def test_unknown_label_and_field(tmp_path):
    err = error_of(rules_file(tmp_path, RULE.replace("label: partner", "label: spouse")))
    assert "unknown label 'spouse'" in str(err) and "ex_partner" in str(err)
    err = error_of(rules_file(tmp_path, RULE.replace("field: qualification", "field: text")))
    assert "unknown field 'text'" in str(err)


def test_invalid_regex_and_bad_wildcard(tmp_path):
    err = error_of(rules_file(tmp_path, RULE.replace("[levensgezel]", '["re:(unclosed"]')))
    assert "invalid regular expression" in str(err)
    err = error_of(rules_file(tmp_path, RULE.replace("[levensgezel]", '["re:x*"]')))
    assert "matches the empty string" in str(err)
    err = error_of(rules_file(tmp_path, RULE.replace("[levensgezel]", '["le*vens"]')))
    assert "'*' is only allowed" in str(err)


def test_invalid_article(tmp_path):
    body = RULE.replace("field: qualification", "field: article").replace(
        "terms: [levensgezel]", 'articles: ["300 jo 304 Sr"]')
    err = error_of(rules_file(tmp_path, body))
    assert "exactly one article" in str(err)


def test_items_key_must_fit_the_field(tmp_path):
    body = RULE.replace("field: qualification", "field: mc")
    err = error_of(rules_file(tmp_path, body))
    assert "takes 'values'" in str(err)


def test_term_file_errors_point_at_the_term_file(tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("# comment\nlevensgezel\n\nlevensgezel   # again\n", encoding="utf-8")
    body = RULE.replace("terms: [levensgezel]", "terms_file: terms.txt")
    err = error_of(rules_file(tmp_path, body))
    assert err.path == str(terms) and err.line == 4 and "duplicate item" in str(err)
    err = error_of(rules_file(tmp_path, RULE.replace("terms: [levensgezel]",
                                                     "terms_file: missing.txt")))
    assert "terms_file 'missing.txt' not found" in str(err)


def test_same_term_with_two_labels_is_refused(tmp_path):
    other = RULE.replace("t.qual.partner", "t.qual.child").replace("label: partner",
                                                                   "label: child")
    err = error_of(rules_file(tmp_path, RULE + other))
    assert "one item, one label" in str(err)


def test_yaml_syntax_error_has_line(tmp_path):
    err = error_of(write(tmp_path, 'name: t\nversion: "1"\nrules:\n  - id: [unclosed\n'))
    assert err.line is not None and "invalid YAML" in str(err)


def test_duplicate_yaml_key(tmp_path):
    err = error_of(write(tmp_path, 'name: t\nname: u\nversion: "1"\nrules: []\n'))
    assert err.line == 2 and "appears twice" in str(err)


def test_veto_must_name_a_rule(tmp_path):
    body = RULE.replace("label: partner", "label: none") + "      vetoes: [nope]\n"
    assert "'vetoes' names 'nope'" in str(error_of(rules_file(tmp_path, body)))
    body = RULE + "      vetoes: [t.qual.partner]\n"
    assert "only exclusion rules" in str(error_of(rules_file(tmp_path, body)))


def test_extends_override_and_disable(tmp_path):
    body = ('name: mine\nversion: "1"\nextends: wodc2022\ndisable: [wodc.qual.child]\n'
            "rules:\n" + textwrap.indent(textwrap.dedent(RULE), "  ").replace(
                "t.qual.partner", "wodc.qual.partner"))
    rs = load_rule_file(write(tmp_path, body))
    ids = [r.id for r in rs.rules]
    assert "wodc.qual.child" not in ids and "wodc.mc.partner" in ids
    assert [t.text for t in rs.rule("wodc.qual.partner").terms] == ["levensgezel"]
    assert rs.files[0].endswith("wodc2022.yaml")


def test_missing_preset_lists_presets():
    with pytest.raises(RuleFileError, match="presets: default"):
        load_rules("nonexistent")


def test_hash_changes_with_content_not_with_location(tmp_path):
    a = load_rule_file(rules_file(tmp_path, RULE))
    (tmp_path / "sub").mkdir()
    b = load_rule_file(rules_file(tmp_path / "sub", "\n" + RULE))
    c = load_rule_file(rules_file(tmp_path, RULE.replace("levensgezel", "levensgezellin")))
    assert a.hash == b.hash
    assert a.hash != c.hash


def test_extra_terms_and_selection(tmp_path):
    terms = tmp_path / "my_terms.txt"
    terms.write_text("ex-verloofde\nbijzit\n", encoding="utf-8")
    rs = load_rules("wodc2022", extra_terms={"ex_partner": terms}, disable=["article"])
    assert "extra.qualification.ex_partner.my_terms" in [r.id for r in rs.rules]
    assert not any(r.field == "article" for r in rs.rules)
    with pytest.raises(KeyError, match="not a rule id or group"):
        load_rules("wodc2022", disable=["nope"])


def test_every_bundled_preset_validates():
    from pv_identify.rules import preset_names

    names = preset_names()
    assert {"wodc2022", "wodc2022_substring", "default"} <= set(names)
    for name in names:
        rs = load_rules(name)
        assert all(r.rationale for r in rs.rules)
        assert len({r.id for r in rs.rules}) == len(rs.rules)
