"""The typed Python API; the CLI and the web app are thin shells over it.

    from citebrief import Corpus
    corpus = Corpus("citebrief.db")
    corpus.add(["examples/corpus"])
    hits = corpus.search("Which NATO members oppose Ukraine joining?")
    brief = corpus.ask("Which NATO members oppose Ukraine joining?")
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .embed import Embedder, get_embedder
from .errors import EmptyCorpusError
from .ingest import IngestOptions, Ingestor, embed_missing
from .models import DocMeta, Document, Filters, Hit, IngestOutcome, IngestReport, SearchMode
from .readers import ReadOptions
from .search import Retriever, SearchOptions
from .split import SplitSettings
from .store import Store, open_store

if False:  # typing only
    from .brief.model import Brief

DEFAULT_DB = "citebrief.db"
DEFAULT_EMBEDDER = "minilm"


def default_location() -> str:
    """``$CITEBRIEF_DB`` or ./citebrief.db."""
    return os.environ.get("CITEBRIEF_DB") or DEFAULT_DB


@dataclass
class Corpus:
    """A body of sources in one store, with search and briefs over it."""

    location: str = ""
    embedder_name: str | None = None  # None: the store's own (or the default for a new store)

    def __post_init__(self) -> None:
        self.location = str(self.location or default_location())
        self.store: Store = open_store(self.location)

    # -- settings -------------------------------------------------------------------------------
    def _embedder_name(self) -> str:
        if self.embedder_name:
            return self.embedder_name
        fp = self.store.fingerprint()
        return fp.embedder if fp else DEFAULT_EMBEDDER

    def embedder(self) -> Embedder | None:
        """The embedder this corpus uses (loaded once per process), or None for a BM25-only corpus."""
        name = self._embedder_name()
        return None if name == "none" else get_embedder(name)

    # -- ingest ---------------------------------------------------------------------------------
    def add(self, paths: Sequence[str | Path], *, max_bytes: int | None = None,
            passage_words: int | None = None,
            on_outcome: Callable[[IngestOutcome], None] | None = None) -> IngestReport:
        """Ingest files and folders; bad inputs are reported in the result, never raised."""
        options = IngestOptions(
            read=ReadOptions(max_bytes=max_bytes) if max_bytes else ReadOptions(),
            split=SplitSettings(passage_words=passage_words) if passage_words else self._split_settings())
        ingestor = Ingestor(self.store, self.embedder(), options, on_outcome or (lambda o: None))
        return ingestor.add_paths([Path(p) for p in paths])

    def _split_settings(self) -> SplitSettings:
        fp = self.store.fingerprint()
        return SplitSettings(fp.splitter, fp.passage_words) if fp else SplitSettings()

    def reindex(self, *, on_progress: Callable[[int], None] = lambda n: None) -> int:
        """Re-embed every passage with the chosen embedder; returns the number embedded."""
        from .store.base import Fingerprint

        embedder = self.embedder()
        if embedder is None:
            self.store.reset_vectors()
            return 0
        fp = self.store.fingerprint()
        split = SplitSettings(fp.splitter, fp.passage_words) if fp else SplitSettings()
        if fp is None or fp.embedder != embedder.name:
            self.store.reset_vectors()
        self.store.set_fingerprint(Fingerprint(split.splitter, split.passage_words, embedder.name, embedder.dim))
        return embed_missing(self.store, embedder, on_progress=on_progress)

    # -- reading --------------------------------------------------------------------------------
    def sources(self) -> list[DocMeta]:
        """Every document's metadata, in ingest order."""
        return self.store.documents()

    def show(self, doc_id: str) -> Document | None:
        """One document with its cleaned text (a unique id prefix is accepted)."""
        doc = self.store.document(doc_id)
        if doc is None and len(doc_id) >= 4:
            matches = [d.doc_id for d in self.store.documents() if d.doc_id.startswith(doc_id)]
            if len(matches) == 1:
                doc = self.store.document(matches[0])
        return doc

    def retriever(self, mode: SearchMode = SearchMode.HYBRID) -> Retriever:
        """A retriever over this corpus (loads the embedder only when the mode needs it)."""
        if self.store.counts()["documents"] == 0:
            raise EmptyCorpusError(f"No documents indexed in {self.location} — run `citebrief add PATH` first")
        return Retriever(self.store, None if mode == SearchMode.BM25 else self.embedder())

    def search(self, query: str, *, mode: SearchMode = SearchMode.HYBRID, k: int = 10,
               filters: Filters = Filters()) -> list[Hit]:
        """The top ``k`` passages for ``query``."""
        return self.retriever(mode).search(query, SearchOptions(mode=mode, k=k, filters=filters))

    def ask(self, question: str, *, keep_unsupported: bool = False, writer=None,
            progress=None) -> "Brief":
        """Write a verified, cited brief answering ``question`` from this corpus."""
        from .pipeline import BriefOptions, write_brief
        from .verify import get_checker

        if not question.strip():
            from .errors import UsageError
            raise UsageError("The question is empty")
        if self.store.counts()["documents"] == 0:
            raise EmptyCorpusError(f"No documents indexed in {self.location} — run `citebrief add PATH` first")
        embedder = self.embedder()
        if embedder is None:
            from .errors import UsageError
            raise UsageError("Briefs need an embedder; this corpus has none — run `citebrief reindex --embedder minilm`")
        return write_brief(question, store=self.store, embedder=embedder,
                           checker=get_checker("rules", embedder=embedder), writer=writer,
                           options=BriefOptions(keep_unsupported=keep_unsupported),
                           progress=progress or (lambda stage, detail: None))

    def close(self) -> None:
        """Close the store."""
        self.store.close()
