"""``pv-identify explain``: show which rules decided one record."""

from __future__ import annotations

import argparse

from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    add_model_options,
    add_rule_options,
    mapping_from_args,
    read_options,
    tagger_from_args,
)
from pv_identify.errors import PvIdentifyError
from pv_identify.explain import explain
from pv_identify.io.readers import iter_extract


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explain`` sub-command."""
    parser = subparsers.add_parser(
        "explain", help="explain the decision on one record",
        description="Explain which rules matched which text. Give the fields directly "
                    "(--qualification/--article/--mc) or a file and a row number.")
    parser.add_argument("input", nargs="?", help="extract file (with --row)")
    parser.add_argument("--row", type=int, metavar="N",
                        help="0-based row number in the input file")
    parser.add_argument("-q", "--qualification", help="artikelkwalificatie text")
    parser.add_argument("-a", "--article", help="wetsartikel notation")
    parser.add_argument("-m", "--mc", help="maatschappelijke classificatie(s), ';'-separated")
    add_rule_options(parser)
    add_model_options(parser)
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``explain``."""
    record = context = None
    if args.input is not None:
        if args.row is None or args.row < 0:
            raise PvIdentifyError("give --row N (0-based) with an input file")
        seen = 0
        for chunk in iter_extract(args.input, chunk_rows=100_000,
                                  **read_options(args)):
            if args.row < seen + len(chunk):
                record, context = chunk.loc[args.row], chunk
                break
            seen += len(chunk)
        else:
            raise PvIdentifyError(f"{args.input}: row {args.row} does not exist "
                                  f"(the file has {seen} rows)")
    elif args.qualification is None and args.article is None and args.mc is None:
        raise PvIdentifyError("give --qualification/--article/--mc, or a file with --row")
    result = explain(record, columns=mapping_from_args(args),
                     qualification=args.qualification, mc=args.mc, article=args.article,
                     context=context if args.model is not None else None,
                     tagger=tagger_from_args(args))
    print(result)
    return 0
