"""How many partner-violence offences are really in an extract: sample, annotate, estimate.

See ``docs/estimate.md``. The flow and its modules:

* :mod:`~pv_identify.estimate.tagged` -- the tagger's columns of an extract as arrays;
* :mod:`~pv_identify.estimate.strata` -- the stratum of every offence;
* :mod:`~pv_identify.estimate.allocation` -- proportional / Neyman sample sizes;
* :mod:`~pv_identify.estimate.design` -- the stratified draw and its JSON sidecar;
* :mod:`~pv_identify.estimate.sheet` -- the annotation sheet (CSV / Excel as text);
* :mod:`~pv_identify.estimate.estimators` -- Horvitz–Thompson and ratio estimators
  with stratified, finite-population-corrected, linearised variances;
* :mod:`~pv_identify.estimate.intervals` -- Korn–Graubard and Wald intervals;
* :mod:`~pv_identify.estimate.results` -- all estimates of an extract (the JSON);
* :mod:`~pv_identify.estimate.summary`, :mod:`~pv_identify.estimate.plot` -- output.
"""

from pv_identify.estimate.allocation import ALLOCATIONS, allocate
from pv_identify.estimate.design import DESIGNS, SampleDesign, design_path, draw_stratified
from pv_identify.estimate.errors import EstimateError, EstimateWarning, SheetError
from pv_identify.estimate.estimators import (
    Estimate,
    StratifiedSample,
    estimate_ratio,
    estimate_total,
    total_variance,
)
from pv_identify.estimate.intervals import INTERVALS, proportion_interval
from pv_identify.estimate.plot import plot_by_year
from pv_identify.estimate.results import TARGETS, check_design, estimate_extract
from pv_identify.estimate.sheet import (
    SHEET_LABEL_COLUMN,
    build_sheet,
    read_sheet,
    sheet_labels,
    sheet_rows,
    write_sheet,
)
from pv_identify.estimate.strata import DEFAULT_STRATA, STRATIFIERS, parse_strata, stratum_keys
from pv_identify.estimate.summary import format_summary
from pv_identify.estimate.tagged import TaggedColumns, load_tagged, tagged_columns

__all__ = [
    "ALLOCATIONS",
    "DEFAULT_STRATA",
    "DESIGNS",
    "INTERVALS",
    "SHEET_LABEL_COLUMN",
    "STRATIFIERS",
    "TARGETS",
    "Estimate",
    "EstimateError",
    "EstimateWarning",
    "SampleDesign",
    "SheetError",
    "StratifiedSample",
    "TaggedColumns",
    "allocate",
    "build_sheet",
    "check_design",
    "design_path",
    "draw_stratified",
    "estimate_extract",
    "estimate_ratio",
    "estimate_total",
    "format_summary",
    "load_tagged",
    "parse_strata",
    "plot_by_year",
    "proportion_interval",
    "read_sheet",
    "sheet_labels",
    "sheet_rows",
    "stratum_keys",
    "tagged_columns",
    "total_variance",
    "write_sheet",
]
