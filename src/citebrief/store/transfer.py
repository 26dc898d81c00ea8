"""Copy a corpus between stores of any backends (`citebrief migrate SRC DST`), resumably.

Documents travel with their passages, sentences, vectors and near-duplicate bands, read from SRC in
batches and written to DST through ``Store.add_document`` — one transaction per document, so DST's
own derived data (FTS5 rows, BM25 statistics, counters, the HNSW index) stays consistent and an
interrupted copy leaves whole documents only. Briefs, runs, raw pages and feeds follow in batches
with ``INSERT … ON CONFLICT DO NOTHING``, keeping their timestamps. Running the same copy again skips
whatever DST already holds. DST documents get a new ``ingested_at`` (the copy's time) and keep SRC's
order.

Reading needs more than the ``Store`` protocol offers (whole tables in batches), so each backend has
a ``Dialect`` here: the placeholder style, the column that orders documents, and how vectors come
back. Both backends' stores expose ``execute(sql, params)`` for raw SQL.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..models import Document, Passage, Sentence
from .base import Store, check_fingerprint

BATCH = 200  # documents (or records) per read
BULK_MIN_DOCUMENTS = 1000  # from this many documents to copy, rebuilding a vector index once is cheaper
COUNTED_TABLES = ("documents", "passages", "sentences", "vectors", "doc_bands", "briefs", "runs",
                  "raw_pages", "feeds")
RECORD_TABLES = {  # table → (columns, key columns for keyset paging)
    "briefs": (("id", "created_at", "updated_at", "data"), ("id",)),
    "runs": (("id", "created_at", "updated_at", "data"), ("id",)),
    "raw_pages": (("url", "fetched_at", "canonical_url", "status", "doc_id", "blob"), ("url", "fetched_at")),
    "feeds": (("url", "kind", "etag", "last_modified", "last_polled"), ("url",)),
}


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between backends when reading and writing whole tables."""

    mark: str  # parameter placeholder
    order: str  # column giving the documents' ingest order
    vector: Callable[[Any], np.ndarray]  # stored vector value → float32 array
    fetch: Callable[[Any, str, Sequence[Any]], list[tuple]]  # (store, sql, params) → rows

    def marks(self, n: int) -> str:
        return ",".join([self.mark] * n)


DIALECTS: dict[str, Dialect] = {
    "sqlite": Dialect("?", "rowid", lambda blob: np.frombuffer(blob, dtype=np.float32),
                      lambda store, query, params: store.execute(query, params)),
    # binary results: vectors arrive as numpy arrays without parsing their text form
    "postgresql": Dialect("%s", "seq", lambda vec: np.asarray(vec, dtype=np.float32),
                          lambda store, query, params: store.execute(query, params, binary=True)),
}


def dialect_of(store: Store) -> Dialect:
    """The dialect of ``store``'s backend (by the scheme of its location, as ``open_store`` does)."""
    scheme = store.location.split("://", 1)[0] if "://" in store.location else "sqlite"
    return DIALECTS["postgresql" if scheme == "postgres" else scheme]


@dataclass(frozen=True, slots=True)
class TransferReport:
    """What a copy did and the row counts on both sides afterwards."""

    copied_documents: int
    skipped_documents: int
    src_counts: dict[str, int]
    dst_counts: dict[str, int]

    @property
    def mismatches(self) -> list[str]:
        """Tables whose counts differ (DST may hold more than SRC when it had documents before)."""
        return [t for t in COUNTED_TABLES if self.src_counts.get(t) != self.dst_counts.get(t)]


def table_counts(store: Store) -> dict[str, int]:
    """Row counts of the tables a copy moves, by counting rows."""
    return {t: int(store.execute(f"SELECT count(*) FROM {t}")[0][0]) for t in COUNTED_TABLES}


def _rows(store: Store, query: str, params: Sequence[Any]) -> list[tuple]:
    return dialect_of(store).fetch(store, query, params)


def _documents(store: Store, after: Any, limit: int) -> list[tuple]:
    d = dialect_of(store)
    return _rows(store, f"SELECT {d.order}, doc_id, source, text, raw_hash, title, outlet, author, published, "
                        f"url, language, duplicate_of, extra FROM documents WHERE {d.order} > {d.mark} "
                        f"ORDER BY {d.order} LIMIT {d.mark}", (after, limit))


def _by_docs(store: Store, query: str, doc_ids: Sequence[str]) -> list[tuple]:
    d = dialect_of(store)
    return _rows(store, query.format(marks=d.marks(len(doc_ids))), list(doc_ids))


def _bundle(store: Store, docs: list[Document]) -> list[tuple[Document, list[Passage], dict, list]]:
    """Each document with its passages (and sentences), vectors {passage_id: (model, vec)} and bands."""
    ids = [doc.doc_id for doc in docs]
    d = dialect_of(store)
    sentences: dict[str, list[tuple[int, int, int]]] = {}
    for doc_id, ordinal, pid, start, end in _by_docs(
            store, 'SELECT doc_id, ordinal, passage_id, start, "end" FROM sentences WHERE doc_id IN ({marks}) '
                   "ORDER BY doc_id, ordinal", ids):
        sentences.setdefault(pid, []).append((ordinal, start, end))
    text_of = {doc.doc_id: doc.text for doc in docs}
    passages: dict[str, list[Passage]] = {}
    for pid, doc_id, ordinal, start, end, text in _by_docs(
            store, 'SELECT passage_id, doc_id, ordinal, start, "end", text FROM passages WHERE doc_id IN ({marks}) '
                   "ORDER BY doc_id, ordinal", ids):
        sents = tuple(Sentence(doc_id, o, s, e, text_of[doc_id][s:e]) for o, s, e in sentences.get(pid, []))
        passages.setdefault(doc_id, []).append(Passage(pid, doc_id, ordinal, start, end, text, sents))
    vectors = {pid: (model, d.vector(vec)) for pid, model, vec in _by_docs(
        store, "SELECT v.passage_id, v.model, v.vec FROM vectors v JOIN passages p ON p.passage_id = v.passage_id "
               "WHERE p.doc_id IN ({marks})", ids)}
    bands: dict[str, list[tuple[int, str]]] = {}
    for band, hsh, doc_id in _by_docs(store, "SELECT band, hash, doc_id FROM doc_bands WHERE doc_id IN ({marks})", ids):
        bands.setdefault(doc_id, []).append((int(band), hsh))
    return [(doc, passages.get(doc.doc_id, []), vectors, bands.get(doc.doc_id, [])) for doc in docs]


def _write(dst: Store, doc: Document, passages: list[Passage], vectors: dict, bands: list) -> bool:
    have = [vectors.get(p.passage_id) for p in passages]
    complete = bool(passages) and all(v is not None for v in have)
    matrix = np.stack([v[1] for v in have]) if complete else None
    model = have[0][0] if complete else None
    added = dst.add_document(doc, passages, matrix, bands, model=model)
    if added and not complete:  # some passages had no vector in SRC (a --no-embed add or a reindex in progress)
        for m in {v[0] for v in have if v is not None}:
            chosen = [(p.passage_id, v[1]) for p, v in zip(passages, have) if v is not None and v[0] == m]
            dst.add_vectors([pid for pid, _ in chosen], np.stack([vec for _, vec in chosen]), m)
    return added


def copy_documents(src: Store, dst: Store, *, batch: int = BATCH,
                   on_progress: Callable[[int, int], None] = lambda done, skipped: None) -> tuple[int, int]:
    """Copy every document SRC has and DST lacks; returns (copied, skipped)."""
    src_fp = src.fingerprint()
    if src_fp is not None:
        check_fingerprint(dst.fingerprint(), src_fp, dst.location)
        dst.set_fingerprint(src_fp)
    dd = dialect_of(dst)
    copied = skipped = 0
    after: Any = 0
    while True:
        rows = _documents(src, after, batch)
        if not rows:
            return copied, skipped
        after = rows[-1][0]
        docs = [Document(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                         tuple(tuple(x) for x in json.loads(r[12]))) for r in rows]
        present = {r[0] for r in dst.execute(f"SELECT doc_id FROM documents WHERE doc_id IN ({dd.marks(len(docs))})",
                                             [doc.doc_id for doc in docs])}
        todo = [doc for doc in docs if doc.doc_id not in present]
        skipped += len(docs) - len(todo)
        for doc, passages, vectors, bands in (_bundle(src, todo) if todo else []):
            if _write(dst, doc, passages, vectors, bands):
                copied += 1
            else:
                skipped += 1  # another process wrote it meanwhile
        on_progress(copied, skipped)


def copy_records(src: Store, dst: Store, *, batch: int = BATCH) -> int:
    """Copy briefs, runs, raw pages and feeds that DST lacks (timestamps kept); returns rows offered."""
    sd, dd = dialect_of(src), dialect_of(dst)
    offered = 0
    for table, (columns, key) in RECORD_TABLES.items():
        cols = ", ".join(columns)
        keys = ", ".join(key)
        insert = (f"INSERT INTO {table} ({cols}) VALUES ({dd.marks(len(columns))}) ON CONFLICT DO NOTHING")
        last: tuple | None = None
        while True:
            where = f"WHERE ({keys}) > ({sd.marks(len(key))}) " if last is not None else ""
            rows = _rows(src, f"SELECT {cols} FROM {table} {where}ORDER BY {keys} LIMIT {sd.mark}",
                         [*(last or ()), batch])
            if not rows:
                break
            for row in rows:
                dst.execute(insert, [bytes(v) if isinstance(v, memoryview) else v for v in row])
            offered += len(rows)
            last = tuple(rows[-1][columns.index(k)] for k in key)
    return offered


def transfer(src: Store, dst: Store, *, batch: int = BATCH,
             on_progress: Callable[[int, int], None] = lambda done, skipped: None) -> TransferReport:
    """Copy documents then records from SRC to DST and count both sides.

    A large copy into a store that can defer its vector index (PostgreSQL's ``bulk_load``: one
    HNSW build at the end instead of a graph search per inserted vector) uses that.
    """
    bulk = getattr(dst, "bulk_load", None)
    large = table_counts(src)["documents"] - table_counts(dst)["documents"] >= BULK_MIN_DOCUMENTS
    with bulk() if bulk is not None and large else nullcontext():
        copied, skipped = copy_documents(src, dst, batch=batch, on_progress=on_progress)
    copy_records(src, dst, batch=batch)
    return TransferReport(copied, skipped, table_counts(src), table_counts(dst))
