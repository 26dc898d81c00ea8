"""Access control for ``citebrief serve``: loopback binding, access token, CSRF, security headers.

Model (keep it simple, keep it documented):

- **Loopback by default.** Bound to 127.0.0.1/::1/localhost the server trusts the machine's users,
  as a Jupyter or a dev server does. Without a token, the ``Host`` header must then name a
  loopback host, so a web page that rebinds its own DNS name to 127.0.0.1 (DNS rebinding) gets
  400 instead of the corpus.
- **Token off loopback.** Binding to any other address needs a token (``--token`` or
  ``$CITEBRIEF_TOKEN``); ``citebrief serve`` refuses to start without one. When a token is set it is
  checked on every request — pages, API, static files, ``/openapi.json`` — and accepted as
  ``Authorization: Bearer TOKEN`` or as the ``citebrief_session`` cookie. Opening any page with
  ``?token=TOKEN`` sets that cookie (HttpOnly, SameSite=Strict; its value is an HMAC of the token,
  not the token) and redirects to the same URL without the token, so it stays out of history and
  Referer headers. Comparisons are constant-time (``hmac.compare_digest``). Missing or wrong → 401.
- **CSRF.** Every POST must carry either a valid bearer token (a browser never adds one on its own)
  or be a same-origin browser request: the ``Origin`` header, when present, must equal this
  server's own origin (scheme + ``Host``), and when absent ``Sec-Fetch-Site`` must be absent,
  ``same-origin`` or ``none`` (a non-browser client such as curl on loopback). On top of that,
  JSON endpoints accept only ``Content-Type: application/json`` (a cross-site HTML form cannot
  send it without a CORS preflight, which this server never grants) and the multipart upload
  needs the page's CSRF token, as the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
  The CSRF token is random per server process: reload the page after a restart.
- **Headers.** Every response gets a Content-Security-Policy (``default-src 'self'``, no inline
  script or style, no framing), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``
  and ``X-Frame-Options: DENY``, unless the route set its own CSP (the HTML export does).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

from fastapi import HTTPException, Request

COOKIE = "citebrief_session"
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


@dataclass(frozen=True, slots=True)
class Access:
    """Who may use the server: the token (None = loopback-only trust) and the page's CSRF token."""

    token: str | None
    csrf: str

    def session_value(self) -> str:
        """The cookie value: an HMAC of the token, so the cookie never holds the token itself."""
        return hmac.new((self.token or "").encode(), b"citebrief-session", hashlib.sha256).hexdigest()

    def bearer_ok(self, authorization: str | None) -> bool:
        """A valid ``Authorization: Bearer TOKEN`` header."""
        if not self.token or not authorization:
            return False
        scheme, _, value = authorization.partition(" ")
        return scheme.lower() == "bearer" and same(value.strip(), self.token)

    def cookie_ok(self, cookie: str | None) -> bool:
        """A valid session cookie."""
        return bool(self.token and cookie and same(cookie, self.session_value()))


Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class Guard:
    """ASGI middleware: host check, token check, ?token= → cookie, security headers on every reply."""

    def __init__(self, app, access: Access) -> None:
        self.app = app
        self.access = access

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

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)

    def _refusal(self, request: Request) -> tuple[int, str, str] | None:
        """(status, message, content type) when the request may not pass, else None."""
        host = host_without_port(request.headers.get("host", ""))
        if not self.access.token:
            if not is_loopback(host):
                return 400, (f"Host {host!r} is not a loopback name; this server only answers "
                             "http://127.0.0.1 or http://localhost (start it with --token to serve "
                             "other names)"), "text/plain"
            return None
        if "token" in request.query_params and request.method == "GET":
            return None if same(request.query_params["token"], self.access.token) else (
                401, "Wrong access token", "text/plain")
        if self.access.bearer_ok(request.headers.get("authorization")) or \
                self.access.cookie_ok(request.cookies.get(COOKIE)):
            return None
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return 401, json.dumps({"detail": "Access token required: send Authorization: Bearer TOKEN"}), \
                "application/json"
        return 401, "Access token required: open this page once with ?token=YOUR_TOKEN", "text/plain"

    async def _login(self, request: Request, send: Send) -> None:
        """Set the session cookie and redirect to the same URL without ``token``."""
        query = urlencode([(k, v) for k, v in parse_qsl(request.url.query) if k != "token"])
        location = request.url.path + (f"?{query}" if query else "")
        secure = "; Secure" if request.url.scheme == "https" else ""
        cookie = f"{COOKIE}={self.access.session_value()}; Path=/; HttpOnly; SameSite=Strict{secure}"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                                (b"cache-control", b"no-store"), *HEADERS]})
        await send({"type": "http.response.body", "body": b""})


async def _send_error(send: Send, status: int, message: str, content_type: str) -> None:
    body = message.encode("utf-8")
    headers = [(b"content-type", f"{content_type}; charset=utf-8".encode()),
               (b"content-length", str(len(body)).encode()), *HEADERS]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="citebrief"'))
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
            raise HTTPException(403, f"Cross-origin request refused (Origin {origin} is not {own})")
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
