"""Written cases of round-2 session 24 (not corpus items): text rules 1.26.0. In each group
the first case fails on the versions before it, the others guard what must stay.

From the train errors: abuse told as lasting for years took place in the relationship
(text.time.ex_current), wanting a divorce is still being married; from review: a bare
parent accused of an offence against a definite child named by age; from batch AJ after
its unseen score: trades and roles news names victims by are strangers (grammar 1.15.0);
from batches AK and AL after their unseen scores: a footnote mark stuck to a word, the
victim's step, adopted or foster child accused, the man she was pregnant by; from batch
AM: the offender of a relative named by the offence, "om zeep", "niet door een ...", a
couple for years, one parent threatening the other told by their child. The sections
"helper R24A" to "R24D" hold the cases of the four rule helpers of the session (from the
train errors; their first cases fail on main c5649fe or e65b580): one text table and one
register table for the whole session, as for sessions 22 and 23."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # abuse told as lasting for years took place during the relationship
    # (text.time.ex_current: revises an ex-partner decision only)
    ("Dennis werd jarenlang door zijn ex-partner mishandeld.", "partner"),
    ("Hij drogeerde zijn ex-vrouw negen jaar lang.", "partner"),
    ("Zij werd slachtoffer van stelselmatige mishandeling door haar ex-echtgenoot.",
     "partner"),
    # stalking and threats go on after a break-up: still an ex
    ("Zij werd jarenlang gestalkt door haar ex-vriend.", "ex_partner"),
    ("Haar ex bedreigde haar jarenlang.", "ex_partner"),
    # cues of both kinds: no reading, the ex word decides
    ("Hij mishandelde jarenlang zijn ex. Na de scheiding bleef hij haar stalken.",
     "ex_partner"),
    # a family decision stays (no ex-partner decision to revise)
    ("De stelselmatige mishandeling van tien kinderen door hun vader.", "child"),
    # wanting a divorce is still being married (text.time.current)
    ("Zij wilden destijds scheiden. Zijn ex-echtgenote verklaarde dat hij haar daarna "
     "probeerde te wurgen.", "partner"),
    ("Hij stak zijn ex-vrouw neer omdat ze van hem wilde scheiden.", "partner"),
    # an ended cue beside it: no reading, the ex word decides
    ("Ze wilde scheiden. Na de scheiding stalkte haar ex-man haar.", "ex_partner"),
    # a bare parent accused of an offence against a definite child named by age
    # (text.child.offender_is_parent)
    ("De vader is veroordeeld voor mishandeling van het meisje.", "child"),
    ("De ouders zijn veroordeeld voor de verwaarlozing van de tweeling.", "child"),
    # an indefinite child may be somebody else's: the bare parent word decides as before
    ("De moeder wordt verdacht van de dood van een baby.", "parent"),
    # trades and roles news names victims by are strangers (grammar 1.15.0)
    ("Hij greep een keukenmes en bedreigde de landbouwer en zijn zoon.", "none"),
    ("Redouan B., de broer van kroongetuige Nabil B., werd doodgeschoten.", "none"),
    # the offender's own relative beside them still counts
    ("Hij bedreigde de landbouwer en sloeg zijn zoon.", "child"),
    # the victim's step, adopted or foster child accused (text.parent.offender_is_child)
    ("Al snel na de feiten werd de adoptiedochter van het slachtoffer opgepakt.", "parent"),
    ("De stiefzoon van het slachtoffer werd aangehouden.", "parent"),
    ("De dochter van het slachtoffer werd aangehouden.", "parent"),
    # the man she was pregnant by, in a relative clause (text.partner.relationship_told)
    ("De man bij wie ze in huis verbleef en van wie ze ook zwanger was. Hij verklaarde "
     "haar te hebben neergestoken.", "partner"),
    ("De man van wie ze zwanger was, stak haar neer.", "partner"),
    # pregnant after a rape is no relationship
    ("Ze raakte zwanger van hem nadat hij haar verkrachtte.", "none"),
    # a footnote mark stuck to the partner word (normalisation)
    ("De vader is nadien veroordeeld voor doodslag op zijn echtgenote((1)).", "partner"),
    # from batch AM after its unseen score: the offender of somebody's relative named by
    # the offence (grammar 1.15.0), "om zeep helpen", the offender told by what he was
    # not, a couple for years, one parent threatening the other told by their child
    ("In 1991 vermoordde zij de verkrachter van haar dochter.", "none"),
    ("Hij bedreigde de belager van zijn vrouw.", "none"),
    ("Rachel hielp in 2007 haar vriend om zeep.", "partner"),
    ("Niet door een familielid, niet door een (ex-)partner maar door een volstrekt "
     "onbekende man.", "none"),
    ("Hij werd niet door zijn vrouw maar door zijn zoon geslagen.", "parent"),
    ("Hij werd bijna vermoord door de vrouw met wie hij achttien jaar samen is.", "partner"),
    ("Ze komt niet in beeld, omdat haar vader haar moeder nog altijd bedreigt.", "partner"),
    ("Haar vader, haar moeder en haar broer werden doodgeschoten.", "parent"),
    # --- helper R24A (from the train errors): family words that are not the victim's tie
    # to the offender
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
    # --- helper R24B (from the train errors): partner words that name no victim of the offence
    # a couple as the subject beside the offence (text.trap.companion, session 24): a first name
    # between, a quarrel with others, the couple after 'werden/zaten/lagen'
    ('Verdachte en haar toenmalige partner Tom liggen te slapen. Dan trappen twee '
     'mannen de deur in en slaan de bewoners.',
     'none'),
    ('Verzoekster en haar echtgenoot hadden een conflict met hun buren. Die nacht '
     'volgde een mishandeling.',
     'none'),
    ('Toen werden hij en zijn vrouw overvallen door twee mannen.', 'none'),
    # a quarrel between the two, or a couple married at the offence, keeps the partner
    ('Hij en zijn vrouw hadden ruzie met elkaar. Hij sloeg haar.', 'partner'),
    ('Hij en zijn vrouw waren al twintig jaar getrouwd toen hij haar doodstak.', 'partner'),
    # shooting at somebody is an offence cue (text.victim.cue_hostility): the partner far from
    # it is a companion
    ('Daarmee begon hij te schieten op de buren. Daarna verschanste hij zich met zijn '
     'vrouw in zijn huis.',
     'none'),
    # shooting at the partner herself keeps her
    ('Hij begon te schieten op zijn vrouw.', 'partner'),
    # stranger victims told otherwise (text.victim.stranger_told): a stranger word after an
    # adjective, right after the verb, the police as the target, an official
    ('Tijdens de ruzie werd zij achtervolgd door haar echtgenoot. Toen hij haar niet '
     'aantrof, richtte hij zijn agressie op de nietsvermoedende bezoeker.',
     'none'),
    ("De politie kwam af op een ruzie in de relationele sfeer. Hij bedreigde collega's "
     'met een schroevendraaier.',
     'none'),
    ('Dat gebeurde na een ruzie tussen de man en zijn ex-vrouw. De man gooide met een '
     'bijl naar de politie.',
     'none'),
    ('De man is vrijgesproken van het bedreigen van een gemeenteambtenaar. Zijn vrouw '
     'heeft een stuk land.',
     'none'),
    # the partner next to the offence still wins
    ('Hij sloeg zijn vrouw. Daarna gooide hij met een fles naar de politie.', 'partner'),
    ('Zijn vriendin vluchtte naar de politie nadat hij haar sloeg.', 'partner'),
    # a person introduced with 'een' as the object of the offence (text.victim.indefinite_person)
    ('Hij is schuldig aan mishandeling van een 68-jarige man. De vrouw van het '
     'slachtoffer ontkent dat.',
     'none'),
    ('Een man heeft volgens het OM een 3-jarig meisje seksueel misbruikt. Dat gebeurde '
     'op de opvang van zijn vrouw.',
     'none'),
    # a sentence that identifies her as the partner keeps the partner (cue_hostility); a
    # passive 'werd een vrouw vermoord' is no such object
    ('Een man heeft in Assen een vrouw doodgestoken. Het gaat vermoedelijk om zijn '
     'ex-vriendin.',
     'ex_partner'),
    ('Een man heeft in Assen een vrouw doodgestoken. De vrouw was zijn vriendin.', 'partner'),
    ('Vorige week was er de moord op een vrouw in Assen. Het OM verdenkt haar ex.', 'ex_partner'),
    ('Een man heeft in Assen een vrouw doodgestoken. De twee hadden een relatie.', 'partner'),
    ('Vorige week werd een vrouw vermoord in Assen. Het OM verdenkt haar ex.', 'ex_partner'),
    # the relationship told with a party, a forced marriage (text.partner.tie_told)
    ('Uit de aangifte volgt dat [geïntimeerde] vanaf het begin van haar relatie met '
     '[appellant] door hem is mishandeld.',
     'partner'),
    ('Ze werd ontvoerd door de man aan wie ze door haar ouders was uitgehuwelijkt.', 'partner'),
    # a relationship with somebody who is no party names no partner of the offender
    ('Ze had een relatie met de buurman. Hij sloeg haar.', 'none'),
    # a partner word that names the offender as somebody else's partner (text.trap.rival)
    ("Dat dacht Anna toen ze Max ontmoette. Totdat zijn ex haar begon te stalken.", "none"),
    ("Het slachtoffer had een relatie met de echtgenote van de verdachte. Hij stak het "
     "slachtoffer neer.", "none"),
    # the victim's own wife as the agent, and a relationship with the victim, stay partner
    ("Toen zijn vrouw hem sloeg, belde hij de politie.", "partner"),
    ("De verdachte had een relatie met het slachtoffer. Hij stak haar neer.", "partner"),
    # harassment cues ("het leven zuur maken", "lastiggevallen") and residents by a compound
    # (text.victim.cue_hostility, text.victim.stranger_told)
    ("De vrouw wilde haar buurvrouw het leven zuur maken. Zo bood ze zich schaars gekleed "
     "aan bij de man van het slachtoffer.", "none"),
    ("Hij werd lastiggevallen door een buurtbewoner. Zijn vrouw werkt in de stad.", "none"),
    # the partner as the one harassed keeps her
    ("Haar ex-vriend heeft haar maandenlang lastiggevallen.", "ex_partner"),
    ("Hij maakte zijn ex-vrouw het leven zuur.", "ex_partner"),
    # a blow received is an offence cue, and "de vriend van de vrouw" a stranger next to it
    ("Hij dacht dat de schoenen van zijn vriendin waren. Toen de vriend van de vrouw "
     "verhaal kwam halen, kreeg die meteen een klap in zijn nek.", "none"),
    # the partner next to an offence cue still wins
    ("Hij sloeg zijn vriendin. Toen de vriend van de vrouw verhaal kwam halen, kreeg die "
     "meteen een klap.", "partner"),
    # leaving the man who abused her, violence in her relationships (text.partner.tie_told)
    ("Niemand zei dat ze weg moest gaan bij de man die haar mishandelde.", "partner"),
    ("Ze moest weggaan bij de man die haar sloeg.", "partner"),
    ("Eiseres stelt dat zij in opvolgende relaties slachtoffer is geworden van geweld.",
     "partner"),
    # leaving a neighbour names no partner
    ("Hij ging weg bij de buurman die hem bedreigde.", "none"),
    # locking somebody in is an offence cue (text.victim.cue_hostility)
    ("Hij zei dat ze moesten wachten op zijn vrouw, de eigenaresse. Daarna draaide hij de "
     "deur op slot en liet de ambtenaren niet meer naar buiten.", "none"),
    ("Hij draaide de deur op slot en sloeg zijn vrouw.", "partner"),
    # the victim's own partner in a relative clause on the victim (text.trap.rival and the
    # time mask text.time.victims_relationship)
    ("Het slachtoffer, die met zijn partner al vier jaar samen is, had een affaire gehad "
     "met een meisje. De vriend van dat meisje stak hem neer.", "none"),
    # setting fire to somebody's property is an offence cue (text.victim.cue_hostility):
    # the ex's new partner next to it is the victim
    ("Dat ging om zijn ex. Nu zat de man in het strafbankje voor het branden van de auto "
     "van haar nieuwe vriend.", "none"),
    ("Hij heeft de auto van zijn ex-vriendin in brand gestoken.", "ex_partner"),
    # a relationship with somebody's ex (text.trap.rival, text.time.victims_relationship),
    # the victim named as somebody's new partner (text.victim.stranger_told)
    ("Zij heeft geruime tijd een affectieve relatie gehad met de ex-partner van de "
     "verdachte. De verdachte bedreigde haar.", "none"),
    ("Het 46-jarige slachtoffer zou de nieuwe vriend zijn van de vrouw. Haar ex-man werd "
     "aangehouden voor zijn dood.", "none"),
    # moving in together, the diminutive with the violence told of "hij ... haar", the
    # partner of the dead victim arrested (text.partner.tie_told)
    ("Al snel trekt ze bij hem in. Maar dan slaat de sfeer om. Ze schopt hem.", "partner"),
    ("Ze was veel met haar vriendje en zocht weinig contact met thuis. Hij mishandelde haar "
     "regelmatig.", "partner"),
    ("In de zaak van een dubbele moord is de nieuwe vriend van de overleden moeder "
     "aangehouden.", "partner"),
    # moving in with her parents is no relationship
    ("Ze trok weer bij haar ouders in. Daar werd ze door een onbekende beroofd.", "none"),
    # the relationship of the victim's relative that ended (text.time.victims_relationship)
    ("Zo zou de dochter van het slachtoffer recent haar relatie hebben beëindigd met hem. "
     "De verdachte wilde wraak nemen.", "none"),
    # the victim's own relationship that ended stays an ex-partner
    ("Het slachtoffer had haar relatie met de verdachte beëindigd. Hij stak haar neer.",
     "ex_partner"),
    # --- helper R24C (from the train errors): family words, second round
    # a ruling's defined term (text.trap.defined_term)
    ("Partijen hadden een vriendschappelijke relatie. De vrouw heeft een zoon, geboren in "
     "2003 (hierna: de zoon).", "none"),
    ("Eiseres is de buurvrouw van gedaagde (hierna te noemen: dochter en schoonzoon).",
     "none"),
    # the son named and hit stays the offender's
    ("De vrouw sloeg haar zoon (hierna: de zoon).", "child"),
    # a relative killed before, in a relative clause (text.trap.relative_killed_before)
    ("Hij ging door het lint na een opmerking over zijn moeder, die in 2015 vermoord werd.",
     "none"),
    ("Zij sprak over haar broer, die vorig jaar werd doodgestoken. Een man sloeg haar.",
     "none"),
    # the offence of the text against the relative stays
    ("Hij heeft zijn moeder vermoord.", "parent"),
    ("Hij stak zijn moeder, die op de bank zat, neer.", "parent"),
    # the relative of a classmate or a friend (text.trap.relative_of_contact)
    ("Ze herkende de man, omdat hij de vader is van een klasgenoot van haar. Hij filmde haar.",
     "none"),
    ("Ron is de vader van Esmees beste vriendin. Hij misbruikte haar.", "none"),
    # his own daughter stays
    ("De vader van haar klasgenoot sloeg zijn eigen dochter.", "child"),
    # a relative found with a suspect (text.trap.relative_found_with_suspect)
    ("Een jongen heeft zijn 12-jarige zusje naakt aangetroffen in haar kamer met een "
     "27-jarige verdachte.", "none"),
    ("Hij betrapte zijn dochter met een onbekende man die haar misbruikte.", "none"),
    ("Hij heeft zijn zusje misbruikt.", "other_family"),
    # harm done to somebody told with "aandoen" (text.victim.cue_done_to)
    ("De dochter vertelde in de rechtbank over wat haar vader haar als kind heeft aangedaan. "
     "Hij wordt verdacht van ontucht; het misbruik begon toen haar ouders scheidden.",
     "child"),
    # a family word after "deze" or "dit" takes up people named before
    # (text.trap.demonstrative_kin)
    ("Twee van Maria's kinderen zijn jong gestorven. Men zegt dat deze kinderen haar "
     "eerste slachtoffers waren.", "none"),
    # the earlier phrase still counts when it names a tie
    ("Hij heeft zijn twee kinderen mishandeld. Deze kinderen zijn nu in een pleeggezin.",
     "child"),
    # a relative of the person addressed (text.trap.second_person_kin)
    ("Hij zou de moord samen met zijn dochter hebben gepleegd. „Hoe erg moet je je vader "
     "haten?”", "none"),
    ("Hoe kun je jouw moeder zo behandelen? De man sloeg de buurman.", "none"),
    # "uw" (the judge to the accused) stays
    ("De rechter: „U heeft uw dochter jarenlang misbruikt.”", "child"),
    # the offence told as a quarrel within a family (text.other_family.family_quarrel)
    ("In het ressort is een familieruzie uitgelopen op geweld. Volgens de politie greep een "
     "vrouw naar een houwer en verwondde het meisje.", "other_family"),
    ("Meneer H. zorgde voor een familiecrisis. Hij zou het slachtoffer op de grond hebben "
     "geduwd.", "other_family"),
    # a partner word still decides, also next to the offence
    ("Tijdens een familieruzie werd een vrouw neergestoken. De politie heeft haar man "
     "aangehouden.", "partner"),
    ("Bij een familieruzie is een vrouw met een mes gestoken. Haar echtgenoot werd "
     "aangehouden.", "partner"),
    # a stranger next to the offence is still the victim
    ("Na een familieruzie stak hij op straat een voorbijganger neer.", "none"),
    # "familiedrama" is no such phrase (news names a partner killing so too)
    ("Een familiedrama in Gent: een man werd neergestoken.", "none"),
    # --- helper R24D (from the train errors): the break-up caused by the abuse
    # the relationship ended because of the abuse: it lasted at the abuse
    # (text.time.ended_by_violence)
    ("De vrouw is twee jaar gehuwd geweest, wanneer zij de relatie verbreekt wegens "
     "seksueel geweld.", "partner"),
    ("Zij heeft de relatie beëindigd wegens het geweld. Hij sloeg haar.", "partner"),
    ("Zij verbrak de relatie vanwege de mishandelingen.", "partner"),
    ("Hun huwelijk werd verbroken door huiselijk geweld van de man.", "partner"),
    # a break-up told without the abuse as its cause stays an ended relationship
    ("Zij heeft de relatie beëindigd. Daarna bedreigde hij haar.", "ex_partner"),
    ("Nadat de relatie was verbroken, mishandelde hij haar.", "ex_partner"),
    ("Zij verbrak de relatie vanwege zijn nieuwe baan. Later sloeg hij haar.", "ex_partner"),
    # --- helper R24D: a grammar rival phrase that is the object of an offence cue names
    # the victim (salience step, TextMatcher._rival_object)
    ("De man die de ex-partner van zijn vriendin neerstak, is vrij. Het slachtoffer ging "
     "spullen ophalen bij zijn ex-vriendin. Het kwam tot een vechtpartij met haar nieuwe "
     "vriend.", "none"),
    ("Hij werd veroordeeld voor de moord op een vriend van zijn ex-vriendin. Hij trof het "
     "slachtoffer aan in de woning van zijn ex-vriendin.", "none"),
    # a partner phrase that is the object of another cue keeps its label
    ("Hij stak de nieuwe vriend van zijn ex-vriendin neer. Eerder had hij zijn ex-vriendin "
     "mishandeld.", "ex_partner"),
    ("Hij stak zijn ex-vrouw neer.", "ex_partner"),
]

# Register mode: the grammar is shared, so a qualification reads the same.
QUALIFICATIONS = [
    ("bedreiging van de landbouwer en zijn zoon", "none"),
    ("doodslag op de broer van kroongetuige", "none"),
    ("mishandeling van de zoon van verdachte", "child"),
    ("moord op de verkrachter van zijn dochter", "none"),
]


test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)


def test_ex_current_cue_is_named_in_the_evidence(tag_one):
    row = tag_one("Dennis werd jarenlang door zijn ex-partner mishandeld.")
    assert "time:" in row["pv_evidence"] and "jarenlang" in row["pv_evidence"]
