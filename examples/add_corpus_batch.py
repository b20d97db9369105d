"""Check a batch of new real texts, score it unseen, and add it to the corpus's train split.

The corpus protocol (docs/corpus.md) in one command, so that it does not live in a
collector's scratch files:

1. **check** every item of ``BATCH`` (JSON Lines, the corpus's fields without ``split``):
   the fields (:func:`pv_identify.evaluate.corpus.validate_item`, file:line), ids not
   already in the corpus, no page reserved for independent evaluation
   (``../shared/tools/reserved_sources.py``, required), no passage already in the corpus
   from the same source, no source whose items are in ``dev`` or ``test`` (a new item of
   such a page would move text between splits: drop it), no item that may report the same
   case as a ``dev`` or ``test`` item from another page (:func:`same_case_pairs`: rare
   capitalised words or a full date in common, in the passage or the note; checked by
   hand, such an item is let through with ``--not-same-case ID``; so too an item that
   names a known alias of a held-out case, :func:`alias_pairs`), and a line in
   ``real_texts_qualifications.jsonl`` for every non-empty ``kwalificatie``;
2. **score it unseen** with this tree's rules alone and with rules + text model, before
   any rule is written from it, and print each item's gold label and both predictions
   (ids and labels only, never passages);
3. with ``--write``, **append** the items to the corpus folder ``tests/data/real_texts/``
   as ``train`` (only when every check passed), in the corpus's own line format: into
   the last shard, or a new ``part-NN.jsonl`` when that one is full
   (:func:`pv_identify.evaluate.corpus.append_items`).

Commit the batch before writing rules from it: ``python examples/replay_text_policy.py``
then scores it with the commit before, as this step did. Usage::

    python examples/add_corpus_batch.py batch_XY.jsonl            # check and score
    python examples/add_corpus_batch.py batch_XY.jsonl --write    # ... and add as train
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "real_texts"
RESERVED = ROOT.parent / "shared" / "tools" / "reserved_sources.py"
#: Known aliases of held-out cases (:func:`load_aliases`).
ALIASES = ROOT / "tests" / "data" / "real_texts_heldout_aliases.jsonl"

sys.path.insert(0, str(ROOT))
from pv_identify.evaluate.corpus import (  # noqa: E402
    FIELDS,
    append_items,
    load_corpus,
    load_qualification_labels,
    qualification_file,
    source_key,
    validate_item,
)


def reserved_checker(path: Path = RESERVED) -> Callable[[str], bool]:
    """``is_reserved`` of the shared tool (the check cannot be skipped)."""
    if not path.is_file():
        raise SystemExit(f"{path} is absent: without it no page can be checked against the "
                         "sources reserved for independent evaluation, so nothing is added")
    spec = importlib.util.spec_from_file_location("reserved_sources", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    checker: Callable[[str], bool] = module.is_reserved
    return checker


#: A capitalised word of three letters or more: names of people and places, which tell
#: that two passages may report one case.
NAME = re.compile(r"\b[A-ZÀ-Ý][\w'’-]{2,}")
#: Words found in more corpus passages than this are too common to point to one case
#: ("Het", "Volgens", "Amsterdam").
RARE_MAX = 10
#: Rare words a new passage must share with a held-out one to be refused.
SAME_CASE_MIN = 2
#: A word in at most this many corpus passages is so rare that one shared word flags the
#: pair: a victim's first name or a village ("Loïs", "Oudsbergen"). Session 49 found
#: three new items, and more older ones, that reported a dev or test case and shared
#: only one rare word with it.
VERY_RARE_MAX = 4
#: A full date in Dutch ("11 juli 2018"): one shared with a held-out passage flags the
#: pair. Session 50 found Hoge Raad press releases that name nobody and give only the
#: date and the town of a killing that test items report by name.
DATE = re.compile(r"\b\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|"
                  r"september|oktober|november|december) (?:1[89]|20)\d\d\b", re.IGNORECASE)


def case_text(item: dict[str, Any]) -> str:
    """The text whose names and dates may tell a case: the passage and the note.

    The note often names what the passage leaves out ("Victim Laura Korsman = 'zijn
    ex-vriendin'"); session 50 found a train item and a test item of one killing that
    shared a surname only through a note.
    """
    return f"{item['context']} {item.get('note', '')}"


def name_frequency(corpus: Iterable[dict[str, Any]]) -> Counter[str]:
    """In how many corpus items (passage and note, :func:`case_text`) each name occurs."""
    frequency: Counter[str] = Counter()
    for d in corpus:
        frequency.update(set(NAME.findall(case_text(d))))
    return frequency


def same_case_pairs(new: Iterable[dict[str, Any]], corpus: list[dict[str, Any]]
                    ) -> list[tuple[str, str, int]]:
    """(new id, held-out id, shared rare names and dates) for every new item that may report
    the case of a ``dev`` or ``test`` item from another page.

    A page already in dev or test is refused by its source; the same case reported by
    another outlet is not, and would put one story on both sides of the split (session
    46 found two: the Depp and Heard trial and the Simpson murder, both in dev). Read in
    the passage and the note (:func:`case_text`): two or more capitalised words that
    occur in at most :data:`RARE_MAX` corpus items, or one that occurs in at most
    :data:`VERY_RARE_MAX` (a first name or a village told in one other item, session 49),
    or one full date (:data:`DATE`, session 50) shared by the two flag the pair. Only
    counts are returned, never the words.
    """
    frequency = name_frequency(corpus)

    def rare(text: str) -> set[str]:
        return {w for w in NAME.findall(text) if frequency[w] <= RARE_MAX}

    def dates(text: str) -> set[str]:
        return {m.lower() for m in DATE.findall(text)}

    held = [(d["id"], rare(case_text(d)), dates(d["context"])) for d in corpus
            if d["split"] in ("dev", "test")]
    pairs = []
    for item in new:
        text = case_text(item)
        mine, my_dates = rare(text), dates(item["context"])
        for other, theirs, their_dates in held:
            common = mine & theirs
            same_date = my_dates & their_dates
            if (len(common) >= SAME_CASE_MIN or same_date
                    or any(frequency[w] <= VERY_RARE_MAX for w in common)):
                pairs.append((item["id"], other, len(common) + len(same_date)))
    return pairs


def load_aliases(path: Path, corpus: list[dict[str, Any]]
                 ) -> list[tuple[int, tuple[str, ...], tuple[str, ...]]]:
    """Read the known aliases of held-out cases: (line, held-out ids, terms) per line.

    Collectors keep bringing back a few dev and test cases from pages that share no rare
    name with the held-out passage: the court's own ruling of a case the held-out item
    tells as news (ECLI:NL:GHSHE:2021:742 of test ``web-C134``, in sessions 54 and 55), or
    a report that names the village the held-out item leaves out. Each line of ``path``
    (JSON Lines) is ``{"ids": [...], "terms": [...], "why": "..."}``: the ids of the
    held-out items of one case, terms that together name it, and why.

    Raises
    ------
    SystemExit
        With ``path:line`` and what is wrong (not JSON, a missing or empty field, an id
        that is not a dev or test item).
    """
    held = {d["id"] for d in corpus if d["split"] in ("dev", "test")}
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{where}: not a JSON object ({exc.msg}, column {exc.colno})"
                             ) from None
        if not isinstance(row, dict) or set(row) != {"ids", "terms", "why"}:
            raise SystemExit(f"{where}: expected exactly the fields ids, terms and why")
        for name in ("ids", "terms"):
            values = row[name]
            if (not isinstance(values, list) or not values
                    or not all(isinstance(v, str) and v.strip() for v in values)):
                raise SystemExit(f"{where}: {name} must be a non-empty list of non-empty "
                                 "strings")
        if not isinstance(row["why"], str) or not row["why"].strip():
            raise SystemExit(f"{where}: why must say where the alias comes from")
        unknown = [i for i in row["ids"] if i not in held]
        if unknown:
            raise SystemExit(f"{where}: {unknown} not dev or test items of the corpus")
        rows.append((number, tuple(row["ids"]), tuple(t.lower() for t in row["terms"])))
    return rows


def alias_pairs(new: Iterable[dict[str, Any]],
                aliases: list[tuple[int, tuple[str, ...], tuple[str, ...]]]
                ) -> list[tuple[str, str, tuple[int, ...]]]:
    """(new id, held-out id, alias lines) for every new item whose source, address,
    passage and note contain all terms of a known alias (any case); one row per pair,
    with every alias line that matched."""
    pairs: dict[tuple[str, str], list[int]] = {}
    for item in new:
        text = " ".join(str(item.get(k, "")) for k in ("source", "url", "context", "note")
                        ).lower()
        for line, ids, terms in aliases:
            if all(term in text for term in terms):
                for held_id in ids:
                    pairs.setdefault((item["id"], held_id), []).append(line)
    return [(new_id, held_id, tuple(lines)) for (new_id, held_id), lines in pairs.items()]


def read_batch(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """(line number, item) of every object in ``path``, and the lines that are no JSON."""
    items, problems = [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                items.append((number, json.loads(line)))
            except json.JSONDecodeError as err:
                problems.append(f"{path}:{number}: not JSON ({err.msg}, column {err.colno})")
    return items, problems


def check(path: Path, corpus: list[dict[str, Any]], qualifications: dict[str, bool],
          is_reserved: Callable[[str], bool], not_same_case: Collection[str] = (),
          aliases: Path | None = ALIASES) -> list[str]:
    """Return every problem of the batch at ``path`` (file:line: what is wrong).

    ``not_same_case``: ids of new items checked by hand not to report the case of the
    held-out items :func:`same_case_pairs` or :func:`alias_pairs` pair them with.
    ``aliases``: the file of known aliases of held-out cases (:func:`load_aliases`;
    None: none).
    """
    known = load_aliases(aliases, corpus) if aliases is not None else []
    numbered, problems = read_batch(path)
    ids = {d["id"] for d in corpus}
    splits: dict[str, set[str]] = {}
    passages = set()
    for d in corpus:
        splits.setdefault(source_key(d["source"]), set()).add(d["split"])
        passages.add((source_key(d["source"]), " ".join(d["context"].split())))
    seen_ids: set[str] = set()
    unchecked: list[tuple[str, dict[str, Any]]] = []  # valid items for the same-case check
    for number, item in numbered:
        where = f"{path}:{number}"
        if isinstance(item, dict) and item.get("split", "train") != "train":
            problems.append(f"{where}: a new item goes to train (split {item['split']!r})")
        item = {k: v for k, v in item.items() if k != "split"} if isinstance(item, dict) \
            else item
        found = validate_item(item, require_split=False)
        problems += [f"{where}: {p}" for p in found]
        if found:
            continue
        if item["id"] in ids or item["id"] in seen_ids:
            problems.append(f"{where}: id {item['id']!r} is already taken")
        seen_ids.add(item["id"])
        for name in ("source", "url"):
            if item[name] and is_reserved(item[name]):
                problems.append(f"{where}: {name} is reserved for independent evaluation")
        key = source_key(item["source"])
        others = splits.get(key, set()) - {"train"}
        if others:
            problems.append(f"{where}: the source already has items in {sorted(others)}; "
                            "an item of it cannot go to train (drop it)")
        if (key, " ".join(item["context"].split())) in passages:
            problems.append(f"{where}: this passage of this source is already in the corpus")
        if item["id"] not in not_same_case:
            unchecked.append((where, item))
        qualification = item["kwalificatie"].strip()
        if qualification and qualification not in qualifications:
            problems.append(f"{where}: kwalificatie has no line in "
                            f"{qualification_file(CORPUS).name} (add whether it names the "
                            "relationship)")
    split_of = {d["id"]: d["split"] for d in corpus}
    where_of = {item["id"]: where for where, item in unchecked}
    for new_id, other, shared in same_case_pairs([item for _, item in unchecked], corpus):
        problems.append(f"{where_of[new_id]}: may report the same case as {other} (split "
                        f"{split_of[other]}; {shared} rare names or dates in common): drop it, or "
                        f"after checking pass --not-same-case {new_id}")
    name = aliases.name if aliases is not None else ""
    for new_id, other, lines in alias_pairs([item for _, item in unchecked], known):
        where = f"{name}:{', '.join(map(str, lines))}"
        problems.append(f"{where_of[new_id]}: may report the same case as {other} (split "
                        f"{split_of[other]}; it names a known alias of that case, "
                        f"{where}): drop it, or after checking pass --not-same-case "
                        f"{new_id}")
    return problems


def score(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item's gold class and the rules' and rules + model's prediction (this tree)."""
    from pv_identify import Tagger
    from pv_identify.evaluate.textcorpus import predict

    rows = [{**item, "split": "train"} for item in items]
    rules = predict(rows, tagger=Tagger(rules="default"))["predicted"].tolist()
    model = predict(rows, tagger=Tagger(rules="default", text_model="default"))[
        "predicted"].tolist()
    return [{"id": item["id"], "gold": item["relationship"], "hard": item["hard"],
             "rules": r, "model": m} for item, r, m in zip(items, rules, model, strict=True)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch", type=Path, help="JSON Lines file of new items (no split)")
    parser.add_argument("--write", action="store_true",
                        help="append the items to the corpus as train when every check passed")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--not-same-case", nargs="+", default=[], metavar="ID",
                        help="new items checked by hand not to report the case of the dev "
                             "or test items the name check pairs them with")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    qualifications = load_qualification_labels(qualification_file(args.corpus))
    problems = check(args.batch, corpus, qualifications, reserved_checker(),
                     not_same_case=set(args.not_same_case))
    if problems:
        print(f"{len(problems)} problem(s); nothing scored or added:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    items = [{k: v for k, v in item.items() if k != "split"}
             for _, item in read_batch(args.batch)[0]]
    scored = score(items)
    for row in scored:
        marks = "".join("+" if row[k] == row["gold"] else "-" for k in ("rules", "model"))
        print(f"{row['id']:<14} gold {row['gold']:<11} rules {row['rules']:<11} "
              f"model {row['model']:<11} {marks}{'  hard' if row['hard'] else ''}")
    n = len(scored)
    print(f"unseen with this tree: rules {sum(r['rules'] == r['gold'] for r in scored)}/{n} "
          f"right, rules + model {sum(r['model'] == r['gold'] for r in scored)}/{n}")
    if args.write:
        rows = [{**{name: item[name] for name in FIELDS if name != "split"},
                 "split": "train"} for item in items]
        written = append_items(args.corpus, rows)
        load_corpus(args.corpus)  # the corpus as a whole still validates
        print(f"added {n} item(s) to {args.corpus} as train "
              f"({', '.join(path.name for path in written)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
