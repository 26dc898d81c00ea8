"""`citebrief add --workers N`: parallel reading and embedding, one writer, the same corpus as one process."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from citebrief import Corpus
from citebrief.ingest import IngestOptions, Ingestor
from citebrief.ingest_pool import _work, add_paths_parallel
from citebrief.embed import LazyEmbedder
from conftest import cli_json, run_cli
from pg import pg_server  # noqa: F401  (fixture)
from test_ingest import ARTICLE, write_mixed_folder


def corpus_state(db: Path) -> dict[str, object]:
    """Everything that must not depend on the number of workers."""
    conn = sqlite3.connect(db)
    try:
        docs = sorted(conn.execute("SELECT doc_id, source, duplicate_of, title FROM documents"))
        passages = sorted(conn.execute("SELECT passage_id, doc_id, text FROM passages"))
        vectors = {pid: np.frombuffer(vec, dtype=np.float32)
                   for pid, vec in conn.execute("SELECT passage_id, vec FROM vectors")}
        return {"docs": docs, "passages": passages, "vectors": vectors,
                "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0]}
    finally:
        conn.close()


def write_many(root: Path, n: int) -> None:
    """``n`` distinct articles, some exact copies under other names and some near-duplicates."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"n{i:03d}.txt").write_text(f"Title: Dispatch {i}\n\nReport number {i} from desk {i % 7}. "
                                            + ARTICLE.replace("Tuesday", f"day {i}") * (1 + i % 3))
    for i in range(0, n, 10):
        (root / f"copy{i:03d}.txt").write_text((root / f"n{i:03d}.txt").read_text())
        (root / f"near{i:03d}.txt").write_text((root / f"n{i:03d}.txt").read_text() + " Updated at noon.")


def test_two_workers_build_the_same_corpus_as_one_process(tmp_path):
    folder = tmp_path / "in"
    write_mixed_folder(folder)
    write_many(folder / "many", 40)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    serial = run_cli("add", str(folder), "--embedder", "hashing", db=one)
    parallel = run_cli("add", str(folder), "--embedder", "hashing", "--workers", "2", db=two)
    assert serial.returncode == parallel.returncode == 1, parallel.stderr  # the broken inputs fail
    summary = [line for line in parallel.stderr.splitlines() if line.startswith("added")]
    assert summary and summary[0].split(" (")[0] == \
        [line for line in serial.stderr.splitlines() if line.startswith("added")][0].split(" (")[0]
    for reason in ["empty.txt: empty file", "binary.txt: binary content", "broken.pdf: broken PDF",
                   "e.jsonl:5: invalid JSON"]:
        assert reason in parallel.stderr
    a, b = corpus_state(one), corpus_state(two)
    assert a["integrity"] == b["integrity"] == "ok"
    assert a["docs"] == b["docs"] and a["passages"] == b["passages"]
    assert any(dup for _, _, dup, _ in b["docs"]), "near-duplicates are linked with workers too"
    assert set(a["vectors"]) == set(b["vectors"]) == {pid for pid, _, _ in b["passages"]}
    assert all(np.allclose(a["vectors"][k], b["vectors"][k], atol=1e-6) for k in a["vectors"])


def test_re_adding_with_workers_changes_nothing(tmp_path, db):
    folder = tmp_path / "in"
    write_many(folder, 30)
    run_cli("add", str(folder), "--embedder", "hashing", "--workers", "3", db=db, check=True)
    before = corpus_state(db)
    again = run_cli("add", str(folder), "--workers", "2", db=db, check=True)
    assert "added 0" in again.stderr and "nothing new" in again.stderr
    assert corpus_state(db)["docs"] == before["docs"]


@pytest.mark.parametrize("value", ["0", "-1", "1000"])
def test_a_bad_worker_count_is_a_usage_error(tmp_path, db, value):
    proc = run_cli("add", str(tmp_path), "--workers", value, db=db)
    assert proc.returncode == 2 and "--workers must be between 1 and" in proc.stderr


def dies_on_poison(paths):
    """A worker that dies (as a crashing reader library would) on any chunk holding poison.txt."""
    if any(Path(p).name == "poison.txt" for p in paths):
        os._exit(3)
    return _work(paths)


def test_a_dying_worker_costs_only_its_chunk_and_the_rest_is_ingested(tmp_path):
    folder = tmp_path / "in"
    write_many(folder, 60)
    (folder / "poison.txt").write_text("Title: Poison\n\n" + ARTICLE)
    corpus = Corpus(str(tmp_path / "c.db"), embedder_name="hashing")
    ingestor = Ingestor(corpus.store, LazyEmbedder("hashing"), IngestOptions())
    report = add_paths_parallel(ingestor, [folder], workers=2, location=corpus.location,
                                embedder="hashing", work=dies_on_poison)
    failed = {o.source.rsplit("/", 1)[-1] for o in report.failed}
    assert "poison.txt" in failed
    assert all("reading process died" in o.reason for o in report.failed)
    assert len(failed) <= 8, "only the chunk that held the poison is lost"
    files = sorted(p.name for p in folder.iterdir())
    assert report.count("added") + report.count("near-duplicate") + report.count("unchanged") \
        + len(failed) == len(files)
    # The lost files come back with a plain rerun (the poison one fails on its own in one process).
    corpus.close()
    rerun = run_cli("add", str(folder), db=tmp_path / "c.db")
    assert rerun.returncode == 0, rerun.stderr
    titles = {d["title"] for d in cli_json("sources", "--json", db=tmp_path / "c.db")}
    assert "Poison" in titles and len(titles) == 60 + 1


def raises_on_poison(paths):
    """A worker whose code raises (rather than dies) on any chunk holding poison.txt."""
    if any(Path(p).name == "poison.txt" for p in paths):
        raise LookupError("reader state lost")
    return _work(paths)


def test_a_worker_that_raises_costs_only_its_chunk(tmp_path):
    folder = tmp_path / "in"
    write_many(folder, 30)
    (folder / "poison.txt").write_text("Title: Poison\n\n" + ARTICLE)
    corpus = Corpus(str(tmp_path / "c.db"), embedder_name="hashing")
    ingestor = Ingestor(corpus.store, LazyEmbedder("hashing"), IngestOptions())
    report = add_paths_parallel(ingestor, [folder], workers=2, location=corpus.location,
                                embedder="hashing", work=raises_on_poison)
    failed = {o.source.rsplit("/", 1)[-1] for o in report.failed}
    assert "poison.txt" in failed and len(failed) <= 8
    assert all("raised LookupError" in o.reason for o in report.failed)
    files = sorted(p.name for p in folder.iterdir())
    assert report.count("added") + report.count("near-duplicate") + report.count("unchanged") \
        + len(failed) == len(files)


def test_workers_on_postgresql_store_what_one_process_stores(tmp_path, pg_server):
    from test_store_postgres import pg_state, write_docs

    write_docs(tmp_path / "in", range(80))
    (tmp_path / "in" / "copy.txt").write_text((tmp_path / "in" / "doc0003.txt").read_text())
    reference = pg_server.url(pg_server.create_database("wref"))
    run_cli("add", str(tmp_path / "in"), "--embedder", "hashing", "-q", db=reference, check=True)
    url = pg_server.url(pg_server.create_database("wpar"))
    run_cli("add", str(tmp_path / "in"), "--embedder", "hashing", "-q", "--workers", "2", db=url, check=True)
    assert pg_state(url) == pg_state(reference)
