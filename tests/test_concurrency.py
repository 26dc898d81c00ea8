"""Two `citebrief add` processes on one SQLite corpus, and searches while an ingest writes (WAL)."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from conftest import CLI, run_cli

TEXT = "The committee met on Tuesday and agreed to publish its findings on the review next month. "


@pytest.mark.process
def test_two_concurrent_adds_store_every_document_once_and_search_keeps_working(tmp_path, db):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for i in range(150):  # 0..99 only in a, 50..149 in both, 100..149 only in b: overlapping inputs
        text = f"Title: Item {i}\n\nItem {i} records {i * 7} visits. " + TEXT * (1 + i % 3)
        if i < 100:
            (a / f"{i}.txt").write_text(text)
        if i >= 50:
            (b / f"{i}.txt").write_text(text)
    run_cli("add", str(a / "0.txt"), "--embedder", "hashing", db=db, check=True)  # create the corpus first
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    procs = [subprocess.Popen([*CLI, "--db", str(db), "add", str(folder), "-q"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in (a, b)]
    searches = 0
    while any(p.poll() is None for p in procs):  # readers are never blocked by the writers (WAL)
        found = run_cli("search", "committee findings", "--mode", "bm25", "-k", "3", db=db)
        assert found.returncode == 0, found.stderr
        searches += 1
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    titles = [r[0] for r in conn.execute("SELECT title FROM documents")]
    assert len(titles) == len(set(titles)) == 150
    assert searches >= 1
