"""The derived search indexes (tantivy BM25, usearch HNSW) beside a SQLite corpus: same answers as the
exact path, BM25 by the textbook, caught up after other writers, rebuilt from damage, kill -9 safe."""

from __future__ import annotations

import math
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from citebrief.embed import HashingEmbedder
from citebrief.ingest import Ingestor
from citebrief.models import Filters, RawDocument
from citebrief.store.ann import HnswSettings, ef_search_for
from citebrief.store.derived import ENV_MIN_PASSAGES, min_passages_setting
from citebrief.store.lexical import _analyzer, lexical_terms
from citebrief.store.sqlite import SQLiteStore
from citebrief.errors import UsageError

EXACT = 10**12  # index_min_passages that keeps a store on the exact path
FISH = ("salmon", "herring", "cod", "tuna", "mackerel", "sardine", "anchovy", "trout")


def raw(text: str, source: str) -> RawDocument:
    return RawDocument(source=source, text=text, raw_hash=source)


def reports(start: int, n: int) -> list[RawDocument]:
    """``n`` short documents, each with one word of its own (``tokenNNNN``) to search for."""
    return [raw(f"Report {i} token{i:04d} on the {FISH[i % 8]} quota vote in region {i % 7}. "
                f"The {FISH[(i * 3) % 8]} fleet of harbour {i % 11} objected to the quota.", f"doc{i}")
            for i in range(start, start + n)]


def ingest(store: SQLiteStore, docs: list[RawDocument]) -> None:
    ing = Ingestor(store, HashingEmbedder())
    ing.add_raw(docs)
    ing.finish()


def passage_of(store: SQLiteStore, source: str) -> tuple[str, np.ndarray]:
    pid, vec = store.execute("SELECT p.passage_id, v.vec FROM passages p JOIN documents d USING (doc_id) "
                             "JOIN vectors v ON v.passage_id = p.passage_id WHERE d.source=?", (source,))[0]
    return pid, np.frombuffer(vec, dtype=np.float32)


def test_indexed_search_finds_what_exact_search_finds(tmp_path):
    db = tmp_path / "c.db"
    indexed = SQLiteStore(str(db), index_min_passages=0)
    ingest(indexed, reports(0, 120))
    exact = SQLiteStore(str(db), index_min_passages=EXACT)
    for i in (0, 57, 119):
        pid, vec = passage_of(exact, f"doc{i}")
        assert indexed.search_bm25(f"token{i:04d} quota", 5)[0][0] == pid
        assert exact.search_bm25(f"token{i:04d} quota", 5)[0][0] == pid
        # At 120 vectors HNSW with ef=128 visits the whole graph: the same neighbours as the matrix.
        # (Compared by score: passages with equal scores may come in either order.)
        got, want = indexed.search_dense(vec, 10), exact.search_dense(vec, 10)
        assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-5)
        got = dict(indexed.search_dense(vec, 3))
        assert got[pid] == pytest.approx(1.0, abs=1e-5)  # cosine of a unit vector with itself
    ids = [p for p, _ in exact.search_bm25("herring quota harbour", 5)]
    assert np.array_equal(indexed.vectors(ids), exact.vectors(ids))  # read from SQLite, not a matrix
    status = indexed.index_status()
    assert status["lexical_docs"] == status["dense_vectors"] == 120
    assert Path(status["folder"]).parent == Path(f"{db}.index")


def test_refresh_builds_the_indexes_before_any_search(tmp_path):
    store = SQLiteStore(str(tmp_path / "c.db"), index_min_passages=10)
    ingest(store, reports(0, 9))
    store.refresh_indexes()
    assert store.index_status()["lexical_docs"] == 0  # below the threshold: nothing to build
    ingest(store, reports(9, 6))
    store.refresh_indexes()
    assert store.index_status() | {"folder": ""} == {"folder": "", "min_passages": 10,
                                                      "lexical_docs": 15, "dense_vectors": 15}


def test_small_corpora_write_no_index_files(tmp_path):
    store = SQLiteStore(str(tmp_path / "small.db"), index_min_passages=1000)
    ingest(store, reports(0, 20))
    assert store.search_bm25("token0003", 1) and store.search_dense(HashingEmbedder().embed(["cod"])[0], 3)
    store.close()
    assert not (tmp_path / "small.db.index").exists()


def test_tantivy_bm25_equals_the_textbook(tmp_path):
    """Oracle: Okapi BM25 (k1=1.2, b=0.75) with FTS5's idf ln((N − n + 0.5)/(n + 0.5)), as FTS5 scores.

    The texts are short, so tantivy's one-byte length norm is exact (it is lossless below 40).
    """
    texts = ["Spain Spain Spain hesitates on the invitation today.",
             "Spain hesitates on the invitation, along with many other allies who are also quiet.",
             "Belgium hesitates on the invitation as well.",
             "Slovenia waits for the summit to decide.", "Hungary blocks the aid package again.",
             "Slovakia agrees with Hungary on the aid."]
    store = SQLiteStore(str(tmp_path / "c.db"), index_min_passages=0)
    ingest(store, [raw(t, f"d{i}") for i, t in enumerate(texts)])
    got = {store.passages([pid])[pid][0].text: score for pid, score in store.search_bm25("spain", 3)}

    docs = [t.lower().replace(",", "").replace(".", "").split() for t in texts]
    avgdl = sum(map(len, docs)) / len(docs)
    n_q = sum("spain" in d for d in docs)
    idf = math.log((len(docs) - n_q + 0.5) / (n_q + 0.5))

    def bm25(d: list[str]) -> float:
        tf = d.count("spain")
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * len(d) / avgdl))
    expected = {t: bm25(d) for t, d in zip(texts, docs) if "spain" in d}
    assert set(got) == set(expected)
    for t in expected:
        assert got[t] == pytest.approx(expected[t], rel=1e-5)
    exact = SQLiteStore(str(tmp_path / "c.db"), index_min_passages=EXACT)  # FTS5 itself
    assert sorted(got.values()) == pytest.approx(sorted(s for _, s in exact.search_bm25("spain", 3)), rel=1e-5)


def test_query_terms_are_analysed_like_the_passages():
    terms = lexical_terms('Warming "NOT" naïve* the (Cafés) OR', _analyzer())
    assert terms == ["warm", "naiv", "cafe"]  # stopwords dropped, stemmed, accents folded
    assert lexical_terms("the of and", _analyzer()) == ["the", "of", "and"]  # all stopwords: keep them


def test_another_writer_is_caught_up_on_the_next_search(tmp_path):
    db = tmp_path / "c.db"
    reader = SQLiteStore(str(db), index_min_passages=0)
    ingest(reader, reports(0, 30))
    assert reader.search_bm25("token0005", 1) and reader.index_status()["lexical_docs"] == 30
    writer = SQLiteStore(str(db), index_min_passages=EXACT)  # another process, as `citebrief add`
    ingest(writer, reports(30, 25))
    assert reader.index_status()["lexical_docs"] == 30  # nothing happens behind a reader's back
    pid, vec = passage_of(writer, "doc42")
    assert reader.search_bm25("token0042", 1)[0][0] == pid
    assert reader.search_dense(vec, 1)[0][0] == pid
    assert reader.index_status() | {"folder": ""} == {"folder": "", "min_passages": 0,
                                                       "lexical_docs": 55, "dense_vectors": 55}


def test_damaged_or_foreign_index_files_are_rebuilt(tmp_path):
    db = tmp_path / "c.db"
    store = SQLiteStore(str(db), index_min_passages=0)
    ingest(store, reports(0, 40))
    pid, vec = passage_of(store, "doc7")
    assert store.search_dense(vec, 1)[0][0] == pid and store.search_bm25("token0007", 1)[0][0] == pid
    store.close()
    folder = next(Path(f"{db}.index").iterdir())
    (next(folder.glob("hnsw-*.usearch"))).write_bytes(b"torn write" * 10)
    (folder / "tantivy" / "meta.json").write_text("{not json")
    again = SQLiteStore(str(db), index_min_passages=0)
    assert again.search_dense(vec, 1)[0][0] == pid and again.search_bm25("token0007", 1)[0][0] == pid
    again.close()
    # A new corpus at the same path gets a new id, so it never reads the old corpus' indexes.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    fresh = SQLiteStore(str(db), index_min_passages=0)
    ingest(fresh, reports(100, 5))
    assert fresh.search_bm25("token0007", 5) == []
    assert Path(fresh.index_status()["folder"]) != folder


def test_new_vectors_retire_the_old_hnsw_file(tmp_path):
    db = tmp_path / "c.db"
    store = SQLiteStore(str(db), index_min_passages=0)
    ingest(store, reports(0, 30))
    store.search_dense(HashingEmbedder().embed(["cod"])[0], 3)
    store.close()
    store = SQLiteStore(str(db), index_min_passages=0)
    epoch = store.execute("SELECT value FROM meta WHERE key='vectors_epoch'")[0][0]
    store.reset_vectors()  # `citebrief reindex` with another embedder: 64-d instead of 256-d
    assert store.execute("SELECT value FROM meta WHERE key='vectors_epoch'")[0][0] != epoch
    rows = store.passages_without_vectors(1000)
    small = HashingEmbedder(dim=64)
    store.add_vectors([pid for pid, _ in rows], small.embed([t for _, t in rows]), "hashing")
    pid = rows[9][0]
    assert store.search_dense(small.embed([rows[9][1]])[0], 1)[0][0] == pid
    store.close()
    files = list(next(Path(f"{db}.index").iterdir()).glob("hnsw-*"))
    assert len(files) == 1 and epoch not in files[0].name


def test_filtered_searches_stay_exact(tmp_path):
    store = SQLiteStore(str(tmp_path / "c.db"), index_min_passages=0)
    ing = Ingestor(store, HashingEmbedder())
    ing.add_raw([RawDocument(source=s, text=f"Spain hesitates on the invitation {s}.", raw_hash=s, outlet=s)
                 for s in ("Alpha", "Beta")])
    ing.finish()
    f = Filters(outlets_include=("beta",))
    emb = HashingEmbedder().embed(["Spain hesitates"])[0]
    for hits in (store.search_bm25("spain", 5, f), store.search_dense(emb, 5, f)):
        assert {store.passages([p])[p][1].outlet for p, _ in hits} == {"Beta"}


def test_threshold_setting_is_checked(monkeypatch):
    monkeypatch.setenv(ENV_MIN_PASSAGES, "5000")
    assert min_passages_setting() == 5000 and min_passages_setting(7) == 7
    monkeypatch.setenv(ENV_MIN_PASSAGES, "lots")
    with pytest.raises(UsageError, match="whole number"):
        min_passages_setting()


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from test_ann import SQLiteStore, ingest, reports, HashingEmbedder
    store = SQLiteStore({db!r}, index_min_passages=0)
    start = store.counts()["documents"]
    for batch in range(start, 400, 20):
        ingest(store, reports(batch, 20))
        store.search_bm25("quota", 5)  # catches tantivy up (a commit each time)
        store.search_dense(HashingEmbedder().embed(["quota"])[0], 5)  # HNSW: adds, saves at +10 %
        print(batch + 20, flush=True)
""")


@pytest.mark.process
def test_kill_nine_while_indexes_catch_up_leaves_them_recoverable(tmp_path):
    """Kill the process at several points of ingest + index catch-up; the next open catches up."""
    db = tmp_path / "killed.db"
    script = WRITER.format(tests=str(Path(__file__).parent), db=str(db))
    counts = []
    for lines_before_kill in (1, 3, 5, 6):  # each run goes on from where the last was killed
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(lines_before_kill):
            if not proc.stdout.readline():
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        store = SQLiteStore(str(db), index_min_passages=0)
        n = store.counts()["documents"]
        newest = f"doc{n - 1}"
        pid, vec = passage_of(store, newest)
        assert store.search_bm25(f"token{n - 1:04d}", 1)[0][0] == pid
        assert store.search_dense(vec, 1)[0][0] == pid
        status = store.index_status()
        assert status["lexical_docs"] == status["dense_vectors"] == store.counts()["passages"] == n
        store.close()
        counts.append(n)
    assert any(0 < n < 400 for n in counts), counts


@pytest.mark.process
def test_usearch_and_onnx_runtime_load_in_either_order():
    """usearch 2.26.2–2.26.6 made `import onnxruntime` segfault once usearch was loaded (a dense
    search before the model's first use, as in the web app); pyproject keeps it below 2.26.2."""
    for first, second in (("usearch.index", "onnxruntime"), ("onnxruntime", "usearch.index")):
        proc = subprocess.run([sys.executable, "-c", f"import {first}, {second}"], capture_output=True)
        assert proc.returncode == 0, (first, second, proc.stderr[-500:])


def test_hnsw_searches_wider_as_the_index_grows():
    """At 1M synthetic vectors ef_search 256 kept only 0.854 of the exact top 10 (BENCHMARKS.md)."""
    s = HnswSettings()
    assert ef_search_for(120, s) == ef_search_for(100_000, s) == 256
    assert 256 < ef_search_for(300_000, s) < ef_search_for(1_000_000, s)
    assert ef_search_for(1_000_000, s) >= 1024  # the least that held recall@10 >= 0.95 there
    assert ef_search_for(10**9, s) == 2048
