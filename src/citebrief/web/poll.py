"""Reading feeds and sitemaps through a ``Fetcher``: conditional polls, feed discovery, sitemap indexes.

The store remembers, per followed feed, the ETag / Last-Modified of the last poll and the entry
URLs already ingested; ``poll_feed`` + ``new_entries`` turn that into "only what is new".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Container, Iterable

from ..errors import InputError
from .feeds import FeedEntry, parse_feed, parse_sitemap
from .fetch import Fetcher
from .page import HTML_TYPES, FetchedPage, feed_links

DEFAULT_MAX_SITEMAPS = 50  # child sitemaps read from one index before stopping
NAMED_UNREAD = 3  # unread child sitemaps named in the one error that reports them all


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """The outcome of polling one feed."""

    feed_url: str  # the feed actually read (differs from the URL asked for after discovery)
    not_modified: bool  # HTTP 304: nothing changed since the ETag / Last-Modified given
    entries: tuple[FeedEntry, ...] = ()
    etag: str | None = None  # validators to send next time
    last_modified: str | None = None
    page: FetchedPage | None = None  # the raw feed response, for the store (None on 304)


def poll_feed(fetcher: Fetcher, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FeedPoll:
    """Fetch and parse a feed, conditionally when validators are given.

    When ``url`` is an HTML page that advertises a feed (<link rel="alternate"
    type="application/rss+xml">), the first advertised feed is read instead. Raises ``FetchError``
    or ``InputError`` with the reason.
    """
    page = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    if page.status == 304:
        return FeedPoll(feed_url=url, not_modified=True, etag=page.header("etag") or etag,
                        last_modified=page.header("last-modified") or last_modified)
    if page.content_type in HTML_TYPES:
        advertised = feed_links(page.final_url, page.body)
        if not advertised:
            raise InputError(f"{url}: is an HTML page that advertises no RSS/Atom feed — "
                             "give the feed's own URL")
        page = fetcher.fetch(advertised[0])
    entries = parse_feed(page.body, page.url, base_url=page.final_url)
    return FeedPoll(feed_url=page.url, not_modified=False, entries=entries,
                    etag=page.header("etag"), last_modified=page.header("last-modified"),
                    page=page)


def new_entries(entries: Iterable[FeedEntry], seen_urls: Container[str]) -> tuple[FeedEntry, ...]:
    """The entries whose URL is not in ``seen_urls``, in feed order."""
    return tuple(e for e in entries if e.url not in seen_urls)


def collect_sitemap(fetcher: Fetcher, url: str, *, max_sitemaps: int = DEFAULT_MAX_SITEMAPS,
                    ) -> tuple[tuple[FeedEntry, ...], tuple[InputError, ...]]:
    """All page entries of a sitemap, following sitemap indexes breadth-first.

    Reads at most ``max_sitemaps`` sitemap files; a child that fails is reported in the second
    element and the others are still read. Children left unread past the limit make one error
    (an index of 100,000 children is one line, not 99,950). Raises when ``url`` itself cannot be
    read.
    """
    queue: deque[str] = deque([url])
    seen = {url}
    entries: dict[str, FeedEntry] = {}
    errors: list[InputError] = []
    reads = 0
    while queue and reads < max_sitemaps:
        current = queue.popleft()
        reads += 1
        try:
            page = fetcher.fetch(current)
            sitemap = parse_sitemap(page.body, current, base_url=page.final_url)
        except InputError as exc:  # FetchError included
            if current == url:
                raise
            errors.append(exc)
            continue
        for entry in sitemap.entries:
            entries.setdefault(entry.url, entry)
        for child in sitemap.sitemaps:
            if child.url not in seen:
                seen.add(child.url)
                queue.append(child.url)
    if queue:
        errors.append(_unread(url, tuple(queue), max_sitemaps))
    return tuple(entries.values()), tuple(errors)


def _unread(url: str, left: tuple[str, ...], max_sitemaps: int) -> InputError:
    """One error for every child sitemap left unread: the count, the first few, how many more."""
    named = ", ".join(left[:NAMED_UNREAD])
    more = f" and {len(left) - NAMED_UNREAD:,} more" if len(left) > NAMED_UNREAD else ""
    return InputError(f"{url}: {len(left):,} child sitemap{'s' if len(left) > 1 else ''} not read "
                      f"(stopped after {max_sitemaps} sitemaps): {named}{more}")
