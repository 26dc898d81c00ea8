"""Retrieval quality on Climate-FEVER: citebrief BM25 / dense / hybrid against bm25s, rank_bm25 and
plain sentence-transformers cosine search over the same stored passages, in the same run.

Task (data read by path, default ``../shared/eval`` from the repo root):
- corpus: every evidence sentence of climate-fever-dev.jsonl, one document per Wikipedia
  ``article``; its sentences are ordered by their number in the evidence id ("Global warming:14"
  is sentence 14 of the article) and joined by blank lines. The documents are written to a JSONL
  file in a temp dir and ingested with citebrief's real pipeline, ``Corpus(db).add`` (read → clean
  → split → embed with the bundled all-MiniLM-L6-v2 → SQLite), once per passage size.
- queries: the claims; relevant = the claim's SUPPORTS/REFUTES evidence sentences.
- a retrieved passage is relevant when it is the home passage of one of those sentences (the stored
  passage of the article's document whose character span holds the sentence; see
  ``_common.map_evidence``). Claims without a relevant stored passage are not scored.
- metrics: Recall@5, MRR@10, binary nDCG@10 at passage level, and evidence recall within the first
  500 words read (the only column comparable across passage sizes: a longer passage holds more
  evidence sentences, so it is easier to "hit" at rank 1).

    .venv/bin/python bench/bench_retrieval.py [EVAL_ROOT] [--sizes 50,100,150] [--sweep]
        [--cache /tmp/citebrief-bench] [--rebuild]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (Claim, Qrels, Scores, Task, eval_file, load_task, machine,  # noqa: E402
                     map_evidence, relevant_passages, score_rankings, table, write_corpus_jsonl)

from citebrief import Corpus  # noqa: E402
from citebrief.embed import Embedder, minilm_dir  # noqa: E402
from citebrief.models import SearchMode  # noqa: E402
from citebrief.search import Retriever, SearchOptions  # noqa: E402
from citebrief.store.fts import STOPWORDS  # noqa: E402

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "citebrief-bench"
HEADERS = ("retriever", "Recall@5", "MRR@10", "nDCG@10", "EvRecall@500w")
NO_CAPS = {"per_document": 0, "per_outlet": 0}


@dataclass(frozen=True, slots=True)
class Built:
    """One ingested corpus with its relevance mapping."""

    size: int
    corpus: Corpus
    qrels: Qrels
    passages: tuple[tuple[str, str], ...]  # (passage_id, text) in storage order
    ingest_seconds: float


def build(task: Task, size: int, cache: Path, *, rebuild: bool = False, db_name: str = "") -> Built:
    """Ingest the article documents with passage_words=``size`` (a no-op when cached)."""
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / (db_name or f"climate-fever-{size}w.db")
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    corpus = Corpus(str(db), embedder_name="minilm")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = write_corpus_jsonl(task, Path(tmp))
        start = time.perf_counter()
        report = corpus.add([jsonl], passage_words=size)
        seconds = time.perf_counter() - start
    if report.failed:
        print(f"<!-- passage_words={size}: {len(report.failed)} article(s) not ingested, e.g. "
              f"{report.failed[0].reason} -->")
    rows = corpus.store.execute("SELECT passage_id, text FROM passages ORDER BY rowid")
    return Built(size, corpus, map_evidence(task, corpus.store), tuple(rows), seconds)


# -- rankers: each maps (claims, query vectors) to one ranked passage-id list per claim ----------------
Ranker = Callable[[Sequence[Claim], np.ndarray], list[list[str]]]


def citebrief_ranker(built: Built, embedder: Embedder, options: SearchOptions) -> Ranker:
    """citebrief's Retriever with ``options`` (query vectors embedded once, as batch evaluations do)."""
    retriever = Retriever(built.corpus.store, embedder)

    def rank(claims: Sequence[Claim], vectors: np.ndarray) -> list[list[str]]:
        out = []
        for claim, vec in zip(claims, vectors):
            vector = None if options.mode == SearchMode.BM25 else vec
            hits = retriever.search_vec(claim.text, vector, options)
            out.append([h.passage.passage_id for h in hits])
        return out
    return rank


def english_stemmer():
    """PyStemmer's Snowball English stemmer, or None when PyStemmer is not installed."""
    try:
        import Stemmer
    except ImportError:
        return None
    return Stemmer.Stemmer("english")


def bm25s_ranker(built: Built, stemmer, k: int = 10) -> Ranker:
    """bm25s (Lucene BM25, k1=1.5, b=0.75), English stop words and the Snowball stemmer (PyStemmer)
    when ``stemmer`` is given, else unstemmed."""
    import bm25s

    ids = [pid for pid, _ in built.passages]
    index = bm25s.BM25()
    index.index(bm25s.tokenize([t for _, t in built.passages], stopwords="en", stemmer=stemmer,
                               show_progress=False), show_progress=False)

    def rank(claims: Sequence[Claim], vectors: np.ndarray) -> list[list[str]]:
        tokens = bm25s.tokenize([c.text for c in claims], stopwords="en", stemmer=stemmer, show_progress=False)
        docs, _ = index.retrieve(tokens, k=min(k, len(ids)), show_progress=False, n_threads=1)
        return [[ids[i] for i in row] for row in docs]
    return rank


def rank_bm25_ranker(built: Built, k: int = 10) -> Ranker:
    """rank_bm25.BM25Okapi (k1=1.5, b=0.75) on lower-cased \\w+ tokens without stop words, unstemmed."""
    from rank_bm25 import BM25Okapi

    def tok(text: str) -> list[str]:
        return [w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS]

    ids = [pid for pid, _ in built.passages]
    index = BM25Okapi([tok(t) for _, t in built.passages])

    def rank(claims: Sequence[Claim], vectors: np.ndarray) -> list[list[str]]:
        out = []
        for claim in claims:
            scores = index.get_scores(tok(claim.text))
            out.append([ids[i] for i in np.argsort(-scores, kind="stable")[:k]])
        return out
    return rank


def st_cosine_ranker(built: Built, model, k: int = 10) -> Ranker:
    """Plain SentenceTransformer.encode (normalised) and exact cosine top-k over the same passages;
    ``model`` None (no torch extra): citebrief's own MiniLM vectors (ONNX Runtime), same search."""
    ids = [pid for pid, _ in built.passages]
    texts = [t for _, t in built.passages]
    matrix = (built.corpus.embedder().embed(texts) if model is None else
              model.encode(texts, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False))

    def rank(claims: Sequence[Claim], vectors: np.ndarray) -> list[list[str]]:
        queries = (vectors if model is None else
                   model.encode([c.text for c in claims], convert_to_numpy=True,
                                normalize_embeddings=True, show_progress_bar=False))
        scores = queries @ matrix.T
        return [[ids[i] for i in np.argsort(-row, kind="stable")[:k]] for row in scores]
    return rank


def citebrief_rows() -> list[tuple[str, SearchOptions]]:
    """The citebrief configurations compared: shipped defaults and the parts switched off."""
    d = SearchOptions()
    return [
        ("citebrief bm25 (FTS5), default caps", replace(d, mode=SearchMode.BM25)),
        ("citebrief bm25 (FTS5), no caps", replace(d, mode=SearchMode.BM25, **NO_CAPS)),
        ("citebrief dense, default (MMR 0.7 + caps)", replace(d, mode=SearchMode.DENSE)),
        ("citebrief dense, no MMR, no caps", replace(d, mode=SearchMode.DENSE, mmr_lambda=1.0, **NO_CAPS)),
        ("citebrief hybrid RRF, caps, no MMR", replace(d, mmr_lambda=1.0)),
        ("citebrief hybrid RRF + MMR (shipped defaults)", d),
        ("citebrief hybrid RRF, no MMR, no caps", replace(d, mmr_lambda=1.0, **NO_CAPS)),
        ("citebrief hybrid RRF + MMR, no caps", replace(d, **NO_CAPS)),
    ]


def evaluate(name: str, ranker: Ranker, claims: Sequence[Claim], vectors: np.ndarray,
             qrels: Qrels) -> tuple[str, Scores, float]:
    """Run ``ranker`` over the claims; returns (name, scores, ms per query)."""
    start = time.perf_counter()
    rankings = ranker(claims, vectors)
    ms = (time.perf_counter() - start) * 1000 / max(1, len(claims))
    return name, score_rankings(claims, rankings, qrels), ms


def score_row(name: str, s: Scores) -> tuple:
    return (name, s.recall5, s.mrr10, s.ndcg10, s.ev_recall_500w)


def sweep(built: Built, embedder: Embedder, claims: Sequence[Claim], vectors: np.ndarray) -> None:
    """One knob at a time from the shipped hybrid defaults, then the best combination found."""
    d = SearchOptions()
    variants: list[tuple[str, SearchOptions]] = [("shipped defaults", d)]
    variants += [(f"rrf_k={v}", replace(d, rrf_k=v)) for v in (10, 30, 100)]
    variants += [(f"candidates={v}", replace(d, candidates=v)) for v in (20, 100)]
    variants += [(f"mmr_lambda={v}", replace(d, mmr_lambda=v)) for v in (0.5, 0.85, 1.0)]
    variants += [(f"per_document={v}", replace(d, per_document=v)) for v in (0, 1, 5)]
    variants += [(f"per_document=0, mmr_lambda={m}, rrf_k={k}",
                  replace(d, per_document=0, mmr_lambda=m, rrf_k=k))
                 for m, k in ((1.0, 10), (1.0, 30), (0.85, 30))]
    rows = []
    for name, options in variants:
        _, s, _ = evaluate(name, citebrief_ranker(built, embedder, options), claims, vectors, built.qrels)
        rows.append(score_row(name, s))
    print(f"\n### Hybrid knobs (passage_words={built.size}), one at a time from the defaults\n")
    print(table(HEADERS, rows))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", nargs="?", help="eval folder holding climate-fever/ (or the .jsonl)")
    parser.add_argument("--sizes", default="50,100,150", help="passage_words settings to compare")
    parser.add_argument("--sweep", action="store_true", help="also sweep the hybrid knobs")
    parser.add_argument("--sweep-size", type=int, default=100, help="passage size the sweep uses")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where the stores are kept")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the stores from scratch")
    args = parser.parse_args(argv)
    path = eval_file(args.eval_root)
    if path is None:
        return 0
    task = load_task(path)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print("## Retrieval quality — Climate-FEVER dev (claims → evidence sentences)\n")
    print(f"Machine: {machine()}\n")
    st_model, cosine_row = None, "exact cosine, citebrief MiniLM vectors (ONNX Runtime)"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("Note: sentence-transformers is not installed (the optional torch extra), so the exact "
              "cosine row uses citebrief's own MiniLM vectors (same model, cosine >= 0.9999).\n")
    else:
        st_model = SentenceTransformer(str(minilm_dir()), device="cpu", local_files_only=True)
        cosine_row = "sentence-transformers cosine (exact)"
    stemmer = english_stemmer()
    bm25s_row = "bm25s 0.3 (stemmed, stop words)" if stemmer else "bm25s 0.3 (UNSTEMMED, stop words)"
    if stemmer is None:
        print("Note: PyStemmer is not installed, so the bm25s row runs without a stemmer and is not "
              "comparable with the stemmed figures in BENCHMARKS.md (pip install PyStemmer).\n")
    best: tuple[float, int] | None = None
    for size in sizes:
        built = build(task, size, args.cache, rebuild=args.rebuild)
        embedder = built.corpus.embedder()
        claims = [c for c in task.claims if relevant_passages(c, built.qrels)]
        vectors = embedder.embed([c.text for c in claims])
        counts = built.corpus.store.counts()
        print(f"\n### passage_words={size}: {counts['documents']} documents, {counts['passages']} "
              f"passages (mean {np.mean(list(built.qrels.words.values())):.0f} words); {len(claims)} of "
              f"{len(task.claims)} claims scored; {len(built.qrels.lost)} evidence sentences not "
              f"found in the store\n")
        rankers: list[tuple[str, Ranker]] = [
            (name, citebrief_ranker(built, embedder, opts)) for name, opts in citebrief_rows()]
        rankers += [(bm25s_row, bm25s_ranker(built, stemmer)),
                    ("rank_bm25 BM25Okapi", rank_bm25_ranker(built)),
                    (cosine_row, st_cosine_ranker(built, st_model))]
        results = [evaluate(name, r, claims, vectors, built.qrels) for name, r in rankers]
        print(table(HEADERS + ("ms/query",), [score_row(n, s) + (ms,) for n, s, ms in results]))
        hybrid = dict((n, s) for n, s, _ in results)["citebrief hybrid RRF + MMR (shipped defaults)"]
        if best is None or hybrid.ndcg10 > best[0]:
            best = (hybrid.ndcg10, size)
        if args.sweep and size == args.sweep_size:
            sweep(built, embedder, claims, vectors)
        built.corpus.close()
    if best:
        print(f"\nBest passage size for shipped hybrid nDCG@10: passage_words={best[1]} ({best[0]:.3f}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
