"""``pv-identify evaluate-text`` on a tiny hand-made corpus (figures computed by hand).

Dev items (sources S1..S5) and what the default rules predict for their context:

    id  source gold        context                                      predicted  hard
    a1  S1     partner     mishandeling, begaan tegen zijn echtgenote   partner
    a2  S1     partner     mishandeling van zijn ex-vriendin            ex_partner yes
    a3  S2     ex_partner  mishandeling van zijn ex-vriendin            ex_partner
    a4  S3     family      mishandeling van zijn zoon                   family (child)
    a5  S4     other       mishandeling van een buurman                 other (none)
    a6  S5     ex_partner  belaging                                     other (none) yes

plus one train item (S6) that ``--split dev`` leaves out.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from pv_identify.cli import main
from pv_identify.evaluate.bootstrap import cluster_bootstrap, percentile_interval
from pv_identify.evaluate.corpus import (
    CorpusError,
    load_corpus,
    load_qualification_labels,
    qualification_file,
)
from pv_identify.evaluate.textcorpus import evaluate_corpus, item_text, score, select_items

ROWS = [
    # id, source, gold, context, kwalificatie, articles, hard, split
    ("a1", "ECLI:NL:RBAMS:2020:1", "partner", "mishandeling, begaan tegen zijn echtgenote",
     "mishandeling, begaan tegen zijn echtgenote", "300 Sr", False, "dev"),
    ("a2", "ECLI:NL:RBAMS:2020:1", "partner", "mishandeling van zijn ex-vriendin", "", "",
     True, "dev"),
    ("a3", "https://example.nl/nieuws/2", "ex_partner", "mishandeling van zijn ex-vriendin",
     "belaging", "285b Sr", False, "dev"),
    ("a4", "https://example.nl/nieuws/3", "family", "mishandeling van zijn zoon", "", "",
     False, "dev"),
    ("a5", "https://example.nl/nieuws/4", "other", "mishandeling van een buurman", "", "",
     False, "dev"),
    ("a6", "https://example.nl/nieuws/5", "ex_partner", "belaging", "", "", True, "dev"),
    ("a7", "https://example.nl/nieuws/6", "partner", "mishandeling van zijn echtgenote", "", "",
     False, "train"),
]


def _item(row):
    id_, source, gold, context, kwal, articles, hard, split = row
    return {"id": id_, "source": source, "url": source if source.startswith("http") else "",
            "kind": "news", "date": "", "kwalificatie": kwal, "articles": articles,
            "context": context, "relationship": gold,
            "family_relation": "child" if gold == "family" else "", "hard": hard,
            "note": "hand-made test item", "split": split}


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(_item(r)) + "\n" for r in ROWS), encoding="utf-8")
    return path


def _run(tiny, tmp_path, *extra):
    out = tmp_path / "out.json"
    assert main(["evaluate-text", str(tiny), "--split", "dev", "--n-boot", "200",
                 "--json", str(out), *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def _close(estimate, value):
    assert estimate["value"] == pytest.approx(value), estimate
    if estimate["low"] is not None:
        assert estimate["low"] - 1e-9 <= value <= estimate["high"] + 1e-9, estimate


def test_text_mode_figures_by_hand(tiny, tmp_path, capsys):
    result = _run(tiny, tmp_path)
    printed = capsys.readouterr().out
    a = result["all"]
    assert a["n"] == 6 and a["n_sources"] == 5
    cls = a["classes"]
    # partner: tp 1 (a1), fn 1 (a2)
    _close(cls["partner"]["precision"], 1.0)
    _close(cls["partner"]["recall"], 0.5)
    _close(cls["partner"]["f1"], 2 / 3)
    # ex_partner: tp 1 (a3), fp 1 (a2), fn 1 (a6)
    _close(cls["ex_partner"]["precision"], 0.5)
    _close(cls["ex_partner"]["recall"], 0.5)
    _close(cls["family"]["f1"], 1.0)
    # other: tp 1 (a5), fp 1 (a6)
    _close(cls["other"]["precision"], 0.5)
    _close(cls["other"]["recall"], 1.0)
    _close(a["macro_f1"], (2 / 3 + 0.5 + 1.0 + 2 / 3) / 4)
    # partner-violence flag: gold a1 a2 a3 a6, predicted a1 a2 a3
    _close(a["flags"]["partner_violence"]["precision"], 1.0)
    _close(a["flags"]["partner_violence"]["recall"], 0.75)
    _close(a["flags"]["partner_violence"]["f1"], 6 / 7)
    # domestic-violence flag: gold a1-a4 a6, predicted a1-a4
    _close(a["flags"]["domestic_violence"]["recall"], 0.8)
    _close(a["flags"]["domestic_violence"]["f1"], 8 / 9)
    assert a["confusion"]["labels"] == ["partner", "ex_partner", "family", "other"]
    assert a["confusion"]["rows_gold_columns_predicted"] == [
        [1, 1, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0], [0, 0, 0, 1]]
    # hard: a2 (partner -> ex_partner), a6 (ex_partner -> other): every present F1 is 0
    h = result["hard"]
    assert h["n"] == 2
    assert h["classes"]["partner"]["precision"]["value"] is None
    _close(h["macro_f1"], 0.0)
    assert h["classes"]["family"]["f1"]["value"] is None
    # errors, with evidence and text
    errors = {e["id"]: e for e in result["errors"]}
    assert set(errors) == {"a2", "a6"}
    assert errors["a2"]["predicted"] == "ex_partner" and "ex-vriendin" in errors["a2"]["evidence"]
    assert errors["a6"]["gold"] == "ex_partner" and errors["a6"]["label"] == "none"
    assert result["settings"]["splits"] == ["dev"] and result["settings"]["n_boot"] == 200
    assert "partner violence" in printed and "macro-F1" in printed and "a6" in printed
    assert "hard items: 2 from 2 sources" in printed


def test_register_mode_uses_items_with_a_qualification(tiny, tmp_path):
    result = _run(tiny, tmp_path, "--mode", "register")
    a = result["all"]
    # a1 (partner -> partner) and a3 (ex_partner, "belaging" -> other)
    assert a["n"] == 2
    _close(a["classes"]["partner"]["recall"], 1.0)
    _close(a["classes"]["ex_partner"]["recall"], 0.0)
    _close(a["flags"]["partner_violence"]["recall"], 0.5)
    _close(a["flags"]["partner_violence"]["precision"], 1.0)
    assert [e["id"] for e in result["errors"]] == ["a3"]
    assert result["settings"]["field"] == "kwalificatie+articles"


def _labels(path, lines):
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def test_register_mode_scores_the_items_whose_qualification_names_the_relationship(
        tiny, tmp_path, capsys):
    # the sidecar beside the corpus is read by default: a1 names the relationship,
    # a3 ("belaging") does not
    _labels(qualification_file(tiny), [
        {"kwalificatie": "mishandeling, begaan tegen zijn echtgenote",
         "names_relationship": True, "named": "zijn echtgenote"},
        {"kwalificatie": "belaging", "names_relationship": False}])
    result = _run(tiny, tmp_path, "--mode", "register")
    printed = capsys.readouterr().out
    named = result["named"]
    assert named["n"] == 1
    _close(named["flags"]["partner_violence"]["recall"], 1.0)
    # over all items the recall stays 0.5 (a3 names no relationship)
    _close(result["all"]["flags"]["partner_violence"]["recall"], 0.5)
    assert result["headline"]["named_pv_recall"].startswith("1.000")
    assert result["settings"]["qualifications"].endswith("tiny_qualifications.jsonl")
    assert "register target: partner-violence precision over all 2 items 1.000" in printed
    assert "recall over the 1 partner-violence items" in printed
    # text mode ignores the file
    assert "named" not in _run(tiny, tmp_path)


def test_register_mode_refuses_an_unlabelled_qualification(tiny, tmp_path, capsys):
    other = _labels(tmp_path / "labels.jsonl", [{"kwalificatie": "belaging",
                                                 "names_relationship": False}])
    assert main(["evaluate-text", str(tiny), "--split", "dev", "--mode", "register",
                 "--qualifications", str(other)]) != 0
    err = capsys.readouterr().err
    assert "1 item(s) have a qualification that the qualification file does not label " \
           "(ids a1)" in err
    assert "begaan tegen" not in err


@pytest.mark.parametrize(("line", "problem"), [
    ({"kwalificatie": "moord", "names_relationship": "ja"}, "must be true or false"),
    ({"kwalificatie": "", "names_relationship": False}, "non-empty string"),
    ({"kwalificatie": "moord", "names_relationship": True}, "'named' must give the words"),
    ({"kwalificatie": "moord op zijn vrouw", "names_relationship": True, "named": "zijn man"},
     "'named' must give the words"),
    ({"kwalificatie": "moord", "names_relationship": False, "named": "moord"},
     "only for names_relationship true"),
    ({"kwalificatie": "moord", "names_relationship": False, "why": "x"}, "unknown field"),
])
def test_qualification_file_errors_name_file_and_line(tmp_path, line, problem):
    path = _labels(tmp_path / "q.jsonl", [{"kwalificatie": "doodslag",
                                           "names_relationship": False}, line])
    with pytest.raises(CorpusError, match=rf"q\.jsonl:2: .*{problem}"):
        load_qualification_labels(path)


def test_qualification_file_refuses_repeats_and_bad_json(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"kwalificatie": "moord", "names_relationship": false}\n'
                    '{"kwalificatie": " moord ", "names_relationship": true, "named": "moord"}\n'
                    "{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_qualification_labels(path)
    assert "q.jsonl:2: qualification already on line 1" in str(info.value)
    assert "q.jsonl:3: not valid JSON" in str(info.value)


def test_shipped_qualification_file_labels_every_corpus_qualification():
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "data" / "real_texts"
    labels = load_qualification_labels(qualification_file(corpus))
    quals = {str(i["kwalificatie"]).strip() for i in load_corpus(corpus)
             if str(i["kwalificatie"]).strip()}
    assert quals <= set(labels)
    assert labels["mishandeling, begaan tegen zijn echtgenoot"] is True
    assert labels["moord"] is False


def test_fields_and_splits(tiny):
    items = load_corpus(tiny)
    assert [i["id"] for i in select_items(items, field="kwalificatie")] == ["a1", "a3"]
    both = {i["id"]: item_text(i, "both") for i in items}
    assert both["a3"] == "mishandeling van zijn ex-vriendin. belaging"
    assert both["a2"] == "mishandeling van zijn ex-vriendin"
    result = evaluate_corpus(load_corpus(tiny, splits=["dev", "train"]), n_boot=0)
    assert result.all.n == 7 and math.isnan(result.all.macro_f1.low)


def test_text_mode_with_a_model_uses_the_text_model(tiny):
    rules = evaluate_corpus(load_corpus(tiny, splits=["dev"]), n_boot=0)
    model = evaluate_corpus(load_corpus(tiny, splits=["dev"]), model="default", n_boot=0)
    assert model.settings.get("model") and not rules.settings.get("model")
    assert rules.predictions["label"].notna().all()
    assert len(model.predictions) == len(rules.predictions)


def test_intervals_are_reproducible_and_resample_sources():
    gold = ["partner", "partner", "other", "other", "ex_partner", "family"] * 5
    pred = ["partner", "other", "other", "partner", "ex_partner", "family"] * 5
    cluster = [f"s{i // 3}" for i in range(len(gold))]
    a = score(gold, pred, cluster, n_boot=300, seed=3)
    b = score(gold, pred, cluster, n_boot=300, seed=3)
    assert a.macro_f1 == b.macro_f1
    assert a.n_clusters == 10
    est = a.classes.loc["partner", "precision"]
    assert est.value == pytest.approx(0.5) and est.low <= 0.5 <= est.high


def test_cluster_bootstrap_keeps_clusters_whole():
    # cluster a: three rows in cell 3, cluster b: one row in cell 0
    obs, reps = cluster_bootstrap([3, 3, 3, 0], n_cols=4, cluster=["a", "a", "a", "b"],
                                  n_boot=300, seed=0)
    assert obs.tolist() == [1, 0, 0, 3]
    assert set(np.unique(reps[:, 3])) <= {0, 3, 6}
    assert ((reps[:, 3] // 3 + reps[:, 0]) == 2).all()
    # a count matrix gives the same replicates as the cells it one-hot encodes
    onehot = np.eye(4, dtype=int)[[3, 3, 3, 0]]
    assert (cluster_bootstrap(onehot, cluster=["a", "a", "a", "b"], n_boot=300, seed=0)[1]
            == reps).all()


def test_percentile_interval_skips_undefined_replicates():
    est = percentile_interval(0.5, np.array([np.nan, 0.0, 1.0, 0.5, 0.5]))
    assert est.low == pytest.approx(0.0, abs=0.06) and est.high == pytest.approx(1.0, abs=0.06)
    assert math.isnan(percentile_interval(math.nan, np.array([0.1])).low)


def test_outside_set_needs_only_id_context_and_relationship(tmp_path, capsys):
    """An independent set kept outside the repository rarely has every datasheet field:
    ``--outside`` evaluates it with id, context and relationship alone."""
    path = tmp_path / "outside.jsonl"
    lines = [{"id": "o1", "context": "mishandeling van zijn ex-vriendin",
              "relationship": "ex_partner"},
             {"id": "o2", "context": "mishandeling van zijn zoon", "relationship": "family"},
             {"id": "o3", "context": "mishandeling van een buurman", "relationship": "other",
              "kwalificatie": "mishandeling", "hard": True}]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "o.json"
    assert main(["evaluate-text", str(path), "--outside", "--n-boot", "50",
                 "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["all"]["n"] == 3 and result["all"]["n_sources"] == 3
    _close(result["all"]["macro_f1"], 1.0)
    assert result["hard"]["n"] == 1
    assert "split all" in capsys.readouterr().out
    # without --outside the same file is refused, naming the missing fields
    assert main(["evaluate-text", str(path)]) != 0
    assert "outside.jsonl:1: missing field(s)" in capsys.readouterr().err
    # a split asked of a set without splits is refused
    assert main(["evaluate-text", str(path), "--outside", "--split", "test"]) != 0
    assert "3 item(s) have no 'split'" in capsys.readouterr().err


def test_outside_set_values_are_still_checked(tmp_path):
    path = tmp_path / "outside.jsonl"
    path.write_text(json.dumps({"id": "o1", "context": "x", "relationship": "partnr",
                                "hard": "ja"}) + "\n" + json.dumps({"context": "y"}) + "\n",
                    encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(path, minimal=True)
    message = str(info.value)
    assert "outside.jsonl:1: relationship must be one of" in message
    assert "outside.jsonl:1: 'hard' must be true or false" in message
    assert "outside.jsonl:2: missing field(s) ['id', 'relationship']" in message


def test_errors_that_name_another_victim_of_the_same_page_are_counted():
    # one page, two victims: the wife (partner) and the son (family); the tagger gives the
    # same label to both passages, so the son's item is wrong by naming the wife
    page = "https://example.nl/nieuws/twee-slachtoffers"
    rows = [("p1", page, "partner", "Hij stak zijn vrouw en zijn zoon neer.", "", "", True, "dev"),
            ("p2", page, "family", "Hij stak zijn vrouw en zijn zoon neer.", "", "", True, "dev"),
            ("p3", "https://example.nl/nieuws/ander", "family",
             "mishandeling van zijn echtgenote", "", "", False, "dev")]
    result = evaluate_corpus([_item(r) for r in rows], n_boot=0)
    errors = result.errors.set_index("id")
    assert set(errors.index) == {"p2", "p3"}
    assert bool(errors.loc["p2", "other_victim"]) and not bool(errors.loc["p3", "other_victim"])
    text = result.format()
    assert "of which 1 predict the label of another item of the same source" in text
    assert "p2*" in text and "p3*" not in text
    assert {e["id"]: e["other_victim"] for e in result.to_dict()["errors"]} == {
        "p2": True, "p3": False}


def test_family_relation_reads_whose_relative_the_victim_is(tmp_path, capsys):
    # four gold family items: the son as victim (child), the son as the offender (the
    # victim is his parent), a stepdaughter (child), and one the tagger gives no family
    # label (not counted: an error of the four classes)
    rows = [("f1", "https://example.nl/f/1", "child", "Hij mishandelde zijn zoon."),
            ("f2", "https://example.nl/f/2", "parent",
             "Een vrouw werd mishandeld door haar zoon."),
            ("f3", "https://example.nl/f/3", "stepchild", "Hij misbruikte zijn stiefdochter."),
            ("f4", "https://example.nl/f/4", "parent", "Er werd iemand mishandeld.")]
    path = tmp_path / "family.jsonl"
    path.write_text("".join(json.dumps({
        "id": i, "source": s, "url": s, "kind": "news", "date": "", "kwalificatie": "",
        "articles": "", "context": c, "relationship": "family", "family_relation": fr,
        "hard": False, "note": "hand-made test item", "split": "dev"}) + "\n"
        for i, s, fr, c in rows), encoding="utf-8")
    result = _run(path, tmp_path)
    family = result["family"]
    assert family["n"] == 3 and family["right"] == 3 and family["n_sources"] == 3
    _close(family["accuracy"], 1.0)
    assert family["confusion"]["labels"] == ["child", "parent", "other_family"]
    assert family["confusion"]["rows_gold_columns_predicted"] == [[2, 0, 0], [0, 1, 0],
                                                                  [0, 0, 0]]
    assert "family relation: 3 of 3" in capsys.readouterr().out


def test_family_relation_counts_a_tie_read_the_wrong_way_round():
    import pandas as pd

    from pv_identify.evaluate.textcorpus import score_family

    pred = pd.DataFrame({"gold": ["family", "family", "family", "partner"],
                         "family_relation": ["parent", "child", "sibling", ""],
                         "label": ["child", "child", "other_family", "partner"],
                         "cluster": ["a", "b", "c", "d"]})
    family = score_family(pred, n_boot=200)
    assert family is not None and family.n == 3 and family.right == 2
    assert family.accuracy.value == pytest.approx(2 / 3)
    assert family.confusion.loc["parent", "child"] == 1
    assert score_family(pred[pred["gold"] == "partner"]) is None


def test_family_direction_reads_every_gold_family_relation():
    from pv_identify.evaluate.corpus import FAMILY_DIRECTION, FAMILY_RELATIONS
    from pv_identify.schema import FAMILY_LABELS

    assert set(FAMILY_DIRECTION) == set(FAMILY_RELATIONS)
    assert set(FAMILY_DIRECTION.values()) == set(FAMILY_LABELS)
