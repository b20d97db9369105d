"""Options shared by several sub-commands (rule set, column mapping, reading input)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypedDict

from pv_identify.errors import EncodingError, PvIdentifyError
from pv_identify.io.encoding import parse_encoding
from pv_identify.io.mapping import parse_map_options, read_mapping_config
from pv_identify.rules.loader import load_rules
from pv_identify.rules.ruleset import RuleSet
from pv_identify.tagger import Tagger


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--rules``, ``--extra-rules``, ``--terms``, ``--enable``, ``--disable``."""
    group = parser.add_argument_group("rules")
    group.add_argument("--rules", default="default",
                       help="preset name (default, wodc2022, wodc2022_substring) or a rule "
                            "file (.yaml); default: %(default)s")
    group.add_argument("--extra-rules", action="append", default=[], metavar="FILE",
                       help="rule file whose rules are added on top (repeatable)")
    group.add_argument("--terms", action="append", default=[], metavar="LABEL=FILE",
                       help="plain-text term list added as qualification rule with LABEL, "
                            "e.g. ex_partner=my_terms.txt (repeatable)")
    group.add_argument("--enable", action="append", default=None, metavar="ID_OR_GROUP",
                       help="keep only these rules / groups (repeatable)")
    group.add_argument("--disable", action="append", default=[], metavar="ID_OR_GROUP",
                       help="switch off a rule or group (repeatable)")


def rules_from_args(args: argparse.Namespace) -> RuleSet:
    """Load the rule set the options describe."""
    extra_terms = {}
    for option in args.terms:
        label, sep, path = option.partition("=")
        if not sep or not label or not path:
            raise PvIdentifyError(f"--terms expects LABEL=FILE, got {option!r}")
        extra_terms[label.strip()] = Path(path.strip())
    try:
        return load_rules(args.rules, extra=args.extra_rules, extra_terms=extra_terms,
                          enable=args.enable, disable=args.disable or None)
    except KeyError as exc:
        raise PvIdentifyError(str(exc.args[0])) from None


def add_mapping_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--map FIELD=COLUMN`` and ``--config FILE``."""
    group = parser.add_argument_group("columns")
    group.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                       help="which column holds a field, e.g. qualification=kwal_tekst; "
                            "mc=mc1,mc2 for several MC columns (repeatable)")
    group.add_argument("--config", metavar="FILE",
                       help="TOML file with a [columns] table (field = column)")


def mapping_from_args(args: argparse.Namespace) -> dict[str, str | list[str]]:
    """Column mapping from ``--config`` then ``--map`` (``--map`` wins)."""
    mapping: dict[str, str | list[str]] = {}
    if getattr(args, "config", None):
        mapping.update(read_mapping_config(args.config))
    mapping.update(parse_map_options(getattr(args, "map", [])))
    return mapping


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--model``, ``--threshold`` and ``--no-refine-unspecified``."""
    group = parser.add_argument_group("model")
    group.add_argument("--model", default=None, metavar="MODEL",
                       help="also use the learned model: 'default' (shipped) or a model "
                            "file; rules decide where they fire, the model labels the rest")
    group.add_argument("--threshold", type=float, default=0.5,
                       help="model threshold (with --model); default: %(default)s")
    group.add_argument("--no-refine-unspecified", dest="refine_unspecified",
                       action="store_false",
                       help="do not let the model name the relationship where the rules "
                            "found only domestic_unspecified (default: it may)")


def tagger_from_args(args: argparse.Namespace) -> Tagger:
    """Build the :class:`~pv_identify.Tagger` the rule and model options describe (bound)."""
    model = getattr(args, "model", None)
    tagger = Tagger(rules_from_args(args), model=model,
                    threshold=getattr(args, "threshold", 0.5),
                    refine_unspecified=getattr(args, "refine_unspecified", True))
    return tagger.bind()


def _encoding_option(value: str) -> str:
    """Validate ``--encoding`` (the command passes it to its readers)."""
    try:
        parse_encoding(value)
    except EncodingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


class ReadOptions(TypedDict):
    """Reader keywords of a command's input options (see :func:`read_options`)."""

    encoding: str | None
    sheet: str | None


def read_options(args: argparse.Namespace) -> ReadOptions:
    """Return the reader keywords (``encoding``, ``sheet``) of a command's input options.

    The values are passed explicitly to every reader call of the command; nothing is
    kept between calls (a Python call after :func:`pv_identify.cli.main` reads with
    its own arguments only).
    """
    return {"encoding": getattr(args, "encoding", None) or None,
            "sheet": getattr(args, "input_sheet", None) or None}


def add_input_options(parser: argparse.ArgumentParser, sheet_option: str = "--sheet") -> None:
    """Add ``--encoding`` and ``--sheet`` for commands that read extract files.

    ``sheet_option`` renames ``--sheet`` where a command already uses that name.

    The command passes the values to its readers explicitly (see :func:`read_options`);
    the sheet is stored as ``args.input_sheet`` whatever the option is called.
    """
    group = parser.add_argument_group("input")
    group.add_argument("--encoding", default=None, type=_encoding_option, metavar="NAME",
                       help="text encoding of CSV/SPSS input, e.g. utf-8, cp1252, utf-16, "
                            "or utf-8:replace (invalid bytes become U+FFFD, with a "
                            "warning); default: detected (BOM, else strict UTF-8, else "
                            "cp1252 for files without any UTF-8 character)")
    group.add_argument(sheet_option, dest="input_sheet", default=None, metavar="NAME",
                       help="Excel sheet to read; required when the workbook has several")
