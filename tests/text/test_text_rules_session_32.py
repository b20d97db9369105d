"""Written cases of round-2 session 32 (not corpus items). In each group the first case
fails on the versions before it, the others guard what must stay.

Text rules 1.43.0, from the train errors: the relative a message came from, or seemed to
come from (WhatsApp fraud), is not the victim's tie to the offender; a message from an
ex-partner, or a threatening message from a relative, keeps its reading.

Text rules 1.44.0, from batch CN after its unseen score: the agent of the offence named as
the victim's relative ("misbruik door een stiefoom van [appellant]") is the offender, and
the offender's past relationship with the victim's child makes the victim the parent of
his former partner, no relative.

Text rules 1.45.0, from batch CM after its unseen score: "afgelopen" before a day is "last",
not an ended relationship; an offence before the divorce papers were signed took place in
the marriage; a child or parent arrested in a relative clause is the offender; burning
somebody is an offence; the victim's partner reading the victim statement is a speaker,
not the offender; an intimate relationship "tussen partijen" is the couple's.

Text rules 1.46.0, from batch CO after its unseen score: "de gewelddadige dood van" names
the victims, and an offence verb before its subject named by age (an inverted main
clause) reaches the possessive phrase after place and name.

Text rules 1.47.0, from batch CP after its unseen score: violence "in mijn relatie" told in
the first person, "de man waarmee ik in een relatie zat", and being in a violent
relationship places the violence inside it (the ex word is today's)."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the relative a message (seemed to) come from ---
    ("Een vrouw van 70 kreeg vorige week een berichtje van haar kleinzoon met een nieuw "
     "nummer. Ze maakte 2000 euro over en bleek te zijn opgelicht.", "none"),
    ("Hij kreeg een appje van zijn dochter: of hij snel geld kon overmaken. De oplichters "
     "zijn niet gevonden.", "none"),
    # a message from an ex-partner may be the offence itself
    ("Zij ontving een berichtje van haar ex-vriend waarin hij dreigde haar te doden.",
     "ex_partner"),
    # a threatening message: an adjective before the message word
    ("De man stuurde dreigende berichtjes naar zijn moeder en sloeg haar later.", "parent"),
    # --- text rules 1.44.0: the agent named as the victim's relative ---
    ("Hij vraagt schadevergoeding voor misbruik door een stiefoom van [appellant] in 1991.",
     "other_family"),
    ("Het meisje werd jarenlang geslagen door de vader van aangeefster.", "child"),
    ("Zij werd bedreigd door de zoon van de overledene.", "parent"),
    # without "door" the victim's relative is a third party
    ("De oom van het slachtoffer werd als getuige gehoord.", "none"),
    # --- the offender's past relationship with the victim's child ---
    ("Op 9 mei heeft [gedaagde], die een relatie had gehad met de dochter van [eiseres], "
     "[eiseres] in haar woning mishandeld.", "none"),
    # a current relationship with the victim's child stays as it was read
    ("Hij sloeg de vader van zijn vriendin.", "other_family"),
    # --- text rules 1.45.0: "afgelopen" before a day ---
    ("De zoon uit haar eerste relatie. Zij werd afgelopen woensdag doodgestoken door haar "
     "man.", "partner"),
    ("Hun relatie is afgelopen, en hij stalkt zijn vrouw.", "ex_partner"),
    # --- before the divorce papers were signed ---
    ("Voor ze de echtscheidingspapieren zouden ondertekenen, vergiftigde zijn ex hem.",
     "partner"),
    ("Na het tekenen van de echtscheidingspapieren bedreigde hij zijn ex-vrouw.",
     "ex_partner"),
    # --- arrested in a relative clause ---
    ("Een vrouw van 63 werd vermoord. Haar lichaam lag in de auto van haar zoon uit Diemen, "
     "die later op de A4 werd aangehouden.", "parent"),
    ("Het meisje werd zwaargewond opgenomen. Haar vader, die kort daarna werd aangehouden, "
     "ontkent.", "child"),
    # --- burning somebody ---
    ("De man werd veroordeeld tot twee jaar cel. Hij had zijn zoontje van drie jaar "
     "verbrand met een strijkijzer. De rechter sprak van slagen en verwondingen.", "child"),
    # --- the victim's partner as a speaker ---
    ("De impact blijkt uit de slachtofferverklaring die de echtgenote van de aangever op "
     "de zitting heeft voorgelezen.", "none"),
    ("De echtgenote van het slachtoffer maakte gebruik van haar spreekrecht.", "none"),
    ("De ex-vrouw van het slachtoffer werd aangehouden voor de moord.", "ex_partner"),
    # --- an intimate relationship "tussen partijen" ---
    ("In 2015 is er een einde gekomen aan de affectieve relatie tussen partijen. Sindsdien "
     "heeft zij hem bedreigd.", "ex_partner"),
    ("De relatie tussen partijen is al jaren slecht. Hij bedreigde haar.", "none"),
    # --- text rules 1.46.0: a violent death ---
    ("Een jongen van 16 is opgepakt na de gewelddadige dood van onder meer zijn ouders. De "
     "politie vond de lichamen in hun woning. Ook een inwonende vriendin van de familie "
     "werd doodgeschoten.", "parent"),
    # --- the offence verb before its subject named by age ---
    ("Dinsdagnacht doodde de 38-jarige Jan K. in zijn woning in Gouda zijn twee dochtertjes.",
     "child"),
    # without an age word the subject is not read as such
    ("Dinsdagnacht doodde de man in zijn woning in Gouda bij een ruzie over geld een "
     "vriend van zijn broer.", "none"),
    # --- text rules 1.47.0: violence in the relationship, told in the first person ---
    ("Het geweld begon vroeg in mijn relatie. Later kwamen de bedreigingen.", "partner"),
    ("Ik werd bang van de man waarmee ik in een relatie zat.", "partner"),
    # being in a violent relationship: the ex word is today's name
    ("Lisa zat drie jaar in een gewelddadige relatie. Ze leerde haar ex kennen op "
     "school.", "partner"),
    # leaving it, then stalked by the ex: an ex-partner
    ("Ze stapte uit een gewelddadige relatie. Sindsdien stalkt haar ex-vriend haar.",
     "ex_partner"),
]

# the trap is a text phrase (no qualification names a message), so no register cases
test_text_mode, _ = case_tests(TEXTS, [])
