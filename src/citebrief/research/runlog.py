"""``RunLog``: the research loop's notebook, turned into a frozen ``RunRecord`` at any moment.

The loop is the only writer, from one thread (search results come back to it through futures);
``snapshot`` is what is stored after every round, so an interrupted run keeps what it did.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..brief.model import Plan
from ..web.feeds import FeedEntry
from ..web.ingest_web import UrlOutcome, UrlTarget
from .providers import ProviderFailure, Searcher, SearchResult
from .queries import ResearchQuery
from .record import FacetLog, Failure, FetchLog, QueryLog, ResultLog, RunRecord
from .select import Decision
from .urls import canonical_url

if TYPE_CHECKING:
    from .loop import Budget, ResearchOptions


def _found_by(result: SearchResult) -> set[str]:
    """The providers that returned ``result`` (merge_results notes the others in ``extra``)."""
    return {result.provider} | {value for key, value in result.extra if key == "also_found_by"}


class RunLog:
    """Accumulates queries, results, fetches, facet counts, failures and timings of one run."""

    def __init__(self, run_id: str, plan: Plan, started: str, searchers: Sequence[Searcher],
                 options: "ResearchOptions") -> None:
        self.run_id, self.plan, self.started = run_id, plan, started
        self.providers = tuple(s.name for s in searchers)
        self.options = options
        self.queries: list[QueryLog] = []
        self.results: list[ResultLog] = []
        self.fetches: list[FetchLog] = []
        self.facets: list[FacetLog] = []
        self.failures: list[Failure] = []
        self.timings: dict[str, float] = {}
        self._taken: list[str] = []
        self._found: dict[str, Decision] = {}  # URL → the decision that took it

    # -- search -----------------------------------------------------------------------------------
    def add_query(self, query: ResearchQuery, results: Sequence[SearchResult],
                  failures: Sequence[ProviderFailure]) -> None:
        """One ``QueryLog`` per provider: its result count or its error."""
        errors = {f.provider: f.message for f in failures}
        for name in self.providers:
            count = sum(name in _found_by(r) for r in results)
            self.queries.append(QueryLog(query.text, query.facet, query.round, name, count,
                                         errors.get(name)))
        for failure in failures:
            self.fail("search", failure.provider, failure.message)

    def round_failed(self, round_no: int) -> bool:
        """True when every query of ``round_no`` failed on every provider (a bad key, a dead host):
        asking again in another round would only repeat the failure."""
        logs = [q for q in self.queries if q.round == round_no]
        return bool(logs) and all(q.error for q in logs)

    def tried(self) -> list[str]:
        """Every query text sent so far."""
        return [q.text for q in self.queries]

    def add_decisions(self, decisions: Sequence[Decision]) -> Sequence[Decision]:
        """Log every result with its verdict; remember the URLs taken."""
        for d in decisions:
            r, q = d.found.result, d.found.query
            self.results.append(ResultLog(q.text, q.facet, q.round, r.provider, d.url, r.title,
                                          r.published, d.verdict))
            if d.verdict == "fetch":
                self._taken.append(d.url)
                self._found[d.url] = d
        return decisions

    def taken(self) -> list[str]:
        """The URLs the run chose that did not fail: they count against --max-sources and caps."""
        failed = {canonical_url(f.url) for f in self.fetches if f.status in ("failed", "skipped")}
        return [url for url in self._taken if url not in failed]

    def seen(self) -> list[str]:
        """Every URL the run chose, failed ones included (never chosen twice)."""
        return list(self._taken)

    # -- fetch ------------------------------------------------------------------------------------
    def targets(self, decisions: Sequence[Decision]) -> list[UrlTarget]:
        """``UrlTarget``s for the URLs taken: provenance says which query and provider found each."""
        out = []
        for d in decisions:
            if d.verdict != "fetch":
                continue
            r, q = d.found.result, d.found.query
            provenance = (("query", q.text), ("provider", r.provider), ("facet", q.facet),
                          ("round", str(q.round)), ("research_run", self.run_id))
            # Fetched as the provider spelled it; d.url (canonical) is only for recognising it.
            listing = FeedEntry(url=r.url, title=r.title or None, published=r.published)
            out.append(UrlTarget(r.url, provenance=provenance, listing=listing))
        return out

    def _fetch_log(self, url: str, status: str, doc_id: str | None, reason: str | None,
                   fetched: bool) -> FetchLog:
        d = self._found.get(canonical_url(url))
        query, provider, round_no = ((d.found.query.text, d.found.result.provider, d.found.query.round)
                                     if d else ("", "", 0))
        return FetchLog(url, status, doc_id, reason, fetched, query, provider, round_no)

    def add_fetches(self, outcomes: Sequence[UrlOutcome]) -> None:
        """Log what ingest did with each URL."""
        for o in outcomes:
            self.fetches.append(self._fetch_log(o.url, o.status, o.doc_id, o.reason, o.fetched))

    def skip_fetches(self, targets: Sequence[UrlTarget], budget: float) -> None:
        """Log the URLs the budget left unfetched, and why."""
        for t in targets:
            self.fetches.append(self._fetch_log(t.url, "skipped", None, "the time budget ran out", False))
        self.fail("budget", "fetch", f"The {budget:g} s research budget ran out before "
                  f"{len(targets)} page(s) could be fetched (raise --budget).")

    # -- rounds -----------------------------------------------------------------------------------
    def out_of(self, budget: "Budget", options: "ResearchOptions") -> bool:
        """True (and noted) when the budget is spent or the run has its --max-sources."""
        if budget.spent():
            self.fail("budget", "search", f"The {options.budget:g} s research budget ran out "
                      "before the next round of searching (raise --budget).")
            return True
        return len(self.taken()) >= options.max_sources

    def add_facets(self, round_no: int, support: dict[str, int]) -> None:
        """Relevant passages per facet after ``round_no``."""
        headings = {f.key: f.heading for f in self.plan.facets}
        self.facets += [FacetLog(k, headings.get(k, k), round_no, n) for k, n in support.items()]

    def fail(self, stage: str, source: str, message: str) -> None:
        """Note a failure once (the same provider error on every query is one failure)."""
        failure = Failure(stage, source, message)
        if failure not in self.failures:
            self.failures.append(failure)

    @contextmanager
    def timer(self, stage: str) -> Iterator[None]:
        """Add the wall time of the block to ``timings[stage]``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start

    def embedded(self, seconds: float) -> None:
        """Split embedding out of the fetch stage, where ingest did it."""
        self.timings["embed"] = seconds
        self.timings["fetch"] = max(0.0, self.timings.get("fetch", 0.0) - seconds)

    # -- the record -------------------------------------------------------------------------------
    def _cut_by_max_sources(self) -> list[Failure]:
        left = {r.url for r in self.results if r.verdict == "max-sources"} - set(self._taken)
        if not left:
            return []
        return [Failure("max-sources", "select", f"The run stopped at {self.options.max_sources} "
                        f"sources (--max-sources); {len(left)} further result(s) were not fetched.")]

    def snapshot(self, status: str = "running", *, finished: str | None = None,
                 error: str | None = None) -> RunRecord:
        """The run so far as a frozen record."""
        return RunRecord(
            run_id=self.run_id, question=self.plan.question, started=self.started,
            finished=finished, status=status, providers=self.providers,
            settings=self.options.settings(), queries=tuple(self.queries),
            results=tuple(self.results), fetches=tuple(self.fetches), facets=tuple(self.facets),
            failures=tuple(self.failures) + tuple(self._cut_by_max_sources()),
            timings={k: round(v, 3) for k, v in self.timings.items()}, error=error)

