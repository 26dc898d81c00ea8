"""A fetched HTTP response as a value, its canonical URL, and its compressed storage form.

``FetchedPage`` keeps everything needed to re-clean a page without fetching it again: the URL asked
for, the URL that answered after redirects, the canonical URL, status, headers, body and fetch time.
``compress_page`` / ``decompress_page`` turn it into one zlib blob for the store.

A page may only name a canonical URL on its own site (``same_site``): otherwise any page could
declare itself to be someone else's article, and ``add`` of the real article would answer
"unchanged" without fetching it (issue 16). Sites are compared by registrable domain, the name
under a public suffix (Public Suffix List, as bundled with the ``tld`` package that trafilatura
already depends on; never downloaded at run time): www.bbc.co.uk and news.bbc.co.uk are one site,
alice.github.io and bob.github.io are two. A host under no known suffix (an IP address,
localhost, *.test) is a site on its own.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..errors import InputError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml", "application/x-rss+xml"})
GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip"})  # sitemap.xml.gz
ACCEPTED_TYPES = HTML_TYPES | TEXT_TYPES | PDF_TYPES | FEED_TYPES | GZIP_TYPES
SNIFFED_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

_STORE_VERSION = 1
_CANONICAL_SCAN_BYTES = 512 * 1024  # rel=canonical lives in <head>; never parse a whole huge page
_FEED_LINK_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_LINK_HEADER_RE = re.compile(r'<([^>]*)>\s*;[^,]*?\brel\s*=\s*"?([^";,]*)"?', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One HTTP response; ``body`` is the decoded body (Content-Encoding already undone)."""

    url: str  # as requested
    final_url: str  # after redirects
    canonical_url: str  # rel=canonical (HTML or Link header), else final_url
    status: int
    headers: tuple[tuple[str, str], ...]  # as received, names lower-cased, order kept
    content_type: str  # media type only, lower-cased ("text/html"); "" when absent
    body: bytes
    fetched_at: str  # ISO 8601 UTC, "2024-05-01T12:00:00Z"

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)

    @property
    def charset(self) -> str | None:
        """The charset declared in the Content-Type header, or None."""
        return charset_of(self.header("content-type") or "")


def media_type(content_type: str) -> str:
    """The media type of a Content-Type value: "text/html; charset=utf-8" -> "text/html"."""
    return content_type.split(";", 1)[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type value, or None."""
    match = re.search(r";\s*charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1).lower() if match else None


def sniff_type(body: bytes) -> str:
    """Guess a media type from the first bytes, for servers that send none or octet-stream."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if body.startswith(b"\x1f\x8b"):
        return "application/gzip"
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "text/html"
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf", b"<urlset", b"<sitemapindex")):
        return "application/xml"
    return ""


def strip_fragment(url: str) -> str:
    """``url`` without its #fragment (the server never sees it; two fragments are one page)."""
    return url.split("#", 1)[0]  # the first "#" always starts the fragment (RFC 3986 §3.5)


def strip_userinfo(url: str) -> str:
    """``url`` without a user name and password: "http://alice:pw@host/a" → "http://host/a".

    citebrief never sends, stores or prints credentials written into a URL; a page behind a login
    answers 401 like any other refusal. A URL that does not parse comes back unchanged, for the
    guard to reject with its own message.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def registrable_domain(host: str) -> str:
    """The site ``host`` belongs to: its registrable domain, or the host itself when none is known.

    "news.bbc.co.uk" → "bbc.co.uk", "alice.github.io" → "alice.github.io", "127.0.0.1" and
    "public.test" → themselves (no known public suffix).
    """
    host = host.lower().rstrip(".")
    return _public_suffix_domain(host) or host


def same_site(url: str, other: str) -> bool:
    """True when both http(s) URLs have the same registrable domain (``registrable_domain``)."""
    try:
        host, other_host = urlsplit(url).hostname, urlsplit(other).hostname
    except ValueError:
        return False
    if not host or not other_host:
        return False
    return registrable_domain(host) == registrable_domain(other_host)


@lru_cache(maxsize=4096)
def _public_suffix_domain(host: str) -> str | None:
    """eTLD+1 of ``host`` from the bundled Public Suffix List, or None (unknown suffix, IP, error).

    Any failure of the list (missing, changed package) gives None, which makes each host its own
    site: the strictest reading, so a broken list can only distrust canonical URLs, never trust one.
    """
    parser = _bundled_list()
    if parser is None:
        return None
    from tld import get_fld

    try:
        return get_fld(f"http://{host}/", fail_silently=True, parser_class=parser) or None
    except Exception:  # noqa: BLE001 — see the docstring: fail to "own site", never to "trusted"
        return None


@lru_cache(maxsize=1)
def _bundled_list() -> Any:
    """``tld``'s Mozilla list parser, with its download-when-missing turned off (never fetch)."""
    try:
        from tld.utils import MozillaTLDSourceParser
    except ImportError:
        return None

    class BundledOnly(MozillaTLDSourceParser):  # type: ignore[misc, valid-type]
        uid = "citebrief-bundled-only"

        @classmethod
        def update_tld_names(cls, fail_silently: bool = False) -> bool:
            return False  # tld would download the list when its copy is missing; citebrief never does

    return BundledOnly


class _HeadLinks(HTMLParser):
    """Collect <base href>, <link rel=canonical> and <link rel=alternate> feeds from an HTML head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.canonical: str | None = None
        self.feeds: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        elif tag == "link" and values.get("href"):
            if "canonical" in rels and self.canonical is None:
                self.canonical = values["href"]
            elif "alternate" in rels and values.get("type", "").lower() in _FEED_LINK_TYPES:
                self.feeds.append(values["href"])
        elif tag == "body":
            self.done = True


def _head_links(body: bytes) -> _HeadLinks:
    finder = _HeadLinks()
    # Only ASCII matters for tag and attribute names; URLs with raw non-ASCII bytes get U+FFFD and
    # are then rejected by _absolute rather than mis-decoded.
    text = body[:_CANONICAL_SCAN_BYTES].decode("utf-8", errors="replace")
    for start in range(0, len(text), 16384):
        finder.feed(text[start:start + 16384])
        if finder.done:
            break
    return finder


def _absolute(base: str, href: str) -> str | None:
    url = strip_userinfo(strip_fragment(urljoin(base, href)))
    parts = urlsplit(url)
    ok = parts.scheme in ("http", "https") and parts.hostname and "\ufffd" not in url
    return url if ok else None


def feed_links(page_url: str, body: bytes) -> list[str]:
    """Feed URLs an HTML page advertises with <link rel="alternate" type="application/rss+xml">."""
    head = _head_links(body)
    base = urljoin(page_url, head.base or "")
    return [url for href in head.feeds if (url := _absolute(base, href))]


def find_canonical(final_url: str, content_type: str, headers: tuple[tuple[str, str], ...],
                   body: bytes) -> str:
    """The canonical URL of a response: rel=canonical (HTML, then Link header), else ``final_url``.

    A canonical URL on another site than ``final_url`` is ignored (see the module docstring).
    """
    candidates: list[tuple[str | None, str]] = []
    if content_type in HTML_TYPES:
        head = _head_links(body)
        if head.canonical:
            candidates.append((head.base, head.canonical))
    for name, value in headers:
        if name == "link":
            for target, rel in _LINK_HEADER_RE.findall(value):
                if "canonical" in rel.lower().split():
                    candidates.append((None, target.strip()))
    for base, href in candidates:
        url = _absolute(urljoin(final_url, base or ""), href)
        if url and same_site(url, final_url):
            return url
    return final_url


def compress_page(page: FetchedPage) -> bytes:
    """Serialise ``page`` as zlib(JSON header line + "\\n" + body) for the raw-response store."""
    header = {"v": _STORE_VERSION, "url": page.url, "final_url": page.final_url,
              "canonical_url": page.canonical_url, "status": page.status,
              "headers": [list(pair) for pair in page.headers], "content_type": page.content_type,
              "fetched_at": page.fetched_at}
    line = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return zlib.compress(line + b"\n" + page.body, 6)


def decompress_page(blob: bytes) -> FetchedPage:
    """Inverse of ``compress_page``; raises ``InputError`` when the blob is not one."""
    try:
        data = zlib.decompress(blob)
        line, _, body = data.partition(b"\n")
        header = json.loads(line)
        if header.get("v") != _STORE_VERSION:
            raise InputError(f"stored raw response has format version {header.get('v')!r}, "
                             f"this citebrief reads {_STORE_VERSION} — upgrade citebrief")
        return FetchedPage(
            url=header["url"], final_url=header["final_url"], canonical_url=header["canonical_url"],
            status=int(header["status"]),
            headers=tuple((str(k), str(v)) for k, v in header["headers"]),
            content_type=header["content_type"], body=body, fetched_at=header["fetched_at"])
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"stored raw response is corrupt ({type(exc).__name__}: {exc}) — "
                         "fetch the URL again") from exc
