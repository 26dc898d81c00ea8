"""Brief latency: wall time of ``Corpus.ask`` per pipeline stage, offline, on a small and a ~100k-passage corpus.

Stages are timed from the ``progress`` callback that ``Corpus.ask`` calls with (stage, detail): a
stage lasts from its first event to the next stage's first event. "setup" is the time from the call
to the first event (store counts, checker construction); the segment after the last "verify" event
("citation recall …") up to "done" is the limits computation plus assembly. The model load
(all-MiniLM-L6-v2, once per process) is timed apart and never included. The first brief on a
corpus is reported apart too ("cold": the store loads its vector matrix, the encoder warms up); the
table gives the median of ``--runs`` further runs of each question.

Corpora:

- ``demo``: ``examples/corpus`` ingested fresh into a temporary SQLite file (34 documents).
- ``large``: about ``--passages`` passages (default 100,000) built synthetically, kept at ``--large-db``
  (default ``/tmp/citebrief-bench-large.db``; built once, reused while its settings match).
  Sentences come from the demo corpus and from the Climate-FEVER evidence sentences
  (``climate-fever/climate-fever-dev.jsonl`` under the eval root; without it only the demo
  sentences are replicated). Each synthetic document draws ~20 sentences — from one demo document
  (2 % of documents, so the demo questions meet many near-relevant copies) or from Climate-FEVER
  articles — and perturbs them (numbers jittered, capitalised names swapped from a pool, hedge
  words inserted, order shuffled). Documents go through the real ``ingest.prepare`` (clean, split,
  MinHash bands) and ``Store.add_document``; near-duplicate linking is skipped. Vectors are not
  computed with MiniLM for every passage (that takes hours on 2 cores): each distinct source
  sentence is embedded once with the real MiniLM; a perturbed copy gets that vector plus Gaussian
  noise (cosine ≈ 0.95 to the original), and a passage gets the L2-normalised mean of its
  sentences' vectors. Everything the brief itself embeds (questions, evidence sentences, the
  verifier's windows) goes through the real model.

    .venv/bin/python bench/bench_brief.py [--corpus demo|large|both] [--runs 3] [--eval-root DIR]
                                          [--passages 100000] [--large-db PATH] [--threads N] [--profile]
                                          [--json PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO_ROOT.parent / "shared" / "eval"
DEMO_CORPUS = REPO_ROOT / "examples" / "corpus"
DEMO_QUESTIONS = (
    "Which NATO countries oppose or are hesitant about Ukraine joining and what security or political "
    "concerns do they cite?",
    "Why did the city council adopt a congestion charge?",
    "What happened during the valley flooding?",
)
LARGE_EXTRA_QUESTIONS = ("Is global warming driving polar bears toward extinction?",)
STAGES = ("setup", "plan", "retrieve", "analyse", "write", "verify", "limits+assemble")
SEED = 20240601
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_CAPITALISED = re.compile(r"(?<=\s)[A-Z][a-z]{3,}\b")
_HEDGES = ("reportedly", "also", "notably", "meanwhile", "according to several accounts", "still")
NOISE_SIGMA = 0.33  # ‖noise‖ ≈ 0.33 on a unit vector: cosine 1/√(1+0.33²) ≈ 0.95 to the original


# -- timing -----------------------------------------------------------------------------------------


class StageClock:
    """A progress callback that records (clock, stage, detail) and turns the events into stage durations.

    ``clock`` is ``time.perf_counter`` (wall) or ``time.process_time`` (CPU of every thread of this
    process: on a loaded machine wall time grows with other processes' work, CPU time much less).
    """

    def __init__(self, clock=time.perf_counter) -> None:
        self.clock = clock
        self.start = clock()
        self.events: list[tuple[float, str, str]] = []

    def __call__(self, stage: str, detail: str) -> None:
        self.events.append((self.clock(), stage, detail))

    def durations(self, end: float) -> dict[str, float]:
        """Seconds per stage: each segment between events is charged to the stage that opened it."""
        out = {"setup": (self.events[0][0] if self.events else end) - self.start}
        marks = self.events + [(end, "end", "")]
        for (t0, stage, detail), (t1, _, _) in zip(marks, marks[1:]):
            if stage == "verify" and detail.startswith("citation recall"):
                stage = "limits+assemble"
            elif stage == "done":
                stage = "limits+assemble"
            out[stage] = out.get(stage, 0.0) + (t1 - t0)
        out["total"] = end - self.start
        return out


class EmbedMeter:
    """Counts what the shared embedder is asked to embed, per pipeline stage (a measuring wrapper only).

    ``get_embedder`` caches one instance per process, so wrapping its ``embed`` once sees every call
    the pipeline and the support checker make.
    """

    def __init__(self, embedder) -> None:
        self.stage = "setup"
        self.calls: list[tuple[str, int, int, float]] = []  # (stage, texts, characters, seconds)
        inner = embedder.embed

        def embed(texts):
            start = time.perf_counter()
            out = inner(texts)
            self.calls.append((self.stage, len(texts), sum(len(t) for t in texts), time.perf_counter() - start))
            return out

        embedder.embed = embed

    def take(self) -> dict[str, dict[str, float]]:
        """Per stage: embedding calls, texts, characters and seconds since the last ``take``."""
        out: dict[str, dict[str, float]] = {}
        for stage, n, chars, secs in self.calls:
            row = out.setdefault(stage, {"calls": 0, "texts": 0, "chars": 0, "seconds": 0.0})
            row["calls"] += 1
            row["texts"] += n
            row["chars"] += chars
            row["seconds"] += secs
        self.calls = []
        return out


METER: EmbedMeter | None = None
CACHE_LABEL = {False: "text-vector cache emptied before each brief (sources no brief has read)",
               True: "text-vector cache kept (the same or a related question again)"}


class TwoClocks:
    """Wall and CPU stage clocks fed by one progress callback (which also tells the meter the stage)."""

    def __init__(self) -> None:
        self.wall, self.cpu = StageClock(time.perf_counter), StageClock(time.process_time)
        if METER is not None:
            METER.stage = "setup"

    def __call__(self, stage: str, detail: str) -> None:
        self.wall(stage, detail)
        self.cpu(stage, detail)
        if METER is not None:
            METER.stage = "limits+assemble" if detail.startswith("citation recall") or stage == "done" else stage


def timed_ask(corpus, question: str) -> tuple[dict[str, float], dict[str, float], Any]:
    """One brief with wall and CPU stage durations (and the meter's record, when one is installed)."""
    clocks = TwoClocks()
    if METER is not None:
        METER.take()
    brief = corpus.ask(question, progress=clocks)
    cpu_end, wall_end = time.process_time(), time.perf_counter()
    return clocks.wall.durations(wall_end), clocks.cpu.durations(cpu_end), brief


def profile_ask(corpus, question: str, top: int = 18) -> str:
    """cProfile of one brief: the functions with the most cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    corpus.ask(question)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# -- the large synthetic corpus ---------------------------------------------------------------------


def demo_documents() -> list[tuple[str, list[str]]]:
    """(title, sentences) of every demo document, read and cleaned as ingest does."""
    from citebrief.clean import clean_text
    from citebrief.readers import iter_inputs, read_file
    from citebrief.split import sentences_of

    docs = []
    for path in iter_inputs([DEMO_CORPUS]):
        if isinstance(path, Exception):
            continue
        for raw in read_file(path):
            if isinstance(raw, Exception):
                continue
            text = clean_text(raw.text, title=raw.title)
            docs.append((raw.title or path.name, [s.text for s in sentences_of("d", text)]))
    return docs


def climate_articles(eval_root: Path) -> list[tuple[str, list[str]]]:
    """(article, evidence sentences) from Climate-FEVER, or [] when the set is absent."""
    path = eval_root / "climate-fever" / "climate-fever-dev.jsonl"
    if not path.is_file():
        return []
    groups: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        for ev in json.loads(line)["evidences"]:
            text = " ".join(ev["evidence"].split())
            if len(text.split()) >= 6 and text not in groups.setdefault(ev["article"], []):
                groups[ev["article"]].append(text)
    return sorted(groups.items())


def perturb(sentence: str, rng: random.Random, names: list[str]) -> str:
    """A slightly different sentence: numbers jittered, a name swapped, a hedge word inserted."""
    out = _NUMBER.sub(lambda m: str(max(1, int(float(m.group()) * rng.uniform(0.7, 1.3))))
                      if rng.random() < 0.5 else m.group(), sentence)
    if names and rng.random() < 0.4:
        found = _CAPITALISED.findall(out)
        if found:
            out = out.replace(rng.choice(found), rng.choice(names), 1)
    if rng.random() < 0.3:
        words = out.split(" ")
        if len(words) > 4:
            words.insert(rng.randrange(1, len(words) - 1), rng.choice(_HEDGES))
            out = " ".join(words)
    return out


def build_large(db: Path, eval_root: Path, target_passages: int, log=print) -> dict[str, Any]:
    """Write the synthetic corpus to ``db``; returns how it was made."""
    from citebrief.embed import get_embedder, l2_normalise
    from citebrief.ingest import prepare
    from citebrief.models import RawDocument
    from citebrief.split import SplitSettings
    from citebrief.store import open_store
    from citebrief.store.base import Fingerprint

    rng = random.Random(SEED)
    noise = np.random.default_rng(SEED)
    demo, climate = demo_documents(), climate_articles(eval_root)
    sources = demo + climate
    distinct = list(dict.fromkeys(s for _, sents in sources for s in sents))
    embedder = get_embedder("minilm")
    begin = time.perf_counter()
    base = dict(zip(distinct, embedder.embed(distinct)))
    embed_s = time.perf_counter() - begin
    log(f"embedded {len(distinct)} distinct source sentences in {embed_s:.0f} s")
    names = sorted({w for s in distinct for w in _CAPITALISED.findall(" " + s)})
    climate_pool = [s for _, sents in climate for s in sents] or [s for _, sents in demo for s in sents]
    settings = SplitSettings()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    store = open_store(str(db))
    store.set_fingerprint(Fingerprint(settings.splitter, settings.passage_words, embedder.name, embedder.dim))
    passages = documents = 0
    begin = time.perf_counter()
    while passages < target_passages:
        n = documents
        if rng.random() < 0.02 or not climate:
            title, sents = demo[rng.randrange(len(demo))]
            chosen = list(sents)
            if len(chosen) > 8:  # drop a few sentences so copies differ
                chosen = [s for s in chosen if rng.random() > 0.15]
        else:
            title, sents = climate[rng.randrange(len(climate))]
            chosen = list(sents) + rng.sample(climate_pool, k=min(len(climate_pool), 20 - min(len(sents), 19)))
            rng.shuffle(chosen)
        pairs = [(perturb(s, rng, names), s) for s in chosen]
        vec_of = {}
        for text, src in pairs:
            v = base[src] + noise.normal(0.0, NOISE_SIGMA / np.sqrt(embedder.dim), embedder.dim)
            vec_of[text] = v / np.linalg.norm(v)
        body = "\n\n".join(" ".join(t for t, _ in pairs[i:i + 4]) for i in range(0, len(pairs), 4))
        raw = RawDocument(source=f"synthetic://{n}", text=body,
                          raw_hash=hashlib.sha256(f"{n}:{body}".encode()).hexdigest(),
                          title=f"{title} ({n})", outlet=f"Outlet {rng.randrange(200)}",
                          published=f"20{rng.randrange(8, 25):02d}-{rng.randrange(1, 13):02d}-"
                                    f"{rng.randrange(1, 29):02d}")
        try:
            prep = prepare(raw, settings)
        except Exception:  # a document the cleaner empties: skip it as ingest would
            continue
        rows = []
        for p in prep.passages:
            inside = [vec_of[t] for t in vec_of if t in p.text]
            rows.append(np.mean(inside, axis=0) if inside else np.mean(list(vec_of.values()), axis=0))
        if store.add_document(prep.doc, prep.passages, l2_normalise(np.stack(rows)), prep.bands, model=embedder.name):
            passages += len(prep.passages)
            documents += 1
        if documents % 2000 == 0:
            log(f"  {documents} documents, {passages} passages, {time.perf_counter() - begin:.0f} s")
    counts = store.counts()
    store.close()
    info = {"target_passages": target_passages, "counts": counts, "distinct_sentences": len(distinct),
            "embed_s": round(embed_s, 1), "write_s": round(time.perf_counter() - begin, 1),
            "climate_articles": len(climate), "demo_documents": len(demo), "seed": SEED}
    Path(str(db) + ".json").write_text(json.dumps(info, indent=1))
    return info


def large_corpus(db: Path, eval_root: Path, target: int, log) -> dict[str, Any]:
    """Reuse ``db`` when it was built with the same target, otherwise build it."""
    meta = Path(str(db) + ".json")
    if db.is_file() and meta.is_file():
        info = json.loads(meta.read_text())
        if info.get("target_passages") == target and info.get("seed") == SEED:
            log(f"reusing {db} ({info['counts']['passages']} passages)")
            return info
    log(f"building {db} (~{target} passages) …")
    return build_large(db, eval_root, target, log)


# -- runs -------------------------------------------------------------------------------------------


def forget_vectors(corpus) -> None:
    """Empty the corpus's cache of embedded texts (``vector_cache``): the next brief starts cold."""
    corpus.store.execute("DELETE FROM text_vectors")


def bench_corpus(corpus, questions: Sequence[str], runs: int, *, cached: bool) -> list[dict[str, Any]]:
    """Cold first brief, then ``runs`` timed briefs per question; per-question stage medians.

    ``cached`` False empties the text-vector cache before every brief (a question about sources
    no brief has read yet); True keeps it, so every run after the first finds its sentences there
    (a repeated or related question).
    """
    results = []
    forget_vectors(corpus)
    cold, cold_cpu, _ = timed_ask(corpus, questions[0])
    for q in questions:
        samples, cpu_samples, brief = [], [], None
        embeds = []
        for _ in range(runs):
            if not cached:
                forget_vectors(corpus)
            d, c, brief = timed_ask(corpus, q)
            samples.append(d)
            cpu_samples.append(c)
            embeds.append(METER.take() if METER is not None else {})
        median = {k: statistics.median(s.get(k, 0.0) for s in samples) for k in (*STAGES, "total")}
        cpu = {k: statistics.median(s.get(k, 0.0) for s in cpu_samples) for k in (*STAGES, "total")}
        results.append({"question": q, "median": median, "cpu": cpu, "runs": samples, "cpu_runs": cpu_samples,
                        "sentences": sum(len(s[1]) for s in brief.sections), "enough": brief.enough_evidence,
                        "metrics": brief.metrics, "embedding": embeds[len(embeds) // 2]})
    results.insert(0, {"question": f"(cold) {questions[0]}", "median": cold, "cpu": cold_cpu, "runs": [cold],
                       "cpu_runs": [cold_cpu], "sentences": None, "enough": None, "metrics": None})
    return results


def print_table(title: str, rows: list[dict[str, Any]], runs: int) -> None:
    """Two Markdown tables, wall and CPU seconds: a row per question, a column per stage."""
    print(f"\n### {title}\n")
    for key, what in (("median", "wall seconds"), ("cpu", "CPU seconds of the process, all threads")):
        print(f"{what}:\n")
        print("| question | " + " | ".join(STAGES) + " | total |")
        print("|---|" + "---:|" * (len(STAGES) + 1))
        for r in rows:
            q = r["question"] if len(r["question"]) <= 60 else r["question"][:57] + "…"
            cells = [f"{r[key].get(s, 0.0):.2f}" for s in STAGES]
            print(f"| {q} | " + " | ".join(cells) + f" | **{r[key]['total']:.2f}** |")
        print()
    print(f"Median of {runs} runs per question after one cold brief (first row, a single run). "
          f"Load average now: {load_average()}.\n")
    print("MiniLM work inside the brief (one of the runs): texts embedded / seconds spent embedding, per stage:\n")
    stages = [s for s in STAGES if any(s in r.get("embedding", {}) for r in rows)]
    if not stages:
        print("none: every text came from the text-vector cache.\n")
        return
    print("| question | " + " | ".join(stages) + " |")
    print("|---|" + "---:|" * len(stages))
    for r in rows[1:]:
        q = r["question"] if len(r["question"]) <= 60 else r["question"][:57] + "…"
        e = r.get("embedding", {})
        cells = [f"{int(e[s]['texts'])} / {e[s]['seconds']:.2f}" if s in e else "–" for s in stages]
        print(f"| {q} | " + " | ".join(cells) + " |")


def load_average() -> str:
    """The 1/5/15-minute load averages (other processes competing for the cores)."""
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine() -> str:
    """CPU count and model, RAM, Python and the model runtime's version."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal"))
        ram = f"{mem / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    try:
        import onnxruntime
        runtime = f"ONNX Runtime {onnxruntime.__version__} ({os.environ.get('OMP_NUM_THREADS') or 'default'} threads)"
    except ImportError:
        runtime = "no ONNX Runtime"
    return f"{os.cpu_count()} CPU cores ({cpu}), {ram}, Python {platform.python_version()}, {runtime}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("demo", "large", "both"), default="both")
    parser.add_argument("--runs", type=int, default=3, help="timed briefs per question (median)")
    parser.add_argument("--eval-root", type=Path, default=DEFAULT_EVAL, help="folder holding climate-fever/")
    parser.add_argument("--passages", type=int, default=100_000, help="size of the large corpus")
    parser.add_argument("--large-db", type=Path, default=Path(tempfile.gettempdir()) / "citebrief-bench-large.db")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one warm brief per corpus")
    parser.add_argument("--json", type=Path, help="also write all timings as JSON")
    parser.add_argument("--threads", type=int, default=0,
                        help="model threads (0: one per core), set as $OMP_NUM_THREADS, which the ONNX Runtime encoder "
                             "reads; 1 gives the steadiest CPU figures on a busy machine")
    args = parser.parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    from citebrief import Corpus
    from citebrief.embed import get_embedder

    global METER
    if args.threads:
        os.environ["OMP_NUM_THREADS"] = str(args.threads)  # (read when the encoder is built, below)
    begin = time.perf_counter()
    METER = EmbedMeter(get_embedder("minilm"))
    load_s = time.perf_counter() - begin
    print(f"## Brief latency (Corpus.ask, extractive writer, offline)\n\nMachine: {machine()}.  ")
    print(f"Model load (all-MiniLM-L6-v2, once per process, excluded below): {load_s:.2f} s. "
          f"Load average at start: {load_average()}.")
    report: dict[str, Any] = {"machine": machine(), "model_load_s": load_s}

    if args.corpus in ("demo", "both"):
        with tempfile.TemporaryDirectory(prefix="bench-brief-") as tmp:
            corpus = Corpus(str(Path(tmp) / "demo.db"), embedder_name="minilm")
            start = time.perf_counter()
            corpus.add([DEMO_CORPUS])
            ingest_s = time.perf_counter() - start
            counts = corpus.store.counts()
            for cached in (False, True):
                rows = bench_corpus(corpus, DEMO_QUESTIONS, args.runs, cached=cached)
                print_table(f"Demo corpus ({counts['documents']} documents, {counts['passages']} passages; "
                            f"ingest {ingest_s:.1f} s), {CACHE_LABEL[cached]}", rows, args.runs)
                report.setdefault("demo", {})["cached" if cached else "uncached"] = rows
            if args.profile:
                print("\n```\n" + profile_ask(corpus, DEMO_QUESTIONS[0]) + "```")
            report["demo"].update(counts=counts, ingest_s=ingest_s)
            corpus.close()

    if args.corpus in ("large", "both"):
        if not (args.eval_root / "climate-fever" / "climate-fever-dev.jsonl").is_file():
            print(f"\nNote: Climate-FEVER not found under {args.eval_root}; the large corpus replicates the "
                  "demo sentences only.")
        info = large_corpus(args.large_db, args.eval_root, args.passages, log)
        corpus = Corpus(str(args.large_db))
        counts = corpus.store.counts()
        report["large"] = {"counts": counts, "build": info}
        for cached in (False, True):
            rows = bench_corpus(corpus, DEMO_QUESTIONS + LARGE_EXTRA_QUESTIONS, args.runs, cached=cached)
            print_table(f"Synthetic large corpus ({counts['documents']:,} documents, {counts['passages']:,} "
                        f"passages, {counts['sentences']:,} sentences; vectors derived from "
                        f"{info['distinct_sentences']:,} real MiniLM sentence embeddings + noise), "
                        f"{CACHE_LABEL[cached]}", rows, args.runs)
            report["large"]["cached" if cached else "uncached"] = rows
        if args.profile:
            forget_vectors(corpus)
            print("\n```\n" + profile_ask(corpus, DEMO_QUESTIONS[0]) + "```")
        corpus.close()

    print("\nGoal: ≤ 3 s per brief offline, model load excluded.")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
