"""The time of the relationship: a decision revised by the time cues of the whole text.

A qualification phrase names a relationship as the writer knows it today ("zijn
ex-vriendin"); the label is the relationship at the time of the offence. Cue rules of
the groups :data:`TIME_ENDED` ("de relatie werd beeindigd", "na hun scheiding") and
:data:`TIME_CURRENT` ("tijdens hun relatie", "woonden toen samen") are matched on their
own by the text matcher; :func:`temporal_step` reads them: with cues of one kind only,
a partner decision becomes ``ex_partner`` (ended), an ex-partner decision becomes
``partner`` (current), and a text without a specific relationship gets the one the cues
tell. The deciding cue is a hit of its own whose note names the step.
"""

from __future__ import annotations

from pv_identify.combine import Decision
from pv_identify.rules.compiler import CompiledRules, Hit
from pv_identify.schema import DOMESTIC_UNSPECIFIED, FAMILY_LABELS, NONE

#: Groups of the time-of-relationship cue rules (text rule files, ``rules/text/``).
TIME_ENDED = "text.time.ended"
TIME_CURRENT = "text.time.current"
TIME_MASK = "text.time.mask"
#: Ended cues that revise a partner decision only: the offender's ex-partner word beside
#: a partner word ("zijn vrouw ... haar ex-man") names her as she was, unless the
#: partner word is told as then-current (word set ``then_word`` of the text rules: "zijn toenmalige
#: partner ... zijn ex-vriendin").
TIME_EX_WORD = "text.time.ex_word"
#: Current cues that revise an ex-partner decision only: abuse told as lasting for years
#: ("jarenlang door zijn ex-partner mishandeld") took place while the relationship lasted,
#: but says nothing about whose relatives family words name ("de stelselmatige
#: mishandeling van tien kinderen door hun vader" stays a family decision).
TIME_EX_CURRENT = "text.time.ex_current"
#: Current cues that place the offence inside the relationship (a period of it beside an
#: offence word: "tijdens het huwelijk ... huiselijk geweld", "binnen haar huwelijk
#: ernstig mishandeld"): beside an ended cue they still give a text without a
#: relationship word (``none``, ``domestic_unspecified``) the current reading, since both
#: cues tell of a couple and this one dates the offence; a partner or ex-partner decision
#: keeps no reading with both kinds ("Tijdens hun relatie ... Na de breuk stalkte hij zijn
#: ex-vriendin").
TIME_WITHIN = "text.time.within"
TIME_GROUPS = (TIME_ENDED, TIME_CURRENT, TIME_MASK, TIME_EX_WORD, TIME_EX_CURRENT,
               TIME_WITHIN)

_BARE_FAMILY_WHY = {
    TIME_ENDED: ("ex_partner", "a relationship that had ended before the offence; the "
                 "family words name nobody's relative in particular"),
    TIME_CURRENT: ("partner", "a relationship that lasted at the offence; the family "
                   "words name nobody's relative in particular"),
}
_TIME_READINGS = {
    ("partner", TIME_ENDED): ("ex_partner", "the relationship had ended before the offence; "
                              "the partner word names a former partner"),
    ("ex_partner", TIME_CURRENT): ("partner", "the offence took place during the "
                                   "relationship; the ex-word is today's name"),
    (NONE, TIME_ENDED): ("ex_partner", "a relationship that had ended before the offence"),
    (NONE, TIME_CURRENT): ("partner", "a relationship that lasted at the offence"),
    (DOMESTIC_UNSPECIFIED, TIME_ENDED): ("ex_partner", "domestic signal and a relationship "
                                         "that had ended before the offence"),
    (DOMESTIC_UNSPECIFIED, TIME_CURRENT): ("partner", "domestic signal and a relationship "
                                           "that lasted at the offence"),
}


def temporal_step(decision: Decision, cues: list[tuple[str, Hit]],
                  compiled: CompiledRules, rival_rules: frozenset[int] = frozenset(),
                  then_words: frozenset[str] = frozenset()) -> Decision:
    """Revise a decision with the time of the relationship told by the whole text.

    Parameters
    ----------
    decision : Decision
        The decision on the relationship hits.
    cues : list of (group, Hit)
        Time cues of the text (:data:`TIME_ENDED`, :data:`TIME_CURRENT`,
        :data:`TIME_EX_WORD`, :data:`TIME_EX_CURRENT` or :data:`TIME_WITHIN`).
    compiled : CompiledRules
        The matcher's compiled rules.
    rival_rules : frozenset of int, optional
        Indices of the grammar rules that name a non-relative through the offender's
        (ex-)partner (``TextMatcher._rivals``): a ``none`` one of them decided is not
        revised.
    then_words : frozenset of str, optional
        Words that tell the deciding partner word was current at the offence
        ("toenmalige"): cues of :data:`TIME_EX_WORD` then do not count.

    Returns
    -------
    Decision
        Unchanged when the cues disagree (both kinds; for a decision without a
        relationship word a :data:`TIME_WITHIN` cue then decides) or do not apply; else the revised
        label, decided by the first cue of the telling kind, whose note names the step.
    """
    ex_words_count = decision.label == "partner" and not (
        decision.winner is not None and then_words & set(decision.winner.text.split()))
    within = any(g == TIME_WITHIN for g, _ in cues)
    cues = [(TIME_ENDED if g == TIME_EX_WORD
             else TIME_CURRENT if g in (TIME_EX_CURRENT, TIME_WITHIN) else g, h)
            for g, h in cues
            if (g != TIME_EX_WORD or ex_words_count)
            and (g != TIME_EX_CURRENT or decision.label == "ex_partner")]
    kinds = {g for g, _ in cues}
    if len(kinds) == 2 and within and decision.label in (NONE, DOMESTIC_UNSPECIFIED):
        # "In 2019 zijn partijen gescheiden. Tijdens het huwelijk ... huiselijk geweld"
        kinds = {TIME_CURRENT}
        cues = [(g, h) for g, h in cues if g == TIME_CURRENT]
    if len(kinds) != 1:
        return decision  # "na de scheiding" and "tijdens het huwelijk": no reading
    kind = kinds.pop()
    if decision.label == NONE and any(h.rule in rival_rules for h in decision.hits):
        # the victim is linked to the offender's (ex-)partner ("de vader van zijn
        # inmiddels ex-vriendin"): the time cue tells of that relationship, not his
        return decision
    reading = _TIME_READINGS.get((decision.label, kind))
    if reading is None and decision.label in FAMILY_LABELS:
        rules = compiled.rules
        family = [h for h in decision.hits if rules[h.rule].label in FAMILY_LABELS]
        if all(" " not in h.text and not h.note for h in family):
            reading = _BARE_FAMILY_WHY[kind]  # "Moeder wordt veroordeeld ...", "de kinderen"
    if reading is None:
        return decision
    label, why = reading
    first = next(h for g, h in cues if g == kind)
    was = f" ({decision.winner.text!r} was {decision.label})" if decision.winner else ""
    cue = first._replace(note=f"{label} (time: {why}){was}")
    hits = tuple(sorted((*decision.hits, cue), key=lambda h: h.rule))
    return Decision(label, hits, decision.vetoed, cue)
