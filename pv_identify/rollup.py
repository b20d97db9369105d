"""Roll offence-level flags up to cases and persons, for cohort builders.

A case is a partner-violence case if any of its offences is; its labels are all the
relationship labels among its offences. A person's first partner-violence case is the
one with the earliest date (registration date by default, else offence date), ties
and missing dates broken by the order of the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pv_identify.errors import ColumnMappingError
from pv_identify.io.mapping import ColumnMapping, describe_columns
from pv_identify.normalize.dates import parse_dates
from pv_identify.schema import (
    LABELS,
    NONE,
    OUT_DOMESTIC,
    OUT_LABEL,
    OUT_PARTNER,
)


def _require_tagged(tagged: pd.DataFrame) -> None:
    missing = [c for c in (OUT_LABEL, OUT_PARTNER, OUT_DOMESTIC) if c not in tagged.columns]
    if missing:
        raise ColumnMappingError(f"roll-ups need a tagged frame; columns {missing} are missing. "
                                 "Run pv_identify.tag() first.")


def _date_column(tagged: pd.DataFrame, mapping: ColumnMapping, date_field: str | None
                 ) -> pd.Series:
    fields = [date_field] if date_field else ["registration_date", "offence_date"]
    for fld in fields:
        col = mapping.get(fld)
        if col:
            return parse_dates(tagged[col])
    if date_field:
        raise ColumnMappingError(f"date field {date_field!r} not found; columns: "
                                 f"{describe_columns([str(c) for c in tagged.columns])}")
    return pd.Series(pd.NaT, index=tagged.index, dtype="datetime64[ns]")


def case_date_name(mapping: ColumnMapping, date_field: str | None = None) -> str:
    """Name of the case table's date column: ``first_<field>`` of the date used.

    ``first_registration_date`` (the default), ``first_offence_date`` when the data
    have no registration date, or ``first_<date_field>`` when one is given.
    """
    fields = [date_field] if date_field else ["registration_date", "offence_date"]
    used = next((f for f in fields if mapping.get(f)), fields[0])
    return f"first_{used}"


def _case_date(cases: pd.DataFrame) -> str:
    """Return the date column of a case table (see :func:`case_date_name`)."""
    return next(c for c in cases.columns if c.startswith("first_") and c.endswith("_date"))


def rollup_cases(
    tagged: pd.DataFrame,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    date_field: str | None = None,
) -> pd.DataFrame:
    """One row per case: offence counts, flags and the labels present.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of :func:`pv_identify.tag`.
    columns : mapping, optional
        Column mapping (needs ``case_id``; ``person_id`` and dates are used if found).
    date_field : str, optional
        Canonical date field that orders cases (default: registration, else offence date).

    Returns
    -------
    pandas.DataFrame
        Indexed by case id (named as the data's case column), in order of first
        appearance, with columns: the person id (if known; named as the data's person
        column, as in :func:`rollup_persons`), ``first_registration_date`` (the
        earliest date of the case's offences; ``first_offence_date`` when the data have
        no registration date, ``first_<date_field>`` with ``date_field``),
        ``n_offences``, ``n_partner_violence``,
        ``n_domestic_violence``, ``partner_violence``, ``domestic_violence``, one
        ``n_<label>`` count per label and ``labels`` (``|``-joined, most specific first).
    """
    _require_tagged(tagged)
    mapping = ColumnMapping.resolve(tagged.columns, columns, require_text=False,
                                    required=["case_id"])
    case_col = mapping.get("case_id")
    person_col = mapping.get("person_id")
    frame = pd.DataFrame({
        "case": tagged[case_col].to_numpy(),
        "date": _date_column(tagged, mapping, date_field).to_numpy(),
        "pv": tagged[OUT_PARTNER].to_numpy(dtype=bool),
        "dv": tagged[OUT_DOMESTIC].to_numpy(dtype=bool),
        "label": pd.Categorical(tagged[OUT_LABEL], categories=list(LABELS)),
    })
    if person_col:
        frame["person"] = tagged[person_col].to_numpy()
    groups = frame.groupby("case", sort=False, dropna=False)
    out = pd.DataFrame({
        "n_offences": groups.size(),
        case_date_name(mapping, date_field): groups["date"].min(),
        "n_partner_violence": groups["pv"].sum(),
        "n_domestic_violence": groups["dv"].sum(),
    })
    if person_col:
        out.insert(0, person_col, groups["person"].first())
    out["partner_violence"] = out["n_partner_violence"] > 0
    out["domestic_violence"] = out["n_domestic_violence"] > 0
    # groupby + unstack: pd.crosstab loops per case under pandas 3
    pairs = frame.groupby(["case", "label"], sort=False, observed=True, dropna=False).size()
    counts = pairs.unstack("label", fill_value=0).reindex(  # noqa: PD010
        index=out.index, columns=list(LABELS), fill_value=0)
    add_label_summary(out, {label: counts[label].to_numpy() for label in LABELS if label != NONE})
    out.index.name = case_col
    return out


def rollup_persons(
    tagged: pd.DataFrame,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    date_field: str | None = None,
) -> pd.DataFrame:
    """One row per person: numbers of cases, partner- and domestic-violence cases, first PV case.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of :func:`pv_identify.tag`.
    columns : mapping, optional
        Column mapping (needs ``case_id`` and ``person_id``).
    date_field : str, optional
        Canonical date field that decides "first" (default: registration, else offence).

    Returns
    -------
    pandas.DataFrame
        Indexed by person id, with ``n_cases``, ``n_partner_violence_cases``,
        ``n_domestic_violence_cases``, ``first_partner_violence_case`` and
        ``first_partner_violence_date`` (empty / NaT for persons without one).
    """
    mapping = ColumnMapping.resolve(tagged.columns, columns, require_text=False,
                                    required=["case_id", "person_id"])
    cases = rollup_cases(tagged, columns=columns, date_field=date_field)
    return persons_from_cases(cases, mapping.columns["person_id"])  # required above


def add_label_summary(out: pd.DataFrame, counts: dict[str, np.ndarray]) -> None:
    """Add ``n_<label>`` counts and the ``|``-joined ``labels`` present to a case table.

    Parameters
    ----------
    out : pandas.DataFrame
        The case table (modified in place; it is the roll-up's own new frame).
    counts : dict of str to numpy.ndarray
        Per relationship label (``none`` excluded), offences per case.
    """
    labels = np.full(len(out), "", dtype=object)
    for label, count in counts.items():
        out[f"n_{label}"] = count
        labels = np.where(count > 0, np.where(labels == "", label, labels + "|" + label), labels)
    out["labels"] = labels


def persons_from_cases(cases: pd.DataFrame, person_col: str) -> pd.DataFrame:
    """Build the person roll-up from a case roll-up (with the person id column).

    Parameters
    ----------
    cases : pandas.DataFrame
        Output of :func:`rollup_cases` (indexed by case id, in order of appearance).
    person_col : str
        The person id column of ``cases``; the index name of the result.

    Returns
    -------
    pandas.DataFrame
        One row per person; see :func:`rollup_persons`.
    """
    cases = cases.reset_index()
    case_col = cases.columns[0]
    cases["_order"] = np.arange(len(cases))
    groups = cases.groupby(person_col, sort=False, dropna=False)
    out = pd.DataFrame({
        "n_cases": groups.size(),
        "n_partner_violence_cases": groups["partner_violence"].sum(),
        "n_domestic_violence_cases": groups["domestic_violence"].sum(),
    })
    date = _case_date(cases)
    # Persons are matched by group number, not by id: a missing person id is one group
    # (as in the streamed roll-up), and reindexing by a NaN label would not find it.
    cases["_person"] = groups.ngroup().to_numpy()
    pv = cases[cases["partner_violence"]].sort_values([date, "_order"], na_position="last",
                                                      kind="stable")
    first = pv.drop_duplicates("_person").set_index("_person")
    numbers = pd.RangeIndex(len(out))
    out["first_partner_violence_case"] = first[case_col].reindex(numbers).to_numpy()
    out["first_partner_violence_date"] = first[date].reindex(numbers).to_numpy()
    out.index.name = person_col
    return out
