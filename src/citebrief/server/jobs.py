"""Brief jobs: stored in the corpus file, written off the request path by a small worker pool.

A job is a record in the store's "briefs" table:

    {"id", "question", "keep_unsupported", "status", "created", "started", "updated", "brief", "error"}

``status`` goes queued → running → done | failed; ``brief`` is ``Brief.to_json()`` (the JSON of
``citebrief ask --format json``) once done. Because records live in the corpus file a restart loses
none, and ``recover`` — run when the app starts — marks jobs that a killed server left queued or
running as failed, so an unfinished brief is never shown as complete. (Two servers on one corpus
file would therefore fail each other's running jobs at start-up: run one server per corpus.)

Workers are daemon threads, so stopping the server never waits for a brief to finish; jobs stopped
that way are marked failed on shutdown (and by ``recover`` if the process was killed). Progress
events — the pipeline's ``progress(stage, detail)`` calls, then one final ``done``/``failed`` —
are kept in memory per job, bounded, for the server-sent event stream.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from ..api import Corpus
from ..errors import BusyError, CitebriefError

log = logging.getLogger("citebrief.server")
TABLE = "briefs"
RESTARTED = "server restarted while this brief was being written"
RESTARTED_QUEUED = "server restarted before this brief was started"
STOPPED = "server stopped while this brief was being written"
KEPT_LOGS = 200  # event logs of this many recent jobs stay in memory
MAX_QUEUED = 100  # briefs waiting for a worker; more are refused with 429 until some finish


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


@dataclass(frozen=True, slots=True)
class Event:
    """One server-sent event: ``seq`` counts from 1; ``kind`` is "stage", "done" or "failed"."""

    seq: int
    kind: str
    data: dict[str, Any]


class EventLog:
    """The events of one job, appended by a worker thread and read by stream handlers."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._lock = threading.Lock()

    def add(self, kind: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._events.append(Event(len(self._events) + 1, kind, data))

    def after(self, seq: int) -> list[Event]:
        """Events with a sequence number above ``seq``."""
        with self._lock:
            return self._events[seq:]

    @property
    def finished(self) -> bool:
        with self._lock:
            return bool(self._events) and self._events[-1].kind in FINAL


class BriefJobs:
    """Queue, run and look up brief jobs over one shared ``Corpus``."""

    def __init__(self, corpus: Corpus, *, workers: int = 2, max_queued: int = MAX_QUEUED) -> None:
        self.corpus = corpus
        self.max_queued = max_queued
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._logs: OrderedDict[str, EventLog] = OrderedDict()
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._stopping = False
        self._threads = [threading.Thread(target=self._work, name=f"citebrief-brief-{i}", daemon=True)
                         for i in range(workers)]
        for thread in self._threads:
            thread.start()

    # -- records --------------------------------------------------------------------------------
    def _save(self, record: dict[str, Any], **changes: Any) -> dict[str, Any]:
        record = {**record, **changes, "updated": now()}
        self.corpus.store.save_record(TABLE, record["id"], record)
        return record

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job record, or None."""
        return self.corpus.store.load_record(TABLE, job_id)

    def history(self, limit: int = 100) -> list[dict[str, Any]]:
        """Recent jobs, newest first, without their brief bodies."""
        records = self.corpus.store.list_records(TABLE, limit)
        records.sort(key=lambda r: r.get("created", ""), reverse=True)
        return [{k: v for k, v in r.items() if k != "brief"} for r in records]

    def recover(self) -> int:
        """Mark jobs a previous server left queued or running as failed; returns how many."""
        n = 0
        for record in self.corpus.store.list_records(TABLE, 10**9):
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
        record = {"id": secrets.token_hex(8), "question": question, "keep_unsupported": keep_unsupported,
                  "status": Status.QUEUED.value, "created": stamp, "started": None, "updated": stamp, "brief": None,
                  "error": None}
        self.corpus.store.save_record(TABLE, record["id"], record)
        with self._lock:
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
            if self._stopping:
                return
            record = self.get(job_id)
            if record is None:
                return
            record = self._save(record, status=Status.RUNNING.value, started=now())
            self._running.add(job_id)
        events = self.events(job_id) or EventLog()
        events.add("stage", {"stage": "start", "detail": "writing the brief"})
        try:
            brief = self.corpus.ask(record["question"], keep_unsupported=record["keep_unsupported"],
                                    progress=lambda stage, detail: events.add("stage", {"stage": stage,
                                                                                       "detail": detail}))
            done = {"status": Status.DONE.value, "brief": brief.to_json(), "error": None}
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
            self._save(record, **done)
        events.add(done["status"], {"id": job_id, "status": done["status"], "error": done["error"]})

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
