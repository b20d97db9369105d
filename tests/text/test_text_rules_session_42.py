"""Written cases of round-2 session 42 (not corpus items). In each group the first case
fails on the rules before its version; the others guard what must stay.

From batches HT, HU, HW and HX after their unseen scores:

* default preset 1.35.0: a possessive before the plural "baby's" names the offender's
  children ("haar baby's"), in both modes;
* text rules 1.71.0: somebody who "separated" two fighters ("heeft hen gescheiden")
  ended a fight, not a relationship; leaving told as a possibility the offender wanted
  to prevent ("als ze hem zou verlaten") dates the offence inside the relationship; a
  relative helped with a name between ("schoot zijn broer Klaas te hulp") is a
  companion, as is a couple told as friends of somebody ("bevriend met de verdachte en
  zijn vriendin"); sisters or brothers counted as diminutives ("twee zusjes") are a kin
  pair; a relative hurt by men or youths counted, not named ("door twee volwassen
  mannen"), was their victim.

From batches HZ, IB and IC after their unseen scores:

* grammar 1.24.0: the old article "den" is a determiner ("het dochtertje van den heer
  Jansen" is a stranger's daughter);
* default preset 1.36.0: old spellings of the possessives ("zijne vrouw") read as the
  modern ones, in both modes;
* text rules 1.72.0: "die hem sedert een paar weken had verlaten" ends the relationship
  (time adverbials only between); married for years ("was tien jaar getrouwd") dates
  the offence inside the relationship, and a break-up that dates the telling ("Na hun
  scheiding vertelde ze dat ...") is no ended cue.

From batches IE and IF after their unseen scores:

* text rules 1.73.0: two people named with their ages, or two bare names, who "hadden
  een relatie" or "begonnen een relatie" are the couple; relationship problems in
  subordinate word order ("toen ze relatieproblemen hadden") date the offence inside
  the relationship; a relative as the subject of a condition ("als zijn kind zou
  opgroeien bij een andere man") is no victim.

From batches IJ and IK after their unseen scores:

* grammar 1.25.0 (default preset 1.37.0): household staff are strangers, so "de
  dienstmeid van zijn ouders" is the parents' maid, in both modes;
* text rules 1.74.0: relatives told as away while the offence happened ("terwijl zijn
  vrouw en kinderen uit waren") are not its victims."""

from __future__ import annotations

from written_cases import case_tests

TEXTS = [
    # --- the plural of "baby" after a possessive ---
    ("Zij staat terecht voor het doden van haar twee baby's.", "child"),
    ("Zij staat terecht voor het doden van haar baby.", "child"),
    # --- separating two fighters ---
    ("Hij sloeg zijn vrouw. Een buurman heeft hen gescheiden.", "partner"),
    ("Hij sloeg zijn ex-vrouw nadat ze waren gescheiden.", "ex_partner"),
    ("Hij bedreigde zijn vrouw. Ze zijn beiden gescheiden.", "ex_partner"),
    # --- leaving told as a possibility ---
    ("Ze werd jaren geslagen door haar ex. Hij dreigde haar te doden als ze hem zou "
     "verlaten.", "partner"),
    ("Ze werd bedreigd door haar ex nadat ze hem had verlaten.", "ex_partner"),
    # --- a relative helped, a name between ---
    ("Een man sloeg een voorbijganger. Pieter schoot zijn broer Klaas te hulp en stak de "
     "man neer.", "none"),
    ("Hij stak zijn broer Klaas neer.", "other_family"),
    # --- a couple told as friends of somebody ---
    ("Hij misbruikte een meisje van 8. Haar ouders waren bevriend met de verdachte en zijn "
     "vriendin.", "none"),
    ("Hij misbruikte een meisje van 8. Hij sloeg ook zijn vriendin.", "partner"),
    # --- sisters counted as diminutives ---
    ("Hij wordt verdacht van het misbruiken van twee zusjes van 5 en 8 jaar.", "none"),
    ("Hij sloeg zijn twee zusjes.", "other_family"),
    # --- a relative hurt by men counted, not named ---
    ("De vrouw deed aangifte van mishandeling van haar dochter door twee volwassen "
     "mannen.", "none"),
    ("Hij wordt verdacht van mishandeling van zijn dochter.", "child"),
    # --- the old article "den" ---
    ("Toen het 13-jarig dochtertje van den heer Jansen het plantsoen voorbijliep, "
     "ontmoette zij daar een man. Die man stak haar.", "none"),
    ("Toen zijn dochtertje het park voorbijliep, stak hij haar neer.", "child"),
    # --- old spellings of the possessives ---
    ("Hij heeft zijne vrouw met een mes gestoken.", "partner"),
    ("Hij heeft zijn vrouw met een mes gestoken.", "partner"),
    # --- left him, a time adverbial between ---
    ("Hij doodde zijn vrouw, die hem sedert een paar weken had verlaten.", "ex_partner"),
    ("Hij sloeg zijn vrouw nadat haar dochter het huis had verlaten.", "partner"),
    # --- married for years; the break-up dates the telling ---
    ("Ze was tien jaar getrouwd met Peter. Na hun scheiding vertelde ze dat haar ex-man "
     "haar had geslagen.", "partner"),
    ("Na hun scheiding bedreigde haar ex-man haar.", "ex_partner"),
    # --- two people told as a couple ---
    ("De 30-jarige Tom en de 28-jarige Lisa hadden een jaar een relatie. In die periode "
     "werd zij vaak mishandeld.", "partner"),
    ("De 30-jarige Tom en de 28-jarige Lisa werden in die periode vaak mishandeld.",
     "none"),
    # --- relationship problems, subordinate word order ---
    ("Hij bedreigde zijn ex met de dood. Dat gebeurde in 2017, toen ze "
     "relatieproblemen hadden.", "partner"),
    ("Hij bedreigde zijn ex met de dood. Dat gebeurde in 2017, na hun breuk.",
     "ex_partner"),
    # --- a relative in a condition ---
    ("Hij dreigde haar te vermoorden als zijn kind zou opgroeien bij een andere man.",
     "none"),
    ("Hij dreigde zijn kind te vermoorden.", "child"),
    # --- household staff of a relative ---
    ("Hij schoot per ongeluk de dienstmeid van zijn ouders dood.", "none"),
    ("Hij schoot per ongeluk zijn ouders dood.", "parent"),
    # --- relatives told as away ---
    ("Terwijl zijn vrouw en kinderen uit waren naar familie, bedreigde hij de dienstmeid "
     "met een mes.", "none"),
    ("Hij sloeg zijn vrouw terwijl de kinderen weg waren.", "partner"),
]

REGISTER = [
    ("doodslag op haar baby's", "child"),
    ("doodslag op haar baby", "child"),
    ("mishandeling van zijne echtgenoote", "partner"),
    ("mishandeling van zijn echtgenote", "partner"),
    ("doodslag op de dienstmeid van zijn ouders", "none"),
    ("doodslag op zijn ouders", "parent"),
]

test_text_mode, test_register_mode = case_tests(TEXTS, REGISTER)
