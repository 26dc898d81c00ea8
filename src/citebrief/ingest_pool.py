"""Parallel ingest: N processes read, clean, split and embed; this process alone writes.

Reading and embedding are where ingest spends its time, and they parallelise; writing does not
on SQLite (one writer at a time), and a single writer keeps near-duplicate linking in input
order, so a run with ``--workers 4`` stores exactly what a run with one process stores.

Workers open the store read-only in spirit (they only ask "is this raw file / this text already
stored?", so re-adding a folder costs no embedding), get files in small chunks, and send back
prepared documents with their vectors. Results are consumed in input order with a bounded number
of chunks in flight, so memory stays flat however large the folder. A worker that dies (a reader
library crashing on one file) costs only the files of the chunk that killed it: the chunks in
flight are retried one at a time in a fresh pool to find it, and its files are reported failed.
A reader that raises is that file's failure (``read_file``); anything else a worker raises that is
not a citebrief error costs its chunk, never the run.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from .embed import Embedder, get_embedder
from .errors import CitebriefError, InputError, UsageError
from .ingest import IngestOptions, Ingestor, PreparedDocument, triage
from .models import IngestOutcome, IngestReport
from .readers import display_path, iter_inputs, read_file
from .store.base import Store, open_store

MAX_WORKERS = 64
CHUNK_FILES = 8  # files per task: enough passages for an efficient embedding batch


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """What every worker process needs to know, sent once when it starts."""

    location: str
    embedder: str | None  # None: the corpus keeps no vectors
    options: IngestOptions
    threads: int  # math-library threads per worker, so N workers do not oversubscribe the cores


@dataclass(frozen=True, slots=True)
class Ready:
    """A document a worker prepared and embedded, waiting for the writer."""

    prep: PreparedDocument
    vectors: np.ndarray | None


WorkItem = IngestOutcome | Ready

_worker: dict[str, object] = {}  # per-process state set by _start


def check_workers(workers: int) -> int:
    """Validate ``--workers``; returns it."""
    if not 1 <= workers <= MAX_WORKERS:
        raise UsageError(f"--workers must be between 1 and {MAX_WORKERS}, got {workers}")
    return workers


def _start(settings: PoolSettings) -> None:
    """Worker initialiser: cap math threads and open the store."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(settings.threads)
    _worker["settings"] = settings
    _worker["store"] = open_store(settings.location)


def _embedder(settings: PoolSettings) -> Embedder | None:
    """The worker's embedder, loaded when it first has something to embed (re-adds load nothing)."""
    if settings.embedder is None:
        return None
    embedder = get_embedder(settings.embedder)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(settings.threads)
    return embedder


def _work(paths: Sequence[str]) -> list[WorkItem]:
    """Read, triage, prepare and embed the documents of ``paths`` (runs in a worker)."""
    settings: PoolSettings = _worker["settings"]  # type: ignore[assignment]
    store: Store = _worker["store"]  # type: ignore[assignment]
    items: list[WorkItem] = []
    for path in paths:
        try:
            raws = read_file(Path(path), settings.options.read)
        except InputError as exc:
            items.append(IngestOutcome(display_path(Path(path)), "failed", reason=str(exc)))
            continue
        for raw in raws:
            if isinstance(raw, InputError):
                items.append(IngestOutcome(str(raw).split(": ", 1)[0], "failed", reason=str(raw)))
                continue
            result = triage(raw, store, settings.options.split)
            items.append(result if isinstance(result, IngestOutcome) else Ready(result, None))
    ready = [item for item in items if isinstance(item, Ready)]
    embedder = _embedder(settings) if ready else None
    if embedder is None:
        return items
    vectors = embedder.embed([p.text for item in ready for p in item.prep.passages])
    out: list[WorkItem] = []
    offset = 0
    for item in items:
        if isinstance(item, Ready):
            n = len(item.prep.passages)
            item = Ready(item.prep, vectors[offset:offset + n])
            offset += n
        out.append(item)
    return out


def _chunks(ingestor: Ingestor, paths: Sequence[Path]) -> Iterator[tuple[str, ...]]:
    """Files under ``paths`` in chunks; inputs that cannot be listed are recorded at once."""
    files: Iterator[str] = (str(item) for item in _listed(ingestor, paths))
    while chunk := tuple(islice(files, CHUNK_FILES)):
        yield chunk


def _listed(ingestor: Ingestor, paths: Sequence[Path]) -> Iterator[Path]:
    for item in iter_inputs(list(paths)):
        if isinstance(item, InputError):
            ingestor.record(IngestOutcome(str(item).split(": ", 1)[0], "failed", reason=str(item)))
        else:
            yield item


def _write(ingestor: Ingestor, items: list[WorkItem]) -> None:
    for item in items:
        if isinstance(item, IngestOutcome):
            ingestor.record(item)
        else:  # linked against the store only: every earlier document has been written already
            ingestor.write_linked(item.prep, item.vectors)


def _crashed(ingestor: Ingestor, chunk: tuple[str, ...], cause: str = "died") -> None:
    for path in chunk:
        label = display_path(Path(path))
        ingestor.record(IngestOutcome(label, "failed", reason=(
            f"{label}: the reading process {cause} while reading this file or one beside it; "
            "run `citebrief add` on it without --workers to see the error")))


def _raised(exc: Exception) -> str:
    return f"raised {type(exc).__name__}"


class _Pool:
    """A process pool that can be rebuilt after a worker dies."""

    def __init__(self, workers: int, settings: PoolSettings, work: Callable[..., list[WorkItem]]) -> None:
        self.workers, self.settings, self.work = workers, settings, work
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # spawn, not fork: forking a process that has loaded torch can deadlock its thread pools.
        return ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                   initializer=_start, initargs=(self.settings,))

    def submit(self, chunk: tuple[str, ...]) -> Future:
        return self.executor.submit(self.work, chunk)

    def rebuild(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _isolate(pool: _Pool, ingestor: Ingestor, chunks: list[tuple[str, ...]]) -> None:
    """After a worker died: run the chunks that were in flight one at a time to find the culprit."""
    pool.rebuild()
    for chunk in chunks:
        try:
            _write(ingestor, pool.submit(chunk).result())
        except BrokenProcessPool:
            _crashed(ingestor, chunk)
            pool.rebuild()
        except CitebriefError:
            raise  # a model or store failure stops the run, as it does in one process
        except Exception as exc:  # noqa: BLE001  an unexpected error in a worker costs its chunk only
            _crashed(ingestor, chunk, _raised(exc))


def add_paths_parallel(ingestor: Ingestor, paths: Sequence[Path], *, workers: int,
                       location: str, embedder: str | None,
                       options: IngestOptions = IngestOptions(),
                       work: Callable[..., list[WorkItem]] = _work) -> IngestReport:
    """Ingest ``paths`` with ``workers`` reading/embedding processes and this process writing.

    ``work`` is what a worker runs on a chunk of file paths (a module-level function, so it can
    be sent to a spawned process); tests substitute one that crashes.
    """
    check_workers(workers)
    threads = max(1, (os.cpu_count() or 1) // workers)
    pool = _Pool(workers, PoolSettings(location, embedder, options, threads), work)
    in_flight: deque[tuple[tuple[str, ...], Future]] = deque()
    try:
        for chunk in _chunks(ingestor, paths):
            in_flight.append((chunk, pool.submit(chunk)))
            while len(in_flight) >= 2 * workers:  # bounded: a huge folder never piles up results
                _drain_one(pool, ingestor, in_flight)
        while in_flight:
            _drain_one(pool, ingestor, in_flight)
    finally:
        pool.close()
    report = ingestor.finish()
    ingestor.refresh_indexes()
    return report


def _drain_one(pool: _Pool, ingestor: Ingestor,
               in_flight: deque[tuple[tuple[str, ...], Future]]) -> None:
    chunk, future = in_flight.popleft()
    try:
        items = future.result()
    except BrokenProcessPool:
        rest = [chunk] + [c for c, _ in in_flight]
        in_flight.clear()
        _isolate(pool, ingestor, rest)
        return
    except CitebriefError:
        raise  # a model or store failure stops the run, as it does in one process
    except Exception as exc:  # noqa: BLE001  an unexpected error in a worker costs its chunk only
        _crashed(ingestor, chunk, _raised(exc))
        return
    _write(ingestor, items)
