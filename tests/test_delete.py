"""Deleting a source: one transaction in SQLite, no search (FTS5, vectors, tantivy, HNSW) returns it afterwards.

Real SQLite files and the hashing embedder; the derived indexes are forced on with
CITEBRIEF_INDEX_MIN_PASSAGES=0 so the tantivy and HNSW paths are the ones searched.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from citebrief import Corpus
from citebrief.embed import HashingEmbedder
from citebrief.models import Filters
from citebrief.store import open_store
from conftest import cli_json, run_cli
from pg import pg_server, pg_url  # noqa: F401  (fixtures)
from test_store_backends import ingest, raw, zipf_text

NEW_TEXT = ("Title: Lighthouse keepers return\nOutlet: Coast Weekly\nDate: 2024-06-01\n\n" + " ".join(
    f"Paragraph {i}: the lighthouse trust said keepers would return to the granite tower on the {w} headland, "
    f"where the lamp had been automated since the storm of {1990 + i}." for i, w in
    enumerate(["northern", "southern", "eastern", "western", "rocky", "windy", "quiet", "misty"] * 6)) + "\n")


@pytest.fixture
def db(hashing_template, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("CITEBRIEF_INDEX_MIN_PASSAGES", "0")  # search through tantivy and HNSW
    path = tmp_path / "corpus.db"
    shutil.copy(hashing_template, path)
    return path


def _passages_of(corpus: Corpus, doc_id: str) -> list[tuple[str, str]]:
    return [(pid, text) for pid, text in corpus.store.execute(
        "SELECT passage_id, text FROM passages WHERE doc_id=? ORDER BY ordinal", (doc_id,))]


def _searches(corpus: Corpus, text: str) -> set[str]:
    """Passage ids that BM25 (tantivy) and dense (HNSW) search return for ``text``, top 20 each."""
    vector = corpus.embedder().embed([text])[0]
    return {pid for pid, _ in corpus.store.search_bm25(text, 20)} | \
        {pid for pid, _ in corpus.store.search_dense(vector, 20)}


def _integrity(path: Path) -> None:
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.execute("INSERT INTO passages_fts (passages_fts) VALUES ('integrity-check')")  # raises when torn
        orphans = con.execute("SELECT count(*) FROM vectors WHERE passage_id NOT IN "
                              "(SELECT passage_id FROM passages)").fetchone()[0]
        assert orphans == 0


@pytest.mark.parametrize("which", ["newest", "oldest"])
def test_deleted_document_is_gone_from_every_table_and_search(db, which):
    corpus = Corpus(str(db))
    docs = corpus.store.documents()
    doc = docs[-1] if which == "newest" else docs[0]
    passages = _passages_of(corpus, doc.doc_id)
    probe = passages[0][1]
    assert passages[0][0] in _searches(corpus, probe)  # the indexes are built and find it before
    before = corpus.store.counts()
    assert corpus.store.delete_document(doc.doc_id) is True
    after = corpus.store.counts()
    assert after["documents"] == before["documents"] - 1 and after["passages"] == before["passages"] - len(passages)
    assert after["vectors"] == before["vectors"] - len(passages)
    assert corpus.store.document(doc.doc_id) is None
    assert not {pid for pid, _ in passages} & _searches(corpus, probe)
    assert corpus.store.delete_document(doc.doc_id) is False  # a second time: nothing to delete
    status = corpus.store.index_status()
    assert status["lexical_docs"] >= after["passages"] and status["dense_vectors"] == after["vectors"]
    corpus.close()
    _integrity(db)


def test_a_new_document_after_deleting_the_newest_is_found_by_its_own_words(db, tmp_path):
    """SQLite gives the next passages the deleted rowids again: the indexes must not keep the old text."""
    corpus = Corpus(str(db))
    newest = corpus.store.documents()[-1]
    old = _passages_of(corpus, newest.doc_id)
    _searches(corpus, old[0][1])  # indexes built over the document about to go
    assert corpus.store.delete_document(newest.doc_id)
    note = tmp_path / "lighthouse.txt"
    note.write_text(NEW_TEXT, encoding="utf-8")
    assert not corpus.add([note]).failed
    added = next(d for d in corpus.store.documents() if d.title == "Lighthouse keepers return")
    fresh = _passages_of(corpus, added.doc_id)
    assert len(fresh) > len(old)  # so the new rows take every deleted rowid and more
    for pid, text in fresh:
        assert pid in {p for p, _ in corpus.store.search_bm25(text, 5)}
    assert not {pid for pid, _ in old} & _searches(corpus, old[0][1])
    corpus.close()
    _integrity(db)


def test_near_duplicates_of_a_deleted_original_become_originals(db, tmp_path):
    corpus = Corpus(str(db))
    first = tmp_path / "first.txt"
    first.write_text(NEW_TEXT, encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(NEW_TEXT.replace("Coast Weekly", "Harbour Daily") + "Reporting by the news desk.\n",
                    encoding="utf-8")
    assert not corpus.add([first]).failed and not corpus.add([copy]).failed
    docs = {d.source: d for d in corpus.store.documents()}
    assert docs[str(copy)].duplicate_of == docs[str(first)].doc_id
    assert corpus.store.delete_document(docs[str(first)].doc_id)
    assert corpus.store.document(docs[str(copy)].doc_id).duplicate_of is None
    corpus.close()
    _integrity(db)


def test_rm_from_the_cli(db):
    docs = cli_json("sources", "--json", db=db)
    target = docs[1]
    proc = run_cli("rm", target["doc_id"][:10], db=db)
    assert proc.returncode == 0, proc.stderr
    assert target["doc_id"] in proc.stderr and "deleted" in proc.stderr
    assert target["doc_id"] not in {d["doc_id"] for d in cli_json("sources", "--json", db=db)}
    missing = run_cli("rm", target["doc_id"], db=db)
    assert missing.returncode == 2 and "citebrief sources" in missing.stderr and "Traceback" not in missing.stderr
    assert run_cli("rm", db=db).returncode == 2
    _integrity(db)


# -- PostgreSQL: the same, plus the BM25 statistics it keeps per term ---------------------------------
@pytest.fixture
def pg(pg_url):
    store = open_store(pg_url)
    yield store
    store.close()


def test_postgres_delete_keeps_term_statistics_and_counters_exact(pg, pg_url):
    ingest(pg, *[raw(zipf_text(i), source=f"z{i}") for i in range(30)],
           raw(zipf_text(1) + " Syndicated.", source="copy"))
    by_source = {d.source: d for d in pg.documents()}
    assert by_source["copy"].duplicate_of == by_source["z1"].doc_id
    gone = [by_source["z1"].doc_id, by_source["z7"].doc_id]
    passages = {pid for (pid,) in pg.execute("SELECT passage_id FROM passages WHERE doc_id = ANY(%s)", (gone,))}
    probe = pg.execute("SELECT text FROM passages WHERE doc_id = %s LIMIT 1", (gone[1],))[0][0]
    assert passages & {pid for pid, _ in pg.search_bm25(probe, 10, Filters())}
    assert pg.delete_document(gone[0]) is True
    assert run_cli("rm", gone[1], db=pg_url).returncode == 0  # the CLI on a PostgreSQL corpus
    assert pg.delete_document(gone[0]) is False
    stats = dict(pg.execute("SELECT term, df FROM bm25_terms"))
    assert stats == dict(pg.execute("SELECT word, ndoc FROM ts_stat('SELECT tsv FROM passages')"))
    assert pg.counts() == pg.exact_counts() and pg.counts()["documents"] == 29
    assert pg.counts()["near_duplicates"] == 0 and pg.document(by_source["copy"].doc_id).duplicate_of is None
    tokens = pg.execute("SELECT sum(tokens) FROM corpus_counters")[0][0]
    assert tokens == pg.execute("SELECT sum(dl) FROM passages")[0][0]
    vector = HashingEmbedder().embed([probe])[0]
    assert not passages & {pid for pid, _ in pg.search_bm25(probe, 10, Filters())}
    assert not passages & {pid for pid, _ in pg.search_dense(vector, 10, Filters())}
    assert pg.execute("SELECT count(*) FROM vectors WHERE doc_id = ANY(%s)", (gone,))[0][0] == 0
