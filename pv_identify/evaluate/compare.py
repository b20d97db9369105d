"""Compare two rule sets on the same extract (what changes in my cohort?).

:func:`compare` tags the extract with rule set A and rule set B and reports, for one
flag (partner violence by default):

* how many offences, cases and persons each flags, and how many offences are
  gained and lost by moving from A to B;
* the gained and lost offences by registration year, article, MC and rule;
* on request (``show_texts=True``) the most frequent changed qualification texts —
  the data are sensitive, so texts never appear otherwise;
* with gold labels: precision, recall and F1 of both with bootstrap intervals and a
  paired test of the difference.

:func:`drop_terms` builds "A without the term 'partner'"; extra term lists are added
with :func:`pv_identify.load_rules` (``extra_terms={"ex_partner": path}``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.evaluate.common import (
    RulesSpec,
    check_target,
    cluster_codes,
    gold_flag,
    load_ruleset,
    predicted_flag,
    resolve_gold,
    target_labels,
    year_series,
)
from pv_identify.evaluate.metrics import N_BOOT, Estimate, PairedTest, binary_metrics, paired_test
from pv_identify.io.mapping import ColumnMapping
from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.distinct import factorize_text
from pv_identify.rules.apply import join_mc_columns
from pv_identify.rules.compiler import compile_rules
from pv_identify.rules.ruleset import RuleSet
from pv_identify.schema import ID_SEPARATOR, OUT_LABEL, OUT_RULE_IDS
from pv_identify.tagger import tag

#: Label used in breakdowns for rows without a value.
MISSING = "(none)"


def drop_terms(ruleset: RuleSet, terms: Iterable[str]) -> RuleSet:
    """Remove qualification terms (case-insensitive) from a rule set.

    Rules left without terms are dropped.

    Parameters
    ----------
    ruleset : RuleSet
        The rule set.
    terms : iterable of str
        Terms to remove, as written in the rule files (``"partner"``, ``"dochter*"``).

    Returns
    -------
    RuleSet
        A new rule set named ``"<name>-terms"`` (its hash differs).

    Raises
    ------
    PvIdentifyError
        If a term is not in any qualification rule.
    """
    wanted = {t.strip().casefold() for t in terms if t.strip()}
    found: set[str] = set()
    rules = []
    for rule in ruleset.rules:
        if rule.field != "qualification":
            rules.append(rule)
            continue
        kept = tuple(t for t in rule.terms if t.text.casefold() not in wanted)
        found |= {t.text.casefold() for t in rule.terms} & wanted
        if kept:
            rules.append(replace(rule, terms=kept))
    missing = sorted(wanted - found)
    if missing:
        raise PvIdentifyError(f"term(s) {missing} are not in any qualification rule of rule "
                              f"set {ruleset.name!r}")
    return replace(ruleset, name=f"{ruleset.name}-terms", rules=tuple(rules))


@dataclass
class Comparison:
    """Result of :func:`compare` (counts only, unless texts were asked for).

    Attributes
    ----------
    rulesets : dict of str to dict
        ``"a"``/``"b"`` -> name, version, hash.
    target : str
        The flag compared (``partner`` or ``domestic``).
    counts : pandas.DataFrame
        Index ``offences``, ``cases``, ``persons``; columns ``a``, ``b`` (flagged),
        ``gained`` and ``lost`` (flagged by B only / by A only) and ``total``.
    breakdowns : dict of str to pandas.DataFrame
        ``year``, ``article``, ``mc``, ``rule`` -> table with columns ``gained``,
        ``lost``, ``net`` (offences), sorted by changes.
    gained, lost : pandas.Index
        Index labels of the gained and lost offences.
    changed_texts : pandas.DataFrame or None
        The most frequent qualification texts of changed offences (only with
        ``show_texts``).
    metrics : pandas.DataFrame or None
        With gold labels: index ``a``, ``b``; precision, recall, F1 with bounds.
    paired : PairedTest or None
        With gold labels: the paired test of B against A.
    notes : list of str
        Remarks (no record contents).
    """

    rulesets: dict[str, dict[str, str]]
    target: str
    counts: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    gained: pd.Index
    lost: pd.Index
    changed_texts: pd.DataFrame | None = None
    metrics: pd.DataFrame | None = None
    paired: PairedTest | None = None
    notes: list[str] = field(default_factory=list)

    def format(self, top: int = 10) -> str:
        """Return a plain-text report (the CLI output)."""
        a, b = self.rulesets["a"], self.rulesets["b"]
        lines = [
            f"A  {a['name']} {a['version']} (hash {a['hash']})",
            f"B  {b['name']} {b['version']} (hash {b['hash']})",
            f"flag: {self.target} violence", "",
            self.counts.to_string(), "",
        ]
        for name, table in self.breakdowns.items():
            if table.empty:
                continue
            shown = table if name == "year" else table.head(top)
            more = f" (top {top} of {len(table)})" if len(shown) < len(table) else ""
            lines += [f"changes by {name}{more}", shown.to_string(), ""]
        if self.metrics is not None:
            lines.append("against the gold labels")
            for side in ("a", "b"):
                m = self.metrics.loc[side]
                lines.append(
                    f"  {side}: " + "  ".join(
                        f"{k} {Estimate(m[k], m[k + '_low'], m[k + '_high']).format()}"
                        for k in ("precision", "recall", "f1")))
        if self.paired is not None:
            pt = self.paired
            kind = "cluster" if pt.clustered else "row"
            lines.append(f"  B - A (paired {kind} bootstrap, {pt.n_boot} replicates):")
            for metric, row in pt.metrics.iterrows():
                lines.append(f"    {metric:<9} {row['diff']:+.3f} [{row['diff_low']:+.3f}, "
                             f"{row['diff_high']:+.3f}]  p = {_p(row['p_value'])}")
            lines.append(f"  McNemar on offences where exactly one is right: only A right "
                         f"{pt.discordant[0]:,}, only B right {pt.discordant[1]:,}, "
                         f"p = {_p(pt.mcnemar_p)}")
            lines.append("")
        if self.changed_texts is not None and not self.changed_texts.empty:
            lines += ["most frequent changed qualification texts",
                      self.changed_texts.head(top).to_string(), ""]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary (no texts unless they were asked for)."""
        out: dict[str, Any] = {
            "rulesets": self.rulesets, "target": self.target,
            "counts": _records(self.counts),
            "breakdowns": {k: _records(v) for k, v in self.breakdowns.items()},
            "notes": self.notes,
        }
        if self.metrics is not None:
            out["metrics"] = _records(self.metrics)
        if self.paired is not None:
            out["paired"] = {"metrics": _records(self.paired.metrics),
                             "mcnemar_p": _num(self.paired.mcnemar_p),
                             "discordant": list(self.paired.discordant),
                             "n_boot": self.paired.n_boot, "clustered": self.paired.clustered}
        if self.changed_texts is not None:
            out["changed_texts"] = self.changed_texts.to_dict(orient="records")
        return out


def _p(p: float) -> str:
    if math.isnan(p):
        return "n/a"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _num(x: Any) -> Any:
    if isinstance(x, float | np.floating):
        return None if math.isnan(x) else float(x)
    if isinstance(x, np.integer):
        return int(x)
    return x


def _records(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(i): {str(k): _num(v) for k, v in row.items()} for i, row in table.iterrows()}


def _info(rs: RuleSet) -> dict[str, str]:
    return {"name": rs.name, "version": rs.version, "hash": rs.hash}


def _multi_breakdown(values: pd.Series, keys_of: Any, gained: np.ndarray,
                     lost: np.ndarray) -> pd.DataFrame:
    """Count gained/lost rows per key, where each value may give several keys."""
    changed = gained | lost
    sub = values[changed]
    codes, uniques = factorize_text(sub)
    keys = [tuple(keys_of(u)) or (MISSING,) for u in uniques]
    g = np.bincount(codes[gained[changed]], minlength=len(uniques))
    lo = np.bincount(codes[lost[changed]], minlength=len(uniques))
    counts: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        for k in dict.fromkeys(ks):
            c = counts.setdefault(k, [0, 0])
            c[0] += int(g[i])
            c[1] += int(lo[i])
    return _table(counts)


def _table(counts: Mapping[Any, Sequence[int]]) -> pd.DataFrame:
    table = pd.DataFrame.from_dict(dict(counts), orient="index", columns=["gained", "lost"])
    if table.empty:
        return pd.DataFrame(columns=["gained", "lost", "net"])
    table = table.astype(np.int64)
    table["net"] = table["gained"] - table["lost"]
    table = table[(table["gained"] > 0) | (table["lost"] > 0)]
    order = (table["gained"] + table["lost"]).sort_values(ascending=False, kind="stable")
    return table.loc[order.index]


def _article_keys(text: str) -> list[str]:
    return [f"{ref.law}:{ref.article}" for ref in parse_articles(text)]


def compare(
    df: pd.DataFrame,
    rules_a: RulesSpec = "default",
    rules_b: RulesSpec = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    target: str = "partner",
    gold: str | pd.Series | bool | None = None,
    cluster: str | None = "case_id",
    show_texts: bool = False,
    n_texts: int = 20,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> Comparison:
    """Compare two rule sets on the same extract.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract (not modified; existing ``pv_*`` columns are ignored).
    rules_a, rules_b : str, pathlib.Path or RuleSet
        Preset names, rule files or loaded rule sets (build "preset plus a term
        list" with ``pv_identify.load_rules(..., extra_terms=...)`` and "preset
        without a term" with :func:`drop_terms`).
    columns : mapping, optional
        Column mapping.
    target : {"partner", "domestic"}, default "partner"
        The flag to compare.
    gold : str, pandas.Series, None or False
        Gold-label column; None uses ``true_relationship`` when present, False none.
    cluster : str or None, default "case_id"
        Canonical field whose values are resampled as wholes in the bootstrap
        (``"case_id"``, ``"person_id"``) or None for rows. Falls back to rows when
        the field is absent.
    show_texts : bool, default False
        Include the most frequent changed qualification texts.
    n_texts : int, default 20
        How many texts.
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Random seed.

    Returns
    -------
    Comparison
        Counts, breakdowns and (with gold labels) metrics.

    Examples
    --------
    >>> import pandas as pd, pv_identify as pv
    >>> from pv_identify.evaluate import compare, drop_terms
    >>> df = pd.DataFrame({"artikelkwalificatie": ["mishandeling, begaan tegen zijn partner"]})
    >>> rs = pv.load_rules("wodc2022")
    >>> compare(df, rs, drop_terms(rs, ["partner"])).counts.loc["offences", "lost"]
    np.int64(1)
    """
    check_target(target)
    ra = load_ruleset(rules_a)
    rb = load_ruleset(rules_b)
    gold_labels = resolve_gold(df, None if gold is True else gold)
    if gold is True and gold_labels is None:
        raise PvIdentifyError("gold=True but the data have no true_relationship column")
    base = df.drop(columns=[c for c in df.columns if str(c).startswith("pv_")])
    ta = tag(base, ra, columns=columns)
    tb = tag(base, rb, columns=columns)
    fa, fb = predicted_flag(ta, target), predicted_flag(tb, target)
    gained, lost = fb & ~fa, fa & ~fb
    mapping = ColumnMapping.resolve(base.columns, columns)
    notes: list[str] = []

    counts = {"offences": [int(fa.sum()), int(fb.sum()), int(gained.sum()), int(lost.sum()),
                           len(base)]}
    for name, unit in (("case_id", "cases"), ("person_id", "persons")):
        col = mapping.get(name)
        if col is None:
            notes.append(f"no {name} column: {unit} are not counted")
            continue
        keys = base[col]
        in_a = set(pd.unique(keys[fa]))
        in_b = set(pd.unique(keys[fb]))
        counts[unit] = [len(in_a), len(in_b), len(in_b - in_a), len(in_a - in_b),
                        int(keys.nunique())]
    count_table = pd.DataFrame.from_dict(counts, orient="index",
                                         columns=["a", "b", "gained", "lost", "total"])
    count_table.attrs["note"] = ("cases/persons gained: flagged by B, not by A (and lost: "
                                 "the reverse)")

    breakdowns: dict[str, pd.DataFrame] = {}
    years = year_series(base, columns)
    if years is not None:
        y = years.astype("Int64").astype(str).replace("<NA>", MISSING).to_numpy()
        yc: dict[str, list[int]] = {}
        for key in np.union1d(y[gained], y[lost]):
            yc[str(key)] = [int((y[gained] == key).sum()), int((y[lost] == key).sum())]
        breakdowns["year"] = _table(yc).sort_index()
    else:
        notes.append("no registration or offence date column: no breakdown by year")
    art = mapping.get("article")
    if art:
        breakdowns["article"] = _multi_breakdown(base[art], _article_keys, gained, lost)
    if mapping.mc:
        compiled = compile_rules(rb)
        mc_values = (base[mapping.mc[0]] if len(mapping.mc) == 1 else
                     join_mc_columns(base, list(mapping.mc), rb.mc_delimiters[:1] or ";"))
        breakdowns["mc"] = _multi_breakdown(mc_values, compiled.split_mc, gained, lost)
    rule_counts: dict[str, list[int]] = {}
    wanted = target_labels(target)
    for side, tagged, mask, rs in (("b", tb, gained, rb), ("a", ta, lost, ra)):
        flagging = {r.id for r in rs.rules if r.label in wanted}
        for ids, n in tagged.loc[mask, OUT_RULE_IDS].value_counts().items():
            hits = [i for i in str(ids).split(ID_SEPARATOR) if i in flagging] or [MISSING]
            for rid in hits:
                c = rule_counts.setdefault(rid, [0, 0])
                c[0 if side == "b" else 1] += int(n)
    breakdowns["rule"] = _table(rule_counts)
    notes.append("changes by rule: a gained offence counts for the rules of B that set the "
                 "flag on it, a lost one for the rules of A; one offence can count for "
                 "several rules, articles and MCs")

    changed_texts = None
    qual = mapping.get("qualification")
    if show_texts and qual:
        direction = np.where(gained, "gained", np.where(lost, "lost", ""))
        sub = pd.DataFrame({"change": direction, "qualification": base[qual].to_numpy()})
        sub = sub[gained | lost]
        changed_texts = (sub.value_counts(dropna=False).rename("offences").reset_index()
                         .head(n_texts))
        lab = pd.DataFrame({"qualification": base[qual].to_numpy(),
                            "label_a": ta[OUT_LABEL].astype(str).to_numpy(),
                            "label_b": tb[OUT_LABEL].astype(str).to_numpy()})[gained | lost]
        first = lab.drop_duplicates("qualification")
        changed_texts = changed_texts.merge(first, on="qualification", how="left")
    elif not show_texts:
        notes.append("qualification texts are not shown (sensitive data); ask with "
                     "show_texts=True / --show-texts")

    metrics = paired = None
    if gold_labels is not None:
        has = gold_labels.notna().to_numpy()
        if not has.all():
            notes.append(f"{int((~has).sum()):,} offences without a gold label left out of "
                         "the metrics")
        gflag = gold_flag(gold_labels[has], target)
        all_codes = cluster_codes(base, cluster, columns)
        if cluster and all_codes is None:
            notes.append(f"no {cluster} column: the bootstrap resamples offences")
        clus = all_codes[has] if all_codes is not None else None
        rows = {}
        for side, f in (("a", fa), ("b", fb)):
            m = binary_metrics(gflag, f[has], cluster=clus, n_boot=n_boot, seed=seed)
            row: dict[str, float] = {}
            for k in ("precision", "recall", "f1"):
                est = m[k]
                assert isinstance(est, Estimate)
                row[k], row[k + "_low"], row[k + "_high"] = est.value, est.low, est.high
            for k in ("tp", "fp", "fn"):
                row[k] = float(m[k])  # type: ignore[arg-type]
            rows[side] = row
        metrics = pd.DataFrame.from_dict(rows, orient="index")
        paired = paired_test(gflag, fa[has], fb[has], cluster=clus, n_boot=n_boot, seed=seed)
    return Comparison(
        rulesets={"a": _info(ra), "b": _info(rb)}, target=target, counts=count_table,
        breakdowns=breakdowns, gained=base.index[gained], lost=base.index[lost],
        changed_texts=changed_texts, metrics=metrics, paired=paired, notes=notes)
