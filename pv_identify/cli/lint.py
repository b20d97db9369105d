"""``pv-identify lint``: check a rule file or term list."""

from __future__ import annotations

import argparse
import json

from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    mapping_from_args,
    read_options,
)
from pv_identify.evaluate.lint import lint, lint_to_dict
from pv_identify.io.atomic import atomic_write_text
from pv_identify.io.readers import read_extract
from pv_identify.io.samefile import check_paths

_LEVELS = {"error": 0, "warning": 1, "info": 2}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``lint`` sub-command."""
    parser = subparsers.add_parser(
        "lint", help="check a rule file or term list",
        description="Report duplicates, terms shadowed by other terms, terms that never match "
                    "an extract, regular expressions that backtrack catastrophically, and "
                    "terms that fire inside unrelated words. Every finding names file and "
                    "line. Exit code 1 when there are errors.",
        epilog="example: pv-identify lint my_terms.txt --label ex_partner "
               "--extract examples/sample_extract.csv")
    parser.add_argument("target", help="rule file (.yaml), term list (.txt) or preset name")
    parser.add_argument("--label", help="label of a term list (default: the file name if it "
                        "is a label, e.g. ex_partner.txt)")
    parser.add_argument("--base", default="default",
                        help="rule set a term list is added to; default: %(default)s")
    parser.add_argument("--extract", metavar="FILE",
                        help="extract to test the terms on (never-matching terms, words)")
    parser.add_argument("--show-texts", action="store_true",
                        help="list words of the extract a term fires inside (sensitive)")
    parser.add_argument("--timeout", type=float, default=0.25, metavar="SECONDS",
                        help="time a regular expression may take on one text; "
                             "default: %(default)s")
    parser.add_argument("--severity", choices=list(_LEVELS), default="info",
                        help="lowest severity to print; default: %(default)s")
    parser.add_argument("--json", metavar="FILE", help="also write the findings as JSON")
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``lint``."""
    check_paths({"target": args.target, "--extract": args.extract}, {"--json": args.json})
    extract = read_extract(args.extract, **read_options(args)) if args.extract else None
    result = lint(args.target, base=args.base, label=args.label, extract=extract,
                  columns=mapping_from_args(args), show_texts=args.show_texts,
                  timeout=args.timeout)
    limit = _LEVELS[args.severity]
    for issue in result.issues:
        if _LEVELS[issue.severity] <= limit:
            print(issue.format())
    print(result.format().splitlines()[-1])
    if args.json:
        atomic_write_text(args.json, json.dumps(lint_to_dict(result), indent=2,
                                                 ensure_ascii=False))
    return 1 if result.errors else 0
