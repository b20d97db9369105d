"""Written cases of round-2 session 49 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batches KZ and LA–LE after their unseen scores (text rules 1.92.0, grammar 1.26.0):

* a fiancé(e) named from the victim's side in a sentence that accuses ("De verloofde van
  de vermoorde ... heeft bekend") is the offender, as a spouse is; without an accusing
  word the phrase names one of the bereaved;
* the widow held or suspected for a killing ("zit zijn weduwe vast") was his partner;
* a relative clause that tells the relationship as going on then ("haar ex-vriend, met
  wie ze toen ... een relatie had") makes the ex-word today's name;
* throwing things at somebody ("slingerde dat naar het hoofd van haar dochter") and a
  throat cut told with its object after "door van" are offence cues;
* a couple told as in the middle of a divorce ("verkeerde in een echtscheidingsprocedure
  met ...") were partners at the offence; tying somebody up ("vastbond") is an offence
  cue;
* the victim's new partner beside her ex-partner who is the offender ("Haar ex-partner
  stond haar op te wachten toen ze haar nieuwe vriend opzocht") is the new partner of
  the ex, not the victim (a matcher change: the new-partner step also reads an ex-word
  the possessor step read back to the victim).

From the train errors:

* "ex-" written with a space ("Belaging van ex- vriendin") is an ex-partner word (text
  mode only);
* "te overreden" (to persuade) is no offence cue; run over with an auxiliary still is;
* domestic violence told of somebody now called an ex took place during the
  relationship (revises an ex-partner decision only; with a break-up before the offence,
  "Sinds haar scheiding ...", the ex-partner stays)."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- a fiancé(e) named from the victim's side ---
    ("De verloofde van de vermoorde vrouw heeft bekend dat hij haar doodde.", "partner"),
    ("De verloofde van het slachtoffer legde een verklaring af.", "none"),
    # --- the widow held for the killing ---
    ("Hij werd vorig jaar omgebracht. Sinds december zit zijn weduwe vast.", "partner"),
    ("Hij werd vorig jaar omgebracht. Zijn weduwe vertelde over de rechtszaak.", "none"),
    # --- the relationship told as going on then ---
    ("Zij werd gedood door haar ex-vriend, met wie ze toen al twee jaar een relatie had.",
     "partner"),
    ("Zij werd gedood door haar ex-vriend.", "ex_partner"),
    # --- throwing at somebody, a throat cut ---
    ("Ze greep alles wat ze vond en slingerde dat naar het hoofd van haar dochter.", "child"),
    ("Zij wil scheiden van haar man. Zij sneed vorig jaar de keel door van haar twee "
     "dochters.", "child"),
    # --- a couple in the middle of a divorce, tying up ---
    ("Anna verkeerde in een echtscheidingsprocedure met Peter. Hij kneep haar keel dicht.",
     "partner"),
    ("Anna verkeerde in een echtscheidingsprocedure. De buurman kneep haar keel dicht.",
     "none"),
    ("Het stel uit Leek dat vorig jaar hun 17-jarige zoon 26 uur lang vastbond op een stoel, "
     "staat terecht. De jongen zou ook zijn mishandeld.", "child"),
    # --- the victim's new partner beside her ex who is the offender ---
    ("De vrouw werd op straat neergeschoten. Haar ex-partner stond haar op te wachten toen "
     "ze haar nieuwe vriend opzocht.", "ex_partner"),
    ("Hij sloeg zijn nieuwe vriendin nadat zijn ex-vrouw had gebeld.", "partner"),
    # --- "ex-" with a space ---
    ("Belaging van ex- vriendin gedurende een periode van een jaar.", "ex_partner"),
    # --- "te overreden" ---
    ("Hij sleurt zijn vrouw naar binnen. Deze keer lukte het de wijkagent J. te overreden.",
     "partner"),
    ("Hij heeft de buurman met zijn auto overreden.", "none"),
    # --- domestic violence by somebody now called an ex ---
    ("Ze heeft jaren te maken gehad met huiselijk geweld. Ze vluchtte naar een opvanghuis, "
     "weg van haar ex-man.", "partner"),
    ("Sinds haar scheiding wordt ze lastiggevallen door haar ex-man. Ze spreekt van "
     "huiselijk geweld.", "ex_partner"),
]

# register mode: the text-only rules leave a qualification as it was
REGISTER = [
    ("belaging van ex- vriendin", "none"),
    ("mishandeling van zijn verloofde", "partner"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
