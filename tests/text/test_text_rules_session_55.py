"""Written cases of round-2 session 55 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batch NC after its unseen score:

* text rules 1.96.0: a holiday tells of a couple only when it is theirs ("tijdens hun
  vakantie", "tijdens een gezamenlijke vakantie"; a honeymoon always): "tijdens een
  vakantie" names nobody's holiday, and text.time.current had made a text without any
  relationship word ``partner`` (the four men of train web-NC006 who stabbed somebody
  after a road accident "tijdens een vakantie"), and had made an ex-partner word beside it
  current ("Tijdens een vakantie sloeg hij zijn ex-vriendin" was ``partner``). A partner
  or family word with "een vakantie" still decides by its own reading."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- nobody's holiday ---
    ("Het viertal zou tijdens een vakantie betrokken zijn geweest bij een steekpartij.",
     "none"),
    ("Tijdens een vakantie in Spanje raakten vier mannen slaags met een taxichauffeur.",
     "none"),
    # --- what must stay ---
    ("Zij beschuldigde hem van huiselijk geweld tijdens hun vakantie op Curaçao.",
     "partner"),
    ("Tijdens een gezamenlijke vakantie sloeg hij haar in het hotel.", "partner"),
    ("Hij mishandelde haar op hun huwelijksreis.", "partner"),
    ("Tijdens een vakantie in Turkije werd zij door haar vader vermoord.", "child"),
    ("Tijdens een vakantie sloeg hij zijn ex-vriendin.", "ex_partner"),
]

# text rules only: register mode reads no text rule
test_text_mode, _register_mode = case_tests(TEXTS, [])
