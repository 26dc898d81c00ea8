"""Ingest: read → clean → split → near-duplicate check → embed → store, one transaction a document.

``prepare`` is pure (a RawDocument in, a PreparedDocument out); ``Ingestor`` does the I/O. A bad
input becomes a "failed" outcome with its reason and the batch goes on. Documents are embedded in
batches but each is written in its own transaction, so a killed ingest leaves whole documents
only, and running the same ``add`` again finishes the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .clean import clean_field, clean_text, web_url
from .dedup import bands_of, find_original, minhash, shingles
from .embed import Embedder
from .errors import InputError, StoreError, StoreUnwritableError
from .ids import content_id
from .models import Document, IngestOutcome, IngestReport, Passage, RawDocument
from .readers import ReadOptions, display_path, iter_inputs, read_file
from .split import SplitSettings, passages_of, sentences_of
from .store.base import Fingerprint, Store, check_fingerprint

MIN_WORDS = 5  # a "document" with fewer words after cleaning is boilerplate or noise


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Settings of an ingest run."""

    read: ReadOptions = ReadOptions()
    split: SplitSettings = SplitSettings()
    embed_batch: int = 256  # passages per embedding call


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A cleaned, split document ready to be written."""

    doc: Document
    passages: tuple[Passage, ...]
    bands: tuple[tuple[int, str], ...]


def prepare(raw: RawDocument, settings: SplitSettings) -> PreparedDocument:
    """Clean and split one raw document; raises ``InputError`` when nothing usable is left."""
    title, outlet, author, url = (clean_field(v) for v in (raw.title, raw.outlet, raw.author, raw.url))
    url = web_url(url)  # a document built by a plugin or the API gets the readers' rule: http(s) links only
    text = clean_text(raw.text, title=title)
    words = len(text.split(None, MIN_WORDS))  # at most MIN_WORDS + 1 pieces, not a list of every word
    if words < MIN_WORDS:
        raise InputError(f"{raw.source}: no text left after removing boilerplate ({words} words)")
    doc_id = content_id(text, kind="doc")
    doc = Document(doc_id=doc_id, source=raw.source, text=text, raw_hash=raw.raw_hash,
                   title=title, outlet=outlet, author=author, published=raw.published,
                   url=url, language=raw.language, extra=raw.extra)
    sentences = sentences_of(doc_id, text, splitter=settings.splitter)
    passages = passages_of(doc_id, text, sentences, passage_words=settings.passage_words)
    return PreparedDocument(doc, passages, tuple(bands_of(minhash(shingles(text)))))


def triage(raw: RawDocument, store: Store, settings: SplitSettings) -> IngestOutcome | PreparedDocument:
    """Skip what ``store`` already holds, clean and split the rest; bad text becomes a failed outcome."""
    known = store.doc_by_raw_hash(raw.raw_hash)
    if known:
        return IngestOutcome(raw.source, "unchanged", doc_id=known)
    try:
        prepared = prepare(raw, settings)
    except InputError as exc:
        return IngestOutcome(raw.source, "failed", reason=str(exc))
    except (ValueError, RecursionError, MemoryError) as exc:
        return IngestOutcome(raw.source, "failed",
                             reason=f"{raw.source}: cannot clean ({type(exc).__name__})")
    if store.has_document(prepared.doc.doc_id):
        return IngestOutcome(raw.source, "unchanged", doc_id=prepared.doc.doc_id)
    return prepared


@dataclass
class Ingestor:
    """Writes documents into a store, embedding their passages in batches."""

    store: Store
    embedder: Embedder | None
    options: IngestOptions = IngestOptions()
    on_outcome: Callable[[IngestOutcome], None] = lambda outcome: None
    _pending: list[PreparedDocument] = field(default_factory=list)
    _outcomes: list[IngestOutcome] = field(default_factory=list)

    def __post_init__(self) -> None:
        fp = self.fingerprint()
        check_fingerprint(self.store.fingerprint(), fp, self.store.location)
        self.store.set_fingerprint(fp)

    def fingerprint(self) -> Fingerprint:
        """The fingerprint these settings give a store."""
        name = self.embedder.name if self.embedder else "none"
        dim = self.embedder.dim if self.embedder else 0
        return Fingerprint(self.options.split.splitter, self.options.split.passage_words, name, dim)

    def record(self, outcome: IngestOutcome) -> None:
        """Keep ``outcome`` for the report and pass it to ``on_outcome``."""
        self._outcomes.append(outcome)
        self.on_outcome(outcome)

    def add_paths(self, paths: Sequence[Path]) -> IngestReport:
        """Ingest files and folders; returns the report of every input."""
        for item in iter_inputs(list(paths)):
            if isinstance(item, InputError):
                self.record(IngestOutcome(str(item).split(": ", 1)[0], "failed", reason=str(item)))
                continue
            try:
                results = read_file(item, self.options.read)
            except InputError as exc:
                self.record(IngestOutcome(display_path(item), "failed", reason=str(exc)))
                continue
            self.add_raw(results)
        report = self.finish()
        self.refresh_indexes()
        return report

    def add_raw(self, items: Iterable[RawDocument | InputError]) -> None:
        """Queue raw documents (and report read errors among them)."""
        for item in items:
            if isinstance(item, InputError):
                self.record(IngestOutcome(str(item).split(": ", 1)[0], "failed", reason=str(item)))
                continue
            self._queue(item)

    def _queue(self, raw: RawDocument) -> None:
        result = triage(raw, self.store, self.options.split)
        if isinstance(result, IngestOutcome):
            self.record(result)
            return
        if any(p.doc.doc_id == result.doc.doc_id for p in self._pending):
            self.record(IngestOutcome(raw.source, "unchanged", doc_id=result.doc.doc_id))
            return
        self._pending.append(self._link_duplicate(result))
        if sum(len(p.passages) for p in self._pending) >= self.options.embed_batch:
            self.flush()

    def _link_duplicate(self, prepared: PreparedDocument) -> PreparedDocument:
        """Mark ``prepared`` as a near-duplicate of a stored or pending document, if it is one."""
        candidates = self.store.band_candidates(prepared.bands)
        band_set = set(prepared.bands)
        candidates += [(p.doc.doc_id, p.doc.text) for p in self._pending if band_set & set(p.bands)]
        original = find_original(prepared.doc.text, candidates)
        if original is None:
            return prepared
        return replace(prepared, doc=replace(prepared.doc, duplicate_of=original))

    def flush(self) -> None:
        """Embed the pending documents' passages in one batch and write each document.

        Embedding on a thread while the next pages are read (ONNX Runtime releases the GIL) was
        measured and dropped: on 2 busy cores `add` on the 88 dev pages took 108 s instead of 54 s
        (BENCHMARKS.md, "citebrief add against raw encode").
        """
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        texts = [p.text for prep in pending for p in prep.passages]
        vectors = self.embedder.embed(texts) if self.embedder is not None else None
        offset = 0
        for prep in pending:
            n = len(prep.passages)
            self.write(prep, vectors[offset:offset + n] if vectors is not None else None)
            offset += n

    def write_linked(self, prep: PreparedDocument, vectors: np.ndarray | None) -> None:
        """Link ``prep`` to a stored near-duplicate original, then write it (parallel ingest)."""
        self.write(self._link_duplicate(prep), vectors)

    def write(self, prep: PreparedDocument, vectors: np.ndarray | None) -> None:
        """Write one document in its own transaction and record what happened to it."""
        try:
            added = self.store.add_document(prep.doc, prep.passages, vectors, prep.bands,
                                            model=self.embedder.name if self.embedder else None)
        except StoreUnwritableError:
            raise  # a full disk or a read-only file: every later document would fail the same way
        except (StoreError, UnicodeError, ValueError, OverflowError) as exc:
            # One document that cannot be written (its transaction rolled back) never stops the batch.
            self.record(IngestOutcome(prep.doc.source, "failed",
                                       reason=f"{prep.doc.source}: could not be stored ({exc})"))
            return
        status = "near-duplicate" if added and prep.doc.duplicate_of else ("added" if added else "unchanged")
        self.record(IngestOutcome(prep.doc.source, status, doc_id=prep.doc.doc_id,
                                   duplicate_of=prep.doc.duplicate_of))

    def finish(self) -> IngestReport:
        """Flush what is pending and return the report so far."""
        self.flush()
        return IngestReport(tuple(self._outcomes))

    def refresh_indexes(self) -> None:
        """Build or catch up the store's derived search indexes (SQLite's tantivy and HNSW) now.

        After a large add the first search would otherwise wait for them (about 7 minutes at 1M
        passages); a store without derived indexes, or an add that wrote nothing, does nothing.
        """
        refresh = getattr(self.store, "refresh_indexes", None)  # only stores with derived indexes
        if refresh is not None and any(o.status in ("added", "near-duplicate") for o in self._outcomes):
            refresh()


def embed_missing(store: Store, embedder: Embedder, *, batch: int = 256,
                  on_progress: Callable[[int], None] = lambda n: None) -> int:
    """Embed every passage that has no vector yet (after ``reindex`` or a --no-embed add)."""
    done = 0
    while True:
        rows = store.passages_without_vectors(batch)
        if not rows:
            return done
        ids, texts = zip(*rows)
        store.add_vectors(list(ids), embedder.embed(list(texts)), embedder.name)
        done += len(rows)
        on_progress(done)

