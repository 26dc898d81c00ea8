"""Search latency at 10k / 100k / 1M passages: hybrid p50/p95, where the time goes, peak RSS, and the
in-memory numpy dense search against ANN indexes (faiss IVF-Flat, usearch HNSW).

Synthetic stores (built once, cached under --cache): each passage joins 5 random sentences (~110
words) from a pool of real ones (Climate-FEVER and ExpertQA evidence, article-extraction bodies);
10 passages a document, 50 outlets. Vector i = normalise(a·B[x] + (1−a)·B[y] + N(0, 0.02²)),
a ~ U(0.5, 1), B = real MiniLM embeddings of the first 3,000 passages. Rows go in by bulk SQL into a
store migrated by SQLiteStore itself (FTS5 filled by 'rebuild'; doc_bands empty: search never reads
it). Queries: the first --queries Climate-FEVER claims, embedded for real. Each size is measured in
a fresh child process, so its peak RSS is its own.

    .venv/bin/python bench/bench_search_speed.py [EVAL_ROOT] [--sizes N,N] [--ann-sizes N,N] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (eval_file, first_claims, latency_stats, machine, peak_rss_mib,  # noqa: E402
                     sentence_pool, table)

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "citebrief-bench" / "speed"
GENERATOR = "v1"  # bump when the generator changes so cached stores are rebuilt
SENTENCES_PER_PASSAGE = 5
PASSAGES_PER_DOC = 10
BASE_VECTORS = 3000

def base_vectors(pool: list[str], picks: np.ndarray, cache: Path) -> np.ndarray:
    """Real MiniLM embeddings of the first 3,000 synthetic passages (cached)."""
    path = cache / f"base-{GENERATOR}-{len(pool)}.npy"
    if path.is_file():
        return np.load(path)
    from citebrief.embed import get_embedder

    texts = [" ".join(pool[i] for i in row) for row in picks[:BASE_VECTORS]]
    vectors = get_embedder("minilm").embed(texts)
    np.save(path, vectors)
    return vectors


def synthetic_vectors(base: np.ndarray, start: int, n: int, seed: int = 1) -> np.ndarray:
    """Vectors of passages start..start+n (deterministic per chunk start)."""
    rng = np.random.default_rng([seed, start])
    x, y = rng.integers(0, len(base), size=n), rng.integers(0, len(base), size=n)
    a = rng.uniform(0.5, 1.0, size=(n, 1)).astype(np.float32)
    v = a * base[x] + (1 - a) * base[y] + rng.normal(0, 0.02, size=(n, base.shape[1])).astype(np.float32)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _document(d0: int, passages: list[list[str]]) -> tuple[tuple, list[tuple], list[tuple]]:
    """Rows of one synthetic document whose first passage is number ``d0``: document, passages, sentences."""
    from citebrief.ids import content_id

    texts = [" ".join(sents) for sents in passages]
    text = "\n\n".join(texts)
    doc_id, d = content_id(text, kind="doc"), d0 // PASSAGES_PER_DOC
    doc = (doc_id, f"synthetic:{d}", None, f"Document {d}", f"outlet-{d % 50}", None,
           f"20{10 + d % 15:02d}-{1 + d % 12:02d}-{1 + d % 28:02d}", "en", "2025-01-01T00:00:00+00:00",
           content_id(d, kind="raw"), text, None, "[]")
    prows, srows, offset = [], [], 0
    for ordinal, (sents, body) in enumerate(zip(passages, texts)):
        pid = content_id({"doc": doc_id, "start": offset, "end": offset + len(body), "text": body}, kind="passage")
        prows.append((d0 + ordinal + 1, pid, doc_id, ordinal, offset, offset + len(body), body))
        for sentence in sents:
            srows.append((doc_id, len(srows), pid, offset, offset + len(sentence)))
            offset += len(sentence) + 1
        offset += 1  # "\n\n" between passages: one more than the space after the last sentence
    return doc, prows, srows


def build_store(path: Path, n: int, pool: list[str], picks: np.ndarray, base: np.ndarray) -> float:
    """Write a store of ``n`` passages with bulk SQL; returns the build time in seconds."""
    import sqlite3

    from citebrief.store.base import Fingerprint
    from citebrief.store.sqlite import SQLiteStore

    start = time.perf_counter()
    for suffix in ("", "-wal", "-shm", ".partial", ".partial-wal", ".partial-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    partial = Path(f"{path}.partial")
    store = SQLiteStore(str(partial))  # runs the real migrations
    store.set_fingerprint(Fingerprint("rules-v1", 100, "minilm", 384))
    store.close()
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")  # no multi-GB WAL during the bulk load
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute("BEGIN")
    for doc_start in range(0, n, PASSAGES_PER_DOC * 1000):
        docs, passages, sentences, vectors = [], [], [], []
        block = range(doc_start, min(n, doc_start + PASSAGES_PER_DOC * 1000))
        vecs = synthetic_vectors(base, block.start, len(block))
        for d0 in range(block.start, block.stop, PASSAGES_PER_DOC):
            rows = picks[d0:min(block.stop, d0 + PASSAGES_PER_DOC)]
            doc, ps, ss = _document(d0, [[pool[i] for i in row] for row in rows])
            docs.append(doc)
            passages += ps
            sentences += ss
            vectors += [(p[1], "minilm", vecs[p[0] - 1 - block.start].tobytes()) for p in ps]
        conn.executemany("INSERT INTO documents (doc_id, source, url, title, outlet, author, published, "
                         "language, ingested_at, raw_hash, text, duplicate_of, extra) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", docs)
        conn.executemany('INSERT INTO passages (rowid, passage_id, doc_id, ordinal, start, "end", text) '
                         "VALUES (?,?,?,?,?,?,?)", passages)
        conn.executemany("INSERT INTO sentences VALUES (?,?,?,?,?)", sentences)
        conn.executemany("INSERT INTO vectors VALUES (?,?,?)", vectors)
    conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")  # as SQLiteStore keeps it
    conn.execute("ANALYZE")
    conn.close()
    partial.rename(path)
    return time.perf_counter() - start

def timed(fn, queries: list[str], vectors: np.ndarray, runs: int) -> dict[str, float]:
    """Wall p50/p95 (ms, median over runs) of fn(query, vector) per query, and the CPU-time p50."""
    wall, cpu = [], []
    for _ in range(runs):
        wall.append([]), cpu.append([])
        for q, v in zip(queries, vectors):
            t0, c0 = time.perf_counter(), time.process_time()
            fn(q, v)
            wall[-1].append(time.perf_counter() - t0)
            cpu[-1].append(time.process_time() - c0)
    return latency_stats(wall) | {"cpu_p50": latency_stats(cpu)["p50"]}


def phase_times(store, queries: list[str], vectors: np.ndarray, runs: int) -> dict[str, dict[str, float]]:
    """The phases of Retriever.search_vec (hybrid, defaults), timed one after another as it runs them."""
    from citebrief.fusion import cap_per_key, mmr, rrf
    from citebrief.models import Hit
    from citebrief.search import SearchOptions, _origin_key, _outlet_key

    o = SearchOptions()
    names = ("counts()", "bm25 (FTS5)", "dense (matrix)", "rrf", "passages() fetch",
             "mmr (vectors + mmr)", "caps")
    samples: dict[str, list[list[float]]] = {k: [] for k in names}
    for _ in range(runs):
        per: dict[str, list[float]] = {k: [] for k in names}
        for q, v in zip(queries, vectors):
            t = [time.perf_counter()]
            store.counts(); t.append(time.perf_counter())
            bm = [p for p, _ in store.search_bm25(q, o.candidates, o.filters)]; t.append(time.perf_counter())
            de = [p for p, _ in store.search_dense(v, o.candidates, o.filters)]; t.append(time.perf_counter())
            fused = rrf({"bm25": bm, "dense": de}, k=o.rrf_k); t.append(time.perf_counter())
            data = store.passages([p for p, _, _ in fused]); t.append(time.perf_counter())
            hits = [Hit(data[p][0], data[p][1], s, tuple(sorted(r.items()))) for p, s, r in fused if p in data]
            vecs = store.vectors([h.passage.passage_id for h in hits])
            hits = [hits[i] for i in mmr([h.score for h in hits], vecs, k=len(hits), lam=o.mmr_lambda)]
            t.append(time.perf_counter())
            cap_per_key(hits, [_origin_key, _outlet_key], [o.per_document, o.per_outlet], o.k)
            t.append(time.perf_counter())
            for i, key in enumerate(names):
                per[key].append(t[i + 1] - t[i])
        for key in names:
            samples[key].append(per[key])
    return {k: latency_stats(v) for k, v in samples.items()}


def alternatives(store, queries: list[str], vectors: np.ndarray, runs: int) -> dict:
    """Cheaper variants of the slow phases (not in src/; measured to size the fixes)."""
    from threadpoolctl import threadpool_limits

    from citebrief.store.fts import fts_match

    k = 50
    topk_sql = ("SELECT p.passage_id, s.score FROM (SELECT rowid, -rank AS score FROM passages_fts "
                "WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?) s JOIN passages p ON p.rowid = s.rowid")
    out: dict = {"alt_fts_topk_then_join": timed(lambda q, v: store.execute(topk_sql, (fts_match(q), k)),
                                                 queries, vectors, runs),
                 "alt_exists_instead_of_counts": timed(
                     lambda q, v: store.execute("SELECT EXISTS (SELECT 1 FROM documents)"), queries, vectors, runs)}
    out["alt_fts_same_top"] = float(np.mean([len({r[0] for r in store.execute(topk_sql, (fts_match(q), k))}
                                                 & {p for p, _ in store.search_bm25(q, k)}) / k
                                             for q in queries[:20]]))
    with threadpool_limits(1):  # one BLAS thread: no spinning partner thread on a busy machine
        out["alt_dense_1_thread"] = timed(lambda q, v: store.search_dense(v, k), queries, vectors, runs)
    out["fts_matches_mean"] = float(np.mean([store.execute(
        "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (fts_match(q),))[0][0] for q in queries]))
    return out


def measure(db: Path, queries: list[str], runs: int) -> dict:
    """Latency of each search mode and of each phase of a hybrid search, and peak RSS."""
    from citebrief.embed import get_embedder
    from citebrief.models import SearchMode
    from citebrief.search import Retriever, SearchOptions
    from citebrief.store.sqlite import SQLiteStore

    out: dict = {}
    embedder = get_embedder("minilm")
    embedder.embed(["warm-up"])
    out["rss_model_mib"] = peak_rss_mib()
    store = SQLiteStore(str(db))
    retriever = Retriever(store, embedder)
    vectors = embedder.embed(queries)
    t = time.perf_counter()
    retriever.search_vec(queries[0], vectors[0], SearchOptions())
    out["first_query_s"] = time.perf_counter() - t  # loads the vector matrix
    out["rss_loaded_mib"] = peak_rss_mib()
    out["embed_query"] = timed(lambda q, v: embedder.embed([q]), queries, vectors, runs)
    for mode in SearchMode:
        opts = SearchOptions(mode=mode)
        out[f"search_{mode.value}"] = timed(lambda q, v, o=opts: retriever.search_vec(
            q, None if o.mode == SearchMode.BM25 else v, o), queries, vectors, runs)
    out["search_hybrid_no_mmr"] = timed(lambda q, v: retriever.search_vec(q, v, SearchOptions(mmr_lambda=1.0)),
                                        queries, vectors, runs)
    out["phases"] = phase_times(store, queries, vectors, runs)
    out.update(alternatives(store, queries, vectors, runs))
    out["counts"] = store.counts()
    out["rss_peak_mib"] = peak_rss_mib()
    return out


def _cached(path: Path, make: Callable, save: Callable, load: Callable) -> tuple[object, float]:
    """Load an index saved by an earlier run, or build it (timed) and save it; (index, build s)."""
    stamp = Path(f"{path}.json")
    if path.is_file() and stamp.is_file():
        return load(str(path)), float(json.loads(stamp.read_text())["build_s"])
    start = time.perf_counter()
    index = make()
    seconds = time.perf_counter() - start
    save(index, str(path))
    stamp.write_text(json.dumps({"build_s": seconds}))
    return index, seconds


def measure_ann(db: Path, queries: list[str], runs: int, cache: Path, hnsw_max: int,
                k: int = 10, fetch: int = 50) -> dict:
    """Exact numpy (the store's search_dense) vs faiss IVF-Flat and usearch HNSW: latency, recall@10."""
    import faiss
    from usearch.index import Index

    from citebrief.embed import get_embedder
    from citebrief.store.sqlite import SQLiteStore

    store = SQLiteStore(str(db))
    qv = get_embedder("minilm").embed(queries)
    ids, matrix = store._load_matrix()  # the matrix search_dense scores (private: bench only)
    n, dim = matrix.shape
    exact = [set(np.argsort(-(matrix @ q))[:k].tolist()) for q in qv]
    rows: list[dict] = []

    def run(name: str, search, build_s: float) -> None:
        stats = timed(lambda q, v: search(v), queries, qv, runs)
        recall = float(np.mean([len(set(map(int, search(q)[:k])) & e) / k for q, e in zip(qv, exact)]))
        rows.append({"name": name, "build_s": build_s, "recall": recall, **stats})

    row_of = {pid: i for i, pid in enumerate(ids)}
    run("numpy matrix @ q (store.search_dense, current)",
        lambda q: [row_of[p] for p, _ in store.search_dense(q, fetch)], 0.0)
    nlist = int(2 * np.sqrt(n))  # 632 at 100k, 2,000 at 1M; k-means on 40 vectors a list

    def make_ivf():
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.train(matrix[np.random.default_rng(0).choice(n, min(n, 40 * nlist), replace=False)])
        ivf.add(matrix)
        return ivf
    ivf, build = _cached(cache / f"ivf-{GENERATOR}-{n}-{nlist}.faiss", make_ivf, faiss.write_index, faiss.read_index)
    for nprobe in (8, 32):
        ivf.nprobe = nprobe
        run(f"faiss IVF-Flat nlist={nlist} nprobe={nprobe}", lambda q: ivf.search(q.reshape(1, -1), fetch)[1][0],
            build)
    if n > hnsw_max:
        return {"n": n, "rows": rows, "note": f"usearch HNSW not built above {hnsw_max:,} passages "
                "(--hnsw-max; its build is the slow part on 2 shared cores)"}

    def make_hnsw(path: str | None = None):
        index = Index(ndim=dim, metric="ip", dtype="f32", connectivity=16, expansion_add=128)
        index.load(path) if path else index.add(np.arange(n), matrix, threads=0)
        return index
    hnsw, build = _cached(cache / f"usearch-{GENERATOR}-{n}.usearch", make_hnsw, lambda i, p: i.save(p), make_hnsw)
    for ef in (64, 128):
        hnsw.expansion_search = ef
        run(f"usearch HNSW f32 M=16 ef={ef}", lambda q: hnsw.search(q, fetch, threads=1).keys, build)
    return {"n": n, "rows": rows}

def child(args: argparse.Namespace, root: Path) -> int:
    """The child's side of ``spawn``: measure one store, print the result as one JSON line."""
    queries, db = first_claims(root, args.queries), args.cache / f"speed-{GENERATOR}-{args.child_size}.db"
    print(json.dumps(measure_ann(db, queries, args.runs, args.cache, args.hnsw_max) if args.child == "ann"
                     else measure(db, queries, args.runs)))
    return 0


def spawn(kind: str, size: int, args: argparse.Namespace, root: Path) -> dict:
    """Run one measurement in a fresh interpreter (its own peak RSS); returns its JSON result."""
    flags = {"--child": kind, "--child-size": size, "--queries": args.queries, "--runs": args.runs,
             "--cache": args.cache, "--hnsw-max": args.hnsw_max}
    cmd = [sys.executable, __file__, str(root)] + [str(x) for kv in flags.items() for x in kv]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"child {kind} {size} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", nargs="?", help="the eval folder (holding climate-fever/)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--ann-sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--hnsw-max", type=int, default=100000, help="largest size to build HNSW for")
    parser.add_argument("--child", choices=("measure", "ann"), help=argparse.SUPPRESS)
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = eval_file(args.eval_root)
    if path is None:
        return 0
    root = path.parents[1]
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.child:
        return child(args, root)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    ann_sizes = [int(s) for s in args.ann_sizes.split(",") if s]
    pool = sentence_pool(root)
    picks = np.random.default_rng(0).integers(0, len(pool), size=(max(sizes + ann_sizes), SENTENCES_PER_PASSAGE))
    base = base_vectors(pool, picks, args.cache)
    print("## Search latency — synthetic stores\n")
    print(f"Machine: {machine()}\n")
    print(f"Sentence pool: {len(pool):,} real sentences; {len(first_claims(root, args.queries))} "
          f"Climate-FEVER claims as queries; {args.runs} runs, p50/p95 over queries, median over runs.\n")
    builds, results = [], {}
    for n in sorted(set(sizes + ann_sizes)):
        db = args.cache / f"speed-{GENERATOR}-{n}.db"
        if not db.is_file():
            builds.append((n, build_store(db, n, pool, picks, base), db.stat().st_size / 2**20))
        sys.stdout.flush()
    if builds:
        print(table(("passages", "build s", "file MiB"), builds) + "\n")
    for n in sizes:
        results[n] = spawn("measure", n, args, root)
    print_latency(sizes, results)
    for n in ann_sizes:
        print_ann(spawn("ann", n, args, root))
    return 0


def _cell(result: dict, key: str, digits: int = 1) -> str:
    """'p50 / p95' of a timing entry (a phase when ``key`` starts with 'phase:')."""
    entry = result["phases"][key[6:]] if key.startswith("phase:") else result[key]
    return f"{entry['p50']:.{digits}f} / {entry['p95']:.{digits}f}"


def print_latency(sizes: list[int], results: dict[int, dict]) -> None:
    cols, res = [f"{n:,}" for n in sizes], [results[n] for n in sizes]

    def rows(spec: list[tuple[str, Callable[[dict], str]]]) -> list[tuple]:
        return [(label,) + tuple(fn(r) for r in res) for label, fn in spec]

    print("### Latency, ms p50 / p95\n")
    print(table(("", *cols), rows([(label, lambda r, k=key: _cell(r, k)) for label, key in (
        ("query embedding (MiniLM, 1 query)", "embed_query"),
        ("hybrid search (defaults), excl. embedding", "search_hybrid"),
        ("hybrid without MMR", "search_hybrid_no_mmr"),
        ("bm25 mode", "search_bm25"), ("dense mode", "search_dense"))]
        + [("hybrid search, CPU time (all threads) p50", lambda r: f"{r['search_hybrid']['cpu_p50']:.1f}")])))
    print("\n### Where a hybrid search's time goes (ms p50 / p95 per phase)\n")
    print(table(("phase", *cols), rows(
        [(k, lambda r, k=k: _cell(r, "phase:" + k)) for k in res[0]["phases"]]
        + [("alt: FTS5 ORDER BY rank LIMIT 50 in a subquery, join the 50 after",
            lambda r: _cell(r, "alt_fts_topk_then_join")),
           ("alt: same top-50 as search_bm25 (share)", lambda r: f"{r['alt_fts_same_top']:.3f}"),
           ("alt: dense matrix product with 1 BLAS thread", lambda r: _cell(r, "alt_dense_1_thread")),
           ("alt: SELECT EXISTS(...) instead of counts()", lambda r: _cell(r, "alt_exists_instead_of_counts", 2)),
           ("passages matching the FTS query (mean)", lambda r: f"{r['fts_matches_mean']:,.0f}")])))
    print("\n### Memory and cold start\n")
    print(table(("", *cols), rows([
        ("RSS after loading MiniLM, MiB", lambda r: f"{r['rss_model_mib']:,.0f}"),
        ("peak RSS after first search (matrix loaded), MiB", lambda r: f"{r['rss_loaded_mib']:,.0f}"),
        ("peak RSS at the end, MiB", lambda r: f"{r['rss_peak_mib']:,.0f}"),
        ("first search incl. matrix load, s", lambda r: f"{r['first_query_s']:.2f}")])))


def print_ann(result: dict) -> None:
    print(f"\n### Dense top-50 at {result['n']:,} passages: exact vs ANN (recall@10 against exact)\n")
    print(table(("index", "build s", "p50 ms", "p95 ms", "recall@10"),
                [(r["name"], r["build_s"], r["p50"], r["p95"], r["recall"]) for r in result["rows"]]))
    if result.get("note"):
        print(f"\n{result['note']}.")


if __name__ == "__main__":
    sys.exit(main())
