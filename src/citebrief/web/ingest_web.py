"""Ingest web pages, feeds and sitemaps: fetch ─ keep the raw response ─ read ─ ingest, one outcome a URL.

    ingest_urls   UrlTargets → UrlOutcomes: the one place that fetches pages into the corpus
    follow        `add --feed/--sitemap`: poll, ingest the entries not yet in the corpus, remember it
    refresh       re-poll every followed feed and sitemap; only new entries are fetched

Every source of URLs — a pasted list, a feed, a sitemap, later a web-search provider — becomes
``UrlTarget`` values (a URL, the provenance to record, and what the listing said about the page) and
goes through ``ingest_urls``. For each URL it:

    already a document (store.doc_by_url)? ─ yes ▶ "unchanged", not fetched
    fetch ─ failed ▶ "failed <reason>" (guard, DNS, timeout, HTTP status, size, type, robots.txt)
    keep the compressed response (store.save_raw_page) ─ canonical URL, or the URL a redirect
    ended at, already a document (or seen earlier in this batch)? ─ yes ▶ "unchanged" ─ read
    (page_to_raw) ─ fill gaps from the listing ─ add provenance ─ Ingestor ▶ "added" /
    "near-duplicate" / "unchanged" / "failed"

The canonical URL a page declares counts only on the page's own site (``page.same_site``), so no
page can stand in for another site's article. A user name and password in a URL are dropped
before it is fetched, stored or reported (``page.strip_userinfo``).

The raw response is saved before it is read, so a page whose cleaning fails is still kept and can be
re-cleaned later without fetching; it is saved again with the id of the document it became.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from enum import Enum
from typing import Callable, Iterable, Literal, Protocol, Sequence

from ..clean import web_url
from ..errors import FetchError, InputError
from ..ingest import Ingestor
from ..models import IngestOutcome, RawDocument
from ..store.base import FeedState, RawPageRecord, Store
from .convert import page_to_raw
from .feeds import FeedEntry, merge_entry_metadata
from .fetch import Fetcher
from .page import FetchedPage, compress_page, strip_fragment, strip_userinfo
from .poll import FeedPoll, collect_sitemap, new_entries, poll_feed

# URLs fetched concurrently before their documents are written. Bounds memory (16 × the size cap
# at worst) and lets outcomes appear while a long sitemap is still being read.
FETCH_BATCH = 16
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")  # two letters at least: "C://x" is a path

UrlStatus = Literal["added", "unchanged", "near-duplicate", "failed"]
Provenance = tuple[tuple[str, str], ...]


class FeedKind(str, Enum):
    """What a followed URL lists: an RSS/Atom feed or a sitemap."""

    FEED = "feed"
    SITEMAP = "sitemap"


class BatchFetcher(Fetcher, Protocol):
    """A ``Fetcher`` that can also fetch many URLs at once (``HttpFetcher`` is one)."""

    def fetch_all(self, urls: Iterable[str]) -> list[FetchedPage | FetchError]:
        """One page or one ``FetchError`` per URL, in order."""
        ...


@dataclass(frozen=True, slots=True)
class UrlTarget:
    """A URL to ingest, with where it came from and what the listing that named it says about it."""

    url: str
    # Recorded in the document's ``extra`` after ("fetched_from", url): ("feed", feed_url), or for
    # a search connector ("query", q), ("provider", name).
    provenance: Provenance = ()
    # Title, author, date and outlet from a feed entry, sitemap <news:news> or search result; they
    # only fill what the page itself lacks (merge_entry_metadata, which also records
    # ("feed_entry", url) in ``extra``).
    listing: FeedEntry | None = None


@dataclass(frozen=True, slots=True)
class UrlOutcome:
    """What happened to one URL; ``status`` has the meaning it has for files."""

    url: str  # as requested (fragment, user name and password, surrounding space removed)
    status: UrlStatus
    doc_id: str | None = None  # the document it became or already was
    reason: str | None = None  # for "failed": the URL, a colon and why
    canonical_url: str | None = None  # rel=canonical or the URL after redirects (when fetched)
    duplicate_of: str | None = None  # for "near-duplicate"
    fetched: bool = False  # False when the URL was already in the corpus and not requested again
    provenance: Provenance = ()

    def ingest_outcome(self) -> IngestOutcome:
        """The same outcome in the shape file ingest reports."""
        return IngestOutcome(self.url, self.status, doc_id=self.doc_id, reason=self.reason,
                             duplicate_of=self.duplicate_of)


@dataclass(frozen=True, slots=True)
class FeedRun:
    """What following (or refreshing) one feed or sitemap did."""

    url: str  # the feed as followed: after discovery from an HTML page, the feed's own URL
    kind: FeedKind
    not_modified: bool = False  # HTTP 304 to the conditional GET: nothing was read
    listed: int = 0  # entries the feed or sitemap lists
    new: int = 0  # entries not yet in the corpus, which were fetched
    error: str | None = None  # the feed itself could not be read
    outcomes: tuple[UrlOutcome, ...] = ()  # entries, failed child sitemaps, or the failed feed


OnOutcome = Callable[[UrlOutcome], None]


def is_url(text: str) -> bool:
    """True when ``text`` looks like a URL ("scheme://…") rather than a file path."""
    return bool(_URL_RE.match(text.strip()))


def _ignore(_: UrlOutcome) -> None:
    return None


# -- pages ------------------------------------------------------------------------------------------

def ingest_urls(ingestor: Ingestor, targets: Iterable[UrlTarget | str], fetcher: BatchFetcher, *,
                on_outcome: OnOutcome | None = None) -> tuple[UrlOutcome, ...]:
    """Fetch, keep and ingest every URL; one outcome per distinct URL, in input order.

    Failures are outcomes, never raised, so the rest of the batch goes on. Outcomes are reported
    through ``on_outcome`` (per fetch batch) and the return value, not through the ingestor's own
    callback, which sees only the documents it writes; give it an ingestor without one.
    """
    report = on_outcome or _ignore
    store = ingestor.store
    order: dict[str, int] = {}
    outcomes: list[UrlOutcome] = []
    batch: list[UrlTarget] = []
    for target in _normalised(targets):
        if target.url in order:
            continue
        order[target.url] = len(order)
        known = store.doc_by_url(target.url)
        if known:
            outcome = UrlOutcome(target.url, "unchanged", doc_id=known, provenance=target.provenance)
            outcomes.append(outcome)
            report(outcome)
            continue
        batch.append(target)
        if len(batch) >= FETCH_BATCH:
            outcomes += _ingest_batch(ingestor, batch, fetcher, report)
            batch = []
    if batch:
        outcomes += _ingest_batch(ingestor, batch, fetcher, report)
    return tuple(sorted(outcomes, key=lambda o: order[o.url]))


def _normalised(targets: Iterable[UrlTarget | str]) -> Iterable[UrlTarget]:
    """Targets with the URL spelled as the fetcher requests it (no fragment, credentials, spaces)."""
    for target in targets:
        if isinstance(target, str):
            target = UrlTarget(target)
        yield replace(target, url=strip_userinfo(strip_fragment(target.url.strip())))


def annotate(raw: RawDocument, target: UrlTarget) -> RawDocument:
    """``raw`` with gaps filled from the target's listing and its provenance appended to ``extra``;
    a URL other than http(s) (from the page or a feed entry) is dropped, as for files (``clean.web_url``)."""
    if target.listing is not None:
        raw = merge_entry_metadata(raw, target.listing)
    return replace(raw, url=web_url(raw.url), extra=raw.extra + (("fetched_from", target.url),) + target.provenance)


def _raw_record(page: FetchedPage, blob: bytes, doc_id: str | None) -> RawPageRecord:
    return RawPageRecord(url=page.url, fetched_at=page.fetched_at, canonical_url=page.canonical_url,
                         status=page.status, doc_id=doc_id, blob=blob)


@dataclass(frozen=True, slots=True)
class _Queued:
    """A fetched page whose documents went to the ingestor; its outcome is known after the flush."""

    target: UrlTarget
    page: FetchedPage
    blob: bytes
    same_as: str | None = None  # an earlier URL of this batch with the same canonical URL


def _ingest_batch(ingestor: Ingestor, targets: Sequence[UrlTarget], fetcher: BatchFetcher,
                  report: OnOutcome) -> list[UrlOutcome]:
    """Fetch ``targets`` concurrently, then read and ingest them in order (one flush at the end)."""
    results = fetcher.fetch_all([t.url for t in targets])
    mark = len(ingestor.finish().outcomes)  # outcomes after this mark belong to this batch
    decided: dict[str, UrlOutcome] = {}
    queued: list[_Queued] = []
    first_of: dict[str, str] = {}  # canonical URL -> first URL of this batch that reached it
    for target, result in zip(targets, results):
        outcome = _admit(ingestor, target, result, first_of, queued)
        if outcome is not None:
            decided[target.url] = outcome
    written = _first_by_source(ingestor.finish().outcomes[mark:])
    for item in queued:  # in order, so a same_as URL's first URL is decided before it
        outcome = _resolve(item, written, decided)
        decided[item.target.url] = outcome
        if outcome.doc_id:
            ingestor.store.save_raw_page(_raw_record(item.page, item.blob, outcome.doc_id))
    outcomes = [decided[t.url] for t in targets]
    for outcome in outcomes:
        report(outcome)
    return outcomes


def _admit(ingestor: Ingestor, target: UrlTarget, result: FetchedPage | FetchError,
           first_of: dict[str, str], queued: list[_Queued]) -> UrlOutcome | None:
    """Keep one fetch result and queue its documents; its outcome when already decided, else None."""
    if isinstance(result, FetchError):
        return UrlOutcome(target.url, "failed", reason=str(result), provenance=target.provenance)
    page, blob, store = result, compress_page(result), ingestor.store
    fetched = _fetched(target, page)
    known = store.doc_by_url(page.canonical_url)
    if not known and page.final_url != page.url:  # redirected to a page the corpus already has
        known = store.doc_by_url(page.final_url)
    # Saved before reading, so a page that fails to clean is kept for a later re-clean.
    store.save_raw_page(_raw_record(page, blob, known))
    if known:
        return replace(fetched, status="unchanged", doc_id=known)
    if page.canonical_url in first_of:
        queued.append(_Queued(target, page, blob, same_as=first_of[page.canonical_url]))
        return None
    try:
        docs = page_to_raw(page)
    except InputError as exc:
        return replace(fetched, reason=str(exc))
    first_of[page.canonical_url] = target.url
    ingestor.add_raw([annotate(doc, target) for doc in docs])
    queued.append(_Queued(target, page, blob))
    return None


def _first_by_source(outcomes: Iterable[IngestOutcome]) -> dict[str, IngestOutcome]:
    """The ingest outcome of each source; a page read into several documents keeps its first."""
    found: dict[str, IngestOutcome] = {}
    for outcome in outcomes:
        found.setdefault(outcome.source, outcome)
    return found


def _resolve(item: _Queued, written: dict[str, IngestOutcome],
             decided: dict[str, UrlOutcome]) -> UrlOutcome:
    """The outcome of a queued page, from the ingestor's report or from its same-canonical twin."""
    url, page = item.target.url, item.page
    fetched = _fetched(item.target, page)
    if item.same_as is not None:
        first = decided[item.same_as]
        if first.doc_id:
            return replace(fetched, status="unchanged", doc_id=first.doc_id)
        return replace(fetched, reason=f"{url}: same page as {item.same_as} (canonical URL "
                       f"{page.canonical_url}), which could not be ingested: {first.reason}")
    ingested = written.get(url)
    if ingested is None:  # the ingestor reports every document it is given; kept as a safety net
        return replace(fetched, reason=f"{url}: no document was read from the page")
    return replace(fetched, status=ingested.status, doc_id=ingested.doc_id, reason=ingested.reason,
                   duplicate_of=ingested.duplicate_of)


def _fetched(target: UrlTarget, page: FetchedPage) -> UrlOutcome:
    """The outcome of a fetched page, "failed" until ``replace`` says otherwise."""
    return UrlOutcome(target.url, "failed", canonical_url=page.canonical_url, fetched=True,
                      provenance=target.provenance)


# -- feeds and sitemaps ---------------------------------------------------------------------------

class _KnownUrls:
    """The URLs the corpus already holds, as a container ``new_entries`` can test against."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and self._store.doc_by_url(url) is not None


def _utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def follow(ingestor: Ingestor, url: str, fetcher: BatchFetcher, *, kind: FeedKind = FeedKind.FEED,
           on_outcome: OnOutcome | None = None) -> FeedRun:
    """Read a feed or sitemap, ingest the entries not yet in the corpus, and remember it for refresh.

    A feed already followed is polled with its stored ETag / Last-Modified, so following it again is
    a refresh. The validators are saved after the entries are ingested: an interrupted run polls
    the whole feed again next time. A failed entry is retried when the feed next changes.
    """
    report = on_outcome or _ignore
    store = ingestor.store
    url = strip_userinfo(strip_fragment(url.strip()))
    state = store.feed_state(url)
    poll: FeedPoll | None = None
    problems: tuple[InputError, ...] = ()
    try:
        if kind is FeedKind.FEED:
            poll = poll_feed(fetcher, url, etag=state.etag if state else None,
                             last_modified=state.last_modified if state else None)
            entries = poll.entries
        else:  # sitemaps are read whole each time; collect_sitemap follows indexes
            entries, problems = collect_sitemap(fetcher, url)
    except InputError as exc:  # FetchError included: the feed itself is unreadable
        failed = UrlOutcome(url, "failed", reason=str(exc))
        report(failed)
        return FeedRun(url, kind, error=str(exc), outcomes=(failed,))
    feed_url = poll.feed_url if poll else url
    followed = FeedState(feed_url, kind.value, etag=poll.etag if poll else None,
                         last_modified=poll.last_modified if poll else None,
                         last_polled=_utc_now())
    if poll is not None and poll.not_modified:
        store.save_feed_state(followed)
        return FeedRun(feed_url, kind, not_modified=True)
    outcomes = [UrlOutcome(str(p).split(": ", 1)[0], "failed", reason=str(p)) for p in problems]
    for outcome in outcomes:
        report(outcome)
    fresh = new_entries(entries, _KnownUrls(store))
    targets = [UrlTarget(e.url, provenance=((kind.value, feed_url),), listing=e) for e in fresh]
    outcomes += ingest_urls(ingestor, targets, fetcher, on_outcome=report)
    store.save_feed_state(followed)
    return FeedRun(feed_url, kind, listed=len(entries), new=len(fresh), outcomes=tuple(outcomes))


def refresh(ingestor: Ingestor, fetcher: BatchFetcher, *,
            on_outcome: OnOutcome | None = None) -> tuple[FeedRun, ...]:
    """Re-poll every feed and sitemap the corpus follows (``store.feeds()``); ingest new entries."""
    runs = []
    for state in ingestor.store.feeds():
        try:
            kind = FeedKind(state.kind)
        except ValueError:
            reason = (f"{state.url}: followed as {state.kind!r}, which this citebrief cannot read "
                      "— upgrade citebrief")
            failed = UrlOutcome(state.url, "failed", reason=reason)
            (on_outcome or _ignore)(failed)
            runs.append(FeedRun(state.url, FeedKind.FEED, error=reason, outcomes=(failed,)))
            continue
        runs.append(follow(ingestor, state.url, fetcher, kind=kind, on_outcome=on_outcome))
    return tuple(runs)
