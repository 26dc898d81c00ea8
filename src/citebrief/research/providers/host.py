"""The host around every backend: key, User-Agent, timeouts, retries, error messages, ``since``.

Retry policy, per request: a 429 or 5xx is retried up to ``config.retries`` times. The wait is
the server's ``Retry-After`` (seconds or an HTTP-date) when it sends one, else 0.5 s, 1 s, 2 s …
A ``Retry-After`` longer than ``config.max_retry_wait`` fails at once with the wait in the
message: sleeping an hour inside one search would stall the whole research run, and retrying
early only spends quota. Timeouts and connection errors are not retried, so a dead provider
costs one ``timeout`` and ``search_all`` still answers promptly with the others' results.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from importlib import metadata

import httpx

from ...errors import ConfigError, SearchProviderError, UsageError
from ...httpbody import ACCEPT_ENCODING, BodyRefused, BodyTooLarge, read_response
from .base import Backend, ProviderConfig, Searcher, SearchResult, Secret, Topic, WireRequest

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_START = 0.5  # seconds before the first retry when the server names no wait
# Replies are read through citebrief.httpbody, decoded as they arrive and capped: a page of results
# is tens of KB, so 16 MB only stops a runaway or hostile server (or a gzip bomb).
MAX_REPLY_BYTES = 16 * 2**20
_MAX_ERROR_BYTES = 64 * 1024  # of an error reply, only the start is read (for its message)


def _version() -> str:
    try:
        return metadata.version("citebrief")
    except metadata.PackageNotFoundError:
        return "dev"


# Wikimedia and GDELT ask API clients to identify themselves; a bare library UA gets throttled.
USER_AGENT = (f"citebrief/{_version()} (research brief generator; "
              f"+https://pypi.org/project/citebrief/) httpx/{httpx.__version__}")


def rejects_key_by_status(status: int, body: bytes) -> bool:
    """The usual signal of a bad key: 401 Unauthorized or 403 Forbidden."""
    return status in (401, 403)


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """A registry entry: what a provider is, how it is configured, and its backend."""

    name: str
    summary: str  # one line for ``describe_providers``
    backend: Callable[[str, Topic], Backend]  # (base URL, topic) → backend
    url_env: str  # environment variable that overrides the base URL
    default_base_url: str | None = None  # None: the user must name an instance
    key_env: str | None = None  # None: the provider needs no key
    key_header: str | None = None
    key_prefix: str = ""  # "Bearer " for Authorization headers
    signup_url: str | None = None
    url_flag: str | None = None  # CLI flag that also sets the base URL
    forbidden_hint: str = "the server refuses API access from this client"
    rejects_key: Callable[[int, bytes], bool] = rejects_key_by_status

    def create(self, config: ProviderConfig) -> Searcher:
        """The factory: a searcher for this provider with ``config`` (key and URL already set)."""
        return HostedSearcher(self, config)


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delay-seconds or HTTP-date), else None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT by definition
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


class _KeyAuth(httpx.Auth):
    """Adds the key header at send time, so no request value or log line ever holds the key."""

    def __init__(self, header: str, prefix: str, secret: Secret) -> None:
        self._header, self._prefix, self._secret = header, prefix, secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._prefix + self._secret.reveal()
        yield request


class HostedSearcher:
    """A ``Searcher``: one provider's backend wrapped in the shared HTTP behaviour."""

    def __init__(self, spec: ProviderSpec, config: ProviderConfig) -> None:
        self._spec, self._config = spec, config
        self._base_url = self._resolve_base_url()
        if spec.key_env is not None and config.api_key is None:
            where = f" (get one at {spec.signup_url})" if spec.signup_url else ""
            raise ConfigError(f"{spec.name} needs an API key: set {spec.key_env}{where}")
        self._backend = spec.backend(self._base_url, config.topic)

    def _resolve_base_url(self) -> str:
        spec = self._spec
        how = spec.url_env + (f" or pass {spec.url_flag} URL" if spec.url_flag else "")
        base = self._config.base_url or spec.default_base_url
        if not base:
            raise ConfigError(f"{spec.name} needs the URL of an instance: set {how}")
        if not base.startswith(("http://", "https://")):
            raise ConfigError(f"{spec.name} URL {base!r} must start with http:// or https:// "
                              f"(set by {how})")
        return base.rstrip("/")

    @property
    def name(self) -> str:
        """The registry name of the provider."""
        return self._spec.name

    def __repr__(self) -> str:
        return f"HostedSearcher(name={self.name!r}, base_url={self._base_url!r})"

    def search(self, query: str, *, limit: int = 10,
               since: date | None = None) -> list[SearchResult]:
        """Return at most ``limit`` results, none known to be published before ``since``."""
        text = query.strip()
        if not text:
            raise UsageError("the search query is empty")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise UsageError(f"the search limit must be a whole number ≥ 1, got {limit!r}")
        if isinstance(since, datetime):  # a datetime is a date too, but prints a time
            since = since.date()
        wire = self._backend.request(text, limit=limit, since=since, today=date.today())
        body = self._send(wire)
        try:
            results = self._backend.parse(body)
        except ValueError as exc:
            raise SearchProviderError(self._scrub(
                f"{self.name} sent a response citebrief cannot read: {exc}")) from None
        if since is not None:
            # Providers filter by coarse windows (SearXNG "month"), so trim to the exact day here.
            cutoff = since.isoformat()
            results = [r for r in results if r.published is None or r.published >= cutoff]
        return results[:limit]

    def _send(self, wire: WireRequest) -> bytes:
        spec, config = self._spec, self._config
        auth = None
        if spec.key_header is not None and config.api_key is not None:
            auth = _KeyAuth(spec.key_header, spec.key_prefix, config.api_key)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json",
                   "Accept-Encoding": ACCEPT_ENCODING}
        if wire.json_body is not None:
            headers["Content-Type"] = "application/json"
        # A redirect would carry a custom key header (X-Subscription-Token) to another host;
        # httpx only strips Authorization. So only keyless providers follow redirects.
        follow = spec.key_header is None
        attempts = config.retries + 1
        with httpx.Client(timeout=config.timeout, follow_redirects=False, headers=headers,
                          auth=auth) as client:
            attempt = 1
            while True:
                response, data = self._attempt(client, wire, follow=follow)
                if response.is_success:
                    return data
                delay = self._retry_delay(response, attempt) if attempt < attempts else None
                if delay is None:
                    raise SearchProviderError(self._scrub(self._status_message(response, data,
                                                                               attempt)))
                logger.warning("%s answered HTTP %d; retrying in %.1f s (attempt %d of %d)",
                               self.name, response.status_code, delay, attempt + 1, attempts)
                time.sleep(delay)
                attempt += 1

    def _attempt(self, client: httpx.Client, wire: WireRequest, *,
                 follow: bool) -> tuple[httpx.Response, bytes]:
        """Send one request, following redirects when ``follow``; the response and its body.

        Redirects are followed here rather than by httpx, which reads every redirect's body with
        its own unbounded decoder; here a redirect's body is never read, and the final body (an
        error's: its first 64 KiB) goes through ``citebrief.httpbody``.
        """
        try:
            request = client.build_request(wire.method, wire.url, params=wire.params or None,
                                           content=wire.json_body)
            for _ in range(client.max_redirects + 1):
                response = client.send(request, stream=True)
                try:
                    if not follow or response.next_request is None:
                        if response.is_success:
                            return response, read_response(response, MAX_REPLY_BYTES)
                        return response, read_response(response, _MAX_ERROR_BYTES, truncate=True)
                    request = response.next_request  # httpx built it: method, auth headers, URL
                finally:
                    response.close()
            raise httpx.TooManyRedirects(f"more than {client.max_redirects} redirects",
                                         request=request)
        except BodyTooLarge as exc:
            raise SearchProviderError(f"{self.name} sent a response citebrief will not read: "
                                      f"{exc} ({self._base_url})") from None
        except BodyRefused as exc:
            raise SearchProviderError(f"{self.name} sent a response citebrief cannot read: "
                                      f"{exc} ({self._base_url})") from None
        except httpx.TimeoutException:
            raise SearchProviderError(
                f"{self.name} did not answer within {self._config.timeout:g} s "
                f"({self._base_url}); try again later or raise the timeout") from None
        except httpx.HTTPError as exc:
            spec = self._spec
            custom = self._base_url != (spec.default_base_url or "").rstrip("/")
            hint = f"check {spec.url_env}" if custom else "check the network connection"
            raise SearchProviderError(self._scrub(
                f"could not reach {self.name} at {self._base_url}: "
                f"{exc or type(exc).__name__}; {hint}")) from None

    def _retry_delay(self, response: httpx.Response, attempt: int) -> float | None:
        if response.status_code not in RETRYABLE_STATUSES:
            return None
        cap = self._config.max_retry_wait
        asked = retry_after_seconds(response.headers.get("Retry-After"),
                                    now=datetime.now(timezone.utc))
        if asked is None:
            return min(BACKOFF_START * 2 ** (attempt - 1), cap)
        return asked if asked <= cap else None

    def _status_message(self, response: httpx.Response, data: bytes, attempts: int) -> str:
        spec, status = self._spec, response.status_code
        tries = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
        if spec.key_env is not None and spec.rejects_key(status, data):
            return f"{spec.name} rejected the API key (HTTP {status}): check {spec.key_env}"
        if status in (401, 403):
            return (f"{spec.name} refused the request (HTTP {status}) at {self._base_url}: "
                    f"{spec.forbidden_hint}")
        if status == 429:
            asked = retry_after_seconds(response.headers.get("Retry-After"),
                                        now=datetime.now(timezone.utc))
            wait = f"; it asks to wait {asked:.0f} s" if asked is not None else ""
            quota = " or check the plan's quota" if spec.key_env is not None else ""
            return (f"{spec.name} is rate-limiting requests (HTTP 429) {tries}{wait}: "
                    f"try again later{quota}")
        if status >= 500:
            return (f"{spec.name} failed with HTTP {status} {tries}: the service may be down; "
                    f"try again later")
        text = data[:1200].decode(response.charset_encoding or "utf-8", errors="replace")
        detail = " ".join(text[:300].split())
        return f"{spec.name} answered HTTP {status}: {detail or response.reason_phrase}"

    def _scrub(self, message: str) -> str:
        # Belt and braces: a server could echo the key back in an error body.
        key = self._config.api_key
        return message.replace(key.reveal(), "***") if key is not None else message
