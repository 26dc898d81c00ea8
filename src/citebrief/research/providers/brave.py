"""Brave Search API: ``GET /res/v1/web/search`` or ``/res/v1/news/search``.

Documented at https://api-dashboard.search.brave.com/app/documentation. The key goes in the
``X-Subscription-Token`` header. ``count`` is at most 20 for web and 50 for news. ``freshness``
takes pd/pw/pm/py or an exact range ``YYYY-MM-DDtoYYYY-MM-DD``; the range is used, as it matches
``since`` to the day. Brave reports a bad key as HTTP 422 with code ``SUBSCRIPTION_TOKEN_INVALID``
rather than 401, so that is recognised too. Descriptions carry ``<strong>`` highlights.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import BaseModel

from .base import (SearchResult, Topic, WireRequest, iso_date_of, pairs, parse_envelope,
                   parse_items, plain_text)
from .host import ProviderSpec, rejects_key_by_status

MAX_COUNT = {Topic.GENERAL: 20, Topic.NEWS: 50}
PATHS = {Topic.GENERAL: "/res/v1/web/search", Topic.NEWS: "/res/v1/news/search"}


def brave_freshness(since: date | None, today: date) -> str | None:
    """Brave's ``freshness`` for ``since``: the exact range ``2024-05-01to2024-05-31``."""
    if since is None:
        return None
    return f"{min(since, today).isoformat()}to{today.isoformat()}"


def brave_rejects_key(status: int, body: bytes) -> bool:
    """401/403, or Brave's 422 whose error code names the subscription token."""
    if rejects_key_by_status(status, body):
        return True
    if status != 422:
        return False
    try:
        error = json.loads(body).get("error") or {}
        return "TOKEN" in str(error.get("code", "")).upper()
    except (ValueError, AttributeError):
        return False


class _Item(BaseModel):
    url: str
    title: str = ""
    description: str | None = None
    page_age: str | None = None  # ISO datetime of publication when Brave knows it
    age: str | None = None  # "May 1, 2024" or "3 days ago"
    language: str | None = None


class _Results(BaseModel):
    results: list[Any] = []


class _WebEnvelope(BaseModel):
    type: str
    web: _Results = _Results()  # absent when the query has no web results


class _NewsEnvelope(BaseModel):
    type: str
    results: list[Any]


class BraveBackend:
    """Brave's web search, or its news search for ``Topic.NEWS``."""

    name = "brave"

    def __init__(self, base_url: str, topic: Topic) -> None:
        self.base_url, self.topic = base_url, topic

    def request(self, query: str, *, limit: int, since: date | None, today: date) -> WireRequest:
        """``q``, ``count`` (capped per endpoint) and ``freshness`` from ``since``."""
        params = [("q", query), ("count", str(min(limit, MAX_COUNT[self.topic])))]
        freshness = brave_freshness(since, today)
        if freshness is not None:
            params.append(("freshness", freshness))
        return WireRequest("GET", self.base_url + PATHS[self.topic], tuple(params))

    def parse(self, body: bytes) -> list[SearchResult]:
        """``web.results[]`` (web) or ``results[]`` (news): url, title, description, page_age."""
        if self.topic is Topic.NEWS:
            items = parse_envelope(_NewsEnvelope, body).results
        else:
            items = parse_envelope(_WebEnvelope, body).web.results
        return [SearchResult(url=item.url, title=plain_text(item.title),
                             snippet=plain_text(item.description),
                             published=iso_date_of(item.page_age) or iso_date_of(item.age),
                             provider=self.name,
                             extra=pairs(("endpoint", self.topic.value),
                                         ("language", item.language)))
                for item in parse_items(_Item, items)]


SPEC = ProviderSpec(
    name="brave",
    summary="Brave Search API, web or news index (needs a key; paid plans with monthly credit)",
    backend=BraveBackend,
    url_env="CITEBRIEF_BRAVE_URL",
    default_base_url="https://api.search.brave.com",
    key_env="BRAVE_API_KEY",
    key_header="X-Subscription-Token",
    signup_url="https://api-dashboard.search.brave.com",
    rejects_key=brave_rejects_key,
)
