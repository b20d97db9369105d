"""Canonical field names, default column names, labels and output columns.

This module is the single place where the names that cross module boundaries are
defined: the canonical input fields (see ``docs/extract_schema.md``), the
relationship labels of ``DESIGN.md`` §1.4, and the columns the tagger adds.
"""

from __future__ import annotations

from typing import Final

# --- canonical input fields -------------------------------------------------------

#: Canonical field name -> default column name in an OBJD-style extract.
DEFAULT_COLUMNS: Final[dict[str, str]] = {
    "person_id": "jds_nummer",
    "case_id": "parketnummer",
    "offence_nr": "feit_nr",
    "article": "wetsartikel",
    "mc": "maatschappelijke_classificatie",
    "qualification": "artikelkwalificatie",
    "offence_date": "pleegdatum",
    "registration_date": "inschrijvingsdatum",
    "disposal_date": "afdoeningsdatum",
    "disposal": "afdoening",
    "decision": "beslissing",
    "custodial_days": "vrijheidsstraf_dagen",
    "sex": "sekse",
    "birth_date": "geboortedatum",
    "country_of_birth": "geboorteland",
    "bsn_present": "bsn_aanwezig",
}

#: The fields the rules read. At least one must be present to tag.
TEXT_FIELDS: Final[tuple[str, ...]] = ("article", "mc", "qualification")

#: Hidden ground-truth column of the synthetic extract (never read by the tagger).
TRUTH_COLUMN: Final[str] = "true_relationship"

# --- labels -----------------------------------------------------------------------

PARTNER: Final[str] = "partner"
EX_PARTNER: Final[str] = "ex_partner"
CHILD: Final[str] = "child"
PARENT: Final[str] = "parent"
OTHER_FAMILY: Final[str] = "other_family"
DOMESTIC_UNSPECIFIED: Final[str] = "domestic_unspecified"
NONE: Final[str] = "none"

#: All relationship labels, most specific / most severe first.
LABELS: Final[tuple[str, ...]] = (
    PARTNER,
    EX_PARTNER,
    CHILD,
    PARENT,
    OTHER_FAMILY,
    DOMESTIC_UNSPECIFIED,
    NONE,
)

#: Labels that make an offence partner violence.
PARTNER_LABELS: Final[frozenset[str]] = frozenset({PARTNER, EX_PARTNER})

#: Labels of a relative other than a (former) partner.
FAMILY_LABELS: Final[tuple[str, ...]] = (CHILD, PARENT, OTHER_FAMILY)


def text_class(label: str) -> str:
    """Map a register label onto a corpus class (``child``/``parent``/... -> ``family``).

    ``partner`` and ``ex_partner`` stay, ``none`` is ``other``, every other label is
    ``family``. The same mapping as :func:`pv_identify.evaluate.corpus.class_of` for the
    labels of :data:`LABELS`.
    """
    if label in PARTNER_LABELS:
        return label
    return "other" if label == NONE else "family"

#: Labels that make an offence domestic violence (everything but ``none``).
DOMESTIC_LABELS: Final[frozenset[str]] = frozenset(LABELS) - {NONE}

#: Label tiers used to resolve several labels for one offence: a partner label beats a
#: family label, which beats ``domestic_unspecified``. This keeps the derived flags
#: identical to the published "any of the criteria" logic.
LABEL_TIER: Final[dict[str, int]] = {
    PARTNER: 3,
    EX_PARTNER: 3,
    CHILD: 2,
    PARENT: 2,
    OTHER_FAMILY: 2,
    DOMESTIC_UNSPECIFIED: 1,
    NONE: 0,
}

# --- output columns ---------------------------------------------------------------

OUT_LABEL: Final[str] = "pv_label"
OUT_PARTNER: Final[str] = "pv_partner_violence"
OUT_DOMESTIC: Final[str] = "pv_domestic_violence"
OUT_SOURCE: Final[str] = "pv_source"
OUT_RULE_IDS: Final[str] = "pv_rule_ids"
OUT_EVIDENCE: Final[str] = "pv_evidence"
OUT_SCORE: Final[str] = "pv_score"

#: Columns added by :func:`pv_identify.tag`, in order.
OUTPUT_COLUMNS: Final[tuple[str, ...]] = (
    OUT_LABEL,
    OUT_PARTNER,
    OUT_DOMESTIC,
    OUT_SOURCE,
    OUT_RULE_IDS,
    OUT_EVIDENCE,
    OUT_SCORE,
)

#: Values of :data:`OUT_SOURCE`.
SOURCE_RULE: Final[str] = "rule"
SOURCE_MODEL: Final[str] = "model"
SOURCE_NONE: Final[str] = "none"
#: The row could not be matched (a cell over :data:`MAX_CELL_CHARS` characters, or a
#: rule's regular expression timed out on it): label ``none``, the reason in
#: ``pv_evidence``. The run goes on with the other rows.
SOURCE_ERROR: Final[str] = "error"

#: Longest field value (characters) the rules read; a longer cell is flagged
#: (``pv_source="error"``), not matched. Real qualifications have under 1,000
#: characters; the bound keeps the work per cell small.
MAX_CELL_CHARS: Final[int] = 20_000

#: Separator inside the ``pv_rule_ids`` column.
ID_SEPARATOR: Final[str] = "|"

#: Key under which run metadata is stored in ``DataFrame.attrs``.
ATTRS_KEY: Final[str] = "pv_identify"
