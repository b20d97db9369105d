"""Command-line interface ``pv-identify``.

Each sub-command lives in its own module with a ``register(subparsers)`` function
that adds its parser and sets ``func`` to the function that runs it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pv_identify._version import __version__
from pv_identify.errors import PvIdentifyError

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "pv_identify.cli.tag",
    "pv_identify.cli.explain",
    "pv_identify.cli.rules",
    "pv_identify.cli.synth",
    "pv_identify.cli.cohort",
    "pv_identify.cli.compare",
    "pv_identify.cli.evaluate",
    "pv_identify.cli.evaluate_text",
    "pv_identify.cli.lint",
    "pv_identify.cli.report",
    "pv_identify.cli.text",
    "pv_identify.cli.train",
    "pv_identify.cli.sample",
    "pv_identify.cli.estimate",
)


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Help formatter that shows each option's default (unless the help already does).

    Unlike :class:`argparse.ArgumentDefaultsHelpFormatter` it leaves out empty defaults
    (None, False, empty lists) and help texts that already name their default.
    """

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if ("%(default)" in text or "default" in text.lower() or not action.option_strings
                or default in (None, False, "", [], ()) or default is argparse.SUPPRESS):
            return text
        shown = " ".join(map(str, default)) if isinstance(default, list | tuple) else default
        return f"{text} (default: {str(shown).replace('%', '%%')})"


def _show_defaults(parser: argparse.ArgumentParser) -> None:
    """Use :class:`DefaultsHelpFormatter` in ``parser`` and all its sub-commands."""
    parser.formatter_class = DefaultsHelpFormatter
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _show_defaults(sub)


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level argument parser with all sub-commands.

    Returns
    -------
    argparse.ArgumentParser
        The parser.
    """
    parser = argparse.ArgumentParser(
        prog="pv-identify",
        description="Find partner violence and domestic violence in Dutch judicial records.",
    )
    parser.add_argument("--version", action="version", version=f"pv_identify {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    _show_defaults(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit code: 0 on success, 2 on a usage or data error.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except PvIdentifyError as exc:
        print(f"pv-identify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        print(f"pv-identify: {str(exc) or 'interrupted'}; no output was written.",
              file=sys.stderr)
        return int(getattr(exc, "exit_code", 130))
