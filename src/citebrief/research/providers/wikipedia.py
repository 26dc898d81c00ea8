"""Wikipedia through the MediaWiki Action API: ``GET /w/api.php?action=query&list=search``.

Documented at https://www.mediawiki.org/wiki/API:Search. No key; Wikimedia asks for a
descriptive User-Agent (the host sends one). Hits carry a title, an HTML snippet with
``<span class="searchmatch">`` highlights, and ``timestamp``, the article's last edit. That is
not a publication date, so ``published`` stays None and the edit date goes to ``extra`` as
``last_edited``: otherwise ``since`` would drop every stable article. Search has no date
filter. Errors come back as HTTP 200 with an ``error`` object. Other wikis work by pointing the
base URL at them (``https://de.wikipedia.org``).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from .base import (SearchResult, Topic, WireRequest, iso_date_of, load_json, pairs,
                   parse_items, plain_text, validate_envelope)
from .host import ProviderSpec

MAX_LIMIT = 50  # srlimit allows 500, but ranks past 50 are rarely worth fetching


def article_url(base_url: str, title: str) -> str:
    """``https://en.wikipedia.org/wiki/Caf%C3%A9_society`` for the title ``Café society``."""
    return f"{base_url}/wiki/{quote(title.replace(' ', '_'), safe=':/(),!*_.~-')}"


class _Hit(BaseModel):
    title: str
    snippet: str | None = None
    timestamp: str | None = None


class _Query(BaseModel):
    search: list[Any]


class _Envelope(BaseModel):
    query: _Query


class WikipediaBackend:
    """Full-text search of one wiki's articles (namespace 0)."""

    name = "wikipedia"

    def __init__(self, base_url: str, topic: Topic) -> None:
        self.base_url, self.topic = base_url, topic

    def request(self, query: str, *, limit: int, since: date | None, today: date) -> WireRequest:
        """``action=query``, ``list=search``, ``srsearch``, ``srlimit``, JSON format version 2."""
        params = (("action", "query"), ("list", "search"), ("srsearch", query),
                  ("srlimit", str(min(limit, MAX_LIMIT))), ("srnamespace", "0"),
                  ("srprop", "snippet|timestamp"), ("format", "json"), ("formatversion", "2"))
        return WireRequest("GET", f"{self.base_url}/w/api.php", params)

    def parse(self, body: bytes) -> list[SearchResult]:
        """``query.search[]`` with ``title``, ``snippet`` (HTML), ``timestamp``."""
        payload = load_json(body)
        if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
            error = payload["error"]
            raise ValueError(f"the API reported {error.get('code', 'an error')}: "
                             f"{error.get('info', '')}".rstrip(": "))
        envelope = validate_envelope(_Envelope, payload)
        return [SearchResult(url=article_url(self.base_url, hit.title), title=hit.title,
                             snippet=plain_text(hit.snippet), published=None, provider=self.name,
                             extra=pairs(("last_edited", iso_date_of(hit.timestamp))))
                for hit in parse_items(_Hit, envelope.query.search)]


SPEC = ProviderSpec(
    name="wikipedia",
    summary="Wikipedia article search through the MediaWiki API (no key; encyclopedic background)",
    backend=WikipediaBackend,
    url_env="CITEBRIEF_WIKIPEDIA_URL",
    default_base_url="https://en.wikipedia.org",
)
