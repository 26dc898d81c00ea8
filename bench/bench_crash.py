"""Crash safety: kill -9 `citebrief add` at random points, N trials; check integrity and final counts.

    python bench/bench_crash.py --trials 20 --docs 400

Each trial starts an ingest into the same SQLite corpus and kills it once the store reaches a random
document count; after every kill `PRAGMA integrity_check` must be ok and no document may be visible
without its passages, FTS rows and vectors. A final uninterrupted run must end with the counts of a
clean reference ingest.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "citebrief"]
TEXT = ("Officials said on Tuesday that the committee would publish its findings next month. "
        "The report is expected to recommend changes to how the agency handles complaints. ")


def counts(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"integrity": q("PRAGMA integrity_check"), "documents": q("SELECT count(*) FROM documents"),
                "passages": q("SELECT count(*) FROM passages"), "vectors": q("SELECT count(*) FROM vectors"),
                "fts": q("SELECT count(*) FROM passages_fts"),
                "half_written": q("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                  "(SELECT 1 FROM passages p WHERE p.doc_id = d.doc_id)")}
    except sqlite3.OperationalError:
        return {"integrity": "ok", "documents": 0, "passages": 0, "vectors": 0, "fts": 0, "half_written": 0}
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="citebrief-crash-"))
    folder = work / "docs"
    folder.mkdir()
    for i in range(args.docs):
        (folder / f"d{i:05d}.txt").write_text(f"Title: Report {i}\n\nReport {i} counted {i % 13} visits. "
                                              + TEXT * (1 + i % 4))
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    ref = work / "reference.db"
    subprocess.run([*CLI, "--db", str(ref), "add", str(folder), "--embedder", "hashing", "-q"], env=env, check=True)
    expected = counts(ref)
    failures, partial = 0, 0
    for trial in range(args.trials):
        db = work / f"killed-{trial}.db"  # every trial: kill a fresh ingest, check, then finish it
        target = rng.randint(1, args.docs - 1)
        proc = subprocess.Popen([*CLI, "--db", str(db), "add", str(folder), "--embedder", "hashing", "-q"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and counts(db)["documents"] < target:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        c = counts(db)
        ok = c["integrity"] == "ok" and c["half_written"] == 0 and c["fts"] == c["passages"] == c["vectors"]
        partial += 0 < c["documents"] < args.docs
        subprocess.run([*CLI, "--db", str(db), "add", str(folder), "-q"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        final = counts(db)
        same = all(final[k] == expected[k] for k in ("documents", "passages", "vectors", "fts"))
        failures += not (ok and same)
        print(f"trial {trial + 1:2d}: killed at ≥{target:4d} docs → {c['documents']:4d} docs visible, "
              f"integrity {c['integrity']}, half-written {c['half_written']}; rerun → {final['documents']} docs "
              f"{'= reference' if same else '≠ reference'}")
    print(f"\n{args.trials} trials, {partial} killed mid-ingest, {failures} failures "
          f"(reference: {expected['documents']} documents, {expected['passages']} passages).")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
