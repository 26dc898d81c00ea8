"""`citebrief research` end to end: a tiny local web about a made-up policy question, a SearXNG-format
search endpoint over it, and the real CLI, fetcher, store and (where the brief matters) MiniLM.

Everything runs on 127.0.0.1; pages are served under two host names ("127.0.0.1" and "localhost") so
domain caps and exclusions have two domains to work with. Runs pass --allow-private (loopback) and
--delay 0 (no politeness pause between requests to one host).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from citebrief.api import Corpus
from citebrief.brief.question import plan_question
from citebrief.embed import HashingEmbedder
from citebrief.errors import UsageError
from citebrief.ingest import Ingestor
from citebrief.research.loop import ResearchOptions, Tools, choose_searchers, run_research
from citebrief.research.providers import ProviderConfig, SearchResult, make_searcher
from citebrief.research.queries import (QUESTION, RECENT, ResearchQuery, initial_queries,
                                        is_about_present, reformulate)
from citebrief.research.record import RunRecord, load_run, research_limits
from citebrief.research.select import Found, SelectRules, in_domains, select_results
from citebrief.store import open_store
from citebrief.web import FetchOptions, HttpFetcher
from conftest import cli_json, run_cli
from fakes.search_servers import FakeHit, FakeSearchServers, rate_limited, slow
from webserver import Reply, RoutedNetwork, Seen, TestServer

QUESTION_TEXT = "Which groups support or oppose the Dunmore harbour toll and what reasons do they give?"
WEB = ("--allow-private", "--delay", "0")
KEY = "tv-test-9c1e5b7f3a"
NO_PROVIDERS = {"CITEBRIEF_SEARXNG_URL": "", "BRAVE_API_KEY": "", "TAVILY_API_KEY": ""}


@dataclass(frozen=True)
class Page:
    path: str
    host: str  # "127.0.0.1" or "localhost": two domains on one server
    outlet: str
    title: str
    paragraphs: tuple[str, ...]


PAGES = (
    Page("/harbour-news/trust-backs-toll", "127.0.0.1", "Harbour News",
         "Harbour Trust backs Dunmore harbour toll to pay for sea wall", (
             "The Dunmore Harbour Trust said on Monday that it supports the planned Dunmore harbour toll, "
             "a charge of four pounds a day on every vehicle entering the harbour car parks.",
             "The trust argues that the toll is essential because the sea wall protecting the harbour "
             "needs repairs costing 12 million pounds, and the council has no other money for the work.",
             "Trust chairman Alan Reeve said the toll would raise about 900,000 pounds a year, all of it "
             "ring-fenced for the sea wall and for dredging the harbour mouth.",
             "Without the repairs, he warned, a winter storm could breach the wall and flood the fish "
             "market and forty homes on Quay Street.")),
    Page("/coastal-times/council-vote", "127.0.0.1", "Coastal Times",
         "Council votes to introduce Dunmore harbour toll", (
             "Dunmore council voted seven to four on Thursday to introduce the harbour toll from April, "
             "after a debate that left the council divided.",
             "Council leader Mary Quinn supported the toll, arguing that visitors who use the harbour "
             "should contribute to the cost of maintaining it rather than local taxpayers.",
             "The decision requires approval from the county transport board, which meets in March.",
             "Four councillors voted against the toll, saying the council had not consulted harbour "
             "businesses before the vote.")),
    Page("/green-gazette/groups-welcome-toll", "localhost", "Green Gazette",
         "Environmental groups welcome Dunmore harbour toll", (
             "The Dunmore Coast Alliance, an environmental group, said it supports the harbour toll "
             "because it will cut traffic and air pollution around the harbour.",
             "The alliance argues that summer congestion on the harbour road has doubled in five years "
             "and that exhaust fumes are harming the seagrass beds in the bay.",
             "Its spokesperson, Nia Cole, said the toll would encourage day visitors to leave their cars "
             "at the station and take the shuttle bus to the harbour.")),
    Page("/harbour-news/fishermen-oppose-toll", "127.0.0.1", "Harbour News",
         "Fishermen say Dunmore harbour toll threatens their livelihoods", (
             "The Dunmore Fishermen's Association opposes the harbour toll, saying it would cost each "
             "crew more than 1,000 pounds a year.",
             "Association secretary Tom Hale said small boat owners already pay mooring fees and cannot "
             "afford another charge just to reach their boats.",
             "He warned that younger fishermen could leave the trade because the toll makes a hard "
             "living harder.")),
    Page("/coastal-times/traders-warn", "127.0.0.1", "Coastal Times",
         "Traders warn Dunmore harbour toll will drive visitors away", (
             "The Dunmore Chamber of Trade is against the harbour toll and has asked the county transport "
             "board to reject it.",
             "Traders fear that visitors will go to other seaside towns where parking is free, and that "
             "cafes and shops on the harbour front will lose trade.",
             "Chamber president Ruth Ellis said a survey of 60 businesses found that 48 expect their "
             "takings to fall if the toll is introduced.")),
    Page("/valley-voice/residents-petition", "localhost", "Valley Voice",
         "Residents petition against Dunmore harbour toll", (
             "More than 2,000 residents have signed a petition against the Dunmore harbour toll, which "
             "they say is unfair to pensioners and families on low incomes.",
             "The residents' group says people who live near the harbour would have to pay the toll to "
             "visit relatives or reach the doctor's surgery on Quay Street.",
             "Organiser Sam Patel said residents do not agree that they should pay to use their own "
             "harbour.")),
    Page("/valley-voice/tourist-levy", "localhost", "Valley Voice",
         "Chamber puts forward tourist levy as alternative to Dunmore harbour toll", (
             "Instead of a harbour toll, the Dunmore Chamber of Trade has put forward a proposal for a "
             "one-pound tourist levy on overnight stays in the town.",
             "The chamber says its alternative to the Dunmore harbour toll would raise a similar sum for "
             "the sea wall without charging fishermen and residents who use the harbour every day.",
             "Another option on the table is a seasonal harbour parking charge that would apply only "
             "from June to September, when most visitors come to Dunmore.",
             "Council officers said they would compare the levy, the seasonal charge and the toll "
             "before the county transport board meets.")),
    Page("/coastal-times/lifeboat-rescue", "localhost", "Coastal Times",
         "Lifeboat crew rescues two sailors off Dunmore Head", (
             "The Dunmore lifeboat crew rescued two sailors whose yacht lost its mast in a gale off "
             "Dunmore Head on Saturday evening.",
             "The coxswain said the sailors were cold but unhurt when they were brought ashore.",
             "It was the crew's ninth call-out of the year.")),
)
ALTERNATIVES = PAGES[6]
DISTRACTOR = PAGES[7]

TEMPLATE = """<!doctype html><html><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta name="author" content="Staff reporter">
<meta property="article:published_time" content="2026-11-02"></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> | Subscribe now</nav>
<article><h1>{title}</h1>
{body}
<p>Advertisement</p>
<p>Share this article on Facebook, Twitter or by email.</p>
<p>Sign up to our newsletter for the latest harbour news.</p>
</article>
<aside><h3>Read more</h3><ul><li><a href="/x">Ten best walks on the coast</a></li>
<li><a href="/y">Festival dates announced</a></li></ul></aside>
<footer>Copyright 2026 {outlet}. All rights reserved. We use cookies. Privacy policy.</footer>
</body></html>"""


def html_of(page: Page) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in page.paragraphs)
    return TEMPLATE.format(title=page.title, outlet=page.outlet, body=body).encode("utf-8")


def _stems(text: str) -> set[str]:
    return {w[:5] for w in "".join(c.lower() if c.isalnum() else " " for c in text).split()}


def matching(query: str, pages=PAGES) -> list[Page]:
    """A crude engine: pages sharing two or more query words (by 5-letter stems), best first; like a
    real engine it also returns a loosely related page (the lifeboat story) last."""
    terms = _stems(query) - _stems("the and of a to for who what do they")
    scored = [(len(terms & _stems(p.title + " " + " ".join(p.paragraphs))), i, p) for i, p in enumerate(pages)]
    found = [p for score, _, p in sorted(scored, key=lambda x: (-x[0], x[1])) if score >= 2]
    return found + [DISTRACTOR] if "dunmore" in query.lower() and DISTRACTOR not in found else found


def searxng_route(web: TestServer, answer: Callable[[str], list[Page]]) -> Callable[[Seen], Reply]:
    """A ``/search`` route answering in SearXNG's JSON format with the pages ``answer`` picks."""
    def route(seen: Seen) -> Reply:
        query = parse_qs(urlsplit(seen.path).query).get("q", [""])[0]
        results = [{"url": web.url(p.path, host=p.host), "title": p.title, "content": p.paragraphs[0],
                    "engine": "fake", "publishedDate": "2026-11-02T08:00:00"} for p in answer(query)]
        return Reply(body=json.dumps({"query": query, "results": results}).encode(),
                     content_type="application/json")
    return route


def queries_received(engine: TestServer) -> list[str]:
    return [parse_qs(urlsplit(s.path).query)["q"][0] for s in engine.log if s.path.startswith("/search")]


def page_gets(web: TestServer) -> list[str]:
    return [s.path for s in web.log if s.path != "/robots.txt"]


def serve(web: TestServer, pages=PAGES) -> None:
    for page in pages:
        web.route(page.path, Reply(body=html_of(page)))


def hashing_corpus(path: Path) -> Path:
    """An empty corpus whose embedder is the instant hashing one (for tests the brief does not matter)."""
    store = open_store(str(path))
    Ingestor(store, HashingEmbedder())  # sets the store's fingerprint
    store.close()
    return path


def run_json(db: Path, run_id: str) -> dict:
    proc = run_cli("runs", "show", run_id, "--json", db=db, check=True)
    return json.loads(proc.stdout)


@pytest.fixture
def web() -> Iterator[TestServer]:
    with TestServer() as server:
        serve(server)
        yield server


@pytest.fixture
def engine() -> Iterator[TestServer]:
    with TestServer() as server:
        yield server


# -- end to end with the real model ---------------------------------------------------------------

@dataclass
class FirstRun:
    db: Path
    web: TestServer
    engine: TestServer
    stderr: str
    brief: dict


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Iterator[FirstRun]:
    db = tmp_path_factory.mktemp("research") / "web.db"
    with TestServer() as web, TestServer() as engine:
        serve(web)
        engine.route("/search", searxng_route(web, matching))
        proc = run_cli("research", QUESTION_TEXT, "--search-url", engine.url(""), *WEB,
                       "--per-domain", "4", "--format", "json", db=db, env=NO_PROVIDERS)
        assert proc.returncode == 0, proc.stderr
        yield FirstRun(db, web, engine, proc.stderr, json.loads(proc.stdout))


@pytest.mark.model
def test_research_finds_fetches_ingests_and_cites_both_sides(first_run: FirstRun) -> None:
    brief, web = first_run.brief, first_run.web
    assert brief["enough_evidence"] and brief["run_id"]
    cited = {s["url"] for s in brief["sources"]}
    supporters = {web.url(p.path, host=p.host) for p in PAGES[:3]}
    opponents = {web.url(p.path, host=p.host) for p in PAGES[3:6]}
    assert cited & supporters and cited & opponents, cited
    assert web.url(DISTRACTOR.path, host=DISTRACTOR.host) not in cited
    numbers = {s["n"] for s in brief["sources"]}
    for section in brief["sections"]:
        for sentence in section["sentences"]:
            assert sentence["citations"] and set(sentence["citations"]) <= numbers
    assert sorted(page_gets(web)) == sorted(p.path for p in PAGES)  # each page fetched once
    # Terminal progress: queries sent, pages fetched.
    assert "search" in first_run.stderr and "“dunmore harbour toll" in first_run.stderr
    assert "added http://" in first_run.stderr
    # Each document records the query and provider that found it.
    store = open_store(str(first_run.db))
    doc = store.document(store.doc_by_url(web.url(PAGES[0].path, host=PAGES[0].host)))
    extra = dict(doc.extra)
    assert extra["provider"] == "searxng" and extra["query"] in queries_received(first_run.engine)
    assert extra["research_run"] == brief["run_id"] and doc.outlet == "Harbour News"
    store.close()


@pytest.mark.model
def test_run_record_lists_every_query_and_fetch(first_run: FirstRun) -> None:
    record = run_json(first_run.db, first_run.brief["run_id"])
    assert record["status"] == "done" and record["question"] == QUESTION_TEXT
    assert sorted(q["text"] for q in record["queries"]) == sorted(queries_received(first_run.engine))
    assert {q["provider"] for q in record["queries"]} == {"searxng"}
    assert all(q["results"] >= 0 and q["error"] is None for q in record["queries"])
    fetched = {f["url"] for f in record["fetches"] if f["fetched"]}
    assert fetched == {first_run.web.url(p.path, host=p.host) for p in PAGES}
    assert all(f["status"] == "added" and f["doc_id"] and f["query"] for f in record["fetches"])
    assert {f["key"] for f in record["facets"]} == {f.key for f in plan_question(QUESTION_TEXT).facets}
    assert set(record["timings"]) >= {"search", "fetch", "embed", "assess", "write"}
    listing = run_cli("runs", db=first_run.db, check=True).stdout
    assert first_run.brief["run_id"][:12] in listing and QUESTION_TEXT in listing
    text = run_cli("runs", "show", first_run.brief["run_id"][:8], db=first_run.db, check=True).stdout
    assert "queries (round, facet, provider, results):" in text and "added" in text


@pytest.mark.model
def test_second_research_reuses_what_is_stored(first_run: FirstRun) -> None:
    before = len(page_gets(first_run.web))
    proc = run_cli("research", QUESTION_TEXT, "--search-url", first_run.engine.url(""), *WEB,
                   "--per-domain", "4", "--format", "json", db=first_run.db, env=NO_PROVIDERS)
    assert proc.returncode == 0, proc.stderr
    assert len(page_gets(first_run.web)) == before  # nothing fetched again
    second = json.loads(proc.stdout)
    assert second["run_id"] != first_run.brief["run_id"] and second["enough_evidence"]
    record = run_json(first_run.db, second["run_id"])
    assert record["fetches"] and all(f["status"] == "unchanged" and not f["fetched"]
                                     for f in record["fetches"])
    runs = json.loads(run_cli("runs", "--json", db=first_run.db, check=True).stdout)
    assert [r["run_id"] for r in runs][:2] == [second["run_id"], first_run.brief["run_id"]]


# -- later rounds, domain rules, failures (hashing embedder: the brief's wording does not matter) --

def test_facet_without_results_in_round_1_gets_new_queries_in_round_2(tmp_path, web, engine) -> None:
    round_1 = {q.text for q in initial_queries(plan_question(QUESTION_TEXT), today=date.today())}

    def answer(query: str) -> list[Page]:  # the tourist-levy page only for queries round 1 does not send
        found = matching(query)
        return [p for p in found if p is not ALTERNATIVES] if query in round_1 else found

    engine.route("/search", searxng_route(web, answer))
    db = hashing_corpus(tmp_path / "c.db")
    proc = run_cli("research", QUESTION_TEXT, "--search-url", engine.url(""), *WEB, "--per-domain", "4",
                   "--format", "json", db=db, env=NO_PROVIDERS)
    assert proc.returncode == 0, proc.stderr
    record = run_json(db, json.loads(proc.stdout)["run_id"])
    relevant = {(f["key"], f["round"]): f["relevant"] for f in record["facets"]}
    assert relevant[("alternatives", 1)] == 0 and relevant[("alternatives", 2)] >= 1
    later = [q for q in record["queries"] if q["round"] == 2]
    assert "alternatives" in {q["facet"] for q in later}
    assert not {q["text"] for q in later} & round_1
    levy_url = web.url(ALTERNATIVES.path, host=ALTERNATIVES.host)
    [levy] = [f for f in record["fetches"] if f["url"] == levy_url]
    assert levy["status"] == "added" and levy["round"] == 2 and levy["query"] in {q["text"] for q in later}
    assert ("provider", "searxng") in open_store(str(db)).document(levy["doc_id"]).extra


def test_domain_cap_and_exclusion_hold(tmp_path, web, engine) -> None:
    engine.route("/search", searxng_route(web, matching))
    db = hashing_corpus(tmp_path / "c.db")
    proc = run_cli("research", QUESTION_TEXT, "--search-url", engine.url(""), *WEB, "--per-domain", "2",
                   "--exclude-domain", "localhost", "--rounds", "1", "--format", "json", db=db,
                   env=NO_PROVIDERS)
    assert proc.returncode == 0, proc.stderr
    record = run_json(db, json.loads(proc.stdout)["run_id"])
    fetched = [f["url"] for f in record["fetches"]]
    assert len(fetched) == 2 and {urlsplit(u).hostname for u in fetched} == {"127.0.0.1"}
    first_verdict: dict[str, str] = {}
    for result in record["results"]:
        first_verdict.setdefault(result["url"], result["verdict"])
    for page in PAGES:
        url = web.url(page.path, host=page.host)
        if page.host == "localhost":
            assert first_verdict[url] == "excluded-domain"
        elif url not in fetched:
            assert first_verdict[url] == "domain-cap"
    assert {p for p in page_gets(web)} == {urlsplit(u).path for u in fetched}


def test_include_domain_keeps_only_that_domain(tmp_path, web, engine) -> None:
    engine.route("/search", searxng_route(web, matching))
    db = hashing_corpus(tmp_path / "c.db")
    proc = run_cli("research", QUESTION_TEXT, "--search-url", engine.url(""), *WEB, "--include-domain",
                   "localhost", "--rounds", "1", "--format", "json", db=db, env=NO_PROVIDERS)
    assert proc.returncode == 0, proc.stderr
    record = run_json(db, json.loads(proc.stdout)["run_id"])
    assert {urlsplit(f["url"]).hostname for f in record["fetches"]} == {"localhost"}
    assert len(record["fetches"]) == 3  # the default cap of 3 per domain; 4 pages live there
    assert {r["verdict"] for r in record["results"]} >= {"not-included", "domain-cap"}


def test_page_that_404s_is_in_the_run_record_and_the_brief_limits(tmp_path, web, engine) -> None:
    gone = Page("/harbour-news/gone", "127.0.0.1", "Harbour News", "Dunmore harbour toll: gone", ("x",))
    engine.route("/search", searxng_route(web, lambda q: [gone, *matching(q)]))
    db = hashing_corpus(tmp_path / "c.db")
    proc = run_cli("research", QUESTION_TEXT, "--search-url", engine.url(""), *WEB, "--per-domain", "5",
                   "--rounds", "1", "--format", "json", db=db, env=NO_PROVIDERS)
    assert proc.returncode == 0, proc.stderr
    brief = json.loads(proc.stdout)
    gone_url = web.url(gone.path)
    assert any(gone_url in line and "HTTP 404" in line for line in brief["limits"]), brief["limits"]
    record = run_json(db, brief["run_id"])
    [failed] = [f for f in record["fetches"] if f["status"] == "failed"]
    assert failed["url"] == gone_url and "HTTP 404 Not Found" in failed["reason"] and failed["fetched"] is False
    assert f"failed {gone_url}: HTTP 404" in proc.stderr


def test_a_result_is_fetched_as_the_provider_spelled_it(tmp_path, web, engine) -> None:
    """Canonical URLs recognise one page; they are not what is requested: this server serves the
    page only with its trailing slash, as many do."""
    slash = Page("/harbour-news/toll-explained/", "127.0.0.1", "Harbour News", "Dunmore harbour toll explained",
                 ("The Dunmore harbour toll would charge four pounds a day for each vehicle entering the "
                  "harbour car parks, the council said.",))
    web.route(slash.path, Reply(body=html_of(slash)))

    def answer(query: str) -> list[Page]:
        return [slash, *matching(query)]

    def route(seen: Seen) -> Reply:
        reply = searxng_route(web, answer)(seen)
        data = json.loads(reply.body)
        data["results"][0]["url"] += "#top"  # fragments are never sent
        return Reply(body=json.dumps(data).encode(), content_type="application/json")

    engine.route("/search", route)
    db = hashing_corpus(tmp_path / "c.db")
    proc = run_cli("research", QUESTION_TEXT, "--search-url", engine.url(""), *WEB, "--per-domain", "5",
                   "--rounds", "1", "--format", "json", db=db, env=NO_PROVIDERS)
    assert proc.returncode == 0, proc.stderr
    assert page_gets(web).count(slash.path) == 1 and slash.path.rstrip("/") not in page_gets(web)
    record = run_json(db, json.loads(proc.stdout)["run_id"])
    [fetch] = [f for f in record["fetches"] if "toll-explained" in f["url"]]
    assert fetch["status"] == "added" and fetch["query"], fetch  # logged against the query that found it
    titles = {d["title"] for d in cli_json("sources", "--json", db=db)}
    assert any("toll explained" in t for t in titles), titles


def test_no_provider_configured_exits_2_listing_the_providers(tmp_path) -> None:
    db = tmp_path / "c.db"
    proc = run_cli("research", QUESTION_TEXT, db=db, env=NO_PROVIDERS)
    assert proc.returncode == 2
    for needle in ("searxng", "brave", "tavily", "gdelt", "wikipedia", "CITEBRIEF_SEARXNG_URL",
                   "--search-url", "BRAVE_API_KEY", "TAVILY_API_KEY", "--search NAME"):
        assert needle in proc.stderr
    assert not db.exists()  # refused before the corpus is opened


def test_rejected_key_fails_with_a_message_naming_the_variable(tmp_path) -> None:
    db = hashing_corpus(tmp_path / "c.db")
    with FakeSearchServers() as fake:
        fake.require_key("tavily", KEY)
        fake.set_hits("tavily", [FakeHit("https://example.org/a", "A story")])
        proc = run_cli("research", QUESTION_TEXT, "--search", "tavily", db=db,
                       env={**NO_PROVIDERS, "TAVILY_API_KEY": "wrong-key-123",
                            "CITEBRIEF_TAVILY_URL": fake.base_url("tavily")})
        sent = len(fake.requests_for("tavily"))
    assert proc.returncode == 1
    assert "HTTP 401" in proc.stderr and "check TAVILY_API_KEY" in proc.stderr
    assert "wrong-key-123" not in proc.stderr
    [run] = json.loads(run_cli("runs", "--json", db=db, check=True).stdout)
    assert run["status"] == "failed" and "TAVILY_API_KEY" in run["error"]
    assert any("TAVILY_API_KEY" in f["message"] for f in run["failures"])
    assert sent == len({q["text"] for q in run["queries"]})  # one round only: no second try of a bad key
    assert {q["round"] for q in run["queries"]} == {1}


def test_rate_limit_then_success(tmp_path, web) -> None:
    db = hashing_corpus(tmp_path / "c.db")
    with FakeSearchServers() as fake:
        fake.require_key("brave", KEY)
        fake.set_hits("brave", [FakeHit(web.url(p.path, host=p.host), p.title, p.paragraphs[0])
                                for p in PAGES[:3]])
        fake.script("brave", rate_limited("0"))
        proc = run_cli("research", QUESTION_TEXT, "--search", "brave", *WEB, "--rounds", "1",
                       "--format", "json", db=db,
                       env={**NO_PROVIDERS, "BRAVE_API_KEY": KEY, "CITEBRIEF_BRAVE_URL": fake.base_url("brave")})
        sent = len(fake.requests_for("brave"))
    assert proc.returncode == 0, proc.stderr
    record = run_json(db, json.loads(proc.stdout)["run_id"])
    assert record["queries"] and all(q["error"] is None and q["results"] == 3 for q in record["queries"])
    assert sent == len(record["queries"]) + 1  # the 429 was retried once
    assert not record["failures"]
    assert {f["status"] for f in record["fetches"]} == {"added"} and len(record["fetches"]) == 3


def test_provider_that_times_out_costs_only_its_own_results(tmp_path, web, engine) -> None:
    engine.route("/search", searxng_route(web, matching))
    corpus = Corpus(str(hashing_corpus(tmp_path / "c.db")))
    with FakeSearchServers() as fake:
        fake.script("tavily", *[slow(2.0)] * 20)
        tavily = make_searcher("tavily", ProviderConfig(base_url=fake.base_url("tavily"), timeout=0.3),
                               environ={"TAVILY_API_KEY": KEY})
        searxng = make_searcher("searxng", ProviderConfig(base_url=engine.url("")))
        options = ResearchOptions(rounds=1, per_domain=4,
                                  fetch=FetchOptions(allow_private=True, per_host_delay=0))
        brief = corpus.research(QUESTION_TEXT, searchers=[tavily, searxng], options=options)
    record = corpus.run(brief.extra["run_id"])
    assert {f.url for f in record.fetches if f.status == "added"} == {web.url(p.path, host=p.host) for p in PAGES}
    by_tavily = [q for q in record.queries if q.provider == "tavily"]
    assert by_tavily and all("did not answer within 0.3 s" in (q.error or "") for q in by_tavily)
    assert all(q.error is None for q in record.queries if q.provider == "searxng")
    assert any(line.startswith("Search provider tavily failed") for line in brief.limits)
    corpus.close()


PUBLIC_IP = "93.184.216.34"  # what the stub resolver calls "localhost"; routed to loopback


def stub_resolver(table: dict[str, str]):
    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return [table[host]]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return resolve


def test_result_redirecting_to_a_private_address_is_refused(tmp_path, web, engine) -> None:
    # The guard is on. The stub calls "localhost" public (the network routes that IP to the test
    # server), so the first hop passes; the redirect to the 127.0.0.1 literal is then refused.
    moved = Page("/moved", "localhost", "Harbour News", "Dunmore harbour toll latest", ("x",))
    story = replace(PAGES[3], host="localhost")
    web.route("/moved", Reply(302, headers=[("Location", web.url("/admin"))]))
    web.route("/admin", Reply(body=html_of(PAGES[0])))
    engine.route("/search", searxng_route(web, lambda q: [moved, story]))
    store = open_store(str(tmp_path / "c.db"))
    fetcher = HttpFetcher(FetchOptions(per_host_delay=0, allow_private=False),
                          resolver=stub_resolver({"localhost": PUBLIC_IP, "127.0.0.1": "127.0.0.1"}),
                          network=RoutedNetwork({PUBLIC_IP: "127.0.0.1"}))
    tools = Tools((make_searcher("searxng", ProviderConfig(base_url=engine.url(""))),), fetcher, store,
                  HashingEmbedder())
    record = run_research(QUESTION_TEXT, tools, ResearchOptions(rounds=1))
    outcome = {urlsplit(f.url).path: f for f in record.fetches}
    assert outcome["/moved"].status == "failed" and "redirected to" in outcome["/moved"].reason
    assert "--allow-private" in outcome["/moved"].reason
    assert outcome[story.path].status == "added"
    assert not web.hits("/admin")
    limits = research_limits(record, min_passages=2)
    assert any("/moved" in line and "--allow-private" in line for line in limits)
    assert record.status == "searched" and load_run(store, record.run_id[:6]) == record  # stored
    store.close()


# -- the pure parts --------------------------------------------------------------------------------

def test_initial_queries_cover_the_question_facets_sides_and_the_present() -> None:
    plan = plan_question("Which NATO countries oppose or are hesitant about Ukraine joining?")
    queries = initial_queries(plan, today=date(2026, 11, 23))
    texts = [q.text for q in queries]
    assert queries[0].facet == QUESTION and "ukraine" in texts[0] and "which" not in texts[0]
    assert {f.key for f in plan.facets} <= {q.facet for q in queries}
    assert any("supporters argue" in t for t in texts) and any("opponents" in t for t in texts)
    assert any(t.startswith("Ukraine position") for t in texts)  # the target's own argument
    assert len(set(texts)) == len(texts) and all(q.round == 1 for q in queries)
    assert RECENT not in {q.facet for q in queries}
    now = initial_queries(plan_question("What is the latest on water plumes on Europa?"),
                          today=date(2026, 11, 23))
    recent = [q for q in now if q.facet == RECENT]
    assert recent and recent[0].text == "water plumes europa latest news 2026"
    assert is_about_present("Who leads the polls in 2026?", date(2026, 1, 5))
    assert not is_about_present("Why did the 1953 flood happen?", date(2026, 1, 5))


def test_reformulate_asks_only_for_thin_facets_with_untried_phrasings() -> None:
    plan = plan_question(QUESTION_TEXT)
    first = initial_queries(plan, today=date(2026, 11, 23))
    tried = [q.text for q in first]
    second = reformulate(plan, ["alternatives"], round_no=2, tried=tried)
    assert second and {q.facet for q in second} == {"alternatives"} and {q.round for q in second} == {2}
    assert not {q.text for q in second} & set(tried)
    tried += [q.text for q in second]
    third = reformulate(plan, ["alternatives"], round_no=3, tried=tried)
    assert not {q.text for q in third} & set(tried)
    tried += [q.text for q in third]
    assert reformulate(plan, ["alternatives"], round_no=4, tried=tried) == ()  # nothing left to try


def _found(url: str, query: str = "q", published: str | None = None) -> Found:
    return Found(SearchResult(url, "t", "", published, "searxng"), ResearchQuery(query, "facts", 1))


def test_select_results_interleaves_and_applies_every_rule() -> None:
    a = [_found("https://a.example/1?utm_source=x", "qa"), _found("https://a.example/2", "qa"),
         _found("https://a.example/3", "qa"), _found("https://old.example/1", "qa", "2020-01-01")]
    b = [_found("https://news.b.example/1", "qb"), _found("https://a.example/1", "qb"),
         _found("https://c.example/1", "qb"), _found("ftp://c.example/2", "qb")]
    rules = SelectRules(max_sources=4, per_domain=2, exclude_domains=("b.example",),
                        since=date(2024, 1, 1))
    decisions = select_results([a, b], ["https://c.example/0"], rules)
    verdicts = [(d.url, d.verdict) for d in decisions]
    assert verdicts == [
        ("https://a.example/1", "fetch"), ("https://news.b.example/1", "excluded-domain"),
        ("https://a.example/2", "fetch"), ("https://a.example/1", "duplicate"),
        ("https://a.example/3", "domain-cap"), ("https://c.example/1", "fetch"),
        ("https://old.example/1", "before-since"), ("ftp://c.example/2", "not-http")]
    full = select_results([a], ["https://x.example/1", "https://y.example/1", "https://z.example/1",
                                "https://w.example/1"], SelectRules(max_sources=4))
    assert [d.verdict for d in full] == ["max-sources"] * 4
    # A page that failed to fetch is not taken again, and leaves its domain's place to another.
    again = select_results([a], ["https://a.example/2"], SelectRules(per_domain=2),
                           seen=["https://a.example/1"])
    assert [d.verdict for d in again][:3] == ["duplicate", "duplicate", "fetch"]
    only = select_results([a, b], [], SelectRules(include_domains=("www.B.example",)))
    assert [d.verdict for d in only if d.verdict == "fetch"] == ["fetch"]
    assert in_domains("https://news.b.example/x", ["b.example"]) and not in_domains("https://ab.example", ["b.example"])


def test_run_record_round_trips_and_says_what_was_not_found(tmp_path) -> None:
    record = RunRecord.from_json({
        "run_id": "abc123", "question": "Q?", "started": "2026-11-23T05:00:00+00:00", "status": "done",
        "queries": [{"text": "q alternatives", "facet": "alternatives", "round": 1, "provider": "brave",
                     "results": 0, "error": None}],
        "fetches": [{"url": f"https://a.example/{i}", "status": "failed", "doc_id": None,
                     "reason": f"https://a.example/{i}: HTTP 404 Not Found", "fetched": True,
                     "query": "q", "provider": "brave", "round": 1} for i in range(7)],
        "facets": [{"key": "alternatives", "heading": "Alternatives on the table", "round": 1, "relevant": 0},
                   {"key": "positions", "heading": "Who holds which position", "round": 1, "relevant": 4}],
        "failures": [{"stage": "search", "source": "brave", "message": "brave rejected the API key"}],
        "from_the_future": True})
    assert RunRecord.from_json(record.to_json()) == record
    limits = research_limits(record, min_passages=2)
    assert limits[0].startswith("The web search found little on “Alternatives on the table”: 0 relevant")
    assert "“q alternatives”" in limits[0]
    assert sum("HTTP 404" in line for line in limits) == 5
    assert any("2 more page(s)" in line and "runs show abc123" in line for line in limits)
    assert limits[-1] == "Search provider brave failed: brave rejected the API key"


def test_choose_searchers_from_flags_and_environment() -> None:
    env = {"BRAVE_API_KEY": KEY}
    assert [s.name for s in choose_searchers([], environ=env)] == ["brave"]
    both = choose_searchers([], search_url="http://127.0.0.1:9/", environ=env)
    assert [s.name for s in both] == ["searxng", "brave"]
    assert [s.name for s in choose_searchers(["Wikipedia"], environ={})] == ["wikipedia"]
    with pytest.raises(UsageError, match="TAVILY_API_KEY"):
        choose_searchers(["tavily"], environ={})
    with pytest.raises(UsageError, match="add --search searxng"):
        choose_searchers(["brave"], search_url="http://127.0.0.1:9/", environ=env)
    with pytest.raises(UsageError, match="No web search provider is configured"):
        choose_searchers([], environ={"CITEBRIEF_GDELT_URL": "http://127.0.0.1:9"})
