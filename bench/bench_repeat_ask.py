"""`citebrief ask` from a cold process, wall and CPU: a repeat question (vectors and parses a previous brief
kept in the corpus) and a first question over new sources (those caches emptied), for this checkout and,
side by side in the same run, an older one (``--baseline-src DIR``: DIR/src goes first on PYTHONPATH).

Issue 19 item 2: `ask` on the demo corpus, repeat question, <= 3 s wall on a quiet 2-core machine from a
cold process; first question over new sources <= 5 s. Variants alternate run by run, so load from other
jobs hits them alike; medians of ``--runs``.

    .venv/bin/python bench/bench_repeat_ask.py --db demo.db [--runs 5] [--baseline-src DIR] [--question Q]

Run it with the interpreter of the install being measured (a default install has no torch; spaCy's
thinc imports torch when it is present, which costs about two seconds); this checkout's src/ goes first
on PYTHONPATH, so another clone's virtualenv measures this code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, table  # noqa: E402

QUESTION = "Why did Kelsworth Rovers sack their manager?"
CACHES = ("text_vectors", "text_parses")


def ask_once(db: Path, question: str, env: dict[str, str]) -> dict[str, float]:
    """One cold `citebrief ask` process: wall s, CPU s, peak RSS MiB."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "citebrief", "--db", str(db), "ask", question, "-q",
                             "-o", os.devnull], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"citebrief ask failed: {proc.stderr.read().decode(errors='replace')[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def empty_caches(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for name in CACHES:
            if name in names:
                conn.execute(f"DELETE FROM {name}")
        conn.commit()
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a built corpus (copied; the original is not touched)")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-src", type=Path, help="an older checkout (DIR/src) timed beside this one")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"SKIP: no corpus at {args.db} (build one: citebrief --db {args.db} add examples/corpus)")
        return 0
    here = Path(__file__).resolve().parent.parent / "src"  # this checkout, whatever the interpreter has installed
    variants = {"this checkout": {**os.environ, "PYTHONPATH": str(here)}}
    if args.baseline_src:
        variants["--baseline-src"] = {**os.environ, "PYTHONPATH": str(args.baseline_src.resolve() / "src")}
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        dbs: dict[str, Path] = {}
        for i, (name, env) in enumerate(variants.items()):  # each variant keeps its own caches (versions may differ)
            dbs[name] = Path(tmp) / f"{i}.db"
            shutil.copy(args.db, dbs[name])
            ask_once(dbs[name], args.question, env)  # fills the caches as a first brief would
        for _ in range(args.runs):
            for name, env in variants.items():
                db = dbs[name]
                results.setdefault((name, "repeat question"), []).append(ask_once(db, args.question, env))
                first = db.with_suffix(".first.db")
                shutil.copy(db, first)
                empty_caches(first)
                results.setdefault((name, "first question (caches emptied)"), []).append(
                    ask_once(first, args.question, env))
                load.append(os.getloadavg()[0])
    rows = []
    for (name, case), rs in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        walls = sorted(r["wall"] for r in rs)
        rows.append((case, name, statistics.median(walls), f"{walls[0]:.2f}–{walls[-1]:.2f}",
                     statistics.median(r["cpu"] for r in rs), statistics.median(r["rss"] for r in rs)))
    print(f"### `citebrief ask {args.question!r}`, cold process, median of {args.runs}\n")
    print(table(("case", "code", "wall s", "wall range", "CPU s", "peak RSS MiB"), rows))
    print(f"\nMachine: {machine()}; interpreter {sys.executable}; load average (1 min) "
          f"{min(load):.1f}–{max(load):.1f} during the run\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
