"""The PostgreSQL store's two searches, each over one pooled connection.

- ``bm25``: exact Okapi BM25 top k with MaxScore pruning (the SQL and the pruning arithmetic are
  in ``pg_sql``); at most two statements after the term statistics in practice.
- ``dense``: cosine similarity through the HNSW index with ``hnsw.ef_search`` set per query. With
  filters, the nearest neighbours are filtered afterwards; when too few pass (a narrow filter),
  the passages the filter allows are scanned exactly, so a filter never loses hits.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import numpy as np

from ..models import Filters
from . import pg_sql as sql
from .fts import query_terms
from .pg_connect import Vec

EF_SEARCH = 100  # HNSW candidate list at least …
EF_PER_HIT = 4  # … or 4 per wanted hit: k=10 → 100 (recall@10 0.97), k=50 → 200 (recall@50 0.97), at 95k
# vectors (bench/bench_backends.py); 2 per hit gave recall@50 0.93
SESSION_EF_SEARCH = 200  # pooled connections start here: the hybrid retriever's 50 candidates need no SET
EF_SEARCH_MAX = 1000  # pgvector's upper bound
FILTERED_EF_PER_HIT = 10  # a filtered search asks the index for 10 neighbours per wanted hit

Hits = list[tuple[str, float]]


def bm25(conn: Any, query: str, k: int, filters: Filters) -> Hits:
    """Exact Okapi BM25 top ``k`` over passages holding ANY query word."""
    words = sql.query_words(query_terms(query) or query.lower().split())
    if not words or k <= 0:
        return []
    rows = conn.execute(sql.TERM_STATS, (words,)).fetchall()
    if not rows or not rows[0][2]:
        return []  # only stop words, or an empty corpus
    n_passages, tokens = rows[0][2], rows[0][3]
    terms = sql.terms_by_rarity([(lex, df) for lex, df, _, _ in rows], n_passages)
    essential = sql.first_essential(terms, k)
    while True:  # θ from one pass says how many terms matter: two passes at most in practice
        params = sql.bm25_params(terms, essential, filters, tokens / n_passages, k)
        hits = [(pid, float(score)) for pid, score in conn.execute(sql.bm25_sql(essential, filters), params)]
        theta = hits[k - 1][1] if len(hits) >= k else 0.0
        needed = sql.essential_needed(terms, theta)
        if needed <= essential:
            return hits
        essential = needed


def dense(conn: Any, vector: np.ndarray, k: int, filters: Filters, *, ef_search: int | None = None) -> Hits:
    """The ``k`` passages most cosine-similar to ``vector``, best first.

    hnsw.ef_search is ``ef_search`` if given, else max(EF_SEARCH, EF_PER_HIT·k) (10·k with filters);
    pgvector returns at most that many rows. Pooled connections start at SESSION_EF_SEARCH, so the
    common search is one statement; another value is set for one transaction only.
    """
    if k <= 0:
        return []
    q = Vec.of(vector)
    per_hit = EF_PER_HIT if filters.is_empty() else FILTERED_EF_PER_HIT
    ef = min(ef_search or max(EF_SEARCH, per_hit * k), EF_SEARCH_MAX)
    with conn.transaction() if ef != SESSION_EF_SEARCH else nullcontext():
        if ef != SESSION_EF_SEARCH:
            conn.execute(sql.SET_EF_SEARCH, (str(ef),))
        if filters.is_empty():
            rows = conn.execute(sql.DENSE_ANN, (q, q, k)).fetchall()
            if len(rows) >= k or len(rows) >= _vector_count(conn):
                return _best_first(rows)
            return _rows(conn, sql.DENSE_EXACT, [q, k])
        query_sql, fparams = sql.dense_filtered_ann_sql(filters)
        rows = conn.execute(query_sql, [q, q, ef, *fparams, k]).fetchall()
        if len(rows) >= k:
            return _best_first(rows)
        exact_sql, fparams = sql.dense_filtered_exact_sql(filters)  # a narrow filter: scan what it allows
        return _rows(conn, exact_sql, [q, *fparams, k])


def _vector_count(conn: Any) -> int:
    return int(conn.execute("SELECT coalesce(sum(vectors), 0) FROM corpus_counters").fetchone()[0])


def _rows(conn: Any, query: str, params: list[Any]) -> Hits:
    return [(r[0], float(r[1])) for r in conn.execute(query, params).fetchall()]


def _best_first(rows: list[tuple]) -> Hits:
    # The index orders by its own float4 distances; re-sort on the returned float8 similarity so
    # that "best first" also holds between neighbours a few ulps apart.
    return sorted(((r[0], float(r[1])) for r in rows), key=lambda r: -r[1])
