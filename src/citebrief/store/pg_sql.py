"""SQL of the PostgreSQL store, built apart from running it, and the pure parts of BM25 search.

Keyword search is Okapi BM25 (Robertson & Zaragoza 2009; k1=1.2, b=0.75, idf = ln((N − n + 0.5) /
(n + 0.5)) floored at 1e-6, exactly as FTS5's bm25()), computed in PostgreSQL from stored term
statistics: document frequencies in ``bm25_terms`` and N / total length in ``corpus_counters``,
both kept up to date in each document's transaction; passage lengths in ``passages.dl``; term
frequencies read from each passage's tsvector. PostgreSQL's own ts_rank has no idf (bench:
nDCG@10 on Climate-FEVER, BENCHMARKS.md), so it is not used.

1. ``TERM_STATS``: the english lexemes of the query words (``to_tsvector('english', word)``, so the
   stemmer is the index's own) with df, N and the total token count.
2. ``bm25_sql``: the passages matching ANY lexeme of an *essential* set (GIN index), each scored
   with BM25 over ALL query lexemes, best k first. Every lexeme is a bound parameter of
   ``plainto_tsquery('simple', …)`` and the OR query is built with ``||``, so ``NOT``, ``"``,
   ``*``, ``:`` or parentheses in a question are plain text, never query syntax.

The essential set is MaxScore pruning (Turtle & Flood 1995): a lexeme contributes at most
idf·(k1+1) to any passage, so once the k-th best score θ found is above the summed bounds of the
remaining (commonest) lexemes, no passage holding only those can enter the top k and their long
posting lists are never read. The result is the exact BM25 top k. ``first_essential`` starts with
the rarest lexemes holding ≥ k postings; ``essential_needed`` says, from θ, how many are needed;
``pg_search.bm25`` then runs (in practice) one more query with them. Measured on 99,957 passages, "Global
warming is driving polar bears toward extinction", k=50: the first pass reads "bear" (df 1,190) and
finds θ = 10.97; the bounds of "warm" (df 28,764) and "global" (df 29,152) sum to 3.94 < θ, so the
second pass reads the five rarer lexemes only — 9,777 postings instead of 67,693.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..models import Filters

K1 = 1.2
B = 0.75
IDF_FLOOR = 1e-6  # FTS5's floor: a term in more than half the passages still counts a little
_WORD_RE = re.compile(r"\w+", re.UNICODE)

Query = tuple[str, list[Any]]


def filter_sql(filters: Filters, alias: str = "d") -> Query:
    """SQL conditions (each prefixed with ' AND ') and parameters for ``filters``."""
    parts: list[str] = []
    params: list[Any] = []
    if filters.date_from:
        parts.append(f"{alias}.published >= %s")
        params.append(filters.date_from)
    if filters.date_to:
        parts.append(f"{alias}.published <= %s")
        params.append(filters.date_to)
    if filters.outlets_include:
        parts.append(f"lower({alias}.outlet) = ANY(%s)")
        params.append([o.lower() for o in filters.outlets_include])
    if filters.outlets_exclude:
        parts.append(f"NOT (coalesce(lower({alias}.outlet), '') = ANY(%s))")
        params.append([o.lower() for o in filters.outlets_exclude])
    if filters.doc_ids:
        parts.append(f"{alias}.doc_id = ANY(%s)")
        params.append(list(filters.doc_ids))
    return "".join(" AND " + p for p in parts), params


# -- keyword search -------------------------------------------------------------------------------
TERM_STATS = """
SELECT DISTINCT lex, coalesce(t.df, 0), c.n, c.tokens
FROM unnest(%s::text[]) AS w(word)
CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', w.word))) AS lex
LEFT JOIN bm25_terms t ON t.term = lex
CROSS JOIN (SELECT coalesce(sum(passages), 0)::bigint AS n, coalesce(sum(tokens), 0)::bigint AS tokens
            FROM corpus_counters) AS c
"""


@dataclass(frozen=True, slots=True)
class Term:
    """A query lexeme with its statistics."""

    lexeme: str
    df: int
    idf: float

    @property
    def bound(self) -> float:
        """The most this term adds to any passage's BM25: idf·(k1+1) (tf → ∞)."""
        return self.idf * (K1 + 1)


def query_words(terms: Sequence[str]) -> list[str]:
    """The words to stem: ``query_terms`` output with underscores split (PostgreSQL's parser would
    turn "foo_bar" into two lexemes; one word per lexeme keeps the statistics simple)."""
    return list(dict.fromkeys(part for t in terms for part in t.split("_") if part))


def terms_by_rarity(rows: Sequence[tuple[str, int]], n_passages: int) -> list[Term]:
    """Terms from (lexeme, df) rows, rarest (highest idf) first; ties by lexeme for determinism."""
    terms = [Term(lex, int(df), idf(n_passages, int(df))) for lex, df in rows]
    return sorted(terms, key=lambda t: (-t.idf, t.lexeme))


def first_essential(terms: Sequence[Term], k: int) -> int:
    """How many of the rarest terms to match first: the fewest whose postings reach k."""
    total = 0
    for i, term in enumerate(terms, start=1):
        total += term.df
        if total >= k:
            return i
    return len(terms)


def essential_needed(terms: Sequence[Term], theta: float) -> int:
    """The fewest leading terms such that the bounds of all the others sum below ``theta``.

    θ = 0 (fewer than k hits so far) needs every term; bounds (3.0, 2.0, 1.0) with θ = 2.5 need 2:
    a passage holding only the third term scores at most 1.0 < 2.5.
    """
    rest = sum(t.bound for t in terms)
    for i, term in enumerate(terms):
        if rest < theta:
            return i
        rest -= term.bound
    return len(terms)


def bm25_sql(n_essential: int, filters: Filters) -> str:
    """BM25 over passages matching ANY of ``n_essential`` lexemes, scored over all query lexemes.

    Parameters (``bm25_params``): the idfs (float8[]) and lexemes (text[]) of all query terms,
    avgdl, the lexemes again, the essential lexemes one by one, the filter parameters, k. A
    passage's frequencies of the query lexemes come from its tsvector: ``setweight(tsv, 'A',
    lexemes)`` marks them, ``ts_filter(…, '{a}')`` keeps only them, and ``cardinality(positions)``
    is the term frequency — a few binary searches per row where an unnest of the whole vector
    took ≈8× longer (measured on Climate-FEVER passages); ``array_position`` finds each lexeme's
    idf without a join (≈2× faster than joining a table of terms).
    """
    any_lexeme = " || ".join(["plainto_tsquery('simple', %s)"] * n_essential)
    cond, _ = filter_sql(filters)
    return f"""
SELECT p.passage_id, s.score FROM passages p JOIN documents d ON d.doc_id = p.doc_id
CROSS JOIN LATERAL (
    SELECT sum(q.idfs[array_position(q.lexemes, u.lexeme)] * f.tf * {K1 + 1}
               / (f.tf + {K1} * ({1 - B} + {B} * p.dl::float8 / q.avgdl))) AS score
    FROM (SELECT %s::float8[] AS idfs, %s::text[] AS lexemes, %s::float8 AS avgdl) AS q,
         unnest(ts_filter(setweight(p.tsv, 'A', %s::text[]), '{{a}}')) AS u,
         LATERAL (SELECT greatest(cardinality(u.positions), 1)::float8 AS tf) AS f) AS s
WHERE p.tsv @@ ({any_lexeme}){cond}
ORDER BY s.score DESC, p.seq
LIMIT %s
"""


def bm25_params(terms: Sequence[Term], n_essential: int, filters: Filters, avgdl: float, k: int) -> list[Any]:
    """Parameters of ``bm25_sql`` in placeholder order."""
    _, fparams = filter_sql(filters)
    lexemes = [t.lexeme for t in terms]
    return [[t.idf for t in terms], lexemes, avgdl or 1.0, lexemes,
            *(t.lexeme for t in terms[:n_essential]), *fparams, k]


def passage_length(text: str) -> int:
    """BM25 document length of a passage: its \\w+ tokens, stop words included (FTS5 counts them too)."""
    return len(_WORD_RE.findall(text))


def idf(n_passages: int, df: int) -> float:
    """BM25 idf as FTS5 computes it: ln((N − n + 0.5)/(n + 0.5)), floored at 1e-6.

    N=1000, n=10: ln(990.5/10.5) ≈ 4.547; n=600: ln(400.5/600.5) < 0 → 1e-6.
    """
    return max(math.log((n_passages - df + 0.5) / (df + 0.5)), IDF_FLOOR)


def bm25(tf: dict[str, int], length: int, idfs: dict[str, float], avgdl: float) -> float:
    """Okapi BM25 of one passage: Σ idf·tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl)) (the oracle
    that ``bm25_sql`` is tested against)."""
    norm = K1 * (1 - B + B * length / avgdl) if avgdl > 0 else K1
    return sum(idfs.get(lex, 0.0) * n * (K1 + 1) / (n + norm) for lex, n in tf.items())


# -- dense search ---------------------------------------------------------------------------------
SET_EF_SEARCH = "SELECT set_config('hnsw.ef_search', %s, true)"
DENSE_ANN = """
SELECT v.passage_id, 1 - (v.vec <=> %b) FROM vectors v ORDER BY v.vec <=> %b LIMIT %s
"""


def dense_filtered_ann_sql(filters: Filters) -> Query:
    """HNSW neighbours (as many as ef_search returns), then the filter: fast for broad filters."""
    cond, params = filter_sql(filters)
    sql = f"""
WITH nn AS MATERIALIZED (
    SELECT v.passage_id, v.doc_id, v.vec <=> %b AS dist FROM vectors v ORDER BY v.vec <=> %b LIMIT %s)
SELECT nn.passage_id, 1 - nn.dist FROM nn JOIN documents d ON d.doc_id = nn.doc_id
WHERE true{cond} ORDER BY nn.dist LIMIT %s
"""
    return sql, params


def dense_filtered_exact_sql(filters: Filters) -> Query:
    """Exact search over the passages the filter allows; the subquery keeps HNSW out of the plan."""
    cond, params = filter_sql(filters)
    sql = f"""
SELECT s.passage_id, 1 - s.dist FROM (
    SELECT v.passage_id, v.vec <=> %b AS dist FROM vectors v JOIN documents d ON d.doc_id = v.doc_id
    WHERE true{cond} OFFSET 0) AS s
ORDER BY s.dist, s.passage_id LIMIT %s
"""
    return sql, params


DENSE_EXACT = """
SELECT s.passage_id, 1 - s.dist FROM (
    SELECT v.passage_id, v.vec <=> %b AS dist FROM vectors v OFFSET 0) AS s
ORDER BY s.dist, s.passage_id LIMIT %s
"""


VECTOR_TYPMOD = "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'vectors'::regclass AND attname = 'vec'"


def vector_column_sql(dim: int) -> str:
    """Type the vector column ``vector(dim)`` (an HNSW index needs a fixed dimension)."""
    if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
        raise ValueError(f"vector dimension must be a positive integer, not {dim!r}")
    return f"ALTER TABLE vectors ALTER COLUMN vec TYPE vector({dim})"


def hnsw_index_sql(*, m: int = 16, ef_construction: int = 64) -> list[str]:
    """Drop and build the HNSW index (cosine distance; pgvector's default m and ef_construction)."""
    return ["DROP INDEX IF EXISTS vectors_hnsw",
            f"CREATE INDEX vectors_hnsw ON vectors USING hnsw (vec vector_cosine_ops) "
            f"WITH (m = {int(m)}, ef_construction = {int(ef_construction)})"]


# -- reading --------------------------------------------------------------------------------------
# Sentence texts are cut on the server from the passage's own text (a passage is
# document.text[start:end] and holds its sentences; substr counts characters as Python slices do),
# so a hit carries neither its whole document over the wire nor a detoast of it per sentence.
PASSAGES = """
SELECT p.passage_id, p.doc_id, p.ordinal, p.start, p."end", p.text,
       d.source, d.title, d.outlet, d.author, d.published, d.url, d.duplicate_of,
       coalesce(s.ordinals, '{}'), coalesce(s.starts, '{}'), coalesce(s.ends, '{}'), coalesce(s.texts, '{}')
FROM passages p JOIN documents d ON d.doc_id = p.doc_id
LEFT JOIN LATERAL (
    SELECT array_agg(x.ordinal ORDER BY x.ordinal) AS ordinals, array_agg(x.start ORDER BY x.ordinal) AS starts,
           array_agg(x."end" ORDER BY x.ordinal) AS ends,
           array_agg(substr(p.text, x.start - p.start + 1, x."end" - x.start) ORDER BY x.ordinal) AS texts
    FROM sentences x WHERE x.passage_id = p.passage_id) AS s ON true
WHERE p.passage_id = ANY(%s)
"""


# -- writes ---------------------------------------------------------------------------------------
INSERT_DOCUMENT = """
INSERT INTO documents (doc_id, source, url, title, outlet, author, published, language, ingested_at,
                       raw_hash, text, duplicate_of, extra)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (doc_id) DO NOTHING RETURNING doc_id
"""
INSERT_PASSAGE = """
INSERT INTO passages (passage_id, doc_id, ordinal, start, "end", text, dl) VALUES (%s, %s, %s, %s, %s, %s, %s)
"""
INSERT_SENTENCE = 'INSERT INTO sentences (doc_id, ordinal, passage_id, start, "end") VALUES (%s, %s, %s, %s, %s)'
INSERT_VECTOR = "INSERT INTO vectors (passage_id, doc_id, model, vec) VALUES (%s, %s, %s, %b)"
INSERT_BAND = "INSERT INTO doc_bands (band, hash, doc_id) VALUES (%s, %s, %s)"
# Lexemes are upserted in sorted order so that two documents' transactions lock shared rows in the
# same order and cannot deadlock each other (a retry covers the rare case anyway).
UPSERT_TERMS = """
INSERT INTO bm25_terms (term, df)
SELECT u.lexeme, count(*) FROM passages p CROSS JOIN LATERAL unnest(p.tsv) AS u
WHERE p.doc_id = %s GROUP BY u.lexeme ORDER BY u.lexeme
ON CONFLICT (term) DO UPDATE SET df = bm25_terms.df + EXCLUDED.df
"""
ADD_COUNTS = """
UPDATE corpus_counters SET documents = documents + %s, passages = passages + %s,
    sentences = sentences + %s, vectors = vectors + %s, near_duplicates = near_duplicates + %s,
    tokens = tokens + %s
WHERE slot = %s
"""
UPSERT_VECTOR = """
INSERT INTO vectors (passage_id, doc_id, model, vec)
SELECT p.passage_id, p.doc_id, %s, %b FROM passages p WHERE p.passage_id = %s
ON CONFLICT (passage_id) DO UPDATE SET model = EXCLUDED.model, vec = EXCLUDED.vec
RETURNING (xmax = 0)
"""
COUNTS = """
SELECT coalesce(sum(documents), 0)::bigint, coalesce(sum(passages), 0)::bigint,
       coalesce(sum(sentences), 0)::bigint, coalesce(sum(vectors), 0)::bigint,
       coalesce(sum(near_duplicates), 0)::bigint FROM corpus_counters
"""
EXACT_COUNTS = """
SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM passages), (SELECT count(*) FROM sentences),
       (SELECT count(*) FROM vectors), (SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL)
"""
COUNT_NAMES = ("documents", "passages", "sentences", "vectors", "near_duplicates")


def slot_of(doc_id: str, slots: int) -> int:
    """The counter row a document adds to: its id's first 8 hex digits modulo ``slots``."""
    try:
        return int(doc_id[:8], 16) % slots
    except ValueError:  # ids are hex content hashes; anything else still needs a stable slot
        return sum(doc_id.encode()) % slots
