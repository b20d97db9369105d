"""Writing outputs: issue 15 points 4, 5, 9, 13 and determinism."""

import errno
import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from pv_identify.cli import main
from pv_identify.errors import OutputFileError
from pv_identify.io import check_output, metadata_path, read_extract, write_extract

BAD = Path(__file__).parents[1] / "badinput"


def test_excel_cells_are_text_never_formulas(tmp_path):
    pytest.importorskip("openpyxl")
    out = tmp_path / "o.xlsx"
    assert main(["tag", str(BAD / "formula_cells.csv"), "-o", str(out), "--no-progress"]) == 0
    import zipfile

    with zipfile.ZipFile(out) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere
    back = read_extract(out)
    assert back["artikelkwalificatie"].tolist() == ['=HYPERLINK("http://x")', "+31 levensgezel",
                                                    "-1", "@SUM(A1)"]
    assert back["jds_nummer"].tolist() == ["P1", "P2", "P3", "P4"]


def test_excel_never_truncates(tmp_path):
    pytest.importorskip("openpyxl")
    frame = pd.DataFrame({"artikelkwalificatie": ["kort", "x" * 40_000]})
    with pytest.raises(OutputFileError, match=r"1 cell\(s\) longer than Excel's 32767") as info:
        write_extract(frame, tmp_path / "o.xlsx")
    assert "sheet rows [3]" in str(info.value) and "xxxx" not in str(info.value)
    assert not (tmp_path / "o.xlsx").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_spss_and_stata_names_checked_at_the_first_chunk(tmp_path, capsys):
    pytest.importorskip("pyreadstat")
    src = tmp_path / "in.csv"
    pd.DataFrame({"jds nummer": ["P1"], "artikelkwalificatie": ["levensgezel"]}).to_csv(
        src, index=False)
    for suffix in ("sav", "dta"):
        assert main(["tag", str(src), "-o", str(tmp_path / f"o.{suffix}"),
                     "--no-progress"]) == 2
        assert "'jds nummer'" in capsys.readouterr().err
        assert not (tmp_path / f"o.{suffix}").exists()
    with pytest.raises(OutputFileError, match="clash"):
        check_output(tmp_path / "o.sav", ["ab", "AB"])
    check_output(tmp_path / "o.sav", ["jds_nummer", "pv_label", "ë_x"])


def test_output_under_a_file_and_unwritable_folders(tmp_path, monkeypatch, capsys):
    src = BAD / "trailing_delimiter.csv"
    (tmp_path / "existing.csv").write_text("x", encoding="utf-8")
    assert main(["tag", str(src), "-o", str(tmp_path / "existing.csv" / "x.csv"),
                 "--no-progress"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err

    import pv_identify.io.writers as writers

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", no_space)
    assert main(["tag", str(src), "-o", str(tmp_path / "full.csv"), "--no-progress"]) == 2
    assert "the disk is full" in capsys.readouterr().err
    monkeypatch.undo()

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(writers.tempfile, "mkstemp", read_only)
    with pytest.raises(OutputFileError, match="read-only"):
        write_extract(pd.DataFrame({"a": ["1"]}), tmp_path / "ro.csv")


def test_sidecar_replaces_a_planted_symlink(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    out = tmp_path / "o.csv"
    os.symlink(target, metadata_path(out))
    write_extract(pd.DataFrame({"a": ["1"]}), out, {"x": 1})
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not metadata_path(out).is_symlink()
    assert '"rows": 1' in metadata_path(out).read_text(encoding="utf-8")


def test_parquet_output_is_byte_identical_between_runs(tmp_path, monkeypatch):
    src = BAD / "trailing_delimiter.csv"
    digests = []
    for name in ("a.parquet", "b.parquet"):
        assert main(["tag", str(src), "-o", str(tmp_path / name), "--no-progress"]) == 0
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert "created" in metadata_path(tmp_path / "a.parquet").read_text(encoding="utf-8")
    import json

    import pyarrow.parquet as pq

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert main(["tag", str(src), "-o", str(tmp_path / "c.parquet"), "--no-progress"]) == 0
    meta = json.loads(pq.read_schema(tmp_path / "c.parquet").metadata[b"pv_identify"])
    assert meta["created"] == "1970-01-01T00:00:00+00:00"


def test_parquet_index_survives_csv_and_parquet(tmp_path):
    frame = pd.DataFrame({"jds_nummer": ["P1", "P2"],
                          "artikelkwalificatie": ["mishandeling levensgezel", "diefstal"]},
                         index=pd.Index(["r7", "r9"], name="rij"))
    src = tmp_path / "idx.parquet"
    frame.to_parquet(src)
    for out in ("o.parquet", "o.csv"):
        assert main(["tag", str(src), "-o", str(tmp_path / out), "--no-progress"]) == 0
    back = pd.read_parquet(tmp_path / "o.parquet")
    assert back.index.tolist() == ["r7", "r9"] and back.index.name == "rij"
    assert back["pv_partner_violence"].tolist() == [True, False]
    csv = pd.read_csv(tmp_path / "o.csv", dtype=str)
    assert csv["rij"].tolist() == ["r7", "r9"]
    assert read_extract(src)["rij"].tolist() == ["r7", "r9"]
