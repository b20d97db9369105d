"""Count tables of a labelled text corpus, as markdown (for ``docs/corpus.md``).

Run ``python -m pv_identify.evaluate.corpus_stats tests/data/real_texts`` and
paste the output into the datasheet; it validates the corpus first
(:func:`pv_identify.evaluate.corpus.load_corpus`).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pv_identify.evaluate.corpus import (
    CLASSES,
    FAMILY_RELATIONS,
    KINDS,
    SPLITS,
    load_corpus,
    source_key,
)


def _frame(items: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(items))
    frame["with_kwalificatie"] = frame["kwalificatie"].fillna("").str.strip() != ""
    frame["source_key"] = [source_key(s) for s in frame["source"]]
    return frame


def _markdown(table: pd.DataFrame) -> str:
    head = [str(table.index.name or "")] + [str(c) for c in table.columns]
    lines = ["| " + " | ".join(head) + " |",
             "|---|" + "---:|" * len(table.columns)]
    for name, row in table.iterrows():
        lines.append("| " + " | ".join([str(name), *(str(v) for v in row)]) + " |")
    return "\n".join(lines)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def label_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Items per label: per split, total, share, hard, rulings, news, with kwalificatie."""
    rows = []
    for label in (*CLASSES, "total"):
        sub = frame if label == "total" else frame[frame["relationship"] == label]
        row: dict[str, Any] = {"label": label}
        for split in SPLITS:
            row[split] = int((sub["split"] == split).sum())
        row["total"] = len(sub)
        row["share"] = _pct(len(sub), len(frame))
        row["hard"] = int(sub["hard"].sum())
        for kind in KINDS:
            row[kind] = int((sub["kind"] == kind).sum())
        row["with kwalificatie"] = int(sub["with_kwalificatie"].sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("label")


def split_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Items per split: items, sources, hard, kinds, with kwalificatie, and per label."""
    rows = []
    for split in (*SPLITS, "total"):
        sub = frame if split == "total" else frame[frame["split"] == split]
        row: dict[str, Any] = {"split": split, "items": len(sub),
                               "share": _pct(len(sub), len(frame)),
                               "sources": int(sub["source_key"].nunique()),
                               "hard": f"{int(sub['hard'].sum())} "
                                       f"({_pct(int(sub['hard'].sum()), len(sub))})"}
        for kind in KINDS:
            row[kind] = int((sub["kind"] == kind).sum())
        row["with kwalificatie"] = int(sub["with_kwalificatie"].sum())
        for label in CLASSES:
            row[label] = int((sub["relationship"] == label).sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("split")


def family_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Family items per ``family_relation`` and split."""
    fam = frame[frame["relationship"] == "family"]
    rows = []
    for relation in FAMILY_RELATIONS:
        sub = fam[fam["family_relation"] == relation]
        rows.append({"family_relation": relation,
                     **{s: int((sub["split"] == s).sum()) for s in SPLITS},
                     "total": len(sub), "hard": int(sub["hard"].sum())})
    return pd.DataFrame(rows).set_index("family_relation")


def hard_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Hard items per label and kind."""
    hard = frame[frame["hard"]]
    rows = []
    for label in CLASSES:
        sub = hard[hard["relationship"] == label]
        rows.append({"label": label, **{k: int((sub["kind"] == k).sum()) for k in KINDS},
                     "total": len(sub),
                     "share of label": _pct(len(sub),
                                            int((frame["relationship"] == label).sum()))})
    return pd.DataFrame(rows).set_index("label")


def stats_markdown(items: Sequence[Mapping[str, Any]]) -> str:
    """All count tables of a corpus as one markdown text.

    Parameters
    ----------
    items : sequence of mapping
        Validated corpus items.

    Returns
    -------
    str
        Markdown: totals line, then tables by label, by split, hard items, family.
    """
    frame = _frame(items)
    n = len(frame)
    parts = [
        f"{n} items from {frame['source_key'].nunique()} sources; "
        f"{int(frame['hard'].sum())} hard ({_pct(int(frame['hard'].sum()), n)}), "
        f"{int(frame['with_kwalificatie'].sum())} with a kwalificatie, "
        f"{int((frame['relationship'] == 'ex_partner').sum())} ex_partner "
        f"({_pct(int((frame['relationship'] == 'ex_partner').sum()), n)}); "
        f"{int(frame['id'].str.startswith('dev-').sum())} items from the former dev rulings "
        "(`dev-` ids).",
        "", "**By label**", "", _markdown(label_table(frame)),
        "", "**By split** (no source is in two splits)", "", _markdown(split_table(frame)),
        "", "**Hard items** by label and kind", "", _markdown(hard_table(frame)),
        "", "**Family items** by relation", "", _markdown(family_table(frame)),
    ]
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the count tables of a corpus file as markdown."""
    parser = argparse.ArgumentParser(prog="python -m pv_identify.evaluate.corpus_stats",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="corpus folder of shards or JSON Lines file "
                        "(e.g. tests/data/real_texts)")
    args = parser.parse_args(argv)
    print(stats_markdown(load_corpus(args.corpus)), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
