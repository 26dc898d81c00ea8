"""What keeping parses in the corpus saves a brief: the same question asked in a fresh process, with
the corpus's ``text_parses`` emptied before each run (every sentence parsed again, as before parses
were kept) and left filled (parses read back), alternating in one run. Text vectors stay cached in
both arms, so the difference is the parse. Reports CPU seconds of the whole `citebrief ask` process
(median of N), the parses kept and their size.

    .venv/bin/python bench/bench_parse_cache.py --db demo.db --runs 5 [--question "..."]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

SEED = ("Which NATO countries oppose or are hesitant about Ukraine joining and what security or political "
        "concerns do they cite?")


def _ask(cli: str, db: Path, question: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([cli, "--db", str(db), "ask", question, "--format", "json"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a built corpus (copied; the original is not touched)")
    parser.add_argument("--question", default=SEED)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cli", default=str(Path(sys.executable).with_name("citebrief")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.db"
        shutil.copy(args.db, db)
        _ask(args.cli, db, args.question)  # warm the text vectors and the parses once
        with sqlite3.connect(db) as conn:
            kept, size = conn.execute("SELECT count(*), coalesce(sum(length(doc)), 0) FROM text_parses").fetchone()
            saved = conn.execute("SELECT key, pipeline, doc FROM text_parses").fetchall()
        cold, warm = [], []
        for _ in range(args.runs):
            with sqlite3.connect(db) as conn:
                conn.execute("DELETE FROM text_parses")
            cold.append(_ask(args.cli, db, args.question))
            with sqlite3.connect(db) as conn:
                conn.execute("DELETE FROM text_parses")
                conn.executemany("INSERT INTO text_parses VALUES (?,?,?)", saved)
            warm.append(_ask(args.cli, db, args.question))
    print(machine())
    print(f"question: {args.question[:80]}…; {kept} parses kept, {size / 1024:.0f} KiB")
    print("| `ask`, repeat question, fresh process | CPU s (median of %d) | runs |" % args.runs)
    print("|---|---:|---|")
    print(f"| parses not kept (parsed again) | {statistics.median(cold):.2f} | {', '.join(f'{x:.2f}' for x in cold)} |")
    print(f"| parses read back from the corpus | {statistics.median(warm):.2f} | {', '.join(f'{x:.2f}' for x in warm)} |")


if __name__ == "__main__":
    main()
