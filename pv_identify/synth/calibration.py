"""Calibration targets (seed 001) and the figures a generated extract achieves.

Two populations, two target sets (issue 16, point 7); every :class:`Target` names its
population:

- :data:`TARGETS` (the default generator, ``SynthConfig()``): Table 3.1 values on the
  generator's TRUE partner-violence offenders, :data:`POP_TRUTH`, measured by
  :func:`achieved` below;
- :data:`WODC2022_COHORT_TARGETS` (the ``wodc2022_cohort`` profile,
  ``SynthConfig.wodc2022_population()``): Table 3.1 on the population the report
  measured, the control group its rule found, :data:`POP_RULE`, measured by
  :func:`pv_identify.synth.cohort_check.cohort_figures` (tag + cohort builder).

The truth reference population mirrors the control group of seed 001: people convicted
of partner violence in 2014-2017 (Table 3.1, N = 9,835 after excluding people without
BSN and minors). :func:`achieved` rebuilds it from the *true* relationship of a generated
extract: per person, the first case registered in 2014-2017 with a proven partner or
ex-partner offence that ended in a conviction (court or prosecutor) is the index case.
Prior-case figures need the history before ``year_min`` to be present (generate with
``SynthConfig(emit_history=True)``); otherwise they are undercounted.

Definitions (documented in ``docs/synth.md``):

- *strafzaak* (counted case): any case not ending in vrijspraak, ontslag or technisch
  sepot (pending cases count, seed 001 lines 3436-3440);
- *violent* case: a case with an offence whose article is covered by the cohort's
  violence definition, ``rules/cohort/violence_articles.yaml`` (one definition for
  the generator and the cohort builder);
- *domestic* case: a case with a violent offence whose true relationship is not ``none``;
- case density (footnote 31, "cases per year between the first and the current
  case"): the cohort builder's definition, ``rules/cohort/density.yaml`` (default:
  prior cases / max(years first -> index case, 1); 0 for first offenders). The same
  with violent and domestic cases;
- type of partner violence: the most severe category among the index case's proven
  partner/ex-partner offences, read from the article (Table 3.1 categories);
- recidivism: a new counted case with an offence date after the index registration
  date and within three years of it (seed 001 lines 3440-3450, without the
  incapacitation correction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pv_identify.cohort.covariates import case_densities
from pv_identify.cohort.rulefiles import load_cohort_rules
from pv_identify.normalize.articles import parse_articles
from pv_identify.schema import DEFAULT_COLUMNS, EX_PARTNER, NONE, PARTNER, TRUTH_COLUMN
from pv_identify.synth.vocab import DISPOSAL_CATEGORIES, NON_CONVICTIONS, PV_CATEGORIES

_C = DEFAULT_COLUMNS

INDEX_FROM, INDEX_TO = "2014-01-01", "2017-12-31"
_TOKEN = re.compile(r"(?<![\d.])(\d{2,3}[a-z]?)(?![\d])")


@dataclass(frozen=True)
class Target:
    """One published reference figure.

    Parameters
    ----------
    name : str
        Figure name (a key of :func:`achieved`'s result).
    value : float
        Published value (shares as fractions, means in their unit).
    tolerance : float
        Accepted absolute deviation of a synthetic extract of about a million rows.
    source : str
        Where the figure comes from.
    population : str
        Which population the achieved value is measured on: :data:`POP_TRUTH` (the
        generator's true partner-violence offenders, :func:`achieved`) or
        :data:`POP_RULE` (the control group the report's rule and cohort select,
        :func:`pv_identify.synth.cohort_check.cohort_figures`).
    """

    name: str
    value: float
    tolerance: float
    source: str
    population: str = ""


#: Population of :data:`TARGETS` (the default generator's calibration): the generator's
#: TRUE partner-violence offenders, first proven and convicted partner/ex-partner case
#: registered 2014-2017, BSN, 18+ (:func:`index_cohort`). The values are the report's,
#: but the report measured them on another population, :data:`POP_RULE` (issue 16,
#: point 7).
POP_TRUTH = "truth: true partner-violence offenders (generator truth, index_cohort)"
#: Population of :data:`WODC2022_COHORT_TARGETS`: the control group the REPORT'S RULE
#: finds -- tagged with the ``wodc2022`` preset (partner MC or a partner term in a court
#: qualification), first partner-violence conviction disposed of 2014-2017, after the
#: report's exclusions (``pv_identify.cohort`` defaults). This is what Table 3.1 describes.
POP_RULE = "rule-found: wodc2022 + cohort control group (what Table 3.1 describes)"

_T31 = "seed 001 Table 3.1, control group before matching (rule-found offenders)"
_F31 = "seed 001 Figure 3.1 (matched controls) "
_L = {
    "type": "lines 4508-4678", "person": "lines 4300-4504", "disposal": "lines 4715-4737",
    "history": "lines 4776-4795",
}
#: Table 3.1 item "Vv, vw bs of sb als afdoening" (one of the case's disposals is a
#: conditional sentence, conditional policy dismissal or strafbeschikking).
VV_VW_SB = "vv, vw bs of sb als afdoening"


def _table31(population: str) -> tuple[Target, ...]:
    return (
        *(Target(f"type: {c}", v, tol, f"{_T31}, {_L['type']}", population)
          for c, v, tol in zip(
            PV_CATEGORIES, (0.921, 0.022, 0.003, 0.038, 0.007, 0.005, 0.003),
            (0.02, 0.01, 0.005, 0.015, 0.006, 0.006, 0.006), strict=True)),
        Target("sex: man", 0.940, 0.015, f"{_T31}, {_L['person']}", population),
        Target("age at index (mean)", 37.3, 1.0, f"{_T31}, {_L['person']}", population),
        *(Target(f"country: {c}", v, tol, f"{_T31}, {_L['person']}", population)
          for c, v, tol in zip(
            ("Nederland", "Marokko", "Nederlandse Antillen", "Suriname", "Turkije", "overig"),
            (0.640, 0.037, 0.054, 0.047, 0.038, 0.184),
            (0.025, 0.012, 0.012, 0.012, 0.012, 0.02), strict=True)),
        *(Target(f"disposal: {c}", v, tol, f"{_T31}, {_L['disposal']}", population)
          for c, v, tol in zip(
            DISPOSAL_CATEGORIES,
            (0.468, 0.013, 0.195, 0.088, 0.063, 0.065, 0.038, 0.013, 0.003, 0.052, 0.002),
            (0.03, 0.008, 0.025, 0.02, 0.015, 0.015, 0.012, 0.008, 0.005, 0.015, 0.006),
            strict=True)),
        Target("age at first case (mean)", 26.2, 1.2, f"{_T31}, {_L['history']}", population),
        Target("prior cases (mean)", 5.6, 0.7, f"{_T31}, {_L['history']}", population),
        Target("prior violence cases (mean)", 1.3, 0.3, f"{_T31}, {_L['history']}",
               population),
        Target("prior domestic cases (mean)", 0.3, 0.1, f"{_T31}, {_L['history']}",
               population),
        Target("case density (mean)", 0.5, 0.2, f"{_T31}, {_L['history']}", population),
        Target("case density violence (mean)", 0.2, 0.1, f"{_T31}, {_L['history']}",
               population),
        Target("case density domestic (mean)", 0.1, 0.06, f"{_T31}, {_L['history']}",
               population),
        Target("prior custodial sentences (mean)", 1.0, 0.3, f"{_T31}, {_L['history']}",
               population),
        Target("recidivism 3y: domestic", 0.090, 0.025, f"{_F31}a, line 5233", population),
        Target("recidivism 3y: violence", 0.159, 0.03, f"{_F31}b, line 5245", population),
        Target("recidivism 3y: general", 0.285, 0.04, f"{_F31}c, line 5313", population),
    )


#: Targets of the DEFAULT generator: Table 3.1 values measured on :data:`POP_TRUTH`.
TARGETS: tuple[Target, ...] = _table31(POP_TRUTH)

#: Targets of the ``wodc2022_cohort`` profile (``SynthConfig.wodc2022_population()``):
#: Table 3.1 measured where the report measured it, :data:`POP_RULE`, plus the share
#: with a conditional disposal among the case's disposals (issue 16, point 2).
WODC2022_COHORT_TARGETS: tuple[Target, ...] = (
    *_table31(POP_RULE),
    Target(VV_VW_SB, 0.778, 0.03, f"{_T31}, line 4739", POP_RULE),
)

#: Figures of Table 3.1 the DEFAULT generator does not represent.
NOT_MODELLED: dict[str, str] = {
    f"{VV_VW_SB} (77.8%)": (
        "the default generator writes one afdoening per case (15% of the truth population "
        "has a conditional disposal); SynthConfig.wodc2022_population() writes several "
        "(e.g. 'werkstraf; voorwaardelijke vrijheidsstraf') and targets it"
    ),
}

_SEVERITY = {c: i for i, c in enumerate(("overig", "vernieling", "belaging/stalking",
                                          "bedreiging", "eenvoudige mishandeling",
                                          "zware mishandeling", "doodslag"))}


def article_tokens(articles: pd.Series) -> pd.DataFrame:
    """Return per distinct article text whether it is violent and its Table 3.1 category.

    Parameters
    ----------
    articles : pandas.Series
        ``wetsartikel`` values.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``articles``, with boolean ``violent`` and int ``severity``
        (index into the severity order, see :data:`_SEVERITY`).
    """
    codes, uniq = pd.factorize(articles.fillna(""), sort=False)
    violent = np.zeros(len(uniq), dtype=bool)
    severity = np.zeros(len(uniq), dtype=np.int8)
    violence = load_cohort_rules().violence_articles
    for i, text in enumerate(uniq):
        refs = parse_articles(str(text))
        violent[i] = any(pat.covers(ref) for pat in violence for ref in refs)
        toks = set(_TOKEN.findall(str(text).lower()))
        law_sr = not re.search(r"opium|opw|wvw|wwm|wth|huisverbod|wegenverkeer|wapens", str(text),
                               flags=re.IGNORECASE)
        toks = toks if law_sr else set()
        if "287" in toks:
            cat = "doodslag"
        elif "302" in toks or "303" in toks:
            cat = "zware mishandeling"
        elif "300" in toks or "301" in toks:
            cat = "eenvoudige mishandeling"
        elif "285" in toks:
            cat = "bedreiging"
        elif "285b" in toks:
            cat = "belaging/stalking"
        elif "350" in toks:
            cat = "vernieling"
        else:
            cat = "overig"
        severity[i] = _SEVERITY[cat]
    return pd.DataFrame({"violent": violent[codes], "severity": severity[codes]},
                        index=articles.index)


#: ``afdoening`` values that make the Table 3.1 item "vv, vw bs of sb" (as in
#: ``rules/cohort/disposals.yaml``).
_VV_VW_SB_DISPOSALS = ("voorwaardelijke vrijheidsstraf", "voorwaardelijk beleidssepot",
                       "strafbeschikking")


def _disposal_category(afdoening: pd.Series, days: pd.Series) -> pd.Series:
    mapping = {
        "werkstraf": "werkstraf", "leerstraf": "leerstraf",
        "voorwaardelijk beleidssepot": "voorwaardelijk beleidssepot",
        "onvoorwaardelijk beleidssepot": "onvoorwaardelijk beleidssepot",
        "schuldigverklaring zonder straf": "onvoorwaardelijk beleidssepot",
        "voorwaardelijke vrijheidsstraf": "voorwaardelijke vrijheidsstraf",
        "maatregel": "maatregel", "geldboete": "geldboete", "transactie": "overig",
        "strafbeschikking": "overig", "overig": "overig",
    }
    main = afdoening.str.split(";", n=1).str[0].str.strip()  # "werkstraf; vw. ..." -> main
    cat = main.map(mapping)
    custodial = main == "vrijheidsstraf"
    bucket = np.where(days < 30, "vrijheidsstraf < 1 maand",
                      np.where(days <= 180, "vrijheidsstraf 1-6 maanden",
                               "vrijheidsstraf > 6 maanden"))
    return cat.where(~custodial, pd.Series(bucket, index=afdoening.index))


def index_cohort(df: pd.DataFrame) -> pd.DataFrame:
    """Build the person-level reference cohort from a generated extract's truth.

    Parameters
    ----------
    df : pandas.DataFrame
        A generated extract (default column names, with ``true_relationship``).

    Returns
    -------
    pandas.DataFrame
        One row per index person with the Table 3.1 covariates and recidivism flags.
    """
    a = article_tokens(df[_C["article"]])
    rel = df[TRUTH_COLUMN]
    conv = ~df[_C["disposal"]].isin(NON_CONVICTIONS) & df[_C["disposal"]].notna()
    counted = ~df[_C["disposal"]].isin(NON_CONVICTIONS)
    proven = df[_C["decision"]] == "bewezen"
    pv = rel.isin([PARTNER, EX_PARTNER]) & proven & conv
    rows = pd.DataFrame({
        "person": df[_C["person_id"]].to_numpy(),
        "case": df[_C["case_id"]].to_numpy(),
        "reg": df[_C["registration_date"]].to_numpy(),
        "off": df[_C["offence_date"]].to_numpy(),
        "counted": counted.to_numpy(),
        "violent": a["violent"].to_numpy(),
        "domestic": (a["violent"] & (rel != NONE)).to_numpy(),
        "pv": pv.to_numpy(),
        "pv_sev": np.where(pv, a["severity"].to_numpy(), -1),
        "custodial": (df[_C["disposal"]] == "vrijheidsstraf").to_numpy(),
    })
    cases = rows.groupby("case", sort=False).agg(
        person=("person", "first"), reg=("reg", "first"), off=("off", "min"),
        counted=("counted", "first"), violent=("violent", "any"),
        domestic=("domestic", "any"), pv=("pv", "any"), pv_sev=("pv_sev", "max"),
        custodial=("custodial", "first"),
    )
    first_row = df.groupby(_C["case_id"], sort=False).head(1).set_index(_C["case_id"])
    cases["disposal_cat"] = _disposal_category(
        first_row[_C["disposal"]], first_row[_C["custodial_days"]]
    ).reindex(cases.index)
    parts = first_row[_C["disposal"]].str.split(";").explode().str.strip()
    cases["vv"] = parts.isin(_VV_VW_SB_DISPOSALS).groupby(level=0).any().reindex(
        cases.index, fill_value=False)
    in_window = (cases["reg"] >= pd.Timestamp(INDEX_FROM)) & (
        cases["reg"] <= pd.Timestamp(INDEX_TO))
    idx_cases = cases[cases["pv"] & in_window].sort_values("reg", kind="stable")
    idx_cases = idx_cases[~idx_cases["person"].duplicated()]
    persons = df.groupby(_C["person_id"], sort=False).head(1).set_index(_C["person_id"])
    coh = pd.DataFrame({
        "person": idx_cases["person"].to_numpy(),
        "index_reg": idx_cases["reg"].to_numpy(),
        "pv_sev": idx_cases["pv_sev"].to_numpy(),
        "disposal_cat": idx_cases["disposal_cat"].to_numpy(),
        "vv_vw_sb": idx_cases["vv"].to_numpy(dtype=bool),
    })
    pinfo = persons.reindex(coh["person"])
    coh["male"] = (pinfo[_C["sex"]] == "man").to_numpy()
    coh["bsn"] = pinfo[_C["bsn_present"]].astype(bool).to_numpy()
    coh["birth"] = pinfo[_C["birth_date"]].to_numpy()
    coh["country"] = pinfo[_C["country_of_birth"]].to_numpy()
    coh["age"] = (coh["index_reg"] - coh["birth"]).dt.days / 365.2425
    coh = coh[coh["bsn"] & (coh["age"] >= 18)].reset_index(drop=True)

    # history and recidivism: join counted cases to the index date of their person
    cc = cases[cases["counted"]].merge(coh[["person", "index_reg", "birth"]], on="person")
    prior = cc[cc["reg"] < cc["index_reg"]]
    first = cc[cc["reg"] <= cc["index_reg"]].groupby("person")["reg"].min()
    g = prior.groupby("person")
    n_prior = g.size().reindex(coh["person"], fill_value=0).to_numpy()
    n_viol = g["violent"].sum().reindex(coh["person"], fill_value=0).to_numpy()
    n_dom = g["domestic"].sum().reindex(coh["person"], fill_value=0).to_numpy()
    n_cust = g["custodial"].sum().reindex(coh["person"], fill_value=0).to_numpy()
    first_reg = first.reindex(coh["person"]).to_numpy()
    coh["age_first"] = (pd.Series(first_reg) - coh["birth"]).dt.days / 365.2425
    years = (coh["index_reg"] - pd.Series(first_reg)).dt.days / 365.25
    coh["n_prior"], coh["n_prior_violent"], coh["n_prior_domestic"] = n_prior, n_viol, n_dom
    coh["n_prior_custodial"] = n_cust
    # footnote 31, the cohort's own definition (rules/cohort/density.yaml)
    dens = case_densities(
        pd.Series(n_prior), pd.Series(n_viol), pd.Series(n_dom), pd.Series(n_viol + 1),
        pd.Series(n_dom + 1), years.fillna(0.0),
    )
    coh["density"] = dens["case_density"].to_numpy()
    coh["density_violent"] = dens["case_density_violence"].to_numpy()
    coh["density_domestic"] = dens["case_density_dv"].to_numpy()
    later = cc[(cc["off"] > cc["index_reg"])
               & (cc["off"] <= cc["index_reg"] + pd.Timedelta(days=round(3 * 365.2425)))]
    lg = later.groupby("person")
    coh["recid_general"] = coh["person"].isin(lg.size().index).to_numpy()
    coh["recid_violence"] = lg["violent"].any().reindex(coh["person"], fill_value=False
                                                        ).to_numpy()
    coh["recid_domestic"] = lg["domestic"].any().reindex(coh["person"], fill_value=False
                                                         ).to_numpy()
    return coh


def achieved(df: pd.DataFrame) -> dict[str, float]:
    """Compute the achieved value of every :data:`TARGETS` figure on an extract.

    Parameters
    ----------
    df : pandas.DataFrame
        A generated extract (with ``true_relationship``).

    Returns
    -------
    dict
        Figure name -> achieved value, plus ``"index persons"`` (the cohort size).
    """
    coh = index_cohort(df)
    out: dict[str, float] = {"index persons": float(len(coh))}
    if len(coh) == 0:
        return out
    sev_names = {v: k for k, v in _SEVERITY.items()}
    types = coh["pv_sev"].map(sev_names)
    for c in PV_CATEGORIES:
        out[f"type: {c}"] = float((types == c).mean())
    out["sex: man"] = float(coh["male"].mean())
    out["age at index (mean)"] = float(coh["age"].mean())
    named = ("Nederland", "Marokko", "Nederlandse Antillen", "Suriname", "Turkije")
    for c in named:
        out[f"country: {c}"] = float((coh["country"] == c).mean())
    out["country: overig"] = float((~coh["country"].isin(named)).mean())
    for c in DISPOSAL_CATEGORIES:
        out[f"disposal: {c}"] = float((coh["disposal_cat"] == c).mean())
    out[VV_VW_SB] = float(coh["vv_vw_sb"].mean())
    out["age at first case (mean)"] = float(coh["age_first"].mean())
    out["prior cases (mean)"] = float(coh["n_prior"].mean())
    out["prior violence cases (mean)"] = float(coh["n_prior_violent"].mean())
    out["prior domestic cases (mean)"] = float(coh["n_prior_domestic"].mean())
    out["case density (mean)"] = float(coh["density"].mean())
    out["case density violence (mean)"] = float(coh["density_violent"].mean())
    out["case density domestic (mean)"] = float(coh["density_domestic"].mean())
    out["prior custodial sentences (mean)"] = float(coh["n_prior_custodial"].mean())
    out["recidivism 3y: domestic"] = float(coh["recid_domestic"].mean())
    out["recidivism 3y: violence"] = float(coh["recid_violence"].mean())
    out["recidivism 3y: general"] = float(coh["recid_general"].mean())
    return out


def calibration_table(df: pd.DataFrame) -> pd.DataFrame:
    """Compare achieved figures with the targets.

    Parameters
    ----------
    df : pandas.DataFrame
        A generated extract (with ``true_relationship``; for the prior-case figures
        generated with ``emit_history=True``).

    Returns
    -------
    pandas.DataFrame
        Columns ``figure, target, achieved, difference, tolerance, within, source``.
    """
    got = achieved(df)
    rows = []
    for t in TARGETS:
        value = got.get(t.name, float("nan"))
        rows.append({
            "figure": t.name, "target": t.value, "achieved": value,
            "difference": value - t.value, "tolerance": t.tolerance,
            "within": bool(abs(value - t.value) <= t.tolerance), "source": t.source,
        })
    table = pd.DataFrame(rows)
    table.attrs["index_persons"] = int(got["index persons"])
    return table
