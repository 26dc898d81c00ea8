"""Data and helpers for bench_backends.py: a synthetic corpus, cached embeddings, a PG server.

The Climate-FEVER task (corpus, relevance mapped onto stored passages, metrics) is shared with
bench_retrieval.py through _common.py, so the SQLite numbers here and there are comparable.

The synthetic corpus (for ingest and latency at 100k+ passages) recombines real sentences — the
Climate-FEVER evidence, the article-extraction ground-truth bodies and the sample corpus — into
documents of 40 random sentences (≈10 passages of ≈100 words), so term frequencies and posting-list
lengths look like real prose while the size is free. Its vectors come from the hashing embedder at
384 dimensions (MiniLM's size): the store cost is what is measured, not the model.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

import re

import numpy as np
from _common import CLIMATE_FEVER, REPO_ROOT, load_task

from citebrief.embed import HashingEmbedder
from citebrief.models import RawDocument
from citebrief.split import sentences_of

WORD_RE = re.compile(r"\w+")


class CachedEmbedder:
    """A real embedder whose vectors are computed once per text (both backends get the same ones)."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            self._cache.update(zip(missing, self.inner.embed(missing)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


# -- synthetic corpus -------------------------------------------------------------------------------
def sentence_pool(eval_root: Path) -> list[str]:
    """Real sentences: Climate-FEVER evidence, article-extraction bodies, the sample corpus."""
    pool: list[str] = []
    cf = eval_root / CLIMATE_FEVER
    if cf.is_file():
        pool += [s for _, items in load_task(cf).articles for _, s in items]
    gt = eval_root / "article-extraction" / "ground-truth.json"
    bodies = [v["articleBody"] for v in json.loads(gt.read_text()).values()] if gt.is_file() else []
    bodies += [p.read_text(errors="replace") for p in sorted((REPO_ROOT / "examples" / "corpus").glob("*.txt"))]
    for body in bodies:
        pool += [s.text for s in sentences_of("pool", body) if len(s.text.split()) >= 4]
    return list(dict.fromkeys(s.strip() for s in pool if s.strip()))


def synthetic_documents(pool: Sequence[str], n_docs: int, *, seed: int = 7,
                        sentences_per_doc: int = 40) -> Iterator[RawDocument]:
    """``n_docs`` documents of random pool sentences (≈10 passages each); deterministic by seed."""
    rng = random.Random(seed)
    outlets = ["Wire A", "Wire B", "Herald", "Gazette", "Post", "Times", "Journal", "Review"]
    for i in range(n_docs):
        picked = rng.sample(range(len(pool)), sentences_per_doc)
        paragraphs = [" ".join(pool[j] for j in picked[k:k + 5]) for k in range(0, sentences_per_doc, 5)]
        text = "\n\n".join(paragraphs)
        yield RawDocument(source=f"synthetic/{i:07d}.txt", text=text,
                          raw_hash=hashlib.sha256(f"{i}:{text}".encode()).hexdigest(), title=f"Report {i}",
                          outlet=outlets[i % len(outlets)], published=f"20{10 + i % 15:02d}-0{1 + i % 9}-1{i % 10}")


def write_folder(docs: Sequence[RawDocument], folder: Path) -> Path:
    """Write documents as .txt files with a header block (what `citebrief add` reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        header = f"Title: {doc.title}\nOutlet: {doc.outlet}\nDate: {doc.published}\n\n"
        (folder / Path(doc.source).name).write_text(header + doc.text, encoding="utf-8")
    return folder


class SentenceMeanEmbedder:
    """MiniLM-like vectors at any scale: a passage's vector is the normalised mean of the real MiniLM
    vectors of the pool sentences it contains (each pool sentence embedded once, cached on disk).

    Embedding 100k passages with MiniLM would take hours on these 2 cores; averaging sentence
    vectors keeps MiniLM's geometry (what HNSW recall depends on: random or hashed vectors are much
    harder for a graph index), at the cost of not being exactly what MiniLM gives a passage. A pool
    sentence is recognised in a passage by its first words (4–6 of them), so cleaning and splitting
    differences do not matter; the rare passage with none gets a hashing vector (counted in
    ``fallbacks``). Queries are embedded with the real model by the caller.
    """

    name = "minilm"  # the corpus fingerprint says minilm: queries are embedded with the real model
    dim = 384
    KEY_WORDS = 6

    def __init__(self, pool: Sequence[str], cache: Path) -> None:
        from citebrief.embed import get_embedder

        self.model = get_embedder("minilm")
        if cache.is_file():
            vectors = np.load(cache)
        else:
            vectors = self.model.embed(list(pool))
            np.save(cache, vectors)
        self._by_key: dict[tuple[str, ...], np.ndarray] = {}
        for text, vec in zip(pool, vectors):
            words = tuple(WORD_RE.findall(text.lower())[: self.KEY_WORDS])
            if len(words) >= 4:
                self._by_key.setdefault(words, vec)
        self.fallbacks = 0
        self._hashing = HashingEmbedder(dim=self.dim)

    def _known(self, text: str) -> list[np.ndarray]:
        words = WORD_RE.findall(text.lower())
        found = []
        for i in range(len(words)):
            for n in (6, 5, 4):
                vec = self._by_key.get(tuple(words[i:i + n]))
                if vec is not None:
                    found.append(vec)
                    break
        return found

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            parts = self._known(text)
            if parts:
                out[row] = np.mean(parts, axis=0)
            else:  # no pool sentence recognised (a heading-only passage): rare, not worth a model call
                self.fallbacks += 1
                out[row] = self._hashing.embed([text])[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def hashing384() -> HashingEmbedder:
    """The meaning-blind hashing embedder at MiniLM's 384 dimensions."""
    return HashingEmbedder(dim=384)


# -- PostgreSQL -------------------------------------------------------------------------------------
class PgAdmin:
    """Databases on one server: a given admin URL, or a throwaway pgserver started here."""

    def __init__(self, admin_url: str | None) -> None:
        self._server = None
        if admin_url is None:
            import pgserver  # a test/bench dependency: PostgreSQL 16 + pgvector from PyPI

            self._server = pgserver.get_server(Path(tempfile.mkdtemp(prefix="citebrief-bench-pg-")),
                                               cleanup_mode="delete")
            admin_url = self._server.get_uri()
        self.admin_url = admin_url

    def fresh(self, name: str) -> str:
        """Drop and create database ``name``; return its URL."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name: str) -> str:
        """The URL of database ``name`` on this server."""
        head, _, query = self.admin_url.partition("?")
        return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")

    def wal_position(self) -> int:
        """The server's write-ahead-log position in bytes (differences = WAL written)."""
        import psycopg

        with psycopg.connect(self.admin_url) as conn:
            return int(conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')").fetchone()[0])

    def settings(self) -> dict[str, str]:
        """Server settings that shape the numbers."""
        import psycopg

        with psycopg.connect(self.admin_url) as conn:
            names = ("server_version", "shared_buffers", "work_mem", "maintenance_work_mem",
                     "max_parallel_maintenance_workers")
            return {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}
