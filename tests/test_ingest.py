"""Ingest through the real CLI: formats, metadata, duplicates, bad inputs, re-runs, kill -9."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CLI, cli_json, run_cli

ARTICLE = ("Officials in Brussels said on Tuesday that the alliance would not issue an invitation this year. "
           "The decision followed weeks of talks among the foreign ministers of the member states. "
           "Several governments cited the risk of escalation with Moscow as their main concern. ")


def write_mixed_folder(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("Title: Talks stall\nOutlet: Test Wire\nAuthor: A. Writer\nDate: 2024-11-21\n"
                                "URL: https://wire.example/talks\n\n" + ARTICLE + "\nAdvertisement\n" + ARTICLE.upper())
    (root / "b.md").write_text("# Ministers meet\n\nThe **ministers** met in [Brussels](https://x.example). " + ARTICLE * 2)
    (root / "sub" / "c.html").write_text(
        "<html><head><title>Summit ends</title><meta property='og:site_name' content='Herald'>"
        "<meta name='author' content='B. Reporter'><meta property='article:published_time' content='2024-07-10'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Summit ends</h1>"
        + "".join(f"<p>{s}</p>" for s in (ARTICLE * 2).split(". ")) + "</article><footer>© Herald</footer></body></html>")
    with gzip.open(root / "sub" / "d.html.gz", "wt") as fh:
        fh.write("<html><head><title>Gz page</title></head><body><article><p>" + ARTICLE.replace("Tuesday", "Friday")
                 + "</p><p>" + ARTICLE.replace("this year", "next year") + "</p></article></body></html>")
    rows = [{"title": "Row one", "text": ARTICLE.replace("Brussels", "Vilnius"), "outlet": "JL", "published_at": "2023-07-11"},
            {"title": "Row two", "body": ARTICLE.replace("Brussels", "Madrid") * 2, "source": "JS", "date": "2022-06-29"},
            "not an object", {"title": "no text"}]
    (root / "e.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken json\n")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "latin1.txt").write_bytes(("Café owners in Zürich said the new rules hurt business badly. " * 5).encode("cp1252"))
    (root / "only-boilerplate.txt").write_text("Advertisement\nSubscribe to our newsletter\nShare this article\n")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf")


def test_mixed_folder_reports_bad_inputs_and_ingests_the_rest(tmp_path, db):
    folder = tmp_path / "in"
    write_mixed_folder(folder)
    proc = run_cli("add", str(folder), "--embedder", "hashing", db=db)
    assert proc.returncode == 1, proc.stderr  # some inputs failed
    err = proc.stderr
    for needle in ["empty.txt: empty file", "binary.txt: binary content", "only-boilerplate.txt: no text left",
                   "broken.pdf: broken PDF", "e.jsonl:3: expected a JSON object", "e.jsonl:4: needs a non-empty",
                   "e.jsonl:5: invalid JSON"]:
        assert needle in err, (needle, err)
    docs = cli_json("sources", "--json", db=db)
    by_title = {d["title"]: d for d in docs}
    assert {"Talks stall", "Ministers meet", "Summit ends", "Gz page", "Row one", "Row two"} <= set(by_title)
    talks = by_title["Talks stall"]
    assert (talks["outlet"], talks["author"], talks["published"], talks["url"]) == (
        "Test Wire", "A. Writer", "2024-11-21", "https://wire.example/talks")
    assert by_title["Summit ends"]["outlet"] == "Herald" and by_title["Summit ends"]["published"] == "2024-07-10"
    assert by_title["Row two"]["outlet"] == "JS" and by_title["Row two"]["published"] == "2022-06-29"
    assert any("Zürich" in cli_json("show", d["doc_id"], "--json", db=db)["text"] for d in docs)
    shown = cli_json("show", talks["doc_id"], "--json", db=db)
    assert "Advertisement" not in shown["text"] and shown["text"].startswith("Officials in Brussels")
    assert "**" not in cli_json("show", by_title["Ministers meet"]["doc_id"], "--json", db=db)["text"]
    again = run_cli("add", str(folder), db=db)
    assert "added 0" in again.stderr and "near-duplicates 0" in again.stderr
    assert len(cli_json("sources", "--json", db=db)) == len(docs)


def test_near_duplicates_are_linked_and_exact_duplicates_skipped(tmp_path, db):
    folder = tmp_path / "in"
    folder.mkdir()
    story = ARTICLE * 3 + "Analysts expect the question to return at the next summit in The Hague."
    (folder / "wire.txt").write_text("Title: Original\n\n" + story)
    (folder / "copy.txt").write_text("Title: Copy with new headline\n\n" + story.replace("Tuesday", "Wednesday"))
    (folder / "same.txt").write_text("Title: Same text, other file\n\n" + story + "\n")
    proc = run_cli("add", str(folder), "--embedder", "hashing", db=db, check=True)
    assert "added 1, unchanged 1, near-duplicates 1" in proc.stderr
    docs = cli_json("sources", "--json", db=db)
    original = next(d for d in docs if d["duplicate_of"] is None)
    copy = next(d for d in docs if d["duplicate_of"])
    assert copy["duplicate_of"] == original["doc_id"]


def test_duplicates_are_found_when_each_document_is_its_own_batch(tmp_path):
    """embed_batch=1: the original is already written (not pending) when its copies arrive."""
    from citebrief.embed import HashingEmbedder
    from citebrief.ingest import IngestOptions, Ingestor
    from citebrief.models import RawDocument
    from citebrief.store import open_store

    story = ARTICLE * 3 + "Analysts expect the question to return at the next summit in The Hague."
    raws = [RawDocument(source="wire", text=story, raw_hash="r1", title="Original"),
            RawDocument(source="copy", text=story.replace("Tuesday", "Wednesday"), raw_hash="r2"),
            RawDocument(source="same", text=story + "\n", raw_hash="r3")]
    store = open_store(str(tmp_path / "c.db"))
    ingestor = Ingestor(store, HashingEmbedder(), IngestOptions(embed_batch=1))
    ingestor.add_raw(raws)
    report = ingestor.finish()
    assert sorted((o.source, o.status) for o in report.outcomes) == [
        ("copy", "near-duplicate"), ("same", "unchanged"), ("wire", "added")]
    assert store.counts()["documents"] == 2 and store.passages_without_vectors(10) == []
    store.close()


def test_a_large_add_leaves_the_search_indexes_built(tmp_path, db):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i}.txt").write_text(f"Report {i}: the harbour council voted on quota {i} after a long "
                                         f"debate about fleet number {i * 7} and its crew of {i + 3}.")
    run_cli("add", str(folder), "--embedder", "hashing", "-q", db=db, check=True,
            env={"CITEBRIEF_INDEX_MIN_PASSAGES": "10"})  # 30 passages: "large" for this test
    index = next(Path(f"{db}.index").iterdir())  # nothing has searched yet
    assert any((index / "tantivy").iterdir()) and list(index.glob("hnsw-*.usearch"))


def test_exit_status_two_on_usage_errors(db):
    assert run_cli("search", db=db).returncode == 2
    assert run_cli("add", "--no-such-flag", db=db).returncode == 2
    assert run_cli("show", "ffffffff", db=db).returncode == 2


def test_missing_path_is_reported(tmp_path, db):
    proc = run_cli("add", str(tmp_path / "nope"), "--embedder", "hashing", db=db)
    assert proc.returncode == 1 and "no such file or folder" in proc.stderr


def _counts(db: Path) -> tuple[int, int, int, str]:
    conn = sqlite3.connect(db)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    docs, passages, vectors = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                               for t in ("documents", "passages", "vectors"))
    orphans = conn.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                           "(SELECT 1 FROM passages p WHERE p.doc_id = d.doc_id)").fetchone()[0]
    fts = conn.execute("SELECT count(*) FROM passages_fts").fetchone()[0]
    conn.close()
    assert orphans == 0, "a document without passages is visible: a half-written document"
    assert fts == passages and vectors == passages
    return docs, passages, vectors, integrity


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    for i in range(400):
        (folder / f"doc{i:04d}.txt").write_text(
            f"Title: Report {i}\n\nReport number {i} says the committee met {i % 17} times. " + ARTICLE * (1 + i % 4)
            + f" The final vote was {i} to {i * 3 % 101}.")
    return folder


def _documents(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=30)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0  # schema not created yet


@pytest.mark.process
def test_kill_nine_mid_ingest_leaves_a_consistent_resumable_store(tmp_path, big_folder):
    reference = tmp_path / "reference.db"
    run_cli("add", str(big_folder), "--embedder", "hashing", db=reference, check=True)
    expected = _counts(reference)
    assert expected[3] == "ok" and expected[0] == 400

    db = tmp_path / "killed.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    partial_counts = []
    # Kill when the store reaches increasing document counts, so every trial lands mid-ingest at a
    # different point whatever the machine's speed.
    for target in (20, 90, 160, 230, 300):
        proc = subprocess.Popen([*CLI, "--db", str(db), "add", str(big_folder), "--embedder", "hashing", "-q"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and _documents(db) < target and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        docs, passages, vectors, integrity = _counts(db)
        assert integrity == "ok"
        partial_counts.append(docs)
    run_cli("add", str(big_folder), db=db, check=True)
    assert _counts(db) == expected
    assert any(0 < n < 400 for n in partial_counts), partial_counts


def test_minhash_of_a_long_text_works_in_blocks():
    """The signature of 1.7 M shingles once took a 2.8 GB outer product; blocks give the same minimum."""
    import tracemalloc

    import numpy as np

    from citebrief.dedup import _MINHASH_BLOCK, minhash

    shingle_set = {f"w{i} x{i % 97} y{i % 89} z{i % 83}" for i in range(60_000)}
    tracemalloc.start()
    try:
        signature = minhash(shingle_set)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, peak  # the whole product: 60,000 x 128 x 8 bytes x 2 = 123 MB
    one = [minhash(set(list(shingle_set)[i:i + _MINHASH_BLOCK])) for i in range(0, 60_000, _MINHASH_BLOCK)]
    assert np.array_equal(signature, np.minimum.reduce(one))


def test_a_document_built_directly_keeps_only_a_web_address():
    """Plugins and the Python API hand RawDocuments straight to the ingest: the readers' rule still holds."""
    from citebrief.ingest import prepare
    from citebrief.models import RawDocument
    from citebrief.split import SplitSettings

    text = "The council approved the new budget on Tuesday after a long debate about school repairs. " * 4
    for url, kept in (("javascript:alert(1)", None), (" data:text/html,<b>x</b>", None), ("/relative/page", None),
                      ("https://example.org/budget", "https://example.org/budget")):
        doc = prepare(RawDocument("plugin:item", text, "h" * 64, title="Budget", url=url), SplitSettings()).doc
        assert doc.url == kept, url
