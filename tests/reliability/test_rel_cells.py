"""Issue 15 point 8: one pathological cell never stops a batch."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.rules import compiler
from pv_identify.schema import MAX_CELL_CHARS
from pv_identify.stream.runner import tag_file
from pv_identify.tagger import SOURCE_DTYPE

QUAL = "artikelkwalificatie"


def frame(cell: str) -> pd.DataFrame:
    return pd.DataFrame({QUAL: ["mishandeling, begaan tegen zijn levensgezel", cell,
                                "bedreiging"],
                         "wetsartikel": ["300 Sr", "304 sub 1 Sr", "285 Sr"]})


def test_over_long_cell_is_flagged_and_the_rest_tagged():
    out = pv.tag(frame("levensgezel " * 100_000), rules="default")
    assert out["pv_label"].tolist() == ["partner", "none", "none"]
    assert out["pv_source"].tolist() == ["rule", "error", "none"]
    evidence = out["pv_evidence"].iloc[1]
    assert evidence.startswith("error: qualification: cell of 1,200,000 characters")
    assert "levensgezel" not in evidence  # no record contents
    assert not out["pv_partner_violence"].iloc[1] and not out["pv_domestic_violence"].iloc[1]
    assert out["pv_source"].dtype == SOURCE_DTYPE and "error" in SOURCE_DTYPE.categories


def test_cell_just_under_the_cap_is_matched():
    cell = ("x " * MAX_CELL_CHARS)[: MAX_CELL_CHARS - 12] + " levensgezel"
    assert pv.tag(frame(cell), rules="wodc2022")["pv_label"].iloc[1] == "partner"


def test_regex_timeout_is_flagged_not_raised(monkeypatch):
    real_scan = compiler.CompiledRules.scan

    def scan(self, normalized):
        if "aaaa" in normalized:  # what the regex module raises on catastrophic backtracking
            raise TimeoutError("regex timed out")
        return real_scan(self, normalized)

    monkeypatch.setattr(compiler.CompiledRules, "scan", scan)
    out = pv.tag(frame("a" * 5000 + " levensgezel"), rules="wodc2022")
    assert out["pv_source"].tolist() == ["rule", "error", "none"]
    assert out["pv_label"].tolist() == ["partner", "none", "none"]
    assert "timed out" in out["pv_evidence"].iloc[1]
    assert "aaaa" not in out["pv_evidence"].iloc[1]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_file_runner_goes_on_after_a_bad_cell(tmp_path: Path, suffix):
    df = frame("levensgezel " * 100_000)
    src = tmp_path / f"in.{suffix}"
    df.to_csv(src, index=False) if suffix == "csv" else df.to_parquet(src, index=False)
    summary = tag_file(src, tmp_path / f"out.{suffix}", "default", progress=False,
                       chunk_rows=2)
    assert summary.rows == 3 and summary.sources["error"] == 1
    out = (pd.read_csv(tmp_path / "out.csv") if suffix == "csv"
           else pd.read_parquet(tmp_path / "out.parquet"))
    assert out["pv_source"].astype(str).tolist() == ["rule", "error", "none"]


def test_explain_reports_the_error_row():
    tagger = pv.Tagger("wodc2022")
    row = frame("levensgezel " * 3000).iloc[1]
    assert tagger.explain(row).output["pv_source"] == "error"


def _texts(cell: str) -> pd.Series:
    return pd.Series(["mishandeling van zijn ex-vriendin", cell, "belaging"],
                     index=[7, 3, 5])


def test_free_text_over_long_text_is_an_error_row():
    from pv_identify.text.pipeline import tag_texts

    out = tag_texts(_texts("levensgezel " * 2_000))  # 24,000 characters > MAX_CELL_CHARS
    assert out.index.tolist() == [7, 3, 5]
    assert out["pv_label"].tolist() == ["ex_partner", "none", "none"]
    assert out["pv_source"].tolist() == ["rule", "error", "none"]
    evidence = out["pv_evidence"].loc[3]
    assert evidence.startswith("error: text: text of 24,000 characters not matched")
    assert "levensgezel" not in evidence
    assert not out["pv_partner_violence"].loc[3] and not out["pv_domestic_violence"].loc[3]


def test_free_text_regex_timeout_is_an_error_row(monkeypatch):
    from pv_identify.text.pipeline import tag_texts

    real_scan = compiler.CompiledRules.scan

    def scan(self, normalized):
        if "aaaa" in normalized:
            raise TimeoutError("regex timed out")
        return real_scan(self, normalized)

    monkeypatch.setattr(compiler.CompiledRules, "scan", scan)
    out = tag_texts(_texts("a" * 5000 + " levensgezel"))
    assert out["pv_source"].tolist() == ["rule", "error", "none"]
    assert out["pv_label"].tolist() == ["ex_partner", "none", "none"]
    assert "timed out" in out["pv_evidence"].loc[3] and "aaaa" not in out["pv_evidence"].loc[3]
    # with the text model too (the error row skips the model)
    out = tag_texts(_texts("a" * 5000), model="default")
    assert out["pv_source"].loc[3] == "error" and np.isnan(out["pv_score"].loc[3])
    assert out["pv_label"].loc[7] == "ex_partner"
