"""Write tagged extracts atomically, chunk by chunk, with run metadata.

Output goes to a temporary file next to the target and is moved into place only when
everything was written: an interrupted or failed run never leaves a partial output
file. The run metadata (rule set name, version and hash, model version, library
version, column mapping) are stored in the Parquet schema metadata and, for every
format, in a JSON side file ``<output>.meta.json``, itself written atomically (temp
file + ``os.replace``, so a symlink planted at its name is replaced, never followed).

Never silent:

* column names SPSS or Stata cannot hold raise
  :class:`~pv_identify.errors.OutputFileError` listing them, at the first chunk
  (:func:`check_output` lets a caller check before any work);
* Excel cells over 32,767 characters, more than 1,048,575 rows and characters Excel
  cannot store raise :class:`~pv_identify.errors.OutputFileError` with counts and
  positions; every string is written as a text cell, never a formula;
* a missing, read-only or full output folder, or an output path under a file, raise
  :class:`~pv_identify.errors.OutputFileError`.

Parquet output is byte-identical between identical runs: the run's ``created`` time
is kept only in the side file (or, when ``SOURCE_DATE_EPOCH`` is set, stored as that
time). A pandas index stored in a Parquet input stays the index on the Parquet fast
path.
"""

from __future__ import annotations

import base64
import contextvars
import errno
import functools
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, TypeVar

import pandas as pd
import regex

from pv_identify.errors import InputFileError, OutputFileError
from pv_identify.io.atomic import atomic_write_text, remove_stale_temps, temp_prefix
from pv_identify.io.readers import file_format, stored_index_columns

#: Values the Parquet writer encodes at a time (pyarrow's default is 1,024). Each batch
#: has a fixed cost per column -- for an Arrow dictionary column its statistics take a
#: ``unique`` and a ``take`` -- so larger batches write the same pages' values with less
#: CPU (10M-row tagged file: 3.18 -> 2.62 cpu s); pages are still cut at the page size
#: after each batch.
PARQUET_WRITE_BATCH: Final[int] = 65_536
#: Longest text Excel stores in a cell.
EXCEL_MAX_CELL: Final[int] = 32_767
#: Most data rows an Excel sheet holds (one row is the header).
EXCEL_MAX_ROWS: Final[int] = 1_048_575
#: Most columns an Excel sheet holds.
EXCEL_MAX_COLUMNS: Final[int] = 16_384
_EXCEL_ILLEGAL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPSS_NAME = regex.compile(r"^[\p{L}@][\w.@#$]*$")
_SPSS_RESERVED = frozenset({"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT",
                            "OR", "TO", "WITH"})
_STATA_NAME = regex.compile(r"^[\p{L}_][\p{L}\p{N}_]*$")
_STATA_RESERVED = frozenset(
    "aggregate array boolean break byte case catch class colvector complex const continue "
    "default delegate delete do double else eltypedef end enum explicit export external "
    "float for friend function global goto if inline int local long NULL pragma protected "
    "quad rowvector short typedef typename virtual _all _N _skip _b _pi str# in _pred strL "
    "_coef _rc using _cons _se with _n".split())
_DISK_ERRORS = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
                errno.EACCES: "permission denied", errno.EPERM: "permission denied",
                errno.EDQUOT: "disk quota exceeded", errno.ENOTDIR: "a part of the path "
                "is a file, not a folder", errno.EISDIR: "the path is a folder"}
_T = TypeVar("_T")


def _disk_errors(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn OS write errors of a writer method into OutputFileError naming the path."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> _T:
        try:
            return method(self, *args, **kwargs)
        except OutputFileError:
            raise
        except OSError as exc:
            if exc.errno not in _DISK_ERRORS:
                raise
            raise OutputFileError(f"{self.path}: cannot write: {_DISK_ERRORS[exc.errno]}; "
                                  "nothing was written") from None
    return wrapper


def _names(columns: Iterable[Any]) -> str:
    listed = [str(c) for c in columns]
    return str(listed[:10]) + (f" and {len(listed) - 10} more" if len(listed) > 10 else "")


def check_output(path: str | Path, columns: Iterable[Any] | None = None) -> None:
    """Check that ``path`` can be written and holds ``columns``, before any work.

    Parameters
    ----------
    path : str or pathlib.Path
        The output file.
    columns : iterable, optional
        The column names the output will have (input columns plus ``pv_*``).

    Raises
    ------
    OutputFileError
        If the suffix is unknown, the path is a folder, a part of the folder path is a
        file, or a column name is invalid for the format (SPSS: letters, digits and
        ``_.@#$``, starting with a letter, at most 64 bytes, no reserved word, unique
        ignoring case; Stata: letters, digits and ``_``, not starting with a digit, at
        most 32 characters, no reserved word; Excel: at most 16,384 columns).
    """
    path = Path(path)
    try:
        fmt = file_format(path)
    except InputFileError as exc:
        raise OutputFileError(str(exc)) from None
    if path.is_dir():
        raise OutputFileError(f"{path}: is a folder; give an output file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputFileError(f"{path}: {parent} is a file, not a folder")
            break
    if columns is None:
        return
    names = [str(c) for c in columns]
    bad: list[str] = []
    if fmt == "sav":
        bad = [n for n in names
               if not _SPSS_NAME.match(n) or n.endswith(".") or n.upper() in _SPSS_RESERVED
               or len(n.encode("utf-8")) > 64]
        folded: dict[str, list[str]] = {}
        for n in names:
            folded.setdefault(n.casefold(), []).append(n)
        clash = [v for v in folded.values() if len(v) > 1]
        if clash:
            raise OutputFileError(f"{path}: SPSS names ignore case; these columns clash: "
                                  f"{clash[:10]}. Rename them, or write CSV or Parquet.")
        rule = ("SPSS names use letters, digits and _ . @ # $, start with a letter, do not "
                "end with '.', have at most 64 bytes and are not a reserved word")
    elif fmt == "dta":
        bad = [n for n in names if not _STATA_NAME.match(n) or len(n) > 32
               or n in _STATA_RESERVED]
        rule = ("Stata names use letters, digits and _, do not start with a digit, have at "
                "most 32 characters and are not a reserved word")
    elif fmt == "excel" and len(names) > EXCEL_MAX_COLUMNS:
        raise OutputFileError(f"{path}: {len(names)} columns; an Excel sheet holds at most "
                              f"{EXCEL_MAX_COLUMNS}. Write CSV or Parquet.")
    if bad:
        raise OutputFileError(f"{path}: {len(bad)} column name(s) not allowed in "
                              f"{'SPSS' if fmt == 'sav' else 'Stata'}: {_names(bad)}. "
                              f"{rule}. Rename them (e.g. --map and a renamed input), or "
                              "write CSV or Parquet. Nothing is renamed silently.")


def _parquet_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Run metadata for the Parquet schema: no wall-clock time (reproducible files)."""
    out = {k: v for k, v in metadata.items() if k != "created"}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if "created" in metadata and epoch.isdigit():
        out["created"] = datetime.fromtimestamp(int(epoch), UTC).isoformat(timespec="seconds")
    return out


def metadata_path(path: str | Path) -> Path:
    """Return the JSON side file that holds the metadata of output ``path``."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


def _object_to_arrow(values: pd.Series) -> Any:
    """Convert an object column: strings, dates, numbers natively; mixed values as text."""
    import pyarrow as pa

    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.Array.from_pandas(values.astype("string"))
    if pa.types.is_string(array.type) or pa.types.is_null(array.type):
        return array.cast(pa.large_string())
    return array


def frame_to_arrow(chunk: pd.DataFrame) -> Any:
    """Convert a frame to an Arrow table for Parquet, without its index.

    Object columns of strings become ``large_string`` (as pandas' string dtype does),
    dates stay dates, categoricals become dictionary arrays. This avoids the slow
    object -> string dtype conversion of every cell.

    Parameters
    ----------
    chunk : pandas.DataFrame
        The data.

    Returns
    -------
    pyarrow.Table
        The table (no pandas schema metadata).
    """
    import pyarrow as pa

    arrays = []
    for col in chunk.columns:
        values = chunk[col]
        if values.dtype == object:
            arrays.append(_object_to_arrow(values))
        else:
            arrays.append(pa.Array.from_pandas(values))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in chunk.columns])


def _stored_schema(schema: Any, stored_types: Mapping[str, Any]) -> Any:
    """Return the schema readers should get back, or None when it is ``schema`` itself.

    Dictionary columns listed in ``stored_types`` whose value type is the listed type
    are named with that type (see :class:`ExtractWriter`, ``stored_types``).
    """
    import pyarrow as pa

    fields, changed = [], False
    for fld in schema:
        want = stored_types.get(fld.name)
        if (want is not None and pa.types.is_dictionary(fld.type)
                and fld.type.value_type.equals(want)):
            fld = fld.with_type(want)
            changed = True
        fields.append(fld)
    return pa.schema(fields, metadata=schema.metadata) if changed else None


def _arrow_schema_metadata(schema: Any) -> dict[bytes, bytes]:
    """Return the file metadata pyarrow's Parquet writer stores for ``schema``.

    The schema's own metadata, then ``ARROW:schema``: the schema as an Arrow IPC message,
    base64-encoded, from which readers restore the Arrow types.
    """
    meta = dict(schema.metadata or {})
    meta[b"ARROW:schema"] = base64.b64encode(schema.serialize().to_pybytes())
    return meta


class ExtractWriter:
    """Write an extract in chunks to CSV, Parquet, SPSS, Stata or Excel, atomically.

    CSV and Parquet are written incrementally; SPSS, Stata and Excel are collected in
    memory and written on close (those formats cannot be appended to).

    Parameters
    ----------
    path : str or pathlib.Path
        Output file; the format follows from the suffix.
    metadata : dict, optional
        Run metadata, stored as described in the module docstring.
    no_dictionary : collection of str, optional
        Parquet: columns written without dictionary encoding (ids that hardly repeat,
        where the dictionary attempt only costs time and size). The values are the same.
    stored_types : mapping of str to pyarrow.DataType, optional
        Parquet: columns handed to :meth:`write_arrow` as Arrow dictionaries (read so
        from a dictionary-encoded input) that readers get back as the given value type,
        as if they had been written as plain values: the Parquet writer takes their
        dictionary as it is instead of hashing every value again, and the Arrow schema
        stored in the file (``ARROW:schema``) names the value type. Same values, same
        types for readers.

    Examples
    --------
    >>> with ExtractWriter("out.parquet", metadata) as writer:  # doctest: +SKIP
    ...     for chunk in chunks:
    ...         writer.write(chunk)
    """

    def __init__(self, path: str | Path, metadata: dict[str, Any] | None = None,
                 no_dictionary: Collection[str] = (),
                 stored_types: Mapping[str, Any] | None = None) -> None:
        self.path = Path(path)
        self._no_dictionary = set(no_dictionary)
        self._stored_types = dict(stored_types or {})
        self.format = file_format(self.path)
        self.metadata = metadata or {}
        self.rows = 0
        check_output(self.path)
        self._tmp = self._make_temp()
        self._parquet: Any = None
        self._schema: Any = None
        self._held: list[pd.DataFrame] = []
        self._closed = False
        self._checked = False
        self._header = False  # CSV: header line written

    @_disk_errors
    def _make_temp(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(self.path)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(self.path), suffix=".tmp",
                                   dir=self.path.parent)
        os.close(fd)
        return Path(tmp)

    def _first(self, columns: Iterable[Any]) -> None:
        if self.rows == 0 and not self._checked:
            check_output(self.path, columns)
            self._checked = True

    @_disk_errors
    def write(self, chunk: pd.DataFrame) -> None:
        """Append one chunk (same columns as the first)."""
        self._first(chunk.columns)
        if self.format == "csv":
            chunk.to_csv(self._tmp, mode="a", header=not self._header, index=False,
                         encoding="utf-8")
            self._header = True  # once: an empty first chunk wrote it too
        elif self.format == "parquet":
            self.write_arrow(frame_to_arrow(chunk))
            return
        else:
            self._held.append(chunk)
        self.rows += len(chunk)

    @_disk_errors
    def write_arrow(self, table: Any) -> None:
        """Append an Arrow table (Parquet output only; same columns as the first).

        Parameters
        ----------
        table : pyarrow.Table
            The chunk. Its schema metadata is replaced by the run metadata; later
            chunks are cast to the schema of the first.
        """
        import pyarrow.parquet as pq

        if self.format != "parquet":
            raise InputFileError(f"{self.path}: write_arrow needs a Parquet output")
        self._first(table.schema.names)
        if self._parquet is None:
            keep = (b"pv_identify",) if _index_in(table) else (b"pandas", b"pv_identify")
            meta = {k: v for k, v in (table.schema.metadata or {}).items() if k not in keep}
            meta[b"pv_identify"] = json.dumps(_parquet_metadata(self.metadata),
                                              default=str, sort_keys=True).encode("utf-8")
            self._schema = table.schema.with_metadata(meta)
            dictionary: bool | list[str] = True
            if self._no_dictionary:
                dictionary = [n for n in self._schema.names if n not in self._no_dictionary]
            stored = _stored_schema(self._schema, self._stored_types)
            self._parquet = pq.ParquetWriter(self._tmp, self._schema,
                                             use_dictionary=dictionary,
                                             store_schema=stored is None,
                                             write_batch_size=PARQUET_WRITE_BATCH)
            if stored is not None:
                self._parquet.add_key_value_metadata(_arrow_schema_metadata(stored))
        if table.schema.names != self._schema.names:
            raise InputFileError(f"{self.path}: chunk columns differ from the first chunk's")
        if not table.schema.equals(self._schema, check_metadata=False):
            table = table.cast(self._schema)
        table = table.replace_schema_metadata(self._schema.metadata)
        self._parquet.write_table(table)
        self.rows += table.num_rows

    @_disk_errors
    def close(self) -> Path:
        """Finish writing and move the file into place (then the side file).

        Returns
        -------
        pathlib.Path
            The output path.
        """
        if self._closed:
            return self.path
        try:
            self._finish()
        except BaseException:
            self.abort()  # a failed close (disk full, cell too long) leaves no temp file
            raise
        self._closed = True
        staged = _STAGED.get()
        if staged is not None:  # inside staged_outputs(): moved into place at its end
            staged.append(self)
            return self.path
        self.commit()
        return self.path

    @property
    def written_path(self) -> Path:
        """Where the written file is: its temporary file until :meth:`commit`, then the output.

        A file closed inside :func:`staged_outputs` stays in its temporary file until the
        run's end; a reader of the finished file before then needs this path.
        """
        return self._tmp if self._tmp.exists() else self.path  # (commit moves it away)

    def commit(self) -> Path:
        """Move the finished temporary file into place, then write the side file.

        Called by :meth:`close`, or by :func:`staged_outputs` for all outputs of a run
        together.
        """
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self._tmp, 0o666 & ~umask)  # mkstemp creates 0600; use the usual mode
        os.replace(self._tmp, self.path)
        atomic_write_text(metadata_path(self.path),
                          json.dumps({**self.metadata, "rows": self.rows}, indent=2,
                                     default=str))
        return self.path

    def _finish(self) -> None:
        if self.format == "parquet" and self._parquet is not None:
            self._parquet.close()
        elif self.format == "csv" and not self._header:
            self._tmp.write_text("", encoding="utf-8")
        elif self.format in ("sav", "dta", "excel"):
            frame = pd.concat(self._held, ignore_index=True) if self._held else pd.DataFrame()
            self._write_whole(frame)

    def _write_whole(self, frame: pd.DataFrame) -> None:
        out = frame.copy(deep=False)
        for col in out.columns:
            if out[col].dtype == bool:
                out[col] = out[col].astype("int8")
            elif isinstance(out[col].dtype, pd.CategoricalDtype) or out[col].dtype == object \
                    or pd.api.types.is_string_dtype(out[col].dtype):
                out[col] = out[col].astype(object).where(out[col].notna(), "").astype(str)
        if self.format == "sav":
            import pyreadstat

            rs = self.metadata.get("ruleset", {})
            label = f"pv_identify {rs.get('name', '')} {rs.get('version', '')}"[:64]
            # SPSS document lines hold 80 characters: one metadata item per line
            notes = [f"{k}: {json.dumps(v, default=str)}"[:80] for k, v in self.metadata.items()]
            pyreadstat.write_sav(out, str(self._tmp), file_label=label, note=notes or None)
        elif self.format == "dta":
            from pandas.io.stata import InvalidColumnName

            with warnings.catch_warnings():
                warnings.simplefilter("error", InvalidColumnName)
                try:
                    out.to_stata(self._tmp, write_index=False, version=118)
                except InvalidColumnName:
                    raise OutputFileError(f"{self.path}: Stata would rename some columns; "
                                          "rename them or write CSV or Parquet") from None
        else:
            write_excel_sheets(self._tmp, {"Sheet1": out}, label=str(self.path))

    def abort(self, close: bool = True) -> None:
        """Remove the temporary file; nothing is written to the output path.

        Parameters
        ----------
        close : bool, default True
            Close the open Parquet writer first; False when another thread may still
            be writing with it (:meth:`BackgroundWriter.abort`).
        """
        if close and self._parquet is not None:
            try:
                self._parquet.close()
            except Exception:
                pass
        self._tmp.unlink(missing_ok=True)
        self._closed = True

    def __enter__(self) -> ExtractWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


_STAGED: contextvars.ContextVar[list[ExtractWriter] | None] = contextvars.ContextVar(
    "pv_staged_outputs", default=None)


@contextmanager
def staged_outputs() -> Iterator[list[ExtractWriter]]:
    """Make every output closed inside the block land together at its end, or none.

    Writers closed in the block keep their finished temporary files; when the block
    ends without an error they are all moved into place, else all removed. So a run
    whose roll-up fails (or that is interrupted while writing it) never leaves its
    main output committed.

    Yields
    ------
    list of ExtractWriter
        The writers waiting to be committed.
    """
    staged: list[ExtractWriter] = []
    token = _STAGED.set(staged)
    try:
        yield staged
    except BaseException:
        for writer in staged:
            writer._tmp.unlink(missing_ok=True)
        raise
    finally:
        _STAGED.reset(token)
    for writer in staged:
        writer.commit()


def _index_in(table: Any) -> bool:
    """Whether the table's pandas metadata names stored index columns it holds."""
    stored = stored_index_columns(table.schema)
    return bool(stored) and all(c in table.schema.names for c in stored)


def _excel_problems(frame: pd.DataFrame, label: str) -> None:
    """Raise OutputFileError for cells Excel cannot hold (counts and positions only)."""
    if len(frame) > EXCEL_MAX_ROWS:
        raise OutputFileError(f"{label}: {len(frame)} rows; an Excel sheet holds at most "
                              f"{EXCEL_MAX_ROWS}. Write CSV or Parquet.")
    if len(frame.columns) > EXCEL_MAX_COLUMNS:
        raise OutputFileError(f"{label}: {len(frame.columns)} columns; an Excel sheet holds "
                              f"at most {EXCEL_MAX_COLUMNS}. Write CSV or Parquet.")
    for problem, test in (
        (f"longer than Excel's {EXCEL_MAX_CELL} characters per cell",
         lambda v: v.str.len() > EXCEL_MAX_CELL),
        ("holding control characters Excel cannot store",
         lambda v: v.str.contains(_EXCEL_ILLEGAL.pattern, regex=True)),
    ):
        found: list[str] = []
        total = 0
        for col in frame.columns:
            values = frame[col]
            if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
                continue
            text = values.astype(object).where(values.map(lambda v: isinstance(v, str)), "")
            hits = test(text.astype(str)).to_numpy(dtype=bool)
            if hits.any():
                rows = (hits.nonzero()[0][:5] + 2).tolist()  # sheet rows: header is 1
                total += int(hits.sum())
                found.append(f"column {str(col)!r} ({int(hits.sum())}, sheet rows {rows})")
        if total:
            raise OutputFileError(
                f"{label}: {total} cell(s) {problem}: {'; '.join(found[:5])}. Nothing is "
                "truncated or dropped silently: write CSV or Parquet instead.")


def write_excel_sheets(path: str | Path, sheets: dict[str, pd.DataFrame],
                       label: str | None = None) -> None:
    """Write frames as sheets of an ``.xlsx`` file; every string is a text cell.

    Cells starting with ``=``, ``+``, ``-`` or ``@`` stay literal text (never a
    formula). Nothing is truncated: see :func:`_excel_problems`. Not atomic by itself
    (:class:`ExtractWriter` writes to a temporary file first).

    Parameters
    ----------
    path : str or pathlib.Path
        Target file.
    sheets : dict of str to pandas.DataFrame
        Sheet name -> data (index not written).
    label : str, optional
        Name used in error messages (default: ``path``).

    Raises
    ------
    OutputFileError
        If a sheet has too many rows or columns or a cell Excel cannot hold.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    label = label or str(path)
    for frame in sheets.values():
        _excel_problems(frame, label)
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])

        def cell(value: Any, sheet: Any = sheet) -> Any:
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                return None
            if isinstance(value, str):
                out = WriteOnlyCell(sheet, value=value)
                out.data_type = "s"  # text, even when it starts with '='
                return out
            if hasattr(value, "item"):
                value = value.item()
            return WriteOnlyCell(sheet, value=value)

        sheet.append([cell(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            sheet.append([cell(v) for v in row])
    book.save(str(path))


def write_extract(frame: pd.DataFrame, path: str | Path,
                  metadata: dict[str, Any] | None = None) -> Path:
    """Write a whole frame atomically (see :class:`ExtractWriter`).

    Parameters
    ----------
    frame : pandas.DataFrame
        The data (index is not written).
    path : str or pathlib.Path
        Output file.
    metadata : dict, optional
        Run metadata; defaults to ``frame.attrs["pv_identify"]`` when present.

    Returns
    -------
    pathlib.Path
        The output path.
    """
    from pv_identify.schema import ATTRS_KEY

    meta = metadata if metadata is not None else dict(frame.attrs.get(ATTRS_KEY, {}))
    with ExtractWriter(path, meta) as writer:
        writer.write(frame)
    return writer.path


#: Seconds the writer thread waits for a chunk before it looks whether the run was aborted.
WRITER_POLL_SECONDS = 0.1
#: Seconds :meth:`BackgroundWriter.abort` lets a chunk being written finish.
ABORT_WAIT_SECONDS = 10.0


class BackgroundWriter:
    """Run an :class:`ExtractWriter`'s writes in one background thread, in order.

    Parquet encoding and compression release the GIL, so writing chunk *n* overlaps
    with tagging chunk *n + 1*. At most ``depth`` chunks wait in the queue (bounded
    memory). An error in the thread is raised by the next call; :meth:`abort` removes
    the temporary file as :meth:`ExtractWriter.abort` does.

    An interrupt (Ctrl-C, or SIGTERM turned into one) is raised in the main thread at
    any bytecode, also inside the queue's own lock and condition code, and can leave the
    queue so that a wake-up is lost or its lock stays held. So :meth:`abort` does not
    use the queue: it sets a stop flag that the thread reads between its timed waits,
    waits a bounded time for a chunk being written, and removes the temporary file.

    Parameters
    ----------
    writer : ExtractWriter
        The writer to drive.
    depth : int, default 2
        Chunks that may wait to be written.
    """

    def __init__(self, writer: ExtractWriter, depth: int = 2) -> None:
        import queue
        import threading

        self.writer = writer
        self._queue: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=depth)
        self._stopping = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="pv-writer", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path:
        """The output path."""
        return self.writer.path

    def _run(self) -> None:
        import queue

        while not self._stopping.is_set():
            try:  # timed: a lost wake-up (see the class docstring) costs one interval
                item = self._queue.get(timeout=WRITER_POLL_SECONDS)
            except queue.Empty:
                continue
            if item is None:
                return
            if self._error is not None or self._stopping.is_set():
                continue  # drain after a failure; write nothing after abort()
            kind, data = item
            try:
                if kind == "arrow":
                    self.writer.write_arrow(data)
                else:
                    self.writer.write(data)
            except BaseException as exc:  # re-raised in the caller's thread
                self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, chunk: pd.DataFrame) -> None:
        """Queue a pandas chunk."""
        self._raise()
        self._queue.put(("pandas", chunk))

    @_disk_errors
    def write_arrow(self, table: Any) -> None:
        """Queue an Arrow table."""
        self._raise()
        self._queue.put(("arrow", table))

    def close(self) -> Path:
        """Wait for the queued writes, then finish the file (see :meth:`ExtractWriter.close`)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise()
        return self.writer.close()

    def abort(self) -> None:
        """Stop writing and remove the temporary file, without waiting on the queue.

        The thread finishes the chunk it is writing (waited for at most
        :data:`ABORT_WAIT_SECONDS`) and writes no other. A thread still writing after
        that keeps its open Parquet writer; the temporary file is removed all the same.
        """
        self._stopping.set()
        self._thread.join(ABORT_WAIT_SECONDS)
        self.writer.abort(close=not self._thread.is_alive())
