"""Ordered, named schema migrations for the PostgreSQL store, recorded in ``schema_migrations``.

The names follow the SQLite store's (``store/migrations.py``) where a step means the same thing; the
DDL is PostgreSQL's own: a generated ``tsvector`` column with a GIN index instead of FTS5, a pgvector
``vector`` column instead of float32 blobs, ``bytea`` for raw pages, and two tables SQLite does not
need (term statistics for BM25 and sharded corpus counters, migration 0005).

The pgvector extension is created before any migration runs (``postgres.ensure_vector``) so that a
missing or unpermitted extension gets its own message. The HNSW index is not created here: its
dimension comes from the store's fingerprint, so ``PostgresStore.set_fingerprint`` creates it.
"""

from __future__ import annotations

# Sharded counters: each document adds to the row ``slot_of(doc_id)``; concurrent ingest processes
# meet on the same row only 1 time in 16, so they rarely wait on each other's counter lock.
COUNTER_SLOTS = 16

# Recompute BM25 term statistics and counters from the tables (a no-op on an empty store). Used by
# migration 0005 for stores that already hold passages, and by ``PostgresStore.rebuild_statistics``
# after a bulk load. ts_stat() scans every tsvector once: ndoc is the number of passages holding a
# lexeme, exactly the df BM25 needs.
REBUILD_STATISTICS = """
    TRUNCATE bm25_terms;
    INSERT INTO bm25_terms (term, df) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM passages');
    UPDATE corpus_counters SET documents = 0, passages = 0, sentences = 0, vectors = 0,
        near_duplicates = 0, tokens = 0;
    UPDATE corpus_counters SET
        documents = (SELECT count(*) FROM documents),
        passages = (SELECT count(*) FROM passages),
        sentences = (SELECT count(*) FROM sentences),
        vectors = (SELECT count(*) FROM vectors),
        near_duplicates = (SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL),
        tokens = (SELECT coalesce(sum(dl), 0) FROM passages)
        WHERE slot = 0;
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_documents_passages", """
    CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
    -- duplicate_of has no foreign key: a syndicated copy may live on another shard once documents
    -- are distributed by doc_id (docs/scale.md); ingest only ever links to a document it has read.
    CREATE TABLE documents (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        doc_id text PRIMARY KEY,
        source text NOT NULL,
        url text,
        title text,
        outlet text,
        author text,
        published text,
        language text,
        ingested_at text NOT NULL,
        raw_hash text NOT NULL,
        text text NOT NULL,
        duplicate_of text,
        extra text NOT NULL DEFAULT '[]'
    );
    CREATE INDEX documents_raw_hash ON documents (raw_hash);
    CREATE INDEX documents_url ON documents (url);
    CREATE INDEX documents_published ON documents (published);
    CREATE TABLE passages (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        passage_id text PRIMARY KEY,
        doc_id text NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        start integer NOT NULL,
        "end" integer NOT NULL,
        text text NOT NULL,
        dl integer NOT NULL,  -- BM25 length: word (\\w+) tokens, stop words included, as FTS5 counts them
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
    );
    CREATE INDEX passages_doc ON passages (doc_id, ordinal);
    CREATE INDEX passages_tsv ON passages USING gin (tsv);
    CREATE TABLE sentences (
        doc_id text NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        passage_id text NOT NULL,
        start integer NOT NULL,
        "end" integer NOT NULL,
        PRIMARY KEY (doc_id, ordinal)
    );
    CREATE INDEX sentences_passage ON sentences (passage_id);
    CREATE TABLE doc_bands (band integer NOT NULL, hash text NOT NULL, doc_id text NOT NULL);
    CREATE INDEX doc_bands_lookup ON doc_bands (band, hash);
    CREATE INDEX doc_bands_doc ON doc_bands (doc_id);
    """),
    ("0002_vectors", """
    -- vec has no dimension yet: set_fingerprint types it vector(dim) and builds the HNSW index.
    -- doc_id is kept so vectors can be sharded with their passages (docs/scale.md).
    CREATE TABLE vectors (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        passage_id text PRIMARY KEY,
        doc_id text NOT NULL,
        model text NOT NULL,
        vec vector NOT NULL
    );
    CREATE INDEX vectors_doc ON vectors (doc_id);
    """),
    ("0003_briefs_runs", """
    CREATE TABLE briefs (
        id text PRIMARY KEY,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        data text NOT NULL
    );
    CREATE TABLE runs (
        id text PRIMARY KEY,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        data text NOT NULL
    );
    """),
    ("0004_web", """
    CREATE TABLE feeds (
        url text PRIMARY KEY,
        kind text NOT NULL DEFAULT 'feed',
        etag text,
        last_modified text,
        last_polled text
    );
    CREATE TABLE raw_pages (
        url text NOT NULL,
        fetched_at text NOT NULL,
        canonical_url text,
        status integer NOT NULL,
        doc_id text,
        blob bytea NOT NULL,
        PRIMARY KEY (url, fetched_at)
    );
    CREATE INDEX raw_pages_canonical ON raw_pages (canonical_url);
    """),
    ("0005_bm25_statistics", f"""
    -- Document frequency of each lexeme (in passages), kept up to date in each document's
    -- transaction; fillfactor leaves room for HOT updates of the hot rows.
    CREATE TABLE bm25_terms (term text PRIMARY KEY, df bigint NOT NULL) WITH (fillfactor = 70);
    CREATE TABLE corpus_counters (
        slot smallint PRIMARY KEY,
        documents bigint NOT NULL DEFAULT 0,
        passages bigint NOT NULL DEFAULT 0,
        sentences bigint NOT NULL DEFAULT 0,
        vectors bigint NOT NULL DEFAULT 0,
        near_duplicates bigint NOT NULL DEFAULT 0,
        tokens bigint NOT NULL DEFAULT 0
    ) WITH (fillfactor = 50);
    INSERT INTO corpus_counters (slot) SELECT generate_series(0, {COUNTER_SLOTS - 1});
    """ + REBUILD_STATISTICS),
    ("0006_text_vectors", """
    -- Cache of vectors of texts a brief embedded, by SHA-256 of the text (see the SQLite store).
    CREATE TABLE text_vectors (
        key text NOT NULL,
        model text NOT NULL,
        vec bytea NOT NULL,
        PRIMARY KEY (key, model)
    );
    """),
    ("0007_watches", """
    -- Watched questions and every complete brief written for them (see the SQLite store).
    CREATE TABLE watches (
        name text PRIMARY KEY,
        question text NOT NULL,
        options text NOT NULL,
        created_at text NOT NULL
    );
    CREATE TABLE watch_versions (
        watch text NOT NULL REFERENCES watches (name) ON DELETE CASCADE,
        version integer NOT NULL,
        created_at text NOT NULL,
        brief text NOT NULL,
        notes text NOT NULL DEFAULT '{}',
        PRIMARY KEY (watch, version)
    );
    """),
    ("0008_text_parses", """
    -- The linguistic parse of a text, keyed by SHA-256 of the text and the pipeline (see the SQLite store).
    CREATE TABLE text_parses (
        key text NOT NULL,
        pipeline text NOT NULL,
        doc bytea NOT NULL,
        PRIMARY KEY (pipeline, key)
    );
    """),
]
