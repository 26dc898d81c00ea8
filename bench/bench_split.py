"""Sentence splitters side by side: accuracy on hand-labelled cases and sentences per second.

Accuracy is the share of ``bench/split_cases.py`` cases whose sentences come out exactly right.
Speed is sentences produced per second, median of ``--runs`` timed passes, one splitter call per
document as ingest makes them: over the case texts (repeated ``--repeat`` times) and, when the
article-extraction eval set is present, over its 88 true article bodies (real news prose).

    .venv/bin/python bench/bench_split.py [--runs 3] [--repeat 20] [--eval-dir DIR]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed passes; speed is their median")
    parser.add_argument("--repeat", type=int, default=20, help="times the case texts are split per pass")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL,
                        help=f"article-extraction folder for real-prose speed (default: {DEFAULT_EVAL})")
    parser.add_argument("--show-failures", action="store_true",
                        help="list the cases each splitter gets wrong")
    args = parser.parse_args(argv)
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
