"""Outputs of inputs without rows, and JSON side outputs into folders (session-5 QA).

A CSV extract with a header and no rows gave a 0-byte CSV output (the columns were
lost, while Parquet and Excel kept them), and a chunk of 0 rows before the first
rows wrote the header twice (the second one read back as a data row).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pv_identify.cli import main
from pv_identify.errors import OutputFileError
from pv_identify.io.atomic import atomic_write_text
from pv_identify.io.writers import ExtractWriter
from pv_identify.schema import OUTPUT_COLUMNS

BAD = Path(__file__).parents[1] / "badinput"
COLUMNS = ["jds_nummer", "wetsartikel", "artikelkwalificatie"]


@pytest.mark.parametrize("suffix", ["csv", "parquet", "xlsx"])
def test_header_only_input_keeps_its_columns_in_every_output(tmp_path, suffix, capsys):
    out = tmp_path / f"out.{suffix}"
    assert main(["tag", str(BAD / "header_only.csv"), "-o", str(out), "--no-progress"]) == 0
    frame = (pd.read_csv(out) if suffix == "csv" else pd.read_parquet(out)
             if suffix == "parquet" else pd.read_excel(out))
    assert len(frame) == 0
    assert list(frame.columns) == COLUMNS + list(OUTPUT_COLUMNS)


def test_an_empty_first_chunk_writes_the_header_once(tmp_path):
    path = tmp_path / "o.csv"
    writer = ExtractWriter(path)
    writer.write(pd.DataFrame({"a": pd.Series([], dtype=object), "b": []}))
    writer.write(pd.DataFrame({"a": ["x"], "b": [1]}))
    writer.write(pd.DataFrame({"a": pd.Series([], dtype=object), "b": []}))
    writer.close()
    assert path.read_text(encoding="utf-8") == "a,b\nx,1\n"
    assert writer.rows == 1


def test_an_empty_frame_alone_gives_its_header(tmp_path):
    path = tmp_path / "o.csv"
    with ExtractWriter(path) as writer:
        writer.write(pd.DataFrame({"a": [], "b": []}))
    assert path.read_text(encoding="utf-8") == "a,b\n"


def test_nothing_written_gives_an_empty_file(tmp_path):
    path = tmp_path / "o.csv"
    ExtractWriter(path).close()
    assert path.read_text(encoding="utf-8") == ""


def test_atomic_write_into_a_folder_or_missing_folder_names_the_path(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(OutputFileError, match="is a folder"):
        atomic_write_text(folder, "{}")
    missing = tmp_path / "missing" / "x.json"
    with pytest.raises(OutputFileError, match="cannot write") as info:
        atomic_write_text(missing, "{}")
    assert str(missing) in str(info.value)
    assert list(folder.iterdir()) == [] and not missing.parent.exists()
