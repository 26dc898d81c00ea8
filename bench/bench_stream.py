"""What showing sections as they are verified costs, and how early they come: ask, in-process, before and after.

    python bench/bench_stream.py --before /tmp/old/src [--db sample.db] [--rounds 3] [--runs 3]

Each round starts one process per version (``--before SRC``: citebrief imported from the ``src``
folder of an earlier version, e.g. ``git archive OLD src | tar -x -C /tmp/old``; then this checkout),
in alternating order, each on a fresh copy of the corpus. A process asks every question once to warm
its caches (parses, vectors, as a server that has answered before), then asks each ``--runs`` times
and records the wall time of each ask and, where the version has it (``on_section``), when the
first and last sections were handed over, relative to the end of the ask. Printed: the median ask
per question for each version (the median of its runs over all rounds) and their ratio, and how far
ahead of the finished brief the first section came. Without --db the sample corpus is ingested
into a temporary folder first (MiniLM).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, table  # noqa: E402
from bench_load import QUESTIONS, copy_corpus, sample_corpus  # noqa: E402

ASKED = QUESTIONS


def inner(db: str, runs: int) -> None:
    """In the child: warm up, then time each question ``runs`` times; print JSON rows."""
    import inspect

    from citebrief import Corpus

    corpus = Corpus(db)
    hooked = "on_section" in inspect.signature(corpus.ask).parameters
    for question in ASKED:
        corpus.ask(question)
    rows = []
    for _ in range(runs):
        for question in ASKED:
            marks: list[float] = []
            kw = {"on_section": lambda partial: marks.append(time.perf_counter())} if hooked else {}
            start = time.perf_counter()
            brief = corpus.ask(question, **kw)
            end = time.perf_counter()
            rows.append({"question": question, "seconds": end - start, "sections": len(brief.sections),
                         "first_ahead": end - marks[0] if marks else None,
                         "first_at": marks[0] - start if marks else None})
    corpus.close()
    print(json.dumps({"hooked": hooked, "rows": rows}))


def child(src: str | None, db: Path, runs: int) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, __file__, "--inner", str(db), "--runs", str(runs)], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"the benchmark process failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=False, help="src folder of the earlier version")
    parser.add_argument("--db", help="a MiniLM corpus file (copied); default: ingest examples/corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.inner, args.runs)
        return 0
    if args.before and not (Path(args.before) / "citebrief" / "__init__.py").is_file():
        raise SystemExit(f"--before {args.before}: no citebrief package there — give the src folder of an "
                         "earlier version (git archive OLD src | tar -x -C /tmp/old; --before /tmp/old/src)")
    work = Path(tempfile.mkdtemp(prefix="citebrief-stream-"))
    try:
        source = Path(args.db) if args.db else sample_corpus(work)
        codes = [("before", args.before), ("this checkout", None)] if args.before else [("this checkout", None)]
        seconds: dict[str, dict[str, list[float]]] = {c: {} for c, _ in codes}
        ahead, first_at, load = [], [], [os.getloadavg()]
        for r in range(args.rounds):
            for name, src in (codes if r % 2 == 0 else codes[::-1]):
                db = copy_corpus(source, work / f"corpus-{r}-{len(name)}.db")
                got = child(src, db, args.runs)
                for row in got["rows"]:
                    seconds[name].setdefault(row["question"], []).append(row["seconds"])
                    if row["first_ahead"] is not None and src is None:
                        ahead.append(row["first_ahead"])
                        first_at.append(row["first_at"])
                db.unlink()
            load.append(os.getloadavg())
        medians = {name: [statistics.median(seconds[name][q]) for q in ASKED] for name in seconds}
        rows = []
        for i, question in enumerate(ASKED):
            cells = [f"{medians[name][i]:.3f}" for name, _ in codes]
            ratio = [f"{medians['this checkout'][i] / medians['before'][i]:.2f}"] if args.before else []
            rows.append((question[:60], *cells, *ratio))
        totals = [f"{sum(medians[name]):.2f}" for name, _ in codes]
        rows.append(("**all questions (sum of medians)**", *totals,
                     *([f"{sum(medians['this checkout']) / sum(medians['before']):.2f}"] if args.before else [])))
        print(f"{machine()}; {args.rounds} rounds × {args.runs} runs per question and version, after one warm-up "
              f"ask each; load average (1 min) per round: {', '.join(f'{la[0]:.2f}' for la in load)}\n")
        print(table(("question", *(f"{name} s" for name, _ in codes), *(["after/before"] if args.before else [])),
                    rows, "l" + "r" * (len(codes) + bool(args.before))))
        if ahead:
            print(f"\nfirst section handed over {statistics.median(first_at):.3f} s after the ask began (median), "
                  f"{statistics.median(ahead):.3f} s before the brief was done (median; p95 "
                  f"{sorted(ahead)[int(0.95 * (len(ahead) - 1))]:.3f} s), over {len(ahead)} asks with sections")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
