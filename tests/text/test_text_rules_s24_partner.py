"""Written cases of rounds-2 session 24, helper R24B (not corpus items): partner words
that name no victim of the offence, from the train errors (gold other, predicted partner or
ex_partner) and partner ties the rules missed. A group whose comment names a rule starts
with a case that fails on the versions before it (main c5649fe); the other cases and
groups guard what must stay.

A couple named as the subject of a clause beside the offence (text.trap.companion), more
offence cues (text.victim.cue_hostility), strangers named as the victim in more ways
(text.victim.stranger_told, text.victim.indefinite_person), and the victim's relationship
with a case party or a forced marriage told in words (text.partner.tie_told)."""

from __future__ import annotations

import pytest

# Free text, the default rules: one table, a comment per rule.
TEXTS = [
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
]


@pytest.mark.parametrize("text, label", TEXTS)
def test_text_mode(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
