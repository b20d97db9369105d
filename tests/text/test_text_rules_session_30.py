"""Written cases of round-2 session 30 (not corpus items). In each group the first case
fails on the versions before it, the others guard what must stay.

Grammar 1.18.0 and text rules 1.38.0: the boyfriend or girlfriend of a child or relative
is no kin in both modes (grammar rule ``grammar.dating_partner_of_relative``, a rule that
reads only the dating words "vriend" and "vriendin"; it replaces the session-29 text trap
``text.trap.partner_of_young_relative``, which register mode did not read), and a grave is
no occasion of a relative's life (word set ``relatives_occasion`` without 'graf').

Text rules 1.39.0, from batches CC, CD, CE and CF after their unseen scores: shaking a baby
is an offence ("schudde", "geschud"), and a relative hurt by an agent introduced as "een
man" or "een vrouw" was that person's victim."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- a grave is no occasion: the relative in it is often the victim ---
    ("Hij vroeg verlof om het graf van zijn vrouw te bezoeken. Hij had haar in 2019 "
     "doodgestoken.", "partner"),
    ("Waren de erfstukken van haar overgrootmoeder er nog? De dieven hadden alles "
     "meegenomen.", "none"),
    # --- the dating partner of a relative, now read by the grammar ---
    ("Hij stak de vriendin van zijn zoon neer.", "none"),
    ("Hij sloeg de man van haar halfzus.", "other_family"),
    ("Zij werd geslagen door de vriend van haar moeder.", "other_family"),
    # --- text rules 1.39.0: shaking ---
    ("Een 30-jarige man stond terecht voor opzettelijke slagen en verwondingen met "
     "blijvend letsel tot gevolg. Hij schudde zijn twee maanden oude dochtertje zo hard "
     "dat het kind nog altijd gevolgen draagt.", "child"),
    ("De verdachte schudde het hoofd toen de rechter hem vroeg naar zijn vrouw.", "partner"),
    # --- a relative hurt by an agent introduced with "een" ---
    ("In tien jaar zijn vijf jonge kinderen misbruikt door een man die zich voordeed als "
     "hun oom.", "none"),
    ("Zijn dochter werd misbruikt door een vrouw uit de buurt.", "none"),
    # the accused named before stays the agent: "door hem"
    ("Een man uit Tilburg is aangehouden. Zijn dochter werd door hem misbruikt.", "child"),
]

QUALIFICATIONS = [
    # register mode reads the dating word as text mode does (was other_family)
    ("mishandeling van de vriend van zijn zus", "none"),
    ("bedreiging van de vriendin van zijn zoon", "none"),
    ("mishandeling van de man van zijn zus", "other_family"),
    ("mishandeling van de vriend van zijn moeder", "other_family"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)
