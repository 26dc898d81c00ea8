"""Commands that build and read the corpus: add, reindex, sources, show, search."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..embed import EMBEDDERS
from ..errors import UsageError
from ..jsonshapes import doc_json, hit_json
from ..models import DocMeta, Filters, IngestOutcome, SearchMode
from ..search import SearchOptions
from . import web_cmds
from .app import app, emit_json, open_corpus
from .output import echo, finite, plain, read_text_file, say

err = Console(stderr=True, highlight=False)


class IngestTally:
    """Counts outcomes, prints each failure with its reason and ends with the summary (add, refresh)."""

    def __init__(self, quiet: bool) -> None:
        # here, not at the top: sources, show and search need no progress bar
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.quiet = quiet
        self.counts = {"added": 0, "unchanged": 0, "near-duplicate": 0, "failed": 0}
        self.started = time.monotonic()
        self._progress = Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s · {task.fields[failed]} failed"),
            TimeElapsedColumn(), console=err, transient=True, disable=quiet or not err.is_terminal)
        self._task = self._progress.add_task("ingest", total=None, rate="0.0", failed=0)

    def __enter__(self) -> "IngestTally":
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def __call__(self, outcome: IngestOutcome) -> None:
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        if outcome.status == "failed":
            say(self._progress.console, ("failed", "red"), " ", outcome.reason or outcome.source)
        done = sum(self.counts.values())
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self._progress.update(self._task, completed=done, rate=f"{rate:.1f}",
                              failed=self.counts["failed"])

    def note(self, line: str) -> None:
        """A progress line (a feed polled), unless --quiet."""
        if not self.quiet:
            say(self._progress.console, line)

    def finish(self) -> int:
        """Print the summary line; the exit status: 1 when some input failed, else 0."""
        counts = self.counts
        summary = (f"added {counts['added']}, unchanged {counts['unchanged']}, "
                   f"near-duplicates {counts['near-duplicate']}, failed {counts['failed']}")
        if counts["added"] == counts["near-duplicate"] == counts["failed"] == 0 and counts["unchanged"]:
            summary += " — nothing new; the corpus already holds these inputs"
        err.print(summary + f" ({time.monotonic() - self.started:.1f}s)")
        return 1 if counts["failed"] else 0


@app.command()
def add(
    paths: list[str] = typer.Argument(None, help="Files or folders (recursive): .txt .md .html .htm "
                                                 ".html.gz .pdf .jsonl; or http(s) URLs of pages."),
    feed: list[str] = typer.Option([], "--feed", help="RSS/Atom feed URL: ingest its entries and "
                                                      "follow it for `citebrief refresh` (repeatable)."),
    sitemap: list[str] = typer.Option([], "--sitemap", help="sitemap.xml URL (indexes followed): "
                                                            "ingest its pages and follow it (repeatable)."),
    embedder: Optional[str] = typer.Option(None, help=f"Embedding backend for a new corpus: "
                                                      f"{', '.join(sorted(EMBEDDERS))} or none "
                                                      "(default: the corpus's own, else minilm)."),
    max_size: Optional[float] = typer.Option(None, "--max-size", help="Largest file to read or page "
                                                                      "to download, in MB (default "
                                                                      "50 for files, 20 for URLs)."),
    passage_words: Optional[int] = typer.Option(None, help="Target words per passage for a new corpus "
                                                           "(default 100)."),
    allow_private: bool = web_cmds.ALLOW_PRIVATE,
    ignore_robots: bool = web_cmds.IGNORE_ROBOTS,
    concurrency: int = web_cmds.CONCURRENCY,
    timeout: Optional[float] = web_cmds.TIMEOUT,
    delay: float = web_cmds.DELAY,
    workers: int = typer.Option(1, "--workers", "-w", help="Processes that read and embed files in "
                                                            "parallel while one writes (default 1)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the summary line and failures."),
) -> int:
    """Ingest files, folders, web pages, feeds and sitemaps. Re-adding the same inputs is a no-op.

    Exit status 0 when every input was ingested (or already there), 1 when some failed.
    """
    paths = paths or []
    if not (paths or feed or sitemap):
        raise UsageError("Nothing to add — give files, folders or URLs, or --feed URL / --sitemap URL")
    if any(not p.strip() for p in [*paths, *feed, *sitemap]):
        # Path("") is the current folder: an empty argument (an unset shell variable) would ingest it.
        raise UsageError("An empty path or URL was given — check for an unset shell variable; "
                         "to add the current folder, write `citebrief add .`")
    finite(max_size, "--max-size", unit="MB")
    from ..ingest_pool import check_workers  # here, not at the top: the ingest code loads only for add

    check_workers(workers)
    fetch = None  # built only for web inputs: file-only adds never import the web stack
    if feed or sitemap or any("://" in p for p in paths):
        fetch = web_cmds.fetch_options(allow_private=allow_private, ignore_robots=ignore_robots,
                                       concurrency=concurrency, timeout=timeout, delay=delay)
        if max_size is not None:
            fetch = replace(fetch, max_bytes=max(1, int(max_size * 1024 * 1024)))
    corpus = open_corpus(embedder)
    with IngestTally(quiet) as tally:
        if paths:
            corpus.add(paths, max_bytes=int(max_size * 1024 * 1024) if max_size else None,
                       passage_words=passage_words, on_outcome=tally, fetch=fetch, workers=workers)
        for urls, follow in ((feed, corpus.add_feed), (sitemap, corpus.add_sitemap)):
            if urls:
                for run in follow(urls, fetch=fetch, passage_words=passage_words, on_outcome=tally):
                    tally.note(web_cmds.describe_run(run))
    return tally.finish()


@app.command()
def reindex(embedder: Optional[str] = typer.Option(None, help=f"Embedding backend: {', '.join(sorted(EMBEDDERS))} "
                                                              "or none (default: the corpus's own).")) -> int:
    """Re-embed every passage (after changing the embedder, or to fill missing vectors)."""
    corpus = open_corpus(embedder)
    n = corpus.reindex(on_progress=lambda done: err.print(f"embedded {done} passages", end="\r"))
    err.print(f"embedded {n} passages with {corpus._embedder_name()}")
    return 0


@app.command()
def sources(as_json: bool = typer.Option(False, "--json", help="JSON list of documents.")) -> int:
    """List the documents in the corpus with their metadata; near-duplicates are marked."""
    docs = open_corpus().sources()
    if as_json:
        emit_json([doc_json(d) for d in docs])
        return 0
    if not docs:
        err.print("The corpus is empty — run `citebrief add PATH` first")
        return 0
    for d in docs:
        dup = f"  (near-duplicate of {d.duplicate_of[:8]})" if d.duplicate_of else ""
        outlet = plain(d.outlet or "-", one_line=True)[:24]
        echo(f"{d.doc_id[:12]}  {d.published or '----------'}  {outlet:24}  "
             f"{plain(d.title or d.source, one_line=True)}{dup}")
    return 0


@app.command()
def show(doc_id: str = typer.Argument(..., help="Document id (a unique prefix is enough)."),
         as_json: bool = typer.Option(False, "--json", help="JSON: the sources fields plus text.")) -> int:
    """Show one document's cleaned text and metadata."""
    doc = open_corpus().show(doc_id)
    if doc is None:
        raise UsageError(f"No document {doc_id!r} in the corpus — list ids with `citebrief sources`")
    meta = DocMeta(doc.doc_id, doc.source, doc.title, doc.outlet, doc.author, doc.published, doc.url,
                   doc.duplicate_of)
    if as_json:
        emit_json({**doc_json(meta), "text": doc.text, "language": doc.language})
        return 0
    head = [plain(value or "-", one_line=True) for value in (doc.title or doc.source, doc.outlet, doc.author,
                                                            doc.published, doc.url or doc.source)]
    echo(f"# {head[0]}\n{' · '.join(head[1:])}\nid {doc.doc_id}\n\n{doc.text}")
    return 0


def _filters(since: str | None, until: str | None, outlet: list[str], exclude_outlet: list[str],
             doc: list[str]) -> Filters:
    return Filters(date_from=since, date_to=until, outlets_include=tuple(outlet),
                   outlets_exclude=tuple(exclude_outlet), doc_ids=tuple(doc))


@app.command()
def search(
    query: Optional[str] = typer.Argument(None, help="What to search for."),
    mode: SearchMode = typer.Option(SearchMode.HYBRID, "--mode", help="Retrievers to use."),
    k: int = typer.Option(10, "-k", min=1, help="Number of hits."),
    queries: Optional[Path] = typer.Option(None, "--queries", help="File with one query per line; "
                                                                   "writes one JSON line per query."),
    since: Optional[str] = typer.Option(None, help="Only documents published on/after YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, help="Only documents published on/before YYYY-MM-DD."),
    outlet: list[str] = typer.Option([], help="Only these outlets (repeatable)."),
    exclude_outlet: list[str] = typer.Option([], help="Never these outlets (repeatable)."),
    doc: list[str] = typer.Option([], help="Only these document ids (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> int:
    """Search the corpus (BM25, dense or hybrid) and show which retrievers found each hit."""
    if (query is None) == (queries is None):
        raise UsageError("Give either a QUERY or --queries FILE")
    lines = [] if queries is None else \
        [q.strip() for q in read_text_file(queries, "--queries file").splitlines() if q.strip()]
    corpus = open_corpus()
    options = SearchOptions(mode=mode, k=k, filters=_filters(since, until, outlet, exclude_outlet, doc))
    retriever = corpus.retriever(mode)
    if queries is not None:
        vectors = retriever.embedder.embed(lines) if retriever.embedder and mode != SearchMode.BM25 else None
        for i, q in enumerate(lines):
            hits = retriever.search_vec(q, None if vectors is None else vectors[i], options)
            sys.stdout.write(json.dumps({"query": q, "hits": [hit_json(h) for h in hits]}, ensure_ascii=False) + "\n")
        return 0
    hits = retriever.search(query, options)
    if as_json:
        emit_json({"query": query, "mode": mode.value, "hits": [hit_json(h) for h in hits]})
        return 0
    for i, h in enumerate(hits, 1):
        found = ", ".join(f"{name} #{rank}" for name, rank in h.ranks)
        echo(f"{i}. [{h.score:.4f}] {plain(h.doc.title or h.doc.source, one_line=True)} — "
             f"{plain(h.doc.outlet or '-', one_line=True)}, {h.doc.published or 'undated'}  ({found})\n"
             f"   {plain(h.passage.text[:300], one_line=True)}\n")
    if not hits:
        err.print("No passages match.")
    return 0
