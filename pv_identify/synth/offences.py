"""Offences within cases: offence types, the victim relationship and art. 304 Sr.

A domestic case has a main offence whose type follows the partner-violence type mix
(seed 001 Table 3.1), plus optional, *less severe* related offences (threat, property
damage, a restraining-order or huisverbod violation, a repeat of the main offence) and
an optional unrelated offence (weapons, drugs). A non-domestic case has a main offence
and a Poisson number of extra offences of its kind. Offences are laid out in a
``(cases, 6)`` matrix and flattened, so no per-row Python runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pv_identify.synth.careers import Cases
from pv_identify.synth.config import SynthConfig
from pv_identify.synth.sampling import categorical_rows
from pv_identify.synth.vocab import (
    CATEGORY_TYPES,
    K_BUSINESS,
    K_OFFICIAL,
    K_OTHER_FAMILY,
    K_PROPERTY,
    K_VIOLENCE,
    KIND_RELATIONSHIP,
    KIND_TYPES,
    N_KINDS,
    N_TYPES,
    OFFENCE_TYPES,
    PV_CATEGORY_SEVERITY,
    REL_NONE,
    T,
)

#: art. 304 codes: none, sub 1 (family), sub 2 (official).
A304_NONE, A304_SUB1, A304_SUB2 = 0, 1, 2
MAX_OFFENCES = 6

_CATEGORY = np.array([t.category for t in OFFENCE_TYPES], dtype=np.int16)
_ASSAULT = np.array([t.assault for t in OFFENCE_TYPES])
_N_QUALS = np.array([len(t.quals) for t in OFFENCE_TYPES], dtype=np.int16)


@dataclass
class Offences:
    """Arrays describing the offences of one block, in case order."""

    case: np.ndarray  #: case index within the block
    nr: np.ndarray  #: feit_nr (1-based)
    otype: np.ndarray  #: offence type code (index into ``OFFENCE_TYPES``)
    rel: np.ndarray  #: relationship code (index into ``RELATIONSHIPS``)
    art304: np.ndarray  #: ``A304_*``
    repeated: np.ndarray  #: bool, "meermalen gepleegd"
    complicity: np.ndarray  #: bool, "medeplegen"
    zakenpartner: np.ndarray  #: bool, the court names the business partner
    qual_variant: np.ndarray  #: which of the type's qualification wordings
    date_shift: np.ndarray  #: days the offence date lies before the case's offence date

    @property
    def n(self) -> int:
        """Number of offences."""
        return len(self.case)


def _type_table(entries: tuple[tuple[str, float], ...]) -> np.ndarray:
    row = np.zeros(N_TYPES)
    for code, prob in entries:
        row[T[code]] = prob
    return row


_CATEGORY_TABLE = np.vstack([_type_table(e) for e in CATEGORY_TYPES])
_KIND_TABLE = np.vstack([
    _type_table(KIND_TYPES[k]) if k in KIND_TYPES else _type_table((("MISH", 1.0),))
    for k in range(N_KINDS)
])


def draw_offences(rng: np.random.Generator, cfg: SynthConfig, c: Cases) -> Offences:
    """Draw the offences of all cases of a block.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream of the block.
    cfg : SynthConfig
        Parameters.
    c : Cases
        The block's cases.

    Returns
    -------
    Offences
        Offences ordered by case, then feit_nr.
    """
    n = c.n
    kind = c.kind.astype(np.int64)
    domestic = kind <= K_OTHER_FAMILY
    cat_table = np.vstack([
        cfg.partner_type_probs, cfg.ex_partner_type_probs, cfg.family_type_probs,
        cfg.family_type_probs, cfg.family_type_probs,
    ])
    category = categorical_rows(rng, cat_table, np.minimum(kind, K_OTHER_FAMILY))
    main_dom = categorical_rows(rng, _CATEGORY_TABLE, category)
    main_gen = categorical_rows(rng, _KIND_TABLE, kind)
    main = np.where(domestic, main_dom, main_gen)
    sev = np.asarray(PV_CATEGORY_SEVERITY)[category]

    types = np.full((n, MAX_OFFENCES), -1, dtype=np.int16)
    types[:, 0] = main
    u = rng.random((n, 5))
    # domestic extras, only less severe than the main offence (a repeat is the same type)
    types[:, 1] = np.where(domestic & (u[:, 0] < cfg.extra_repeat), main, -1)
    types[:, 2] = np.where(domestic & (sev > 3) & (u[:, 1] < cfg.extra_threat),
                           T["BEDREIGING"], -1)
    types[:, 3] = np.where(domestic & (sev > 1) & (u[:, 2] < cfg.extra_damage),
                           T["VERNIELING"], -1)
    order_type = categorical_rows(rng, _CATEGORY_TABLE, np.full(n, 6))
    types[:, 4] = np.where(domestic & (sev > 0) & (u[:, 3] < cfg.extra_order), order_type, -1)
    unrelated = np.where(rng.random(n) < 0.5, T["WWM"], T["OPIUM_SOFT"])
    types[:, 5] = np.where(domestic & (u[:, 4] < cfg.extra_unrelated), unrelated, -1)
    # non-domestic extras: same kind
    n_extra = np.minimum(rng.poisson(cfg.extra_general_mean, n), 3)
    for j in range(1, 4):
        extra = categorical_rows(rng, _KIND_TABLE, kind)
        types[:, j] = np.where(~domestic & (n_extra >= j), extra, types[:, j])

    rel_case = np.asarray(KIND_RELATIONSHIP, dtype=np.int16)[kind]
    rels = np.repeat(rel_case[:, None], MAX_OFFENCES, axis=1)
    rels[:, 5] = REL_NONE

    mask = types >= 0
    case_idx = np.repeat(np.arange(n, dtype=np.int64), MAX_OFFENCES).reshape(n, -1)[mask]
    nr = np.cumsum(mask, axis=1)[mask].astype(np.int16)
    otype = types[mask].astype(np.int16)
    rel = rels[mask].astype(np.int16)
    m = len(otype)
    okind = kind[case_idx]

    # art. 304: sub 1 on assaults against current partner, child, parent; sub 2 on officials
    p304 = np.select([rel == 0, rel == 2, rel == 3],
                     [cfg.art304_partner, cfg.art304_child, cfg.art304_parent], 0.0)
    p304 = np.where(_ASSAULT[otype] & (okind == K_OFFICIAL), cfg.art304_official, p304)
    p304 = np.where(_ASSAULT[otype], p304, 0.0)
    has304 = rng.random(m) < p304
    art304 = np.where(has304, np.where(okind == K_OFFICIAL, A304_SUB2, A304_SUB1), A304_NONE)

    repeated = rng.random(m) < cfg.repeated_share
    complicity = np.isin(okind, (K_VIOLENCE, K_PROPERTY)) & (rng.random(m) < cfg.complicity_share)
    zakenpartner = (okind == K_BUSINESS) & (rng.random(m) < cfg.zakenpartner_share)
    uq = rng.random(m)
    nq = _N_QUALS[otype]
    qual_variant = np.where(
        (nq == 1) | (uq < 0.6), 0, 1 + np.floor((uq - 0.6) / 0.4 * (nq - 1))
    ).astype(np.int16)
    qual_variant = np.minimum(qual_variant, nq - 1)
    shifted = (nr > 1) & (rng.random(m) < 0.3)
    date_shift = np.where(shifted, rng.integers(1, 61, m), 0).astype(np.int32)
    return Offences(
        case=case_idx,
        nr=nr,
        otype=otype,
        rel=rel,
        art304=art304.astype(np.int8),
        repeated=repeated,
        complicity=complicity,
        zakenpartner=zakenpartner,
        qual_variant=qual_variant,
        date_shift=date_shift,
    )
