"""Ordered, named schema migrations for the SQLite store, recorded in ``schema_migrations``."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_documents_passages", """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        title TEXT,
        outlet TEXT,
        author TEXT,
        published TEXT,
        language TEXT,
        ingested_at TEXT NOT NULL,
        raw_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        duplicate_of TEXT REFERENCES documents(doc_id),
        extra TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX documents_raw_hash ON documents(raw_hash);
    CREATE INDEX documents_url ON documents(url);
    CREATE TABLE passages (
        rowid INTEGER PRIMARY KEY,
        passage_id TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX passages_doc ON passages(doc_id, ordinal);
    CREATE TABLE sentences (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        passage_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        PRIMARY KEY (doc_id, ordinal)
    );
    CREATE INDEX sentences_passage ON sentences(passage_id);
    CREATE VIRTUAL TABLE passages_fts USING fts5(
        text, content='passages', content_rowid='rowid',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TABLE doc_bands (band INTEGER NOT NULL, hash TEXT NOT NULL, doc_id TEXT NOT NULL);
    CREATE INDEX doc_bands_lookup ON doc_bands(band, hash);
    """),
    ("0002_vectors", """
    CREATE TABLE vectors (
        passage_id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        vec BLOB NOT NULL
    );
    """),
    ("0003_briefs_runs", """
    CREATE TABLE briefs (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """),
    ("0004_web", """
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'feed',
        etag TEXT,
        last_modified TEXT,
        last_polled TEXT
    );
    CREATE TABLE raw_pages (
        url TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        canonical_url TEXT,
        status INTEGER NOT NULL,
        doc_id TEXT,
        blob BLOB NOT NULL,
        PRIMARY KEY (url, fetched_at)
    );
    CREATE INDEX raw_pages_canonical ON raw_pages(canonical_url);
    """),
    ("0005_text_vectors", """
    -- Vectors of texts a brief embedded (evidence sentences, questions), by SHA-256 of the text:
    -- a cache, so the next brief over the same sources skips the model. Never part of counts.
    CREATE TABLE text_vectors (
        key TEXT NOT NULL,
        model TEXT NOT NULL,
        vec BLOB NOT NULL,
        PRIMARY KEY (key, model)
    ) WITHOUT ROWID;
    """),
    ("0006_derived_index_ids", """
    -- Name the search indexes derived from this file (tantivy and HNSW, in <db>.index/<corpus_id>/):
    -- a new file at the same path gets a new id, so it never reads another corpus' index.
    -- vectors_epoch changes whenever the vectors are replaced, retiring the HNSW file of the old ones.
    INSERT OR IGNORE INTO meta VALUES ('corpus_id', lower(hex(randomblob(16))));
    INSERT OR IGNORE INTO meta VALUES ('vectors_epoch', lower(hex(randomblob(8))))
    """),
    ("0007_watches", """
    -- Watched questions (`citebrief watch`): the question with its options (feeds, research) as
    -- JSON, and every complete brief written for it. A version row is inserted in one statement
    -- once its brief is whole, so a run that fails half-way leaves the earlier versions as they were.
    CREATE TABLE watches (
        name TEXT PRIMARY KEY,
        question TEXT NOT NULL,
        options TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE watch_versions (
        watch TEXT NOT NULL REFERENCES watches(name) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        brief TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (watch, version)
    );
    """),
    ("0008_text_parses", """
    -- The linguistic parse of a text (spaCy DocBin bytes), keyed by SHA-256 of the text and the
    -- parsing pipeline's name and version: a brief parses a sentence once per corpus, not per process.
    CREATE TABLE text_parses (
        key TEXT NOT NULL,
        pipeline TEXT NOT NULL,
        doc BLOB NOT NULL,
        PRIMARY KEY (pipeline, key)
    )
    """),
]
