"""Explain one decision: which rules matched which text, what was vetoed, who decided.

Like presidio's decision process, every label can be traced back to the rule, the
field and the text that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    model: ModelExplanation | None = field(default=None)

    @property
    def label(self) -> str:
        """The final relationship label (the model's where the model decided)."""
        if self.model is not None and self.model.decided:
            return self.model.label
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
        if self.model is not None and self.model.decided:
            lines.append(str(self.model))
        elif winner is None:
            why = ("an exclusion rule fired and no relationship rule remained"
                   if self.decision.fired else "no rule fired")
            lines.append(f"Decision: {self.label} ({why})")
        else:
            rule = self.compiled.rules[winner.rule]
            lines.append(
                f"Decision: {self.label}, decided by {rule.id} on {winner.field} "
                f"(label tier {LABEL_TIER[rule.label]}, priority {rule.priority})")
        if self.model is not None and not self.model.decided:
            lines.append(f"Model (not deciding): {self.model.summary()}")
        lines.append(
            f"Flags: partner violence = {'yes' if self.label in PARTNER_LABELS else 'no'}; "
            f"domestic violence = {'no' if self.label == 'none' else 'yes'}")
        return "\n".join(lines)


@dataclass(frozen=True)
class ModelExplanation:
    """The model's view of one record.

    Attributes
    ----------
    label : str
        The model's label at the threshold (``none`` below it).
    score : float
        Partner-violence score P(partner) + P(ex_partner).
    probabilities : dict of str to float
        Probability per label.
    threshold : float
        The threshold used.
    decided : bool
        Whether the model decided the final label (no rule evidence, or refinement of
        ``domestic_unspecified``).
    contributions : tuple of Contribution
        Features that weighed most for the explained label (against ``none``).
    version : str or None
        The model version.
    """

    label: str
    score: float
    probabilities: dict[str, float]
    threshold: float
    decided: bool
    contributions: tuple[Any, ...]
    version: str | None

    def summary(self) -> str:
        """One line: label, score, threshold."""
        return (f"label {self.label}, partner-violence score {self.score:.3f} "
                f"(threshold {self.threshold}), model {self.version}")

    def __str__(self) -> str:
        """Return the decision with the features that weighed most."""
        probs = ", ".join(f"{k} {v:.3f}" for k, v in
                          sorted(self.probabilities.items(), key=lambda kv: -kv[1]))
        lines = [f"Decision: {self.label}, decided by the model ({self.summary()})",
                 f"  probabilities: {probs}",
                 "  features that weighed most (log-odds vs none; + pushes towards the "
                 "label):"]
        lines += [f"    {c.weight:+.3f}  {c.feature}" for c in self.contributions]
        return "\n".join(lines)


def _explain_model(model_spec: Any, values: dict[str, str], record: Mapping[str, Any] | None,
                   context: pd.DataFrame | None, columns: Mapping[str, Any] | None,
                   decision: Decision, threshold: float, top: int) -> ModelExplanation:
    from pv_identify.combine import model_labels
    from pv_identify.model.features import build_features
    from pv_identify.model.persist import resolve_model
    from pv_identify.schema import DOMESTIC_UNSPECIFIED, NONE, PARTNER_LABELS

    model = resolve_model(model_spec)
    if context is not None and isinstance(record, pd.Series) and record.name in context.index:
        features = build_features(context, columns)
        pos = context.index.get_loc(record.name)
        row = features.table.iloc[[int(features.codes[pos])]]
    else:
        frame = pd.DataFrame({"artikelkwalificatie": [values["qualification"]],
                              "maatschappelijke_classificatie": [values["mc"]],
                              "wetsartikel": [values["article"]]})
        row = build_features(frame).table.iloc[[0]]
    proba = model.predict_proba_table(row)
    label, s_pv = model_labels(proba, model.classes_, threshold)
    m_label = str(label[0])
    decided = (not decision.fired and m_label != NONE) or (
        decision.label == DOMESTIC_UNSPECIFIED and m_label not in (NONE, DOMESTIC_UNSPECIFIED))
    target = m_label
    if target == NONE:  # explain the strongest alternative
        classes = list(model.classes_)
        pv = [c for c in classes if c in PARTNER_LABELS]
        target = max(pv, key=lambda c: proba[0, classes.index(c)]) if pv else NONE
    return ModelExplanation(
        label=m_label, score=float(s_pv[0]),
        probabilities={str(c): float(p) for c, p in zip(model.classes_, proba[0], strict=True)},
        threshold=threshold, decided=decided,
        contributions=tuple(model.contributions(row, target, top=top)),
        version=getattr(model, "version_", None))


def explain(
    record: Mapping[str, Any] | pd.Series | None = None,
    rules: RulesSpec = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    qualification: str | None = None,
    mc: str | None = None,
    article: str | None = None,
    model: Any = None,
    threshold: float = 0.5,
    context: pd.DataFrame | None = None,
    top: int = 8,
) -> Explanation:
    """Explain the decision on one record: the rules, and the model if one is given.

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
    model : RelationshipClassifier, str or pathlib.Path, optional
        A model (object, file or ``"default"``). For a model decision the explanation
        lists the features that weighed most.
    threshold : float, default 0.5
        Model threshold.
    context : pandas.DataFrame, optional
        The extract ``record`` is a row of (``record`` must be ``context.loc[i]``), so
        that case and person context features are computed as in :func:`tag`.
    top : int, default 8
        Number of model features to show.

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
    decision = decide(hits, compiled)
    model_part = None
    if model is not None:
        model_part = _explain_model(model, values, record, context, columns, decision,
                                    threshold, top)
    return Explanation(values["qualification"], values["mc"], values["article"], norm, names,
                       refs, decision, compiled, model_part)
