"""``citebrief add`` against its floor: the raw encode of the same passages, in one run.

Issue 19 item 4 asks that ``add`` with MiniLM run within 10% of the runtime's raw encode
throughput: embedding is the floor, everything else (start-up, reading and cleaning HTML, splitting,
near-duplicate checks, storing, building search indexes) should hide behind it or cost little.

Each round, in fresh processes, alternating so that load from other jobs hits every variant alike:
  1. ``citebrief add PAGES -q`` with this checkout (wall, CPU, peak RSS from ``os.wait4``);
  2. the same with ``--baseline-src DIR`` first on PYTHONPATH (an older checkout's ``DIR/src``);
  3. the raw encode: a process loads MiniLM (not timed), then embeds every passage text that run 1
     stored in one ``MiniLMEmbedder.embed`` call (timed) — the floor.
Medians of ``--runs``; ``add`` passages/s over raw encode passages/s is the figure item 4 is about.

    .venv/bin/python bench/bench_add_floor.py [PAGES] [--runs 3] [--baseline-src DIR]
    .venv/bin/python bench/bench_add_floor.py --synthetic 10000 [--runs 3]

PAGES defaults to ../shared/eval/article-extraction/html (*.html.gz or *.html); skipped with a
message when absent. ``--synthetic N`` writes N generated text documents instead (seeded, varied
enough that the near-duplicate check keeps them all: names, numbers and word order differ).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_EVAL, machine, table  # noqa: E402

PAGES = DEFAULT_EVAL / "article-extraction" / "html"
ENCODE_CHILD = """
import json, sqlite3, sys, time
from citebrief.embed import MiniLMEmbedder
texts = [row[0] for row in sqlite3.connect(sys.argv[1]).execute("SELECT text FROM passages ORDER BY rowid")]
model = MiniLMEmbedder()
model.embed(["warm up"])
wall, cpu = time.perf_counter(), time.process_time()
model.embed(texts)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "passages": len(texts)}))
"""


def copy_pages(src: Path, dst: Path) -> int:
    dst.mkdir()
    for page in sorted(src.glob("*.html.gz")):
        (dst / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
    for page in sorted(src.glob("*.html")):
        shutil.copy(page, dst / page.name)
    return len(list(dst.iterdir()))


_WORDS = {
    "who": ["the council", "the regulator", "a spokesperson", "the board", "local residents", "the union",
            "the ministry", "analysts", "the company", "the court", "researchers", "the club", "the mayor"],
    "verb": ["approved", "rejected", "questioned", "welcomed", "delayed", "reviewed", "criticised", "defended",
             "announced", "postponed", "published", "challenged", "funded"],
    "what": ["the plan", "the budget", "a new study", "the merger", "the ruling", "the transfer", "the scheme",
             "the report", "the proposal", "the contract", "the appeal", "the forecast", "the recall"],
    "why": ["after a long debate", "citing rising costs", "because of safety concerns", "despite objections",
            "to meet a deadline", "ahead of the election", "following complaints", "on legal advice"],
}


def make_synthetic(dst: Path, n: int, seed: int = 19) -> int:
    """``n`` short text documents (2–4 generated sentences, one passage each), with a title and a date: at
    10,000 documents the run weighs the per-document work (reading, near-duplicate lookups, storing) most."""
    rnd = random.Random(seed)
    dst.mkdir()
    for i in range(n):
        sentences = []
        for _ in range(rnd.randint(2, 4)):
            w = {k: rnd.choice(v) for k, v in _WORDS.items()}
            sentences.append(f"{w['who'].capitalize()} {w['verb']} {w['what']} {w['why']}, and "
                             f"{rnd.randint(2, 9_999):,} people in district {rnd.randint(1, 400)} were affected "
                             f"by case {i}-{rnd.randint(0, 10**6)}.")
        (dst / f"doc{i:05d}.txt").write_text(f"Title: Report {i}\nDate: 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n\n"
                                             + " ".join(sentences) + "\n")
    return n


def add_once(pages: Path, db: Path, env: dict[str, str]) -> dict[str, float]:
    """One ``citebrief add`` process: wall s, CPU s, peak RSS MiB."""
    start = time.perf_counter()
    with open(db.with_suffix(".stderr"), "w+b") as err:  # a file: a full pipe would block the child
        proc = subprocess.Popen([sys.executable, "-m", "citebrief", "--db", str(db), "add", str(pages), "-q"],
                                env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: a page failed, reported, not fatal
            err.seek(0)
            raise SystemExit(f"citebrief add failed: {err.read().decode(errors='replace')[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def encode_once(db: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", ENCODE_CHILD, str(db)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def passages_in(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    finally:
        conn.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="?", type=Path, default=PAGES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path, help="an older checkout (DIR/src) timed beside this one")
    parser.add_argument("--synthetic", type=int, metavar="N", help="N generated text documents instead of PAGES")
    args = parser.parse_args(argv)
    if not args.synthetic and not args.pages.is_dir():
        print(f"SKIP: dev pages not found at {args.pages} (give the folder as the first argument)")
        return 0
    variants = {"citebrief add (this checkout)": dict(os.environ)}
    if args.baseline_src:
        variants["citebrief add (--baseline-src)"] = {**os.environ,
                                                       "PYTHONPATH": str(args.baseline_src.resolve() / "src")}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in [*variants, "raw encode"]}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        n_pages = make_synthetic(pages, args.synthetic) if args.synthetic else copy_pages(args.pages, pages)
        for run in range(args.runs):
            for i, (name, env) in enumerate(variants.items()):
                db = Path(tmp) / f"run{run}-{i}.db"
                results[name].append({**add_once(pages, db, env), "passages": passages_in(db)})
                load.append(os.getloadavg()[0])
            results["raw encode"].append(encode_once(Path(tmp) / f"run{run}-0.db"))
            load.append(os.getloadavg()[0])
    floor = statistics.median(r["passages"] / r["wall"] for r in results["raw encode"])
    rows = []
    for name, rs in results.items():
        med = {k: statistics.median(r.get(k, float("nan")) for r in rs) for k in ("wall", "cpu", "rss", "passages")}
        rate = statistics.median(r["passages"] / r["wall"] for r in rs)
        rows.append((name, int(med["passages"]), med["wall"], med["cpu"], n_pages / med["wall"] if "add" in name
                     else float("nan"), rate, f"{rate / floor:.0%}", med["rss"]))
    what = "generated text documents" if args.synthetic else "pages"
    print(f"### `citebrief add` on {n_pages} {what} against the raw encode of its passages, median of {args.runs}\n")
    print(table(("variant", "passages", "wall s", "CPU s", "docs/s", "passages/s", "of raw encode",
                 "peak RSS MiB"), rows))
    print(f"\nMachine: {machine()}; load average (1 min) {min(load):.1f}–{max(load):.1f} during the run\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
