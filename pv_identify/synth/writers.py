"""Writers: CSV, Parquet (streamed) and SPSS ``.sav``, each atomically.

The output is written to a temporary file next to the target and renamed on success,
so a failed or interrupted run never leaves a half-written extract. CSV and Parquet are
streamed chunk by chunk with pyarrow (constant memory; CSV is UTF-8, ISO dates, booleans
``true``/``false``, empty fields for missing values); SPSS files are written in one go by
``pyreadstat`` (the whole extract is held in memory).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.schema import DEFAULT_COLUMNS, TRUTH_COLUMN
from pv_identify.synth.config import SynthConfig
from pv_identify.synth.generate import COLUMNS, iter_chunks
from pv_identify.synth.vocab import (
    COUNTRIES,
    DECISIONS,
    DISPOSALS,
    OTHER_COUNTRIES,
    RELATIONSHIPS,
    SEXES,
)

_C = DEFAULT_COLUMNS
FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet",
                           ".sav": "sav"}
DATE_COLUMNS: tuple[str, ...] = (_C["offence_date"], _C["registration_date"],
                                 _C["disposal_date"], _C["birth_date"])

#: SPSS variable labels.
VARIABLE_LABELS: dict[str, str] = {
    _C["person_id"]: "JDS-nummer (pseudoniem)",
    _C["case_id"]: "Parketnummer (pseudoniem)",
    _C["offence_nr"]: "Feitnummer binnen de zaak",
    _C["article"]: "Wetsartikel(en)",
    _C["mc"]: "Maatschappelijke classificatie(s)",
    _C["qualification"]: "Artikelkwalificatie",
    _C["offence_date"]: "Pleegdatum",
    _C["registration_date"]: "Inschrijvingsdatum OM",
    _C["disposal_date"]: "Afdoeningsdatum",
    _C["disposal"]: "Afdoening (zaak)",
    _C["decision"]: "Beslissing (feit)",
    _C["custodial_days"]: "Onvoorwaardelijke vrijheidsstraf (dagen)",
    _C["sex"]: "Sekse",
    _C["birth_date"]: "Geboortedatum",
    _C["country_of_birth"]: "Geboorteland",
    _C["bsn_present"]: "BSN aanwezig",
    TRUTH_COLUMN: "Ware relatie met slachtoffer (synthetisch)",
}


class ExtractWriteError(PvIdentifyError, OSError):
    """The extract cannot be written (unknown format, missing directory, I/O error)."""


def _value_labels() -> dict[str, dict[int, str]]:
    countries = (*COUNTRIES, *OTHER_COUNTRIES)
    return {
        _C["sex"]: {i + 1: v for i, v in enumerate(SEXES)},
        _C["disposal"]: {i + 1: v for i, v in enumerate(DISPOSALS)},
        _C["decision"]: {i + 1: v for i, v in enumerate(DECISIONS)},
        _C["country_of_birth"]: {i + 1: v for i, v in enumerate(countries)},
        TRUTH_COLUMN: {i + 1: v for i, v in enumerate(RELATIONSHIPS)},
        _C["bsn_present"]: {0: "nee", 1: "ja"},
    }


def infer_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """Return the output format from an explicit name or the file suffix.

    Parameters
    ----------
    path : str or path-like
        Output file.
    fmt : str, optional
        ``"csv"``, ``"parquet"`` or ``"sav"``; overrides the suffix.

    Returns
    -------
    str
        The format name.

    Raises
    ------
    ExtractWriteError
        If the format is unknown.
    """
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt not in set(FORMATS.values()):
            raise ExtractWriteError(f"unknown format {fmt!r}; use csv, parquet or sav")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExtractWriteError(
            f"{path}: cannot infer the format from suffix {suffix!r}; "
            "use .csv, .parquet or .sav, or pass format="
        )
    return FORMATS[suffix]


def to_spss_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """Convert an extract to SPSS-ready columns: labelled numeric codes, dates.

    Parameters
    ----------
    df : pandas.DataFrame
        A generated extract.

    Returns
    -------
    tuple
        The converted frame and the value labels per column.
    """
    labels = _value_labels()
    if _C["disposal"] in df.columns:  # combined disposals (profile only) get extra codes
        known = set(labels[_C["disposal"]].values())
        extra = sorted(set(df[_C["disposal"]].dropna().unique()) - known)
        first = len(labels[_C["disposal"]]) + 1
        labels[_C["disposal"]].update({first + i: v for i, v in enumerate(extra)})
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        if col in labels:
            codes = {v: k for k, v in labels[col].items()}
            if col == _C["bsn_present"]:
                out[col] = df[col].astype(np.int8)
            else:
                out[col] = df[col].map(codes).astype(float)
        elif col in DATE_COLUMNS:
            out[col] = pd.to_datetime(df[col]).dt.date
        elif pd.api.types.is_string_dtype(df[col]):
            out[col] = df[col].astype(object).where(df[col].notna(), "")
        else:
            out[col] = df[col]
    return out, {k: v for k, v in labels.items() if k in df.columns}


def _arrow_schema():
    import pyarrow as pa

    types = {_C["offence_nr"]: pa.int16(), _C["custodial_days"]: pa.int32(),
             _C["bsn_present"]: pa.bool_()}
    fields = []
    for col in COLUMNS:
        if col in DATE_COLUMNS:
            fields.append(pa.field(col, pa.date32()))
        else:
            fields.append(pa.field(col, types.get(col, pa.string())))
    return pa.schema(fields)


def write_synthetic(
    path: str | os.PathLike[str],
    n_rows: int,
    seed: int = 0,
    config: SynthConfig | None = None,
    format: str | None = None,
    chunk_rows: int = 250_000,
) -> Path:
    """Generate a synthetic extract and write it to CSV, Parquet or SPSS ``.sav``.

    This generates *and* writes, streaming typed chunks (dates as dates, SPSS value
    labels), so memory does not grow with ``n_rows``. To write a frame you already
    have, use :func:`pv_identify.io.write_extract` (the one extract writer).

    Parameters
    ----------
    path : str or path-like
        Output file; the format follows the suffix (``.csv``, ``.parquet``/``.pq``,
        ``.sav``) unless ``format`` is given.
    n_rows : int
        Exact number of offence rows.
    seed : int, default 0
        Generator seed.
    config : SynthConfig, optional
        Generator parameters.
    format : str, optional
        ``"csv"``, ``"parquet"`` or ``"sav"``.
    chunk_rows : int, default 250000
        Rows per streamed chunk (CSV and Parquet).

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ExtractWriteError
        On an unknown format, a missing directory or a write error.
    """
    target = Path(path)
    fmt = infer_format(target, format)
    if not target.parent.exists():
        raise ExtractWriteError(f"{target.parent}: directory does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    chunks = iter_chunks(n_rows, seed, config, chunk_rows=chunk_rows)
    try:
        if fmt in ("csv", "parquet"):
            import pyarrow as pa
            import pyarrow.csv as pacsv
            import pyarrow.parquet as pq

            schema = _arrow_schema()
            if fmt == "csv":
                opts = pacsv.WriteOptions(quoting_style="needed")
                writer = pacsv.CSVWriter(str(tmp), schema, write_options=opts)
            else:
                writer = pq.ParquetWriter(tmp, schema)
            with writer:
                for chunk in chunks:
                    table = pa.Table.from_pandas(chunk, preserve_index=False)
                    writer.write_table(table.cast(schema))
        else:
            import pyreadstat

            frame = pd.concat(list(chunks), ignore_index=True)
            spss, value_labels = to_spss_frame(frame)
            pyreadstat.write_sav(
                spss, str(tmp), column_labels=[VARIABLE_LABELS.get(c, c) for c in spss.columns],
                # pyreadstat annotates dict[str, dict[int | float, str]]; dict is invariant,
                # so int-keyed labels (valid at run time) need the ignore
                variable_value_labels=value_labels,  # type: ignore[arg-type]
                variable_measure={c: "nominal" for c in value_labels},
            )
        os.replace(tmp, target)
    except OSError as exc:
        raise ExtractWriteError(f"{target}: cannot write the extract ({exc})") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target
