"""What watched questions cost besides the brief: start-up of `watch list`, and the change list itself.

    python bench/bench_watch.py --db CORPUS.db --watch NAME [--runs 9]

1. Start-up, in fresh processes, alternating in one run: `citebrief watch list`, `citebrief sources`
   (the peer that imports no brief code), and `watch list` with the brief CLI module imported first
   (``citebrief.cli.brief_cmds``: what the first version of ``watch_cmds`` imported at the top).
   Median wall and CPU seconds of ``--runs`` runs each.
2. The change list between the watch's last two versions: ``diff_briefs`` and both renderings,
   in-process, median of ``--runs`` runs (the brief itself is ``ask``'s cost; see bench_brief.py).

The corpus needs a watch with at least two versions (`citebrief watch run NAME` twice).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from _common import machine, median_time, table

STARTUP = {
    "watch list": "from citebrief.cli import main; main(['--db', DB, 'watch', 'list'])",
    "sources (peer)": "from citebrief.cli import main; main(['--db', DB, 'sources'])",
    "watch list, brief CLI imported first (before)":
        "import citebrief.cli.brief_cmds; from citebrief.cli import main; main(['--db', DB, 'watch', 'list'])",
}


def startup(db: str, runs: int) -> list[tuple[str, float, float]]:
    """(label, median wall s, median CPU s) per command; the commands alternate run by run."""
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in STARTUP}
    for _ in range(runs):
        for label, code in STARTUP.items():
            before = os.times()
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", f"DB = {db!r}; {code}"], check=True, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            after = os.times()
            cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
            samples[label].append((wall, cpu))
    return [(k, statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in samples.items()]


def change_list(db: str, name: str, runs: int) -> tuple[float, float, float, int]:
    """Median ms of diff, Markdown and JSON for the last two versions, and the number of changes."""
    from citebrief import Corpus
    from citebrief.watch.diff import diff_briefs
    from citebrief.watch.render import changes_json, changes_markdown
    from citebrief.watch.store import WatchStore

    new, old = WatchStore(Corpus(db).store).latest(name, 2)
    diff_s, changes = median_time(lambda: diff_briefs(old.brief, new.brief), runs)
    md_s, _ = median_time(lambda: changes_markdown(changes, old, new), runs)
    js_s, _ = median_time(lambda: changes_json(changes, old, new), runs)
    return diff_s * 1000, md_s * 1000, js_s * 1000, len(changes.changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="A corpus with a watch run at least twice.")
    parser.add_argument("--watch", required=True, help="The watch's name.")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(machine())
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    rows = startup(args.db, args.runs)
    print(table(["command", "wall s (median)", "CPU s (median)"], [(k, f"{w:.2f}", f"{c:.2f}") for k, w, c in rows]))
    diff_ms, md_ms, js_ms, n = change_list(args.db, args.watch, args.runs)
    print(f"\nchange list of {n} changes: diff {diff_ms:.1f} ms, Markdown {md_ms:.1f} ms, JSON {js_ms:.1f} ms")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
