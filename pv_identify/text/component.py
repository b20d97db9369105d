"""The ``pv_identify`` spaCy component: the tagger's free-text path on a Doc.

The component holds a :class:`pv_identify.Tagger` and sets, per Doc, exactly what
:func:`pv_identify.text.tag_texts` gives the same text (both call
:meth:`pv_identify.text.matcher.TextMatcher.match` and
:func:`~pv_identify.text.matcher.text_output`). The evidence spans are mapped back from
the normalised text to the Doc's tokens.

A saved pipeline keeps its configuration: :meth:`PVTextComponent.to_disk` writes the
bound rule set and text rules (content, not file names) and the options, so
``spacy.load`` on another machine gives the same answers, whatever the component was
built from (a preset, a rule file, or a rule set edited in memory).
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
from pv_identify.rules.ruleset import RuleSet
from pv_identify.rules.textrules import TextRuleSet
from pv_identify.schema import DOMESTIC_LABELS, PARTNER_LABELS
from pv_identify.tagger import Tagger
from pv_identify.text.extensions import register_extensions
from pv_identify.text.matcher import TextMatch, text_output
from pv_identify.text.scoring import RuleScore, TextScorer
from pv_identify.text.tokenizer import adjust_tokenizer as _adjust_tokenizer

SPANS_KEY = "pv_identify"
#: File the component writes into its folder of a saved pipeline.
STATE_FILE = "pv_identify.json"
STATE_FORMAT = "pv_identify-spacy/1"
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
        A configured tagger; when given, ``rules``, ``text_rules`` and ``disable`` are
        not used.
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
    ) -> None:
        register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.score = score if score is not None else RuleScore()
        self.adjust_tokenizer = adjust_tokenizer
        self._nlp = nlp
        self.set_tagger(tagger if tagger is not None else
                        Tagger(rules, text_rules=text_rules, disable=list(disable or ())))

    def set_tagger(self, tagger: Tagger) -> None:
        """Use ``tagger`` from now on (binds it: errors surface here)."""
        matcher = tagger.text_matcher
        self.tagger = tagger
        if self.adjust_tokenizer:
            _adjust_tokenizer(self._nlp, tagger.ruleset.abbreviations.keys())
        self.ruleset = tagger.ruleset
        self.text_rules = matcher.text_rules
        self.matchers = matcher

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

    def _apply(self, doc: Doc, match: TextMatch) -> Doc:
        compiled = self.matchers.compiled
        out = text_output(match, compiled)
        decision = match.decision
        rules = compiled.rules
        vetoed = {h.rule for h in decision.vetoed}
        spans = []
        for cand, (start, end) in zip(match.spans, _token_spans(doc, match, compiled),
                                      strict=True):
            if start is None:
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
                match = seen.get(doc.text)
                if match is None:
                    match = seen[doc.text] = self.match(doc)
                yield self._apply(doc, match)

    # --- serialisation ---------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the bound rule set, text rules and options into ``path``."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        state = {
            "format": STATE_FORMAT,
            "ruleset": self.ruleset.to_dict(),
            "text_rules": self.text_rules.to_dict(),
            "ruleset_hash": self.ruleset.hash,
            "text_rules_hash": self.text_rules.hash,
        }
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
        self.set_tagger(Tagger(ruleset, text_rules=text_rules))
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
