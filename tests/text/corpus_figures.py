"""Dev/train figures of text and register mode on the real-text corpus (issue 13).

Run ``python tests/text/corpus_figures.py dev`` (or ``train``; ``--errors`` lists the
misclassified items of that split). The ``test`` split is refused: it is read once,
by the lead, with the corpus evaluation command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import pv_identify as pv
from pv_identify.evaluate.corpus import CLASSES, class_of, corpus_records
from pv_identify.text import tag_texts

CORPUS = Path(__file__).resolve().parents[1] / "data" / "real_texts"


def _items(split: str) -> list[dict]:
    if split not in ("train", "dev"):
        raise SystemExit("only 'train' and 'dev' may be read here")
    return [r for r in corpus_records(CORPUS) if r["split"] == split]


def _prf(gold: list[str], pred: list[str], cls: str) -> tuple[float, float, float, int]:
    tp = sum(g == cls and p == cls for g, p in zip(gold, pred, strict=True))
    fp = sum(g != cls and p == cls for g, p in zip(gold, pred, strict=True))
    fn = sum(g == cls and p != cls for g, p in zip(gold, pred, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, tp + fn


def report(gold: list[str], pred: list[str], hard: list[bool], title: str) -> None:
    """Print per-class P/R/F1, the PV flag, macro-F1 and hard macro-F1."""
    print(f"== {title}: n={len(gold)}")
    f1s = []
    for cls in CLASSES:
        p, r, f, n = _prf(gold, pred, cls)
        f1s.append(f)
        print(f"  {cls:11s} P={p:.3f} R={r:.3f} F1={f:.3f} (n={n})")
    pv_g = ["pv" if g in ("partner", "ex_partner") else "no" for g in gold]
    pv_p = ["pv" if g in ("partner", "ex_partner") else "no" for g in pred]
    p, r, f, n = _prf(pv_g, pv_p, "pv")
    print(f"  PV flag     P={p:.3f} R={r:.3f} F1={f:.3f} (n={n})")
    print(f"  macro-F1 {sum(f1s) / len(f1s):.3f}")
    hg = [g for g, h in zip(gold, hard, strict=True) if h]
    hp = [q for q, h in zip(pred, hard, strict=True) if h]
    if hg:
        hf = [_prf(hg, hp, c)[2] for c in CLASSES if c in hg or c in hp]
        print(f"  hard macro-F1 {sum(hf) / len(hf):.3f} (n={len(hg)})")


def main() -> None:
    """Command line: split, optional error listing."""
    parser = argparse.ArgumentParser()
    parser.add_argument("split", choices=["train", "dev"])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--rules", default="default")
    args = parser.parse_args()
    items = _items(args.split)
    tagger = pv.Tagger(args.rules)
    out = tag_texts([it["context"] for it in items], tagger=tagger)
    gold = [it["relationship"] for it in items]
    pred = [class_of(str(v)) for v in out["pv_label"]]
    report(gold, pred, [it["hard"] for it in items], f"text mode, {args.split}")
    quals = [(it, q) for it in items if (q := it.get("kwalificatie") or "").strip()]
    if quals:
        reg = tagger.tag(pd.DataFrame({"artikelkwalificatie": [q for _, q in quals]}))
        rp = [class_of(str(v)) for v in reg["pv_label"]]
        report([it["relationship"] for it, _ in quals], rp, [it["hard"] for it, _ in quals],
               f"register mode (kwalificatie), {args.split}")
    if args.errors:
        for it, p, ev in zip(items, pred, out["pv_evidence"], strict=True):
            if p != it["relationship"]:
                print(f"\n[{it['id']}] gold={it['relationship']}/{it['family_relation']} "
                      f"pred={p} hard={it['hard']}\n  ev: {ev}\n  ctx: {it['context']}\n"
                      f"  note: {it['note']}")


if __name__ == "__main__":
    main()
