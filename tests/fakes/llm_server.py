"""A scripted LLM server on 127.0.0.1 that speaks both wire formats, for tests.

``POST /v1/chat/completions`` (OpenAI-compatible) and ``POST /v1/messages`` (Anthropic) each
pop the next scripted reply (status, headers, body, optional delay) from one queue, and every
request is recorded (path, headers, JSON body) so tests can assert what was sent. ``delay`` slows
every reply by that many seconds (a slow model), and ``arrived`` is told of each request as it
comes in, before it is answered (for tests of what happened while the model was still writing). Other paths
answer 404 like a real server and do not consume the script. The code under test finds it the
way it finds a real server: ``base_url`` points here (``openai_base_url`` / ``anthropic_base_url``).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

WIRE_PATHS = {"/v1/chat/completions": "openai", "/v1/messages": "anthropic"}


@dataclass(frozen=True)
class Scripted:
    """One reply to serve: a dict/list body is sent as JSON, a str as-is."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (for client timeouts)


@dataclass(frozen=True)
class Received:
    """One request as the server saw it; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or None when the body was not JSON


def ok_reply(wire: str, text: str, *, usage: tuple[int, int] | None = (12, 8)) -> Scripted:
    """A successful reply in ``wire``'s format ("openai" or "anthropic") with prompt/reply usage."""
    if wire == "openai":
        body: dict[str, Any] = {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
        }
        if usage:
            body["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                             "total_tokens": sum(usage)}
    else:
        body = {"id": "msg_fake", "type": "message", "role": "assistant", "model": "fake",
                "content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}
        if usage:
            body["usage"] = {"input_tokens": usage[0], "output_tokens": usage[1]}
    return Scripted(200, body)


def error_reply(wire: str, status: int, message: str, *, headers: dict[str, str] | None = None) -> Scripted:
    """An error in ``wire``'s documented error shape."""
    if wire == "openai":
        body: dict[str, Any] = {"error": {"message": message, "type": "invalid_request_error",
                                          "param": None, "code": None}}
    else:
        kinds = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                 404: "not_found_error", 429: "rate_limit_error", 529: "overloaded_error"}
        body = {"type": "error", "error": {"type": kinds.get(status, "api_error"), "message": message}}
    return Scripted(status, body, headers or {})


class FakeLLMServer:
    """Start with ``start()``; script replies with ``script(...)``; read ``received``."""

    def __init__(self) -> None:
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self.received: list[Received] = []
        self.delay = 0.0  # seconds added before every reply
        self.arrived: Callable[[Received], None] | None = None
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return self.url + "/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    def base_url(self, wire: str) -> str:
        """The base_url a user would configure for ``wire`` against this server."""
        return self.openai_base_url if wire == "openai" else self.anthropic_base_url

    def script(self, *replies: Scripted) -> None:
        """Queue replies, served in order."""
        with self._lock:
            self._queue.extend(replies)

    def reset(self) -> None:
        """Forget the script, the recorded requests, the delay and the ``arrived`` hook."""
        with self._lock:
            self._queue.clear()
            self.received.clear()
            self.delay = 0.0
            self.arrived = None

    def start(self) -> FakeLLMServer:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # clients that timed out hang up
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def _next(self, request: Received) -> Scripted:
        with self._lock:
            self.received.append(request)
            if self._queue:
                return self._queue.popleft()
        return Scripted(500, {"error": {"message": "fake server: no scripted reply left"}})


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            if self.path not in WIRE_PATHS:
                self._send(Scripted(404, "404 page not found", {"content-type": "text/plain"}))
                return
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Received("POST", self.path, headers, body)
            if server.arrived is not None:
                server.arrived(request)
            reply = server._next(request)
            if server.delay:
                reply = replace(reply, delay=reply.delay + server.delay)
            self._send(reply)

        def do_GET(self) -> None:
            self._send(Scripted(404, "404 page not found", {"content-type": "text/plain"}))

        def _send(self, reply: Scripted) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            is_text = isinstance(reply.body, str)
            data = (reply.body if is_text else json.dumps(reply.body)).encode("utf-8")
            self.send_response(reply.status)
            headers = {"content-type": "text/plain" if is_text else "application/json", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
