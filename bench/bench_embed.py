"""Embedding throughput: citebrief's torch-free MiniLM runtime (ONNX Runtime) against torch
(sentence-transformers) on the same texts in one run, and ``citebrief add`` on the 88 dev pages with
each runtime.

1. Raw encode, Climate-FEVER passages (the bench_retrieval.py corpus at --passage-words), median of
   --runs, variants interleaved run by run (so load from other processes hits all alike):
   - citebrief add (``Ingestor`` end to end into a fresh temp store, default runtime), and the time
     spent inside its ``embed`` calls (a pass-through wrapper);
   - MiniLMEmbedder.embed with the ONNX Runtime runtime (default) and with the torch runtime;
   - SentenceTransformer.encode at batch 32 (its default) and 64: torch as it was used before;
   - with --numpy, a plain numpy forward pass of the same weights (the alternative runtime that was
     measured and not chosen).
   Also the cosine between the ONNX Runtime and sentence-transformers vectors of every passage.
2. ``citebrief add PAGES`` in a subprocess per run (whole command: start-up, model load, read,
   clean, split, embed, store), CITEBRIEF_MINILM_RUNTIME=torch vs onnx alternating: docs/s,
   passages/s, CPU s and the peak RSS of that process (``os.wait4``).

Needs the torch extra for the torch rows (``pip install -e '.[torch,bench]'``); without it they are
skipped.

    .venv/bin/python bench/bench_embed.py [EVAL_ROOT] [--runs 3] [--passage-words 100] [--numpy]
        [--pages ../shared/eval/article-extraction/html] [--skip-add] [--skip-raw]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_EVAL, eval_file, load_task, machine, table, write_corpus_jsonl  # noqa: E402

from citebrief.embed import MiniLMEmbedder, l2_normalise, minilm_dir, read_weights  # noqa: E402
from citebrief.ingest import IngestOptions, Ingestor, prepare  # noqa: E402
from citebrief.minilm import graph_weights, read_safetensors, shape_from_config  # noqa: E402
from citebrief.readers import read_jsonl  # noqa: E402
from citebrief.split import SplitSettings  # noqa: E402
from citebrief.store import open_store  # noqa: E402

Encode = Callable[[list[str]], np.ndarray]
ADD, INSIDE = "citebrief add (Ingestor end to end, ONNX Runtime)", "  of which inside embed"
ORT = "MiniLMEmbedder.embed, ONNX Runtime (default)"
PAGES = Path("article-extraction") / "html"


class TimedEmbedder:
    """Passes ``embed`` through to the real embedder and adds up the time spent in it."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim, self.seconds, self.cpu = inner, inner.name, inner.dim, 0.0, 0.0

    def embed(self, texts: list[str]) -> np.ndarray:
        start, cpu = time.perf_counter(), time.process_time()
        out = self.inner.embed(texts)
        self.seconds += time.perf_counter() - start
        self.cpu += time.process_time() - cpu
        return out


def passage_texts(jsonl: Path, words: int) -> list[str]:
    """The passage texts citebrief makes of the JSONL documents (pure: prepare())."""
    settings = SplitSettings(passage_words=words)
    texts = []
    for raw in read_jsonl(jsonl.read_bytes(), str(jsonl)):
        try:
            texts.extend(p.text for p in prepare(raw, settings).passages)
        except Exception:  # the one article too short to ingest, as add reports it
            continue
    return texts


def ingest_once(jsonl: Path, words: int, embedder) -> tuple[tuple[float, float], tuple[float, float]]:
    """((wall s, CPU s) of one ``add`` into a fresh temp store, (wall s, CPU s) inside embed)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "embed.db"))
        timed = TimedEmbedder(embedder)
        start, cpu = time.perf_counter(), time.process_time()
        Ingestor(store, timed, IngestOptions(split=SplitSettings(passage_words=words))).add_paths([jsonl])
        total = (time.perf_counter() - start, time.process_time() - cpu)
        store.close()
    return total, (timed.seconds, timed.cpu)


def numpy_encoder() -> Encode:
    """all-MiniLM-L6-v2 as a plain numpy forward pass (same weights, tokenizer and batching)."""
    from tokenizers import Tokenizer

    from citebrief.minilm import batches

    path = minilm_dir()
    w = graph_weights(read_safetensors(read_weights(path)), shape_from_config(path))
    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)

    def erf(x: np.ndarray) -> np.ndarray:  # Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7
        t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
        y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
                   + 0.254829592) * t * np.exp(-x * x)
        return np.sign(x) * y

    def norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
        x = x - x.mean(-1, keepdims=True)
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-12) * g + b

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, length = ids.shape
        x = norm(w["word"][ids] + w["position"][:length], w["emb_gamma"], w["emb_beta"]).reshape(n * length, 384)
        bias = ((1.0 - mask) * -1e9).astype(np.float32)[:, None, None, :]
        for i in range(6):
            p = f"l{i}."
            q, k, v = np.split(x @ w[p + "qkv_w"] + w[p + "qkv_b"], 3, axis=1)
            q, k, v = (a.reshape(n, length, 12, 32).transpose(0, 2, 1, 3) for a in (q, k, v))
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(32)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            ctx = ((s / s.sum(-1, keepdims=True)) @ v).transpose(0, 2, 1, 3).reshape(n * length, 384)
            x = norm(x + ctx @ w[p + "out_w"] + w[p + "out_b"], w[p + "ln1_gamma"], w[p + "ln1_beta"])
            h = x @ w[p + "ff1_w"] + w[p + "ff1_b"]
            h = h * 0.5 * (1.0 + erf(h / np.float32(np.sqrt(2))))
            x = norm(x + h @ w[p + "ff2_w"] + w[p + "ff2_b"], w[p + "ln2_gamma"], w[p + "ln2_beta"])
        x = x.reshape(n, length, 384)
        return (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)

    def encode(texts: list[str]) -> np.ndarray:
        enc = tok.encode_batch(texts)
        lengths = [len(e.ids) for e in enc]
        out = np.zeros((len(texts), 384), np.float32)
        for group in batches(lengths, max_batch=64, token_budget=2048):
            width = lengths[group[0]]
            ids = np.zeros((len(group), width), np.int64)
            mask = np.zeros((len(group), width), np.float32)
            for row, i in enumerate(group):
                ids[row, :lengths[i]], mask[row, :lengths[i]] = enc[i].ids, 1
            out[group] = forward(ids, mask)
        return l2_normalise(out)
    return encode


def torch_variants() -> dict[str, Encode]:
    """The torch runtime and raw SentenceTransformer.encode (empty without the torch extra)."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        print(f"<!-- torch rows skipped: {exc} (pip install -e '.[torch]') -->\n")
        return {}
    model = SentenceTransformer(str(minilm_dir()), device="cpu", local_files_only=True)

    def st(batch: int) -> Encode:
        return lambda texts: model.encode(texts, batch_size=batch, convert_to_numpy=True,
                                          normalize_embeddings=True, show_progress_bar=False)
    return {"MiniLMEmbedder.embed, torch runtime": MiniLMEmbedder(runtime="torch").embed,
            "SentenceTransformer.encode, batch 32": st(32), "SentenceTransformer.encode, batch 64": st(64)}


def raw_speed(task, args) -> None:
    """Section 1: the encode variants and citebrief add on the Climate-FEVER passages."""
    onnx = MiniLMEmbedder(runtime="onnx")
    variants: dict[str, Encode] = {ORT: onnx.embed, **torch_variants()}
    if args.numpy:
        variants["numpy forward pass (not chosen)"] = numpy_encoder()
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = write_corpus_jsonl(task, Path(tmp))
        texts = passage_texts(jsonl, args.passage_words)
        for fn in variants.values():
            fn(texts[:64])  # warm-up: first-call allocations
        times: dict[str, list[tuple[float, float]]] = {ADD: [], INSIDE: [], **{n: [] for n in variants}}
        vectors: dict[str, np.ndarray] = {}
        for _ in range(args.runs):
            total, inside = ingest_once(jsonl, args.passage_words, onnx)
            times[ADD].append(total)
            times[INSIDE].append(inside)
            for name, fn in variants.items():
                start, cpu = time.perf_counter(), time.process_time()
                vectors[name] = fn(texts)
                times[name].append((time.perf_counter() - start, time.process_time() - cpu))
    wall = {n: statistics.median(w for w, _ in v) for n, v in times.items()}
    cpu = {n: statistics.median(c for _, c in v) for n, v in times.items()}
    base = "SentenceTransformer.encode, batch 64" if "SentenceTransformer.encode, batch 64" in wall else ORT
    print(f"### Raw encode: {len(texts)} Climate-FEVER passages (passage_words={args.passage_words}, mean "
          f"{np.mean([len(t.split()) for t in texts]):.0f} words), median of {args.runs} runs\n")
    print(f"Relative columns compare with {base}. CPU = process CPU time, all threads.\n")
    print(table(("variant", "passages/s (wall)", "wall s", "CPU s", "CPU vs base", "wall vs base"),
                [(n, len(texts) / wall[n], wall[n], cpu[n], f"{(cpu[n] / cpu[base] - 1) * 100:+.0f}%",
                  f"{(wall[n] / wall[base] - 1) * 100:+.0f}%") for n in times]))
    for name in [n for n in vectors if n != ORT]:
        cos = (vectors[ORT] * vectors[name]).sum(axis=1)
        print(f"\nCosine, ONNX Runtime vs {name}: min {cos.min():.7f}, mean {cos.mean():.7f} over {len(cos)} passages")


def add_once(pages: Path, runtime: str) -> dict[str, float]:
    """One ``citebrief add PAGES`` process: wall s, CPU s, peak RSS MiB, documents, passages."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "pages.db"
        env = {**os.environ, "CITEBRIEF_MINILM_RUNTIME": runtime}
        start = time.perf_counter()
        with open(Path(tmp) / "stderr.txt", "w+b") as err:  # a file: a full pipe would block the child
            proc = subprocess.Popen([sys.executable, "-m", "citebrief", "--db", str(db), "add", str(pages), "-q"],
                                    env=env, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: CPU and peak RSS
            wall = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code
            err.seek(0)
            if code not in (0, 1):  # 1: some page failed to ingest, reported, not fatal
                raise SystemExit(f"citebrief add failed ({runtime}): {err.read().decode(errors='replace')[-2000:]}")
        store = open_store(str(db))
        counts = store.counts()
        store.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024,
            "docs": counts["documents"], "passages": counts["passages"]}


def add_speed(pages_dir: Path, runs: int, runtimes: Sequence[str]) -> None:
    """Section 2: the whole ``citebrief add`` command on the dev pages, each runtime, alternating."""
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for page in sorted(pages_dir.glob("*.html.gz")):
            (pages / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
        for page in sorted(pages_dir.glob("*.html")):
            shutil.copy(page, pages / page.name)
        n = len(list(pages.iterdir()))
        results: dict[str, list[dict[str, float]]] = {r: [] for r in runtimes}
        for _ in range(runs):
            for runtime in runtimes:
                results[runtime].append(add_once(pages, runtime))
    print(f"\n### `citebrief add` on {n} dev pages ({pages_dir}), whole command, median of {runs}\n")
    rows = []
    for runtime, rs in results.items():
        med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        rows.append((f"MiniLM, {runtime} runtime", int(med["docs"]), int(med["passages"]), med["wall"],
                     med["cpu"], med["docs"] / med["wall"], med["passages"] / med["wall"], med["rss"]))
    print(table(("runtime", "documents", "passages", "wall s", "CPU s", "docs/s", "passages/s",
                 "peak RSS MiB"), rows))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", nargs="?", help="eval folder holding climate-fever/ (or the .jsonl)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passage-words", type=int, default=100)
    parser.add_argument("--numpy", action="store_true", help="also time the plain numpy forward pass")
    parser.add_argument("--pages", type=Path, help="folder of dev pages (*.html.gz; default "
                        "EVAL_ROOT/article-extraction/html)")
    parser.add_argument("--skip-raw", action="store_true", help="skip section 1 (raw encode)")
    parser.add_argument("--skip-add", action="store_true", help="skip section 2 (citebrief add on pages)")
    args = parser.parse_args(argv)
    print("## MiniLM runtimes — ONNX Runtime (citebrief) vs torch (sentence-transformers)\n")
    if not args.skip_raw:
        path = eval_file(args.eval_root)
        if path is not None:
            raw_speed(load_task(path), args)  # imports torch when present: machine() then names it
    print(f"\nMachine: {machine()}\n")
    if not args.skip_add:
        args.pages = args.pages or (Path(args.eval_root) / PAGES if args.eval_root else DEFAULT_EVAL / PAGES)
        if not args.pages.is_dir():
            print(f"SKIP: dev pages not found at {args.pages} (--pages)")
            return 0
        has_torch = subprocess.run([sys.executable, "-c", "import sentence_transformers"],
                                   capture_output=True).returncode == 0
        add_speed(args.pages, args.runs, ["torch", "onnx"] if has_torch else ["onnx"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
