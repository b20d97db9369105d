"""Written cases of round-2 session 28 (not corpus items). In each group the first case
fails on the versions before it, the others guard what must stay.

An accused relative beside a stranger victim (salience step,
``TextMatcher._stranger_object``): a phrase that names the accused as a relative counts as
next to the offence wherever it stands, but a stranger who is the object of an offence cue
in the same sentence is the victim ("Haar zoon is als verdachte aangemerkt voor de moord op
de buurman")."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- an accused relative beside a stranger victim ---
    ("Haar zoon is als verdachte aangemerkt voor de moord op de buurman.", "none"),
    ("Zijn vader is als verdachte aangemerkt voor de mishandeling van de buurvrouw.", "none"),
    # the stranger in another sentence is not the object: the relative's tie stays
    ("Haar 26-jarige zoon is als verdachte aangemerkt. Hij zou haar hebben doodgestoken.",
     "parent"),
    # a stranger far from the cue is no object
    ("Haar zoon is als verdachte aangemerkt voor de moord. De buurman belde de politie.",
     "parent"),
]

QUALIFICATIONS = [
    # register mode reads no salience: a qualification keeps its relative
    ("mishandeling van zijn zoon", "child"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)
