from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.errors import PvIdentifyError
from pv_identify.evaluate import compare, drop_terms, rule_summary

QUAL = "artikelkwalificatie"


def test_drop_terms():
    rs = pv.load_rules("wodc2022")
    out = drop_terms(rs, ["Partner"])
    terms = [t.text for r in out.rules for t in r.terms]
    assert "partner" not in terms and "echtgenoot" in terms
    assert out.hash != rs.hash
    with pytest.raises(PvIdentifyError, match="not in any"):
        drop_terms(rs, ["ex-vriendin"])


def test_compare_drop_partner(small):
    before = small.copy(deep=True)
    rs = pv.load_rules("wodc2022")
    c = compare(small, rs, drop_terms(rs, ["partner"]), n_boot=100)
    pd.testing.assert_frame_equal(small, before)  # caller's frame untouched
    assert c.counts.loc["offences", "lost"] == 1
    assert c.counts.loc["offences", "gained"] == 0
    assert c.counts.loc["cases", "lost"] == 1
    assert list(c.lost) == [0]
    assert c.breakdowns["rule"].loc["wodc.qual.partner", "lost"] == 1
    assert c.breakdowns["year"].loc["2012", "lost"] == 1
    assert "Sr:304" in c.breakdowns["article"].index
    assert c.metrics is not None and c.paired is not None
    assert c.metrics.loc["a", "recall"] > c.metrics.loc["b", "recall"]
    # no texts unless asked
    assert c.changed_texts is None
    text = c.format()
    assert "begaan tegen" not in text
    assert "--show-texts" in text


def test_compare_show_texts(small):
    rs = pv.load_rules("wodc2022")
    c = compare(small, rs, drop_terms(rs, ["partner"]), show_texts=True, gold=False)
    assert c.metrics is None
    assert c.changed_texts.loc[0, "qualification"] == small.loc[0, QUAL]
    assert "begaan tegen zijn partner" in c.format()


def test_compare_extra_terms_gains(small, tmp_path):
    terms = tmp_path / "extra.txt"
    terms.write_text("bedreiging\n", encoding="utf-8")
    b = pv.load_rules("wodc2022", extra_terms={"ex_partner": terms})
    c = compare(small, "wodc2022", b, n_boot=100)
    assert c.counts.loc["offences", "gained"] == 1
    assert c.breakdowns["rule"].index[0].startswith("extra.qualification.ex_partner")
    d = c.to_dict()
    assert d["counts"]["offences"]["gained"] == 1


def test_compare_domestic_and_no_keys(small):
    df = small[[QUAL, "maatschappelijke_classificatie", "wetsartikel"]]
    c = compare(df, "wodc2022", "default", target="domestic", gold=False)
    assert list(c.counts.index) == ["offences"]
    assert any("no case_id" in n for n in c.notes)
    with pytest.raises(PvIdentifyError, match="unknown target"):
        compare(df, target="cohort")


def test_rule_summary(small):
    rs = pv.load_rules("default")
    tagged = pv.tag(small, rs)
    gold = small["true_relationship"]
    table = rule_summary(tagged, rs, gold)
    assert list(table.index) == [r.id for r in rs.rules]
    assert table.loc["wodc.qual.partner", "rows"] == 2
    assert table.loc["wodc.qual.partner", "precision"] == 1.0
    # the partner MC fired on an ex-partner offence: wrong label, right flag
    assert table.loc["wodc.mc.partner", "precision"] == 0.0
    assert table.loc["wodc.mc.partner", "flag_precision"] == 1.0
    # partner term and 304 sub 1 fire together: overlap and conflict (different labels)
    assert table.loc["wodc.art.304_1", "overlaps"] == pytest.approx(3 / 10)
    assert table.loc["wodc.art.304_1", "conflicts"] == pytest.approx(3 / 10)
    assert table.loc["default.excl.business", "rows"] == 1
    assert table.loc["default.excl.business", "precision"] == 1.0
    assert table.loc["default.qual.ex_partner", "rows"] == 0
    no_gold = rule_summary(tagged, rs)
    assert no_gold["precision"].isna().all()
