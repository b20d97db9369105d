"""Written cases of round-2 session 26 (not corpus items): text rules 1.28.0, default
1.24.0. In each group the first case fails on the versions before it, the others guard
what must stay.

Whose relative the victim is when the relative is the one who did it: the agent after
"door" ("Een vrouw werd mishandeld door haar zoon": the victim is his parent), the
accused ("Zijn vader werd aangehouden"), and the subject of the offence ("dat haar vader
haar met zijn riem sloeg", "Mijn vader sloeg me"): the tie read the other way round, with
the instrumental "door zijn zoon te slaan" keeping the son as the victim. From batches AW
and AX after their unseen scores: cues that place the offence inside the relationship
("tijdens het huwelijk", "binnen haar huwelijk") decide a text without a relationship
word also beside a cue that it ended (text.time.within); "voor de scheiding" revises an
ex-partner word; "een halfjaar samen"; a charge noun with its agent and "door ... was
betast" as offence cues; twins (tweelingzoontjes).

Found in review of session 25's rules: a divorce pending without "hun" names no couple
(text.time.divorce_pending revises an ex-partner decision only), and a relative hurt by a
stranger word after "door" is that stranger's victim also with an article, a plural verb,
the offence told as a noun, or a partner reporting it (text.trap.relative_hurt_by_stranger
over text.child.reported_abuse_of_children)."""

from __future__ import annotations

from written_cases import case_tests

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
    # --- the relative who did it: the tie read the other way round ---
    # the agent after "door" (text.parent.agent_is_child, text.child.agent_is_parent)
    ("Een vrouw werd mishandeld door haar zoon.", "parent"),
    ("Een vrouw werd gisteren doodgestoken door haar vader.", "child"),
    ("Ze vertelde dat ze in 2010 door haar vader was betast.", "child"),
    ("Het meisje werd door haar stiefvader misbruikt.", "child"),
    # a sibling, a partner and an ex-partner read the same either way
    ("Zij werd door haar broer bedreigd.", "other_family"),
    ("Zij werd mishandeld door haar man.", "partner"),
    ("Een vrouw werd doodgestoken door haar ex-partner.", "ex_partner"),
    # the instrumental "door ... te": the relative is the object (text.child.instrumental)
    ("Hij maakte zich schuldig aan mishandeling door zijn zoon te slaan.", "child"),
    ("Hij bedreigde de buren door zijn moeder te slaan.", "parent"),
    # the object of an active offence keeps the word's own label
    ("Hij sloeg zijn vader.", "parent"),
    # the accused (text.child.parent_did_it, text.parent.child_did_it)
    ("Een baby is mishandeld. Zijn vader werd aangehouden op verdenking van doodslag.",
     "child"),
    ("Een vrouw is omgekomen. Haar 45-jarige zoon, woonachtig op hetzelfde adres, is "
     "aangehouden.", "parent"),
    # the subject of the offence, with an object pronoun
    ("Het meisje zegt dat haar vader haar met zijn riem sloeg.", "child"),
    ("Haar dochter slaat haar met een beker tegen haar hoofd.", "parent"),
    ("Mijn vader sloeg me.", "child"),
    ("Mijn moeder gaf me een klap.", "child"),
    # a possessive after the pronoun is no object pronoun: the mother stays the victim
    ("Het meisje zegt dat haar vader haar moeder sloeg.", "partner"),
    # a partner phrase of the offence stays when a relative is accused elsewhere
    ("Hij mishandelde zijn vrouw. Zijn vader is ook veroordeeld.", "partner"),
    # --- the time of the relationship (from batch AW) ---
    # a cue that places the offence inside the relationship decides beside an ended cue
    # when no relationship word decides (text.time.within)
    ("In 2019 zijn partijen gescheiden. Tijdens het huwelijk heeft de man de vrouw "
     "mishandeld.", "partner"),
    ("De relatie is verbroken. De vrouw werd binnen haar huwelijk mishandeld.", "partner"),
    # the period alone does not date the offence: no precedence over the ended cue
    # (batch BA's web-BA008 on its unseen score)
    ("Na het einde van de relatie publiceerde zij een video. Ze vertelde dat zij tijdens "
     "de relatie erg jong was.", "none"),
    # ... but an ex-partner word with both kinds keeps no reading (the stalking after the
    # break-up is the offence)
    ("Tijdens hun relatie was hij al gewelddadig. Na de breuk stalkte hij zijn "
     "ex-vriendin.", "ex_partner"),
    # "voor de scheiding" revises an ex-partner word (text.time.divorce_pending)
    ("Voor de scheiding gedroeg haar ex-man zich erg gewelddadig en sloeg haar.",
     "partner"),
    ("Voordat ze scheidden, sloeg haar ex-man haar.", "partner"),
    ("Na de scheiding sloeg haar ex-man haar.", "ex_partner"),
    # a first-person couple told by its time together (word set couple_time)
    ("Ze beet me en sloeg me. We waren een halfjaar samen.", "partner"),
    # --- offence cues (from batch AU and AX): a charge noun with its agent ---
    ("Mevrouw V. deed bij de politie aangifte van een poging tot doodslag door haar "
     "zoon.", "parent"),
    # --- from batches AY and AZ after their unseen scores ---
    # a newborn without a kin word (text.child.newborn)
    ("De vrouw was bevallen op het toilet. Ze had het jongetje vervolgens niet geholpen, "
     "waardoor het verdronk.", "child"),
    # "bevallen" without the child told after it names nobody
    ("De verpleegster hielp de vrouw die net bevallen was. Hij sloeg de verpleegster.",
     "none"),
    # the means between the victim and "om het leven" (offence cue)
    ("Na een ruzie met haar echtgenoot bracht de vrouw haar drie jonge kinderen met "
     "messteken om het leven.", "child"),
    # image-based abuse as an offence cue
    ("De jongen zou nep-porno beelden van zijn nicht hebben gedeeld.", "other_family"),
    ("Hij verspreidde naaktfoto's van zijn ex-vriendin.", "ex_partner"),
    # a relative hurt in a robbery was the robber's victim (text.trap.relative_hurt_by_stranger)
    ("Haar man Ruud werd neergeschoten bij een roofoverval op hun winkel.", "none"),
    ("Zij werd bij een ruzie neergeschoten door haar man.", "partner"),
    # --- from batch BB after its unseen score ---
    # the victim named as the partner of one of the accused
    # (text.partner.victim_is_partner_of_accused)
    ("Het slachtoffer was het vriendinnetje van een van de daders.", "partner"),
    ("Het slachtoffer was de dochter van een van de daders.", "child"),
    # sexual acts as an offence cue
    ("Hij had nooit seksuele handelingen met zijn dochter verricht, zei hij na de "
     "aangifte.", "child"),
    # the victim accused of sex with the accused's partner (text.trap.affair)
    ("Het meisje beschuldigde het slachtoffer ervan dat zij seks met haar vriend had "
     "gehad. Ze stak haar neer.", "none"),
    # a divorce applied for and then pronounced (ended cue over the current cue)
    ("Ze vroeg de scheiding aan die in mei werd uitgesproken. Daarna bedreigde haar ex "
     "haar.", "ex_partner"),
    ("Hij schoot zijn vrouw neer; zij had de scheiding aangevraagd.", "partner"),
    # --- twins (default 1.24.0) ---
    ("Een man sloeg zijn drie maanden oude tweelingzoontjes.", "child"),
    ("Hij bedreigde zijn tweelingzusje.", "other_family"),
]

QUALIFICATIONS = [
    # the time cue and the trap are text-mode rules: register mode does not change
    ("mishandeling van zijn echtgenote tijdens echtscheidingsprocedure", "partner"),
    ("mishandeling van zijn ex-echtgenote", "ex_partner"),
    # twins are register terms (default 1.24.0)
    ("mishandeling van zijn tweelingzoontjes", "child"),
    ("bedreiging van haar tweelingzusje", "other_family"),
]


test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)
