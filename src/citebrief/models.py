"""Values that flow between pipeline stages: frozen, slotted dataclasses with tuples, never lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader or fetcher produced, before cleaning."""

    source: str  # path or URL it came from
    text: str  # extracted text (readers turn HTML/PDF/JSONL into text)
    raw_hash: str  # sha256 of the raw bytes as read
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD when known
    url: str | None = None
    language: str | None = None
    extra: tuple[tuple[str, str], ...] = ()  # provenance such as ("feed", url), ("query", q)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character span [start, end) into a document's cleaned text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned document; ``doc_id`` is the content hash of ``text``."""

    doc_id: str
    source: str
    text: str
    raw_hash: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    duplicate_of: str | None = None  # near-duplicate (syndicated copy) of this doc id
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, with its span in the document text."""

    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence-aligned window of a document: the unit that is indexed and cited."""

    passage_id: str
    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...] = ()


class SearchMode(str, Enum):
    """Which retrievers a search uses."""

    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions applied to every retriever."""

    date_from: str | None = None
    date_to: str | None = None
    outlets_include: tuple[str, ...] = ()
    outlets_exclude: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.date_from or self.date_to or self.outlets_include
                    or self.outlets_exclude or self.doc_ids)


@dataclass(frozen=True, slots=True)
class DocMeta:
    """Document metadata carried on hits and citations (no text)."""

    doc_id: str
    source: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None
    url: str | None
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved passage, with the rank each retriever gave it (1-based; None = not found)."""

    passage: Passage
    doc: DocMeta
    score: float
    ranks: tuple[tuple[str, int], ...] = ()  # e.g. (("bm25", 3), ("dense", 1))


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one input during ``add``."""

    source: str
    status: str  # "added" | "unchanged" | "near-duplicate" | "failed"
    doc_id: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class IngestReport:
    """Summary of an ``add`` run."""

    outcomes: tuple[IngestOutcome, ...] = field(default_factory=tuple)

    def count(self, status: str) -> int:
        """Number of outcomes with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> tuple[IngestOutcome, ...]:
        """The inputs that could not be ingested."""
        return tuple(o for o in self.outcomes if o.status == "failed")
