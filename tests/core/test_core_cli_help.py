"""Issue 15 newcomer friction: help texts show defaults; the README's accessor claim."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.cli import build_parser


def _parsers(parser: argparse.ArgumentParser, name: str = "pv-identify"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def test_every_option_with_a_default_shows_it():
    for name, parser in _parsers(build_parser()):
        formatter = parser._get_formatter()
        for action in parser._actions:
            default = action.default
            if (not action.option_strings or action.help in (None, argparse.SUPPRESS)
                    or default in (None, False, "", [], ()) or default is argparse.SUPPRESS):
                continue
            text = formatter._expand_help(action) if "%" in formatter._get_help_string(
                action) else formatter._get_help_string(action)
            assert "default" in text.lower(), (name, action.option_strings)


@pytest.mark.parametrize("command", ["train", "sample", "cohort", "tag", "estimate"])
def test_help_shows_defaults_not_python_lists(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    out = capsys.readouterr().out
    assert "default" in out and "['" not in out


def test_cohort_help_says_why_it_uses_wodc2022(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["cohort", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "default: wodc2022, the published method" in out
    assert "2014-01-01 2017-12-31" in out


def test_readme_accessor_statement_is_true():
    """README: ``df.pv.tag("wodc2022")`` is the same as ``pv.tag(df, rules="wodc2022")``."""
    df = pd.DataFrame({"artikelkwalificatie": ["mishandeling, begaan tegen zijn ex-vriendin",
                                               "mishandeling, begaan tegen zijn levensgezel"],
                       "wetsartikel": ["300 Sr", "300 Sr"]})
    pd.testing.assert_frame_equal(df.pv.tag("wodc2022"), pv.tag(df, rules="wodc2022"))
    pd.testing.assert_frame_equal(df.pv.tag(), pv.tag(df))  # both default to "default"
    assert df.pv.tag()["pv_label"].tolist() == ["ex_partner", "partner"]


ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _readme_commands() -> list[list[str]]:
    import re
    import shlex

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                part = part.split("  #")[0].strip()
                if part.startswith("pv-identify "):
                    out.append(shlex.split(part)[1:])
    return out


def test_readme_commands_parse_and_read_files_that_exist():
    """Every README command parses and reads shipped files or outputs of earlier ones."""
    commands = _readme_commands()
    assert len(commands) >= 10
    written: set[str] = set()
    for argv in commands:
        args = build_parser().parse_args(argv)
        for name in ("input", "extract", "files"):
            value = getattr(args, name, None)
            for path in value if isinstance(value, list) else [value]:
                if isinstance(path, str) and "/" in path:
                    assert (ROOT / path).exists() or path in written, (argv, path)
        for name in ("output", "cases", "persons"):
            if getattr(args, name, None):
                written.add(getattr(args, name))


def test_quick_start_installs_the_extras_its_examples_use():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    step1 = next(line for line in readme.splitlines() if line.startswith("python -m pip")
                 and "pv-identify tag" in line)
    for extra in ("formats", "model", "report", "cohort"):
        assert extra in extras and extra in step1.split('"')[1]
    assert "apt-get install chromium" in readme


def test_ci_removes_its_temporary_folder():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "trap 'rm -rf \"$work\"' EXIT" in script
    assert "/tmp/" not in script  # nothing left in fixed temporary paths
