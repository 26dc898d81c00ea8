"""Feeds and sitemaps: RSS 2.0, Atom, RSS 1.0 (RDF) and sitemap.xml into ``FeedEntry`` values.

XML from the web is parsed with expat under two refusals: no <!ENTITY> declarations (the
"billion laughs" expansion bomb lives there) and no DOCTYPE internal subset. An external DOCTYPE
(old RSS 0.91 feeds carry one) is harmless, since expat never fetches it, and is accepted.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat

from ..errors import InputError
from ..models import RawDocument
from ..readers import iso_date
from .page import strip_fragment, strip_userinfo

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MAX_XML_BYTES = 50 * 1024 * 1024  # sitemaps may be 50 MB uncompressed (sitemaps.org limit)
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
_RSS_AUTHOR_RE = re.compile(r"^\S+@\S+\s*\((.+)\)$")  # RSS 2.0: "jo@example.com (Jo Bloggs)"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed or sitemap: a page to fetch and what the feed says about it."""

    url: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    summary: str | None = None
    feed_title: str | None = None  # the channel's title, a stand-in outlet name


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: page entries (urlset) and/or child sitemaps to read next (sitemapindex)."""

    entries: tuple[FeedEntry, ...] = ()
    sitemaps: tuple[FeedEntry, ...] = ()  # child sitemap URLs, with lastmod as ``published``


def parse_xml(data: bytes, source: str) -> ET.Element:
    """Parse XML with entity declarations and internal DTD subsets refused; ``InputError`` on failure."""
    if data.startswith(b"\x1f\x8b"):  # sitemap.xml.gz, or a server gzipping without saying so
        data = _gunzip(data, source)
    data = data.lstrip(b" \t\r\n")  # expat rejects whitespace before <?xml …?>
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse_entity(*_: object) -> None:
        raise InputError(f"{source}: XML declares entities (<!ENTITY>), refused as a possible "
                         "expansion bomb")

    def doctype(_name: str, _sysid: str | None, _pubid: str | None, has_subset: int) -> None:
        if has_subset:
            raise InputError(f"{source}: XML has an inline DTD (<!DOCTYPE … [ … ]>), refused")

    def start(tag: str, attrs: dict[str, str]) -> None:
        builder.start(_clark(tag), {_clark(k): v for k, v in attrs.items()})

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(_clark(tag))
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
        return builder.close()
    except expat.ExpatError as exc:
        raise InputError(f"{source}: not well-formed XML ({expat.errors.messages.get(exc.code, exc)} "
                         f"at line {exc.lineno})") from exc
    except AssertionError as exc:  # TreeBuilder.close on an empty document
        raise InputError(f"{source}: empty XML document") from exc


def _clark(name: str) -> str:
    """expat's "uri}local" to ElementTree's "{uri}local"."""
    return "{" + name if "}" in name else name


def _gunzip(data: bytes, source: str) -> bytes:
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decomp.decompress(data, MAX_XML_BYTES + 1)
    except zlib.error as exc:
        raise InputError(f"{source}: broken gzip data ({exc})") from exc
    if len(out) > MAX_XML_BYTES or decomp.unconsumed_tail:
        raise InputError(f"{source}: decompresses to more than {MAX_XML_BYTES // 2**20} MB")
    return out


def _text(elem: ET.Element | None) -> str | None:
    """Element text as plain prose: markup stripped, entities unescaped, whitespace collapsed."""
    if elem is None:
        return None
    raw = "".join(elem.itertext())
    clean = _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", raw))).strip()
    return clean or None


def feed_date(value: str | None) -> str | None:
    """YYYY-MM-DD from an RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date, or None."""
    if not value or not value.strip():
        return None
    found = iso_date(value)
    if found:
        return found
    try:
        return parsedate_to_datetime(value.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _absolute(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for anything else (mailto:, javascript:)."""
    if not href or not href.strip():
        return None
    url = strip_userinfo(strip_fragment(urljoin(base or "", href.strip())))
    return url if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname else None


def _first(item: ET.Element, *tags: str) -> ET.Element | None:
    for tag in tags:
        found = item.find(tag)
        if found is not None and _text(found):
            return found
    return None


def _rss_item(item: ET.Element, base: str | None, ns: str, feed_title: str | None) -> FeedEntry | None:
    link = _text(item.find(f"{ns}link"))
    guid = item.find("guid")
    if not link and guid is not None and guid.get("isPermaLink", "true").lower() != "false":
        link = _text(guid)
    url = _absolute(link or item.get(f"{RDF}about"), base)
    if url is None:
        return None
    date = _text(_first(item, "pubDate", f"{DC}date", f"{ns}pubDate"))
    return FeedEntry(url=url, title=_text(item.find(f"{ns}title")),
                     author=_rss_author(_text(_first(item, f"{DC}creator", "author"))),
                     published=feed_date(date),
                     summary=_text(_first(item, f"{ns}description", f"{CONTENT}encoded")),
                     feed_title=feed_title)


def _rss_author(value: str | None) -> str | None:
    match = _RSS_AUTHOR_RE.match(value or "")
    return match.group(1).strip() if match else value


def _atom_link(entry: ET.Element, base: str | None) -> str | None:
    links = entry.findall(f"{ATOM}link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("type", "text/html") in (
                "text/html", "application/xhtml+xml"):
            return _absolute(link.get("href"), base)
    return _absolute(links[0].get("href"), base) if links else None


def _atom_entry(entry: ET.Element, base: str | None, feed_title: str | None,
                feed_author: str | None) -> FeedEntry | None:
    base = urljoin(base or "", entry.get("{http://www.w3.org/XML/1998/namespace}base", ""))
    url = _atom_link(entry, base or None)
    if url is None:
        return None
    authors = [_text(a.find(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")]
    author = ", ".join(a for a in authors if a) or feed_author
    date = _text(_first(entry, f"{ATOM}published", f"{ATOM}updated"))
    return FeedEntry(url=url, title=_text(entry.find(f"{ATOM}title")), author=author or None,
                     published=feed_date(date),
                     summary=_text(_first(entry, f"{ATOM}summary", f"{ATOM}content")),
                     feed_title=feed_title)


def parse_feed(data: bytes, source: str, *, base_url: str | None = None) -> tuple[FeedEntry, ...]:
    """Entries of an RSS 2.0, Atom or RSS 1.0 feed, in feed order, one per URL.

    Relative links are resolved against ``base_url`` (the feed's URL); entries without an http(s)
    link are skipped, since there is nothing to fetch.
    """
    root = parse_xml(data, source)
    base = base_url or source
    entries: list[FeedEntry | None] = []
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise InputError(f"{source}: RSS feed without a <channel>")
        title = _text(channel.find("title"))
        entries = [_rss_item(i, base, "", title) for i in channel.findall("item")]
    elif root.tag == f"{ATOM}feed":
        title = _text(root.find(f"{ATOM}title"))
        feed_author = _text(root.find(f"{ATOM}author/{ATOM}name"))
        base = urljoin(base, root.get("{http://www.w3.org/XML/1998/namespace}base", ""))
        entries = [_atom_entry(e, base, title, feed_author) for e in root.findall(f"{ATOM}entry")]
    elif root.tag == f"{RDF}RDF":
        title = _text(root.find(f"{RSS1}channel/{RSS1}title"))
        entries = [_rss_item(i, base, RSS1, title) for i in root.findall(f"{RSS1}item")]
    else:
        raise InputError(f"{source}: not an RSS or Atom feed (root element <{_local(root.tag)}>)"
                         + (" — it looks like a sitemap; use --sitemap" if "sitemap" in root.tag
                            or root.tag.endswith("urlset") else ""))
    return _unique(entries)


def parse_sitemap(data: bytes, source: str, *, base_url: str | None = None) -> Sitemap:
    """Entries of a sitemap <urlset> (lastmod, and news:title/date when present) or a <sitemapindex>."""
    root = parse_xml(data, source)
    local = _local(root.tag)
    ns = root.tag[: -len(local)]  # some sitemaps omit the namespace; accept both
    base = base_url or source
    if local == "sitemapindex":
        children = [_loc_entry(s, ns, base) for s in root.findall(f"{ns}sitemap")]
        return Sitemap(sitemaps=_unique(children))
    if local != "urlset":
        raise InputError(f"{source}: not a sitemap (root element <{local}>)"
                         + (" — it looks like a feed; use --feed" if local in ("rss", "feed", "RDF")
                            else ""))
    return Sitemap(entries=_unique([_loc_entry(u, ns, base) for u in root.findall(f"{ns}url")]))


def _loc_entry(elem: ET.Element, ns: str, base: str) -> FeedEntry | None:
    url = _absolute(_text(elem.find(f"{ns}loc")), base)
    if url is None:
        return None
    news = elem.find(f"{NEWS}news")
    title = _text(news.find(f"{NEWS}title")) if news is not None else None
    date = _text(news.find(f"{NEWS}publication_date")) if news is not None else None
    outlet = _text(news.find(f"{NEWS}publication/{NEWS}name")) if news is not None else None
    return FeedEntry(url=url, title=title, published=feed_date(date or _text(elem.find(f"{ns}lastmod"))),
                     feed_title=outlet)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _unique(entries: list[FeedEntry | None]) -> tuple[FeedEntry, ...]:
    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry is not None and entry.url not in seen:
            seen.add(entry.url)
            out.append(entry)
    return tuple(out)


def merge_entry_metadata(raw: RawDocument, entry: FeedEntry) -> RawDocument:
    """Fill the title, author, date and outlet ``raw`` lacks from its feed ``entry``; keep the page's own.

    The page is trusted over the feed (feeds truncate titles and use build dates); the feed only
    fills gaps. An outlet that is just the page's host name (trafilatura's fallback when a page
    names no site) counts as a gap. The entry URL is recorded in ``extra`` as ("feed_entry", url).
    """
    outlet = raw.outlet
    if not outlet or _is_host_name(outlet, raw.url or entry.url):
        outlet = entry.feed_title or outlet
    return replace(raw, title=raw.title or entry.title, author=raw.author or entry.author,
                   published=raw.published or entry.published, outlet=outlet,
                   extra=raw.extra + (("feed_entry", entry.url),))


def _is_host_name(outlet: str, url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return outlet.lower().removeprefix("www.") in (host, parts.netloc.lower().removeprefix("www."))
