"""Write tagged extracts atomically, chunk by chunk, with run metadata.

Output goes to a temporary file next to the target and is moved into place only when
everything was written: an interrupted or failed run never leaves a partial output
file. The run metadata (rule set name, version and hash, model version, library
version, column mapping) are stored in the Parquet schema metadata and, for every
format, in a JSON side file ``<output>.meta.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

from pv_identify.errors import InputFileError
from pv_identify.io.readers import file_format


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

    Examples
    --------
    >>> with ExtractWriter("out.parquet", metadata) as writer:  # doctest: +SKIP
    ...     for chunk in chunks:
    ...         writer.write(chunk)
    """

    def __init__(self, path: str | Path, metadata: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self.format = file_format(self.path)
        self.metadata = metadata or {}
        self.rows = 0
        if self.path.is_dir():
            raise InputFileError(f"{self.path}: is a folder; give an output file name")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        os.close(fd)
        self._tmp = Path(tmp)
        self._parquet: Any = None
        self._schema: Any = None
        self._held: list[pd.DataFrame] = []
        self._closed = False

    def write(self, chunk: pd.DataFrame) -> None:
        """Append one chunk (same columns as the first)."""
        if self.format == "csv":
            chunk.to_csv(self._tmp, mode="a", header=self.rows == 0, index=False,
                         encoding="utf-8")
        elif self.format == "parquet":
            self.write_arrow(frame_to_arrow(chunk))
            return
        else:
            self._held.append(chunk)
        self.rows += len(chunk)

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
        if self._parquet is None:
            meta = {k: v for k, v in (table.schema.metadata or {}).items()
                    if k not in (b"pandas", b"pv_identify")}
            meta[b"pv_identify"] = json.dumps(self.metadata, default=str).encode("utf-8")
            self._schema = table.schema.with_metadata(meta)
            self._parquet = pq.ParquetWriter(self._tmp, self._schema)
        if table.schema.names != self._schema.names:
            raise InputFileError(f"{self.path}: chunk columns differ from the first chunk's")
        if not table.schema.equals(self._schema, check_metadata=False):
            table = table.cast(self._schema)
        table = table.replace_schema_metadata(self._schema.metadata)
        self._parquet.write_table(table)
        self.rows += table.num_rows

    def close(self) -> Path:
        """Finish writing and move the file into place.

        Returns
        -------
        pathlib.Path
            The output path.
        """
        if self._closed:
            return self.path
        if self.format == "parquet" and self._parquet is not None:
            self._parquet.close()
        elif self.format == "csv" and self.rows == 0:
            self._tmp.write_text("", encoding="utf-8")
        elif self.format in ("sav", "dta", "excel"):
            frame = pd.concat(self._held, ignore_index=True) if self._held else pd.DataFrame()
            self._write_whole(frame)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self._tmp, 0o666 & ~umask)  # mkstemp creates 0600; use the usual mode
        os.replace(self._tmp, self.path)
        side = metadata_path(self.path)
        side.write_text(json.dumps({**self.metadata, "rows": self.rows}, indent=2,
                                   default=str), encoding="utf-8")
        self._closed = True
        return self.path

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
            out.to_stata(self._tmp, write_index=False, version=118)
        else:
            out.to_excel(self._tmp, index=False)

    def abort(self) -> None:
        """Remove the temporary file; nothing is written to the output path."""
        if self._parquet is not None:
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


class BackgroundWriter:
    """Run an :class:`ExtractWriter`'s writes in one background thread, in order.

    Parquet encoding and compression release the GIL, so writing chunk *n* overlaps
    with tagging chunk *n + 1*. At most ``depth`` chunks wait in the queue (bounded
    memory). An error in the thread is raised by the next call; :meth:`abort` removes
    the temporary file as :meth:`ExtractWriter.abort` does.

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
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="pv-writer", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path:
        """The output path."""
        return self.writer.path

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue  # drain after a failure
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

    def write_arrow(self, table: Any) -> None:
        """Queue an Arrow table."""
        self._raise()
        self._queue.put(("arrow", table))

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def close(self) -> Path:
        """Wait for the queued writes, then finish the file (see :meth:`ExtractWriter.close`)."""
        self._stop()
        self._raise()
        return self.writer.close()

    def abort(self) -> None:
        """Stop writing and remove the temporary file."""
        self._stop()
        self.writer.abort()
