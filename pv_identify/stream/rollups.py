"""Case and person roll-ups of a streamed file, out of core (DuckDB on disk).

While :func:`~pv_identify.stream.runner.tag_file` writes the tagged chunks, each
chunk's ``(row, case, person, date, label, partner, domestic)`` is appended to an
embedded DuckDB database in a temporary directory (next to the roll-up output, else
in the system temporary directory). DuckDB runs with a memory limit and spills to
that directory, so memory stays bounded whatever the size of the file. At the end,
SQL computes

* the case roll-up (cases in order of first appearance; a case's person is its first
  non-missing person; its date the earliest parsed date; all rows without a case id
  form one case, as in pandas' ``groupby(dropna=False)``);
* the person roll-up (persons in order of their first case) with the first
  partner-violence case per person (earliest date, missing dates last, ties by case
  order);

and the results are written in batches through :class:`~pv_identify.io.writers.ExtractWriter`
with the columns, order and dtypes of :func:`pv_identify.rollup_cases` and
:func:`pv_identify.rollup_persons` on the whole tagged frame.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.io.writers import ExtractWriter
from pv_identify.normalize.dates import parse_dates
from pv_identify.rollup import add_label_summary, case_date_name
from pv_identify.schema import LABELS, NONE, OUT_DOMESTIC, OUT_LABEL, OUT_PARTNER

#: DuckDB memory limit of the roll-ups (it spills to disk beyond).
DUCKDB_MEMORY_LIMIT = "384MB"
#: DuckDB memory limit while rows are appended (pass 2 of the model path runs its own
#: database at the same time); the roll-up queries then get DUCKDB_MEMORY_LIMIT.
#: 48 MB (was 96): 10M rows with the model peaked ~30 MiB lower, same time; rules-only
#: roll-ups unchanged (bench/README.md).
APPEND_MEMORY_LIMIT = "48MB"
#: Rows per batch written to the roll-up outputs.
BATCH_ROWS = 100_000

_LABELS = [label for label in LABELS if label != NONE]
_LABEL_COUNTS = ", ".join(f"count(*) FILTER (WHERE lab = {LABELS.index(label)}) AS \"n_{label}\""
                          for label in _LABELS)

_CASES = f"""
CREATE TABLE cases AS
SELECT ck, min("row") AS r0, count(*) AS n, min(d) AS d,
       count(*) FILTER (WHERE pv) AS npv, count(*) FILTER (WHERE dv) AS ndv,
       {_LABEL_COUNTS},
       arg_min(pk, "row") FILTER (WHERE pk IS NOT NULL) AS pk
FROM rows GROUP BY ck
"""

_PERSONS = """
CREATE TABLE persons AS
SELECT pk, min(r0) AS r0, count(*) AS n, count(*) FILTER (WHERE npv > 0) AS npv,
       count(*) FILTER (WHERE ndv > 0) AS ndv,
       first(ck ORDER BY d ASC NULLS LAST, r0) FILTER (WHERE npv > 0) AS fck,
       first(d ORDER BY d ASC NULLS LAST, r0) FILTER (WHERE npv > 0) AS fd,
       count(*) FILTER (WHERE npv > 0) > 0 AS has_pv
FROM cases GROUP BY pk
"""


def _key_dtype(dtypes: list[Any]) -> Any:
    """Return the dtype pandas' ``concat`` gives a column with ``dtypes`` in its chunks."""
    return pd.concat([pd.Series([], dtype=d) for d in dtypes]).dtype


def _to_arrow(values: pd.Series) -> Any:
    import pyarrow as pa

    try:
        array = pa.array(values.to_numpy(dtype=object) if values.dtype == object else values,
                         from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        array = pa.array(values.astype("string"), from_pandas=True)
    if pa.types.is_null(array.type):
        array = array.cast(pa.large_string())
    return array


class RollupStore:
    """Collect the roll-up keys of a streamed run on disk and write the roll-ups.

    Parameters
    ----------
    workdir : str or pathlib.Path, optional
        Directory in which the temporary database directory is made (default: the
        system temporary directory).
    memory_limit : str, default DUCKDB_MEMORY_LIMIT
        DuckDB's memory limit.
    """

    def __init__(self, workdir: str | Path | None = None,
                 memory_limit: str = DUCKDB_MEMORY_LIMIT) -> None:
        self.case_col: str | None = None
        self.person_col: str | None = None
        self.date_col: str | None = None
        self.rows = 0
        self._workdir_parent = workdir
        self._memory_limit = memory_limit
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._con: Any = None
        self._dtypes: dict[str, list[Any]] = {"case": [], "person": []}

    def __len__(self) -> int:
        return self.rows

    def _connect(self) -> Any:
        try:
            import duckdb
        except ImportError:
            raise PvIdentifyError("case and person roll-ups of a file need DuckDB: "
                                  "pip install 'pv_identify[formats]' (or duckdb)") from None

        parent = self._workdir_parent
        if parent is not None and not Path(parent).is_dir():
            parent = None
        self._tmp = tempfile.TemporaryDirectory(prefix=".pv_rollup_", dir=parent)
        con = duckdb.connect(str(Path(self._tmp.name) / "rollup.duckdb"))
        con.execute(f"SET memory_limit = '{APPEND_MEMORY_LIMIT}'")
        con.execute(f"SET temp_directory = '{Path(self._tmp.name) / 'spill'}'")
        con.execute("SET preserve_insertion_order = false")
        return con

    def append(self, keys: pd.DataFrame, mapping: ColumnMapping) -> None:
        """Add one tagged chunk's key columns (ids, dates and ``pv_*`` flags).

        Parameters
        ----------
        keys : pandas.DataFrame
            The chunk's case, person and date columns and ``pv_label``,
            ``pv_partner_violence``, ``pv_domestic_violence``.
        mapping : ColumnMapping
            The run's resolved columns (``case_id`` needed; without it nothing is kept).
        """
        import pyarrow as pa

        if self._con is None:
            self.case_col = mapping.get("case_id")
            self.person_col = mapping.get("person_id")
            self.date_col = mapping.get("registration_date") or mapping.get("offence_date")
            self.date_name = case_date_name(mapping)
            if self.case_col is None:
                return
            self._con = self._connect()
        n = len(keys)
        case = keys[self.case_col]
        self._dtypes["case"].append(case.dtype)
        if self.person_col:
            person = keys[self.person_col]
            self._dtypes["person"].append(person.dtype)
            person_arrow = _to_arrow(person)
        else:
            person_arrow = pa.nulls(n, pa.int64())
        if self.date_col:
            dates = parse_dates(keys[self.date_col]).to_numpy(dtype="datetime64[ns]")
            date = pa.array(dates, from_pandas=True)
        else:
            date = pa.nulls(n, pa.timestamp("ns"))
        codes = pd.Categorical(keys[OUT_LABEL], categories=list(LABELS)).codes
        part = pa.table({
            "row": np.arange(self.rows, self.rows + n, dtype=np.int64),
            "ck": _to_arrow(case), "pk": person_arrow, "d": date,
            "pv": keys[OUT_PARTNER].to_numpy(dtype=bool),
            "dv": keys[OUT_DOMESTIC].to_numpy(dtype=bool),
            "lab": codes.astype(np.int8)})
        self._con.register("chunk", part)
        if self.rows == 0:
            self._con.execute("CREATE TABLE rows AS SELECT * FROM chunk")
        else:
            self._con.execute("INSERT INTO rows SELECT * FROM chunk")
        self._con.unregister("chunk")
        self.rows += n

    def write(self, cases_path: str | Path | None, persons_path: str | Path | None,
              metadata: Mapping[str, Any]) -> dict[str, int]:
        """Compute the roll-ups, write them (where a path is given) and count them.

        Parameters
        ----------
        cases_path, persons_path : str or pathlib.Path, optional
            Outputs of the case and person roll-ups.
        metadata : mapping
            Run metadata (``table`` is set to ``cases`` / ``persons``).

        Returns
        -------
        dict
            ``cases``, ``partner_violence_cases`` and, with a person id, ``persons``
            and ``partner_violence_persons``.
        """
        if self._con is None or self.case_col is None:
            return {}
        con = self._con
        con.execute(f"SET memory_limit = '{self._memory_limit}'")
        con.execute(_CASES)
        counts = {}
        row = con.execute("SELECT count(*), count(*) FILTER (WHERE npv > 0) FROM cases").fetchone()
        counts["cases"], counts["partner_violence_cases"] = int(row[0]), int(row[1])
        case_dtype = _key_dtype(self._dtypes["case"])
        person_dtype = _key_dtype(self._dtypes["person"]) if self.person_col else None
        if cases_path is not None:
            with ExtractWriter(cases_path, {**metadata, "table": "cases"}) as writer:
                for batch in self._batches("SELECT * FROM cases ORDER BY r0"):
                    writer.write(self._case_frame(batch, case_dtype, person_dtype))
        if self.person_col:
            con.execute(_PERSONS)
            row = con.execute("SELECT count(*), count(*) FILTER (WHERE npv > 0), "
                              "count(*) FILTER (WHERE NOT has_pv) FROM persons").fetchone()
            counts["persons"], counts["partner_violence_persons"] = int(row[0]), int(row[1])
            first_dtype = case_dtype
            if row[2] and (pd.api.types.is_integer_dtype(case_dtype)
                           or pd.api.types.is_bool_dtype(case_dtype)):
                first_dtype = np.dtype("float64")  # reindex with missing persons
            if persons_path is not None:
                with ExtractWriter(persons_path, {**metadata, "table": "persons"}) as writer:
                    for batch in self._batches("SELECT * FROM persons ORDER BY r0"):
                        writer.write(self._person_frame(batch, person_dtype, first_dtype))
        return counts

    def _batches(self, query: str) -> Any:
        self._con.execute("SET preserve_insertion_order = true")
        reader = self._con.sql(query).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            if batch.num_rows:
                yield batch

    def _case_frame(self, batch: Any, case_dtype: Any, person_dtype: Any) -> pd.DataFrame:
        col = {name: batch.column(name).to_pandas() for name in batch.schema.names}
        out = pd.DataFrame({self.case_col: _as(col["ck"], case_dtype)})
        if self.person_col:
            out[self.person_col] = _as(col["pk"], person_dtype)
        out["n_offences"] = col["n"].astype(np.int64)
        out[self.date_name] = col["d"].astype("datetime64[ns]")
        out["n_partner_violence"] = col["npv"].astype(np.int64)
        out["n_domestic_violence"] = col["ndv"].astype(np.int64)
        out["partner_violence"] = out["n_partner_violence"] > 0
        out["domestic_violence"] = out["n_domestic_violence"] > 0
        add_label_summary(out, {label: col[f"n_{label}"].to_numpy(dtype=np.int64)
                                for label in _LABELS})
        return out

    def _person_frame(self, batch: Any, person_dtype: Any, first_dtype: Any) -> pd.DataFrame:
        col = {name: batch.column(name).to_pandas() for name in batch.schema.names}
        return pd.DataFrame({
            self.person_col: _as(col["pk"], person_dtype),
            "n_cases": col["n"].astype(np.int64),
            "n_partner_violence_cases": col["npv"].astype(np.int64),
            "n_domestic_violence_cases": col["ndv"].astype(np.int64),
            "first_partner_violence_case": _as(col["fck"], first_dtype),
            "first_partner_violence_date": col["fd"].astype("datetime64[ns]"),
        })

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Close the database and remove its directory."""
        try:
            if self._con is not None:
                self._con.close()
        finally:
            self._con = None
            if self._tmp is not None:
                self._tmp.cleanup()
                self._tmp = None


def _as(values: pd.Series, dtype: Any) -> pd.Series:
    """Return values fetched from DuckDB in the dtype the in-memory roll-up gives."""
    if dtype is None or values.dtype == dtype:
        return values.reset_index(drop=True)
    if pd.api.types.is_object_dtype(dtype):
        return pd.Series(values.to_numpy(dtype=object), dtype=object)
    return values.astype(dtype).reset_index(drop=True)
