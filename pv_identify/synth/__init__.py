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
    Achieved versus published figures (seed 001 Table 3.1 and recidivism).
"""

from __future__ import annotations

from pv_identify.synth.calibration import TARGETS, achieved, calibration_table, index_cohort
from pv_identify.synth.config import SynthConfig, SynthConfigError
from pv_identify.synth.generate import COLUMNS, SynthError, generate, iter_chunks
from pv_identify.synth.writers import ExtractWriteError, infer_format, write_synthetic

__all__ = [
    "COLUMNS",
    "TARGETS",
    "ExtractWriteError",
    "SynthConfig",
    "SynthConfigError",
    "SynthError",
    "achieved",
    "calibration_table",
    "generate",
    "index_cohort",
    "infer_format",
    "iter_chunks",
    "write_synthetic",
]
