"""Brief jobs: stored in the corpus file, written off the request path by a small worker pool.

A job is a record in the store's "briefs" table:

    {"id", "question", "title", "keep_unsupported", "status", "created", "started", "updated", "brief", "error"}

``status`` goes queued → running → done | failed; ``brief`` is ``Brief.to_json()`` (the JSON of
``citebrief ask --format json``) once done. Because records live in the corpus file a restart loses
none, and ``recover`` — run when the app starts — marks jobs that a killed server left queued or
running as failed, so an unfinished brief is never shown as complete. (Two servers on one corpus
file would therefore fail each other's running jobs at start-up: run one server per corpus.)

Workers are daemon threads, so stopping the server never waits for a brief to finish; jobs stopped
that way are marked failed on shutdown (and by ``recover`` if the process was killed). Progress
events — the pipeline's ``progress(stage, detail)`` calls, a "section" event for each section once
it is verified (``pipeline.write_brief``'s ``on_section``), then one final ``done``/``failed`` —
are kept in memory per job, bounded, for the server-sent event stream: logs of the last
``KEPT_LOGS`` jobs only, and "section" events (2–10 kB each, where a stage line is a hundred bytes)
only in the logs of running jobs and of the ``KEPT_SECTION_LOGS`` jobs finished last — long enough
for a stream that follows a job to read them all — after which the stored brief holds them and a
stream opened later gets the stages and the end. Memory for events is then about
``KEPT_LOGS`` × the stage lines of a brief plus (workers + ``KEPT_SECTION_LOGS``) × a brief's sections.

The history (paged, searched, renamed) is served from an in-memory index of the records without
their brief bodies, loaded once at start, so a page of history never parses stored briefs. A
deleted brief keeps only a tombstone record ``{"id", "deleted": true}``: its question and brief
are gone, and it is neither listed nor found. Cancelling a queued brief takes it off the queue;
a running one stops at the pipeline's next progress step.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from ..api import Corpus
from ..brief.model import Brief
from ..errors import BusyError, CitebriefError
from .responses import public_doc

log = logging.getLogger("citebrief.server")
TABLE = "briefs"
RESTARTED = "server restarted while this brief was being written"
RESTARTED_QUEUED = "server restarted before this brief was started"
STOPPED = "server stopped while this brief was being written"
CANCELLED = "cancelled"
KEPT_LOGS = 200  # event logs of this many recent jobs stay in memory
MAX_QUEUED = 100  # briefs waiting for a worker; more are refused with 429 until some finish
KEPT_SECTION_LOGS = 8  # finished jobs whose "section" events are still kept (for streams still reading them)


class Status(str, Enum):
    """Where a brief job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


FINAL = (Status.DONE.value, Status.FAILED.value)


def now() -> str:
    """UTC time with microseconds, so two jobs created in one second still sort newest first."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


SECTION = "section"


@dataclass(frozen=True, slots=True)
class Event:
    """One server-sent event: ``seq`` counts from 1; ``kind`` is "stage", "section", "done" or "failed"."""

    seq: int
    kind: str
    data: dict[str, Any]


class EventLog:
    """The events of one job, appended by a worker thread and read by stream handlers.

    ``drop_sections`` forgets the "section" events of a finished job (its sections are in the stored
    brief); sequence numbers stay as they were, so a client resuming with Last-Event-ID skips nothing else.
    """

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._seq = 0
        self._lock = threading.Lock()

    def add(self, kind: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._seq += 1
            self._events.append(Event(self._seq, kind, data))

    def drop_sections(self) -> None:
        """Forget the "section" events."""
        with self._lock:
            self._events = [e for e in self._events if e.kind != SECTION]

    def after(self, seq: int) -> list[Event]:
        """Events with a sequence number above ``seq``."""
        with self._lock:
            return [e for e in self._events if e.seq > seq]

    @property
    def finished(self) -> bool:
        with self._lock:
            return bool(self._events) and self._events[-1].kind in FINAL


class Cancelled(Exception):
    """Raised from a running brief's progress callback once the brief was cancelled."""


def section_event(partial: Brief) -> dict[str, Any]:
    """The data of a "section" event: the last section of ``partial`` as the brief's JSON has it, its place
    among the brief's sections (``index``, from 0) and the sources it cites, as the API gives them."""
    data = partial.to_json()
    section = data["sections"][-1]
    cited = {n for sentence in section["sentences"] for n in sentence["citations"]}
    return {"index": len(data["sections"]) - 1, **section,
            "sources": [public_doc(s) for s in data["sources"] if s["n"] in cited]}


def summary(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its brief body: what the history lists."""
    return {k: v for k, v in record.items() if k != "brief"}


class BriefJobs:
    """Queue, run and look up brief jobs over one shared ``Corpus``."""

    def __init__(self, corpus: Corpus, *, workers: int = 2, max_queued: int = MAX_QUEUED,
                 kept_section_logs: int = KEPT_SECTION_LOGS) -> None:
        self.corpus = corpus
        self.max_queued = max_queued
        self.kept_section_logs = kept_section_logs
        self._with_sections: deque[EventLog] = deque()  # logs of finished jobs that still hold sections
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._logs: OrderedDict[str, EventLog] = OrderedDict()
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._cancelled: set[str] = set()
        self._index: dict[str, dict[str, Any]] = {}  # id → summary, for the history
        self._stopping = False
        self._threads = [threading.Thread(target=self._work, name=f"citebrief-brief-{i}", daemon=True)
                         for i in range(workers)]
        for thread in self._threads:
            thread.start()

    # -- records --------------------------------------------------------------------------------
    def _save(self, record: dict[str, Any], **changes: Any) -> dict[str, Any]:
        with self._lock:
            return self._save_unlocked(record, **changes)

    def _save_unlocked(self, record: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """``_save`` for a caller that holds ``self._lock``: store the record and update the history index."""
        record = {**record, **changes, "updated": now()}
        self.corpus.store.save_record(TABLE, record["id"], record)
        if record.get("deleted"):
            self._index.pop(record["id"], None)
        else:
            self._index[record["id"]] = summary(record)
        return record

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job record, or None (also for a deleted one)."""
        record = self.corpus.store.load_record(TABLE, job_id)
        return None if record is None or record.get("deleted") else record

    def history(self, limit: int = 100, *, offset: int = 0, query: str = "") -> tuple[list[dict[str, Any]], int]:
        """One page of jobs, newest first, without their brief bodies, and how many match in all.

        ``query`` keeps jobs whose question or title contains every one of its words (any case).
        """
        words = query.casefold().split()
        with self._lock:
            matching = [r for r in self._index.values()
                        if all(w in f"{r.get('title') or ''} {r.get('question', '')}".casefold() for w in words)]
        matching.sort(key=lambda r: r.get("created", ""), reverse=True)
        return [{**r, "queue_position": self.queue_position(r["id"])} for r in matching[offset:offset + limit]], \
            len(matching)

    def queue_position(self, job_id: str) -> int | None:
        """1 for the next brief to start, 2 for the one after … ; None when not waiting."""
        with self._queue.mutex:  # queue.Queue's own lock guards its deque
            waiting = [j for j in self._queue.queue if j is not None]
        return waiting.index(job_id) + 1 if job_id in waiting else None

    def rename(self, job_id: str, title: str) -> dict[str, Any] | None:
        """Give a brief a title for the history ("" restores the question); None when there is no such brief."""
        record = self.get(job_id)
        return None if record is None else self._save(record, title=title.strip() or None)

    def delete(self, job_id: str) -> bool:
        """Cancel the brief if unfinished and drop its question and body; False when there is no such brief."""
        record = self.get(job_id)
        if record is None:
            return False
        self.cancel(job_id)
        self._save({"id": job_id}, deleted=True, created=record.get("created"))
        return True

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Stop a queued or running brief (marked failed, "cancelled"); the record, None when there is none."""
        with self._lock:
            record = self.get(job_id)
            if record is None or record.get("status") in FINAL:
                return record
            self._cancelled.add(job_id)
            queued = record["status"] == Status.QUEUED.value
            if queued:  # never started: finish it here; the worker skips it
                record = self._save_unlocked(record, status=Status.FAILED.value, error=CANCELLED)
        if queued:
            with self._queue.mutex:
                try:
                    self._queue.queue.remove(job_id)
                except ValueError:
                    pass
            events = self.events(job_id)
            if events is not None:
                events.add(Status.FAILED.value, {"id": job_id, "status": Status.FAILED.value, "error": CANCELLED})
        return record

    def recover(self) -> int:
        """Load the history index; mark jobs a previous server left queued or running as failed; returns how many."""
        n = 0
        for record in self.corpus.store.list_records(TABLE, 10**9):
            if record.get("deleted"):
                continue
            with self._lock:
                self._index[record["id"]] = summary(record)
            if record.get("status") in (Status.QUEUED.value, Status.RUNNING.value):
                reason = RESTARTED if record["status"] == Status.RUNNING.value else RESTARTED_QUEUED
                self._save(record, status=Status.FAILED.value, error=reason)
                n += 1
        return n

    # -- running --------------------------------------------------------------------------------
    def submit(self, question: str, *, keep_unsupported: bool = False) -> dict[str, Any]:
        """Store a queued job and hand it to the workers; returns the record.

        Raises ``BusyError`` when ``max_queued`` jobs are already waiting: a client that posts
        without waiting for its briefs cannot grow the queue (and the store) without bound.
        """
        if self._queue.qsize() >= self.max_queued:
            raise BusyError(f"{self._queue.qsize()} briefs are already waiting to be written; "
                            "ask again when some have finished")
        stamp = now()
        record = {"id": secrets.token_hex(8), "question": question, "title": None,
                  "keep_unsupported": keep_unsupported, "status": Status.QUEUED.value, "created": stamp,
                  "started": None, "updated": stamp, "brief": None, "error": None}
        self.corpus.store.save_record(TABLE, record["id"], record)
        with self._lock:
            self._index[record["id"]] = summary(record)
            self._logs[record["id"]] = EventLog()
            while len(self._logs) > KEPT_LOGS:
                self._logs.popitem(last=False)
        self._queue.put(record["id"])
        return record

    def events(self, job_id: str) -> EventLog | None:
        """The in-memory event log of a job submitted by this process, or None."""
        with self._lock:
            return self._logs.get(job_id)

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                self._run(job_id)
            except Exception:  # the worker must survive anything one job does
                log.exception("brief job %s crashed", job_id)

    def _run(self, job_id: str) -> None:
        with self._lock:  # so shutdown sees either a job not started or one marked running
            if self._stopping or job_id in self._cancelled:
                return
            record = self.get(job_id)
            if record is None or record.get("status") != Status.QUEUED.value:
                return
            record = self._save_unlocked(record, status=Status.RUNNING.value, started=now())
            self._running.add(job_id)
        events = self.events(job_id) or EventLog()
        events.add("stage", {"stage": "start", "detail": "writing the brief"})

        def progress(stage: str, detail: str) -> None:
            if job_id in self._cancelled:
                raise Cancelled
            events.add("stage", {"stage": stage, "detail": detail})

        def on_section(partial: Brief) -> None:
            if job_id in self._cancelled:
                raise Cancelled
            events.add(SECTION, section_event(partial))

        try:
            brief = self.corpus.ask(record["question"], keep_unsupported=record["keep_unsupported"],
                                    progress=progress, on_section=on_section)
            if job_id in self._cancelled:
                raise Cancelled
            done = {"status": Status.DONE.value, "brief": brief.to_json(), "error": None}
        except Cancelled:
            done = {"status": Status.FAILED.value, "brief": None, "error": CANCELLED}
        except CitebriefError as exc:
            done = {"status": Status.FAILED.value, "brief": None, "error": str(exc)}
        except Exception as exc:  # HTTP boundary: report, never leave the job "running"
            log.exception("brief job %s failed", job_id)
            done = {"status": Status.FAILED.value, "brief": None,
                    "error": f"internal error ({type(exc).__name__}: {exc})"}
        with self._lock:
            self._running.discard(job_id)
            if self._stopping:
                return  # shutdown has marked it failed
            if self.get(job_id) is None:
                events.drop_sections()
                return  # deleted while it was written
            self._save_unlocked(record, **done)
        if done["status"] == Status.FAILED.value:
            events.drop_sections()  # no brief came of them
        else:  # (before the final event: once a job reads as finished, older logs are already pruned)
            self._finished_with_sections(events)
        events.add(done["status"], {"id": job_id, "status": done["status"], "error": done["error"]})

    def _finished_with_sections(self, events: EventLog) -> None:
        """Keep the sections of the last ``kept_section_logs`` finished briefs; drop older ones."""
        with self._lock:
            self._with_sections.append(events)
            while len(self._with_sections) > self.kept_section_logs:
                self._with_sections.popleft().drop_sections()

    def shutdown(self) -> bool:
        """Stop taking jobs and mark queued and running ones failed.

        Returns True when no brief is running, so the store may be closed. Otherwise the store must
        stay open: closing a SQLite connection under a running query crashes the process, and a
        worker (a daemon thread) only notices the shutdown when its brief is finished.
        """
        with self._lock:
            self._stopping = True
            running = set(self._running)
        for _ in self._threads:
            self._queue.put(None)
        for record in self.corpus.store.list_records(TABLE, 10**9):
            if record.get("status") == Status.QUEUED.value or record["id"] in running:
                self._save(record, status=Status.FAILED.value, error=STOPPED)
        return not running
