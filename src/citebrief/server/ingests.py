"""Ingest jobs of the web app: uploads and web sources added in the background, with progress per item.

A job is a dict kept in memory (the last ``KEPT`` jobs; a restart forgets them, the documents stay):

    {"id", "kind": "files"|"page"|"feed"|"sitemap", "status": "queued"|"running"|"done"|"failed",
     "created", "updated", "error", "items": [{"name", "status", "doc_id", "duplicate_of", "reason"}]}

Items start as "waiting" (the first waiting item of a running job is "reading") and take their
outcome — added, unchanged, near-duplicate, failed — as ``Corpus.add`` reports it, so the page can
leave and come back and still see how far a job got. One worker thread runs the jobs in order:
the store takes one writer at a time anyway. Web sources go through the same fetcher as
``citebrief add URL`` / ``--feed`` / ``--sitemap``: the private-address guard, robots.txt, the size
and time limits of ``FetchOptions``.
"""

from __future__ import annotations

import copy
import logging
import queue
import secrets
import threading
from collections import OrderedDict
from enum import Enum
from typing import Any, Callable

from ..api import Corpus
from ..errors import BusyError, CitebriefError
from ..models import IngestOutcome
from .jobs import now
from .uploads import Saved, ingest_saved

log = logging.getLogger("citebrief.server")
KEPT = 50
MAX_WAITING = 20  # ingest jobs queued at once; more answer 429


class WebKind(str, Enum):
    """What a web address is: one page, an RSS/Atom feed, or a sitemap."""

    PAGE = "page"
    FEED = "feed"
    SITEMAP = "sitemap"


def _item(name: str) -> dict[str, Any]:
    return {"name": name, "status": "waiting", "doc_id": None, "duplicate_of": None, "reason": None}


class IngestJobs:
    """Queue and run ingest jobs over one shared ``Corpus``; look them up while they run."""

    def __init__(self, corpus: Corpus, *, fetch: Any = None, max_bytes: int) -> None:
        self.corpus = corpus
        self.fetch = fetch  # FetchOptions for web sources (None: the CLI's defaults)
        self.max_bytes = max_bytes
        self._jobs: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, Callable[[dict[str, Any]], None]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="citebrief-ingest", daemon=True)
        self._thread.start()

    # -- looking up -----------------------------------------------------------------------------
    def get(self, job_id: str) -> dict[str, Any] | None:
        """A copy of the job, with the item being read marked "reading"; None when unknown."""
        with self._lock:
            job = copy.deepcopy(self._jobs.get(job_id))
        if job and job["status"] == "running":
            waiting = next((i for i in job["items"] if i["status"] == "waiting"), None)
            if waiting is not None:
                waiting["status"] = "reading"
        return job

    def recent(self) -> list[dict[str, Any]]:
        """Every kept job, newest first."""
        with self._lock:
            ids = list(self._jobs)[::-1]
        return [job for job in map(self.get, ids) if job is not None]

    # -- submitting -----------------------------------------------------------------------------
    def submit_files(self, saved: Saved) -> dict[str, Any]:
        """Ingest uploads already saved to disk; refused files are reported at once."""
        names = {position: name for position, name in saved.files.values()}

        def snapshot() -> list[dict[str, Any]]:  # outcomes so far, in upload order, the rest waiting
            return [dict(row) for position, rows in enumerate(saved.rows)
                    for row in (rows or [_item(names[position])])]

        def run(job: dict[str, Any]) -> None:
            def progress() -> None:
                with self._lock:
                    job.update(items=snapshot(), updated=now())

            outcomes = ingest_saved(self.corpus, saved, max_bytes=self.max_bytes, on_row=progress)
            with self._lock:
                job["items"] = outcomes

        return self._submit("files", snapshot(), run)

    def submit_web(self, urls: list[str], kind: WebKind) -> dict[str, Any]:
        """Fetch and ingest web pages, or the entries of feeds or sitemaps (which are followed)."""
        items = [_item(url) for url in urls]

        def run(job: dict[str, Any]) -> None:
            def on_outcome(outcome: IngestOutcome) -> None:
                row = {"name": outcome.source, "status": outcome.status, "doc_id": outcome.doc_id,
                       "duplicate_of": outcome.duplicate_of, "reason": outcome.reason}
                with self._lock:
                    same = [i for i in job["items"] if i["name"] == outcome.source and i["status"] == "waiting"]
                    if same:
                        same[0].update(row)
                    else:  # a feed's or sitemap's entry
                        job["items"].append(row)
                    job["updated"] = now()

            if kind is WebKind.PAGE:
                self.corpus.add(urls, fetch=self.fetch, on_outcome=on_outcome)
            else:
                follow = self.corpus.add_feed if kind is WebKind.FEED else self.corpus.add_sitemap
                runs = follow(urls, fetch=self.fetch, on_outcome=on_outcome)
                with self._lock:
                    for url, feed_run in zip(urls, runs):
                        for item in job["items"]:
                            if item["name"] == url and item["status"] == "waiting":
                                item.update(status="failed" if feed_run.error else "followed",
                                            reason=feed_run.error or f"{feed_run.listed} entries listed, "
                                                                     f"{feed_run.new} new")

        return self._submit(kind.value, items, run)

    def _submit(self, kind: str, items: list[dict[str, Any]], run: Callable[[dict[str, Any]], None]) -> dict:
        if self._queue.qsize() >= MAX_WAITING:
            raise BusyError(f"{self._queue.qsize()} additions are already waiting; try again when some have finished")
        stamp = now()
        job = {"id": secrets.token_hex(8), "kind": kind, "status": "queued", "created": stamp, "updated": stamp,
               "error": None, "items": items}
        with self._lock:
            self._jobs[job["id"]] = job
            while len(self._jobs) > KEPT:
                self._jobs.popitem(last=False)
        self._queue.put((job["id"], run))
        return self.get(job["id"]) or job

    # -- running --------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            job_id, run = task
            with self._lock:
                job = self._jobs.get(job_id)
                if job is None:
                    continue
                job.update(status="running", updated=now())
            try:
                run(job)
                status, error = "done", None
            except CitebriefError as exc:
                status, error = "failed", str(exc)
            except Exception as exc:  # the worker must survive anything one job does
                log.exception("ingest job %s failed", job_id)
                status, error = "failed", f"internal error ({type(exc).__name__})"
            with self._lock:
                job.update(status=status, error=error, updated=now())

    def shutdown(self) -> None:
        """Stop after the job in hand (the worker is a daemon thread: stopping never waits for it)."""
        self._queue.put(None)
