"""Whether the evidence answers what was asked, not only the topic it was asked about.

"Which senators voted to convict Trump?" over reporting of an impeachment inquiry finds plenty on
Trump and impeachment, and nothing about a vote to convict, which had not happened. The question's
main predicate ("vote" + "convict") must occur together in at least one evidence sentence;
otherwise the brief says what the sources do not establish instead of writing around it. Verbs of
stance and saying ("who supports…", "what do they argue") and light verbs ("be", "have", "become")
ask for positions or descriptions, not for an event, and are not required. A headline counts as a
sentence (the caller passes the evidence documents' titles), and a verb counts in any of its forms
(lemmas of the parse when no sentence has its prefix: "shot" is "shoot").

A question of several parts is read part by part: only its asking sentences count (a sentence that sets
the scene, "The man who took the girl has now been sentenced.", is given, not asked), and each part
(", and why …", "? Who …") is parsed on its own. The question is declined when its first part asks for an
event the sources do not report; a later part whose event is not reported is named in the brief's limits
instead. A verb with an object names the event with it: "was he convicted on the state counts?" is not
answered by a conviction on other charges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis.claims import negated
from ..analysis.parse import parse, parse_one
from ..analysis.vocab import FALLING, MODAL_WORDS, RISING, SPEECH_VERBS, STANCE_VERBS
from ..verify.lexicon import NUMBER_WORDS

# (a verb of excelling is a judgement, like "rate": "who starred?" is answered by "Glass threw for three touchdowns",
# which says no "star"; "how do A and B compare?" asks for what each is, which no page need call comparing)
_LIGHT = frozenset("""be have do become get make take go come give keep put seem remain happen occur cause lead
    mean stand think believe know want need try use see look cite blame justify explain suffer experience face
    undergo show matter judge rate assess evaluate view regard consider rank react respond review decide choose
    opt intend plan hope expect aim seek star shine excel impress compare differ contrast""".split())
_NUMBER = r"[$£€¥]?\d(?:[\d,.]*\d)?"  # "42", "$78,770", "3.5" (not the full stop after it)
_WORD = re.compile(r"[a-z]+|" + _NUMBER)
# (and "can", "may": "Can the defence cover those snaps?" asks for an assessment, not an event to report)
_MODALS = MODAL_WORDS | {"shall"}
_SAID_NOUNS = frozenset("""caveat concern question objection doubt issue point argument criticism complaint
    reservation worry fear alarm""".split())
# a report of a result in any verb of winning or losing answers "who won?" ("Eastern Michigan routs Northern
# Illinois", "the Huskies lost to the Eagles")
_RESULT = frozenset("win beat defeat rout lose outlast outscore overcome overpower thrash trounce clinch".split())
_CHANGE = (RISING, FALLING, _RESULT)  # a report of "shares plunged" answers "why did shares drop?"


# A measure asked for ("what price", "which range"): answered only by a sentence that gives a figure for it.
VALUE = "#"
_MEASURES = frozenset("""price cost range number figure total rate amount sum share score value size speed distance
    weight height length salary wage fee fine tax age population count percentage margin budget revenue profit
    loss income valuation capacity mileage temperature toll turnout payout bill damages settlement compensation
    duration""".split())
# number words that give a figure (the checker's lexicon, and the magnitudes it leaves to the digits)
_FIGURE_WORDS = frozenset(NUMBER_WORDS) | {"million", "billion", "trillion", "quarter"}
# Measures of money: a sum of money names them ("will start at 899 euro" gives a price).
_MONEY_MEASURES = frozenset("""price cost salary wage fee fine tax budget revenue profit loss income valuation payout
    bill damages settlement compensation sum amount""".split())
_CURRENCY = frozenset("""euro euros dollar dollars pound pounds yen yuan franc francs rupee rupees peso pesos rouble
    roubles ruble rubles won krona kronor krone""".split())


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure a part asks for: the measure ("price"), the names that qualify it ("US"), and the stems of
    what else the part names ("van", "climber"), any one of which can stand for the measure."""

    measure: str
    names: frozenset[str]
    about: frozenset[str]


_NAME_NUMBER = re.compile(r"(?<=.)\b(\w*[A-Z][\w-]*) \d+\b")  # not the sentence's first word ("About 300")
_YEAR_ONLY = re.compile(r"^[$£€¥]?(?:1[89]|20)\d\d$")
_DIGITS = re.compile(_NUMBER)


# Verbs of giving something up, read for a change verb with an object ("why did Apple drop the keyboard?":
# "replaced", "scrapped" answer it, "plunged" does not).
_ABANDON = frozenset("drop abandon ditch scrap replace discontinue axe retire remove switch end kill".split())
# verbs whose direct object is the one addressed, and what is asked of them follows ("urge the council to act")
_ADDRESSED = frozenset("ask urge tell beg implore invite order advise persuade encourage remind instruct press".split())
# Verbs of relying on something ("what is it counting on?"): they ask for the thing relied on.
_RELYING = frozenset("count rely depend bank".split())
_WH_TAGS = ("WDT", "WP", "WRB", "WP$")
_NEGATION = re.compile(r"\b(?:no|not|never|yet)\b|n['’]t\b", re.I)
# Where a question's sentences end, and where its parts begin (", and why …", ", and did he …"): the shape's
# split (``question._PARTS``) at a new wh-word, and here also at an auxiliary that opens a yes-no part.
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z\"“‘'])")
# (… or, with no comma, at "and" before a wh-word and its verb: "Who is affected by the recall and what should patients
# do?")
_PARTS = re.compile(r",\s*(?:and\s+|or\s+)?(?=(?:which|who|whom|what|how|why|where|when|is|are|was|were|did|does|do"
                    r"|has|have)\b)"
                    r"|\s+and\s+(?=(?:which|who|what|how|why|where|when)\s+(?:is|are|was|were|did|does|do|has|have|had"
                    r"|should|will|would|can|could|must|might)\b)", re.I)


_CHARGING = frozenset({"charge", "accuse"})


def main_predicates(question: str) -> tuple[str, ...]:
    """Lemmas of the event verbs of the question's asking clauses ("voted to convict" → vote, convict).

    Not required: what a question asks to be done ("should House Democrats widen the inquiry?" presumes no
    widening) and a verb whose object is something said ("what caveats do they raise?")."""
    return tuple(dict.fromkeys(v for part in predicate_parts(question) for v, _ in part if v != VALUE))


def predicate_parts(question: str) -> tuple[tuple[tuple[str, frozenset[str] | Figure], ...], ...]:
    """The question's parts, each as its event verbs with the stems of what each is done to; a part with
    no event verb (it asks for positions, causes or a description) is an empty tuple; a figure asked for is a
    part of its own, ``(VALUE, Figure)``. Each part is parsed on its own: the small parser reads a short
    question better than a long one of several."""
    parts = []
    for text in asking_parts(question):
        doc = parse_one(text)
        # "What EPA-rated range and US starting price …?": each value asked for is a part of its own
        parts.extend(((VALUE, figure),) for figure in _values(doc))
        for root in (t for t in doc if t.dep_ == "ROOT"):
            for head in [root, *root.conjuncts]:
                parts.append(tuple(_events(head, root)))
    return tuple(parts)


def self_contained(part: str) -> bool:
    """A part that names what it asks about (two nouns besides one a wh-word determines: "what did the players
    say about the new format"), not one that leans on the rest of the question ("which are sceptical", "what
    caveats do they raise")."""
    doc = parse_one(part)
    return sum(t.pos_ in ("NOUN", "PROPN") and not any(c.tag_ in _WH_TAGS for c in t.children) for t in doc) >= 2


def asking_parts(question: str) -> list[str]:
    """The question's asking parts, each as a question of its own ("What did he get and why?", "how was the
    girl found?"): only its asking sentences (a sentence that sets the scene, "Another case turned up in
    May.", is given, not asked), split where a new wh-word or a yes-no auxiliary opens a part."""
    sentences = [s for s in _SENTENCE_END.split(question.strip()) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith("?")] or sentences
    return [text.strip().rstrip("?") + "?" for sentence in asking
            for text in _PARTS.split(sentence) if text and len(text.split()) > 1]


def _values(doc) -> list[Figure]:
    """The measures a part asks for by "what"/"which" ("What US starting price …"), each with the names that
    qualify it (a figure for Europe does not give the US price) and what else the part names."""
    asked = [t for t in doc if any(c.dep_ == "det" and c.lower_ in ("what", "which") for c in t.children)]
    asked += [c for t in asked for c in t.conjuncts]
    measures = [t for t in dict.fromkeys(asked) if t.lemma_.lower() in _MEASURES]
    about = frozenset(_stem(t.lower_) for t in doc if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "amod"
                      and t.lemma_.lower() not in _MEASURES and len(t.text) > 2)
    figures = [Figure(tok.lemma_.lower(), frozenset(t.text for t in tok.subtree if t.i < tok.i and t.pos_ == "PROPN"),
                      about) for tok in measures]
    if any(t.lower_ == "how" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "long" for t in doc):
        figures.append(Figure("duration", frozenset(), about))  # "How long is his contract?"
    return figures


def _events(head, root) -> list[tuple[str, frozenset[str]]]:
    out = []
    # ("What sentences did the courts hand down": the small parser may make "did" the root, the verb its clause)
    below = [c for c in head.children if c.dep_ == "xcomp" or (c.dep_ == "ccomp" and head.lemma_.lower() == "do")]
    if head.pos_ == "AUX" and head.i == head.sent.start:
        # "Was the driver convicted on …?": the parser may hang the participle on the subject
        below += [g for c in head.children if c.dep_ in ("nsubj", "nsubjpass") for g in c.children
                  if g.dep_ == "acl" and g.pos_ == "VERB"]
    for tok in [head, *below]:
        lemma = tok.lemma_.lower()
        modal = any(c.dep_ == "aux" and c.lower_ in _MODALS for c in [*tok.children, *root.children])
        # "what caveats do they raise", "did they voice concerns": saying something, not an event
        asks = any(c.dep_ == "dobj" and c.lemma_.lower() in _SAID_NOUNS for c in tok.children)
        # "who is betting that EV sales will take off": a view held, like "thinks that"
        view = any(c.dep_ == "ccomp" for c in tok.children)
        # "what is Nissan counting on", "rely on", "depend on": what it relies on, not an event
        relies = lemma in _RELYING and (any(c.dep_ == "prep" and c.lower_ == "on" for c in tok.children)
                                        or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "on"))
        # "end up with", "wind up": arriving at something, not an event of its own
        arrives = lemma in ("end", "wind") and any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children)
        # ("When did the Max return to service": the small parser may tag the verb after "did" a noun)
        verb = tok.pos_ == "VERB" or (tok.dep_ == "ROOT" and any(c.dep_ == "aux" for c in tok.children))
        # ("Why was that win a milestone?": a base form after "was" alone is the parser's reading of a noun)
        if tok.tag_ == "VB" and [c.lemma_.lower() for c in tok.children if c.dep_ in ("aux", "auxpass")] == ["be"]:
            verb = False
        # ("has the attorney general charged anyone?", "was he accused of fraud?": a charge brought against someone
        # is an event, not a verb of saying)
        charged = lemma in _CHARGING and (tok.dep_ == "acl" or any(c.dep_ in ("dobj", "nsubjpass")
                                                                   for c in tok.children))
        if not verb or lemma in _LIGHT or (lemma in SPEECH_VERBS and not charged) or lemma in STANCE_VERBS or modal \
                or asks or view or relies or arrives:
            continue
        given_up = lemma in _ABANDON and any(c.dep_ == "dobj" for c in tok.children)
        # a phrasal verb is its particle too: "hand down" sentences, not any "hand" ("handed over", "handle")
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), "")
        out.append((f"{lemma}:" if given_up else f"{lemma} {particle}" if particle else lemma, _done_to(tok)))
    return out


def _done_to(verb) -> frozenset[str]:
    """Stems of the common nouns a verb's object or prepositional object is made of ("convicted on the
    aggravated sexual assault counts" → aggra, sexua, assau, count); names and pronouns are left out (the
    subject of the question is in every related sentence)."""
    # (the object of a verb of asking is whom it asks: "what did she ask the judge to do?" is answered by "she asked
    # for compassion", which names no judge)
    direct = ("attr",) if verb.lemma_.lower() in _ADDRESSED else ("dobj", "attr")
    objects = [c for c in verb.children if c.dep_ in direct] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "of", "for", "in")
        for g in c.children if g.dep_ == "pobj"]
    return frozenset(_stem(t.lemma_.lower()) for o in objects for t in o.subtree
                     if t.pos_ in ("NOUN", "ADJ") and not t.ent_type_ and t.tag_ not in _WH_TAGS
                     and len(t.text) > 2)


def _alternatives(verb: str) -> frozenset[str]:
    """The verb and, for a verb of rising or falling, the others of its direction; for one of giving up
    with an object (marked "drop:"), the others of giving up."""
    if verb.endswith(":"):
        return _ABANDON
    return next((group for group in _CHANGE if verb in group), frozenset({verb}))


def _stem(word: str) -> str:
    return word[:5] if len(word) > 5 else word


# an evidence sentence this close (MiniLM cosine) to the question's first asking part reports its event in words of
# its own ("which kiosk sells bottled air?" over "a kiosk … is offering bottled mountain air"; see BENCHMARKS.md)
ASKED_IN_OTHER_WORDS = 0.75


def unanswered(question: str, sentences: list[str], closeness: Sequence[float] = ()) -> tuple[str, ...]:
    """The event verbs of the question's first asking part when no evidence sentence reports them (else ()):
    what the question asks first is what it is about; a later part the sources do not report is named in
    the brief's limits (``unreported_parts``), not a reason to decline the whole question.

    ``closeness``: the first sentences' cosines to that part; one at least ``ASKED_IN_OTHER_WORDS`` with no
    negation reports an event (not a figure: "UK pricing has not been confirmed" is close and gives none)."""
    parts = predicate_parts(question)
    if not parts or not parts[0]:
        return ()
    if _reported(parts[0], sentences) and not _only_to_come(question, parts[0], sentences):
        return ()
    if all(verb != VALUE for verb, _ in parts[0]) and any(
            close >= ASKED_IN_OTHER_WORDS and not _NEGATION.search(text) for text, close in zip(sentences, closeness)):
        return ()
    return tuple(dict.fromkeys(_named(v, done_to) for v, done_to in parts[0]))


def reports_asked(question: str, sentences: list[str]) -> list[bool]:
    """For each sentence, whether it reports the event the question's first asking part asks about: every verb
    with what it is done to, not denied, the verb as a verb ("deciding on a direction" reports no directing),
    and on a question of what will happen not only in the past ("who will direct the film?": "Hale is in final
    talks to write and direct it", not "the last one was directed by Ruiz"). All True when that part asks for no
    event."""
    parts = predicate_parts(question)
    if not parts or not parts[0] or any(verb == VALUE for verb, _ in parts[0]):
        return [True] * len(sentences)
    verbs = {form for verb, _ in parts[0] for form in _alternatives(verb)}  # ("routed" reports a win)
    future = bool(_FUTURE.search(asking_parts(question)[0]))
    out = []
    for text, doc in zip(sentences, parse(list(sentences))):
        done = [t for t in doc if t.lemma_.lower() in verbs and t.pos_ == "VERB"]
        out.append(_reported(parts[0], [text]) and bool(done) and not (future and all(_past(t) for t in done)))
    return out


_FUTURE = re.compile(r"\b(?:will|shall|going to)\b|['’]ll\b", re.I)
# auxiliaries of what is to come or may be: "will be presented", "would vote to convict", "could win"
_TO_COME = MODAL_WORDS | {"will", "shall"}


def _only_to_come(question: str, part, sentences: list[str]) -> bool:
    """A question of what happened ("Which installation won the award?", "Which senators voted to convict?") that
    the sources name only as to come or as may be ("The award will be presented to the winning artwork", "would
    vote to convict"), or as a word describing something ("the winning artwork"): they do not report it."""
    asked = parse_one(asking_parts(question)[0])
    if not any(t.tag_ == "VBD" for t in asked) or _FUTURE.search(asked.text):
        return False
    verbs = {form for verb, _ in part if verb != VALUE for form in _alternatives(verb.partition(" ")[0])}
    if not verbs:
        return False
    candidates = [text for text in sentences if _reports(part, _WORD.findall(text.lower()))]
    for doc in parse(candidates):
        # (a mention by another word, "was named the winner", is read as a report)
        mentions = [t for t in doc if t.lemma_.lower() in verbs or t.lower_ in verbs]
        if not mentions or any(not _to_come(t) for t in mentions):
            return False
    return bool(candidates)


def _to_come(tok) -> bool:
    """The mention is a verb under an auxiliary of what is to come or may be, or a participle describing a noun."""
    if tok.dep_ == "amod" or tok.pos_ == "ADJ":
        return True
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    chain = [verb, *[a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")][:2]]
    return any(c.dep_ == "aux" and c.lower_ in _TO_COME for v in chain for c in v.children)


def _past(verb) -> bool:
    """The verb tells what was done: "directed", "was directed", "had directed" (not "has been hired to direct")."""
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("was", "were", "had") for c in verb.children))


def unreported_parts(question: str, sentences: list[str]) -> list[tuple[str, ...]]:
    """The event verbs of each later part of the question that no evidence sentence reports."""
    return [tuple(_named(v, done_to) for v, done_to in part) for part in predicate_parts(question)[1:]
            if part and not _reported(part, sentences)]


def _named(verb: str, done_to) -> str:
    """How the brief names a part's event ("convict") or the figure it asks for ("a figure for US price")."""
    if verb != VALUE:
        return verb.rstrip(":")
    return "a figure for " + " ".join([*sorted(done_to.names), done_to.measure])


def _reported(part: tuple[tuple[str, frozenset[str]], ...], sentences: list[str]) -> bool:
    """Whether one evidence sentence carries all the part's event verbs, each with what it is done to, and
    not denied ("No release date has yet been announced" does not report a release)."""
    # (the number of a name is no figure: "the Lumo 3", "Windows 10")
    sentences = [_NAME_NUMBER.sub(r"\1", text) for text in sentences]
    candidates = [text for text in sentences if _reports(part, _WORD.findall(text.lower()))]
    if any(not _NEGATION.search(text) for text in candidates):
        return True
    # an irregular form shares no prefix with its lemma ("shot" for shoot, "found" for find): read the
    # lemmas of the parse before saying the sources do not report it; a sentence with a negation is read
    # there too, and counts unless the negation is on the event itself
    for doc in parse(list(sentences)):
        if _reports(part, [t.lemma_.lower() for t in doc] + [t.lower_ for t in doc], lemmas=True) and \
                not _denied(part, doc):
            return True
    return False


def _denied(part, doc) -> bool:
    """Whether every mention of one of the part's verbs in the sentence is negated ("did not fall", "no
    release date", "has yet to be released")."""
    for verb, _ in part:
        stems = {_stem(a) for a in _alternatives(verb.partition(" ")[0])}
        mentions = [t for t in doc if any(t.lower_.startswith(s) or t.lemma_.lower().startswith(s) for s in stems)]
        if mentions and all(_negated(t) for t in mentions):
            return True
    return False


def _negated(tok) -> bool:
    """The mention, its head or the next word up is negated ("did not fall", "no release date"), "yet" or
    "never" comes just before it ("has yet to be released"), or its clause is yet to come ("UK pricing is
    yet to be confirmed")."""
    return any(negated(t) for t in [tok, tok.head, *tok.ancestors][:3]) or \
        any(t.lower_ in ("yet", "never") and t.i < tok.i for t in tok.sent if abs(t.i - tok.i) <= 4) or \
        any(c.lower_ == "yet" and c.i + 1 < len(c.doc) and c.nbor(1).lower_ == "to" for c in tok.head.children)


def _reports(part, words: list[str], lemmas: bool = False) -> bool:
    """Whether a sentence's words carry every verb of the part (by its stem, or its lemma) and, for a verb
    the question gives an object, one of that object's words; for a figure, see ``_gives``."""
    stems = {_stem(w) for w in words}
    for verb, done_to in part:
        if verb == VALUE:
            if not _gives(done_to, words, stems):
                return False
        elif not _mentions(verb, done_to, words, lemmas) or (done_to and not done_to & stems):
            return False
    return True


def _gives(figure: Figure, words: list[str], stems: set[str]) -> bool:
    """A figure that is not a year, in a sentence that holds every name qualifying the measure ("US") and
    names the measure ("pricing" for price; a sum of money for a price) or something else the part names
    ("The new van can travel 250 miles" gives the van's range, "The climber, 34, …" the climber's age)."""
    if not all(_named_in(n.lower(), words) for n in figure.names):
        return False
    if figure.measure == "duration":  # a span of time: "a five-year contract", "for 12 days", "until 2025"
        return _duration(words) and bool(figure.about & stems)
    if not any(not _YEAR_ONLY.match(f) for f in _figures(words)):
        return False
    return _mentions(VALUE, figure, words) or bool(figure.about & stems)


_TIME_UNITS = frozenset("""second seconds minute minutes hour hours day days week weeks month months year years season
    seasons decade decades""".split())


def _duration(words: list[str]) -> bool:
    """The words give a span of time: a number or number word before a unit of time, or a year after since/until."""
    for before, word in zip(words, words[1:]):
        if word in _TIME_UNITS and (_DIGITS.fullmatch(before) or before in _FIGURE_WORDS or before in ("a", "an")):
            return True
        if before in ("since", "until", "till", "through") and _YEAR_ONLY.match(word):
            return True
    return False


def _mentions(verb: str, done_to, words: list[str], lemmas: bool = False) -> bool:
    """Whether the words name the event (any form of the verb or, for a change, of its direction) or the
    measure ("pricing" for price; a sum of money for a measure of money)."""
    if verb == VALUE:
        measure = done_to.measure
        return any(_form_of(w, measure) for w in words) or (measure in _MONEY_MEASURES and _money(words))
    verb, _, particle = verb.partition(" ")
    if particle and particle not in words:
        return False
    alternatives = _alternatives(verb)
    return bool(set(words) & alternatives) if lemmas else \
        any(w.startswith(_stem(a)) for w in words for a in alternatives)


def _form_of(word: str, noun: str) -> bool:
    """Whether ``word`` is the noun, its plural or a form of the verb it makes ("prices", "pricing", "priced";
    "salaries"; "aged"), not another word that starts alike ("company" for compensation, "reveal" for revenue)."""
    base = noun[:-1] if noun.endswith(("e", "y")) else noun
    endings = ("ies", "ied", "y") if noun.endswith("y") else ("e", "es", "s", "ed", "d", "ing")
    return word == noun or word == noun + "s" or (word.startswith(base) and word[len(base):] in endings)


def said_instead(question: str, sentences: list[str], limit: int = 3) -> list[int]:
    """Sentences that name what a part of the question asks and say it is not (yet) known or did not happen
    ("UK pricing has not been confirmed at this stage", "No release date has yet been announced"), by
    their index: what the sources do establish about a question they cannot answer."""
    asked = [entry for part in predicate_parts(question) for entry in part]
    out: list[int] = []
    candidates = [k for k, text in enumerate(sentences) if _NEGATION.search(text) and any(
        _mentions(v, d, _WORD.findall(text.lower())) for v, d in asked)]
    for k, doc in zip(candidates, parse([sentences[k] for k in candidates])):
        tokens = [t for t in doc if any(_mentions(v, d, [t.lower_]) for v, d in asked)]
        if tokens and all(_negated(t) for t in tokens):
            out.append(k)
    return out[:limit]


def _figures(words: list[str]) -> list[str]:
    return [w for w in words if _DIGITS.fullmatch(w) or w in _FIGURE_WORDS]


def _named_in(name: str, words: list[str]) -> bool:
    """A qualifying name in the words: the same word, or for a longer one its stem ("German", "Germany")."""
    return name in words or (len(name) > 4 and any(w.startswith(name[:4]) for w in words))


def _money(words: list[str]) -> bool:
    """A sum of money: a figure after a currency sign ("$78,770", or "$" "78,770" as the parser splits it) or
    before a currency word ("899 euro")."""
    for k, w in enumerate(words):
        after = words[k + 1:k + 3]
        if w[0] in "$£€¥" and (len(w) > 1 or (after and after[0][:1].isdigit())):
            return True
        if w[0].isdigit() and _CURRENCY & set(after):
            return True
    return False
