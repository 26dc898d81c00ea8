"""Access control for ``citebrief serve``: access token, sessions, CSRF, security headers, safe URLs.

Model (keep it simple, keep it documented; it follows Jupyter's notebook server):

- **A token by default.** ``citebrief serve`` makes a random token (32 URL-safe bytes) unless one
  is given (``--token`` / ``$CITEBRIEF_TOKEN``, at least ``MIN_TOKEN_LENGTH`` characters) and
  prints a login URL ``http://127.0.0.1:8000/?token=…``. Only ``--no-token`` turns it off, and only
  on a loopback address; then the ``Host`` header must name a loopback host, so a web page that
  rebinds its own DNS name to 127.0.0.1 (DNS rebinding) gets 400 instead of the corpus.
- **Checked on every request** — pages, API, ``/openapi.json`` — as
  ``Authorization: Bearer TOKEN`` or as the ``citebrief_session`` cookie. Opening any page with
  ``?token=TOKEN`` sets that cookie (HttpOnly, SameSite=Strict, ``Max-Age`` of the session
  lifetime; its value is the issue time and an HMAC of token and time, never the token) and
  redirects to the same URL without the token, so it stays out of history and Referer headers.
  A cookie older than the session lifetime is refused. Comparisons are constant-time
  (``hmac.compare_digest``). Missing or wrong → 401.
- **Wrong tokens are slowed.** Per client address, the first ``FREE_FAILURES`` wrong tokens are
  answered at once; after that the next attempt must wait 1, 2, 4 … (at most 300) seconds after
  the last failure, and an earlier one — right or wrong — gets 429 with ``Retry-After``.
  A success clears the count. 6 guesses a minute at 2^-192 each do not find a 32-byte token.
- **Share links.** ``/share/ID/KEY`` is a read-only view of one brief for someone without the
  token; KEY is an HMAC of the brief id under the token, so it cannot be guessed, needs no table,
  and every link dies with the token. The view reads only that brief and the documents it cites
  (``GET`` only). Without a token there are no share links. The page's script, style and icon
  (``/static/``) are public, as they hold no data, so a share link can load them.
- **CSRF.** Every POST must carry either a valid bearer token (a browser never adds one on its own)
  or be a same-origin browser request: the ``Origin`` header, when present, must equal this
  server's own origin (scheme + ``Host``), and when absent ``Sec-Fetch-Site`` must be absent,
  ``same-origin`` or ``none`` (a non-browser client such as curl on loopback). On top of that,
  JSON endpoints accept only ``Content-Type: application/json`` (a cross-site HTML form cannot
  send it without a CORS preflight, which this server never grants) and the multipart upload
  needs the page's CSRF token, as the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
  The CSRF token is random per server process: reload the page after a restart.
- **Headers.** Every response — errors and 500s included — gets a Content-Security-Policy
  (``default-src 'self'``, no inline script or style, no framing), ``X-Content-Type-Options:
  nosniff``, ``Referrer-Policy: no-referrer`` and ``X-Frame-Options: DENY``, unless the route set
  its own CSP (the HTML export does). Error messages never repeat the request's input.
- **URLs.** Only http and https URLs leave the server (``safe_url``); ``javascript:``, ``data:``
  and every other scheme become null in the JSON API and in exports.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import HTTPException, Request

log = logging.getLogger("citebrief.server")
COOKIE = "citebrief_session"
MIN_TOKEN_LENGTH = 16
SESSION_SECONDS = 7 * 24 * 3600  # a week of daily use, then log in again with the printed URL
FREE_FAILURES = 3  # wrong tokens answered at once; then waits of 1, 2, 4 … seconds
MAX_WAIT = 300.0
SAFE_SCHEMES = ("http", "https")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = ((b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"))
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost (with or without brackets)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_without_port(host_header: str) -> str:
    """'[::1]:8000' → '::1', '127.0.0.1:8000' → '127.0.0.1', 'example.org' → 'example.org'."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def same(a: str, b: str) -> bool:
    """Constant-time string equality."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def check_token(token: str) -> None:
    """Raise ``UsageError`` for a token too short to resist guessing."""
    from ..errors import UsageError

    if len(token) < MIN_TOKEN_LENGTH:
        raise UsageError(f"The access token has {len(token)} characters; use at least {MIN_TOKEN_LENGTH} "
                         "(leave --token out and one is made for you, or run "
                         "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`)")


def safe_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL, else None: no ``javascript:`` or ``data:`` link leaves the server."""
    if not isinstance(value, str):
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value if scheme in SAFE_SCHEMES else None


@dataclass(frozen=True, slots=True)
class Access:
    """Who may use the server: the token (None = loopback-only trust) and the page's CSRF token."""

    token: str | None
    csrf: str
    session_seconds: int = SESSION_SECONDS

    def _mac(self, message: str) -> str:
        return hmac.new((self.token or "").encode(), message.encode(), hashlib.sha256).hexdigest()

    def session_value(self, issued: int | None = None) -> str:
        """The cookie value "ISSUED.HMAC": the issue time, signed, so the cookie never holds the token."""
        issued = int(time.time()) if issued is None else issued
        return f"{issued}.{self._mac(f'citebrief-session {issued}')}"

    def share_key(self, job_id: str) -> str:
        """The key of a read-only share link to one brief (an HMAC of its id; 128 bits)."""
        return self._mac(f"citebrief-share {job_id}")[:32]

    def share_ok(self, job_id: str, key: str) -> bool:
        """A valid share key for ``job_id`` (always False without a token)."""
        return bool(self.token) and same(key, self.share_key(job_id))

    def bearer_ok(self, authorization: str | None) -> bool:
        """A valid ``Authorization: Bearer TOKEN`` header."""
        if not self.token or not authorization:
            return False
        scheme, _, value = authorization.partition(" ")
        return scheme.lower() == "bearer" and same(value.strip(), self.token)

    def cookie_ok(self, cookie: str | None, now: float | None = None) -> bool:
        """A valid session cookie issued within the session lifetime."""
        if not (self.token and cookie):
            return False
        issued, _, _ = cookie.partition(".")
        if not issued.isdigit():
            return False
        age = (time.time() if now is None else now) - int(issued)
        return -60 <= age <= self.session_seconds and same(cookie, self.session_value(int(issued)))


@dataclass
class Throttle:
    """Wrong tokens per client address: after ``FREE_FAILURES``, each attempt waits 1, 2, 4 … seconds."""

    clock: Callable[[], float] = time.monotonic
    limit: int = 10_000  # addresses remembered; the oldest are forgotten first
    _seen: OrderedDict = field(default_factory=OrderedDict)  # address → (failures, last failure time)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, client: str) -> float:
        """Seconds ``client`` must still wait before its token is looked at (0 = go ahead)."""
        with self._lock:
            failures, last = self._seen.get(client, (0, 0.0))
        if failures < FREE_FAILURES:
            return 0.0
        # 3 failures: 1 s; 4: 2 s; 5: 4 s … 12: 300 s (capped)
        delay = min(MAX_WAIT, 2.0 ** (failures - FREE_FAILURES))
        return max(0.0, last + delay - self.clock())

    def failed(self, client: str) -> None:
        with self._lock:
            failures, _ = self._seen.pop(client, (0, 0.0))
            self._seen[client] = (failures + 1, self.clock())
            while len(self._seen) > self.limit:
                self._seen.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._seen.pop(client, None)


Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class Guard:
    """ASGI middleware: host check, token check, ?token= → cookie, security headers on every reply.

    It is the outermost layer that sees every response, so it also turns an unexpected exception
    into a plain 500 that carries the headers (Starlette's own 500 page is sent outside it).
    """

    def __init__(self, app, access: Access, throttle: Throttle | None = None) -> None:
        self.app = app
        self.access = access
        self.throttle = throttle or Throttle()

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await _send_error(send, *refusal)
            return
        if self.access.token and "token" in request.query_params and request.method == "GET":
            await self._login(request, send)
            return
        scope.setdefault("state", {})["bearer"] = self.access.bearer_ok(request.headers.get("authorization"))
        started = False

        async def with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in HEADERS if h[0] not in present)]
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:  # the HTTP boundary: log it, answer 500 with the headers, never the traceback
            log.exception("%s %s failed", request.method, request.url.path)
            if not started:
                await _send_error(send, 500, json.dumps({"detail": "Internal error; the server log has the "
                                                                   "details"}), "application/json")

    def _client(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def _refusal(self, request: Request) -> tuple[int, str, str, float] | None:
        """(status, message, content type, retry-after) when the request may not pass, else None."""
        if not self.access.token:
            host = host_without_port(request.headers.get("host", ""))
            if not is_loopback(host):
                return 400, ("This server only answers http://127.0.0.1 or http://localhost (it was "
                             "started with --no-token); the Host header named another name"), "text/plain", 0
            return None
        api = request.url.path.startswith("/api/") or request.url.path == "/openapi.json"
        if self.access.cookie_ok(request.cookies.get(COOKIE)):
            return None
        presented = request.query_params.get("token") if request.method == "GET" else None
        authorization = request.headers.get("authorization")
        if presented is None and not authorization and request.method == "GET" and (
                request.url.path.startswith("/share/") or request.url.path.startswith("/static/")):
            return None  # the share routes check their own key; the page's script and style are public
        if presented is None and not authorization:
            if api:
                return 401, json.dumps({"detail": "Access token required: send Authorization: Bearer TOKEN"}), \
                    "application/json", 0
            return 401, ("Access token required: open the login URL `citebrief serve` printed "
                         "(…/?token=YOUR_TOKEN)"), "text/plain", 0
        client = self._client(request)
        wait = self.throttle.wait(client)
        if wait > 0:
            message = f"Too many wrong access tokens; try again in {math.ceil(wait)} s"
            return 429, json.dumps({"detail": message}) if api else message, \
                "application/json" if api else "text/plain", wait
        good = same(presented, self.access.token) if presented is not None else self.access.bearer_ok(authorization)
        if good:
            self.throttle.succeeded(client)
            return None
        self.throttle.failed(client)
        if api:
            return 401, json.dumps({"detail": "Wrong access token"}), "application/json", 0
        return 401, "Wrong access token", "text/plain", 0

    async def _login(self, request: Request, send: Send) -> None:
        """Set the session cookie and redirect to the same URL without ``token``."""
        query = urlencode([(k, v) for k, v in parse_qsl(request.url.query) if k != "token"])
        location = request.url.path + (f"?{query}" if query else "")
        secure = "; Secure" if request.url.scheme == "https" else ""
        cookie = (f"{COOKIE}={self.access.session_value()}; Path=/; Max-Age={self.access.session_seconds}; "
                  f"HttpOnly; SameSite=Strict{secure}")
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                                (b"cache-control", b"no-store"), *HEADERS]})
        await send({"type": "http.response.body", "body": b""})


async def _send_error(send: Send, status: int, message: str, content_type: str, retry_after: float = 0) -> None:
    body = message.encode("utf-8")
    headers = [(b"content-type", f"{content_type}; charset=utf-8".encode()),
               (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"), *HEADERS]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="citebrief"'))
    if retry_after > 0:
        headers.append((b"retry-after", str(math.ceil(retry_after)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def check_same_origin(request: Request) -> None:
    """Refuse (403) a browser request that comes from another origin; a bearer token skips the check."""
    if request.scope.get("state", {}).get("bearer"):
        return
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin is not None:
        if not same(origin.lower(), own.lower()):
            raise HTTPException(403, "Cross-origin request refused: the Origin header is not this server")
        return
    if request.headers.get("sec-fetch-site", "none") not in ("same-origin", "none"):
        raise HTTPException(403, "Cross-site request refused")


def csrf_json(request: Request) -> None:
    """Dependency of JSON POST endpoints: same origin (or bearer) and ``application/json``."""
    check_same_origin(request)
    if request.scope.get("state", {}).get("bearer"):
        return
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise HTTPException(415, "Send the request body as JSON (Content-Type: application/json)")


def csrf_form(request: Request, access: Access, form_token: str | None) -> None:
    """The multipart upload's check: same origin (or bearer) and the page's CSRF token."""
    check_same_origin(request)
    if request.scope.get("state", {}).get("bearer"):
        return
    given = request.headers.get("x-csrf-token") or form_token or ""
    if not same(given, access.csrf):
        raise HTTPException(403, "Missing or stale CSRF token — reload the page and try again")
