"""Tavily search API: ``POST /search`` with a JSON body and ``Authorization: Bearer KEY``.

Documented at https://docs.tavily.com/documentation/api-reference/endpoint/search. The key
goes in the header (the older ``api_key`` body field is not sent). ``max_results`` is at most
20. ``since`` is sent as ``start_date`` (YYYY-MM-DD) rather than ``days``: ``days`` only applies
to the news topic, while ``start_date`` filters both topics to the exact day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from ...ids import canonical_json
from .base import (SearchResult, Topic, WireRequest, iso_date_of, pairs, parse_envelope,
                   parse_items, plain_text)
from .host import ProviderSpec

MAX_RESULTS = 20


def tavily_body(query: str, *, limit: int, topic: Topic, since: date | None) -> dict[str, Any]:
    """The JSON request body."""
    body: dict[str, Any] = {"query": query, "max_results": min(limit, MAX_RESULTS),
                            "topic": topic.value}
    if since is not None:
        body["start_date"] = since.isoformat()
    return body


class _Item(BaseModel):
    url: str
    title: str = ""
    content: str | None = None
    published_date: str | None = None  # news topic: "Wed, 01 May 2024 10:00:00 GMT"
    score: float | None = None


class _Envelope(BaseModel):
    results: list[Any]


class TavilyBackend:
    """``POST /search`` of the Tavily API."""

    name = "tavily"

    def __init__(self, base_url: str, topic: Topic) -> None:
        self.base_url, self.topic = base_url, topic

    def request(self, query: str, *, limit: int, since: date | None, today: date) -> WireRequest:
        """JSON ``{query, max_results, topic, start_date?}``."""
        body = tavily_body(query, limit=limit, topic=self.topic, since=since)
        return WireRequest("POST", f"{self.base_url}/search", json_body=canonical_json(body))

    def parse(self, body: bytes) -> list[SearchResult]:
        """``results[]`` with ``url``, ``title``, ``content``, ``published_date``, ``score``."""
        envelope = parse_envelope(_Envelope, body)
        return [SearchResult(url=item.url, title=plain_text(item.title),
                             snippet=plain_text(item.content),
                             published=iso_date_of(item.published_date), provider=self.name,
                             extra=pairs(("score", None if item.score is None
                                          else f"{item.score:.3f}")))
                for item in parse_items(_Item, envelope.results)]


SPEC = ProviderSpec(
    name="tavily",
    summary="Tavily search API for AI agents, general or news (needs a key; free monthly credits)",
    backend=TavilyBackend,
    url_env="CITEBRIEF_TAVILY_URL",
    default_base_url="https://api.tavily.com",
    key_env="TAVILY_API_KEY",
    key_header="Authorization",
    key_prefix="Bearer ",
    signup_url="https://app.tavily.com",
)
