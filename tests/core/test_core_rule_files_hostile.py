"""Broken copies of the grammar, text-rule, preset and cohort files (session-5 QA).

Each mistake is a :class:`RuleFileError` naming file and line; none is silently
ignored, crashes later, hangs or exhausts memory.
"""

from __future__ import annotations

import itertools
import shutil
import time
from pathlib import Path

import pytest

from pv_identify.cohort.rulefiles import load_cohort_rules
from pv_identify.errors import RuleFileError
from pv_identify.rules.grammar import CompiledGrammar, load_grammar
from pv_identify.rules.loader import load_rules
from pv_identify.rules.textrules import load_text_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"


def _grammar(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the default grammar with ``old`` replaced by ``new``."""
    text = (RULES / "grammar" / "default.yaml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace("../text/modifiers.txt", str(RULES / "text" / "modifiers.txt"))
    shutil.copy(RULES / "grammar" / "strangers.txt", tmp_path / "strangers.txt")
    path = tmp_path / "grammar.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _edited_copy(tmp_path: Path, folder: str, name: str, old: str, new: str) -> Path:
    """A copy of the bundled ``rules/<folder>`` with ``old`` replaced by ``new`` in ``name``."""
    shutil.copytree(RULES / folder, tmp_path / folder)
    path = tmp_path / folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _error(path: Path, loader=load_grammar) -> str:
    with pytest.raises(RuleFileError) as info:
        loader(path)
    return str(info.value)


STRANGER = "stranger: {file: strangers.txt}"


def test_the_copy_itself_loads(tmp_path):
    grammar = load_grammar(_grammar(tmp_path, STRANGER, STRANGER))
    assert len(grammar.words["stranger"]) > 10
    CompiledGrammar(grammar)


@pytest.mark.parametrize(("new", "expected"), [
    # a misspelt key left the word set empty: no stranger was known any more
    ("stranger: {files: strangers.txt}", "word set 'stranger': unknown key(s) 'files'"),
    ("stranger: {file: strangers.txt, items: buurman}", "'items' must be a list of words"),
    ("stranger: {file: {a: 1}}", "'file' must be a file name or a list of file names"),
    # 're:' is read in 'modifier' only: elsewhere the item was dropped without a word
    ("stranger: ['re:buur.*']", "'re:' items are only read in 'modifier'"),
])
def test_word_set_mistakes_are_reported_with_their_line(tmp_path, new, expected):
    path = _grammar(tmp_path, STRANGER, new)
    line = path.read_text(encoding="utf-8").splitlines().index(f"  {new}") + 1
    message = _error(path)
    assert f"{path}:{line}: " in message and expected in message


MODIFIERS = "items: [latere,"


@pytest.mark.parametrize(("item", "expected"), [
    ("'re:('", "invalid regular expression after 're:'"),  # was re.error at compile time
    ("'re:x*'", "matches the empty string"),  # every word a modifier
    ("'re:^(a|aa)+$'", "catastrophic backtracking"),  # hung on a long word
])
def test_modifier_expressions_are_checked_when_loaded(tmp_path, item, expected):
    path = _grammar(tmp_path, MODIFIERS, f"items: [{item}, latere,")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if item in text)
    message = _error(path)
    assert f"{path}:{line}: " in message and expected in message


def test_a_referenced_file_outside_the_folder_is_named_once(tmp_path):
    message = _error(_grammar(tmp_path, STRANGER, "stranger: {file: ../../../etc/passwd}"))
    assert message.count("grammar.yaml") == 1  # was 'file:line: file:line: ...'
    assert "lies outside the rule file's folder" in message


def _bomb(levels: int = 6) -> str:
    names = "abcdefghi"[:levels]
    lines = [f"x_{names[0]}: &{names[0]} [x, x, x, x, x, x, x, x, x]"]
    lines += [f"x_{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]"
              for prev, cur in itertools.pairwise(names)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_a_word_set_is_refused_quickly(tmp_path):
    # str() of every item expanded the 9**levels aliases: 9 levels ran out of memory
    path = _grammar(tmp_path, "  conjunction: [en]", "  conjunction: [*f]")
    path.write_text(_bomb() + path.read_text(encoding="utf-8"), encoding="utf-8")
    start = time.perf_counter()
    message = _error(path)
    assert "YAML aliases (*name) repeat" in message
    assert len(message) < 2000 and time.perf_counter() - start < 5


def test_an_alias_bomb_in_a_cohort_file_is_refused(tmp_path):
    # cohort category aliases were str()-ed item by item: 9 levels were killed by the OOM
    countries = _edited_copy(tmp_path, "cohort", "countries.yaml",
                             '  Marokko: ["marokko", "morocco"]', '  Marokko: ["marokko", *i]')
    countries.write_text(_bomb(9) + countries.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="YAML aliases"):
        load_cohort_rules(countries.parent)


def test_a_recursive_alias_is_refused(tmp_path):
    # '&r [en, *r]' is a list that contains itself: loaded, it never ends when walked
    path = _grammar(tmp_path, "  conjunction: [en]", "  conjunction: &r [en, *r]")
    line = path.read_text(encoding="utf-8").splitlines().index("  conjunction: &r [en, *r]")
    assert f"{path}:{line + 1}: a YAML alias refers to a list or mapping that contains it" \
        in _error(path)


def test_deep_nesting_is_a_rule_file_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nversion: '1'\nrules: " + "[" * 5000 + "]" * 5000 + "\n",
                    encoding="utf-8")
    assert "nested too deeply" in _error(path, load_rules)


def test_a_catastrophic_text_rule_expression_is_refused(tmp_path):
    # register rules refused it; a text rule set took it and every text with a long
    # matching word came out as an error ('none') after the time-out
    path = _edited_copy(tmp_path, "text", "default.yaml", '  age: ["re:jarige$"]',
                        '  age: ["re:jarige$", "re:^(a|aa)+$"]')
    message = _error(path, load_text_rules)
    assert f"{path}:" in message and "catastrophic backtracking" in message


@pytest.mark.parametrize(("name", "expected"), [(".", "is a folder, not a grammar file"),
                                                ("nope.yaml", "not found")])
def test_a_grammar_key_naming_no_file_points_at_its_line(tmp_path, name, expected):
    path = tmp_path / "u.yaml"
    path.write_text(f'name: u\nversion: "1"\nextends: default\n\ngrammar: {name}\nrules: []\n',
                    encoding="utf-8")
    message = _error(path, load_rules)
    assert message.startswith(f"{path}:5: grammar file {name!r} {expected}")  # was line 1


@pytest.mark.parametrize(("pattern", "expected"), [
    # 'vormden{0,' normalised to the word 'vormden0': a rule that never fired
    ("vormden{0, koppel", "malformed quantifier"),
    ("vormden _{,3} koppel", "malformed quantifier"),
    # 'ex/partner' normalises to 'ex / partner', three tokens: never one token
    ("een ex/partner", "is not one word after normalisation"),
])
def test_a_text_pattern_element_that_can_never_match_is_refused(tmp_path, pattern, expected):
    folder = tmp_path / "text"
    shutil.copytree(RULES / "text", folder)
    path = folder / "default.yaml"
    old = '- "vormden|vormde in het verleden|vroeger|ooit een @couple"'
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, f'- "{pattern}"'), encoding="utf-8")
    message = _error(path, load_text_rules)
    assert "(rule 'text.ex_partner.former_couple')" in message and expected in message


def test_a_grammar_rule_may_not_take_a_register_rule_id(tmp_path):
    # pv_rule_ids said 'default.qual.partner' for a grammar decision 'child', and
    # disable=['default.qual.partner'] switched off both rules
    grammar = _grammar(tmp_path, "  - id: grammar.stepchild", "  - id: default.qual.partner")
    preset = tmp_path / "u.yaml"
    preset.write_text(f'name: u\nversion: "1"\nextends: default\ngrammar: {grammar.name}\n'
                      "rules: []\n", encoding="utf-8")
    line = grammar.read_text(encoding="utf-8").splitlines().index(
        "  - id: default.qual.partner") + 1
    message = _error(preset, load_rules)
    assert f"{grammar}:{line}: grammar rule id 'default.qual.partner' is also a rule id" \
        in message


def test_a_text_rule_may_not_take_a_register_rule_id(tmp_path):
    from pv_identify.text import tag_texts

    folder = tmp_path / "text"
    shutil.copytree(RULES / "text", folder)
    path = folder / "default.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - id: text.ex_partner.former_couple"
    assert old in text
    path.write_text(text.replace(old, "  - id: default.qual.partner"), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"text rule id 'default\.qual\.partner' is also a "
                                            r"rule id") as info:
        tag_texts(["Hij sloeg zijn vrouw."], text_rules=load_text_rules(path))
    assert info.value.path == str(path) and info.value.line is not None


def test_rules_validate_reads_grammar_and_text_rule_files(tmp_path, capsys):
    # every file was validated as a register rule file: the bundled grammar and text
    # rules 'failed' with dozens of "unknown key(s) 'patterns'/'of'" errors
    from pv_identify.cli import main

    files = [RULES / "grammar" / "default.yaml", RULES / "text" / "default.yaml",
             RULES / "presets" / "default.yaml"]
    assert main(["rules", "validate", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "OK    " + str(files[0]) + ": grammar grammar_default" in out
    assert "OK    " + str(files[1]) + ": text rules text_default" in out
    broken = _grammar(tmp_path, STRANGER, "stranger: {files: strangers.txt}")
    assert main(["rules", "validate", str(broken)]) == 2
    assert "word set 'stranger': unknown key(s) 'files'" in capsys.readouterr().out


@pytest.mark.parametrize("name,loader", [
    ("presets/wodc2022.yaml", load_rules),
    ("text/default.yaml", load_text_rules),
    ("grammar/default.yaml", load_grammar),
])
def test_unquoted_decimal_version_is_refused(tmp_path, name, loader):
    """'version: 1.10' is the number 1.1 to YAML: refused at its line, not read as '1.1'."""
    shutil.copytree(RULES, tmp_path / "rules")
    path = tmp_path / "rules" / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("version:"))
    lines[at] = "version: 1.10\n"
    path.write_text("".join(lines), encoding="utf-8")
    message = _error(path, loader)
    assert f"{path}:{at + 1}: 'version' must be written in quotes" in message
    assert "the number 1.1" in message
    lines[at] = 'version: "1.10"\n'
    path.write_text("".join(lines), encoding="utf-8")
    if loader is not load_grammar:  # the grammar's modifier file lies outside its copy
        assert loader(path).version == "1.10"
