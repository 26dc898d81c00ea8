"""Search latency at 10k / 100k / 1M passages, exact against derived indexes side by side in one run:
FTS5 + numpy matrix (the exact path, kept below the index threshold) against tantivy + usearch HNSW
(the derived indexes), with recall@10 against exact, build/load times and peak RSS; bm25s as a peer.

Synthetic stores (built once, cached under --cache): each passage joins 5 random sentences (~110
words) from a pool of real ones (Climate-FEVER and ExpertQA evidence, article-extraction bodies);
10 passages a document, 50 outlets. Vector i = normalise(a·B[x] + (1−a)·B[y] + N(0, 0.02²)),
a ~ U(0.5, 1), B = real MiniLM embeddings of the first 3,000 passages. Rows go in by bulk SQL into a
store migrated by SQLiteStore itself (FTS5 filled by 'rebuild'; doc_bands empty: search never reads
it). Queries: the first --queries Climate-FEVER claims, embedded for real. Each size is measured in
a fresh child process, so its peak RSS is its own; inside it the exact and the indexed store answer
each query in turn (alternating, so load on the machine falls on both alike).

    .venv/bin/python bench/bench_search_speed.py [EVAL_ROOT] [--sizes N,N] [--runs 3] [--peer-max N]
        [--baseline-src DIR]   # DIR/src: an older checkout, timed first in its own process

The derived indexes are built by the store itself on its first search (cached beside the store as
``<db>.index``; the first build's time is kept in ``<db>.index.json``).
"""

from __future__ import annotations

import argparse
import json
import os
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

EXACT = 10**12  # index_min_passages that keeps a store on the exact path
INDEXED = 0  # and the one that sends every unfiltered search through the derived indexes, at any size


def alternating(fns: dict[str, Callable], queries: list[str], vectors: np.ndarray, runs: int) -> dict:
    """Wall p50/p95 (ms, median over runs) and CPU p50 of each fn(query, vector), run in turn per query."""
    wall = {k: [] for k in fns}
    cpu = {k: [] for k in fns}
    for _ in range(runs):
        for k in fns:
            wall[k].append([]), cpu[k].append([])
        for q, v in zip(queries, vectors):
            for k, fn in fns.items():
                t0, c0 = time.perf_counter(), time.process_time()
                fn(q, v)
                wall[k][-1].append(time.perf_counter() - t0)
                cpu[k][-1].append(time.process_time() - c0)
    return {k: latency_stats(wall[k]) | {"cpu_p50": latency_stats(cpu[k])["p50"]} for k in fns}


def phase_times(store, queries: list[str], vectors: np.ndarray, runs: int) -> dict[str, dict[str, float]]:
    """The phases of Retriever.search_vec (hybrid, defaults), timed one after another as it runs them."""
    from citebrief.fusion import rrf
    from citebrief.search import Retriever, SearchOptions

    o, retriever = SearchOptions(), Retriever(store)
    names = ("bm25", "dense", "rrf", "vectors() + mmr", "passages() + caps")
    samples: dict[str, list[list[float]]] = {k: [] for k in names}
    for _ in range(runs):
        per: dict[str, list[float]] = {k: [] for k in names}
        for q, v in zip(queries, vectors):
            t = [time.perf_counter()]
            bm = [p for p, _ in store.search_bm25(q, o.candidates, o.filters)]; t.append(time.perf_counter())
            de = [p for p, _ in store.search_dense(v, o.candidates, o.filters)]; t.append(time.perf_counter())
            fused = rrf({"bm25": bm, "dense": de}, k=o.rrf_k); t.append(time.perf_counter())
            fused = retriever._diversify(fused, o); t.append(time.perf_counter())
            retriever._capped_hits(fused, o); t.append(time.perf_counter())
            for i, key in enumerate(names):
                per[key].append(t[i + 1] - t[i])
        for key in names:
            samples[key].append(per[key])
    return {k: latency_stats(v) for k, v in samples.items()}


def overlap_at(a: list[str], b: list[str], k: int = 10) -> float:
    """|top-k(a) ∩ top-k(b)| / k: recall@k of ``a`` against ``b`` taken as exact."""
    truth = b[:k]
    return len(set(a[:k]) & set(truth)) / max(1, len(truth))


def first_sync(db: Path) -> dict[str, float]:
    """Open the indexed store and time its first BM25 and dense searches (index build, load or catch-up)."""
    from citebrief.store.sqlite import SQLiteStore

    stamp = Path(f"{db}.index.json")
    built = not Path(f"{db}.index").exists()
    store = SQLiteStore(str(db), index_min_passages=INDEXED)
    vector = np.ones(store.execute("SELECT length(vec) / 4 FROM vectors LIMIT 1")[0][0], np.float32)
    t, c = time.perf_counter(), time.process_time()
    store.search_bm25("climate", 10)
    lexical, lexical_cpu = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    store.search_dense(vector, 10)
    dense, dense_cpu = time.perf_counter() - t, time.process_time() - c
    store.close()  # saves the HNSW file
    out = {"lexical_s": lexical, "dense_s": dense, "close_s": time.perf_counter() - t - dense,
           "lexical_cpu_s": lexical_cpu, "dense_cpu_s": dense_cpu}
    if built:
        stamp.write_text(json.dumps(out))
    return out


def measure(db: Path, queries: list[str], runs: int, peer_max: int) -> dict:
    """Exact and indexed stores on the same queries: latency by mode, recall@10, phases, memory."""
    from citebrief.embed import get_embedder
    from citebrief.models import SearchMode
    from citebrief.search import Retriever, SearchOptions
    from citebrief.store.sqlite import SQLiteStore

    out: dict = {"index_build": json.loads(Path(f"{db}.index.json").read_text())}
    embedder = get_embedder("minilm")
    vectors = embedder.embed(queries)
    out["rss_model_mib"] = peak_rss_mib()
    indexed = SQLiteStore(str(db), index_min_passages=INDEXED)
    t = time.perf_counter()
    indexed.search_bm25(queries[0], 10), indexed.search_dense(vectors[0], 10)
    out["index_load_s"] = time.perf_counter() - t  # opens tantivy, reads the HNSW file
    out["rss_indexed_mib"] = peak_rss_mib()
    # Before the exact store exists: its matrix products leave BLAS threads spinning, and when the
    # two alternate that spinning is charged to whichever search runs next.
    alone = Retriever(indexed, embedder)
    out["indexed_alone"] = alternating({"hybrid": lambda q, v: alone.search_vec(q, v, SearchOptions())},
                                       queries, vectors, runs)["hybrid"]
    exact = SQLiteStore(str(db), index_min_passages=EXACT)
    t = time.perf_counter()
    exact.search_dense(vectors[0], 10)
    out["matrix_load_s"] = time.perf_counter() - t
    out["rss_both_mib"] = peak_rss_mib()
    stores = {"exact": exact, "indexed": indexed}
    fns: dict[str, Callable] = {}
    for name, store in stores.items():
        r = Retriever(store, embedder)
        for mode in SearchMode:
            fns[f"{name}_{mode.value}"] = (lambda q, v, r=r, o=SearchOptions(mode=mode):
                                           r.search_vec(q, None if o.mode == SearchMode.BM25 else v, o))
    peer = bm25s_peer(exact, peer_max)
    if peer is not None:
        out["bm25s_build_s"] = peer[0]
        fns["bm25s_top50"] = lambda q, v: peer[1](q, 50)
    out["latency"] = alternating(fns, queries, vectors, runs)
    out["recall"] = recall(stores, queries, vectors, peer[1] if peer else None)
    out["phases_indexed"] = phase_times(indexed, queries, vectors, runs)
    out["phases_exact"] = phase_times(exact, queries, vectors, runs)
    out["passages"] = exact.execute("SELECT count(*) FROM passages")[0][0]
    out["rss_peak_mib"] = peak_rss_mib()
    return out


def recall(stores: dict, queries: list[str], vectors: np.ndarray, peer) -> dict[str, float]:
    """Mean recall@10 of the indexed store's rankings against the exact store's, per mode."""
    from citebrief.models import SearchMode
    from citebrief.search import Retriever, SearchOptions

    exact, indexed = stores["exact"], stores["indexed"]
    out = {"dense": float(np.mean([overlap_at([p for p, _ in indexed.search_dense(v, 50)],
                                              [p for p, _ in exact.search_dense(v, 50)])
                                   for v in vectors])),
           "bm25": float(np.mean([overlap_at([p for p, _ in indexed.search_bm25(q, 50)],
                                             [p for p, _ in exact.search_bm25(q, 50)]) for q in queries]))}
    o = SearchOptions(mode=SearchMode.HYBRID)
    out["hybrid"] = float(np.mean([overlap_at(
        [h.passage.passage_id for h in Retriever(indexed).search_vec(q, v, o)],
        [h.passage.passage_id for h in Retriever(exact).search_vec(q, v, o)]) for q, v in zip(queries, vectors)]))
    if peer:
        out["bm25s"] = float(np.mean([overlap_at(peer(q, 10), [p for p, _ in exact.search_bm25(q, 10)])
                                      for q in queries]))
    return out


def bm25s_peer(store, peer_max: int):
    """bm25s over the same passages (no incremental add: it is rebuilt whole); (build s, search)."""
    n = store.execute("SELECT count(*) FROM passages")[0][0]
    if n > peer_max:
        return None
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    t = time.perf_counter()
    rows = store.execute("SELECT passage_id, text FROM passages ORDER BY rowid")
    ids = [r[0] for r in rows]
    index = bm25s.BM25()
    index.index(bm25s.tokenize([r[1] for r in rows], stopwords="en", stemmer=stemmer, show_progress=False),
                show_progress=False)
    build = time.perf_counter() - t
    del rows

    def search(query: str, k: int) -> list[str]:
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=stemmer, show_progress=False)
        docs, _ = index.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [ids[i] for i in docs[0]]
    return build, search


def measure_ann(db: Path, queries: list[str], runs: int) -> dict:
    """The store's HNSW file searched directly at several ef_search values: latency and recall@10."""
    from usearch.index import Index

    from citebrief.embed import get_embedder
    from citebrief.store.sqlite import SQLiteStore

    store = SQLiteStore(str(db), index_min_passages=EXACT)
    qv = get_embedder("minilm").embed(queries)
    files = sorted(Path(f"{db}.index").glob("*/hnsw-*.usearch"))
    index = Index.restore(str(files[-1]))
    keys = dict(store.execute("SELECT passage_id, rowid FROM vectors"))
    exact = [[keys[p] for p, _ in store.search_dense(q, 10)] for q in qv]
    rows = []
    for ef in (32, 64, 128, 256):
        index.expansion_search = ef
        stats = alternating({"s": lambda q, v: index.search(v, 50, threads=1)}, queries, qv, runs)["s"]
        found = [list(map(int, index.search(q, 50, threads=1).keys)) for q in qv]
        rows.append({"ef": ef, "recall": float(np.mean([overlap_at(f, e) for f, e in zip(found, exact)])),
                     **stats})
    return {"n": len(keys), "rows": rows}


def measure_baseline(db: Path, queries: list[str], runs: int) -> dict:
    """Hybrid search (defaults) with whatever citebrief is first on sys.path: --baseline-src puts an
    older checkout there (``git archive COMMIT src | tar -x -C DIR``) to time the code before."""
    import citebrief
    from citebrief.embed import get_embedder
    from citebrief.search import Retriever, SearchOptions
    from citebrief.store.sqlite import SQLiteStore

    embedder = get_embedder("minilm")
    vectors = embedder.embed(queries)
    retriever = Retriever(SQLiteStore(str(db)), embedder)
    retriever.search_vec(queries[0], vectors[0], SearchOptions())  # loads the matrix
    stats = alternating({"hybrid": lambda q, v: retriever.search_vec(q, v, SearchOptions())},
                        queries, vectors, runs)["hybrid"]
    return stats | {"code": str(Path(citebrief.__file__).parents[1])}


def child(args: argparse.Namespace, root: Path) -> int:
    """The child's side of ``spawn``: measure one store, print the result as one JSON line."""
    queries, db = first_claims(root, args.queries), args.cache / f"speed-{GENERATOR}-{args.child_size}.db"
    if args.child == "baseline":
        print(json.dumps(measure_baseline(db, queries, args.runs)))
    elif args.child == "sync":
        print(json.dumps(first_sync(db)))
    elif args.child == "ann":
        print(json.dumps(measure_ann(db, queries, args.runs)))
    else:
        print(json.dumps(measure(db, queries, args.runs, args.peer_max)))
    return 0


def spawn(kind: str, size: int, args: argparse.Namespace, root: Path) -> dict:
    """Run one measurement in a fresh interpreter (its own peak RSS); returns its JSON result."""
    flags = {"--child": kind, "--child-size": size, "--queries": args.queries, "--runs": args.runs,
             "--cache": args.cache, "--peer-max": args.peer_max}
    cmd = [sys.executable, __file__, str(root)] + [str(x) for kv in flags.items() for x in kv]
    env = None
    if kind == "baseline":  # the older code first on the path, ahead of the installed package
        env = {**os.environ, "PYTHONPATH": str(Path(args.baseline_src).resolve() / "src")}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"child {kind} {size} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", nargs="?", help="the eval folder (holding climate-fever/)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--peer-max", type=int, default=100000, help="largest size to build bm25s for")
    parser.add_argument("--baseline-src", help="a folder holding an older checkout's src/ to time beside")
    parser.add_argument("--child", choices=("measure", "ann", "sync", "baseline"), help=argparse.SUPPRESS)
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
    pool = sentence_pool(root)
    picks = np.random.default_rng(0).integers(0, len(pool), size=(max(sizes), SENTENCES_PER_PASSAGE))
    base = base_vectors(pool, picks, args.cache)
    print("## Search latency — synthetic stores, exact against derived indexes\n")
    print(f"Machine: {machine()}\n")
    print(f"Sentence pool: {len(pool):,} real sentences; {len(first_claims(root, args.queries))} "
          f"Climate-FEVER claims as queries; {args.runs} runs, p50/p95 over queries, median over runs.\n")
    builds, syncs, results, anns = [], {}, {}, {}
    for n in sizes:
        db = args.cache / f"speed-{GENERATOR}-{n}.db"
        if not db.is_file():
            builds.append((n, build_store(db, n, pool, picks, base), db.stat().st_size / 2**20))
        syncs[n] = spawn("sync", n, args, root)
    if builds:
        print(table(("passages", "store build s", "file MiB"), builds) + "\n")
    for n in sizes:
        if args.baseline_src:
            results.setdefault("baseline", {})[n] = spawn("baseline", n, args, root)
        results[n] = spawn("measure", n, args, root)
        anns[n] = spawn("ann", n, args, root)
    if args.baseline_src:
        print_baseline(sizes, results.pop("baseline"), results)
    print_latency(sizes, results)
    print_ann(sizes, anns)
    return 0


def _cell(entry: dict, digits: int = 1) -> str:
    return f"{entry['p50']:.{digits}f} / {entry['p95']:.{digits}f}"


def print_latency(sizes: list[int], results: dict[int, dict]) -> None:
    cols, res = [f"{n:,}" for n in sizes], [results[n] for n in sizes]

    def rows(spec: list[tuple[str, Callable[[dict], str]]]) -> list[tuple]:
        return [(label,) + tuple(fn(r) for r in res) for label, fn in spec]

    def lat(key: str, cpu: bool = False) -> Callable[[dict], str]:
        return lambda r: ("—" if key not in r["latency"] else
                          f"{r['latency'][key]['cpu_p50']:.1f}" if cpu else _cell(r["latency"][key]))

    print("### Latency, ms p50 / p95 (query embedding excluded), exact and indexed in turn per query\n")
    print(table(("", *cols), rows([
        ("hybrid, exact (FTS5 + numpy)", lat("exact_hybrid")),
        ("**hybrid, indexed (tantivy + HNSW)**", lat("indexed_hybrid")),
        ("hybrid CPU p50, exact", lat("exact_hybrid", True)),
        ("hybrid CPU p50, indexed (after each exact search)", lat("indexed_hybrid", True)),
        ("**hybrid, indexed, alone in its process: p50 / p95**", lambda r: _cell(r["indexed_alone"])),
        ("**hybrid CPU p50, indexed, alone in its process**", lambda r: f"{r['indexed_alone']['cpu_p50']:.1f}"),
        ("bm25 mode, exact (FTS5)", lat("exact_bm25")), ("bm25 mode, indexed (tantivy)", lat("indexed_bm25")),
        ("bm25s top-50 (peer, rebuilt whole on change)", lat("bm25s_top50")),
        ("dense mode, exact (numpy)", lat("exact_dense")), ("dense mode, indexed (HNSW)", lat("indexed_dense")),
        ("recall@10 vs exact: hybrid", lambda r: f"{r['recall']['hybrid']:.3f}"),
        ("recall@10 vs exact: dense (HNSW)", lambda r: f"{r['recall']['dense']:.3f}"),
        ("recall@10 vs exact: bm25 (tantivy vs FTS5)", lambda r: f"{r['recall']['bm25']:.3f}"),
        ("recall@10 vs exact: bm25s vs FTS5", lambda r: f"{r['recall'].get('bm25s', float('nan')):.3f}"),
    ])))
    print("\n### Where a hybrid search's time goes, ms p50 / p95 (exact → indexed)\n")
    print(table(("phase", *cols), rows([(k, lambda r, k=k: f"{_cell(r['phases_exact'][k])} → "
                                            f"{_cell(r['phases_indexed'][k])}") for k in res[0]["phases_exact"]])))
    print("\n### Building, loading, memory\n")
    print(table(("", *cols), rows([
        ("tantivy build on first search, s", lambda r: f"{r['index_build']['lexical_s']:.1f}"),
        ("HNSW build on first search, s", lambda r: f"{r['index_build']['dense_s']:.1f}"),
        ("tantivy / HNSW build, CPU s (all threads; recorded since 1M)", lambda r: "—"
         if "dense_cpu_s" not in r["index_build"]
         else f"{r['index_build']['lexical_cpu_s']:.0f} / {r['index_build']['dense_cpu_s']:.0f}"),
        ("HNSW save at close, s", lambda r: f"{r['index_build']['close_s']:.1f}"),
        ("bm25s build (peer), s", lambda r: f"{r['bm25s_build_s']:.1f}" if "bm25s_build_s" in r else "—"),
        ("open + first search, indexed (load), s", lambda r: f"{r['index_load_s']:.2f}"),
        ("first dense search, exact (matrix load), s", lambda r: f"{r['matrix_load_s']:.2f}"),
        ("RSS with MiniLM loaded, MiB", lambda r: f"{r['rss_model_mib']:,.0f}"),
        ("peak RSS after loading the indexes, MiB", lambda r: f"{r['rss_indexed_mib']:,.0f}"),
        ("peak RSS after also loading the matrix, MiB", lambda r: f"{r['rss_both_mib']:,.0f}")])))


def print_baseline(sizes: list[int], before: dict[int, dict], after: dict[int, dict]) -> None:
    code = before[sizes[0]]["code"]
    print(f"### Hybrid search before and after, ms (before: the code in {code})\n")
    print(table(("", *[f"{n:,}" for n in sizes]), [
        ("before: p50 / p95", *[_cell(before[n]) for n in sizes]),
        ("before: CPU p50", *[f"{before[n]['cpu_p50']:.1f}" for n in sizes]),
        ("**after: p50 / p95**", *[_cell(after[n]["indexed_alone"]) for n in sizes]),
        ("**after: CPU p50**", *[f"{after[n]['indexed_alone']['cpu_p50']:.1f}" for n in sizes])]) + "\n")


def print_ann(sizes: list[int], anns: dict[int, dict]) -> None:
    for n in sizes:
        print(f"\n### HNSW (M=16, ef_construction=128) top-50 at {n:,} passages: recall@10 against exact\n")
        print(table(("ef_search", "p50 ms", "p95 ms", "recall@10"),
                    [(r["ef"], r["p50"], r["p95"], r["recall"]) for r in anns[n]["rows"]]))


if __name__ == "__main__":
    sys.exit(main())
