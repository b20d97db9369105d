"""Written cases of round-2 session 53 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From the train errors:

* text rules 1.95.0: trouble "in onze relatie" told by one of the two ("spanning",
  "barsten", "ruzies", "problemen", "crisis") is a partner relationship
  (text.partner.relational), as "geweld in onze relatie" already was; an ex-partner word
  of the text still decides ("Na de scheiding bedreigde mijn ex-man me" stays ex_partner),
  and "hun relatie", told by a third person, stays without a reading. Not covered: a
  break-up told only as leaving ("Na de ruzies in onze relatie ging ik weg. Daarna stalkte
  hij me." reads partner: "ging ik weg" is no ended cue)."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- first-person accounts of trouble in the relationship ---
    ("Dit zorgde voor veel spanning in onze relatie. Toen deelde hij de eerste klap uit.",
     "partner"),
    ("Na twee jaar kwamen de eerste barsten in onze relatie. Hij sloeg me.", "partner"),
    # --- what must stay ---
    ("Er waren steeds meer ruzies binnen ons huwelijk.", "partner"),
    # a child's account: the father who hit the narrator decides first (priority 10)
    ("Mijn vader sloeg me. Er waren veel ruzies in onze relatie.", "child"),
    ("Er waren problemen in hun relatie, zei de buurman. Hij werd geslagen door een "
     "onbekende.", "none"),
    ("Het geweld begon heel vroeg in mijn relatie.", "partner"),
    ("Er waren ruzies in onze relatie. Na de scheiding bedreigde mijn ex-man me.",
     "ex_partner"),
]

# text rules only: register mode reads no text rule
test_text_mode, _register_mode = case_tests(TEXTS, [])
