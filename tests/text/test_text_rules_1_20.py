"""Text rules 1.20.0 (round 2, session 21): the accused named as the victim's relative
decides wherever the offence is told, "door haar vriendje" as the agent of an offence,
and the modifiers slapende, getrouwde, toevallige and willekeurige. Written cases (not
corpus items); the first case of each test fails on text rules 1.19.0, the others guard
what must stay."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, label", [
    # the apposition names the accused as the victim's aunt, far from the offence told
    # first (train web-X051); "slachtoffertje" is a victim word there
    ("Een stel is veroordeeld voor het ernstig mishandelen van een 4-jarig meisje. Het kind "
     "woonde al een jaar bij hen. De verdachte (de tante van het slachtoffertje) ontkende "
     "alles.", "other_family"),
    # next to the offence it decided before and still does
    ("De verdachte, de oom van het slachtoffer, heeft hem neergestoken.", "other_family"),
    # relatives of the accused without a tie still need the offence next to them: here
    # they are the audience, the neighbour is the victim
    ("Hij heeft zijn buurman neergestoken. In de zaal zaten veel familieleden van de "
     "verdachte.", "none"),
])
def test_accused_named_as_the_victims_relative(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    # the diminutive as the agent of an offence names the boyfriend (train web-X028)
    ("Ze was zestien toen ze werd doodgestoken door haar vriendje.", "partner"),
    # elsewhere "haar vriendje" may be a playmate: no partner term on its own
    ("Het meisje ging met haar vriendje naar de speeltuin.", "none"),
])
def test_diminutive_boyfriend_as_agent(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label


@pytest.mark.parametrize("text, label", [
    # a state of the victim between the possessive and the noun (train web-X034)
    ("Hij heeft 's nachts zijn slapende vrouw met een kussen verstikt.", "partner"),
    # a recent marriage: the victim is his sister, not her husband (train web-X064)
    ("Op het station schoot hij zijn pas getrouwde zus dood.", "other_family"),
    # a chance victim next to the offence; the partner named later is her own (train
    # web-X019)
    ("Een vrouw stak in het station een toevallige voorbijganger met een mes. Ze had hier "
     "haar partner leren kennen, maar de relatie liep spaak.", "none"),
])
def test_modifiers_of_session_21(tag_one, text, label):
    assert tag_one(text)["pv_label"] == label
