"""GDELT DOC 2.0 API: ``GET /api/v2/doc/doc?query=…&mode=artlist&format=json``.

Documented at https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/. Worldwide online news,
no key, at most 250 records; ``sort=datedesc`` puts the newest first. Quirks absorbed here: a
search without matches answers ``{}`` (no ``articles`` field), and a rejected query (too short,
bad operator) answers HTTP 200 with a plain-text message instead of JSON. Articles have no
snippet; ``seendate`` is when GDELT first saw the article (``20240501T101500Z``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from .base import (SearchResult, Topic, WireRequest, iso_date_of, pairs, parse_envelope,
                   parse_items, plain_text)
from .host import ProviderSpec

MAX_RECORDS = 250


def gdelt_startdatetime(since: date | None) -> str | None:
    """GDELT's ``startdatetime`` (YYYYMMDDHHMMSS, UTC) for the start of ``since``."""
    return None if since is None else f"{since:%Y%m%d}000000"


class _Article(BaseModel):
    url: str
    title: str = ""
    seendate: str | None = None
    domain: str | None = None
    language: str | None = None
    sourcecountry: str | None = None


class _Envelope(BaseModel):
    articles: list[Any] = []  # GDELT omits the field when nothing matched


class GdeltBackend:
    """The article list mode of the GDELT DOC 2.0 API; news whatever the topic."""

    name = "gdelt"

    def __init__(self, base_url: str, topic: Topic) -> None:
        self.base_url, self.topic = base_url, topic

    def request(self, query: str, *, limit: int, since: date | None, today: date) -> WireRequest:
        """``query``, ``mode=artlist``, ``format=json``, ``maxrecords``, ``sort``, start date."""
        params = [("query", query), ("mode", "artlist"), ("format", "json"),
                  ("maxrecords", str(min(limit, MAX_RECORDS))), ("sort", "datedesc")]
        start = gdelt_startdatetime(since)
        if start is not None:
            params.append(("startdatetime", start))
        return WireRequest("GET", f"{self.base_url}/api/v2/doc/doc", tuple(params))

    def parse(self, body: bytes) -> list[SearchResult]:
        """``articles[]`` with ``url``, ``title``, ``seendate``, ``domain``, ``sourcecountry``."""
        text = body.lstrip()
        if text and not text.startswith((b"{", b"[")):
            message = " ".join(text[:300].decode("utf-8", "replace").split())
            raise ValueError(f"GDELT answered with a message instead of JSON: {message!r}")
        envelope = parse_envelope(_Envelope, body)
        return [SearchResult(url=item.url, title=plain_text(item.title), snippet="",
                             published=iso_date_of(item.seendate), provider=self.name,
                             extra=pairs(("domain", item.domain),
                                         ("source_country", item.sourcecountry),
                                         ("language", item.language)))
                for item in parse_items(_Article, envelope.articles)]


SPEC = ProviderSpec(
    name="gdelt",
    summary="GDELT DOC 2.0, worldwide online news in many languages (no key; no snippets)",
    backend=GdeltBackend,
    url_env="CITEBRIEF_GDELT_URL",
    default_base_url="https://api.gdeltproject.org",
)
