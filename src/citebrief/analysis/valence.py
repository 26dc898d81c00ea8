"""How positive or negative a statement is, from VADER's general English sentiment lexicon.

VADER (Hutto & Gilbert 2014, MIT; the ``vaderSentiment`` package, lexicon bundled, nothing
downloaded) rates 7,500 English words and adjusts for negation, intensifiers and "but". It is used
for one thing only: on a question whether something is justified / fair / good, a named actor's
statement about that thing backs the judgement when it is clearly positive and rejects it when it
is clearly negative (``stances``). Compound scores are in [-1, 1].
"""

from __future__ import annotations

from functools import lru_cache

CLEAR = 0.3  # |compound| at least this: a clearly positive or negative statement


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def valence(text: str) -> float:
    """VADER's compound score of ``text``: below -CLEAR clearly negative, above CLEAR clearly positive."""
    return float(_analyzer().polarity_scores(text)["compound"])


def word_valence(word: str) -> float:
    """The lexicon's rating of one word (-4 … 4; 0 when the word carries no sentiment or is not rated)."""
    return float(_analyzer().lexicon.get(word.lower(), 0.0))
