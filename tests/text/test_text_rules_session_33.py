"""Written cases of round-2 session 33 (not corpus items). The first two cases fail on the
versions before 1.48.0; the others guard what must stay (the demonstrative group keeps
what the old cue, read across the full stop, got right).

Text rules 1.48.0 (code, ``TextMatcher._time_cues``): a time cue is read within one
sentence, as the salience step reads its offence cues, so the words of two sentences make
no cue across a full stop; a demonstrative that takes up the relationship of the sentence
before ends it in its own clause."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- a time cue within one sentence ---
    # "relatie. Daarna werd het onderzoek beeindigd" was an ended cue across the full stop
    ("Hij mishandelde zijn vriendin in hun woning tijdens een ruzie over de relatie. "
     "Daarna werd het onderzoek beeindigd.", "partner"),
    ("Hij sloeg zijn vrouw op de bank na een ruzie over hun huwelijk. Verbroken werd "
     "daarna niets.", "partner"),
    # the same words in one sentence still end the relationship
    ("Hij stalkte zijn vriendin nadat de relatie door haar was beeindigd.", "ex_partner"),
    ("Hij sloeg zijn vrouw. Het huwelijk werd in 2019 beeindigd, waarna hij haar "
     "bleef bedreigen.", "ex_partner"),
    # --- a demonstrative that takes up the relationship of the sentence before ---
    ("Er onstaat een relatie. Als scholiere die beeindigd blijft de man aandringen en "
     "contact zoeken.", "ex_partner"),
    ("Ze hadden twee jaar verkering. Toen zij deze verbrak, begon hij haar te stalken.",
     "ex_partner"),
]

# the cue scope is a step of text mode only (register mode reads no time cues)
test_text_mode, _ = case_tests(TEXTS, [])
