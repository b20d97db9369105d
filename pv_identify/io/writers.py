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


def _for_arrow(chunk: pd.DataFrame) -> pd.DataFrame:
    out = chunk.copy(deep=False)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype("string")
    return out


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
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(_for_arrow(chunk), schema=self._schema,
                                         preserve_index=False)
            if self._parquet is None:
                meta = dict(table.schema.metadata or {})
                meta[b"pv_identify"] = json.dumps(self.metadata, default=str).encode("utf-8")
                self._schema = table.schema.with_metadata(meta)
                table = table.replace_schema_metadata(meta)
                self._parquet = pq.ParquetWriter(self._tmp, self._schema)
            self._parquet.write_table(table)
        else:
            self._held.append(chunk)
        self.rows += len(chunk)

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
