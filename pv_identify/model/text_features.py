"""Features of the free-text model: rule and grammar hits, context windows and cues.

The text classifier (:class:`pv_identify.model.text_estimator.TextRelationshipClassifier`)
sees three views of one text:

1. character n-grams and 2. word n-grams of the **normalised** text (the rule set's
   one normaliser, :meth:`CompiledRules.normalize_qualification`);
3. a **feature document** built here from what :meth:`TextMatcher.match` returns --
   whatever rules, text patterns or grammar steps produced the hits, they arrive as
   spans with a rule id, a label and a kind, so hits added to the matcher later (the
   relationship grammar) become features without a change here:

   * ``r:<rule id>``, ``l:<label>``, ``k:<kind>:<label>`` per surviving span (traps
     included), ``d:<label>`` for the rules' decision, ``dw:<rule id>`` for the
     deciding rule, ``veto:<rule id>`` for switched-off hits, ``nl:<n>`` for the
     number of distinct relationship labels found;
   * **windows** of ``window`` tokens around every relationship span:
     ``wl:<label>:<token>`` / ``wr:<label>:<token>`` (tokens to the left / right),
     ``w1:<label>:<token>`` (the token right before it) and ``wc:<label>:<cue class>``
     (a cue word inside the window, e.g. ``wc:partner:temporal_past`` for
     "zijn toenmalige echtgenote", ``wc:partner:negation`` for "niet zijn vrouw");
   * windows around **person mentions** (``person`` cues such as ``verdachte``,
     ``slachtoffer``, ``23-jarige``): ``pc:<cue class>`` and ``pr:<label>``;
   * cue classes anywhere in the text: ``c:<class>`` and ``cw:<class>:<word>``.

The cue words (temporal: toenmalige, voormalige, ex, gescheiden, uitgemaakt, ...;
negation; person mentions) are **data** in ``rules/text/model_cues.yaml``
(:func:`load_cues`), never hard-coded. Relationship words come from the rule set.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import regex

from pv_identify.errors import RuleFileError
from pv_identify.rules.compiler import KIND_NAMES
from pv_identify.schema import NONE

#: The cue file shipped with the library (inside ``rules/text/``).
DEFAULT_CUES_FILE: Final[str] = "model_cues.yaml"
#: Cue classes every cue file must define (others are allowed).
REQUIRED_CLASSES: Final[tuple[str, ...]] = ("temporal_past", "separation", "negation",
                                            "person")
#: Largest window accepted.
MAX_WINDOW: Final[int] = 12


def default_cues_path() -> Path:
    """Return the path of the bundled ``rules/text/model_cues.yaml``."""
    from pv_identify.rules.presets import rules_root

    return rules_root() / "text" / DEFAULT_CUES_FILE


@dataclass(frozen=True)
class ModelCues:
    """Cue word lists of the text model (the content of ``model_cues.yaml``).

    Attributes
    ----------
    name, version : str
        Identification of the cue file.
    window : int
        Tokens on each side of a relationship word or person mention.
    classes : dict of str to tuple of str
        Cue class -> entries (words, phrases, ``prefix*``, ``re:`` expressions).
    """

    name: str
    version: str
    window: int
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def hash(self) -> str:
        """Short SHA-256 of the content (recorded in the model and its manifest)."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()
                              ).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (stored inside a fitted model; builtins only)."""
        return {"name": self.name, "version": self.version, "window": self.window,
                "classes": {k: list(v) for k, v in self.classes.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelCues:
        """Rebuild cues from :meth:`to_dict`."""
        return cls(str(data["name"]), str(data["version"]), int(data["window"]),
                   {str(k): tuple(str(x) for x in v) for k, v in data["classes"].items()})


def load_cues(path: str | Path | None = None) -> ModelCues:
    """Load and validate a cue file.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A YAML cue file; the bundled ``rules/text/model_cues.yaml`` when None.

    Returns
    -------
    ModelCues
        The cue lists.

    Raises
    ------
    RuleFileError
        Naming the file and line of a problem (unknown key, missing class, bad
        window, an entry that is not a string, an invalid expression).
    """
    from pv_identify.rules.yamlfile import ITEM_LINES_KEY, LINE_KEY, META_KEYS, read_yaml

    file = Path(path).resolve() if path is not None else default_cues_path()
    data = read_yaml(file)

    def line(obj: Any) -> int | None:
        return obj.get(LINE_KEY) if isinstance(obj, dict) else None

    meta = set(META_KEYS)
    unknown = sorted(set(data) - {"name", "version", "window", "cues"} - meta)
    if unknown:
        raise RuleFileError(str(file), f"unknown key(s) {unknown}; expected name, version, "
                            "window, cues", line=1)
    for key in ("name", "version", "cues"):
        if key not in data:
            raise RuleFileError(str(file), f"the cue file has no {key!r}", line=1)
    window = data.get("window", 4)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW:
        raise RuleFileError(str(file), f"'window' must be a whole number from 1 to "
                            f"{MAX_WINDOW}", line=1)
    raw = data["cues"]
    if not isinstance(raw, dict):
        raise RuleFileError(str(file), "'cues' must map a cue class to a list of words",
                            line=line(data))
    classes: dict[str, tuple[str, ...]] = {}
    item_lines = raw.get(ITEM_LINES_KEY, {})
    for name, entries in raw.items():
        if name in meta:
            continue
        if not isinstance(entries, list) or not entries:
            raise RuleFileError(str(file), f"cue class {name!r} must be a non-empty list",
                                line=line(raw))
        lines = item_lines.get(name, [line(raw)] * len(entries))
        for entry, at in zip(entries, lines, strict=False):
            if not isinstance(entry, str) or not entry.strip():
                raise RuleFileError(str(file), f"cue class {name!r}: every entry must be a "
                                    f"non-empty string, got {entry!r}", line=at)
            if entry.startswith("re:"):
                try:
                    regex.compile(entry[3:])
                except regex.error as exc:
                    raise RuleFileError(str(file), f"cue class {name!r}: invalid expression "
                                        f"{entry!r} ({exc})", line=at) from None
        classes[str(name)] = tuple(entries)
    missing = [c for c in REQUIRED_CLASSES if c not in classes]
    if missing:
        raise RuleFileError(str(file), f"the cue file lacks the cue class(es) {missing}",
                            line=line(raw))
    return ModelCues(str(data["name"]), str(data["version"]), int(window), classes)


class CueMatcher:
    """Find cue classes on the tokens of a normalised text.

    Parameters
    ----------
    cues : ModelCues
        The cue lists.
    normalize : callable
        The rule set's normaliser (entries are normalised like the text).
    """

    def __init__(self, cues: ModelCues, normalize: Callable[[str], str]) -> None:
        self.cues = cues
        self.words: dict[str, list[str]] = {}
        self.phrases: list[tuple[tuple[str, ...], str]] = []
        self.prefixes: list[tuple[str, str]] = []
        self.regexes: list[tuple[Any, str]] = []
        for cls, entries in cues.classes.items():
            for entry in entries:
                if entry.startswith("re:"):
                    self.regexes.append((regex.compile(entry[3:]), cls))
                elif entry.endswith("*"):
                    self.prefixes.append((normalize(entry[:-1]), cls))
                else:
                    words = tuple(normalize(entry).split())
                    if len(words) == 1:
                        self.words.setdefault(words[0], []).append(cls)
                    elif words:
                        self.phrases.append((words, cls))
        self._memo: dict[str, tuple[str, ...]] = {}

    def token_classes(self, token: str) -> tuple[str, ...]:
        """Cue classes of one token (single words, prefixes, expressions; memoised)."""
        found = self._memo.get(token)
        if found is None:
            out = list(self.words.get(token, ()))
            out += [cls for prefix, cls in self.prefixes if token.startswith(prefix)]
            out += [cls for rx, cls in self.regexes if rx.search(token)]
            found = tuple(dict.fromkeys(out))
            if len(self._memo) < 200_000:
                self._memo[token] = found
        return found

    def classes(self, tokens: list[str]) -> list[tuple[str, ...]]:
        """Cue classes per token (phrases mark every token they cover)."""
        out = [self.token_classes(t) for t in tokens]
        if self.phrases:
            present = set(tokens)
            for words, cls in self.phrases:
                if words[0] not in present:
                    continue
                k = len(words)
                for i in range(len(tokens) - k + 1):
                    if tuple(tokens[i:i + k]) == words:
                        for j in range(i, i + k):
                            if cls not in out[j]:
                                out[j] = (*out[j], cls)
        return out


def _span_tokens(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """Token range [first, last + 1) covering characters [start, end)."""
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, max(end - 1, start)) - 1, first)
    return first, last + 1


def feature_document(match: Any, rules: Any, cues: CueMatcher, window: int) -> str:
    """Return the feature tokens of one matched text, space-separated.

    Parameters
    ----------
    match : TextMatch
        From :meth:`pv_identify.text.matcher.TextMatcher.match`.
    rules : sequence of Rule
        The matcher's compiled rules (``compiled.rules``), indexed by span rule.
    cues : CueMatcher
        The cue matcher.
    window : int
        Tokens on each side of relationship spans and person mentions.

    Returns
    -------
    str
        Feature tokens (no spaces inside a token).
    """
    feats: list[str] = []
    decision = match.decision
    feats.append(f"d:{decision.label}")
    if decision.winner is not None:
        feats.append(f"dw:{rules[decision.winner.rule].id}")
    feats.extend(f"veto:{rules[h.rule].id}" for h in decision.vetoed)
    tokens = match.normalized.split(" ") if match.normalized else []
    starts: list[int] = []
    pos = 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    tok_cls = cues.classes(tokens)
    labels: set[str] = set()
    covered: set[int] = set()
    for span in match.spans:
        rule = rules[span.rule]
        label = rule.label
        kind = KIND_NAMES.get(span.kind, str(span.kind))
        feats += [f"r:{rule.id}", f"l:{label}", f"k:{kind}:{label}"]
        if not tokens:
            continue
        first, last = _span_tokens(starts, span.start, span.end)
        covered.update(range(first, last))
        if label == NONE:
            continue
        labels.add(label)
        left = range(max(0, first - window), first)
        right = range(last, min(len(tokens), last + window))
        feats += [f"wl:{label}:{tokens[i]}" for i in left]
        feats += [f"wr:{label}:{tokens[i]}" for i in right]
        if first > 0:
            feats.append(f"w1:{label}:{tokens[first - 1]}")
        inside = range(max(0, first - window), min(len(tokens), last + window))
        feats += [f"wc:{label}:{c}" for i in inside for c in tok_cls[i]]
    feats.append(f"nl:{min(len(labels), 3)}")
    if not labels:
        feats.append("norel")
    for i, found in enumerate(tok_cls):
        for cls in found:
            feats += [f"c:{cls}", f"cw:{cls}:{tokens[i]}"]
            if cls == "person" and i not in covered:
                lo, hi = max(0, i - window), min(len(tokens), i + window + 1)
                feats += [f"pc:{c}" for j in range(lo, hi) if j != i for c in tok_cls[j]
                          if c != "person"]
                for span in match.spans:
                    label = rules[span.rule].label
                    if label != NONE:
                        first, last = _span_tokens(starts, span.start, span.end)
                        if first < hi and last > lo:
                            feats.append(f"pr:{label}")
    return " ".join(dict.fromkeys(f.replace(" ", "_") for f in feats))


def feature_documents(matches: Iterable[Any], rules: Any, cues: CueMatcher,
                      window: int) -> list[str]:
    """:func:`feature_document` for many matched texts."""
    return [feature_document(m, rules, cues, window) for m in matches]


def masked_text(match: Any, rules: Any, token: str) -> str | None:
    """Return the normalised text with each relationship phrase replaced by ``token``.

    Used for the masked training copies of
    :class:`~pv_identify.model.text_estimator.TextRelationshipClassifier`
    (``masked_copies=True``): a copy keeps the human label of its text but not the
    words the rules read the label from, so the model learns which *context* goes with
    a relationship (a shared home, a break-up, jealousy, a restraining order) and can
    use it where no rule fires.

    Parameters
    ----------
    match : TextMatch
        From :meth:`pv_identify.text.matcher.TextMatcher.match`.
    rules : sequence of Rule
        The matcher's compiled rules (``compiled.rules``).
    token : str
        Replacement of each relationship phrase (e.g. ``"iemand"``).

    Returns
    -------
    str or None
        The masked normalised text, or None when no relationship phrase was found
        (traps and ``none`` rules are not relationship phrases).
    """
    spans = sorted((s.start, s.end) for s in match.spans if rules[s.rule].label != NONE)
    if not spans:
        return None
    merged: list[list[int]] = []
    for start, end in spans:  # overlapping phrases become one
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    text = match.normalized
    for start, end in reversed(merged):
        text = text[:start] + f" {token} " + text[end:]
    return " ".join(text.split())
