"""A real HTTP server on 127.0.0.1 for fetcher tests: scripted routes, a request log, in-flight counts.

Routes map a path to a ``Reply`` or to a function of the ``Seen`` request returning one, so a test
can script "429 then 200", conditional 304s or an endless body. HTTP/1.0 (one request per
connection) keeps streaming bodies simple: the end of the body is the end of the connection.
"""

from __future__ import annotations

import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Iterator, Union

import httpcore


@dataclass
class Reply:
    """A scripted response; ``body`` may be an iterable of chunks (streamed, no Content-Length)."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds to wait before sending anything


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    host: str
    started: float  # time.monotonic() on arrival


Route = Union[Reply, Callable[[Seen], Reply]]


class TestServer:
    """A threaded HTTP server on a free loopback port; use as a context manager."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # slow or endless handlers must not hold up teardown
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> "TestServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        """Absolute URL of ``path`` on this server, optionally under another host name."""
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, reply: Route) -> None:
        self.routes[path] = reply

    def hits(self, path: str) -> list[Seen]:
        """Requests made to ``path`` (query string included in the match)."""
        return [s for s in self.log if s.path == path]

    def _enter(self, seen: Seen) -> None:
        with self._lock:
            self.log.append(seen)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


def _make_handler(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:  # routed like GET; the request body is read and dropped
            length = self.headers.get("Content-Length", "0")
            self.rfile.read(int(length) if length.isdigit() else 0)
            self.do_GET(method="POST")

        def do_GET(self, method: str = "GET") -> None:
            seen = Seen(method, self.path, {k.lower(): v for k, v in self.headers.items()},
                        self.headers.get("Host", ""), time.monotonic())
            server._enter(seen)
            try:
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    reply = Reply(404, b"not found", content_type="text/plain")
                else:
                    reply = route(seen) if callable(route) else route
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout, size cap): what the test wanted
            finally:
                server._leave()

        def _send(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers:
                self.send_header(name, value)
            if isinstance(reply.body, bytes):
                if not any(n.lower() == "content-length" for n, _ in reply.headers):
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.end_headers()
            for chunk in reply.body:
                self.wfile.write(chunk)
                self.wfile.flush()

    return Handler


class RecordingStream(httpcore.AsyncNetworkStream):
    """A real connection that notes the host name TLS is started with."""

    def __init__(self, inner: httpcore.AsyncNetworkStream, tls_names: list[str | None]) -> None:
        self.inner, self.tls_names = inner, tls_names

    async def read(self, max_bytes, timeout=None):
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer, timeout=None):
        await self.inner.write(buffer, timeout)

    async def aclose(self):
        await self.inner.aclose()

    async def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        self.tls_names.append(server_hostname)
        return await self.inner.start_tls(ssl_context, server_hostname, timeout)

    def get_extra_info(self, info):
        return self.inner.get_extra_info(info)


class RoutedNetwork(httpcore.AsyncNetworkBackend):
    """The real network, except that connections to ``routes`` keys go to their values.

    Stands in for the internet routing a public IP to the loopback test server, and records what
    the fetcher dialled, so a test sees that the checked address (not the name) was connected.
    """

    def __init__(self, routes: dict[str, str]) -> None:
        self.routes = routes
        self.dialled: list[str] = []
        self.tls_names: list[str | None] = []
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.dialled.append(host)
        stream = await self._real.connect_tcp(self.routes.get(host, host), port, timeout=timeout,
                                              local_address=local_address,
                                              socket_options=socket_options)
        return RecordingStream(stream, self.tls_names)

    async def sleep(self, seconds):
        await self._real.sleep(seconds)


def endless(chunk: int = 64 * 1024) -> Iterator[bytes]:
    """An infinite body, to test the size cap."""
    block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
    while True:
        yield block


def gzip_of_zeros(megabytes: int) -> bytes:
    """A valid gzip file of ``megabytes`` MiB of zero bytes, built in about a second per GiB.

    Compressing 1 GiB of zeros takes zlib ~12 s; instead one MiB is compressed once and its block
    repeated. After a full flush deflate's state is reset and the output byte-aligned, so the
    same input always gives the same block and blocks can follow one another (RFC 1951).
    """
    mib = bytes(2**20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()  # an empty final block
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(mib, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # RFC 1952: deflate, no name, no mtime
    size = (megabytes * 2**20) & 0xFFFFFFFF  # ISIZE is the length modulo 2^32
    return header + block * megabytes + last + struct.pack("<II", crc, size)


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzipped once (for stacking a second layer on ``gzip_of_zeros``)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def sequence(*replies: Reply) -> Callable[[Seen], Reply]:
    """A route answering with ``replies`` in turn, then repeating the last one."""
    remaining = list(replies)

    def answer(_: Seen) -> Reply:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return answer


def minimal_pdf(text: str) -> bytes:
    """A tiny valid one-page PDF whose content stream draws ``text`` in Helvetica."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    from pdfs import assemble  # the one PDF writer of the tests (catalog first, xref, trailer)

    return assemble(objects)
