"""Question analysis: recognise the question's shape and derive facets (sub-questions). Pure."""

from __future__ import annotations

import re

from ..store.fts import STOPWORDS, query_terms
from .gazetteer import find_mentions
from .model import ITEM_FACET, Facet, Plan, Shape
from ..analysis.vocab import STANCE_ADJECTIVES, STANCE_VERBS, verb_forms
from .lexicon import REASON_CUES, STANCE_CUES

# Words that say what kind of answer is wanted rather than what it is about.
_FRAME_WORDS = frozenset(
    """which who whom whose what why how when where whether cite cites cited citing concern concerns concerned
    reason reasons give gives given say says said state stated stating argue argues argument arguments
    explain explains oppose opposes opposed opposing opposition hesitant hesitate hesitancy hesitation
    support supports supported supporting against favour favor respond responded response react reacted
    reaction happen happened happening main key major mostly really actually compare compared comparison differ
    difference differences versus vs""".split())
# the word after "how" that asks for a measure ("how long", "how often")
_MEASURE_WORDS = frozenset("long far often old soon much many big large high tall fast".split())
_ACTOR_CLASS = frozenset(
    """countries country states nations members allies governments leaders officials parties
    capitals companies firms groups organisations organizations people politicians lawmakers analysts experts
    scientists researchers economists investors critics unions courts judges senators regulators agencies
    brokerages banks candidates players clubs teams ministers""".split())


# Where a question of several parts divides: at a question mark, or at a comma before a new wh-word
# ("…, and who backed or objected to it?", "Should X be punished? Who argues which way?").
_PARTS = re.compile(r"\?\s*|,\s*(?:and\s+|or\s+)?(?=(?:which|who|whom|what|how|why|where|when)\b)")
# "which reviewers are positive": a plural noun of people that the class list lacks, with a stance word
_PEOPLE_PLURAL = re.compile(r"(which|who|whom|what)\b.{0,40}\b\w{3,}(?:ers|ors|ists|ians|ants|ents)\b")


def _shape(question: str) -> Shape:
    """The question's shape: that of its first part, unless that part only sets up, asks yes or no or asks
    "who" and a later part asks who takes which position ("Do the reviews recommend it? Which reviewers are
    positive …")."""
    parts = [p.strip() for p in _PARTS.split(question.strip().lower()) if p.strip()]
    first = _part_shape(parts[0]) if parts else Shape.GENERAL
    # (… or a "who" of its own: "Who says the plumes are real, who urges caution?" asks for both sides)
    opening = first in (Shape.YES_NO, Shape.GENERAL) or (first == Shape.FACTOID and parts[0].startswith("who "))
    if opening and any(_part_shape(p) == Shape.ACTORS for p in parts[1:]):
        return Shape.ACTORS
    return first


# what people asked about by their class say or do that is a position: "which analysts expect …", "which senators
# voted …" ("which players scored …" asks who did something, not who holds which position)
_VOICE = re.compile(r"\b(?:" + "|".join(f for v in """say think believe expect argue claim warn predict call vote view
    react respond stand conclude see""".split() for f in verb_forms(v))
                    + r"|said|thought|saw|why)\b")


# a stance word written out, any of its forms (a stem would match other words: "scor" of "scorn" matches "scored",
# "pres" of "press" matches "president")
# ("against" only after a verb of being: "which countries are against it", not "scored against Buffalo")
_STANCE_WORDS = ({f for v in STANCE_VERBS for f in verb_forms(v)} | set(STANCE_ADJECTIVES) | set(STANCE_CUES)) \
    - {"against"}
_STANCE_FORM = re.compile(r"\b(?:" + "|".join(sorted(_STANCE_WORDS, key=len, reverse=True))
                          + r"|(?:is|are|was|were|be|been|stand|stands|stood)\s+against)\b")


def _part_shape(q: str) -> Shape:
    if re.match(r"(which|who|whom|what)\b.{0,60}\b(" + "|".join(_ACTOR_CLASS) + r")\b", q) and (
            _STANCE_FORM.search(q) or _VOICE.search(q)):
        return Shape.ACTORS
    if _PEOPLE_PLURAL.match(q) and (_STANCE_FORM.search(q) or _VOICE.search(q)):
        return Shape.ACTORS
    if _POSITION_QUESTION.match(q) or re.search(r",\s*" + _POSITION_QUESTION.pattern, q):
        return Shape.ACTORS  # "who opposes …", "where do the parties stand on …": positions, not one name
    if _FACTOID.match(q):
        return Shape.FACTOID
    if re.search(r"\b(compare|comparison|versus|vs\.?|difference between|differ)\b", q):
        return Shape.COMPARISON
    if re.match(r"why\b", q) or re.search(r"\b(reasons? (for|behind)|what caused|what led to)\b", q):
        return Shape.WHY
    if re.match(r"how (did|does|do|has|have|will|would) .{1,80}\b(respond|react|reply|answer|handle)", q):
        return Shape.RESPONSE
    if re.search(r"\bwhat (happened|occurred|took place|went wrong)\b", q) or re.match(r"what (did|was|were)\b", q):
        return Shape.WHAT_HAPPENED
    if re.match(r"(is|are|was|were|do|does|did|can|could|will|would|should|has|have|had)\b", q):
        return Shape.YES_NO
    return Shape.GENERAL


# Stems of the general stance vocabulary ("defends", "criticises", "welcomed", "questions" …).
_STANCE_STEMS = tuple(sorted({w[:max(4, len(w) - 2)] for w in (*STANCE_VERBS, *STANCE_ADJECTIVES) if len(w) > 3}))
# "who/where" asking for positions: a stance word among the first few words ("who is backing …").
_POSITION_QUESTION = re.compile(r"(who|whom|where)\b(?:\W+\w+){0,3}?\W+(?:"
                                + "|".join(STANCE_CUES + _STANCE_STEMS + ("stand", "side", "argue", "blame"))
                                + ")")
# Questions after one name, date, place or amount. "which <singular noun>" asks for one thing
# ("which city hosted …"); "which countries …" is caught by the actors rule first.
_FACTOID = re.compile(r"(who|whom|whose|when|where)\b|how (many|much|long|old)\b"
                      r"|(what|which) (year|date|day|month|time)\b"
                      r"|which (?!\w+s\b)\w+ (is|was|will|won|did|does|has|had|hosted|played|wrote|made|became)\b")
# Cue words of an answer sentence, by the kind of value asked for (a sentence with the cue scores higher).
_MONTHS = ("january", "february", "march", "april", "may ", "june", "july", "august", "september", "october",
           "november", "december")
_ANSWER_CUES = {"when": _MONTHS + (" 19", " 20"), "what": _MONTHS + (" 19", " 20"),
                "where": (" in ", " at ", "held", "located", "based", "hosted"),
                "how": tuple("0123456789")}


def topic_terms(question: str) -> tuple[str, ...]:
    """The question's content words that name its subject (frame and class words removed).

    The verb a "who"/"which" question asks about ("Who *blamed* whom for the clashes?", "Which
    senators *criticised* the plan?") is its frame, not its subject: a report names the clashes, not
    the blaming."""
    asked = _asked_verbs(question)
    # "how long", "how often", "how old": the measure asked for, not the subject ("long" made a laptop review's
    # battery that "runs long" a page on "how long did the simulation run")
    asked |= {m.group(1).lower() for m in re.finditer(r"\bhow\s+(\w+)", question, re.I)
              if m.group(1).lower() in _MEASURE_WORDS}
    terms = [t for t in query_terms(question) if t not in _FRAME_WORDS and t not in STOPWORDS and t not in asked]
    subject = [t for t in terms if t not in _ACTOR_CLASS]
    return tuple(subject or terms)


def _asked_verbs(question: str) -> set[str]:
    """Verbs whose subject is the question's wh-word ("who blamed", "which countries backed"), lower case."""
    if not re.match(r"\s*(who|which)\b", question, re.I):
        return set()
    from ..analysis.parse import parse_one

    doc = parse_one(question)
    heads = [t for t in doc if t.pos_ == "VERB" and any(
        c.dep_ == "nsubj" and (c.tag_ in ("WP", "WDT") or any(g.tag_ in ("WP", "WDT") for g in c.children))
        for c in t.children)]
    return {v.lower_ for h in heads for v in (h, *h.conjuncts)}


def _facets(shape: Shape, topic: str, targets: str, answer_cues: tuple[str, ...] = (),
            subject: str = "", compared: tuple[str, ...] = ()) -> list[Facet]:
    stance = ("oppose", "opposed", "against", "resist", "block", "hesitant", "cautious", "reluctant", "support")
    if shape == Shape.ACTORS:
        on = f" on {subject}" if subject else ""
        return [
            Facet("positions", f"Who holds which position{on}", f"{topic} oppose hesitant resist support", stance),
            Facet("reasons", "The reasons they give", f"{topic} concerns risk fear because warn argue", REASON_CUES),
            Facet("politics", "How the decision is made",
                  f"{topic} consensus unanimity agree divided decision requires vote",
                  ("consensus", "unanimity", "unanimous", "all members", "agree", "divided", "require", "vote",
                   "majority", "approval")),
            Facet("alternatives", "Proposals and alternatives",
                  f"{topic} alternative instead guarantees proposal option compromise",
                  ("alternative", "instead", "proposal", "propose", "option", "compromise", "short of")),
            Facet("other_side", f"The case made by {targets}" if targets else f"The case for {subject or 'it'}",
                  f"{targets} {topic} argue support essential only guarantee",
                  ("argue", "argued", "insist", "essential", "only ", "support", "push", "call")),
        ]
    if shape == Shape.WHY:
        return [
            Facet("what", "What happened", f"{topic} announced decided happened",
                  ("announced", "decided", "said", "on ")),
            Facet("reasons", "The reasons given", f"{topic} because reason cited said due to", REASON_CUES),
            Facet("reactions", "Reactions and objections", f"{topic} criticised objected opposed reaction",
                  ("criticis", "criticiz", "object", "oppos", "protest", "welcomed", "warned")),
            Facet("next", "What comes next", f"{topic} next will expected plan review",
                  ("will ", "next", "expected", "plan")),
        ]
    if shape in (Shape.WHAT_HAPPENED, Shape.RESPONSE):
        return [
            Facet("what", "What happened", f"{topic} happened announced began", ("on ", "began", "announced", "after")),
            Facet("causes", "Causes and reasons", f"{topic} because caused reason due to", REASON_CUES),
            Facet("response", "Responses", f"{topic} responded response said officials reaction",
                  ("respond", "said", "response", "react", "ordered", "announced")),
            Facet("impact", "Consequences", f"{topic} impact affected consequences damage cost",
                  ("impact", "affect", "damage", "cost", "result", "left ")),
        ]
    if shape == Shape.YES_NO:
        return [
            # (headings that say what the sentences under them are: what the sources report, and the sentences that
            # deny or negate; whether that settles the question is the reader's to weigh, not the heading's)
            Facet("for", "What the sources report", f"{topic} confirmed shows evidence", ("confirm", "show", "found ")),
            Facet("against", "Denials and negative findings", f"{topic} denied not false no evidence",
                  ("not ", "no ", "denied", "false", "never")),
            Facet("context", "Context", f"{topic} background", ()),
        ]
    if shape == Shape.FACTOID:
        return [
            Facet("facts", "What the sources report", topic, answer_cues),
            Facet("context", "Background", f"{topic} background history", ()),
        ]
    if shape == Shape.COMPARISON and len(compared) == 2:
        # a section for each thing compared, then what sets them apart; a sentence under a thing names it
        words = [set(query_terms(item)) for item in compared]
        own = [_item_cues(item, w - other) for item, w, other in zip(compared, words, reversed(words))]
        rest = " ".join(t for t in topic.split() if not any(t in w for w in words))
        return [
            *(Facet(f"{ITEM_FACET}{k + 1}", _capitalised(item), f"{item} {rest}", cues)
              for k, (item, cues) in enumerate(zip(compared, own)) if cues),
            Facet("differences", "How they differ", f"{topic} than more less unlike whereas compared",
                  ("than ", "unlike", "whereas", "compared", "while ", "both", "neither")),
        ]
    return [
        Facet("facts", "Key facts", f"{topic}", ()),
        Facet("reasons", "Reasons and context", f"{topic} because reason", REASON_CUES),
        Facet("views", "Other views", f"{topic} argue criticised said", ("argue", "critic", "said", "warn")),
    ]


def _item_cues(item: str, words: set[str]) -> tuple[str, ...]:
    """The words that show a sentence is about one of the things compared: those of its name not in the other's,
    its capitalised ones when it has any ("Audi e-tron Sportback": audi, sportback), without a short one when there
    is a longer (a cue matches the start of a word: "pro" would take "problem")."""
    named = {w.lower() for w in re.findall(r"\b[A-Z][\w-]*", item)} & words
    cues = sorted(named or words)
    long = [c for c in cues if len(c) >= 4]
    return tuple(long or cues)


# the two things a comparison names: "How do A and B compare …", "How does A compare with B …", "compare A with B",
# "the difference between A and B", "A versus B"
_COMPARED = (
    re.compile(r"\bhow (?:do|does|did|would|will) (?P<a>.+?) (?:and|with) (?P<b>.+?) (?:compare|differ|stack up)\b",
               re.I),
    re.compile(r"\bhow (?:do|does|did|would|will) (?P<a>.+?) (?:compare|differ|stack up) (?:with|to|against|from) "
               r"(?P<b>.+?)(?= on | in | for | when | as |,|\?|$)", re.I),
    re.compile(r"\bcompar(?:e|ed|ing) (?!with |to |against )(?P<a>.+?) (?:with|to|and|against) "
               r"(?P<b>.+?)(?= on | in | for | when | as |,|\?|$)", re.I),
    re.compile(r"\bdifferences? between (?P<a>.+?) and (?P<b>.+?)(?= on | in | for | when | as |,|\?|$)", re.I),
    re.compile(r"(?:^|[,:;] )(?P<a>[^,:;?]+?) (?:versus|vs\.?) (?P<b>[^,:;?]+?)(?= on | in | for |[,:;?]|$)", re.I),
)


def compared_items(question: str) -> tuple[str, ...]:
    """The two things a comparison question names, as written without a leading "the" (() when it names no two)."""
    for pattern in _COMPARED:
        match = pattern.search(question)
        if match:
            items = tuple(re.sub(r"^(?:the|a|an)\s+", "", match.group(g).strip().rstrip(".,;!?"), flags=re.I)
                          for g in ("a", "b"))
            if all(0 < len(i.split()) <= 6 for i in items):
                return items
    return ()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def plan_question(question: str) -> Plan:
    """Analyse ``question`` into a shape, topic terms, named actors and facets."""
    question = " ".join(question.split())
    shape = _shape(question)
    terms = topic_terms(question)
    mentions = find_mentions(question)
    focus = tuple(dict.fromkeys(m.name for m in mentions))
    topic = " ".join(terms)
    cues = _ANSWER_CUES.get(question.split()[0].lower(), ()) if shape == Shape.FACTOID else ()
    subject = positions_subject(question) if shape == Shape.ACTORS else ""
    targets = _other_side(question) if shape == Shape.ACTORS else ""
    compared = compared_items(question) if shape == Shape.COMPARISON else ()
    return Plan(question, shape, terms, focus, tuple(_facets(shape, topic, targets, cues, subject, compared)))


def _join_names(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _other_side(question: str) -> str:
    """Who the positions are about when they are a party ("Ukraine" joining): the names in the question's
    target, not one that only says which people it means ("the Hong Kong protesters"), nor a proposition's."""
    from ..analysis.names import names_a_body
    from ..analysis.parse import parse_one
    from ..analysis.target import question_target

    target = question_target(question)
    return _join_names([e.text for e in parse_one(question).ents if e.text in target.entities
                        and not (e.root.dep_ in ("compound", "amod", "poss", "nmod") and names_a_body(e.root.head.text))])


def positions_subject(question: str) -> str:
    """What the positions are about, as the question words it ("Ukraine joining"), for headings."""
    from ..analysis.target import question_target  # the parse loads only for questions about positions

    text = question_target(question).text
    if len(text.split()) > 8 and " that " in text:  # "the Russian accusation that U.S. forces …": its noun
        text = text.split(" that ")[0]
    if len(text.split()) > 8:
        # "Prince Andrew's BBC interview about his friendship with …", "Acme's share listing in Hong Kong": the thing
        # named, without what it is about or where
        short = re.split(r"\s(?:about|over|with|after|during|amid|following|in|as part of)\s", text, maxsplit=1)[0]
        text = short if len(short.split()) >= 2 else text
    return text if len(text.split()) <= 8 and text != question and _names_a_thing(text) \
        and not _a_clause_in(question, text) else ""


def _a_clause_in(question: str, text: str) -> bool:
    """In the question, ``text`` is a clause: its last word is a finite or base verb ("Does [the JAMA Psychiatry
    study show] that …", which alone the parser reads as a noun compound)."""
    from ..analysis.parse import parse_one

    at = question.find(text)
    if at < 0:
        return False
    end = at + len(text)
    last = next((t for t in parse_one(question) if t.idx < end <= t.idx + len(t.text)), None)
    return last is not None and last.pos_ in ("VERB", "AUX") and last.tag_ in ("VB", "VBD", "VBZ", "VBP")


def _names_a_thing(text: str) -> bool:
    """The words are a noun phrase ("Ukraine joining", "the recall", "Swift"), not a clause with a finite verb ("the
    veteran started scoring again", "late doubles win so important for the hosts"): "a position on" fits a thing."""
    from ..analysis.parse import parse_one

    root = next((t for t in parse_one(text) if t.dep_ == "ROOT"), None)
    return root is not None and root.tag_ not in ("VBD", "VBZ", "VBP", "MD") and root.pos_ != "AUX"


__all__ = ["plan_question", "positions_subject", "topic_terms", "STANCE_CUES"]
