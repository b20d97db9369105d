"""Criminal careers: the cases of each person, their registration times and kinds.

Each person has (1) a first case and a Poisson stream of earlier cases before the
episode, (2) for domestic offenders a few earlier domestic cases, (3) the episode case
and (4) for domestic offenders a Poisson stream of later cases (recidivism). All counts
are drawn at once and expanded with :func:`numpy.repeat`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pv_identify.synth.config import SynthConfig
from pv_identify.synth.persons import Persons
from pv_identify.synth.sampling import categorical, segment_starts
from pv_identify.synth.vocab import (
    GENERAL_KINDS,
    K_CHILD,
    K_EX_PARTNER,
    K_OFFICIAL,
    K_PARTNER,
    K_VIOLENCE,
    PT_FAMILY,
    PT_GENERAL,
    PT_PARTNER,
)

ROLE_PRIOR: int = 0  #: first case or other earlier case
ROLE_PRIOR_DOMESTIC: int = 1  #: earlier domestic case of a domestic offender
ROLE_EPISODE: int = 2  #: the episode case
ROLE_POST: int = 3  #: later case (recidivism)

#: Caps that keep every person below 64 cases (used by the case pseudonyms).
MAX_PRIOR, MAX_PRIOR_DOMESTIC, MAX_POST = 40, 5, 15


@dataclass
class Cases:
    """Arrays describing the cases of one block, sorted by person and time."""

    person: np.ndarray  #: person index within the block
    t: np.ndarray  #: registration time (fractional calendar year)
    kind: np.ndarray  #: case kind (vocab ``K_*``)
    role: np.ndarray  #: ``ROLE_*``
    rank: np.ndarray  #: 0-based number of the case within the person's career

    @property
    def n(self) -> int:
        """Number of cases."""
        return len(self.person)


def _general_kinds(rng: np.random.Generator, cfg: SynthConfig, n: int) -> np.ndarray:
    return np.asarray(GENERAL_KINDS, dtype=np.int16)[categorical(rng, cfg.general_kind_probs, n)]


def _domestic_kinds(
    rng: np.random.Generator, cfg: SynthConfig, ptype: np.ndarray
) -> np.ndarray:
    n = len(ptype)
    pv = categorical(rng, cfg.prior_dv_kind_probs, n)  # partner .. other family
    fam = categorical(rng, cfg.family_kind_probs, n) + K_CHILD
    return np.where(ptype == PT_PARTNER, pv, fam).astype(np.int16)


def draw_cases(rng: np.random.Generator, cfg: SynthConfig, p: Persons) -> Cases:
    """Draw the cases of all persons of a block.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream of the block.
    cfg : SynthConfig
        Parameters.
    p : Persons
        The block's persons.

    Returns
    -------
    Cases
        Cases sorted by person, then registration time.
    """
    n = p.n
    idx = np.arange(n, dtype=np.int32)
    is_dom = p.ptype != PT_GENERAL
    has_prior = p.gap > 0
    n_first = has_prior.astype(np.int64)
    n_prior = np.minimum(rng.poisson(p.rate_pre * p.gap), MAX_PRIOR - 1) * has_prior
    n_prior_dom = np.where(
        is_dom & has_prior, np.minimum(rng.poisson(cfg.prior_dv_mean, n), MAX_PRIOR_DOMESTIC), 0
    )
    horizon = np.clip(cfg.year_max + 1.0 - p.t_episode, 0.0, None)
    n_post = np.minimum(rng.poisson(p.rate_post * horizon), MAX_POST)

    # times
    t_first = np.repeat(p.t_episode - p.gap, n_first)
    pr = np.repeat(idx, n_prior)
    t_prior = p.t_episode[pr] - p.gap[pr] * rng.random(len(pr))
    pd_ = np.repeat(idx, n_prior_dom)
    adult_span = np.minimum(p.gap[pd_], np.clip(p.age_episode[pd_] - 18.0, 0.0, None))
    t_prior_dom = p.t_episode[pd_] - adult_span * rng.random(len(pd_))
    po = np.repeat(idx, n_post)
    t_post = p.t_episode[po] + horizon[po] * rng.random(len(po))

    # kinds
    k_first = _general_kinds(rng, cfg, len(t_first))
    k_prior = _general_kinds(rng, cfg, len(pr))
    k_prior_dom = _domestic_kinds(rng, cfg, p.ptype[pd_])
    ep_general = _general_kinds(rng, cfg, n)
    ep_partner = np.where(rng.random(n) < cfg.ex_partner_share, K_EX_PARTNER, K_PARTNER)
    ep_family = categorical(rng, cfg.family_kind_probs, n) + K_CHILD
    k_episode = np.select(
        [p.ptype == PT_PARTNER, p.ptype == PT_FAMILY], [ep_partner, ep_family], ep_general
    ).astype(np.int16)
    u = rng.random(len(po))
    post_violence = np.where(rng.random(len(po)) < 0.8, K_VIOLENCE, K_OFFICIAL)
    k_post = np.select(
        [u < cfg.post_domestic_share, u < cfg.post_domestic_share + cfg.post_violence_share],
        [_domestic_kinds(rng, cfg, p.ptype[po]), post_violence],
        _general_kinds(rng, cfg, len(po)),
    ).astype(np.int16)

    person = np.concatenate([idx[has_prior], pr, pd_, idx, po])
    t = np.concatenate([t_first, t_prior, t_prior_dom, p.t_episode, t_post])
    kind = np.concatenate([k_first, k_prior, k_prior_dom, k_episode, k_post])
    role = np.concatenate([
        np.full(len(t_first) + len(pr), ROLE_PRIOR, np.int8),
        np.full(len(pd_), ROLE_PRIOR_DOMESTIC, np.int8),
        np.full(n, ROLE_EPISODE, np.int8),
        np.full(len(po), ROLE_POST, np.int8),
    ])
    order = np.lexsort((t, person))
    person, t, kind, role = person[order], t[order], kind[order], role[order]
    rank = (np.arange(len(person)) - segment_starts(person)).astype(np.int16)
    return Cases(person=person, t=t, kind=kind, role=role, rank=rank)
