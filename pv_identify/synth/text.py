"""Rendering of law articles, court qualifications and MCs as registers write them.

Each text column is rendered from small integer components per row. The components
are packed into one integer key, every *distinct* key is rendered once in Python, and
the strings are mapped back to the rows with :func:`numpy.unique`'s inverse, so the
cost is per distinct value, not per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from pv_identify.synth.noise import N_NOISE, apply_noise
from pv_identify.synth.offences import A304_NONE, A304_SUB1, A304_SUB2
from pv_identify.synth.vocab import MC_NAMES, OFFENCE_TYPES, T

A304_BARE = 3  #: 304 written without its sub (register practice for either sub)

# --- distinct-value rendering ---------------------------------------------------------


def render_distinct(
    components: Sequence[np.ndarray],
    sizes: Sequence[int],
    render: Callable[..., str | None],
) -> np.ndarray:
    """Render a string per row from integer components, once per distinct combination.

    Parameters
    ----------
    components : sequence of numpy.ndarray
        Integer arrays of equal length; component ``i`` takes values in
        ``0 .. sizes[i] - 1``.
    sizes : sequence of int
        Number of values of each component.
    render : callable
        ``render(*values) -> str | None`` for one combination.

    Returns
    -------
    numpy.ndarray
        Object array of strings (``None`` where ``render`` returned ``None``).
    """
    n = len(components[0])
    key = np.zeros(n, dtype=np.int64)
    for comp, size in zip(components, sizes, strict=True):
        key = key * int(size) + comp.astype(np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    texts = np.empty(len(uniq), dtype=object)
    for i, k in enumerate(uniq.tolist()):  # one call per distinct value
        values = []
        for size in reversed(sizes):
            k, v = divmod(k, int(size))
            values.append(v)
        texts[i] = render(*reversed(values))
    return texts[inverse.reshape(-1)]


# --- articles ---------------------------------------------------------------------------

N_ARTICLE_STYLES = 10
_LID_WORDS = {"1": "eerste", "2": "tweede", "3": "derde", "4": "vierde"}

#: Notations of the non-Sr laws; the row's style picks one (style modulo the length).
OTHER_LAW_NOTATIONS: dict[str, tuple[str, ...]] = {
    "OPIUM_HARD": ("art. 2 onder C Opiumwet", "2C Opiumwet", "Opw 2 C",
                   "artikel 2 onder C Opiumwet", "10 lid 4 jo 2 C Opiumwet"),
    "OPIUM_SOFT": ("art. 3 onder C Opiumwet", "3C Opiumwet", "Opw 3 C",
                   "artikel 3 onder C Opiumwet", "11 lid 3 jo 3 C Opiumwet"),
    "WVW_ALCOHOL": ("art. 8 lid 2 sub a WVW 1994", "8.2.a WVW94", "WVW 8 2a",
                    "art. 8 lid 2 ahf/ond a Wegenverkeerswet 1994"),
    "WVW_RIJBEWIJS": ("art. 9 lid 1 WVW 1994", "9.1 WVW94", "WVW 9 1",
                      "art. 9 lid 1 Wegenverkeerswet 1994"),
    "WVW_ONGEVAL": ("art. 6 WVW 1994", "6 WVW94", "WVW 6", "art. 6 Wegenverkeerswet 1994"),
    "WWM": ("art. 26 lid 1 WWM", "26.1 WWM", "WWM 26 1",
            "art. 26 lid 1 Wet wapens en munitie"),
    "HUISVERBOD": ("art. 11 Wet tijdelijk huisverbod", "11 Wth", "Wth 11",
                   "art. 11 Wet tijdelijk huisverbod"),
}


def _sr_article(style: int, art: str, lid: str, attempt: bool, complicity: bool,
                a304: int, with_255: bool) -> str:
    """Render one Sr article expression in one of the register notations."""
    sub = {A304_SUB1: "1", A304_SUB2: "2"}.get(a304, "")
    has304 = a304 != A304_NONE
    if style == 0:  # 300 lid 1 Sr / 45 jo 302 lid 1 jo 304 sub 1 Sr
        parts = ["45"] if attempt else []
        parts.append(f"{art} lid {lid}" if lid else art)
        if has304:
            parts.append(f"304 sub {sub}" if sub else "304")
        if complicity:
            parts.append("47")
        return " jo ".join(parts) + " Sr"
    if style == 1:  # art. 300.1 jo 304.1 Sr
        parts = ["45"] if attempt else []
        parts.append(f"{art}.{lid}" if lid else art)
        if has304:
            parts.append(f"304.{sub}" if sub else "304")
        if complicity:
            parts.append("47.1")
        return "art. " + " jo ".join(parts) + " Sr"
    if style == 2:  # 45 jo. 302.1 jo. 304.1.1 Sr
        parts = ["45"] if attempt else []
        parts.append(f"{art}.{lid}" if lid else art)
        if has304:
            parts.append({"1": "304.1.1", "2": "304.2"}.get(sub, "304"))
        if complicity:
            parts.append("47")
        return " jo. ".join(parts) + " Sr"
    if style == 3:  # 300, eerste lid, jo 304, aanhef en onder 1°, Sr
        parts = ["45"] if attempt else []
        parts.append(f"{art}, {_LID_WORDS.get(lid, lid)} lid," if lid and lid in _LID_WORDS
                     else f"{art},")
        if has304:
            parts.append(f"304, aanhef en onder {sub}°," if sub else "304,")
        text = " jo ".join(parts)
        return text + " Sr" if text.endswith(",") else text + ", Sr"
    if style == 4:  # 300 jo 304 sub 1 Sr (no lid)
        parts = ["45"] if attempt else []
        parts.append(art)
        if has304:
            parts.append(f"304 sub {sub}" if sub else "304")
        return " jo ".join(parts) + " Sr"
    if style == 5:  # SR 300 1, SR 304 1
        parts = ["SR 45"] if attempt else []
        parts.append(f"SR {art} {lid}" if lid else f"SR {art}")
        if has304:
            parts.append(f"SR 304 {sub}" if sub else "SR 304")
        return ", ".join(parts)
    if style == 6:  # bare: 285b, 300/304
        parts = ["45"] if attempt else []
        parts.append(art)
        if has304:
            parts.append("304")
        return "/".join(parts)
    if style == 7:  # art. 285 lid 1 Wetboek van Strafrecht
        parts = ["45"] if attempt else []
        parts.append(f"{art} lid {lid}" if lid else art)
        if has304:
            parts.append(f"304 sub {sub}" if sub else "304")
        return "art. " + " jo. ".join(parts) + " Wetboek van Strafrecht"
    if style == 8:  # Artt. 255, 300 en 304 Sr (no lid, no sub)
        arts = (["45"] if attempt else []) + (["255"] if with_255 else []) + [art]
        if has304:
            arts.append("304")
        if len(arts) == 1:
            return f"Art. {arts[0]} Sr"
        return "Artt. " + ", ".join(arts[:-1]) + " en " + arts[-1] + " Sr"
    # style 9: 350.1 Sr (dotted, no prefix)
    parts = ["45"] if attempt else []
    parts.append(f"{art}.{lid}" if lid else art)
    if has304:
        parts.append(f"304.{sub}" if sub else "304")
    return " jo ".join(parts) + " Sr"


def _article_text(otype: int, style: int, a304: int, complicity: int, with_255: int,
                  case_noise: int) -> str:
    t = OFFENCE_TYPES[otype]
    if t.code in OTHER_LAW_NOTATIONS:
        variants = OTHER_LAW_NOTATIONS[t.code]
        return variants[style % len(variants)]
    lid = t.lid if t.lid.isdigit() else ""
    text = _sr_article(style, t.article, lid, t.attempt, bool(complicity), a304, bool(with_255))
    if case_noise == 1:
        text = text.replace(" Sr", " sr")
    elif case_noise == 2:
        text = text.replace(" Sr", " SR")
    return text


def render_articles(
    otype: np.ndarray, style: np.ndarray, a304: np.ndarray, complicity: np.ndarray,
    with_255: np.ndarray, case_noise: np.ndarray,
) -> np.ndarray:
    """Render the ``wetsartikel`` column.

    Parameters
    ----------
    otype, style, a304, complicity, with_255, case_noise : numpy.ndarray
        Offence type, notation style (0-9), art. 304 code (0 none, 1 sub 1, 2 sub 2,
        3 bare), complicity flag, "Artt. 255, ..." flag, ``Sr`` case noise (0-2).

    Returns
    -------
    numpy.ndarray
        Object array of strings.
    """
    return render_distinct(
        [otype, style, a304, complicity, with_255, case_noise],
        [len(OFFENCE_TYPES), N_ARTICLE_STYLES, 4, 2, 2, 3],
        _article_text,
    )


# --- qualifications -----------------------------------------------------------------------

#: Relationship terms after "begaan tegen"; {p} = zijn/haar, {h} = hij/zij.
TERMS: tuple[str, ...] = (
    "",
    "{p} levensgezel",
    "{p} echtgenoot",
    "{p} echtgenote",
    "{p} levensgezellin",
    "{p} partner",
    "{p} kind",
    "een kind over wie {h} het gezag uitoefent",
    "een kind dat {h} als behorende tot {p} gezin verzorgt of opvoedt",
    "{p} moeder",
    "{p} vader",
)
TERM_PARTNER_FIRST = 1
TERM_CHILD_FIRST = 6
TERM_PARENT_FIRST = 9

_OFFICIAL_CLAUSE = (
    ", terwijl het misdrijf wordt gepleegd tegen een ambtenaar gedurende of ter zake van "
    "de rechtmatige uitoefening van zijn bediening"
)
_ZAKENPARTNER = {
    "OPLICHTING": "oplichting van {p} zakenpartner",
    "VERDUISTERING": "verduistering, gepleegd ten nadele van {p} zakenpartner",
    "MISH": "mishandeling van {p} zakenpartner",
    "BEDREIGING": "bedreiging van {p} zakenpartner",
}


def _qualification_text(otype: int, variant: int, term: int, female: int, repeated: int,
                        complicity: int, official: int, zakenpartner: int,
                        noise: int) -> str:
    t = OFFENCE_TYPES[otype]
    p, h = ("haar", "zij") if female else ("zijn", "hij")
    if zakenpartner and t.code in _ZAKENPARTNER:
        text = _ZAKENPARTNER[t.code].format(p=p)
    else:
        text = t.quals[min(variant, len(t.quals) - 1)]
    if complicity:
        text = "medeplegen van " + text
    if term:
        text += ", begaan tegen " + TERMS[term].format(p=p, h=h)
    elif official and t.assault and t.code != "MISH_LETSEL":
        text += _OFFICIAL_CLAUSE
    if repeated:
        text += ", meermalen gepleegd"
    return apply_noise(text, noise)


def render_qualifications(
    otype: np.ndarray, variant: np.ndarray, term: np.ndarray, female: np.ndarray,
    repeated: np.ndarray, complicity: np.ndarray, official: np.ndarray,
    zakenpartner: np.ndarray, noise: np.ndarray,
) -> np.ndarray:
    """Render the ``artikelkwalificatie`` column (for rows that have one).

    Parameters
    ----------
    otype, variant, term, female, repeated, complicity, official, zakenpartner, noise
        Integer/bool arrays: offence type, wording variant, relationship term (index
        into :data:`TERMS`, 0 = none), offender is a woman, "meermalen gepleegd",
        "medeplegen", the 304-sub-2 official clause, names a business partner, clerk
        noise code.

    Returns
    -------
    numpy.ndarray
        Object array of strings.
    """
    return render_distinct(
        [otype, variant, term, female, repeated, complicity, official, zakenpartner, noise],
        [len(OFFENCE_TYPES), 4, len(TERMS), 2, 2, 2, 2, 2, N_NOISE],
        _qualification_text,
    )


# --- MCs ---------------------------------------------------------------------------------


def _mc_text(mc1: int, mc2: int, case_noise: int) -> str | None:
    names = [MC_NAMES[c] for c in (mc1, mc2) if c]
    if not names:
        return None
    text = "; ".join(names)
    if case_noise == 1:
        text = "; ".join(s[:1].upper() + s[1:] for s in names)
    elif case_noise == 2:
        text = text.upper()
    return text


def render_mcs(mc1: np.ndarray, mc2: np.ndarray, case_noise: np.ndarray) -> np.ndarray:
    """Render the ``maatschappelijke_classificatie`` column (several joined by "; ").

    Parameters
    ----------
    mc1, mc2 : numpy.ndarray
        MC codes (index into ``vocab.MC_NAMES``, 0 = none).
    case_noise : numpy.ndarray
        0 as written, 1 capitalised, 2 upper case.

    Returns
    -------
    numpy.ndarray
        Object array of strings, ``None`` where no MC was registered.
    """
    return render_distinct([mc1, mc2, case_noise], [len(MC_NAMES), len(MC_NAMES), 3], _mc_text)


#: Offence type codes used by other modules.
TYPE_MISH = T["MISH"]
