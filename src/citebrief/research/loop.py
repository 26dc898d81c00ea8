"""The research loop: plan ─ search ─ select ─ fetch and ingest ─ assess facets ─ again if thin.

    1. plan      the question's facets (brief.question) → queries for each (queries.py)
    2. search    every query on every provider, a few queries at a time (providers.search_all)
    3. select    canonical URLs, de-duplicated, domain rules and caps, --since (select.py)
    4. fetch     ingest_urls: politeness, robots.txt, private-address guard, size/type limits;
                 each document records the query and provider that found it (its provenance)
    5. assess    per facet, hybrid retrieval over the corpus (what this run found plus what was
                 already stored); a facet with fewer than ``min_passages`` relevant passages is
                 thin and gets reformulated queries in the next round, within --rounds,
                 --max-sources and the wall-clock --budget (checked before each query and each
                 fetch chunk; a request already sent finishes under the fetcher's own timeouts)

The brief itself is written afterwards exactly as ``Corpus.ask`` writes it; ``finish_research``
adds what the search could not find to its limits and the run id to its JSON, and stores the run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

import numpy as np

from ..brief.model import Brief, Plan
from ..brief.question import plan_question
from ..embed import Embedder
from ..errors import CitebriefError, ConfigError, EmptyCorpusError, SearchProviderError, UsageError
from ..ids import content_id
from ..ingest import IngestOptions, Ingestor
from ..models import SearchMode
from ..search import Retriever, SearchOptions
from ..store.base import Store
from ..web.fetch import FetchOptions
from ..web.ingest_web import BatchFetcher, UrlOutcome, ingest_urls
from .providers import (ProviderConfig, Searcher, configured_providers, describe_providers,
                        make_searcher, search_all)
from .queries import ResearchQuery, initial_queries, reformulate
from .record import RunRecord, research_limits, save_run
from .runlog import RunLog
from .select import Decision, Found, SelectRules, count_relevant, select_results

Progress = Callable[[str, str], None]
ASSESS_K = 10  # passages retrieved per facet when judging whether its evidence is thin
FETCH_WORDS = {"unchanged": "already stored", "near-duplicate": "near-duplicate of a stored page"}


def _quiet(stage: str, detail: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ResearchOptions:
    """The knobs of one research run; the defaults are the CLI's."""

    max_sources: int = 40  # distinct result URLs a run takes (stored ones included)
    rounds: int = 2
    budget: float = 120.0  # wall-clock seconds for searching and fetching
    since: date | None = None
    include_domains: tuple[str, ...] = ()
    exclude_domains: tuple[str, ...] = ()
    per_domain: int = 3  # results taken from one domain, so one outlet cannot fill the brief
    results_per_query: int = 10
    min_passages: int = 2  # a facet with fewer relevant passages is thin
    search_workers: int = 4  # queries in flight at once (each asks every provider concurrently)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    keep_unsupported: bool = False  # passed to the brief, as `ask --keep-unsupported`

    def __post_init__(self) -> None:
        for name, flag in (("max_sources", "--max-sources"), ("rounds", "--rounds"),
                           ("per_domain", "--per-domain"), ("results_per_query", "results_per_query"),
                           ("min_passages", "min_passages"), ("search_workers", "search_workers")):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(f"{flag} must be a whole number ≥ 1, got {value!r}")
        if not self.budget > 0:
            raise UsageError(f"--budget must be more than 0 seconds, got {self.budget:g}")

    def bounded_fetch(self) -> FetchOptions:
        """The fetch options, with no single download allowed to outlast the whole budget."""
        return replace(self.fetch, total_timeout=min(self.fetch.total_timeout, self.budget))

    def rules(self) -> SelectRules:
        """The selection limits these options set."""
        return SelectRules(self.max_sources, self.per_domain, self.include_domains,
                           self.exclude_domains, self.since)

    def settings(self) -> dict[str, object]:
        """What the run record keeps of these options."""
        return {"max_sources": self.max_sources, "rounds": self.rounds, "budget": self.budget,
                "since": self.since.isoformat() if self.since else None,
                "include_domains": list(self.include_domains),
                "exclude_domains": list(self.exclude_domains), "per_domain": self.per_domain,
                "results_per_query": self.results_per_query, "min_passages": self.min_passages,
                "allow_private": self.fetch.allow_private, "robots": self.fetch.respect_robots}


@dataclass(frozen=True, slots=True)
class Tools:
    """What a run works with: providers, the fetcher, the store and its embedder."""

    searchers: tuple[Searcher, ...]
    fetcher: BatchFetcher
    store: Store
    embedder: Embedder | None
    ingest: IngestOptions = field(default_factory=IngestOptions)
    clock: Callable[[], float] = time.monotonic


class TimedEmbedder:
    """An ``Embedder`` that adds up the seconds spent embedding (the run's "embed" timing)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.seconds = inner, 0.0
        self.name, self.dim = inner.name, inner.dim

    def embed(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - start


class Budget:
    """Wall-clock seconds left for searching and fetching."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds, self._clock = seconds, clock
        self._end = clock() + seconds

    def spent(self) -> bool:
        """True once the budget is used up."""
        return self._clock() >= self._end


def utc_now() -> str:
    """UTC time with microseconds (run ids hash it, so two runs a second apart differ)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def new_run_id(question: str, started: str) -> str:
    """A content-hash id of the question and start time."""
    return content_id({"question": question, "started": started}, kind="run")


# -- choosing providers ---------------------------------------------------------------------------

def choose_searchers(names: Sequence[str], *, search_url: str | None = None, timeout: float = 10.0,
                     environ: Mapping[str, str] | None = None) -> tuple[Searcher, ...]:
    """The providers named, or every provider the environment configures (a key or instance URL).

    ``search_url`` is the SearXNG instance (``--search-url``); it makes searxng configured. With
    nothing named and nothing configured, raises ``UsageError`` listing every provider and how to
    set it up; a named provider that lacks its key or URL raises ``UsageError`` too.
    """
    env = dict(os.environ if environ is None else environ)
    if search_url:
        env["CITEBRIEF_SEARXNG_URL"] = search_url
    chosen = list(dict.fromkeys(n.strip().lower() for n in names if n.strip()))
    if search_url and chosen and "searxng" not in chosen:
        raise UsageError("--search-url is the URL of a SearXNG instance; add --search searxng "
                         "to use it alongside " + ", ".join(chosen))
    chosen = chosen or configured_providers(environ=env, needing_setup_only=True)
    if not chosen:
        raise UsageError("No web search provider is configured. Choose one with --search NAME "
                         "and configure it:\n" + describe_providers())
    searchers = []
    for name in chosen:
        try:
            searchers.append(make_searcher(name, ProviderConfig(timeout=timeout), environ=env))
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc  # it names the variable to set
    return tuple(searchers)


# -- one round ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Run:
    """One run's working set, passed to each stage instead of six arguments (all run-scoped)."""

    tools: Tools
    options: ResearchOptions
    budget: Budget
    log: RunLog
    ingestor: Ingestor
    progress: Progress


def _search_one(run: Run, query: ResearchQuery):
    if run.budget.spent():
        return None
    return search_all(run.tools.searchers, query.text, limit=run.options.results_per_query,
                      since=run.options.since)


def _announce(run: Run, query: ResearchQuery, outcome) -> None:
    results, failures = outcome
    run.progress("search", f"“{query.text}” ({query.facet}): {len(results)} result(s)")
    for failure in failures:
        run.progress("search", f"{failure.provider} failed: {failure.message}")


def search_round(queries: Sequence[ResearchQuery], run: Run) -> list[list[Found]]:
    """Send every query (a few at a time); results per query, logged in query order."""
    outcomes: dict[int, tuple[list, list] | None] = {}
    workers = max(1, min(run.options.search_workers, len(queries)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="citebrief-research") as pool:
        futures = {pool.submit(_search_one, run, q): i for i, q in enumerate(queries)}
        for future in as_completed(futures):  # progress as answers arrive
            i = futures[future]
            outcomes[i] = future.result()
            if outcomes[i] is not None:
                _announce(run, queries[i], outcomes[i])
    per_query: list[list[Found]] = []
    for i, query in enumerate(queries):
        results, failures = outcomes[i] or ([], [])
        if outcomes[i] is not None:
            run.log.add_query(query, results, failures)
        per_query.append([Found(r, query) for r in results])
    skipped = sum(outcome is None for outcome in outcomes.values())
    if skipped:
        run.log.fail("budget", "search", f"The {run.options.budget:g} s research budget ran out "
                     f"before {skipped} search quer{'y' if skipped == 1 else 'ies'} could be sent "
                     "(raise --budget).")
    return per_query


def fetch_round(decisions: Sequence[Decision], run: Run) -> None:
    """Fetch and ingest the selected URLs in chunks, stopping when the budget is spent."""
    def report(outcome: UrlOutcome) -> None:
        run.progress("fetch", f"failed {outcome.reason}" if outcome.status == "failed"
                     else f"{FETCH_WORDS.get(outcome.status, outcome.status)} {outcome.url}")

    targets = run.log.targets(decisions)
    chunk = max(1, run.options.fetch.concurrency)
    for start in range(0, len(targets), chunk):
        if run.budget.spent():
            run.log.skip_fetches(targets[start:], run.options.budget)
            run.progress("fetch", f"budget spent; {len(targets) - start} page(s) not fetched")
            return
        run.log.add_fetches(ingest_urls(run.ingestor, targets[start:start + chunk], run.tools.fetcher,
                                        on_outcome=report))


def assess_facets(plan: Plan, store: Store, embedder: Embedder | None) -> dict[str, int]:
    """Relevant passages per facet over the whole corpus (``select.count_relevant``)."""
    if store.counts()["documents"] == 0:
        return {f.key: 0 for f in plan.facets}
    retriever = Retriever(store, embedder)
    mode = SearchMode.HYBRID if embedder is not None else SearchMode.BM25
    search = SearchOptions(mode=mode, k=ASSESS_K, per_document=2, per_outlet=0)
    vectors = embedder.embed([plan.question, *(f.query for f in plan.facets)]) if embedder else None
    counts = {}
    for i, facet in enumerate(plan.facets):
        hits = retriever.search_vec(facet.query, None if vectors is None else vectors[i + 1], search)
        stored = store.vectors([h.passage.passage_id for h in hits]) if vectors is not None else None
        sims = stored @ vectors[0] if stored is not None and len(hits) else np.zeros(len(hits))
        counts[facet.key] = count_relevant(plan, facet, [(h.passage.text, float(s))
                                                         for h, s in zip(hits, sims)])
    return counts


# -- the run --------------------------------------------------------------------------------------

def _next_queries(plan: Plan, round_no: int, support: dict[str, int], run: Run) -> tuple[ResearchQuery, ...]:
    if round_no == 1:
        return initial_queries(plan, today=date.today())
    thin = [key for key, n in support.items() if n < run.options.min_passages]
    if not thin:
        run.progress("assess", "every facet has evidence; no further round")
        return ()
    queries = reformulate(plan, thin, round_no=round_no, tried=run.log.tried())
    if not queries:
        run.progress("assess", f"thin facets ({', '.join(thin)}) have no untried phrasings left")
    return queries


def _rounds(plan: Plan, run: Run) -> None:
    """Search, select, fetch and assess, round after round, until nothing is thin or a limit hits."""
    support: dict[str, int] = {}
    names = ", ".join(s.name for s in run.tools.searchers)
    for round_no in range(1, run.options.rounds + 1):
        queries = _next_queries(plan, round_no, support, run)
        if not queries or run.log.out_of(run.budget, run.options):
            return
        run.progress("search", f"round {round_no}: {len(queries)} queries to {names}")
        with run.log.timer("search"):
            per_query = search_round(queries, run)
        if run.log.round_failed(round_no):
            run.progress("search", "every provider failed on every query; stopping")
            return
        decisions = select_results(per_query, run.log.taken(), run.options.rules(), seen=run.log.seen())
        with run.log.timer("fetch"):
            fetch_round(run.log.add_decisions(decisions), run)
        with run.log.timer("assess"):
            support = assess_facets(plan, run.tools.store, run.tools.embedder)
        run.log.add_facets(round_no, support)
        run.progress("assess", ", ".join(f"{k} {n}" for k, n in support.items()) + " relevant passage(s)")
        save_run(run.tools.store, run.log.snapshot())


def run_research(question: str, tools: Tools, options: ResearchOptions = ResearchOptions(), *,
                 progress: Progress = _quiet) -> RunRecord:
    """Search, fetch and ingest sources for ``question``; the run record (stored as it goes).

    The record's status is "searched" on return; ``finish_research`` writes the brief and makes it
    "done". A run that raises is stored as "failed" (or "interrupted" on Ctrl-C).
    """
    if not question.strip():
        raise UsageError("The question is empty")
    if not tools.searchers:
        raise UsageError("No web search provider given:\n" + describe_providers())
    plan = plan_question(question)
    started = utc_now()
    log = RunLog(new_run_id(question, started), plan, started, tools.searchers, options)
    timed = TimedEmbedder(tools.embedder) if tools.embedder is not None else None
    run = Run(tools, options, Budget(options.budget, tools.clock), log,
              Ingestor(tools.store, timed, tools.ingest), progress)
    save_run(tools.store, log.snapshot())
    progress("plan", f"run {log.run_id}; facets: {', '.join(f.key for f in plan.facets)}")
    try:
        _rounds(plan, run)
    except KeyboardInterrupt:
        save_run(tools.store, log.snapshot("interrupted", finished=utc_now()))
        raise
    except CitebriefError as exc:
        save_run(tools.store, log.snapshot("failed", finished=utc_now(), error=str(exc)))
        raise
    log.embedded(timed.seconds if timed else 0.0)
    record = log.snapshot("searched")
    save_run(tools.store, record)
    return record


# -- the brief ------------------------------------------------------------------------------------

def nothing_found(record: RunRecord, location: str) -> CitebriefError:
    """The error when a run leaves the corpus empty: what the providers and pages said."""
    problems = [f"{f.source}: {f.message}" for f in record.failures if f.stage == "search"]
    problems += [f.reason for f in record.fetches if f.status == "failed" and f.reason]
    detail = "; ".join(dict.fromkeys(problems)) or "the providers returned no usable results"
    cls = SearchProviderError if any(f.stage == "search" for f in record.failures) else EmptyCorpusError
    return cls(f"research found no sources for the question ({detail}); {location} is still empty "
               f"— see `citebrief runs show {record.run_id}`")


def finish_research(record: RunRecord, write: Callable[[], Brief], *, store: Store,
                    options: ResearchOptions) -> Brief:
    """Write the brief (``write`` is ``Corpus.ask``), add the run's limits and id, store the run."""
    if store.counts()["documents"] == 0:
        error = nothing_found(record, store.location)
        save_run(store, replace(record, status="failed", finished=utc_now(), error=str(error)))
        raise error
    start = time.perf_counter()
    try:
        brief = write()
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        save_run(store, replace(record, status=status, finished=utc_now(), error=str(exc) or None))
        raise
    limits = research_limits(record, min_passages=options.min_passages)
    brief = replace(brief, limits=tuple(brief.limits) + limits,
                    extra={**brief.extra, "run_id": record.run_id})
    summary = {"generated_at": brief.generated_at, "enough_evidence": brief.enough_evidence,
               "sources": len(brief.sources), "limits_added": len(limits)}
    timings = {**record.timings, "write": round(time.perf_counter() - start, 3)}
    save_run(store, replace(record, status="done", finished=utc_now(), brief=summary, timings=timings))
    return brief
