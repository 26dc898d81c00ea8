"""Shared helpers of the retrieval, search-speed and embedding benchmarks (bench/ is not a package).

Machine description, timing statistics, Markdown tables, the eval-data skip rule, and the
Climate-FEVER retrieval task: its corpus (one document per Wikipedia article), its relevance
judgments (mapped onto the passages citebrief actually stored) and the ranking metrics.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO_ROOT.parent / "shared" / "eval"
CLIMATE_FEVER = Path("climate-fever") / "climate-fever-dev.jsonl"
RELEVANT_LABELS = ("SUPPORTS", "REFUTES")


# -- machine, timing, tables ------------------------------------------------------------------------
def machine() -> str:
    """One line describing the machine: cores, CPU model, RAM, Python and library versions."""
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    versions = []
    for name in ("numpy", "torch", "sentence_transformers"):
        mod = sys.modules.get(name)
        if mod is not None:
            versions.append(f"{name} {getattr(mod, '__version__', '?')}")
    import sqlite3
    blas = os.environ.get("OPENBLAS_CORETYPE")
    return (f"{os.cpu_count()} CPU cores ({model}, {platform.machine()}), {ram} RAM, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
            + (", " + ", ".join(versions) if versions else "")
            + (f", OPENBLAS_CORETYPE={blas}" if blas else "")
            + ", load average at start %.2f (other processes share the cores)" % os.getloadavg()[0])


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time in seconds of ``runs`` calls of ``fn``, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation, as numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> str:
    """A Markdown table; ``align`` holds one of 'l'/'r' per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    out = ["| " + " | ".join(headers) + " |",
           "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|"]
    for row in rows:
        out.append("| " + " | ".join(_fmt(v) for v in row) + " |")
    return "\n".join(out)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def eval_file(root: str | Path | None, relative: Path = CLIMATE_FEVER) -> Path | None:
    """The eval file under ``root`` (default ../shared/eval), or None after printing why it is skipped."""
    path = Path(root or DEFAULT_EVAL)
    if path.is_dir():
        path = path / relative
    if not path.is_file():
        print(f"SKIP: evaluation data not found at {path} — pass the eval root "
              f"(the folder holding {relative}) as the first argument.")
        return None
    return path


# -- the Climate-FEVER retrieval task ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Claim:
    """One query: the claim and the evidence ids labelled SUPPORTS or REFUTES for it."""

    claim_id: str
    text: str
    relevant: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Task:
    """Claims, and the article documents (title → evidence sentences in article order)."""

    claims: tuple[Claim, ...]
    articles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (article, ((evidence_id, text), ...))


def _position(evidence_id: str) -> int:
    """The sentence number in "Global warming:14" (its position in the Wikipedia article)."""
    tail = evidence_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 10**9


def load_task(path: Path) -> Task:
    """Read climate-fever-dev.jsonl: every evidence sentence, grouped by article, in article order."""
    claims: list[Claim] = []
    by_article: dict[str, dict[str, str]] = {}
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        row = json.loads(line)
        relevant = []
        for ev in row["evidences"]:
            by_article.setdefault(ev["article"], {})[ev["evidence_id"]] = ev["evidence"]
            if ev["evidence_label"] in RELEVANT_LABELS:
                relevant.append(ev["evidence_id"])
        claims.append(Claim(str(row["claim_id"]), row["claim"], tuple(dict.fromkeys(relevant))))
    articles = tuple(
        (title, tuple(sorted(sents.items(), key=lambda kv: (_position(kv[0]), kv[0]))))
        for title, sents in sorted(by_article.items()))
    return Task(tuple(claims), articles)


def write_corpus_jsonl(task: Task, folder: Path) -> Path:
    """One JSONL line per article: evidence sentences joined by blank lines (one paragraph each).

    A blank line always ends a sentence in citebrief's splitter, so no passage can cut an evidence
    sentence in two. No outlet is set: the per-outlet cap would otherwise treat all of Wikipedia
    as one source.
    """
    path = folder / "climate-fever-articles.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for title, sents in task.articles:
            fh.write(json.dumps({"title": title, "text": "\n\n".join(t for _, t in sents)}) + "\n")
    return path


@dataclass(frozen=True, slots=True)
class Qrels:
    """Relevance mapped onto stored passages."""

    home: dict[str, str]  # evidence_id → passage_id holding it
    words: dict[str, int]  # passage_id → word count
    lost: tuple[str, ...]  # evidence ids found in no stored passage


def map_evidence(task: Task, store) -> Qrels:
    """Find each evidence sentence's home passage in ``store``.

    Definition: evidence sentence e (normalised as citebrief's cleaner normalises text) is located
    in its article's cleaned document text at span [s, e); its home is the stored passage of that
    document whose span [start, end) overlaps [s, e) the most (with blank-line joins this is the one
    passage containing it whole). A passage is relevant to a claim when it is the home of at least
    one of the claim's SUPPORTS/REFUTES evidence sentences.
    """
    from citebrief.clean import clean_text, normalise
    from citebrief.ids import content_id

    home: dict[str, str] = {}
    lost: list[str] = []
    words: dict[str, int] = {}
    for pid, text in store.execute("SELECT passage_id, text FROM passages"):
        words[pid] = len(text.split())
    for title, sents in task.articles:
        text = clean_text("\n\n".join(t for _, t in sents), title=title)
        doc_id = content_id(text, kind="doc")
        spans = store.execute('SELECT passage_id, start, "end" FROM passages WHERE doc_id=?', (doc_id,))
        cursor = 0
        for evidence_id, sentence in sents:
            needle = re.sub(r"\s+", " ", normalise(sentence)).strip()
            at = text.find(needle, cursor) if needle else -1
            if at < 0 and needle:
                at = text.find(needle)  # the cleaner dropped an adjacent repeat: share its home
            if at < 0 or not spans:
                lost.append(evidence_id)
                continue
            end = at + len(needle)
            cursor = max(cursor, end)
            best = max(spans, key=lambda r: min(r[2], end) - max(r[1], at))
            if min(best[2], end) - max(best[1], at) <= 0:
                lost.append(evidence_id)
                continue
            home[evidence_id] = best[0]
    return Qrels(home, words, tuple(lost))


@dataclass(frozen=True, slots=True)
class Scores:
    """Mean metrics over the scored claims."""

    recall5: float
    mrr10: float
    ndcg10: float
    ev_recall_500w: float  # share of relevant evidence sentences read within the first 500 words
    queries: int


def relevant_passages(claim: Claim, qrels: Qrels) -> set[str]:
    """The stored passages relevant to ``claim``."""
    return {qrels.home[e] for e in claim.relevant if e in qrels.home}


def score_rankings(claims: Sequence[Claim], rankings: Sequence[Sequence[str]], qrels: Qrels,
                   budget_words: int = 500) -> Scores:
    """Recall@5, MRR@10 and binary nDCG@10 over claims with ≥ 1 relevant stored passage.

    Recall@5 = |relevant ∩ top 5| / |relevant|. nDCG@10 = Σ rel_i / log2(i + 1) over the top 10,
    divided by the same sum for an ideal ranking of min(10, |relevant|) relevant passages.
    The evidence recall within 500 words compares passage sizes fairly: it reads hits in order
    until 500 words are read (always at least one hit) and counts the relevant evidence sentences
    whose home passage was read.
    """
    r5, mrr, ndcg, evr = [], [], [], []
    for claim, ranking in zip(claims, rankings):
        rel = relevant_passages(claim, qrels)
        if not rel:
            continue
        top = list(ranking[:10])
        r5.append(len(rel & set(top[:5])) / len(rel))
        first = next((i for i, pid in enumerate(top, start=1) if pid in rel), None)
        mrr.append(1 / first if first else 0.0)
        dcg = sum(1 / math.log2(i + 1) for i, pid in enumerate(top, start=1) if pid in rel)
        ideal = sum(1 / math.log2(i + 1) for i in range(1, min(10, len(rel)) + 1))
        ndcg.append(dcg / ideal)
        read, used = set(), 0
        for pid in ranking:
            if read and used + qrels.words.get(pid, 0) > budget_words:
                break
            read.add(pid)
            used += qrels.words.get(pid, 0)
        evs = [e for e in claim.relevant if e in qrels.home]
        evr.append(sum(qrels.home[e] in read for e in evs) / len(evs))
    mean = statistics.fmean
    return Scores(mean(r5), mean(mrr), mean(ndcg), mean(evr), len(r5))


# -- the synthetic corpus of bench_search_speed.py --------------------------------------------------
_EVIDENCE_RE = re.compile(r"^\s*\[\d+\]\s*\S*\s*\n+(.*)$", re.S)


def sentence_pool(root: Path) -> list[str]:
    """Real sentences (5–60 words) from the eval sets under ``root``, sorted so the pool is stable."""
    from citebrief.split import split_sentences

    pool: set[str] = set()

    def add_text(text: str) -> None:
        for s, e in split_sentences(text):
            sentence = " ".join(text[s:e].split())
            if 5 <= len(sentence.split()) <= 60:
                pool.add(sentence)

    for line in open(root / CLIMATE_FEVER, encoding="utf-8"):
        for ev in json.loads(line)["evidences"]:
            add_text(ev["evidence"])
    for name in ("rand_val.jsonl", "domain_val.jsonl"):
        path = root / "expertqa" / name
        for line in open(path, encoding="utf-8") if path.is_file() else ():
            for answer in json.loads(line)["answers"].values():
                for claim in answer.get("claims") or []:
                    for ev in claim.get("evidence") or []:
                        match = _EVIDENCE_RE.match(ev)
                        if match:
                            add_text(match.group(1))
    truth = root / "article-extraction" / "ground-truth.json"
    if truth.is_file():
        for page in json.loads(truth.read_text(encoding="utf-8")).values():
            add_text(page.get("articleBody") or "")
    return sorted(pool)


def first_claims(root: Path, n: int) -> list[str]:
    """The first ``n`` Climate-FEVER claims (the query set of the speed benchmark)."""
    out: list[str] = []
    for line in open(root / CLIMATE_FEVER, encoding="utf-8"):
        if len(out) == n:
            break
        out.append(json.loads(line)["claim"])
    return out


def latency_stats(samples_by_run: Sequence[Sequence[float]]) -> dict[str, float]:
    """p50 and p95 in ms of each run's samples (seconds), then the median of each over the runs."""
    p50 = sorted(percentile(s, 50) for s in samples_by_run)
    p95 = sorted(percentile(s, 95) for s in samples_by_run)
    return {"p50": p50[len(p50) // 2] * 1000, "p95": p95[len(p95) // 2] * 1000}
