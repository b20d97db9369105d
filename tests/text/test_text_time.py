"""The temporal step: the relationship at the time of the offence, told by the whole text.

Written cases (not corpus items), one per cue kind and per reading of the step.
"""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.text import tag_texts


@pytest.fixture(scope="module")
def tagger():
    return pv.Tagger("default")


def _one(tagger, text):
    return tag_texts([text], tagger=tagger).iloc[0]


@pytest.mark.parametrize("text, label", [
    # partner word, relationship ended before the offence -> ex_partner
    ("Hij bedreigde zijn vrouw. Zij waren sinds januari uit elkaar.", "ex_partner"),
    ("Hij scheidde in 2010 van zijn vrouw en stuurde haar in 2015 dreigmails.", "ex_partner"),
    ("Zijn vriendin had de relatie een maand eerder beëindigd.", "ex_partner"),
    # ex-word, offence during the relationship -> partner
    ("Zijn ex-vrouw werd tijdens hun huwelijk jarenlang mishandeld.", "partner"),
    ("Zij werd door haar ex-vriend geslagen toen zij nog samenwoonden.", "partner"),
    # no relationship word: the cues alone tell the relationship
    ("Saga beëindigde de relatie. Daarna bleef hij haar lastigvallen.", "ex_partner"),
    ("Het koppel was een jaar samen toen het op straat misging.", "partner"),
    ("Hij zou haar tijdens hun relatie seksueel hebben misbruikt.", "partner"),
    # session 8: a modifier before the relation word, and a period "of" the relationship
    ("Tijdens hun kortstondige relatie sloeg hij haar.", "partner"),
    ("Het laatste half jaar van haar relatie werd zij geslagen.", "partner"),
    # domestic signal without a relationship + a cue
    ("Na hun scheiding schreef zij dat zij slachtoffer was van huiselijk geweld.",
     "ex_partner"),
    # family words without a possessor: the dispute is between the (former) partners
    ("Zij waren uit elkaar gegaan. De moeder deed aangifte van bedreiging.", "ex_partner"),
    # issue 13, round 2
    ("Partijen hebben samengewoond tot 2010. Daarna bedreigde hij haar.", "ex_partner"),
    ("Hun relatie liep op de klippen. Daarna bleef hij haar lastigvallen.", "ex_partner"),
    ("Het incident was het gevolg van een crisis in het huwelijk.", "partner"),
    # (text rules 1.22.0: "verkrachting binnen het huwelijk" right after each other is a
    # partner phrase of its own; apart, the time step reads the cue)
    ("Hij werd veroordeeld voor een verkrachting die binnen het huwelijk plaatsvond.",
     "partner"),
    # an ex *now*, not at the offence (session 4): "inmiddels/intussen" + an ex-word
    ("Hij mishandelde zijn inmiddels ex-vriendin.", "partner"),
    ("De intussen ex-vrouw van de beklaagde deelde in het geweld.", "partner"),
    ("Hij heeft zijn inmiddels voormalige partner geslagen.", "partner"),
    # a relationship told in a relative clause, ended by the perfect tense
    ("Hij bedreigde de vrouw met wie hij tot 2015 had samengewoond.", "ex_partner"),
])
def test_temporal_step(tagger, text, label):
    row = _one(tagger, text)
    assert row["pv_label"] == label
    assert "text.time." in row["pv_rule_ids"]
    assert "(time: " in row["pv_evidence"]


@pytest.mark.parametrize("text, label", [
    # cues of both kinds: no reading, the words decide
    ("Tijdens het huwelijk sloeg hij zijn vrouw; na de scheiding stalkte hij haar.",
     "partner"),
    # family labels are not revised
    ("Na de scheiding mishandelde hij zijn zoon.", "child"),
    # a friendly relationship that ended is no ex-partner relationship
    ("Partijen hebben een vriendschappelijke relatie met elkaar gehad.", "none"),
    # no cue: nothing changes
    ("Hij mishandelde zijn vrouw.", "partner"),
    ("Hij mishandelde zijn ex-vrouw.", "ex_partner"),
    # "in het huwelijk treden" is to marry, not a marriage that lasted
    ("Zijn ex-vriendin wilde met hem in het huwelijk treden.", "ex_partner"),
    # "inmiddels gescheiden" (divorced since the offence) outranks the ended cue
    # "gescheiden" inside it: only a current cue, and "zijn vrouw" stays partner
    ("Hij mishandelde zijn vrouw, van wie hij inmiddels gescheiden is.", "partner"),
    # a relative of the ex: the time cue is about the offender and the ex, not the victim
    ("Hij mishandelde de vader van zijn inmiddels ex-vriendin.", "none"),
    # living together / married / a child together, told in a relative clause
    ("Zij werd mishandeld door de man met wie zij samenwoonde.", "partner"),
    ("Hij sloeg de vrouw met wie hij in 2010 was getrouwd.", "partner"),
    ("Hij bedreigde de vrouw met wie hij een zoon heeft.", "partner"),
    # 'zus' ends in -s but is no genitive name before a preposition (grammar word set
    # 'preposition'; it made "zus met wie hij samenwoonde" somebody else's)
    ("Zijn zus, met wie hij samenwoonde, werd mishandeld.", "other_family"),
])
def test_temporal_step_leaves_alone(tagger, text, label):
    row = _one(tagger, text)
    assert row["pv_label"] == label
    assert "(time: " not in row["pv_evidence"]


def test_time_cues_never_mask_words(tagger):
    # the cue covers "zijn vrouw" but the word is still found (and read as former)
    row = _one(tagger, "Hij had de relatie met zijn vrouw verbroken en bedreigde haar.")
    assert row["pv_label"] == "ex_partner"
    assert 'text="zijn vrouw"' in row["pv_evidence"]


def test_register_mode_unaffected(tagger):
    # time cues are text rules: a qualification is decided by the register rules alone
    out = tagger.tag(pd.DataFrame({"artikelkwalificatie": [
        "Mishandeling van zijn vrouw, na de scheiding"]}))
    assert out["pv_label"].iloc[0] == "partner"


def test_explain_shows_the_step(tagger):
    from pv_identify.text.temporal import temporal_step  # noqa: F401  (public step)

    matcher = tagger.text_matcher
    match = matcher.match("Zij waren al uit elkaar toen hij zijn vrouw bedreigde.")
    assert match.decision.label == "ex_partner"
    winner = match.decision.winner
    assert matcher.compiled.rules[winner.rule].id == "text.time.ended"
    assert "'zijn vrouw' was partner" in winner.note


@pytest.mark.parametrize("text, label", [
    ("Ik zag dat mijn vader met zijn vuist in het gezicht van mijn moeder sloeg.", "partner"),
    ("De zonen zagen hoe hun vader hun moeder doodde.", "partner"),
    # both parents named as a pair: no partner reading (the trap masks the pair)
    ("Hij bedreigde mijn vader en mijn moeder.", "none"),
])
def test_parents_of_witness(tagger, text, label):
    assert _one(tagger, text)["pv_label"] == label


@pytest.mark.parametrize("text", [
    "Hij doodde zijn terminaal zieke vrouw.",
    "Zij ging haar gehandicapte man te lijf.",
    "Hij viel zijn kersverse verloofde aan.",
])
def test_descriptive_modifiers(tagger, text):
    assert _one(tagger, text)["pv_label"] == "partner"


@pytest.mark.parametrize("text, label", [
    # the offender's ex-partner word beside a partner word names her as she was
    ("De man kreeg een contactverbod jegens zijn vrouw. Volgens haar advocaat bleef haar "
     "ex-man haar bellen.", "ex_partner"),
    ("Hij belaagde zijn partner. Volgens de politie gaat het om zijn ex.", "ex_partner"),
    # a partner word told as then-current: the ex word is today's wording
    ("Hij stak het huis in brand. Zijn toen 38-jarige partner lag boven te slapen. Hij "
     "werd veroordeeld voor poging tot moord op zijn ex-vriendin.", "partner"),
    # only partner decisions: a bare family word stays (no bare-family reading)
    ("De vader deelt het hoederecht over de kinderen met zijn vrouw. Zij belde met haar "
     "ex-man, die zei dat hij de kinderen wilde doden.", "child"),
])
def test_ex_word_beside_a_partner_word(tagger, text, label):
    row = _one(tagger, text)
    assert row["pv_label"] == label
    if label == "ex_partner":
        assert "text.time.ex_word" in row["pv_rule_ids"]


def test_a_trap_masks_the_time_cues_inside_it(tagger):
    # "een relatie had gehad" lies inside text.trap.lover_of_victims_partner: the trap
    # says the phrase names no tie of offender and victim, so its time words date none
    # either ("zijn vriendin" stays a current partner). Without the trap the same words
    # are an ended cue. (Until text rules 1.87.0 the trap needed a twin time mask.)
    from pv_identify.text.matcher import TextMatcher

    text = ("Hij mishandelde zijn vriendin, nadat hij een relatie had gehad met de vrouw "
            "van het slachtoffer.")
    with_trap = tagger.text_matcher.match(text).decision
    assert with_trap.label == "partner"
    assert with_trap.winner.text == "zijn vriendin"
    rules = tagger.text_matcher.text_rules
    without = TextMatcher(tagger.ruleset, rules.without(["text.trap.lover_of_victims_partner"]))
    decision = without.match(text).decision
    assert decision.label == "ex_partner"
    assert decision.winner.text == "een relatie had gehad"
    assert not any(r.id == "text.time.lover_of_victims_partner" for r in rules.rules)


def test_explain_text_names_the_step_that_demoted_a_phrase(tagger):
    # the salience step read the sister as nobody next to the offence: the explanation
    # lists that step with its note, and says the steps decided (not "no rule")
    text = ("In 2021 doodt de dan 21-jarige Bouchra tijdens een acute psychose haar jongere "
            "zus Anouk met meer dan tachtig messteken.")
    shown = str(tagger.explain_text(text))
    assert "steps:\n  text.victim.cue: 'doodt' → none (victim: no relationship phrase next " \
           "to the offence; 'haar jongere zus' was other_family)" in shown
    assert "Rules: none (by the steps above)" in shown
    assert "Rules: none (no relationship rule)" in str(tagger.explain_text("Hij sloeg een man."))
