"""One scripted server on 127.0.0.1 that speaks every web search provider's wire format.

Routes, as the real services lay them out (Tavily sits under ``/tavily`` because SearXNG owns
``/search``; its base URL is ``server.base_url("tavily")``):

    GET  /search                                  searxng
    GET  /res/v1/web/search, /res/v1/news/search  brave
    POST /tavily/search                           tavily
    GET  /api/v2/doc/doc                          gdelt
    GET  /w/api.php                               wikipedia

Each provider answers with its canned ``FakeHit``s rendered in its own format (dates in its own
spelling, its own count parameter honoured), unless a scripted ``Reply`` is queued for it: a
status, headers, a raw body and a delay, served once, in order. ``require_key`` makes a provider
reject other keys the way the real one does (Brave: 422 SUBSCRIPTION_TOKEN_INVALID; Tavily:
401). Every request is recorded with its parameters, headers and JSON body. ``environ()`` gives
the ``CITEBRIEF_<NAME>_URL`` variables that point the real code here, e.g. for CLI tests.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

PROVIDERS = ("searxng", "brave", "tavily", "gdelt", "wikipedia")
ROUTES = {
    ("GET", "/search"): "searxng",
    ("GET", "/res/v1/web/search"): "brave",
    ("GET", "/res/v1/news/search"): "brave",
    ("POST", "/tavily/search"): "tavily",
    ("GET", "/api/v2/doc/doc"): "gdelt",
    ("GET", "/w/api.php"): "wikipedia",
}


@dataclass(frozen=True)
class FakeHit:
    """One canned search hit; each provider renders it in its own wire format."""

    url: str
    title: str
    snippet: str = ""  # served as given, so HTML highlights can be tested
    published: str | None = None  # ISO datetime, e.g. "2024-05-01T10:15:00Z"
    engine: str = "duckduckgo"
    country: str = "United States"
    language: str = "English"


@dataclass(frozen=True)
class Reply:
    """A scripted answer; ``body=None`` with status 200 means the provider's normal answer."""

    status: int = 200
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds before answering (to trip client timeouts)


def rate_limited(retry_after: str | None = "1") -> Reply:
    """HTTP 429, with ``Retry-After`` (seconds or an HTTP-date) unless None."""
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    return Reply(429, b'{"error": "rate limited"}', headers)


def slow(seconds: float) -> Reply:
    """The normal answer, sent only after ``seconds``."""
    return Reply(delay=seconds)


def malformed(body: bytes = b"<html><body>Bad gateway</body></html>") -> Reply:
    """HTTP 200 whose body is not the provider's JSON."""
    return Reply(200, body, (("Content-Type", "text/html"),))


def unauthorized() -> Reply:
    """HTTP 401 with a JSON error body."""
    return Reply(401, b'{"detail": {"error": "Unauthorized: missing or invalid API key."}}')


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it; header names are lower-case, params keep the last value."""

    provider: str
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    json: Any  # parsed JSON body, or None
    at: float  # time.monotonic() on arrival


def _when(hit: FakeHit) -> datetime | None:
    return datetime.fromisoformat(hit.published.replace("Z", "+00:00")) if hit.published else None


def _render(provider: str, path: str, hits: list[FakeHit], request: Recorded) -> dict[str, Any]:
    """The provider's success body for ``hits``, honouring its count parameter."""
    if provider == "searxng":
        return {"query": request.params.get("q"), "number_of_results": len(hits), "answers": [],
                "suggestions": [], "infoboxes": [], "unresponsive_engines": [],
                "results": [{"url": h.url, "title": h.title, "content": h.snippet,
                             "engine": h.engine, "engines": [h.engine], "score": 1.0,
                             "category": request.params.get("categories", "general"),
                             "publishedDate": _when(h).replace(tzinfo=None).isoformat()
                             if h.published else None} for h in hits]}
    if provider == "brave":
        items = [{"type": "search_result", "url": h.url, "title": h.title,
                  "description": h.snippet, "language": "en",
                  "meta_url": {"hostname": urlsplit(h.url).hostname},
                  **({"page_age": _when(h).replace(tzinfo=None).isoformat(),
                      "age": f"{_when(h):%B} {_when(h).day}, {_when(h).year}"}
                     if h.published else {})}
                 for h in hits[:int(request.params.get("count", 20))]]
        query = {"original": request.params.get("q")}
        if path.endswith("/news/search"):
            return {"type": "news", "query": query, "results": items}
        return {"type": "search", "query": query, "web": {"type": "search", "results": items}}
    if provider == "tavily":
        body = request.json or {}
        return {"query": body.get("query"), "answer": None, "images": [], "response_time": 0.4,
                "results": [{"url": h.url, "title": h.title, "content": h.snippet, "score": 0.81,
                             "raw_content": None,
                             **({"published_date": format_datetime(_when(h), usegmt=True)}
                                if h.published else {})}
                            for h in hits[:int(body.get("max_results", 5))]]}
    if provider == "gdelt":
        if not hits:
            return {}  # what GDELT sends when nothing matched
        return {"articles": [{"url": h.url, "url_mobile": "", "title": h.title,
                              "seendate": f"{_when(h):%Y%m%dT%H%M%SZ}" if h.published else "",
                              "socialimage": "", "domain": urlsplit(h.url).hostname,
                              "language": h.language, "sourcecountry": h.country}
                             for h in hits[:int(request.params.get("maxrecords", 75))]]}
    return {"batchcomplete": True,
            "query": {"searchinfo": {"totalhits": len(hits)},
                      "search": [{"ns": 0, "title": h.title, "pageid": 1000 + i,
                                  "snippet": h.snippet,
                                  **({"timestamp": h.published} if h.published else {})}
                                 for i, h in enumerate(hits[:int(request.params.get("srlimit",
                                                                                    10))])]}}


def _key_rejection(provider: str) -> Reply:
    if provider == "brave":
        return Reply(422, json.dumps({"type": "ErrorResponse", "error": {
            "code": "SUBSCRIPTION_TOKEN_INVALID", "status": 422,
            "detail": "The provided subscription token is invalid.",
            "meta": {"component": "authentication"}}}).encode())
    return unauthorized()


class FakeSearchServers:
    """Start with ``start()`` or ``with``; ``set_hits``; ``script`` failures; read ``received``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, list[FakeHit]] = {name: [] for name in PROVIDERS}
        self._scripts: dict[str, deque[Reply]] = {name: deque() for name in PROVIDERS}
        self._keys: dict[str, str] = {}
        self.received: list[Recorded] = []
        self._httpd: ThreadingHTTPServer | None = None

    def __enter__(self) -> FakeSearchServers:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("fake search server not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def base_url(self, provider: str) -> str:
        """The base URL a user would configure for ``provider`` against this server."""
        return self.url + ("/tavily" if provider == "tavily" else "")

    def environ(self) -> dict[str, str]:
        """``CITEBRIEF_<NAME>_URL`` for every provider, pointing here."""
        return {f"CITEBRIEF_{name.upper()}_URL": self.base_url(name) for name in PROVIDERS}

    def set_hits(self, provider: str, hits: list[FakeHit]) -> None:
        """What ``provider`` finds for any query."""
        with self._lock:
            self._hits[provider] = list(hits)

    def require_key(self, provider: str, key: str) -> None:
        """Make ``provider`` reject requests that do not carry ``key``."""
        with self._lock:
            self._keys[provider] = key

    def script(self, provider: str, *replies: Reply) -> None:
        """Queue replies for ``provider``, served in order before its normal answers resume."""
        with self._lock:
            self._scripts[provider].extend(replies)

    def requests_for(self, provider: str) -> list[Recorded]:
        """The requests ``provider`` received, oldest first."""
        with self._lock:
            return [r for r in self.received if r.provider == provider]

    def start(self) -> FakeSearchServers:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # timed-out clients hang up
        # A short poll interval: shutdown() waits for one poll, 0.5 s by default, per test.
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         name="fake-search", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def _answer(self, request: Recorded) -> Reply:
        provider = request.provider
        with self._lock:
            self.received.append(request)
            if self._scripts[provider]:
                reply = self._scripts[provider].popleft()
                if reply.body is not None or reply.status != 200:
                    return reply
            else:
                reply = Reply()
            key = self._keys.get(provider)
            hits = list(self._hits[provider])
        sent = request.headers.get("x-subscription-token") or request.headers.get(
            "authorization", "").removeprefix("Bearer ")
        if key is not None and sent != key:
            return _key_rejection(provider)
        body = json.dumps(_render(provider, request.path, hits, request)).encode()
        return Reply(200, body, (("Content-Type", "application/json"),), reply.delay)


def _handler_for(server: FakeSearchServers) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def _route(self, method: str) -> None:
            parts = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            provider = ROUTES.get((method, parts.path))
            if provider is None:
                self._send(Reply(404, b"404 page not found", (("Content-Type", "text/plain"),)))
                return
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            request = Recorded(provider, method, parts.path, dict(parse_qsl(parts.query)),
                               {k.lower(): v for k, v in self.headers.items()}, body,
                               time.monotonic())
            self._send(server._answer(request))

        def _send(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            data = reply.body or b""
            self.send_response(reply.status)
            names = {name.lower() for name, _ in reply.headers}
            for name, value in reply.headers:
                self.send_header(name, value)
            if "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
