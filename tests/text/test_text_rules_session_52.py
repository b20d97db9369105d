"""Written cases of round-2 session 52 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batch MB after its unseen score:

* default preset 1.40.0: diminutives of listed kin words that were missing
  ("schoonzusje", "kleinkindje", "achterkleinkindje", "adoptiezoontje",
  "adoptiedochtertje") are relatives, in both modes; the undiminished words keep their
  labels."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- a Hoge Raad heading with a diminutive in-law ---
    ("Ontucht met schoonzusje, meermalen gepleegd.", "other_family"),
    ("Hij pleegde ontucht met zijn schoonzusje.", "other_family"),
    ("Ontucht met schoonzus, meermalen gepleegd.", "other_family"),
    # --- grandchildren and adopted children as diminutives ---
    ("Hij sloeg zijn kleinkindje.", "other_family"),
    ("Zij mishandelde haar adoptiezoontje.", "child"),
    ("Hij mishandelde zijn adoptiedochtertje.", "child"),
    ("Hij mishandelde zijn adoptiedochter.", "child"),
]

REGISTER = [
    ("ontucht met schoonzusje, meermalen gepleegd", "other_family"),
    ("mishandeling van zijn achterkleinkindje", "other_family"),
    ("mishandeling van adoptiezoontje", "child"),
    ("mishandeling van zijn schoonzus", "other_family"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
