"""When the SQLite store searches through its derived indexes (tantivy, HNSW), and where they live.

Below ``min_passages`` the store searches exactly: FTS5 and one float32 matrix product are both
exact and fast enough there (a hybrid search over 10,000 passages: ~20–40 ms p50 on 2 cores), no
index files are written and no one waits for a build (~25 s at 10,000 passages, most of it HNSW).
The passage count is read as max(rowid), one B-tree descent. From ``min_passages`` on, unfiltered
searches go through the indexes beside the .db (``<db>.index/<corpus_id>/``): FTS5 scores every
passage holding any query term and the matrix product grows with the corpus, while top-k pruning
and HNSW grow far slower (figures in BENCHMARKS.md, "Search speed"). Filtered searches keep the
exact path, where the filter applies before the limit.

Every index is a cache: deleting the folder costs one rebuild on the next search. The threshold
comes from ``CITEBRIEF_INDEX_MIN_PASSAGES`` when set (0 = always use the indexes), else 20,000.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from .ann import DenseIndex, HnswSettings, Read
from .lexical import PASSAGES_MAX_SQL, LexicalIndex

DEFAULT_MIN_PASSAGES = 20_000
ENV_MIN_PASSAGES = "CITEBRIEF_INDEX_MIN_PASSAGES"
META_SQL = "SELECT value FROM meta WHERE key=?"
VECTORS_MAX_SQL = "SELECT coalesce(max(rowid), 0) FROM vectors"


def min_passages_setting(value: int | None = None) -> int:
    """The threshold: ``value`` when given, else the environment variable, else 20,000."""
    if value is not None:
        return value
    text = os.environ.get(ENV_MIN_PASSAGES, "").strip()
    if not text:
        return DEFAULT_MIN_PASSAGES
    if not text.isdigit():
        raise UsageError(f"{ENV_MIN_PASSAGES}={text!r} is not a number of passages; set it to a "
                         f"whole number such as {DEFAULT_MIN_PASSAGES} (0 = always use the indexes)")
    return int(text)


class DerivedIndexes:
    """The tantivy and HNSW indexes of one SQLite corpus, caught up before each search they serve."""

    def __init__(self, location: str, read: Read, *, min_passages: int,
                 hnsw: HnswSettings = HnswSettings()) -> None:
        self._read = read
        self.min_passages = min_passages
        self._hnsw = hnsw
        corpus = read(META_SQL, ("corpus_id",))
        self.folder = Path(f"{location}.index") / (corpus[0][0] if corpus else "legacy")
        self._lexical: LexicalIndex | None = None
        self._dense: DenseIndex | None = None
        self._dense_epoch: str | None = None
        self._unwritable = False  # the index folder cannot be written: search exactly

    def bm25(self, query: str, k: int) -> list[tuple[str, float]] | None:
        """Top-k BM25 through tantivy, or None when the caller should use FTS5."""
        lexical = self._lexical_ready()
        return None if lexical is None else lexical.search(self._read, query, k)

    def dense(self, vector: np.ndarray, k: int) -> list[tuple[str, float]] | None:
        """Top-k by inner product through HNSW, or None when the caller should scan exactly."""
        dense = self._dense_ready()
        return None if dense is None else dense.search(self._read, vector, k)

    def uses_dense_index(self) -> bool:
        """True when dense search goes through HNSW (so the store keeps no vector matrix)."""
        return not self._unwritable and self._read(VECTORS_MAX_SQL, ())[0][0] >= self.min_passages

    def refresh(self) -> None:
        """Catch both indexes up now (after a large add) rather than on the next search."""
        self._lexical_ready()
        self._dense_ready()

    def _lexical_ready(self) -> LexicalIndex | None:
        """The tantivy index, caught up; None below the threshold or while it cannot be."""
        if self._unwritable or self._read(PASSAGES_MAX_SQL, ())[0][0] < self.min_passages:
            return None
        if self._lexical is None:
            self._lexical = LexicalIndex(self.folder / "tantivy")
        try:
            if not self._lexical.sync(self._read):
                return None  # another process holds the writer: exact FTS5 until it is done
        except OSError:  # a read-only folder or a full disk: the exact path still answers
            self._unwritable, self._lexical = True, None
            return None
        return self._lexical

    def _dense_ready(self) -> DenseIndex | None:
        """The HNSW index of the current vector epoch, caught up; None below the threshold."""
        if not self.uses_dense_index():
            return None
        epoch_row = self._read(META_SQL, ("vectors_epoch",))
        epoch = epoch_row[0][0] if epoch_row else "0"
        if self._dense is None or epoch != self._dense_epoch:
            self._dense, self._dense_epoch = DenseIndex(self.folder, epoch, self._hnsw), epoch
        try:
            self._dense.sync(self._read)
        except OSError:
            self._unwritable, self._dense = True, None
            return None
        return self._dense

    def status(self) -> dict[str, Any]:
        """What the indexes hold now (for `citebrief` diagnostics and the tests)."""
        return {"folder": str(self.folder), "min_passages": self.min_passages,
                "lexical_docs": self._lexical.size if self._lexical else 0,
                "dense_vectors": self._dense.size if self._dense else 0}

    def close(self) -> None:
        """Save the HNSW index if part of it is unsaved (a cache: failing to save costs only time)."""
        if self._dense is not None:
            try:
                self._dense.close()
            except (OSError, RuntimeError, ValueError):
                pass
