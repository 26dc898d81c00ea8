"""Web search providers behind one seam: ``Searcher.search(query, limit=, since=)``.

    base.py       SearchResult, Searcher, ProviderConfig, Secret, Topic; the Backend wire seam
    host.py       HostedSearcher: key header, User-Agent, timeouts, 429/5xx retries, errors
    searxng.py    brave.py    tavily.py    gdelt.py    wikipedia.py   one wire format each
    registry.py   SEARCHERS, make_searcher, describe_providers, configured_providers
    merge.py      search_all: concurrent, failure-tolerant, canonical-URL de-duplication

Errors: ``SearchProviderError`` (one provider failed at run time), ``ConfigError`` (a key or
instance URL is missing or bad), ``UsageError`` (unknown provider name, empty query).
"""

from __future__ import annotations

from .base import ProviderConfig, Searcher, SearchResult, Secret, Topic
from .host import USER_AGENT, HostedSearcher, ProviderSpec
from .merge import ProviderFailure, merge_results, search_all
from .registry import (SEARCHERS, configured_providers, describe_providers, is_configured,
                       make_searcher, provider_choices)

__all__ = [
    "SEARCHERS", "USER_AGENT", "HostedSearcher", "ProviderConfig", "ProviderFailure",
    "ProviderSpec", "SearchResult", "Searcher", "Secret", "Topic", "configured_providers",
    "describe_providers", "is_configured", "make_searcher", "merge_results", "provider_choices",
    "search_all",
]
