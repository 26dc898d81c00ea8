"""Sentence splitters side by side: accuracy on hand-labelled cases and sentences per second.

Accuracy is the share of ``bench/split_cases.py`` cases whose sentences come out exactly right.
Speed is sentences produced per second, median of ``--runs`` timed passes, one splitter call per
document as ingest makes them: over the case texts (repeated ``--repeat`` times) and, when the
article-extraction eval set is present, over its 88 true article bodies (real news prose).

    .venv/bin/python bench/bench_split.py [--runs 3] [--repeat 20] [--eval-dir DIR]
    .venv/bin/python bench/bench_split.py --hostile [--memory]

``--hostile`` times the large and hostile texts of issue 16 instead: one 2/4/8 MB paragraph
through the splitter, and a 45 MB text without blank lines, a 100 KB ``.md`` of "[" and a 48 MB
one-line JSONL through reading and ``ingest.prepare`` (clean, split, passages, MinHash). CPU
seconds of one run; ``--memory`` adds the traced peak (a second, slower pass under tracemalloc).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from split_cases import CASES  # noqa: E402  (bench/ is not a package)

from citebrief.split import SPLITTERS  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO_ROOT.parent / "shared" / "eval" / "article-extraction"

Splitter = Callable[[str], list[tuple[int, int]]]


def case_accuracy(split: Splitter) -> tuple[float, list[str]]:
    """Share of cases split exactly right, and the texts of the failed ones."""
    failed = [text for text, expected in CASES
              if [text[s:e] for s, e in split(text)] != expected]
    return 1 - len(failed) / len(CASES), failed


def sentences_per_second(split: Splitter, docs: list[str], runs: int) -> float:
    """Sentences produced per second over ``docs`` (median wall time of ``runs`` passes)."""
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = sum(len(split(doc)) for doc in docs)
        times.append(time.perf_counter() - start)
    return count / statistics.median(times)


def load_articles(folder: Path) -> list[str]:
    """True article bodies of the article-extraction set, or [] when it is not there."""
    truth = folder / "ground-truth.json"
    if not truth.is_file():
        return []
    return [item["articleBody"] for item in json.loads(truth.read_text(encoding="utf-8")).values()]


PROSE = ("Officials in Brussels said on Tuesday that the alliance would not issue an invitation this year. "
         "The decision followed weeks of talks among the foreign ministers of the member states. "
         "Several governments cited the risk of escalation with Moscow as their main concern. ")


def _sized(unit: str, mb: float) -> str:
    n = int(mb * 2**20)
    return (unit * (n // len(unit) + 1))[:n]


def _varied_prose(mb: float, seed: int = 1) -> str:
    """Sentences of random words from PROSE: nearly every 4-word shingle is new, as in real text."""
    import random

    rnd, words = random.Random(seed), PROSE.replace(".", "").split()
    parts, size = [], 0
    while size < mb * 2**20:
        part = " ".join(rnd.choice(words) for _ in range(15)).capitalize() + ". "
        parts.append(part)
        size += len(part)
    return "".join(parts)


def hostile_cases() -> list[tuple[str, Callable[[], object]]]:
    """(name, work) for each large or hostile text; ``work`` reads and prepares as ingest does."""
    from citebrief.ingest import prepare
    from citebrief.readers import read_jsonl, read_markdown, read_text
    from citebrief.split import SplitSettings, split_sentences

    def ingest(reader: Callable[[bytes, str], list], data: bytes) -> Callable[[], object]:
        return lambda: [prepare(raw, SplitSettings()) for raw in reader(data, "bench")]

    cases: list[tuple[str, Callable[[], object]]] = []
    for mb in (2, 4, 8):
        text = _sized(PROSE, mb)
        cases.append((f"split_sentences: one {mb} MB paragraph", lambda text=text: split_sentences(text)))
    cases.append(("prepare: 45 MB .txt without blank lines",
                  ingest(read_text, _sized(PROSE.replace(". ", ".\n"), 45).encode())))
    cases.append(("prepare: 100 KB .md of \"[\"",
                  ingest(read_markdown, f"# Notes\n\n{PROSE}\n\n".encode() + b"[" * 100_000)))
    cases.append(("prepare: 48 MB one-line .jsonl",
                  ingest(read_jsonl, json.dumps({"title": "One line", "text": _varied_prose(48)}).encode())))
    return cases


def run_hostile(memory: bool) -> None:
    """Print CPU seconds (and the traced peak with ``memory``) of each hostile case."""
    import tracemalloc

    print("| text | CPU s |" + (" traced peak MB |" if memory else "") + "\n|---|---:|" + ("---:|" if memory else ""))
    for name, work in hostile_cases():
        start = time.process_time()
        work()
        row = f"| {name} | {time.process_time() - start:.2f} |"
        if memory:
            tracemalloc.start()
            work()
            row += f" {tracemalloc.get_traced_memory()[1] / 2**20:,.0f} |"
            tracemalloc.stop()
        print(row, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed passes; speed is their median")
    parser.add_argument("--repeat", type=int, default=20, help="times the case texts are split per pass")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL,
                        help=f"article-extraction folder for real-prose speed (default: {DEFAULT_EVAL})")
    parser.add_argument("--show-failures", action="store_true",
                        help="list the cases each splitter gets wrong")
    parser.add_argument("--hostile", action="store_true",
                        help="time large and hostile texts (issue 16) instead of the cases")
    parser.add_argument("--memory", action="store_true", help="with --hostile: also the traced peak memory")
    args = parser.parse_args(argv)
    if args.hostile:
        run_hostile(args.memory)
        return 0
    if args.runs < 1 or args.repeat < 1:
        parser.error("--runs and --repeat must be at least 1")
    case_docs = [text for text, _ in CASES] * args.repeat
    articles = load_articles(args.eval_dir)
    print(f"{len(CASES)} cases ({sum(len(e) for _, e in CASES)} sentences); speed = median of "
          f"{args.runs} runs, one call per document")
    if not articles:
        print(f"(real-prose speed skipped: {args.eval_dir} not found)")
    header = "| splitter | accuracy | sentences/s (cases) |"
    header += " sentences/s (88 articles) |" if articles else ""
    print("\n" + header + "\n|---|---:|---:|" + ("---:|" if articles else ""))
    failures: dict[str, list[str]] = {}
    for name, split in SPLITTERS.items():
        accuracy, failures[name] = case_accuracy(split)
        row = f"| {name} | {accuracy:.3f} ({len(CASES) - len(failures[name])}/{len(CASES)}) | " \
              f"{sentences_per_second(split, case_docs, args.runs):,.0f} |"
        if articles:
            row += f" {sentences_per_second(split, articles, args.runs):,.0f} |"
        print(row)
    if args.show_failures:
        for name, texts in failures.items():
            print(f"\n{name} fails:" + "".join(f"\n  {text!r}" for text in texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
