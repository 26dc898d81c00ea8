"""Which search results to fetch, and whether a facet's evidence is thin. Pure.

``select_results`` walks the results of a round rank by rank across queries (rank 1 of every
query, then rank 2, …), so no single query fills the run, and gives each a verdict:

    not an http(s) URL                      "not-http"
    taken earlier in the run                "duplicate"
    published before --since                "before-since"
    domain excluded / not included          "excluded-domain" / "not-included"
    its domain already has ``per_domain``   "domain-cap"   (one outlet cannot fill the brief)
    the run already has ``max_sources``     "max-sources"
    otherwise                               "fetch"        (a URL already stored is not fetched
                                                            again; ingest_urls skips it)

``count_relevant`` decides when a facet needs another round: a passage retrieved for the facet is
relevant when it is on the question's subject (half its topic terms, or close in meaning to the
question) and carries one of the facet's cue words, the same signals the brief's evidence
selection (brief.evidence) scores sentences with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Sequence

from ..brief.evidence import topic_coverage
from ..brief.model import Facet, Plan
from .providers import SearchResult
from .queries import ResearchQuery
from .urls import canonical_url, domain_of

Verdict = Literal["fetch", "not-http", "duplicate", "before-since", "excluded-domain", "not-included",
                  "domain-cap", "max-sources"]
ON_TOPIC_COVER = 0.5  # share of the question's topic terms a passage names: 2 of 3, 3 of 5
ON_TOPIC_SIMILARITY = 0.5  # or its cosine to the question (MiniLM scale), as in brief.evidence


@dataclass(frozen=True, slots=True)
class Found:
    """A search result with the query that found it."""

    result: SearchResult
    query: ResearchQuery


@dataclass(frozen=True, slots=True)
class Decision:
    """What the run does with one result; ``url`` is canonical."""

    found: Found
    url: str
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class SelectRules:
    """The run's limits on what it fetches."""

    max_sources: int = 40
    per_domain: int = 3
    include_domains: tuple[str, ...] = ()  # bare domains, subdomains included
    exclude_domains: tuple[str, ...] = ()
    since: date | None = None


def in_domains(url: str, domains: Sequence[str]) -> bool:
    """True when ``url``'s host is one of ``domains`` or under one: ``news.bbc.co.uk`` ∈ ``bbc.co.uk``."""
    host = domain_of(url)
    return any(host == d or host.endswith("." + d) for d in (domain_of(x) for x in domains) if d)


def _interleave(per_query: Sequence[Sequence[Found]]) -> list[Found]:
    depth = max((len(found) for found in per_query), default=0)
    return [found[rank] for rank in range(depth) for found in per_query if rank < len(found)]


class _Quota:
    """What the run has taken so far: URLs, places used per domain, sources counted."""

    def __init__(self, taken: Sequence[str], seen: Sequence[str]) -> None:
        self.chosen = set(taken) | set(seen)
        self.per_domain: dict[str, int] = {}
        self.count = 0
        for url in dict.fromkeys(taken):
            self._count(url)

    def _count(self, url: str) -> None:
        self.count += 1
        self.per_domain[domain_of(url)] = self.per_domain.get(domain_of(url), 0) + 1

    def take(self, url: str) -> None:
        self.chosen.add(url)
        self._count(url)

    def verdict(self, url: str, result: SearchResult, rules: SelectRules) -> Verdict:
        if not url.startswith(("http://", "https://")):
            return "not-http"
        if url in self.chosen:
            return "duplicate"
        if rules.since and result.published and result.published < rules.since.isoformat():
            return "before-since"
        if rules.exclude_domains and in_domains(url, rules.exclude_domains):
            return "excluded-domain"
        if rules.include_domains and not in_domains(url, rules.include_domains):
            return "not-included"
        if self.per_domain.get(domain_of(url), 0) >= rules.per_domain:
            return "domain-cap"
        if self.count >= rules.max_sources:
            return "max-sources"
        return "fetch"


def select_results(per_query: Sequence[Sequence[Found]], taken: Sequence[str], rules: SelectRules, *,
                   seen: Sequence[str] = ()) -> list[Decision]:
    """A verdict for every result of a round.

    ``taken`` are the URLs earlier rounds chose that count against the caps (those that became
    documents); ``seen`` are URLs also chosen before but not to count, such as pages that failed
    to fetch: they are not taken again, and they leave their domain's place to another page.
    """
    quota = _Quota(taken, seen)
    decisions = []
    for found in _interleave(per_query):
        url = canonical_url(found.result.url)
        verdict = quota.verdict(url, found.result, rules)
        if verdict == "fetch":
            quota.take(url)
        decisions.append(Decision(found, url, verdict))
    return decisions


def is_relevant(plan: Plan, facet: Facet, text: str, question_similarity: float) -> bool:
    """Whether a passage retrieved for ``facet`` is evidence for it (see the module docstring)."""
    on_topic = (topic_coverage(text, plan.topic_terms) >= ON_TOPIC_COVER
                or question_similarity >= ON_TOPIC_SIMILARITY)
    lowered = text.lower()
    return on_topic and (not facet.cues or any(cue in lowered for cue in facet.cues))


def count_relevant(plan: Plan, facet: Facet, passages: Sequence[tuple[str, float]]) -> int:
    """How many of ``passages`` ((text, cosine to the question) pairs) are relevant to ``facet``."""
    return sum(is_relevant(plan, facet, text, similarity) for text, similarity in passages)
