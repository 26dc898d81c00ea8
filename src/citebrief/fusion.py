"""Pure ranking arithmetic: Reciprocal Rank Fusion, Maximal Marginal Relevance, source caps."""

from __future__ import annotations

from typing import Callable, Hashable, Sequence, TypeVar

import numpy as np

T = TypeVar("T", bound=Hashable)


def rrf(rankings: dict[str, Sequence[T]], k: int = 60) -> list[tuple[T, float, dict[str, int]]]:
    """Reciprocal Rank Fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score = Σ 1 / (k + rank).

    With k=60, rank 1 scores 1/61 ≈ 0.0164 and rank 10 scores 1/70 ≈ 0.0143, so agreement between
    retrievers outweighs a single high rank. Returns (item, score, {retriever: rank}) best first;
    ties keep the order of first appearance.
    """
    scores: dict[T, float] = {}
    ranks: dict[T, dict[str, int]] = {}
    for name, ranking in rankings.items():
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
            ranks.setdefault(item, {})[name] = rank
    order = sorted(scores, key=lambda item: -scores[item])
    return [(item, scores[item], ranks[item]) for item in order]


def mmr(relevance: Sequence[float], vectors: np.ndarray, k: int, lam: float = 0.7) -> list[int]:
    """Maximal Marginal Relevance (Carbonell & Goldstein, SIGIR 1998).

    Picks, one at a time, the index maximising lam·rel(i) − (1−lam)·max_j∈picked sim(i, j), with
    ``vectors`` L2-normalised so sim is cosine. Relevance is rescaled to [0, 1] first so the two
    terms are comparable (RRF scores are ~0.016 and would otherwise be swamped by similarity).
    """
    n = len(relevance)
    if n == 0:
        return []
    rel = np.asarray(relevance, dtype=np.float64)
    span = rel.max() - rel.min()
    rel = (rel - rel.min()) / span if span > 0 else np.ones(n)
    # einsum, not `@`: a 100×384 product is too small for BLAS threads, which on busy cores spin
    # waiting for each other (5–16 ms of CPU a search at 100k passages, against 0.9 ms here).
    sims = np.einsum("ij,kj->ik", vectors, vectors)
    picked: list[int] = []
    best_sim = np.full(n, -np.inf)
    available = np.ones(n, dtype=bool)
    for _ in range(min(k, n)):
        penalty = np.where(np.isfinite(best_sim), best_sim, 0.0)
        score = lam * rel - (1 - lam) * penalty
        score[~available] = -np.inf
        i = int(np.argmax(score))
        picked.append(i)
        available[i] = False
        best_sim = np.maximum(best_sim, sims[i])
    return picked


def cap_per_key(items: Sequence[T], keys: Sequence[Callable[[T], object]], limits: Sequence[int],
                k: int, *, fill: bool = True) -> list[T]:
    """Keep items in order while no key (document, outlet, …) exceeds its limit; stop at ``k``.

    A limit of 0 means unlimited; items with a None key are never capped by that key. The caps are
    soft: when too few items pass them (a corpus with one relevant document), the skipped items
    fill the remaining places in their original order (unless ``fill`` is False).
    """
    counts: list[dict[object, int]] = [{} for _ in keys]
    out: list[T] = []
    skipped: list[T] = []
    for item in items:
        if len(out) >= k:
            break
        values = [key(item) for key in keys]
        if any(limit and value is not None and counts[i].get(value, 0) >= limit
               for i, (value, limit) in enumerate(zip(values, limits))):
            skipped.append(item)
            continue
        for i, value in enumerate(values):
            counts[i][value] = counts[i].get(value, 0) + 1
        out.append(item)
    return out + skipped[:max(0, k - len(out))] if fill else out
