"""Written cases of round-2 session 24, helper R24A (not corpus items): family words that
are not the victim's tie to the offender, and family ties the rules missed (text rules
only; the register rules, the grammar and the presets are unchanged). In each group the
first case fails on the rules before it, the others guard what must stay.

Traps: more speaker verbs after a quote, a person named by a role in the household ("de
vader van het gezin"), a co-victim joined to a person word after an offence verb, a
relative hurt by a stranger, "als kind", "zowel de X als de Y van het slachtoffer", the
place or occasion of a relative, a bare list of kin words, a household described by its
children, a stay "bij hem en zijn ouders". Ties: the victim named as a relative of the
accused person, the parent of children in a relative clause arrested, "het gaat om de
kleindochter van het slachtoffer", a niece, nephew or grandchild with "een". Offence
cues: something thrown over somebody, a limb hit, the lifeless body of somebody."""

from __future__ import annotations

import pytest

# Free text, the default rules: one table, a comment per rule.
TEXTS = [
    # more verbs of speech after a quote (text.trap.speaker_more)
    ("“Tot waar gaat het?”, vulde zijn dochter aan. “Mijn ouders worden geterroriseerd.”",
     "none"),
    ("“Hij moet gestraft worden”, reageerde haar vader. Een man sloeg haar.", "none"),
    # the relative as the subject of the verb, before it, stays
    ("Zijn dochter vulde de aangifte aan: hij sloeg haar.", "child"),
    # a person named by the role in the household (text.trap.family_role)
    ("Bij een ruzie stak de vader van het gezin zijn buurman neer.", "none"),
    # another relationship phrase of the text still counts
    ("De vader van het gezin vergreep zich aan zijn dochters.", "child"),
    # a co-victim joined to a person word after an offence verb (text.trap.co_victim)
    ("De aanvaller sloeg de vrouw en haar zoon van 9 met een hamer.", "none"),
    # the offender's own partner and her child stay the offender's
    ("Hij sloeg zijn vrouw en haar zoon.", "partner"),
    # a relative hurt by a stranger (text.trap.relative_hurt_by_stranger)
    ("Toen zijn oom werd geslagen door een agent, gooide de verdachte een steen.", "none"),
    ("Zijn oom werd door hem geslagen.", "other_family"),
    # the age at which something happened (text.trap.as_a_child)
    ("Een vriend van de familie heeft mij als kind misbruikt.", "none"),
    ("Hij heeft zijn dochter als klein kind misbruikt.", "child"),
    # both relatives of the victim (text.trap.both_relatives_of_party)
    ("Zowel de broer als de zus van het slachtoffer zagen hoe een vriend hem neerstak.",
     "none"),
    # the victim named as a relative of the accused person (accused_relative)
    ("Het slachtoffertje (5) was het nichtje van de vrouw (22). Het getrouwde stel werd "
     "schuldig bevonden aan mishandeling.", "other_family"),
    ("Het slachtoffertje was de dochter van de vrouw. Het stel werd veroordeeld voor "
     "mishandeling.", "child"),
    # a relative of a role (a witness) is no relative of the accused
    ("Het slachtoffer is de zoon van de eigenaar. Hij werd neergestoken.", "none"),
    # the parent of children named in a relative clause, arrested (accused_relative)
    ("De vader van de twee kinderen die zaterdag zwaargewond zijn gevonden in hun woning "
     "is aangehouden.", "child"),
    # something thrown over somebody (text.victim.cue_thrown_over)
    ("De man gooide in juli 2018 een zure vloeistof uit een accu over zijn zoon. Op het "
     "moment van de aanval waren de ouders in een gevecht verwikkeld.", "child"),
    # a limb hit (text.victim.cue_limb)
    ("Omdat hij een steen had gegooid, beloofde de stiefvader de chauffeur dat hij het kind "
     "zou straffen. De man haalde een mes boven en drukte het op het been van het kind.",
     "child"),
    # a niece, nephew or grandchild with 'een' (text.other_family.indefinite_kin)
    ("De veertiger werd vervolgd voor de aanranding van een nichtje tijdens een feest.",
     "other_family"),
    ("Het dodelijke slachtoffer is een zestienjarige neef uit Amsterdam.", "other_family"),
    # a chain after it still decides; 'een kind' stays nobody's
    ("Bij de steekpartij raakte een neef van het slachtoffer gewond.", "none"),
    ("Hij werd veroordeeld voor mishandeling van een kind.", "none"),
    # the place or occasion of a relative (text.trap.relatives_occasion)
    ("De rechtbank heeft een moeder die een andere moeder op de speelplaats van haar "
     "dochter buiten westen sloeg, schuldig verklaard.", "none"),
    ("Marie fietst naar de paardrijles van haar dochter. De buurman rijdt met zijn tractor "
     "over Marie heen.", "none"),
    # a home is no occasion: the relative may be hurt there
    ("In de woning van zijn moeder stak hij haar neer.", "parent"),
    # a bare list of kin words (text.trap.kin_list)
    ("Het echtpaar werd vermoord door drie mannen, een vader, zoon en neef.", "none"),
    # the accused named as the victim's relative (text.other_family.suspect_is_victims_relative)
    ("De 21-jarige vrouw is aangehouden. Buren zeggen dat het om de kleindochter van het "
     "slachtoffer gaat.", "other_family"),
    # a household described by its children (text.trap.household_described)
    ("Een vrouw riskeert een celstraf wegens pestgedrag. De buren, een koppel met twee "
     "kinderen, vragen een schadevergoeding.", "none"),
    ("Een man pestte de buren. Hij sloeg zijn kinderen.", "child"),
    # a stay with a pronoun and his or her relatives (text.trap.pronoun_and_relative)
    ("De man zaagde in de schutting van de buren. De buren waren de avond van tevoren bij "
     "hem en zijn ouders langs geweest.", "none"),
    # not after "tussen" (the offender and his sister), nor an object pair (a stepchild)
    ("Een man heeft de ruzie tussen hem en zijn zus beslecht. Hij heeft de hond van zijn "
     "zus neergestoken.", "other_family"),
    ("Hij heeft zijn vriendin en haar dochtertje geslagen.", "partner"),
    # the body found names the person killed (text.victim.cue_body)
    ("De slachtoffers werden met een vuurwapen om het leven gebracht. Bruno B. meldde zich "
     "bij de politie. Later werden de levenloze lichamen van zijn zus Nancy en zijn "
     "schoonbroer aangetroffen.", "other_family"),
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
