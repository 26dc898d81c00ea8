"""An HNSW index (usearch) over the ``vectors`` table: approximate dense search, derived from SQLite.

The index is a cache of the store of record, never a source of truth. Its keys are the ``rowid``s
of ``vectors`` rows, so "what it covers" is read from the index itself: every row with a larger
rowid is new and is added on the next search (catch-up). The file is named after the corpus and
its vector epoch (``hnsw-<epoch>.usearch``), and ``reset_vectors`` starts a new epoch, so a file
left from other vectors can never be taken for these. It is written to a temporary name and
renamed, so a kill -9 leaves either the previous file or the new one, and whichever it is, the
next open catches up from SQLite. It is saved when at least ``save_fraction`` of it is unsaved
and at ``close()``; after a crash only the unsaved part is re-added.

HNSW: Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search using
Hierarchical Navigable Small World graphs" (2016). M=16 links a node, ef_construction=128,
and ef_search growing with the index (``ef_search_for``). Recall@10 of the top 50 against exact
search (bench/bench_search_speed.py, synthetic MiniLM-like vectors): at 100k passages ef_search
128 gives 0.986 and 256 gives 0.996; at 300k, 0.934 and 0.958; at 1M, 256 gives only 0.854, 1,024
gives 0.950 (5.3 ms) and 1,536 gives 0.966 (8.0 ms).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import StoreError

Read = Callable[[str, Sequence[Any]], list[tuple]]

VECTORS_MAX_SQL = "SELECT coalesce(max(rowid), 0) FROM vectors"
VECTORS_COUNT_SQL = "SELECT count(*) FROM vectors"
VECTORS_AFTER_SQL = "SELECT rowid, vec FROM vectors WHERE rowid > ? ORDER BY rowid LIMIT ?"
CATCH_UP_CHUNK = 20_000  # rows read a time: 20,000 × 384 × 4 bytes ≈ 31 MB


def vector_ids_sql(n: int) -> str:
    """SQL mapping ``n`` vector rowids to their passage ids."""
    return f"SELECT rowid, passage_id FROM vectors WHERE rowid IN ({','.join('?' * n)})"


@dataclass(frozen=True, slots=True)
class HnswSettings:
    """Graph parameters (see the module docstring for where they are measured)."""

    connectivity: int = 16
    expansion_add: int = 128
    expansion_search: int = 256  # the floor; ef_search_for raises it with the index size
    vectors_per_ef: int = 650
    max_expansion_search: int = 2048
    save_fraction: float = 0.1


_PARALLEL_FROM = 5_000  # vectors in one batch from which the graph is built on all cores


def ef_search_for(size: int, settings: HnswSettings) -> int:
    """ef_search for an index of ``size`` vectors: size / 650 within [256, 2048].

    100k → 256 (recall@10 0.996), 300k → 461, 1M → 1,538 (1,536 measured: 0.966 at 8 ms): the
    graph's reach per step shrinks as it grows, so the search must visit more of it.
    """
    return max(settings.expansion_search, min(settings.max_expansion_search, size // settings.vectors_per_ef))


class DenseIndex:
    """HNSW over one corpus' vectors, kept in ``folder`` and caught up from SQLite on each search."""

    def __init__(self, folder: Path, epoch: str, settings: HnswSettings = HnswSettings()) -> None:
        self.path = folder / f"hnsw-{epoch}.usearch"
        self.settings = settings
        self._index: Any = None
        self._covered = 0  # largest vectors rowid in the index
        self._saved_size = 0
        self._loaded = False

    # -- catching up ----------------------------------------------------------------------------
    def sync(self, read: Read) -> None:
        """Bring the index level with the ``vectors`` table (load, rebuild or add what is new)."""
        newest = read(VECTORS_MAX_SQL, ())[0][0]
        if self._loaded and newest == self._covered:
            return
        if not self._loaded:
            self._index, self._covered = self._load()
            self._saved_size, self._loaded = self.size, True
        if self._covered > newest:  # the table shrank or the file belongs to an older copy
            self._reset()
        self._add_after(read)
        if self.size > read(VECTORS_COUNT_SQL, ())[0][0]:
            # A row was replaced (INSERT OR REPLACE gives it a new rowid): its old key is stale.
            self._reset()
            self._add_after(read)
        if self.size - self._saved_size >= max(1, self.settings.save_fraction * self.size):
            try:
                self.save()
            except (OSError, RuntimeError):  # read-only folder, full disk: the index in memory serves
                pass

    def _reset(self) -> None:
        self._index, self._covered, self._saved_size = None, 0, 0

    def _add_after(self, read: Read) -> int:
        added = 0
        while True:
            rows = read(VECTORS_AFTER_SQL, (self._covered, CATCH_UP_CHUNK))
            if not rows:
                return added
            keys = np.fromiter((r[0] for r in rows), dtype=np.uint64, count=len(rows))
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
            if self._index is None:
                self._index = self._new(matrix.shape[1])
            elif matrix.shape[1] != self._index.ndim:
                # The fingerprint keeps one embedder a corpus, and reset_vectors starts a new file.
                raise StoreError(f"{self.path} holds {self._index.ndim}-d vectors but the corpus has "
                                 f"{matrix.shape[1]}-d ones; delete {self.path.parent} (it is rebuilt "
                                 "from the corpus) or run `citebrief reindex`")
            # Threads race to link nodes, so a graph built in parallel differs run to run; a small batch
            # is built on one thread (the same graph every time, at a cost of milliseconds).
            self._index.add(keys, matrix, threads=1 if len(rows) < _PARALLEL_FROM else 0)
            self._covered = int(keys[-1])
            added += len(rows)

    def _new(self, ndim: int) -> Any:
        from usearch.index import Index

        s = self.settings
        return Index(ndim=ndim, metric="ip", dtype="f32", connectivity=s.connectivity,
                     expansion_add=s.expansion_add, expansion_search=s.expansion_search)

    def _load(self) -> tuple[Any, int]:
        """The saved index and the largest key in it, or (None, 0) when absent or unreadable."""
        from usearch.index import Index

        self._remove_other_epochs()
        try:
            index = Index.restore(str(self.path))
        except (ValueError, RuntimeError, OSError):  # a torn or foreign file: rebuild from SQLite
            index = None
        if index is None or index.size == 0:
            return None, 0
        index.expansion_search = self.settings.expansion_search  # not kept in the file
        return index, int(np.asarray(index.keys).max())

    def _remove_other_epochs(self) -> None:
        for old in self.path.parent.glob("hnsw-*.usearch*"):
            if old.name != self.path.name:
                old.unlink(missing_ok=True)

    def save(self) -> None:
        """Write the index atomically (temporary file, then rename)."""
        if self._index is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        self._index.save(str(tmp))
        os.replace(tmp, self.path)
        self._saved_size = self._index.size

    # -- searching ------------------------------------------------------------------------------
    def search(self, read: Read, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The ``k`` nearest passages by inner product: (passage_id, cosine for unit vectors)."""
        if self._index is None or self._index.size == 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != self._index.ndim:
            return []
        self._index.expansion_search = ef_search_for(self._index.size, self.settings)
        found = self._index.search(query, k, threads=1)
        keys = [int(key) for key in found.keys]
        ids = dict(read(vector_ids_sql(len(keys)), keys)) if keys else {}
        # "ip" distance is 1 − dot: 0.25 away is a cosine of 0.75.
        return [(ids[key], 1.0 - float(dist)) for key, dist in zip(keys, found.distances) if key in ids]

    @property
    def size(self) -> int:
        return 0 if self._index is None else int(self._index.size)

    def close(self) -> None:
        """Save what is unsaved, so the next process starts where this one ended."""
        if self._index is not None and self._index.size != self._saved_size:
            self.save()
