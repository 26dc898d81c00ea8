"""Commands that move a corpus between stores: migrate."""

from __future__ import annotations

import typer
from rich.console import Console

from ..store import open_store
from ..store.transfer import BATCH, COUNTED_TABLES, transfer
from .app import app

err = Console(stderr=True, highlight=False)


@app.command()
def migrate(
    src: str = typer.Argument(..., help="Corpus to copy from: a SQLite file or a postgresql:// URL."),
    dst: str = typer.Argument(..., help="Corpus to copy into (created if new): a SQLite file or a "
                                        "postgresql:// URL to an existing database."),
    batch: int = typer.Option(BATCH, "--batch", min=1, help="Documents (or records) read per batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the count table."),
) -> int:
    """Copy a corpus between backends: documents, passages, sentences, vectors, bands, briefs, runs,
    raw pages and feeds. Safe to interrupt: the same command resumes, skipping what DST holds.

    Prints the row counts of both sides; exit status 1 when they differ.
    """
    source, target = open_store(src), open_store(dst)
    try:
        def progress(done: int, skipped: int) -> None:
            if not quiet:
                err.print(f"documents copied {done}, already there {skipped}", end="\r")

        report = transfer(source, target, batch=batch, on_progress=progress)
    finally:
        source.close()
        target.close()
    if not quiet:
        err.print(f"documents copied {report.copied_documents}, already there {report.skipped_documents}")
    print(f"{'table':<12} {'source':>10} {'destination':>12}")
    for table in COUNTED_TABLES:
        mark = "" if report.src_counts[table] == report.dst_counts[table] else "  MISMATCH"
        print(f"{table:<12} {report.src_counts[table]:>10} {report.dst_counts[table]:>12}{mark}")
    if report.mismatches:
        err.print(f"counts differ in {', '.join(report.mismatches)}: the destination held other data before, "
                  "or a write failed — run the same command again, or copy into an empty destination")
        return 1
    return 0
