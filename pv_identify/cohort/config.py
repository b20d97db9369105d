"""Study definitions of the cohort builder, with the published defaults of seed 001.

One :class:`CohortConfig` object carries every choice a study makes (window, dates,
cut-off, follow-up horizons, age limit, ...), so a study script states its design in
one place and the defaults reproduce the WODC BORG evaluation (seed 001, §2.2.2 and
§2.4.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from pv_identify.errors import ColumnMappingError, PvIdentifyError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.schema import DEFAULT_COLUMNS

from .rulefiles import CohortRules, load_cohort_rules


class CohortConfigError(PvIdentifyError, ValueError):
    """A cohort parameter is invalid (the message names the parameter)."""


#: Days in a year for ages, densities and follow-up horizons.
YEAR_DAYS: float = 365.25

WindowDate = Literal["disposal_date", "registration_date"]
DetentionStart = Literal["disposal_date", "start"]


def _timestamp(name: str, value: object) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CohortConfigError(f"{name}: expected a date like '2017-12-31'") from None
    if pd.isna(ts):
        raise CohortConfigError(f"{name}: expected a date like '2017-12-31', got a missing value")
    return ts


@dataclass(frozen=True)
class CohortConfig:
    """Definitions of a cohort study.

    Parameters
    ----------
    window : tuple of two dates
        First and last day (inclusive) in which the index conviction must fall.
        Default 2014-01-01 to 2017-12-31 ("in de periode 2014 tot en met 2017
        veroordeeld", seed lines 3004-3006).
    window_date : {"disposal_date", "registration_date"}
        Which case date puts a conviction "in the window". Default ``"disposal_date"``:
        the report selects offenders *convicted* (veroordeeld) in 2014-2017, and a
        conviction happens at the disposal; ``"registration_date"`` selects on the
        registration at the prosecutor instead. The same date orders several
        convictions of one person (the first is the index case).
    cutoff : date
        Data cut-off: the end of observation for recidivism. Default 2020-06-30
        ("tot en met juni 2020", seed line 3453). Offences committed or cases
        registered after it are not seen.
    horizons_years : tuple of int
        Follow-up horizons for prevalence. Default 1, 2, 3 years.
    min_age : float
        Persons younger than this at the index case are excluded (default 18).
    age_date : {"offence_date", "registration_date"}
        The case date at which ages are computed (age at index, age at the first case,
        and the minor exclusion). Default ``"offence_date"``: juvenile law applies by
        age at the offence; a missing offence date falls back to the registration date.
    min_density_years : float, optional
        Overrides ``min_years`` of ``rules/cohort/density.yaml`` (case densities divide
        by the years between the first and the index case, at least this many).
    incapacitation : bool
        Extend the observation time by the detention of the index case (default True,
        seed lines 3455-3457).
    detention_start : {"disposal_date", "start"}
        When the index detention is assumed to begin: the index case's disposal date
        (default) or the start of follow-up, when the extract has no detention
        periods (or ``detention_periods`` is False).
    detention_periods : bool
        Use the actual detention periods of the index case (fields ``detention_start``
        and ``detention_end``, or a frame passed to ``recidivism(detention=...)``)
        when they are available (default True); otherwise the imposed custodial days.
    year_days : float
        Days per year (365.25).
    rules_dir : str or Path, optional
        Folder with the cohort data files; default the bundled ``rules/cohort``.
    """

    window: tuple[object, object] = ("2014-01-01", "2017-12-31")
    window_date: WindowDate = "disposal_date"
    cutoff: object = "2020-06-30"
    horizons_years: tuple[int, ...] = (1, 2, 3)
    min_age: float = 18.0
    age_date: Literal["offence_date", "registration_date"] = "offence_date"
    min_density_years: float | None = None
    incapacitation: bool = True
    detention_start: DetentionStart = "disposal_date"
    detention_periods: bool = True
    year_days: float = YEAR_DAYS
    rules_dir: str | Path | None = None

    def __post_init__(self) -> None:
        """Validate the parameters."""
        start, end = self.window_start, self.window_end
        if end < start:
            raise CohortConfigError("window: the end date lies before the start date")
        self.cutoff_ts  # noqa: B018 - validates
        if self.window_date not in ("disposal_date", "registration_date"):
            raise CohortConfigError("window_date: expected 'disposal_date' or 'registration_date'")
        if self.age_date not in ("offence_date", "registration_date"):
            raise CohortConfigError("age_date: expected 'offence_date' or 'registration_date'")
        if self.detention_start not in ("disposal_date", "start"):
            raise CohortConfigError("detention_start: expected 'disposal_date' or 'start'")
        if not self.horizons_years or any(h <= 0 for h in self.horizons_years):
            raise CohortConfigError("horizons_years: expected positive numbers of years")
        if (self.min_density_years is not None and self.min_density_years <= 0) or (
            self.year_days <= 0
        ):
            raise CohortConfigError("min_density_years and year_days must be positive")

    @property
    def window_start(self) -> pd.Timestamp:
        """First day of the window."""
        return _timestamp("window[0]", self.window[0])

    @property
    def window_end(self) -> pd.Timestamp:
        """Last day of the window (inclusive)."""
        return _timestamp("window[1]", self.window[1])

    @property
    def cutoff_ts(self) -> pd.Timestamp:
        """The data cut-off as a timestamp."""
        return _timestamp("cutoff", self.cutoff)

    @property
    def rules(self) -> CohortRules:
        """The cohort data files of :attr:`rules_dir` (loaded once, cached)."""
        return load_cohort_rules(self.rules_dir)


#: Fields the cohort builder needs; the others are optional.
REQUIRED_FIELDS: tuple[str, ...] = (
    "person_id",
    "case_id",
    "article",
    "registration_date",
    "disposal",
)

#: Optional fields (filled with missing values when absent).
OPTIONAL_FIELDS: tuple[str, ...] = (
    "offence_date",
    "disposal_date",
    "decision",
    "custodial_days",
    "sex",
    "birth_date",
    "country_of_birth",
    "bsn_present",
)


def resolve_columns(columns: Mapping[str, str | Sequence[str]] | None,
                    available: Iterable[str] | None = None) -> dict[str, str]:
    """Merge a user column mapping over the default column names.

    With ``available`` (the frame's column names) the names are resolved by
    :meth:`pv_identify.io.mapping.ColumnMapping.resolve`, the resolver ``tag`` uses:
    default names match whatever their case (``JDS_NUMMER``), names differing only in
    case are ambiguous, and a mapped column must exist. Fields not found keep their
    default name (the caller checks presence).

    Parameters
    ----------
    columns : mapping, optional
        Canonical field -> column name in the user's frame.
    available : iterable of str, optional
        The frame's column names.

    Returns
    -------
    dict
        The full mapping.

    Raises
    ------
    ColumnMappingError
        If a key is not a canonical field, or (with ``available``) a mapped column does
        not exist or two columns differ only in case.
    """
    merged = dict(DEFAULT_COLUMNS)
    for key, value in (columns or {}).items():
        if key not in DEFAULT_COLUMNS:
            raise ColumnMappingError(
                f"column mapping: unknown field {key!r}; expected one of "
                f"{', '.join(DEFAULT_COLUMNS)}"
            )
        merged[key] = str(value)
    if available is None:
        return merged
    found = ColumnMapping.resolve(list(available), dict(columns or {}), require_text=False)
    merged.update(found.columns)
    return merged
