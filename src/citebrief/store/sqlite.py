"""The embedded SQLite store: one file, WAL mode, FTS5 BM25, vectors as float32 blobs.

SQLite is the store of record. Small corpora are searched exactly: FTS5 BM25, and every vector in
one in-memory float32 matrix scored with a single matrix-vector product (reloaded only when the
vector set changes). From ``derived.DEFAULT_MIN_PASSAGES`` passages on, unfiltered searches go
through indexes derived from the tables and caught up on each search (``derived.py``: tantivy
BM25 and usearch HNSW beside the file), and no matrix is held in memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator, Sequence

import numpy as np

from ..errors import StoreError
from ..models import DocMeta, Document, Filters, Passage, Sentence
from .base import FeedState, Fingerprint, RawPageRecord, record_time, register_store
from .derived import DerivedIndexes, min_passages_setting
from .fts import fts_match
from .migrations import MIGRATIONS
from .sqlite_errors import store_write_error
from .sqlite_sql import bm25_sql, filter_sql

RECORD_TABLES = ("briefs", "runs")


def utc_now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SQLiteStore:
    """A corpus in one SQLite file."""

    def __init__(self, location: str, *, index_min_passages: int | None = None) -> None:
        """Open (creating and migrating) the corpus at ``location``.

        ``index_min_passages``: from how many passages on searches use the derived indexes
        (default: ``CITEBRIEF_INDEX_MIN_PASSAGES`` or 20,000; see ``derived.py``).
        """
        self.location = location
        folder = os.path.dirname(os.path.abspath(location))
        if not os.path.isdir(folder):
            raise StoreError(f"Folder {folder} does not exist — create it or choose another --db path")
        try:
            self._conn = sqlite3.connect(location, timeout=60, check_same_thread=False,
                                         isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA busy_timeout=60000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{location} is not a usable citebrief corpus ({exc}); "
                             "choose another --db path") from exc
        self._lock = threading.RLock()
        self._matrix: tuple[int, list[str], np.ndarray, dict[str, int]] | None = None
        self._derived = DerivedIndexes(location, self.execute, min_passages=min_passages_setting(index_min_passages))

    # -- schema ---------------------------------------------------------------------------------
    def _migrate(self) -> None:
        conn = self._conn
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                     "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
        for name, script in MIGRATIONS:
            if name in done:
                continue
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("SELECT 1 FROM schema_migrations WHERE name=?", (name,)).fetchone():
                    conn.execute("COMMIT")  # another process applied it while we waited
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, utc_now()))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT under the lock; any error rolls back an open transaction only.

        A failed write raises ``store_write_error``: after a full disk SQLite has often rolled
        back by itself, and a second ROLLBACK ("no transaction is active") hid the real cause.
        """
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise store_write_error(self.location, exc) from exc
                raise

    def _write(self, sql: str, params: Sequence[Any]) -> None:
        """One statement in its own (autocommit) transaction, with write errors named."""
        with self._lock:
            try:
                self._conn.execute(sql, params)
            except sqlite3.Error as exc:
                raise store_write_error(self.location, exc) from exc

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this file, in order."""
        return [r[0] for r in self._conn.execute("SELECT name FROM schema_migrations ORDER BY name")]

    # -- settings -------------------------------------------------------------------------------
    def fingerprint(self) -> Fingerprint | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
        return Fingerprint.from_json(row[0]) if row else None

    def set_fingerprint(self, fp: Fingerprint) -> None:
        if self.fingerprint() != fp:  # unchanged: no write, so a read-only corpus can still be read
            self._write("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fp.to_json(),))

    # -- ingest ---------------------------------------------------------------------------------
    def doc_by_raw_hash(self, raw_hash: str) -> str | None:
        row = self._conn.execute("SELECT doc_id FROM documents WHERE raw_hash=? LIMIT 1",
                                 (raw_hash,)).fetchone()
        return row[0] if row else None

    def has_document(self, doc_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc_id,)).fetchone() is not None

    def band_candidates(self, bands: Sequence[tuple[int, str]]) -> list[tuple[str, str]]:
        """Documents sharing at least one MinHash band with ``bands``: (doc_id, text)."""
        if not bands:
            return []
        cond = " OR ".join("(band=? AND hash=?)" for _ in bands)
        params = [v for pair in bands for v in pair]
        # The documents sharing the most bands first, at most 10: a corpus full of syndicated copies
        # would otherwise make every new copy compare its text with every earlier one (quadratic).
        ids = {r[0] for r in self._conn.execute(
            f"SELECT doc_id FROM doc_bands WHERE {cond} GROUP BY doc_id ORDER BY count(*) DESC, doc_id LIMIT 10",
            params)}
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return list(self._conn.execute(f"SELECT doc_id, text FROM documents WHERE doc_id IN ({marks}) "
                                       "ORDER BY rowid", list(ids)))

    def add_document(self, doc: Document, passages: Sequence[Passage], vectors: np.ndarray | None,
                     bands: Sequence[tuple[int, str]], *, model: str | None = None) -> bool:
        """Write a document with its passages, sentences, FTS rows, vectors and bands atomically.

        Returns False (and writes nothing) when the document is already stored.
        """
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc.doc_id,)).fetchone():
                return False
            conn.execute(
                "INSERT INTO documents (doc_id, source, url, title, outlet, author, published, "
                "language, ingested_at, raw_hash, text, duplicate_of, extra) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.source, doc.url, doc.title, doc.outlet, doc.author, doc.published,
                 doc.language, utc_now(), doc.raw_hash, doc.text, doc.duplicate_of,
                 json.dumps(list(doc.extra))))
            for i, p in enumerate(passages):
                cur = conn.execute("INSERT INTO passages (passage_id, doc_id, ordinal, start, \"end\", text) "
                                   "VALUES (?,?,?,?,?,?)",
                                   (p.passage_id, p.doc_id, p.ordinal, p.start, p.end, p.text))
                conn.execute("INSERT INTO passages_fts (rowid, text) VALUES (?, ?)", (cur.lastrowid, p.text))
                conn.executemany("INSERT INTO sentences VALUES (?,?,?,?,?)",
                                 [(s.doc_id, s.ordinal, p.passage_id, s.start, s.end) for s in p.sentences])
                if vectors is not None:
                    conn.execute("INSERT INTO vectors VALUES (?,?,?)",
                                 (p.passage_id, model or "", np.asarray(vectors[i], np.float32).tobytes()))
            conn.executemany("INSERT INTO doc_bands VALUES (?,?,?)",
                             [(b, h, doc.doc_id) for b, h in bands])
            self._matrix = None
        return True

    def delete_document(self, doc_id: str) -> bool:
        """Delete a document with its passages, sentences, FTS rows, vectors, bands and raw pages, atomically.

        Returns False when no such document is stored. Its near-duplicates become originals. The derived
        indexes never answer with a deleted passage: a tantivy hit maps its rowid to a passage id through
        ``passages`` (a deleted rowid maps to nothing), deleting the newest rows makes ``passages`` shorter
        than the index, which rebuilds it, and a new vector epoch retires the HNSW file. Both are caught up
        before returning, so a later add cannot reuse a deleted rowid while the index still holds its text.
        """
        with self._transaction() as conn:
            if not conn.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc_id,)).fetchone():
                return False
            # External-content FTS5 forgets a row only when told its old text.
            conn.execute("INSERT INTO passages_fts (passages_fts, rowid, text) "
                         "SELECT 'delete', rowid, text FROM passages WHERE doc_id=?", (doc_id,))
            conn.execute("DELETE FROM vectors WHERE passage_id IN (SELECT passage_id FROM passages WHERE doc_id=?)",
                         (doc_id,))
            for statement in ("DELETE FROM doc_bands WHERE doc_id=?", "DELETE FROM raw_pages WHERE doc_id=?",
                              "UPDATE documents SET duplicate_of=NULL WHERE duplicate_of=?",
                              "DELETE FROM documents WHERE doc_id=?"):  # passages, sentences: ON DELETE CASCADE
                conn.execute(statement, (doc_id,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('vectors_epoch', lower(hex(randomblob(8))))")
            self._matrix = None
        self.refresh_indexes()
        return True

    # -- search ---------------------------------------------------------------------------------
    def search_bm25(self, query: str, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        match = fts_match(query)
        if match is None:
            return []
        if filters.is_empty():
            with self._lock:
                found = self._derived.bm25(query, k)
            if found is not None:
                return found
        sql, params = bm25_sql(filters)
        return [(r[0], float(r[1])) for r in self._conn.execute(sql, [match, *params, k])]

    def _load_matrix(self) -> tuple[list[str], np.ndarray, dict[str, int]]:
        """Ids, the vector matrix and each id's row, rebuilt together under the lock when stale."""
        with self._lock:
            # max(rowid) is an O(log n) change marker; our own writes also drop the cache directly.
            count = self._conn.execute("SELECT coalesce(max(rowid), 0) FROM vectors").fetchone()[0]
            if self._matrix is None or self._matrix[0] != count:
                self._matrix = self._read_matrix(count)
            return self._matrix[1], self._matrix[2], self._matrix[3]

    def _read_matrix(self, count: int) -> tuple[int, list[str], np.ndarray, dict[str, int]]:
        ids: list[str] = []
        blobs: list[bytes] = []
        for pid, blob in self._conn.execute("SELECT passage_id, vec FROM vectors ORDER BY rowid"):
            ids.append(pid)
            blobs.append(blob)
        if blobs:
            matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)
        else:
            matrix = np.zeros((0, 1), dtype=np.float32)
        return count, ids, matrix, {pid: i for i, pid in enumerate(ids)}

    def search_dense(self, vector: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        if filters.is_empty():
            with self._lock:
                found = self._derived.dense(vector, k)
            if found is not None:
                return found
        ids, matrix, _ = self._load_matrix()
        if not ids:
            return []
        scores = matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        if not filters.is_empty():
            allowed = self._allowed_passages(filters)
            mask = np.fromiter((pid in allowed for pid in ids), dtype=bool, count=len(ids))
            scores = np.where(mask, scores, -np.inf)
        k = min(k, len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(ids[i], float(scores[i])) for i in top if np.isfinite(scores[i])]

    def vectors(self, passage_ids: Sequence[str]) -> np.ndarray | None:
        """Stored vectors of ``passage_ids`` in order, or None when any is missing."""
        if self._matrix is None and self._derived.uses_dense_index():
            return self._vectors_from_table(passage_ids)
        _, matrix, row_of = self._load_matrix()
        rows = [row_of.get(pid) for pid in passage_ids]
        if any(r is None for r in rows):
            return None
        return matrix[rows]

    def _vectors_from_table(self, passage_ids: Sequence[str]) -> np.ndarray | None:
        """``vectors()`` read from SQLite, for corpora too large to hold as a matrix."""
        ids = list(passage_ids)
        if not ids:
            return np.zeros((0, 1), dtype=np.float32)
        found: dict[str, bytes] = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            found.update(self.execute(f"SELECT passage_id, vec FROM vectors WHERE passage_id IN "
                                      f"({','.join('?' * len(part))})", part))
        if len(found) < len(set(ids)):
            return None
        return np.frombuffer(b"".join(found[pid] for pid in ids), dtype=np.float32).reshape(len(ids), -1)

    def _allowed_passages(self, filters: Filters) -> set[str]:
        cond, params = filter_sql(filters)
        sql = f"SELECT p.passage_id FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE 1=1{cond}"
        return {r[0] for r in self._conn.execute(sql, params)}

    # -- reading --------------------------------------------------------------------------------
    def passages(self, passage_ids: Sequence[str]) -> dict[str, tuple[Passage, DocMeta]]:
        """Passages (with their sentences) and document metadata for ``passage_ids``."""
        out: dict[str, tuple[Passage, DocMeta]] = {}
        ids = list(dict.fromkeys(passage_ids))
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start:chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            # Sentences are sliced from the passage's own text (it is the document's text from
            # start to end), so the whole document text is not read: at 100 hits that was ~0.7 MB
            # and half the CPU of this call.
            rows = self._conn.execute(
                "SELECT p.passage_id, p.doc_id, p.ordinal, p.start, p.\"end\", p.text, "
                "d.source, d.title, d.outlet, d.author, d.published, d.url, d.duplicate_of "
                f"FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE p.passage_id IN ({marks})",
                chunk).fetchall()
            sents: dict[str, list[tuple[int, int, int]]] = {}
            for pid, ordinal, start, end in self._conn.execute(
                    f"SELECT passage_id, ordinal, start, \"end\" FROM sentences WHERE passage_id IN ({marks}) "
                    "ORDER BY ordinal", chunk):
                sents.setdefault(pid, []).append((ordinal, start, end))
            for pid, doc_id, ordinal, start, end, text, source, title, outlet, author, published, url, dup in rows:
                spans = sents.get(pid, [])
                if all(start <= s and e <= end for _, s, e in spans):
                    sentences = tuple(Sentence(doc_id, o, s, e, text[s - start:e - start]) for o, s, e in spans)
                else:  # a sentence reaching outside its passage: read the document's text
                    dtext = self._conn.execute("SELECT text FROM documents WHERE doc_id=?", (doc_id,)).fetchone()[0]
                    sentences = tuple(Sentence(doc_id, o, s, e, dtext[s:e]) for o, s, e in spans)
                out[pid] = (Passage(pid, doc_id, ordinal, start, end, text, sentences),
                            DocMeta(doc_id, source, title, outlet, author, published, url, dup))
        return out

    def document(self, doc_id: str) -> Document | None:
        row = self._conn.execute(
            "SELECT doc_id, source, text, raw_hash, title, outlet, author, published, url, language, "
            "duplicate_of, extra FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            return None
        *fields, extra = row
        return Document(*fields, extra=tuple(tuple(x) for x in json.loads(extra)))

    def documents(self) -> list[DocMeta]:
        rows = self._conn.execute("SELECT doc_id, source, title, outlet, author, published, url, duplicate_of "
                                  "FROM documents ORDER BY rowid")
        return [DocMeta(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        q = self._conn.execute
        return {"documents": q("SELECT count(*) FROM documents").fetchone()[0],
                "passages": q("SELECT count(*) FROM passages").fetchone()[0],
                "sentences": q("SELECT count(*) FROM sentences").fetchone()[0],
                "vectors": q("SELECT count(*) FROM vectors").fetchone()[0],
                "near_duplicates": q("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]}

    # -- vectors --------------------------------------------------------------------------------
    def passages_without_vectors(self, limit: int) -> list[tuple[str, str]]:
        return list(self._conn.execute(
            "SELECT p.passage_id, p.text FROM passages p LEFT JOIN vectors v ON v.passage_id = p.passage_id "
            "WHERE v.passage_id IS NULL ORDER BY p.rowid LIMIT ?", (limit,)))

    def add_vectors(self, ids: Sequence[str], vectors: np.ndarray, model: str) -> None:
        with self._transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?)",
                             [(pid, model, np.asarray(v, np.float32).tobytes()) for pid, v in zip(ids, vectors)])
            self._matrix = None

    def cached_parses(self, pipeline: str, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            part = list(keys[start:start + 500])
            found.update(self._conn.execute(f"SELECT key, doc FROM text_parses WHERE pipeline=? AND key IN "
                                            f"({','.join('?' * len(part))})", [pipeline, *part]))
        return found

    def cache_parses(self, pipeline: str, items: dict[str, bytes]) -> None:
        self._cache_rows("INSERT OR IGNORE INTO text_parses VALUES (?,?,?)",
                         [(key, pipeline, doc) for key, doc in items.items()])

    def _cache_rows(self, sql: str, rows: list[tuple]) -> None:
        """Insert rows of a cache table, best effort: a read-only file or a long lock costs only speed."""
        with self._lock:  # the rollback too: outside the lock it could end another thread's transaction
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(sql, rows)
                self._conn.execute("COMMIT")
            except sqlite3.Error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    def reset_vectors(self) -> None:
        with self._transaction() as conn:
            # A new epoch retires the HNSW file built from the old vectors (derived.py).
            conn.execute("DELETE FROM vectors")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('vectors_epoch', lower(hex(randomblob(8))))")
            self._matrix = None

    def cached_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            part = list(keys[start:start + 500])
            rows = self._conn.execute(f"SELECT key, vec FROM text_vectors WHERE model=? AND key IN "
                                      f"({','.join('?' * len(part))})", [model, *part])
            found.update((key, np.frombuffer(vec, dtype=np.float32)) for key, vec in rows)
        return found

    def cache_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        self._cache_rows("INSERT OR IGNORE INTO text_vectors VALUES (?,?,?)",
                         [(key, model, np.asarray(v, np.float32).tobytes()) for key, v in items.items()])

    # -- web: raw pages and followed feeds ------------------------------------------------------
    def doc_by_url(self, url: str) -> str | None:
        """A document whose (canonical) URL is ``url``."""
        row = self._conn.execute("SELECT doc_id FROM documents WHERE url=? LIMIT 1", (url,)).fetchone()
        if row is None:
            row = self._conn.execute("SELECT doc_id FROM raw_pages WHERE (canonical_url=? OR url=?) "
                                     "AND doc_id IS NOT NULL LIMIT 1", (url, url)).fetchone()
        return row[0] if row else None

    def save_raw_page(self, page: RawPageRecord) -> None:
        self._write("INSERT OR REPLACE INTO raw_pages VALUES (?,?,?,?,?,?)",
                    (page.url, page.fetched_at, page.canonical_url, page.status, page.doc_id, page.blob))

    def raw_pages(self, url: str) -> list[RawPageRecord]:
        rows = self._conn.execute("SELECT url, fetched_at, canonical_url, status, doc_id, blob FROM raw_pages "
                                  "WHERE url=? OR canonical_url=? ORDER BY fetched_at", (url, url))
        return [RawPageRecord(*r) for r in rows]

    def feed_state(self, url: str) -> FeedState | None:
        row = self._conn.execute("SELECT url, kind, etag, last_modified, last_polled FROM feeds WHERE url=?",
                                 (url,)).fetchone()
        return FeedState(*row) if row else None

    def save_feed_state(self, state: FeedState) -> None:
        self._write("INSERT OR REPLACE INTO feeds VALUES (?,?,?,?,?)",
                    (state.url, state.kind, state.etag, state.last_modified, state.last_polled))

    def feeds(self) -> list[FeedState]:
        return [FeedState(*r) for r in self._conn.execute(
            "SELECT url, kind, etag, last_modified, last_polled FROM feeds ORDER BY url")]

    # -- briefs and runs ------------------------------------------------------------------------
    def save_record(self, table: str, key: str, data: dict[str, Any]) -> None:
        if table not in RECORD_TABLES:
            raise StoreError(f"unknown record table {table!r}")
        now = record_time()
        self._write(f"INSERT INTO {table} (id, created_at, updated_at, data) VALUES (?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET updated_at=excluded.updated_at, data=excluded.data",
                    (key, now, now, json.dumps(data)))

    def load_record(self, table: str, key: str) -> dict[str, Any] | None:
        if table not in RECORD_TABLES:
            raise StoreError(f"unknown record table {table!r}")
        row = self._conn.execute(f"SELECT data FROM {table} WHERE id=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def list_records(self, table: str, limit: int = 100) -> list[dict[str, Any]]:
        if table not in RECORD_TABLES:
            raise StoreError(f"unknown record table {table!r}")
        rows = self._conn.execute(f"SELECT data FROM {table} ORDER BY created_at DESC, id LIMIT ?", (limit,))
        return [json.loads(r[0]) for r in rows]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run raw SQL (integrity checks, tests, the web reader's feed/raw-page tables)."""
        with self._lock:
            return list(self._conn.execute(sql, params))

    def refresh_indexes(self) -> None:
        """Catch the derived search indexes up now (say after a large add), not on the next search."""
        with self._lock:
            self._derived.refresh()

    def index_status(self) -> dict[str, Any]:
        """Where the derived search indexes live and what they hold."""
        return self._derived.status()

    def close(self) -> None:
        with self._lock:
            self._derived.close()
        self._conn.close()


register_store("sqlite", SQLiteStore)
