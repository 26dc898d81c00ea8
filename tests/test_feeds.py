"""Feeds and sitemaps: parsing, safety, conditional polls and metadata merging, over real HTTP."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from citebrief.errors import InputError
from citebrief.models import RawDocument
from citebrief.web import (FeedEntry, FetchedPage, FetchOptions, HttpFetcher, collect_sitemap,
                           merge_entry_metadata, new_entries, page_to_raw, parse_feed,
                           parse_sitemap, poll_feed)
from webserver import Reply, Seen, TestServer

OPTIONS = FetchOptions(connect_timeout=2.0, read_timeout=1.0, per_host_delay=0.0, backoff=0.05,
                       respect_robots=False, allow_private=True)
EPOCH = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)

BARE_PAGE = """<html><body><div>
<p>Story {i} begins with a long paragraph about the harbour authority budget, which rose again this
year after a vote by the council that several members described as rushed and poorly explained.</p>
<p>The second paragraph adds that dredging costs were the largest single item, followed by repairs
to the north pier, and that the authority expects to publish a full breakdown next month.</p>
</div></body></html>"""


class Feed:
    """A growing RSS feed that answers conditional GETs with 304 while it has not changed."""

    def __init__(self, server: TestServer, count: int) -> None:
        self.server = server
        self.count = count

    def item(self, i: int) -> str:
        date = format_datetime(EPOCH + timedelta(days=i), usegmt=True)
        return (f"<item><title>Budget story {i} &amp; more</title>"
                f"<link>{self.server.url(f'/articles/{i}')}</link>"
                f"<dc:creator>Reporter {i}</dc:creator><pubDate>{date}</pubDate>"
                f"<description>&lt;p&gt;Summary {i}&lt;/p&gt;</description></item>")

    def xml(self) -> bytes:
        items = "".join(self.item(i) for i in reversed(range(self.count)))  # newest first
        return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Harbour Gazette</title>'
                f"<link>{self.server.url('/')}</link>{items}</channel></rss>").encode()

    def validators(self) -> tuple[str, str]:
        return f'"items-{self.count}"', format_datetime(EPOCH + timedelta(hours=self.count), usegmt=True)

    def __call__(self, seen: Seen) -> Reply:
        etag, modified = self.validators()
        headers = [("ETag", etag), ("Last-Modified", modified)]
        if seen.headers.get("if-none-match") == etag or (
                "if-none-match" not in seen.headers and seen.headers.get("if-modified-since") == modified):
            return Reply(304, b"", headers=headers, content_type=None)
        return Reply(body=self.xml(), headers=headers, content_type="application/rss+xml")


@pytest.fixture
def server():
    with TestServer() as srv:
        for i in range(30):
            srv.route(f"/articles/{i}", Reply(body=BARE_PAGE.format(i=i).encode()))
        yield srv


def test_feed_of_20_then_3_new_entries_with_conditional_get(server):
    feed = Feed(server, 20)
    server.route("/feed.xml", feed)
    fetcher = HttpFetcher(OPTIONS)

    first = poll_feed(fetcher, server.url("/feed.xml"))
    assert not first.not_modified and len(first.entries) == 20
    assert first.etag == '"items-20"' and first.last_modified == feed.validators()[1]
    top = first.entries[0]
    assert top == FeedEntry(url=server.url("/articles/19"), title="Budget story 19 & more",
                            author="Reporter 19", published="2024-06-20", summary="Summary 19",
                            feed_title="Harbour Gazette")
    seen = {e.url for e in first.entries}

    again = poll_feed(fetcher, server.url("/feed.xml"), etag=first.etag,
                      last_modified=first.last_modified)
    assert again.not_modified and again.entries == () and again.etag == first.etag
    assert server.hits("/feed.xml")[-1].headers["if-none-match"] == '"items-20"'

    feed.count = 23
    third = poll_feed(fetcher, server.url("/feed.xml"), etag=again.etag,
                      last_modified=again.last_modified)
    fresh = new_entries(third.entries, seen)
    assert [e.url for e in fresh] == [server.url(f"/articles/{i}") for i in (22, 21, 20)]
    assert third.etag == '"items-23"' and third.page is not None

    pages = fetcher.fetch_all([e.url for e in fresh])
    docs = [merge_entry_metadata(page_to_raw(p)[0], e) for p, e in zip(pages, fresh)]
    assert [d.title for d in docs] == ["Budget story 22 & more", "Budget story 21 & more",
                                       "Budget story 20 & more"]
    assert docs[0].author == "Reporter 22" and docs[0].published == "2024-06-23"
    assert docs[0].outlet == "Harbour Gazette" and ("feed_entry", fresh[0].url) in docs[0].extra


def test_last_modified_alone_gives_a_304(server):
    feed = Feed(server, 5)
    server.route("/feed.xml", feed)
    fetcher = HttpFetcher(OPTIONS)
    first = poll_feed(fetcher, server.url("/feed.xml"))
    again = poll_feed(fetcher, server.url("/feed.xml"), last_modified=first.last_modified)
    assert again.not_modified
    page = fetcher.fetch(server.url("/feed.xml"), last_modified=first.last_modified)
    assert page.status == 304 and page.body == b""


def test_feed_discovered_from_an_html_page(server):
    server.route("/feed.xml", Feed(server, 3))
    server.route("/blog", Reply(body=b'<html><head><link rel="alternate" type="application/rss+xml" '
                                     b'href="/feed.xml"></head><body>Blog</body></html>'))
    polled = poll_feed(HttpFetcher(OPTIONS), server.url("/blog"))
    assert polled.feed_url == server.url("/feed.xml") and len(polled.entries) == 3


def test_page_metadata_wins_over_the_feed():
    raw = RawDocument(source="u", text="t", raw_hash="h", title="Page title", author=None,
                      published="2024-01-02", outlet="Gazette")
    entry = FeedEntry(url="http://example.org/a", title="Feed title", author="Feed Author",
                      published="2024-01-01", feed_title="Feed outlet")
    merged = merge_entry_metadata(raw, entry)
    assert (merged.title, merged.author, merged.published, merged.outlet) == (
        "Page title", "Feed Author", "2024-01-02", "Gazette")


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/">
  <title type="text">Estuary Notes</title>
  <author><name>Desk</name></author>
  <entry>
    <title type="html">Salmon &lt;em&gt;counts&lt;/em&gt; fall</title>
    <link rel="self" href="/api/1"/><link rel="alternate" type="text/html" href="posts/salmon#intro"/>
    <author><name>Ann Lee</name></author><author><name>Bo Chen</name></author>
    <published>2024-02-03T10:00:00+01:00</published><updated>2024-02-05T00:00:00Z</updated>
    <summary>Counts fell slightly.</summary>
  </entry>
  <entry>
    <title>No author given</title><link href="https://other.example/x"/>
    <updated>2024-02-06T00:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body <b>text</b></p></div></content>
  </entry>
  <entry><title>Mail only</title><link href="mailto:desk@example.org"/></entry>
</feed>"""


def test_atom_feed():
    first, second = parse_feed(ATOM, "atom.xml")
    assert first == FeedEntry(url="http://example.org/blog/posts/salmon", title="Salmon counts fall",
                              author="Ann Lee, Bo Chen", published="2024-02-03",
                              summary="Counts fell slightly.", feed_title="Estuary Notes")
    assert second.url == "https://other.example/x" and second.author == "Desk"
    assert second.published == "2024-02-06" and second.summary == "Body text"


RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://example.org/"><title>Old Style</title></channel>
  <item rdf:about="http://example.org/one"><title>One</title><link>http://example.org/one</link>
    <dc:date>2023-11-30T09:00:00Z</dc:date><dc:creator>Ed</dc:creator></item>
</rdf:RDF>"""


def test_rss1_rdf_feed():
    assert parse_feed(RDF, "rdf.xml") == (FeedEntry(url="http://example.org/one", title="One",
                                                    author="Ed", published="2023-11-30",
                                                    feed_title="Old Style"),)


def test_rss_details_relative_links_guid_and_email_authors():
    xml = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>Rel</title><link>/a</link><author>jo@example.org (Jo Bloggs)</author></item>
      <item><title>Guid</title><guid>http://example.org/g</guid></item>
      <item><title>Not a permalink</title><guid isPermaLink="false">tag:1</guid></item>
      <item><title>Dup</title><link>http://example.org/a</link></item>
    </channel></rss>"""
    entries = parse_feed(xml, "feed", base_url="http://example.org/feed")
    assert [(e.url, e.author) for e in entries] == [("http://example.org/a", "Jo Bloggs"),
                                                    ("http://example.org/g", None)]


@pytest.mark.parametrize("xml, reason", [
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
     b"<rss><channel><title>&lol2;</title></channel></rss>", "inline DTD"),
    (b'<!DOCTYPE rss SYSTEM "http://example.org/evil.dtd" [<!ENTITY % ext SYSTEM "file:///etc/passwd">]>'
     b"<rss/>", "inline DTD"),
    (b"<rss><channel><title>unclosed</channel></rss>", "not well-formed"),
    (b"", "not well-formed"),
    (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "use --sitemap"),
])
def test_unsafe_or_wrong_xml_is_refused(xml, reason):
    with pytest.raises(InputError, match=reason):
        parse_feed(xml, "feed.xml")


def test_external_doctype_without_subset_is_accepted():
    xml = (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
           b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
           b"<title>Old</title><item><title>A</title><link>http://example.org/a</link></item>"
           b"</channel></rss>")
    assert [e.url for e in parse_feed(xml, "old.xml")] == ["http://example.org/a"]


def urlset(*rows: str) -> bytes:
    body = "".join(rows)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{body}</urlset>").encode()


def test_sitemap_index_is_followed_with_gzip_and_failures_reported(server):
    server.route("/sitemap.xml", Reply(content_type="application/xml", body=(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/sitemap-pages.xml</loc><lastmod>2024-05-01</lastmod></sitemap>"
        "<sitemap><loc>/sitemap-news.xml.gz</loc></sitemap>"
        "<sitemap><loc>/sitemap-missing.xml</loc></sitemap>"
        "</sitemapindex>").encode()))
    server.route("/sitemap-pages.xml", Reply(content_type="text/xml", body=urlset(
        f"<url><loc>{server.url('/articles/1')}</loc><lastmod>2024-04-30T12:00:00+00:00</lastmod></url>",
        "<url><loc>/articles/2</loc></url>")))
    news = urlset(
        "<url><loc>/articles/3</loc><news:news><news:publication><news:name>Harbour Gazette"
        "</news:name></news:publication><news:publication_date>2024-05-02</news:publication_date>"
        "<news:title>Pier repairs begin</news:title></news:news></url>",
        f"<url><loc>{server.url('/articles/1')}</loc></url>")  # listed twice: kept once
    server.route("/sitemap-news.xml.gz", Reply(content_type="application/x-gzip",
                                               body=gzip.compress(news)))
    entries, errors = collect_sitemap(HttpFetcher(OPTIONS), server.url("/sitemap.xml"))
    assert [e.url for e in entries] == [server.url(f"/articles/{i}") for i in (1, 2, 3)]
    assert entries[0].published == "2024-04-30" and entries[1].published is None
    assert (entries[2].title, entries[2].published, entries[2].feed_title) == (
        "Pier repairs begin", "2024-05-02", "Harbour Gazette")
    assert len(errors) == 1 and "sitemap-missing.xml" in str(errors[0]) and "404" in str(errors[0])


def test_children_past_the_sitemap_limit_are_one_summarised_failure(server):
    # Issue 16: an index of 100,000 children printed 99,951 failure lines, one per unread child.
    children = 3_000
    index = "".join(f"<sitemap><loc>/child-{i}.xml</loc></sitemap>" for i in range(children))
    server.route("/index.xml", Reply(content_type="application/xml", body=(
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}'
        "</sitemapindex>").encode()))
    for i in range(4):
        server.route(f"/child-{i}.xml", Reply(content_type="application/xml", body=urlset(
            f"<url><loc>/articles/{i}</loc></url>")))
    entries, errors = collect_sitemap(HttpFetcher(OPTIONS), server.url("/index.xml"),
                                      max_sitemaps=5)
    assert [e.url for e in entries] == [server.url(f"/articles/{i}") for i in range(4)]
    [error] = errors
    assert str(error) == (f"{server.url('/index.xml')}: 2,996 child sitemaps not read (stopped "
                          f"after 5 sitemaps): {server.url('/child-4.xml')}, "
                          f"{server.url('/child-5.xml')}, {server.url('/child-6.xml')} "
                          "and 2,993 more")
    assert len(server.log) == 5  # the index and four children, nothing else requested


def test_sitemap_without_namespace_and_a_feed_passed_as_sitemap():
    sitemap = parse_sitemap(b"<urlset><url><loc>http://example.org/p</loc>"
                            b"<lastmod>2024-01-09</lastmod></url></urlset>", "s.xml")
    assert sitemap.entries == (FeedEntry(url="http://example.org/p", published="2024-01-09"),)
    with pytest.raises(InputError, match="use --feed"):
        parse_sitemap(b"<rss><channel/></rss>", "f.xml")


def test_feed_page_is_not_read_as_an_article(server):
    server.route("/feed.xml", Feed(server, 2))
    page = HttpFetcher(OPTIONS).fetch(server.url("/feed.xml"))
    assert isinstance(page, FetchedPage)
    with pytest.raises(InputError, match="--feed"):
        page_to_raw(page)
