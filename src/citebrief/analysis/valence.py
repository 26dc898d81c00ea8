"""How positive or negative a statement is, from VADER's general English sentiment lexicon.

VADER (Hutto & Gilbert 2014, MIT; the ``vaderSentiment`` package, lexicon bundled, nothing
downloaded) rates 7,500 English words and adjusts for negation, intensifiers and "but". It is used
for two things (``stances``): on a question whether something is justified / fair / good, or how people
judge something, a named actor's statement about that thing backs it when it is clearly positive and
rejects it when it is clearly negative; and in any statement, a judgement a linking verb passes on its
subject ("the recall was a sensible decision") takes that judgement's side on the subject. Compound
scores are in [-1, 1].
"""

from __future__ import annotations

import re
from functools import lru_cache

CLEAR = 0.3  # |compound| at least this: a clearly positive or negative statement


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


# a capitalised word inside a sentence is part of a name ("Star Wars", "Hope Street", "Best Buy"): no sentiment
_NAME_WORD = re.compile(r"(?<=[\w,;:)\]’'”\"] )(?!I\b|I['’])[A-Z][\w'’-]*")


def valence(text: str) -> float:
    """VADER's compound score of ``text`` without the words of its names: below -CLEAR clearly negative, above
    CLEAR clearly positive."""
    return float(_analyzer().polarity_scores(_NAME_WORD.sub("", text))["compound"])


def word_valence(word: str) -> float:
    """The lexicon's rating of one word (-4 … 4; 0 when the word carries no sentiment or is not rated)."""
    return float(_analyzer().lexicon.get(word.lower(), 0.0))


# verbs that link a subject to what is said of it, like "be": "the interview proved a disaster"
_LINKING = frozenset("be seem look prove remain become sound feel appear".split())


def appraisal(tokens) -> tuple[int, list]:
    """A judgement a clause passes on its subject: "the interview was a great success" → (+1, [the, interview]);
    "the rollout has not been smooth" → (-1, …); (0, []) when no clause of ``tokens`` links a subject to a
    clearly positive or negative predicate (VADER on the predicate with its negation, |compound| ≥ CLEAR)."""
    inside = {t.i for t in tokens}
    for verb in tokens:
        if verb.lemma_.lower() not in _LINKING or verb.pos_ not in ("AUX", "VERB"):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i in inside), None)
        if subject is None and verb.dep_ in ("ccomp", "conj"):
            # "told friends that the interview aired at the weekend was a success": the small parser hangs the
            # subject on a clause before the copula, inside the same head's object
            subject = next((t for t in reversed(verb.doc[verb.head.i + 1:verb.i])
                            if t.dep_ == "nsubj" and verb.head.i < t.head.i < verb.i), None)
        # (the parser labels the complement of "seem" as "oprd", and of "become" or "remain" at times as an
        # object; "prove" is left its object: "the study proved a link to cancer" judges no study)
        said = [c for c in verb.children if c.i > verb.i and c.i in inside and (
            c.dep_ in ("acomp", "attr", "oprd") or (c.dep_ == "dobj" and verb.lemma_.lower() in ("become", "remain")))]
        if subject is None or not said or subject.pos_ == "PRON":
            continue
        words = [t for c in said for t in c.subtree if t.i in inside]
        judged = [t for t in subject.subtree if t.i < verb.i]
        negation = [c for c in verb.children if c.dep_ == "neg"]
        tone = valence(" ".join(t.text for t in sorted(negation + words, key=lambda t: t.i)))
        if abs(tone) >= CLEAR:
            return (1 if tone > 0 else -1), judged
    return 0, []
