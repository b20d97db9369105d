import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pv_identify.estimate import (
    SheetError,
    build_sheet,
    draw_stratified,
    read_sheet,
    sheet_labels,
    sheet_rows,
    write_sheet,
)
from pv_identify.estimate.sheet import FRONT_COLUMNS

TRICKY = ["=HYPERLINK(\"http://x\")", "+31 6 1234", "-5", "@SUM(A1)", "00123", "1e5",
          "2015-03-01"]


@pytest.fixture
def small(sample_tagged, sample_view):
    design = draw_stratified(sample_view, 60, by=("signal",), seed=0)
    sheet = build_sheet(sample_tagged, design)
    sheet["artikelkwalificatie"] = [TRICKY[i % len(TRICKY)] for i in range(len(sheet))]
    return design, sheet


def test_sheet_keeps_all_columns_in_extract_order(sample_tagged, small):
    design, sheet = small
    assert list(sheet.columns) == [*FRONT_COLUMNS, *sample_tagged.columns]
    assert (sheet["gold_relationship"] == "").all()
    assert list(sheet["pv_row"]) == sorted(design.rows)
    assert sample_tagged.columns.tolist()[-1] == "pv_score"  # caller's frame unchanged


def test_excel_cells_are_text_never_formulas(small, tmp_path):
    design, sheet = small
    xlsx, side = write_sheet(sheet, tmp_path / "s.xlsx", design=design)
    assert side.name == "s.xlsx.design.json" and side.is_file()
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["annotate", "instructions"]
    ws = wb["annotate"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
    assert ws["A1"].value == "pv_row"
    header = [c.value for c in ws[1]]
    qual = header.index("artikelkwalificatie") + 1
    values = [ws.cell(row=r, column=qual).value for r in range(2, len(sheet) + 2)]
    assert values == list(sheet["artikelkwalificatie"])  # values unchanged, no prefix added
    assert ws.cell(row=2, column=qual).quotePrefix  # "=..." is marked as literal text
    with zipfile.ZipFile(xlsx) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    back = read_sheet(xlsx)
    assert list(back["artikelkwalificatie"]) == list(sheet["artikelkwalificatie"])
    np.testing.assert_array_equal(sheet_rows(back, 4000), design.rows)


def test_csv_and_excel_hold_the_same_text(small, tmp_path):
    design, sheet = small
    csv = write_sheet(sheet, tmp_path / "s.csv", design=design)[0]
    xlsx = write_sheet(sheet, tmp_path / "s.xlsx", design=design)[0]
    pd.testing.assert_frame_equal(read_sheet(csv), read_sheet(xlsx))
    with pytest.raises(SheetError, match=r"\.csv or \.xlsx"):
        write_sheet(sheet, tmp_path / "s.ods")


def test_label_errors_name_rows_not_contents(small):
    _, sheet = small
    sheet = sheet.reset_index(drop=True)
    sheet["gold_relationship"] = "none"
    sheet.loc[3, "gold_relationship"] = "secret-name-Jansen"
    with pytest.raises(SheetError) as err:
        sheet_labels(sheet, where="f.xlsx")
    assert "sheet rows 5 " in str(err.value) and "Jansen" not in str(err.value)
    sheet.loc[3, "gold_relationship"] = " Ex-Partner "
    sheet.loc[[7, 9], "gold_relationship"] = ""
    with pytest.raises(SheetError, match=r"2 of 60 row\(s\) have no gold_relationship: "
                                         r"sheet rows 9, 11"):
        sheet_labels(sheet)
    labels = sheet_labels(sheet, require_all=False)
    assert labels[3] == "ex_partner" and labels[7] == ""


def test_legacy_label_column_is_read(small):
    _, sheet = small
    old = sheet.reset_index(drop=True).rename(columns={"gold_relationship": "gold_label"})
    old["gold_label"] = "partner"
    assert (sheet_labels(old) == "partner").all()


def test_row_column_errors(small):
    _, sheet = small
    sheet = sheet.reset_index(drop=True).astype({"pv_row": str})
    sheet.loc[2, "pv_row"] = "9999"
    with pytest.raises(SheetError, match="sheet rows 4;"):
        sheet_rows(sheet, 4000)
