"""The CLI tests run in-process against the same tests with every ``run_cli`` in a new process.

``CITEBRIEF_TEST_CLI=process`` makes tests/conftest.py's ``run_cli`` start a ``citebrief`` process for
each command, as the suite did before; without it the entry point runs in the test process. Each
round runs pytest on the same files once per mode, alternating, in fresh pytest processes; wall
seconds and the CPU seconds of pytest and all its children (``os.wait4``), median of ``--runs``.

    .venv/bin/python bench/bench_suite.py [TEST_FILE ...] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = ("tests/test_ingest.py", "tests/test_web_ingest.py", "tests/test_workers.py",
                 "tests/test_hardening_cli.py")
MODES = {"in-process (run_cli calls main)": {}, "a process per command (before)": {"CITEBRIEF_TEST_CLI": "process"}}


def run_once(files: Sequence[str], env: dict[str, str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
                            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"pytest failed ({env or 'in-process'}):\n{out[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=list(DEFAULT_FILES))
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    results: dict[str, list[dict[str, float]]] = {name: [] for name in MODES}
    load = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for name, env in MODES.items():
            results[name].append(run_once(args.files, env))
            load.append(os.getloadavg()[0])
    rows = [(name, statistics.median(r["wall"] for r in rs), statistics.median(r["cpu"] for r in rs))
            for name, rs in results.items()]
    print(f"### CLI tests in-process against a process per command ({', '.join(args.files)}), "
          f"median of {args.runs}\n")
    print(table(("mode", "wall s", "CPU s (pytest + children)"), rows))
    print(f"\nMachine: {machine()}; load average (1 min) {min(load):.1f}–{max(load):.1f} during the run\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
