"""The PostgreSQL store: the same ``Store`` protocol as SQLite, for corpora shared by many processes.

- Keyword search: a generated ``tsvector`` column (english) with a GIN index, ranked with exact
  Okapi BM25 from term statistics kept in tables (``bm25_terms``, ``corpus_counters``) and
  MaxScore pruning (``pg_sql``, ``pg_search``) — the same formula as SQLite's FTS5 bm25().
- Dense search: a pgvector ``vector(dim)`` column with an HNSW index (cosine), dim from the
  fingerprint; ``hnsw.ef_search`` is max(100, 4k) per query.
- Writes: one transaction per document, ``INSERT … ON CONFLICT DO NOTHING`` on the content-hash
  id, so several ``citebrief add`` processes can ingest into one database at once; the loser of a
  race writes nothing and reports the document as unchanged.
- ``counts()`` reads sharded counters maintained in those transactions (O(1), it runs before every
  search); ``exact_counts()`` counts the rows.

Open with ``open_store("postgresql://user:password@host:5432/db")``; see ``pg_connect`` for settings.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

import numpy as np

from ..errors import StoreError
from ..models import DocMeta, Document, Filters, Passage, Sentence
from . import pg_search
from . import pg_sql as sql
from .base import FeedState, Fingerprint, RawPageRecord, record_time, register_store
from .pg_connect import (PgSettings, Vec, connect, connection_error, migrate, open_pool, redact,
                         register_vector, utc_now, vector_oid)
from .pg_connect import applied as applied_migrations
from .pg_migrations import COUNTER_SLOTS, REBUILD_STATISTICS

import psycopg  # noqa: E402  (pg_connect has already turned a missing psycopg into a StoreError)
from psycopg_pool import PoolTimeout  # noqa: E402

RECORD_TABLES = ("briefs", "runs")
WRITE_RETRIES = 5  # deadlock/serialisation retries of one document's transaction
# What a deleted document added to the counters (its row locked first); near-duplicates of it count too.
_DELETED_SHARE = """
SELECT (SELECT count(*) FROM passages WHERE doc_id = %(d)s), (SELECT count(*) FROM sentences WHERE doc_id = %(d)s),
       (SELECT count(*) FROM vectors WHERE doc_id = %(d)s),
       (SELECT coalesce(sum(dl), 0) FROM passages WHERE doc_id = %(d)s),
       (duplicate_of IS NOT NULL)::int + (SELECT count(*) FROM documents WHERE duplicate_of = %(d)s)
FROM documents WHERE doc_id = %(d)s FOR UPDATE
"""
# The inverse of pg_sql.UPSERT_TERMS: each lexeme's df loses the document's passages that hold it.
_DELETE_TERMS = """
UPDATE bm25_terms t SET df = t.df - d.n
FROM (SELECT u.lexeme, count(*) AS n FROM passages p CROSS JOIN LATERAL unnest(p.tsv) AS u
      WHERE p.doc_id = %s GROUP BY u.lexeme) d
WHERE t.term = d.lexeme
"""
FINGERPRINT_LOCK = 0x66707269  # "fpri": one process at a time changes the fingerprint or the index
INDEX_BUILD_MEMORY = "1GB"  # maintenance_work_mem for an HNSW build: 1M × 384-d vectors ≈ 1.5 GB graph
# Document transactions commit without waiting for the WAL flush (synchronous_commit=off): a server
# crash may forget the last few hundred milliseconds of documents, never corrupt anything, and the
# same `add` brings them back — the durability SQLite's WAL mode with synchronous=NORMAL gives.
# Measured here: a commit 4 ms → 0.4 ms.
ASYNC_COMMIT = "SELECT set_config('synchronous_commit', 'off', true)"


class PostgresStore:
    """A corpus in a PostgreSQL database with pgvector."""

    def __init__(self, location: str) -> None:
        self.settings = PgSettings.from_env(location, os.environ)
        self.location = redact(location)
        conn = connect(self.settings)
        try:
            migrate(conn, location)
            self._oid = vector_oid(conn)
            register_vector(conn, self._oid)
        except psycopg.Error as exc:
            raise StoreError(f"Could not prepare the citebrief schema in {self.location}: {exc}".strip()) from exc
        finally:
            conn.close()
        try:
            self._pool = open_pool(self.settings, self._oid, pg_search.SESSION_EF_SEARCH)
        except (psycopg.Error, PoolTimeout) as exc:
            raise connection_error(exc, location) from exc
        self._fp_lock = threading.Lock()

    # -- plumbing -------------------------------------------------------------------------------
    @contextmanager
    def _conn(self) -> Iterator["psycopg.Connection"]:
        """A pooled connection; server and timeout failures become ``StoreError``s that say what to do."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.errors.TransactionRollback:
            raise  # deadlock or serialisation failure: the caller retries the transaction
        except psycopg.errors.QueryCanceled as exc:
            raise StoreError(f"A query on {self.location} ran past the statement timeout "
                             f"({self.settings.statement_timeout}); raise $CITEBRIEF_PG_STATEMENT_TIMEOUT "
                             "or narrow the search") from exc
        except PoolTimeout as exc:
            raise StoreError(f"No connection to {self.location} became free or could be opened in time: "
                             "check that the server is up, or raise $CITEBRIEF_PG_POOL_SIZE") from exc
        except psycopg.OperationalError as exc:
            raise StoreError(f"Lost the connection to {self.location} ({str(exc).strip()}); check the "
                             "server and run the command again — what was written is consistent") from exc

    def _rows(self, query: str, params: Sequence[Any] = (), *, binary: bool = False) -> list[tuple]:
        with self._conn() as conn:
            return conn.cursor(binary=binary).execute(query, params).fetchall()

    def _one(self, query: str, params: Sequence[Any] = ()) -> tuple | None:
        with self._conn() as conn:
            return conn.execute(query, params).fetchone()

    def execute(self, query: str, params: Sequence[Any] = (), *, binary: bool = False) -> list[tuple]:
        """Run raw SQL (%s placeholders) and return its rows ([] for statements without rows)."""
        with self._conn() as conn:
            cur = conn.cursor(binary=binary).execute(query, params)
            return cur.fetchall() if cur.description else []

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order."""
        with self._conn() as conn:
            return applied_migrations(conn)

    # -- settings -------------------------------------------------------------------------------
    def fingerprint(self) -> Fingerprint | None:
        row = self._one("SELECT value FROM meta WHERE key = 'fingerprint'")
        return Fingerprint.from_json(row[0]) if row else None

    def set_fingerprint(self, fp: Fingerprint) -> None:
        """Record ``fp``; when its dimension is new, type the vector column and build the HNSW index."""
        if self.fingerprint() == fp and (fp.dim == 0 or self._index_dim() == fp.dim):
            return  # the common case: every `add` sets the same fingerprint again
        with self._fp_lock, self._conn() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (FINGERPRINT_LOCK,))
            conn.execute("INSERT INTO meta VALUES ('fingerprint', %s) ON CONFLICT (key) DO UPDATE "
                         "SET value = EXCLUDED.value", (fp.to_json(),))
            if fp.dim > 0 and self._index_dim(conn) != fp.dim:
                try:
                    if conn.execute(sql.VECTOR_TYPMOD).fetchone()[0] != fp.dim:  # -1 while untyped
                        conn.execute(sql.vector_column_sql(fp.dim))
                except psycopg.errors.DataException as exc:
                    raise StoreError(f"{self.location} holds vectors of another dimension than {fp.dim}; run "
                                     f"`citebrief --db {self.location} reindex` to re-embed them") from exc
                self._build_index(conn, fp.dim)

    @staticmethod
    def _build_index(conn: "psycopg.Connection", dim: int) -> None:
        """(Re)build the HNSW index inside the caller's transaction and record its dimension."""
        conn.execute("SELECT set_config('statement_timeout', '0', true)")  # a build may take minutes
        conn.execute("SELECT set_config('maintenance_work_mem', %s, true)", (INDEX_BUILD_MEMORY,))
        for statement in sql.hnsw_index_sql():
            conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('vector_dim', %s) ON CONFLICT (key) DO UPDATE "
                     "SET value = EXCLUDED.value", (str(dim),))

    def _index_dim(self, conn: "psycopg.Connection | None" = None) -> int:
        query = "SELECT value FROM meta WHERE key = 'vector_dim'"
        row = conn.execute(query).fetchone() if conn is not None else self._one(query)
        return int(row[0]) if row else 0

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Write many documents without keeping the HNSW index up to date, then build it once.

        Inserting into an HNSW index searches the graph for every vector (≈1–5 ms each here);
        one build at the end is several times faster for a large copy (`citebrief migrate` uses
        this). Searches meanwhile scan exactly. If the process dies before the end, the next
        ``set_fingerprint`` (any `add` or `migrate`) sees no index recorded and builds it.
        """
        with self._conn() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (FINGERPRINT_LOCK,))
            conn.execute("DELETE FROM meta WHERE key = 'vector_dim'")
            conn.execute("DROP INDEX IF EXISTS vectors_hnsw")
        try:
            yield
        finally:
            fp = self.fingerprint()
            if fp is not None and fp.dim > 0:
                with self._conn() as conn, conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (FINGERPRINT_LOCK,))
                    if self._index_dim(conn) != fp.dim:
                        self._build_index(conn, fp.dim)

    # -- ingest ---------------------------------------------------------------------------------
    def doc_by_raw_hash(self, raw_hash: str) -> str | None:
        row = self._one("SELECT doc_id FROM documents WHERE raw_hash = %s LIMIT 1", (raw_hash,))
        return row[0] if row else None

    def has_document(self, doc_id: str) -> bool:
        return self._one("SELECT 1 FROM documents WHERE doc_id = %s", (doc_id,)) is not None

    def band_candidates(self, bands: Sequence[tuple[int, str]]) -> list[tuple[str, str]]:
        """Documents sharing at least one MinHash band with ``bands``: (doc_id, text), in ingest order."""
        if not bands:
            return []
        return [(r[0], r[1]) for r in self._rows(
            "SELECT d.doc_id, d.text FROM documents d WHERE d.doc_id IN (SELECT b.doc_id FROM doc_bands b "
            "JOIN unnest(%s::int[], %s::text[]) AS q(band, hash) ON b.band = q.band AND b.hash = q.hash) "
            "ORDER BY d.seq", ([b for b, _ in bands], [h for _, h in bands]))]

    def add_document(self, doc: Document, passages: Sequence[Passage], vectors: np.ndarray | None,
                     bands: Sequence[tuple[int, str]], *, model: str | None = None) -> bool:
        """Write a document with its passages, sentences, vectors, bands and statistics atomically.

        Returns False (and writes nothing) when the document is already stored — also when another
        process stored it a moment ago: the unique doc_id makes the second insert wait, then do nothing.
        """
        for attempt in range(WRITE_RETRIES):
            try:
                return self._write_document(doc, passages, vectors, bands, model or "")
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == WRITE_RETRIES - 1:
                    raise
        return False  # unreachable: the loop returns or raises

    def _write_document(self, doc: Document, passages: Sequence[Passage], vectors: np.ndarray | None,
                        bands: Sequence[tuple[int, str]], model: str) -> bool:
        # Pipeline mode: two round trips per document (the insert whose answer decides, then the
        # rest with the commit) instead of one per statement.
        lengths = [sql.passage_length(p.text) for p in passages]
        sentences = [(s.doc_id, s.ordinal, p.passage_id, s.start, s.end) for p in passages for s in p.sentences]
        with self._conn() as conn:
            try:
                with conn.pipeline(), conn.transaction():
                    conn.execute(ASYNC_COMMIT)
                    cur = conn.execute(sql.INSERT_DOCUMENT, (
                        doc.doc_id, doc.source, doc.url, doc.title, doc.outlet, doc.author, doc.published,
                        doc.language, utc_now(), doc.raw_hash, doc.text, doc.duplicate_of,
                        json.dumps(list(doc.extra))))
                    if cur.fetchone() is None:
                        raise _AlreadyStored
                    cur = conn.cursor()
                    cur.executemany(sql.INSERT_PASSAGE, [(p.passage_id, p.doc_id, p.ordinal, p.start, p.end, p.text, n)
                                                         for p, n in zip(passages, lengths)])
                    cur.executemany(sql.INSERT_SENTENCE, sentences)
                    if vectors is not None:  # rows are built lazily: a short matrix fails mid-write
                        cur.executemany(sql.INSERT_VECTOR, ((p.passage_id, p.doc_id, model, Vec.of(vectors[i]))
                                                            for i, p in enumerate(passages)))
                    cur.executemany(sql.INSERT_BAND, [(b, h, doc.doc_id) for b, h in bands])
                    cur.execute(sql.UPSERT_TERMS, (doc.doc_id,))
                    cur.execute(sql.ADD_COUNTS, (1, len(passages), len(sentences),
                                                 len(passages) if vectors is not None else 0,
                                                 1 if doc.duplicate_of else 0, sum(lengths),
                                                 sql.slot_of(doc.doc_id, COUNTER_SLOTS)))
            except _AlreadyStored:
                return False
        return True

    def delete_document(self, doc_id: str) -> bool:
        """Delete a document with its passages, sentences, vectors, bands and raw pages, and take its share
        out of the BM25 term statistics and counters, in one transaction; False when it is not stored.
        Its near-duplicates become originals. Retried like ``add_document`` when it deadlocks with one."""
        for attempt in range(WRITE_RETRIES):
            try:
                with self._conn() as conn, conn.transaction():
                    return self._delete_document(conn, doc_id)
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == WRITE_RETRIES - 1:
                    raise
        return False  # unreachable: the loop returns or raises

    @staticmethod
    def _delete_document(conn: "psycopg.Connection", doc_id: str) -> bool:
        row = conn.execute(_DELETED_SHARE, {"d": doc_id}).fetchone()
        if row is None:
            return False
        passages, sentences, vectors, tokens, near_duplicates = (int(v) for v in row)
        conn.execute(_DELETE_TERMS, (doc_id,))
        conn.execute("DELETE FROM bm25_terms WHERE df <= 0")
        conn.execute(sql.ADD_COUNTS, (-1, -passages, -sentences, -vectors, -near_duplicates, -tokens,
                                      sql.slot_of(doc_id, COUNTER_SLOTS)))  # the sums are what is read
        conn.execute("UPDATE documents SET duplicate_of = NULL WHERE duplicate_of = %s", (doc_id,))
        for table in ("vectors", "doc_bands", "raw_pages", "documents"):  # passages, sentences: ON DELETE CASCADE
            conn.execute(f"DELETE FROM {table} WHERE doc_id = %s", (doc_id,))
        return True

    # -- search ---------------------------------------------------------------------------------
    def search_bm25(self, query: str, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        """Exact Okapi BM25 top ``k`` over passages holding ANY query word (``pg_search.bm25``)."""
        with self._conn() as conn:
            return pg_search.bm25(conn, query, k, filters)

    def search_dense(self, vector: np.ndarray, k: int, filters: Filters = Filters(), *,
                     ef_search: int | None = None) -> list[tuple[str, float]]:
        """Cosine similarity through the HNSW index (``pg_search.dense``; ``ef_search`` overrides
        the candidate list size, for benchmarks)."""
        with self._conn() as conn:
            try:
                return pg_search.dense(conn, vector, k, filters, ef_search=ef_search)
            except psycopg.errors.DataException as exc:
                raise StoreError(f"The query vector does not fit the vectors in {self.location} ({exc}); "
                                 "search with the embedder the corpus was built with") from exc

    def vectors(self, passage_ids: Sequence[str]) -> np.ndarray | None:
        """Stored vectors of ``passage_ids`` in order, or None when any is missing."""
        ids = list(passage_ids)
        if not ids:
            return None
        rows = dict(self._rows("SELECT passage_id, vec FROM vectors WHERE passage_id = ANY(%s)", (ids,),
                               binary=True))
        if any(pid not in rows for pid in ids):
            return None
        return np.stack([rows[pid] for pid in ids]).astype(np.float32)

    # -- reading --------------------------------------------------------------------------------
    def passages(self, passage_ids: Sequence[str]) -> dict[str, tuple[Passage, DocMeta]]:
        """Passages (with their sentences) and document metadata for ``passage_ids``: one statement."""
        ids = list(dict.fromkeys(passage_ids))
        out: dict[str, tuple[Passage, DocMeta]] = {}
        for pid, doc_id, ordinal, start, end, text, *meta, s_ord, s_start, s_end, s_text in (
                self._rows(sql.PASSAGES, (ids,)) if ids else []):
            sentences = tuple(Sentence(doc_id, *row) for row in zip(s_ord, s_start, s_end, s_text))
            out[pid] = (Passage(pid, doc_id, ordinal, start, end, text, sentences), DocMeta(doc_id, *meta))
        return out

    def document(self, doc_id: str) -> Document | None:
        row = self._one("SELECT doc_id, source, text, raw_hash, title, outlet, author, published, url, language, "
                        "duplicate_of, extra FROM documents WHERE doc_id = %s", (doc_id,))
        if row is None:
            return None
        *fields, extra = row
        return Document(*fields, extra=tuple(tuple(x) for x in json.loads(extra)))

    def documents(self) -> list[DocMeta]:
        return [DocMeta(*r) for r in self._rows(
            "SELECT doc_id, source, title, outlet, author, published, url, duplicate_of FROM documents ORDER BY seq")]

    def counts(self) -> dict[str, int]:
        """Row counts from the sharded counters (constant time; ``exact_counts`` counts rows)."""
        return dict(zip(sql.COUNT_NAMES, (int(v) for v in self._one(sql.COUNTS))))

    def exact_counts(self) -> dict[str, int]:
        """Row counts by counting rows (a scan: for checks such as `citebrief migrate`, not per search)."""
        return dict(zip(sql.COUNT_NAMES, (int(v) for v in self._one(sql.EXACT_COUNTS))))

    def rebuild_statistics(self) -> None:
        """Recompute BM25 term statistics and counters from the rows (after a bulk load or a repair)."""
        with self._conn() as conn, conn.transaction():
            conn.execute("LOCK TABLE bm25_terms, corpus_counters IN EXCLUSIVE MODE")
            conn.execute("SELECT set_config('statement_timeout', '0', true)")
            conn.execute(REBUILD_STATISTICS)

    # -- vectors --------------------------------------------------------------------------------
    def passages_without_vectors(self, limit: int) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._rows(
            "SELECT p.passage_id, p.text FROM passages p WHERE NOT EXISTS "
            "(SELECT 1 FROM vectors v WHERE v.passage_id = p.passage_id) ORDER BY p.seq LIMIT %s", (limit,))]

    def add_vectors(self, ids: Sequence[str], vectors: np.ndarray, model: str) -> None:
        """Insert or replace vectors of stored passages (unknown ids are skipped)."""
        with self._conn() as conn, conn.transaction():
            cur = conn.cursor()
            cur.executemany(sql.UPSERT_VECTOR, [(model, Vec.of(v), pid) for pid, v in zip(ids, vectors)],
                            returning=True)
            fresh = 0
            while True:
                fresh += sum(1 for (new,) in cur.fetchall() if new)
                if not cur.nextset():
                    break
            conn.execute("UPDATE corpus_counters SET vectors = vectors + %s WHERE slot = 0", (fresh,))

    def reset_vectors(self) -> None:
        with self._conn() as conn, conn.transaction():
            conn.execute("TRUNCATE vectors")
            conn.execute("UPDATE corpus_counters SET vectors = 0")

    def cached_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        rows = self._rows("SELECT key, vec FROM text_vectors WHERE model = %s AND key = ANY(%s)",
                          (model, list(keys))) if keys else []
        return {key: np.frombuffer(bytes(vec), dtype=np.float32) for key, vec in rows}

    def cache_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        # Sorted: two briefs caching overlapping texts take row locks in one order, never deadlock.
        rows = [(key, model, np.asarray(items[key], np.float32).tobytes()) for key in sorted(items)]
        try:
            with self._conn() as conn, conn.transaction(), conn.cursor() as cur:
                cur.executemany("INSERT INTO text_vectors VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", rows)
        except (psycopg.Error, PoolTimeout, StoreError):  # a cache: a read-only role or a timeout costs only speed
            pass

    def cached_parses(self, pipeline: str, keys: Sequence[str]) -> dict[str, bytes]:
        rows = self._rows("SELECT key, doc FROM text_parses WHERE pipeline = %s AND key = ANY(%s)",
                          (pipeline, list(keys))) if keys else []
        return {key: bytes(doc) for key, doc in rows}

    def cache_parses(self, pipeline: str, items: dict[str, bytes]) -> None:
        rows = [(key, pipeline, items[key]) for key in sorted(items)]
        try:
            with self._conn() as conn, conn.transaction(), conn.cursor() as cur:
                cur.executemany("INSERT INTO text_parses VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", rows)
        except (psycopg.Error, PoolTimeout, StoreError):  # a cache: a read-only role or a timeout costs only speed
            pass

    # -- web: raw pages and followed feeds ------------------------------------------------------
    def doc_by_url(self, url: str) -> str | None:
        """A document whose (canonical) URL is ``url``."""
        row = self._one("SELECT doc_id FROM documents WHERE url = %s LIMIT 1", (url,))
        if row is None:
            row = self._one("SELECT doc_id FROM raw_pages WHERE (canonical_url = %s OR url = %s) "
                            "AND doc_id IS NOT NULL LIMIT 1", (url, url))
        return row[0] if row else None

    def save_raw_page(self, page: RawPageRecord) -> None:
        self.execute(
            "INSERT INTO raw_pages VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (url, fetched_at) DO UPDATE "
            "SET canonical_url = EXCLUDED.canonical_url, status = EXCLUDED.status, doc_id = EXCLUDED.doc_id, "
            "blob = EXCLUDED.blob",
            (page.url, page.fetched_at, page.canonical_url, page.status, page.doc_id, page.blob))

    def raw_pages(self, url: str) -> list[RawPageRecord]:
        rows = self._rows("SELECT url, fetched_at, canonical_url, status, doc_id, blob FROM raw_pages "
                          "WHERE url = %s OR canonical_url = %s ORDER BY fetched_at", (url, url))
        return [RawPageRecord(*r[:5], bytes(r[5])) for r in rows]

    def feed_state(self, url: str) -> FeedState | None:
        row = self._one("SELECT url, kind, etag, last_modified, last_polled FROM feeds WHERE url = %s", (url,))
        return FeedState(*row) if row else None

    def save_feed_state(self, state: FeedState) -> None:
        self.execute(
            "INSERT INTO feeds VALUES (%s, %s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET kind = EXCLUDED.kind, "
            "etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, last_polled = EXCLUDED.last_polled",
            (state.url, state.kind, state.etag, state.last_modified, state.last_polled))

    def feeds(self) -> list[FeedState]:
        return [FeedState(*r) for r in self._rows(
            "SELECT url, kind, etag, last_modified, last_polled FROM feeds ORDER BY url")]

    # -- briefs and runs ------------------------------------------------------------------------
    @staticmethod
    def _table(table: str) -> str:
        if table not in RECORD_TABLES:
            raise StoreError(f"unknown record table {table!r}; use one of: {', '.join(RECORD_TABLES)}")
        return table

    def save_record(self, table: str, key: str, data: dict[str, Any]) -> None:
        now = record_time()
        self.execute(f"INSERT INTO {self._table(table)} (id, created_at, updated_at, data) VALUES (%s, %s, %s, %s) "
                     "ON CONFLICT (id) DO UPDATE SET updated_at = EXCLUDED.updated_at, data = EXCLUDED.data",
                     (key, now, now, json.dumps(data)))

    def load_record(self, table: str, key: str) -> dict[str, Any] | None:
        row = self._one(f"SELECT data FROM {self._table(table)} WHERE id = %s", (key,))
        return json.loads(row[0]) if row else None

    def list_records(self, table: str, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._rows(f"SELECT data FROM {self._table(table)} ORDER BY created_at DESC, id LIMIT %s", (limit,))
        return [json.loads(r[0]) for r in rows]

    def close(self) -> None:
        self._pool.close()


class _AlreadyStored(Exception):
    """Raised inside a document's transaction to roll it back when the document exists."""


register_store("postgresql", PostgresStore)
