"""Assemble persons, careers, offences and texts into extract rows, block by block.

Persons are generated in blocks of ``SynthConfig.block_persons``; block ``b`` draws
from its own random stream ``SeedSequence(seed, spawn_key=(b,))``, so blocks are
independent and a whole career always lies in one block. The extract has exactly
``n_rows`` rows: blocks are appended in order and the last one is cut at the row
limit, which may truncate the career (and the last case) of the final person.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.schema import DEFAULT_COLUMNS, TRUTH_COLUMN
from pv_identify.synth.careers import draw_cases
from pv_identify.synth.config import SynthConfig
from pv_identify.synth.disposals import (
    court_convictions,
    draw_decisions,
    draw_outcomes,
)
from pv_identify.synth.ids import case_ids, person_ids
from pv_identify.synth.noise import draw_text_noise
from pv_identify.synth.offences import A304_NONE, A304_SUB1, draw_offences
from pv_identify.synth.persons import draw_persons
from pv_identify.synth.registration import draw_mcs
from pv_identify.synth.sampling import categorical, year_of_days, years_to_days
from pv_identify.synth.text import (
    A304_BARE,
    TERM_CHILD_FIRST,
    TERM_PARENT_FIRST,
    TERM_PARTNER_FIRST,
    TERMS,
    render_articles,
    render_mcs,
    render_qualifications,
)
from pv_identify.synth.vocab import (
    COUNTRIES,
    D_PENDING,
    DECISIONS,
    DISPOSALS,
    K_OFFICIAL,
    OTHER_COUNTRIES,
    RELATIONSHIPS,
    SEXES,
    T,
)

#: Output column order: the schema's default columns, then the hidden truth.
COLUMNS: tuple[str, ...] = (*DEFAULT_COLUMNS.values(), TRUTH_COLUMN)
#: Give up when this many consecutive blocks produce no row (bad configuration).
MAX_EMPTY_BLOCKS = 50

#: Written after the main disposal when a case also has a conditional prison sentence
#: (``SynthConfig.pv_conditional_part_rates``); ``rules/cohort/disposals.yaml`` splits on ";".
CONDITIONAL_PART_SUFFIX = "; voorwaardelijke vrijheidsstraf"

_C = DEFAULT_COLUMNS
_TERM_ECHTGENOTE = TERMS.index("{p} echtgenote")
_TERM_LEVENSGEZELLIN = TERMS.index("{p} levensgezellin")


class SynthError(PvIdentifyError, ValueError):
    """Invalid request to the synthetic-extract generator."""


def _str_array(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="str")


def _dates(days: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    out = days.astype("datetime64[D]").astype("datetime64[s]")
    if valid is not None:
        out[~valid] = np.datetime64("NaT")
    return out


def generate_block(block: int, seed: int, cfg: SynthConfig) -> pd.DataFrame:
    """Generate all extract rows of one block of persons.

    Parameters
    ----------
    block : int
        Block number (0, 1, ...); selects the random stream and the person numbers.
    seed : int
        Generator seed.
    cfg : SynthConfig
        Parameters.

    Returns
    -------
    pandas.DataFrame
        The block's rows (columns :data:`COLUMNS`), ordered by person, case
        registration and feit_nr.
    """
    rng = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(block,)))
    p = draw_persons(rng, cfg, cfg.block_persons)
    c = draw_cases(rng, cfg, p)
    # profile-only draws (conditional parts) use a child stream: the default data never move
    extra_rng = (np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(block, 1)))
                 if any(cfg.pv_conditional_part_rates) else None)
    out = draw_outcomes(rng, cfg, c, extra_rng)
    o = draw_offences(rng, cfg, c)
    ci = o.case
    disposal = out.disposal[ci]
    decision = draw_decisions(rng, cfg, o, disposal)
    reg_day = out.registration_day[ci]
    person = c.person[ci]
    okind = c.kind[ci]
    female = ~p.male[person]
    m = o.n

    # text components (drawn for every offence, so filtering never shifts the streams)
    style = categorical(rng, cfg.article_style_probs, m)
    a304 = o.art304.astype(np.int8)
    bare = (a304 != A304_NONE) & (rng.random(m) < cfg.art304_bare)
    a304_text = np.where(bare, A304_BARE, a304)
    with_255 = (o.rel == 2) & (a304 == A304_SUB1) & (o.otype == T["MISH"]) & (
        rng.random(m) < 0.5
    )
    u_case = rng.random(m)
    art_noise = np.where(u_case < cfg.article_noise_case,
                         np.where(u_case < cfg.article_noise_case / 2, 1, 2), 0)
    names = (a304 == A304_SUB1) & (rng.random(m) < cfg.qual_names_relation)
    term_partner = TERM_PARTNER_FIRST + categorical(rng, cfg.partner_term_probs, m)
    term_partner = np.where(
        female & (term_partner == _TERM_ECHTGENOTE), TERM_PARTNER_FIRST + 1,
        np.where(female & (term_partner == _TERM_LEVENSGEZELLIN), TERM_PARTNER_FIRST,
                 term_partner),
    )
    term_child = TERM_CHILD_FIRST + categorical(rng, (0.75, 0.10, 0.15), m)
    term_parent = TERM_PARENT_FIRST + categorical(rng, (0.6, 0.4), m)
    term = np.select([o.rel == 0, o.rel == 2, o.rel == 3],
                     [term_partner, term_child, term_parent], 0)
    term = np.where(names, term, 0)
    official = (okind == K_OFFICIAL) & (a304 != A304_NONE)
    qnoise = draw_text_noise(rng, cfg, m)
    u_mc = rng.random(m)
    mc_noise = np.where(u_mc < cfg.mc_noise_case,
                        np.where(u_mc < cfg.mc_noise_case * 0.8, 1, 2), 0)
    mc1, mc2 = draw_mcs(rng, cfg, o.otype, o.rel, reg_day)

    # the emitted window
    year = year_of_days(reg_day)
    first_year = cfg.history_year_min if cfg.emit_history else cfg.year_min
    keep = np.flatnonzero((year >= first_year) & (year <= cfg.year_max))
    if len(keep) == 0:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in COLUMNS})

    def k(a: np.ndarray) -> np.ndarray:
        return a[keep]

    ci_k, person_k = k(ci), k(person)
    disp_k, dec_k = k(disposal), k(decision)
    has_qual = np.isin(disp_k, court_convictions()) & (dec_k == 0)
    qual = np.full(len(keep), None, dtype=object)
    if has_qual.any():
        sel = keep[has_qual]
        qual[has_qual] = render_qualifications(
            o.otype[sel], o.qual_variant[sel], term[sel], female[sel], o.repeated[sel],
            o.complicity[sel], official[sel], o.zakenpartner[sel], qnoise[sel],
        )
    articles = render_articles(k(o.otype), k(style), k(a304_text), k(o.complicity),
                               k(with_255), k(art_noise))
    mcs = render_mcs(k(mc1), k(mc2), k(mc_noise))

    global_person = block * cfg.block_persons + person_k
    pending = disp_k == D_PENDING
    disposal_names = np.asarray(DISPOSALS, dtype=object)[np.where(pending, 0, disp_k)]
    disposal_names[pending] = None
    both = out.conditional_part[ci_k]
    if both.any():
        disposal_names[both] = disposal_names[both] + CONDITIONAL_PART_SUFFIX
    country = np.asarray((*COUNTRIES, ""), dtype=object)[p.country[person_k]]
    other = p.country[person_k] == len(COUNTRIES)
    country[other] = np.asarray(OTHER_COUNTRIES, dtype=object)[p.other_country[person_k][other]]
    case_person = c.person[ci_k]
    data = {
        _C["person_id"]: _str_array(person_ids(global_person, seed)),
        _C["case_id"]: _str_array(case_ids(
            global_person, c.rank[ci_k], p.arrondissement[case_person], k(year), seed)),
        _C["offence_nr"]: o.nr[keep].astype(np.int16),
        _C["article"]: _str_array(articles),
        _C["mc"]: _str_array(mcs),
        _C["qualification"]: _str_array(qual),
        _C["offence_date"]: _dates(out.offence_day[ci_k] - o.date_shift[keep]),
        _C["registration_date"]: _dates(k(reg_day)),
        _C["disposal_date"]: _dates(out.disposal_day[ci_k], ~pending),
        _C["disposal"]: _str_array(disposal_names),
        _C["decision"]: _str_array(np.asarray(DECISIONS, dtype=object)[dec_k]),
        _C["custodial_days"]: out.custodial_days[ci_k].astype(np.int32),
        _C["sex"]: _str_array(np.asarray(SEXES, dtype=object)[female[keep].astype(np.int8)]),
        _C["birth_date"]: _dates(years_to_days(p.t_birth[person_k])),
        _C["country_of_birth"]: _str_array(country),
        _C["bsn_present"]: p.bsn[person_k],
        TRUTH_COLUMN: _str_array(np.asarray(RELATIONSHIPS, dtype=object)[o.rel[keep]]),
    }
    return pd.DataFrame(data, columns=list(COLUMNS))


def _check(n_rows: int, seed: int, cfg: SynthConfig | None) -> SynthConfig:
    if isinstance(n_rows, bool) or not isinstance(n_rows, (int, np.integer)) or n_rows < 0:
        raise SynthError(f"n_rows must be a non-negative integer, got {n_rows!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SynthError(f"seed must be a non-negative integer, got {seed!r}")
    if cfg is not None and not isinstance(cfg, SynthConfig):
        raise SynthError("config must be a SynthConfig")
    return cfg or SynthConfig()


def iter_chunks(
    n_rows: int,
    seed: int = 0,
    config: SynthConfig | None = None,
    chunk_rows: int | None = None,
) -> Iterator[pd.DataFrame]:
    """Generate an extract of exactly ``n_rows`` rows as a stream of DataFrames.

    Parameters
    ----------
    n_rows : int
        Total number of offence rows.
    seed : int, default 0
        Seed; the same seed and config always give the same rows.
    config : SynthConfig, optional
        Parameters; defaults to ``SynthConfig()``.
    chunk_rows : int, optional
        Yield frames of at least this many rows (whole blocks are combined; the final
        frame may be smaller). By default one frame per block of persons. Chunking never
        changes the data: concatenating the chunks gives :func:`generate`'s frame.

    Yields
    ------
    pandas.DataFrame
        Consecutive rows, with a RangeIndex continuing across chunks. All rows of a
        person are in the same chunk.

    Raises
    ------
    SynthError
        On invalid arguments, or when the configuration produces no rows.
    """
    cfg = _check(n_rows, seed, config)
    if chunk_rows is not None and (not isinstance(chunk_rows, int) or chunk_rows < 1):
        raise SynthError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")
    done = 0
    block = 0
    empty = 0
    pending: list[pd.DataFrame] = []
    pending_rows = 0
    while done + pending_rows < n_rows:
        frame = generate_block(block, seed, cfg)
        block += 1
        if len(frame) == 0:
            empty += 1
            if empty >= MAX_EMPTY_BLOCKS:
                raise SynthError("the configuration produces no rows in the registration "
                                 "window; check year_min/year_max and the shares")
            continue
        empty = 0
        remaining = n_rows - done - pending_rows
        if len(frame) > remaining:
            frame = frame.iloc[:remaining]
        pending.append(frame)
        pending_rows += len(frame)
        if chunk_rows is None or pending_rows >= chunk_rows or done + pending_rows >= n_rows:
            out = pending[0] if len(pending) == 1 else pd.concat(pending, ignore_index=True)
            out.index = pd.RangeIndex(done, done + len(out))
            done += len(out)
            pending, pending_rows = [], 0
            yield out
    if n_rows == 0:
        yield generate_block(0, seed, cfg).iloc[:0].reset_index(drop=True)


def generate(n_rows: int, seed: int = 0, config: SynthConfig | None = None) -> pd.DataFrame:
    """Generate a synthetic OBJD-style extract with exactly ``n_rows`` offence rows.

    Parameters
    ----------
    n_rows : int
        Number of offence rows.
    seed : int, default 0
        Seed; the same seed and config always give the same frame.
    config : SynthConfig, optional
        Parameters; defaults to ``SynthConfig()``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS` (the schema's default columns plus the hidden
        ``true_relationship``), ordered by person, case registration date and feit_nr.

    Examples
    --------
    >>> from pv_identify.synth import generate
    >>> df = generate(1000, seed=1)
    >>> len(df)
    1000
    """
    chunks = list(iter_chunks(n_rows, seed, config))
    if len(chunks) == 1:
        return chunks[0]
    return pd.concat(chunks, ignore_index=True)
