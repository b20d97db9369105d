"""What a rule change fixes and breaks, over every text the project may tune on.

Tags the same texts with the package of this working tree and with the package of an
earlier commit (``--against``, default ``HEAD``: the uncommitted change), and prints

* for the labelled corpus items of ``train`` and ``dev`` (never ``test``): how many the
  change **fixed** (wrong before, right now) and **broke** (right before, wrong now),
  with their ids;
* for the unlabelled texts (the pool of ``tests/data/unlabelled_texts.jsonl``, the dev
  rulings' passages, the corpus items' ``kwalificatie`` fields and the generated texts of
  ``bench/bench_text.py``): how many got another label, with a few of them (ids or the
  generated text only: the pool's passages are not printed);
* how many texts got any other output at all (label, deciding rules, evidence or
  source): 0 is what a refactor of the matcher must show.

The earlier commit is exported with ``git archive`` into a temporary folder and run in a
child process, as ``examples/replay_text_policy.py`` does, so the two trees never share
a module. Text mode with the ``default`` rules, no model (a rule change is judged by the
rules' own labels). This is the command behind the "fixed N, broke M over K texts" of the
rule commits::

    python examples/rule_changes.py                  # working tree against HEAD
    python examples/rule_changes.py --against e10ab43
    python examples/rule_changes.py --against HEAD~1 --json out/changes.json

About a minute on 2 cores (two trees, about 16,000 distinct texts each).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when loaded from elsewhere
from tree_export import export_tree, import_tree_package, run_child, run_if_child

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
#: Labelled splits compared (the test split is never read here).
SPLITS = ("train", "dev")
#: Generated texts of ``bench/bench_text.py`` (its default size and seed).
BENCH_N, BENCH_SEED = 100_000, 0


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def texts() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """(labelled items, {text: where}) of everything compared; the test split left out."""
    items = [d for shard in sorted((DATA / "real_texts").glob("part-*.jsonl"))
             for d in _jsonl(shard) if d.get("split") in SPLITS and d.get("context")]
    unlabelled: dict[str, str] = {}
    for d in items:
        if d.get("kwalificatie"):
            unlabelled.setdefault(d["kwalificatie"], f"{d['id']} (kwalificatie)")
    for name in ("unlabelled_texts.jsonl", "rulings_dev.jsonl"):
        for d in _jsonl(DATA / name):
            if d.get("context") and d.get("split") != "test":
                unlabelled.setdefault(d["context"], f"{name}:{d.get('id', '?')}")
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_text import make_texts  # type: ignore[import-not-found]  # (bench/)

    for text in make_texts(BENCH_N, BENCH_SEED).drop_duplicates():
        unlabelled.setdefault(text, f"bench: {text}")
    return items, unlabelled


def child(tree: str, texts_path: str, out_path: str) -> None:
    """Write the labels the package of ``tree`` gives the texts (run with ``tree`` as cwd)."""
    import_tree_package(tree)
    from pv_identify.text import tag_texts

    batch = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    out = tag_texts(batch, rules="default")
    rows = [[str(label), str(rules), str(evidence), str(source)] for label, rules, evidence, source
            in zip(out["pv_label"].astype(str), out["pv_rule_ids"], out["pv_evidence"],
                   out["pv_source"], strict=True)]
    Path(out_path).write_text(json.dumps(rows), encoding="utf-8")


def _outputs(tree: Path, batch: list[str], tmp: Path, name: str) -> list[list[str]]:
    """[label, rule ids, evidence, source] per text, from the package of ``tree``."""
    (tmp / f"{name}_in.json").write_text(json.dumps(batch), encoding="utf-8")
    proc = run_child(Path(__file__).resolve(), tree, str(tmp / f"{name}_in.json"),
                     str(tmp / f"{name}_out.json"))
    if proc.returncode != 0:
        raise SystemExit(f"{name}: the tree failed: "
                         f"{(proc.stderr.strip().splitlines() or ['?'])[-1]}")
    rows: list[list[str]] = json.loads((tmp / f"{name}_out.json").read_text(encoding="utf-8"))
    return rows


def compare(against: str) -> dict[str, Any]:
    """Tag every text with this tree and with ``against``; return the differences."""
    from pv_identify.schema import text_class

    items, unlabelled = texts()
    batch = list(dict.fromkeys([d["context"] for d in items] + list(unlabelled)))
    with tempfile.TemporaryDirectory(prefix="pv_rule_changes_") as tmp_name:
        tmp = Path(tmp_name)
        old_tree = tmp / "against"
        old_tree.mkdir()
        export_tree(against, old_tree, ROOT)
        old_rows = _outputs(old_tree, batch, tmp, "against")
        new_rows = _outputs(ROOT, batch, tmp, "tree")
    old = {text: row[0] for text, row in zip(batch, old_rows, strict=True)}
    new = {text: row[0] for text, row in zip(batch, new_rows, strict=True)}
    # any output at all: label, deciding rules, evidence or source (a refactor moves none)
    outputs_changed = sum(a != b for a, b in zip(old_rows, new_rows, strict=True))
    fixed, broke, moved = [], [], []
    for d in items:
        before, after = text_class(old[d["context"]]), text_class(new[d["context"]])
        gold = d["relationship"]
        if before != gold and after == gold:
            fixed.append(d["id"])
        elif before == gold and after != gold:
            broke.append(d["id"])
        elif before != after:
            moved.append(d["id"])  # wrong before and after, another wrong class
    changed = [where for text, where in unlabelled.items() if old[text] != new[text]]
    return {"against": against, "texts": len(batch), "labelled": len(items),
            "unlabelled": len(unlabelled), "fixed": fixed, "broke": broke,
            "wrong_to_wrong": moved, "unlabelled_changed": changed,
            "outputs_changed": outputs_changed}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if run_if_child(argv, child):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD",
                        help="commit to compare with (default HEAD: the uncommitted change)")
    parser.add_argument("--json", type=Path, help="also write the differences as JSON")
    parser.add_argument("--show", type=int, default=20,
                        help="unlabelled texts with another label to list (default 20)")
    args = parser.parse_args(argv)
    result = compare(args.against)
    print(f"{result['texts']:,} distinct texts: {result['labelled']:,} labelled corpus items "
          f"({' and '.join(SPLITS)}), {result['unlabelled']:,} unlabelled")
    print(f"against {args.against}: fixed {len(result['fixed'])}, broke "
          f"{len(result['broke'])}, another wrong class {len(result['wrong_to_wrong'])}, "
          f"unlabelled with another label {len(result['unlabelled_changed'])}; "
          f"texts with any other output (label, rules, evidence or source) "
          f"{result['outputs_changed']}")
    for key in ("fixed", "broke", "wrong_to_wrong"):
        if result[key]:
            print(f"  {key}: {', '.join(result[key])}")
    for where in result["unlabelled_changed"][:args.show]:
        print(f"  changed: {where}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
        print(f"json: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
