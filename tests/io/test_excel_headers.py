"""Repeated header names in an Excel sheet (session-5 QA).

CSV refused them, but pandas' Excel reader renamed the second 'name.1', so the
rules read the first column silently and the output's header differed from the
sheet's.
"""

from __future__ import annotations

import pytest

from pv_identify.cli import main
from pv_identify.errors import CsvLayoutError
from pv_identify.io import read_extract

openpyxl = pytest.importorskip("openpyxl")


def _sheet(path, header, row):
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append(row)
    book.save(path)
    return path


def test_repeated_excel_header_is_refused_with_positions(tmp_path, capsys):
    path = _sheet(tmp_path / "dup.xlsx", ["artikelkwalificatie", "wetsartikel",
                                         "artikelkwalificatie"],
                  ["mishandeling van zijn vrouw", "300 Sr", "diefstal"])
    with pytest.raises(CsvLayoutError, match=r"'artikelkwalificatie' at columns \[1, 3\]"):
        read_extract(path)
    assert main(["tag", str(path), "-o", str(tmp_path / "o.csv"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "duplicate header names" in err and "zijn vrouw" not in err
    assert not (tmp_path / "o.csv").exists()


def test_blank_excel_header_cells_may_repeat(tmp_path):
    path = _sheet(tmp_path / "blank.xlsx", ["artikelkwalificatie", None, "wetsartikel", None],
                  ["mishandeling van zijn vrouw", "x", "300 Sr", "y"])
    frame = read_extract(path)
    assert list(frame.columns) == ["artikelkwalificatie", "Unnamed: 1", "wetsartikel",
                                   "Unnamed: 3"]
    assert frame.iloc[0].tolist() == ["mishandeling van zijn vrouw", "x", "300 Sr", "y"]
