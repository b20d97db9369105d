"""Reading the bad-input corpus (tests/badinput): issue 15 points 1, 3, 5, 9 and 14."""

import logging
from pathlib import Path

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.cli import main
from pv_identify.errors import (
    ColumnMappingError,
    CsvLayoutError,
    EncodingError,
    InputFileError,
    SheetError,
)
from pv_identify.io import ColumnMapping, read_extract
from pv_identify.io.readers import iter_extract
from pv_identify.stream.runner import tag_file

BAD = Path(__file__).parents[1] / "badinput"


def test_trailing_delimiter_keeps_columns_and_warns_with_lines(caplog):
    with caplog.at_level(logging.WARNING):
        df = read_extract(BAD / "trailing_delimiter.csv")
    assert list(df.columns) == ["jds_nummer", "wetsartikel", "artikelkwalificatie"]
    assert df["jds_nummer"].tolist() == ["P1", "P2"]
    assert isinstance(df.index, pd.RangeIndex)
    message = caplog.text
    assert "2 row(s)" in message and "line(s) 2, 3" in message
    assert "levensgezel" not in message
    tagged = pv.tag(df)
    assert tagged["pv_partner_violence"].tolist() == [True, False]


def test_trailing_delimiter_chunked_equals_whole():
    chunks = list(iter_extract(BAD / "trailing_delimiter.csv", chunk_rows=1))
    assert pd.concat(chunks).equals(read_extract(BAD / "trailing_delimiter.csv"))


def test_extra_nonempty_field_is_an_error_naming_the_line():
    with pytest.raises(CsvLayoutError, match=r"data row\(s\) 2 ") as info:
        read_extract(BAD / "extra_field.csv")
    assert "levensgezel" not in str(info.value)


def test_row_with_many_extra_fields_names_its_line(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n1,2\n" + ",".join(["x"] * 20) + "\n", encoding="utf-8")
    with pytest.raises(CsvLayoutError, match="line 3"):
        read_extract(path)


def test_duplicate_header_names_and_positions():
    with pytest.raises(CsvLayoutError, match=r"'artikelkwalificatie' at columns \[2, 3\]"):
        read_extract(BAD / "duplicate_header.csv")


def test_one_stray_byte_does_not_turn_utf8_into_cp1252():
    with pytest.raises(EncodingError, match=r"byte 65 \(line 3\)") as info:
        read_extract(BAD / "mixed_utf8_cp1252.csv")
    assert "--encoding" in str(info.value)
    assert "caf" not in str(info.value)


def test_utf8_replace_reads_the_rest_correctly(caplog):
    with caplog.at_level(logging.WARNING):
        df = read_extract(BAD / "mixed_utf8_cp1252.csv", encoding="utf-8:replace")
    assert df["artikelkwalificatie"][0] == "mishandeling echtgenoën"
    assert df["artikelkwalificatie"][1] == "caf\ufffd bedreiging"
    assert "replaced 1 invalid" in caplog.text


def test_explicit_wrong_encoding_names_the_offset(tmp_path):
    with pytest.raises(EncodingError, match="byte 65"):
        read_extract(BAD / "mixed_utf8_cp1252.csv", encoding="utf-8")
    with pytest.raises(EncodingError, match="unknown encoding"):
        read_extract(BAD / "cp1252.csv", encoding="klingon")


def test_pure_cp1252_still_read_with_warning(caplog):
    with caplog.at_level(logging.WARNING):
        df = read_extract(BAD / "cp1252.csv")
    assert df["artikelkwalificatie"][0] == "mishandeling echtgenoën"
    assert "cp1252" in caplog.text


@pytest.mark.parametrize("name", ["utf16_bom.csv", "utf8_bom.csv"])
def test_byte_order_marks(name):
    df = read_extract(BAD / name)
    assert list(df.columns) == ["jds_nummer", "artikelkwalificatie"]
    assert "ë" in df["artikelkwalificatie"][0]
    assert next(iter(iter_extract(BAD / name, chunk_rows=1)))["jds_nummer"][0] == "P1"


def test_cli_encoding_option(tmp_path, capsys):
    out = tmp_path / "o.csv"
    assert main(["tag", str(BAD / "mixed_utf8_cp1252.csv"), "-o", str(out),
                 "--no-progress"]) == 2
    assert "mixed encodings" in capsys.readouterr().err
    assert main(["tag", str(BAD / "mixed_utf8_cp1252.csv"), "-o", str(out), "--no-progress",
                 "--encoding", "utf-8:replace"]) == 0
    assert "echtgenoën" in out.read_text(encoding="utf-8")
    # the next command without --encoding does not inherit it
    assert main(["tag", str(BAD / "mixed_utf8_cp1252.csv"), "--no-progress"]) == 2
    with pytest.raises(SystemExit):
        main(["tag", str(BAD / "cp1252.csv"), "--encoding", "klingon"])


def test_python_calls_after_main_do_not_inherit_encoding_or_sheet(tmp_path):
    """--encoding/--sheet are passed to the readers, never kept as process defaults."""
    out = tmp_path / "o.csv"
    assert main(["tag", str(BAD / "mixed_utf8_cp1252.csv"), "-o", str(out), "--no-progress",
                 "--encoding", "utf-8:replace"]) == 0
    with pytest.raises(EncodingError, match="mixed encodings"):
        read_extract(BAD / "mixed_utf8_cp1252.csv")
    with pytest.raises(EncodingError, match="mixed encodings"):
        next(iter_extract(BAD / "mixed_utf8_cp1252.csv"))
    with pytest.raises(EncodingError, match="mixed encodings"):
        tag_file(BAD / "mixed_utf8_cp1252.csv", None, progress=False)
    book = tmp_path / "book.xlsx"
    pytest.importorskip("openpyxl")
    with pd.ExcelWriter(book) as writer:
        for name in ("eerste", "tweede"):
            pd.DataFrame({"artikelkwalificatie": [name]}).to_excel(writer, sheet_name=name,
                                                                   index=False)
    assert main(["tag", str(book), "-o", str(out), "--no-progress", "--sheet", "tweede"]) == 0
    with pytest.raises(SheetError, match="2 sheets"):
        read_extract(book)
    with pytest.raises(SheetError, match="2 sheets"):
        tag_file(book, None, progress=False)
    # and the explicit parameters reach every reader of the file runner
    summary = tag_file(book, None, progress=False, sheet="tweede")
    assert summary.rows == 1
    summary = tag_file(BAD / "mixed_utf8_cp1252.csv", None, progress=False,
                       encoding="utf-8:replace")
    assert summary.rows > 0


def test_headerless_csv_error_does_not_echo_the_first_row(capsys):
    assert main(["tag", str(BAD / "no_header.csv"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "3 column(s)" in err and "header row" in err
    assert "mishandeling" not in err and "300 Sr" not in err


def test_csv_renamed_sav_is_a_specific_error(capsys):
    with pytest.raises(InputFileError, match=r"CSV file renamed to \.sav"):
        read_extract(BAD / "csv_renamed.sav")
    assert main(["tag", str(BAD / "csv_renamed.sav"), "--no-progress"]) == 2


def test_multi_sheet_workbook_needs_a_sheet(tmp_path, capsys):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"artikelkwalificatie": ["a"]}).to_excel(writer, sheet_name="eerste",
                                                              index=False)
        pd.DataFrame({"artikelkwalificatie": ["levensgezel"]}).to_excel(
            writer, sheet_name="tweede", index=False)
    with pytest.raises(SheetError, match=r"2 sheets \['eerste', 'tweede'\]"):
        read_extract(path)
    assert read_extract(path, sheet="tweede")["artikelkwalificatie"][0] == "levensgezel"
    with pytest.raises(SheetError, match="no sheet named"):
        read_extract(path, sheet="derde")
    out = tmp_path / "o.csv"
    assert main(["tag", str(path), "-o", str(out), "--no-progress"]) == 2
    assert main(["tag", str(path), "-o", str(out), "--no-progress", "--sheet", "tweede"]) == 0
    assert pd.read_csv(out)["pv_partner_violence"].tolist() == [True]


def test_case_insensitive_collision_is_ambiguous():
    df = pd.DataFrame({"artikelkwalificatie": ["a"], "Artikelkwalificatie": ["levensgezel"]})
    with pytest.raises(ColumnMappingError, match="ambiguous columns for field 'qualification'"):
        pv.tag(df)
    tagged = pv.tag(df, columns={"qualification": "Artikelkwalificatie"})
    assert tagged["pv_partner_violence"].tolist() == [True]


def test_bad_mapping_values_and_integer_labels():
    df = pd.DataFrame({"artikelkwalificatie": ["a"]})
    with pytest.raises(ColumnMappingError, match="must be a column name"):
        pv.tag(df, columns={"qualification": 5})
    with pytest.raises(ColumnMappingError, match="not strings"):
        pv.tag(pd.DataFrame([["P1", "300 Sr", "levensgezel"]]))
    with pytest.raises(ColumnMappingError, match=r"positions \[\[1, 2\]\]"):
        ColumnMapping.resolve(["a", "a"])


def test_parquet_view_and_nested_columns(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({
        "artikelkwalificatie": pa.array(["mishandeling levensgezel", "diefstal"],
                                        type=pa.string_view()),
        "tags": pa.array([[1, 2], []], type=pa.list_(pa.int64())),
        "info": pa.array([{"x": 1}, {"x": 2}]),
    })
    path = tmp_path / "v.parquet"
    pq.write_table(table, path)
    out = tmp_path / "o.parquet"
    assert main(["tag", str(path), "-o", str(out), "--no-progress"]) == 0
    back = pq.read_table(out)
    assert back.column("pv_partner_violence").to_pylist() == [True, False]
    assert back.column("tags").to_pylist() == [[1, 2], []]
    assert read_extract(path)["artikelkwalificatie"].tolist()[0] == "mishandeling levensgezel"
