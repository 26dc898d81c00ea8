"""The SQLite store: migrations, fingerprint, atomic writes, FTS quoting, filters."""

from __future__ import annotations


import numpy as np
import pytest

from citebrief.embed import HashingEmbedder
from citebrief.errors import FingerprintMismatch
from citebrief.ingest import Ingestor, IngestOptions, prepare
from citebrief.models import Filters, RawDocument
from citebrief.split import SplitSettings
from citebrief.store import open_store
from citebrief.store.fts import fts_match
from citebrief.store.migrations import MIGRATIONS


def raw(text: str, **meta) -> RawDocument:
    return RawDocument(source=meta.pop("source", "mem"), text=text, raw_hash=str(hash(text)), **meta)


def test_migrations_are_recorded_in_order(db):
    store = open_store(str(db))
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    store.close()
    again = open_store(str(db))  # reopening applies nothing new and keeps the record
    assert again.applied_migrations() == [name for name, _ in MIGRATIONS]
    assert again.execute("PRAGMA journal_mode")[0][0] == "wal"


def test_fingerprint_mismatch_names_the_rebuild_command(db):
    store = open_store(str(db))
    Ingestor(store, HashingEmbedder(), IngestOptions(split=SplitSettings(passage_words=100)))
    with pytest.raises(FingerprintMismatch, match="citebrief --db .* reindex"):
        Ingestor(store, HashingEmbedder(), IngestOptions(split=SplitSettings(passage_words=50)))


def test_document_passages_sentences_and_vectors_are_written_together(db):
    store = open_store(str(db))
    ing = Ingestor(store, HashingEmbedder())
    ing.add_raw([raw("Hungary opposes the invitation. Slovakia agrees with Budapest. " * 30,
                     title="T", outlet="Out", published="2024-11-21")])
    ing.finish()
    counts = store.counts()
    assert counts["documents"] == 1 and counts["passages"] == counts["vectors"] > 1
    assert counts["sentences"] == 60
    doc_id = store.documents()[0].doc_id
    doc = store.document(doc_id)
    rows = store.execute("SELECT start, \"end\", text FROM passages WHERE doc_id=?", (doc_id,))
    for start, end, text in rows:
        assert doc.text[start:end] == text  # offsets slice back to the passage


def test_a_failed_write_leaves_nothing_behind(db):
    store = open_store(str(db))
    prep = prepare(raw("One sentence here about things. Another sentence there about more."), SplitSettings())
    bad_vectors = np.zeros((0, 4), dtype=np.float32)  # fewer vectors than passages: IndexError mid-write
    with pytest.raises(IndexError):
        store.add_document(prep.doc, prep.passages, bad_vectors, prep.bands)
    assert store.counts() == {"documents": 0, "passages": 0, "sentences": 0, "vectors": 0, "near_duplicates": 0}
    assert store.add_document(prep.doc, prep.passages, None, prep.bands)
    assert not store.add_document(prep.doc, prep.passages, None, prep.bands)  # idempotent


@pytest.mark.parametrize("query", ['NOT Spain', '"Spain', 'Spain*', 'title:Spain', 'Spain AND (', '^Spain',
                                   'NEAR(Spain Belgium)', "Spain's -Belgium"])
def test_fts_syntax_in_user_text_is_quoted(db, query):
    store = open_store(str(db))
    ing = Ingestor(store, HashingEmbedder())
    ing.add_raw([raw("Belgium and Spain are hiding behind the United States and Germany, an official said.")])
    ing.finish()
    hits = store.search_bm25(query, 5, Filters())
    assert len(hits) == 1  # every query contains "spain": it must match, never error


def test_fts_match_has_only_quoted_terms():
    assert fts_match('NOT "a" OR b* c:d') == '"b" OR "c" OR "d"'
    assert fts_match("the of and") == '"the" OR "of" OR "and"'
    assert fts_match("!!! ???") is None


def test_bm25_orders_by_relevance_like_the_textbook(db):
    """Oracle: BM25 (Robertson & Zaragoza 2009; k1=1.2, b=0.75) by hand equals FTS5's scores.

    FTS5 uses idf = ln((N − n + 0.5) / (n + 0.5)), floored at 1e-6 (its documented formula).
    """
    texts = ["Spain Spain Spain hesitates on the invitation today.",
             "Spain hesitates on the invitation, along with many other allies who are also quiet.",
             "Belgium hesitates on the invitation as well.",
             "Slovenia waits for the summit to decide.", "Hungary blocks the aid package again.",
             "Slovakia agrees with Hungary on the aid."]
    store = open_store(str(db))
    ing = Ingestor(store, HashingEmbedder())
    ing.add_raw([raw(t, source=f"d{i}") for i, t in enumerate(texts)])
    ing.finish()
    got = store.search_bm25("spain", 3, Filters())
    by_text = {store.passages([pid])[pid][0].text: score for pid, score in got}

    import math
    docs = [t.lower().replace(",", "").replace(".", "").split() for t in texts]
    avgdl = sum(map(len, docs)) / len(docs)
    n_q = sum("spain" in d for d in docs)
    idf = max(math.log((len(docs) - n_q + 0.5) / (n_q + 0.5)), 1e-6)
    def bm25(d):
        tf = d.count("spain")
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * len(d) / avgdl))
    expected = {t: bm25(d) for t, d in zip(texts, docs) if "spain" in d}
    assert store.counts()["documents"] == len(texts)
    assert set(by_text) == set(expected)
    for t in expected:
        assert by_text[t] == pytest.approx(expected[t], rel=1e-6)


def test_filters_restrict_bm25_and_dense(db):
    store = open_store(str(db))
    ing = Ingestor(store, HashingEmbedder())
    ing.add_raw([raw("Spain hesitates on the invitation to Ukraine now.", source="a", outlet="Alpha", published="2024-01-01"),
                 raw("Spain hesitates on the invitation to Kyiv later.", source="b", outlet="Beta", published="2025-01-01")])
    ing.finish()
    emb = HashingEmbedder().embed(["Spain hesitates"])[0]
    for f, expected in [(Filters(date_from="2024-06-01"), {"b"}), (Filters(outlets_include=("alpha",)), {"a"}),
                        (Filters(outlets_exclude=("Alpha",)), {"b"})]:
        bm = {store.passages([p])[p][1].source for p, _ in store.search_bm25("spain", 5, f)}
        de = {store.passages([p])[p][1].source for p, _ in store.search_dense(emb, 5, f)}
        assert bm == de == expected


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    from citebrief.errors import StoreError
    with pytest.raises(StoreError, match="not a usable citebrief corpus"):
        open_store(str(bad))


def test_a_corpus_names_its_derived_indexes_and_vector_epoch(db):
    """Migration 0006: an id per corpus file and an epoch per vector set (derived.py, ann.py)."""
    store = open_store(str(db))
    meta = dict(store.execute("SELECT key, value FROM meta WHERE key IN ('corpus_id', 'vectors_epoch')"))
    assert len(meta["corpus_id"]) == 32 and len(meta["vectors_epoch"]) == 16
    store.reset_vectors()
    again = dict(store.execute("SELECT key, value FROM meta WHERE key IN ('corpus_id', 'vectors_epoch')"))
    assert again["corpus_id"] == meta["corpus_id"] and again["vectors_epoch"] != meta["vectors_epoch"]
    store.close()
    other = open_store(str(db.with_name("other.db")))
    assert other.execute("SELECT value FROM meta WHERE key='corpus_id'")[0][0] != meta["corpus_id"]


# --- A store that takes no writes (issue 16, item 8) ------------------------------------------

LONG = "The harbour authority said the new ferry route opens in May after a long review. " * 400


def _corpus_with_one_document(db):
    store = open_store(str(db))
    ingestor = Ingestor(store, HashingEmbedder(), IngestOptions())
    ingestor.add_raw([raw("The council met on Tuesday and agreed to publish the budget report next month.",
                          source="first")])
    ingestor.finish()
    return store, ingestor


def test_a_full_disk_names_the_cause_and_leaves_the_store_whole(db):
    from citebrief.errors import StoreUnwritableError

    store, ingestor = _corpus_with_one_document(db)
    # SQLite's own size cap: past it every write fails with SQLITE_FULL, as on a full disk.
    store.execute(f"PRAGMA max_page_count = {store.execute('PRAGMA page_count')[0][0]}")
    ingestor.add_raw([raw(LONG, source="second"), raw(LONG.replace("May", "June"), source="third")])
    with pytest.raises(StoreUnwritableError, match="disk holding it is full") as caught:
        ingestor.finish()
    assert "no transaction is active" not in str(caught.value)  # the old, misleading error
    assert store.execute("PRAGMA integrity_check") == [("ok",)]
    assert [d.source for d in store.documents()] == ["first"]  # no half-written document
    assert store.execute("SELECT count(*) FROM passages")[0][0] == 1


def test_a_read_only_store_says_so_and_can_still_be_read(db):
    from citebrief.errors import StoreUnwritableError

    store, _ = _corpus_with_one_document(db)
    store.execute("PRAGMA query_only = ON")  # every write now fails with SQLITE_READONLY
    ingestor = Ingestor(store, HashingEmbedder(), IngestOptions())  # same settings: nothing written
    ingestor.add_raw([raw(LONG, source="second")])
    with pytest.raises(StoreUnwritableError, match="read-only"):
        ingestor.finish()
    assert [d.source for d in store.documents()] == ["first"]
    assert store.search_bm25("budget", 5)


def test_records_saved_within_one_second_list_latest_first(tmp_path):
    """Runs and briefs list the latest first even when two are saved within the same second (their ids are hashes,
    so the order must come from the time)."""
    store = open_store(str(tmp_path / "records.db"))
    keys = ["f" * 16, "0" * 16, "8" * 16]
    for key in keys:
        store.save_record("runs", key, {"run_id": key})
    assert [r["run_id"] for r in store.list_records("runs", 10)] == keys[::-1]
    store.close()
