"""HTTP response bodies read within a size limit, Content-Encoding undone as the bytes arrive.

The one reader of every response citebrief reads: pages, feeds, sitemaps and robots.txt
(``web/fetch.py``), LLM replies (``llm/host.py``) and search-provider replies
(``research/providers/host.py``):

    raw bytes off the socket (httpx ``iter_raw``) ─ decoder (identity, gzip or deflate) asked for
        at most the bytes left under the limit ─ counted ─ over the limit? → ``BodyTooLarge``
        (or, for robots.txt, stop and keep the first ``limit`` bytes)

Why not httpx's own decoding (``.content``, ``aiter_bytes``): it undoes every listed coding in
turn and each decoder returns all it can make of a chunk, so a 20 KB body sent with
``Content-Encoding: gzip, gzip`` became 4 GB in memory before one byte was counted (issue 16:
8.46 GB RSS under a 20 MB limit). Here each ``decompress`` call passes zlib a ``max_length`` of
at most the room left (limit 20 MB, 19.9 MB read: 0.1 MB + 1 byte more), so memory stays near the
limit plus one raw chunk whatever the compression ratio.

It sits outside ``citebrief.web`` so the LLM and search clients can use it without importing the
web reader (trafilatura, lxml: ~0.5 s of start-up).

Refused outright: more than one content coding (no server needs "gzip, gzip"; a decompression bomb
does) and codings other than gzip, x-gzip, deflate and identity — the clients send
``Accept-Encoding: gzip, deflate`` (``ACCEPT_ENCODING``), so anything else is unasked for.
"""

from __future__ import annotations

import zlib
from typing import Any, Callable, Iterable

import httpx

ACCEPT_ENCODING = "gzip, deflate"  # what the decoder below undoes; send it, so servers send no br/zstd
_GZIP = ("gzip", "x-gzip")
_DEFLATE = "deflate"
# Decoded bytes asked of zlib per call: small steps keep its growing output buffer (which is copied
# as it grows) from doubling the memory a body near the limit takes.
_STEP = 256 * 1024


class BodyRefused(Exception):
    """A response body that is not read; the message says why, without the URL.

    Not a ``CitebriefError``: each caller turns it into its own error (``FetchError``,
    ``GeneratorError``, ``SearchProviderError``) naming the URL or service.
    """


class BodyTooLarge(BodyRefused):
    """The decoded body (or its declared length) is over the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"response is larger than the {_size(limit)} limit")
        self.limit = limit


def content_codings(value: str | None) -> tuple[str, ...]:
    """The codings a Content-Encoding value lists, lower-cased, "identity" and blanks dropped.

    "gzip, gzip" → ("gzip", "gzip"); "identity" → (); None → ().
    """
    names = (part.strip().lower() for part in (value or "").split(","))
    return tuple(name for name in names if name and name != "identity")


class BoundedDecoder:
    """Undo one content coding on raw chunks, holding at most ``limit`` + 1 decoded bytes.

    ``feed`` each raw chunk, then ``finish``. With ``truncate`` the body is cut at ``limit``
    instead of refused (``full`` says when to stop reading); without it, one byte over the limit
    raises ``BodyTooLarge``. Raises ``BodyRefused`` for stacked, unknown or corrupt encodings.
    """

    def __init__(self, content_encoding: str | None, limit: int, *, truncate: bool = False) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1 byte, got {limit}")
        codings = content_codings(content_encoding)
        if len(codings) > 1:
            raise BodyRefused(f"the server stacked content encodings ({', '.join(codings)}); "
                              "refused, since only a decompression bomb needs more than one")
        if codings and codings[0] not in (*_GZIP, _DEFLATE):
            raise BodyRefused(f"content encoding {codings[0]!r} is not supported (citebrief asks "
                              f"for {ACCEPT_ENCODING})")
        self._coding = codings[0] if codings else None
        self._limit, self._truncate = limit, truncate
        self._chunks: list[bytes] = []
        self._size = 0
        self._zlib: Any = None  # a zlib decompress object once the first bytes arrive
        self._pending = b""  # deflate: the first bytes, until the zlib header can be told apart
        self._ended = False  # the compressed stream ended; later bytes are trailing garbage

    @property
    def full(self) -> bool:
        """True once more than ``limit`` bytes were decoded (truncating: stop reading now)."""
        return self._size > self._limit

    def feed(self, raw: bytes) -> None:
        """Decode one raw chunk; raises ``BodyTooLarge`` when the body passes the limit."""
        if not raw or self.full:
            return
        if self._coding is None:
            self._keep(raw[:self._limit + 1 - self._size])
        else:
            self._inflate(raw)

    def finish(self) -> bytes:
        """The decoded body (cut at ``limit`` when truncating)."""
        if self._pending and not self.full:  # a deflate body shorter than a zlib header
            pending, self._pending = self._pending, b""
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._decompress(pending)
        if self._zlib is not None and not self._ended and not self.full:
            # Only what zlib still buffers: every input byte was passed to decompress already.
            self._keep(self._call(self._zlib.flush))
        return b"".join(self._chunks)[:self._limit]

    # -- decoding -------------------------------------------------------------------------------

    def _inflate(self, raw: bytes) -> None:
        if self._zlib is None:
            if self._coding in _GZIP:
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                raw = self._pending + raw
                if len(raw) < 2:  # wait for the second byte of a possible zlib header
                    self._pending = raw
                    return
                self._pending = b""
                self._zlib = zlib.decompressobj(_deflate_wbits(raw))
        self._decompress(raw)

    def _decompress(self, data: bytes) -> None:
        while data and not self.full and not self._ended:
            room = min(_STEP, self._limit + 1 - self._size)  # one byte past the limit: too large
            self._keep(self._call(self._zlib.decompress, data, room))
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                data = self._next_member(self._zlib.unused_data)

    def _next_member(self, rest: bytes) -> bytes:
        """After a gzip member ends: the next member (gzip allows several), else stop."""
        if self._coding in _GZIP and rest.startswith(b"\x1f\x8b"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return rest
        self._ended = True  # bytes after the end of the stream are ignored, as browsers do
        return b""

    def _call(self, method: Callable[..., bytes], *args: object) -> bytes:
        try:
            return method(*args)
        except zlib.error as exc:
            raise BodyRefused(f"the {self._coding}-encoded body is corrupt ({exc})") from None

    def _keep(self, data: bytes) -> None:
        if not data:
            return
        self._chunks.append(data)
        self._size += len(data)
        if self.full and not self._truncate:
            raise BodyTooLarge(self._limit)


def _size(limit: int) -> str:
    """A limit as people write it: 20971520 → "20 MB", 262144 → "0.25 MB", 500 → "500 bytes"."""
    return f"{limit / 2**20:g} MB" if limit >= 2**16 else f"{limit:,} bytes"


def _deflate_wbits(head: bytes) -> int:
    """zlib's wbits for a "deflate" body starting with ``head`` (two bytes at least).

    RFC 9110 §8.4.1.2 says zlib-wrapped, but some servers send raw deflate; browsers and httpx
    accept both. A zlib header has CM = 8 and (CMF·256 + FLG) divisible by 31 (RFC 1950 §2.2).
    """
    wrapped = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
    return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS


def _decoder(response: httpx.Response, limit: int, truncate: bool) -> BoundedDecoder:
    """A decoder for ``response``; refuses a declared Content-Length over the limit up front."""
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit and not truncate:
        raise BodyTooLarge(limit)
    encoding = ", ".join(response.headers.get_list("content-encoding"))
    return BoundedDecoder(encoding, limit, truncate=truncate)


def read_response(response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
    """Read a streamed (``client.stream``) httpx response's body within ``limit`` decoded bytes."""
    decoder = _decoder(response, limit, truncate)
    for raw in response.iter_raw():
        decoder.feed(raw)
        if decoder.full:
            break
    return decoder.finish()


async def aread_response(response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
    """``read_response`` for an async streamed response."""
    decoder = _decoder(response, limit, truncate)
    async for raw in response.aiter_raw():
        decoder.feed(raw)
        if decoder.full:
            break
    return decoder.finish()


def decode_body(raw: bytes | Iterable[bytes], content_encoding: str | None, limit: int, *,
                truncate: bool = False) -> bytes:
    """Decode bytes already in hand (one piece or several) within ``limit``; the pure core."""
    decoder = BoundedDecoder(content_encoding, limit, truncate=truncate)
    for chunk in ([raw] if isinstance(raw, bytes) else raw):
        decoder.feed(chunk)
        if decoder.full:
            break
    return decoder.finish()

