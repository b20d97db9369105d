"""Step 1: classify every offence (conviction, pending, ...) and roll offences up to cases.

:func:`classify_offences` turns a *tagged* extract (one row per offence, with the
``pv_*`` columns of :func:`pv_identify.tag`) into the cohort builder's working frame:
canonical column names, parsed dates, and per offence its disposal class, whether it
is a conviction or pending, its severity category, its type of partner violence and
whether it is a violent offence. :func:`case_table` rolls that up to one row per case.

Definitions (seed 001, footnote 23, seed lines 3035-3037): an offence is a
*conviction* if it is proven and its case ended in a sentence or measure by a court,
or in a transactie, strafbeschikking or beleidssepot by the prosecutor. A case
*counts* (for criminal history and recidivism, seed lines 3435-3441) if it holds a
conviction or is not yet (irrevocably) decided. Which codes mean what is data:
``rules/cohort/disposals.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pv_identify.errors import ColumnMappingError, RuleFileError
from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.dates import parse_dates
from pv_identify.normalize.distinct import map_distinct, to_text
from pv_identify.schema import OUT_DOMESTIC, OUT_PARTNER

from .config import OPTIONAL_FIELDS, REQUIRED_FIELDS, CohortConfig, resolve_columns
from .crimes import crime_class
from .rulefiles import CohortRules, DisposalInfo

#: Severity rank given to rows without a severity category (not convictions).
NO_SEVERITY: int = 10_000

_DATE_FIELDS = ("offence_date", "registration_date", "disposal_date", "birth_date")
_TRUE = {"1", "true", "ja", "j", "yes", "y", "waar", "t"}
_FALSE = {"0", "false", "nee", "n", "no", "onwaar", "f", ""}


def _key(value: object) -> str:
    return " ".join(to_text(value).split()).casefold()


def _dates(series: pd.Series, field: str, column: str) -> pd.Series:
    parsed = parse_dates(series)
    texts = series.map(to_text, na_action="ignore") if series.dtype == object else series
    bad = parsed.isna() & series.notna() & (texts.astype(str).str.strip() != "")
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise ColumnMappingError(
            f"column {column!r} ({field}): {int(bad.sum())} value(s) are not dates "
            f"(first at row position {first}); expected dates like 2016-03-01 or 01-03-2016"
        )
    return parsed.astype("datetime64[ns]")


def _bools(series: pd.Series, field: str, column: str) -> pd.Series:
    def conv(text: str) -> object:
        key = text.strip().casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        return None

    out = map_distinct(series, conv)
    if out.isna().any():
        raise ColumnMappingError(
            f"column {column!r} ({field}): {int(out.isna().sum())} value(s) are not "
            "yes/no values; expected true/false, 1/0 or ja/nee"
        )
    return out.astype(bool)


def _flag(df: pd.DataFrame, name: str) -> pd.Series:
    if name not in df.columns:
        raise ColumnMappingError(
            f"column {name!r} is missing: the cohort builder needs a tagged frame; "
            "run pv_identify.tag(df) first"
        )
    col = df[name]
    if col.dtype == bool:
        return col
    return _bools(col, "tagger flag", name)  # e.g. "True"/"False" read back from CSV


def _article_info(rules: CohortRules) -> object:
    types = rules.pv_types
    viol = rules.violence_articles

    def info(text: str) -> tuple[str, bool, bool, bool]:
        refs = parse_articles(text)
        kind, exclude = rules.pv_type_default, False
        for t in types:
            if any(pat.covers(ref) for pat in t.articles for ref in refs):
                kind, exclude = t.name, t.exclude
                break
        violent = any(pat.covers(ref) for pat in viol for ref in refs)
        return kind, exclude, violent, crime_class(refs, rules.crimes) == "misdrijf"

    return info


def _split(key: str, separators: tuple[str, ...]) -> list[str]:
    parts = [key]
    for sep in separators:
        parts = [p for part in parts for p in part.split(sep)]
    return [" ".join(p.split()) for p in parts if p.strip()]


_CLASS_ORDER = ("conviction", "pending", "other", "discharge", "acquittal", "technical")


def disposal_table(keys: list[str], rules: CohortRules, source: str) -> pd.DataFrame:
    """Meaning of each distinct disposal cell, combining several disposals in one cell.

    Parameters
    ----------
    keys : list of str
        Distinct trimmed, lower-cased ``afdoening`` values ("" = pending).
    rules : CohortRules
        The cohort rules (disposal codes and separators).
    source : str
        Column name, for error messages.

    Returns
    -------
    pandas.DataFrame
        Indexed by key: ``klass``, ``severity``, ``vv_vw_sb``, ``custodial``.

    Raises
    ------
    RuleFileError
        A part of a cell is not a listed disposal code.
    """
    rank = {c: i for i, c in enumerate(rules.severity_order)}
    rows: list[tuple[str, str, str | None, bool, bool]] = []
    unknown: list[str] = []
    for key in keys:
        if key == "":
            rows.append((key, "pending", None, False, False))
            continue
        parts = [key] if key in rules.disposals else _split(key, rules.disposal_separators)
        infos: list[DisposalInfo] = []
        for part in parts:
            if part in rules.disposals:
                infos.append(rules.disposals[part])
            else:
                unknown.append(part)
        if not infos:
            continue
        klass = min((d.klass for d in infos), key=_CLASS_ORDER.index)
        conv = [d for d in infos if d.klass == "conviction"]
        custodial = any(d.custodial for d in conv)
        # most severe non-custodial part; a custodial part competes by its length band
        sevs = [d.severity for d in conv if d.severity and not d.custodial]
        severity = min(sevs, key=lambda c: rank.get(c, len(rank))) if sevs else None
        rows.append((key, klass, severity, any(d.vv_vw_sb for d in conv), custodial))
    if unknown:  # counts only: codes are cell values (no record contents in errors)
        raise RuleFileError(
            f"{rules.source}/disposals.yaml",
            f"column {source!r}: {len(set(unknown))} distinct code(s) not listed under "
            "`disposals`; add them (list the column's distinct values to see which)",
        )
    return pd.DataFrame(
        rows, columns=["code", "klass", "severity", "vv_vw_sb", "custodial"]
    ).set_index("code")


def classify_offences(
    df: pd.DataFrame,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    config: CohortConfig | None = None,
) -> pd.DataFrame:
    """Build the cohort working frame: one row per offence with its classes.

    Parameters
    ----------
    df : pandas.DataFrame
        Tagged extract: the columns of ``docs/extract_schema.md`` plus
        ``pv_partner_violence`` and ``pv_domestic_violence``. Not modified.
    columns : mapping, optional
        Canonical field -> column name, merged over the default column names.
    config : CohortConfig, optional
        Study definitions (only the rules are used here).

    Returns
    -------
    pandas.DataFrame
        Same index and order as ``df``, with canonical column names (``person_id``,
        ``case_id``, ``article``, the dates, ``disposal``, ``decision``,
        ``custodial_days``, ``sex``, ``birth_date``, ``country_of_birth``,
        ``bsn_present``), the flags ``partner`` and ``domestic``, and
        ``disposal_class``, ``decision_class``, ``is_conviction``, ``is_pending``,
        ``counts`` (conviction or pending), ``severity``, ``severity_rank``,
        ``vv_vw_sb``, ``custodial``, ``pv_type``, ``pv_type_excluded``, ``violence``,
        ``misdrijf`` (the article makes it a crime, ``crimes.yaml``).

    Raises
    ------
    ColumnMappingError
        A required column is missing or holds values of the wrong kind.
    RuleFileError
        A disposal or decision code is not in ``disposals.yaml``.
    """
    config = config or CohortConfig()
    rules = config.rules
    cols = resolve_columns(columns, df.columns)
    missing = [f for f in REQUIRED_FIELDS if cols[f] not in df.columns]
    if missing:
        raise ColumnMappingError(
            "cohort: missing column(s) "
            + ", ".join(f"{cols[f]!r} (field {f})" for f in missing)
            + "; map them with columns={'field': 'your column'} or --map field=column"
        )
    out = pd.DataFrame(index=df.index)
    for f in REQUIRED_FIELDS + OPTIONAL_FIELDS:
        present = cols[f] in df.columns
        col = df[cols[f]] if present else pd.Series(pd.NA, index=df.index, dtype=object)
        if f in _DATE_FIELDS:
            out[f] = (
                _dates(col, f, cols[f])
                if present
                else pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
            )
        elif f == "custodial_days":
            days = pd.to_numeric(col, errors="coerce") if present else col
            out[f] = pd.Series(days, index=df.index).astype("Float64").fillna(0.0).astype(float)
        elif f == "bsn_present":
            out[f] = _bools(col, f, cols[f]) if present else pd.Series(pd.NA, index=df.index)
        else:
            out[f] = col
    out["partner"] = _flag(df, OUT_PARTNER)
    out["domestic"] = _flag(df, OUT_DOMESTIC)

    # disposal (case level) -> class, severity, flags; once per distinct cell
    disp_key = map_distinct(out["disposal"], _key)
    table = disposal_table(sorted(disp_key.unique()), rules, cols["disposal"])
    out["disposal_class"] = disp_key.map(table["klass"]).astype(object)
    sev = disp_key.map(table["severity"]).astype(object)
    custodial = disp_key.map(table["custodial"]).astype(bool)
    days = out["custodial_days"]
    band = np.select(
        [days <= rules.lt_1m_max_days, days <= rules.m1_6_max_days],
        ["vrijheidsstraf_lt_1m", "vrijheidsstraf_1_6m"],
        "vrijheidsstraf_gt_6m",
    )
    rank = {c: i for i, c in enumerate(rules.severity_order)}
    band = pd.Series(band, index=out.index, dtype=object)
    sev_rank = sev.map(rank).astype("Float64").fillna(np.inf).astype(float)
    sev = sev.where(~(custodial & (band.map(rank).astype(float) < sev_rank)), band)
    # decision (offence level) -> class; empty follows the disposal
    dec_key = map_distinct(out["decision"], _key)
    unknown = sorted(set(dec_key.unique()) - set(rules.decisions) - {""})
    if unknown:  # counts and positions only: codes are cell values
        first = int(np.flatnonzero(dec_key.isin(unknown).to_numpy())[0])
        raise RuleFileError(
            f"{rules.source}/disposals.yaml",
            f"column {cols['decision']!r}: {len(unknown)} distinct code(s) not listed under "
            f"`decisions` (first at row position {first}); add them",
        )
    dec = dec_key.map(pd.Series(rules.decisions, dtype=object)).astype(object)
    fallback = out["disposal_class"].replace({"conviction": "proven"})
    out["decision_class"] = dec.where(dec_key != "", fallback)
    out["is_conviction"] = (out["disposal_class"] == "conviction") & (
        out["decision_class"] == "proven"
    )
    out["is_pending"] = (out["disposal_class"] == "pending") | (out["decision_class"] == "pending")
    out["is_pending"] &= ~out["is_conviction"]
    out["counts"] = out["is_conviction"] | out["is_pending"]
    out["severity"] = sev.where(out["is_conviction"], None)
    rank = {c: i for i, c in enumerate(rules.severity_order)}
    out["severity_rank"] = (
        out["severity"].map(rank).astype("Float64").fillna(NO_SEVERITY).astype(np.int64)
    )
    out["vv_vw_sb"] = disp_key.map(table["vv_vw_sb"]).astype(bool) & out["is_conviction"]
    out["custodial"] = custodial & out["is_conviction"] & (days > 0)

    # article -> type of partner violence and violence; once per distinct string
    info = map_distinct(out["article"], _article_info(rules))  # type: ignore[arg-type]
    parts = pd.DataFrame(info.tolist(), index=out.index, columns=["t", "x", "v", "c"])
    out["pv_type"] = parts["t"].astype(object)
    out["pv_type_excluded"] = parts["x"].astype(bool)
    out["violence"] = parts["v"].astype(bool)
    out["misdrijf"] = parts["c"].astype(bool)
    return out


def case_table(offences: pd.DataFrame, config: CohortConfig | None = None) -> pd.DataFrame:
    """Roll classified offences up to one row per case.

    Parameters
    ----------
    offences : pandas.DataFrame
        Output of :func:`classify_offences`.
    config : CohortConfig, optional
        Study definitions (for the severity ordering).

    Returns
    -------
    pandas.DataFrame
        One row per (``person_id``, ``case_id``) with: ``registration_date`` (earliest),
        ``disposal_date`` (latest), ``offence_date`` (earliest), ``pv_conviction`` (a
        proven partner-violence offence with a conviction disposal), ``conviction``
        (any proven offence with a conviction disposal), ``counts`` (a
        conviction or pending offence), ``violence`` / ``domestic`` (a counting
        offence that is violent / domestic violence), ``custodial_days`` (largest, of
        unconditional custodial convictions), ``severity`` (most severe category of
        its convictions), ``vv_vw_sb`` (any), ``pv_type`` and ``pv_type_excluded`` (of
        its proven partner-violence offences, by the priority of ``pv_types.yaml``;
        ``pv_type_excluded`` looks at all proven offences of the case when
        ``exclusion_scope: case``).
    """
    config = config or CohortConfig()
    rules = config.rules
    o = offences
    pvc = o["partner"] & o["is_conviction"]
    type_rank = {t.name: i for i, t in enumerate(rules.pv_types)}
    type_rank[rules.pv_type_default] = len(rules.pv_types)
    work = pd.DataFrame(
        {
            "person_id": o["person_id"],
            "case_id": o["case_id"],
            "registration_date": o["registration_date"],
            "disposal_date": o["disposal_date"],
            "offence_date": o["offence_date"],
            "pv_conviction": pvc,
            "conviction": o["is_conviction"],
            "counts": o["counts"],
            "violence": o["counts"] & o["violence"],
            "domestic": o["counts"] & o["domestic"],
            "custodial_days": o["custodial_days"].where(o["custodial"], 0.0),
            "severity_rank": o["severity_rank"],
            "vv_vw_sb": o["vv_vw_sb"],
            "pv_type_rank": o["pv_type"].map(type_rank).where(pvc, NO_SEVERITY),
            "pv_type_excluded": o["pv_type_excluded"]
            & (pvc if rules.exclusion_scope == "pv_offences" else o["is_conviction"]),
        }
    )
    g = work.groupby(["person_id", "case_id"], sort=False, observed=True)
    cases = g.agg(
        registration_date=("registration_date", "min"),
        disposal_date=("disposal_date", "max"),
        offence_date=("offence_date", "min"),
        pv_conviction=("pv_conviction", "any"),
        conviction=("conviction", "any"),
        counts=("counts", "any"),
        violence=("violence", "any"),
        domestic=("domestic", "any"),
        custodial_days=("custodial_days", "max"),
        severity_rank=("severity_rank", "min"),
        vv_vw_sb=("vv_vw_sb", "any"),
        pv_type_rank=("pv_type_rank", "min"),
        pv_type_excluded=("pv_type_excluded", "any"),
    ).reset_index()
    order = np.array([*rules.severity_order, None], dtype=object)
    sr = np.minimum(cases["severity_rank"].to_numpy(), len(order) - 1)
    cases["severity"] = pd.Series(order[sr], index=cases.index, dtype=object)
    names = np.array([*(t.name for t in rules.pv_types), rules.pv_type_default, None], dtype=object)
    tr = np.minimum(cases["pv_type_rank"].to_numpy(dtype=np.int64), len(names) - 1)
    cases["pv_type"] = pd.Series(names[tr], index=cases.index, dtype=object)
    return cases.drop(columns=["pv_type_rank"])
