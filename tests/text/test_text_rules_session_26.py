"""Written cases of round-2 session 26 (not corpus items): text rules 1.28.0. In each
group the first case fails on the versions before it, the others guard what must stay.

Found in review of session 25's rules: a divorce pending without "hun" names no couple
(text.time.divorce_pending revises an ex-partner decision only), and a relative hurt by a
stranger word after "door" is that stranger's victim also with an article, a plural verb,
the offence told as a noun, or a partner reporting it (text.trap.relative_hurt_by_stranger
over text.child.reported_abuse_of_children)."""

from __future__ import annotations

import pytest

TEXTS = [
    # a divorce pending without "hun" names no couple (text.time.divorce_pending)
    ("Tijdens de echtscheidingsprocedure bedreigde hij de rechter.", "none"),
    ("Gedurende een scheidingsprocedure sloeg hij de advocaat.", "none"),
    # ... but revises an ex-partner decision: the marriage lasted at the offence
    ("Tijdens de echtscheidingsprocedure mishandelde hij zijn ex-vrouw.", "partner"),
    ("Poging zware mishandeling van zijn ex-echtgenote tijdens echtscheidingsprocedure.",
     "partner"),
    # "hun": the couple's own divorce stays a current cue (text.time.current)
    ("Tijdens hun echtscheiding sloeg hij haar.", "partner"),
    # after the divorce: still an ex
    ("Na de echtscheiding bedreigde hij zijn ex-vrouw.", "ex_partner"),
    # a family decision is not touched by the ex-partner revision
    ("Tijdens de echtscheidingsprocedure sloeg hij zijn zoon.", "child"),
    # a relative hurt by a stranger word (text.trap.relative_hurt_by_stranger)
    ("Zijn vrouw deed aangifte van mishandeling van de kinderen door de buurman.", "none"),
    ("Zijn ex-vrouw deed aangifte van mishandeling van de kinderen door een leraar.", "none"),
    ("De kinderen werden mishandeld door de buurman.", "none"),
    ("Mishandeling van de kinderen door de buurman.", "none"),
    ("Zijn kinderen zijn mishandeld door de buurman.", "none"),
    # the report of the children's abuse without an agent stays the children's case
    ("Zijn vrouw deed aangifte van mishandeling van de kinderen.", "child"),
    # "zijn" the possessive of the next phrase is no auxiliary: the daughter stays
    ("Hij sloeg zijn dochter. Zijn zoon werd bedreigd door de buurman.", "child"),
    # a relative named as the agent is no stranger
    ("Zijn kinderen werden mishandeld door hun vader.", "child"),
]

QUALIFICATIONS = [
    # the time cue and the trap are text-mode rules: register mode does not change
    ("mishandeling van zijn echtgenote tijdens echtscheidingsprocedure", "partner"),
    ("mishandeling van zijn ex-echtgenote", "ex_partner"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("qualification, label", QUALIFICATIONS)
def test_register_mode(tag_qualification, qualification, label):
    assert tag_qualification(qualification)["pv_label"] == label
