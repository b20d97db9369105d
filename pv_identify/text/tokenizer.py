"""Dutch tokenizer adjustments for judicial text.

The blank Dutch tokenizer of spaCy is a good start; these changes keep the words the
rules read in one piece and split the legal citations sensibly (the idea follows
clinlp's domain tokenizer, written independently):

- ``(ex-)partner`` stays one token (its norm is ``ex-partner``); ``vriend(in)`` and
  other words with a bracketed gender or plural ending stay one token;
- ``ex-vriendin/partner`` is split at the slash: ``ex-vriendin`` ``/`` ``partner``;
- ``art.300`` is split into ``art.`` ``300``; ``jo.``, ``Sr.``, ``Sv.``, ``art.``,
  ``artt.``, ``o.a.`` and the rule set's single-word clerk abbreviations (``mish.``,
  ``echtgen.``) stay one token;
- ``ex.`` is no longer an abbreviation: ``zijn ex.`` is ``zijn`` ``ex`` ``.``.

Hyphenated compounds (``ex-schoonvader``, ``ex-leidinggevende``, ``73-jarige``)
stay whole, as in the blank tokenizer, so ``zijn ex`` never matches inside
``zijn ex-schoonvader``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex

#: Marker stored in ``nlp.meta`` once the tokenizer was adjusted (idempotence).
META_KEY = "pv_identify_tokenizer"
TOKENIZER_VERSION = "1"

#: Tokens kept whole: a bracketed "(ex-)" prefix, or a word with a bracketed ending.
TOKEN_MATCH = (
    r"^\((?:ex|oud|voormalig)-?\)[^\W\d_][\w-]*$"
    r"|^[^\W\d_][\w-]*\((?:in|e|ne|ster|s|en|tje|ie)\)$"
)

#: Abbreviations of legal text that stay one token.
LEGAL_ABBREVIATIONS: tuple[str, ...] = (
    "jo.", "Jo.", "Sr.", "Sv.", "art.", "Art.", "artt.", "Artt.", "o.a.", "e.a.", "t.a.v.",
    "m.b.t.", "i.v.m.", "resp.", "nr.", "mr.", "Mr.", "ca.", "vs.", "ECLI:NL",
)

_EXTRA_INFIXES = (
    r"(?<=[Aa]rt\.)(?=\d)",      # art.300 -> art. 300
    r"(?<=[Aa]rtt\.)(?=\d)",     # artt.300 -> artt. 300
    r"(?<=[^\W\d])/(?=[^\W\d])",  # ex-vriendin/partner -> ex-vriendin / partner
)

#: The blank tokenizer splits an opening bracket as a prefix; not before "ex-)".
_PAREN_PREFIX = r"\((?!(?:ex|oud|voormalig)-?\))"


def adjust_tokenizer(nlp: Language, abbreviations: Iterable[str] = ()) -> Language:
    """Adjust ``nlp.tokenizer`` in place for Dutch judicial text (idempotent).

    Parameters
    ----------
    nlp : spacy.language.Language
        A Dutch pipeline (``spacy.blank("nl")``).
    abbreviations : iterable of str, optional
        Extra single-word abbreviations to keep as one token (e.g. a rule set's
        clerk abbreviations ``mish.``, ``echtgen.``); entries with spaces are skipped.

    Returns
    -------
    spacy.language.Language
        The same object, for chaining.
    """
    # spaCy types nlp.tokenizer as Tokenizer | Callable[[str], Doc]; the rule-based
    # Tokenizer (what spacy.blank("nl") has) is the one this function adjusts
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    extra: dict[str, list[dict[int, str]]] = {}
    for abbreviation in (*LEGAL_ABBREVIATIONS, *abbreviations):
        text = abbreviation.strip()
        if not text or any(ch.isspace() for ch in text):
            continue
        for form in {text, text.lower(), text[:1].upper() + text[1:]}:
            extra[form] = [{ORTH: form}]
    if nlp.meta.get(META_KEY) == TOKENIZER_VERSION:
        for form, case in extra.items():
            if form not in (tokenizer.rules or {}):
                tokenizer.add_special_case(form, case)
        return nlp
    # Build a new tokenizer in one go: every setter of an existing one reloads all
    # special cases (about 0.3 s each).
    rules = {k: v for k, v in (tokenizer.rules or {}).items() if k not in {"ex.", "Ex."}}
    for form, case in extra.items():
        rules.setdefault(form, case)
    prefixes = [_PAREN_PREFIX if p == r"\(" else p for p in nlp.Defaults.prefixes or ()]
    infixes = list(nlp.Defaults.infixes or ()) + list(_EXTRA_INFIXES)
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules=rules,
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=tokenizer.suffix_search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=re.compile(TOKEN_MATCH).match,
        url_match=tokenizer.url_match,
        faster_heuristics=tokenizer.faster_heuristics,
    )
    nlp.meta[META_KEY] = TOKENIZER_VERSION
    return nlp
