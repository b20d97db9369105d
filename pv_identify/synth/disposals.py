"""Disposals (case level), decisions (offence level), custodial days and dates.

The disposal is drawn per case: first whether the case ends without conviction
(technisch sepot, vrijspraak, ontslag), then the most severe disposal from the eleven
categories of seed 001 Table 3.1. Registration practice over time is applied here: the
transactie is phased into the strafbeschikking 2008-2015 and, after 1 March 2021, most
conditional dismissals become strafbeschikkingen (seed 000 line 23). A case whose
disposal date lies after the extract date is pending.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pv_identify.synth.careers import Cases
from pv_identify.synth.config import SynthConfig
from pv_identify.synth.offences import Offences
from pv_identify.synth.sampling import categorical_rows, day_of, years_to_days
from pv_identify.synth.vocab import D_PENDING, K_OTHER_FAMILY, D

#: Decision codes (index into ``vocab.DECISIONS``).
DEC_PROVEN, DEC_ACQUITTED, DEC_DISCHARGED, DEC_TECHNICAL, DEC_PENDING = 0, 1, 2, 3, 4

_COURT = np.array([D["vrijheidsstraf"], D["voorwaardelijke vrijheidsstraf"], D["werkstraf"],
                   D["leerstraf"], D["geldboete"], D["maatregel"],
                   D["schuldigverklaring zonder straf"], D["vrijspraak"],
                   D["ontslag van rechtsvervolging"]])


@dataclass
class CaseOutcome:
    """Per-case disposal and dates of one block."""

    disposal: np.ndarray  #: disposal code (vocab ``D``), -1 pending
    custodial_days: np.ndarray  #: unconditional custodial days (0 if none)
    offence_day: np.ndarray  #: offence date of the main offence (days since 1970)
    registration_day: np.ndarray  #: registration date (days since 1970)
    disposal_day: np.ndarray  #: disposal date (days since 1970); meaningless when pending
    #: the case also carries a conditional prison sentence (a second disposal, written
    #: ``"<disposal>; voorwaardelijke vrijheidsstraf"``); all False by default
    conditional_part: np.ndarray


def draw_outcomes(
    rng: np.random.Generator,
    cfg: SynthConfig,
    c: Cases,
    extra_rng: np.random.Generator | None = None,
) -> CaseOutcome:
    """Draw disposals, custodial days and dates for all cases of a block.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream of the block.
    cfg : SynthConfig
        Parameters.
    c : Cases
        The block's cases.
    extra_rng : numpy.random.Generator, optional
        Separate stream for the conditional parts (``pv_conditional_part_rates``), so
        switching them on never shifts the block's main stream; needed only when a rate
        is non-zero.

    Returns
    -------
    CaseOutcome
        The cases' outcomes.
    """
    n = c.n
    domestic = c.kind <= K_OTHER_FAMILY
    group = np.where(domestic, 0, 1)
    nonconv = np.vstack([
        [*cfg.pv_non_conviction_rates, 1.0 - sum(cfg.pv_non_conviction_rates)],
        [*cfg.general_non_conviction_rates, 1.0 - sum(cfg.general_non_conviction_rates)],
    ])
    nc = categorical_rows(rng, nonconv, group)  # 0 tech, 1 vrijspraak, 2 ontslag, 3 convicted
    cat = categorical_rows(rng, np.vstack([cfg.pv_disposal_probs, cfg.general_disposal_probs]),
                           group)
    registration_day = years_to_days(c.t)
    t = c.t
    u = rng.random(n)
    transactie_frac = np.clip((2015.5 - t) / 7.5, 0.05, 1.0)
    settlement = np.where(u < transactie_frac, D["transactie"], D["strafbeschikking"])
    other_share = np.where(domestic, 0.4, 0.1)
    overig = np.where(rng.random(n) < other_share, D["overig"], settlement)
    after_2021 = registration_day >= day_of("2021-03-01")
    vwbs = np.where(after_2021 & (rng.random(n) < cfg.strafbeschikking_from_vwbs_2021),
                    D["strafbeschikking"], D["voorwaardelijk beleidssepot"])
    onvw = np.where(rng.random(n) < cfg.sentence_only_share,
                    D["schuldigverklaring zonder straf"], D["onvoorwaardelijk beleidssepot"])
    by_cat = np.vstack([
        np.full(n, D["werkstraf"]), np.full(n, D["leerstraf"]), vwbs, onvw,
        np.full(n, D["voorwaardelijke vrijheidsstraf"]), np.full(n, D["vrijheidsstraf"]),
        np.full(n, D["vrijheidsstraf"]), np.full(n, D["vrijheidsstraf"]),
        np.full(n, D["maatregel"]), np.full(n, D["geldboete"]), overig,
    ])
    disposal = by_cat[cat, np.arange(n)]
    disposal = np.select(
        [nc == 0, nc == 1, nc == 2],
        [D["technisch sepot"], D["vrijspraak"], D["ontslag van rechtsvervolging"]],
        disposal,
    ).astype(np.int16)
    days = np.select(
        [cat == 5, cat == 6, cat == 7],
        [rng.integers(1, 30, n), rng.integers(30, 181, n),
         181 + np.minimum(rng.exponential(400.0, n), 3000).astype(np.int64)],
        0,
    )
    days = np.where(disposal == D["vrijheidsstraf"], days, 0).astype(np.int32)

    # dates: offence <= registration <= disposal
    lag_reg = rng.exponential(cfg.registration_lag_mean, n)
    late = rng.random(n) < 0.05
    lag_reg = np.where(late, lag_reg + rng.uniform(0, 365, n), lag_reg).astype(np.int64)
    offence_day = registration_day - lag_reg
    court = np.isin(disposal, _COURT)
    median = np.where(court, cfg.court_lag_median, cfg.prosecutor_lag_median)
    lag_disp = np.exp(np.log(median) + 0.7 * rng.standard_normal(n)).astype(np.int64) + 1
    disposal_day = registration_day + lag_disp
    pending = disposal_day > day_of(cfg.extract_date)
    disposal = np.where(pending, D_PENDING, disposal).astype(np.int16)
    days = np.where(pending, 0, days).astype(np.int32)
    conditional_part = np.zeros(n, dtype=bool)
    if any(cfg.pv_conditional_part_rates):
        if extra_rng is None:
            raise ValueError("pv_conditional_part_rates needs extra_rng")
        rate = np.asarray(cfg.pv_conditional_part_rates)[cat]
        conditional_part = (domestic & (nc == 3) & ~pending
                            & (extra_rng.random(n) < rate))
    return CaseOutcome(
        disposal=disposal,
        custodial_days=days,
        offence_day=offence_day,
        registration_day=registration_day,
        disposal_day=disposal_day,
        conditional_part=conditional_part,
    )


def draw_decisions(
    rng: np.random.Generator, cfg: SynthConfig, o: Offences, disposal: np.ndarray
) -> np.ndarray:
    """Draw the decision on each offence from its case's disposal.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream of the block.
    cfg : SynthConfig
        Parameters (``partial_acquittal``).
    o : Offences
        The block's offences.
    disposal : numpy.ndarray
        Disposal code of each offence's case.

    Returns
    -------
    numpy.ndarray
        Decision codes (``DEC_*``).
    """
    convicted_by_court = np.isin(disposal, _COURT[:7])
    partial = convicted_by_court & (o.nr > 1) & (rng.random(o.n) < cfg.partial_acquittal)
    return np.select(
        [disposal == D_PENDING, disposal == D["technisch sepot"], disposal == D["vrijspraak"],
         disposal == D["ontslag van rechtsvervolging"], partial],
        [DEC_PENDING, DEC_TECHNICAL, DEC_ACQUITTED, DEC_DISCHARGED, DEC_ACQUITTED],
        DEC_PROVEN,
    ).astype(np.int8)


def court_convictions() -> np.ndarray:
    """Return the disposal codes of court convictions (a qualification is written).

    Returns
    -------
    numpy.ndarray
        Disposal codes.
    """
    return _COURT[:7].copy()
