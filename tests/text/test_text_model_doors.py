"""The text model behind every door: tag_texts, the CLI, spaCy (save/reload), explain."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import spacy

import pv_identify as pv
from pv_identify.cli import main
from pv_identify.combine_text import TextPolicy
from pv_identify.errors import ModelFileError
from pv_identify.text import load, tag_texts

TEXTS = pd.Series([
    "Hij heeft zijn ex-vriendin maandenlang belaagd",
    "De man stak zijn vrouw neer in hun woning",
    "Een voorbijganger werd op straat geslagen",
    "De 34-jarige man mishandelde zijn verloofde.",
    "De man stak zijn vrouw neer in hun woning",
], index=[5, 6, 7, 8, 9])


@pytest.fixture(scope="module")
def with_model():
    return tag_texts(TEXTS, model="default")


def test_tag_texts_with_the_default_model(with_model):
    rules = tag_texts(TEXTS)
    assert list(with_model.index) == list(TEXTS.index)
    assert rules["pv_score"].isna().all()
    score = with_model["pv_score"].to_numpy()
    assert np.isfinite(score).all() and ((score >= 0) & (score <= 1)).all()
    assert with_model.loc[5, "pv_label"] == "ex_partner"
    # calibrated: the ex-partner text well above the stranger's (0.79 vs 0.38 with the
    # model trained on 649 texts; 0.8 was the bound while it saw 574)
    assert with_model.loc[5, "pv_score"] > 0.75 and with_model.loc[7, "pv_score"] < 0.5
    assert with_model.loc[6].equals(with_model.loc[9])   # same text, same answer
    meta = with_model.attrs["pv_identify"]["text_model"]
    # with no policy named, the model's chosen one (policy_["name"]) applies
    assert meta["name"] == "pv_text_default" and meta["policy"] == shipped_policy()["name"]
    # the shipped policy settings were chosen on the replay and travel with the model
    # (policy_); a policy given by name uses them
    assert meta["threshold"] == shipped_policy()["threshold"]
    # "zijn verloofde" is decided by default.qual.partner, right on 27 of 32 training
    # texts (smoothed (27 + 1) / (32 + 2) = 0.82): it decides alone at 0.6 ...
    lenient = tag_texts(TEXTS, model="default", policy=TextPolicy(rule_confidence=0.6))
    row = lenient.loc[8]
    assert row["pv_source"] == "rule" and row["pv_label"] == "partner"
    # ... but not at 0.9: then the model decides, and the evidence names the rule and the
    # model's features
    strict = tag_texts(TEXTS, model="default", policy=TextPolicy(rule_confidence=0.9))
    row = strict.loc[8]
    assert row["pv_source"] == "model" and row["pv_label"] == "partner"
    assert "model: " in row["pv_evidence"]


def shipped_policy() -> dict:
    from pv_identify.model.text_persist import default_text_model_path, load_text_model

    return load_text_model(default_text_model_path()).policy_


#: The rules say none (the father is the speaker of the quote, text.trap.speaker, and no
#: rule reads "Hij is haar stiefvader" as the accused's tie), the model family. (Until
#: text rules 1.24.0 the gap was "De vader van het meisje is veroordeeld voor
#: mishandeling van het meisje.", which the rules now read as child; until the text model
#: of session 31 it was the first sentence alone, which that model gives 0.45.)
GAP = "De verdachte mishandelde thuis het meisje, zei zijn vader. Hij is haar stiefvader."
#: A threshold below the model's own at which the model decides GAP (the tests' premise).
GAP_THRESHOLD = 0.6


def test_the_model_fills_a_gap_of_the_rules_at_its_threshold():
    from pv_identify.model.text_persist import default_text_model_path, load_text_model

    model = load_text_model(default_text_model_path())
    p_other = model.predict_proba([GAP])[0][list(model.classes_).index("other")]
    assert 1 - p_other >= GAP_THRESHOLD, (
        "premise: the shipped model gives GAP family; pick another GAP")
    # with the model's own threshold: the model decides exactly when 1 - P(other) (the
    # domestic-violence probability) reaches it
    own = tag_texts([GAP], model="default", policy="rules_first").iloc[0]
    assert (own["pv_source"] == "model") == (1 - p_other >= model.policy_["threshold"])
    # a threshold given to the tagger overrides the model's
    low = tag_texts([GAP], tagger=pv.Tagger(text_model="default", threshold=GAP_THRESHOLD),
                    policy="rules_first")
    out = low.iloc[0]
    assert out["pv_source"] == "model" and out["pv_label"] == "domestic_unspecified"
    assert "model: " in out["pv_evidence"] and out["pv_score"] < 0.5
    assert low.attrs["pv_identify"]["text_model"]["threshold"] == GAP_THRESHOLD
    high = tag_texts([GAP], tagger=pv.Tagger(text_model="default", threshold=0.99),
                     policy="rules_first")
    assert high.iloc[0]["pv_label"] == "none" and high.iloc[0]["pv_source"] == "rule"
    # explain takes the same policy as tag_texts
    exp = pv.Tagger(text_model="default", threshold=GAP_THRESHOLD).explain_text(
        GAP, policy="rules_first")
    assert exp.output["pv_source"] == "model" and exp.label == "domestic_unspecified"
    assert math.isclose(exp.output["pv_score"], out["pv_score"])
    exp = pv.Tagger(text_model="default").explain_text(GAP, policy="rules_first")
    assert exp.output["pv_source"] == own["pv_source"] and exp.label == own["pv_label"]
    # with no policy named, tag_texts and explain both take the model's chosen policy
    chosen = tag_texts([GAP], model="default").iloc[0]
    named = tag_texts([GAP], model="default", policy=shipped_policy()["name"]).iloc[0]
    assert chosen.equals(named)
    exp = pv.Tagger(text_model="default").explain_text(GAP)
    assert (exp.label, exp.output["pv_source"]) == (chosen["pv_label"], chosen["pv_source"])


def test_rules_only_policy_equals_no_model_labels(with_model):
    rules = tag_texts(TEXTS)
    same = tag_texts(TEXTS, model="default", policy="rules_only")
    assert same["pv_label"].tolist() == rules["pv_label"].tolist()
    np.testing.assert_allclose(same["pv_score"], with_model["pv_score"])


def test_tagger_binds_the_text_model():
    tagger = pv.Tagger(text_model="default")
    assert tagger.get_params()["text_model"] == "default"
    out = tag_texts(TEXTS, tagger=tagger)
    assert out["pv_label"].tolist() == tag_texts(TEXTS, model="default")["pv_label"].tolist()


def test_explain_text_shows_hits_and_model_features(with_model):
    tagger = pv.Tagger(text_model="default")
    for i, text in TEXTS.items():
        exp = tagger.explain_text(text)
        assert exp.label == with_model.loc[i, "pv_label"]
        assert exp.output["pv_source"] == with_model.loc[i, "pv_source"]
        assert math.isclose(exp.output["pv_score"], with_model.loc[i, "pv_score"])
    exp = tagger.explain_text(TEXTS[5])
    shown = str(exp)
    assert "default.qual.ex_partner" in shown and "features that weighed most" in shown
    assert exp.contributions and "wc:" in " ".join(exp.features)


def test_spacy_component_keeps_its_model_after_save_and_reload(tmp_path, with_model):
    nlp = load("default", model="default")
    docs = list(nlp.pipe(TEXTS.tolist()))
    assert [d._.pv_label for d in docs] == with_model["pv_label"].tolist()
    np.testing.assert_allclose([d._.pv_score for d in docs], with_model["pv_score"])
    nlp.to_disk(tmp_path / "pipe")
    folder = tmp_path / "pipe" / "pv_identify"
    assert (folder / "pv_text_model.pvmodel").is_file()
    assert json.loads((folder / "pv_text_model.manifest.json").read_text())["kind"] == "text"
    again = spacy.load(tmp_path / "pipe")
    docs2 = [again(t) for t in TEXTS]
    assert [d._.pv_label for d in docs2] == with_model["pv_label"].tolist()
    np.testing.assert_allclose([d._.pv_score for d in docs2], with_model["pv_score"])
    assert [d._.pv_source for d in docs2] == with_model["pv_source"].astype(str).tolist()


def test_spacy_reload_refuses_a_swapped_model(tmp_path):
    nlp = load("default", model="default")
    nlp.to_disk(tmp_path / "pipe")
    model_file = tmp_path / "pipe" / "pv_identify" / "pv_text_model.pvmodel"
    data = bytearray(model_file.read_bytes())
    data[-300] ^= 0xFF
    model_file.write_bytes(bytes(data))
    with pytest.raises(ModelFileError):
        spacy.load(tmp_path / "pipe")


def test_cli_text_with_model(capsys):
    # the expectation moved from TEXTS[8] to GAP when the policy settings became the
    # model's cross-validated ones (TEXTS[8] is now decided by its rule)
    assert main(["text", "--text", GAP, "--model", "default", "--threshold", str(GAP_THRESHOLD),
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["source"] == "model" and result["label"] == "domestic_unspecified"
    assert 0 <= result["score"] < 0.5
    assert main(["text", "--text", GAP, "--model", "default", "--threshold", str(GAP_THRESHOLD),
                 "--policy", "rules_only", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["source"] == "rule" and result["label"] == "none"
    assert main(["text", "--text", TEXTS[8], "--model", "default", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["label"] == "partner" and 0.5 <= result["score"] <= 1


# --- property: every text door with the model gives tag_texts' answer -----------------

_WORDS = ["zijn", "haar", "hun", "ex-vriendin", "vrouw", "man", "toenmalige", "vijf maanden oude",
          "baby", "dochtertje", "van", "de", "het slachtoffer", "verdachte", "stak", "mishandelde",
          "neer", "relatie", "beëindigd", "samen", "buurman", "moeder", "kinderen", "en", ".",
          # the possessor steps: gender cues, victim and stranger mentions, her relatives
          "hij", "zij", "ouders", "aangever", "het beoogde slachtoffer", "werd veroordeeld",
          "overleed", "ging naar huis",
          # session 4: now-ex time cues, relative clauses, ex-partner plurals
          "inmiddels", "intussen", "gescheiden", "met wie", "samenwoonde", "vader", "exen",
          "ex-lief",
          # session 8: the new partner of the ex, the accused in apposition, shared links,
          # time cues of a relationship period, "om het leven", children by the dozen
          "nieuwe", "vriend", "uw", "halfzus", "om het leven", "gebracht", "tientallen",
          "zus", "vermeende", "dader", "laatste half jaar", "kortstondige",
          # session 9: the accused told as having a relationship "met een vrouw"
          "had al 5 jaar een", "relatie met een", "29",
          # session 11: object pronouns, new offence and victim cues, arrest, an age
          "hem", "te wurgen", "sloeg", "ontvoerd", "opgesloten", "aangifte", "aangehouden",
          "volwassen zoon", "van 23 jaar", "stiefzoon",
          # session 12: an adult's and a minor's age before a friend word, new cues
          "56-jarige", "13-jarige", "vriendin", "een", "verwond", "toegebracht", "gaf aan",
          "familie van elkaar", "geen", "waren getrouwd", "vriendschappelijke",
          "bedreigd", "in de borst van", "ierse", "16-jarige",
          # session 13: the ex of a person word, companions, comparison adverbs, metgezel
          "ex", "samen met", "woonde", "eveneens", "87-jarige", "jongeman", "metgezel",
          # session 16: passive offence clauses and their agent, coordinated bare words,
          # an age before "van", step-grandchildren, one-word separable verbs
          "is", "beroofd", "door", "stiefvader", "(57)", "zoontje", "(2)", "jongen",
          "stiefkleindochter", "op de directeur", "instak",
          # session 17: counted officials, "dreigde", the inverted object pronoun,
          # "vergreep zich aan", "gepleegd door", still a relationship, a civil status
          "twee", "handhavers", "dreigde", "hij ook haar", "zuster", "vergreep zich aan",
          "gepleegd werd door", "schoonfamilie", "nog een relatie", "gehad",
          "gescheiden vrouw",
          # session 18: bare kin pairs, great-relatives
          "vader en zoon", "broer en zus", "varkensboeren", "achternicht", "oudoom",
          "de twee hadden", "het stel",
          # session 22: contacts before a definite relative, 'plus' words, impersonation,
          # violence within the relationship, civil parties, prepositions in -s
          "een vriendinnetje van een van de", "dochters", "pluszonen", "plusmama",
          "deed zich voor als", "voorgedaan als", "binnen hun relatie", "geweld",
          "gedaagde is de", "stiefvader van eiseres", "stiefoom", "wegens", "tijdens",
          # session 23: a partner as a companion, the partner of an affair
          "zat met haar man", "had met haar vriend", "ruzie met", "hij sloeg haar",
          "vreemdgegaan met", "affaire tussen", "verhouding met",
          # session 24: abuse told as lasting for years
          "jarenlang", "stelselmatige", "mishandeling", "negen jaar lang", "drogeerde",
          "wilde scheiden", "is veroordeeld voor", "het meisje", "de ouders zijn",
          "de adoptiedochter van", "van wie ze zwanger was", "echtgenote((1))",
          "de verkrachter van", "om zeep", "niet door een", "met wie hij", "samen is",
          "haar vader haar moeder",
          # session 24 (R24A): family words that are not the victim's tie to the offender
          "vulde zijn dochter aan", "de vader van het gezin", "sloeg de vrouw en haar zoon",
          "werd geslagen door een agent", "als kind", "zowel de broer als de zus van",
          "was het nichtje van de vrouw", "die", "gooide een emmer over", "op het been van",
          "een nichtje", "de speelplaats van haar dochter", "een vader, zoon en neef",
          "om de kleindochter van het slachtoffer gaat", "een koppel met twee kinderen",
          "bij hem en zijn ouders", "de levenloze lichamen van",
          # session 24 (R24B): a couple beside the offence, shooting at, strangers told
          # otherwise, a person with "een" as the object, a tie told with a party
          "liggen", "hadden een conflict met", "werden hij en", "te schieten op",
          "agressie op", "nietsvermoedende", "bezoeker", "collega's", "naar de politie",
          "gemeenteambtenaar", "burgemeester", "mishandeling van een", "68-jarige",
          "meisje", "het gaat om", "verdenkt", "relatie met", "[appellant]",
          "uitgehuwelijkt", "aan wie", "zijn ex haar begon te stalken",
          "relatie met de man van de verdachte", "het leven zuur maken", "lastiggevallen",
          "buurtbewoner", "de vriend van de vrouw", "kreeg die meteen een klap",
          "weg moest gaan bij de man die haar", "in opvolgende relaties slachtoffer",
          "draaide de deur op slot", "die met zijn partner al vier jaar samen is",
          "branden van de auto van", "in brand gestoken", "relatie gehad met de ex-partner van",
          "zou de nieuwe vriend zijn van", "trekt ze bij hem in", "haar vriendje",
          "hij mishandelde haar", "van de overleden moeder aangehouden",
          "de dochter van het slachtoffer", "haar relatie hebben beëindigd met hem",
          # session 24 (R24D): a relationship ended because of the abuse
          "de relatie verbreekt wegens", "seksueel geweld", "vanwege de mishandelingen",
          "de ex-partner van zijn vriendin", "neerstak", "de moord op een vriend van",
          # session 24 (R24C): a defined term, a relative killed before, the relative of
          # a classmate or friend, found with a suspect, harm done, a family quarrel
          "(hierna: de zoon)", "hierna te noemen", "die in 2015 vermoord werd",
          "die werd doodgestoken", "de vader is van een klasgenoot", "beste vriendin",
          "naakt aangetroffen", "met een 27-jarige verdachte", "heeft aangedaan",
          "familieruzie", "familiecrisis", "deze kinderen", "dit kind", "je je vader",
          "jouw moeder",
          # session 25 (R25B): the time told by what the offence is called, partner words
          # that name no victim, a couple told by civil matters
          "partnergeweld", "de boosdoener was", "de verkering uit was", "waren aanwezig",
          "naar hem en zijn vrouw", "door de ex-vriend van mijn zus", "diens dochter",
          "met haar man", "zijn goede vriendin", "door het hoofd schoot",
          "partneralimentatie", "huwelijksgemeenschap", "huiselijke twist waarbij",
          "de vrouw de man", "vergrepen hebben aan een vrouw",
          # session 25 (from the batches): a divorce applied for
          "de scheiding had aangevraagd", "vroeg de echtscheiding aan",
          "de psychiater van", "zou drie maanden cel", "de twee zouden een relatie",
          # session 25 (R25A): a partner word beside a child victim, a killing told first,
          # a phrase joined by "en", a party married to a relative, first-person accounts
          "hun meisje", "zijn allebei veroordeeld", "onherroepelijk veroordeeld",
          "is de ex van het slachtoffer", "stiefvader", "de moeder van de twee broertjes",
          "vermoord", "poging tot moord op", "dichtgeknepen", "gifmoord op",
          "aangifte van mishandeling van de kinderen", "en zijn 26-jarige vriendin",
          "gehuwd geweest met de zus van", "[appellante] en haar beide dochters",
          "met haar vriend", "onze relatie", "gaf me zomaar een klap",
          "zonder toestemming van zijn echtgenote", "onttrekken aan",
          "liep op de trap in het mes van", "moeder werd voor zijn ogen doodgeschoten door",
          "door haar vader te zijn betast", "mee te nemen naar zijn geboorteland"]
#: Sentences of session 19 (sentence boundaries in the salience step, first-person
#: accounts, seizing somebody): drawn together, they put relationship phrases and offence
#: cues on either side of sentence boundaries.
_SENTENCES = [
    # grammar 1.20.0 (session 39): the bystander step reads the chain's own sentence
    "De vrouw van het slachtoffer alarmeerde de hulpdiensten.",
    "De partner van het slachtoffer is opgepakt.",
    # grammar 1.21.0-1.22.0 (session 40): a bare relation word repeating a stranger's
    # relative named before; a possessor introduced by "de vermoorde"
    "Een huisarts wordt geïntimideerd door de zoon van een patiënt.",
    "De zoon dreigt hem te vinden.",
    "De echtgenoot van de vermoorde atlete werd gisteren opgepakt.",
    # text rules 1.62.0 (session 36)
    "Op dat moment zit de baby in de box, terwijl haar moeder, de vriendin van de verdachte, "
    "in de badkamer is.",
    "\"Ik was zelf ook pas 17 en we hadden verkering\", zegt de verdachte.",
    # text rules 1.63.0 (session 36)
    "Een verwarde man heeft een aantal kinderen bedreigd met een mes.",
    "Hij gaf hem een oorvijg. De vader deed aangifte bij de politie.",
    "Hij bekent dat hij zijn dochter jarenlang heeft betast.",
    # text rules 1.58.0 (session 35)
    "Een van de daders was de schoonzoon van het slachtoffer.",
    "Haar zoon Kees wordt er door de politie van verdacht de vrouw te hebben vergiftigd.",
    "Zij werd geslagen door diens vriend.",
    "De vrouw besloot het geweld van haar man te ontvluchten.",
    "Vier mannen ontvoerden een vrouw om losgeld te eisen van haar man.",
    "De echtgenoot van X heeft de dochter van A misbruikt.",
    "Gewapende rivalen van haar zoon sloegen haar.",
    "Toen zijn vriendin hem wilde helpen, is ook zij in elkaar geslagen.",
    "Seksueel binnendringen bij minderjarige stiefdochter.",
    "De vader werd veroordeeld voor mishandeling van de moeder.",
    "Het slachtoffer had in aanwezigheid van haar partner (de verdachte) drugs gebruikt.",
    "De oplichter deed zich voor als haar zoon.",
    "Gedaagde is de stiefvader van eiseres.",
    "Er was sprake van geweld binnen hun relatie.",
    "Zij wordt vervolgd voor de moord op haar drie kinderen.",
    "Haar man beëindigde intussen hun relatie.",
    "Er was ruzie tussen hem en zijn vriendin.",
    "Daarbij reed hij de agente aan.",
    "Zijn zus kwam die avond thuis.",
    "Hij stak haar met een mes.",
    "Zijn toen 38-jarige partner lag boven te slapen.",
    "Hij werd veroordeeld voor poging tot moord op zijn ex-vriendin.",
    "Johan H. had eerst zijn dochter gedood!",
    "“Mijn ex valt mij steeds lastig.”",
    "Hij liep achter buurman aan en pakte de man bij de keel.",
    # sessions 20 and 21: the accused named as the victim's relative far from the offence,
    # a stranger victim beside an ended relationship, a couple as a plural subject
    "De verdachte (de tante van het slachtoffertje) ontkende alles.",
    "Een vrouw stak in het station een toevallige voorbijganger met een mes.",
    "Ze had hier haar partner leren kennen, maar de relatie liep spaak.",
    "Groeneveld en zijn partner wisten het vuur te doven.",
    # session 24: abuse told as lasting for years, beside an ex word
    "Dennis werd jarenlang door zijn ex-partner mishandeld.",
    # session 24 (R24A): relatives of others, co-victims, ties named of the accused
    "“Dat is genoeg”, vulde zijn dochter aan.",
    "De aanvaller sloeg de vrouw en haar zoon van 9.",
    "Het slachtoffertje (5) was het nichtje van de vrouw (22).",
    "De vader van de twee kinderen die zwaargewond zijn gevonden is aangehouden.",
    "Ze fietst naar de paardrijles van haar dochter.",
    # session 24 (R24B): strangers named as the victim in more ways, and the sentences
    # that identify her as the partner
    "Hij is schuldig aan mishandeling van een 68-jarige man.",
    "Het gaat vermoedelijk om zijn ex-vriendin.",
    "Verzoekster en haar echtgenoot hadden een conflict met hun buren.",
    "De man gooide met een bijl naar de politie.",
    # session 24 (R24D)
    "Zij verbrak de relatie vanwege de mishandelingen.",
    "De man die de ex-partner van zijn vriendin neerstak, is vrij.",
    # session 24 (R24C): a relative killed before, a family quarrel, harm done
    "Hij sprak over zijn moeder, die in 2015 vermoord werd.",
    "Een familieruzie is uitgelopen op geweld.",
    "Ze vertelde wat haar vader haar heeft aangedaan.",
    # session 25 (R25B)
    "Hij riskeert cel voor partnergeweld.",
    "Ze vertelde dat haar vriend de boosdoener was.",
    "De vriendin van de beklaagde en zijn vader waren aanwezig tijdens de feiten.",
    "Hij is vermoord door de ex-vriend van mijn zus.",
    "Huiselijke twist waarbij de vrouw de man met een pan heeft geslagen.",
    # session 25 (from the batches)
    "Hij was boos op zijn vrouw omdat ze de scheiding had aangevraagd.",
    "De man sloeg de psychiater van zijn vrouw.",
    "Zijn 53-jarige echtgenote zou drie maanden cel moeten krijgen.",
    "De twee zouden een relatie met elkaar hebben.",
    # session 25 (R25A): whose relative is the victim, the partner or a child?
    "Ze zag hoe haar partner Mark hun meisje mishandelde.",
    "Haar moeder en haar toenmalige vriend zijn allebei veroordeeld.",
    "Een man heeft zijn zoon vermoord.",
    "De dader mishandelde zijn vrouw ernstig.",
    "Hij duwde zijn kind van 10 maanden en zijn vriendin uit het raam.",
    "Toen ze met haar vriend het ziekenhuis verliet.",
    "Onze relatie heeft zes jaar geduurd.",
    # session 26: a divorce pending without "hun", a relative hurt by a stranger word
    # with an article or as a noun
    "Tijdens de echtscheidingsprocedure bedreigde hij de rechter.",
    "Zijn vrouw deed aangifte van mishandeling van de kinderen door de buurman.",
    "De kinderen werden mishandeld door de buurman.",
    # session 26: the relative who did it (the agent after "door", the accused, the
    # subject with an object pronoun), the instrumental, the time within the marriage
    "Een vrouw werd mishandeld door haar zoon.",
    "Zijn vader werd aangehouden.",
    "Het meisje zegt dat haar vader haar met zijn riem sloeg.",
    "Hij maakte zich schuldig aan mishandeling door zijn zoon te slaan.",
    "In 2019 zijn partijen gescheiden. Tijdens het huwelijk heeft de man de vrouw mishandeld.",
    "Voor de scheiding sloeg haar ex-man haar.",
    "We waren een halfjaar samen.",
    "Hij sloeg zijn tweelingzoontjes.",
    "De vrouw was bevallen. Ze liet het jongetje verdrinken.",
    "Haar man werd neergeschoten bij een roofoverval.",
    "Hij deelde naaktfoto's van zijn ex-vriendin.",
    "Het slachtoffer was het vriendinnetje van een van de daders.",
    "Ze vroeg de scheiding aan die in mei werd uitgesproken.",
    "Het meisje beschuldigde het slachtoffer ervan dat zij seks met haar vriend had gehad.",
    # session 27: a bare kin noun beside a possessive of the other direction
    "De 32-jarige zoon diende zijn vader een zware slag toe.",
    "De moeder nam haar zoontje mee.",
    "Vader A. stak zijn zoon neer.",
    # session 27: the rules from batches BC, BD, BE and BF
    "De vrouw is naar verluidt de stiefmoeder van de jongen.",
    "Haar 26-jarige zoon is als verdachte aangemerkt.",
    "De ex-partner van Sim schudde hun zoontje hard door elkaar.",
    "Toen werden de man en zijn vrouw tot een jaar cel veroordeeld.",
    "Hij zag hoe vier dieven het huis van zijn moeder leegroofden.",
    "De man richtte zijn vuurwapen op de agenten.",
    "Hij ging tekeer tegen de campinggasten en schepte de overbuurman.",
    "Hij dacht dat mijn cliënt een relatie had met zijn echtgenote.",
    "De 2 broers reden zijn taxi klem en de oudste broer schoot hem neer.",
    "De man en zijn echtgenoot voerden procedures.",
    "Hij greep voor het oog van zijn kinderen de handhaver bij de keel.",
    "Hij stichtte brand in het huis van zijn zwager.",
    # session 28: an accused relative beside a stranger victim
    "Haar zoon is als verdachte aangemerkt voor de moord op de buurman.",
    # session 28: text rules 1.30.0
    "Hij stak een bekende neer.",
    "De dader, vermoedelijk het ex-vriendje van het dodelijke slachtoffer, vluchtte.",
    "De man zou het vuur op zijn buren geopend hebben.",
    "De vader van het gezin, die zijn vrouw en zoon verloor, getuigde.",
    "Hij was alleen zijn broertje te hulp gesneld.",
    "De vrouw kreeg hulp van haar man.",
    "De man reed met zijn zoon achter op de motor.",
    "De ene broer werd gestoken, de ander niet.",
    "De zoon des huizes was het slachtoffer.",
    "De man heeft zijn baby ernstig hersenletsel toegebracht.",
    "De ouders werden vijf dagen later aangehouden.",
    "De verdachte, die niet de vader van het jongetje is, sloeg hem.",
    "Twee broers hebben elkaar ernstig verwond.",
    "Bij een steekpartij tussen twee broers raakte een van hen gewond.",
    "De tiener had een liefdesrelatie met de moeder van baby Yannick.",
    # session 29: text rules 1.32.0
    "Hij schoot op de vriend van zijn zusje.",
    "Zijn aanstaande echtgenote zat bij hem achterop.",
    "De vader besloot om zijn dochter om te brengen.",
    "Zijn 84-jarige vader had slagen toegebracht aan een politieman.",
    "Nadat een man zijn zwager met een mes in de borst stak.",
    "Hij vertrouwde het niet en belde zijn zoon.",
    "Hij werd beschuldigd van mishandeling binnen een relatie.",
    "B. kwam met zijn dochter aanrijden.",
    "De dader, zijnde de stiefmoeder van het slachtoffer, vluchtte.",
    "Hij verkrachtte zijn achternichtje.",
    "Haar vriend verkrachtte het meisje meermaals.",
    "Hun huwelijk is nog niet ontbonden.",
    "De dochters van de vrouw zijn misbruikt door haar vriend.",
    "De diplomaat en zijn vrouw die het slachtoffer vasthielden.",
    "Twee van de verdachten zijn broers.",
    "De erfstukken van haar overgrootmoeder waren weg.",
    "De verdachte woonde samen met zijn moeder en zus.",
    "De brand werd aangestoken door de zoon van de bewoners.",
    # session 30: grammar 1.18.0, text rules 1.38.0
    "Hij stak de vriendin van zijn zoon neer.",
    "Hij bezocht het graf van zijn vrouw, die hij had doodgestoken.",
    # session 30: text rules 1.39.0
    "Hij schudde zijn twee maanden oude dochtertje zo hard dat het kind letsel had.",
    "In tien jaar zijn vijf kinderen misbruikt door een man uit het dorp.",
    # session 30: grammar 1.19.0, text rules 1.40.0
    "Eiseres is een kleindochter van gedaagde. Zij deed aangifte van misbruik.",
    "Een vrouw vordert schadevergoeding van haar ooms wegens misbruik.",
    # session 30: text rules 1.41.0
    "Een man is aangehouden. Het gaat om de papa van de twee kindjes die omkwamen.",
    "“Het doet pijn”, zegt dochter Anja.",
    # session 30: text rules 1.42.0
    "De ouders van een jongen die werd doodgestoken, zijn in verdenking gesteld.",
    # session 31: the model-gap sentence (the rules say none, the model family)
    GAP,
    # session 32: text rules 1.43.0 to 1.47.0 (a message from a relative, an agent named
    # as the victim's relative, "afgelopen" before a day, divorce papers, an arrest in a
    # relative clause, the victim's partner as a speaker, a violent death, an inverted
    # clause, violence in "mijn relatie", being in a violent relationship)
    "Ze kreeg een appje van haar zoon. Ze bleek te zijn opgelicht.",
    "Zij werd misbruikt door een stiefoom van [appellant].",
    "Hij had een relatie gehad met de dochter van [eiseres] en sloeg [eiseres].",
    "De zoon uit haar eerste relatie. Zij werd afgelopen woensdag gedood door haar man.",
    "Voor ze de echtscheidingspapieren zouden ondertekenen, vergiftigde zijn ex hem.",
    "Haar lichaam lag in de auto van haar zoon, die later werd aangehouden.",
    "De echtgenote van de aangever las de slachtofferverklaring voor.",
    "Hij is opgepakt na de gewelddadige dood van zijn ouders.",
    "Woensdag doodde de 42-jarige Arie S. in zijn huis zijn drie zoontjes.",
    "Het geweld begon vroeg in mijn relatie.",
    "Eva zat een paar maanden in een gewelddadige relatie met haar ex.",
    # session 33: text rules 1.48.0 to 1.53.0 (a time cue within one sentence, a
    # demonstrative that takes up the relationship, a definite young-child noun that
    # takes up the child, causing the death, a couple and their own babies, a
    # childminder, the narrator's relative hurt by somebody else, a relative who reported
    # the offence, the accused as the victim's boyfriend, the couple's son accused,
    # domestic violence as a record, a parent in an apposition)
    "Hij sloeg zijn vriendin na een ruzie over de relatie. Daarna werd het onderzoek "
    "beeindigd.",
    "Er onstaat een relatie. Als scholiere die beeindigd blijft de man aandringen.",
    "Zijn zoontje lag in het ziekenhuis. Hij heeft de peuter tegen de muur geduwd.",
    "Zijn baby lag in het ziekenhuis. Hij heeft de baby geslagen.",
    "Hij is veroordeeld voor het veroorzaken van de dood van zijn dochtertje.",
    "Een stel wordt verdacht van het mishandelen van hun eigen baby's.",
    "De onthaalmoeder schudde de baby door elkaar. Het kindje liep hersenletsel op.",
    "Daarop werd mijn zoon bij de keel gepakt en geschopt.",
    "Er werd aangifte gedaan door een tante van het slachtoffer.",
    "Bronnen melden dat de jongen het vriendje van het slachtoffer was.",
    "Een vrouw is om het leven gekomen en haar man raakte gewond. De zoon van het echtpaar "
    "is aangehouden.",
    "Hij zou eerder al eens veroordeeld zijn voor huiselijk geweld.",
    "Haar moeder, een 35-jarige vrouw, werd opgepakt.",
    # session 34: text rules 1.54.0 (the police's own report of the offence, rough
    # handling, injuries received by a named relative, relatives as witnesses, the one now
    # called an ex when the relationship began)
    "De politie heeft een melding van huiselijk geweld en kindermishandeling gedaan.",
    "Hij heeft zijn zoontje (8) hardhandig aangepakt.",
    "De vader liep zware brandwonden op.",
    "Hun 3-jarige dochtertje was er getuige van.",
    "Ze was 26 toen ze iets met haar ex kreeg.",
    # text rules 1.55.0 (the father taken up by "die", the narrator's relative hurt)
    "Hij belde om zijn vader aan te geven, toen die zijn mama aan het mishandelen was.",
    "Een meisje sloeg mijn dochter een bloedneus.",
    # text rules 1.56.0 (a blow given, a newborn killed, a new partner who abused her, a
    # relative hurt by her own coach, a couple who noticed nothing, a "relatie" with minors)
    "Hij gaf zijn moeder een trap.",
    "Tbs geeist voor doden pasgeboren baby.",
    "Zijn mama had een nieuwe vriend die haar misbruikte.",
    "Haar dochter werd misbruikt door haar zwemcoach. Zij en haar man hadden niets gemerkt.",
    "Hij zou een relatie hebben gehad met drie van zijn minderjarige atletes.",
    # text rules 1.57.0 (the parents' detention, a mother of two)
    "Het voorarrest van de ouders van een overleden baby is verlengd.",
    "Nathalie M., moeder van twee, werd door een kogel getroffen.",
]
#: Texts on which the possessor steps decide (each door must give the same answer).
_POSSESSOR_TEXTS = ["Behalve de vrouw stak hij ook haar ouders neer.",
                    "Het slachtoffer ging naar huis, waar zijn moeder al sliep.",
                    "Het was niet het beoogde slachtoffer dat de deur opende, maar zijn vrouw."]
#: Texts on which the session-4 rules decide: a now-ex time cue, a relationship told in a
#: relative clause, a relative of the ex the time step leaves alone.
_TIME_CLAUSE_TEXTS = {"Hij mishandelde zijn inmiddels ex-vriendin.": "partner",
                      "Zij werd mishandeld door de man met wie zij samenwoonde.": "partner",
                      "Hij mishandelde de vader van zijn inmiddels ex-vriendin.": "none"}
#: Texts on which the session-8 steps and rules decide.
_SESSION8_TEXTS = {
    "Uw ex-vriendin heeft niks meer. U heeft haar gestalkt en haar nieuwe vriend geslagen.":
        "none",
    "De verdachte, de moeder van het slachtoffer, werd aangehouden.": "child",
    "Hij sloeg de moeder en de zus van zijn vriendin.": "other_family",
    "Het laatste half jaar van haar relatie werd zij geslagen.": "partner",
    # session 9: the accused told as having a relationship "met een vrouw"
    "M.I. (29) had al 5 jaar een relatie met een vrouw uit Dilbeek. Hij bedreigde haar.":
        "partner",
    # session 11: an object pronoun takes up a relative, the victim's relative arrested,
    # "aangifte" as a victim cue, an age after "van" ends the genitive link
    "Hij was alleen thuis met zijn moeder. Tijdens het eten viel hij haar aan. Hij sloeg "
    "haar met een pan.": "parent",
    "De politie heeft de volwassen zoon van het slachtoffer ter plaatse aangehouden.":
        "parent",
    "Hij wordt verdacht van bedreiging van een vrouw. De vrouw in kwestie is zijn zus, die "
    "aangifte deed tegen haar broer.": "other_family",
    "toen een moeder van 23 jaar haar stiefzoon van acht jaar om het leven heeft gebracht":
        "child",
    # session 12: an adult's age keeps the partner, a minor's makes a friend; "gaf aan zijn"
    # marks the victim; relatives without a relation noun
    "In Almelo heeft een 43-jarige man zijn 56-jarige vriendin gedood.": "partner",
    "Hij werd veroordeeld voor mishandeling van haar 13-jarige vriend.": "none",
    "Er werd aangifte gedaan dat Y in een café twee harde slagen met de vlakke hand gaf "
    "aan zijn vierjarig zoontje, waardoor het kind op de grond viel.": "child",
    "Een man heeft twee vrouwen met een stuk hout geslagen. Volgens de politie zijn de "
    "slachtoffers en de man familie van elkaar.": "other_family",
    # session 13: the ex of a person word, a companion, living together, "eveneens",
    # a Flemish word for the live-in partner
    "Volgens de eerste berichten zou de ex van de vrouw verantwoordelijk zijn.":
        "ex_partner",
    "Samen met zijn oudere broer belde hij die man op en sloeg hem.": "none",
    "Hij woonde samen met zijn vriendin en sloeg haar.": "partner",
    "Een 87-jarige man heeft zijn eveneens 87-jarige vrouw gedood.": "partner",
    "Het onderzoek wijst naar de metgezel van het slachtoffer.": "partner",
    # session 16: the subject of a passive offence clause and the agent after "door",
    # a bare word after "en" sharing a possessive, an age before "van", an indefinite
    # person's relative, step-grandchildren, a stranger with a possessive, "instak"
    "Een 80-jarige vrouw is beroofd. Haar zoon deed aangifte.": "none",
    "Het slachtoffer werd mishandeld door zijn zoon.": "parent",
    "Een 33-jarige vrouw kwam om het leven. Haar moeder (57) en stiefvader (55) raakten "
    "gewond.": "none",
    "Hij heeft het zoontje (2) van zijn nieuwe vriendin zwaar toegetakeld.": "child",
    "Hij bedreigde de moeder van een jongen.": "none",
    "Hij pleegde ontucht met zijn stiefkleindochter.": "other_family",
    "Zijn vriendin wachtte buiten. Hij wordt ervan verdacht zijn buurman te hebben "
    "bedreigd.": "none",
    "Zijn kind zat op die school, totdat hij een mes trok en op de directeur instak.":
        "none",
    # session 17: counted officials are strangers next to the offence, the object pronoun
    # after the subject in the inverted order, "vergreep zich aan", "gepleegd door",
    # a relationship told as still going, a civil status
    "Hij dreigde twee handhavers de keel door te snijden. Zijn vriendin zat in de auto.":
        "none",
    "Toen zijn zuster met haar rug naar hem stond, sloeg hij ook haar dood.":
        "other_family",
    "De vader vergreep zich jarenlang aan zijn dochters.": "child",
    "De moord op een man die gepleegd werd door zijn schoonfamilie.": "other_family",
    "Hij doodde zijn vrouw. De twee zouden nog een relatie hebben gehad.": "partner",
    "De moeder, een gescheiden vrouw, is verdacht van kindermoord.": "parent",
    # session 18: a bare kin pair, a great-relative named after "door"
    "Twee varkensboeren, vader en zoon, sloegen de koper.": "none",
    "Jules Bogaerts (81) en zijn vrouw Jeanne Jacobs (78) zijn in 1991 vermoord door hun "
    "verre achternicht.": "other_family",
    "Het meisje overleed. De twee hadden een relatie.": "partner",
    # session 20: an offender-anchored phrase's own victim word is no cue for it; a
    # relationship taken up again
    "Gisteravond heeft een man zijn liefdesrivaal in de nek gestoken. De vrouw van het "
    "slachtoffer belde de hulpdiensten.": "none",
    # session 21: the accused named as the victim's relative decides wherever the offence
    # is told; a stranger victim's none is kept by the time step; "door haar vriendje";
    # the modifiers slapende, getrouwde, toevallige
    "Een stel is veroordeeld voor het ernstig mishandelen van een 4-jarig meisje. Het kind "
    "woonde al een jaar bij hen. De verdachte (de tante van het slachtoffertje) ontkende "
    "alles.": "other_family",
    "Een vrouw stak in het station een toevallige voorbijganger met een mes. Ze had hier "
    "haar partner leren kennen, maar de relatie liep spaak.": "none",
    "Ze was zestien toen ze werd doodgestoken door haar vriendje.": "partner",
    "Hij heeft 's nachts zijn slapende vrouw met een kussen verstikt.": "partner",
    "Op het station schoot hij zijn pas getrouwde zus dood.": "other_family",
    # session 22: a contact after 'een' before a definite relative; the Flemish 'plus'
    # words; a relative the offender posed as; violence within the relationship; a civil
    # ruling's parties; a preposition in -s is no genitive name
    "Hij heeft een vriendinnetje van een van de dochters verkracht.": "none",
    "Zij voerde een terreurbewind over haar pluszonen.": "child",
    "De oplichter deed zich voor als haar zoon.": "none",
    "Zij deed aangifte van geweld binnen hun relatie.": "partner",
    "Gedaagde is de stiefvader van eiseres. Hij heeft haar misbruikt.": "child",
    "Hij werd veroordeeld wegens verkrachting binnen het huwelijk.": "partner",
    # session 23: a partner named as a companion away from the offence; the partner
    # somebody had an affair with
    "Christine zit met haar man op de bank. Later werd de schuur in brand gestoken.": "none",
    "Ze zat met haar man op de bank. Hij sloeg haar.": "partner",
    "Naar eigen zeggen was het slachtoffer vreemdgegaan met zijn vrouw.": "none",
    # session 39 (grammar 1.20.0): the victim's partner in a chain is a bystander in a
    # sentence that accuses nobody, the offender in one that does
    "De man van het slachtoffer zag de aanval vanuit het raam.": "none",
    "De vrouw van het slachtoffer heeft hem met een mes gestoken.": "partner",
    "Een vrouw is dood aangetroffen. De 70-jarige echtgenoot van het slachtoffer is "
    "aangehouden.": "partner",
    # session 40 (grammar 1.21.0-1.22.0, text rules 1.66.0-1.67.0): the repeat step, the
    # victim modifier, a relative as the agent with "een"
    "De broer van een bewoner zorgde voor onrust. De instelling heeft de broer de toegang "
    "ontzegd.": "none",
    "De echtgenoot van de vermoorde atlete werd gisteren opgepakt in Mombasa.": "partner",
    "Jarenlang werd Susanne door een familielid thuis seksueel misbruikt.": "other_family",
    # session 41 (grammar 1.23.0, text rules 1.68.0-1.70.0): an adverb between "en" and
    # the possessive, a parent-killing charge, love not returned, a watching relative
    "Bij de aanslag kwamen een 55-jarige man en ook zijn 44-jarige vriendin om het "
    "leven.": "none",
    "Hij staat terecht voor moord en oudermoord.": "parent",
    "De politie zoekt het motief in de relationele sfeer. De verdachte was verliefd op het "
    "meisje, maar die liefde werd niet beantwoord.": "none",
    "Hij schopte een voorbijganger zonder aanleiding. Zijn vriendin keek toe.": "none",
    # session 42 (grammar 1.24.0-1.25.0, text rules 1.71.0-1.74.0, default 1.35.0-1.37.0):
    # separated fighters, old possessives, a condition, relatives away, a maid
    "Hij sloeg zijn vrouw. Een buurman heeft hen gescheiden.": "partner",
    "Hij heeft zijne vrouw met een mes gestoken.": "partner",
    "Hij dreigde haar te vermoorden als zijn kind zou opgroeien bij een andere man.": "none",
    "Terwijl zijn vrouw en kinderen uit waren naar familie, bedreigde hij de dienstmeid "
    "met een mes.": "none",
    "Hij schoot per ongeluk de dienstmeid van zijn ouders dood.": "none",
    # session 43 (text rules 1.75.0-1.76.0, default 1.38.0): an agent of a killing,
    # beheading, a missed target, a relative hurt by a stranger, a genitive parent word,
    # a return to the partner, a demand to come back, "zijn broeder"
    "De moord op de 70-jarige Anna schokte het dorp. Op 3 mei werd zij om het leven "
    "gebracht door haar zoon.": "parent",
    "De moord op het meisje leidde tot protesten. Ze werd door haar vader in haar slaap "
    "onthoofd.": "child",
    "De man schoot op zijn vrouw, maar raakte iemand anders.": "none",
    "Ze was net bevallen toen haar echtgenoot door een onbekende werd vermoord.": "none",
    "Ze werd op bevel van haar vaders broer gevangengezet.": "other_family",
    "Ze keerde een jaar na het einde van hun relatie weer bij hem terug. Weken later duwde "
    "hij haar tegen een deur.": "partner",
    "Hij dreigde mijn familie iets aan te doen als ik niet bij hem terugkwam.": "ex_partner",
    "Hij versloeg zijn broeder en nam hem gevangen.": "other_family",
    # session 44 (text rules 1.77.0-1.78.0, default 1.39.0): the parties of a custody case,
    # the partner of the victim's parent, a complainant's child, a stranger as the subject,
    # a divorce because of the abuse, the family sphere, former in-laws, the narrator's
    # parents as agents, a relationship that arose
    "De moeder werd mishandeld door de vader. De rechter wijst het verzoek om omgang af.":
        "partner",
    "De man kreeg een relatie met de moeder van het slachtoffer en misbruikte het meisje "
    "twee jaar lang.": "child",
    "De psycholoog onderzocht de zoon van klager in verband met mishandeling door klager.":
        "child",
    "Een agent heeft zijn zoon bij de aanhouding geslagen.": "none",
    "Zij is wegens mishandeling door haar man van hem gescheiden.": "partner",
    "Hij zit een straf uit voor een doodslag in de familiesfeer.": "domestic_unspecified",
    "Hij werd door zijn voormalige schoonouders aangevallen.": "other_family",
    "Thuis werd ik geslagen door zowel mijn vader als mijn moeder.": "child",
    "Tussen hem en zijn collega is een relatie ontstaan. Deze relatie is geëindigd. Daarna "
    "heeft hij haar bedreigd.": "ex_partner",
    # session 46 (text rules 1.79.0-1.83.0): partner violence and its time, the Belgian
    # art. 410 formula, an age apposition, a defender, the relative of a person introduced
    # with "een", the last phase of a marriage, the arrested parent or sibling, a sibling
    # killing, a violent parent, the parents' fights, an accomplice
    "Hij werd slachtoffer van partnergeweld door zijn ex-vrouw.": "partner",
    "Een man uit Gent is veroordeeld voor partnergeweld tegen zijn ex-vrouw.": "ex_partner",
    "Ze heeft tien jaar een relatie gehad met een man die haar mishandelde.": "partner",
    "Slagen toegebracht aan X, met de omstandigheid dat de schuldige het misdrijf pleegde "
    "tegen de persoon met wie hij samenleeft of samengeleefd heeft en een duurzame "
    "affectieve en seksuele relatie heeft of gehad heeft.": "partner",
    "Een vader heeft zijn baby, een jongetje van zes maanden oud, met kracht door elkaar "
    "geschud.": "child",
    "Vijf mannen vielen haar aan, waarna haar vriend haar probeerde te verdedigen.": "none",
    "Hij kreeg cel voor slagen aan een man die zijn vrouw had aangesproken.": "none",
    "Aan het einde van hun huwelijk mishandelde hij zijn ex-vrouw.": "partner",
    "De vrouw die vanochtend is aangehouden na de dood van een jongen is de moeder van het "
    "slachtoffer.": "child",
    "De broer van het slachtoffer die daar ook woonde werd door de politie aangehouden.":
        "other_family",
    "Hij werd wegens broedermoord veroordeeld.": "other_family",
    "Hij groeide op in een gezin met een gewelddadige vader.": "child",
    "Mijn vader en moeder hadden vaak slaande ruzie.": "partner",
    "Hij verzette zich tegen de politie en zijn moeder zou hem daarbij hebben geholpen.":
        "none",
    # session 47 (text rules 1.84.0): an offender's relative clause with somebody else's
    # possessive or with the offender's own child, the arrested son in a sentence of its
    # own, co-victims of a passive offence, a partner in the car, parents who found out
    "De moeder zag de jongen die haar zoon doodstak in de rechtszaal.": "none",
    "De vrouw die haar zoon mishandelde werd aangehouden.": "child",
    "De man die is aangehouden na de vondst van een lichaam heeft de moord bekend. Hij is "
    "de zoon van het 74-jarige slachtoffer.": "parent",
    "Hij wilde zijn zus doden. De vrouw was net gehoord toen zij en haar vriend op straat "
    "werden beschoten.": "other_family",
    "De fotograaf werd bedreigd en trok zich terug in zijn auto, waarin ook zijn vriendin "
    "zat.": "none",
    "Het meisje is misbruikt door een trainer, totdat haar ouders achter het misbruik "
    "komen.": "none",
    # session 47 (text rules 1.85.0): a statistic of partner violence, the offender's
    # affair with the victim's partner, relatives "van elkaar", the victim's children's
    # father accused, a relative taken away by armed men, a death told with its year
    "Ze werd maandenlang gestalkt door haar ex-vriend, tot die haar doodstak. Elk jaar zijn "
    "150 moorden gelinkt aan partnergeweld.": "ex_partner",
    "Er ging een ruzie in de relationele sfeer vooraf aan de schietpartij: de schutter zou "
    "een relatie hebben gehad met de vrouw van het slachtoffer.": "none",
    "De verdachte en het slachtoffer van de steekpartij zijn halfzussen van elkaar.":
        "other_family",
    "De kinderen van de 84-jarige vrouw die werd doodgestoken zijn verdrietig. De verdachte "
    "is hun hoogbejaarde vader.": "partner",
    "Een getuige verklaarde dat haar man uit huis werd gehaald door gewapende mannen.":
        "none",
    "Hij zat in de gevangenis voor de moord op een vrouw. Zijn vader overleed in 2009.":
        "none",
    # session 47 (text rules 1.86.0): a relationship ended in a relative clause, its length,
    # a named person's partner speaking, armed men, the parents in a main clause
    "Ze hadden een relatie, die ze na vijf weken verbreekt. Daarna blijft hij haar nog jaren "
    "mailen.": "ex_partner",
    "Zijn ex-partner verklaarde dat hij haar sloeg tijdens hun 13 maanden durende relatie.":
        "partner",
    "Zes gewapende mannen hadden vader Obi op donderdag ontvoerd.": "none",
    "Haar vader was verslaafd aan alcohol en mishandelde haar moeder.": "partner",
    # session 48 (text rules 1.87.0-1.91.1): a time cue inside a trap, companions who
    # fled, a child of somebody named, "nu" as a modifier, a relative clause telling the
    # relative's offence, a relative's death as a motive, present-tense verbs, foster
    # parents accused, hammer blows, the victim's parent who admits, a friend of the
    # narrator's relative
    "Hij mishandelde zijn vriendin, nadat hij een relatie had gehad met de vrouw van het "
    "slachtoffer.": "partner",
    "Hij stak de jongen neer en sloeg daarna met zijn vriendin op de vlucht.": "none",
    "Die avond overleed Pieter, zoon van Maarten, aan een messteek. Die was hem toegebracht "
    "door Hans.": "none",
    "Hij wordt beschuldigd van ontucht - van 1995 tot 2001 - met zijn nu 19-jarige dochter "
    "Eva.": "child",
    "Miranda gaat in gesprek met haar tien jaar oudere neef, die haar van haar vierde tot "
    "haar dertiende misbruikte.": "other_family",
    "Hij betrapte zijn dochter met een onbekende man die haar misbruikte.": "none",
    "De man filmde het huis van de burgemeester en hoopte op een aanslag. De man raakte "
    "gefrustreerd na de gruwelijke dood van zijn stiefdochter.": "none",
    "Hij krijgt geen hulp in het huishouden en verliest zichzelf. Hij schopt zijn moeder tot "
    "twee keer toe.": "parent",
    "Donderdag staan de pleegouders Johnny van den B. en Daisy W. terecht voor zware "
    "mishandeling.": "child",
    "De onderzoeksrechter heeft een man aangehouden op verdenking van moordpoging. Door de "
    "toegebrachte hamerslagen is de toestand van zijn 62-jarige stiefvader kritiek.":
        "parent",
    "De vader van het slachtoffer gaf toe dat hij de baby eerder ook al had geschud.":
        "child",
    "Ik kende hem, hij was een jeugdvriend van mijn oom. Hij legde zijn hand op mijn "
    "bovenbeen en betastte mij.": "none",
    # session 49: a fiancé(e) from the victim's side, the widow held, a relationship told
    # as going on then, the victim's new partner beside her ex, "ex-" with a space,
    # domestic violence by somebody now called an ex
    "De verloofde van de vermoorde vrouw heeft bekend dat hij haar doodde.": "partner",
    "Hij werd vorig jaar omgebracht. Sinds december zit zijn weduwe vast.": "partner",
    "Zij werd gedood door haar ex-vriend, met wie ze toen al twee jaar een relatie had.":
        "partner",
    "De vrouw werd op straat neergeschoten. Haar ex-partner stond haar op te wachten toen ze "
    "haar nieuwe vriend opzocht.": "ex_partner",
    "Belaging van ex- vriendin gedurende een periode van een jaar.": "ex_partner",
    "Ze heeft jaren te maken gehad met huiselijk geweld. Ze vluchtte naar een opvanghuis, "
    "weg van haar ex-man.": "partner",
    # session 50: traps that veto other rules (the veto is rule data a saved pipeline must
    # keep), "bijna ex-man" and a divorce still to be pronounced, the relative defended
    "Hij werd beschuldigd van de moord op zijn ex-vrouw. Voor de moord had zij meerdere "
    "malen melding gemaakt van huiselijk geweld.": "ex_partner",
    "Na een vechtscheiding nam de vader zijn twee zoontjes mee de dood in. Ook zijn "
    "vriendin begrijpt het niet.": "child",
    "Hij bracht z'n liefdesrivaal om het leven. Hij kon niet verkroppen dat z'n vriendin "
    "een relatie was begonnen met de slagerszoon.": "none",
    "De vrouw moest naar de rechter, die de scheiding zou uitspreken. Haar bijna ex-man "
    "reed op het pand in.": "partner",
    "De rechter zag genoeg bewijs voor mishandeling, maar de man zegt dat hij zijn neef "
    "verdedigde toen die werd geslagen.": "none",
    # session 53 (text rules 1.95.0): trouble "in onze relatie" told by one of the two
    "Dit zorgde voor veel spanning in onze relatie. Toen deelde hij de eerste klap uit.":
        "partner",
    "Mijn vader sloeg me. Er waren veel ruzies in onze relatie.": "child",
    # session 55 (text rules 1.96.0): nobody's holiday is no couple's time
    "Tijdens een vakantie in Spanje raakten vier mannen slaags met een taxichauffeur.":
        "none"}


@pytest.fixture(scope="module")
def model_doors(tmp_path_factory):
    """The tagger, an in-memory spaCy pipeline and one reloaded from disk, all with the model."""
    folder = tmp_path_factory.mktemp("pipe") / "pipe"
    load("default", model="default").to_disk(folder)
    return pv.Tagger(text_model="default"), load("default", model="default"), spacy.load(folder)


def test_explain_spacy_and_reload_equal_tag_texts_with_the_model(model_doors):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    tagger, nlp, reloaded = model_doors

    def same_everywhere(text):
        row = tag_texts([text], tagger=tagger).iloc[0]
        exp = tagger.explain_text(text)
        assert exp.output["pv_label"] == row["pv_label"], text
        assert exp.output["pv_source"] == row["pv_source"], text
        assert exp.output["pv_evidence"] == row["pv_evidence"], text
        for doc in (nlp(text), reloaded(text)):
            assert (doc._.pv_label, doc._.pv_source) == (row["pv_label"], row["pv_source"]), text
            assert doc._.pv_evidence == row["pv_evidence"], text
            assert math.isclose(doc._.pv_score, row["pv_score"], rel_tol=1e-12) or (
                math.isnan(doc._.pv_score) and math.isnan(row["pv_score"])), text
        assert math.isclose(exp.output["pv_score"], row["pv_score"], rel_tol=1e-12) or (
            math.isnan(exp.output["pv_score"]) and math.isnan(row["pv_score"])), text

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
    def check(words):
        same_everywhere(" ".join(words))

    # whole sentences: every door hands the raw text (with its sentence boundaries) to the
    # one matcher, so the salience step reads the same sentences everywhere
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=5))
    def check_sentences(sentences):
        same_everywhere(" ".join(sentences))

    check()
    check_sentences()
    for text in _POSSESSOR_TEXTS:
        row = tag_texts([text], tagger=tagger).iloc[0]
        assert "possessor:" in row["pv_evidence"], text  # the step decided here
        assert tagger.explain_text(text).output["pv_evidence"] == row["pv_evidence"], text
        for doc in (nlp(text), reloaded(text)):
            assert (doc._.pv_label, doc._.pv_evidence) == (row["pv_label"], row["pv_evidence"])
    for text, label in {**_TIME_CLAUSE_TEXTS, **_SESSION8_TEXTS}.items():
        # the label is the rules' reading (these texts test rule steps); the model may
        # decide where the rules are not confident, and every door must agree on that
        assert tag_texts([text]).iloc[0]["pv_label"] == label, text
        row = tag_texts([text], tagger=tagger).iloc[0]
        assert tagger.explain_text(text).output["pv_evidence"] == row["pv_evidence"], text
        for doc in (nlp(text), reloaded(text)):
            assert (doc._.pv_label, doc._.pv_evidence) == (row["pv_label"], row["pv_evidence"])


def test_every_door_agrees_on_every_real_text_of_the_corpus(model_doors):
    """tag_texts (batch and one by one), explain, spaCy and a reloaded pipeline on real text.

    The property tests above draw from word lists; this one reads the 5,465 corpus
    passages and their qualifications, where sentence boundaries, quotes, brackets and
    unusual characters are as they come (0 differences in session 56).
    """
    from pv_identify.evaluate.corpus import load_corpus

    tagger, nlp, reloaded = model_doors
    items = load_corpus(Path(__file__).resolve().parents[1] / "data" / "real_texts")
    texts = [i["context"] for i in items] + [i["kwalificatie"] for i in items
                                             if i["kwalificatie"]]
    rows = tag_texts(pd.Series(texts), tagger=tagger)
    columns = ("pv_label", "pv_source", "pv_evidence", "pv_score")

    def same(a: object, b: object) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12)
        return a == b

    differ = []
    for name, pipe in (("spacy", nlp), ("reloaded", reloaded)):
        for k, doc in enumerate(pipe.pipe(texts)):
            got = (doc._.pv_label, doc._.pv_source, doc._.pv_evidence, doc._.pv_score)
            if not all(same(a, rows.iloc[k][c]) for a, c in zip(got, columns, strict=True)):
                differ.append((name, k))
    for k in range(0, len(texts), 5):
        out = tagger.explain_text(texts[k]).output
        if not all(same(out[c], rows.iloc[k][c]) for c in columns):
            differ.append(("explain", k))
    for k in range(0, len(texts), 50):
        one = tag_texts([texts[k]], tagger=tagger).iloc[0]
        if not all(same(one[c], rows.iloc[k][c]) for c in columns):
            differ.append(("one text", k))
    assert differ == []  # (door, text number): never the text itself
