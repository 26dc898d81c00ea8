"""Embedding throughput: citebrief ``add`` end to end and its embed call against raw
SentenceTransformer.encode on the same passages, plus int8 / ONNX Runtime variants and what they do
to retrieval quality on the Climate-FEVER task of bench_retrieval.py.

Texts: the passages citebrief makes of the Climate-FEVER article documents (see bench_retrieval.py)
at --passage-words. Variants, timed in the same run and interleaved run by run (so load from other
processes hits all of them alike), median of --runs:
- citebrief add: ``Ingestor.add_paths`` on the JSONL into a fresh temp store (read, clean, split,
  near-duplicate check, embed in flushes of ≥ 256 passages, SQLite writes); the time spent inside
  ``embed`` is measured by a pass-through wrapper.
- MiniLMEmbedder.embed: one call over all texts (batch 64).
- SentenceTransformer.encode from the bundled model dir, batch 32 (its default) and 64.
- torch dynamic int8: ``torch.quantization.quantize_dynamic`` on the nn.Linear layers of a copy.
- ONNX Runtime fp32 and int8 (dynamic weight quantisation): the bundled weights are exported once to
  --cache at bench time (nothing is downloaded); tokenizer, length sorting, batch 64, mean pooling
  and L2 normalisation as sentence-transformers does them.
Quality: every passage of the bench_retrieval store is re-embedded with the variant (a temp copy),
claims too, and dense (no MMR, no caps) and hybrid (shipped defaults) nDCG@10 are compared with fp32.

    .venv/bin/python bench/bench_embed.py [EVAL_ROOT] [--runs 3] [--passage-words 100] [--cache DIR]
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import eval_file, load_task, machine, relevant_passages, table, write_corpus_jsonl  # noqa: E402
from bench_retrieval import DEFAULT_CACHE, build, citebrief_ranker, evaluate  # noqa: E402

from citebrief.embed import get_embedder, l2_normalise, minilm_dir  # noqa: E402
from citebrief.ingest import IngestOptions, Ingestor, prepare  # noqa: E402
from citebrief.models import SearchMode  # noqa: E402
from citebrief.readers import read_jsonl  # noqa: E402
from citebrief.search import SearchOptions  # noqa: E402
from citebrief.split import SplitSettings  # noqa: E402
from citebrief.store import open_store  # noqa: E402

Encode = Callable[[list[str]], np.ndarray]
ADD, INSIDE = "citebrief add (Ingestor end to end)", "  of which inside embed (flushes of ≥ 256 passages)"
RAW = ("SentenceTransformer.encode, batch 32", "SentenceTransformer.encode, batch 64")


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


class FnEmbedder:
    """An Embedder made of an encode function (variants reuse the store's name, "minilm")."""

    name, dim = "minilm", 384

    def __init__(self, fn: Encode) -> None:
        self.fn = fn

    def embed(self, texts: list[str]) -> np.ndarray:
        return l2_normalise(self.fn(list(texts))) if texts else np.zeros((0, self.dim), np.float32)


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


def ingest_once(jsonl: Path, words: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """((wall s, CPU s) of one ``add`` into a fresh temp store, (wall s, CPU s) inside embed)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "embed.db"))
        embedder = TimedEmbedder(get_embedder("minilm"))
        start, cpu = time.perf_counter(), time.process_time()
        Ingestor(store, embedder, IngestOptions(split=SplitSettings(passage_words=words))).add_paths([jsonl])
        total = (time.perf_counter() - start, time.process_time() - cpu)
        store.close()
    return total, (embedder.seconds, embedder.cpu)


def time_variants(jsonl: Path, texts: list[str], variants: dict[str, Encode], *, words: int,
                  runs: int) -> dict[str, list[tuple[float, float]]]:
    """(wall s, CPU s) of every variant, run by run; the variants interleave within each run."""
    for fn in variants.values():
        fn(texts[:64])  # warm-up (first-call allocations, ORT session init)
    times: dict[str, list[tuple[float, float]]] = {ADD: [], INSIDE: [], **{name: [] for name in variants}}
    for _ in range(runs):
        total, inside = ingest_once(jsonl, words)
        times[ADD].append(total)
        times[INSIDE].append(inside)
        for name, fn in variants.items():
            start, cpu = time.perf_counter(), time.process_time()
            fn(texts)
            times[name].append((time.perf_counter() - start, time.process_time() - cpu))
    return times


def print_speed(times: dict[str, list[tuple[float, float]]], texts: list[str], words: int, runs: int) -> None:
    """The throughput table: wall and CPU medians, each relative to the faster raw encode."""
    wall = {name: statistics.median(w for w, _ in v) for name, v in times.items()}
    cpu = {name: statistics.median(c for _, c in v) for name, v in times.items()}
    raw = min(RAW, key=lambda name: cpu[name])
    print(f"{len(texts)} passages (passage_words={words}, mean {np.mean([len(t.split()) for t in texts]):.0f} "
          f"words); median of {runs} runs. Relative columns compare with the faster raw encode ({raw}) by "
          "CPU time (process, all threads), which other processes on the cores disturb far less than "
          "wall time.\n")
    print(table(("variant", "passages/s (wall)", "wall s", "CPU s", "CPU vs raw", "wall vs raw"),
                [(name, len(texts) / wall[name], wall[name], cpu[name], f"{(cpu[name] / cpu[raw] - 1) * 100:+.0f}%",
                  f"{(wall[name] / wall[raw] - 1) * 100:+.0f}%") for name in times]))


def st_encoder(model, batch: int) -> Encode:
    return lambda texts: model.encode(texts, batch_size=batch, convert_to_numpy=True,
                                      normalize_embeddings=True, show_progress_bar=False)


def int8_model(model):
    """A copy of the SentenceTransformer with its nn.Linear layers dynamically quantised to int8."""
    import torch

    return torch.quantization.quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8)


def onnx_encoders(model, cache: Path) -> dict[str, Encode]:
    """ONNX Runtime fp32 and int8 encoders (exported from the bundled weights once, then cached)."""
    try:
        import onnxruntime as ort
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        print(f"<!-- ONNX Runtime variants skipped: {exc} -->")
        return {}
    cache.mkdir(parents=True, exist_ok=True)
    fp32, int8 = cache / "minilm-fp32.onnx", cache / "minilm-int8.onnx"
    tokenizer, max_len = model.tokenizer, model.max_seq_length
    if not fp32.is_file():
        class Wrapped(torch.nn.Module):  # keyword call: BertModel.forward's positional order varies
            def __init__(self, bert) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                                 token_type_ids=token_type_ids).last_hidden_state

        bert = Wrapped(model[0].auto_model).eval()
        sample = tokenizer(["an example sentence"], return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "seq"} for n in names} | {"last_hidden_state": {0: "batch", 1: "seq"}}
        with torch.no_grad():
            torch.onnx.export(bert, (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                              str(fp32), input_names=names, output_names=["last_hidden_state"],
                              dynamic_axes=axes, opset_version=17, dynamo=False)
    if not int8.is_file():
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1

    def encoder(path: Path) -> Encode:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

        def encode(texts: list[str], batch: int = 64) -> np.ndarray:
            order = np.argsort([-len(t) for t in texts], kind="stable")  # as sentence-transformers
            out = np.zeros((len(texts), 384), dtype=np.float32)
            for i in range(0, len(texts), batch):
                idx = order[i:i + batch]
                enc = tokenizer([texts[j] for j in idx], padding=True, truncation=True,
                                max_length=max_len, return_tensors="np")
                feeds = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
                hidden = session.run(None, feeds)[0]
                mask = feeds["attention_mask"][..., None].astype(np.float32)
                out[idx] = (hidden * mask).sum(1) / np.clip(mask.sum(1), 1e-9, None)
            return l2_normalise(out)
        return encode
    return {"ONNX Runtime fp32": encoder(fp32), "ONNX Runtime int8 (dynamic)": encoder(int8)}


def quality(fn: Encode | None, store_path: Path, task, words: int) -> tuple[float, float]:
    """(dense nDCG@10, hybrid nDCG@10) with every vector of a temp store copy made by ``fn``
    (None: the vectors ``add`` stored, with MiniLMEmbedder)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy_path = Path(tmp) / "q.db"
        src = open_store(str(store_path))
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        src.close()
        shutil.copy(store_path, copy_path)
        embedder = FnEmbedder(fn) if fn else get_embedder("minilm")
        if fn is not None:
            store = open_store(str(copy_path))
            rows = store.execute("SELECT passage_id, text FROM passages ORDER BY rowid")
            store.reset_vectors()
            store.add_vectors([r[0] for r in rows], embedder.embed([r[1] for r in rows]), "minilm")
            store.close()
        built = build(task, words, Path(tmp), db_name="q.db")
        claims = [c for c in task.claims if relevant_passages(c, built.qrels)]
        vectors = embedder.embed([c.text for c in claims])
        dense = SearchOptions(mode=SearchMode.DENSE, mmr_lambda=1.0, per_document=0, per_outlet=0)
        scores = [evaluate("", citebrief_ranker(built, embedder, o), claims, vectors, built.qrels)[1].ndcg10
                  for o in (dense, SearchOptions())]
        built.corpus.close()
    return scores[0], scores[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", nargs="?", help="eval folder holding climate-fever/ (or the .jsonl)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passage-words", type=int, default=100)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--no-quality", action="store_true", help="skip the retrieval-quality check")
    parser.add_argument("--articles", type=int, default=0, help="time on the first N articles only (0 = all)")
    args = parser.parse_args(argv)
    path = eval_file(args.eval_root)
    if path is None:
        return 0
    import torch
    from sentence_transformers import SentenceTransformer

    task = load_task(path)
    model = SentenceTransformer(str(minilm_dir()), device="cpu", local_files_only=True)
    embedder = get_embedder("minilm")
    variants: dict[str, Encode] = {
        "MiniLMEmbedder.embed (one call)": embedder.embed,
        "SentenceTransformer.encode, batch 32": st_encoder(model, 32),
        "SentenceTransformer.encode, batch 64": st_encoder(model, 64),
        "torch dynamic int8 (quantize_dynamic Linear)": st_encoder(int8_model(model), 64),
    }
    variants.update(onnx_encoders(model, args.cache / "onnx"))
    print("## Embedding throughput — citebrief add vs raw sentence-transformers\n")
    print(f"Machine: {machine()}; torch threads {torch.get_num_threads()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        subset = replace(task, articles=task.articles[:args.articles]) if args.articles else task
        jsonl = write_corpus_jsonl(subset, Path(tmp))
        texts = passage_texts(jsonl, args.passage_words)
        times = time_variants(jsonl, texts, variants, words=args.passage_words, runs=args.runs)
    print_speed(times, texts, args.passage_words, args.runs)
    if args.no_quality:
        return 0
    store_path = build(task, args.passage_words, args.cache).corpus.store.location
    print(f"\n### Retrieval quality with each variant's vectors (Climate-FEVER, passage_words="
          f"{args.passage_words}, nDCG@10)\n")
    base = quality(None, Path(store_path), task, args.passage_words)
    qrows = [("fp32 (MiniLMEmbedder, as stored by add)", base[0], base[1], "", "")]
    for name in [n for n in variants if "int8" in n]:  # ORT fp32 gives the fp32 vectors (cos ≥ 0.99999)
        d, h = quality(variants[name], Path(store_path), task, args.passage_words)
        qrows.append((name, d, h, f"{(d / base[0] - 1) * 100:+.2f}%", f"{(h / base[1] - 1) * 100:+.2f}%"))
    print(table(("vectors", "dense nDCG@10", "hybrid nDCG@10", "Δ dense", "Δ hybrid"), qrows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
