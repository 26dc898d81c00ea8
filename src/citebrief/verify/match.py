"""Compare a sentence with windows of its cited passages: candidates, coverage and conflict cues (pure).

Every checker starts the same way: find the windows that talk about what the sentence talks about
(lexical ``candidates``), then measure them (``measure``). Only the decision differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .lexicon import OPPOSITES
from .text import Number, TextFacts, numbers_match
from .verdict import Signals
from .windows import Window, windows_of

# Prefer the shorter of two windows that cover the sentence equally well: a 3-sentence window
# always covers at least what its first sentence covers, so without this tie-break best_span
# would drift to the longest window. 0.02 is below one term of a 20-term sentence (0.05).
SIZE_PENALTY = 0.02


@dataclass(frozen=True, slots=True)
class Candidate:
    """A window of cited passage ``passage_index`` with its lexical relevance to the sentence."""

    passage_index: int
    window: Window
    lexical: float


def coverage(sentence: TextFacts, vocabulary: frozenset[str]) -> float:
    """Share of the sentence's content terms that occur in ``vocabulary`` (0.0 without terms)."""
    if not sentence.terms:
        return 0.0
    return sum(term in vocabulary for term in sentence.terms) / len(sentence.terms)


def entity_coverage(sentence: TextFacts, vocabulary: frozenset[str]) -> float:
    """Share of the sentence's capitalised phrases whose every term occurs in ``vocabulary``."""
    if not sentence.entities:
        return 1.0
    found = sum(all(term in vocabulary for term in entity) for entity in sentence.entities)
    return found / len(sentence.entities)


def _found(number: Number, pool: Sequence[Number]) -> bool:
    return any(numbers_match(number, other) for other in pool)


def number_agreement(sentence: TextFacts, pool: Sequence[Number]) -> float:
    """Share of the sentence's numbers (counts, percentages, years) stated in the cited text."""
    if not sentence.numbers:
        return 1.0
    return sum(_found(n, pool) for n in sentence.numbers) / len(sentence.numbers)


def _rivals(a: Number, b: Number) -> bool:
    """Two mentions that count the same thing: both percentages, or the same kind near a shared word."""
    if a.kind == "pct" and b.kind == "pct":
        return True
    return a.kind == b.kind and bool(a.anchors & b.anchors)


def number_conflict(sentence: TextFacts, pool: Sequence[Number], window: TextFacts) -> bool:
    """A sentence number is nowhere in the cited text, yet the best window gives a rival value.

    "seven members oppose" against "five members oppose" is a conflict (same kind, shared word
    "member"); against "five countries" or a window without numbers it is merely unsupported.
    """
    for number in sentence.numbers:
        if _found(number, pool):
            continue
        if any(_rivals(number, other) for other in window.numbers):
            return True
    return False


def negation_flip(sentence: TextFacts, window: Window) -> bool:
    """One side negates something both sides talk about and the other side does not.

    Compared with the window sentence that shares most terms with the sentence; a negation counts
    only when its scope holds a term of the other side, so "studies have not found a link" added
    to a copied clause is not a flip of that clause, while "not opposing" against "opposing" is.
    """
    if not window.parts:
        return False
    aligned = max(window.parts, key=lambda part: coverage(sentence, part.vocabulary))
    return bool(sentence.negated & aligned.vocabulary) != bool(aligned.negated & sentence.vocabulary)


def antonym_conflict(sentence: TextFacts, window: TextFacts) -> bool:
    """The sentence uses one polarity ("~up") where the window uses only the opposite ("~down")."""
    return any(OPPOSITES[g] in window.polarity and g not in window.polarity for g in sentence.polarity)


def candidates(sentence: TextFacts, passages: Sequence[str], *, limit: int | None) -> list[Candidate]:
    """The best windows by lexical relevance: the top ``limit`` overall plus each passage's best.

    ``limit=None`` keeps every window (the cosine baseline scores them all).
    """
    per_passage: list[list[Candidate]] = []
    for index, passage in enumerate(passages):
        ranked = [Candidate(index, w, coverage(sentence, w.facts.vocabulary) - SIZE_PENALTY * (w.size - 1))
                  for w in windows_of(passage)]
        ranked.sort(key=lambda c: (-c.lexical, c.window.start))
        per_passage.append(ranked)
    if limit is None:
        return [c for ranked in per_passage for c in ranked]
    pooled = sorted((c for ranked in per_passage for c in ranked), key=lambda c: -c.lexical)
    chosen = {(c.passage_index, c.window.start, c.window.end): c for c in pooled[:limit]}
    for ranked in per_passage:
        if ranked:
            top = ranked[0]
            chosen.setdefault((top.passage_index, top.window.start, top.window.end), top)
    return list(chosen.values())


def measure(sentence: TextFacts, best: Candidate, per_passage_best: Sequence[Candidate], *,
            numbers: Sequence[Number], cosine: float) -> Signals:
    """Signals of ``best`` (the chosen window), with coverage pooled over each passage's best window.

    Pooling lets "X [1][2]" be supported when [1] states one half and [2] the other. ``numbers``
    are all numbers stated anywhere in the cited passages.
    """
    window = best.window.facts
    vocabulary = window.vocabulary.union(*(c.window.facts.vocabulary for c in per_passage_best))
    return Signals(
        coverage=coverage(sentence, vocabulary),
        entity_coverage=entity_coverage(sentence, vocabulary),
        number_agreement=number_agreement(sentence, numbers),
        cosine=max(0.0, min(1.0, cosine)),
        negation_flip=negation_flip(sentence, best.window),
        number_conflict=number_conflict(sentence, numbers, window),
        antonym_conflict=antonym_conflict(sentence, window),
    )
