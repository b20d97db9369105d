"""Normalise free-text qualifications (artikelkwalificaties) for matching.

The steps, in order:

0. invisible and look-alike characters (:func:`clean_text`, also used for MC and
   article fields): format characters (zero-width space, joiner and non-joiner, word
   joiner, BOM, soft hyphen, any Unicode ``Cf``) and NUL are removed, so
   ``"zaken\u200bpartner"`` reads ``"zakenpartner"`` and ``"levens\u00adgezel"``
   reads ``"levensgezel"``; full-width ASCII (``"３０４"``) becomes ASCII; Cyrillic and
   Greek letters that look like Latin ones are replaced by them inside words that also
   have Latin letters (table ``rules/confusables.txt``);
1. repair UTF-8 text that was decoded as cp1252 (``"mishandeling, begaan tegen zijn
   levensgezel"`` survives, ``"geÃ¯ntimideerd"`` becomes ``"geïntimideerd"``);
2. Unicode NFKC, then case folding (unless case-sensitive matching is asked for);
3. removal of diacritics (``"ë"`` -> ``"e"``);
4. expansion of clerk abbreviations given by the rule set (``"mish."`` ->
   ``"mishandeling"``);
5. dashes unified to ``-``; a bracket that opens a number right after a word becomes a
   space (a footnote: ``"echtgenote((1))"`` -> ``"echtgenote 1"``); parentheses and
   quotes removed (``"(ex-)partner"`` -> ``"ex-partner"``); a slash becomes a token of
   its own (``"ex-vriendin/partner"`` -> ``"ex-vriendin / partner"``: free-text patterns
   read it); other punctuation becomes a space; whitespace collapsed.

The result is a sequence of tokens separated by single spaces; register and free-text
mode match on exactly this string (:mod:`pv_identify.rules.compiler`).

Dutch stop words are never removed: ``zijn``, ``haar`` and ``tegen`` carry the
relationship.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import regex

_MOJIBAKE_MARKERS = ("Ã", "Â", "â€")
_DASHES = regex.compile(r"[\p{Pd}\u2212]")
_DROP = regex.compile(r"[()\[\]{}\"'`\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb]")
_PUNCT = regex.compile(r"[^\w\s/-]|_")
_SLASH = regex.compile(r"/+")
_SPACE = regex.compile(r"\s+")
#: A footnote or numbered reference stuck to a word ("zijn echtgenote((1))",
#: "echtgenote[1]"): the bracket becomes a space, so the word is not read as
#: "echtgenote1". A bracketed ending ("vriend(in)", "(ex-)partner") is left to _DROP.
_FOOTNOTE = regex.compile(r"(?<=\p{L})[(\[]+(?=\d)")
_LOOSE_HYPHEN = regex.compile(r"(?<=\s)-+(?=\s)|^-+\s|\s-+$")


def _ascii_table() -> tuple[bytes, bytes]:
    """Return steps 3 and 5 on one ASCII character as a :meth:`bytes.translate` table.

    Derived from the expressions themselves, character by character (they have no
    context): a ``_DROP`` character is deleted, a ``_PUNCT`` one becomes a space, and so
    does whitespace (every run of it becomes one space in the end), the ``_DASHES``
    character ``-`` stays. So one ``translate`` of an ASCII text equals the ``sub`` calls.
    """
    table = bytearray(range(256))
    delete = bytearray()
    for code in range(128):
        ch = chr(code)
        if _DROP.match(ch):
            delete.append(code)
        elif _PUNCT.match(ch) or _SPACE.match(ch):
            table[code] = ord(" ")
        elif _DASHES.match(ch):
            table[code] = ord("-")
    return bytes(table), bytes(delete)


_ASCII_TABLE, _ASCII_DELETE = _ascii_table()


_INVISIBLE = regex.compile(r"[\p{Cf}\x00]+")
_MIXED_WORD = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{Greek}]+")
_NON_LATIN = regex.compile(r"[\p{Cyrillic}\p{Greek}]")
_LATIN = regex.compile(r"\p{Latin}")
#: Full-width ASCII forms (U+FF01-U+FF5E) and the ideographic space -> ASCII.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _confusables_path() -> Path:
    package = Path(__file__).resolve().parents[1]
    installed = package / "_data" / "rules" / "confusables.txt"
    return installed if installed.is_file() else package.parent / "rules" / "confusables.txt"


@cache
def confusables() -> dict[int, str]:
    """Return the look-alike table of ``rules/confusables.txt`` (code point -> Latin letter).

    Returns
    -------
    dict of int to str
        For :meth:`str.translate`.
    """
    table: dict[int, str] = {}
    text = _confusables_path().read_text(encoding="utf-8")
    for line in text.splitlines():
        content = line.split("#", 1)[0].split()
        if len(content) == 2:
            table[int(content[0], 16)] = content[1]
    return table


def _latinise(match: regex.Match[str]) -> str:
    word = match.group(0)
    if _NON_LATIN.search(word) and _LATIN.search(word):
        return word.translate(confusables())
    return word


def clean_text(text: str) -> str:
    """Remove invisible characters and undo look-alike letters (step 0 above).

    Parameters
    ----------
    text : str
        Raw cell text.

    Returns
    -------
    str
        The text without format characters and NUL, with full-width ASCII as ASCII
        and Cyrillic/Greek look-alikes inside Latin words as Latin letters. ASCII text
        is returned unchanged at once.
    """
    if text.isascii() and "\x00" not in text:
        return text
    text = _INVISIBLE.sub("", text).translate(_WIDTH)
    if _NON_LATIN.search(text):
        text = _MIXED_WORD.sub(_latinise, text)
    return text


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252 or latin-1, where that is certain.

    Parameters
    ----------
    text : str
        Possibly garbled text.

    Returns
    -------
    str
        The repaired text, or ``text`` unchanged when it does not round-trip.
    """
    if not any(marker in text for marker in _MOJIBAKE_MARKERS):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def strip_diacritics(text: str) -> str:
    """Remove combining marks (``"geïntimideerd"`` -> ``"geintimideerd"``).

    Parameters
    ----------
    text : str
        Input text.

    Returns
    -------
    str
        Text without diacritics.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def compile_abbreviations(abbreviations: Mapping[str, str]) -> regex.Pattern[str] | None:
    """Compile an abbreviation table into one pattern.

    Parameters
    ----------
    abbreviations : mapping of str to str
        Abbreviation (already normalised: lower case, no diacritics, e.g. ``"mish."``)
        to its expansion.

    Returns
    -------
    regex.Pattern or None
        Pattern matching any abbreviation as a whole token, or None if the table is
        empty.
    """
    if not abbreviations:
        return None
    keys = sorted(abbreviations, key=len, reverse=True)
    alternatives = "|".join(regex.escape(k) for k in keys)
    return regex.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def normalize_text(
    text: str,
    abbreviations: Mapping[str, str] | None = None,
    *,
    case_sensitive: bool = False,
    _pattern: regex.Pattern[str] | None = None,
    _keys: tuple[str, ...] | None = None,
    _marks: tuple[str, ...] | None = None,
) -> str:
    """Normalise one qualification text for matching.

    Parameters
    ----------
    text : str
        Raw text (use :func:`pv_identify.normalize.distinct.to_text` for cells).
    abbreviations : mapping of str to str, optional
        Clerk abbreviations to expand (see :func:`compile_abbreviations`).
    case_sensitive : bool, default False
        Keep the case of the text.

    Returns
    -------
    str
        Normalised text; ``""`` for empty input.
    """
    if not text:
        return ""
    # ASCII text (most of it) is its own NFKC and NFKD form and has no invisible or
    # garbled characters to undo: steps 0-3 are at most case folding (lower for ASCII)
    ascii_text = text.isascii() and "\x00" not in text
    if ascii_text:
        if not case_sensitive:
            text = text.lower()
    else:
        text = clean_text(text)
        text = repair_mojibake(text)
        text = unicodedata.normalize("NFKC", text)
        if not case_sensitive:
            text = text.casefold()
        text = strip_diacritics(text)
        if not text.isascii():  # case folding and NFKC can make new look-alikes ("a\u0345" -> "aι")
            text = clean_text(text)
    pattern = _pattern if _pattern is not None else compile_abbreviations(abbreviations or {})
    # an abbreviation is matched literally, so a text holding none of them is left alone
    # (``_keys``: the keys, ``_marks``: their marks, see TextNormalizer)
    if pattern is not None and (not abbreviations or (
            (_marks is None or _holds_any(text, _marks))
            and _holds_any(text, _keys if _keys is not None else abbreviations))):
        table = abbreviations or {}
        text = pattern.sub(lambda m: f" {table.get(m.group(0), m.group(0))} ", text)
    if ascii_text and text.isascii():
        return _punctuation_ascii(text)
    return _punctuation(text)


def key_marks(keys: Iterable[str]) -> tuple[str, ...]:
    """Return substrings one of which every key holds: a text without them holds no key.

    Per key its last character that is not a letter, digit or space (``"."`` of
    ``"mish."`` and ``"ex-echtgen."``, ``"'"`` of ``"z'n"``: rarer in text than a
    hyphen), else the key itself (``"tgn"``): a few substring tests instead of one per
    key, for the texts (most) without any.
    """
    return tuple(dict.fromkeys(
        next((c for c in reversed(key) if not c.isalnum() and not c.isspace()), key)
        for key in keys))


def _holds_any(text: str, keys: Iterable[str]) -> bool:
    """Whether one of ``keys`` occurs in ``text`` (a substring test per key).

    Faster than one expression of all keys: each ``in`` is a C substring search.
    """
    for key in keys:
        if key in text:
            return True
    return False


def _split_footnotes(text: str) -> str:
    """Split a footnote mark off the word it sticks to (step 5, before the drops).

    A bracket opening a number right after a word becomes a space (:data:`_FOOTNOTE`);
    both paths of step 5 call this.
    """
    return _FOOTNOTE.sub(" ", text) if "(" in text or "[" in text else text


def _punctuation(text: str) -> str:
    """Step 5: dashes, parentheses and quotes, punctuation, slashes, spaces (any text)."""
    text = _DROP.sub("", _split_footnotes(_DASHES.sub("-", text)))
    text = _PUNCT.sub(" ", text)
    if "/" in text:
        text = _SLASH.sub(" / ", text)
    text = _LOOSE_HYPHEN.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def _punctuation_ascii(text: str) -> str:
    """:func:`_punctuation` on an ASCII text, with the same result in fewer passes.

    One ``translate`` does the dashes, drops and punctuation and turns every whitespace
    character into a space (each whitespace run becomes one space in the end anyway);
    the loose-hyphen expression can then match only at a leading hyphen or after a
    space, and ``split``/``join`` collapses the runs and strips the ends.
    """
    raw = _split_footnotes(text).encode("ascii")
    text = raw.translate(_ASCII_TABLE, _ASCII_DELETE).decode("ascii")
    if "/" in text:
        text = _SLASH.sub(" / ", text)
    if text.startswith("-") or " -" in text:
        text = _LOOSE_HYPHEN.sub(" ", text)
    return " ".join(text.split())


class TextNormalizer:
    """A configured :func:`normalize_text`, with its abbreviation pattern compiled once.

    Parameters
    ----------
    abbreviations : mapping of str to str, optional
        Clerk abbreviations to expand. Keys are normalised like the text itself.
    case_sensitive : bool, default False
        Keep the case of the text.
    """

    def __init__(
        self, abbreviations: Mapping[str, str] | None = None, *, case_sensitive: bool = False
    ) -> None:
        self.case_sensitive = case_sensitive
        self.abbreviations = {
            self._key(k): v for k, v in (abbreviations or {}).items()
        }
        self._pattern = compile_abbreviations(self.abbreviations)
        #: The keys, for the test whether a text holds any at all, as a substring (no
        #: boundaries).
        self._keys = tuple(sorted(self.abbreviations)) if self.abbreviations else None
        #: Substrings one of which every key holds (:func:`key_marks`).
        self._marks = key_marks(self._keys) if self._keys else None

    def _key(self, key: str) -> str:
        key = unicodedata.normalize("NFKC", clean_text(key).strip())
        if not self.case_sensitive:
            key = key.casefold()
        return strip_diacritics(key)

    def __call__(self, text: str) -> str:
        """Normalise ``text``; see :func:`normalize_text`."""
        return normalize_text(
            text,
            self.abbreviations,
            case_sensitive=self.case_sensitive,
            _pattern=self._pattern,
            _keys=self._keys,
            _marks=self._marks,
        )
