"""The web app against a real SQLite corpus: REST API, events, uploads, access control, restarts.

Fast tests use a corpus embedded with the hashing embedder (its briefs say "not enough evidence",
which is all they need). Tests that need real briefs share one MiniLM corpus and app (marked model).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from citebrief import Corpus
from citebrief.server import ServerSettings, create_app
from citebrief.server.jobs import RESTARTED, RESTARTED_QUEUED
from conftest import run_cli

BASE = "http://127.0.0.1:8000"
TOKEN = "test-token-0123456789abcdef"
JSON = {"Content-Type": "application/json"}
SEED_QUESTION = ("Which NATO countries oppose or are hesitant about Ukraine joining and what security or "
                 "political concerns do they cite?")
BRIEF_KEYS = {"question", "generated_at", "enough_evidence", "sections", "actors", "disputes", "limits",
              "sources", "metrics"}
SOURCE_KEYS = {"doc_id", "path", "url", "title", "outlet", "author", "published", "duplicate_of", "source"}
HIT_KEYS = {"passage_id", "doc_id", "text", "score", "start", "end", "title", "outlet", "published", "url",
            "path", "retrievers"}
NOTE = b"Title: Port strike ends\nOutlet: Harbour Times\nDate: 2024-05-02\n\n" + \
       b"Dock workers in the northern port voted on Tuesday to end a nine-day strike after the operator " \
       b"agreed to a pay rise of six percent. Shipping lines said the backlog would clear within a week.\n"


@pytest.fixture
def fast_db(hashing_template, tmp_path) -> Path:
    """A private copy of the hashing-embedded sample corpus."""
    path = tmp_path / "corpus.db"
    shutil.copy(hashing_template, path)
    return path


@contextmanager
def serve(db: Path, **settings):
    """The app with a token (the default), logged in through ?token= as a browser is: the session cookie."""
    settings.setdefault("token", TOKEN)
    with TestClient(create_app(ServerSettings(db=str(db), **settings)), base_url=BASE) as client:
        if settings["token"]:
            assert client.get(f"/?token={settings['token']}").status_code == 200
        yield client


def wait_final(client: TestClient, job_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/briefs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.25)
    raise AssertionError(f"brief {job_id} still {job['status']} after {timeout}s")


def read_events(client: TestClient, job_id: str) -> list[tuple[str, dict]]:
    events, kind = [], None
    with client.stream("GET", f"/api/briefs/{job_id}/events") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    return events


# -- the page ---------------------------------------------------------------------------------------
def test_page_has_security_headers_and_no_inline_script(fast_db):
    with serve(fast_db) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert "'unsafe-inline'" not in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # every script is a file
        assert "<style" not in page.text and " style=" not in page.text and " on" + "click=" not in page.text
        assert re.search(r'<label for="question">', page.text)
        for asset in ("/static/app.js", "/static/app.css"):
            response = client.get(asset)
            assert response.status_code == 200 and response.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write",
                             client.get("/static/app.js").text)
        assert client.get("/docs").status_code == 404  # Swagger UI needs inline script and a CDN
        assert "/api/briefs" in client.get("/openapi.json").json()["paths"]


def test_dns_rebinding_host_is_refused_on_loopback_without_token(fast_db):
    with serve(fast_db, token=None) as client:
        assert client.get("/api/sources", headers={"host": "attacker.example:8000"}).status_code == 400
        assert client.get("/api/sources", headers={"host": "localhost:8000"}).status_code == 200


# -- sources and search -----------------------------------------------------------------------------
def test_sources_match_the_cli_json(fast_db):
    with serve(fast_db) as client:
        listed = client.get("/api/sources").json()
    assert listed == json.loads(run_cli("sources", "--json", db=fast_db, check=True).stdout)
    assert len(listed) == 34 and set(listed[0]) == SOURCE_KEYS


def test_source_with_text_and_unknown_ids(fast_db):
    with serve(fast_db) as client:
        first = client.get("/api/sources").json()[0]
        doc = client.get(f"/api/sources/{first['doc_id'][:8]}").json()  # a prefix is enough
        assert doc["doc_id"] == first["doc_id"] and doc["text"] and set(doc) == SOURCE_KEYS | {"text", "language"}
        for bad in ("nope", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"):
            assert client.get(f"/api/sources/{bad}").status_code == 404
        assert client.get("/static/..%2F..%2F..%2Fcli%2Fapp.py").status_code == 404


def test_search(fast_db):
    with serve(fast_db) as client:
        body = client.get("/api/search", params={"q": "Hungary veto Ukraine", "k": 3, "mode": "bm25"}).json()
        assert body["mode"] == "bm25" and body["query"] == "Hungary veto Ukraine"
        assert 1 <= len(body["hits"]) <= 3 and set(body["hits"][0]) == HIT_KEYS
        assert client.get("/api/search", params={"q": "x", "mode": "psychic"}).status_code == 422
        assert client.get("/api/search", params={"q": ""}).status_code == 422
        assert client.get("/api/search", params={"q": 'NOT "* OR ('}).status_code == 200


# -- uploads ----------------------------------------------------------------------------------------
def upload(client: TestClient, files, **headers):
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
    return client.post("/api/sources", files=files, headers={"x-csrf-token": csrf, **headers})


def test_upload_ingests_allowed_files_and_reports_each(fast_db):
    with serve(fast_db) as client:
        response = upload(client, [("files", ("port.txt", NOTE, "text/plain")),
                                   ("files", ("notes.exe", b"MZ\x90\x00", "application/octet-stream"))])
        assert response.status_code == 200, response.text
        added, refused = response.json()["outcomes"]
        assert added["name"] == "port.txt" and added["status"] == "added" and added["doc_id"]
        assert refused["name"] == "notes.exe" and refused["status"] == "failed"
        assert "unsupported file type" in refused["reason"] and ".txt" in refused["reason"]
        titles = {d["title"] for d in client.get("/api/sources").json()}
        assert "Port strike ends" in titles and len(titles) >= 35
        again = upload(client, [("files", ("copy.txt", NOTE, "text/plain"))]).json()["outcomes"]
        assert [o["status"] for o in again] == ["unchanged"]


def test_upload_filename_is_never_a_path(fast_db, tmp_path):
    hostile = "../../etc/passwd.txt"
    with serve(fast_db) as client:
        outcome, = upload(client, [("files", (hostile, NOTE.replace(b"Port", b"Rail"), "text/plain"))]).json()["outcomes"]
        assert outcome["status"] == "added" and outcome["name"] == hostile
        doc = client.get(f"/api/sources/{outcome['doc_id']}").json()
        listed = client.get("/api/sources").text
    # the page and the API name it by its file name; the server path appears nowhere
    assert doc["source"] == "upload:passwd.txt" and doc["path"] is None
    assert "citebrief-upload-" not in listed and "/tmp" not in listed
    corpus = Corpus(str(fast_db))
    try:
        stored = corpus.show(outcome["doc_id"]).source
    finally:
        corpus.close()
    assert re.search(r"/citebrief-upload-[^/]+/[0-9a-f]{16}/passwd\.txt$", stored)  # inside its own random folder
    assert not Path(stored).exists()  # the temporary folder is gone
    assert not (tmp_path.parent / "etc").exists() and not Path("/etc/passwd.txt").exists()


def test_uploads_keep_their_names_in_briefs_and_exports(fast_db):
    """A document without a title is named by its file name; search hits never carry the server path."""
    untitled = b"Harbour pilots in the northern port said the new tug schedule cut waiting times by half.\n"
    with serve(fast_db) as client:
        outcome, = upload(client, [("files", ("Pilot notes (May).txt", untitled, "text/plain"))]).json()["outcomes"]
        doc = next(d for d in client.get("/api/sources").json() if d["doc_id"] == outcome["doc_id"])
        assert doc["title"] == "Pilot notes (May).txt" and doc["source"] == "upload:Pilot notes (May).txt"
        hits = client.get("/api/search", params={"q": "tug schedule pilots", "mode": "bm25"}).json()["hits"]
        assert hits and all(h["path"] is None or "citebrief-upload-" not in h["path"] for h in hits)


def test_background_upload_reports_progress_per_file(fast_db):
    with serve(fast_db) as client:
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
        started = client.post("/api/sources", params={"background": "true"}, headers={"x-csrf-token": csrf},
                              files=[("files", ("port.txt", NOTE, "text/plain")),
                                     ("files", ("tool.exe", b"MZ", "application/octet-stream"))])
        assert started.status_code == 202
        job = started.json()
        assert job["kind"] == "files" and [i["name"] for i in job["items"]] == ["port.txt", "tool.exe"]
        assert job["items"][1]["status"] == "failed"  # refused at once
        deadline = time.monotonic() + 120
        while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
            job = client.get(f"/api/ingests/{job['id']}").json()
        assert job["status"] == "done" and [i["status"] for i in job["items"]] == ["added", "failed"]
        assert client.get("/api/ingests").json()[0]["id"] == job["id"]  # the page can come back to it
        assert client.get("/api/ingests/nope").status_code == 404


def test_web_pages_and_feeds_are_added_from_the_api(fast_db):
    from webserver import Reply, TestServer

    article = (b"<html><head><title>Tide mill reopens | Harbour Gazette</title></head><body><article>"
               b"<h1>Tide mill reopens</h1><p>The restored tide mill on the east quay ground its first flour "
               b"in sixty years on Saturday, volunteers from the heritage trust said.</p><p>The trust said the "
               b"mill would open to visitors every weekend from June, tides permitting.</p></article></body></html>")
    with TestServer() as site, serve(fast_db, allow_private=True) as client:
        site.route("/mill", Reply(body=article))
        feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
                f'<item><title>Tide mill reopens</title><link>{site.url("/mill")}</link></item>'
                f'</channel></rss>').encode()
        site.route("/feed.xml", Reply(body=feed, content_type="application/rss+xml"))
        refused = client.post("/api/sources/web", json={"urls": ["javascript:alert(1)"], "kind": "page"})
        assert refused.status_code == 400 and "javascript" not in refused.text
        job = client.post("/api/sources/web", json={"urls": [site.url("/mill")], "kind": "page"}).json()
        deadline = time.monotonic() + 120
        while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
            job = client.get(f"/api/ingests/{job['id']}").json()
        assert job["status"] == "done" and job["items"][0]["status"] == "added", job
        assert any(d["title"] == "Tide mill reopens" for d in client.get("/api/sources").json())
        followed = client.post("/api/sources/web", json={"urls": [site.url("/feed.xml")], "kind": "feed"}).json()
        deadline = time.monotonic() + 120
        while followed["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
            followed = client.get(f"/api/ingests/{followed['id']}").json()
        assert followed["status"] == "done", followed
        assert followed["items"][0]["status"] == "followed"
    with serve(fast_db) as client:  # the private-address guard is on unless the server allows it
        guarded = client.post("/api/sources/web", json={"urls": ["http://127.0.0.1:9/x"], "kind": "page"}).json()
        deadline = time.monotonic() + 60
        while guarded["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
            guarded = client.get(f"/api/ingests/{guarded['id']}").json()
        assert guarded["items"][0]["status"] == "failed" and "private" in guarded["items"][0]["reason"].lower()


def test_upload_errors_are_reported_per_file(fast_db):
    with serve(fast_db) as client:
        outcomes = upload(client, [("files", ("empty.txt", b"", "text/plain")),
                                   ("files", ("noext", b"hello", "text/plain")),
                                   ("files", ("fake.pdf", b"not a pdf at all", "application/pdf"))]).json()["outcomes"]
    assert [o["status"] for o in outcomes] == ["failed"] * 3
    assert "empty" in outcomes[0]["reason"] and outcomes[0]["reason"].startswith("empty.txt")
    assert all("citebrief-upload-" not in (o["reason"] or "") for o in outcomes)


def test_oversized_upload_is_413_and_ingests_nothing(fast_db):
    with serve(fast_db, max_upload=1000) as client:
        before = len(client.get("/api/sources").json())
        big = b"Title: Big\n\n" + b"A sentence about harbours and ships. " * 60  # ~2.2 kB, under the slack
        assert upload(client, [("files", ("big.txt", big, "text/plain"))]).status_code == 413
        huge = b"x" * 200_000  # over limit + multipart slack: refused from Content-Length
        assert upload(client, [("files", ("huge.txt", huge, "text/plain"))]).status_code == 413
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
        body = (b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"s.txt\"\r\n\r\n"
                + huge + b"\r\n--B--\r\n")
        streamed = client.post("/api/sources", content=iter([body[i:i + 8192] for i in range(0, len(body), 8192)]),
                               headers={"content-type": "multipart/form-data; boundary=B", "x-csrf-token": csrf})
        assert streamed.status_code == 413  # chunked, no Content-Length: counted while reading
        assert len(client.get("/api/sources").json()) == before


# -- CSRF and tokens --------------------------------------------------------------------------------
def test_cross_origin_and_non_json_posts_are_refused(fast_db):
    with serve(fast_db) as client:
        ask = {"question": "Which NATO members resist?"}
        assert client.post("/api/briefs", json=ask, headers={"origin": "http://evil.example"}).status_code == 403
        assert client.post("/api/briefs", json=ask, headers={"origin": "null"}).status_code == 403
        assert client.post("/api/briefs", json=ask, headers={"sec-fetch-site": "cross-site"}).status_code == 403
        plain = client.post("/api/briefs", content=json.dumps(ask), headers={"content-type": "text/plain"})
        assert plain.status_code == 415  # what a cross-site <form> could send
        assert upload(client, [("files", ("a.txt", NOTE, "text/plain"))],
                      origin="http://evil.example").status_code == 403
        no_token = client.post("/api/sources", files=[("files", ("a.txt", NOTE, "text/plain"))])
        assert no_token.status_code == 403 and "CSRF" in no_token.json()["detail"]
        assert client.get("/api/briefs").json() == []  # nothing was queued
        same_origin = client.post("/api/briefs", json=ask, headers={"origin": BASE})
        assert same_origin.status_code == 202


def test_token_is_required_by_default(fast_db):
    with serve(fast_db, host="0.0.0.0", token="s3cret-token-of-sixteen") as client:
        client.cookies.clear()
        for path in ("/api/sources", "/api/briefs", "/openapi.json"):
            assert client.get(path).status_code == 401
            assert client.get(path, headers={"authorization": "Bearer s3cret-token-of-sixteen"}).status_code == 200
        assert client.get("/").status_code == 401 and client.get("/briefs/abc").status_code == 401
        assert client.get("/static/app.js").status_code == 200  # no data in it; a share link needs it
        login = client.get("/?token=s3cret-token-of-sixteen", follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/"
        cookie = login.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "s3cret-token" not in cookie
        assert re.search(r"Max-Age=\d+", cookie)  # the session expires
        assert client.get("/api/sources").status_code == 200  # the cookie now signs requests
        # a bearer token is no ambient browser credential, so it passes the CSRF checks
        bearer = client.post("/api/briefs", json={"question": "Who resists?"},
                             headers={"authorization": "Bearer s3cret-token-of-sixteen",
                                      "origin": "http://other.example"})
        assert bearer.status_code == 202
        cookie_cross = client.post("/api/briefs", json={"question": "Who resists?"},
                                   headers={"origin": "http://other.example"})
        assert cookie_cross.status_code == 403
    # the library default is a random token too: no credentials, no corpus
    with TestClient(create_app(ServerSettings(db=str(fast_db))), base_url=BASE) as client:
        assert client.get("/api/sources").status_code == 401 and client.get("/").status_code == 401


def test_short_tokens_are_refused(fast_db):
    from citebrief.errors import UsageError

    with pytest.raises(UsageError, match="at least 16"):
        create_app(ServerSettings(db=str(fast_db), token="x"))
    proc = run_cli("serve", "--port", "8999", db=fast_db, env={"CITEBRIEF_TOKEN": "short"})
    assert proc.returncode == 2 and "at least 16" in proc.stderr and "Traceback" not in proc.stderr


def test_wrong_tokens_are_slowed_and_a_right_one_clears_the_count(fast_db):
    with serve(fast_db, token=TOKEN) as client:
        client.cookies.clear()
        wrong = [client.get("/api/sources", headers={"authorization": f"Bearer wrong-{i}"}) for i in range(3)]
        assert [r.status_code for r in wrong] == [401, 401, 401]
        assert [r.json()["detail"] for r in wrong] == ["Wrong access token"] * 3
        # the 4th attempt comes before the wait is over: refused unseen, even with the right token
        for attempt in ("/?token=guess-number-four", f"/?token={TOKEN}"):
            slowed = client.get(attempt, follow_redirects=False)
            assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) >= 1
            assert slowed.headers["x-frame-options"] == "DENY"
        assert client.get("/api/sources").status_code == 401  # no credentials at all is not an attempt


def test_throttle_waits_grow_and_a_success_clears_them():
    from citebrief.server.security import Throttle

    now = [1000.0]
    throttle = Throttle(clock=lambda: now[0])
    waits = []
    for _ in range(6):
        waits.append(throttle.wait("10.0.0.1"))
        throttle.failed("10.0.0.1")
        now[0] += 0.5
    assert waits == [0, 0, 0, 0.5, 1.5, 3.5]  # after 3 free: 1, 2, 4 s from the last failure
    assert throttle.wait("10.0.0.2") == 0  # per address
    now[0] += 10
    assert throttle.wait("10.0.0.1") == 0
    throttle.succeeded("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.wait("10.0.0.1") == 0


def test_session_cookies_expire():
    from citebrief.server.security import Access

    access = Access("t" * 20, "csrf", session_seconds=3600)
    fresh = access.session_value(issued=10_000)
    assert access.cookie_ok(fresh, now=10_000 + 3599)
    assert not access.cookie_ok(fresh, now=10_000 + 3601)
    assert not access.cookie_ok(fresh.replace("10000.", "20000."), now=20_000)  # the time is signed
    assert not Access("u" * 20, "csrf").cookie_ok(fresh, now=10_000)  # another token, another signature


def test_serve_refuses_non_loopback_without_token(fast_db):
    from citebrief.errors import UsageError

    with pytest.raises(UsageError, match="--no-token"):
        create_app(ServerSettings(db=str(fast_db), host="0.0.0.0", token=None))
    proc = run_cli("serve", "--host", "0.0.0.0", "--port", "8999", "--no-token", db=fast_db,
                   env={"CITEBRIEF_TOKEN": ""})
    assert proc.returncode == 2 and "--no-token" in proc.stderr


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, as python-docx reads it."""
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, as pypdf extracts it (line breaks read as spaces)."""
    import pypdf

    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_word_and_pdf_exports_open_and_carry_the_brief(fast_db):
    with serve(fast_db) as client:
        job = client.post("/api/briefs", json={"question": "Which NATO members resist the port strike?"}).json()
        done = wait_final(client, job["id"])
        assert done["status"] == "done"
        word = client.get(f"/api/briefs/{job['id']}/export", params={"format": "docx"})
        assert word.status_code == 200 and word.headers["content-type"] == \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert word.headers["content-disposition"] == f'attachment; filename="brief-{job["id"]}.docx"'
        assert "x-content-type-options" in word.headers
        pdf = client.get(f"/api/briefs/{job['id']}/export", params={"format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        for text in (docx_text(word.content), pdf_text(pdf.content)):
            assert "Which NATO members resist the port strike?" in text
            assert "enough evidence" in text.lower()
        assert client.get(f"/api/briefs/{job['id']}/export", params={"format": "rtf"}).status_code == 422


# -- jobs -------------------------------------------------------------------------------------------
def test_restart_marks_unfinished_briefs_failed(fast_db):
    corpus = Corpus(str(fast_db))
    stamp = "2024-01-01T00:00:00.000000+00:00"
    for job_id, status in (("aaaa", "running"), ("bbbb", "queued"), ("cccc", "done")):
        corpus.store.save_record("briefs", job_id, {
            "id": job_id, "question": f"q {job_id}", "keep_unsupported": False, "status": status,
            "created": stamp, "updated": stamp, "brief": None, "error": None})
    corpus.close()
    with serve(fast_db) as client:
        running, queued, done = (client.get(f"/api/briefs/{i}").json() for i in ("aaaa", "bbbb", "cccc"))
        assert (running["status"], running["error"]) == ("failed", RESTARTED)
        assert (queued["status"], queued["error"]) == ("failed", RESTARTED_QUEUED)
        assert done["status"] == "done"
        assert read_events(client, "aaaa") == [("failed", {"id": "aaaa", "status": "failed", "error": RESTARTED})]
        assert client.get("/api/briefs/aaaa/export").status_code == 409
        assert client.get("/api/briefs/zzzz").status_code == 404
        assert client.get("/api/briefs/zzzz/events").status_code == 404


def test_a_full_queue_answers_429_and_keeps_what_it_accepted(fast_db):
    # No workers: nothing leaves the queue, as when a client posts faster than briefs are written.
    with serve(fast_db, workers=0, max_queued=3) as client:
        asked = [client.post("/api/briefs", json={"question": f"Which NATO members resist? ({i})"})
                 for i in range(4)]
        assert [r.status_code for r in asked] == [202, 202, 202, 429]
        assert "already waiting" in asked[3].json()["detail"]
        history = client.get("/api/briefs").json()
        assert len(history) == 3 and {j["status"] for j in history} == {"queued"}


def test_history_is_newest_first_and_survives_a_restart(fast_db):
    with serve(fast_db) as client:
        first = client.post("/api/briefs", json={"question": "Which NATO members resist?"}).json()
        second = client.post("/api/briefs", json={"question": "What did Hungary say?"}).json()
        assert first["status"] == "queued"
        for job in (first, second):
            assert wait_final(client, job["id"])["status"] == "done"  # "not enough evidence" is a brief too
        events = read_events(client, first["id"])  # replayed in full after the job ended
        assert events[0][0] == "stage" and "plan" in [d.get("stage") for _, d in events]
        assert events[-1] == ("done", {"id": first["id"], "status": "done", "error": None})
        assert client.post("/api/briefs", json={"question": ""}).status_code == 422
        assert client.post("/api/briefs", json={"question": "   "}).status_code == 400
    with serve(fast_db) as client:
        history = client.get("/api/briefs").json()
        assert [h["id"] for h in history] == [second["id"], first["id"]]
        assert "brief" not in history[0] and history[0]["question"] == "What did Hungary say?"
        kept = client.get(f"/api/briefs/{first['id']}").json()
        assert kept["brief"]["enough_evidence"] is False


# -- real briefs (MiniLM) ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def model_client(tmp_path_factory, sample_db):
    path = tmp_path_factory.mktemp("minilm") / "corpus.db"
    shutil.copy(sample_db, path)  # a private copy of the session's MiniLM corpus
    with serve(path) as client:
        yield client


@pytest.mark.model
@pytest.mark.timeout(600)
def test_brief_lifecycle_events_and_exports(model_client):
    client = model_client
    created = client.post("/api/briefs", json={"question": SEED_QUESTION})
    assert created.status_code == 202 and created.json()["status"] == "queued"
    job_id = created.json()["id"]
    events = read_events(client, job_id)
    stages = [data["stage"] for kind, data in events if kind == "stage"]
    assert [s for s in ("plan", "retrieve", "analyse", "write", "verify") if s in stages] == \
        ["plan", "retrieve", "analyse", "write", "verify"]
    assert [kind for kind, _ in events][-1] == "done" and all(k in ("stage", "section") for k, _ in events[:-1])
    job = client.get(f"/api/briefs/{job_id}").json()
    assert job["status"] == "done" and job["error"] is None
    brief = job["brief"]
    # each section once verified, before the end, as the brief has it (tests/test_stream_events.py: the details)
    assert [{"heading": d["heading"], "sentences": d["sentences"]} for k, d in events if k == "section"] == \
        brief["sections"]
    assert BRIEF_KEYS <= set(brief) and brief["enough_evidence"] and brief["question"] == SEED_QUESTION
    assert brief["sources"] and brief["sources"][0]["passages"][0]["quote"]
    assert job_id in [h["id"] for h in client.get("/api/briefs").json()]

    md = client.get(f"/api/briefs/{job_id}/export", params={"format": "md"})
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.headers["content-disposition"] == f'attachment; filename="brief-{job_id}.md"'
    assert md.text.startswith("# Which NATO countries") and "## Sources" in md.text
    page = client.get(f"/api/briefs/{job_id}/export", params={"format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "<h1>Which NATO countries" in page.text
    assert "sandbox" in page.headers["content-security-policy"]
    as_json = client.get(f"/api/briefs/{job_id}/export", params={"format": "json"})
    assert as_json.json() == brief
    word, pdf = (client.get(f"/api/briefs/{job_id}/export", params={"format": f}) for f in ("docx", "pdf"))
    assert word.headers["content-disposition"] == f'attachment; filename="brief-{job_id}.docx"'
    assert pdf.headers["content-type"] == "application/pdf"
    cited = brief["sources"][0]["title"]
    for text in (docx_text(word.content), pdf_text(pdf.content)):
        assert "Which NATO countries" in text and cited[:30] in text
        assert brief["sections"][0]["sentences"][0]["text"][:40] in text
    assert client.get(f"/api/briefs/{job_id}/export", params={"format": "xls"}).status_code == 422


@pytest.mark.model
@pytest.mark.timeout(600)
def test_two_briefs_asked_at_once_both_complete(model_client):
    client = model_client
    questions = (SEED_QUESTION, "Why did Germany and the United States resist a NATO invitation for Ukraine?")
    ids = [client.post("/api/briefs", json={"question": q}).json()["id"] for q in questions]
    jobs = [wait_final(client, i) for i in ids]
    for job, question in zip(jobs, questions):
        assert job["status"] == "done", job["error"]
        assert job["brief"]["question"] == question and job["brief"]["enough_evidence"]
        assert job["brief"]["sources"]
    # both ran in the pool at the same time: each started before the other finished
    (a_start, a_end), (b_start, b_end) = ((j["started"], j["updated"]) for j in jobs)
    assert b_start < a_end and a_start < b_end


# -- odd input and errors ---------------------------------------------------------------------------
def test_odd_input_gets_a_short_error_that_never_echoes_it(fast_db):
    with serve(fast_db) as client:
        long = "Why " + "does NATO hesitate " * 600 + "SENTINEL?"
        too_long = client.post("/api/briefs", json={"question": long})
        assert too_long.status_code == 422
        assert too_long.json() == {"detail": "question: String should have at most 2000 characters"}
        surrogate = client.post("/api/briefs", content='{"question": "NATO \\ud800"}',
                                headers={"content-type": "application/json"})
        assert surrogate.status_code == 422 and "surrogate" in surrogate.json()["detail"]
        for path, body in (("/api/sources/web", '{"urls": ["https://a.example/\\ud800"]}'),
                           ("/api/briefs", '{"question": "NATO \\udfff?"}')):
            odd = client.post(path, content=body, headers={"content-type": "application/json"})
            assert odd.status_code == 422 and odd.json()["detail"].endswith("surrogate); retype the text"), odd.text
        extra = client.post("/api/briefs", json={"question": "Who?", "SENTINEL-KEY": "SENTINEL-VALUE"})
        assert extra.status_code == 422 and "SENTINEL-VALUE" not in extra.text
        assert "SENTINEL" not in client.get("/api/briefs/SENTINEL-id").text
        assert "SENTINEL" not in client.get("/api/sources/SENTINEL-doc").text
        refused = client.post("/api/briefs", json={"question": "Who?"}, headers={"origin": "http://SENTINEL.example"})
        assert refused.status_code == 403 and "SENTINEL" not in refused.text
        for response in (too_long, surrogate, extra, refused):
            assert response.headers["x-content-type-options"] == "nosniff"
        assert client.get("/api/briefs").json() == []  # nothing was queued


def test_an_unexpected_error_is_a_500_with_the_security_headers(fast_db, monkeypatch):
    with serve(fast_db) as client:
        def broken(*_a, **_k):
            raise RuntimeError("SENTINEL internal detail")

        monkeypatch.setattr(client.app.state.ctx.corpus, "sources", broken)
        response = client.get("/api/sources")
    assert response.status_code == 500 and "SENTINEL" not in response.text
    assert response.json()["detail"].startswith("Internal error")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_unsafe_url_schemes_never_leave_the_server(fast_db):
    note = (b"Title: Scheme test\nURL: javascript:alert(document.cookie)\nDate: 2024-05-03\n\n"
            b"The harbour authority said on Friday that dock workers in the northern port would return.\n")
    with serve(fast_db) as client:
        outcome, = upload(client, [("files", ("scheme.txt", note, "text/plain"))]).json()["outcomes"]
        assert outcome["status"] == "added"
        listed = next(d for d in client.get("/api/sources").json() if d["doc_id"] == outcome["doc_id"])
        shown = client.get(f"/api/sources/{outcome['doc_id']}").json()
        hits = client.get("/api/search", params={"q": "harbour authority dock workers", "mode": "bm25"}).json()
        assert listed["url"] is None and shown["url"] is None
        assert all("javascript:" not in str(h["url"]) for h in hits["hits"])
        assert "javascript:" not in client.get("/api/sources").text


def test_a_source_is_deleted_from_the_api_with_its_passages(fast_db):
    with serve(fast_db) as client:
        outcome, = upload(client, [("files", ("port.txt", NOTE, "text/plain"))]).json()["outcomes"]
        doc_id = outcome["doc_id"]
        query = {"q": "dock workers nine-day strike pay rise", "mode": "bm25"}
        assert doc_id in {h["doc_id"] for h in client.get("/api/search", params=query).json()["hits"]}
        assert client.delete(f"/api/sources/{doc_id}", headers={"Origin": "http://evil.example",
                                                                "Content-Type": "application/json"}).status_code == 403
        assert client.delete(f"/api/sources/{doc_id}").status_code == 415  # not a JSON request: no form can send it
        assert client.delete(f"/api/sources/{doc_id[:8]}", headers=JSON).status_code == 404  # exact ids only
        assert client.delete(f"/api/sources/{doc_id}", headers=JSON).status_code == 204
        assert doc_id not in {d["doc_id"] for d in client.get("/api/sources").json()}
        assert client.get(f"/api/sources/{doc_id}").status_code == 404
        assert doc_id not in {h["doc_id"] for h in client.get("/api/search", params=query).json()["hits"]}
        assert client.delete(f"/api/sources/{doc_id}", headers=JSON).status_code == 404


# -- history, links, queue --------------------------------------------------------------------------
def test_history_pages_searches_renames_and_deletes(fast_db):
    with serve(fast_db, workers=0) as client:  # no workers: every brief stays queued, in order
        ids = [client.post("/api/briefs", json={"question": f"Question {i} about {'ports' if i % 2 else 'NATO'}"})
               .json()["id"] for i in range(7)]
        first = client.get("/api/briefs", params={"limit": 3})
        assert first.headers["x-total-count"] == "7" and [j["id"] for j in first.json()] == ids[::-1][:3]
        rest = client.get("/api/briefs", params={"limit": 3, "offset": 6}).json()
        assert [j["id"] for j in rest] == [ids[0]]
        ports = client.get("/api/briefs", params={"q": "PORTS question"})
        assert ports.headers["x-total-count"] == "3" and all("ports" in j["question"] for j in ports.json())
        assert [j["queue_position"] for j in client.get("/api/briefs").json()][::-1] == [1, 2, 3, 4, 5, 6, 7]

        renamed = client.patch(f"/api/briefs/{ids[0]}", json={"title": "Harbour strike notes"})
        assert renamed.status_code == 200 and renamed.json()["title"] == "Harbour strike notes"
        assert [j["id"] for j in client.get("/api/briefs", params={"q": "harbour"}).json()] == [ids[0]]
        assert client.patch(f"/api/briefs/{ids[0]}", json={"title": "x" * 201}).status_code == 422
        assert client.patch("/api/briefs/nope", json={"title": "x"}).status_code == 404

        cancelled = client.post(f"/api/briefs/{ids[1]}/cancel", json={})
        assert cancelled.json()["status"] == "failed" and cancelled.json()["error"] == "cancelled"
        assert read_events(client, ids[1])[-1][1]["error"] == "cancelled"
        assert client.get(f"/api/briefs/{ids[2]}").json()["queue_position"] == 2  # moved up one

        assert client.delete(f"/api/briefs/{ids[3]}", headers={"content-type": "application/json"}).status_code == 204
        assert client.get(f"/api/briefs/{ids[3]}").status_code == 404
        assert client.delete(f"/api/briefs/{ids[3]}", headers={"content-type": "application/json"}).status_code == 404
        assert client.delete(f"/api/briefs/{ids[4]}", headers={"origin": "http://evil.example",
                                                               "content-type": "application/json"}).status_code == 403
        assert client.get("/api/briefs").headers["x-total-count"] == "6"
    with serve(fast_db) as client:  # after a restart: the name stays, the deleted brief stays gone
        history = client.get("/api/briefs").json()
        assert ids[3] not in [j["id"] for j in history]
        assert next(j for j in history if j["id"] == ids[0])["title"] == "Harbour strike notes"
        page = client.get(f"/briefs/{ids[0]}")
        assert page.status_code == 200 and 'id="ask-form"' in page.text
    corpus = Corpus(str(fast_db))
    try:
        assert corpus.store.load_record("briefs", ids[3]).get("question") is None
    finally:
        corpus.close()


def test_share_links_are_read_only_and_unguessable(fast_db):
    with serve(fast_db) as client:
        job = client.post("/api/briefs", json={"question": "Which NATO members resist?"}).json()
        assert wait_final(client, job["id"])["status"] == "done"
        url = client.get(f"/api/briefs/{job['id']}/share").json()["url"]
        assert url.startswith(f"/share/{job['id']}/") and len(url.rsplit("/", 1)[1]) == 32
        some_doc = client.get("/api/sources").json()[0]["doc_id"]
        client.cookies.clear()  # a reader without the token
        page = client.get(url)
        assert page.status_code == 200 and f'data-share="{url}"' in page.text
        assert 'name="csrf-token" content=""' in page.text  # nothing to post with
        shared = client.get(f"{url}/brief").json()
        assert shared["brief"]["question"] == "Which NATO members resist?" and shared["status"] == "done"
        assert client.get(f"{url}/sources/{some_doc}").status_code == 404  # not cited by this brief
        wrong = url[:-4] + "0000"
        assert client.get(wrong).status_code == 404 and client.get(f"{wrong}/brief").status_code == 404
        assert client.get("/api/briefs").status_code == 401 and client.get("/").status_code == 401
        assert client.get(f"/api/briefs/{job['id']}").status_code == 401
        assert client.post(f"{url}/brief", json={}).status_code == 401
    with serve(fast_db, token=None) as client:
        assert client.get(f"/api/briefs/{job['id']}/share").status_code == 409
        assert client.get(f"{url}/brief").status_code == 404  # the links died with the token


def test_a_running_brief_is_cancelled_at_its_next_step(fast_db, monkeypatch):
    import threading

    with serve(fast_db, workers=1) as client:
        corpus = client.app.state.ctx.corpus
        real_ask, entered, gate = corpus.ask, threading.Event(), threading.Event()

        def held_after_first_step(question, *, keep_unsupported=False, progress=None, on_section=None):
            """The real pipeline, held after its first progress step until the test has cancelled it."""
            def step(stage, detail):
                progress(stage, detail)
                if not entered.is_set():
                    entered.set()
                    gate.wait(60)
            return real_ask(question, keep_unsupported=keep_unsupported, progress=step, on_section=on_section)

        monkeypatch.setattr(corpus, "ask", held_after_first_step)
        running = client.post("/api/briefs", json={"question": "Which NATO members resist?"}).json()
        assert entered.wait(60)
        waiting = client.post("/api/briefs", json={"question": "What did Hungary say?"}).json()
        assert client.get(f"/api/briefs/{waiting['id']}").json()["queue_position"] == 1
        assert client.post(f"/api/briefs/{waiting['id']}/cancel", json={}).json()["error"] == "cancelled"
        assert client.post(f"/api/briefs/{running['id']}/cancel", json={}).json()["status"] == "running"
        gate.set()
        job = wait_final(client, running["id"], timeout=60)
        assert (job["status"], job["error"], job["brief"]) == ("failed", "cancelled", None)
        assert read_events(client, running["id"])[-1] == (
            "failed", {"id": running["id"], "status": "failed", "error": "cancelled"})
        done = client.post("/api/briefs", json={"question": "Who resists?"}).json()  # the worker goes on
        assert wait_final(client, done["id"], timeout=120)["status"] == "done"
        assert client.post(f"/api/briefs/{done['id']}/cancel", json={}).json()["status"] == "done"
