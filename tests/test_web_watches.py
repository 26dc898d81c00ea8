"""Watched questions and stance timelines in the web app's API, against watches made by the real CLI.

A copy of the sample corpus (MiniLM) gets watch "nato" through `citebrief watch add` and two
`citebrief watch run`s, with an article added between them in which Spain changes its stance and
Portugal appears; the app then serves that corpus file, and its answers are checked against the
corpus itself and against `citebrief watch diff --format json` on the same file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citebrief import Corpus
from citebrief.watch.store import WatchStore
from conftest import run_cli
from test_server import BASE, serve, wait_final
from test_watch import ARTICLE, QUESTION, copy_corpus

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def watched_db(sample_db, tmp_path_factory) -> Path:
    """The sample corpus with watch "nato" run twice (a new article between the runs) and watch "solo" never run."""
    folder = tmp_path_factory.mktemp("web-watch")
    db = folder / "corpus.db"
    shutil.copy(sample_db, db)
    run_cli("watch", "add", QUESTION, "--name", "nato", db=db, check=True)
    run_cli("watch", "add", "Why did Kelsworth Rovers sack their manager?", "--name", "solo", db=db, check=True)
    run_cli("watch", "run", "nato", "-q", db=db, check=True)
    article = folder / "spain-portugal.html"
    article.write_text(ARTICLE, encoding="utf-8")
    run_cli("add", str(article), "-q", db=db, check=True)
    run_cli("watch", "run", "nato", "-q", db=db, check=True)
    return db


@pytest.fixture
def db(watched_db, tmp_path) -> Path:
    """A private copy, so the app's own writes (brief jobs) stay in this test."""
    path = tmp_path / "corpus.db"
    copy_corpus(watched_db, path)  # the CLI's last writes may still be in the WAL file
    return path


def test_watch_list_and_history_match_the_store(db):
    store = WatchStore(Corpus(str(db)).store)
    stored = {v.number: v for v in store.versions("nato")}
    with serve(db) as client:
        listed = {row["name"]: row for row in client.get("/api/watches").json()}
        assert set(listed) == {"nato", "solo"}
        assert (listed["nato"]["question"], listed["nato"]["versions"], listed["nato"]["latest_version"]) == \
            (QUESTION, 2, 2)
        assert listed["nato"]["latest_at"] == stored[2].created_at
        assert (listed["solo"]["versions"], listed["solo"]["latest_at"]) == (0, None)
        one = client.get("/api/watches/nato").json()
        assert one["question"] == QUESTION
        assert [(v["version"], v["created_at"]) for v in one["versions"]] == \
            [(n, stored[n].created_at) for n in sorted(stored)]
        assert [v["sources"] for v in one["versions"]] == [len(stored[n].brief["sources"]) for n in sorted(stored)]
        assert client.get("/api/watches/solo").json()["versions"] == []
        assert "/api/watches/{name}/diff" in client.get("/openapi.json").json()["paths"]
        page = client.get("/watches/nato")
        assert page.status_code == 200 and "/static/watches.js" in page.text


def test_diff_is_the_cli_change_list_and_every_citation_resolves(db):
    cli = run_cli("watch", "diff", "nato", "1", "2", "--format", "json", db=db, check=True)
    expected = json.loads(cli.stdout)
    with serve(db) as client:
        latest = client.get("/api/watches/nato/diff").json()
        picked = client.get("/api/watches/nato/diff?a=1&b=2").json()
        assert latest["changes"] == picked["changes"] == expected["changes"]
        assert (latest["old"]["version"], latest["new"]["version"]) == (1, 2)
        kinds = {c["kind"] for c in latest["changes"]}
        assert {"stance-changed", "new-actor", "new-source"} <= kinds
        sources = {side: {s["n"]: s for s in latest["briefs"][side]["sources"]} for side in ("old", "new")}
        for change in latest["changes"]:
            assert change["citations"], change
            for cite in change["citations"]:
                assert cite["n"] in sources[cite["brief"]], cite
        # Spain's new stance cites the added article, and its quote is in that document's text
        [spain] = [c for c in latest["changes"] if c["kind"] == "stance-changed" and c["subject"] == "Spain"]
        mention = spain["new"][0]
        doc = sources["new"][mention["citations"][0]["n"]]
        text = client.get(f"/api/sources/{doc['doc_id']}").json()["text"]
        assert mention["quotes"] and all(q in text for q in mention["quotes"])
        # the other order is the reverse change list: Spain changes back
        back = client.get("/api/watches/nato/diff?a=2&b=1").json()
        [undo] = [c for c in back["changes"] if c["kind"] == "stance-changed" and c["subject"] == "Spain"]
        assert (undo["old"][0]["text"], undo["new"][0]["text"]) == (spain["new"][0]["text"], spain["old"][0]["text"])


def test_watch_errors_are_clear_and_need_the_token(db):
    with serve(db) as client:
        missing = client.get("/api/watches/nope")
        assert missing.status_code == 404 and "citebrief watch add" in missing.json()["detail"]
        no_version = client.get("/api/watches/nato/diff?a=1&b=9")
        assert no_version.status_code == 404 and "versions 1 to 2" in no_version.json()["detail"]
        assert client.get("/api/watches/nato/diff?a=2&b=2").status_code == 400
        assert client.get("/api/watches/nato/diff?a=0").status_code == 422
        never_run = client.get("/api/watches/solo/diff")
        assert never_run.status_code == 409 and "citebrief watch run solo" in never_run.json()["detail"]
    with serve(db) as client:
        client.cookies.clear()
        assert client.get("/api/watches").status_code == 401
        assert client.get("/api/watches/nato/diff").status_code == 401


def test_timeline_of_a_brief_is_its_actors_dated_statements_in_order(db):
    with serve(db) as client:
        job = client.post("/api/briefs", json={"question": QUESTION},
                          headers={"origin": BASE}).json()
        record = wait_final(client, job["id"])
        assert record["status"] == "done", record
        brief = record["brief"]
        timeline = client.get(f"/api/briefs/{job['id']}/timeline").json()["timeline"]
        numbers = {s["n"] for s in brief["sources"]}
        dated_actors = {a["name"] for a in brief["actors"] if any(p.get("position") for p in a["stance_series"])}
        assert timeline and {a["name"] for a in timeline} == dated_actors
        for actor in timeline:
            dates = [s["date"] for s in actor["statements"] if s["date"]]
            assert dates == sorted(dates)
            for statement in actor["statements"]:
                assert statement["citations"] and set(statement["citations"]) <= numbers
        assert client.get("/api/briefs/nope/timeline").status_code == 404
        # a share link's page shows it too, without the token; a wrong key finds nothing
        url = client.get(f"/api/briefs/{job['id']}/share").json()["url"]
        client.cookies.clear()
        assert client.get(f"/api/briefs/{job['id']}/timeline").status_code == 401
        assert client.get(f"{url}/timeline").json()["timeline"] == timeline
        assert client.get(f"/share/{job['id']}/{'0' * 32}/timeline").status_code == 404

