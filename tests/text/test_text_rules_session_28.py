"""Written cases of round-2 session 28 (not corpus items). In each group the first case
fails on the versions before it, the others guard what must stay.

An accused relative beside a stranger victim (salience step,
``TextMatcher._stranger_object``): a phrase that names the accused as a relative counts as
next to the offence wherever it stands, but a stranger who is the object of an offence cue
in the same sentence is the victim ("Haar zoon is als verdachte aangemerkt voor de moord op
de buurman").

Text rules 1.30.0, from batches BK, BL, BM and BN after their unseen scores: an
acquaintance as a stranger, "het dodelijke slachtoffer", a bereaved relative, opening fire,
relatives who came to help or rode along, "de ene broer", "de zoon des huizes", an injury
"toegebracht", both parents arrested, the accused who is "niet de vader", siblings who hurt
each other.

Text rules 1.31.0, from batch BR after its unseen score: a fight between siblings, and the
accused in a relationship with the child's mother."""

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
    # --- text rules 1.30.0 ---
    # an acquaintance stabbed; the girlfriend is elsewhere
    ("Hij stak een bekende neer. Daarna zou hij zijn vriendin ophalen.", "none"),
    ("Hij stak zijn vriendin neer.", "partner"),
    # "het dodelijke slachtoffer" is the victim noun of the offender-anchored phrase
    ("De dader, vermoedelijk het ex-vriendje van het dodelijke slachtoffer, vluchtte.",
     "ex_partner"),
    # a bereaved relative, with fire opened on the neighbours
    ("De man zou het vuur op zijn buren geopend hebben. De vader van het gezin, die zijn "
     "vrouw en zoon verloor, getuigde.", "none"),
    ("Wanda, die haar dochter verloor nadat zij was gedood door haar ex-vriend.",
     "ex_partner"),
    # relatives who came to help, gave help, or rode along
    ("Hij had geen geweld gepleegd, maar alleen zijn broertje te hulp was gesneld.", "none"),
    ("De aanvaller viel haar aan, waarbij de vrouw hulp kreeg van haar man.", "none"),
    ("De man reed met zijn zoon achter op de motor en sloeg een automobilist.", "none"),
    # the companion on a trip may be the victim
    ("Hij was met zijn vriendin op vakantie. Na een ruzie sloeg hij haar.", "partner"),
    # siblings told apart, a son of the house
    ("De ene broer werd gestoken in zijn hoofd, de ander in zijn zij.", "none"),
    ("In Genk was de zoon des huizes het slachtoffer van inbrekers.", "none"),
    ("Hij heeft zijn zoon mishandeld.", "child"),
    # an injury "toegebracht" to a baby named before it
    ("De man heeft zijn baby van drie maanden oud ernstig hersenletsel toegebracht.",
     "child"),
    # both parents arrested after their baby was found
    ("De baby werd gevonden in een container. De ouders werden vijf dagen later "
     "aangehouden.", "child"),
    # the accused who is not the father
    ("De verdachte, die niet de vader van het jongetje is, zou het ventje mishandeld "
     "hebben.", "child"),
    # siblings who hurt each other; a pair of brothers as bystanders stays nobody's
    ("Twee broers hebben elkaar ernstig verwond met een mes.", "other_family"),
    ("De twee broers zagen hoe de buurman werd geslagen.", "none"),
    # --- text rules 1.31.0 ---
    # a fight between siblings is the offence, the injury told apart
    ("Bij een steekpartij tussen twee broers is een van hen gewond geraakt. Het "
     "slachtoffer liep een steekwond op.", "other_family"),
    ("De broers, aangeduid als R. en A., raakten met elkaar in gevecht.", "other_family"),
    # somebody's brothers stay somebody's
    ("Bij een steekpartij tussen twee broers van de buurman raakte hij gewond.", "none"),
    # the accused in a relationship with the child's mother
    ("De tiener had een liefdesrelatie met de moeder van baby Yannick. Hij sloeg op de "
     "baby in.", "child"),
    ("Hij had een relatie met de moeder van zijn kinderen. Hij sloeg haar.", "partner"),
]

QUALIFICATIONS = [
    # register mode reads no salience: a qualification keeps its relative
    ("mishandeling van zijn zoon", "child"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)
