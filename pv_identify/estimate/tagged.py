"""The pv_* columns of a tagged extract as typed arrays, plus its domains.

Sampling and estimation need, per offence, what the tagger said (label, flags,
source, model score) and two domain variables: the registration year and whether a
court qualification exists (court decision) or not (prosecutor disposal). The file
round trip (CSV strings, Parquet booleans) is absorbed here, once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.estimate.errors import EstimateError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.io.writers import metadata_path
from pv_identify.normalize.dates import parse_dates
from pv_identify.schema import (
    EX_PARTNER,
    OUT_DOMESTIC,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_SCORE,
    OUT_SOURCE,
    SOURCE_RULE,
)

#: Columns a tagged extract must have.
REQUIRED_COLUMNS: tuple[str, ...] = (OUT_LABEL, OUT_PARTNER, OUT_DOMESTIC, OUT_SOURCE)
#: Domain value when the registration (and offence) date is missing.
UNKNOWN_YEAR = "unknown"
_TRUE = frozenset({"true", "1", "yes", "y", "t", "1.0"})


@dataclass(frozen=True)
class TaggedColumns:
    """What the tagger said about every offence of an extract.

    Parameters
    ----------
    label : numpy.ndarray of str
        ``pv_label``.
    partner : numpy.ndarray of bool
        ``pv_partner_violence`` (rules + model when a model was used).
    domestic : numpy.ndarray of bool
        ``pv_domestic_violence``.
    source : numpy.ndarray of str
        ``pv_source``: ``rule``, ``model`` or ``none``.
    score : numpy.ndarray of float
        ``pv_score`` (NaN without a model).
    year : numpy.ndarray of str
        Registration year (offence year if there is no registration date), or
        ``"unknown"``.
    disposal : numpy.ndarray of str
        ``court`` (a qualification exists) or ``prosecutor``.
    threshold : float
        Model threshold: the model's own flag is ``score >= threshold``.
    """

    label: np.ndarray
    partner: np.ndarray
    domestic: np.ndarray
    source: np.ndarray
    score: np.ndarray
    year: np.ndarray
    disposal: np.ndarray
    threshold: float = 0.5

    def __len__(self) -> int:
        return len(self.label)

    @property
    def has_model(self) -> bool:
        """Whether the extract was tagged with a model (some ``pv_score`` present)."""
        return bool(np.isfinite(self.score).any())

    @property
    def rules_pv(self) -> np.ndarray:
        """Partner-violence flag of the rules alone (a rule fired and decided PV)."""
        return (self.source == SOURCE_RULE) & self.partner

    @property
    def model_pv(self) -> np.ndarray | None:
        """The model's own partner-violence flag (``score >= threshold``), or None."""
        if not self.has_model:
            return None
        return np.nan_to_num(self.score, nan=0.0) >= self.threshold

    @property
    def ex_partner(self) -> np.ndarray:
        """Offences the tagger labelled ``ex_partner``."""
        return self.label == EX_PARTNER

    def fingerprint(self) -> str:
        """Short content hash of the tagger's output (detects a sheet from another file).

        Returns
        -------
        str
            16 hex digits over row count, labels, sources and scores (4 decimals).
        """
        digest = hashlib.sha256(str(len(self)).encode())
        score = np.round(np.nan_to_num(self.score, nan=-1.0), 4)
        for part in (self.label, self.source, score.astype(str)):
            digest.update("\x1f".join(map(str, part)).encode())
        return digest.hexdigest()[:16]


def _flag(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.fillna(False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.fillna(0).to_numpy(dtype=float) != 0
    return values.astype(str).str.strip().str.lower().isin(_TRUE).to_numpy()


def registration_year(frame: pd.DataFrame, mapping: ColumnMapping) -> np.ndarray:
    """Registration year per row as a string (offence year as fallback, else unknown).

    Parameters
    ----------
    frame : pandas.DataFrame
        The extract.
    mapping : ColumnMapping
        Its resolved column mapping.

    Returns
    -------
    numpy.ndarray of str
        ``"2015"`` etc. or ``"unknown"``.
    """
    year = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for field in ("registration_date", "offence_date"):
        col = mapping.get(field)
        if col is not None:
            got = parse_dates(frame[col]).dt.year.astype("Int64")
            year = year.fillna(got)
    return year.astype(str).replace("<NA>", UNKNOWN_YEAR).to_numpy(dtype=object)


def tagged_columns(tagged: pd.DataFrame, *,
                   columns: Mapping[str, str | Sequence[str]] | None = None,
                   threshold: float = 0.5) -> TaggedColumns:
    """Read the tagger's columns and the domain variables of a tagged extract.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of :func:`pv_identify.tag` (or a file written by ``pv-identify tag``).
    columns : mapping, optional
        Column mapping of the original extract (for the dates and the qualification).
    threshold : float, default 0.5
        Model threshold used for the model's own flag.

    Returns
    -------
    TaggedColumns
        Typed arrays, one value per row.

    Raises
    ------
    EstimateError
        If the ``pv_*`` columns are missing.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in tagged.columns]
    if missing:
        raise EstimateError(
            f"the extract is not tagged (no column(s) {missing}); tag it first, e.g. "
            "'pv-identify tag EXTRACT -o tagged.parquet --model default'")
    if not 0 < threshold <= 1:
        raise EstimateError(f"the model threshold must be in (0, 1], got {threshold}")
    mapping = ColumnMapping.resolve(tagged.columns, columns, require_text=False)
    qual_col = mapping.get("qualification")
    court = (tagged[qual_col].fillna("").astype(str).str.strip() != "").to_numpy() \
        if qual_col else np.zeros(len(tagged), dtype=bool)
    score = (pd.to_numeric(tagged[OUT_SCORE], errors="coerce").to_numpy(dtype=float)
             if OUT_SCORE in tagged.columns else np.full(len(tagged), np.nan))
    return TaggedColumns(
        label=tagged[OUT_LABEL].astype(str).str.strip().to_numpy(dtype=object),
        partner=_flag(tagged[OUT_PARTNER]),
        domestic=_flag(tagged[OUT_DOMESTIC]),
        source=tagged[OUT_SOURCE].astype(str).str.strip().to_numpy(dtype=object),
        score=score,
        year=registration_year(tagged, mapping),
        disposal=np.where(court, "court", "prosecutor").astype(object),
        threshold=float(threshold),
    )


def tagged_threshold(path: str | Path, frame: pd.DataFrame | None = None) -> float | None:
    """Return the model threshold a tagged file was made with, from its metadata.

    Parameters
    ----------
    path : str or pathlib.Path
        The tagged file (``<path>.meta.json`` is read when present).
    frame : pandas.DataFrame, optional
        The frame read from it (``attrs["pv_identify"]`` is used when present).

    Returns
    -------
    float or None
        The threshold, or None if not recorded.
    """
    meta: Any = None
    if frame is not None:
        meta = frame.attrs.get("pv_identify")
    side = metadata_path(path)
    if meta is None and side.is_file():
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
    model = (meta or {}).get("model") if isinstance(meta, dict) else None
    if isinstance(model, dict) and model.get("threshold") is not None:
        return float(model["threshold"])
    return None


def load_tagged(
    path: str | Path,
    *,
    rules: Any = "default",
    model: Any = None,
    threshold: float | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame, TaggedColumns]:
    """Read an extract and return it tagged, with its :class:`TaggedColumns`.

    A file written by ``pv-identify tag`` is used as it is (``model`` must then be
    None); an untagged extract is tagged here with ``rules`` and ``model``
    (``"default"`` when None), exactly as ``pv-identify tag`` would.

    Parameters
    ----------
    path : str or pathlib.Path
        The extract (any format :func:`pv_identify.io.readers.read_extract` reads).
    rules : str or RuleSet, default "default"
        Rules for an untagged extract.
    model : str, path or RelationshipClassifier, optional
        Model for an untagged extract.
    threshold : float, optional
        Model threshold; default: the tagged file's recorded threshold, else 0.5.
    columns : mapping, optional
        Column mapping.
    encoding, sheet : optional
        Passed to :func:`pv_identify.io.readers.read_extract`.

    Returns
    -------
    (pandas.DataFrame, TaggedColumns)
        The tagged frame and its typed columns.

    Raises
    ------
    EstimateError
        If a model is given for an extract that is already tagged.
    """
    from pv_identify.io.readers import read_extract
    from pv_identify.tagger import tag

    frame = read_extract(path, encoding=encoding, sheet=sheet)
    if all(c in frame.columns for c in REQUIRED_COLUMNS):
        if model is not None:
            raise EstimateError(f"{path} is already tagged (it has the pv_* columns); drop "
                                "--model, or pass the untagged extract")
        recorded = tagged_threshold(path, frame)
        used = threshold if threshold is not None else (recorded or 0.5)
        return frame, tagged_columns(frame, columns=columns, threshold=used)
    used = 0.5 if threshold is None else threshold
    tagged = tag(frame, rules, columns=columns, model=model or "default", threshold=used,
                 overwrite=True)
    return tagged, tagged_columns(tagged, columns=columns, threshold=used)
