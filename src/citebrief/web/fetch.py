"""HTTP fetching for ``citebrief add URL``: guarded, polite, bounded, retried.

``HttpFetcher`` runs on httpx's async client. Each URL goes through the same loop:

    guard (scheme, DNS → public IPs) ─ robots.txt ─ GET (per-host lock + delay, retry 429/5xx)
        ─ redirect? → back to the guard with the next hop (loops and > max_redirects refused)
        ─ status / content-type / size checks ─▶ FetchedPage

Every connection the GET opens is pinned (``pinned.py``): the name is checked again as it is
dialled and the checked IP is what gets connected, so DNS rebinding cannot pass the guard.

Concurrency is bounded at the request (not the URL): a URL waiting for its host's turn does not
hold one of the ``concurrency`` slots, so one slow host cannot starve the others.

Time and size are bounded three ways, so no server can stall or swell a run (issue 16):
- a body is decoded as it arrives and never past ``max_bytes`` (``citebrief/httpbody.py``;
  stacked or unknown Content-Encodings are refused);
- one URL — its redirect hops, retries and robots.txt included — may spend ``total_timeout``
  seconds in requests, however steadily a slow-drip server keeps sending;
- one host may spend ``slow_host_budget`` seconds on slow responses (each longer than
  ``read_timeout``) over the fetcher's life; its later URLs then fail at once. A server dripping
  every URL for 119 s would otherwise cost N × 2 minutes, one URL after another.

A user name and password written into a URL are dropped before anything else (``strip_userinfo``):
never sent, stored or printed.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import AsyncIterator, Iterable, Protocol
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from ..errors import FetchError, UsageError
from ..httpbody import ACCEPT_ENCODING, BodyRefused, BodyTooLarge, aread_response
from .guard import Resolver, check_url
from .page import (ACCEPTED_TYPES, SNIFFED_TYPES, FetchedPage, find_canonical, media_type,
                   sniff_type, strip_fragment, strip_userinfo)
from .pinned import AddressRefused, PinnedBackend, pin_connections
from .robots import IGNORE_FLAG, ROBOTS_MAX_BYTES, origin_of, parse_robots, robots_allows, robots_url

USER_AGENT = "citebrief/0.1 (+https://github.com/citebrief; research briefs)"
ACCEPT = ("text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.9,application/rss+xml;q=0.8,"
          "application/atom+xml;q=0.8,application/xml;q=0.7,text/plain;q=0.6,*/*;q=0.1")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Limits and manners of the fetcher; the defaults suit fetching articles from the open web."""

    connect_timeout: float = 10.0  # seconds to establish a connection
    read_timeout: float = 20.0  # seconds of silence tolerated while reading
    total_timeout: float = 120.0  # one URL's requests (hops, retries), first byte sent to last read
    slow_host_budget: float = 300.0  # seconds of slow responses one host may cost before it is cut
    max_bytes: int = 20 * MB
    max_redirects: int = 5
    retries: int = 3  # extra attempts after a 429 or 5xx
    backoff: float = 0.5  # first retry wait without Retry-After; doubles: 0.5 s, 1 s, 2 s
    max_retry_wait: float = 30.0  # a longer Retry-After fails the URL instead of stalling the batch
    per_host_delay: float = 1.0  # seconds between the end of one request and the next to a host
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    allow_private: bool = False
    concurrency: int = 8  # requests in flight at once, across hosts

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout", "slow_host_budget"):
            if getattr(self, name) <= 0:
                raise UsageError(f"fetch option {name} must be > 0 seconds, got {getattr(self, name)}")
        for name in ("max_redirects", "retries", "backoff", "max_retry_wait", "per_host_delay"):
            if getattr(self, name) < 0:
                raise UsageError(f"fetch option {name} must be >= 0, got {getattr(self, name)}")
        if self.max_bytes < 1 or self.concurrency < 1:
            raise UsageError("fetch options max_bytes and concurrency must be at least 1")
        if not self.user_agent.strip():
            raise UsageError("fetch option user_agent must not be empty")


class Fetcher(Protocol):
    """Fetches one URL; conditional GET when ``etag`` / ``last_modified`` are given (304 → empty body)."""

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedPage:
        """Return the response for ``url`` or raise ``FetchError`` with the reason."""
        ...


@dataclass(frozen=True, slots=True)
class _Response:
    """What one GET returned, before the page is assembled."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    content_type: str
    body: bytes
    location: str | None = None  # set for a redirect


class _Clock:
    """Seconds one URL has spent in requests so far, against ``FetchOptions.total_timeout``."""

    def __init__(self) -> None:
        self.spent = 0.0


class _Session:
    """Per-event-loop state: the client, the request slots and the per-host locks."""

    def __init__(self, client: httpx.AsyncClient, concurrency: int) -> None:
        self.client = client
        self.slots = asyncio.Semaphore(concurrency)
        self._locks: dict[str, asyncio.Lock] = {}

    def lock(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _utc_now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _transport_reason(exc: httpx.HTTPError, options: FetchOptions) -> str:
    """A person-readable reason for an httpx transport failure."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connection timed out after {options.connect_timeout:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"server stopped sending (no data for {options.read_timeout:g} s)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc or 'connection refused'})"
    return f"{type(exc).__name__}: {exc}"


class HttpFetcher:
    """The real ``Fetcher``: httpx async client behind a sync ``fetch`` and a batch ``fetch_many``."""

    def __init__(self, options: FetchOptions = FetchOptions(), *, resolver: Resolver | None = None,
                 network: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.options = options
        self._resolver = resolver  # None = the system resolver; tests inject a stub
        # What dials a checked IP (None = httpcore's AnyIOBackend, the real network); tests route a
        # stub's public IP to a loopback server through it.
        self._network = network
        self._robots: dict[str, RobotFileParser | None] = {}  # origin -> rules, kept across runs
        self._last_hit: dict[str, float] = {}  # host -> monotonic end of its last request
        self._slow: dict[str, float] = {}  # host -> seconds spent on its slow responses

    # -- public faces -------------------------------------------------------------------------

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchedPage:
        """Fetch one URL (sync); from async code use ``afetch``."""
        return asyncio.run(self.afetch(url, etag=etag, last_modified=last_modified))

    def fetch_all(self, urls: Iterable[str]) -> list[FetchedPage | FetchError]:
        """Sync face of ``fetch_many``."""
        return asyncio.run(self.fetch_many(urls))

    async def afetch(self, url: str, *, etag: str | None = None,
                     last_modified: str | None = None) -> FetchedPage:
        """Fetch one URL; raises ``FetchError`` with the reason."""
        async with self._session() as session:
            return await self._fetch_url(session, url, etag=etag, last_modified=last_modified)

    async def fetch_many(self, urls: Iterable[str]) -> list[FetchedPage | FetchError]:
        """Fetch every URL; a failure becomes the ``FetchError`` in its slot, the rest go on."""
        async with self._session() as session:
            async def one(url: str) -> FetchedPage | FetchError:
                try:
                    return await self._fetch_url(session, url)
                except FetchError as exc:
                    return exc
            return list(await asyncio.gather(*(one(u) for u in urls)))

    # -- one URL ------------------------------------------------------------------------------

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[_Session]:
        opts = self.options
        timeout = httpx.Timeout(connect=opts.connect_timeout, read=opts.read_timeout,
                                write=opts.read_timeout, pool=opts.connect_timeout)
        limits = httpx.Limits(max_connections=opts.concurrency * 2)
        headers = {"User-Agent": opts.user_agent, "Accept": ACCEPT,
                   "Accept-Encoding": ACCEPT_ENCODING}  # only what httpbody.py decodes
        client = httpx.AsyncClient(follow_redirects=False, timeout=timeout, trust_env=True,
                                   headers=headers, limits=limits)
        try:
            pin_connections(client, PinnedBackend(allow_private=opts.allow_private,
                                                  resolver=self._resolver, network=self._network),
                            limits=limits)
        except BaseException:
            await client.aclose()
            raise
        async with client:
            yield _Session(client, opts.concurrency)

    async def _fetch_url(self, session: _Session, url: str, *, etag: str | None = None,
                         last_modified: str | None = None) -> FetchedPage:
        url = strip_userinfo(strip_fragment(url.strip()))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = await self._follow(session, url, headers, robots=self.options.respect_robots,
                                      clock=_Clock())
        return self._to_page(url, response)

    async def _follow(self, session: _Session, url: str, headers: dict[str, str], *,
                      robots: bool, clock: _Clock, max_bytes: int | None = None) -> _Response:
        """GET ``url`` following redirects by hand, guarding every hop; ``clock`` counts its time."""
        chain = [url]
        current = url
        while True:
            try:
                await asyncio.to_thread(check_url, current, self.options.allow_private,
                                        resolver=self._resolver)
                if robots:
                    await self._check_robots(session, current, clock)
                response = await self._request(session, current, headers, clock=clock,
                                               max_bytes=max_bytes)
            except FetchError as exc:
                if current == url:
                    raise
                raise FetchError(f"{url}: redirected to {exc}") from exc
            if response.location is None:
                return response
            try:
                target = strip_userinfo(strip_fragment(urljoin(current, response.location)))
            except ValueError as exc:
                raise FetchError(f"{url}: redirect to a malformed URL {response.location!r}") from exc
            if target in chain:
                raise FetchError(f"{url}: redirect loop ({' → '.join([*chain, target])})")
            if len(chain) > self.options.max_redirects:
                raise FetchError(f"{url}: more than {self.options.max_redirects} redirects "
                                 f"(last: {target})")
            chain.append(target)
            current = target

    async def _check_robots(self, session: _Session, url: str, clock: _Clock) -> None:
        origin = origin_of(url)
        if origin not in self._robots:
            async with session.lock("robots " + origin):  # one robots.txt fetch per origin
                if origin not in self._robots:
                    self._robots[origin] = await self._load_robots(session, url, clock)
        if not robots_allows(self._robots[origin], self.options.user_agent, url):
            raise FetchError(f"{url}: robots.txt of {urlsplit(url).netloc} disallows fetching this "
                             f"page (pass {IGNORE_FLAG} to fetch it anyway)")

    async def _load_robots(self, session: _Session, url: str,
                           clock: _Clock) -> RobotFileParser | None:
        try:  # on the page's clock: a robots.txt that drips eats the page's time, not more
            response = await self._follow(session, robots_url(url), {}, robots=False, clock=clock,
                                          max_bytes=ROBOTS_MAX_BYTES)
        except FetchError:
            return None  # unreachable robots.txt allows; see robots.py for why
        return parse_robots(response.status, response.body)

    # -- one request --------------------------------------------------------------------------

    async def _request(self, session: _Session, url: str, headers: dict[str, str], *,
                       clock: _Clock, max_bytes: int | None) -> _Response:
        """One GET with per-host politeness and retries on 429/5xx."""
        opts = self.options
        host = urlsplit(url).netloc.lower()
        async with session.lock("host " + host):
            for attempt in range(opts.retries + 1):
                self._check_host_budget(url, host)
                await self._polite_wait(host)
                try:
                    async with session.slots:
                        response = await self._get(session, url, headers, clock=clock,
                                                   max_bytes=max_bytes)
                finally:
                    self._last_hit[host] = time.monotonic()
                if response.status not in RETRY_STATUSES:
                    return response
                if attempt == opts.retries:
                    break
                await asyncio.sleep(self._retry_wait(url, response, attempt))
        reason = httpx.codes.get_reason_phrase(response.status)
        raise FetchError(f"{url}: HTTP {response.status} {reason} after {opts.retries + 1} attempts "
                         "— the server is failing or rate-limiting; try again later")

    def _check_host_budget(self, url: str, host: str) -> None:
        spent, budget = self._slow.get(host, 0.0), self.options.slow_host_budget
        if spent >= budget:
            raise FetchError(f"{url}: not fetched — {host} has already sent {spent:.0f} s of slow "
                             f"responses in this run (limit {budget:g} s a host); try it again later")

    def _charge(self, host: str, clock: _Clock, seconds: float) -> None:
        """Count a request's time against its URL, and against its host when it was slow."""
        clock.spent += seconds
        if seconds > self.options.read_timeout:
            self._slow[host] = self._slow.get(host, 0.0) + seconds

    def _retry_wait(self, url: str, response: _Response, attempt: int) -> float:
        """Seconds to wait before retry ``attempt + 1``: Retry-After, else exponential backoff."""
        value = dict(response.headers).get("retry-after")
        asked = retry_after_seconds(value, now=datetime.now(timezone.utc))
        if asked is None:
            return self.options.backoff * 2 ** attempt
        if asked > self.options.max_retry_wait:
            raise FetchError(f"{url}: HTTP {response.status}; the server asks to retry after "
                             f"{asked:.0f} s, over the {self.options.max_retry_wait:g} s limit — "
                             "try again later")
        return asked

    async def _polite_wait(self, host: str) -> None:
        last = self._last_hit.get(host)
        if last is not None:
            wait = last + self.options.per_host_delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)

    async def _get(self, session: _Session, url: str, headers: dict[str, str], *,
                   clock: _Clock, max_bytes: int | None) -> _Response:
        """Send one GET and read a 2xx body within the limits; no retries, no redirects."""
        opts = self.options
        left = opts.total_timeout - clock.spent
        if left <= 0:
            raise FetchError(f"{url}: gave up after {opts.total_timeout:g} s (time limit for one "
                             "URL, redirects and retries included)")
        started = time.monotonic()
        try:
            async with asyncio.timeout(left), \
                    session.client.stream("GET", url, headers=headers) as resp:
                pairs = tuple(resp.headers.multi_items())
                status = resp.status_code
                ctype = media_type(resp.headers.get("content-type", ""))
                location = resp.headers.get("location") if status in REDIRECT_STATUSES else None
                if not 200 <= status < 300:  # only a success has a body worth reading
                    return _Response(url, status, pairs, ctype, b"", location)
                if max_bytes is None:
                    self._check_type(url, ctype)
                body = await self._read_body(url, resp, max_bytes or opts.max_bytes,
                                             truncate=max_bytes is not None)
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {_transport_reason(exc, opts)}") from exc
        except httpx.InvalidURL as exc:  # not an HTTPError in httpx
            raise FetchError(f"{url}: not a valid URL ({exc})") from exc
        except AddressRefused as exc:  # the name changed its answer since the guard checked it
            raise FetchError(f"{url}: {exc}") from exc
        except TimeoutError as exc:
            raise FetchError(f"{url}: gave up after {opts.total_timeout:g} s (time limit for one "
                             "URL, redirects and retries included)") from exc
        finally:
            self._charge(urlsplit(url).netloc.lower(), clock, time.monotonic() - started)
        return _Response(url, status, pairs, ctype, body)

    def _check_type(self, url: str, ctype: str) -> None:
        if ctype not in ACCEPTED_TYPES and ctype not in SNIFFED_TYPES:
            raise FetchError(f"{url}: content type {ctype} is not read; citebrief reads HTML, "
                             "plain text, PDF and RSS/Atom/sitemap XML")

    async def _read_body(self, url: str, resp: httpx.Response, limit: int, *,
                         truncate: bool) -> bytes:
        """The body, decoded as it arrives and never past ``limit`` decoded bytes (``httpbody.py``)."""
        try:
            return await aread_response(resp, limit, truncate=truncate)
        except BodyTooLarge as exc:
            raise FetchError(f"{url}: {exc} — raise it with --max-size") from exc
        except BodyRefused as exc:
            raise FetchError(f"{url}: {exc}") from exc

    def _to_page(self, url: str, response: _Response) -> FetchedPage:
        """Check the final status and type, and assemble the ``FetchedPage``."""
        status, ctype, body = response.status, response.content_type, response.body
        if status >= 400 or (300 <= status < 400 and status != 304):
            reason = httpx.codes.get_reason_phrase(status) or "error"
            raise FetchError(f"{url}: HTTP {status} {reason}"
                             + (" (redirect without a Location)" if status < 400 else ""))
        if status != 304 and ctype in SNIFFED_TYPES:
            ctype = sniff_type(body)
            if not ctype:
                raise FetchError(f"{url}: the server did not say what this is and it does not look "
                                 "like HTML, text, PDF or a feed")
        canonical = response.url if status == 304 else find_canonical(
            response.url, ctype, response.headers, body)
        return FetchedPage(url=url, final_url=response.url, canonical_url=canonical,
                           status=status, headers=response.headers, content_type=ctype,
                           body=body, fetched_at=_utc_now_iso())
