"""Registration practice of the prosecutor's MC (maatschappelijke classificatie).

Rules (seed 001 lines 3042-3048, 3514-3516 and footnote 24):

- the generic ``huiselijk geweld`` MC is used well from 2008 (less before);
- the specific HG MCs (partner-, kinder-, oudermishandeling, overig) exist only from
  April 2015 and are used well only from 2017 (a ramp, ``mc_specific_by_year``);
- the partner MC is used for current and former partners alike;
- before April 2015 at most one MC per offence; afterwards a second one is rare;
- MCs are often simply missing (``mc_fill``).
"""

from __future__ import annotations

import numpy as np

from pv_identify.synth.config import SynthConfig
from pv_identify.synth.sampling import day_of, year_of_days
from pv_identify.synth.vocab import (
    MC_CODE,
    MC_HG,
    OFFENCE_TYPES,
    REL_NONE,
    REL_SPECIFIC_MC,
)

#: Date from which specific HG MCs and several MCs per offence exist.
SPECIFIC_MC_FROM: str = "2015-04-01"
#: First year of ``mc_hg_use_by_year``; earlier years use a fraction of its first value.
HG_WELL_USED_FROM: int = 2008
HG_USE_BEFORE_2008_FACTOR: float = 0.4

_TOPIC = np.array([MC_CODE[t.topic_mc] if t.topic_mc else 0 for t in OFFENCE_TYPES],
                  dtype=np.int16)
_SPECIFIC = np.array([MC_CODE[m] if m else 0 for m in REL_SPECIFIC_MC], dtype=np.int16)
_HG = MC_CODE[MC_HG]


def _by_year(values: tuple[float, ...], year: np.ndarray, first: int) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    return arr[np.clip(year - first, 0, len(arr) - 1)]


def draw_mcs(
    rng: np.random.Generator,
    cfg: SynthConfig,
    otype: np.ndarray,
    rel: np.ndarray,
    registration_day: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw up to two MC codes per offence.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream.
    cfg : SynthConfig
        Parameters.
    otype, rel : numpy.ndarray
        Offence type and true relationship codes.
    registration_day : numpy.ndarray
        Registration date of the offence's case (days since 1970).

    Returns
    -------
    tuple of numpy.ndarray
        First and second MC codes (``vocab.MC_NAMES`` index; 0 = none).
    """
    n = len(otype)
    year = year_of_days(registration_day)
    after = registration_day >= day_of(SPECIFIC_MC_FROM)
    domestic = rel != REL_NONE
    fill = rng.random(n) < cfg.mc_fill
    hg_use = _by_year(cfg.mc_hg_use_by_year, year, HG_WELL_USED_FROM)
    hg_use = np.where(year < HG_WELL_USED_FROM, hg_use * HG_USE_BEFORE_2008_FACTOR, hg_use)
    use_hg = domestic & fill & (rng.random(n) < hg_use)
    p_specific = np.where(after, _by_year(cfg.mc_specific_by_year, year, 2015), 0.0)
    specific = use_hg & (rng.random(n) < p_specific)
    topic = _TOPIC[otype]
    error = ~domestic & fill & (rng.random(n) < cfg.mc_hg_error)
    mc1 = np.where(use_hg, np.where(specific, _SPECIFIC[rel], _HG), np.where(fill, topic, 0))
    mc1 = np.where(error, _HG, mc1).astype(np.int16)

    p_second = np.where(after, _by_year(cfg.mc_second_by_year, year, 2015), 0.0)
    second = after & (mc1 > 0) & (rng.random(n) < p_second)
    is_hg1 = (mc1 >= 1) & (mc1 <= 5)
    cand = np.where(specific, np.where(rng.random(n) < 0.5, _HG, topic),
                    np.where(is_hg1, topic, np.where(domestic, _HG, 0)))
    mc2 = np.where(second & (cand != mc1), cand, 0).astype(np.int16)
    return mc1, mc2
