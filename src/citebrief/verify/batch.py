"""Batch preparation shared by the checkers: parse sentences, pick candidate windows, embed once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..errors import InputError
from .match import Candidate, candidates
from .text import Number, TextFacts, analyse, strip_citations
from .verdict import Pair
from .windows import EmbeddingCache, passage_numbers, pooled_vector


@dataclass(frozen=True, slots=True)
class Prepared:
    """One pair ready for a decision: the sentence's facts, its candidate windows and their cosines."""

    facts: TextFacts
    passages: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    cosines: tuple[float, ...]  # cosine of the sentence with each candidate (0.0 without embedder)
    numbers: tuple[Number, ...]  # every number stated anywhere in the cited passages


def validate_pair(pair: object) -> tuple[str, tuple[str, ...]]:
    """Return (sentence, passages) or raise ``InputError`` saying what is wrong with ``pair``."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise InputError(f"expected a (sentence, passages) pair, got {type(pair).__name__}")
    sentence, passages = pair
    if not isinstance(sentence, str):
        raise InputError(f"sentence must be a string, got {type(sentence).__name__}")
    if isinstance(passages, str) or not isinstance(passages, Sequence):
        raise InputError("passages must be a list of strings (one per cited passage)")
    if not all(isinstance(p, str) for p in passages):
        raise InputError("every cited passage must be a string")
    return sentence, tuple(passages)


def prepare(pairs: Sequence[Pair], *, limit: int | None, cache: EmbeddingCache | None) -> list[Prepared]:
    """Pick candidate windows for every pair, then embed all sentences and windows in one call.

    ``limit`` caps the candidates per pair (``None``: every window); ``cache=None`` skips
    embedding (the lexical baseline), leaving every cosine at 0.0.
    """
    staged: list[tuple[str, TextFacts, tuple[str, ...], list[Candidate]]] = []
    for pair in pairs:
        sentence, passages = validate_pair(pair)
        clean = strip_citations(sentence)
        facts = analyse(clean)
        staged.append((clean, facts, passages, candidates(facts, passages, limit=limit)))
    if cache is None:
        return [Prepared(f, p, tuple(c), (0.0,) * len(c), _numbers(p)) for _, f, p, c in staged]
    # One embedding call for the batch: every sentence checked and every sentence of a candidate window.
    texts = [s for s, _, _, _ in staged] + [t for *_, cands in staged for c in cands for t in c.window.sentences]
    matrix = cache.vectors(texts)
    row_of = {text: i for i, text in enumerate(texts)}
    out: list[Prepared] = []
    for row, (_, facts, passages, cands) in enumerate(staged):
        cosines = []
        for cand in cands:
            rows = matrix[[row_of[t] for t in cand.window.sentences]]
            vector = pooled_vector(rows, [len(t) for t in cand.window.sentences])
            cosines.append(float(vector @ matrix[row]))
        out.append(Prepared(facts, passages, tuple(cands), tuple(cosines), _numbers(passages)))
    return out


def _numbers(passages: tuple[str, ...]) -> tuple[Number, ...]:
    return tuple(n for p in passages for n in passage_numbers(p))
