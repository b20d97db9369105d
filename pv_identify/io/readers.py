"""Read extracts: CSV, Parquet, SPSS (.sav), Stata (.dta) and Excel, whole or in chunks.

All readers return text columns as strings (identifiers with leading zeros stay
intact) and raise :class:`~pv_identify.errors.InputFileError` (or a subclass) with the
file name and what went wrong for missing, empty, unreadable or wrongly encoded files.
Messages give counts, line numbers and byte offsets, never cell contents.

What is never silent:

* CSV rows with more fields than the header: extra *empty* fields (a delimiter at
  the end of the line) are ignored with a warning giving their count and lines;
  non-empty extra fields raise :class:`~pv_identify.errors.CsvLayoutError`. The first
  column never becomes the index.
* a blank line of a one-column CSV is a row with an empty cell (pandas skips it).
* duplicate CSV and Excel header names raise
  :class:`~pv_identify.errors.CsvLayoutError` with the names and positions (pandas
  would rename them ``name.1``).
* encodings: see :mod:`pv_identify.io.encoding`.
* an Excel workbook with several sheets needs ``sheet=`` (``--sheet``).
* a file whose content does not match its suffix (a CSV renamed ``.sav``) is refused.
* a pandas index stored in a Parquet file becomes leading column(s) of the chunks,
  so no output loses it (the Parquet fast path keeps it as the index).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from pv_identify.errors import CsvLayoutError, EncodingError, InputFileError, SheetError
from pv_identify.io.encoding import choose_encoding

log = logging.getLogger(__name__)

FORMATS: dict[str, str] = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".sav": "sav", ".zsav": "sav",
    ".dta": "dta",
    ".xlsx": "excel", ".xls": "excel",
}

_EXTRA = {"parquet": "pyarrow", "sav": "pyreadstat", "dta": "pandas", "excel": "openpyxl"}


def file_format(path: str | Path) -> str:
    """Return the format of ``path`` from its suffix.

    Raises
    ------
    InputFileError
        For an unknown suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputFileError(f"{path}: unknown file type {suffix!r}; expected one of "
                             f"{', '.join(sorted(FORMATS))}")
    return FORMATS[suffix]


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputFileError(f"{path}: file not found")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, expected a file")
    if path.stat().st_size == 0:
        raise InputFileError(f"{path}: file is empty")


def _require(module: str, fmt: str) -> None:
    try:
        __import__(module)
    except ImportError:
        raise InputFileError(
            f"reading {fmt} files needs the '{module}' package: "
            "pip install 'pv_identify[formats]'") from None


def detect_encoding(path: str | Path) -> str:
    """Return the encoding ``path`` is read with when none is given.

    A byte-order mark decides (``utf-8-sig``, ``utf-16``, ``utf-32``); else UTF-8 if
    the whole file is valid UTF-8; else ``cp1252`` (with a warning) if the file holds
    no UTF-8 character at all.

    Raises
    ------
    EncodingError
        If the file mixes UTF-8 with invalid bytes (offsets and lines in the message).
    """
    return choose_encoding(Path(path), None)[0]


_MAGIC: dict[str, tuple[bytes, ...]] = {
    "parquet": (b"PAR1",),
    "sav": (b"$FL2", b"$FL3"),
    "excel": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
}
_NAMES = {"parquet": "Parquet", "sav": "SPSS", "dta": "Stata", "excel": "Excel",
          "csv": "CSV"}


def _sniff(head: bytes) -> str | None:
    """Return what the first bytes look like: a format name, 'text' or None."""
    for fmt, magics in _MAGIC.items():
        if head.startswith(magics):
            return fmt
    if head.startswith(b"<stata_dta>"):
        return "dta"
    sample = head[:4096]
    if sample and b"\x00" not in sample:
        return "text"
    return None


def _check_content(path: Path, fmt: str) -> None:
    """Refuse a file whose first bytes do not match its suffix (e.g. a CSV renamed .sav)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    kind = _sniff(head)
    if fmt == "csv":
        if kind in _MAGIC or kind == "dta":
            raise InputFileError(f"{path}: is a {_NAMES[kind]} file, not CSV text; "  # type: ignore[index]
                                 "rename it with the right suffix")
        return
    ok = (kind == fmt) or (fmt == "dta" and kind is None and head[:1]
                           and 102 <= head[0] <= 115)
    if fmt == "excel" and path.suffix.lower() == ".xls" and head.startswith(_MAGIC["excel"][1]):
        ok = True
    if not ok:
        hint = ("it looks like text: is it a CSV file renamed to "
                f"{path.suffix}? Rename it to .csv" if kind == "text" else
                f"it looks like a {_NAMES[kind]} file" if kind in _NAMES else
                "the file is corrupt or of another type")
        raise InputFileError(f"{path}: not a {_NAMES[fmt]} file (its first bytes are not "
                             f"a {_NAMES[fmt]} header); {hint}")


def read_extract(path: str | Path, *, encoding: str | None = None,
                 sheet: str | int | None = None) -> pd.DataFrame:
    """Read a whole extract into a DataFrame.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV (separator detected: ``,`` ``;`` tab ``|``), Parquet, SPSS ``.sav``, Stata
        ``.dta`` or Excel ``.xlsx``.
    encoding : str, optional
        Text encoding for CSV/SPSS, e.g. ``"utf-8"``, ``"cp1252"``, ``"utf-16"`` or
        ``"utf-8:replace"`` (invalid bytes become U+FFFD, with a warning). Detected
        when omitted (see :mod:`pv_identify.io.encoding`).
    sheet : str or int, optional
        Excel sheet (name or 0-based position); required when the workbook has more
        than one sheet.

    Returns
    -------
    pandas.DataFrame
        The extract, with a fresh RangeIndex (a pandas index stored in a Parquet file
        becomes leading column(s)).

    Raises
    ------
    InputFileError
        If the file is missing, empty, of unknown type or unreadable;
        :class:`~pv_identify.errors.EncodingError`,
        :class:`~pv_identify.errors.CsvLayoutError` and
        :class:`~pv_identify.errors.SheetError` for the specific cases.
    """
    frames = list(iter_extract(path, chunk_rows=None, encoding=encoding, sheet=sheet))
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


def iter_extract(
    path: str | Path, *, chunk_rows: int | None = 200_000, encoding: str | None = None,
    on_bytes: Callable[[int, int], None] | None = None, sheet: str | int | None = None,
) -> Iterator[pd.DataFrame]:
    """Read an extract in chunks of about ``chunk_rows`` rows.

    CSV, Parquet (by row group / batch) and SPSS are read incrementally, so memory
    does not grow with the file; Stata and Excel are read whole and then sliced.
    The chunks carry a continuous RangeIndex (row numbers of the file).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    chunk_rows : int or None, default 200000
        Rows per chunk; None reads everything as one chunk.
    encoding : str, optional
        Text encoding for CSV/SPSS (see :func:`read_extract`); detected when omitted.
    on_bytes : callable, optional
        For CSV: called after each chunk with (bytes read so far, file size), for
        progress reporting when the number of rows is not known in advance.
    sheet : str or int, optional
        Excel sheet; required when the workbook has more than one.

    Yields
    ------
    pandas.DataFrame
        Consecutive chunks, in file order.

    Raises
    ------
    InputFileError
        If the file is missing, empty, of unknown type or unreadable (subclasses as
        in :func:`read_extract`).
    """
    path = Path(path)
    fmt = file_format(path)
    _check_file(path)
    if fmt in _EXTRA:
        _require(_EXTRA[fmt], fmt)
    _check_content(path, fmt)
    try:
        if fmt == "csv":
            yield from _iter_csv(path, chunk_rows, encoding, on_bytes)
        elif fmt == "parquet":
            yield from _iter_parquet(path, chunk_rows)
        elif fmt == "sav":
            yield from _iter_sav(path, chunk_rows, encoding)
        elif fmt == "dta":
            yield from _slices(pd.read_stata(path, convert_categoricals=True), chunk_rows)
        else:
            yield from _slices(_read_excel(path, sheet), chunk_rows)
    except InputFileError:
        raise
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{path}: cannot decode as {exc.encoding} (a byte near offset "
                            f"{exc.start} of a block); pass the file's encoding with "
                            "--encoding") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise InputFileError(f"{path}: cannot read as {fmt}: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:300] if str(exc) else ''}") from None


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    with pd.ExcelFile(path) as book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None:
            if len(names) > 1:
                raise SheetError(f"{path}: the workbook has {len(names)} sheets {names}; "
                                 "choose one with --sheet NAME (sheet= in Python)")
            sheet = 0
        elif isinstance(sheet, str) and sheet not in names:
            raise SheetError(f"{path}: no sheet named {sheet!r}; sheets: {names}")
        elif isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise SheetError(f"{path}: sheet position {sheet} out of range; the workbook "
                             f"has {len(names)} sheet(s) {names}")
        # pandas renames a repeated header 'name.1'; read the header row as written
        first = book.parse(sheet, dtype=str, header=None, nrows=1)
        names = ["" if pd.isna(n) else str(n) for n in
                 (first.iloc[0].tolist() if len(first) else [])]
        _check_unique(path, names)
        return book.parse(sheet, dtype=str)


def _check_unique(path: Path, names: list[str]) -> None:
    """Raise CsvLayoutError naming repeated header names (blank names may repeat)."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name != "":
            positions.setdefault(name, []).append(i + 1)
    dupes = {n: p for n, p in positions.items() if len(p) > 1}
    if dupes:
        listed = "; ".join(f"{n!r} at columns {p}" for n, p in list(dupes.items())[:10])
        raise CsvLayoutError(f"{path}: duplicate header names: {listed}. Rename them so "
                             "each column is unique.")


def _slices(frame: pd.DataFrame, chunk_rows: int | None) -> Iterator[pd.DataFrame]:
    frame = frame.reset_index(drop=True)
    if not chunk_rows or len(frame) <= chunk_rows:
        yield frame
        return
    for start in range(0, len(frame), chunk_rows):
        yield frame.iloc[start:start + chunk_rows]


#: Extra columns read beyond the header to catch rows with more fields; a row with
#: more than this many extra fields is reported by the tokenizer (with its line).
_SPARE = 1
_SPARE_PREFIX = "\x00pv_spare_"
_TOKENIZER = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _sniff_sep(first: str) -> str:
    first = re.sub(r'"(?:[^"]|"")*"', "", first)  # a quoted name may hold any delimiter
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    sep = max(counts, key=counts.__getitem__)
    return sep if counts[sep] else ","


def _header(path: Path, codec: str, errors: str) -> tuple[list[str], str, int]:
    """Return the header names, the separator and the number of lines the header takes."""
    with path.open("r", encoding=codec, errors=errors, newline="") as handle:
        first = handle.readline()
        if not first.strip():
            raise InputFileError(f"{path}: the first line is empty; expected a header row")
        sep = _sniff_sep(first)
        handle.seek(0)
        reader = csv.reader(handle, delimiter=sep)
        names = next(reader)
        lines = reader.line_num
    names = [n if n != "" else f"Unnamed: {i}" for i, n in enumerate(names)]
    _check_unique(path, names)
    return names, sep, lines


def _long_rows(path: Path, codec: str, errors: str, sep: str, width: int,
               skip: int) -> tuple[list[int], list[int]]:
    """Lines of rows with more fields than the header: (empty extras, non-empty extras).

    Only run when some line ends with the separator (cheap check first), as a
    trailing delimiter is the usual cause.
    """
    tail = (sep + "\n", sep + "\r\n", sep + "\r")
    hit = False
    with path.open("r", encoding=codec, errors=errors, newline="") as handle:
        carry = ""
        for block in iter(lambda: handle.read(1 << 20), ""):
            text = carry + block
            if any(t in text for t in tail):
                hit = True
                break
            carry = text[-2:]
        hit = hit or carry.endswith(sep)
    if not hit:
        return [], []
    empty: list[int] = []
    filled: list[int] = []
    with path.open("r", encoding=codec, errors=errors, newline="") as handle:
        reader = csv.reader(handle, delimiter=sep)
        for _ in range(skip):
            next(reader, None)
        for row in reader:
            if len(row) > width:
                (filled if any(row[width:]) else empty).append(reader.line_num)
    return empty, filled


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:10])
    return shown + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")


def _iter_csv(path: Path, chunk_rows: int | None, encoding: str | None,
              on_bytes: Callable[[int, int], None] | None = None) -> Iterator[pd.DataFrame]:
    codec, errors = choose_encoding(path, encoding)
    names, sep, header_lines = _header(path, codec, errors)
    width = len(names)
    empty, filled = _long_rows(path, codec, errors, sep, width, header_lines)
    if filled:
        raise CsvLayoutError(
            f"{path}: {len(filled)} row(s) have more fields than the header's {width} "
            f"columns, with values in the extra fields, at line(s) {_lines(filled)}. Check "
            f"the delimiter ({sep!r}) and quoting, or add the missing header names.")
    if empty:
        log.warning("%s: %d row(s) have more fields than the header's %d columns; the "
                    "extra fields are empty (a delimiter at the end of the line?) and were "
                    "ignored; line(s) %s", path.name, len(empty), width, _lines(empty))
    spare = [f"{_SPARE_PREFIX}{i}" for i in range(_SPARE)]
    options: dict[str, Any] = {
        "sep": sep, "header": None, "skiprows": header_lines, "names": names + spare,
        "index_col": False, "dtype": str, "keep_default_na": False, "na_values": [""],
        "encoding": codec, "encoding_errors": errors,
        # one column: a blank line is a row whose one cell is empty (pandas dropped it)
        "skip_blank_lines": width > 1,
    }

    def finish(chunk: pd.DataFrame, offset: int) -> pd.DataFrame:
        extra = chunk[spare].notna().any(axis=1).to_numpy()
        if extra.any():
            rows = [offset + int(i) + 1 for i in extra.nonzero()[0]]
            raise CsvLayoutError(
                f"{path}: row(s) with more fields than the header's {width} columns, with "
                f"values in the extra fields, at data row(s) {_lines(rows)} (row 1 is the "
                f"line after the header). Check the delimiter ({sep!r}) and quoting.")
        chunk = chunk.drop(columns=spare)
        chunk.index = pd.RangeIndex(offset, offset + len(chunk))
        return chunk

    try:
        if chunk_rows is None:
            yield finish(pd.read_csv(path, **options), 0)
            return
        offset = 0
        size = path.stat().st_size
        with path.open("rb") as handle, \
                pd.read_csv(handle, chunksize=chunk_rows, **options) as reader:
            for chunk in reader:
                chunk = finish(chunk, offset)
                offset += len(chunk)
                if on_bytes is not None:
                    on_bytes(min(handle.tell(), size), size)
                yield chunk
    except pd.errors.ParserError as exc:
        match = _TOKENIZER.search(str(exc))
        if match is None:
            raise
        raise CsvLayoutError(
            f"{path}: line {match.group(2)} has {match.group(3)} fields, the header has "
            f"{width}. Check the delimiter ({sep!r}) and quoting.") from None


def row_count(path: str | Path) -> int | None:
    """Return the number of rows of a Parquet or SPSS file from its metadata, else None.

    Used for progress and ETA; never raises.
    """
    try:
        fmt = file_format(path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if fmt == "sav":
            import pyreadstat

            _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
            return int(meta.number_rows) if meta.number_rows is not None else None
    except Exception:
        return None
    return None


def iter_arrow(path: str | Path, *, chunk_rows: int = 200_000,
               columns: list[str] | None = None,
               dictionary: list[str] | None = None,
               use_threads: bool = True) -> Iterator[Any]:
    """Read a Parquet extract as Arrow tables of about ``chunk_rows`` rows.

    Nothing is converted to pandas: the fast path of the file runner appends the
    ``pv_*`` columns to these tables and writes them back, so the other columns keep
    their Parquet types. The file is read in record batches of ``chunk_rows`` rows
    without pre-buffering, so memory is bounded by a chunk, not by a row group
    (whole 1M-row groups took ~0.3 GB more at 10M rows; bench/README.md).

    Parameters
    ----------
    path : str or pathlib.Path
        A Parquet file.
    chunk_rows : int, default 200000
        Rows per table.
    columns : list of str, optional
        Read only these columns (default: all).
    dictionary : list of str, optional
        Read these (string) columns as Arrow dictionaries (``read_dictionary``).
    use_threads : bool, default True
        Decode the columns of a batch on Arrow's thread pool; False decodes them in the
        calling thread (a read-ahead thread, leaving the other cores to the consumer).

    Yields
    ------
    pyarrow.Table
        Consecutive chunks, in file order (at least one, possibly empty).

    Raises
    ------
    InputFileError
        If the file is missing, empty, not Parquet or unreadable.
    """
    path = Path(path)
    if file_format(path) != "parquet":
        raise InputFileError(f"{path}: iter_arrow reads Parquet files only")
    _check_file(path)
    _require("pyarrow", "parquet")
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path, pre_buffer=False, read_dictionary=dictionary or None)
        schema = parquet.schema_arrow
        seen = 0
        for group in range(parquet.num_row_groups):  # chunks within a group, as before
            for batch in parquet.iter_batches(batch_size=chunk_rows, row_groups=[group],
                                              columns=columns, use_threads=use_threads):
                if batch.num_rows:
                    seen += batch.num_rows
                    yield _plain_types(pa.Table.from_batches([batch]))
        if seen == 0:
            empty = schema.empty_table()
            yield _plain_types(empty.select(columns) if columns is not None else empty)
    except (ValueError, OSError, pa.ArrowException) as exc:
        raise InputFileError(f"{path}: cannot read as parquet: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:300] if str(exc) else ''}") from None


def _index_to_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn a pandas index restored from Parquet metadata into leading columns."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return frame
    try:
        return frame.reset_index()
    except ValueError:
        raise InputFileError("the file's stored pandas index has the same name as a column; "
                             "rename the index before saving") from None


def stored_index_columns(schema: Any) -> list[str]:
    """Names of the pandas index columns an Arrow/Parquet schema's metadata says it stores."""
    import json

    meta = (schema.metadata or {}).get(b"pandas")
    if not meta:
        return []
    try:
        index = json.loads(meta).get("index_columns", [])
    except ValueError:
        return []
    return [c for c in index if isinstance(c, str)]


def _stored_index(schema: Any) -> bool:
    """Whether a Parquet schema stores a pandas index as column(s)."""
    return bool(stored_index_columns(schema))


def _iter_parquet(path: Path, chunk_rows: int | None) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    keep_index = _stored_index(parquet.schema_arrow)
    if chunk_rows is None:
        table = _plain_types(parquet.read())
        frame = table.to_pandas()
        yield _index_to_columns(frame) if keep_index else frame.reset_index(drop=True)
        return
    offset = 0
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        chunk = _plain_types(batch).to_pandas()
        chunk = _index_to_columns(chunk) if keep_index else chunk
        chunk.index = pd.RangeIndex(offset, offset + len(chunk))
        offset += len(chunk)
        yield chunk
    if offset == 0:
        frame = parquet.schema_arrow.empty_table().to_pandas()
        yield _index_to_columns(frame) if keep_index else frame


def _plain_types(data: Any) -> Any:
    """Cast ``string_view``/``binary_view`` columns to large types the rest handles.

    Arrow compute kernels such as ``take`` do not support view types in every
    pyarrow version; the cast keeps the values.
    """
    import pyarrow as pa

    schema = data.schema
    fields = []
    changed = False
    for fld in schema:
        if pa.types.is_string_view(fld.type):
            fields.append(fld.with_type(pa.large_string()))
            changed = True
        elif pa.types.is_binary_view(fld.type):
            fields.append(fld.with_type(pa.large_binary()))
            changed = True
        else:
            fields.append(fld)
    if not changed:
        return data
    return data.cast(pa.schema(fields, metadata=schema.metadata))


def _iter_sav(path: Path, chunk_rows: int | None, encoding: str | None) -> Iterator[pd.DataFrame]:
    import pyreadstat

    kwargs: dict[str, Any] = {"apply_value_formats": True, "formats_as_category": False}
    if encoding:
        kwargs["encoding"] = encoding
    try:
        yield from _sav_chunks(path, chunk_rows, kwargs)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as exc:
        raise InputFileError(f"{path}: cannot read as SPSS: {str(exc).splitlines()[0][:200]}"
                             + ("; check --encoding" if "encod" in str(exc).lower() else "")
                             ) from None


def _sav_chunks(path: Path, chunk_rows: int | None,
                kwargs: dict[str, Any]) -> Iterator[pd.DataFrame]:
    import pyreadstat

    if chunk_rows is None:
        frame, _ = pyreadstat.read_sav(str(path), **kwargs)
        yield frame
        return
    offset = 0
    for chunk, _ in pyreadstat.read_file_in_chunks(
        pyreadstat.read_sav, str(path), chunksize=chunk_rows, **kwargs
    ):
        chunk.index = pd.RangeIndex(offset, offset + len(chunk))
        offset += len(chunk)
        yield chunk
