"""Parse law-article notations into canonical article references.

Registers and clerks write the same article in many ways::

    300 lid 1 Sr                     -> Sr:300.1
    art. 300.1 jo 304.1 Sr           -> Sr:300.1, Sr:304.1
    45 jo. 302.1 jo. 304.1.1 Sr      -> Sr:45, Sr:302.1, Sr:304.1.1
    304, aanhef en onder 1°, Sr      -> Sr:304.1
    art. 304, eerste lid, Sr         -> Sr:304.1
    304 1e Sr / 304, 1°, Sr          -> Sr:304.1
    SR 304 1                         -> Sr:304.1
    Artt. 255, 300 en 304 Sr         -> Sr:255, Sr:300, Sr:304
    (285b Sr – belaging)             -> Sr:285b
    art. 8 lid 1 WVW 1994            -> WVW1994:8.1

A reference is a law plus a path: the article number and then its subdivisions
(lid, sub, onder) in order. A bare ``304`` stays ``Sr:304`` — it is *not* 304 sub 1
(it is often sub 2, an assault on an official). References without a law take the
law named later (``300 jo 304 Sr``) or earlier (``SR 304 1``) in the same text, and
``Sr`` where the text names no law at all: OBJD extracts routinely omit it.

:func:`ArticleRef.covers` implements the matching rule used by article rules: a rule
for ``Sr:304.1`` covers ``Sr:304.1`` and ``Sr:304.1.1`` but not ``Sr:304`` or
``Sr:304.2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from pv_identify.normalize.text import clean_text

#: Law names (normalised to lower case, single spaces) -> canonical law code.
LAW_ALIASES: dict[str, str] = {
    "sr": "Sr",
    "wvsr": "Sr",
    "wvs": "Sr",
    "wetboek van strafrecht": "Sr",
    "sv": "Sv",
    "wvsv": "Sv",
    "wetboek van strafvordering": "Sv",
    "wvw": "WVW1994",
    "wvw 1994": "WVW1994",
    "wvw1994": "WVW1994",
    "wegenverkeerswet": "WVW1994",
    "wegenverkeerswet 1994": "WVW1994",
    "wvw94": "WVW1994",
    "opiumwet": "Opiumwet",
    "ow": "Opiumwet",
    "opw": "Opiumwet",
    "wwm": "WWM",
    "wet wapens en munitie": "WWM",
    "wed": "WED",
    "wet op de economische delicten": "WED",
    "wth": "Wth",
    "wet tijdelijk huisverbod": "Wth",
}

DEFAULT_LAW = "Sr"

_LAW_PATTERN = "|".join(
    regex.escape(name).replace(r"\ ", r"\s+")
    for name in sorted(LAW_ALIASES, key=len, reverse=True)
)
_TOKEN = regex.compile(
    rf"""
    (?P<law>(?<![\w])(?:{_LAW_PATTERN})(?![\w]))
  | (?P<sub>(?<![\w])(?:(?:aanhef|ahf)\s+en\s+(?:onder|sub)|lid|leden|sub|onder|ond)(?![\w])\.?)
  | (?P<num>\d+[a-z]{{0,3}}(?:\.\d+[a-z]{{0,2}})*)
  | (?P<sep>(?<![\w])(?:jo|juncto|en|of|art|artt|artikel|artikelen)(?![\w])\.?|[,;/+&()\[\]])
  | (?P<word>[a-z]+)
    """,
    regex.VERBOSE,
)
_ORDINAL = regex.compile(r"^(\d+)(?:e|de|ste)$")
_ORDINAL_WORDS = ("eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende",
                  "achtste", "negende", "tiende")
#: "eerste lid" / "1e lid" / "2de lid" -> "lid 1" / "lid 2" (the keyword first).
_WORD_LID = regex.compile(rf"(?<![\w])({'|'.join(_ORDINAL_WORDS)})\s+lid(?![\w])")
_NUM_LID = regex.compile(r"(?<![\w.])(\d{1,2})(?:e|de|ste)\s+lid(?![\w])")
#: An ordinal right after an article number is its first subdivision:
#: "304 1e Sr", "304, 1°, Sr" -> "304 lid 1 Sr".
_NUM_ORDINAL = regex.compile(
    r"(?<![\w.])(\d+[a-z]{0,3}(?:\.\d+[a-z]{0,2})*)(?:\s+|\s*,\s*)([1-9])(?:e|de|ste|\s*[°º])(?![\w])"
)


@dataclass(frozen=True, order=True)
class ArticleRef:
    """A canonical reference to a law article and its subdivisions.

    Parameters
    ----------
    law : str
        Canonical law code (``"Sr"``, ``"Sv"``, ``"WVW1994"``, ``"Opiumwet"``, ...).
    path : tuple of str
        Article number then subdivisions, e.g. ``("304", "1")``.
    """

    law: str
    path: tuple[str, ...]

    def __str__(self) -> str:
        """Return the canonical form, e.g. ``"Sr:304.1"``."""
        return f"{self.law}:{'.'.join(self.path)}"

    @property
    def article(self) -> str:
        """The article number without subdivisions (``"304"``, ``"285b"``)."""
        return self.path[0]

    def covers(self, other: ArticleRef) -> bool:
        """Whether a rule for ``self`` applies to ``other``.

        Parameters
        ----------
        other : ArticleRef
            The reference found in a record.

        Returns
        -------
        bool
            True if the laws are equal and ``self.path`` is a prefix of ``other.path``.
        """
        return self.law == other.law and other.path[: len(self.path)] == self.path

    @classmethod
    def parse(cls, text: str) -> ArticleRef:
        """Parse exactly one reference (used for article rules in rule files).

        Parameters
        ----------
        text : str
            One article notation, e.g. ``"304 sub 1 Sr"``.

        Returns
        -------
        ArticleRef
            The reference.

        Raises
        ------
        ValueError
            If ``text`` holds no article or more than one.
        """
        refs = parse_articles(text)
        if len(refs) != 1:
            raise ValueError(
                f"expected exactly one article reference, found {len(refs)} in {text!r}"
            )
        return refs[0]


def _part(token: str) -> str:
    ordinal = _ORDINAL.match(token)
    return ordinal.group(1) if ordinal else token


@lru_cache(maxsize=65536)
def parse_articles(text: str) -> tuple[ArticleRef, ...]:
    """Parse every article reference in one notation string.

    Parameters
    ----------
    text : str
        Register notation, e.g. ``"art. 300.1 jo 304.1 Sr"``. Empty for none.

    Returns
    -------
    tuple of ArticleRef
        The references in order of appearance, duplicates removed.
    """
    if not text:
        return ()
    norm = clean_text(text).casefold().replace("\u00a0", " ")
    norm = _WORD_LID.sub(lambda m: f"lid {_ORDINAL_WORDS.index(m.group(1)) + 1}", norm)
    norm = _NUM_LID.sub(r"lid \1", norm)
    norm = _NUM_ORDINAL.sub(r"\1 lid \2", norm)
    norm = norm.replace("°", " ").replace("º", " ")
    norm = regex.sub(r"[\p{Pd}]", " ", norm)
    refs: list[list[str]] = []  # each: [law or "", number, parts...]
    laws: list[str] = []  # law of each ref ("" = unknown yet)
    current: int | None = None  # index of the ref that subdivisions attach to
    expect_part = False  # a lid/sub/onder keyword was just seen
    after_number = False  # the previous token was a number (for "SR 304 1")
    open_from = 0  # first ref without a law
    prefix_law = ""  # a law named before its numbers ("SR 304 1")
    for m in _TOKEN.finditer(norm):
        kind = m.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        token = m.group(kind)
        if kind == "law":
            law = LAW_ALIASES[regex.sub(r"\s+", " ", token)]
            if open_from < len(refs):
                for i in range(open_from, len(refs)):
                    laws[i] = laws[i] or law
                open_from = len(refs)
                prefix_law = ""
            else:
                prefix_law = law
            expect_part = after_number = False
        elif kind == "sub":
            expect_part = current is not None
            after_number = False
        elif kind == "num":
            small = token.isdigit() and len(token) <= 2
            if current is not None and (expect_part or (after_number and small)):
                refs[current].extend(_part(p) for p in token.split("."))
            else:
                refs.append(token.split("."))
                laws.append(prefix_law)
                current = len(refs) - 1
            expect_part = False
            after_number = True
        elif kind == "word" and expect_part and len(token) == 1 and current is not None:
            refs[current].append(token)  # "onder b"
            expect_part = False
            after_number = False
        elif kind == "word" and expect_part and _ORDINAL.match(token):
            expect_part = False
        else:
            after_number = False
            if kind == "sep" or kind == "word":
                expect_part = expect_part and kind == "sep" and token in ("(", ")")
    result: list[ArticleRef] = []
    seen: set[ArticleRef] = set()
    for path, law in zip(refs, laws, strict=True):
        ref = ArticleRef(law or DEFAULT_LAW, tuple(p for p in path if p))
        if ref not in seen:
            seen.add(ref)
            result.append(ref)
    return tuple(result)
