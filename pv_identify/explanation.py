"""What an explanation holds and how it reads (:class:`Explanation`, :class:`ModelExplanation`).

Like presidio's decision process, every label can be traced back to the rule, the
field and the text that produced it. Explanations are computed by
:meth:`pv_identify.Tagger.explain` on the tagger's own per-record path; this module only
holds and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pv_identify.combine import Decision
from pv_identify.normalize.articles import ArticleRef
from pv_identify.rules.compiler import CompiledRules, Hit
from pv_identify.schema import LABEL_TIER, OUT_LABEL, PARTNER_LABELS


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
    model : ModelExplanation or None
        The model's view (with a model).
    output : dict
        The row's output columns (``pv_label``, ``pv_source``, ..., ``pv_score``),
        exactly as :func:`pv_identify.tag` gives them.
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
    output: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The final relationship label, as :func:`pv_identify.tag` gives it."""
        return str(self.output.get(OUT_LABEL, self.decision.label))

    def _hit_line(self, hit: Hit, mark: str) -> str:
        rule = self.compiled.rules[hit.rule]
        line = (f"  {mark} {rule.id} -> {rule.label} (priority {rule.priority}): "
                f"{hit.text!r}\n      {rule.rationale}")
        if hit.note:  # a grammar phrase (its steps, outermost first) or a temporal step
            step = "time" if rule.group.startswith("text.time") else "grammar"
            line += f"\n      {step}: {hit.text!r} → {hit.note}"
        return line

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


