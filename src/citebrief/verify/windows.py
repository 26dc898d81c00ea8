"""Candidate windows of cited text and the embedding cache the checkers share.

A passage is split into sentences (``split.split_sentences``) and every run of 1–3 consecutive
sentences becomes a ``Window`` with character offsets into the passage. A sentence is checked
against the windows of its cited passages; the best one gives the verdict's ``best_span``.

Only sentences are embedded; a window's vector is the length-weighted mean of its sentences'
vectors, re-normalised (``pooled_vector``). MiniLM itself mean-pools token vectors, so this is close
to embedding the window text (Pearson r = 0.97 between the two cosines on 250 ExpertQA DEV claims,
same tuned macro-F1), and much cheaper: MiniLM read ~2,500 tokens/s on this 2-core machine, and a
3-sentence window would re-read sentences that its neighbours already read.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from ..embed import Embedder
from ..split import split_sentences
from .text import Number, TextFacts, analyse, merge

MAX_WINDOW_SENTENCES = 3
# Multi-sentence windows longer than this are not formed (single sentences always are): a window
# should hold one point, and MiniLM reads at most 256 word pieces (~1,000 characters) of a text.
MAX_WINDOW_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Window:
    """1–3 consecutive sentences of one passage, with [start, end) offsets into that passage."""

    start: int
    end: int
    text: str
    size: int  # number of sentences
    facts: TextFacts
    parts: tuple[TextFacts, ...]  # facts of each sentence, to align negation with one sentence
    sentences: tuple[str, ...]  # the text of each sentence (embedded one by one, then pooled)


@lru_cache(maxsize=8192)
def windows_of(passage: str, max_sentences: int = MAX_WINDOW_SENTENCES) -> tuple[Window, ...]:
    """All windows of 1..``max_sentences`` consecutive sentences of ``passage`` (cached by text)."""
    spans = split_sentences(passage)
    texts = [passage[s:e] for s, e in spans]
    facts = [analyse(t) for t in texts]
    out: list[Window] = []
    for i in range(len(spans)):
        for size in range(1, max_sentences + 1):
            if i + size > len(spans):
                break
            start, end = spans[i][0], spans[i + size - 1][1]
            if size > 1 and end - start > MAX_WINDOW_CHARS:
                break
            text = passage[start:end]
            parts = tuple(facts[i:i + size])
            out.append(Window(start, end, text, size, merge(parts), parts, tuple(texts[i:i + size])))
    return tuple(out)


def pooled_vector(vectors: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Unit vector of the length-weighted mean of sentence vectors (rows of ``vectors``)."""
    mean = np.asarray(lengths, dtype=np.float32) @ vectors
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def passage_numbers(passage: str) -> tuple[Number, ...]:
    """Every number stated in ``passage`` (read from its one-sentence windows, already cached)."""
    return tuple(n for w in windows_of(passage) if w.size == 1 for n in w.facts.numbers)


class EmbeddingCache:
    """Embeds texts through one ``Embedder`` call per batch, remembering recent vectors by text.

    Sentences recur: a brief cites the same passage from many sentences, and a bench run checks
    several claims against one web page. Least-recently-used entries are dropped past ``max_items``.
    """

    def __init__(self, embedder: Embedder, *, max_items: int = 50_000) -> None:
        self.embedder = embedder
        self._max_items = max_items
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (rows in order); texts not seen before are embedded in one call."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.embedder.embed(missing)
            for text, vector in zip(missing, fresh):
                self._vectors[text] = vector
        rows = []
        for text in texts:
            self._vectors.move_to_end(text)
            rows.append(self._vectors[text])
        while len(self._vectors) > self._max_items:
            self._vectors.popitem(last=False)
        if not rows:
            return np.zeros((0, getattr(self.embedder, "dim", 0)), dtype=np.float32)
        return np.stack(rows)
