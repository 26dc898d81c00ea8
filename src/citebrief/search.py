"""Hybrid retrieval: BM25 (FTS5) and dense (MiniLM) rankings fused with RRF, then MMR and caps."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .embed import Embedder
from .errors import EmptyCorpusError, UsageError
from .fusion import cap_per_key, mmr, rrf
from .models import Filters, Hit, SearchMode
from .store.base import Store


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """Knobs of one search."""

    mode: SearchMode = SearchMode.HYBRID
    k: int = 10
    candidates: int = 50  # per retriever, before fusion
    rrf_k: int = 60
    mmr_lambda: float = 0.7  # 1.0 disables diversity
    per_document: int = 3  # 0 = unlimited
    per_outlet: int = 5
    filters: Filters = field(default_factory=Filters)


def _outlet_key(hit: Hit) -> str | None:
    return hit.doc.outlet.lower() if hit.doc.outlet else None


def _origin_key(hit: Hit) -> str:
    return hit.doc.duplicate_of or hit.doc.doc_id  # a syndicated copy counts with its original


@dataclass
class Retriever:
    """Runs searches over one store; the embedder is only needed for dense and hybrid modes."""

    store: Store
    embedder: Embedder | None = None

    def search(self, query: str, options: SearchOptions = SearchOptions()) -> list[Hit]:
        """The top ``options.k`` passages for ``query``."""
        if not query.strip():
            raise UsageError("The query is empty — give some words to search for")
        return self.search_vec(query, self._query_vector(query, options.mode), options)

    def _query_vector(self, query: str, mode: SearchMode) -> np.ndarray | None:
        if mode == SearchMode.BM25:
            return None
        if self.embedder is None:
            raise UsageError(f"--mode {mode.value} needs an embedder; this corpus has no vectors "
                             "(run `citebrief reindex`) or use --mode bm25")
        return self.embedder.embed([query])[0]

    def search_vec(self, query: str, vector: np.ndarray | None, options: SearchOptions) -> list[Hit]:
        """Search with a precomputed query vector (batch evaluations embed all queries at once)."""
        rankings: dict[str, list[str]] = {}
        if options.mode in (SearchMode.BM25, SearchMode.HYBRID):
            rankings["bm25"] = [pid for pid, _ in self.store.search_bm25(query, options.candidates, options.filters)]
        if options.mode in (SearchMode.DENSE, SearchMode.HYBRID) and vector is not None:
            rankings["dense"] = [pid for pid, _ in self.store.search_dense(vector, options.candidates, options.filters)]
        # The emptiness check runs only when nothing matched: counting rows on every search cost
        # ~0.2 s at 100k passages (bench/bench_search_speed.py).
        if not any(rankings.values()) and self.store.counts()["documents"] == 0:
            raise EmptyCorpusError(f"No documents indexed in {self.store.location} — run "
                                   "`citebrief add PATH` first")
        fused = rrf(rankings, k=options.rrf_k)
        data = self.store.passages([pid for pid, _, _ in fused])
        hits = [Hit(data[pid][0], data[pid][1], score, tuple(sorted(ranks.items())))
                for pid, score, ranks in fused if pid in data]
        if options.mmr_lambda < 1.0 and vector is not None and len(hits) > 1:
            hits = self._diversify(hits, options)
        return cap_per_key(hits, [_origin_key, _outlet_key], [options.per_document, options.per_outlet],
                           options.k)

    def _diversify(self, hits: list[Hit], options: SearchOptions) -> list[Hit]:
        vectors = self.store.vectors([h.passage.passage_id for h in hits])
        if vectors is None:
            return hits
        order = mmr([h.score for h in hits], vectors, k=len(hits), lam=options.mmr_lambda)
        return [hits[i] for i in order]
