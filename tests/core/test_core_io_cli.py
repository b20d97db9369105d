"""Reading and writing files, atomic output, and the CLI commands of the core."""

import json

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.cli import main
from pv_identify.io import ExtractWriter, metadata_path, read_extract

ROWS = pd.DataFrame({
    "parketnummer": ["c1", "c1", "c2"],
    "jds_nummer": ["007", "007", "008"],
    "artikelkwalificatie": ["mishandeling, begaan tegen zijn levensgezel", "", "geïntimideerd"],
    "wetsartikel": ["300 jo 304 sub 1 Sr", "285", "285b"],
})


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".sav", ".dta", ".xlsx"])
def test_round_trip_every_format(tmp_path, suffix):
    path = tmp_path / f"x{suffix}"
    tagged = pv.tag(ROWS, "wodc2022")
    pv.write_extract(tagged, path)
    back = read_extract(path)
    assert len(back) == 3
    assert back["pv_label"].astype(str).tolist() == ["partner", "none", "none"]
    assert back["artikelkwalificatie"].fillna("").astype(str).tolist()[2] == "geïntimideerd"
    meta = json.loads(metadata_path(path).read_text())
    assert meta["ruleset"]["name"] == "wodc2022" and meta["rows"] == 3


def test_csv_keeps_leading_zeros_and_reads_cp1252(tmp_path):
    path = tmp_path / "x.csv"
    ROWS.to_csv(path, index=False, sep=";", encoding="cp1252")
    back = read_extract(path)
    assert back["jds_nummer"].tolist() == ["007", "007", "008"]
    assert back["artikelkwalificatie"].tolist()[2] == "geïntimideerd"


def test_bad_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(pv.InputFileError, match="file is empty"):
        read_extract(empty)
    with pytest.raises(pv.InputFileError, match="file not found"):
        read_extract(tmp_path / "missing.csv")
    with pytest.raises(pv.InputFileError, match="unknown file type"):
        read_extract(tmp_path / "x.json")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not a parquet file at all")
    with pytest.raises(pv.InputFileError, match="not a Parquet file"):
        read_extract(broken)


def test_failed_write_leaves_no_output(tmp_path):
    out = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), ExtractWriter(out, {}) as writer:
        writer.write(ROWS)
        raise RuntimeError("interrupted")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_tag_chunks_equal_whole_frame(tmp_path, capsys):
    src = tmp_path / "in.csv"
    big = pd.concat([ROWS] * 7, ignore_index=True)
    big.to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    code = main(["tag", str(src), "-o", str(out), "--rules", "wodc2022", "--chunk-rows", "4",
                 "--no-progress", "--cases", str(tmp_path / "cases.csv")])
    assert code == 0
    printed = capsys.readouterr().out
    assert "offences        21" in printed and "wodc2022" in printed
    result = pd.read_parquet(out)
    expected = pv.tag(read_extract(src), "wodc2022")
    assert result["pv_label"].astype(str).tolist() == expected["pv_label"].astype(str).tolist()
    assert result["pv_rule_ids"].tolist() == expected["pv_rule_ids"].tolist()
    assert len(pd.read_csv(tmp_path / "cases.csv")) == 2


def test_cli_mapping_errors_are_reported_without_traceback(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame({"a": ["x"]}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["tag", str(src), "-o", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "Columns found: ['a']" in err and not out.exists()
    assert main(["tag", str(src), "-o", str(out), "--no-progress", "--map",
                 "qualification=a"]) == 0


def test_cli_explain_rules_and_validate(tmp_path, capsys):
    assert main(["explain", "-q", "mishandeling, begaan tegen zijn echtgenoot",
                 "-a", "300 jo 304 sub 1 Sr", "--rules", "wodc2022"]) == 0
    assert "Decision: partner" in capsys.readouterr().out
    assert main(["rules", "list", "--rules", "wodc2022"]) == 0
    listing = capsys.readouterr().out
    assert "wodc.mc.partner" in listing and "Documented choices" in listing
    bad = tmp_path / "bad.yaml"
    bad.write_text('name: x\nversion: "1"\nrules:\n  - id: a\n    field: mc\n')
    assert main(["rules", "validate", str(bad)]) == 2
    assert f"{bad}:4" in capsys.readouterr().out


def test_cli_extra_terms(tmp_path, capsys):
    terms = tmp_path / "ex.txt"
    terms.write_text("bijzit\n")
    src = tmp_path / "in.csv"
    pd.DataFrame({"artikelkwalificatie": ["mishandeling van zijn bijzit"]}).to_csv(src,
                                                                                  index=False)
    assert main(["tag", str(src), "--no-progress", "--terms", f"ex_partner={terms}"]) == 0
    assert "ex_partner 1" in capsys.readouterr().out


def test_cli_explain_with_model(tmp_path, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame({"parketnummer": ["c1", "c1"], "jds_nummer": ["p", "p"],
                  "maatschappelijke_classificatie": ["huiselijk geweld", ""],
                  "wetsartikel": ["300 lid 1 Sr", "285b Sr"],
                  "artikelkwalificatie": ["", ""]}).to_csv(src, index=False)
    assert main(["explain", str(src), "--row", "1", "--model", "default"]) == 0
    out = capsys.readouterr().out
    assert "partner-violence score" in out and "model 1.0.0" in out


def test_background_writer_keeps_order_and_reports_errors(tmp_path):
    from pv_identify.io.writers import BackgroundWriter

    out = tmp_path / "ordered.parquet"
    writer = BackgroundWriter(ExtractWriter(out, {}), depth=1)
    for start in range(0, 50, 10):
        writer.write(pd.DataFrame({"n": range(start, start + 10)}))
    writer.close()
    assert pd.read_parquet(out)["n"].tolist() == list(range(50))

    bad = tmp_path / "bad.parquet"
    writer = BackgroundWriter(ExtractWriter(bad, {}))
    writer.write(pd.DataFrame({"n": [1, 2]}))
    writer.write(pd.DataFrame({"other": ["x"]}))  # schema differs: fails in the thread
    with pytest.raises(Exception):  # noqa: B017 - pyarrow's own error type
        writer.close()
    writer.abort()
    assert not bad.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".bad")]
