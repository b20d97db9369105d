"""examples/add_corpus_batch.py: a new batch is checked before it is scored or added.

The items are real corpus passages: a shorter quotation of a train item's own passage
(same page) under a new id, and a test item's passage under a new id (its page is in
``test``, so it must be refused).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pv_identify.evaluate.corpus import corpus_records

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "real_texts"


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return corpus_records(CORPUS)


def _new(item: dict, new_id: str, context: str | None = None) -> dict:
    row = {k: v for k, v in item.items() if k != "split"}
    row["id"] = new_id
    if context is not None:
        row["context"] = context
    return row


def _train_quote(corpus: list[dict]) -> dict:
    """A train item without a qualification whose passage has two sentences or more."""
    item = next(d for d in corpus if d["split"] == "train" and not d["kwalificatie"]
                and d["context"].count(". ") >= 1 and d["relationship"] != "family")
    first = item["context"].split(". ")[0] + "."
    return _new(item, "new-001", first)


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_a_quotation_from_a_train_page_passes_and_a_test_page_is_refused(
        tmp_path, corpus, example_script):
    script = example_script("add_corpus_batch")
    quote = _train_quote(corpus)
    test_item = next(d for d in corpus if d["split"] == "test")
    batch = _write(tmp_path / "batch.jsonl", [quote, _new(test_item, "new-002")])
    labels = script.load_qualification_labels(script.qualification_file(CORPUS))
    problems = script.check(batch, corpus, labels, lambda source: False)
    assert len(problems) == 2, problems  # the test page: its split and its passage
    assert all(p.startswith(f"{batch}:2: ") for p in problems)
    assert any("already has items in ['test']" in p for p in problems)
    assert any("already in the corpus" in p for p in problems)


def test_reserved_taken_ids_and_bad_fields_are_named_by_line(tmp_path, corpus, example_script):
    script = example_script("add_corpus_batch")
    quote = _train_quote(corpus)
    taken = _new(corpus[0], corpus[0]["id"], corpus[0]["context"][:80])
    bad = {**quote, "id": "new-003", "relationship": "spouse"}
    batch = _write(tmp_path / "batch.jsonl", [quote, taken, bad])
    labels = script.load_qualification_labels(script.qualification_file(CORPUS))
    problems = script.check(batch, corpus, labels, lambda source: source == quote["source"])
    assert any(p.startswith(f"{batch}:1: source is reserved") for p in problems)
    assert any(p.startswith(f"{batch}:2: id ") and "already taken" in p for p in problems)
    assert any(p.startswith(f"{batch}:3: relationship must be one of") for p in problems)


def test_write_appends_as_train_after_scoring(tmp_path, corpus, capsys, example_script):
    script = example_script("add_corpus_batch")
    if not script.RESERVED.is_file():
        pytest.skip(f"{script.RESERVED} is absent (the reserved-source check needs it)")
    copy = tmp_path / "real_texts"
    shutil.copytree(CORPUS, copy)
    shutil.copy(script.qualification_file(CORPUS), script.qualification_file(copy))
    shards = sorted(copy.glob("part-*.jsonl"))
    quote = _train_quote(corpus)
    batch = _write(tmp_path / "batch.jsonl", [quote])
    assert script.main([str(batch), "--corpus", str(copy), "--write"]) == 0
    out = capsys.readouterr().out
    assert "unseen with this tree: rules" in out and "new-001" in out
    assert quote["context"] not in out  # ids and labels only, never passages
    rows = corpus_records(copy)
    assert len(rows) == len(corpus) + 1
    # into the last shard (it is not full), the others untouched
    assert sorted(copy.glob("part-*.jsonl")) == shards
    assert all(a.read_bytes() == b.read_bytes()
               for a, b in zip(shards[:-1], sorted(CORPUS.glob("part-*.jsonl")), strict=False))
    assert rows[-1] == {**quote, "split": "train"}
    assert list(rows[-1]) == list(rows[0])  # the corpus's own field order
    # a second run refuses the same item: its id is taken and its passage is there
    assert script.main([str(batch), "--corpus", str(copy)]) == 1


def test_the_same_case_from_another_page_is_refused_unless_checked(
        tmp_path, corpus, example_script):
    """A dev item's passage under a new id and another page address: the source check
    cannot see it, the shared rare names can; checked by hand, the id lets it through."""
    script = example_script("add_corpus_batch")
    held = [d for d in corpus if d["split"] == "dev"]
    pairs = script.same_case_pairs(held, corpus)
    own = next(p for p in pairs if p[0] == p[1])  # a dev passage shares its names with itself
    item = next(d for d in held if d["id"] == own[0])
    other_page = {**_new(item, "new-004"), "source": "https://example.org/another-report",
                  "url": "https://example.org/another-report"}
    batch = _write(tmp_path / "batch.jsonl", [other_page])
    labels = script.load_qualification_labels(script.qualification_file(CORPUS))
    problems = script.check(batch, corpus, labels, lambda source: False)
    assert problems and all(p.startswith(f"{batch}:1: may report the same case as ")
                            for p in problems), problems
    assert any(f"as {item['id']} (split dev;" in p for p in problems)
    assert not any(name in " ".join(problems)
                   for name in script.NAME.findall(item["context"]))  # counts, not names
    assert script.check(batch, corpus, labels, lambda source: False,
                        not_same_case={"new-004"}) == []


def test_one_very_rare_name_shared_with_a_held_out_passage_flags_the_pair(
        corpus, example_script):
    """One shared name told in at most VERY_RARE_MAX passages is enough (a victim's first
    name, a village: session 49 found held-out cases that shared only that); one shared
    name that is merely rare is not."""
    script = example_script("add_corpus_batch")
    frequency = script.name_frequency(corpus)
    held = [d for d in corpus if d["split"] == "dev"]
    word, item = next((w, d) for d in held for w in script.NAME.findall(d["context"])
                      if frequency[w] <= script.VERY_RARE_MAX)
    probe = {"id": "new-005", "context": f"Volgens de krant gaat het om {word} uit de stad."}
    pairs = script.same_case_pairs([probe], corpus)
    assert ("new-005", item["id"], 1) in pairs
    merely_rare = next(w for d in held for w in script.NAME.findall(d["context"])
                       if script.VERY_RARE_MAX < frequency[w] <= script.RARE_MAX)
    probe = {"id": "new-006", "context": f"Volgens de krant gaat het om {merely_rare} uit de stad."}
    assert script.same_case_pairs([probe], corpus) == []


def test_a_name_in_the_notes_or_a_shared_full_date_flags_the_pair(corpus, example_script):
    """Session 50: a Hoge Raad press release names nobody, only the date and the town of a
    killing that held-out items report by name; and a surname may stand only in a note.
    A full Dutch date shared with a held-out passage flags the pair; so does a very rare
    name that the held-out item has only in its note. A date of another day does not."""
    script = example_script("add_corpus_batch")
    held = [d for d in corpus if d["split"] in ("dev", "test")]
    date, item = next((m, d) for d in held for m in script.DATE.findall(d["context"]))
    probe = {"id": "new-007", "context": f"De moord werd op {date.upper()} gepleegd.",
             "note": ""}
    assert any(p[:2] == ("new-007", item["id"]) for p in script.same_case_pairs([probe], corpus))
    day, month, year = date.split()
    other_day = f"{int(day) % 28 + 1} {month} {year}"
    flagged = {p[1] for p in script.same_case_pairs(
        [{"id": "new-008", "context": f"De moord werd op {other_day} gepleegd.", "note": ""}],
        corpus)}
    assert item["id"] not in flagged

    frequency = script.name_frequency(corpus)
    word, noted = next((w, d) for d in held for w in script.NAME.findall(d["note"])
                       if frequency[w] <= script.VERY_RARE_MAX
                       and w not in d["context"])
    probe = {"id": "new-009", "context": f"Volgens de krant gaat het om {word}.", "note": ""}
    assert any(p[:2] == ("new-009", noted["id"])
               for p in script.same_case_pairs([probe], corpus))


def test_a_known_alias_of_a_held_out_case_flags_the_item_unless_checked(
        tmp_path, corpus, example_script):
    """Sessions 54 and 55: collectors brought the court of appeal's ruling of test
    web-C134's case (ECLI:NL:GHSHE:2021:742) twice; it shares no rare name with the news
    passage of web-C134, so only the alias file can see it."""
    script = example_script("add_corpus_batch")
    quote = _train_quote(corpus)
    ruling = {**quote, "source": "ECLI:NL:GHSHE:2021:742",
              "url": "https://example.org/ecli-nl-ghshe-2021-742"}
    batch = _write(tmp_path / "batch.jsonl", [ruling])
    labels = script.load_qualification_labels(script.qualification_file(CORPUS))
    problems = script.check(batch, corpus, labels, lambda source: False)
    assert problems == [
        f"{batch}:1: may report the same case as web-C134 (split test; it names a known "
        f"alias of that case, {script.ALIASES.name}:4): drop it, or after checking pass "
        "--not-same-case new-001"], problems
    assert script.check(batch, corpus, labels, lambda source: False,
                        not_same_case={"new-001"}) == []
    # without the alias file the item passes: the name check alone cannot see it
    assert script.check(batch, corpus, labels, lambda source: False, aliases=None) == []
    # two aliases of one case (the ruling and the first-instance ruling): one problem
    both = {**ruling, "note": f"{quote['note']} First instance ECLI:NL:RBZWB:2020:700."}
    batch = _write(tmp_path / "batch2.jsonl", [both])
    problems = script.check(batch, corpus, labels, lambda source: False)
    assert len(problems) == 1 and f"{script.ALIASES.name}:4, 5)" in problems[0], problems


def test_every_alias_needs_held_out_ids_terms_and_a_reason(tmp_path, corpus, example_script):
    script = example_script("add_corpus_batch")
    train_id = next(d["id"] for d in corpus if d["split"] == "train")
    cases = [
        ('{"ids": ["web-C134"], "terms": ["Domburg"]}', "expected exactly the fields"),
        ('{"ids": ["web-C134"], "terms": [], "why": "x"}', "terms must be a non-empty list"),
        ('{"ids": ["web-C134"], "terms": ["Domburg"], "why": " "}', "why must say"),
        (f'{{"ids": ["{train_id}"], "terms": ["x"], "why": "x"}}', "not dev or test items"),
        ('{"ids": ["web-C134"], "terms": ["Domburg"], "why": "x"', "not a JSON object"),
    ]
    for line, expected in cases:
        path = tmp_path / "aliases.jsonl"
        path.write_text('{"ids": ["web-C134"], "terms": ["a"], "why": "b"}\n\n' + line + "\n",
                        encoding="utf-8")
        with pytest.raises(SystemExit, match=expected) as err:
            script.load_aliases(path, corpus)
        assert str(err.value).startswith(f"{path}:3: "), err.value
    assert len(script.load_aliases(script.ALIASES, corpus)) >= 19
