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




# --- free text (issue 14): hits, policy and the text model's features ---------------


@dataclass(frozen=True)
class TextExplanation:
    """The reasoning for one free text: matcher hits, the policy and the model's view.

    Built by :meth:`pv_identify.Tagger.explain_text` (and ``pv.explain(text=...)``) on the
    same path as :func:`pv_identify.text.tag_texts`.

    Attributes
    ----------
    text, normalized : str
        The text and the normalised text the matcher saw.
    spans : tuple of (str, str, str, str)
        Surviving candidate spans: matched text, rule id, label, how it matched.
    decision : Decision
        The rules' decision.
    compiled : CompiledRules
        The matcher's compiled rules.
    output : dict
        ``pv_label``, ``pv_source``, ``pv_rule_ids``, ``pv_evidence``, ``pv_score``
        exactly as ``tag_texts`` gives them.
    policy : str or None
        The combination policy (None without a model).
    probabilities : dict of str to float
        The model's calibrated class probabilities (empty without a model).
    contributions : tuple of Contribution
        Features that weighed most for the final label's class.
    features : tuple of str
        The feature document of the hits, windows and cues (without n-grams).
    overruled : bool
        Whether the model switched partner / ex_partner by temporal context.
    model_version : str or None
        The text model's version.
    """

    text: str
    normalized: str
    spans: tuple[tuple[str, str, str, str], ...]
    decision: Decision
    compiled: CompiledRules
    output: dict[str, Any]
    policy: str | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    contributions: tuple[Any, ...] = ()
    features: tuple[str, ...] = ()
    overruled: bool = False
    model_version: str | None = None

    @property
    def label(self) -> str:
        """The final label, as ``tag_texts`` gives it."""
        return str(self.output.get(OUT_LABEL, self.decision.label))

    def __str__(self) -> str:
        """Return a readable, multi-line explanation."""
        lines = [f"text: {self.text!r}", f"  normalised: {self.normalized!r}", "hits:"]
        vetoed = {self.compiled.rules[h.rule].id for h in self.decision.vetoed}
        for covered, rule_id, label, kind in self.spans:
            mark = "x (vetoed)" if rule_id in vetoed else "+"
            lines.append(f"  {mark} {rule_id} -> {label} ({kind}): {covered!r}")
        if not self.spans:
            lines.append("  (none)")
        # the steps after the spans (grammar chains, possessor, salience, time): each
        # hit with a note says how it read the text, so a decision the spans alone do not
        # explain ("none" beside a relationship phrase) names the step that made it
        steps = [h for h in self.decision.hits if h.note]
        if steps:
            lines.append("steps:")
            lines += [f"  {self.compiled.rules[h.rule].id}: {h.text!r} → {h.note}"
                      for h in steps]
        winner = self.decision.winner
        rules_said = (f"{self.decision.label} by {self.compiled.rules[winner.rule].id}"
                      if winner is not None else
                      f"{self.decision.label} (by the steps above)" if steps else
                      f"{self.decision.label} (no relationship rule)")
        lines.append(f"Rules: {rules_said}")
        if self.policy is not None:
            probs = ", ".join(f"{k} {v:.3f}" for k, v in
                              sorted(self.probabilities.items(), key=lambda kv: -kv[1]))
            lines.append(f"Model {self.model_version}: {probs}; policy {self.policy}"
                         + ("; partner/ex_partner overruled by temporal context"
                            if self.overruled else ""))
            lines.append("  features that weighed most (log-odds vs other; + pushes towards "
                         "the label's class):")
            lines += [f"    {c.weight:+.3f}  {c.feature}" for c in self.contributions]
        out = self.output
        score = out.get("pv_score")
        lines.append(f"Decision: {self.label} (source {out.get('pv_source')}"
                     + (f", partner-violence probability {score:.3f})"
                        if isinstance(score, float) and score == score else ")"))
        lines.append(
            f"Flags: partner violence = {'yes' if self.label in PARTNER_LABELS else 'no'}; "
            f"domestic violence = {'no' if self.label == 'none' else 'yes'}")
        return "\n".join(lines)


def explain_text(tagger: Any, text: str, *, policy: Any = None, top: int = 8
                 ) -> TextExplanation:
    """Explain one free text with a configured tagger (see :meth:`Tagger.explain_text`)."""
    from pv_identify.rules.compiler import KIND_NAMES
    from pv_identify.schema import ID_SEPARATOR, text_class
    from pv_identify.text.output import text_output

    matcher = tagger.text_matcher
    compiled = matcher.compiled
    match = matcher.match("" if text is None else str(text))
    rules = compiled.rules
    spans = tuple((match.normalized[s.start:s.end], rules[s.rule].id, rules[s.rule].label,
                   KIND_NAMES.get(s.kind, str(s.kind))) for s in match.spans)
    model = tagger.fitted_text_model
    if model is None:
        out = text_output(match, compiled)
        extra: dict[str, Any] = {}
    else:
        from pv_identify.model.text_apply import model_outputs, policy_for, score_matches

        pol = policy_for(model, policy, tagger.threshold)
        out = model_outputs(model, [match], compiled, pol)[0]
        scored = score_matches(model, [match], compiled, pol)
        extra = {
            "policy": pol.name,
            "probabilities": {str(c): float(p)
                              for c, p in zip(model.classes_, scored.proba[0], strict=True)},
            "contributions": tuple(model.contributions(scored.matrix[0],
                                                       text_class(out.label), top=top)),
            "features": tuple(scored.docs[0].split(" ")),
            "overruled": bool(scored.combined.overruled[0]),
            "model_version": getattr(model, "version_", None),
        }
    output = {OUT_LABEL: out.label, "pv_source": out.source,
              "pv_rule_ids": ID_SEPARATOR.join(out.rule_ids), "pv_evidence": out.evidence,
              "pv_score": out.score}
    return TextExplanation(str(text), match.normalized, spans, match.decision, compiled,
                           output, **extra)
