"""PostgreSQL: errors that say what to do, and the real CLI — concurrent and killed `citebrief add`,
`ask` on the sample corpus, `migrate` between backends.

Commands run as subprocesses of the real entry point with ``--db postgresql://…`` pointing at a
fresh database on the session's pgserver (tests/pg.py).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time

import psycopg
import pytest

from citebrief.api import Corpus
from citebrief.embed import HashingEmbedder
from citebrief.errors import ConfigError, StoreError
from citebrief.ingest import Ingestor
from citebrief.models import SearchMode
from citebrief.store import open_store
from citebrief.store.base import FeedState, RawPageRecord
from citebrief.store.transfer import table_counts
from conftest import CLI, SAMPLE_CORPUS, cli_json, run_cli
from pg import pg_server, pg_url  # noqa: F401  (fixtures)
from test_store_backends import ingest, raw, zipf_text


# -- errors that say what to do ------------------------------------------------------------------
def test_an_unreachable_server_says_to_start_it_or_fix_the_url(tmp_path):
    with pytest.raises(StoreError, match=r"Cannot reach PostgreSQL \(database citebrief on 127.0.0.1:1 .*"
                                         r"Is the server running"):
        open_store("postgresql://alice:secret@127.0.0.1:1/citebrief")
    with pytest.raises(StoreError, match="Cannot reach PostgreSQL") as info:
        open_store(f"postgresql://alice@/citebrief?host={tmp_path / 'no-socket-here'}")
    assert "secret" not in str(info.value)
    proc = run_cli("sources", db="postgresql://alice:secret@127.0.0.1:1/citebrief")
    assert proc.returncode == 1 and "Cannot reach PostgreSQL" in proc.stderr and "secret" not in proc.stderr


def test_a_missing_database_says_how_to_create_it(pg_server):
    with pytest.raises(StoreError, match="database no_such_db .* does not exist yet: create it"):
        open_store(pg_server.url("no_such_db"))


@pytest.fixture(scope="module")
def password_roles(pg_server):
    """Roles that must log in with a password (scram) and are not superusers."""
    hba = pg_server.data_dir / "pg_hba.conf"
    lines = "local all citebrief_pw scram-sha-256\nlocal all citebrief_plain scram-sha-256\n"
    if lines not in hba.read_text():
        hba.write_text(lines + hba.read_text())
    for role in ("citebrief_pw", "citebrief_plain"):
        if not pg_server.admin("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)):
            pg_server.admin(f"CREATE ROLE {role} LOGIN PASSWORD 'right-pass'")
    pg_server.admin("SELECT pg_reload_conf()")
    return pg_server


def test_a_wrong_password_says_where_to_put_the_right_one(password_roles):
    db = password_roles.create_database()
    with pytest.raises(StoreError, match="wrong or missing password for user citebrief_pw") as info:
        open_store(password_roles.url(db, "citebrief_pw", "wrong-pass"))
    assert "wrong-pass" not in str(info.value)
    with pytest.raises(StoreError, match="PGPASSWORD"):
        open_store(password_roles.url(db, "citebrief_pw"))


def test_a_user_that_may_not_enable_pgvector_is_told_to_ask_an_admin(password_roles):
    db = password_roles.create_database()
    password_roles.admin(f'ALTER DATABASE "{db}" OWNER TO citebrief_plain')
    url = password_roles.url(db, "citebrief_plain", "right-pass")
    with pytest.raises(StoreError, match="Ask an administrator to run: CREATE EXTENSION vector"):
        open_store(url)
    password_roles.admin("CREATE EXTENSION vector", database=db)  # the admin does it: now it works
    store = open_store(url)
    assert store.location.startswith("postgresql://citebrief_plain:***@")
    ingest(store, raw("Spain hesitates on the invitation to Ukraine now, officials said."))
    assert store.counts()["documents"] == 1
    store.close()


def test_a_server_without_pgvector_says_how_to_install_it(pg_url):
    from citebrief.store.pg_connect import PgSettings, connect, ensure_vector

    conn = connect(PgSettings(pg_url))
    try:  # the server here has pgvector; ask for an extension it lacks to walk the same path
        with pytest.raises(StoreError, match="does not have the pgvector extension .* apt install "
                                             "postgresql-16-pgvector"):
            ensure_vector(conn, pg_url, extension="vector_not_installed_here")
    finally:
        conn.close()


def test_statement_timeout_and_pool_size_come_from_the_environment(pg_url, monkeypatch):
    monkeypatch.setenv("CITEBRIEF_PG_STATEMENT_TIMEOUT", "150ms")
    monkeypatch.setenv("CITEBRIEF_PG_POOL_SIZE", "2")
    store = open_store(pg_url)
    assert store.execute("SHOW statement_timeout")[0][0] == "150ms"
    with pytest.raises(StoreError, match="statement timeout .*CITEBRIEF_PG_STATEMENT_TIMEOUT"):
        store.execute("SELECT pg_sleep(2)")
    store.close()
    monkeypatch.setenv("CITEBRIEF_PG_POOL_SIZE", "many")
    with pytest.raises(ConfigError, match="CITEBRIEF_PG_POOL_SIZE"):
        open_store(pg_url)


# -- the real CLI ------------------------------------------------------------------------------------
def write_docs(folder, indices) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in indices:
        (folder / f"doc{i:04d}.txt").write_text(f"Title: Report {i}\nOutlet: Wire {i % 5}\n\n{zipf_text(1000 + i, 260)}")


def pg_state(url: str) -> dict[str, int]:
    """Exact counts, plus checks that no half-written document is visible and counters agree."""
    store = open_store(url)
    try:
        exact = store.exact_counts()
        orphans = store.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                "(SELECT 1 FROM passages p WHERE p.doc_id = d.doc_id)")[0][0]
        assert orphans == 0, "a document without passages is visible: a half-written document"
        assert exact["vectors"] == exact["passages"] and store.counts() == exact
        assert store.execute("SELECT count(*) FROM documents")[0][0] == \
            store.execute("SELECT count(DISTINCT source) FROM documents")[0][0]
        return exact
    finally:
        store.close()


def documents_in(url: str) -> int:
    """Documents committed so far (0 while the schema does not exist yet), read with plain psycopg."""

    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('documents')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


@pytest.mark.process
def test_two_concurrent_add_processes_store_every_document_exactly_once(tmp_path, pg_server):


    write_docs(tmp_path / "a", range(0, 120))
    write_docs(tmp_path / "b", range(60, 180))  # 60 documents in both folders
    reference = pg_server.url(pg_server.create_database("ref"))
    run_cli("add", str(tmp_path / "a"), str(tmp_path / "b"), "--embedder", "hashing", "-q", db=reference, check=True)
    url = pg_server.url(pg_server.create_database("conc"))
    procs = [subprocess.Popen([*CLI, "--db", url, "add", str(tmp_path / part), "--embedder", "hashing", "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for part in ("b", "a")]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    expected = pg_state(reference)
    assert expected["documents"] == 180
    assert pg_state(url) == expected


def bm25_statistics(url: str) -> tuple[list[tuple], tuple]:
    """The BM25 term statistics and summed counters, which every document's transaction updates."""
    with psycopg.connect(url, autocommit=True) as conn:
        terms = conn.execute("SELECT term, df FROM bm25_terms ORDER BY term").fetchall()
        totals = conn.execute("SELECT sum(documents), sum(passages), sum(tokens) FROM corpus_counters").fetchone()
        return terms, totals


def added(stderr: str) -> dict[str, int]:
    """The numbers of `add`'s summary line: "added 3, unchanged 1, near-duplicates 0, failed 0 (0.4s)"."""
    match = re.search(r"added (\d+), unchanged (\d+), near-duplicates (\d+), failed (\d+)", stderr)
    assert match, stderr
    return dict(zip(("added", "unchanged", "near-duplicate", "failed"), map(int, match.groups())))


@pytest.mark.process
def test_four_concurrent_add_processes_with_searches_store_every_document_exactly_once(tmp_path, pg_server):
    # 240 documents, each in exactly two of the four folders; all four writers start on an empty
    # database, so they also race on the schema, the fingerprint and the HNSW index.
    parts = {"a": range(0, 120), "b": range(60, 180), "c": range(120, 240), "d": [*range(0, 60), *range(180, 240)]}
    for name, indices in parts.items():
        write_docs(tmp_path / name, indices)
    reference = pg_server.url(pg_server.create_database("ref"))
    run_cli("add", *(str(tmp_path / name) for name in parts), "--embedder", "hashing", "-q", db=reference,
            check=True)
    url = pg_server.url(pg_server.create_database("conc4"))
    procs = [subprocess.Popen([*CLI, "--db", url, "add", str(tmp_path / name), "--embedder", "hashing", "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in "dcba"]
    searches, reader = 0, None
    try:
        while any(p.poll() is None for p in procs):  # searches run in this process while the four write
            if documents_in(url) == 0:
                time.sleep(0.05)  # nothing to search yet (an empty corpus is an error, and rightly so)
                continue
            reader = reader or Corpus(url, embedder_name="hashing")
            for hit in reader.search("Report wire", mode=list(SearchMode)[searches % 3], k=3):
                assert hit.doc.title.startswith("Report ") and hit.passage.sentences  # never half-written
            searches += 1
        outs = [p.communicate(timeout=600) for p in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:  # a failed search: do not leave the writers behind
                proc.kill()
                proc.communicate()
        if reader is not None:
            reader.close()
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outs
    tallies = [added(err) for _, err in outs]
    assert all(t["failed"] == 0 for t in tallies), outs
    assert sum(t["added"] + t["near-duplicate"] for t in tallies) == 240  # each stored by exactly one writer
    assert sum(sum(t.values()) for t in tallies) == sum(len(p) for p in parts.values())
    expected = pg_state(reference)
    assert expected["documents"] == 240
    assert pg_state(url) == expected
    assert bm25_statistics(url) == bm25_statistics(reference)
    assert searches >= 1, "no search ran while the writers were writing"


@pytest.mark.process
def test_sigkill_mid_ingest_then_rerun_ends_like_an_uninterrupted_run(tmp_path, pg_server):


    write_docs(tmp_path / "in", range(300))
    reference = pg_server.url(pg_server.create_database("ref"))
    run_cli("add", str(tmp_path / "in"), "--embedder", "hashing", "-q", db=reference, check=True)
    expected = pg_state(reference)
    url = pg_server.url(pg_server.create_database("kill"))
    seen_partial, last = 0, 0
    for _ in range(3):
        proc = subprocess.Popen([*CLI, "--db", url, "add", str(tmp_path / "in"), "--embedder", "hashing", "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:  # kill once it has written some more
            time.sleep(0.1)
            if documents_in(url) >= last + 30:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        last = pg_state(url)["documents"]
        seen_partial += 0 < last < expected["documents"]
    run_cli("add", str(tmp_path / "in"), "--embedder", "hashing", "-q", db=url, check=True)
    assert pg_state(url) == expected
    assert seen_partial >= 1, "no kill landed mid-ingest; the test did not exercise a partial store"


@pytest.mark.model
def test_ask_on_postgresql_names_the_seven_like_sqlite(pg_url):

    from test_brief import SEED_QUESTION, SEVEN

    run_cli("add", str(SAMPLE_CORPUS), "-q", db=pg_url, check=True, timeout=900)
    proc = run_cli("ask", SEED_QUESTION, "--format", "json", "-q", db=pg_url, timeout=900)
    assert proc.returncode == 0, proc.stderr
    actors = {a["name"]: a for a in json.loads(proc.stdout)["actors"]}
    assert SEVEN <= set(actors), set(actors)
    for name in SEVEN:
        assert actors[name]["position"] in {"opposes", "hesitant"}, (name, actors[name])
        assert actors[name]["position_citations"] and actors[name]["stance_series"]
    assert actors["Slovakia"]["reasons"]  # its own, from Fico's article (rows never share a copied reason)
    assert not {"Russia", "Ukraine", "Israel"} & set(actors)


def _migrate(src: str, dst: str):

    return run_cli("migrate", src, dst, "-q")


def test_migrate_round_trip_keeps_counts_records_and_search_results(tmp_path, pg_url):

    src = tmp_path / "src.db"
    run_cli("add", str(SAMPLE_CORPUS), "--embedder", "hashing", "-q", db=src, check=True)
    store = open_store(str(src))
    doc_id = store.documents()[0].doc_id
    store.save_record("briefs", "b1", {"question": "Q", "sections": [1, 2]})
    store.save_record("runs", "r1", {"status": "done"})
    store.save_raw_page(RawPageRecord("https://x.example/a", "2024-01-01T00:00:00+00:00", None, 200, doc_id, b"\x00\xff"))
    store.save_feed_state(FeedState("https://x.example/feed.xml", etag='"e"'))
    before = table_counts(store)
    store.close()

    first = _migrate(str(src), pg_url)
    assert first.returncode == 0, first.stderr
    printed = {line.split()[0]: line.split()[1:] for line in first.stdout.splitlines()[1:]}
    assert printed["documents"] == [str(before["documents"])] * 2 and "MISMATCH" not in first.stdout
    back = tmp_path / "back.db"
    assert _migrate(pg_url, str(back)).returncode == 0
    for location in (pg_url, str(back)):
        other = open_store(location)
        assert table_counts(other) == before
        assert other.load_record("briefs", "b1") == {"question": "Q", "sections": [1, 2]}
        assert other.raw_pages("https://x.example/a")[0].blob == b"\x00\xff"
        assert other.feed_state("https://x.example/feed.xml").etag == '"e"'
        other.close()
    question = "Which NATO members resist inviting Ukraine?"
    for mode in ("hybrid", "bm25", "dense"):
        want = cli_json("search", question, "--mode", mode, "-k", "8", "--json", db=src)["hits"]
        got = cli_json("search", question, "--mode", mode, "-k", "8", "--json", db=back)["hits"]
        assert [(h["passage_id"], h["score"]) for h in got] == [(h["passage_id"], h["score"]) for h in want]
    on_pg = cli_json("search", question, "--mode", "dense", "-k", "8", "--json", db=pg_url)["hits"]
    assert [h["passage_id"] for h in on_pg] == [h["passage_id"] for h in want]  # dense is backend-independent
    again = run_cli("migrate", str(src), pg_url)  # everything is there: nothing copied, counts still match
    assert again.returncode == 0 and f"already there {before['documents']}" in again.stderr


@pytest.mark.process
def test_migrate_resumes_after_being_killed(tmp_path, pg_url):


    write_docs(tmp_path / "in", range(300))
    src = tmp_path / "src.db"
    run_cli("add", str(tmp_path / "in"), "--embedder", "hashing", "-q", db=src, check=True)
    proc = subprocess.Popen([*CLI, "migrate", str(src), pg_url, "-q", "--batch", "20"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        if documents_in(pg_url) >= 40:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = pg_state(pg_url)["documents"]
    assert 0 < partial < 300, partial
    done = run_cli("migrate", str(src), pg_url, "--batch", "20")
    assert done.returncode == 0, done.stderr
    assert f"already there {partial}" in done.stderr
    source, copy = open_store(str(src)), open_store(pg_url)
    assert table_counts(copy) == table_counts(source)
    source.close()
    copy.close()


def test_migrate_exits_1_when_the_counts_differ(tmp_path, pg_url):

    src = tmp_path / "src.db"
    run_cli("add", str(SAMPLE_CORPUS), "--embedder", "hashing", "-q", db=src, check=True)
    dst = open_store(pg_url)
    Ingestor(dst, HashingEmbedder())  # same settings, one extra document
    ingest(dst, raw("A document only the destination holds, about something else entirely."))
    dst.close()
    proc = _migrate(str(src), pg_url)
    assert proc.returncode == 1 and "MISMATCH" in proc.stdout and "counts differ" in proc.stderr


def test_the_web_app_serves_a_postgresql_corpus_unchanged(pg_url):
    import re

    from fastapi.testclient import TestClient

    from citebrief.server import ServerSettings, create_app

    run_cli("add", str(SAMPLE_CORPUS), "--embedder", "hashing", "-q", db=pg_url, check=True)
    with TestClient(create_app(ServerSettings(db=pg_url, token=None)),  # loopback, no login
                    base_url="http://127.0.0.1:8000") as client:
        listed = client.get("/api/sources").json()
        assert listed == json.loads(run_cli("sources", "--json", db=pg_url, check=True).stdout) and len(listed) == 34
        for mode in ("bm25", "hybrid"):
            body = client.get("/api/search", params={"q": "Hungary veto Ukraine", "k": 3, "mode": mode}).json()
            assert 1 <= len(body["hits"]) <= 3, body
        assert client.get("/api/search", params={"q": 'NOT "* OR ('}).status_code == 200
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
        note = b"Title: Port strike ends\n\nDock workers in the northern port voted on Tuesday to end a strike."
        added = client.post("/api/sources", files=[("files", ("port.txt", note, "text/plain"))],
                            headers={"x-csrf-token": csrf}).json()["outcomes"]
        assert [o["status"] for o in added] == ["added"]
        assert len(client.get("/api/sources").json()) == 35
