"""Issue 15 points 6, 8 (validation), 9 (rule files) and 11; issue 11: one loader."""

import os
from pathlib import Path

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.cli import main
from pv_identify.cohort.rulefiles import default_rules_dir, load_cohort_rules
from pv_identify.errors import RuleFileError, RuleFileErrors
from pv_identify.evaluate.lint import lint
from pv_identify.rules.loader import load_rule_file, load_rules
from pv_identify.rules.textrules import load_text_rules
from pv_identify.rules.yamlfile import MAX_RULE_FILE_BYTES

BAD = Path(__file__).parents[1] / "badinput" / "rules"

RULE = """\
  - id: my.partner
    field: qualification
    label: partner
    rationale: test
    terms: [levensgezel]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rule_file(folder: Path, head: str = "", rules: str = RULE, name: str = "r.yaml") -> Path:
    return write(folder, name, f"name: t\nversion: '1'\n{head}rules:\n{rules}")


# --- 6: mc_delimiters ------------------------------------------------------------------

@pytest.mark.parametrize("value, got", [("null", "null"), ("''", "an empty string"),
                                        ("5", "int"), ("[';']", "list")])
def test_mc_delimiters_must_be_a_string(tmp_path, value, got):
    path = rule_file(tmp_path, f"settings:\n  case_sensitive: false\n  mc_delimiters: {value}\n")
    with pytest.raises(RuleFileError, match=f"r.yaml:5: 'mc_delimiters' must be a non-empty "
                                            f"string.*got {got}"):
        load_rule_file(path)


def test_rules_validate_reports_mc_delimiters_null(tmp_path, capsys):
    path = rule_file(tmp_path, "settings: {mc_delimiters: null}\n")
    assert main(["rules", "validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "ERROR" in out and "mc_delimiters" in out and "separator characters" in out


# --- issue 11: every error of a file, with its line --------------------------------------

def test_every_error_of_a_file_is_reported(tmp_path):
    rules = RULE + """\
  - id: bad.label
    field: qualification
    label: lover
    rationale: x
    terms: [minnaar]
  - id: bad.field
    field: remarks
    label: partner
    rationale: x
    terms: [vriend]
"""
    path = rule_file(tmp_path, "settings: {mc_delimiters: null}\n", rules)
    with pytest.raises(RuleFileErrors) as info:
        load_rule_file(path)
    lines = sorted(e.line for e in info.value.errors)
    assert lines == [3, 10, 15]
    assert "3 problems" in str(info.value)


def test_duplicate_keys_are_all_reported(tmp_path):
    path = rule_file(tmp_path, "description: a\ndescription: b\nchoices: []\nchoices: []\n")
    with pytest.raises(RuleFileErrors) as info:
        load_rule_file(path)
    assert [e.line for e in info.value.errors] == [4, 6]


def test_yaml_complex_key_is_a_specific_error(tmp_path, capsys):
    path = rule_file(tmp_path, "? [a, b]\n: c\n")
    with pytest.raises(RuleFileError, match=r"r.yaml:3: a mapping key must be a plain name"):
        load_rule_file(path)
    assert main(["tag", str(path), "--rules", str(path)]) == 2


def test_text_rules_and_cohort_files_use_the_same_reader(tmp_path):
    text = write(tmp_path, "t.yaml", "name: t\nname: u\nversion: '1'\nrules: []\n")
    with pytest.raises(RuleFileError, match=r"t.yaml:2: key 'name' appears twice"):
        load_text_rules(text)
    folder = tmp_path / "cohort"
    folder.mkdir()
    for f in default_rules_dir().iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    dens = folder / "density.yaml"
    dens.write_text(dens.read_text(encoding="utf-8") + "\nwindow: 1\nwindow: 2\n",
                    encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"density.yaml:.*appears twice"):
        load_cohort_rules(folder)


def test_lint_lists_every_loader_error(tmp_path):
    rules = RULE + RULE.replace("levensgezel", "echtgenoot")  # duplicate id
    path = rule_file(tmp_path, "settings: {mc_delimiters: 3}\n", rules)
    result = lint(path)
    assert len(result.errors) == 2


# --- 8: dangerous regular expressions -----------------------------------------------------

def test_validate_rejects_catastrophic_regex(tmp_path, capsys):
    path = rule_file(tmp_path, rules=RULE.replace("[levensgezel]", "['re:(a|aa)+$']"))
    assert main(["rules", "validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "catastrophic backtracking" in out and "r.yaml:8" in out
    assert lint(path).errors  # lint and the loader share the check


def test_safe_regex_still_loads(tmp_path):
    path = rule_file(tmp_path, rules=RULE.replace("[levensgezel]", "['re:levens ?gezel(lin)?']"))
    assert load_rule_file(path).rules[0].terms[0].text.startswith("re:")


# --- 11: confinement, regular files, size caps, no contents in errors -------------------

@pytest.mark.parametrize("key, line", [
    ("abbreviations_file", "abbreviations_file: {}\n"),
    ("mc_codes_file", "mc_codes_file: {}\n"),
    ("extends", "extends: {}\n"),
])
def test_referenced_files_outside_the_folder_are_refused(tmp_path, key, line):
    secret = write(tmp_path, "secret/passwd.yaml", "root = x:0:0:root:/root:/bin/bash\n")
    for ref in (str(secret), "../secret/passwd.yaml"):
        path = rule_file(tmp_path / "rules", line.format(ref))
        with pytest.raises(RuleFileError, match="lies outside the rule file's folder") as info:
            load_rule_file(path)
        assert "root:" not in str(info.value) and "bin/bash" not in str(info.value)


def test_terms_file_outside_and_symlinked_out_is_refused(tmp_path):
    secret = write(tmp_path, "secret.txt", "geheim wachtwoord\n")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "link.txt").symlink_to(secret)
    for ref in ("../secret.txt", "link.txt"):
        path = rule_file(tmp_path / "rules", rules=RULE.replace(
            "terms: [levensgezel]", f"terms_file: {ref}"))
        with pytest.raises(RuleFileError, match="outside") as info:
            load_rule_file(path)
        assert "geheim" not in str(info.value)


def test_allow_paths_permits_another_folder(tmp_path):
    write(tmp_path, "shared/abbr.txt", "mish. = mishandeling\n")
    path = rule_file(tmp_path / "rules", "abbreviations_file: ../shared/abbr.txt\n")
    rs = load_rule_file(path, allow_paths=[tmp_path / "shared"])
    assert rs.abbreviations["mish."] == "mishandeling"


def test_text_rule_files_are_confined(tmp_path):
    write(tmp_path, "words.txt", "vriend\n")
    path = write(tmp_path / "t", "t.yaml", "name: t\nversion: '1'\nsettings: "
                 "{possessive_phrases: false}\nsets:\n  w: {file: ../words.txt}\nrules: []\n")
    with pytest.raises(RuleFileError, match="outside"):
        load_text_rules(path)


@pytest.mark.parametrize("make", ["dir", "fifo", "devzero"])
def test_non_regular_files_are_refused(tmp_path, make):
    folder = tmp_path / "rules"
    folder.mkdir()
    target = folder / "abbr"
    if make == "dir":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    path = rule_file(folder, "abbreviations_file: abbr\n")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path, allow_paths=["/dev"])
    assert "folder" in str(info.value) or "not a regular file" in str(info.value)


def test_abbreviations_file_directory_cli_exit_2(tmp_path, capsys):
    (tmp_path / "abbr").mkdir()
    path = rule_file(tmp_path, "abbreviations_file: abbr\n")
    assert main(["rules", "validate", str(path)]) == 2
    assert "is a folder" in capsys.readouterr().out


def test_size_cap(tmp_path):
    big = tmp_path / "abbr.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_RULE_FILE_BYTES + 1)
    path = rule_file(tmp_path, "abbreviations_file: abbr.txt\n")
    with pytest.raises(RuleFileError, match="at most 8,388,608 bytes"):
        load_rule_file(path)


def test_bad_pair_line_is_not_echoed(tmp_path):
    write(tmp_path, "abbr.txt", "root:x:0:0:root:/root:/bin/bash\n")
    path = rule_file(tmp_path, "abbreviations_file: abbr.txt\n")
    with pytest.raises(RuleFileError, match=r"abbr.txt:1: expected 'key = value'") as info:
        load_rule_file(path)
    assert "bin/bash" not in str(info.value)


def test_presets_still_load_with_their_bundled_lists():
    for name in ("default", "wodc2022", "wodc2022_substring", "wodc2022_family"):
        assert load_rules(name).rules


def test_bad_rule_corpus(capsys):
    """Every file of tests/badinput/rules is refused with a file:line error, exit 2."""
    files = sorted(BAD.glob("*.yaml"))
    assert len(files) >= 6
    for path in files:
        assert main(["rules", "validate", str(path)]) == 2, path.name
        out = capsys.readouterr().out
        assert out.startswith("ERROR") and f"{path.name}:" in out, path.name
        assert "Traceback" not in out


def test_tagging_still_equal_after_loader_changes():
    df = pd.DataFrame({"artikelkwalificatie": ["mishandeling, begaan tegen zijn levensgezel",
                                               "zakenpartner bedreigd"]})
    assert pv.tag(df, rules="wodc2022")["pv_label"].tolist() == ["partner", "none"]
