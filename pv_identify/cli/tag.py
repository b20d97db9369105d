"""``pv-identify tag``: tag an extract file (file in → file out)."""

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
from pv_identify.stream.runner import tag_file


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``tag`` sub-command."""
    parser = subparsers.add_parser(
        "tag", help="tag an extract file with labels, flags and provenance",
        description="Tag every offence of an extract (CSV, Parquet, SPSS .sav, Stata .dta, "
                    "Excel) and write all original columns plus the pv_* columns. The output "
                    "appears only when the whole run succeeded.")
    parser.add_argument("input", help="input extract")
    parser.add_argument("-o", "--output", help="output file (format from the suffix); "
                        "omit to print the summary only")
    parser.add_argument("--cases", metavar="FILE", help="write the case roll-up here")
    parser.add_argument("--persons", metavar="FILE", help="write the person roll-up here")
    parser.add_argument("--chunk-rows", type=int, default=None, metavar="N",
                        help="rows per chunk (memory use); default 200000, 100000 with "
                             "--model (its first pass over Parquet: 300000)")
    parser.add_argument("--no-progress", action="store_true", help="do not show progress")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace pv_* columns already present in the input")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="worker processes for tagging; default 1 (more is rarely "
                             "faster: distinct values are cached)")
    add_rule_options(parser)
    add_model_options(parser)
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``tag``."""
    if args.chunk_rows is not None and args.chunk_rows < 1:
        raise SystemExit("pv-identify: error: --chunk-rows must be at least 1")
    summary = tag_file(
        args.input, args.output, tagger_from_args(args), columns=mapping_from_args(args),
        chunk_rows=args.chunk_rows, cases_path=args.cases, persons_path=args.persons,
        progress=not args.no_progress, overwrite=args.overwrite, n_jobs=args.jobs,
        **read_options(args))
    print(summary.format())
    for label, path in (("output", args.output), ("cases", args.cases),
                        ("persons", args.persons)):
        if path:
            print(f"{label:<16}{path}")
    return 0
