"""Article-extraction quality and speed: citebrief's HTML reader against plain trafilatura.

Data: scrapinghub/article-extraction-benchmark pages (``html/<id>.html.gz`` + ``ground-truth.json``),
read by path from outside the project (default ``../shared/eval/article-extraction`` from the repo
root). Metric: the benchmark's own shingle precision/recall/F1 and exact-token accuracy, computed by
``citebrief.evalmetrics``. Speed: pages per second, median of ``--runs`` timed passes.

    .venv/bin/python bench/bench_extraction.py [EVAL_DIR] [--runs 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import statistics
import sys
import time
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import Callable

from citebrief.clean import clean_text
from citebrief.errors import InputError
from citebrief.evalmetrics import ExtractionScore, extraction_score
from citebrief.readers import read_html

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO_ROOT.parent / "shared" / "eval" / "article-extraction"

Extractor = Callable[[str, bytes], str]


def citebrief_reader(page_id: str, data: bytes) -> str:
    """What ingest stores: read_html, then the boilerplate pass with the page title."""
    try:
        doc = read_html(data, page_id)[0]
    except InputError:
        return ""
    return clean_text(doc.text, title=doc.title)


def citebrief_uncleaned(page_id: str, data: bytes) -> str:
    """read_html alone, to show what clean_text adds."""
    try:
        return read_html(data, page_id)[0].text
    except InputError:
        return ""


def trafilatura_extract(page_id: str, data: bytes) -> str:
    """Plain ``trafilatura.extract`` with default settings (decoding as the reader does)."""
    import trafilatura

    return trafilatura.extract(data.decode("utf-8")) or ""


EXTRACTORS: dict[str, Extractor] = {
    "citebrief (read_html + clean_text)": citebrief_reader,
    "citebrief read_html only": citebrief_uncleaned,
    "trafilatura.extract (defaults)": trafilatura_extract,
}


def load_pages(folder: Path) -> list[tuple[str, bytes, str]]:
    """(id, raw HTML bytes, true article body) for every page of the ground truth."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, item in sorted(truth.items()):
        data = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, data, item.get("articleBody", "")))
    return pages


def run_extractor(extract: Extractor, pages: list[tuple[str, bytes, str]]) -> tuple[list[str], float]:
    """Extract every page once; return the texts and the wall time in seconds."""
    start = time.perf_counter()
    texts = [extract(page_id, data) for page_id, data, _ in pages]
    return texts, time.perf_counter() - start


def measure(pages: list[tuple[str, bytes, str]], runs: int) -> dict[str, tuple[ExtractionScore, float]]:
    """Score each extractor on its first pass; pages/s is the median over ``runs`` passes."""
    times: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    scores: dict[str, ExtractionScore] = {}
    for _ in range(runs):
        for name, extract in EXTRACTORS.items():  # interleaved, so drift hits every extractor
            texts, seconds = run_extractor(extract, pages)
            times[name].append(seconds)
            if name not in scores:
                scores[name] = extraction_score((truth, text) for (_, _, truth), text in zip(pages, texts))
    return {name: (scores[name], len(pages) / statistics.median(times[name])) for name in EXTRACTORS}


def markdown_table(results: dict[str, tuple[ExtractionScore, float]]) -> str:
    """The results as a Markdown table, one extractor a row."""
    lines = ["| extractor | precision | recall | F1 | accuracy | pages/s |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, (score, rate) in results.items():
        lines.append(f"| {name} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f} | "
                     f"{score.accuracy:.3f} | {rate:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=DEFAULT_EVAL,
                        help=f"article-extraction folder (default: {DEFAULT_EVAL})")
    parser.add_argument("--runs", type=int, default=3, help="timed passes; pages/s is their median")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    if not (args.eval_dir / "ground-truth.json").is_file():
        print(f"skipped: {args.eval_dir} not found (needs ground-truth.json and html/)")
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    pages = load_pages(args.eval_dir)
    results = measure(pages, args.runs)
    print(f"{len(pages)} pages from {args.eval_dir}; trafilatura {version('trafilatura')}, "
          f"Python {platform.python_version()}; pages/s = median of {args.runs} runs\n")
    print(markdown_table(results))
    if args.json:
        payload = {name: {**asdict(score), "pages_per_s": rate} for name, (score, rate) in results.items()}
        args.json.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
