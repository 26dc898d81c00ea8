"""Web commands: `refresh`, and the fetch options `add` shares with it (--allow-private, …)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Optional

import typer

from .app import app, open_corpus
from .output import finite

if TYPE_CHECKING:
    from ..web.fetch import FetchOptions
    from ..web.ingest_web import FeedRun

# Literals, not imports: importing citebrief.web (feeds, fetcher, readers) adds ~0.25 s that every
# other command would then pay at start-up. tests/test_web_ingest.py checks they match the library.
PRIVATE_FLAG = "--allow-private"  # citebrief.web.guard.PRIVATE_FLAG
IGNORE_FLAG = "--ignore-robots"  # citebrief.web.robots.IGNORE_FLAG
DEFAULT_CONCURRENCY = 8  # FetchOptions.concurrency
DEFAULT_DELAY = 1.0  # FetchOptions.per_host_delay
MAX_SECONDS = 3600.0  # a longer --timeout or --delay is a typo, and "inf" waited forever

ALLOW_PRIVATE = typer.Option(False, PRIVATE_FLAG, help="Fetch URLs on private or local addresses "
                                                       "(localhost, 10.x, 192.168.x, …); refused by "
                                                       "default.")
IGNORE_ROBOTS = typer.Option(False, IGNORE_FLAG, help="Fetch pages even where robots.txt disallows "
                                                      "them.")
CONCURRENCY = typer.Option(DEFAULT_CONCURRENCY, "--concurrency", min=1,
                           help="Requests in flight at once, across hosts (one at a time per host).")
TIMEOUT = typer.Option(None, "--timeout",
                       help="Seconds a server may take to connect or stay silent (default 10 to "
                            "connect, 20 silent); one download may take 6 times that, at least 2 min.")
DELAY = typer.Option(DEFAULT_DELAY, "--delay", help="Seconds between two requests to the same host.")
QUIET = typer.Option(False, "--quiet", "-q", help="Only the summary line and failures.")


def fetch_options(*, allow_private: bool, ignore_robots: bool, concurrency: int,
                  timeout: float | None, delay: float) -> "FetchOptions":
    """Fetch options from the command-line flags, checked with messages that name the flag."""
    from ..web.fetch import FetchOptions

    finite(timeout, "--timeout", unit="seconds", maximum=MAX_SECONDS)
    finite(delay, "--delay", unit="seconds", inclusive=True, maximum=MAX_SECONDS)
    options = FetchOptions(per_host_delay=delay, respect_robots=not ignore_robots,
                           allow_private=allow_private, concurrency=concurrency)
    if timeout is None:
        return options
    return replace(options, connect_timeout=timeout, read_timeout=timeout,
                   total_timeout=max(options.total_timeout, 6 * timeout))


def describe_run(run: "FeedRun") -> str:
    """One line saying what polling a feed or sitemap found."""
    if run.error:
        return f"{run.kind.value} {run.url}: not read"
    if run.not_modified:
        return f"{run.kind.value} {run.url}: not modified since the last poll"
    return f"{run.kind.value} {run.url}: {run.listed} entries, {run.new} new"


@app.command()
def refresh(allow_private: bool = ALLOW_PRIVATE, ignore_robots: bool = IGNORE_ROBOTS,
            concurrency: int = CONCURRENCY, timeout: Optional[float] = TIMEOUT, delay: float = DELAY,
            quiet: bool = QUIET) -> int:
    """Poll the feeds and sitemaps this corpus follows again and ingest only their new entries.

    Feeds are fetched conditionally (ETag / Last-Modified); entries already in the corpus are skipped.

    Exit status 0 when everything new was ingested, 1 when some feed or entry failed.
    """
    from .corpus_cmds import IngestTally  # corpus_cmds imports this module for the options above

    fetch = fetch_options(allow_private=allow_private, ignore_robots=ignore_robots,
                          concurrency=concurrency, timeout=timeout, delay=delay)
    corpus = open_corpus()
    with IngestTally(quiet) as tally:
        for run in corpus.refresh(fetch=fetch, on_outcome=tally):
            tally.note(describe_run(run))
    return tally.finish()
