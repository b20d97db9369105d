"""Reading the least certain items by hand: the order, the curve, the CLI option."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pv_identify.cli import main
from pv_identify.errors import PvIdentifyError
from pv_identify.evaluate.review import parse_shares, review_curve, review_order


def test_the_order_puts_disagreements_first_then_scores_near_one_half():
    flag = [True, False, True, False, False]
    score = [0.9, 0.45, 0.3, 0.05, 0.8]
    # 2 (flag, score 0.3) and 4 (no flag, score 0.8) disagree; 2 is nearer one half
    assert review_order(flag, score).tolist() == [2, 4, 1, 0, 3]
    with pytest.raises(PvIdentifyError, match="needs a pv_score"):
        review_order([True], [float("nan")])


def test_the_curve_counts_by_hand_and_by_hand_only_the_items_read():
    gold = ["partner", "other", "ex_partner", "family", "other", "partner"]
    pred = ["partner", "partner", "other", "family", "other", "partner"]
    score = [0.95, 0.55, 0.40, 0.10, 0.02, 0.99]
    curve = review_curve(gold, pred, score, shares=(0.0, 0.34, 1.0), n_boot=0).table
    # nothing read: the flag as it is (tp 2, fp 1, fn 1)
    first = curve.iloc[0]
    assert first["read"] == 0
    assert first["precision"].value == pytest.approx(2 / 3)
    assert first["recall"].value == pytest.approx(2 / 3)
    # 34 % of 6 = 2 items: item 2 (flag off, score 0.40) is not a disagreement, but
    # 0.40 and 0.55 are the two scores nearest one half: both read, both errors mended
    second = curve.iloc[1]
    assert second["read"] == 2
    assert second["precision"].value == 1.0 and second["recall"].value == 1.0
    assert second["auto_precision"].value == 1.0 and second["auto_recall"].value == 1.0
    # everything read: nothing left to the tagger
    last = curve.iloc[2]
    assert last["read"] == 6 and np.isnan(last["auto_precision"].value)
    assert last["precision"].value == 1.0


def test_the_intervals_resample_sources_and_hold_the_value():
    rng = np.random.default_rng(0)
    n = 200
    gold = rng.choice(["partner", "other"], n).tolist()
    pred = [g if rng.random() < 0.8 else ("other" if g == "partner" else "partner")
            for g in gold]
    score = rng.random(n).tolist()
    table = review_curve(gold, pred, score, [str(i // 2) for i in range(n)],
                         shares=(0.0, 0.5), n_boot=300).table
    for row in table.itertuples():
        for est in (row.precision, row.recall):
            assert est.low <= est.value <= est.high
    # reading half by hand cannot make the flag worse
    assert table.iloc[1]["precision"].value >= table.iloc[0]["precision"].value
    assert table.iloc[1]["recall"].value >= table.iloc[0]["recall"].value


def test_shares_are_parsed_and_checked():
    assert parse_shares("0.3,0.1,0.1") == (0.1, 0.3)
    for bad, words in (("0.1,x", "'x' is not a number"), ("1.5", "not a fraction"),
                       ("nan", "not a fraction")):
        with pytest.raises(PvIdentifyError, match=words):
            parse_shares(bad)


def test_the_cli_prints_the_curve_with_a_model_and_refuses_without(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    items = [{"id": f"i{k}", "context": text, "relationship": rel} for k, (text, rel) in
             enumerate([("De man stak zijn vrouw neer.", "partner"),
                        ("Hij belaagde zijn ex-vriendin.", "ex_partner"),
                        ("Een voorbijganger werd geslagen.", "other"),
                        ("Zij sloeg haar zoon.", "family")])]
    corpus.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    out = tmp_path / "e.json"
    assert main(["evaluate-text", str(corpus), "--outside", "--model", "default",
                 "--review", "0,0.5", "--n-boot", "0", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "after reading the least certain items by hand" in printed
    rows = json.loads(out.read_text(encoding="utf-8"))["review"]
    assert [r["read"] for r in rows] == [0, 2]
    assert main(["evaluate-text", str(corpus), "--outside", "--review", "0.1"]) == 2
    assert "add --model default" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["evaluate-text", str(corpus), "--outside", "--model", "default",
              "--review", "2"])
