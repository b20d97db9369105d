"""Read only the offences the cohort needs from a tagged extract file, in bounded memory.

Every step of the cohort builder works per person: a person enters it only with a
proven partner-violence offence that has a conviction disposal (the index case),
and covariates and recidivism look only at that person's own offences. So a tagged
extract is read twice, in chunks and only in the columns the cohort uses:

1. every chunk is classified (:func:`~pv_identify.cohort.classify_offences`, which
   also checks every row as the whole-frame run does) and the ids of the persons
   with a proven partner-violence conviction are kept;
2. the rows of those persons (and of persons asked for, e.g. a treated group) are
   read again and returned as one frame, in file order with the file's row numbers
   as index. Parquet date columns become ``datetime64`` rather than Python
   ``date`` objects (the cohort parses dates the same either way; far less memory).

Running the cohort builder on that frame gives the same index cases, attrition,
covariates and recidivism as on the whole extract, with memory bounded by the chunk
size plus the cohort's own offences.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.io.readers import file_format, iter_extract
from pv_identify.schema import OUT_DOMESTIC, OUT_PARTNER

from .config import OPTIONAL_FIELDS, REQUIRED_FIELDS, CohortConfig, resolve_columns
from .convictions import classify_offences

#: Rows per chunk of the two passes.
CHUNK_ROWS = 200_000


def _parquet_names(path: Path) -> list[str] | None:
    import pyarrow.parquet as pq

    from pv_identify.io.readers import _stored_index

    schema = pq.ParquetFile(path).schema_arrow
    if _stored_index(schema):
        return None  # index columns: read the whole file as before
    return list(schema.names)


def _chunks(path: Path, columns: list[str], chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Chunks of ``columns`` with the file's row numbers as index."""
    if file_format(path) == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        from pv_identify.io.readers import _plain_types

        parquet = pq.ParquetFile(path)
        offset = 0
        for batch in parquet.iter_batches(batch_size=chunk_rows, columns=columns):
            table = _plain_types(pa.Table.from_batches([batch]))
            chunk = table.to_pandas(date_as_object=False)  # dates: datetime64, not objects
            chunk.index = pd.RangeIndex(offset, offset + len(chunk))
            offset += len(chunk)
            yield chunk
        return
    for chunk in iter_extract(path, chunk_rows=chunk_rows):
        yield chunk[columns]


def _columns(path: Path, columns: Mapping[str, str | Sequence[str]] | None) -> list[str] | None:
    """Return the columns the cohort reads, or None if the file is not tagged."""
    if file_format(path) == "parquet":
        names = _parquet_names(path)
    else:
        first = next(iter(iter_extract(path, chunk_rows=1)), None)
        names = None if first is None else [str(c) for c in first.columns]
    if names is None or OUT_PARTNER not in names or OUT_DOMESTIC not in names:
        return None
    cols = resolve_columns(columns)
    wanted = [cols[f] for f in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS) if cols[f] in names]
    return list(dict.fromkeys([*wanted, OUT_PARTNER, OUT_DOMESTIC]))


def read_cohort_offences(
    path: str | Path,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    config: CohortConfig | None = None,
    *,
    keep_persons: Iterable[object] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> pd.DataFrame | None:
    """Read the rows of a tagged extract that the cohort builder can use.

    Parameters
    ----------
    path : str or pathlib.Path
        Tagged extract (CSV, Parquet, ...) with the ``pv_*`` flags.
    columns : mapping, optional
        Canonical field -> column name, merged over the default column names.
    config : CohortConfig, optional
        Study definitions (the disposal rules decide what is a conviction).
    keep_persons : iterable, optional
        Person ids (compared as text) whose rows are kept as well, e.g. treated
        persons linked by their case.
    chunk_rows : int, default CHUNK_ROWS
        Rows per chunk.

    Returns
    -------
    pandas.DataFrame or None
        The cohort columns of the rows of persons with a proven partner-violence
        conviction (or in ``keep_persons``), in file order, indexed by row number;
        None if the file is not tagged (or keeps a pandas index), so that the caller
        reads and tags it whole.

    Raises
    ------
    ColumnMappingError, RuleFileError
        As :func:`~pv_identify.cohort.classify_offences` on the whole file.
    """
    path = Path(path)
    config = config or CohortConfig()
    wanted = _columns(path, columns)
    if wanted is None:
        return None
    person_col = resolve_columns(columns)["person_id"]
    found: list[np.ndarray] = []
    dtypes: list[pd.Series] = []
    empty = None
    for chunk in _chunks(path, wanted, chunk_rows):
        offences = classify_offences(chunk, columns, config)  # checks every row
        hit = (offences["partner"] & offences["is_conviction"]).to_numpy(dtype=bool)
        found.append(pd.unique(pd.Series(chunk[person_col].to_numpy()[hit],
                                         dtype=object).dropna()))
        dtypes.append(chunk.dtypes)
        if empty is None:
            empty = chunk.iloc[:0]
    persons = pd.unique(np.concatenate(found)) if found else np.array([], dtype=object)
    keep = {str(p) for p in keep_persons} if keep_persons is not None else set()

    def wanted_rows(person: pd.Series) -> np.ndarray:
        mask = person.isin(persons)
        if keep:
            mask |= person.astype(str).isin(keep)
        return mask.to_numpy(dtype=bool)

    if file_format(path) == "parquet":
        out = _kept_parquet(path, wanted, chunk_rows, person_col, wanted_rows)
    else:
        parts = [chunk.loc[rows] for chunk in _chunks(path, wanted, chunk_rows)
                 if (rows := wanted_rows(chunk[person_col])).any()]
        out = pd.concat(parts) if parts else None
    if out is None or not len(out):
        out = empty if empty is not None else pd.DataFrame(columns=wanted)
    # the dtypes the whole file gets (e.g. ids with a missing value in any chunk: float)
    final = {col: pd.concat([pd.Series([], dtype=d[col]) for d in dtypes]).dtype
             for col in out.columns} if dtypes else {}
    changed = {col: dt for col, dt in final.items() if out[col].dtype != dt}
    return out.astype(changed) if changed else out


def _kept_parquet(path: Path, columns: list[str], chunk_rows: int, person_col: str,
                  wanted_rows: Any) -> pd.DataFrame | None:
    """Kept rows of a Parquet file: filtered as Arrow, converted to pandas once.

    One conversion at the end (not a pandas frame per chunk and a concatenation)
    halves the peak memory of this pass on a large cohort.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pv_identify.io.readers import _plain_types

    tables, index, offset = [], [], 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows, columns=columns):
        table = _plain_types(pa.Table.from_batches([batch]))
        rows = wanted_rows(table.select([person_col]).to_pandas(date_as_object=False)[person_col])
        if rows.any():
            tables.append(table.filter(pa.array(rows)))
            index.append(np.flatnonzero(rows) + offset)
        offset += table.num_rows
    if not tables:
        return None
    whole = pa.concat_tables(tables).combine_chunks()
    del tables
    # column by column, freeing each Arrow column once converted
    out = whole.to_pandas(split_blocks=True, self_destruct=True, date_as_object=False)
    del whole
    pa.default_memory_pool().release_unused()
    out.index = pd.Index(np.concatenate(index))
    return out
