"""Features of the relationship model, computed on distinct values and combinations.

Registers repeat themselves: a million offences hold a few thousand distinct
qualifications, a few hundred article notations and MC cells. Every step here
therefore works on *distinct* values and maps the result back with integer codes;
context across the case and the person is built with vectorised ``groupby``.

What one offence is described by (all available in a real extract):

Which words and MC names count as a partner, family or domestic-violence signal is read
from the **compiled rule set** (:func:`rule_signals`), never hard-coded here: adding a
term to ``rules/terms/partner.txt`` changes the ``partner_term`` feature of an offence
that has it. Only offence types that are not relationship knowledge (stalking and
restraining-order words, article numbers of assault, threat, damage, homicide) are
listed in this module.

* ``qualification`` -- the court's qualification, normalised (case, diacritics,
  punctuation; no abbreviation expansion, so the character n-grams of the estimator
  see ``mish.``, ``levensgezelin`` and ``echtgen.`` as they are). Empty for prosecutor
  disposals.
* ``tokens`` -- a bag of readable codes:

  - ``mc:<name>`` for each MC (``mc:_none`` if empty);
  - ``art:<law>:<article>`` and ``art:<law>:<article.sub...>`` for each parsed article
    (``art:_none`` if empty);
  - ``own:<signal>`` -- signals of the offence itself (see :data:`SIGNALS`);
  - ``case:<signal>`` -- a signal is present in *another* offence of the same case
    (belaging + bedreiging + vernieling, restraining-order violations, a partner MC
    on a sibling offence), and ``case:multi`` for cases with several offences;
  - ``hist:<signal>`` -- a domestic signal (partner/HG/family MC, partner or family
    term, 304 sub 1, stalking, restraining order) occurred in an *earlier* case of the
    same person (registration date strictly before this case's; never later cases), plus
    ``hist:any`` and ``hist:many`` (3 or more earlier cases);
  - ``x:<a>&<b>`` -- a few conjunctions a linear model cannot form by itself (a
    partner MC with a plain or empty qualification, a stalking or assault offence of
    a person with an earlier partner-violence case, ...): the structure behind
    ex-partner violence, which never names "ex" in a qualification;
  - ``year:<yyyy>`` (registration year: MC practice drifts) and ``disp:<kind>``
    (court, prosecutor, pending).

The offender's sex, age and country of birth are deliberately **not** used.

:func:`build_features` returns a :class:`FeatureSet`: one row per distinct
combination of all these inputs (the estimator's input) and, per offence, the index
of its combination.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
import regex

from pv_identify.combine import decide
from pv_identify.io.mapping import ColumnMapping
from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.dates import parse_dates
from pv_identify.normalize.distinct import factorize_text
from pv_identify.normalize.text import normalize_text
from pv_identify.rules.apply import mc_cells
from pv_identify.rules.compiler import CompiledRules, compile_rules
from pv_identify.rules.loader import load_rules
from pv_identify.schema import (
    CHILD,
    DOMESTIC_UNSPECIFIED,
    NONE,
    OTHER_FAMILY,
    PARENT,
    PARTNER_LABELS,
)

#: Offence-level signals used for the case and person context, in bit order.
SIGNALS: Final[tuple[str, ...]] = (
    "partner_mc",     # MC 'huiselijk geweld partnermishandeling' (current and ex)
    "hg_mc",          # generic MC 'huiselijk geweld'
    "family_mc",      # child / parent / other HG MC
    "partner_term",   # qualification names a (current) partner
    "family_term",    # qualification names a family member
    "art304_1",       # art. 304 sub 1 Sr
    "assault",        # 300-303 Sr
    "threat",         # 285 Sr
    "stalking",       # 285b Sr, 'belaging', MC stalking
    "damage",         # 350 Sr
    "order",          # restraining order / huisverbod / gebiedsverbod violation
    "homicide",       # 287-289 Sr
    "court",          # the offence has a qualification (decided by a court)
)
_BIT: Final[dict[str, int]] = {name: 1 << i for i, name in enumerate(SIGNALS)}

#: Signals that mark a partner-violence case in a person's history.
_PV_HISTORY = _BIT["partner_mc"] | _BIT["partner_term"]
#: Signals that mark any domestic case in a person's history.
#: Signals kept for a person's history (the others would only multiply combinations).
_HISTORY_KEEP = (_BIT["partner_mc"] | _BIT["hg_mc"] | _BIT["family_mc"] | _BIT["partner_term"]
                 | _BIT["family_term"] | _BIT["art304_1"] | _BIT["stalking"] | _BIT["order"])
_DV_HISTORY = (_BIT["partner_mc"] | _BIT["hg_mc"] | _BIT["family_mc"] | _BIT["partner_term"]
               | _BIT["family_term"] | _BIT["art304_1"])

_STALK_TERM = regex.compile(r"\b(?:belaging|stalking|belaagd\w*)\b")
_ORDER_TERM = regex.compile(r"\b(?:huisverbod|gebiedsverbod|contactverbod|straatverbod)\b")
#: MC names that mark stalking (an offence type, not a relationship).
_MC_STALKING = frozenset({"stalking"})
_ORDER_LAWS = ("wth", "wet tijdelijk huisverbod", "huisverbod")

_PROSECUTOR = frozenset({"transactie", "strafbeschikking", "voorwaardelijk beleidssepot",
                         "onvoorwaardelijk beleidssepot", "technisch sepot", "overig"})

#: Columns of :attr:`FeatureSet.table`, the estimator's input.
FEATURE_COLUMNS: Final[tuple[str, str]] = ("qualification", "tokens")


@dataclass(frozen=True)
class FeatureSet:
    """Features of an extract, one row per distinct combination.

    Parameters
    ----------
    table : pandas.DataFrame
        Distinct feature combinations with the columns of :data:`FEATURE_COLUMNS`.
    codes : numpy.ndarray of int64
        Offence (row of the extract) -> row of ``table``.
    """

    table: pd.DataFrame
    codes: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        """Number of offences per row of :attr:`table`."""
        return np.bincount(self.codes, minlength=len(self.table))


# --- per distinct value ---------------------------------------------------------------


_FAMILY_LABELS = frozenset({CHILD, PARENT, OTHER_FAMILY})


def _label_bits(labels: Iterable[str], partner: str, family: str, other: str | None) -> int:
    bits = 0
    for label in labels:
        if label in PARTNER_LABELS:
            bits |= _BIT[partner]
        elif label in _FAMILY_LABELS:
            bits |= _BIT[family]
        elif label == DOMESTIC_UNSPECIFIED and other:
            bits |= _BIT[other]
    return bits


def _qual_info(text: str, compiled: CompiledRules) -> tuple[str, int]:
    norm = normalize_text(text)
    bits = 0
    if norm:
        bits |= _BIT["court"]
        hits = compiled.match_qualification(compiled.normalize_qualification(text))
        if hits:
            decision = decide(hits, compiled)
            bits |= _label_bits((compiled.rules[h.rule].label for h in decision.hits),
                                "partner_term", "family_term", None)
        if _STALK_TERM.search(norm):
            bits |= _BIT["stalking"]
        if _ORDER_TERM.search(norm):
            bits |= _BIT["order"]
    return norm, bits


def _mc_info(text: str, compiled: CompiledRules) -> tuple[str, int]:
    names = compiled.split_mc(text)
    bits = _label_bits((compiled.rules[h.rule].label for h in compiled.match_mc(names)),
                       "partner_mc", "family_mc", "hg_mc")
    if any(name in _MC_STALKING for name in names):
        bits |= _BIT["stalking"]
    tokens = " ".join("mc:" + n.replace(" ", "_") for n in names) or "mc:_none"
    return tokens, bits


def _art_info(text: str, compiled: CompiledRules) -> tuple[str, int]:
    refs = parse_articles(text)
    bits = 0
    if any(compiled.rules[h.rule].label != NONE for h in compiled.match_articles(refs)):
        bits |= _BIT["art304_1"]
    tokens: list[str] = []
    for ref in refs:
        law = ref.law.lower()
        base = ref.path[0] if ref.path else ""
        full = str(ref)
        for tok in (f"art:{ref.law}:{base}", f"art:{full}"):
            if tok not in tokens:
                tokens.append(tok)
        if ref.law != "Sr":
            if any(k in law for k in _ORDER_LAWS):
                bits |= _BIT["order"]
            continue
        num = base.rstrip("abcdefghijklmnopqrstuvwxyz")
        if base in ("300", "301", "302", "303"):
            bits |= _BIT["assault"]
        elif base == "285":
            bits |= _BIT["threat"]
        elif base == "285b":
            bits |= _BIT["stalking"]
        elif base == "350":
            bits |= _BIT["damage"]
        elif base in ("184a",):
            bits |= _BIT["order"]
        elif num in ("287", "288", "289"):
            bits |= _BIT["homicide"]
    return " ".join(tokens) or "art:_none", bits


#: Default bound on the distinct values a :class:`ValueCache` keeps per field.
DEFAULT_VALUE_ENTRIES = 200_000


class ValueCache:
    """Results of the per-value feature functions, kept across chunks (bounded).

    A register repeats a few thousand qualifications, MC cells, article notations and
    disposals millions of times; this cache computes each once per run instead of once
    per chunk. It belongs to one compiled rule set (a different one empties it).

    Parameters
    ----------
    max_entries : int, default DEFAULT_VALUE_ENTRIES
        Bound per field; a field's cache is emptied when it is reached.
    """

    def __init__(self, max_entries: int = DEFAULT_VALUE_ENTRIES) -> None:
        self.max_entries = int(max_entries)
        self._compiled: CompiledRules | None = None
        self._maps: dict[str, dict[str, tuple[str, int]]] = {}

    def field(self, name: str, compiled: CompiledRules) -> dict[str, tuple[str, int]]:
        """Return the value -> (string, bits) map of one field for ``compiled``."""
        if compiled is not self._compiled:
            self._compiled = compiled
            self._maps = {}
        known = self._maps.setdefault(name, {})
        if len(known) >= self.max_entries:
            known.clear()
        return known


def _distinct(values: pd.Series, func: Any, compiled: CompiledRules,
              cache: ValueCache | None = None, name: str = ""
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply ``func`` (-> (str, bits)) per distinct value: row codes, strings, bits."""
    codes, uniques = factorize_text(values)
    strings = np.empty(len(uniques), dtype=object)
    bits = np.zeros(len(uniques), dtype=np.int64)
    known = cache.field(name, compiled) if cache is not None else None
    for i, text in enumerate(uniques):
        if known is None:
            strings[i], bits[i] = func(text, compiled)
            continue
        hit = known.get(text)
        if hit is None:
            hit = known[text] = func(text, compiled)
        strings[i], bits[i] = hit
    return codes, strings, bits


def mask_tokens(prefix: str, mask: int) -> str:
    """Return the tokens ``prefix:signal`` of the signals set in ``mask`` (space-joined)."""
    return " ".join(f"{prefix}:{name}" for name in SIGNALS if mask & _BIT[name])


# --- context ------------------------------------------------------------------------


def _bit_matrix(bits: np.ndarray) -> np.ndarray:
    return ((bits[:, None] >> np.arange(len(SIGNALS))) & 1).astype(np.int32)


def _from_matrix(matrix: np.ndarray) -> np.ndarray:
    return ((matrix > 0).astype(np.int64) << np.arange(len(SIGNALS))).sum(axis=1)


def _case_context(own: np.ndarray, case: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Signals of the *other* offences of each offence's case, and case size > 1."""
    n = len(own)
    if case is None:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    matrix = _bit_matrix(own)
    totals = np.zeros((case.max() + 1 if n else 0, len(SIGNALS)), dtype=np.int32)
    np.add.at(totals, case, matrix)
    others = totals[case] - matrix
    size = np.bincount(case)[case]
    return _from_matrix(others), size > 1


def _history(own: np.ndarray, case: np.ndarray | None, person: np.ndarray | None,
             date: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Signals of each person's earlier cases (strictly earlier date); earlier-case count."""
    n = len(own)
    empty = (np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
    if case is None or person is None or date is None or n == 0:
        return empty
    frame = pd.DataFrame({"case": case, "person": person, "date": date})
    frame = pd.concat([frame, pd.DataFrame(_bit_matrix(own), columns=list(SIGNALS))], axis=1)
    cases = frame.groupby("case", sort=False).agg(
        {"person": "first", "date": "min", **dict.fromkeys(SIGNALS, "max")})
    cases["n"] = 1
    known = cases["date"].notna()
    per_day = cases[known].groupby(["person", "date"], sort=True)[[*SIGNALS, "n"]].sum()
    cumulative = per_day.groupby(level="person", sort=False).cumsum() - per_day
    earlier = cumulative.reindex(pd.MultiIndex.from_frame(cases.loc[known, ["person", "date"]]))
    earlier.index = cases.index[known]
    earlier = earlier.reindex(cases.index, fill_value=0)
    case_mask = _from_matrix(earlier[list(SIGNALS)].to_numpy())
    case_n = earlier["n"].to_numpy(dtype=np.int64)
    pos = cases.index.get_indexer(case)
    return case_mask[pos], case_n[pos]


def _disposal_info(text: str, compiled: CompiledRules) -> tuple[str, int]:
    t = text.strip().lower()
    return ("disp:pending" if not t else
            "disp:prosecutor" if t in _PROSECUTOR else "disp:court"), 0


def _disposal_kind(values: pd.Series, compiled: CompiledRules,
                   cache: ValueCache | None = None) -> tuple[np.ndarray, np.ndarray]:
    codes, kinds, _ = _distinct(values, _disposal_info, compiled, cache, "disposal")
    return codes, kinds


#: The case signals :func:`conjunctions` reads (it gives the same tokens for
#: ``case & CONJUNCTION_CASE_BITS``); keep in step with its tests of ``case``.
CONJUNCTION_CASE_BITS: Final[int] = (_BIT["partner_mc"] | _BIT["partner_term"] | _BIT["stalking"]
                                     | _BIT["order"] | _BIT["threat"])
#: The history signals :func:`conjunctions` reads (the same tokens for
#: ``hist & CONJUNCTION_HIST_BITS``).
CONJUNCTION_HIST_BITS: Final[int] = _PV_HISTORY | _DV_HISTORY


def conjunctions(own: int, case: int, hist: int, has_qual: bool) -> list[str]:
    """Return the conjunction tokens of the own, case and history signal masks.

    Only the bits :data:`CONJUNCTION_CASE_BITS` of ``case`` and
    :data:`CONJUNCTION_HIST_BITS` of ``hist`` are read.
    """
    out: list[str] = []
    b = _BIT
    pv_hist = bool(hist & _PV_HISTORY)
    dv_hist = bool(hist & _DV_HISTORY)
    if own & b["partner_mc"]:
        if not has_qual:
            out.append("x:partner_mc&no_qual")
        elif not own & b["partner_term"]:
            out.append("x:partner_mc&plain_qual")
        if pv_hist:
            out.append("x:partner_mc&hist_pv")
    if own & b["hg_mc"] and not own & (b["partner_term"] | b["family_term"]):
        out.append("x:hg_mc&no_term")
        if pv_hist:
            out.append("x:hg_mc&hist_pv")
    for sig in ("assault", "threat", "stalking", "damage", "order", "homicide"):
        if own & b[sig]:
            if pv_hist:
                out.append(f"x:{sig}&hist_pv")
            elif dv_hist:
                out.append(f"x:{sig}&hist_dv")
            if case & (b["partner_mc"] | b["partner_term"]):
                out.append(f"x:{sig}&case_pv")
            if case & (b["stalking"] | b["order"] | b["threat"]):
                out.append(f"x:{sig}&case_stalk")
    if (own & (b["partner_mc"] | b["hg_mc"])) and has_qual and not own & (
            b["partner_term"] | b["family_term"] | b["art304_1"]):
        out.append("x:dv_mc&no_304_no_term")
    return out


# --- public -------------------------------------------------------------------------


def default_compiled() -> CompiledRules:
    """Return the compiled ``default`` rule set (the features' rules when none is given)."""
    return compile_rules(load_rules("default"))


@dataclass(frozen=True)
class FeatureContext:
    """Case, person-history and year inputs of each offence (see the module docstring).

    Parameters
    ----------
    case_mask : numpy.ndarray of int64
        Signals present in *other* offences of the offence's case (bit mask).
    multi : numpy.ndarray of bool
        The case has more than one offence.
    hist_mask : numpy.ndarray of int64
        Domestic signals of the person's earlier cases (kept history bits only).
    hist_n : numpy.ndarray of int64
        Number of earlier cases, capped at 3.
    year : numpy.ndarray of int64
        Registration (else offence) year; -1 when unknown.
    """

    case_mask: np.ndarray
    multi: np.ndarray
    hist_mask: np.ndarray
    hist_n: np.ndarray
    year: np.ndarray

    def take(self, rows: np.ndarray) -> FeatureContext:
        """Return the context of ``rows`` (positions)."""
        return FeatureContext(self.case_mask[rows], self.multi[rows], self.hist_mask[rows],
                              self.hist_n[rows], self.year[rows])

    @classmethod
    def empty(cls, n: int) -> FeatureContext:
        """Context of ``n`` offences without case, person or date."""
        zeros = np.zeros(n, dtype=np.int64)
        return cls(zeros, np.zeros(n, dtype=bool), zeros, zeros, np.full(n, -1, dtype=np.int64))

    @classmethod
    def from_case_summary(cls, own: np.ndarray, case_or: np.ndarray, case_twice: np.ndarray,
                          case_size: np.ndarray, hist_mask: np.ndarray, hist_n: np.ndarray,
                          year: np.ndarray) -> FeatureContext:
        """Build the context from per-case summaries computed elsewhere (out of core).

        Parameters
        ----------
        own : numpy.ndarray of int64
            The offence's own signals.
        case_or, case_twice : numpy.ndarray of int64
            Signals present in at least one / at least two offences of the case.
        case_size : numpy.ndarray of int64
            Offences in the case.
        hist_mask, hist_n : numpy.ndarray of int64
            Signals and number of the person's cases with a strictly earlier date
            (uncapped, all signals).
        year : numpy.ndarray of int64
            Year per offence (-1 unknown).

        Returns
        -------
        FeatureContext
            Equal to what :func:`feature_context` computes on the whole extract: a
            signal is in another offence of the case when it occurs twice in the case,
            or once and not in this offence.
        """
        own = np.asarray(own, dtype=np.int64)
        case_mask = np.asarray(case_twice, dtype=np.int64) | (
            np.asarray(case_or, dtype=np.int64) & ~own)
        return cls(case_mask, np.asarray(case_size) > 1,
                   np.asarray(hist_mask, dtype=np.int64) & _HISTORY_KEEP,
                   np.minimum(np.asarray(hist_n, dtype=np.int64), 3),
                   np.asarray(year, dtype=np.int64))


@dataclass(frozen=True)
class _Parts:
    q_codes: np.ndarray
    q_text: np.ndarray
    q_bits: np.ndarray
    m_codes: np.ndarray
    m_tok: np.ndarray
    m_bits: np.ndarray
    a_codes: np.ndarray
    a_tok: np.ndarray
    a_bits: np.ndarray

    @property
    def own(self) -> np.ndarray:
        return self.q_bits[self.q_codes] | self.m_bits[self.m_codes] | self.a_bits[self.a_codes]


def _resolve(df: pd.DataFrame, columns: Mapping[str, str | Sequence[str]] | ColumnMapping | None
             ) -> ColumnMapping:
    return columns if isinstance(columns, ColumnMapping) else ColumnMapping.resolve(
        df.columns, columns)


def _text_parts(df: pd.DataFrame, mapping: ColumnMapping, compiled: CompiledRules,
                cache: ValueCache | None) -> _Parts:
    n = len(df)
    empty_text = pd.Series([""] * n, index=df.index, dtype=object)

    def col(name: str) -> pd.Series:
        c = mapping.get(name)
        return df[c] if c else empty_text

    q_codes, q_text, q_bits = _distinct(col("qualification"), _qual_info, compiled, cache, "q")
    mc_values = mc_cells(df, mapping.mc, compiled.ruleset) if mapping.mc else empty_text
    m_codes, m_tok, m_bits = _distinct(mc_values, _mc_info, compiled, cache, "mc")
    a_codes, a_tok, a_bits = _distinct(col("article"), _art_info, compiled, cache, "article")
    return _Parts(q_codes, q_text, q_bits, m_codes, m_tok, m_bits, a_codes, a_tok, a_bits)


def own_signals(
    df: pd.DataFrame,
    columns: Mapping[str, str | Sequence[str]] | ColumnMapping | None = None,
    compiled: CompiledRules | None = None,
    cache: ValueCache | None = None,
) -> np.ndarray:
    """Return the signals of each offence itself (bit mask over :data:`SIGNALS`).

    Parameters
    ----------
    df : pandas.DataFrame
        Offences (only the qualification, MC and article columns are read).
    columns : mapping or ColumnMapping, optional
        Column mapping.
    compiled : CompiledRules, optional
        The rule set (default: the ``default`` preset).
    cache : ValueCache, optional
        Per-value results kept across calls.

    Returns
    -------
    numpy.ndarray of int64
        One bit mask per row.
    """
    return _text_parts(df, _resolve(df, columns), compiled or default_compiled(), cache).own


def feature_context(df: pd.DataFrame, mapping: ColumnMapping, own: np.ndarray) -> FeatureContext:
    """Compute the case, history and year context of the offences of ``df``, within ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract (whole cases and persons for the context to be complete).
    mapping : ColumnMapping
        Resolved columns (``case_id``, ``person_id``, dates).
    own : numpy.ndarray of int64
        :func:`own_signals` of ``df``.

    Returns
    -------
    FeatureContext
        The context per row.
    """
    n = len(df)
    case = person = date = None
    if mapping.get("case_id"):
        case = _ids(df[mapping.get("case_id")])
        if mapping.get("person_id"):
            person = _ids(df[mapping.get("person_id")])
    date_col = mapping.get("registration_date") or mapping.get("offence_date")
    years = np.full(n, -1, dtype=np.int64)
    if date_col:
        dates = parse_dates(df[date_col])
        date = dates.to_numpy(dtype="datetime64[ns]")
        years = dates.dt.year.fillna(-1).to_numpy(dtype=np.int64)
    case_mask, multi = _case_context(own, case)
    hist_mask, hist_n = _history(own, case, person, date)
    return FeatureContext(case_mask, multi, hist_mask & _HISTORY_KEEP, np.minimum(hist_n, 3),
                          years)


def build_features(
    df: pd.DataFrame,
    columns: Mapping[str, str | Sequence[str]] | ColumnMapping | None = None,
    compiled: CompiledRules | None = None,
    *,
    cache: ValueCache | None = None,
    context: FeatureContext | None = None,
) -> FeatureSet:
    """Compute the model features of an extract, on distinct values and combinations.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per offence; columns found as in :func:`pv_identify.tag`. Case and
        person context need ``case_id`` (and ``person_id`` plus ``registration_date``
        or ``offence_date`` for history); without them those features are absent.
    columns : mapping or ColumnMapping, optional
        Column mapping.
    compiled : CompiledRules, optional
        The rule set whose terms, MC names and articles define the relationship
        signals (default: the ``default`` preset).
    cache : ValueCache, optional
        Per-value results kept across calls (streaming); the features do not depend on it.
    context : FeatureContext, optional
        The case, history and year context of the rows, computed elsewhere (e.g. over
        a whole file out of core); default: computed within ``df``.

    Returns
    -------
    FeatureSet
        Distinct feature combinations and the row -> combination codes.

    Raises
    ------
    ColumnMappingError
        If none of article, MC and qualification is found.
    """
    mapping = _resolve(df, columns)
    n = len(df)
    if compiled is None:
        compiled = default_compiled()
    parts = _text_parts(df, mapping, compiled, cache)
    own = parts.own
    if context is None:
        context = feature_context(df, mapping, own)
    if mapping.get("disposal"):
        d_codes, d_tok = _disposal_kind(df[mapping.get("disposal")], compiled, cache)
    else:
        d_codes, d_tok = np.zeros(n, dtype=np.int64), np.array(["disp:_none"], dtype=object)

    key = pd.DataFrame({"q": parts.q_codes, "m": parts.m_codes, "a": parts.a_codes,
                        "c": context.case_mask, "multi": context.multi, "h": context.hist_mask,
                        "hn": context.hist_n, "y": context.year, "d": d_codes})
    combo_codes, uniq = _factorize_rows(key)
    table = _combo_table(uniq, parts.q_text, parts.q_bits, parts.m_tok, parts.m_bits,
                         parts.a_tok, parts.a_bits, d_tok)
    return FeatureSet(table=table, codes=combo_codes)


def _ids(values: pd.Series) -> np.ndarray:
    """Integer ids; a missing id makes the row its own group."""
    codes = np.asarray(pd.factorize(values)[0], dtype=np.int64)
    missing = codes < 0
    if missing.any():
        codes[missing] = codes.max(initial=-1) + 1 + np.arange(int(missing.sum()))
    return codes


def _factorize_rows(key: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    if len(key) == 0:
        return np.zeros(0, dtype=np.int64), key
    codes = np.zeros(len(key), dtype=np.int64)
    for name in key.columns:
        col_codes, col_uniq = pd.factorize(key[name])
        codes, _ = pd.factorize(codes * len(col_uniq) + col_codes)
    codes = np.asarray(codes, dtype=np.int64)
    first = np.zeros(codes.max() + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return codes, key.iloc[first].reset_index(drop=True)


def _combo_table(uniq: pd.DataFrame, q_text: np.ndarray, q_bits: np.ndarray,
                 m_tok: np.ndarray, m_bits: np.ndarray, a_tok: np.ndarray,
                 a_bits: np.ndarray, d_tok: np.ndarray) -> pd.DataFrame:
    q = uniq["q"].to_numpy()
    own = q_bits[q] | m_bits[uniq["m"].to_numpy()] | a_bits[uniq["a"].to_numpy()]
    tokens = np.empty(len(uniq), dtype=object)
    ctx_cache: dict[tuple[int, int, int, bool, int, bool], str] = {}
    for i, (o, c, h, multi, hn, has_q, y) in enumerate(zip(
            own.tolist(), uniq["c"].tolist(), uniq["h"].tolist(), uniq["multi"].tolist(),
            uniq["hn"].tolist(), (q_bits[q] & _BIT["court"] > 0).tolist(),
            uniq["y"].tolist(), strict=True)):
        ck = (o, c, h, multi, hn, has_q)
        ctx = ctx_cache.get(ck)
        if ctx is None:
            ctx = ctx_cache[ck] = context_tokens(*ck)
        tokens[i] = ctx + " " + year_token(y)
    tokens = (m_tok[uniq["m"].to_numpy()] + " " + a_tok[uniq["a"].to_numpy()] + " "
              + d_tok[uniq["d"].to_numpy()] + " " + tokens)
    return pd.DataFrame({"qualification": q_text[q], "tokens": tokens})


def context_tokens(own: int, case: int, hist: int, multi: bool, hist_n: int, has_q: bool) -> str:
    """Return the context part of an offence's token bag (own, case, history, conjunctions).

    Parameters
    ----------
    own, case, hist : int
        Bit masks of the offence's own signals, of the other offences of its case and
        of the person's earlier cases.
    multi : bool
        The case has several offences.
    hist_n : int
        Earlier cases, capped at 3.
    has_q : bool
        The offence has a qualification.

    Returns
    -------
    str
        Space-separated tokens (part of :attr:`FeatureSet.table` ``tokens``).
    """
    parts = [mask_tokens("own", own), mask_tokens("case", case),
             mask_tokens("hist", hist), " ".join(conjunctions(own, case, hist, has_q))]
    if multi:
        parts.append("case:multi")
    if hist_n:
        parts.append("hist:any" if hist_n < 3 else "hist:any hist:many")
    if not has_q:
        parts.append("q:_empty")
    return " ".join(p for p in parts if p)


def year_token(year: int) -> str:
    """Return the year token of an offence (``year:_none`` when unknown)."""
    return f"year:{year}" if year >= 0 else "year:_none"


@dataclass(frozen=True)
class ValueParts:
    """The parts of the features that depend on an offence's own fields only.

    Attributes are arrays with one entry per row: ``qualification`` (normalised
    text), ``mc``, ``article`` and ``disposal`` tokens, ``own`` signals and
    ``has_q`` (the offence has a qualification).
    """

    qualification: np.ndarray
    mc: np.ndarray
    article: np.ndarray
    disposal: np.ndarray
    own: np.ndarray
    has_q: np.ndarray


def value_parts(df: pd.DataFrame, columns: Mapping[str, str | Sequence[str]] | ColumnMapping | None,
                compiled: CompiledRules, cache: ValueCache | None = None) -> ValueParts:
    """Compute the own-field parts of the features of each row of ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        Offences (qualification, MC, article and disposal columns are read).
    columns : mapping or ColumnMapping, optional
        Column mapping.
    compiled : CompiledRules
        The rule set of the features.
    cache : ValueCache, optional
        Per-value results kept across calls.

    Returns
    -------
    ValueParts
        One entry per row, as :func:`build_features` computes them.
    """
    mapping = _resolve(df, columns)
    parts = _text_parts(df, mapping, compiled, cache)
    if mapping.get("disposal"):
        d_codes, d_tok = _disposal_kind(df[mapping.get("disposal")], compiled, cache)
        disposal = d_tok[d_codes]
    else:
        disposal = np.full(len(df), "disp:_none", dtype=object)
    q_bits = parts.q_bits[parts.q_codes]
    return ValueParts(parts.q_text[parts.q_codes], parts.m_tok[parts.m_codes],
                      parts.a_tok[parts.a_codes], disposal, parts.own,
                      (q_bits & _BIT["court"]) > 0)
