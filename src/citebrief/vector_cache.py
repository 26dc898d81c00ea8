"""Vectors of texts remembered between briefs, so the embedding model runs once per sentence.

A brief embeds its question, facet queries and every candidate evidence sentence, and the
verifier embeds the sentences of the passages each brief sentence cites: on two cores that is
most of a brief's time (≈ 90% on the sample corpus). ``CachedEmbedder`` wraps the corpus's
embedder: a text seen earlier in this brief comes from memory, one seen by an earlier brief on
this corpus from the store's ``text_vectors`` table (keyed by SHA-256 of the text and the model
name), and only the rest goes to the model, whose vectors are then saved for the next brief.
Saving is best effort: a read-only corpus or a busy one costs speed, never a brief.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Sequence

import numpy as np

from .embed import Embedder
from .store.base import Store


def text_key(text: str) -> str:
    """The cache key of ``text``: hex SHA-256 of its UTF-8 bytes (surrogates escaped)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class CachedEmbedder:
    """An ``Embedder`` that asks memory, then the store, then the model, and saves what it computed."""

    def __init__(self, inner: Embedder, store: Store, *, max_items: int = 50_000) -> None:
        self.inner, self.store = inner, store
        self.name, self.dim = inner.name, inner.dim
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._max_items = max_items
        self.computed = 0  # texts the model embedded (the rest came from a cache)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        wanted = [k for k in dict.fromkeys(keys) if k not in self._memory]
        if wanted:
            self._remember(self.store.cached_vectors(self.name, wanted))
            text_of = dict(zip(keys, texts))
            missing = [k for k in wanted if k not in self._memory]
            if missing:
                fresh = dict(zip(missing, self.inner.embed([text_of[k] for k in missing])))
                self.computed += len(missing)
                self._remember(fresh)
                self.store.cache_vectors(self.name, fresh)
        rows = np.stack([self._memory[k] for k in keys])
        for k in keys:
            self._memory.move_to_end(k)
        while len(self._memory) > self._max_items:
            self._memory.popitem(last=False)
        return rows

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        for key, vector in vectors.items():
            if vector.shape == (self.dim,):  # a row of another size is stale: recompute it
                self._memory[key] = vector
