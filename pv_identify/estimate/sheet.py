"""The annotation sheet: one format for every design, written as text, read back strictly.

Columns, in order: ``pv_row`` (position of the offence in the tagged extract),
``stratum``, ``inclusion_probability`` (empty for the ``active`` design),
``gold_relationship`` (empty, for the annotator), ``annotator_note``, any design
columns (``reason`` for ``active``), then all columns of the tagged extract (the
original ones and the ``pv_*`` ones). Rows are in extract order, so a person's
offences stay together.

A ``.csv`` sheet is plain CSV. An ``.xlsx`` sheet has a sheet ``annotate`` whose every
cell is a text cell (``data_type "s"``, number format ``@``; values that Excel would
read as a formula, ``=``/``+``/``-``/``@`` first, also carry the quote-prefix style),
so no value is ever evaluated or converted, and a sheet ``instructions``. The value of
every cell is exactly the CSV text.

Reading back (:func:`read_sheet`, :func:`sheet_labels`) accepts the label column of the
earlier sheet format (``gold_label``) too. Problems are reported with sheet row numbers
(row 1 is the header), never with record contents.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pv_identify.estimate.design import SampleDesign, design_path
from pv_identify.estimate.errors import SheetError
from pv_identify.schema import LABELS

#: Column with the row position in the tagged extract.
SHEET_ROW_COLUMN = "pv_row"
#: Column the annotator fills in with the true relationship.
SHEET_LABEL_COLUMN = "gold_relationship"
#: Earlier names of the label column, still read.
LEGACY_LABEL_COLUMNS: tuple[str, ...] = ("gold_label",)
#: Column with the stratum key.
SHEET_STRATUM_COLUMN = "stratum"
#: Column with the inclusion probability of the row.
SHEET_PI_COLUMN = "inclusion_probability"
#: Free-text column for the annotator.
SHEET_NOTE_COLUMN = "annotator_note"
#: Columns in front of the extract's columns.
FRONT_COLUMNS: tuple[str, ...] = (SHEET_ROW_COLUMN, SHEET_STRATUM_COLUMN, SHEET_PI_COLUMN,
                                  SHEET_LABEL_COLUMN, SHEET_NOTE_COLUMN)
#: Name of the data sheet in an Excel workbook.
EXCEL_DATA_SHEET = "annotate"
#: Meaning of each label, for the instruction sheet.
LABEL_MEANINGS: dict[str, str] = {
    "partner": "current spouse, registered partner, life companion or relationship partner "
               "at the time of the offence",
    "ex_partner": "former partner at the time of the offence",
    "child": "child of the offender (incl. step/foster child in the family)",
    "parent": "parent of the offender",
    "other_family": "other family member (sibling, grandparent, in-law, ...)",
    "domestic_unspecified": "domestic, but the relationship cannot be told",
    "none": "not domestic (stranger, acquaintance, official, no victim)",
}
_FORMULA_START = ("=", "+", "-", "@")


def build_sheet(tagged: pd.DataFrame, design: SampleDesign,
                extra: Mapping[str, Sequence[object] | np.ndarray] | None = None
                ) -> pd.DataFrame:
    """Rows of the tagged extract that the design drew, with the sheet columns in front.

    Parameters
    ----------
    tagged : pandas.DataFrame
        The tagged extract the design was drawn from (not modified).
    design : SampleDesign
        The draw.
    extra : mapping, optional
        Further design columns (name -> one value per drawn row), placed after the
        front columns.

    Returns
    -------
    pandas.DataFrame
        The sheet (index of the drawn rows of ``tagged``).

    Raises
    ------
    SheetError
        If the design does not fit the extract.
    """
    if design.population != len(tagged):
        raise SheetError(f"the design was drawn from {design.population} rows, the extract "
                         f"has {len(tagged)}")
    taken = tagged.iloc[design.rows]
    pi = design.inclusion_probability()
    front = pd.DataFrame({
        SHEET_ROW_COLUMN: design.rows, SHEET_STRATUM_COLUMN: design.row_stratum,
        SHEET_PI_COLUMN: pi, SHEET_LABEL_COLUMN: "", SHEET_NOTE_COLUMN: ""},
        index=taken.index)
    for name, values in (extra or {}).items():
        front[name] = np.asarray(values, dtype=object)
    clash = [c for c in taken.columns if c in front.columns]
    if clash:
        raise SheetError(f"the extract already has sheet column(s) {clash}; rename them")
    return pd.concat([front, taken], axis=1)


def _as_text(sheet: pd.DataFrame) -> pd.DataFrame:
    """All values as the text CSV would hold (missing -> empty string)."""
    buffer = io.StringIO()
    flat = sheet.copy()
    for col in flat.columns:
        if pd.api.types.is_datetime64_any_dtype(flat[col]):
            flat[col] = flat[col].dt.strftime("%Y-%m-%d")
    flat.to_csv(buffer, index=False)
    buffer.seek(0)
    return pd.read_csv(buffer, dtype=str, keep_default_na=False)


def _instructions(design: SampleDesign | None, n_rows: int) -> list[list[str]]:
    lines = [
        ["Annotation sheet of pv_identify"],
        [""],
        ["What to do"],
        [f"1. For every row of the sheet '{EXCEL_DATA_SHEET}' ({n_rows} offences), read the "
         "offence and its case and fill in column " + SHEET_LABEL_COLUMN + " with the "
         "victim's relationship to the offender at the time of the offence."],
        ["2. Use exactly one of the labels below (lower case). " + (
            "Leave no row empty: the estimates need every drawn row. "
            if design is None or design.probabilistic else
            "Rows left empty are not used. ") + "Use annotator_note for doubts."],
        ["3. Do not add, delete, sort-and-delete or re-number rows, and do not edit "
         "pv_row, stratum or inclusion_probability: they tie each row to the extract and "
         "to the sampling design."],
        ["4. The pv_* columns show what the tagger said; judge from the record, not from "
         "them."],
        ["5. Save as .xlsx or .csv, then run: pv-identify estimate TAGGED --sheet FILLED"],
        [""],
        ["label", "meaning"],
        *[[label, LABEL_MEANINGS.get(label, "")] for label in LABELS],
        [""],
        ["partner violence = partner or ex_partner; domestic violence = any label but none."],
    ]
    if design is not None:
        lines += [[""], ["Sampling design"],
                  ["design", design.design],
                  ["allocation", str(design.allocation or "")],
                  ["strata by", ", ".join(design.by) or "none (simple random sample)"],
                  ["rows drawn", str(design.n)],
                  ["rows in extract", str(design.population)],
                  ["seed", str(design.seed)],
                  ["drawn", design.created]]
    return lines


def _write_text_cells(ws: object, rows: list[list[str]], *, header: bool) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value == "":
                continue
            cell = ws.cell(row=r, column=c)  # type: ignore[attr-defined]
            cell.value = value
            cell.data_type = "s"  # text, never a formula or a number
            cell.number_format = "@"
            if value.startswith(_FORMULA_START):
                cell.quotePrefix = True
            if header and r == 1:
                cell.font = bold


def write_sheet(sheet: pd.DataFrame, path: str | Path,
                design: SampleDesign | None = None) -> list[Path]:
    """Write the annotation sheet (format from the suffix) and the design sidecar.

    Parameters
    ----------
    sheet : pandas.DataFrame
        Output of :func:`build_sheet`.
    path : str or pathlib.Path
        ``.csv`` or ``.xlsx`` target.
    design : SampleDesign, optional
        The design, written to ``<path>.design.json``.

    Returns
    -------
    list of pathlib.Path
        The sheet, then the sidecar (if any).

    Raises
    ------
    SheetError
        On an unsupported suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SheetError(f"{path}: an annotation sheet must be .csv or .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _as_text(sheet)
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        text.to_csv(tmp, index=False)
    else:
        _write_xlsx(text, tmp, design)
    tmp.replace(path)
    written = [path]
    if design is not None:
        written.append(design.write(design_path(path)))
    return written


def _write_xlsx(text: pd.DataFrame, path: Path, design: SampleDesign | None) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one sheet, a worksheet
    ws.title = EXCEL_DATA_SHEET
    rows = [list(map(str, text.columns)), *text.to_numpy(dtype=object).tolist()]
    _write_text_cells(ws, rows, header=True)
    if SHEET_LABEL_COLUMN in text.columns:
        col = list(text.columns).index(SHEET_LABEL_COLUMN) + 1
        letter = get_column_letter(col)
        check = DataValidation(type="list", formula1='"' + ",".join(LABELS) + '"',
                               allow_blank=True, showErrorMessage=True,
                               errorTitle="unknown label",
                               error="Use one of: " + ", ".join(LABELS))
        ws.add_data_validation(check)
        if len(text):
            check.add(f"{letter}2:{letter}{len(text) + 1}")
        ws.freeze_panes = ws.cell(row=2, column=col + 1).coordinate
    for c, name in enumerate(text.columns, start=1):
        longest = max([len(str(name)), *text[name].str.len().head(200).tolist()])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest + 2))
    info = wb.create_sheet("instructions")
    _write_text_cells(info, _instructions(design, len(text)), header=True)
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90
    wb.save(path)


def read_sheet(path: str | Path) -> pd.DataFrame:
    """Read an annotation sheet (``.csv`` or ``.xlsx``) with every value as text.

    Parameters
    ----------
    path : str or pathlib.Path
        The sheet.

    Returns
    -------
    pandas.DataFrame
        Its rows (missing values as empty strings), RangeIndex: row ``i`` is sheet row
        ``i + 2``.

    Raises
    ------
    SheetError
        If the file is missing, not CSV/Excel, or has no ``annotate`` sheet.
    """
    path = Path(path)
    if not path.is_file():
        raise SheetError(f"{path}: annotation sheet not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(path, sheet_name=EXCEL_DATA_SHEET, dtype=str)
        except ValueError as exc:
            raise SheetError(f"{path}: no sheet {EXCEL_DATA_SHEET!r} ({exc})") from None
        return frame.fillna("").reset_index(drop=True)
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    raise SheetError(f"{path}: an annotation sheet must be .csv or .xlsx")


def label_column(sheet: pd.DataFrame, where: str = "sheet") -> str:
    """Return the label column: ``gold_relationship``, or the legacy ``gold_label``.

    Parameters
    ----------
    sheet : pandas.DataFrame
        The sheet.
    where : str
        Name in error messages.

    Returns
    -------
    str
        Column name.

    Raises
    ------
    SheetError
        If there is no label column.
    """
    for name in (SHEET_LABEL_COLUMN, *LEGACY_LABEL_COLUMNS):
        if name in sheet.columns:
            return name
    raise SheetError(f"{where}: no column {SHEET_LABEL_COLUMN!r} (the annotator's label)")


def _rows_text(positions: np.ndarray, limit: int = 12) -> str:
    rows = [str(int(p) + 2) for p in positions[:limit]]
    more = f" and {len(positions) - limit} more" if len(positions) > limit else ""
    return ", ".join(rows) + more


def normalise_labels(values: pd.Series) -> pd.Series:
    """Lower-case, trim, and turn ``-``/spaces into ``_`` (``Ex-partner`` -> ``ex_partner``).

    Parameters
    ----------
    values : pandas.Series
        Raw entries.

    Returns
    -------
    pandas.Series of str
        Normalised entries (empty for missing).
    """
    return (values.fillna("").astype(str).str.strip().str.lower()
            .str.replace(r"[\s\-]+", "_", regex=True))


def sheet_labels(sheet: pd.DataFrame, *, where: str = "sheet",
                 require_all: bool = True) -> np.ndarray:
    """Return the validated labels of a filled-in sheet, one per row (``""`` if unfilled).

    Parameters
    ----------
    sheet : pandas.DataFrame
        The sheet (RangeIndex, as from :func:`read_sheet`).
    where : str
        Name in error messages (the file).
    require_all : bool, default True
        Raise if any row is unfilled.

    Returns
    -------
    numpy.ndarray of str
        Labels from :data:`pv_identify.schema.LABELS`, or ``""``.

    Raises
    ------
    SheetError
        On unknown labels or (with ``require_all``) unfilled rows, naming the sheet rows
        (row 1 is the header) but not their contents.
    """
    column = label_column(sheet, where)
    labels = normalise_labels(sheet[column]).to_numpy(dtype=object)
    bad = np.flatnonzero((labels != "") & ~np.isin(labels, LABELS))
    if len(bad):
        raise SheetError(f"{where}: {len(bad)} row(s) have a {column} that is not a known "
                         f"label: sheet rows {_rows_text(bad)} (row 1 is the header). "
                         f"Use one of: {', '.join(LABELS)}")
    empty = np.flatnonzero(labels == "")
    if require_all and len(empty):
        raise SheetError(f"{where}: {len(empty)} of {len(labels)} row(s) have no {column}: "
                         f"sheet rows {_rows_text(empty)} (row 1 is the header). Label "
                         "every drawn row (or pass --allow-unfilled to treat them as "
                         "missing at random within their stratum)")
    return labels


def sheet_rows(sheet: pd.DataFrame, n_extract: int, *, where: str = "sheet") -> np.ndarray:
    """Extract row positions (``pv_row``) of a sheet, validated.

    Parameters
    ----------
    sheet : pandas.DataFrame
        The sheet.
    n_extract : int
        Rows of the extract.
    where : str
        Name in error messages.

    Returns
    -------
    numpy.ndarray of int
        Position per sheet row.

    Raises
    ------
    SheetError
        If the column is missing, or a value is not a row number of the extract or is
        repeated.
    """
    if SHEET_ROW_COLUMN not in sheet.columns:
        raise SheetError(f"{where}: no column {SHEET_ROW_COLUMN!r} (row in the extract)")
    raw = pd.to_numeric(sheet[SHEET_ROW_COLUMN].astype(str).str.strip(), errors="coerce")
    bad = np.flatnonzero(raw.isna().to_numpy() | (raw.fillna(-1) % 1 != 0).to_numpy()
                         | ~raw.fillna(-1).between(0, n_extract - 1).to_numpy())
    if len(bad):
        raise SheetError(f"{where}: {SHEET_ROW_COLUMN} is not a row of the extract "
                         f"(0..{n_extract - 1}) in sheet rows {_rows_text(bad)}; was the "
                         "sheet drawn from this extract?")
    rows = raw.to_numpy(dtype=np.int64)
    dup = np.flatnonzero(pd.Series(rows).duplicated().to_numpy())
    if len(dup):
        raise SheetError(f"{where}: {SHEET_ROW_COLUMN} repeats in sheet rows "
                         f"{_rows_text(dup)}; every offence may appear once")
    return rows
