"""The agreement study: kappa against scikit-learn, the file checks, the shipped study."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from pv_identify.evaluate.agreement import (
    adjudication_problems,
    agreement,
    agreement_part,
    load_agreement,
    main,
)
from pv_identify.evaluate.corpus import CLASSES, CorpusError, load_corpus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "real_texts"
STUDY = ROOT / "tests" / "data" / "real_texts_agreement.jsonl"

CORPUS_ITEMS = [
    {"id": "a1", "source": "s1", "relationship": "partner", "family_relation": "",
     "split": "train", "hard": True},
    {"id": "a2", "source": "s2", "relationship": "family", "family_relation": "child",
     "split": "dev", "hard": False},
    {"id": "a3", "source": "s3", "relationship": "other", "family_relation": "",
     "split": "test", "hard": False},
]


def line(id_: str, first: str, second: str, **extra: object) -> dict:
    out = {"id": id_, "first": first, "second": second,
           "second_family_relation": "child" if second == "family" else "", "sure": True,
           "why": "the words", "adjudicated": "", "adjudication": ""}
    return {**out, **extra}


def write(tmp_path: Path, lines: list) -> Path:
    path = tmp_path / "agreement.jsonl"
    path.write_text("".join((json.dumps(x) if not isinstance(x, str) else x) + "\n"
                            for x in lines), encoding="utf-8")
    return path


def test_kappa_and_agreement_equal_scikit_learn_on_random_labellings():
    rng = np.random.default_rng(3)
    for _ in range(20):
        first = rng.choice(CLASSES, 60).tolist()
        second = [a if rng.random() < 0.7 else str(rng.choice(CLASSES)) for a in first]
        part = agreement_part(first, second, [str(i) for i in range(60)], n_boot=0)
        assert part.kappa.value == pytest.approx(cohen_kappa_score(first, second))
        assert part.observed.value == pytest.approx(np.mean(np.equal(first, second)))
        flag = [[c in ("partner", "ex_partner") for c in x] for x in (first, second)]
        assert part.pv_kappa.value == pytest.approx(cohen_kappa_score(*flag))
        both = sum(a and b for a, b in zip(*flag, strict=True))
        assert part.pv_precision.value == pytest.approx(both / sum(flag[1]))
        assert part.pv_recall.value == pytest.approx(both / sum(flag[0]))
        assert int(part.confusion.to_numpy().sum()) == 60


def test_intervals_resample_whole_sources_and_hold_the_value():
    first = ["partner"] * 10 + ["other"] * 10
    second = ["partner"] * 9 + ["other"] * 11
    # one source: every replicate draws all twenty items, so the interval is the value
    one = agreement_part(first, second, ["one"] * 20, n_boot=300, seed=1)
    assert (one.observed.low, one.observed.value, one.observed.high) == (0.95, 0.95, 0.95)
    rows = agreement_part(first, second, list(map(str, range(20))), n_boot=300, seed=1)
    assert rows.observed.low < 0.95 <= rows.observed.high
    # perfect agreement gives kappa 1 in every replicate
    same = agreement_part(first, first, list(map(str, range(20))), n_boot=50)
    assert (same.kappa.value, same.kappa.low, same.kappa.high) == (1.0, 1.0, 1.0)


def test_the_file_is_read_against_the_corpus(tmp_path):
    path = write(tmp_path, [
        line("a1", "partner", "partner"),
        line("a2", "family", "other", adjudicated="family", adjudication="the child"),
        line("a3", "other", "other", sure=False)])
    rows = load_agreement(path, CORPUS_ITEMS)
    assert rows["split"].tolist() == ["train", "dev", "test"]
    report = agreement(rows, n_boot=0)
    assert report.all.n == 3 and report.all.observed.value == pytest.approx(2 / 3)
    assert set(report.parts) == {"split=train", "split=dev", "split=test", "hard", "sure",
                                 "not sure"}
    assert report.final is not None and report.final.observed.value == 1.0
    assert adjudication_problems(rows) == []
    # the corpus does not carry an adjudication that changed the label
    changed = write(tmp_path, [line("a3", "other", "partner", adjudicated="partner",
                                    adjudication="he says so")])
    assert adjudication_problems(load_agreement(changed, CORPUS_ITEMS)) == [
        "a3: corpus label other, adjudicated partner"]


def test_every_problem_is_named_by_line_and_no_record_text_is_quoted(tmp_path):
    secret = "Jansen sloeg zijn vrouw"
    path = write(tmp_path, [
        line("a1", "partner", "partner"),
        "{not json " + secret,
        line("a9", "partner", "partner"),                       # not in the corpus
        line("a1", "partner", "partner"),                       # twice
        line("a2", "family", "other"),                          # no adjudication
        line("a3", "other", "other", adjudicated="other", adjudication="x"),
        line("a2", "friend", "other"),                          # not a class
        {**line("a2", "family", "family"), "second_family_relation": ""},
        {**line("a2", "family", "family"), "extra": 1}])
    with pytest.raises(CorpusError) as info:
        load_agreement(path, CORPUS_ITEMS)
    message = str(info.value)
    for number, words in ((2, "not valid JSON"), (3, "not in the corpus"),
                          (4, "already used at line 1"), (5, "'adjudicated' must be"),
                          (6, "must be empty"), (7, "'first' must be one of"),
                          (8, "needs second_family_relation"), (9, "unknown field")):
        assert f"{path}:{number}: " in message and words in message, (number, words)
    assert secret not in message and "Jansen" not in message
    with pytest.raises(CorpusError, match="holds no items"):
        load_agreement(write(tmp_path, []), CORPUS_ITEMS)


def test_the_shipped_study_matches_the_corpus_and_prints(capsys):
    corpus = load_corpus(CORPUS)
    rows = load_agreement(STUDY, corpus)
    # every adjudication is carried by the corpus (a relabelled item keeps its study line)
    assert adjudication_problems(rows) == []
    # the study's first labels are the corpus labels except where adjudication changed them
    changed = rows[rows["first"] != rows["relationship"]]
    assert (changed["adjudicated"] == changed["relationship"]).all()
    assert main([str(CORPUS), str(STUDY), "--n-boot", "50"]) == 0
    out = capsys.readouterr().out
    assert "| all | " in out and "Cohen's kappa" in out and "Disagreements:" in out


def test_the_natural_set_carries_its_readings(capsys):
    natural = ROOT / "tests" / "data" / "natural_texts.jsonl"
    items = load_corpus(natural, minimal=True)
    assert len(items) == 142  # the unlabelled passages, each labelled by two readers
    rows = load_agreement(ROOT / "tests" / "data" / "natural_texts_agreement.jsonl", items)
    assert len(rows) == len(items) and adjudication_problems(rows) == []
    agree = rows[rows["first"] == rows["second"]]
    assert (agree["first"] == agree["relationship"]).all()
    assert main(["--outside", str(natural),
                 str(ROOT / "tests" / "data" / "natural_texts_agreement.jsonl"),
                 "--n-boot", "20"]) == 0
    assert "| split |" not in capsys.readouterr().out  # no splits in an outside set
