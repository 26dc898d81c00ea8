"""The web fetcher against real HTTP servers on 127.0.0.1: guard, redirects, limits, retries, readers."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from citebrief.errors import FetchError, GeneratorError, InputError, SearchProviderError, UsageError
from citebrief.httpbody import BodyRefused, BodyTooLarge, decode_body
from citebrief.llm import LLMConfig
from citebrief.llm.base import Message
from citebrief.llm.host import HostedGenerator
from citebrief.research.providers import ProviderConfig, make_searcher
from citebrief.web import (PRIVATE_FLAG, FetchedPage, FetchOptions, HttpFetcher, check_url,
                           compress_page, decompress_page, is_private_address, page_to_raw)
from citebrief.web.fetch import USER_AGENT, retry_after_seconds
from citebrief.web.pinned import PinnedBackend, pin_connections
from webserver import (Reply, RoutedNetwork, Seen, TestServer, endless, gzip_bytes, gzip_of_zeros,
                       minimal_pdf, sequence)

# Small timeouts and no politeness delay keep the file fast; the delay has its own test.
FAST = FetchOptions(connect_timeout=2.0, read_timeout=0.3, total_timeout=5.0, per_host_delay=0.0,
                    backoff=0.05, respect_robots=False, allow_private=True)
PUBLIC_IP = "93.184.216.34"  # a host stubs call public; RoutedNetwork routes it to loopback

ARTICLE = """<!doctype html><html><head><title>Tidal power output doubles | Harbour Gazette</title>
<meta charset="utf-8"><meta name="author" content="Ada Marsh">
<meta property="article:published_time" content="2024-03-05">
{canonical}</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> | Subscribe now</nav>
<article><h1>Tidal power output doubles</h1>
<p>The tidal array in the northern estuary produced twice as much electricity this winter as in the
previous one, according to figures published by the regional grid operator on Tuesday.</p>
<p>Engineers attribute the rise to new turbine blades installed in October, which turn at lower
current speeds and so generate power for more hours of each tidal cycle.</p>
<p>Local fishing groups said they would continue to monitor the effect of the turbines on salmon
runs, which they say fell slightly in the first year of operation.</p>
</article>
<footer>Copyright 2024 Harbour Gazette. All rights reserved. Cookie settings. Privacy policy.</footer>
</body></html>"""


def article(canonical: str = "") -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return ARTICLE.format(canonical=link).encode("utf-8")


def stub_resolver(table: dict[str, str]):
    """A resolver answering from ``table``; unknown names fail like a DNS miss."""
    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return [table[host]]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return resolve


@pytest.fixture
def server():
    with TestServer() as srv:
        yield srv


def guarded(**changes) -> FetchOptions:
    """FAST with the private-address guard on."""
    return replace(FAST, allow_private=False, **changes)


def fast(**changes) -> FetchOptions:
    return replace(FAST, **changes)


# -- pages, boilerplate, canonical URLs ----------------------------------------------------------

def test_html_page_is_fetched_cleaned_and_keeps_provenance(server):
    server.route("/tidal", Reply(body=article()))
    page = HttpFetcher(FAST).fetch(server.url("/tidal"))
    assert page.status == 200 and page.content_type == "text/html"
    assert page.final_url == page.canonical_url == server.url("/tidal")
    assert server.hits("/tidal")[0].headers["user-agent"] == USER_AGENT
    [doc] = page_to_raw(page)
    assert "turbine blades" in doc.text and "Cookie settings" not in doc.text
    assert doc.title and "Tidal power" in doc.title
    assert doc.source == server.url("/tidal") and doc.url == server.url("/tidal")
    extra = dict(doc.extra)
    assert extra["final_url"] == page.final_url and extra["fetched_at"] == page.fetched_at


def test_same_article_by_two_urls_has_one_canonical_url(server):
    canonical = server.url("/news/tidal-power")
    server.route("/news/tidal-power", Reply(body=article(canonical)))
    server.route("/share", Reply(body=article("/news/tidal-power")))  # relative canonical
    server.route("/old", Reply(301, headers=[("Location", "/news/tidal-power")]))
    fetcher = HttpFetcher(FAST)
    pages = fetcher.fetch_all([server.url("/share?utm_source=x#top"), server.url("/old")])
    assert [p.canonical_url for p in pages] == [canonical, canonical]
    assert pages[1].final_url == canonical and pages[1].url == server.url("/old")
    assert page_to_raw(pages[0])[0].url == canonical


def test_canonical_from_link_header_for_a_pdf(server):
    server.route("/paper.pdf", Reply(body=minimal_pdf("Estuary salmon counts fell"),
                                     content_type="application/pdf",
                                     headers=[("Link", '</papers/salmon>; rel="canonical"')]))
    page = HttpFetcher(FAST).fetch(server.url("/paper.pdf"))
    assert page.canonical_url == server.url("/papers/salmon")
    [doc] = page_to_raw(page)
    assert "Estuary salmon counts fell" in doc.text and doc.url == server.url("/papers/salmon")


def test_pdf_served_as_octet_stream_is_sniffed(server):
    server.route("/dl", Reply(body=minimal_pdf("Grid operator figures"),
                              content_type="application/octet-stream"))
    page = HttpFetcher(FAST).fetch(server.url("/dl"))
    assert page.content_type == "application/pdf"
    assert "Grid operator figures" in page_to_raw(page)[0].text


def test_plain_text_page(server):
    server.route("/notes.txt", Reply(body=b"Title: Field notes\n\nSalmon runs fell slightly.",
                                     content_type="text/plain"))
    [doc] = page_to_raw(HttpFetcher(FAST).fetch(server.url("/notes.txt")))
    assert doc.title == "Field notes" and doc.text.strip() == "Salmon runs fell slightly."


# -- charsets --------------------------------------------------------------------------------------

def test_header_claims_latin1_but_bytes_are_utf8(server):
    body = article().replace(b"twice as much", "twice as much — café owners say".encode())
    server.route("/liar", Reply(body=body, content_type="text/html; charset=ISO-8859-1"))
    page = HttpFetcher(FAST).fetch(server.url("/liar"))
    assert page.charset == "iso-8859-1"
    text = page_to_raw(page)[0].text
    assert "— café owners" in text and "Ã©" not in text


def test_header_claims_utf8_but_meta_says_windows_1252(server):
    html = ARTICLE.format(canonical="").replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    body = html.replace("twice as much", "twice as much “as forecast”").encode("cp1252")
    server.route("/cp1252", Reply(body=body, content_type="text/html; charset=utf-8"))
    text = page_to_raw(HttpFetcher(FAST).fetch(server.url("/cp1252")))[0].text
    assert "“as forecast”" in text


# -- failures are reported per URL -----------------------------------------------------------------

def test_batch_reports_each_failure_and_goes_on(server):
    server.route("/good", Reply(body=article()))
    server.route("/image", Reply(body=b"\x89PNG....", content_type="image/png"))
    server.route("/gone", Reply(410, b"gone"))
    urls = [server.url("/good"), server.url("/missing"), server.url("/image"), server.url("/gone"),
            "ftp://example.org/file.txt", "http://[::1"]
    results = HttpFetcher(FAST).fetch_all(urls)
    assert isinstance(results[0], FetchedPage)
    reasons = [str(r) for r in results[1:]]
    assert all(isinstance(r, FetchError) for r in results[1:])
    assert "HTTP 404" in reasons[0] and reasons[0].startswith(server.url("/missing"))
    assert "content type image/png" in reasons[1]
    assert "HTTP 410" in reasons[2]
    assert "only http:// and https://" in reasons[3]
    assert "not a valid URL" in reasons[4]


def test_slow_server_hits_the_read_timeout(server):
    server.route("/slow", Reply(body=b"late", delay=1.0))
    with pytest.raises(FetchError, match="stopped sending"):
        HttpFetcher(FAST).fetch(server.url("/slow"))


def drip(pause: float):
    """A body that never ends, one small piece every ``pause`` seconds (under the read timeout)."""
    while True:
        time.sleep(pause)
        yield b"<p>still here</p>\n"


def test_redirect_hops_and_retries_share_one_deadline(server):
    # Each hop answers within the read timeout; before, each hop had its own 1 s and all 5 passed.
    for i in range(1, 5):
        server.route(f"/hop{i}", Reply(302, headers=[("Location", f"/hop{i + 1}")], delay=0.4))
    server.route("/hop5", Reply(body=article()))
    with pytest.raises(FetchError, match="gave up after 1 s .*redirects and retries included"):
        HttpFetcher(fast(read_timeout=5.0, total_timeout=1.0)).fetch(server.url("/hop1"))
    assert not server.hits("/hop4") and not server.hits("/hop5")  # 3 hops × 0.4 s > 1 s


def test_slow_drip_host_is_cut_off_after_its_budget(server):
    for i in range(5):
        server.route(f"/drip{i}", Reply(body=drip(0.1)))
    server.route("/page", Reply(body=article()))
    # Every drip runs into the 0.6 s deadline, a slow response (> 0.3 s read timeout); after two
    # the host has cost 1.2 s of its 1 s budget and its remaining URLs fail without a request.
    fetcher = HttpFetcher(fast(read_timeout=0.3, total_timeout=0.6, slow_host_budget=1.0))
    urls = [server.url(f"/drip{i}") for i in range(5)]
    results = fetcher.fetch_all(urls)  # the order they reach the host is not the list's order
    assert all(isinstance(r, FetchError) for r in results)
    timed_out = [url for url, r in zip(urls, results) if "gave up after 0.6 s" in str(r)]
    cut = [url for url, r in zip(urls, results) if str(r).startswith(
        f"{url}: not fetched — 127.0.0.1:{server.port} has already sent")]
    assert len(timed_out) == 2 and sorted(timed_out + cut) == sorted(urls)
    assert len(server.log) == 2 and {s.path for s in server.log} == {
        url.removeprefix(server.url("")) for url in timed_out}
    assert fetcher.fetch(server.url("/page", host="localhost")).status == 200  # other hosts go on


def test_endless_body_stops_at_the_size_cap(server):
    server.route("/endless", Reply(body=endless()))
    with pytest.raises(FetchError, match="larger than the 0.25 MB limit"):
        HttpFetcher(fast(max_bytes=256 * 1024)).fetch(server.url("/endless"))


def test_declared_length_over_the_cap_is_refused_before_reading(server):
    server.route("/big", Reply(body=b"x" * 10, headers=[("Content-Length", str(10**9))]))
    with pytest.raises(FetchError, match="larger than"):
        HttpFetcher(fast(max_bytes=1024)).fetch(server.url("/big"))


def test_connection_refused_is_reported():
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        HttpFetcher(FAST).fetch(f"http://127.0.0.1:{port}/")


# -- bodies: decoded as they arrive, never past the limit (issue 16) --------------------------------

GIB = 1024  # MiB of zeros in the bombs: a gigabyte decoded, a megabyte (single) or 2 KB (stacked) sent


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """gzip of 1 GiB of zeros (1 MB); built once, since building it takes about a second."""
    return gzip_of_zeros(GIB)


def peak_bytes_while(action) -> int:
    """Peak Python heap (tracemalloc) while ``action`` runs: zlib's output is allocated there too."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def failure_and_peak(action) -> tuple[Exception, int]:
    """Run ``action``, which must raise: its exception and the peak Python heap meanwhile."""
    caught: list[Exception] = []

    def run() -> None:
        try:
            action()
        except Exception as exc:  # noqa: BLE001 — handed to the test to check
            caught.append(exc)

    peak = peak_bytes_while(run)
    assert caught, "expected the call to fail"
    return caught[0], peak


def bomb_reply(body: bytes, encoding: str, content_type: str = "text/html") -> Reply:
    return Reply(body=body, headers=[("Content-Encoding", encoding)], content_type=content_type)


def test_stacked_gzip_bomb_is_refused_without_decoding_it(server, bomb):
    stacked = gzip_bytes(bomb)  # 2.5 KB sent, 1 GiB after both layers
    server.route("/stacked", bomb_reply(stacked, "gzip, gzip"))
    server.route("/two-headers", Reply(body=stacked, content_type="text/html",
                                       headers=[("Content-Encoding", "gzip"),
                                                ("Content-Encoding", "gzip")]))
    fetcher = HttpFetcher(FAST)
    for path in ("/stacked", "/two-headers"):
        error, peak = failure_and_peak(lambda: fetcher.fetch(server.url(path)))
        assert isinstance(error, FetchError)
        assert str(error).startswith(server.url(path) + ": the server stacked content encodings "
                                     "(gzip, gzip)")
        assert peak < 16 * 2**20  # before the bounded reader: the whole gigabyte (2.1 GB RSS)


def test_single_gzip_bomb_stops_at_the_limit_not_after_decoding(server, bomb):
    server.route("/bomb", bomb_reply(bomb, "gzip"))
    error, peak = failure_and_peak(
        lambda: HttpFetcher(fast(max_bytes=2**20)).fetch(server.url("/bomb")))
    assert isinstance(error, FetchError)
    assert "larger than the 1 MB limit — raise it with --max-size" in str(error)
    # 1 MB kept plus zlib's buffers; httpx's own decoding held 64 MB per 64 KB read at this ratio.
    assert peak < 16 * 2**20


def test_gzip_and_deflate_pages_within_the_limit_are_decoded(server):
    body = article()
    server.route("/gz", bomb_reply(gzip.compress(body), "gzip"))
    server.route("/zlib", bomb_reply(zlib.compress(body), "deflate"))
    server.route("/raw-deflate", bomb_reply(zlib.compress(body)[2:-4], "deflate"))
    server.route("/br", bomb_reply(b"\x8b\x00\x80", "br"))
    server.route("/corrupt", bomb_reply(b"\x1f\x8b not gzip at all", "gzip"))
    fetcher = HttpFetcher(FAST)
    pages = [fetcher.fetch(server.url(path)) for path in ("/gz", "/zlib", "/raw-deflate")]
    assert [page.body for page in pages] == [body] * 3
    assert page_to_raw(pages[0])[0].title.startswith("Tidal power")
    assert server.hits("/gz")[0].headers["accept-encoding"] == "gzip, deflate"
    with pytest.raises(FetchError, match="content encoding 'br' is not supported"):
        fetcher.fetch(server.url("/br"))
    with pytest.raises(FetchError, match="gzip-encoded body is corrupt"):
        fetcher.fetch(server.url("/corrupt"))


def test_bounded_decoder_pieces():
    text = b"The harbour authority budget rose again. " * 400
    members = gzip.compress(text[:100]) + gzip.compress(text[100:])  # gzip allows several members
    pieces = [members[i:i + 7] for i in range(0, len(members), 7)]
    assert decode_body(pieces, "x-gzip", 10**6) == text
    zlib_pieces = [zlib.compress(text)[:1], zlib.compress(text)[1:]]  # header split across reads
    assert decode_body(zlib_pieces, "deflate", 10**6) == text
    assert decode_body(text, "identity", 10**6) == decode_body(text, None, 10**6) == text
    assert decode_body(gzip.compress(text), "gzip", 100, truncate=True) == text[:100]
    assert decode_body(gzip.compress(text) + b"trailing junk", "gzip", 10**6) == text
    with pytest.raises(BodyTooLarge, match="larger than the 100 bytes limit"):
        decode_body(gzip.compress(text), "gzip", 100)
    with pytest.raises(BodyTooLarge):
        decode_body(text, None, len(text) - 1)
    assert decode_body(text, None, len(text)) == text
    for stacked in ("gzip, gzip", "gzip,deflate", "deflate, identity, gzip"):
        with pytest.raises(BodyRefused, match="stacked"):
            decode_body(b"", stacked, 100)


def test_robots_txt_bomb_is_cut_at_500_kib_and_the_page_still_fetched(server, bomb):
    server.route("/robots.txt", bomb_reply(bomb, "gzip", content_type="text/plain"))
    server.route("/page", Reply(body=article()))
    fetcher = HttpFetcher(fast(respect_robots=True))
    pages: list[FetchedPage] = []
    peak = peak_bytes_while(lambda: pages.append(fetcher.fetch(server.url("/page"))))
    assert pages[0].status == 200 and server.hits("/robots.txt")
    assert peak < 16 * 2**20


def test_llm_and_search_clients_read_through_the_same_bounded_reader(server, bomb):
    stacked = gzip_bytes(bomb)
    server.route("/v1/chat/completions", bomb_reply(bomb, "gzip", "application/json"))
    server.route("/stacked/v1/chat/completions", bomb_reply(stacked, "gzip, gzip",
                                                            "application/json"))
    server.route("/search", bomb_reply(bomb, "gzip", "application/json"))
    question = [Message("user", "How much power did the tidal array produce?")]
    config = LLMConfig(backend="openai", model="m", base_url=server.url("/v1"), timeout=5,
                       max_retries=0)
    with HostedGenerator(config) as llm:
        error, peak = failure_and_peak(lambda: llm.generate(question))
    assert isinstance(error, GeneratorError) and peak < 32 * 2**20
    assert "too large (response is larger than the 16 MB limit)" in str(error)
    stacked_config = config.model_copy(update={"base_url": server.url("/stacked/v1")})
    with HostedGenerator(stacked_config) as llm:
        with pytest.raises(GeneratorError, match="stacked content encodings"):
            llm.generate(question)
    searcher = make_searcher("searxng", ProviderConfig(base_url=server.url(""), timeout=5,
                                                       retries=0), environ={})
    with pytest.raises(SearchProviderError, match="searxng .*larger than the 16 MB limit"):
        searcher.search("tidal power")
    assert server.hits("/v1/chat/completions")[0].method == "POST"
    # A redirect's body is never read (httpx's own redirect handling decoded it whole).
    server.route("/moved/search", Reply(302, body=stacked, content_type="text/html", headers=[
        ("Location", "/ok/search?format=json"), ("Content-Encoding", "gzip, gzip")]))
    server.route("/ok/search", Reply(body=b'{"results": []}', content_type="application/json"))
    moved = make_searcher("searxng", ProviderConfig(base_url=server.url("/moved"), timeout=5,
                                                    retries=0), environ={})
    found: list[list] = []
    peak = peak_bytes_while(lambda: found.append(moved.search("tidal power")))
    assert found == [[]] and peak < 16 * 2**20
    assert server.hits("/ok/search?format=json")  # followed to the end


# -- retries ---------------------------------------------------------------------------------------

def test_429_with_retry_after_then_success(server):
    server.route("/busy", sequence(Reply(429, b"slow down", headers=[("Retry-After", "1")]),
                                   Reply(body=article())))
    page = HttpFetcher(FAST).fetch(server.url("/busy"))
    first, second = server.hits("/busy")
    assert page.status == 200 and second.started - first.started >= 0.9


def test_500_then_success(server):
    server.route("/flaky", sequence(Reply(500, b"oops"), Reply(502, b"oops"), Reply(body=article())))
    assert HttpFetcher(FAST).fetch(server.url("/flaky")).status == 200
    assert len(server.hits("/flaky")) == 3


def test_persistent_503_gives_up_after_the_retries(server):
    server.route("/down", Reply(503, b"down"))
    with pytest.raises(FetchError, match="HTTP 503 Service Unavailable after 3 attempts"):
        HttpFetcher(fast(retries=2)).fetch(server.url("/down"))
    assert len(server.hits("/down")) == 3


def test_retry_after_beyond_the_cap_fails_at_once(server):
    server.route("/later", Reply(429, b"", headers=[("Retry-After", "3600")]))
    with pytest.raises(FetchError, match="retry after 3600 s, over the 30 s limit"):
        HttpFetcher(FAST).fetch(server.url("/later"))
    assert len(server.hits("/later")) == 1


def test_retry_after_parses_seconds_and_http_dates():
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7", now=now) == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90
    assert retry_after_seconds("Wed, 01 May 2024 11:00:00 GMT", now=now) == 0.0  # in the past
    assert retry_after_seconds("soon", now=now) is None and retry_after_seconds(None, now=now) is None


# -- redirects -------------------------------------------------------------------------------------

def test_redirect_loop_is_detected(server):
    server.route("/a", Reply(302, headers=[("Location", "/b")]))
    server.route("/b", Reply(302, headers=[("Location", server.url("/a"))]))
    with pytest.raises(FetchError, match="redirect loop"):
        HttpFetcher(FAST).fetch(server.url("/a"))


def test_too_many_redirects(server):
    for i in range(4):
        server.route(f"/r{i}", Reply(307, headers=[("Location", f"/r{i + 1}")]))
    server.route("/r4", Reply(body=article()))
    assert HttpFetcher(fast(max_redirects=4)).fetch(server.url("/r0")).final_url == server.url("/r4")
    with pytest.raises(FetchError, match="more than 3 redirects"):
        HttpFetcher(fast(max_redirects=3)).fetch(server.url("/r0"))


def test_redirect_to_a_private_address_is_refused_with_the_guard_on(server):
    # news.example is public (PUBLIC_IP, routed to the test server), so the first hop passes the
    # guard and is fetched; the hop to the loopback IP literal is then checked and refused.
    server.route("/out", Reply(302, headers=[("Location", server.url("/admin"))]))
    server.route("/admin", Reply(body=article()))
    network = RoutedNetwork({PUBLIC_IP: "127.0.0.1"})
    resolver = stub_resolver({"news.example": PUBLIC_IP, "127.0.0.1": "127.0.0.1"})
    fetcher = HttpFetcher(guarded(), resolver=resolver, network=network)
    with pytest.raises(FetchError, match="redirected to .*127.0.0.1.*--allow-private"):
        fetcher.fetch(server.url("/out", host="news.example"))
    assert server.hits("/out") and not server.hits("/admin")
    assert network.dialled == [PUBLIC_IP]  # the private hop was never dialled


def test_redirect_to_a_non_http_scheme_is_refused(server):
    server.route("/leak", Reply(302, headers=[("Location", "file:///etc/passwd")]))
    with pytest.raises(FetchError, match="'file:' URLs are not fetched"):
        HttpFetcher(FAST).fetch(server.url("/leak"))


# -- the guard -------------------------------------------------------------------------------------

def test_loopback_url_refused_without_allow_private(server):
    server.route("/", Reply(body=article()))
    with pytest.raises(FetchError) as info:
        HttpFetcher(guarded()).fetch(server.url("/"))
    assert PRIVATE_FLAG in str(info.value) and "127.0.0.1" in str(info.value)
    assert not server.log  # refused before any connection


def test_hostname_resolving_to_loopback_is_refused(server):
    resolver = stub_resolver({"intranet.example": "127.0.0.1"})
    with pytest.raises(FetchError, match="intranet.example resolves to .*127.0.0.1.*--allow-private"):
        HttpFetcher(guarded(), resolver=resolver).fetch(f"http://intranet.example:{server.port}/")


def test_connection_is_pinned_to_the_checked_address(server):
    server.route("/page", Reply(body=article()))
    network = RoutedNetwork({PUBLIC_IP: "127.0.0.1"})
    resolver = stub_resolver({"news.example": PUBLIC_IP})
    page = HttpFetcher(guarded(), resolver=resolver, network=network).fetch(
        server.url("/page", host="news.example"))
    assert page.status == 200 and network.dialled == [PUBLIC_IP]  # the IP, not the name
    assert server.hits("/page")[0].host == f"news.example:{server.port}"  # Host header: the name
    unguarded = RoutedNetwork({})  # --allow-private: nothing to pin, the name is dialled as before
    HttpFetcher(FAST, network=unguarded).fetch(server.url("/page", host="localhost"))
    assert unguarded.dialled == ["localhost"]


def test_tls_on_a_pinned_connection_still_names_the_host(server):
    # The server speaks plain HTTP, so the handshake fails; what matters is that TLS was started on
    # the connection to the checked IP with the host name (SNI and certificate check).
    network = RoutedNetwork({PUBLIC_IP: "127.0.0.1"})
    fetcher = HttpFetcher(guarded(connect_timeout=0.5), network=network,
                          resolver=stub_resolver({"news.example": PUBLIC_IP}))
    with pytest.raises(FetchError):
        fetcher.fetch(f"https://news.example:{server.port}/")
    assert network.dialled == [PUBLIC_IP] and network.tls_names == ["news.example"]


def test_dns_rebinding_between_the_check_and_the_connection_is_refused(server):
    # A hostile DNS server: public to the guard's lookup, loopback to every lookup after it.
    server.route("/", Reply(body=article()))
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return [PUBLIC_IP] if len(lookups) == 1 else ["127.0.0.1"]

    url = server.url("/", host="rebind.example")
    with pytest.raises(FetchError) as info:
        HttpFetcher(guarded(), resolver=rebinding).fetch(url)
    with pytest.raises(FetchError) as guard_says:  # what the guard says when DNS answers loopback
        check_url(url, False, resolver=lambda host, port: ["127.0.0.1"])
    assert str(info.value) == str(guard_says.value)
    assert "rebind.example resolves to the private or local address 127.0.0.1" in str(info.value)
    assert PRIVATE_FLAG in str(info.value)
    assert lookups == ["rebind.example", "rebind.example"]  # the guard's, then the connection's
    assert not server.log


def test_a_client_that_cannot_be_pinned_is_refused_not_used_unpinned():
    # What an httpx upgrade that moved the direct transport would look like to pin_connections.
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    with pytest.raises(RuntimeError, match="cannot pin connections"):
        pin_connections(client, PinnedBackend(allow_private=False), limits=httpx.Limits())


def test_proxies_from_the_environment_still_work_and_no_proxy_hosts_are_pinned(server, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{server.port}")  # the test server proxies
    monkeypatch.setenv("no_proxy", "direct.example")
    server.route("http://proxied.example/page", Reply(body=article()))  # a proxy sees the full URL
    server.route("/page", Reply(body=article()))
    network = RoutedNetwork({PUBLIC_IP: "127.0.0.1"})
    resolver = stub_resolver({"proxied.example": PUBLIC_IP, "direct.example": PUBLIC_IP})
    pages = HttpFetcher(guarded(), resolver=resolver, network=network).fetch_all(
        ["http://proxied.example/page", server.url("/page", host="direct.example")])
    assert all(isinstance(p, FetchedPage) for p in pages), pages
    assert server.hits("http://proxied.example/page") and server.hits("/page")
    assert network.dialled == [PUBLIC_IP]  # only the direct request went through the pin


def test_dns_failure_is_reported():
    with pytest.raises(FetchError, match="DNS lookup of nowhere.invalid failed"):
        check_url("https://nowhere.invalid/x", False, resolver=stub_resolver({}))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "javascript:alert(1)",
                                 "gopher://example.org/", "example.org/no-scheme"])
def test_non_http_schemes_are_refused(url):
    with pytest.raises(FetchError, match="only http:// and https://"):
        check_url(url, True)


@pytest.mark.parametrize("ip, private", [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.1", True), ("192.168.1.1", True),
    ("169.254.169.254", True), ("100.64.0.1", True), ("0.0.0.0", True), ("224.0.0.1", True),
    ("::1", True), ("fe80::1%eth0", True), ("fc00::1", True), ("ff02::1", True),
    ("::ffff:127.0.0.1", True), ("not an ip", True),
    ("93.184.216.34", False), ("8.8.8.8", False), ("2606:4700:4700::1111", False),
    # Issue 16: blocks of the IANA special-purpose registries Python's flags missed, and IPv6
    # addresses that carry a private IPv4 address (6to4, NAT64, Teredo, IPv4-compatible).
    ("192.0.0.8", True), ("192.0.0.171", True), ("192.88.99.1", True), ("198.18.0.1", True),
    ("255.255.255.255", True), ("240.0.0.1", True),
    ("fec0::1", True), ("2002:7f00:1::", True), ("2002:a00:1::1", True), ("64:ff9b::7f00:1", True),
    ("64:ff9b:1::5db8:d822", True), ("2001:0:4136:e378:8000:63bf:80ff:fffe", True),
    ("::7f00:1", True), ("100::1", True), ("2001:db8::1", True), ("3fff::1", True),
    ("5f00::1", True), ("2001:2::1", True),
    ("2002:5db8:d822::1", False), ("64:ff9b::5db8:d822", False),  # 93.184.216.34 inside
    ("2001:0:4136:e378:8000:63bf:a247:2dfd", False),  # Teredo: server and client both public
    ("2a00:1450:4001:82a::200e", False),
])
def test_is_private_address(ip, private):
    assert is_private_address(ip) is private


def test_name_resolving_to_a_6to4_loopback_address_is_refused():
    with pytest.raises(FetchError, match="resolves to the private or local address 2002:7f00:1::"):
        check_url("http://six.example/", False, resolver=lambda host, port: ["2002:7f00:1::"])


def test_guard_checks_every_resolved_address():
    resolver = lambda host, port: [PUBLIC_IP, "10.0.0.5"]  # noqa: E731 — a split-horizon answer
    with pytest.raises(FetchError, match="10.0.0.5"):
        check_url("http://mixed.example/", False, resolver=resolver)
    check_url("http://mixed.example/", True, resolver=resolver)  # allowed: no lookup at all


# -- robots.txt and politeness ---------------------------------------------------------------------

def test_robots_txt_disallow_is_respected_unless_ignored(server):
    server.route("/robots.txt", Reply(body=b"User-agent: citebrief\nDisallow: /private/\n",
                                      content_type="text/plain"))
    server.route("/private/memo", Reply(body=article()))
    server.route("/public", Reply(body=article()))
    polite = HttpFetcher(fast(respect_robots=True))
    with pytest.raises(FetchError, match="robots.txt .* disallows .*--ignore-robots"):
        polite.fetch(server.url("/private/memo"))
    assert polite.fetch(server.url("/public")).status == 200
    assert len(server.hits("/robots.txt")) == 1  # cached per host
    assert not server.hits("/private/memo")
    assert HttpFetcher(fast(respect_robots=False)).fetch(server.url("/private/memo")).status == 200


def test_missing_robots_txt_allows(server):
    server.route("/page", Reply(body=article()))
    assert HttpFetcher(fast(respect_robots=True)).fetch(server.url("/page")).status == 200
    assert server.hits("/robots.txt")


def test_one_request_at_a_time_per_host_with_a_delay(server):
    def slowish(_: Seen) -> Reply:
        return Reply(body=article(), delay=0.05)
    for i in range(4):
        server.route(f"/p{i}", slowish)
    fetcher = HttpFetcher(fast(per_host_delay=0.2, concurrency=8))
    results = fetcher.fetch_all([server.url(f"/p{i}") for i in range(4)])
    assert all(isinstance(r, FetchedPage) for r in results)
    assert server.max_in_flight == 1
    starts = sorted(s.started for s in server.log)
    assert all(b - a >= 0.2 for a, b in zip(starts, starts[1:]))


def test_different_hosts_are_fetched_concurrently(server):
    server.route("/wait", Reply(body=article(), delay=0.2))
    urls = [server.url("/wait"), server.url("/wait", host="localhost")]
    results = HttpFetcher(FAST).fetch_all(urls)
    assert all(isinstance(r, FetchedPage) for r in results)
    assert server.max_in_flight == 2


# -- raw storage and options -----------------------------------------------------------------------

def test_compressed_raw_response_round_trips_and_re_cleans(server):
    server.route("/tidal", Reply(body=article(), headers=[("ETag", '"v1"')]))
    page = HttpFetcher(FAST).fetch(server.url("/tidal"))
    blob = compress_page(page)
    assert len(blob) < len(page.body)
    again = decompress_page(blob)
    assert again == page and again.header("ETag") == '"v1"'
    assert page_to_raw(again) == page_to_raw(page)


def test_corrupt_raw_blob_is_an_input_error():
    with pytest.raises(InputError, match="corrupt"):
        decompress_page(b"not zlib at all")


def test_not_modified_page_has_no_documents():
    page = FetchedPage(url="http://x/", final_url="http://x/", canonical_url="http://x/",
                       status=304, headers=(), content_type="", body=b"", fetched_at="2024-01-01T00:00:00Z")
    with pytest.raises(InputError, match="304"):
        page_to_raw(page)


def test_options_are_validated():
    with pytest.raises(UsageError, match="read_timeout"):
        FetchOptions(read_timeout=0)
    with pytest.raises(UsageError, match="concurrency"):
        FetchOptions(concurrency=0)
    assert FetchOptions().max_bytes == 20 * 1024 * 1024 and FetchOptions().max_redirects == 5
