"""Written cases of round-2 session 33 (not corpus items). The first two cases fail on the
versions before 1.48.0; the others guard what must stay (the demonstrative group keeps
what the old cue, read across the full stop, got right).

Text rules 1.49.0, from batch CR after its unseen score: a definite young-child noun next to
an offence cue takes up the offender's child named before it; causing the death of a child
is an offence cue; a couple accused of an offence against their own babies.

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
    # --- text rules 1.49.0: a definite young-child noun takes up the offender's child ---
    ("Zijn 2-jarige zoontje werd zwaargewond in het ziekenhuis opgenomen. De rechtbank "
     "acht bewezen dat hij de peuter hard tegen de muur heeft geduwd.", "child"),
    ("Haar dochtertje lag maandenlang in het ziekenhuis. Volgens de aanklager heeft zij "
     "de baby herhaaldelijk geslagen.", "child"),
    # the noun of the offender's own child phrase takes it up too
    ("Zijn baby lag maandenlang in het ziekenhuis. De rechtbank acht bewezen dat hij de "
     "baby heeft geslagen.", "child"),
    # the same noun inside somebody's relative phrase: that child, no tie of the offender
    ("Haar zoontje speelde buiten. Toen de moeder van de baby even weg was, ontvoerde "
     "zij de baby.", "none"),
    # "het meisje" is no anaphor of the set: too often a stranger
    ("Zijn dochter zat thuis te studeren. Op straat sloeg hij het meisje van de overburen.",
     "none"),
    # --- causing the death ---
    ("Een man uit Zeist is veroordeeld voor het veroorzaken van de dood van zijn zoontje "
     "van twee maanden oud in mei 2019. De rechtbank achtte doodslag en mishandeling "
     "bewezen.", "child"),
    # --- a couple accused of an offence against their own babies ---
    ("Een stel uit Utrecht wordt verdacht van het mishandelen van hun eigen baby's.",
     "child"),
    # --- text rules 1.50.0: a childminder and the children in her care ---
    ("Een onthaalmoeder uit Genk is veroordeeld omdat ze een baby van zes maanden door "
     "elkaar schudde. Het kindje liep hersenletsel op.", "none"),
    ("De gastouder zou het kind hebben geslagen, terwijl haar eigen zoontje toekeek.",
     "none"),
    # a mother who hurt her own child stays a family case
    ("Een moeder uit Genk is veroordeeld omdat ze haar baby door elkaar schudde.", "child"),
    # --- the narrator's relative hurt by somebody else ---
    ("Toen werd mijn dochter door een onbekende man geslagen en geschopt.", "none"),
    # the narrator's relative as the agent keeps the tie
    ("Mijn vader sloeg me elke dag.", "child"),
    # --- text rules 1.51.0: a relative who reported the offence ---
    ("Tegen de man werd aangifte gedaan door een oom van het slachtoffer.", "none"),
    # the relative as the agent of the offence keeps its reading
    ("Zij werd jarenlang misbruikt door een oom van het slachtoffer.", "other_family"),
    # --- relatives who saw it happen ---
    ("De jongen werd op straat doodgestoken. Hij was een toevallig slachtoffer. Zijn "
     "zusje en twee vrienden zagen het gebeuren.", "none"),
    # --- an ex by now, with a possessive ---
    ("In de relatie met de vader, intussen mijn ex-man, stak geweld al snel de kop op.",
     "partner"),
    # --- the accused as the victim's boyfriend ---
    ("Bronnen melden dat de verdachte het vriendje van het slachtoffer was.", "partner"),
    # --- harassment with the verb first ---
    ("Het gezin leek perfect. Maar thuis maakte haar vader iedereen het leven zuur. Na "
     "jaren van mishandeling vroeg Eva een contactverbod aan.", "parent"),
    # --- text rules 1.52.0: the accused named overrules an inferred partner ---
    ("In Assen is een man om het leven gekomen en zijn vrouw zwaargewond geraakt. De "
     "25-jarige dochter van het echtpaar is aangehouden.", "parent"),
    # the victim's partner told without an accused stays the offender
    ("In Assen is een man om het leven gekomen. Zijn vrouw is aangehouden.", "partner"),
    # --- text rules 1.53.0: domestic violence as a record or a police call ---
    ("De man stak een buschauffeur neer. Hij zou eerder al eens veroordeeld zijn voor "
     "huiselijk geweld.", "none"),
    ("De agenten kwamen na een melding van huiselijk geweld. De bewoner sloeg een agent.",
     "none"),
    # domestic violence as the offence told keeps its label
    ("De man is veroordeeld voor huiselijk geweld.", "domestic_unspecified"),
    # --- the pillion, the victim's partner as a co-target ---
    ("De motorrijder, die zijn vriendin achterop had, werd door een automobilist "
     "aangereden.", "none"),
    ("De stalker beschuldigde de wethouder van fraude. Ook haar echtgenoot was doelwit.",
     "none"),
    # --- a parent in an apposition, a child in the perfect tense ---
    ("Een meisje is dood gevonden. Haar vader, een 40-jarige man, werd opgepakt.",
     "child"),
    ("Volgens het OM: haar zoon Kees heeft haar gewurgd.", "parent"),
]

# the cue scope is a step of text mode only (register mode reads no time cues)
test_text_mode, _ = case_tests(TEXTS, [])
