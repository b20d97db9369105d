"""CSV layouts pandas or the sniffer got wrong (session-5 QA).

In a one-column CSV an empty cell is a blank line; pandas skipped those lines, so a
text column of 4 rows with one empty text came back as 3 rows and the output no
longer lined up with the input.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pv_identify.cli import main
from pv_identify.io import read_extract
from pv_identify.io.readers import iter_extract


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_of_a_one_column_csv_are_empty_rows(tmp_path, newline):
    path = tmp_path / "one.csv"
    path.write_bytes(newline.join(["artikelkwalificatie", "mishandeling van zijn vrouw", "",
                                   "diefstal", "belaging"]).encode() + newline.encode())
    frame = read_extract(path)
    assert len(frame) == 4 and frame["artikelkwalificatie"].isna().tolist() == [
        False, True, False, False]
    assert sum(len(c) for c in iter_extract(path, chunk_rows=1)) == 4
    out = tmp_path / "out.csv"
    assert main(["tag", str(path), "-o", str(out), "--no-progress"]) == 0
    tagged = pd.read_csv(out, keep_default_na=False)
    assert tagged["pv_label"].tolist() == ["partner", "none", "none", "none"]


def test_blank_lines_between_rows_of_several_columns_are_still_skipped(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("artikelkwalificatie,wetsartikel\nmishandeling,300\n\ndiefstal,310\n",
                    encoding="utf-8")
    assert read_extract(path)["wetsartikel"].tolist() == ["300", "310"]


def test_the_delimiter_is_found_outside_quoted_header_names(tmp_path):
    # 'id;"naam, voornaam, tussenvoegsel";...' counted two commas inside the quotes as
    # delimiters: the file read as ',' and no column was found
    path = tmp_path / "semicolon.csv"
    path.write_text('id;"naam, voornaam, tussenvoegsel";artikelkwalificatie\n'
                    '1;"Jansen, Jan, van";mishandeling van zijn vrouw\n'
                    '2;"Smit, Piet, de";diefstal\n', encoding="utf-8")
    frame = read_extract(path)
    assert list(frame.columns) == ["id", "naam, voornaam, tussenvoegsel",
                                   "artikelkwalificatie"]
    assert frame["naam, voornaam, tussenvoegsel"].tolist() == ["Jansen, Jan, van",
                                                                "Smit, Piet, de"]
