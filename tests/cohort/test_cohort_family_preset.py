"""Point 12: the wodc2022_family preset widens only the family terms of wodc2022."""

from __future__ import annotations

import pandas as pd

import pv_identify as pv

QUALS = [
    "mishandeling, begaan tegen zijn levensgezel",  # partner in both
    "mishandeling, begaan tegen zijn kind",  # child in both
    "mishandeling, begaan tegen zijn moeder",  # parent in both
    "mishandeling, begaan tegen zijn dochter",  # only the family variant
    "mishandeling, begaan tegen zijn ouders",  # only the family variant
    "mishandeling, begaan tegen zijn kinderen",  # only the family variant
    "mishandeling",  # neither
]


def tag(rules: str) -> pd.DataFrame:
    df = pd.DataFrame({"artikelkwalificatie": QUALS, "wetsartikel": "300 Sr",
                       "maatschappelijke_classificatie": ""})
    return pv.tag(df, rules=rules)


def test_family_variant_widens_only_family_terms() -> None:
    lit, fam = tag("wodc2022"), tag("wodc2022_family")
    assert lit["pv_domestic_violence"].tolist() == [True, True, True, False, False, False, False]
    assert fam["pv_domestic_violence"].tolist() == [True, True, True, True, True, True, False]
    # the partner flag (and so the cohort's index cases) does not move
    assert lit["pv_partner_violence"].tolist() == fam["pv_partner_violence"].tolist()
    assert fam["pv_label"].astype(str).tolist()[3:6] == ["child", "parent", "child"]


def test_literal_preset_unchanged() -> None:
    text = (pv.rules.presets.resolve_preset("wodc2022")).read_text(encoding="utf-8")
    assert "terms: [kind]" in text and "terms: [moeder, vader]" in text
