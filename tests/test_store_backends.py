"""The Store protocol on both backends: every behaviour test runs on SQLite and on PostgreSQL.

SQLite is a file in tmp_path; PostgreSQL is a real server (tests/pg.py: one pgserver per session,
a fresh database per test). PostgreSQL-only behaviour (exact BM25 with pruning, term statistics and
counters, the HNSW index) follows the shared tests; connection errors, concurrent and killed
`citebrief add` processes, `ask` and `migrate` through the real CLI are in test_store_postgres.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from citebrief.embed import HashingEmbedder
from citebrief.errors import FingerprintMismatch, StoreError
from citebrief.ingest import Ingestor, IngestOptions, prepare
from citebrief.models import Filters, RawDocument
from citebrief.split import SplitSettings
from citebrief.store import open_store
from citebrief.store.base import FeedState, RawPageRecord
from citebrief.store.migrations import MIGRATIONS as SQLITE_MIGRATIONS
from pg import pg_server, pg_url  # noqa: F401  (fixtures)

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def location(request, tmp_path) -> str:
    """A fresh corpus location on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(location):
    s = open_store(location)
    yield s
    s.close()


def raw(text: str, **meta) -> RawDocument:
    return RawDocument(source=meta.pop("source", "mem"), text=text, raw_hash=str(hash(text)), **meta)


def ingest(store, *docs: RawDocument) -> None:
    ing = Ingestor(store, HashingEmbedder())
    ing.add_raw(list(docs))
    ing.finish()


def sources(store, hits) -> set[str]:
    data = store.passages([pid for pid, _ in hits])
    return {data[pid][1].source for pid, _ in hits}


def migration_names(location: str) -> list[str]:
    if location.startswith("postgresql://"):
        from citebrief.store.pg_migrations import MIGRATIONS
        return [name for name, _ in MIGRATIONS]
    return [name for name, _ in SQLITE_MIGRATIONS]


# -- shared behaviour -------------------------------------------------------------------------------
def test_migrations_are_recorded_in_order_and_reopening_applies_nothing(location):
    store = open_store(location)
    assert store.applied_migrations() == migration_names(location)
    store.close()
    again = open_store(location)
    assert again.applied_migrations() == migration_names(location)
    again.close()


def test_fingerprint_mismatch_names_the_rebuild_command(store, location):
    Ingestor(store, HashingEmbedder(), IngestOptions(split=SplitSettings(passage_words=100)))
    with pytest.raises(FingerprintMismatch, match="citebrief --db .* reindex"):
        Ingestor(store, HashingEmbedder(), IngestOptions(split=SplitSettings(passage_words=50)))
    store.close()
    reopened = open_store(location)  # the fingerprint is stored, not remembered by the object
    with pytest.raises(FingerprintMismatch, match="passage_words: store has 100"):
        Ingestor(reopened, HashingEmbedder(), IngestOptions(split=SplitSettings(passage_words=50)))
    reopened.close()


def test_document_passages_sentences_and_vectors_are_written_together(store):
    ingest(store, raw("Hungary opposes the invitation. Slovakia agrees with Budapest. " * 30,
                      title="T", outlet="Out", published="2024-11-21"))
    counts = store.counts()
    assert counts["documents"] == 1 and counts["passages"] == counts["vectors"] > 1
    assert counts["sentences"] == 60
    doc = store.document(store.documents()[0].doc_id)
    assert doc.title == "T" and doc.outlet == "Out" and doc.published == "2024-11-21"
    ids = [pid for pid, _ in store.search_bm25("hungary", 100, Filters())]
    data = store.passages(ids)
    assert len(data) == counts["passages"]
    for passage, meta in data.values():
        assert doc.text[passage.start:passage.end] == passage.text  # offsets slice back to the passage
        assert meta.doc_id == doc.doc_id and passage.sentences
        for s in passage.sentences:
            assert doc.text[s.start:s.end] == s.text


def test_a_failed_write_leaves_nothing_behind_and_writes_are_idempotent(store):
    prep = prepare(raw("One sentence here about things. Another sentence there about more."), SplitSettings())
    bad_vectors = np.zeros((0, 4), dtype=np.float32)  # fewer vectors than passages: IndexError mid-write
    with pytest.raises(IndexError):
        store.add_document(prep.doc, prep.passages, bad_vectors, prep.bands)
    assert store.counts() == {"documents": 0, "passages": 0, "sentences": 0, "vectors": 0, "near_duplicates": 0}
    assert store.documents() == []
    assert store.add_document(prep.doc, prep.passages, None, prep.bands)
    assert not store.add_document(prep.doc, prep.passages, None, prep.bands)  # idempotent by content hash
    assert store.counts()["documents"] == 1 and store.counts()["passages"] == len(prep.passages)


@pytest.mark.parametrize("query", ['NOT Spain', '"Spain', 'Spain*', 'title:Spain', 'Spain AND (', '^Spain',
                                   'NEAR(Spain Belgium)', "Spain's -Belgium", "Spain:* | !Belgium",
                                   "(Spain) <-> 'Belgium", "Spain\\ \x00"])
def test_query_syntax_in_user_text_is_plain_text(store, query):
    ingest(store, raw("Belgium and Spain are hiding behind the United States and Germany, an official said."))
    hits = store.search_bm25(query, 5, Filters())
    assert len(hits) == 1  # every query contains "spain": it must match, never error


def test_a_query_of_only_stop_words_or_symbols_finds_nothing_and_does_not_fail(store):
    ingest(store, raw("Belgium and Spain are hiding behind the United States and Germany, an official said."))
    assert store.search_bm25("!!! ???", 5, Filters()) == []
    assert isinstance(store.search_bm25("the of and", 5, Filters()), list)


def test_bm25_scores_equal_the_textbook_formula(store):
    """Oracle: BM25 (Robertson & Zaragoza 2009; k1=1.2, b=0.75, FTS5's floored idf) computed by hand.

    Both backends count every \\w+ token for the length and agree on "spain" being one term.
    """
    texts = ["Spain Spain Spain hesitates on the invitation today.",
             "Spain hesitates on the invitation, along with many other allies who are also quiet.",
             "Belgium hesitates on the invitation as well.",
             "Slovenia waits for the summit to decide.", "Hungary blocks the aid package again.",
             "Slovakia agrees with Hungary on the aid."]
    ingest(store, *[raw(t, source=f"d{i}") for i, t in enumerate(texts)])
    got = store.search_bm25("spain", 3, Filters())
    by_text = {store.passages([pid])[pid][0].text: score for pid, score in got}
    docs = [t.lower().replace(",", "").replace(".", "").split() for t in texts]
    avgdl = sum(map(len, docs)) / len(docs)
    n_q = sum("spain" in d for d in docs)
    idf = max(math.log((len(docs) - n_q + 0.5) / (n_q + 0.5)), 1e-6)

    def bm25(d):
        tf = d.count("spain")
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * len(d) / avgdl))
    expected = {t: bm25(d) for t, d in zip(texts, docs) if "spain" in d}
    assert set(by_text) == set(expected)
    for t in expected:
        assert by_text[t] == pytest.approx(expected[t], rel=1e-6)
    assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)


def test_filters_restrict_bm25_and_dense(store):
    ingest(store,
           raw("Spain hesitates on the invitation to Ukraine now.", source="a", outlet="Alpha", published="2024-01-01"),
           raw("Spain hesitates on the invitation to Kyiv later.", source="b", outlet="Beta", published="2025-01-01"),
           raw("Spain hesitates on the invitation to Lviv today.", source="c", outlet=None, published=None))
    docs = {m.source: m.doc_id for m in store.documents()}
    vec = HashingEmbedder().embed(["Spain hesitates"])[0]
    cases = [(Filters(), {"a", "b", "c"}), (Filters(date_from="2024-06-01"), {"b"}),
             (Filters(date_to="2024-06-01"), {"a"}), (Filters(outlets_include=("alpha",)), {"a"}),
             (Filters(outlets_exclude=("Alpha",)), {"b", "c"}), (Filters(doc_ids=(docs["c"],)), {"c"}),
             (Filters(doc_ids=(docs["a"], docs["b"]), outlets_exclude=("BETA",)), {"a"})]
    for f, expected in cases:
        assert sources(store, store.search_bm25("spain", 5, f)) == expected, f
        assert sources(store, store.search_dense(vec, 5, f)) == expected, f


def test_dense_search_ranks_by_cosine_and_returns_vectors_in_order(store):
    texts = [f"Report {i} on the {w} summit in {c}." for i, (w, c) in
             enumerate([("spring", "Vilnius"), ("summer", "Madrid"), ("autumn", "Bucharest"), ("winter", "Oslo")] * 20)]
    ingest(store, *[raw(t, source=f"s{i}") for i, t in enumerate(texts)])
    emb = HashingEmbedder()
    target = texts[5]
    hits = store.search_dense(emb.embed([target])[0], 60, Filters())
    assert len(hits) == 60  # more than pgvector's default ef_search of 40
    top_pid, top_score = hits[0]
    assert store.passages([top_pid])[top_pid][0].text == target and top_score == pytest.approx(1.0, abs=1e-5)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    ids = [pid for pid, _ in hits[:5]]
    vecs = store.vectors(ids)
    assert vecs.shape == (5, emb.dim) and vecs.dtype == np.float32
    expected = emb.embed([store.passages([p])[p][0].text for p in ids])
    assert np.allclose(vecs, expected, atol=1e-6)
    assert store.vectors([ids[0], "missing-passage"]) is None


def test_vectors_can_be_reset_and_filled_again(store):
    ingest(store, raw("Spain hesitates on the invitation to Ukraine now, officials said."))
    n = store.counts()["passages"]
    store.reset_vectors()
    assert store.counts()["vectors"] == 0 and len(store.passages_without_vectors(100)) == n
    rows = store.passages_without_vectors(100)
    store.add_vectors([pid for pid, _ in rows], HashingEmbedder().embed([t for _, t in rows]), "hashing")
    store.add_vectors([pid for pid, _ in rows], HashingEmbedder().embed([t for _, t in rows]), "hashing")
    assert store.counts()["vectors"] == n and store.passages_without_vectors(100) == []


def test_records_are_saved_updated_listed_and_checked(store):
    store.save_record("briefs", "b1", {"question": "Q1", "n": 1})
    store.save_record("briefs", "b2", {"question": "Q2", "nested": {"a": [1, 2]}})
    store.save_record("briefs", "b1", {"question": "Q1", "n": 2})
    store.save_record("runs", "r1", {"status": "done"})
    assert store.load_record("briefs", "b1") == {"question": "Q1", "n": 2}
    assert store.load_record("briefs", "nope") is None
    assert {r["question"] for r in store.list_records("briefs", 10)} == {"Q1", "Q2"}
    assert store.list_records("runs", 10) == [{"status": "done"}]
    assert len(store.list_records("briefs", 1)) == 1
    with pytest.raises(StoreError, match="unknown record table"):
        store.save_record("documents; DROP TABLE documents", "x", {})


def test_raw_pages_are_kept_and_found_by_url_or_canonical_url(store):
    ingest(store, raw("Spain hesitates on the invitation to Ukraine now, officials said.",
                      url="https://news.example/spain"))
    doc_id = store.documents()[0].doc_id
    blob = bytes(range(256)) * 10
    store.save_raw_page(RawPageRecord("https://news.example/spain?utm=x", "2024-11-21T10:00:00+00:00",
                                      "https://news.example/spain", 200, doc_id, blob))
    store.save_raw_page(RawPageRecord("https://news.example/spain?utm=x", "2024-11-22T10:00:00+00:00",
                                      "https://news.example/spain", 304, None, b"\x00"))
    pages = store.raw_pages("https://news.example/spain?utm=x")
    assert [p.status for p in pages] == [200, 304] and pages[0].blob == blob and isinstance(pages[0].blob, bytes)
    assert store.raw_pages("https://news.example/spain") == pages
    assert store.doc_by_url("https://news.example/spain") == doc_id
    assert store.doc_by_url("https://news.example/spain?utm=x") == doc_id
    assert store.doc_by_url("https://elsewhere.example/") is None


def test_feeds_are_followed_and_updated(store):
    store.save_feed_state(FeedState("https://b.example/feed.xml"))
    store.save_feed_state(FeedState("https://a.example/sitemap.xml", kind="sitemap"))
    store.save_feed_state(FeedState("https://b.example/feed.xml", etag='"v2"', last_modified="Tue, 01 Oct 2024",
                                    last_polled="2024-10-01T00:00:00+00:00"))
    assert [f.url for f in store.feeds()] == ["https://a.example/sitemap.xml", "https://b.example/feed.xml"]
    assert store.feed_state("https://b.example/feed.xml").etag == '"v2"'
    assert store.feed_state("https://a.example/sitemap.xml").kind == "sitemap"
    assert store.feed_state("https://none.example/") is None


def test_near_duplicates_are_linked_on_both_backends(store):
    text = ("The foreign ministers met in Brussels on Tuesday and agreed to postpone the decision. " * 6)
    ingest(store, raw(text, source="original"), raw(text + " Syndicated by Wire.", source="copy"))
    docs = {m.source: m for m in store.documents()}
    assert docs["copy"].duplicate_of == docs["original"].doc_id
    assert store.counts()["near_duplicates"] == 1


# -- PostgreSQL: statistics, pruning, index ----------------------------------------------------------
@pytest.fixture
def pg(pg_url):
    s = open_store(pg_url)
    yield s
    s.close()


def zipf_text(seed: int, words: int = 120) -> str:
    """Prose-like text over a 400-word vocabulary with Zipf-distributed frequencies."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{chr(97 + i % 26)}{chr(97 + (i // 26) % 26)}x" for i in range(400)]
    picks = np.minimum(rng.zipf(1.3, size=words) - 1, len(vocab) - 1)
    return " ".join(" ".join(vocab[j] for j in picks[i:i + 12]).capitalize() + "." for i in range(0, words, 12))


def test_bm25_with_pruning_equals_exhaustive_bm25_from_the_rows(pg):
    from citebrief.store import pg_sql

    ingest(pg, *[raw(zipf_text(i), source=f"z{i}") for i in range(150)])
    rows = pg.execute("SELECT passage_id, dl, (SELECT array_agg(u.lexeme) FROM unnest(tsv) u), "
                      "(SELECT array_agg(array_length(u.positions, 1)) FROM unnest(tsv) u) FROM passages")
    tfs = {pid: dict(zip(lex, counts)) for pid, _, lex, counts in rows}
    lengths = {pid: dl for pid, dl, _, _ in rows}
    n, avgdl = len(rows), sum(lengths.values()) / len(rows)
    pruned = 0
    for q in ["waax wbax", "wzax wabx waax", "wkax whax wlbx", "wabx wbbx wcbx wdbx", "waax"]:
        lexemes = q.split()
        df = {lex: sum(lex in tf for tf in tfs.values()) for lex in lexemes}
        idfs = {lex: pg_sql.idf(n, df[lex]) for lex in lexemes}
        scores = {pid: pg_sql.bm25({lex: tf[lex] for lex in lexemes if lex in tf}, lengths[pid], idfs, avgdl)
                  for pid, tf in tfs.items() if any(lex in tf for lex in lexemes)}
        for k in (3, 10, 50):
            expected = sorted(scores.values(), reverse=True)[:k]
            got = pg.search_bm25(q, k, Filters())
            assert [s for _, s in got] == pytest.approx(expected, rel=1e-9), (q, k)
            assert all(scores[pid] == pytest.approx(s, rel=1e-9) for pid, s in got)
            terms = pg_sql.terms_by_rarity([(lex, df[lex]) for lex in lexemes], n)
            pruned += pg_sql.essential_needed(terms, expected[-1] if len(expected) == k else 0.0) < len(terms)
    assert pruned, "no query exercised the pruning of common terms"


def test_term_statistics_and_counters_agree_with_the_rows(pg):
    ingest(pg, *[raw(zipf_text(i), source=f"z{i}") for i in range(40)],
           raw(zipf_text(1) + " Syndicated.", source="copy"))
    stats = dict(pg.execute("SELECT term, df FROM bm25_terms"))
    truth = dict(pg.execute("SELECT word, ndoc FROM ts_stat('SELECT tsv FROM passages')"))
    assert stats == truth
    assert pg.counts() == pg.exact_counts() and pg.counts()["near_duplicates"] == 1
    tokens = pg.execute("SELECT sum(tokens) FROM corpus_counters")[0][0]
    assert tokens == pg.execute("SELECT sum(dl) FROM passages")[0][0]
    pg.execute("UPDATE corpus_counters SET passages = 0")  # damage the statistics, then repair them
    pg.execute("DELETE FROM bm25_terms")
    pg.rebuild_statistics()
    assert dict(pg.execute("SELECT term, df FROM bm25_terms")) == truth and pg.counts() == pg.exact_counts()


def test_the_hnsw_index_follows_the_fingerprint_dimension(pg):
    ingest(pg, raw("Spain hesitates on the invitation to Ukraine now, officials said."))
    index = pg.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'vectors_hnsw'")
    assert "hnsw" in index[0][0] and "vector_cosine_ops" in index[0][0]
    assert pg.execute(pg_sql_typmod())[0][0] == HashingEmbedder().dim
    plan = "\n".join(r[0] for r in pg.execute(
        "EXPLAIN SELECT passage_id FROM vectors ORDER BY vec <=> (SELECT vec FROM vectors LIMIT 1) LIMIT 5"))
    assert "vectors_hnsw" in plan
    pg.reset_vectors()  # reindex with another embedder: new dimension, new index
    from citebrief.store.base import Fingerprint
    pg.set_fingerprint(Fingerprint("rules-v1", 100, "other", 8))
    assert pg.execute(pg_sql_typmod())[0][0] == 8 and pg.execute(
        "SELECT 1 FROM pg_indexes WHERE indexname = 'vectors_hnsw'")


def pg_sql_typmod() -> str:
    from citebrief.store.pg_sql import VECTOR_TYPMOD
    return VECTOR_TYPMOD


def test_a_bulk_copy_defers_the_index_and_builds_it_once(tmp_path, pg, monkeypatch):
    from citebrief.store import transfer as transfer_mod

    src = open_store(str(tmp_path / "src.db"))
    ingest(src, *[raw(zipf_text(i), source=f"z{i}") for i in range(30)])
    monkeypatch.setattr(transfer_mod, "BULK_MIN_DOCUMENTS", 10)
    report = transfer_mod.transfer(src, pg)
    assert not report.mismatches
    assert pg.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'vectors_hnsw'")
    vec = HashingEmbedder().embed([zipf_text(3)])[0]
    assert src.search_dense(vec, 1, Filters())[0][0] == pg.search_dense(vec, 1, Filters())[0][0]
    src.close()
