"""Several providers at once: run them concurrently, keep going past failures, merge the hits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

from ...errors import CitebriefError, UsageError
from ..urls import canonical_url, fetchable_url
from .base import Searcher, SearchResult

logger = logging.getLogger(__name__)

MAX_WORKERS = 5  # searches wait on the network; one thread per registered provider, no more


@dataclass(frozen=True, slots=True)
class ProviderFailure:
    """A provider that gave no results, and why (the message says how to fix it)."""

    provider: str
    message: str


def _interleave(result_lists: Sequence[Sequence[SearchResult]]) -> list[SearchResult]:
    # Rank 1 of every provider, then rank 2, …: no provider crowds out the others' best hits.
    depth = max((len(results) for results in result_lists), default=0)
    return [results[rank] for rank in range(depth) for results in result_lists
            if rank < len(results)]


def _absorb(kept: SearchResult, duplicate: SearchResult) -> SearchResult:
    """``kept`` with what only ``duplicate`` knew: a date, a snippet, who else found it."""
    extra = kept.extra
    if duplicate.provider != kept.provider and ("also_found_by", duplicate.provider) not in extra:
        extra = (*extra, ("also_found_by", duplicate.provider))
    return replace(kept, published=kept.published or duplicate.published,
                   snippet=kept.snippet or duplicate.snippet, extra=extra)


def merge_results(result_lists: Sequence[Sequence[SearchResult]]) -> list[SearchResult]:
    """Interleave providers' lists by rank and keep the first of results naming the same page.

    Duplicates are recognised by canonical URL; the kept result keeps its provider's URL (less
    its fragment), the one that is fetched.

    Results whose URL is not http(s) are dropped: nothing downstream can fetch them.
    """
    merged: list[SearchResult] = []
    position: dict[str, int] = {}
    for result in _interleave(result_lists):
        url = canonical_url(result.url)
        if not url.startswith(("http://", "https://")):
            continue
        if url in position:
            merged[position[url]] = _absorb(merged[position[url]], result)
            continue
        position[url] = len(merged)
        merged.append(replace(result, url=fetchable_url(result.url)))
    return merged


def _run(searcher: Searcher, query: str, limit: int,
         since: date | None) -> list[SearchResult] | ProviderFailure:
    try:
        return searcher.search(query, limit=limit, since=since)
    except CitebriefError as exc:  # config, quota, timeout, bad reply: this provider only
        logger.warning("search provider %s failed: %s", searcher.name, exc)
        return ProviderFailure(searcher.name, str(exc))


def search_all(searchers: Sequence[Searcher], query: str, *, limit: int = 10,
               since: date | None = None,
               max_workers: int = MAX_WORKERS) -> tuple[list[SearchResult], list[ProviderFailure]]:
    """Ask every searcher for ``limit`` results concurrently; return merged hits and failures.

    One provider failing (bad key, rate limit, timeout, malformed reply) costs only its own
    results. Results are merged by ``merge_results``; failures keep the order of ``searchers``.
    """
    if not query.strip():
        raise UsageError("the search query is empty")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise UsageError(f"the search limit must be a whole number ≥ 1, got {limit!r}")
    if not searchers:
        return [], []
    workers = max(1, min(max_workers, len(searchers)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="citebrief-search") as pool:
        futures = [pool.submit(_run, searcher, query, limit, since) for searcher in searchers]
        outcomes = [future.result() for future in futures]
    failures = [outcome for outcome in outcomes if isinstance(outcome, ProviderFailure)]
    result_lists = [outcome for outcome in outcomes if not isinstance(outcome, ProviderFailure)]
    return merge_results(result_lists), failures
