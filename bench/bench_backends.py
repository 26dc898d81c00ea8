"""SQLite vs PostgreSQL side by side: ingest, hybrid latency, HNSW recall, Climate-FEVER nDCG@10.

    .venv/bin/python bench/bench_backends.py [--eval ../shared/eval] [--pg ADMIN_URL]
        [--passages 100000] [--ingest-docs 1500] [--ingest-embedder hashing|minilm] [--queries 200] [--sections quality,ingest,scale]
        [--work DIR]   (--sections measure: rerun the scale measurements on the corpora in DIR)

Without --pg a throwaway PostgreSQL 16 + pgvector is started with pgserver (a test dependency).
Sections (data: see backend_data.py):

- ingest: `citebrief add --embedder E` through the real CLI on synthetic documents: one process
  with one worker, one process with `--workers 2` (two reading/embedding processes, one writer),
  and two processes at once on one half each (same database); median of --ingest-runs.
- scale: a synthetic corpus of --passages passages (vectors: means of real MiniLM sentence vectors,
  see backend_data.SentenceMeanEmbedder) built in SQLite with the ingest pipeline and copied into
  PostgreSQL with `migrate`'s code; then hybrid, bm25 and dense latency p50/p95 over Climate-FEVER
  claims as queries (MiniLM query vectors computed beforehand; everything after embedding is timed:
  counts, both retrievers, passage fetch, MMR vectors), and HNSW recall@10 against exact search at
  several hnsw.ef_search values.
- quality: Climate-FEVER retrieval with the real MiniLM, nDCG@10 in bm25 and hybrid modes for SQLite
  (FTS5 BM25), PostgreSQL as shipped (BM25 from stored term statistics) and PostgreSQL ranking with
  its built-in ts_rank instead (what a plain full-text setup gives), to show the gap BM25 closes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (eval_file, load_task, machine, map_evidence, percentile, relevant_passages,  # noqa: E402
                     score_rankings, table, write_corpus_jsonl)
from backend_data import (CachedEmbedder, PgAdmin, SentenceMeanEmbedder, hashing384, sentence_pool,  # noqa: E402
                          synthetic_documents, write_folder)

from citebrief.embed import get_embedder  # noqa: E402
from citebrief.ingest import Ingestor  # noqa: E402
from citebrief.models import Filters, SearchMode  # noqa: E402
from citebrief.search import Retriever, SearchOptions  # noqa: E402
from citebrief.store import open_store  # noqa: E402
from citebrief.store import pg_sql  # noqa: E402
from citebrief.store.fts import query_terms  # noqa: E402
from citebrief.store.transfer import transfer  # noqa: E402

CLI = [sys.executable, "-m", "citebrief"]


def show(title: str, headers: Sequence[str], rows: list[Sequence[object]], align: str = "") -> None:
    """Print a titled Markdown table."""
    print(f"\n### {title}\n")
    print(table(headers, rows, align))
    sys.stdout.flush()


# -- ingest -------------------------------------------------------------------------------------------
def _add(db: str, folders: list[Path], embedder: str, workers: int) -> subprocess.Popen:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([*CLI, "--db", db, "add", *map(str, folders), "--embedder", embedder, "-q",
                             "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _timed_add(db: str, groups: list[list[Path]], embedder: str, workers: int) -> float:
    started = time.perf_counter()
    procs = [_add(db, g, embedder, workers) for g in groups]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"citebrief add failed on {db}: {err}")
    return time.perf_counter() - started


INGEST_SETUPS = (  # label, folders per `add` process, --workers of each
    ("1 process, 1 worker", "one", 1),
    ("1 process, --workers 2", "one", 2),
    ("2 processes at once, 1 worker each", "two", 1),
)


def bench_ingest(pool: list[str], pg: PgAdmin, n_docs: int, work: Path, embedder: str, runs: int) -> None:
    docs = list(synthetic_documents(pool, n_docs, seed=11))
    halves = [write_folder(docs[: n_docs // 2], work / "half-a"), write_folder(docs[n_docs // 2:], work / "half-b")]
    rows = []
    for label, split, workers in INGEST_SETUPS:
        groups = [halves] if split == "one" else [[halves[0]], [halves[1]]]
        row: list[object] = [label]
        for backend in ("sqlite", "postgresql"):
            times, wal, counts = [], 0, {}
            for run in range(runs):
                name = f"ingest_{split}_{workers}_{run}"
                for suffix in ("", "-wal", "-shm"):
                    (work / f"{name}.db{suffix}").unlink(missing_ok=True)
                db = str(work / f"{name}.db") if backend == "sqlite" else pg.fresh(name)
                wal_before = pg.wal_position()
                times.append(_timed_add(db, groups, embedder, workers))
                wal = pg.wal_position() - wal_before if backend == "postgresql" else None
                store = open_store(db)
                counts = store.counts()
                store.close()
            seconds = statistics.median(times)
            row += [f"{seconds:.1f}", f"{counts['passages'] / seconds:.0f}"]
            if wal is not None:
                row.append(f"{wal / counts['passages'] / 1024:.1f}")
        rows.append(row)
    show(f"Ingest throughput — {n_docs} synthetic documents ({counts['passages']} passages), "
         f"`citebrief add --embedder {embedder}`, median of {runs} (wall clock incl. process start)",
         ["setup", "SQLite s", "SQLite passages/s", "PostgreSQL s", "PostgreSQL passages/s",
          "PG WAL KiB/passage"], rows)


# -- scale: latency and recall ------------------------------------------------------------------------
def build_scale(pool: list[str], pg: PgAdmin, n_passages: int, work: Path) -> tuple[str, str]:
    sqlite_path = work / f"scale-{n_passages}.db"
    n_docs = max(1, round(n_passages / 8.6))  # 8.6 passages per synthetic document (measured)
    embedder = SentenceMeanEmbedder(pool, work / "pool-minilm.npy")
    started = time.perf_counter()
    store = open_store(str(sqlite_path))
    ingestor = Ingestor(store, embedder)
    ingestor.add_raw(synthetic_documents(pool, n_docs, seed=3))
    ingestor.finish()
    sqlite_seconds = time.perf_counter() - started
    counts = store.counts()
    print(f"\n{embedder.fallbacks} of {counts['passages']:,} passages had no pool sentence (hashing vector)")
    url = pg.fresh(f"scale_{n_passages}")
    started = time.perf_counter()
    dst = open_store(url)
    report = transfer(store, dst)
    pg_seconds = time.perf_counter() - started
    store.close()
    dst.close()
    show(f"Building the scale corpus ({counts['documents']:,} documents, {counts['passages']:,} passages)",
          ["step", "seconds", "passages/s"],
          [["SQLite: ingest pipeline (clean, split, MinHash, sentence-mean vectors, write)", round(sqlite_seconds, 1),
            round(counts["passages"] / sqlite_seconds, 1)],
           ["PostgreSQL: copy from SQLite (`migrate`: a transaction per document, one HNSW build at the end)",
            round(pg_seconds, 1), round(report.dst_counts["passages"] / pg_seconds, 1)]])
    return str(sqlite_path), url


def bench_storage(dbs: dict[str, str], n_passages: int) -> None:
    """Bytes on disk per passage: SQLite's file, PostgreSQL's tables and indexes."""
    sqlite_path = Path(dbs["sqlite"])
    sqlite_bytes = sum(p.stat().st_size for p in sqlite_path.parent.glob(sqlite_path.name + "*"))
    store = open_store(dbs["postgresql"])
    n = store.counts()["passages"]
    rels = ["passages", "passages_tsv", "vectors", "vectors_hnsw", "sentences", "documents", "bm25_terms", "doc_bands"]
    rows = [["SQLite file (all tables, FTS5, vectors)", sqlite_bytes / 2**20, sqlite_bytes / n]]
    for rel in rels:
        size = store.execute("SELECT pg_total_relation_size(%s::regclass)", (rel,))[0][0] if rel in (
            "passages", "vectors", "sentences", "documents", "bm25_terms", "doc_bands") else \
            store.execute("SELECT pg_relation_size(%s::regclass)", (rel,))[0][0]
        label = {"passages": "passages (heap + TOAST + all its indexes, incl. GIN)",
                 "vectors": "vectors (heap + indexes, incl. HNSW)"}.get(rel, rel)
        rows.append([f"PostgreSQL {label}", size / 2**20, size / n])
    total = store.execute("SELECT pg_database_size(current_database())")[0][0]
    rows.append(["PostgreSQL database total", total / 2**20, total / n])
    store.close()
    show(f"Storage at {n:,} passages", ["what", "MiB", "bytes/passage"], rows)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    return percentile(samples, 50) * 1000, percentile(samples, 95) * 1000


def bench_latency(dbs: dict[str, str], queries: list[str], vectors: np.ndarray, n_passages: int) -> None:
    embedder = hashing384()  # never called: the query vectors (real MiniLM) are passed in
    rows = []
    for backend, db in dbs.items():
        store = open_store(db)
        retriever = Retriever(store, embedder)
        for mode in (SearchMode.HYBRID, SearchMode.BM25, SearchMode.DENSE):
            options = SearchOptions(mode=mode, k=10)
            for q, v in zip(queries[:5], vectors):  # warm caches (SQLite's matrix, PG's buffers)
                retriever.search_vec(q, v, options)
            samples = []
            for q, v in zip(queries, vectors):
                started = time.perf_counter()
                retriever.search_vec(q, None if mode == SearchMode.BM25 else v, options)
                samples.append(time.perf_counter() - started)
            p50, p95 = _percentiles(samples)
            rows.append([backend, mode.value, round(p50, 1), round(p95, 1)])
        store.close()
    show(f"Query latency at {n_passages:,} passages — {len(queries)} Climate-FEVER claims, k=10 "
          "(50 candidates per retriever), ms", ["backend", "mode", "p50 ms", "p95 ms"], rows)


def bench_recall(url: str, vectors: np.ndarray, n_passages: int) -> None:
    """recall@k of ``search_dense`` (HNSW) against exact search at k=10 and at k=50 (the hybrid
    retriever's candidate list), for several hnsw.ef_search values."""
    from citebrief.store import pg_search
    from citebrief.store.pg_connect import Vec

    store = open_store(url)
    exact, exact_samples = [], []
    for v in vectors:
        started = time.perf_counter()
        exact.append([pid for pid, _ in store.execute(pg_sql.DENSE_EXACT, (Vec.of(v), 50))])
        exact_samples.append(time.perf_counter() - started)
    shipped = {k: max(pg_search.EF_SEARCH, pg_search.EF_PER_HIT * k) for k in (10, 50)}
    rows = []
    for ef in (40, 100, 200, 400):
        cells: list[object] = [ef]
        for k in (10, 50):
            if ef < k:
                cells += ["–", "–"]
                continue
            recall, samples = [], []
            for v, truth in zip(vectors, exact):
                started = time.perf_counter()
                got = [pid for pid, _ in store.search_dense(v, k, Filters(), ef_search=ef)]
                samples.append(time.perf_counter() - started)
                recall.append(len(set(got) & set(truth[:k])) / max(1, len(truth[:k])))
            mark = " (shipped)" if shipped[k] == ef else ""
            cells += [f"{statistics.mean(recall):.3f}{mark}", round(_percentiles(samples)[0], 2)]
        rows.append(cells)
    p50, _ = _percentiles(exact_samples)
    rows.append(["exact scan (no index)", "1.000", round(p50, 2), "1.000", round(p50, 2)])
    store.close()
    show(f"HNSW recall against exact search at {n_passages:,} vectors (384-d, m=16, ef_construction=64)",
         ["hnsw.ef_search", "recall@10", "p50 ms (k=10)", "recall@50", "p50 ms (k=50)"], rows)


# -- quality: Climate-FEVER -----------------------------------------------------------------------------
class TsRankStore:
    """The PostgreSQL store with ts_rank (PostgreSQL's built-in ranking) in place of BM25."""

    def __init__(self, inner, normalization: int) -> None:
        self.inner, self.normalization = inner, normalization

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def search_bm25(self, query: str, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        words = query_terms(query)
        if not words:
            return []
        any_words = " || ".join(["plainto_tsquery('english', %s)"] * len(words))
        sql = (f"WITH q AS MATERIALIZED (SELECT {any_words} AS q) SELECT p.passage_id, "
               f"ts_rank(p.tsv, q.q, {self.normalization}) FROM passages p, q WHERE p.tsv @@ q.q "
               "ORDER BY 2 DESC, p.seq LIMIT %s")
        return [(pid, float(s)) for pid, s in self.inner.execute(sql, [*words, k])]


def bench_quality(eval_path: Path, pg: PgAdmin, work: Path) -> None:
    """nDCG@10 (and R@5, MRR@10) of bm25 and hybrid search, shipped defaults, on both backends."""
    task = load_task(eval_path)
    jsonl = write_corpus_jsonl(task, work)
    embedder = CachedEmbedder(get_embedder("minilm"))  # both stores get the very same vectors
    stores, seconds = {}, {}
    for backend, db in (("sqlite", str(work / "climate-fever.db")), ("postgresql", pg.fresh("climate_fever"))):
        started = time.perf_counter()
        store = open_store(db)
        Ingestor(store, embedder).add_paths([jsonl])
        stores[backend], seconds[backend] = store, time.perf_counter() - started
    # Ids are content hashes, so both backends hold the same passage ids: map relevance once.
    qrels = map_evidence(task, stores["sqlite"])
    claims = [c for c in task.claims if relevant_passages(c, qrels)]
    vectors = embedder.embed([c.text for c in claims])
    variants = [("SQLite", "FTS5 bm25()", stores["sqlite"]),
                ("PostgreSQL", "BM25 from stored term statistics (shipped)", stores["postgresql"]),
                ("PostgreSQL", "ts_rank, normalization 0 (PostgreSQL default)", TsRankStore(stores["postgresql"], 0)),
                ("PostgreSQL", "ts_rank, normalization 1 (÷ 1 + log length)", TsRankStore(stores["postgresql"], 1))]
    rows = []
    for backend, ranking, store in variants:
        retriever = Retriever(store, embedder)
        for mode in (SearchMode.BM25, SearchMode.HYBRID):
            options = SearchOptions(mode=mode)  # shipped defaults: k=10, MMR 0.7, caps
            started = time.perf_counter()
            rankings = [[h.passage.passage_id for h in
                         retriever.search_vec(c.text, None if mode == SearchMode.BM25 else v, options)]
                        for c, v in zip(claims, vectors)]
            ms = (time.perf_counter() - started) * 1000 / len(claims)
            s = score_rankings(claims, rankings, qrels)
            rows.append((backend, ranking, mode.value, s.ndcg10, s.recall5, s.mrr10, ms))
    counts = stores["sqlite"].counts()
    assert counts == stores["postgresql"].counts(), (counts, stores["postgresql"].counts())
    for store in stores.values():
        store.close()
    print(f"\nIngest with MiniLM: SQLite {seconds['sqlite']:.0f} s (embedding included), PostgreSQL "
          f"{seconds['postgresql']:.0f} s (same vectors from the cache: store time only) for "
          f"{counts['passages']} passages")
    print(f"\n### Climate-FEVER retrieval — {len(claims)} of {len(task.claims)} dev claims scored, "
          f"{counts['documents']} articles, {counts['passages']} passages in each backend (MiniLM)\n")
    print(table(("backend", "keyword ranking", "mode", "nDCG@10", "Recall@5", "MRR@10", "ms/query"), rows,
                "lllrrrr"))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("eval_root", nargs="?", help="eval folder holding climate-fever/ (default ../shared/eval)")
    ap.add_argument("--pg", help="admin URL of a PostgreSQL server with pgvector (default: start pgserver)")
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--ingest-docs", type=int, default=1500)
    ap.add_argument("--ingest-embedder", default="hashing", choices=["hashing", "minilm"])
    ap.add_argument("--ingest-runs", type=int, default=3)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--sections", default="quality,ingest,scale")
    ap.add_argument("--work", type=Path, default=None, help="folder for SQLite files (default: a temp folder)")
    args = ap.parse_args(argv)
    eval_path = eval_file(args.eval_root)
    if eval_path is None:
        return 0
    pg = PgAdmin(args.pg)
    work = args.work or Path(tempfile.mkdtemp(prefix="citebrief-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print("## SQLite vs PostgreSQL\n")
    print(f"Machine: {machine()}\n\nPostgreSQL: {pg.settings()}")
    sections = set(args.sections.split(","))
    queries = [c.text for c in load_task(eval_path).claims][: args.queries]
    if "quality" in sections:
        bench_quality(eval_path, pg, work)
    if "ingest" in sections:
        bench_ingest(sentence_pool(eval_path.parents[1]), pg, args.ingest_docs, work,
                     args.ingest_embedder, args.ingest_runs)
    if "scale" in sections or "measure" in sections:  # measure: reuse the corpora of an earlier run
        if "scale" in sections:
            sqlite_db, pg_url = build_scale(sentence_pool(eval_path.parents[1]), pg, args.passages, work)
        else:
            sqlite_db, pg_url = str(work / f"scale-{args.passages}.db"), pg.url(f"scale_{args.passages}")
        vectors = get_embedder("minilm").embed(queries)
        bench_latency({"sqlite": sqlite_db, "postgresql": pg_url}, queries, vectors, args.passages)
        bench_recall(pg_url, vectors, args.passages)
        bench_storage({"sqlite": sqlite_db, "postgresql": pg_url}, args.passages)
    print(f"\nLoad average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
