"""Replay the corpus history: score every batch of real texts with the code it had not seen.

The rules were written from the ``train`` texts, so on train (and in cross-validation on
train) they look better than on text they have never seen; a model threshold chosen
there trusts them too much. This script measures the text model where it matters, on
**unseen** text, from the project's own history (forward chaining):

1. every commit that added real texts to the corpus (the folder ``tests/data/real_texts/``,
   before session 49 the file ``tests/data/real_texts.jsonl``) after the text
   model was first shipped is a *batch*: the items it added (or whose passage it
   changed) that are still in the corpus with the same passage, ``train`` split only
   (``dev`` and ``test`` are never used for choosing settings);
2. each batch is tagged by the package **as it was just before that commit** (its rules,
   its text model, its code; exported with ``git archive`` and run in a child process):
   once with the rules alone and once with rules + model at every threshold of the grid;
3. with them, what the tree's rules and model said about each item (format 2): the
   deciding rule, whether any rule fired, the rules' label, the temporal cue and the
   model's calibrated probabilities, and per batch the rule precision the tree's model
   carried (trees before ``score_texts`` give only the predictions);
4. everything is written to ``models/pv_text_default.replay.json`` (plain JSON, read by
   :mod:`pv_identify.model.text_replay`; ``examples/train_text_model.py`` chooses the
   shipped model's policy and the rules' unseen precision from it, and the model card
   shows the tables).

Run from a git checkout with history (a clone, not an archive)::

    python examples/replay_text_policy.py            # ~15 minutes on 2 cores
    python examples/replay_text_policy.py --print    # the table from the shipped file

Gold labels are today's (labels corrected later count as corrected).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when loaded from elsewhere
from tree_export import export_tree, import_tree_package, run_child, run_if_child

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PATH = "tests/data/real_texts"
#: The corpus before it was split into shards (read in older commits).
OLD_CORPUS_PATH = "tests/data/real_texts.jsonl"
OUT = ROOT / "models" / "pv_text_default.replay.json"
#: The commit that first shipped the text model: batches start after it.
FIRST_MODEL = "3392928"
#: Model thresholds replayed (1.0: the model decides nothing; "rules": no model at all).
GRID = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0)
#: Key of the policy inputs in a child's output (format 2).
SCORES = "_scores"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def _corpus_at(rev: str) -> dict[str, dict]:
    """The corpus items of commit ``rev``: its shards in name order, or the old one file."""
    try:
        names = _git("ls-tree", "--name-only", rev, f"{CORPUS_PATH}/").split()
        shards = sorted(n for n in names if n.rsplit("/", 1)[-1].startswith("part-")
                        and n.endswith(".jsonl"))
        text = ("".join(_git("show", f"{rev}:{name}") for name in shards) if shards
                else _git("show", f"{rev}:{OLD_CORPUS_PATH}"))
    except subprocess.CalledProcessError:
        return {}
    return {d["id"]: d for d in map(json.loads, filter(None, text.splitlines()))}


def batches(current: dict[str, dict]) -> list[tuple[str, list[str]]]:
    """(commit, ids) of every corpus commit after the first model: its new train items."""
    revs = _git("log", "--reverse", "--format=%H", f"{FIRST_MODEL}..HEAD", "--",
                OLD_CORPUS_PATH, CORPUS_PATH).split()
    out = []
    for rev in revs:
        before, after = _corpus_at(rev + "^"), _corpus_at(rev)
        ids = [k for k, d in after.items()
               if (k not in before or before[k]["context"] != d["context"])
               and k in current and current[k]["context"] == d["context"]
               and current[k]["split"] == "train"]
        if ids:
            out.append((rev, ids))
    return out


def child(tree: str, items_path: str, out_path: str) -> None:
    """Tag the items with the package of ``tree`` (run with ``tree`` as working dir)."""
    pv = import_tree_package(tree)  # the tree's package
    from pv_identify.evaluate.textcorpus import predict

    items = json.loads(Path(items_path).read_text(encoding="utf-8"))
    preds: dict[str, Any] = {}
    rules_only = predict(items, tagger=pv.Tagger(rules="default"))
    preds["rules"] = rules_only["predicted"].tolist()
    for t in GRID:
        tagger = pv.Tagger(rules="default", text_model="default", threshold=t)
        preds[str(t)] = predict(items, tagger=tagger)["predicted"].tolist()
    preds[SCORES] = _scores(rules_only["text"].tolist())
    Path(out_path).write_text(json.dumps(preds), encoding="utf-8")


def _scores(texts: list[str]) -> dict[str, Any] | None:
    """What the tree's rules and model say about ``texts`` (the inputs of the policy).

    Trees older than :func:`pv_identify.model.text_policy.score_texts` give ``None``.
    """
    try:
        import numpy as np

        from pv_identify.model.text_persist import default_text_model_path, load_text_model
        from pv_identify.model.text_policy import score_texts
    except ImportError:
        return None
    model = load_text_model(default_text_model_path(), check_versions=False)
    fs = score_texts(model, texts, np.arange(len(texts)))
    return {"classes": list(fs.classes),
            "precision": {k: [int(n), int(c)] for k, (n, c) in fs.precision.items()},
            "items": [{"winner": w, "fired": bool(f), "rule_label": r, "temporal": bool(t),
                       "proba": [round(float(x), 4) for x in p]}
                      for w, f, r, t, p in zip(fs.winners, fs.fired, fs.rule_labels,
                                               fs.temporal, fs.proba, strict=True)]}


def replay(out: Path) -> None:
    try:
        _git("cat-file", "-e", f"{FIRST_MODEL}^{{commit}}")
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise SystemExit(f"{ROOT} is not a git checkout with the project's history (commit "
                         f"{FIRST_MODEL} not found): clone without --depth, or use "
                         "--print to read the shipped replay") from None
    current = _corpus_at("HEAD")
    found = batches(current)
    records, meta = [], []
    with tempfile.TemporaryDirectory(prefix="pv_replay_") as tmp:
        for rev, ids in found:
            tree = Path(tmp) / rev[:12]
            tree.mkdir()
            export_tree(rev + "^", tree, ROOT)
            items = [current[k] for k in ids]
            (tree / "_items.json").write_text(json.dumps(items), encoding="utf-8")
            start = time.perf_counter()
            proc = run_child(Path(__file__).resolve(), tree, str(tree / "_items.json"),
                             str(tree / "_out.json"))
            if proc.returncode != 0:
                tail = proc.stderr.strip().splitlines()[-1:] or ["?"]
                print(f"{rev[:8]}: {len(ids)} items skipped, the tree failed: {tail[0]}")
                meta.append({"commit": rev, "items": len(ids), "skipped": tail[0]})
                continue
            preds = json.loads((tree / "_out.json").read_text(encoding="utf-8"))
            scores = preds.pop(SCORES)
            for i, k in enumerate(ids):
                d = current[k]
                records.append({"id": k, "commit": rev, "gold": d["relationship"],
                                "hard": bool(d["hard"]), "source": d["source"],
                                "pred": {name: p[i] for name, p in preds.items()},
                                **({} if scores is None else {"scores": scores["items"][i]})})
            right = sum(p == current[k]["relationship"] for k, p in zip(ids, preds["rules"],
                                                                         strict=True))
            print(f"{rev[:8]}: {len(ids)} items, rules right {right}, "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
            meta.append({"commit": rev, "items": len(ids),
                         **({} if scores is None else {"classes": scores["classes"],
                                                       "precision": scores["precision"]})})
    from pv_identify.model.text_replay import FORMAT

    payload = {"format": FORMAT, "corpus": CORPUS_PATH, "first_model": FIRST_MODEL,
               "grid": ["rules", *map(str, GRID)], "batches": meta, "items": records}
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(records)} items)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if run_if_child(argv, child):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--print", action="store_true",
                        help="only print the table of an existing replay file")
    parser.add_argument("--n-boot", type=int, default=2000)
    args = parser.parse_args(argv)
    if not args.print:
        replay(args.out)
    from pv_identify.model.text_replay import read_replay, replay_report

    print(replay_report(read_replay(args.out), n_boot=args.n_boot))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
