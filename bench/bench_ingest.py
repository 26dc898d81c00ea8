"""Ingest throughput: documents/s and MB/s of `citebrief add` for the 88 benchmark HTML pages and a
generated folder of N text documents, with the hashing embedder (reading, cleaning, splitting,
near-duplicate check, storing) and optionally with MiniLM.

    python bench/bench_ingest.py ../shared/eval/article-extraction --docs 10000 --runs 3 [--minilm]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "citebrief"]
SENTENCES = ["The council voted on Tuesday to approve the plan after a long debate.",
             "Critics said the proposal would raise costs for small businesses in the centre.",
             "Officials argued that the change was needed to cut congestion and pollution.",
             "A spokesperson for the opposition called the figures misleading.",
             "The scheme will be reviewed after twelve months, according to the minutes."]


def make_text_folder(root: Path, n: int) -> None:
    root.mkdir(parents=True)
    for i in range(n):
        body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] + f" Item {i}-{k} was noted." for k in range(12))
        (root / f"doc{i:05d}.txt").write_text(f"Title: Document {i}\nDate: 2024-01-{1 + i % 28:02d}\n\n{body}\n")


def make_html_folder(src: Path, root: Path) -> None:
    root.mkdir(parents=True)
    for page in sorted((src / "html").glob("*.html.gz")):
        (root / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))


def time_add(folder: Path, embedder: str, runs: int) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        db = Path(tempfile.mkdtemp()) / "c.db"
        start = time.perf_counter()
        subprocess.run([*CLI, "--db", str(db), "add", str(folder), "--embedder", embedder, "-q"],
                       check=False, capture_output=True)
        times.append(time.perf_counter() - start)
        shutil.rmtree(db.parent)
    files = [p for p in folder.rglob("*") if p.is_file()]
    return statistics.median(times), len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval/article-extraction")
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--minilm", action="store_true", help="also time with the MiniLM embedder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="citebrief-ingest-"))
    folders = {}
    if Path(args.eval_dir, "html").is_dir():
        make_html_folder(Path(args.eval_dir), work / "html")
        folders["88 HTML pages"] = work / "html"
    else:
        print(f"skipped the HTML pages: {args.eval_dir}/html not found")
    make_text_folder(work / "text", args.docs)
    folders[f"{args.docs} text documents"] = work / "text"
    print("| input | embedder | files | MB | median s (whole command) | docs/s | MB/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, folder in folders.items():
        mb = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
        for embedder in ["hashing"] + (["minilm"] if args.minilm else []):
            seconds, files = time_add(folder, embedder, args.runs)
            print(f"| {label} | {embedder} | {files} | {mb:.1f} | {seconds:.1f} | {files / seconds:.0f} | "
                  f"{mb / seconds:.2f} |")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
