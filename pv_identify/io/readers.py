"""Read extracts: CSV, Parquet, SPSS (.sav), Stata (.dta) and Excel, whole or in chunks.

All readers return text columns as strings (identifiers with leading zeros stay
intact) and raise :class:`~pv_identify.errors.InputFileError` with the file name and
what went wrong for missing, empty, unreadable or wrongly encoded files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from pv_identify.errors import InputFileError

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


def _csv_options(path: Path, encoding: str) -> dict[str, object]:
    with path.open("r", encoding=encoding, newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise InputFileError(f"{path}: the first line is empty; expected a header row")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    sep = max(counts, key=counts.__getitem__)
    return {
        "sep": sep if counts[sep] else ",",
        "dtype": str,
        "keep_default_na": False,
        "na_values": [""],
        "encoding": encoding,
    }


def detect_encoding(path: Path) -> str:
    """Return ``"utf-8-sig"`` if the file decodes as UTF-8, else ``"cp1252"``.

    SPSS and Excel exports on Windows are often cp1252; a wrong guess would turn
    ``"ë"`` into ``"Ã«"``. The whole file is checked in blocks.
    """
    decoder_ok = True
    with path.open("rb") as handle:
        import codecs

        decoder = codecs.getincrementaldecoder("utf-8")()
        for block in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                decoder_ok = False
                break
    if not decoder_ok:
        log.warning("%s is not UTF-8; reading it as cp1252 (Windows-1252)", path.name)
        return "cp1252"
    return "utf-8-sig"


def read_extract(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a whole extract into a DataFrame.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV (separator detected: ``,`` ``;`` tab ``|``), Parquet, SPSS ``.sav``, Stata
        ``.dta`` or Excel ``.xlsx``.
    encoding : str, optional
        Text encoding for CSV/SPSS; detected (UTF-8, else cp1252) when omitted.

    Returns
    -------
    pandas.DataFrame
        The extract, with a fresh RangeIndex.

    Raises
    ------
    InputFileError
        If the file is missing, empty, of unknown type or unreadable.
    """
    frames = list(iter_extract(path, chunk_rows=None, encoding=encoding))
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


def iter_extract(
    path: str | Path, *, chunk_rows: int | None = 200_000, encoding: str | None = None,
    on_bytes: Callable[[int, int], None] | None = None,
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
        Text encoding for CSV/SPSS; detected when omitted.
    on_bytes : callable, optional
        For CSV: called after each chunk with (bytes read so far, file size), for
        progress reporting when the number of rows is not known in advance.

    Yields
    ------
    pandas.DataFrame
        Consecutive chunks, in file order.

    Raises
    ------
    InputFileError
        If the file is missing, empty, of unknown type or unreadable.
    """
    path = Path(path)
    fmt = file_format(path)
    _check_file(path)
    if fmt in _EXTRA:
        _require(_EXTRA[fmt], fmt)
    try:
        if fmt == "csv":
            yield from _iter_csv(path, chunk_rows, encoding, on_bytes)
        elif fmt == "parquet":
            yield from _iter_parquet(path, chunk_rows)
        elif fmt == "sav":
            yield from _iter_sav(path, chunk_rows, encoding)
        else:
            frame = (pd.read_stata(path, convert_categoricals=True) if fmt == "dta"
                     else pd.read_excel(path, dtype=str))
            yield from _slices(frame, chunk_rows)
    except InputFileError:
        raise
    except (UnicodeDecodeError, ValueError, OSError, pd.errors.ParserError) as exc:
        raise InputFileError(f"{path}: cannot read as {fmt}: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:300]}") from None


def _slices(frame: pd.DataFrame, chunk_rows: int | None) -> Iterator[pd.DataFrame]:
    frame = frame.reset_index(drop=True)
    if not chunk_rows or len(frame) <= chunk_rows:
        yield frame
        return
    for start in range(0, len(frame), chunk_rows):
        yield frame.iloc[start:start + chunk_rows]


def _iter_csv(path: Path, chunk_rows: int | None, encoding: str | None,
              on_bytes: Callable[[int, int], None] | None = None) -> Iterator[pd.DataFrame]:
    options = _csv_options(path, encoding or detect_encoding(path))
    if chunk_rows is None:
        yield pd.read_csv(path, **options)  # type: ignore[arg-type]
        return
    offset = 0
    size = path.stat().st_size
    with path.open("rb") as handle, \
            pd.read_csv(handle, chunksize=chunk_rows, **options) as reader:  # type: ignore[call-overload]
        for chunk in reader:
            chunk.index = pd.RangeIndex(offset, offset + len(chunk))
            offset += len(chunk)
            if on_bytes is not None:
                on_bytes(min(handle.tell(), size), size)
            yield chunk


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


def iter_arrow(path: str | Path, *, chunk_rows: int = 200_000) -> Iterator[Any]:
    """Read a Parquet extract as Arrow tables of about ``chunk_rows`` rows.

    Nothing is converted to pandas: the fast path of the file runner appends the
    ``pv_*`` columns to these tables and writes them back, so the other columns keep
    their Parquet types. The file is read one row group at a time, so memory is
    bounded by one row group (Parquet writers default to at most 1 Mi rows).

    Parameters
    ----------
    path : str or pathlib.Path
        A Parquet file.
    chunk_rows : int, default 200000
        Rows per table.

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
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
        seen = 0
        for group in range(parquet.num_row_groups):
            table = parquet.read_row_group(group)
            for start in range(0, table.num_rows, chunk_rows):
                part = table.slice(start, chunk_rows)
                seen += part.num_rows
                yield part
            del table
        if seen == 0:
            yield schema.empty_table()
    except (ValueError, OSError, pa.ArrowException) as exc:
        raise InputFileError(f"{path}: cannot read as parquet: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:300] if str(exc) else ''}") from None


def _iter_parquet(path: Path, chunk_rows: int | None) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    if chunk_rows is None:
        yield pd.read_parquet(path)
        return
    offset = 0
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        chunk = batch.to_pandas()
        chunk.index = pd.RangeIndex(offset, offset + len(chunk))
        offset += len(chunk)
        yield chunk
    if offset == 0:
        yield parquet.schema_arrow.empty_table().to_pandas()


def _iter_sav(path: Path, chunk_rows: int | None, encoding: str | None) -> Iterator[pd.DataFrame]:
    import pyreadstat

    kwargs = {"apply_value_formats": True, "formats_as_category": False}
    if encoding:
        kwargs["encoding"] = encoding
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
