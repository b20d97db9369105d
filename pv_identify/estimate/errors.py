"""Errors and warnings of the annotation-sample and estimation tools."""

from __future__ import annotations

from pv_identify.errors import PvIdentifyError


class EstimateError(PvIdentifyError, ValueError):
    """A sample cannot be drawn or an estimate cannot be made (bad design, wrong extract)."""


class SheetError(EstimateError):
    """An annotation sheet is missing, malformed, unfilled or has invalid labels."""


class EstimateWarning(UserWarning):
    """An estimate rests on thin data (a stratum or domain with too few annotated rows)."""
