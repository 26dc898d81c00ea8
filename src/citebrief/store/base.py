"""The ``Store`` protocol shared by the SQLite (default) and PostgreSQL backends, and its registry."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..errors import FingerprintMismatch, UsageError
from ..models import DocMeta, Document, Filters, Passage


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Settings that shape a store; a store built with other settings cannot be mixed with them."""

    splitter: str
    passage_words: int
    embedder: str
    dim: int

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @staticmethod
    def from_json(text: str) -> "Fingerprint":
        return Fingerprint(**json.loads(text))


@dataclass(frozen=True, slots=True)
class RawPageRecord:
    """A fetched response kept so a brief can be reproduced and re-cleaned without fetching again."""

    url: str  # as requested
    fetched_at: str
    canonical_url: str | None
    status: int
    doc_id: str | None  # the document it became, if any
    blob: bytes  # compressed page (citebrief.web.compress_page)


@dataclass(frozen=True, slots=True)
class FeedState:
    """A feed or sitemap the corpus follows, with its conditional-GET validators."""

    url: str
    kind: str = "feed"  # "feed" | "sitemap"
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None


def check_fingerprint(stored: Fingerprint | None, wanted: Fingerprint, where: str) -> None:
    """Raise ``FingerprintMismatch`` (with the rebuild command) when the settings differ."""
    if stored is None or stored == wanted:
        return
    diffs = [f"{k}: store has {getattr(stored, k)!r}, settings ask for {getattr(wanted, k)!r}"
             for k in ("splitter", "passage_words", "embedder", "dim")
             if getattr(stored, k) != getattr(wanted, k)]
    raise FingerprintMismatch(
        f"{where} was built with other settings ({'; '.join(diffs)}). Rebuild it with "
        f"`citebrief --db {where} reindex` (add --embedder/--passage-words to choose), "
        "or use the settings it was built with.")


class Store(Protocol):
    """A corpus: documents, passages, sentences, vectors, briefs and research runs."""

    location: str

    def fingerprint(self) -> Fingerprint | None: ...
    def set_fingerprint(self, fp: Fingerprint) -> None: ...
    def doc_by_raw_hash(self, raw_hash: str) -> str | None: ...
    def has_document(self, doc_id: str) -> bool: ...
    def band_candidates(self, bands: Sequence[tuple[int, str]]) -> list[tuple[str, str]]: ...
    def add_document(self, doc: Document, passages: Sequence[Passage], vectors: np.ndarray | None,
                     bands: Sequence[tuple[int, str]], *, model: str | None = None) -> bool: ...
    def search_bm25(self, query: str, k: int, filters: Filters) -> list[tuple[str, float]]: ...
    def search_dense(self, vector: np.ndarray, k: int, filters: Filters) -> list[tuple[str, float]]: ...
    def vectors(self, passage_ids: Sequence[str]) -> np.ndarray | None: ...
    def passages(self, passage_ids: Sequence[str]) -> dict[str, tuple[Passage, DocMeta]]: ...
    def document(self, doc_id: str) -> Document | None: ...
    def documents(self) -> list[DocMeta]: ...
    def counts(self) -> dict[str, int]: ...
    def passages_without_vectors(self, limit: int) -> list[tuple[str, str]]: ...
    def add_vectors(self, ids: Sequence[str], vectors: np.ndarray, model: str) -> None: ...
    def reset_vectors(self) -> None: ...
    def cached_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]: ...
    def cache_vectors(self, model: str, items: dict[str, np.ndarray]) -> None: ...
    def doc_by_url(self, url: str) -> str | None: ...
    def save_raw_page(self, page: RawPageRecord) -> None: ...
    def raw_pages(self, url: str) -> list[RawPageRecord]: ...
    def feed_state(self, url: str) -> FeedState | None: ...
    def save_feed_state(self, state: FeedState) -> None: ...
    def feeds(self) -> list[FeedState]: ...
    def save_record(self, table: str, key: str, data: dict[str, Any]) -> None: ...
    def load_record(self, table: str, key: str) -> dict[str, Any] | None: ...
    def list_records(self, table: str, limit: int) -> list[dict[str, Any]]: ...
    def close(self) -> None: ...


def record_time() -> str:
    """The time a brief or run record is saved: ISO 8601 with microseconds, so two saved within one second list in
    the order they were saved (a seconds-only time of an older record still sorts before them)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


StoreFactory = Callable[[str], Store]
STORES: dict[str, StoreFactory] = {}


def register_store(scheme: str, factory: StoreFactory) -> None:
    """Register a backend for locations starting with ``scheme`` ("sqlite", "postgresql")."""
    STORES[scheme] = factory


def open_store(location: str) -> Store:
    """Open the store at ``location``: a ``postgresql://`` URL or a SQLite file path."""
    scheme = location.split("://", 1)[0] if "://" in location else "sqlite"
    if scheme == "postgres":
        scheme = "postgresql"
    if scheme not in STORES:
        from ..plugins import Kind, load

        plugin = None if scheme == "postgresql" else load(Kind.STORES, scheme)
        if plugin is not None:
            register_store(scheme, plugin)
        elif scheme == "postgresql":
            from . import postgres  # noqa: F401  registers itself
        else:
            raise UsageError(f"Unknown store scheme {scheme!r} in {location!r}; use a file path or "
                             f"one of: {', '.join(sorted(STORES) + ['postgresql://'])}")
    return STORES[scheme](location)
