"""``pv-identify synth``: write a synthetic OBJD-style extract."""

from __future__ import annotations

import argparse
import logging
import time
from typing import Any

from pv_identify.synth.config import SynthConfig, SynthConfigError

log = logging.getLogger(__name__)


def _parse_value(text: str) -> Any:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if "," in text:
        return tuple(float(v) for v in text.split(",") if v.strip())
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _overrides(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise SynthConfigError(f"--set expects NAME=VALUE, got {pair!r}")
        name, value = pair.split("=", 1)
        try:
            out[name.strip()] = _parse_value(value.strip())
        except ValueError as exc:
            raise SynthConfigError(f"--set {name}: cannot parse {value!r}") from exc
    return out


def run(args: argparse.Namespace) -> int:
    """Run the ``synth`` command.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments (``output``, ``rows``, ``seed``, ``format``, ``set``,
        ``history``, ``chunk_rows``).

    Returns
    -------
    int
        Exit code 0.
    """
    from pv_identify.synth.writers import write_synthetic

    overrides = _overrides(args.set or [])
    if args.history:
        overrides["emit_history"] = True
    config = SynthConfig().with_overrides(**overrides) if overrides else SynthConfig()
    start = time.perf_counter()
    path = write_synthetic(args.output, args.rows, seed=args.seed, config=config,
                         format=args.format, chunk_rows=args.chunk_rows)
    seconds = time.perf_counter() - start
    log.info("wrote %d rows to %s in %.1f s", args.rows, path, seconds)
    print(f"wrote {args.rows} rows to {path} ({seconds:.1f} s)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``synth`` sub-command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The CLI's sub-parsers.

    Returns
    -------
    argparse.ArgumentParser
        The new parser.
    """
    parser = subparsers.add_parser(
        "synth",
        help="write a synthetic OBJD-style extract with known truth",
        description=(
            "Generate a synthetic extract (one row per offence, registration years "
            "2008-2022 by default) with the hidden column true_relationship, and write "
            "it as CSV, Parquet or SPSS .sav (from the suffix). Deterministic per seed."
        ),
    )
    parser.add_argument("output", help="output file (.csv, .parquet or .sav)")
    parser.add_argument("-n", "--rows", type=int, default=100_000,
                        help="exact number of offence rows (default 100000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--format", choices=("csv", "parquet", "sav"),
                        help="output format (default: from the suffix)")
    parser.add_argument("--history", action="store_true",
                        help="also emit prior cases registered before 2008")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="override a SynthConfig parameter (repeatable); tuples as "
                             "comma-separated numbers, e.g. --set ex_partner_share=0.3")
    parser.add_argument("--chunk-rows", type=int, default=250_000,
                        help="rows per streamed chunk (default 250000)")
    parser.set_defaults(func=run)
    return parser
