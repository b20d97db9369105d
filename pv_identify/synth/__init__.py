"""Synthetic reference extract: a realistic, reproducible stand-in for OBJD data.

Public API
----------
SynthConfig
    Frozen dataclass of all documented parameters.
generate(n_rows, seed=0, config=None)
    A DataFrame of exactly ``n_rows`` offence rows with the hidden ``true_relationship``.
iter_chunks(n_rows, seed=0, config=None, chunk_rows=None)
    The same rows as a stream of DataFrames (whole careers per chunk).
write_synthetic(path, n_rows, seed=0, config=None, format=None)
    Stream to CSV or Parquet, or write SPSS ``.sav``, atomically.
calibration_table(df)
    Achieved versus published figures (seed 001 Table 3.1 and recidivism) on the
    generator's truth population.
SynthConfig.wodc2022_population()
    Opt-in profile calibrated on the population the report's rule finds; measured by
    ``cohort_check.cohort_calibration_table`` against ``WODC2022_COHORT_TARGETS``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from pv_identify.synth.config import SynthConfig, SynthConfigError
from pv_identify.synth.generate import COLUMNS, SynthError, generate, iter_chunks
from pv_identify.synth.writers import ExtractWriteError, infer_format, write_synthetic

#: Names loaded on first use: calibration and the cohort check need the cohort builder
#: (scikit-learn, statsmodels), which generating an extract does not.
_LAZY = {
    "TARGETS": "calibration", "WODC2022_COHORT_TARGETS": "calibration",
    "achieved": "calibration", "calibration_table": "calibration",
    "index_cohort": "calibration", "cohort_calibration_table": "cohort_check",
    "cohort_figures": "cohort_check",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f"pv_identify.synth.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'pv_identify.synth' has no attribute {name!r}")

__all__ = [
    "COLUMNS",
    "TARGETS",
    "WODC2022_COHORT_TARGETS",
    "ExtractWriteError",
    "SynthConfig",
    "SynthConfigError",
    "SynthError",
    "achieved",
    "calibration_table",
    "cohort_calibration_table",
    "cohort_figures",
    "generate",
    "index_cohort",
    "infer_format",
    "iter_chunks",
    "write_synthetic",
]
