"""``pv-identify text``: tag free text (a text column of a file, or one ``--text``)."""

from __future__ import annotations

import argparse
import json
import math
import sys

from pv_identify.cli.options import (
    add_input_options,
    add_rule_options,
    read_options,
    rules_from_args,
)
from pv_identify.combine_text import POLICIES
from pv_identify.errors import ColumnMappingError, PvIdentifyError
from pv_identify.io.samefile import check_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``text`` sub-command."""
    parser = subparsers.add_parser(
        "text", help="tag free text (ruling summaries, narratives) with relationship labels",
        description="Run the text-mode rules (register terms plus phrase patterns and traps "
                    "from rules/text/) over a text column of a CSV/Parquet/SPSS/Stata/Excel "
                    "file, or over one --text. Each distinct text is processed once.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("input", nargs="?", help="input file with a text column")
    source.add_argument("--text", help="tag this one text and print the result")
    parser.add_argument("-c", "--column", help="the text column of the input file")
    parser.add_argument("-o", "--output", help="output file (format from the suffix): all "
                        "input columns plus the pv_* columns; omit to print a summary")
    parser.add_argument("--text-rules", metavar="FILE",
                        help="text rule file (default: the bundled rules/text/default.yaml)")
    parser.add_argument("--model", metavar="MODEL",
                        help="text model: 'default' (models/pv_text_default.pvmodel) or a "
                        ".pvmodel file; rules only when omitted")
    parser.add_argument("--policy", default=None, choices=list(POLICIES),
                        help="how rules and model combine (default: the model's chosen "
                        "policy; rules_first: confident rules decide, the model the rest "
                        "above --threshold; stacked: the combiner learned on unseen text)")
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="minimum model probability for a model decision (default 0.5)")
    parser.add_argument("--json", action="store_true",
                        help="with --text: print the result as JSON")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace pv_* columns already present in the input")
    add_rule_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def _one(args: argparse.Namespace, nlp: object) -> int:
    doc = nlp(args.text)  # type: ignore[operator]
    result = {
        "label": doc._.pv_label,
        "partner_violence": doc._.pv_partner_violence,
        "domestic_violence": doc._.pv_domestic_violence,
        "source": doc._.pv_source,
        "score": None if math.isnan(doc._.pv_score) else doc._.pv_score,
        "rule_ids": list(doc._.pv_rule_ids),
        "evidence": [
            {"text": s.text, "start_char": s.start_char, "end_char": s.end_char,
             "label": s.label_, "rule_id": s.id_, "pattern": s._.pv_pattern}
            for s in doc.spans["pv_identify"]
        ],
        # the evidence string of tag_texts: the spans and every step's note
        "pv_evidence": doc._.pv_evidence,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for key in ("label", "partner_violence", "domestic_violence", "source", "score"):
        print(f"{key:<18}{result[key]}")
    print(f"{'rule_ids':<18}{'|'.join(result['rule_ids'])}")
    for span in result["evidence"]:
        print(f"{'evidence':<18}{span['text']!r} -> {span['label']} ({span['rule_id']}, "
              f"{span['pattern']})")
    print(f"{'pv_evidence':<18}{result['pv_evidence']}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``text``."""
    from pv_identify.tagger import Tagger
    from pv_identify.text.pipeline import load, tag_texts

    ruleset = rules_from_args(args)
    try:
        tagger = Tagger(ruleset, text_rules=args.text_rules, text_model=args.model,
                        threshold=args.threshold)
        tagger.bind()
        nlp = load(tagger=tagger, policy=args.policy)
    except KeyError as exc:
        raise PvIdentifyError(str(exc.args[0])) from None
    if args.text is not None:
        return _one(args, nlp)
    check_paths({"input": args.input}, {"--output": args.output})
    if not args.column:
        raise PvIdentifyError("give the text column with --column")
    from pv_identify.io import read_extract, write_extract

    frame = read_extract(args.input, **read_options(args))
    if args.column not in frame.columns:
        raise ColumnMappingError(f"{args.input}: no column {args.column!r}; columns: "
                                 f"{', '.join(map(str, frame.columns))}")
    tagged = tag_texts(frame[args.column], nlp=nlp)
    clash = [c for c in tagged.columns if c in frame.columns]
    if clash and not args.overwrite:
        raise PvIdentifyError(f"the input already has {', '.join(clash)}; use --overwrite "
                              "to replace them")
    out = frame.drop(columns=clash).join(tagged)
    out.attrs = tagged.attrs
    meta = tagged.attrs.get("pv_identify", {})
    counts = tagged["pv_label"].value_counts(sort=False)
    print(f"rows              {len(out)}")
    print(f"distinct texts    {meta.get('distinct_texts')}")
    print(f"rules             {ruleset.name} {ruleset.version} ({ruleset.hash})")
    if meta.get("text_model"):
        info = meta["text_model"]
        print(f"text model        {info.get('name')} {info.get('version')} "
              f"(policy {info.get('policy')}, threshold {info.get('threshold')})")
    for label, count in counts.items():
        print(f"  {label!s:<22}{count}")
    print(f"partner violence  {int(tagged['pv_partner_violence'].sum())}")
    print(f"domestic violence {int(tagged['pv_domestic_violence'].sum())}")
    if args.output:
        write_extract(out, args.output, meta)
        print(f"output            {args.output}")
    sys.stdout.flush()
    return 0
