"""Small closed word lists the support checker reads: stopwords, frame verbs, polarity groups.

Kept as data, apart from the code that uses them, so a reader can audit every list in one place.
All entries are lower-case surface words; ``text.stem`` is applied when they are loaded.
"""

from __future__ import annotations

# Function words and discourse fillers: never count as content that a passage must cover.
STOPWORDS = frozenset(
    """a about above across after again against all almost along already also although always am
    among an and another any anyone anything are around as at be became because become becomes been
    before being below between both but by can could did do does doing done down during each either
    else even ever every few for from further had has have having he her here hers herself him
    himself his how however i if in into is it its itself just least less let like made make makes
    many may me might more most much must my myself neither nor now of off often on once one only or
    other others otherwise our ours ourselves out over own per perhaps quite rather really same
    several shall she should since so some such than that the their theirs them themselves then
    there therefore these they this those though through thus to too toward towards under until up
    upon us very via was we well were what whatever when where whether which while who whom whose
    why will with within would yet you your yours yourself additionally furthermore moreover
    overall particularly especially generally typically usually including include includes
    included various certain specific example instance e.g i.e etc whereas whereby still
    able likely unlikely possible possibly potentially significant significantly important
    importantly key main new use used using based way ways known""".split()
)

# Attribution and framing words: "Politico reported that ...", "<Actor> is described as ...".
# A brief frames a source's claim with them; the source itself rarely repeats the frame, so they
# are not content that the passage must cover.
FRAME_WORDS = frozenset(
    """report reports reported reporting say says said saying state states stated describe
    describes described describing according accordance claim claims claimed note notes noted
    told tell tells add adds added explain explains explained argue argues argued write writes
    wrote written suggest suggests suggested indicate indicates indicated mention mentions
    mentioned highlight highlights highlighted emphasize emphasizes emphasized emphasise
    emphasises emphasised point points pointed characterise characterised characterize
    characterized portray portrays portrayed cite cites cited source sources""".split()
)

# Negation cues. "not only ... but" is not a negation and is skipped in ``text.negated_terms``.
# "lack" is left out: sources paraphrase it as "absence" or "shortage", which carry no cue.
NEGATIONS = frozenset(
    """not no never n't nor neither none nobody nothing nowhere without cannot cant can't won't
    don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't
    couldn't fail fails failed""".split()
)

# Polarity groups: words of one group become one canonical term (so "oppose" matches "resisting"),
# and a sentence term whose opposite group appears in the cited window, without its own group,
# is an antonym conflict ("denied" vs "confirmed", "rose" vs "fell").
POLARITY_GROUPS: dict[str, frozenset[str]] = {
    "~against": frozenset(
        """oppose opposes opposed opposing opposition opponent opponents resist resists resisted
        resisting resistance against hesitant hesitance hesitancy hesitate hesitates hesitated
        hesitating reluctant reluctance reject rejects rejected rejecting rejection object
        objected objecting objection blocked blocking veto vetoes vetoed
        skeptical sceptical skepticism scepticism wary criticise criticises criticised
        criticize criticizes criticized criticism critic critics""".split()),
    "~for": frozenset(
        """support supports supported supporting supporter supporters backs backed
        backing favor favors favored favoring favour favours favoured favouring endorse endorses
        endorsed endorsing endorsement welcome welcomes welcomed welcoming advocate advocates
        advocated advocating approve approves approved approving approval accept accepts
        accepted accepting acceptance""".split()),
    "~up": frozenset(
        """increase increases increased increasing rise rises rose risen rising grow grows grew
        grown growing growth higher climb climbs climbed climbing surge surges surged surging
        boost boosts boosted boosting expand expands expanded expanding expansion""".split()),
    "~down": frozenset(
        """decrease decreases decreased decreasing decline declines declined declining fall falls
        fell fallen falling drop drops dropped dropping lower lowered lowering reduce reduces
        reduced reducing reduction shrink shrinks shrank shrinking shrunk""".split()),
    "~affirm": frozenset(
        """confirm confirms confirmed confirming confirmation admit admits admitted admitting
        acknowledge acknowledges acknowledged acknowledging affirm affirms affirmed""".split()),
    "~deny": frozenset(
        """deny denies denied denying denial dispute disputes disputed disputing refute
        refutes refuted refuting dismiss dismisses dismissed dismissing""".split()),
    "~allow": frozenset(
        """allow allows allowed allowing permit permits permitted permitting legal legalise
        legalised legalize legalized""".split()),
    "~forbid": frozenset(
        """ban bans banned banning prohibit prohibits prohibited prohibiting forbid forbids
        forbade forbidden illegal outlaw outlawed""".split()),
}
OPPOSITES: dict[str, str] = {
    "~against": "~for", "~for": "~against", "~up": "~down", "~down": "~up",
    "~affirm": "~deny", "~deny": "~affirm", "~allow": "~forbid", "~forbid": "~allow",
}

# Number words → values. "one" is left out: "one of the causes" is rarely a count that a passage
# must repeat, and treating it as one produced false number conflicts.
NUMBER_WORDS: dict[str, float] = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "twice": 2, "double": 2, "half": 0.5,
    "triple": 3, "thousand": 1000,
}
MULTIPLIERS: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
    "billions": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3,
}

# Auxiliaries and modals: a verb group starts with one ("has formally agreed", "will not join").
AUXILIARIES = frozenset(
    """is are was were be been being am has have had having will would shall should can could may might
    must do does did 's 're 've 'd 'll""".split())

# Irregular past and participle forms → base form, so a clause's verb is recognised as one and
# compared with the cited text by its base ("won" ~ "wins", "fled" ~ "flee"). General English.
IRREGULAR_VERBS: dict[str, str] = {
    form: base for base, forms in {
        "say": "said", "tell": "told", "make": "made", "take": "took taken", "give": "gave given",
        "go": "went gone", "come": "came", "see": "saw seen", "know": "knew known", "think": "thought",
        "find": "found", "leave": "left", "keep": "kept", "hold": "held", "bring": "brought",
        "begin": "began begun", "run": "ran", "meet": "met", "pay": "paid", "send": "sent", "spend": "spent",
        "stand": "stood", "understand": "understood", "win": "won", "lose": "lost", "build": "built",
        "fall": "fell fallen", "rise": "rose risen", "grow": "grew grown", "draw": "drew drawn",
        "throw": "threw thrown", "write": "wrote written", "speak": "spoke spoken", "break": "broke broken",
        "choose": "chose chosen", "drive": "drove driven", "forget": "forgot forgotten", "get": "got gotten",
        "strike": "struck", "sweep": "swept", "sell": "sold", "fight": "fought", "buy": "bought",
        "catch": "caught", "teach": "taught", "seek": "sought", "feel": "felt", "mean": "meant",
        "hear": "heard", "lead": "led", "flee": "fled", "feed": "fed", "bind": "bound", "hang": "hung",
        "lay": "laid", "lend": "lent", "shoot": "shot", "sink": "sank sunk", "swear": "swore sworn",
        "tear": "tore torn", "wear": "wore worn", "withdraw": "withdrew withdrawn", "undertake": "undertook",
        "overtake": "overtook overtaken", "become": "became", "arise": "arose arisen", "bear": "bore borne",
        "freeze": "froze frozen", "hide": "hid hidden", "ride": "rode ridden", "shake": "shook shaken",
        "steal": "stole stolen", "wake": "woke woken", "eat": "ate eaten", "fly": "flew flown",
        "sing": "sang sung", "swim": "swam swum", "drink": "drank drunk", "ring": "rang rung", "do": "did done",
        "have": "had has", "sit": "sat", "dig": "dug", "stick": "stuck",
        "spin": "spun", "swing": "swung", "light": "lit", "slide": "slid", "quit": "quit",
    }.items() for form in forms.split()}
