"""Explain one decision: which rules matched which text, what was vetoed, who decided.

Like presidio's decision process, every label can be traced back to the rule, the
field and the text that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pv_identify.combine import Decision, decide
from pv_identify.io.mapping import ColumnMapping
from pv_identify.normalize.articles import ArticleRef, parse_articles
from pv_identify.normalize.distinct import to_text
from pv_identify.rules.compiler import CompiledRules, Hit, compile_rules
from pv_identify.schema import LABEL_TIER, PARTNER_LABELS
from pv_identify.tagger import RulesSpec, resolve_rules


@dataclass(frozen=True)
class Explanation:
    """The full reasoning for one record.

    Attributes
    ----------
    qualification, mc, article : str
        The raw field values.
    normalized_qualification : str
        The qualification as the matchers saw it.
    mc_names : tuple of str
        The normalised MC names.
    articles : tuple of ArticleRef
        The parsed article references.
    decision : Decision
        Label, counted and vetoed hits, deciding hit.
    compiled : CompiledRules
        The compiled rule set used.
    """

    qualification: str
    mc: str
    article: str
    normalized_qualification: str
    mc_names: tuple[str, ...]
    articles: tuple[ArticleRef, ...]
    decision: Decision
    compiled: CompiledRules

    @property
    def label(self) -> str:
        """The relationship label."""
        return self.decision.label

    def _hit_line(self, hit: Hit, mark: str) -> str:
        rule = self.compiled.rules[hit.rule]
        return (f"  {mark} {rule.id} -> {rule.label} (priority {rule.priority}): "
                f"{hit.text!r}\n      {rule.rationale}")

    def __str__(self) -> str:
        """Return a readable, multi-line explanation."""
        rs = self.compiled.ruleset
        lines = [f"Rule set: {rs.name} {rs.version} (hash {rs.hash})"]
        sections = (
            ("qualification", self.qualification,
             f"normalised: {self.normalized_qualification!r}"),
            ("mc", self.mc, f"names: {list(self.mc_names)}"),
            ("article", self.article, f"parsed: {[str(a) for a in self.articles]}"),
        )
        for fld, raw, detail in sections:
            lines.append(f"{fld}: {raw!r}")
            lines.append(f"  {detail}")
            for hit in self.decision.hits:
                if hit.field == fld:
                    lines.append(self._hit_line(hit, "+"))
            for hit in self.decision.vetoed:
                if hit.field == fld:
                    lines.append(self._hit_line(hit, "x (vetoed)"))
        winner = self.decision.winner
        if winner is None:
            why = ("an exclusion rule fired and no relationship rule remained"
                   if self.decision.fired else "no rule fired")
            lines.append(f"Decision: {self.label} ({why})")
        else:
            rule = self.compiled.rules[winner.rule]
            lines.append(
                f"Decision: {self.label}, decided by {rule.id} on {winner.field} "
                f"(label tier {LABEL_TIER[rule.label]}, priority {rule.priority})")
        lines.append(
            f"Flags: partner violence = {'yes' if self.label in PARTNER_LABELS else 'no'}; "
            f"domestic violence = {'no' if self.label == 'none' else 'yes'}")
        return "\n".join(lines)


def explain(
    record: Mapping[str, Any] | pd.Series | None = None,
    rules: RulesSpec = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    qualification: str | None = None,
    mc: str | None = None,
    article: str | None = None,
) -> Explanation:
    """Explain the rules' decision on one record.

    Parameters
    ----------
    record : mapping or pandas.Series, optional
        One row of an extract (columns found as in :func:`pv_identify.tag`).
    rules : str, pathlib.Path or RuleSet, default "default"
        The rule set.
    columns : mapping, optional
        Column mapping for ``record``.
    qualification, mc, article : str, optional
        Field values given directly (override ``record``).

    Returns
    -------
    Explanation
        Print it for a readable account.

    Examples
    --------
    >>> print(explain(qualification="mishandeling, begaan tegen zijn echtgenoot"))  # doctest: +SKIP
    """
    compiled = compile_rules(resolve_rules(rules))
    values = {"qualification": "", "mc": "", "article": ""}
    if record is not None:
        data = dict(record)
        mapping = ColumnMapping.resolve(list(data), columns, require_text=False)
        for fld in ("qualification", "article"):
            col = mapping.get(fld)
            if col:
                values[fld] = to_text(data[col])
        if mapping.mc:
            values["mc"] = ";".join(to_text(data[c]) for c in mapping.mc)
    for fld, given in (("qualification", qualification), ("mc", mc), ("article", article)):
        if given is not None:
            values[fld] = to_text(given)
    norm = compiled.normalize_qualification(values["qualification"])
    names = compiled.split_mc(values["mc"])
    refs = parse_articles(values["article"])
    hits = (compiled.match_qualification(norm) + compiled.match_mc(names)
            + compiled.match_articles(refs))
    return Explanation(values["qualification"], values["mc"], values["article"], norm, names,
                       refs, decide(hits, compiled), compiled)
