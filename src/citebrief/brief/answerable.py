"""Whether the evidence answers what was asked, not only the topic it was asked about.

"Which senators voted to convict Trump?" over reporting of an impeachment inquiry finds plenty on
Trump and impeachment, and nothing about a vote to convict, which had not happened. The question's
main predicate ("vote" + "convict") must occur together in at least one evidence sentence;
otherwise the brief says what the sources do not establish instead of writing around it. Verbs of
stance and saying ("who supports…", "what do they argue") and light verbs ("be", "have", "become")
ask for positions or descriptions, not for an event, and are not required. A headline counts as a
sentence (the caller passes the evidence documents' titles), and a verb counts in any of its forms
(lemmas of the parse when no sentence has its prefix: "shot" is "shoot").
"""

from __future__ import annotations

import re

from ..analysis.parse import parse, parse_one
from ..analysis.vocab import SPEECH_VERBS, STANCE_VERBS

_LIGHT = frozenset("""be have do become get make take go come give keep put seem remain happen occur cause lead
    mean stand think believe know want need try use see look cite blame justify explain suffer experience face
    undergo show matter judge rate assess evaluate view regard consider rank react respond review""".split())
_WORD = re.compile(r"[a-z]+")
_MODALS = frozenset("should could would might must ought shall".split())
_SAID_NOUNS = frozenset("""caveat concern question objection doubt issue point argument criticism complaint
    reservation worry fear alarm""".split())
# Verbs of a change in amount, each way: a report of "shares plunged" answers "why did shares drop?". These
# are the ordinary English verbs of rising and falling, the same in markets, science and sport.
_CHANGE = (frozenset("""rise increase grow climb jump surge soar gain raise boost rally spike swell""".split()),
           frozenset("""fall drop decline plunge slide sink tumble slump lower cut reduce dip shrink slip sag fell
               plummet crash retreat""".split()))


# Verbs of giving something up, read for a change verb with an object ("why did Apple drop the keyboard?":
# "replaced", "scrapped" answer it, "plunged" does not).
_ABANDON = frozenset("drop abandon ditch scrap replace discontinue axe retire remove switch end kill".split())


def main_predicates(question: str) -> tuple[str, ...]:
    """Lemmas of the event verbs of the question's main clause ("voted to convict" → vote, convict).

    Not required: what a question asks to be done ("should House Democrats widen the inquiry?" presumes no
    widening) and a verb whose object is something said ("what caveats do they raise?")."""
    doc = parse_one(question)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    verbs = []
    for root in roots:
        for tok in [root, *root.conjuncts, *(c for c in root.children if c.dep_ == "xcomp")]:
            lemma = tok.lemma_.lower()
            modal = any(c.dep_ == "aux" and c.lower_ in _MODALS for c in [*tok.children, *root.children])
            # "what caveats do they raise", "did they voice concerns": saying something, not an event
            asks = any(c.dep_ == "dobj" and c.lemma_.lower() in _SAID_NOUNS for c in tok.children)
            if tok.pos_ == "VERB" and lemma not in _LIGHT and lemma not in SPEECH_VERBS \
                    and lemma not in STANCE_VERBS and not modal and not asks:
                given_up = lemma in _ABANDON and any(c.dep_ == "dobj" for c in tok.children)
                verbs.append(f"{lemma}:" if given_up else lemma)
    return tuple(dict.fromkeys(verbs))


def _alternatives(verb: str) -> frozenset[str]:
    """The verb and, for a verb of rising or falling, the others of its direction; for one of giving up
    with an object (marked "drop:"), the others of giving up."""
    if verb.endswith(":"):
        return _ABANDON
    return next((group for group in _CHANGE if verb in group), frozenset({verb}))


def _stem(word: str) -> str:
    return word[:5] if len(word) > 5 else word


def unanswered(question: str, sentences: list[str]) -> tuple[str, ...]:
    """The question's main predicates when no evidence sentence carries them all (else ())."""
    verbs = main_predicates(question)
    if not verbs:
        return ()
    stems = [{_stem(a) for a in _alternatives(v)} for v in verbs]
    for text in sentences:
        words = _WORD.findall(text.lower())
        if all(any(w.startswith(s) for w in words for s in group) for group in stems):
            return ()
    # an irregular form shares no prefix with its lemma ("shot" for shoot, "found" for find): read the
    # lemmas of the parse before saying the sources do not report it
    for doc in parse(list(sentences)):
        lemmas = {t.lemma_.lower() for t in doc}
        if all(lemmas & _alternatives(v) for v in verbs):
            return ()
    return tuple(v.rstrip(":") for v in verbs)
