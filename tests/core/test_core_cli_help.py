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
