"""The event stream of a brief carries each section once it is verified (plain HTTP, real app and corpus).

A "section" event holds the section as the finished brief's JSON has it, its place (``index``) and the
sources it cites, numbered as the finished brief numbers them. Section events are sent while the brief is
written and dropped from the server's memory once it is finished.
"""

from __future__ import annotations

import json
import threading

from citebrief.server.jobs import SECTION, EventLog
from test_server import fast_db, serve, wait_final  # noqa: F401  (fixture)

QUESTION = "Why did Germany and France resist a membership action plan for Ukraine at Bucharest?"


def events_with_ids(client, job_id: str, last_event_id: int | None = None) -> list[tuple[int | None, str, dict]]:
    """(id, kind, data) of every event until the stream ends."""
    headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
    out, seq, kind = [], None, None
    with client.stream("GET", f"/api/briefs/{job_id}/events", headers=headers) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("id: "):
                seq = int(line[4:])
            elif line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                out.append((seq, kind, json.loads(line[6:])))
                seq = None
    return out


def held_at_first_section(corpus, reached: threading.Event, release: threading.Event):
    """``corpus.ask`` that holds the real pipeline after its first verified section until ``release``."""
    real_ask = corpus.ask

    def ask(question, *, keep_unsupported=False, progress=None, on_section=None):
        def shown(partial):
            on_section(partial)
            if len(partial.sections) == 1:
                reached.set()
                release.wait(60)
        return real_ask(question, keep_unsupported=keep_unsupported, progress=progress, on_section=shown)
    return ask


def test_sections_stream_in_brief_order_with_final_numbers(fast_db, monkeypatch):
    reached, release = threading.Event(), threading.Event()
    with serve(fast_db, workers=1) as client:
        corpus = client.app.state.ctx.corpus
        monkeypatch.setattr(corpus, "ask", held_at_first_section(corpus, reached, release))
        job = client.post("/api/briefs", json={"question": QUESTION}).json()
        assert reached.wait(120)
        # while the rest is checked, the stream already holds the first section and not the end
        log = client.app.state.ctx.jobs.events(job["id"])
        assert [e.kind for e in log.after(0)].count(SECTION) == 1 and not log.finished
        release.set()
        events = events_with_ids(client, job["id"])
        brief = wait_final(client, job["id"])["brief"]

    kinds = [kind for _, kind, _ in events]
    assert kinds[-1] == "done" and SECTION in kinds
    stages = [data["stage"] for _, kind, data in events if kind == "stage"]
    first = kinds.index(SECTION)
    assert "verify" in [d["stage"] for _, k, d in events[:first] if k == "stage"]  # after verifying began
    sections = [data for _, kind, data in events if kind == SECTION]
    assert [s["index"] for s in sections] == list(range(len(brief["sections"])))
    # the same JSON as the brief's sections, so the page renders both with one function
    assert [{k: s[k] for k in ("heading", "sentences")} for s in sections] == brief["sections"]
    final_sources = {s["n"]: s for s in brief["sources"]}
    for section in sections:
        cited = {n for sentence in section["sentences"] for n in sentence["citations"]}
        assert {s["n"] for s in section["sources"]} == cited
        for source in section["sources"]:  # as the API gives the brief's sources; quotes so far
            final = final_sources[source["n"]]
            assert {k: v for k, v in source.items() if k != "passages"} == \
                {k: v for k, v in final.items() if k != "passages"}
            assert all(q in final["passages"] for q in source["passages"])
    ids = [seq for seq, _, _ in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and "done" in kinds and stages


def test_sections_are_kept_only_for_the_briefs_finished_last(fast_db):
    from citebrief import Corpus
    from citebrief.server.jobs import BriefJobs

    corpus = Corpus(str(fast_db))
    jobs = BriefJobs(corpus, workers=1, kept_section_logs=1)
    try:
        first = jobs.submit(QUESTION)["id"]
        second = jobs.submit("Why did France resist a membership action plan for Ukraine?")["id"]
        for job_id in (first, second):
            while not jobs.events(job_id).finished:
                threading.Event().wait(0.1)
        older, newer = jobs.events(first).after(0), jobs.events(second).after(0)
    finally:
        jobs.shutdown()
        corpus.close()
    assert SECTION not in [e.kind for e in older] and SECTION in [e.kind for e in newer]
    # the older log keeps its stages and its end, with the numbers they were sent with
    assert [e.kind for e in older][-1] == "done" and [e.seq for e in older] == sorted(e.seq for e in older)
    assert len({e.seq for e in older}) < older[-1].seq  # a gap where the sections were


def test_event_log_drops_sections_and_keeps_numbering():
    log = EventLog()
    log.add("stage", {"stage": "verify"})
    log.add(SECTION, {"index": 0})
    assert [(e.seq, e.kind) for e in log.after(1)] == [(2, SECTION)]
    log.add("done", {"status": "done"})
    log.drop_sections()
    assert [(e.seq, e.kind) for e in log.after(0)] == [(1, "stage"), (3, "done")]
    assert [(e.seq, e.kind) for e in log.after(2)] == [(3, "done")]
    assert log.finished


def test_a_brief_is_cancelled_while_its_sections_stream(fast_db, monkeypatch):
    reached, release = threading.Event(), threading.Event()
    with serve(fast_db, workers=1) as client:
        corpus = client.app.state.ctx.corpus
        monkeypatch.setattr(corpus, "ask", held_at_first_section(corpus, reached, release))
        job = client.post("/api/briefs", json={"question": QUESTION}).json()
        assert reached.wait(120)
        assert client.post(f"/api/briefs/{job['id']}/cancel", json={}).json()["status"] == "running"
        release.set()
        final = wait_final(client, job["id"], timeout=60)
        events = events_with_ids(client, job["id"])
    assert (final["status"], final["error"], final["brief"]) == ("failed", "cancelled", None)
    assert events[-1][1:] == ("failed", {"id": job["id"], "status": "failed", "error": "cancelled"})
    assert SECTION not in [k for _, k, _ in events]  # a cancelled brief's sections are gone with it
