"""Issue 13 rules: family-word plurals and diminutives, number modifiers, grammar words,
text traps and time cues. Written cases (not corpus items), one per rule; rules shared
with register mode (terms, grammar) are checked in both modes.
"""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.text import tag_texts


@pytest.fixture(scope="module")
def tagger():
    return pv.Tagger("default")


def _text(tagger, text: str) -> pd.Series:
    return tag_texts([text], tagger=tagger).iloc[0]


def _register(tagger, qualification: str) -> str:
    out = tagger.tag(pd.DataFrame({"artikelkwalificatie": [qualification]}))
    return str(out["pv_label"].iloc[0])


@pytest.mark.parametrize("qualification, label", [
    ("mishandeling van zijn twee dochtertjes", "child"),
    ("doodslag op zijn acht maanden oude stiefzoontje", "child"),
    ("ontucht met zijn halfzusje", "other_family"),
    ("ontucht met stiefbroertje", "other_family"),
    ("belediging van zijn schoonmama", "other_family"),
    ("mishandeling van zijn broers", "other_family"),
    ("mishandeling van zijn mama", "parent"),
    ("mishandeling van haar peuter", "child"),
    # step-grandchildren and step-grandparents (session 16, train web-R009)
    ("ontucht met zijn stiefkleindochter", "other_family"),
    ("mishandeling van zijn stiefopa", "other_family"),
])
def test_family_word_forms_in_both_modes(tagger, qualification, label):
    assert _register(tagger, qualification) == label
    assert _text(tagger, qualification)["pv_label"] == label


def test_number_words_are_modifiers_in_text(tagger):
    # text mode extends possessive terms over modifiers ('zijn baby'); register mode
    # reads the term as written
    row = _text(tagger, "Hij werd veroordeeld voor mishandeling van zijn vijf maanden oude baby.")
    assert row["pv_label"] == "child"
    assert "zijn vijf maanden oude baby" in row["pv_evidence"]


def test_uninflected_ages_are_modifiers_in_text(tagger):
    # "vierjarig" before a het-word (session 10, written case): without it the
    # possessive phrase was lost and the later "het kind" read as nobody's child
    row = _text(tagger, "Hij gaf twee harde klappen aan zijn vierjarig zoontje, "
                        "waardoor het kind op de grond viel.")
    assert row["pv_label"] == "child"
    assert "zijn vierjarig zoontje" in row["pv_evidence"]
    assert "zijn 4-jarig zoontje" in _text(tagger, "mishandeling van zijn 4-jarig zoontje")[
        "pv_evidence"]
    # the modifier file is shared with the grammar: register mode reads the same phrase
    out = tagger.tag(pd.DataFrame({"artikelkwalificatie": [
        "mishandeling van het vierjarig zoontje van zijn vriendin"]}))
    assert out["pv_label"].iloc[0] == "child"
    assert "het vierjarig zoontje van zijn vriendin" in out["pv_evidence"].iloc[0]


@pytest.mark.parametrize("qualification", [
    "doodslag op twee broers",                      # a group of victims, not his brothers
    "mishandeling van een verpleegkundige, de zuster van afdeling 3",
])
def test_bare_sibling_plurals_and_zuster_are_no_relatives(tagger, qualification):
    assert _register(tagger, qualification) == "none"


@pytest.mark.parametrize("qualification", [
    "poging tot moord op de nieuwe liefde van zijn vrouw",   # partner of the partner
    "moord op partner van beoogd slachtoffer",               # mistaken killing
    "moord op de ex-vrouw van zakenman Jansen",              # a title before a name
    "mishandeling van een vriendin van haar zus",            # a friend of her sister
    "mishandeling van een vriendin van zijn vrouw",          # his wife's friend
    "Het slachtoffer en zijn vrouw werden met een mes bedreigd.",   # the victim's wife
    "De eigenaar en zijn vrouw werden in hun woning overvallen.",   # the owner's wife
    "De verdachte, vader van drie kinderen, stak een man neer.",    # a description
])
def test_grammar_non_relatives_in_both_modes(tagger, qualification):
    assert _register(tagger, qualification) == "none"
    assert _text(tagger, qualification)["pv_label"] == "none"


PARTITIVE = [
    ("mishandeling van de kleuterjuf van een van zijn kinderen", "none"),
    ("mishandeling van de buurman van een van zijn dochters", "none"),
    ("mishandeling van de moeder van een van zijn kinderen", "partner"),
    ("mishandeling van een van zijn kinderen", "child"),
]


@pytest.mark.parametrize("qualification, label", PARTITIVE)
def test_partitive_een_van_in_both_modes(tagger, qualification, label):
    # session 10 (web-M032): "een van" between 'van' and the possessive keeps the chain
    assert _register(tagger, qualification) == label
    assert _text(tagger, qualification)["pv_label"] == label


def test_grammar_prefilter_agrees_with_the_full_reading(monkeypatch):
    # the grammar skips texts its cheap prefilter finds nothing in; reading every text
    # must give the same answers (the contact reading and its prefilter share the
    # partitive step)
    from pv_identify.rules.grammar import CompiledGrammar

    texts = [q for q, _ in PARTITIVE] + [
        "Hij sloeg de juf van een van zijn kinderen.",
        "De buurman van zijn vrouw werd mishandeld.",
        "Hij sloeg de vader van een van de kinderen.",
        "Hij mishandelde de zoon van een van zijn broers.",
    ]
    quick = tag_texts(texts, tagger=pv.Tagger("default"))
    frame = pd.DataFrame({"artikelkwalificatie": texts})
    quick_reg = pv.Tagger("default").tag(frame)
    monkeypatch.setattr(CompiledGrammar, "_worth_reading", lambda self, text, spans: True)
    full = tag_texts(texts, tagger=pv.Tagger("default"))
    full_reg = pv.Tagger("default").tag(frame)
    pd.testing.assert_frame_equal(quick, full)
    pd.testing.assert_frame_equal(quick_reg, full_reg)


def test_friends_of_a_relative_are_not_relatives(tagger):
    row = _text(tagger, "Zij benaderde vrienden en vriendinnen van haar zoon(s) voor een "
                        "fotoshoot en dreigde de foto's te verspreiden.")
    assert row["pv_label"] == "none"
    # the friend word alone does not mask the relative elsewhere
    assert _text(tagger, "Zij bedreigde haar zoons.")["pv_label"] == "child"


def test_born_is_a_verb_not_a_possessive(tagger):
    text = ("Uit de relatie van gedaagde en eiser zijn kinderen geboren, daarna zijn eiser en "
            "gedaagde uit elkaar gegaan. Gedaagde plaatste bedreigende berichten.")
    assert _text(tagger, text)["pv_label"] == "ex_partner"


def test_legal_victim_wording_makes_the_phrase_salient(tagger):
    text = ("Het hof veroordeelde verdachte wegens mishandeling, terwijl het feit de dood ten "
            "gevolge heeft, begaan tegen een kind dat hij verzorgt of opvoedt als behorende "
            "tot zijn gezin.")
    assert _text(tagger, text)["pv_label"] == "child"


@pytest.mark.parametrize("text, label", [
    ("Het meisje had aangegeven dat ze niet meer met hem wilde omgaan. Daarna bleef hij "
     "haar lastigvallen.", "ex_partner"),
    ("In april verliet zij hem. Daarna stak hij haar auto in brand.", "ex_partner"),
    ("Het stel had al langere tijd relatieproblemen. In de nacht stak zij de slaapkamer "
     "in brand.", "partner"),
    ("Het echtpaar is bezig met een echtscheiding. Tijdens een ruzie stak de man de woning "
     "in brand.", "partner"),
    ("Zij beschuldigde zijn voormalige vriendin ... hij sloeg haar tijdens hun vakantie.",
     "partner"),
    ("De vrouw wilde haar vriend verlaten, maar hij sloeg haar.", "partner"),
    ("De man bedreigde zijn vriendin nadat zij het had uitgemaakt.", "ex_partner"),
    ("Na het einde van de relatie bleef hij zijn vriendin volgen.", "ex_partner"),
    ("Na het einde van hun relatie bleef hij haar volgen.", "ex_partner"),
    ("Hij stalkte zijn vrouw nadat zij bij hem was weggegaan.", "ex_partner"),
    # a threat about leaving is no ended relationship [web-B037]
    ("Hij dreigde dat hij zijn vrouw zou vermoorden als ze bij hem wegging.", "partner"),
    ("Hij kon niet verkroppen dat zijn vriendin een punt achter de relatie had gezet.",
     "ex_partner"),
    ("De vrouw had een week eerder een einde gemaakt aan de relatie.", "ex_partner"),
    ("Hij stalkte de vrouw met wie hij vroeger een relatie had.", "ex_partner"),
    ("Ze waren al vijftien jaar getrouwd toen hij haar doodde.", "partner"),
    ("De vrouw wilde scheiden, maar was nog met hem getrouwd toen hij haar neerstak.",
     "partner"),
    ("De man en de vrouw hadden al jaren een relatie.", "partner"),
    # the relationship of his parents ended, not his
    ("Na de scheiding van zijn ouders raakte hij aan de drugs. Later sloeg hij een "
     "voorbijganger.", "none"),
    ("Zijn baas had hem aan de kant gezet. Daarna bedreigde hij zijn collega.", "none"),
    # 'scheiding' as a boundary between plots [train web-H010]
    ("Hij bedreigde zijn buurman. De twee maken al jaren ruzie over de draad op de "
     "scheiding tussen de percelen.", "none"),
    # before the divorce was pronounced: still married [train web-H076]
    ("Het echtpaar gaat scheiden. Voordat de scheiding wordt uitgesproken valt de man "
     "zijn vrouw aan.", "partner"),
])
def test_time_cues(tagger, text, label):
    assert _text(tagger, text)["pv_label"] == label


# --- issue 13, round 2 -------------------------------------------------------------------

@pytest.mark.parametrize("qualification, label", [
    ("mishandeling van z'n vrouw", "partner"),              # spoken possessive
    ("bedreiging van z’n ex-vriendin", "ex_partner"),
    ("mishandeling van zijn bijna drie maanden oude zoontje", "child"),
    ("doodslag op zijn echte vader", "parent"),
    ("belaging tussen ex-echtgenoten", "ex_partner"),
    ("moord, oudermoord", "parent"),
    ("mishandeling van zijn familielid", "other_family"),
    ("mishandeling van een familielid", "none"),          # nobody's relative in particular
    ("mishandeling van zijn geliefde", "partner"),        # a lover
    ("doodslag op haar geliefde", "partner"),
    ("mishandeling van zijn voormalige geliefde", "ex_partner"),
    ("mishandeling van zijn adoptiezoon", "child"),
    ("doodslag op zijn adoptievader", "parent"),
    ("mishandeling van zijn tweelingbroer", "other_family"),
    ("bedreiging van zijn vroegere vriendin", "ex_partner"),
    ("mishandeling van zijn gewezen vrouw", "ex_partner"),
])
def test_round2_words_in_both_modes(tagger, qualification, label):
    assert _register(tagger, qualification) == label
    assert _text(tagger, qualification)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    ("De vrouw van het slachtoffer werd veroordeeld tot zeventien jaar.", "partner"),
    ("De man van het slachtoffer werd aangehouden.", "partner"),
    # friend words need a relationship term in the text to head a chain
    ("Een discussie over de vriendin van de beklaagde was de aanleiding.", "none"),
    ("De vriendin van het slachtoffer was getuige.", "none"),
    ("De man van de buurvrouw sloeg hem.", "none"),
    # without a term only the victim anchor decides: the offender's wife is often a witness
    ("De vrouw van de verdachte verklaarde dat hij thuis was.", "none"),
])
def test_spouse_words_head_a_chain_without_a_term(tagger, text, label):
    assert _text(tagger, text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    ("Het slachtoffer is Anna B., met wie de man een relatie had.", "partner"),
    ("Het was bekend dat zij een relatie had met de verdachte.", "partner"),
    ("De twee vormden een koppel. Hij sloeg haar.", "partner"),
    ("Zij en de verdachte vormden in het verleden een koppel. Hij bedreigde haar.",
     "ex_partner"),
    # with an ended cue the told relationship is a former one
    ("De verdachte had een relatie met het latere slachtoffer. Deze relatie werd in 2018 "
     "beëindigd.", "ex_partner"),
    # the accused told as having a relationship with "een vrouw" [train web-L009]; the
    # partner's mother named beside her is not the victim
    ("M.I. (29) had al 5 jaar een relatie met een vrouw uit Dilbeek. Hij dreigde wat hij "
     "zou doen met haar en haar moeder.", "partner"),
    ("Hij had al jaren een relatie met een vrouw uit Gent. Hij sloeg haar.", "partner"),
    # not a relationship with the offender or the victim, or not an intimate one
    ("Het slachtoffer had een relatie met een vrouw op wie de verdachte verliefd was.",
     "none"),
    ("Hij dacht dat de buurvrouw een relatie had met de kennis.", "none"),
    ("Het slachtoffer is Anna B., met wie de man een zakelijke relatie had.", "none"),
    ("De verhouding met het slachtoffer was al jaren slecht.", "none"),   # relations
])
def test_relationship_told_in_words(tagger, text, label):
    assert _text(tagger, text)["pv_label"] == label


@pytest.mark.parametrize("text, label, reading", [
    ("Hij doodde zijn ex-vrouw, Nicole, en haar vriend.", "ex_partner", "new partner of the ex"),
    ("Hij doodde zijn ex-vriendin en haar grootouders.", "ex_partner",
     "relative of the ex-partner"),
    ("Hij sloeg zijn vrouw en haar dochter.", "partner", "stepchild"),
    ("Een 44-jarige vader en zijn 24-jarige zoon sloegen de buurman.", "none",
     "relative of a stranger"),
])
def test_possessive_after_en_points_back(tagger, text, label, reading):
    row = _text(tagger, text)
    assert row["pv_label"] == label
    assert reading in row["pv_evidence"]


def test_repeated_possessive_stays_the_offenders(tagger):
    row = _text(tagger, "Hij sloeg zijn vrouw en zijn dochter.")
    assert row["pv_label"] == "partner"
    assert "stepchild" not in row["pv_evidence"]


@pytest.mark.parametrize("text, label", [
    ("Feit is dat uw vrouw naar beneden is gesprongen.", "partner"),
    ("Het meisje belde de politie: haar moeder werd door haar vader mishandeld.", "partner"),
    ("Hij sloeg zijn moeder en zijn vader.", "parent"),
    ("Zij werd door een buurman van haar moeder aangerand.", "none"),  # contact of a relative
    ("Het slachtoffer en de verdachte hadden een relatie.", "partner"),
    # the children describe the couple, the partner word names the victim
    ("Hij heeft zijn vriendin, met wie hij twee kinderen heeft, mishandeld.", "partner"),
    # not Flemish "zijn/haar lief" (rules/README.md): 'zijn' is also a verb
    ("De buurman vond haar lief en stuurde haar bloemen.", "none"),
    ("De chirurg riskeert een celstraf voor geweld tegen zijn minnares.", "partner"),
    # infinitives of separable offence verbs mark the offence clause [train web-H069]
    ("De kleinzoon werd veroordeeld voor het doodsteken van zijn opa. Het slachtoffer "
     "bleek met 38 messteken omgebracht.", "other_family"),
    ("De arts werd vrijgesproken van het ombrengen van zijn schoonmoeder. Het OM had "
     "twaalf jaar cel wegens moord geëist.", "other_family"),
    # a denied relationship word names nobody [train web-H038]
    ("Het ging in haar geval niet om een ex-partner; de belager zag in haar zijn "
     "droomvrouw.", "none"),
    ("Het slachtoffer was geen familie van de verdachte.", "none"),
    # nationality adjectives are modifiers of the relation word
    ("Hij sloeg zijn Poolse vriendin.", "partner"),
    ("Hij stak de vader van zijn Belgische ex-vriendin neer.", "none"),
    # relatives who saw the offence are not its victims
    ("Het slachtoffer werd doodgestoken voor de ogen van zijn vrouw en kinderen.", "none"),
    ("Hij sloeg zijn vrouw in het bijzijn van hun drie kinderen.", "partner"),
    # session 7: grabbing, abuse in words and throwing are offence cues, so a relative
    # named away from them is not the victim [train web-D081, web-B138, web-D123]
    ("Een moeder greep een schooljuf bij de keel. De moeder was boos omdat haar dochter "
     "overstuur uit de gymles was gekomen.", "none"),
    ("Hij had de schrijfster uitgescholden voor vies wijf. De schrijfster herkende het "
     "zoontje van Tom als een vriendje van haar eigen kind.", "none"),
    ("Hij schold ons uit met de ziekte waaraan mijn schoonvader overleed.", "none"),
    ("Hij greep zijn moeder bij de keel.", "parent"),
    # one parent by the other, the mother taken up by a pronoun [train web-H022]
    ("Sanne verloor zes jaar geleden haar moeder. Die werd door haar vader "
     "neergestoken.", "partner"),
    # a charge noun without its object names the verdict, not the victim's clause
    ("Een jongen die zijn moeder met een mes verwondde, is veroordeeld. De rechtbank "
     "acht hem schuldig aan poging doodslag.", "parent"),
    # the object of a clause-final offence verb may stand far before it [train web-F048]
    ("Justitie verdenkt de man ervan in juli 2020 zijn neef met een mes in zijn knie te "
     "hebben gestoken.", "other_family"),
    # a non-relative named next to the offence is its victim [dev web-B008]
    ("Volgens het OM handelde de verdachte uit jaloezie omdat hij dacht dat zijn ex een "
     "relatie had met de kennis die ook slachtoffer is geweest van brandstichting.", "none"),
    ("Hij sloeg zijn vrouw. Later bedreigde hij ook de buurman.", "partner"),
    # ... also with a possessive: "zijn buurman" next to the offence [train web-R006]
    ("De man stapt de rechtszaal binnen, gevolgd door zijn vriendin en zijn advocaat. Hij "
     "wordt ervan verdacht zijn buurman te hebben bedreigd.", "none"),
    ("Hij sloeg zijn vrouw. Later bedreigde hij ook zijn buurman.", "partner"),
    # session 17: officials and carers are strangers, also counted ("twee handhavers"),
    # and "dreigde" is an offence cue [train web-K026; unlabelled unl-W0130]
    ("Hij werd aangehouden nadat hij twee handhavers dreigde de keel door te snijden. "
     "Daarna reed hij met zijn vriendin als bijrijder weg.", "none"),
    ("Zijn partner had een ambulance gebeld. Toen de ambulancemedewerker hem onderzocht "
     "sloeg hij hem op zijn hoofd.", "none"),
    ("Hij dreigde zijn vriendin de keel door te snijden.", "partner"),
    ("Hij sloeg zijn vrouw. Later bedreigde hij ook twee handhavers.", "partner"),
    # session 17 (batch S): an object pronoun after the subject in the inverted order
    # takes up the relative named before it [train web-S021, web-S022]
    ("Toen zijn zuster met haar rug naar hem toestond, sloeg hij ook haar dood.",
     "other_family"),
    ("Zijn nichtje lag nog te slapen. Om niet herkend te worden vermoordde hij haar ook.",
     "other_family"),
    ("Zijn nichtje lag nog te slapen. Om niet herkend te worden vermoordde hij de "
     "buurman.", "none"),
    # "vergreep zich aan" is an offence [train web-S007]
    ("De vader van het gezin vergreep zich tientallen jaren aan zijn dochters.", "child"),
    # the offender named from the victim's side after "gepleegd door" [train web-S013]
    ("De zaak draait om de moord op een 89-jarige man die gepleegd werd door zijn "
     "schoonfamilie.", "other_family"),
    # a relationship told as still going is current [train web-S055]
    ("Hij heeft bekend dat hij zijn vrouw heeft omgebracht. De twee zouden nog een "
     "romantische relatie hebben gehad.", "partner"),
    ("Hij heeft bekend dat hij zijn vrouw heeft omgebracht. De twee zouden een "
     "relatie hebben gehad.", "ex_partner"),
    # "een gescheiden vrouw" tells a civil status, no break-up [train web-S015]
    ("De moeder, een 36-jarige gescheiden vrouw, is verdacht van kindermoord.", "parent"),
    # session 18 (batch T): a bare pair of kin words names two people by their tie to
    # each other [train web-T039, web-H031]; with a possessive it stays family; other kin
    # phrases of the text still count [train web-P020]
    ("Een ongeval, zo houden twee varkensboeren, vader en zoon, vol. Hun vriend liep "
     "hoofdwonden op.", "none"),
    ("Al vijftien jaar terroriseren broer en zus De Vos de hele buurt.", "none"),
    ("Hij bedreigde zijn vader en zoon met een mes.", "child"),
    ("Het betrof de bewoners, vader en zoon. Vermoedelijk heeft de vader zijn zoon "
     "gedood.", "child"),
    # the couple told as "de twee" having a relationship [train web-U005]; not a
    # business relationship
    ("Het meisje overleed aan haar verwondingen. De twee hadden een relatie.", "partner"),
    ("Hij stak de man neer. De twee hadden een zakelijke relatie.", "none"),
    # great-relatives are other_family terms; the great-niece is next to the offence,
    # the victim's wife is not [train web-T015]
    ("Jules Bogaerts (81) en zijn vrouw Jeanne Jacobs (78) zijn in 1991 vermoord door "
     "hun verre achternicht.", "other_family"),
    # a separable offence verb written as one word at the end of the clause [train
    # web-R048]
    ("El M. vond dat zijn kind niet thuishoorde op die school. Volgens getuigen verliep "
     "het gesprek aanvankelijk aardig, totdat El M. een mes trok en op de directeur "
     "instak.", "none"),
    # the offence told as one between partners without a partner word
    ("Het motief moet in de relationele sfeer worden gezocht. De man stak de vrouw "
     "neer.", "partner"),
    ("Hij kreeg een celstraf voor partnergeweld.", "partner"),
    ("De man had al langer ruzie met het stel.", "none"),
    # an ended relationship told by its course [train web-B081]
    ("Hun relatie ging na een aantal weken bergafwaarts en zij kreeg een relatie met een "
     "ander. Daarna bedreigde hij haar.", "ex_partner"),
    # session 7, from the J items: a former 'vriend' is an ex only as 'haar ...'
    ("Hij zag zijn vroegere vriend passeren en sloeg hem met een flesje op het hoofd.",
     "none"),
    ("De brand is veroorzaakt door haar voormalige vriend.", "ex_partner"),
    ("Zij werd door haar stalkende man doodgestoken.", "partner"),
    ("Er ontstond een steekpartij tussen twee partners in een nieuw samengesteld gezin.",
     "partner"),
    ("Maar naarmate we langer samenwoonden werd hij opvliegerig. In ruzies kon hij "
     "handtastelijk worden.", "partner"),
    ("Jeraina G. heeft dinsdagmorgen haar eigen broer met een groot mes in zijn rug "
     "gestoken.", "other_family"),
    # a relative named as the speaker of a quote is not the victim [dev web-B093]
    ("Er was ruzie en intimidatie door L. Marlous hield contact met de wijkagent, "
     "vertelde haar moeder in de rechtbank.", "none"),
    ("Zijn moeder vertelde dat hij haar had geslagen.", "parent"),
    # the parties of a civil ruling told as a couple [train web-F034, web-H030]
    ("Partijen hebben enkele maanden een affectieve relatie gehad. Daarna heeft de man "
     "de vrouw bedreigd.", "ex_partner"),
    ("[eiser] en [gedaagde] zijn van 1998 tot 2017 gehuwd geweest. In 2014 heeft hij "
     "haar mishandeld.", "partner"),
    ("Partijen hebben een langdurige vriendschappelijke relatie met elkaar gehad. Hij "
     "heeft haar bedreigd.", "none"),
])
def test_round2_text_phrases(tagger, text, label):
    assert _text(tagger, text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    # session 8, from the K items: the relation word right before "om het leven" is the
    # victim of the clause [train web-K053]
    ("De vrouw die ervan verdacht wordt haar halfzus om het leven te hebben gebracht is "
     "opgenomen. Het slachtoffer en de verdachte wonen op hetzelfde adres.", "other_family"),
    # children counted by the dozen are not his own [train web-K057]
    ("Het OM eiste straf wegens systematisch misbruik van tientallen kinderen.", "none"),
    ("Hij heeft zijn kinderen mishandeld.", "child"),
    # the accused named in apposition as the victim's relative [train web-K008]
    ("De verdachte, volgens buurtbewoners de 63-jarige moeder van het slachtoffer, werd "
     "aangehouden.", "child"),
    ("De verdachte, de zoon van het slachtoffer, is aangehouden.", "parent"),
    ("De verdachte is de broer van het slachtoffer.", "other_family"),
    # a verb between them: the relative is the victim's, named as the victim
    ("De verdachte sloeg de vader van het slachtoffer.", "none"),
])
def test_session8_cues_and_traps(tagger, text, label):
    assert _text(tagger, text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    # session 8: "haar nieuwe vriend" beside the offender's ex is the ex's new partner
    # [train web-F002]
    ("Uw ex-vriendin heeft niks meer. U heeft haar eerst jaren gestalkt, daarna haar "
     "nieuwe vriend geslagen.", "none"),
    # the same possessive: the offender's own new partner, also for the time step
    ("Hij stalkte zijn ex-vrouw en mishandelde zijn nieuwe vriendin.", "partner"),
    # an ex named as somebody else's ("De ex-vriend van Bianca" is the offender)
    # [train web-H062]
    ("De ex-vriend van Bianca zit vast. Hij mishandelde zijn nieuwe vriendin.", "partner"),
    # no ex-partner named: her new boyfriend may be the victim of a woman
    ("Zij mishandelde haar nieuwe vriend.", "partner"),
])
def test_new_partner_of_the_ex(tagger, text, label):
    row = _text(tagger, text)
    assert row["pv_label"] == label
    if label == "none":
        assert "new partner of the ex" in row["pv_evidence"]


@pytest.mark.parametrize("qualification", [
    "belaging van zijn exen", "mishandeling van zijn ex-vriendje", "bedreiging van haar "
    "ex-vriendjes", "belaging van twee ex-vriendinnen", "mishandeling van zijn "
    "ex-vriendinnetje", "bedreiging van ex-geliefden", "belaging van zijn ex-echtgenotes",
    "bedreiging van zijn ex-lief",
])
def test_ex_partner_plurals_and_diminutives_in_both_modes(tagger, qualification):
    """Default rules 1.2.0: "eerder al exen te hebben lastiggevallen" [dev web-B068]."""
    register = tagger.tag(pd.DataFrame({"artikelkwalificatie": [qualification]}))
    text = tag_texts([qualification], tagger=tagger)
    assert register["pv_label"].iloc[0] == "ex_partner"
    assert text["pv_label"].iloc[0] == "ex_partner"


@pytest.mark.parametrize("qualification", [
    "mishandeling van zijn inmiddels ex-vriendin", "mishandeling van zijn destijds "
    "zwangere vriendin", "mishandeling van zijn toen zwangere vriendin"])
def test_adverbs_in_s_are_no_genitive_names(tagger, qualification):
    """'inmiddels' ends in -s like "Harrys vrouw" but names nobody (grammar 1.2.0); it,
    'destijds' and 'toen' stand between a possessive and the noun (text modifiers)."""
    register = tagger.tag(pd.DataFrame({"artikelkwalificatie": [qualification]}))
    text = tag_texts([qualification], tagger=tagger)
    assert register["pv_label"].iloc[0] in ("partner", "ex_partner")
    assert "somebody else" not in register["pv_evidence"].iloc[0]
    assert "zijn " in register["pv_evidence"].iloc[0] and "zijn " in text["pv_evidence"].iloc[0]


@pytest.mark.parametrize("text", [
    "Een man zit vast omdat hij zijn eigen kinderen zou hebben ontvoerd naar het buitenland. "
    "Volgens hem hield hij zich aan de afspraken met zijn ex-vrouw.",
    "De man heeft zijn zoon jarenlang in een schuur opgesloten, zo blijkt uit het onderzoek "
    "van de politie en uit de verklaringen van zijn ex-vrouw.",
])
def test_abduction_and_confinement_are_offence_cues(tagger, text):
    """Session 11 (text rules 1.9.0): abduction, confinement, poisoning, neglect, robbery
    and damage words are offence cues of the salience step, so the child named next to
    "ontvoerd"/"opgesloten" is the victim, not the ex-wife named beside it."""
    row = _text(tagger, text)
    assert row["pv_label"] == "child"
    assert "is the phrase next to the offence" in row["pv_evidence"]


@pytest.mark.parametrize("text, label", [
    # the victim's relative arrested is the offender (text.parent.offender_is_child)
    ("De politie heeft de volwassen zoon van het slachtoffer ter plaatse aangehouden.",
     "parent"),
    ("De dochter van het slachtoffer werd kort daarna opgepakt.", "parent"),
    # the person who reports the offence is its victim ("aangifte" is a victim cue)
    ("Hij wordt verdacht van bedreiging van een vrouw. De vrouw in kwestie is zijn zus, "
     "die aangifte deed tegen haar broer.", "other_family"),
    # "ingeslagen op", "gebeten" are offence cues
    ("Een vader is aangehouden. De man heeft zodanig ingeslagen op zijn dochter dat zij "
     "een bloedneus opliep. Volgens de politie is de vijftienjarige daarna ook nog gewurgd.",
     "child"),
    # an object pronoun of the offence verb takes up the relative named before it
    ("Hij was alleen thuis met zijn moeder. Tijdens het eten viel hij haar aan. Hij sloeg "
     "haar met een pan.", "parent"),
    ("Hij reed met zijn vader naar het politiebureau in de stad. Onderweg in de auto "
     "probeerde hij hem te wurgen.", "parent"),
])
def test_session11_victim_cues(tagger, text, label):
    """Session 11 (text rules 1.9.0): each text is labelled ``none`` by 1.8.0 (the
    relative stood away from the offence cue, or the victim's relative was read as a
    third party)."""
    assert _text(tagger, text)["pv_label"] == label


def test_object_pronoun_must_agree_with_the_relative(tagger):
    """"hem" does not take up "zijn moeder": with no relative of that gender before the
    cue the family label is still given up (the relatives belong to another story)."""
    text = ("Hij was alleen thuis met zijn moeder. Tijdens het eten viel hij de buurman aan. "
            "Later sloeg hij hem met een pan.")
    assert _text(tagger, text)["pv_label"] == "none"


def test_an_age_after_van_is_no_genitive(tagger):
    """Grammar 1.7.0: "een moeder van 23 jaar haar stiefzoon" is no "mother of her
    stepson" (co-parent: partner); the age ends the 'van' link, in both modes."""
    text = "toen een moeder van 23 jaar haar stiefzoon van acht jaar om het leven heeft gebracht"
    assert _text(tagger, text)["pv_label"] == "child"
    assert _register(tagger, text) == "child"
    assert "co-parent" not in _text(tagger, text)["pv_evidence"]


def test_modifiers_after_a_possessive_still_link(tagger):
    """The age rule stops a link only where modifiers stand *before* a possessive:
    "de moeder van zijn twee kinderen" is still his co-parent, in both modes."""
    text = "mishandeling van de moeder van zijn twee kinderen"
    assert _text(tagger, text)["pv_label"] == "partner"
    register = tagger.tag(pd.DataFrame({"artikelkwalificatie": [text]}))
    assert register["pv_label"].iloc[0] == "partner"
    assert "co-parent" in register["pv_evidence"].iloc[0]  # the grammar's chain


@pytest.mark.parametrize("text, label", [
    # an adult's age does not make "zijn/haar ... vriendin/vriend" a friend
    ("In Almelo heeft een 43-jarige man zijn 56-jarige vriendin gedood.", "partner"),
    ("Zij stak haar 25-jarige vriend meermaals in zijn rug.", "partner"),
    # a minor's age still does, in digits and in words; so does the article
    ("Hij werd veroordeeld voor mishandeling van haar 13-jarige vriend.", "none"),
    ("Hij werd veroordeeld voor mishandeling van zijn twaalfjarige vriendin.", "none"),
    # from 14 the friend word with a possessive is a boyfriend or girlfriend
    ("De man is in zijn woning door zijn 16-jarige vriendin doodgestoken.", "partner"),
    ("Hij werd veroordeeld voor mishandeling van een 73-jarige vriendin.", "none"),
    # "verwond" and "toegebracht" are offence cues: the stepson next to them is named
    ("De man rende het erf op met verschillende verwondingen. Hij was moeilijk "
     "aanspreekbaar. Hij verklaarde dat de stiefzoon die ook op het erf woont hem heeft "
     "verwond met een mes.", "child"),
    ("De politie reed uit naar het dorp, waar een moeder haar kinderen opzettelijk "
     "brandwonden heeft toegebracht en ze daarna in de woning had opgesloten.", "child"),
    # a blow given to a relative ("gaf aan zijn"): the relative is the victim
    ("Er werd aangifte gedaan dat Y in een café twee harde slagen met de vlakke hand gaf "
     "aan zijn vierjarig zoontje, waardoor het kind op de grond viel.", "child"),
    # relatives without a named tie
    ("Een man heeft twee vrouwen met een stuk hout geslagen. Volgens de politie zijn de "
     "slachtoffers en de man familie van elkaar.", "other_family"),
    ("Een man heeft twee vrouwen met een stuk hout geslagen. Volgens de politie zijn de "
     "slachtoffers en de man geen familie van elkaar.", "none"),
    # one parent the subject, the other the object of the offence verb
    ("Hij schrijft over het dochtertje van een gezin, waarvan de vader de moeder "
     "mishandelt.", "partner"),
    # a married couple told of the case parties, or "getrouwd met een man die haar ..."
    ("Het slachtoffer werd dood gevonden in haar woning. Het slachtoffer en de verdachte "
     "waren getrouwd.", "partner"),
    ("Twaalf jaar lang was ze getrouwd met een man die haar stelselmatig mishandelde. "
     "Daarna vluchtte ze met haar kinderen naar een opvanghuis.", "partner"),
    # a friendship told as a "relatie" is none (and masks the relationship told)
    ("Hij meldde dat hij een vriendin had omgebracht. De verdachte had volgens zijn "
     "verklaring al jaren een vriendschappelijke relatie met het slachtoffer.", "none"),
    # the victim's relative hurt too is another victim, not the offender ...
    ("Gewapende mannen wachtten de bewoner op. Binnen werd ook de vrouw van het slachtoffer "
     "bedreigd.", "none"),
    # ... while the victim's relative arrested still is the offender
    ("De vrouw van het slachtoffer is aangehouden.", "partner"),
    # the body part hit names the victim ("in de borst van haar man")
    ("Vorig jaar stak de moeder een keukenmes bijna tien centimeter diep in de borst van "
     "haar man.", "partner"),
    # wounds received ("kreeg drie messteken") mark the victim: the new partner of the ex
    ("Hij was naar zijn ex-partner gegaan voor een gesprek over de kinderen. Dat liep uit "
     "de hand en de nieuwe partner van zijn ex kreeg drie messteken.", "none"),
])
def test_session12_words(tagger, text, label):
    """Session 12 (text rules 1.10.0): each text is labelled otherwise by 1.9.0 (an
    adult's "vriendin" read as a friend; the relative too far from a cue the rules did
    not know; relatives without a relation noun)."""
    assert _text(tagger, text)["pv_label"] == label


def test_the_infinitive_marker_is_data():
    """Text rules 1.10.0: the "te" of "hem te wurgen" is the word set
    ``infinitive_marker``; without it the pronoun two words before the verb takes up
    nothing and the father, named away from the offence, is given up (``none``)."""
    from dataclasses import replace

    from pv_identify.rules.textrules import load_text_rules

    text = ("Hij reed met zijn vader naar het politiebureau in de stad. Onderweg in de auto "
            "probeerde hij hem te wurgen.")
    rules = load_text_rules()
    without = replace(rules, sets={k: v for k, v in rules.sets.items()
                                   if k != "infinitive_marker"})
    assert _text(pv.Tagger("default", text_rules=rules), text)["pv_label"] == "parent"
    assert _text(pv.Tagger("default", text_rules=without), text)["pv_label"] == "none"


@pytest.mark.parametrize("qualification, label", [
    ("mishandeling van haar Ierse vriend", "partner"),
    ("bedreiging van de Oostenrijkse vader van zijn ex-vriendin", "none"),
])
def test_session12_nationality_modifiers_in_both_modes(tagger, qualification, label):
    """Grammar 1.8.0: more nationality adjectives are modifiers (the file is shared by the
    grammar and the text rules), so both modes read the phrase through them."""
    assert _text(tagger, qualification)["pv_label"] == label
    assert _register(tagger, qualification) == label
