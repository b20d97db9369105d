"""examples/rule_changes.py: the texts a rule change is judged on never include the test split."""

from __future__ import annotations

from pathlib import Path

from pv_identify.evaluate.corpus import corpus_records

ROOT = Path(__file__).resolve().parents[2]


def test_rule_change_texts_leave_the_test_split_out(example_script) -> None:
    items, unlabelled = example_script("rule_changes").texts()
    corpus = corpus_records(ROOT / "tests" / "data" / "real_texts")

    def passages(test: bool) -> set[str]:
        return {text for d in corpus if (d["split"] == "test") == test
                for text in (d["context"], d.get("kwalificatie")) if text}

    test_texts, tuned = passages(True), passages(False)
    only_test = test_texts - tuned  # (a qualification shared with a train item may stay)
    assert {d["split"] for d in items} == {"train", "dev"}
    assert len(items) == sum(d["split"] in ("train", "dev") for d in corpus)
    assert not only_test & {d["context"] for d in items}
    assert not only_test & set(unlabelled)
    # the generated bench texts and the unlabelled pool are there
    assert any(where.startswith("bench: ") for where in unlabelled.values())
    assert any(where.startswith("unlabelled_texts.jsonl:") for where in unlabelled.values())
