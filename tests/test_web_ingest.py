"""Web ingest end to end: `citebrief add URL / --feed / --sitemap` and `refresh` against real HTTP
servers on 127.0.0.1, through the real CLI (with --allow-private, since the servers are loopback)."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from citebrief.api import Corpus
from citebrief.embed import HashingEmbedder
from citebrief.ingest import Ingestor
from citebrief.store import open_store
from citebrief.web import FetchOptions, HttpFetcher, decompress_page
from citebrief.web.feeds import FeedEntry
from citebrief.web.ingest_web import UrlOutcome, UrlTarget, ingest_urls, is_url
from conftest import cli_json, run_cli
from webserver import Reply, RoutedNetwork, Seen, TestServer, endless, minimal_pdf, sequence

WEB = ("--allow-private", "--delay", "0")  # loopback servers; no politeness pause between requests
NEW = ("--embedder", "hashing")
EPOCH = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)

ARTICLE = """<!doctype html><html><head><title>{title} | Harbour Gazette</title>
<meta charset="utf-8"><meta name="author" content="Ada Marsh">
<meta property="article:published_time" content="2024-03-05">{head}</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> | Subscribe now</nav>
<article><h1>{title}</h1>
<p>The tidal array in the northern estuary produced twice as much electricity this winter as in the
previous one, according to figures published by the regional grid operator on Tuesday.</p>
<p>Advertisement</p>
<p>Engineers attribute the rise to new turbine blades installed in October, which turn at lower
current speeds and so generate power for more hours of each tidal cycle.</p>
<p>Local fishing groups said they would continue to monitor the effect of the turbines on {topic},
which they say fell slightly in the first year of operation.</p>
</article>
<footer>Copyright 2024 Harbour Gazette. All rights reserved. Cookie settings. Privacy policy.</footer>
</body></html>"""

# Pages without title, author or date; each story's words differ, so none is a near-duplicate.
SUBJECTS = ("harbour authority", "council", "ferry operator", "port union", "fishing fleet",
            "lifeboat crew", "marina owner", "coastguard", "pilot station", "customs office",
            "ship repair yard", "tourist board", "dock workers", "environment agency", "sailing club",
            "ferry passengers", "lighthouse trust", "salvage firm", "fish market", "chamber of trade",
            "water bailiffs", "boatbuilders", "harbour master", "river trust")
TOPICS = ("budget", "dredging", "pier repairs", "mooring fees", "night shifts", "fuel prices",
          "storm damage", "visitor numbers", "pollution", "licences", "wages", "timetables",
          "insurance", "quay lighting", "parking", "safety drills", "fish quotas", "cargo volumes",
          "harbour walls", "slipway access", "ice plant", "rescue times", "dock cranes", "tolls")


def bare_page(i: int) -> bytes:
    who, what = SUBJECTS[i % len(SUBJECTS)], TOPICS[(i * 7) % len(TOPICS)]
    return (f"<html><body><div><p>The {who} said on day {i} that {what} had changed more than anyone "
            f"expected, and that story number {i} would not be the last word on {what}.</p>"
            f"<p>Critics of the {who} replied that {what} were a matter for the whole town, quoting "
            f"figure {i * 37} and a survey of {i * 11 + 3} residents about {what}.</p>"
            "</div></body></html>").encode()


def article(title: str = "Tidal power output doubles", *, canonical: str = "",
            topic: str = "salmon runs") -> bytes:
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return ARTICLE.format(title=title, head=head, topic=topic).encode("utf-8")


@pytest.fixture
def server():
    with TestServer() as srv:
        yield srv


def sources(db) -> list[dict]:
    return cli_json("sources", "--json", db=db)


def stored(db):
    """The corpus as the CLI left it, opened in this process."""
    return Corpus(str(db))


def fetched(server: TestServer, prefix: str, since: int = 0) -> list[str]:
    """Paths under ``prefix`` the server was asked for, from request number ``since`` on."""
    return [s.path for s in server.log[since:] if s.path.startswith(prefix)]


# -- pages -----------------------------------------------------------------------------------------

def test_page_is_cleaned_kept_raw_and_not_fetched_again(server, db):
    body = article()
    server.route("/news/tidal", Reply(body=body, headers=[("ETag", '"v1"')]))
    url = server.url("/news/tidal")
    proc = run_cli("add", url, *WEB, *NEW, db=db)
    assert proc.returncode == 0, proc.stderr
    assert "added 1, unchanged 0, near-duplicates 0, failed 0" in proc.stderr
    [doc] = sources(db)
    assert doc["url"] == url and doc["source"] == url and doc["path"] is None
    assert doc["title"].startswith("Tidal power output doubles") and doc["author"] == "Ada Marsh"
    text = run_cli("show", doc["doc_id"], db=db, check=True).stdout
    assert "turbine blades" in text
    assert "Advertisement" not in text and "Cookie settings" not in text and "Subscribe now" not in text

    corpus = stored(db)
    extra = dict(corpus.show(doc["doc_id"]).extra)
    assert extra["fetched_from"] == url and extra["final_url"] == url and "feed" not in extra
    [record] = corpus.store.raw_pages(url)
    assert record.doc_id == doc["doc_id"] and record.status == 200 and record.canonical_url == url
    page = decompress_page(record.blob)
    assert page.body == body and page.header("etag") == '"v1"'
    corpus.close()

    again = run_cli("add", url, *WEB, db=db)
    assert again.returncode == 0 and "nothing new" in again.stderr
    assert len(server.hits("/news/tidal")) == 1  # known URL: not requested again


def test_loopback_url_is_refused_without_allow_private(server, db):
    server.route("/news/tidal", Reply(body=article()))
    proc = run_cli("add", server.url("/news/tidal"), "--delay", "0", *NEW, db=db)
    assert proc.returncode == 1
    assert "failed" in proc.stderr and "--allow-private" in proc.stderr and "127.0.0.1" in proc.stderr
    assert not server.log  # refused before any connection


def test_failures_are_reported_per_url_and_the_rest_is_ingested(server, db):
    server.route("/good", Reply(body=article()))
    server.route("/image", Reply(body=b"\x89PNG....", content_type="image/png"))
    server.route("/endless", Reply(body=endless()))
    urls = [server.url(p) for p in ("/good", "/missing", "/image", "/endless")]
    proc = run_cli("add", *urls, *WEB, *NEW, "--max-size", "0.25", db=db)
    assert proc.returncode == 1
    err = proc.stderr
    assert f"failed {server.url('/missing')}: HTTP 404" in err
    assert "content type image/png is not read" in err
    assert f"{server.url('/endless')}: response is larger than the 0.25 MB limit" in err
    assert "added 1, unchanged 0, near-duplicates 0, failed 3" in err
    assert [d["url"] for d in sources(db)] == [server.url("/good")]


def test_a_server_that_stops_sending_fails_after_the_timeout(server, db):
    # The page is held back until the test releases it, so it is late however slow the machine is;
    # it is the only request of the run (no robots.txt), so nothing else depends on the short timeout.
    release = threading.Event()

    def silent(seen: Seen) -> Reply:
        release.wait(60)
        return Reply(body=article("Slow"))

    server.route("/slow", silent)
    try:
        proc = run_cli("add", server.url("/slow"), *WEB, *NEW, "--ignore-robots", "--timeout", "0.5", db=db)
    finally:
        release.set()
    assert proc.returncode == 1
    assert f"failed {server.url('/slow')}: server stopped sending (no data for 0.5 s)" in proc.stderr
    assert "added 0, unchanged 0, near-duplicates 0, failed 1" in proc.stderr
    assert len(server.hits("/slow")) == 1


def test_429_with_retry_after_and_500_then_success(server, db):
    server.route("/busy", sequence(Reply(429, b"slow down", headers=[("Retry-After", "1")]),
                                   Reply(body=article("Busy"))))
    server.route("/flaky", sequence(Reply(500, b"oops"), Reply(body=article("Flaky", topic="eels"))))
    proc = run_cli("add", server.url("/busy"), server.url("/flaky"), *WEB, *NEW, db=db)
    assert proc.returncode == 0, proc.stderr
    assert len(server.hits("/busy")) == 2 and len(server.hits("/flaky")) == 2
    first, second = server.hits("/busy")
    assert second.started - first.started >= 0.9
    assert len(sources(db)) == 2


def test_wrong_charset_and_pdf(server, db):
    liar = article().replace(b"twice as much", "twice as much — café owners say".encode())
    server.route("/liar", Reply(body=liar, content_type="text/html; charset=ISO-8859-1"))
    server.route("/paper.pdf", Reply(body=minimal_pdf("Estuary salmon counts fell sharply this winter"),
                                     content_type="application/pdf"))
    proc = run_cli("add", server.url("/liar"), server.url("/paper.pdf"), *WEB, *NEW, db=db)
    assert proc.returncode == 0, proc.stderr
    by_url = {d["url"]: d for d in sources(db)}
    text = run_cli("show", by_url[server.url("/liar")]["doc_id"], db=db, check=True).stdout
    assert "— café owners say" in text and "Ã©" not in text
    pdf = run_cli("show", by_url[server.url("/paper.pdf")]["doc_id"], db=db, check=True).stdout
    assert "Estuary salmon counts fell sharply" in pdf


def test_robots_txt_disallow_is_refused_unless_ignored(server, db):
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n",
                                      content_type="text/plain"))
    server.route("/private/memo", Reply(body=article("Memo")))
    proc = run_cli("add", server.url("/private/memo"), *WEB, *NEW, db=db)
    assert proc.returncode == 1
    assert "robots.txt" in proc.stderr and "--ignore-robots" in proc.stderr
    assert not server.hits("/private/memo")
    proc = run_cli("add", server.url("/private/memo"), *WEB, "--ignore-robots", db=db)
    assert proc.returncode == 0, proc.stderr
    assert len(sources(db)) == 1


def test_same_article_by_two_urls_is_one_document(server, db):
    canonical = server.url("/news/tidal-power")
    server.route("/news/tidal-power", Reply(body=article(canonical=canonical)))
    # The share copy carries a tracking line the original lacks: a different body, the same article.
    server.route("/share", Reply(body=article(canonical="/news/tidal-power", topic="salmon and eels")))
    server.route("/old", Reply(301, headers=[("Location", "/news/tidal-power")]))
    proc = run_cli("add", server.url("/share?utm_source=x"), server.url("/old"), *WEB, *NEW, db=db)
    assert proc.returncode == 0, proc.stderr
    assert "added 1, unchanged 1" in proc.stderr
    [doc] = sources(db)
    assert doc["url"] == canonical

    corpus = stored(db)
    [old] = corpus.store.raw_pages(server.url("/old"))
    assert old.doc_id == doc["doc_id"] and old.canonical_url == canonical
    corpus.close()

    # A third address met later is fetched (its canonical URL is unknown until then) but adds nothing.
    server.route("/amp", Reply(body=article(canonical=canonical, topic="trout")))
    proc = run_cli("add", server.url("/amp"), *WEB, db=db)
    assert proc.returncode == 0 and "added 0, unchanged 1" in proc.stderr
    assert len(server.hits("/amp")) == 1 and len(sources(db)) == 1


def test_a_page_cannot_name_another_sites_article_as_its_canonical(server, db):
    # Issue 16: the attacker's page declared the real article as its canonical URL, so adding the
    # real article answered "unchanged" and the attacker's text stood in for it. 127.0.0.1 and
    # localhost are two sites here, as attacker.test and public.test were.
    real = server.url("/article-real", host="localhost")
    server.route("/evil", Reply(body=article("Tidal array shut down", canonical=real,
                                             topic="a secret memo")))
    server.route("/article-real", Reply(body=article()))
    evil = server.url("/evil")
    proc = run_cli("add", evil, *WEB, *NEW, db=db)
    assert proc.returncode == 0 and "added 1" in proc.stderr
    assert [d["url"] for d in sources(db)] == [evil]
    proc = run_cli("add", real, *WEB, db=db)
    assert proc.returncode == 0 and "added 1, unchanged 0" in proc.stderr, proc.stderr
    assert len(server.hits("/article-real")) == 1
    docs = {d["url"]: d for d in sources(db)}
    assert set(docs) == {evil, real} and docs[real]["title"].startswith("Tidal power output doubles")
    again = run_cli("add", evil, real, *WEB, db=db)  # each known by the URL it was fetched from
    assert "added 0, unchanged 2" in again.stderr
    assert len(server.hits("/evil")) == len(server.hits("/article-real")) == 1


def test_credentials_in_a_url_are_never_sent_stored_or_printed(server, db):
    server.route("/news/tidal", Reply(body=article()))
    secret_url = server.url("/news/tidal").replace("http://", "http://alice:S3cret@")
    proc = run_cli("add", secret_url, *WEB, *NEW, db=db)
    assert proc.returncode == 0 and "added 1" in proc.stderr, proc.stderr
    [doc] = sources(db)
    assert doc["url"] == doc["source"] == server.url("/news/tidal")
    assert "authorization" not in server.hits("/news/tidal")[0].headers
    listing = run_cli("sources", db=db, check=True).stdout + run_cli("show", doc["doc_id"], db=db,
                                                                     check=True).stdout
    corpus = stored(db)
    [raw] = corpus.store.raw_pages(server.url("/news/tidal"))
    page = decompress_page(raw.blob)
    corpus.close()
    seen = proc.stdout + proc.stderr + listing + repr(page.url + page.final_url + page.canonical_url)
    assert "S3cret" not in seen and "alice" not in seen
    assert b"S3cret" not in db.read_bytes()
    assert "added 0, unchanged 1" in run_cli("add", secret_url, *WEB, db=db).stderr


# -- the URL reader as a library (what a web-search connector calls) --------------------------------

def stub_resolver(table: dict[str, str]):
    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return [table[host]]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return resolve


def test_ingest_urls_reports_each_url_with_provenance_and_guards_redirects(server, tmp_path):
    # The stub calls "localhost" public and the network routes that public IP to the test server,
    # so its first hop passes the guard; a redirect to the 127.0.0.1 literal is then refused.
    server.route("/story", Reply(body=article(canonical="/story/canonical")))
    server.route("/moved", Reply(302, headers=[("Location", "/story-2")]))
    second_page = bare_page(2).replace(b"<html>", b"<html><head><title>Second story</title>"
                                            b"<meta name='date' content='2024-03-05'></head>")
    server.route("/story-2", Reply(body=second_page))
    server.route("/out", Reply(302, headers=[("Location", server.url("/admin"))]))
    server.route("/admin", Reply(body=article("Admin")))
    server.route("/a", Reply(302, headers=[("Location", "/b")]))
    server.route("/b", Reply(302, headers=[("Location", "/a")]))
    options = FetchOptions(connect_timeout=2.0, read_timeout=1.0, per_host_delay=0.0, backoff=0.05,
                           respect_robots=False, allow_private=False)
    fetcher = HttpFetcher(options, resolver=stub_resolver({"localhost": "93.184.216.34",
                                                           "127.0.0.1": "127.0.0.1"}),
                          network=RoutedNetwork({"93.184.216.34": "127.0.0.1"}))
    store = open_store(str(tmp_path / "c.db"))
    ingestor = Ingestor(store, HashingEmbedder())
    found_by = (("query", "tidal power"), ("provider", "test"))
    listing = FeedEntry(url="", title="Listing title", published="2024-01-02", feed_title="Wire")
    host = "localhost"
    targets = [UrlTarget(server.url("/story#top", host=host), provenance=found_by),
               UrlTarget(server.url("/moved", host=host), listing=listing),
               server.url("/out", host=host), server.url("/a", host=host),
               server.url("/story", host=host)]  # the same URL twice: one outcome
    seen: list[UrlOutcome] = []
    outcomes = ingest_urls(ingestor, targets, fetcher, on_outcome=seen.append)
    assert [o.url for o in outcomes] == [server.url(p, host=host) for p in ("/story", "/moved", "/out", "/a")]
    assert sorted(seen, key=outcomes.index) == list(outcomes)
    story, moved, out, loop = outcomes
    assert story.status == "added" and story.fetched and story.provenance == found_by
    assert story.canonical_url == server.url("/story/canonical", host=host)
    assert moved.status == "added" and moved.canonical_url == server.url("/story-2", host=host)
    assert out.status == "failed" and "redirected to" in out.reason and "--allow-private" in out.reason
    assert loop.status == "failed" and "redirect loop" in loop.reason
    assert not server.hits("/admin")

    doc = store.document(story.doc_id)
    assert ("fetched_from", story.url) in doc.extra and ("query", "tidal power") in doc.extra
    second = store.document(moved.doc_id)
    assert second.title.startswith("Second story") and second.outlet == "Wire"  # page wins, feed fills
    assert second.published == "2024-03-05" and second.url == moved.canonical_url

    again = ingest_urls(ingestor, [server.url("/story", host=host)], fetcher)
    assert again == (UrlOutcome(story.url, "unchanged", doc_id=story.doc_id),)
    store.close()


def test_canonical_urls_count_only_on_the_same_registrable_domain(server, tmp_path):
    # Public names on a public suffix, routed to the loopback server: the guard stays on.
    hosts = {"www.gazette.co.uk": "93.184.216.34", "news.gazette.co.uk": "93.184.216.35",
             "alice.github.io": "93.184.216.36", "bob.github.io": "93.184.216.37"}
    port = server.port
    server.route("/amp", Reply(body=article(canonical=f"http://news.gazette.co.uk:{port}/story")))
    server.route("/post", Reply(body=article(canonical=f"http://bob.github.io:{port}/post")))
    fetcher = HttpFetcher(FetchOptions(per_host_delay=0.0, respect_robots=False),
                          resolver=stub_resolver(hosts),
                          network=RoutedNetwork({ip: "127.0.0.1" for ip in hosts.values()}))
    store = open_store(str(tmp_path / "c.db"))
    amp, post = ingest_urls(Ingestor(store, HashingEmbedder()),
                            [f"http://www.gazette.co.uk:{port}/amp",
                             f"http://alice.github.io:{port}/post"], fetcher)
    assert amp.canonical_url == f"http://news.gazette.co.uk:{port}/story"  # one site: trusted
    assert post.canonical_url == f"http://alice.github.io:{port}/post"  # two sites on github.io
    assert store.doc_by_url(f"http://bob.github.io:{port}/post") is None
    store.close()


def test_registrable_domains():
    from citebrief.web.page import registrable_domain, same_site

    assert registrable_domain("news.bbc.co.uk") == registrable_domain("www.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("a.b.example.com") == "example.com"
    assert registrable_domain("alice.github.io") == "alice.github.io"
    for own in ("127.0.0.1", "localhost", "public.test", "::1"):
        assert registrable_domain(own) == own
    assert same_site("https://www.example.com/a", "http://example.com:8080/b")
    assert not same_site("http://attacker.test/evil", "http://public.test/article-real")
    assert not same_site("http://example.co.uk/", "http://other.co.uk/")
    assert not same_site("http://[::1/", "http://localhost/")  # unparseable: never the same


def test_is_url_and_cli_flags_match_the_library():
    from citebrief.cli import web_cmds
    from citebrief.web import IGNORE_FLAG, PRIVATE_FLAG

    assert is_url("https://example.org/a") and is_url(" http://x ") and is_url("ftp://x/y")
    assert not is_url("examples/corpus") and not is_url("C://x") and not is_url("notes.txt")
    assert (web_cmds.PRIVATE_FLAG, web_cmds.IGNORE_FLAG) == (PRIVATE_FLAG, IGNORE_FLAG)
    defaults = FetchOptions()
    assert (web_cmds.DEFAULT_CONCURRENCY, web_cmds.DEFAULT_DELAY) == (defaults.concurrency,
                                                                      defaults.per_host_delay)
    short = web_cmds.fetch_options(allow_private=True, ignore_robots=True, concurrency=2,
                                   timeout=0.5, delay=0)
    assert short == replace(defaults, connect_timeout=0.5, read_timeout=0.5, per_host_delay=0,
                            respect_robots=False, allow_private=True, concurrency=2)


# -- feeds, sitemaps, refresh ----------------------------------------------------------------------

class Feed:
    """A growing RSS feed that answers conditional GETs with 304 while it has not changed."""

    def __init__(self, server: TestServer, count: int) -> None:
        self.server = server
        self.count = count

    def item(self, i: int) -> str:
        date = format_datetime(EPOCH + timedelta(days=i), usegmt=True)
        return (f"<item><title>Budget story {i}</title><link>{self.server.url(f'/articles/{i}')}</link>"
                f"<dc:creator>Reporter {i}</dc:creator><pubDate>{date}</pubDate></item>")

    def validators(self) -> tuple[str, str]:
        return f'"items-{self.count}"', format_datetime(EPOCH + timedelta(hours=self.count), usegmt=True)

    def __call__(self, seen: Seen) -> Reply:
        etag, modified = self.validators()
        headers = [("ETag", etag), ("Last-Modified", modified)]
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers=headers, content_type=None)
        items = "".join(self.item(i) for i in reversed(range(self.count)))  # newest first
        xml = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
               'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Harbour Gazette</title>'
               f"{items}</channel></rss>")
        return Reply(body=xml.encode(), headers=headers, content_type="application/rss+xml")


def bare_pages(server: TestServer, count: int) -> None:
    for i in range(count):
        server.route(f"/articles/{i}", Reply(body=bare_page(i)))


def test_feed_of_20_then_3_new_on_refresh_then_304(server, db):
    bare_pages(server, 23)
    feed = Feed(server, 20)
    server.route("/feed.xml", feed)
    feed_url = server.url("/feed.xml")
    proc = run_cli("add", "--feed", feed_url, *WEB, *NEW, db=db)
    assert proc.returncode == 0, proc.stderr
    assert f"feed {feed_url}: 20 entries, 20 new" in proc.stderr and "added 20," in proc.stderr
    docs = {d["url"]: d for d in sources(db)}
    assert len(docs) == 20
    doc = docs[server.url("/articles/7")]  # the page names no title, author or date: the feed fills
    assert (doc["title"], doc["author"], doc["published"], doc["outlet"]) == (
        "Budget story 7", "Reporter 7", "2024-06-08", "Harbour Gazette")
    corpus = stored(db)
    extra = corpus.show(doc["doc_id"]).extra
    assert ("feed", feed_url) in extra and ("fetched_from", doc["url"]) in extra
    [state] = corpus.store.feeds()
    assert (state.url, state.kind, state.etag) == (feed_url, "feed", '"items-20"')
    corpus.close()

    feed.count = 23
    mark = len(server.log)
    proc = run_cli("refresh", *WEB, db=db)
    assert proc.returncode == 0, proc.stderr
    assert "added 3, unchanged 0" in proc.stderr and "23 entries, 3 new" in proc.stderr
    assert sorted(fetched(server, "/articles/", mark)) == ["/articles/20", "/articles/21", "/articles/22"]
    [poll] = [s for s in server.log[mark:] if s.path == "/feed.xml"]
    assert poll.headers["if-none-match"] == '"items-20"'
    assert poll.headers["if-modified-since"] == Feed(server, 20).validators()[1]
    assert len(sources(db)) == 23

    mark = len(server.log)
    proc = run_cli("refresh", *WEB, db=db)
    assert proc.returncode == 0, proc.stderr
    assert "not modified since the last poll" in proc.stderr and "added 0" in proc.stderr
    [poll] = [s for s in server.log[mark:] if s.path == "/feed.xml"]
    assert poll.headers["if-none-match"] == '"items-23"'
    assert not fetched(server, "/articles/", mark)


def test_sitemap_is_ingested_and_refreshed(server, db):
    bare_pages(server, 3)
    listed = [0, 1]

    def sitemap(_: Seen) -> Reply:
        rows = "".join(f"<url><loc>/articles/{i}</loc><lastmod>2024-05-0{i + 1}</lastmod></url>"
                       for i in listed)
        return Reply(content_type="application/xml", body=(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{rows}<url><loc>/missing</loc></url></urlset>").encode())
    server.route("/sitemap.xml", sitemap)
    proc = run_cli("add", "--sitemap", server.url("/sitemap.xml"), *WEB, *NEW, db=db)
    assert proc.returncode == 1  # /missing is a 404, reported; the rest is ingested
    assert f"failed {server.url('/missing')}: HTTP 404" in proc.stderr and "added 2," in proc.stderr
    assert {d["published"] for d in sources(db)} == {"2024-05-01", "2024-05-02"}

    listed.append(2)
    mark = len(server.log)
    proc = run_cli("refresh", *WEB, db=db)
    assert "added 1," in proc.stderr
    assert fetched(server, "/articles/", mark) == ["/articles/2"]
    corpus = stored(db)
    [state] = corpus.store.feeds()
    assert state.kind == "sitemap" and state.last_polled
    doc_id = corpus.store.doc_by_url(server.url("/articles/2"))
    assert ("sitemap", server.url("/sitemap.xml")) in corpus.show(doc_id).extra
    corpus.close()


def test_feed_failures_and_usage_errors(server, db):
    proc = run_cli("add", "--feed", server.url("/nope.xml"), *WEB, *NEW, db=db)
    assert proc.returncode == 1 and f"failed {server.url('/nope.xml')}: HTTP 404" in proc.stderr
    assert run_cli("add", *WEB, db=db).returncode == 2  # nothing to add
    refresh = run_cli("refresh", *WEB, db=db)
    assert refresh.returncode == 2 and "citebrief add --feed URL" in refresh.stderr
    assert run_cli("add", server.url("/x"), "--timeout", "0", *WEB, db=db).returncode == 2
