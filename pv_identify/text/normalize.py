"""Token normalisation for free-text matching.

Every token gets a *norm* that the matchers compare: the text after Unicode NFKC,
case folding, removal of diacritics, unified dashes, and removal of brackets and
quotes inside the token (``"(ex-)partner"`` -> ``"ex-partner"``, ``"vriend(in)"`` ->
``"vriendin"``), the same steps :mod:`pv_identify.normalize.text` applies to a whole
qualification. Clerk abbreviations of the rule set (``"echtgen."``) are mapped to
their expansion (``"echtgenoot"``). Hyphens are kept; the term patterns carry the
hyphen variants (``ex-partner``, ``ex partner``, ``expartner``), as in register mode.

Stop words are never removed: ``zijn``, ``haar`` and ``diens`` carry the signal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import regex

from pv_identify.normalize.text import repair_mojibake, strip_diacritics

_DASHES = regex.compile(r"[\p{Pd}\u2212]")
_DROP = regex.compile(r"[()\[\]{}\"'`\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb]")


def norm_text(text: str) -> str:
    """Normalise one token (or one short phrase) for matching.

    Parameters
    ----------
    text : str
        Token text.

    Returns
    -------
    str
        Case-folded, diacritic-free text with dashes unified to ``-`` and brackets
        and quotes removed; the token itself when only brackets or quotes remain
        (so ``"("`` keeps the norm ``"("``).
    """
    if not text:
        return text
    out = unicodedata.normalize("NFKC", repair_mojibake(text)).casefold()
    out = _DASHES.sub("-", strip_diacritics(out))
    dropped = _DROP.sub("", out)
    return dropped if dropped else out


class TokenNormalizer:
    """Map token texts to norms, with the rule set's abbreviations, cached.

    Parameters
    ----------
    abbreviations : mapping of str to str, optional
        Clerk abbreviation -> expansion (as in a rule set's ``abbreviations``).
        Only abbreviations without spaces apply to single tokens.
    """

    def __init__(self, abbreviations: Mapping[str, str] | None = None) -> None:
        self.abbreviations = {
            norm_text(k.strip()): norm_text(v.strip())
            for k, v in (abbreviations or {}).items()
            if k.strip() and " " not in k.strip()
        }
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """Return the norm of token ``text``."""
        found = self._cache.get(text)
        if found is None:
            found = norm_text(text)
            found = self.abbreviations.get(found, found)
            if len(self._cache) < 500_000:
                self._cache[text] = found
        return found
