"""Persons: type of offender, sex, country of birth, BSN and the shape of the career.

A person's career is anchored on an *episode*: the partner- or family-violence case of
a domestic offender, or the last case of an ordinary offender. The episode's calendar
time is drawn uniformly over the simulated years, so every registration year gets a
comparable stream of careers; the birth date follows from the age at the episode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pv_identify.synth.config import SynthConfig
from pv_identify.synth.sampling import categorical, gamma_mean
from pv_identify.synth.vocab import (
    ARRONDISSEMENTS,
    OTHER_COUNTRIES,
    PT_FAMILY,
    PT_GENERAL,
    PT_PARTNER,
)

#: Minimum age of criminal responsibility in the Netherlands.
MIN_AGE: float = 12.0
#: Episodes start this many years before ``year_min`` so later cases of earlier
#: episodes still reach the window.
EPISODE_LEAD: float = 10.0


@dataclass
class Persons:
    """Arrays describing the persons of one block (all of length ``n``)."""

    ptype: np.ndarray  #: person type code (vocab ``PT_*``)
    male: np.ndarray  #: bool
    country: np.ndarray  #: 0-4 named countries, 5 other
    other_country: np.ndarray  #: index into ``OTHER_COUNTRIES``
    bsn: np.ndarray  #: bool
    arrondissement: np.ndarray  #: home arrondissement index
    t_episode: np.ndarray  #: calendar time (fractional year) of the episode
    age_episode: np.ndarray  #: age at the episode (years)
    gap: np.ndarray  #: years between first case and episode (0 = episode is first)
    rate_pre: np.ndarray  #: yearly case rate before the episode
    rate_post: np.ndarray  #: yearly case rate after the episode

    @property
    def n(self) -> int:
        """Number of persons."""
        return len(self.ptype)

    @property
    def t_birth(self) -> np.ndarray:
        """Calendar time of birth (fractional year)."""
        return self.t_episode - self.age_episode


def draw_persons(rng: np.random.Generator, cfg: SynthConfig, n: int) -> Persons:
    """Draw ``n`` persons.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream of the block.
    cfg : SynthConfig
        Parameters.
    n : int
        Number of persons.

    Returns
    -------
    Persons
        The persons' attributes and career shape.
    """
    share_general = 1.0 - cfg.share_partner_persons - cfg.share_family_persons
    ptype = categorical(
        rng, (share_general, cfg.share_partner_persons, cfg.share_family_persons), n
    )
    is_pv = ptype == PT_PARTNER
    is_dom = ptype != PT_GENERAL
    male = rng.random(n) < np.where(is_pv, cfg.male_share_partner, cfg.male_share_other)
    country = categorical(rng, cfg.country_probs, n)
    other_country = rng.integers(0, len(OTHER_COUNTRIES), n).astype(np.int16)
    bsn = rng.random(n) < cfg.bsn_share
    arrondissement = rng.integers(0, len(ARRONDISSEMENTS), n).astype(np.int16)

    # the episode: uniform from EPISODE_LEAD years before year_min to year_max
    t_episode = rng.uniform(cfg.year_min - EPISODE_LEAD, cfg.year_max + 1.0, n)

    # domestic offenders: age at episode >= 18, shifted gamma with the configured moments
    excess_mean = cfg.pv_age_mean - 18.0
    shape = (excess_mean / cfg.pv_age_sd) ** 2
    age_dom = 18.0 + rng.gamma(shape, excess_mean / shape, n)
    if np.any(ptype == PT_FAMILY):  # family offenders: a little younger on average
        age_dom = np.where(ptype == PT_FAMILY, age_dom - 3.0 * rng.random(n), age_dom)
    a, b = cfg.first_case_beta
    pos = rng.beta(a, b, n)  # position of the first case between MIN_AGE and the episode
    first_dom = MIN_AGE + (age_dom - MIN_AGE) * pos
    no_prior = rng.random(n) < cfg.no_prior_share
    gap_dom = np.where(no_prior, 0.0, age_dom - first_dom)

    # ordinary offenders: first case, then a career (or none) ending in the "episode"
    first_gen = MIN_AGE + gamma_mean(rng, cfg.general_first_age_mean - MIN_AGE, 2.0, n)
    one_off = rng.random(n) < cfg.general_one_off_share
    gap_gen = np.where(one_off, 0.0, rng.exponential(cfg.general_career_mean, n))

    age_episode = np.where(is_dom, age_dom, first_gen + gap_gen)
    gap = np.where(is_dom, gap_dom, gap_gen)
    rate_pre = gamma_mean(rng, cfg.prior_rate_mean, cfg.prior_rate_shape, n)
    rate_post = np.where(
        is_dom, gamma_mean(rng, cfg.post_rate_mean, cfg.post_rate_shape, n), 0.0
    )
    return Persons(
        ptype=ptype,
        male=male,
        country=country,
        other_country=other_country,
        bsn=bsn,
        arrondissement=arrondissement,
        t_episode=t_episode,
        age_episode=age_episode,
        gap=gap,
        rate_pre=rate_pre,
        rate_post=rate_post,
    )
