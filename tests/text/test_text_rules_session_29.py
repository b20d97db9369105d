"""Written cases of round-2 session 29 (not corpus items). In each group the first case
fails on the versions before it, the others guard what must stay.

Text rules 1.32.0, from the train errors: the boyfriend or girlfriend of a child or
sibling is no kin (then trap ``text.trap.partner_of_young_relative``; since session 30 the
grammar rule ``grammar.dating_partner_of_relative``), a relative riding
pillion with the victim is a companion (``text.trap.companion``), and "om te brengen" is an
offence cue after a relative ("om zijn dochter om te brengen").

Two readings of the salience step and text rules 1.33.0, from batches BT and BU after their
unseen scores: the relative as the subject of an offence against a stranger, a family phrase
before a sentence-final offence verb, a relative called for help.

Text rules 1.34.0 and default 1.26.0, from batches BW and BY after their unseen scores: an
offence "binnen een relatie", a relative who came along, the accused "zijnde" the relative,
great-relatives as diminutives.

Text rules 1.35.0 and a reading of the salience step, from batch BX after its unseen score:
a partner who is the subject of an offence against a young person, a marriage not yet
dissolved, the accused as the stepfather "van een van de meisjes", the woman's children hurt
by her partner, "betasten".

Text rules 1.36.0, from batches BZ and CA after their unseen scores: a couple as the
agents or the accused of an offence against a third person, siblings told with the verb
"zijn", a profile "gescheiden, werkloos", heirlooms.

Text rules 1.37.0, from batch CB after its unseen score: living together with relatives,
the residents' son as the agent of arson ("aangestoken door")."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the partner of a young relative ---
    ("Hij schoot op de vriend van zijn zusje.", "none"),
    ("Het echtpaar werd doodgeschoten door de vriend van hun dochter.", "none"),
    ("Hij sloeg de vriendin van zijn zoon.", "none"),
    # a spouse of a relative stays an in-law; the partner of a parent a stepparent
    ("Hij sloeg de man van zijn zus.", "other_family"),
    ("Zij werd misbruikt door de vriend van haar moeder.", "other_family"),
    # the relative named beside the partner is still the victim
    ("Hij stak zijn zusje neer.", "other_family"),
    # --- a relative riding pillion ---
    ("De motorrijder werd geraakt. Zijn aanstaande echtgenote zat bij hem achterop.",
     "none"),
    ("Hij reed met zijn vrouw naar huis en sloeg haar.", "partner"),
    # --- "ombrengen" as an infinitive ---
    ("Na een reünie besloot de vader om zijn dochter om te brengen zodat ze nooit meer "
     "zou terugkeren naar Italië. Hij wurgde Sana.", "child"),
    ("Hij besloot om zijn dochter op te halen. Hij wurgde de buurman.", "none"),
    # --- the relative as the subject of an offence against a stranger (salience step) ---
    ("Zijn 84-jarige vader had volgens het parket slagen toegebracht aan een politieman.",
     "none"),
    ("Zijn vader sloeg de buurman.", "none"),
    # a relative who is the object of an offence stays the victim
    ("Zijn vader sloeg de buurman en stak zijn moeder neer.", "parent"),
    # the stranger is the object of a later offence, not of the relative's own verb
    ("Zijn vrouw werd mishandeld en hij stak de agent.", "partner"),
    # --- a family phrase before a sentence-final offence verb is its object ---
    ("Het feest liep uit de hand, nadat een man zijn zwager met een scherp voorwerp in de "
     "borst stak. De man werd opgepakt.", "other_family"),
    # not across an object pronoun or before a noun cue after "aan"
    ("Een man die weleens op haar kinderen had gepast, had zich schuldig gemaakt aan "
     "seksueel misbruik.", "none"),
    # --- a relative called for help (text rules 1.33.0) ---
    ("Een man werd gebeld door een nepagent. Hij vertrouwde het niet en belde zijn zoon.",
     "none"),
    ("Hij belde zijn ex-vriendin honderden keren.", "ex_partner"),
    # --- text rules 1.34.0, default 1.26.0 ---
    # an offence inside "een relatie" with an ex-word: the time of the offence decides
    ("Hij is eerder beschuldigd van mishandeling binnen een relatie. Een ex-vrouw deed in "
     "2003 aangifte van mishandeling.", "partner"),
    ("Na de breuk stalkte hij zijn ex-vrouw.", "ex_partner"),
    # a relative who came along by car
    ("B. kwam met zijn dochter aanrijden. De verslaggever moest wegspringen.", "none"),
    # the accused named, then "zijnde" and the relative
    ("De vermoedelijke dader, M.T. (23), zijnde de stiefmoeder van het slachtoffer, werd "
     "aangehouden.", "child"),
    ("De getuige, zijnde de moeder van het slachtoffer, werd gehoord.", "none"),
    # great-relatives as diminutives
    ("Hij werd vrijgesproken van de verkrachting van zijn zesjarige achternichtje.",
     "other_family"),
    # --- text rules 1.35.0 and the partner as the subject of an offence ---
    ("Een moeder is veroordeeld voor de verkrachting van haar toen 10-jarige dochter. Haar "
     "vriend verkrachtte het meisje meermaals, de moeder werd door haar partner onder "
     "druk gezet.", "child"),
    # an object pronoun is no young person; an agent after "door" is no subject
    ("Haar vriend sloeg haar.", "partner"),
    ("De man is door zijn 16-jarige vriendin doodgestoken. De tiener werd aangehouden.",
     "partner"),
    ("Haar echtgenoot verkrachtte haar, maar hun huwelijk is nog niet ontbonden omdat ze "
     "de scheiding niet kan betalen.", "partner"),
    ("De verdachte (37), de stiefvader van een van de meisjes, ontkent het misbruik.",
     "child"),
    ("De twee dochters van de vrouw zouden jarenlang zijn misbruikt door haar vriend.",
     "child"),
    ("De man leerde zijn biologische dochter pas kennen toen ze acht jaar oud was. Kort "
     "daarna begon hij haar te betasten, stak vinger en penis in haar vagina.", "child"),
    # --- text rules 1.36.0 ---
    ("Het parket vraagt vier jaar voor de diplomaat en zijn vrouw die het slachtoffer een "
     "jaar vasthielden.", "none"),
    ("De 58-jarige man en zijn vrouw van 45 pikten het slachtoffer van straat.", "none"),
    ("Een bejaarde vrouw werd financieel uitgebuit door de financieel adviseur en zijn "
     "vrouw.", "none"),
    # the couple quarrelling stays a couple; "tussen" names the pair
    ("Tussen de man en zijn vrouw ontstond ruzie, waarna hij haar sloeg.", "partner"),
    ("Twee van de verdachten zijn broers van 21 en 23 jaar. Ze buitten twee vrouwen uit.",
     "none"),
    ("Hij sloeg zijn broers.", "other_family"),
    ("Waren de erfstukken van haar overgrootmoeder er nog? De dieven hadden alles "
     "meegenomen.", "none"),
    # --- text rules 1.37.0 ---
    ("De man is aangehouden voor een fatale woningbrand. De verdachte woonde samen met "
     "zijn moeder en zus in de woning.", "other_family"),
    ("De verdachte woonde samen met zijn vriendin. Hij sloeg haar.", "partner"),
    ("Een brand die een woning volledig verwoestte, blijkt te zijn aangestoken door de zoon "
     "van de bewoners.", "parent"),
    # "aangestoken" without its agent is no cue: the children killed keep their label
    ("Een van de ergste familiedrama's die ons land ooit heeft gekend, gebeurde in "
     "Lennik. Drie kinderen lieten er het leven. Van een ongeluk was geen sprake: de brand "
     "werd aangestoken.", "child"),
]

QUALIFICATIONS = [
    # a spouse of a relative stays an in-law in register mode too (the dating words:
    # session 30, grammar.dating_partner_of_relative)
    ("mishandeling van de man van zijn zus", "other_family"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)
