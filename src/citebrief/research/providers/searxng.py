"""SearXNG, the self-hosted metasearch engine: ``GET {base}/search?q=…&format=json``.

Documented at https://docs.searxng.org/dev/search_api.html. The instance must list ``json`` in
``search.formats`` of its settings.yml, or it answers 403. There is no result-count parameter
(a page holds ~20 hits), so the host truncates to ``limit``. Date filtering is only the coarse
``time_range`` (day, week, month, year); the host trims the rest by ``publishedDate``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from .base import (SearchResult, Topic, WireRequest, iso_date_of, pairs, parse_envelope,
                   parse_items, plain_text)
from .host import ProviderSpec

# The smallest window that still reaches back to ``since``: 10 days ago → "month".
TIME_RANGES = ((1, "day"), (7, "week"), (31, "month"), (366, "year"))


def searxng_time_range(since: date | None, today: date) -> str | None:
    """SearXNG's ``time_range`` covering ``since``; None when older than a year (no filter)."""
    if since is None:
        return None
    age_days = (today - since).days
    for days, name in TIME_RANGES:
        if age_days <= days:
            return name
    return None


class _Item(BaseModel):
    url: str
    title: str = ""
    content: str | None = None
    publishedDate: str | None = None  # noqa: N815 - the wire name
    engine: str | None = None


class _Envelope(BaseModel):
    results: list[Any]


class SearxngBackend:
    """``GET /search`` of a SearXNG instance."""

    name = "searxng"

    def __init__(self, base_url: str, topic: Topic) -> None:
        self.base_url, self.topic = base_url, topic

    def request(self, query: str, *, limit: int, since: date | None, today: date) -> WireRequest:
        """``q``, ``format=json``, ``categories`` from the topic, ``time_range`` from ``since``."""
        params = [("q", query), ("format", "json"), ("categories", self.topic.value)]
        time_range = searxng_time_range(since, today)
        if time_range is not None:
            params.append(("time_range", time_range))
        return WireRequest("GET", f"{self.base_url}/search", tuple(params))

    def parse(self, body: bytes) -> list[SearchResult]:
        """``results[]`` with ``url``, ``title``, ``content``, ``publishedDate``, ``engine``."""
        envelope = parse_envelope(_Envelope, body)
        return [SearchResult(url=item.url, title=plain_text(item.title),
                             snippet=plain_text(item.content),
                             published=iso_date_of(item.publishedDate), provider=self.name,
                             extra=pairs(("engine", item.engine)))
                for item in parse_items(_Item, envelope.results)]


SPEC = ProviderSpec(
    name="searxng",
    summary="SearXNG metasearch instance (self-hosted or public; no API key, JSON format enabled)",
    backend=SearxngBackend,
    url_env="CITEBRIEF_SEARXNG_URL",
    url_flag="--search-url",
    forbidden_hint=("the instance does not serve format=json; add json to search.formats in its "
                    "settings.yml, or use another instance"),
)
