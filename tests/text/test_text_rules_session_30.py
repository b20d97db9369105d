"""Written cases of round-2 session 30 (not corpus items). In each group the first case
fails on the versions before it, the others guard what must stay.

Grammar 1.18.0 and text rules 1.38.0: the boyfriend or girlfriend of a child or relative
is no kin in both modes (grammar rule ``grammar.dating_partner_of_relative``, a rule that
reads only the dating words "vriend" and "vriendin"; it replaces the session-29 text trap
``text.trap.partner_of_young_relative``, which register mode did not read), and a grave is
no occasion of a relative's life (word set ``relatives_occasion`` without 'graf').

Text rules 1.39.0, from batches CC, CD, CE and CF after their unseen scores: shaking a baby
is an offence ("schudde", "geschud"), and a relative hurt by an agent introduced as "een
man" or "een vrouw" was that person's victim.

Grammar 1.19.0 and text rules 1.40.0, from batch CI after its unseen score: civil claims for
the offence: "gedaagde" is the offender of the grammar, the claimant named as the
defendant's relative and damages claimed from relatives keep the family reading.

Text rules 1.41.0, from batch CG after its unseen score: the arrested person named with "het
gaat om" as the parent of the children who died, and a bare kin word before a name as the
speaker of a quote ("zegt dochter Chantal").

Text rules 1.42.0, from batch CJ after its unseen score: both parents of a young person who
died, charged or arrested ("in verdenking gesteld")."""

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
    # --- civil claims (grammar 1.19.0, text rules 1.40.0) ---
    ("Eiseres, nu 30 jaar oud, is een kleindochter van gedaagde. Jaren later deed zij bij "
     "de politie aangifte van seksueel misbruik door gedaagde in haar jeugd.",
     "other_family"),
    ("Een vrouw vordert schadevergoeding van haar ooms op de grond dat zij haar tussen 1980 "
     "en 1988 herhaaldelijk seksueel hebben misbruikt.", "other_family"),
    ("Eiseres is een buurvrouw van gedaagde. Zij deed aangifte van mishandeling.", "none"),
    ("Een vrouw vordert schadevergoeding van haar werkgever omdat hij haar heeft "
     "lastiggevallen.", "none"),
    # --- text rules 1.41.0: the arrested parent of the children ---
    ("De onderzoeksrechter heeft een man aangehouden voor de brandstichting in een woning. "
     "Het gaat om de ex-partner van de bewoonster en papa van de twee kindjes die bij de "
     "brand om het leven kwamen.", "child"),
    # without an arrest before, "het gaat om" may name a victim: the grammar decides
    ("Bij de brand kwamen twee kinderen om het leven. Het gaat om de vader van de twee "
     "kindjes, zegt de burgemeester.", "child"),
    # --- a bare kin word before a name speaks ---
    ("“Sinds de overval is ze niet meer dezelfde”, zegt dochter Anja.", "none"),
    ("“Ik ben mijn moeder kwijt”, zei zoon Peter. Hij werd veroordeeld voor de moord op "
     "zijn moeder.", "parent"),
    # --- text rules 1.42.0: the parents charged ---
    ("De ouders van een zeventienjarige jongen die zondag in Gent werd doodgestoken, zijn "
     "maandag in verdenking gesteld voor de messteken.", "child"),
    ("De ouders van een jongen die zondag werd doodgestoken, zijn maandag aangehouden.",
     "child"),
    ("De ouders van het meisje die gisteren werd neergestoken, zijn diep geschokt. De "
     "dader is een buurman.", "none"),
]

QUALIFICATIONS = [
    # register mode reads the dating word as text mode does (was other_family)
    ("mishandeling van de vriend van zijn zus", "none"),
    ("bedreiging van de vriendin van zijn zoon", "none"),
    ("mishandeling van de man van zijn zus", "other_family"),
    ("mishandeling van de vriend van zijn moeder", "other_family"),
    # the defendant of a civil claim is the offender of the grammar
    ("mishandeling van een kleindochter van gedaagde", "other_family"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)
