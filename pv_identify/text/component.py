"""The ``pv_identify`` spaCy component: the tagger's free-text path on a Doc.

The component holds a :class:`pv_identify.Tagger` and sets, per Doc, exactly what
:func:`pv_identify.text.tag_texts` gives the same text (both call
:meth:`pv_identify.text.matcher.TextMatcher.match` and
:func:`~pv_identify.text.output.text_output`). The evidence spans are mapped back from
the normalised text to the Doc's tokens.

A saved pipeline keeps its configuration: :meth:`PVTextComponent.to_disk` writes the
bound rule set and text rules (content, not file names) and the options, so
``spacy.load`` on another machine gives the same answers, whatever the component was
built from (a preset, a rule file, or a rule set edited in memory). With a text model
(``text_model``), ``to_disk`` also writes the model as a safe skops artefact with its
manifest (``pv_text_model.pvmodel`` + ``pv_text_model.manifest.json``) into the
component folder, and ``from_disk`` loads it with the same safe loader
(:func:`pv_identify.model.text_persist.load_text_model`: trusted types only, content
hash checked). The combination policy (:mod:`pv_identify.combine_text`) is saved too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from pv_identify.errors import RuleFileError
from pv_identify.rules.ruleset import RuleSet, names_of
from pv_identify.rules.textrules import TextRuleSet
from pv_identify.schema import DOMESTIC_LABELS, PARTNER_LABELS
from pv_identify.tagger import Tagger
from pv_identify.text.extensions import register_extensions
from pv_identify.text.matcher import TextMatch
from pv_identify.text.output import TextOutput, text_output
from pv_identify.text.scoring import RuleScore, TextScorer
from pv_identify.text.tokenizer import adjust_tokenizer as _adjust_tokenizer

SPANS_KEY = "pv_identify"
#: File the component writes into its folder of a saved pipeline.
STATE_FILE = "pv_identify.json"
STATE_FORMAT = "pv_identify-spacy/1"
#: File of the text model inside the component folder (with its ``.manifest.json``).
MODEL_FILE = "pv_text_model.pvmodel"
#: Largest state file read back (a rule set is a few hundred KB).
MAX_STATE_BYTES = 50_000_000


class PVTextComponent:
    """Tag a Doc with a relationship label, flags, score and evidence spans.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline.
    name : str, default "pv_identify"
        Component name.
    rules : str, pathlib.Path or RuleSet, default "default"
        Register rule set: preset name, rule file, or a loaded :class:`RuleSet`.
    text_rules : str, pathlib.Path, TextRuleSet or None
        Text rule file; the bundled ``rules/text/default.yaml`` when None.
    disable : sequence of str, optional
        Rule ids or groups to switch off (register or text rules).
    adjust_tokenizer : bool, default True
        Apply :func:`pv_identify.text.tokenizer.adjust_tokenizer` to ``nlp`` (in place).
    score : callable, optional
        Scorer ``(doc, decision) -> float`` (see :mod:`pv_identify.text.scoring`);
        :class:`~pv_identify.text.scoring.RuleScore` when None.
    spans_key : str, default "pv_identify"
        Key of the evidence span group in ``doc.spans``.
    tagger : Tagger, optional
        A configured tagger; when given, ``rules``, ``text_rules``, ``disable`` and
        ``text_model`` are not used.
    text_model : TextRelationshipClassifier, str or pathlib.Path, optional
        The text model (``"default"``: the shipped one); None: rules only.
    policy : str or None, default None
        How rules and model combine (see :mod:`pv_identify.combine_text`); None: the
        text model's chosen policy (``rules_first`` for a model without one).
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "pv_identify",
        *,
        rules: str | Path | RuleSet = "default",
        text_rules: str | Path | TextRuleSet | None = None,
        disable: Sequence[str] = (),
        adjust_tokenizer: bool = True,
        score: TextScorer | None = None,
        spans_key: str = SPANS_KEY,
        tagger: Tagger | None = None,
        text_model: Any = None,
        policy: str | None = None,
    ) -> None:
        from pv_identify.combine_text import as_policy

        register_extensions()
        as_policy(policy)  # validate the name now
        self.policy = policy
        self.name = name
        self.spans_key = spans_key
        self.score = score if score is not None else RuleScore()
        self.adjust_tokenizer = adjust_tokenizer
        self._nlp = nlp
        self.set_tagger(tagger if tagger is not None else
                        Tagger(rules, text_rules=text_rules, disable=list(names_of(disable)),
                               text_model=text_model))

    def set_tagger(self, tagger: Tagger) -> None:
        """Use ``tagger`` from now on (binds it: errors surface here)."""
        matcher = tagger.text_matcher
        self.tagger = tagger
        if self.adjust_tokenizer:
            _adjust_tokenizer(self._nlp, tagger.ruleset.abbreviations.keys())
        self.ruleset = tagger.ruleset
        self.text_rules = matcher.text_rules
        self.matchers = matcher
        self.text_model = tagger.fitted_text_model

    @property
    def metadata(self) -> dict[str, Any]:
        """Rule-set and text-rule names, versions and hashes (for output metadata)."""
        return {
            "ruleset": {"name": self.ruleset.name, "version": self.ruleset.version,
                        "hash": self.ruleset.hash},
            "text_rules": {"name": self.text_rules.name, "version": self.text_rules.version,
                           "hash": self.text_rules.hash},
            "score": getattr(self.score, "version", type(self.score).__name__),
        }

    def match(self, doc: Doc) -> TextMatch:
        """Match ``doc``'s text with the tagger's free-text matcher."""
        return self.matchers.match(doc.text)

    def output(self, match: TextMatch) -> TextOutput:
        """Return the output of one matched text (rules, or rules and model by the policy)."""
        compiled = self.matchers.compiled
        if self.text_model is None:
            return text_output(match, compiled)
        from pv_identify.model.text_apply import model_outputs

        return model_outputs(self.text_model, [match], compiled, self.policy,
                             self.tagger.threshold)[0]

    def _apply(self, doc: Doc, match: TextMatch, out: TextOutput | None = None) -> Doc:
        compiled = self.matchers.compiled
        if out is None:
            out = self.output(match)
        decision = match.decision
        rules = compiled.rules
        vetoed = {h.rule for h in decision.vetoed}
        spans = []
        for cand, (start, end) in zip(match.spans, _token_spans(doc, match, compiled),
                                      strict=True):
            if start is None or end is None:
                continue
            rule = rules[cand.rule]
            span = Span(doc, start, end, label=rule.label, span_id=rule.id)
            span._.pv_pattern = cand.pattern
            span._.pv_vetoed = cand.rule in vetoed
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.pv_label = out.label
        doc._.pv_partner_violence = out.label in PARTNER_LABELS
        doc._.pv_domestic_violence = out.label in DOMESTIC_LABELS
        doc._.pv_source = out.source
        doc._.pv_rule_ids = out.rule_ids
        doc._.pv_evidence = out.evidence
        if self.text_model is not None:
            doc._.pv_score = out.score
        else:
            score = self.score(doc, decision)
            doc._.pv_score = float(score) if score is not None else math.nan
        return doc

    def __call__(self, doc: Doc) -> Doc:
        """Tag ``doc`` in place and return it."""
        return self._apply(doc, self.match(doc))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Tag a stream of docs in batches of ``batch_size``, each distinct text once."""
        for batch in minibatch(stream, size=max(1, int(batch_size))):
            seen: dict[str, TextMatch] = {}
            for doc in batch:
                if doc.text not in seen:
                    seen[doc.text] = self.match(doc)
            texts = list(seen)
            matches = [seen[t] for t in texts]
            if self.text_model is not None and matches:
                from pv_identify.model.text_apply import model_outputs

                outs = dict(zip(texts, model_outputs(
                    self.text_model, matches, self.matchers.compiled, self.policy,
                    self.tagger.threshold), strict=True))
            else:
                outs = {t: text_output(m, self.matchers.compiled) for t, m in seen.items()}
            for doc in batch:
                yield self._apply(doc, seen[doc.text], outs[doc.text])

    # --- serialisation ---------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the bound rule set, text rules, options and text model into ``path``."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        state = {
            "format": STATE_FORMAT,
            "ruleset": self.ruleset.to_dict(),
            "text_rules": self.text_rules.to_dict(),
            "ruleset_hash": self.ruleset.hash,
            "text_rules_hash": self.text_rules.hash,
            "policy": self.policy,
            "threshold": float(self.tagger.threshold),
        }
        if self.text_model is not None:
            from pv_identify.model.text_persist import save_text_model

            manifest = dict(getattr(self.text_model, "manifest_", None) or {})
            keep = {k: manifest[k] for k in ("name", "version", "training_data", "metrics")
                    if k in manifest}
            written = save_text_model(self.text_model, folder / MODEL_FILE, keep)
            state["text_model"] = {"file": MODEL_FILE,
                                   "model_sha256": written["model_sha256"]}
        (folder / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False),
                                         encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PVTextComponent:
        """Restore what :meth:`to_disk` wrote (never executes code; JSON only)."""
        file = Path(path) / STATE_FILE
        if not file.is_file():
            return self  # a pipeline saved before state files existed: keep the config
        if file.stat().st_size > MAX_STATE_BYTES:
            raise RuleFileError(str(file), f"larger than {MAX_STATE_BYTES} bytes; refusing "
                                "to read it")
        try:
            state = json.loads(file.read_text(encoding="utf-8"))
            if state.get("format") != STATE_FORMAT:
                raise ValueError(f"unknown format {state.get('format')!r}")
            ruleset = RuleSet.from_dict(state["ruleset"])
            text_rules = TextRuleSet.from_dict(state["text_rules"])
        except (ValueError, KeyError, TypeError) as exc:
            raise RuleFileError(str(file), f"not a valid pv_identify component state "
                                f"({type(exc).__name__}: {exc})") from None
        if ruleset.hash != state.get("ruleset_hash") or \
                text_rules.hash != state.get("text_rules_hash"):
            raise RuleFileError(str(file), "the saved rules do not match their recorded hash "
                                "(the file was edited or damaged)")
        model = None
        saved_model = state.get("text_model")
        if saved_model:
            from pv_identify.errors import ModelFileError
            from pv_identify.model.text_persist import load_text_model

            model_file = Path(path) / MODEL_FILE
            model = load_text_model(model_file)
            if model.manifest_.get("model_sha256") != saved_model.get("model_sha256"):
                raise ModelFileError(f"{model_file}: not the model this component saved "
                                     "(content hash differs from the component state)")
        from pv_identify.combine_text import as_policy

        saved_policy = state.get("policy", self.policy)
        try:  # a policy name or null (the model's chosen policy), as the constructor takes
            if saved_policy is not None and not isinstance(saved_policy, str):
                raise ValueError("'policy' must be a policy name or null")
            as_policy(saved_policy)
        except ValueError as exc:
            raise RuleFileError(str(file), str(exc)) from None
        self.policy = saved_policy
        self.set_tagger(Tagger(ruleset, text_rules=text_rules, text_model=model,
                               threshold=float(state.get("threshold", 0.5))))
        return self


def _token_spans(doc: Doc, match: TextMatch, compiled: Any
                 ) -> list[tuple[int | None, int | None]]:
    """Map candidate spans (offsets in the normalised text) to Doc token offsets."""
    if not match.spans:
        return []
    normalize = compiled.normalize_qualification
    pieces: list[tuple[int, int, int]] = []  # (start in normalised text, end, token index)
    pos = 0
    text = match.normalized
    for token in doc:
        norm = normalize(token.text)
        if not norm:
            continue
        found = text.find(norm, pos)
        if found < 0 or found - pos > 64:
            continue  # abbreviation expansions and other rewrites: skip this token
        pieces.append((found, found + len(norm), token.i))
        pos = found + len(norm)
    out: list[tuple[int | None, int | None]] = []
    for span in match.spans:
        inside = [t for s, e, t in pieces if s < span.end and e > span.start]
        out.append((min(inside), max(inside) + 1) if inside else (None, None))
    return out
