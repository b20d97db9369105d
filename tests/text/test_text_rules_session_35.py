"""Written cases of round-2 session 35 (not corpus items). In each group the first case
fails on the text rules before its version; the others guard what must stay.

Text rules 1.58.0, from batches DS, DT, DU, DV, DW and DZ after their unseen scores: one
of several offenders named as the victim's relative; a relative suspected with "er ...
van verdacht"; two charge nouns, or a charge with its consequence, before the victim; the
victim's partner named as the agent with "diens"; fleeing a partner's violence; two civil
parties who had a relationship with each other; a ransom demanded from a relative; a
relative of a party pseudonymised as a letter or "[persoon N]"; rivals of a relative.
Text rules 1.59.0 (batch DW): a relative who wanted to help the victim, and a couple in a
conflict with somebody else, are companions of the victim. Text rules 1.60.0 (batches EA,
EB, ED): the law's wording in the present tense ("begaat tegen zijn kind"); sexual
penetration with its object; the partner named as the accused in brackets. Text rules
1.61.0 (batch EF): the child's father convicted of an offence against the child's mother,
both named bare."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- text rules 1.58.0: one of several offenders is the victim's relative ---
    ("Een van de daders was de 30-jarige schoonzoon van het slachtoffer.",
     "other_family"),
    ("Een van de verdachten is de zoon van het slachtoffer.", "parent"),
    # the relative of the victim without the offender's role stays no tie
    ("Een van de getuigen was de schoonzoon van het slachtoffer.", "none"),
    # --- suspected with the pronoun split off ---
    ("Haar zoon Kees wordt er door de politie van verdacht de vrouw te hebben "
     "vergiftigd.", "parent"),
    # --- two charge nouns joined before the victim ---
    ("Een man die wordt beschuldigd van jarenlange mishandeling en stelselmatige "
     "vernedering van twee van zijn drie dochters, ontkent alles. Volgens hem zijn de "
     "kinderen uit op wraak.", "child"),
    # --- a charge with its consequence before the victim ---
    ("Verdachte wordt vrijgesproken van zware mishandeling de dood ten gevolge hebbend, "
     "van zijn zoontje.", "child"),
    # --- the victim's partner as the agent, with "diens" ---
    ("Het meisje belde 112 omdat haar moeder werd geslagen door diens vriend.",
     "partner"),
    # a relative of somebody else introduced with "diens" stays no tie
    ("De man sloeg zijn buurman. Diens vader belde de politie.", "none"),
    # --- fleeing her partner's violence ---
    ("De vrouw besloot het geweld van haar man te ontvluchten. De agenten namen haar "
     "aangifte op.", "partner"),
    # --- two civil parties who had a relationship with each other ---
    ("[eiseres] en [gedaagde] hebben jarenlang een relatie met elkaar gehad. In 2019 - "
     "[eiseres] en [gedaagde] woonden toen nog samen - sloeg [gedaagde] haar.", "partner"),
    # told as ended before the offence, it stays an ex-partner
    ("[eiseres] en [gedaagde] hebben een relatie met elkaar gehad. Na de breuk bedreigde "
     "[gedaagde] haar.", "ex_partner"),
    # --- a ransom demanded from a relative ---
    ("Vier mannen ontvoerden een vrouw om losgeld te eisen van haar man.", "none"),
    # her husband as the kidnapper stays her partner
    ("Haar man ontvoerde de vrouw en eiste losgeld van haar familie.", "partner"),
    # --- relatives of a pseudonymised party ---
    ("De buurvrouw heeft de zoon van [persoon 3] geslagen.", "none"),
    ("De echtgenoot van X heeft de dochter van A misbruikt.", "none"),
    # --- rivals of a relative are no relatives ---
    ("Gewapende rivalen van haar zoon sloegen haar.", "none"),
    # the offender's own child stays his child
    ("De man heeft zijn zoon geslagen.", "child"),
    # --- text rules 1.59.0: the partner who came to help, the couple in a conflict ---
    ("Een man en zijn vriendin raakten met iemand in conflict, waarna de man werd "
     "geslagen. Toen zijn vriendin hem wilde helpen, werd ook zij geslagen.", "none"),
    # a couple who quarrelled with each other stays a couple
    ("Hij en zijn vriendin raakten met elkaar in conflict. Hij sloeg haar.", "partner"),
    # --- text rules 1.60.0: the law's wording in the present tense ---
    ("Verdachte had zich moeten vergewissen van de toestand van het slachtoffer. Het hof "
     "veroordeelde hem ter zake van mishandeling, terwijl de schuldige het misdrijf "
     "begaat tegen zijn kind.", "child"),
    # --- sexual penetration with its object ---
    ("Seksueel binnendringen bij meerderjarige stiefdochter met een beperking, art. 243 "
     "Sr. Ontvankelijkheid vordering benadeelde partij.", "child"),
    # --- the partner named as the accused in brackets ---
    ("Het slachtoffer had in aanwezigheid van haar partner (de verdachte) drugs gebruikt "
     "waarna zij bewusteloos raakte.", "partner"),
    # the partner as a witness stays no offender
    ("Het slachtoffer werd in aanwezigheid van haar partner door een onbekende man "
     "beroofd.", "none"),
    # --- text rules 1.61.0: the child's father and mother, both bare ---
    ("Hun zoon woont bij de moeder. De vader werd veroordeeld voor mishandeling van de "
     "moeder.", "partner"),
    # the victim's own father stays a parent
    ("Zij werd door haar vader mishandeld.", "child"),
]

# the cues are text-mode rules (register mode reads no cues or time words)
test_text_mode, _ = case_tests(TEXTS, [])
