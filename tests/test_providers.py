"""Web search providers against a scripted loopback server speaking each provider's wire format."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest

from citebrief.errors import ConfigError, SearchProviderError, UsageError
from citebrief.research.providers import (SEARCHERS, USER_AGENT, ProviderConfig, ProviderFailure,
                                          Searcher, SearchResult, Secret, Topic,
                                          configured_providers, describe_providers, make_searcher,
                                          merge_results, search_all)
from citebrief.research.providers.brave import BraveBackend, brave_freshness
from citebrief.research.providers.gdelt import GdeltBackend, gdelt_startdatetime
from citebrief.research.providers.host import retry_after_seconds
from citebrief.research.providers.searxng import SearxngBackend, searxng_time_range
from citebrief.research.providers.tavily import TavilyBackend
from citebrief.research.urls import canonical_url, domain_of
from fakes.search_servers import (FakeHit, FakeSearchServers, Reply, malformed, rate_limited,
                                  slow, unauthorized)

KEY = "sk-test-7f3a9c1e5b"
TODAY = date.today()
RECENT = f"{TODAY - timedelta(days=2)}T09:30:00Z"
OLD = "2019-03-04T08:00:00Z"

HITS = [
    FakeHit("https://example.org/heat-pumps", "Heat pumps in <b>cold</b> climates",
            "Field data from <strong>Norway</strong> &amp; Canada", RECENT, engine="bing",
            country="Norway", language="Norwegian"),
    FakeHit("https://news.example.com/grid?id=7", "Grid load", "Winter peaks", None),
]


@pytest.fixture
def fake() -> Iterator[FakeSearchServers]:
    with FakeSearchServers() as servers:
        yield servers


def searcher(fake: FakeSearchServers, name: str, *, topic: Topic = Topic.GENERAL,
             timeout: float = 2.0, retries: int = 2) -> Searcher:
    """A searcher for ``name`` pointed at the fake, built through the registry like the CLI does."""
    config = ProviderConfig(base_url=fake.base_url(name), timeout=timeout, retries=retries,
                            topic=topic)
    return make_searcher(name, config, environ={"BRAVE_API_KEY": KEY, "TAVILY_API_KEY": KEY})


# --- each backend: request parameters, authentication, parsing ---------------------------------

def test_searxng_sends_params_and_parses_results(fake: FakeSearchServers) -> None:
    fake.set_hits("searxng", HITS)
    results = searcher(fake, "searxng", topic=Topic.NEWS).search(
        "heat pumps", limit=5, since=TODAY - timedelta(days=5))
    [request] = fake.requests_for("searxng")
    assert request.params == {"q": "heat pumps", "format": "json", "categories": "news",
                              "time_range": "week"}
    assert request.headers["user-agent"] == USER_AGENT and USER_AGENT.startswith("citebrief/")
    first = results[0]
    assert (first.url, first.title, first.provider) == (
        "https://example.org/heat-pumps", "Heat pumps in cold climates", "searxng")
    assert first.snippet == "Field data from Norway & Canada"
    assert first.published == RECENT[:10]
    assert ("engine", "bing") in first.extra
    assert results[1].published is None


def test_brave_web_sends_key_header_and_parses(fake: FakeSearchServers) -> None:
    fake.set_hits("brave", HITS)
    fake.require_key("brave", KEY)
    results = searcher(fake, "brave").search("heat pumps", limit=40)
    [request] = fake.requests_for("brave")
    assert request.path == "/res/v1/web/search"
    assert request.headers["x-subscription-token"] == KEY
    assert request.params == {"q": "heat pumps", "count": "20"}  # web search caps count at 20
    assert [r.url for r in results] == [h.url for h in HITS]
    assert results[0].snippet == "Field data from Norway & Canada"
    assert results[0].published == RECENT[:10]  # from page_age


def test_brave_news_endpoint_and_freshness_range(fake: FakeSearchServers) -> None:
    fake.set_hits("brave", HITS)
    since = TODAY - timedelta(days=10)
    results = searcher(fake, "brave", topic=Topic.NEWS).search("grid", limit=3, since=since)
    [request] = fake.requests_for("brave")
    assert request.path == "/res/v1/news/search"
    assert request.params["freshness"] == f"{since}to{TODAY}"
    assert request.params["count"] == "3"
    assert results[0].extra[0] == ("endpoint", "news")


def test_tavily_posts_json_with_bearer_key(fake: FakeSearchServers) -> None:
    fake.set_hits("tavily", HITS)
    fake.require_key("tavily", KEY)
    since = TODAY - timedelta(days=30)
    results = searcher(fake, "tavily", topic=Topic.NEWS).search("heat pumps", limit=4, since=since)
    [request] = fake.requests_for("tavily")
    assert request.method == "POST"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.json == {"query": "heat pumps", "max_results": 4, "topic": "news",
                            "start_date": since.isoformat()}
    assert "api_key" not in request.json
    assert results[0].published == RECENT[:10]  # from an RFC 2822 published_date
    assert results[0].snippet == "Field data from Norway & Canada"
    assert ("score", "0.810") in results[0].extra


def test_gdelt_sends_artlist_params_and_parses_articles(fake: FakeSearchServers) -> None:
    fake.set_hits("gdelt", HITS[:1])
    since = date(2024, 5, 1)
    results = searcher(fake, "gdelt").search("heat pumps", limit=300, since=since)
    [request] = fake.requests_for("gdelt")
    assert request.params == {"query": "heat pumps", "mode": "artlist", "format": "json",
                              "maxrecords": "250", "sort": "datedesc",
                              "startdatetime": "20240501000000"}
    [result] = results
    assert result.published == RECENT[:10]  # from seendate 20240501T093000Z-style
    assert result.snippet == ""
    assert dict(result.extra) == {"domain": "example.org", "source_country": "Norway",
                                  "language": "Norwegian"}


def test_gdelt_empty_object_means_no_results(fake: FakeSearchServers) -> None:
    assert searcher(fake, "gdelt").search("nothing matches this") == []


def test_gdelt_text_message_is_reported(fake: FakeSearchServers) -> None:
    fake.script("gdelt", Reply(200, b"The specified phrase is too short.",
                               (("Content-Type", "text/html"),)))
    with pytest.raises(SearchProviderError, match="phrase is too short"):
        searcher(fake, "gdelt").search("ab")


def test_wikipedia_builds_article_urls_and_strips_snippet_html(fake: FakeSearchServers) -> None:
    fake.set_hits("wikipedia", [FakeHit(
        "", "Café society", 'The <span class="searchmatch">café</span> &quot;set&quot;',
        "2023-11-02T12:00:00Z")])
    [result] = searcher(fake, "wikipedia").search("cafe society", limit=80)
    [request] = fake.requests_for("wikipedia")
    assert request.params["action"] == "query" and request.params["list"] == "search"
    assert request.params["srsearch"] == "cafe society"
    assert request.params["srlimit"] == "50" and request.params["format"] == "json"
    assert result.url == fake.base_url("wikipedia") + "/wiki/Caf%C3%A9_society"
    assert result.snippet == 'The café "set"'
    assert result.published is None  # an edit date is not a publication date
    assert ("last_edited", "2023-11-02") in result.extra


def test_wikipedia_api_error_object_is_reported(fake: FakeSearchServers) -> None:
    fake.script("wikipedia", Reply(200, b'{"error": {"code": "badvalue", "info": "Bad srwhat"}}'))
    with pytest.raises(SearchProviderError, match="badvalue: Bad srwhat"):
        searcher(fake, "wikipedia").search("x")


def test_since_drops_results_known_to_be_older(fake: FakeSearchServers) -> None:
    fake.set_hits("searxng", [FakeHit("https://a.example/old", "Old", "", OLD), *HITS])
    results = searcher(fake, "searxng").search("q", since=TODAY - timedelta(days=7))
    assert [r.url for r in results] == [h.url for h in HITS]  # undated results are kept


# --- host behaviour: keys, rate limits, timeouts, malformed replies -----------------------------

@pytest.mark.parametrize("provider, variable", [("brave", "BRAVE_API_KEY"),
                                                ("tavily", "TAVILY_API_KEY")])
def test_rejected_key_names_the_variable_and_never_shows_the_key(
        fake: FakeSearchServers, caplog: pytest.LogCaptureFixture, provider: str,
        variable: str) -> None:
    caplog.set_level(logging.DEBUG)
    fake.require_key(provider, "the-right-key")  # brave answers 422, tavily 401, as they do
    found = searcher(fake, provider)
    with pytest.raises(SearchProviderError) as caught:
        found.search("heat pumps")
    message = str(caught.value)
    assert f"{provider} rejected the API key" in message and variable in message
    for text in (message, repr(caught.value), repr(found), caplog.text,
                 repr(ProviderConfig(api_key=Secret(KEY))), str(Secret(KEY))):
        assert KEY not in text


def test_plain_401_is_a_key_error_too(fake: FakeSearchServers) -> None:
    fake.script("brave", unauthorized())
    with pytest.raises(SearchProviderError, match="rejected the API key .*BRAVE_API_KEY"):
        searcher(fake, "brave").search("q")
    assert len(fake.requests_for("brave")) == 1  # a bad key is not retried


def test_keyless_403_explains_the_instance_setting(fake: FakeSearchServers) -> None:
    fake.script("searxng", Reply(403, b"Forbidden", (("Content-Type", "text/plain"),)))
    with pytest.raises(SearchProviderError, match="search.formats"):
        searcher(fake, "searxng").search("q")


def test_429_waits_for_retry_after_then_succeeds(fake: FakeSearchServers) -> None:
    fake.set_hits("gdelt", HITS)
    fake.script("gdelt", rate_limited("1"))
    results = searcher(fake, "gdelt").search("heat pumps")
    first, second = fake.requests_for("gdelt")
    assert second.at - first.at >= 0.9  # Retry-After: 1 was honoured
    assert [r.url for r in results] == [h.url for h in HITS]


def test_429_with_a_long_retry_after_fails_at_once(fake: FakeSearchServers) -> None:
    fake.script("brave", rate_limited("3600"))
    with pytest.raises(SearchProviderError, match="rate-limiting .* wait 3600 s"):
        searcher(fake, "brave").search("q")
    assert len(fake.requests_for("brave")) == 1


def test_429_every_time_gives_up_after_the_retries(fake: FakeSearchServers) -> None:
    fake.script("tavily", *[rate_limited("0")] * 3)
    with pytest.raises(SearchProviderError, match="after 2 attempts"):
        searcher(fake, "tavily", retries=1).search("q")


def test_5xx_is_retried_with_backoff(fake: FakeSearchServers) -> None:
    fake.set_hits("wikipedia", [FakeHit("", "Grid", "")])
    fake.script("wikipedia", Reply(503, b"busy"))
    assert [r.title for r in searcher(fake, "wikipedia").search("grid")] == ["Grid"]
    assert len(fake.requests_for("wikipedia")) == 2


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7", now=now) == 7.0
    assert retry_after_seconds("Wed, 01 May 2024 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Wed, 01 May 2024 11:00:00 GMT", now=now) == 0.0  # in the past
    assert retry_after_seconds("soon", now=now) is None
    assert retry_after_seconds(None, now=now) is None


@pytest.mark.parametrize("body, reason", [
    (b"<html><body>Bad gateway</body></html>", "not JSON"),
    (b'{"answers": []}', "results"),  # the results field is missing
    (b'{"results": [{"title": "no url"}]}', "none of the 1 results"),
])
def test_malformed_responses_are_reported(fake: FakeSearchServers, body: bytes,
                                          reason: str) -> None:
    fake.script("searxng", malformed(body))
    with pytest.raises(SearchProviderError, match=f"searxng sent a response .*{reason}"):
        searcher(fake, "searxng").search("q")


def test_odd_items_are_skipped_when_others_are_fine(fake: FakeSearchServers) -> None:
    fake.script("searxng", Reply(200, b'{"results": [{"title": "no url"}, '
                                      b'{"url": "https://ok.example/", "title": "ok"}]}'))
    assert [r.url for r in searcher(fake, "searxng").search("q")] == ["https://ok.example/"]


def test_timeout_is_reported_with_the_limit(fake: FakeSearchServers) -> None:
    fake.script("searxng", slow(1.5))
    with pytest.raises(SearchProviderError, match="did not answer within 0.3 s"):
        searcher(fake, "searxng", timeout=0.3).search("q")


def test_unreachable_provider_is_reported(fake: FakeSearchServers) -> None:
    config = ProviderConfig(base_url="http://127.0.0.1:9", timeout=1.0)
    with pytest.raises(SearchProviderError, match="could not reach searxng"):
        make_searcher("searxng", config, environ={}).search("q")


# --- search_all: concurrency, failures, merging -------------------------------------------------

def test_search_all_returns_other_results_when_one_provider_times_out(
        fake: FakeSearchServers) -> None:
    fake.set_hits("searxng", HITS)
    fake.script("searxng", slow(1.5))
    fake.set_hits("wikipedia", [FakeHit("", "Heat pump", "A device")])
    searchers = [searcher(fake, "searxng", timeout=0.3), searcher(fake, "wikipedia")]
    results, failures = search_all(searchers, "heat pumps", limit=5)
    assert [r.provider for r in results] == ["wikipedia"]
    assert failures == [ProviderFailure("searxng", failures[0].message)]
    assert "did not answer within 0.3 s" in failures[0].message


def test_search_all_merges_and_deduplicates_across_providers(fake: FakeSearchServers) -> None:
    fake.set_hits("searxng", [FakeHit("https://Example.org/heat-pumps/#intro", "A", ""),
                              FakeHit("https://a.example/1", "B", "")])
    fake.set_hits("gdelt", [FakeHit("https://example.org/heat-pumps?utm_source=gdelt", "A2",
                                    "", RECENT)])
    results, failures = search_all([searcher(fake, "searxng"), searcher(fake, "gdelt")], "q")
    assert failures == []
    # One result per page (canonical URL), fetched as the first provider spelled it, less the fragment.
    assert [r.url for r in results] == ["https://Example.org/heat-pumps/", "https://a.example/1"]
    assert results[0].provider == "searxng"  # first found wins ...
    assert results[0].published == RECENT[:10]  # ... and keeps what the duplicate knew
    assert ("also_found_by", "gdelt") in results[0].extra


def test_merge_interleaves_by_rank() -> None:
    def hit(url: str, provider: str) -> SearchResult:
        return SearchResult(url=url, title="", snippet="", published=None, provider=provider)
    merged = merge_results([[hit("https://a/1", "x"), hit("https://a/2", "x")],
                            [hit("https://b/1", "y")], []])
    assert [r.url for r in merged] == ["https://a/1", "https://b/1", "https://a/2"]


def test_search_all_rejects_an_empty_query() -> None:
    with pytest.raises(UsageError):
        search_all([], "  ")


# --- since → each provider's date window (pure) -------------------------------------------------

@pytest.mark.parametrize("days_ago, expected", [(0, "day"), (1, "day"), (2, "week"), (7, "week"),
                                                (8, "month"), (31, "month"), (32, "year"),
                                                (366, "year"), (400, None)])
def test_searxng_time_range(days_ago: int, expected: str | None) -> None:
    today = date(2024, 6, 30)
    assert searxng_time_range(today - timedelta(days=days_ago), today) == expected
    assert searxng_time_range(None, today) is None


def test_date_windows_of_the_other_providers() -> None:
    today, since = date(2024, 6, 30), date(2024, 6, 1)
    assert brave_freshness(since, today) == "2024-06-01to2024-06-30"
    assert brave_freshness(None, today) is None
    assert gdelt_startdatetime(since) == "20240601000000"
    assert dict(GdeltBackend("http://g", Topic.NEWS).request(
        "q", limit=5, since=None, today=today).params).get("startdatetime") is None
    body = TavilyBackend("http://t", Topic.GENERAL).request("q", limit=5, since=since, today=today)
    assert '"start_date":"2024-06-01"' in (body.json_body or "")
    wire = BraveBackend("http://b", Topic.GENERAL).request("q", limit=5, since=since, today=today)
    assert ("freshness", "2024-06-01to2024-06-30") in wire.params
    wire = SearxngBackend("http://s", Topic.GENERAL).request("q", limit=5, since=since,
                                                             today=today)
    assert ("time_range", "month") in wire.params


# --- URLs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("HTTPS://WWW.Example.COM/Path/", "https://www.example.com/Path"),
    ("https://example.com/", "https://example.com"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a/", "https://example.com:8443/a"),
    ("https://example.com/a#section-2", "https://example.com/a"),
    ("https://example.com/a?utm_source=x&id=3&UTM_Medium=y&fbclid=abc&gclid=z",
     "https://example.com/a?id=3"),
    ("https://example.com/a?q=caf%C3%A9&b=2", "https://example.com/a?q=caf%C3%A9&b=2"),
    ("https://example.com./a", "https://example.com/a"),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("mailto:someone@example.com", "mailto:someone@example.com"),
    ("not a url", "not a url"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # idempotent


@pytest.mark.parametrize("url, expected", [
    ("https://www.Example.com/a", "example.com"),
    ("https://news.bbc.co.uk/x", "news.bbc.co.uk"),
    ("http://example.com:8080/", "example.com"),
    ("www.example.org", "example.org"),
    ("example.org/path", "example.org"),
    ("", ""),
])
def test_domain_of(url: str, expected: str) -> None:
    assert domain_of(url) == expected


# --- registry and configuration -----------------------------------------------------------------

def test_describe_providers_lists_every_registered_provider() -> None:
    text = describe_providers()
    for name, spec in SEARCHERS.items():
        assert name in text and spec.url_env in text
        assert spec.key_env is None or spec.key_env in text
    assert "--search-url" in text


def test_unknown_provider_lists_the_choices() -> None:
    with pytest.raises(UsageError, match="brave, gdelt, searxng, tavily, wikipedia"):
        make_searcher("bing")


def test_missing_key_and_url_name_what_to_set() -> None:
    with pytest.raises(ConfigError, match="BRAVE_API_KEY"):
        make_searcher("brave", environ={})
    with pytest.raises(ConfigError, match="CITEBRIEF_SEARXNG_URL or pass --search-url"):
        make_searcher("searxng", environ={})
    with pytest.raises(ConfigError, match="must start with http"):
        make_searcher("searxng", environ={"CITEBRIEF_SEARXNG_URL": "searx.example.org"})


def test_environment_supplies_key_and_base_url(fake: FakeSearchServers) -> None:
    fake.set_hits("tavily", HITS)
    fake.require_key("tavily", KEY)
    environ = {**fake.environ(), "TAVILY_API_KEY": KEY}
    assert make_searcher("tavily", environ=environ).search("q")[0].url == HITS[0].url
    assert configured_providers(environ={}) == ["gdelt", "wikipedia"]
    assert configured_providers(environ=environ, needing_setup_only=True) == ["searxng", "tavily"]


def test_config_is_validated() -> None:
    with pytest.raises(ConfigError):
        ProviderConfig(timeout=0)
    with pytest.raises(ConfigError):
        ProviderConfig(retries=-1)
    with pytest.raises(ConfigError, match="Secret"):
        ProviderConfig(api_key=KEY)  # type: ignore[arg-type]
