"""Fixed vocabularies of the synthetic extract: case kinds, offence types, disposals.

Everything here is data about the *domain* (which articles exist, what a court writes,
which disposals are decided by a judge). Tunable rates live in
:mod:`pv_identify.synth.config`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pv_identify.schema import CHILD, EX_PARTNER, NONE, OTHER_FAMILY, PARENT, PARTNER

# --- person types -----------------------------------------------------------------

PT_GENERAL: Final[int] = 0  #: ordinary offender, no domestic episode
PT_PARTNER: Final[int] = 1  #: offender with a partner-violence episode
PT_FAMILY: Final[int] = 2  #: offender with a child/parent/other-family violence episode

# --- case kinds (who the case is about) --------------------------------------------

K_PARTNER: Final[int] = 0
K_EX_PARTNER: Final[int] = 1
K_CHILD: Final[int] = 2
K_PARENT: Final[int] = 3
K_OTHER_FAMILY: Final[int] = 4
K_VIOLENCE: Final[int] = 5  #: violence against strangers, neighbours, acquaintances
K_OFFICIAL: Final[int] = 6  #: police officers and other officials
K_BUSINESS: Final[int] = 7  #: business partner ("zakenpartner" trap)
K_PROPERTY: Final[int] = 8
K_DRUGS: Final[int] = 9
K_TRAFFIC: Final[int] = 10
K_WEAPONS: Final[int] = 11
K_OTHER: Final[int] = 12

#: Case kinds that are domestic, in order; index = kind code.
DOMESTIC_KINDS: Final[tuple[int, ...]] = (
    K_PARTNER,
    K_EX_PARTNER,
    K_CHILD,
    K_PARENT,
    K_OTHER_FAMILY,
)
#: Non-domestic kinds, in the order of ``SynthConfig.general_kind_probs``.
GENERAL_KINDS: Final[tuple[int, ...]] = (
    K_VIOLENCE,
    K_OFFICIAL,
    K_BUSINESS,
    K_PROPERTY,
    K_DRUGS,
    K_TRAFFIC,
    K_WEAPONS,
    K_OTHER,
)
N_KINDS: Final[int] = 13

#: Relationship labels (the hidden truth), index = relationship code.
RELATIONSHIPS: Final[tuple[str, ...]] = (PARTNER, EX_PARTNER, CHILD, PARENT, OTHER_FAMILY, NONE)
REL_NONE: Final[int] = 5
#: Relationship code of the victim of each case kind's main offence.
KIND_RELATIONSHIP: Final[tuple[int, ...]] = (0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5)

# --- partner-violence type categories of seed 001 Table 3.1 -----------------------

PV_CATEGORIES: Final[tuple[str, ...]] = (
    "eenvoudige mishandeling",
    "zware mishandeling",
    "doodslag",
    "bedreiging",
    "belaging/stalking",
    "vernieling",
    "overig",
)
#: Severity rank of each category (higher = more severe); used to pick the type of a case.
PV_CATEGORY_SEVERITY: Final[tuple[int, ...]] = (4, 5, 6, 3, 2, 1, 0)


# --- offence types -------------------------------------------------------------------


@dataclass(frozen=True)
class OffenceType:
    """One kind of offence: its law, article, court wording and classification.

    Parameters
    ----------
    code : str
        Short internal name.
    law : str
        ``Sr`` (Wetboek van Strafrecht), ``Opw``, ``WVW``, ``WWM`` or ``Wth``.
    article : str
        Main article number, e.g. ``"300"`` or ``"285b"``.
    lid : str
        Paragraph / sub in the main article ("" when none is written).
    attempt : bool
        Attempt (art. 45 Sr).
    quals : tuple of str
        Alternative court qualifications (the first is the most common).
    category : int
        Index into :data:`PV_CATEGORIES` (the type of partner violence), -1 if not
        applicable.
    violent : bool
        A violent offence for prior-violence counts and violence recidivism.
    assault : bool
        Assault of art. 300-303 Sr, to which art. 304 Sr can apply.
    topic_mc : str
        The non-domestic MC the prosecutor would use ("" for none).
    """

    code: str
    law: str
    article: str
    lid: str
    attempt: bool
    quals: tuple[str, ...]
    category: int
    violent: bool
    assault: bool
    topic_mc: str


_OFFICIAL_CLAUSE = (
    ", terwijl het misdrijf wordt gepleegd tegen een ambtenaar gedurende of ter zake "
    "van de rechtmatige uitoefening van zijn bediening"
)

OFFENCE_TYPES: Final[tuple[OffenceType, ...]] = (
    OffenceType("MISH", "Sr", "300", "1", False, ("mishandeling",), 0, True, True, "mishandeling"),
    OffenceType(
        "MISH_LETSEL", "Sr", "300", "2", False,
        ("mishandeling, terwijl het feit zwaar lichamelijk letsel ten gevolge heeft",),
        0, True, True, "mishandeling",
    ),
    OffenceType("ZWMISH", "Sr", "302", "1", False, ("zware mishandeling",), 1, True, True,
                "mishandeling"),
    OffenceType("POG_ZWMISH", "Sr", "302", "1", True, ("poging tot zware mishandeling",), 1,
                True, True, "mishandeling"),
    OffenceType("DOODSLAG", "Sr", "287", "", False, ("doodslag",), 2, True, False, ""),
    OffenceType("POG_DOODSLAG", "Sr", "287", "", True, ("poging tot doodslag",), 2, True, False,
                ""),
    OffenceType(
        "BEDREIGING", "Sr", "285", "1", False,
        (
            "bedreiging met enig misdrijf tegen het leven gericht",
            "bedreiging met zware mishandeling",
            "bedreiging",
        ),
        3, True, False, "bedreiging",
    ),
    OffenceType("BELAGING", "Sr", "285b", "", False, ("belaging",), 4, True, False, "stalking"),
    OffenceType(
        "VERNIELING", "Sr", "350", "1", False,
        (
            "vernieling",
            "opzettelijk en wederrechtelijk enig goed dat geheel of ten dele aan een ander "
            "toebehoort vernielen",
        ),
        5, False, False, "vernieling",
    ),
    OffenceType("HUISVERBOD", "Wth", "11", "", False,
                ("opzettelijk handelen in strijd met een huisverbod",), 6, False, False, ""),
    OffenceType(
        "GEBIEDSVERBOD", "Sr", "184a", "", False,
        ("overtreding van een gebiedsverbod", "overtreding van een contactverbod"),
        6, False, False, "",
    ),
    OffenceType("HUISVREDEBREUK", "Sr", "138", "1", False, ("huisvredebreuk",), 6, False, False,
                "openbare orde"),
    OffenceType("BELEDIGING", "Sr", "266", "1", False, ("eenvoudige belediging",), 6, False,
                False, ""),
    OffenceType("WEDERSPANNIGHEID", "Sr", "180", "", False, ("wederspannigheid",), -1, True,
                False, "geweld tegen politie"),
    OffenceType("OPENLIJK_GEWELD", "Sr", "141", "1", False,
                ("openlijk in vereniging geweld plegen tegen personen",), -1, True, False,
                "uitgaansgeweld"),
    OffenceType("DIEFSTAL", "Sr", "310", "", False, ("diefstal",), -1, False, False, "diefstal"),
    OffenceType("DIEFSTAL_BRAAK", "Sr", "311", "1", False,
                ("diefstal door middel van braak", "diefstal in vereniging door middel van braak"),
                -1, False, False, "woninginbraak"),
    OffenceType(
        "DIEFSTAL_GEWELD", "Sr", "312", "1", False,
        (
            "diefstal, voorafgegaan, vergezeld of gevolgd van geweld en/of bedreiging met "
            "geweld tegen personen",
        ),
        -1, True, False, "overval",
    ),
    OffenceType("HELING", "Sr", "416", "1", False, ("opzetheling",), -1, False, False, ""),
    OffenceType("OPLICHTING", "Sr", "326", "", False, ("oplichting",), -1, False, False, "fraude"),
    OffenceType("VERDUISTERING", "Sr", "321", "", False, ("verduistering",), -1, False, False,
                "fraude"),
    OffenceType(
        "OPIUM_HARD", "Opw", "2", "C", False,
        ("opzettelijk handelen in strijd met een in artikel 2 onder C van de Opiumwet gegeven "
         "verbod",),
        -1, False, False, "drugs",
    ),
    OffenceType(
        "OPIUM_SOFT", "Opw", "3", "C", False,
        ("opzettelijk handelen in strijd met een in artikel 3 onder C van de Opiumwet gegeven "
         "verbod",),
        -1, False, False, "drugs",
    ),
    OffenceType(
        "WVW_ALCOHOL", "WVW", "8", "2 sub a", False,
        ("overtreding van artikel 8, tweede lid, aanhef en onder a, van de Wegenverkeerswet "
         "1994",),
        -1, False, False, "rijden onder invloed",
    ),
    OffenceType(
        "WVW_RIJBEWIJS", "WVW", "9", "1", False,
        ("overtreding van artikel 9, eerste lid, van de Wegenverkeerswet 1994",),
        -1, False, False, "",
    ),
    OffenceType(
        "WVW_ONGEVAL", "WVW", "6", "", False,
        ("overtreding van artikel 6 van de Wegenverkeerswet 1994",),
        -1, False, False, "verkeer",
    ),
    OffenceType(
        "WWM", "WWM", "26", "1", False,
        ("handelen in strijd met artikel 26, eerste lid, van de Wet wapens en munitie",),
        -1, False, False, "wapens",
    ),
    OffenceType(
        "BELEDIGING_AMBT", "Sr", "266", "1", False,
        ("eenvoudige belediging" + _OFFICIAL_CLAUSE.replace("het misdrijf wordt gepleegd",
                                                           "de belediging wordt aangedaan"),),
        -1, False, False, "geweld tegen politie",
    ),
)

#: Offence type code -> index.
T: Final[dict[str, int]] = {t.code: i for i, t in enumerate(OFFENCE_TYPES)}
N_TYPES: Final[int] = len(OFFENCE_TYPES)

#: Offence types per partner-violence category, with within-category probabilities.
CATEGORY_TYPES: Final[tuple[tuple[tuple[str, float], ...], ...]] = (
    (("MISH", 0.97), ("MISH_LETSEL", 0.03)),
    (("ZWMISH", 0.5), ("POG_ZWMISH", 0.5)),
    (("POG_DOODSLAG", 0.8), ("DOODSLAG", 0.2)),
    (("BEDREIGING", 1.0),),
    (("BELAGING", 1.0),),
    (("VERNIELING", 1.0),),
    (("HUISVERBOD", 0.3), ("GEBIEDSVERBOD", 0.3), ("HUISVREDEBREUK", 0.2), ("BELEDIGING", 0.2)),
)

#: Offence types of the non-domestic case kinds (main and extra offences).
KIND_TYPES: Final[dict[int, tuple[tuple[str, float], ...]]] = {
    K_VIOLENCE: (
        ("MISH", 0.45), ("BEDREIGING", 0.25), ("OPENLIJK_GEWELD", 0.08), ("ZWMISH", 0.05),
        ("POG_ZWMISH", 0.05), ("POG_DOODSLAG", 0.01), ("DIEFSTAL_GEWELD", 0.06),
        ("BELAGING", 0.03), ("MISH_LETSEL", 0.02),
    ),
    K_OFFICIAL: (
        ("MISH", 0.35), ("WEDERSPANNIGHEID", 0.30), ("BELEDIGING_AMBT", 0.20),
        ("BEDREIGING", 0.15),
    ),
    K_BUSINESS: (("OPLICHTING", 0.5), ("VERDUISTERING", 0.3), ("MISH", 0.1), ("BEDREIGING", 0.1)),
    K_PROPERTY: (("DIEFSTAL", 0.5), ("DIEFSTAL_BRAAK", 0.2), ("VERNIELING", 0.2), ("HELING", 0.1)),
    K_DRUGS: (("OPIUM_HARD", 0.5), ("OPIUM_SOFT", 0.5)),
    K_TRAFFIC: (("WVW_ALCOHOL", 0.6), ("WVW_RIJBEWIJS", 0.3), ("WVW_ONGEVAL", 0.1)),
    K_WEAPONS: (("WWM", 1.0),),
    K_OTHER: (
        ("GEBIEDSVERBOD", 0.15), ("HUISVREDEBREUK", 0.2), ("BELEDIGING", 0.25),
        ("OPLICHTING", 0.2), ("VERNIELING", 0.2),
    ),
}

# --- disposals -----------------------------------------------------------------------

#: ``afdoening`` values; index = disposal code. Pending is code -1 (empty in output).
DISPOSALS: Final[tuple[str, ...]] = (
    "vrijheidsstraf",
    "voorwaardelijke vrijheidsstraf",
    "werkstraf",
    "leerstraf",
    "geldboete",
    "maatregel",
    "schuldigverklaring zonder straf",
    "vrijspraak",
    "ontslag van rechtsvervolging",
    "transactie",
    "strafbeschikking",
    "voorwaardelijk beleidssepot",
    "onvoorwaardelijk beleidssepot",
    "technisch sepot",
    "overig",
)
D: Final[dict[str, int]] = {name: i for i, name in enumerate(DISPOSALS)}
D_PENDING: Final[int] = -1
#: Disposals decided by a judge (a qualification is written when the offence is proven).
COURT_DISPOSALS: Final[frozenset[str]] = frozenset(DISPOSALS[:9])
#: Disposals that are not a conviction (and pending).
NON_CONVICTIONS: Final[frozenset[str]] = frozenset(
    {"vrijspraak", "ontslag van rechtsvervolging", "technisch sepot"}
)

#: ``beslissing`` values; index = decision code.
DECISIONS: Final[tuple[str, ...]] = ("bewezen", "vrijspraak", "ontslag", "technisch sepot",
                                     "lopend")

#: Categories of "most severe disposal" of seed 001 Table 3.1.
DISPOSAL_CATEGORIES: Final[tuple[str, ...]] = (
    "werkstraf",
    "leerstraf",
    "voorwaardelijk beleidssepot",
    "onvoorwaardelijk beleidssepot",
    "voorwaardelijke vrijheidsstraf",
    "vrijheidsstraf < 1 maand",
    "vrijheidsstraf 1-6 maanden",
    "vrijheidsstraf > 6 maanden",
    "maatregel",
    "geldboete",
    "overig",
)

# --- persons ----------------------------------------------------------------------------

#: Named countries of birth of Table 3.1; index 5 is "other" (drawn from OTHER_COUNTRIES).
COUNTRIES: Final[tuple[str, ...]] = (
    "Nederland", "Marokko", "Nederlandse Antillen", "Suriname", "Turkije",
)
OTHER_COUNTRIES: Final[tuple[str, ...]] = (
    "Polen", "Duitsland", "België", "Irak", "Afghanistan", "Somalië", "Syrië", "Roemenië",
    "Kaapverdië", "Iran", "Ghana", "Colombia", "Joegoslavië", "Verenigd Koninkrijk",
    "Aruba", "Eritrea", "Bulgarije", "Indonesië", "China", "Nigeria",
)
SEXES: Final[tuple[str, ...]] = ("man", "vrouw")

#: Arrondissement-like two-digit prefixes of parketnummers.
ARRONDISSEMENTS: Final[tuple[str, ...]] = (
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "13", "15", "16",
    "17", "18", "19", "20", "21",
)

# --- MC names ---------------------------------------------------------------------------

MC_HG: Final[str] = "huiselijk geweld"
MC_PARTNER: Final[str] = "huiselijk geweld partnermishandeling"
MC_CHILD: Final[str] = "huiselijk geweld kindermishandeling"
MC_PARENT: Final[str] = "huiselijk geweld oudermishandeling"
MC_OTHER: Final[str] = "huiselijk geweld overig"
#: The five domestic-violence MCs (seed 001 lines 3508-3511).
HG_MCS: Final[tuple[str, ...]] = (MC_HG, MC_PARTNER, MC_CHILD, MC_PARENT, MC_OTHER)
#: Specific HG MC per relationship code (partner MC also for ex-partners).
REL_SPECIFIC_MC: Final[tuple[str, ...]] = (
    MC_PARTNER, MC_PARTNER, MC_CHILD, MC_PARENT, MC_OTHER, "",
)
#: All MC names; index = MC code; code 0 is "no MC".
MC_NAMES: Final[tuple[str, ...]] = (
    "", *HG_MCS, *sorted({t.topic_mc for t in OFFENCE_TYPES if t.topic_mc})
)
MC_CODE: Final[dict[str, int]] = {name: i for i, name in enumerate(MC_NAMES)}
