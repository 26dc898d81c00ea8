"""General English vocabulary of stance, speech and reasons, as lemmas.

These are the ordinary reporting and evaluation verbs of English (any style guide's list of "said"
alternatives, and the verbs of approval and disapproval), not phrases from any corpus: a word is
here because it carries the same stance in a court report, a product recall or a trade dispute.
Polarity: +1 for, -1 against, 0 hesitant (neither for nor against yet).
"""

from __future__ import annotations

import re

# Verbs whose subject takes a position toward their object.
STANCE_VERBS: dict[str, int] = {
    **dict.fromkeys("""support back endorse defend welcome praise applaud hail favour favor champion advocate
        approve embrace accept sponsor order impose issue launch introduce adopt implement enact promote propose urge demand seek want push press lobby
        ratify justify commend celebrate laud uphold affirm reaffirm recommend""".split(), 1),
    **dict.fromkeys("""oppose criticise criticize condemn reject resist block veto object denounce attack slam blast
        decry deplore protest dispute deny dismiss refuse rebuff rebut refute contest challenge fault blame
        bar ban stall obstruct thwart scrap overturn undermine derail sue accuse question doubt dissent
        lament disparage ridicule mock scorn slam fight disapprove""".split(), -1),
    **dict.fromkeys("""hesitate caution delay postpone waver hedge""".split(), 0),
}
# Phrasal and prepositional forms: (verb lemma, particle/preposition) → polarity.
STANCE_PHRASES: dict[tuple[str, str], int] = {
    ("call", "for"): 1, ("push", "for"): 1, ("argue", "for"): 1, ("vote", "for"): 1, ("stand", "by"): 1,
    ("side", "with"): 1, ("speak", "for"): 1, ("come", "out"): 0, ("hold", "back"): 0, ("hold", "off"): 0,
    ("wait", "for"): 0, ("ask", "for"): 1, ("plead", "for"): 1, ("appeal", "for"): 1,
    ("argue", "against"): -1, ("vote", "against"): -1, ("warn", "against"): -1, ("speak", "against"): -1,
    ("campaign", "against"): -1, ("campaign", "for"): 1, ("rule", "out"): -1, ("push", "back"): -1, ("lash", "out"): -1,
    ("fight", "against"): -1, ("fight", "for"): 1, ("stand", "against"): -1, ("come", "against"): -1,
    ("agree", "with"): 1, ("disagree", "with"): -1, ("believe", "in"): 1,
}
# Adjectives (and participles) predicated of a holder: "X is opposed to", "critical of", "wary of".
STANCE_ADJECTIVES: dict[str, int] = {
    **dict.fromkeys("""supportive favourable favorable keen eager enthusiastic open receptive sympathetic
        optimistic hopeful confident bullish positive""".split(), 1),
    **dict.fromkeys("""opposed hostile critical against adamant unwilling dismissive pessimistic bearish negative
        sceptical skeptical""".split(), -1),
    **dict.fromkeys("""hesitant cautious reluctant wary uneasy ambivalent undecided noncommittal guarded
        lukewarm divided uncertain concerned worried""".split(), 0),
}
# Adjectives and participles of pleasure and displeasure: a stance only with what they are about ("excited to have
# her join", "honoured to join", "disappointed by the ruling", "pleased with the deal"; not "fans were excited").
EMOTION_ADJECTIVES: dict[str, int] = {
    **dict.fromkeys("""pleased delighted thrilled excited honoured honored proud glad happy grateful""".split(), 1),
    **dict.fromkeys("""disappointed dismayed saddened upset angry angered frustrated unhappy outraged appalled
        furious""".split(), -1),
}
EMOTION_PREPOSITIONS = frozenset("with about by at over".split())
# Nouns that state a stance when the holder "has/voices/expresses" them, or as "X's opposition to".
STANCE_NOUNS: dict[str, int] = {
    **dict.fromkeys("support backing endorsement approval praise".split(), 1),
    **dict.fromkeys("""opposition objection criticism condemnation rejection resistance veto protest
        scepticism skepticism dissent""".split(), -1),
    **dict.fromkeys("reservation concern caution hesitation hesitancy reluctance doubt misgiving".split(), 0),
}
# Verbs that report speech or thought: their subject is the speaker of the clause they govern.
SPEECH_VERBS = frozenset("""say tell argue claim insist warn state add note write explain stress emphasise emphasize
    contend maintain assert declare announce acknowledge admit concede suggest believe think predict
    expect hope fear worry complain allege accuse charge deny reply respond answer counter retort observe
    remark point testify tweet post report reiterate repeat confirm comment caution urge conclude
    estimate describe call cite highlight underline underscore""".split())


def verb_forms(verb: str) -> set[str]:
    """A verb's inflected forms, by the regular rules ("oppose" → opposes, opposed, opposing)."""
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", stem + "ed", stem + "ing", verb + "es"}
    if verb.endswith("y") and len(verb) > 3 and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return forms


# Verbs whose complement clause is wished, feared, allowed or reported, not done ("would allow leaders to claim
# victory", "wants the board to approve").
NOT_DONE = SPEECH_VERBS | frozenset("""want wish ask urge demand expect plan intend seek try push press call
    propose consider order tell allow let help""".split())
# Modal auxiliaries: what they govern is possible, wanted or required, not stated as done.
MODAL_WORDS = frozenset({"should", "must", "ought", "could", "would", "might", "may", "can"})
# Sanctions: backing one against someone is a stand against them ("wants Rudolph to be disciplined",
# "called for the minister to be sacked"); opposing it is a stand for them. Words that more often mean
# something else in news ("charge" a fee, "fire" a blaze, "bar" a place) are left out.
SANCTION_VERBS = frozenset("""punish discipline fine suspend ban sack dismiss oust jail imprison arrest
    prosecute indict sanction penalise penalize expel remove impeach convict sentence censure
    reprimand investigate probe sue boycott""".split())
# Words that reject a claim: a statement "X is false" by a holder opposes the claim it is about.
DENIAL_WORDS = frozenset("""false untrue baseless groundless unfounded absurd ridiculous nonsense fabricated
    fabrication lie lies misleading inaccurate wrong fake propaganda preposterous""".split())


def calls_false(tok) -> bool:
    """The word calls something false: "baseless", "a lie" — not the verb "lie" ("I'm not gonna lie", "the
    answer lies in …")."""
    return tok.lower_ in DENIAL_WORDS and not (tok.lemma_.lower() == "lie" and tok.pos_ != "NOUN")


DENIAL_VERBS = frozenset("deny dismiss reject refute rebut debunk contradict disprove".split())
# Markers that introduce a reason: subordinators, prepositions and participles of saying.
REASON_MARKERS = frozenset("""because since as citing cite over amid given due for arguing saying noting
    warning insisting explaining so""".split())
REASON_PREPOSITIONS = frozenset({"over", "because", "citing", "amid", "given", "due", "for"})
REASON_NOUNS = frozenset("""reason concern fear worry risk threat danger cost burden ground grounds basis
    argument""".split())
# Determiners and pronouns that refer back instead of naming.
ANAPHORS = frozenset("he she they him her them his hers their theirs it its we our us i me my".split())
PERSON_PRONOUNS = frozenset("he she him her his hers".split())
GROUP_PRONOUNS = frozenset("they them their theirs".split())
# Titles that may precede a name ("Gov. Eric Holcomb", "Cmdr. Sean Robertson").
TITLE_WORDS = frozenset("""mr mrs ms dr prof sen rep gov lt col gen adm cmdr capt sgt maj pres president
    premier governor senator representative chancellor minister secretary judge justice mayor chief
    ambassador commissioner director chairman chairwoman chair spokesman spokeswoman spokesperson
    superintendent speaker attorney lawyer professor analyst economist king queen prince pope sheikh
    general admiral commander ceo cfo coo cto founder cofounder co-founder""".split())

# Connectives and verbs of cause in ordinary English ("due to", "blamed … for", "the main source of"):
# what a why-question's answer says and what makes a statement an explanation.
CAUSAL_RE = re.compile(
    r"\b(because|due to|caus(e|es|ed|ing)|blam\w*|result(s|ed)? (of|from)|as a result|responsible for|"
    r"contribut\w*|lead(s|ing)? to|led to|driven by|owing to|thanks to|trigger\w*|stem(s|med)? from|"
    r"traced? (back )?to|sources? of|factors?|reasons? (for|why|is|was)|the reason|explain\w*|"
    r"attribut\w* to|fuel(s|led|ed)?|behind the)\b", re.I)

# Verbs of a change in amount, each way: a report of "shares plunged" answers "why did shares drop?", and a
# quantity that moves "on" something moves because of it. The ordinary English verbs of rising and falling,
# the same in markets, science and sport.
RISING = frozenset("""rise increase grow climb jump surge soar gain raise boost rally spike swell""".split())
FALLING = frozenset("""fall drop decline plunge slide sink tumble slump lower cut reduce dip shrink slip sag fell
    plummet crash retreat""".split())


def singular(word: str) -> str:
    """A plural noun's singular by the regular English endings ("authorities", "witnesses", "spokesmen",
    "traders"); other words unchanged ("press", "news" keep their last letter only when it is "ss")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("men"):
        return word[:-3] + "man"
    return word.removesuffix("s") if not word.endswith("ss") else word


# The actor kind of each entity label the analysis reads.
ENTITY_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "country", "NORP": "group"}
# The last word of an organisation's name in ordinary English ("Mark Dalton Productions", "Harlow Holdings", "Acme
# Corp."): a name the recogniser labels a person but that ends in one of these is a company or a body.
ORG_NAME_ENDINGS = frozenset("""productions holdings group inc inc. corp corp. corporation company co co. ltd ltd. llc
    plc records entertainment media studios partners capital associates enterprises industries technologies labs
    pharmaceuticals airlines airways motors bank foundation institute association agency commission council
    committee ministry department authority board fund network systems university college""".split())


def kind_of_entity(text: str, label: str) -> str:
    """The actor kind of a named entity: "person", "organisation", "country" or "group" by its label, a
    "person" whose name ends in an organisation's word being an organisation."""
    kind = ENTITY_KINDS[label]
    words = text.split()
    if kind == "person" and len(words) >= 2 and words[-1].lower().rstrip(",") in ORG_NAME_ENDINGS:
        return "organisation"
    return kind
