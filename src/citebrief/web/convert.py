"""Turn a ``FetchedPage`` into ``RawDocument`` values with the reader its content type calls for.

HTML and text are decoded here rather than by the readers, because a web page carries two charset
claims (the Content-Type header and <meta charset>) and either can lie. Order of trust:

    BOM ─ UTF-8 (if the bytes decode cleanly) ─ <meta charset> ─ header charset ─ charset_normalizer

UTF-8 goes first because random non-UTF-8 text almost never forms valid UTF-8 multi-byte sequences,
while a header saying ISO-8859-1 over UTF-8 bytes is the most common lie (server defaults).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

from ..errors import InputError
from ..ids import sha256_hex
from ..models import RawDocument
from ..readers import read_html, read_markdown, read_pdf, read_text
from .page import FEED_TYPES, GZIP_TYPES, HTML_TYPES, PDF_TYPES, TEXT_TYPES, FetchedPage

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# WHATWG Encoding: these labels mean windows-1252, which fills 0x80-0x9F with “smart quotes” etc.
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1",
                                   "us-ascii", "ascii", "cp819", "ibm819", "iso_8859-1"})


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown or absurd."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 if its <meta> was readable as ASCII; treat as UTF-8 (WHATWG).
    return "utf-8" if name.startswith("utf-16") else name


def meta_charset(body: bytes) -> str | None:
    """The charset named by <meta charset> or <meta http-equiv content="…charset=…"> in the head."""
    match = _META_CHARSET_RE.search(body[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def decode_page(body: bytes, *, header_charset: str | None, source: str) -> str:
    """Decode HTML or text bytes, trusting clean UTF-8 over declared charsets (see module doc)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in (meta_charset(body), header_charset):
        codec = _codec(label)
        if codec and codec != "utf-8":
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is None:
        raise InputError(f"{source}: cannot tell the page's character encoding (declared: "
                         f"{header_charset or meta_charset(body) or 'none'})")
    return str(best)


def _provenance(page: FetchedPage) -> tuple[tuple[str, str], ...]:
    return (("final_url", page.final_url), ("fetched_at", page.fetched_at),
            ("content_type", page.content_type), ("http_status", str(page.status)))


def page_to_raw(page: FetchedPage) -> list[RawDocument]:
    """Read a fetched page into documents; raises ``InputError`` when it holds no readable text.

    ``source`` is the URL as requested, ``url`` the canonical URL (rel=canonical, else the URL
    after redirects), and ``raw_hash`` the hash of the body exactly as received.
    """
    source = page.url
    if page.status == 304:
        raise InputError(f"{source}: not modified since the last fetch (HTTP 304); nothing to read")
    if not page.body:
        raise InputError(f"{source}: empty response body (HTTP {page.status})")
    ctype = page.content_type
    if ctype in PDF_TYPES:
        docs = read_pdf(page.body, source)
    elif ctype in HTML_TYPES or ctype in TEXT_TYPES:
        text = decode_page(page.body, header_charset=page.charset, source=source)
        utf8 = text.encode("utf-8")  # the readers decode bytes again; clean UTF-8 leaves no doubt
        if ctype == "text/markdown":
            docs = read_markdown(utf8, source)
        elif ctype in TEXT_TYPES:
            docs = read_text(utf8, source)
        else:
            docs = read_html(utf8, source, url=page.canonical_url)
    elif ctype in FEED_TYPES or ctype in GZIP_TYPES:
        raise InputError(f"{source}: this is a feed or sitemap, not an article — "
                         "use `citebrief add --feed URL` or `--sitemap URL`")
    else:
        raise InputError(f"{source}: content type {ctype or '(none)'} has no reader")
    raw_hash = sha256_hex(page.body)
    return [replace(doc, raw_hash=raw_hash, url=page.canonical_url,
                    extra=doc.extra + _provenance(page)) for doc in docs]
