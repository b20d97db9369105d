"""Written cases of round-2 session 46 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From the train errors of the time cues:

* text rules 1.79.0: violence named as partner violence ("partnergeweld") took place
  within the relationship, so an ex-partner word alone does not make it ex-partner
  violence (a break-up told in the text still dates the offence); a relationship told as over
  whose partner is described by the abuse ("een relatie gehad met een man die haar
  sloeg") dates the abuse inside it; the Belgian aggravating circumstance "met wie hij
  samenleeft of samengeleefd heeft ... een relatie heeft of gehad heeft" tells no
  break-up.

From batch JN after its unseen score:

* text rules 1.80.0: the offender's child with an apposition that gives the age ("zijn
  baby, een jongetje van zes maanden oud") is one child, next to the offence told after
  the apposition.

From batches JO, JP and JQ after their unseen scores:

* text rules 1.81.0: a relative who tried to defend the victim (the subject, with an
  object pronoun) is neither victim nor offender; the relative of a person introduced
  with "een" as the object of the offence is that person's; "aan het einde van hun
  huwelijk" is still inside the marriage, "na het einde van" after it.

From batches JR, JS, JT and JU after their unseen scores:

* text rules 1.82.0: the person arrested told to be the victim's mother, and the
  victim's brother arrested after a relative clause, are the offenders; "broedermoord"
  is the killing of a sibling; growing up with a violent father is being his victim;
  "mijn vader en moeder hadden slaande ruzie" is violence between the parents; a
  relative who helped the offender is an accomplice."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- violence named as partner violence ---
    ("Hij werd slachtoffer van partnergeweld door zijn ex-vrouw.", "partner"),
    ("De man werd veroordeeld voor het slaan van zijn ex-vrouw.", "ex_partner"),
    ("Hij wilde haar doden, want de vrouw maakte een jaar eerder een einde aan haar relatie "
     "met de man, nadat ze slachtoffer was geworden van partnergeweld.", "ex_partner"),
    # --- the partner of a relationship told as over, described by the abuse ---
    ("Ze heeft tien jaar een relatie gehad met een man die haar mishandelde.", "partner"),
    ("Ze heeft tien jaar een relatie gehad met een man. Daarna bedreigde hij haar.",
     "ex_partner"),
    # --- the Belgian aggravating circumstance ---
    ("Slagen toegebracht aan X, met de omstandigheid dat de schuldige het misdrijf pleegde "
     "tegen de persoon met wie hij samenleeft of samengeleefd heeft en een duurzame "
     "affectieve en seksuele relatie heeft of gehad heeft.", "partner"),
    ("Hij sloeg de vrouw met wie hij had samengeleefd.", "ex_partner"),
    # --- the offender's child with an apposition that gives the age ---
    ("Een vader heeft zijn baby, een jongetje van zes maanden oud, met kracht door elkaar "
     "geschud.", "child"),
    ("Een vader heeft zijn baby geschud.", "child"),
    ("Een man heeft een jongetje van zes maanden oud met kracht door elkaar geschud.", "none"),
    # --- a relative who defended the victim ---
    ("Vijf mannen vielen haar aan, waarna haar vriend haar probeerde te verdedigen.", "none"),
    ("Hij doodde zijn zoon toen die zijn moeder probeerde te beschermen.", "child"),
    # --- the relative of a person introduced with "een" ---
    ("Hij kreeg cel voor slagen aan een man die zijn vrouw had aangesproken.", "none"),
    ("Hij kreeg cel voor slagen aan zijn vrouw.", "partner"),
    # --- the last phase of a marriage ---
    ("Aan het einde van hun huwelijk mishandelde hij zijn ex-vrouw.", "partner"),
    ("Na het einde van hun huwelijk bedreigde hij zijn vrouw.", "ex_partner"),
    # --- the person arrested is the victim's parent or sibling ---
    ("De vrouw die vanochtend is aangehouden na de dood van een jongen is de moeder van "
     "het slachtoffer.", "child"),
    ("De vrouw die vanochtend is aangehouden na de dood van een jongen is de buurvrouw van "
     "het slachtoffer.", "none"),
    ("De broer van het slachtoffer die daar ook woonde werd door de politie aangehouden.",
     "other_family"),
    # --- the killing of a sibling in one word ---
    ("Hij werd wegens broedermoord veroordeeld.", "other_family"),
    # --- a violent parent told ---
    ("Hij groeide op in een gezin met een gewelddadige vader.", "child"),
    # --- the narrator's parents fighting ---
    ("Mijn vader en moeder hadden vaak slaande ruzie.", "partner"),
    ("Mijn vader en moeder kwamen vaak op bezoek.", "parent"),
    # --- a relative who helped the offender ---
    ("Hij verzette zich tegen de politie en zijn moeder zou hem daarbij hebben geholpen.",
     "none"),
]

# register mode reads no time cues: a qualification keeps its ex-partner word
REGISTER = [
    ("mishandeling van zijn ex-vrouw", "ex_partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
