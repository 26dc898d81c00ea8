"""The search seam: ``SearchResult``, the ``Searcher`` protocol, configuration and the ``Backend``.

A backend is only a wire format (how to shape a request and read a reply); the host in
``host.py`` does authentication, timeouts, retries, the ``since`` filter and error messages once
for every provider. Backends raise ``ValueError`` for a reply of the wrong shape; the host turns
that into ``SearchProviderError`` (from ``citebrief.errors``), the only error callers see besides
``ConfigError`` (missing key or URL) and ``UsageError`` (empty query, bad limit).
"""

from __future__ import annotations

import email.utils
import hmac
import html
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from ...errors import ConfigError


class Topic(str, Enum):
    """What kind of results to ask for, where a provider distinguishes them."""

    GENERAL = "general"
    NEWS = "news"


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One hit from a web search provider, in the provider's rank order."""

    url: str
    title: str
    snippet: str  # plain text, tags and entities removed
    published: str | None  # ISO date YYYY-MM-DD when the provider knows one
    provider: str  # registry name: "brave", "gdelt", ...
    extra: tuple[tuple[str, str], ...] = ()  # ("engine", "bing"), ("source_country", "France")


@runtime_checkable
class Searcher(Protocol):
    """Finds web pages for a query."""

    @property
    def name(self) -> str:
        """The registry name of the provider behind this searcher."""
        ...

    def search(self, query: str, *, limit: int = 10,
               since: date | None = None) -> list[SearchResult]:
        """Return at most ``limit`` results, none known to be published before ``since``."""
        ...


class Secret:
    """An API key that never shows itself in ``repr``, ``str``, f-strings or log records."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError("an API key is empty; set the variable to the key or unset it")
        self._value = value.strip()

    def reveal(self) -> str:
        """The key itself; only the HTTP layer calls this, when sending."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and hmac.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """How to reach one provider; ``None`` fields are filled from the environment (registry)."""

    base_url: str | None = None  # overrides the provider's default (tests point it at loopback)
    api_key: Secret | None = None
    timeout: float = 10.0  # seconds for each HTTP attempt
    retries: int = 2  # extra attempts after a 429 or 5xx
    max_retry_wait: float = 30.0  # longest Retry-After honoured; a longer one fails at once
    topic: Topic = Topic.GENERAL

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ConfigError(f"search timeout must be positive, got {self.timeout}")
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise ConfigError(f"search retries must be a whole number ≥ 0, got {self.retries!r}")
        if not self.max_retry_wait >= 0:
            raise ConfigError(f"max_retry_wait must be ≥ 0 seconds, got {self.max_retry_wait}")
        if not isinstance(self.topic, Topic):
            raise ConfigError(f"topic must be one of {', '.join(t.value for t in Topic)}")
        if self.api_key is not None and not isinstance(self.api_key, Secret):
            raise ConfigError("api_key must be wrapped in Secret(...) so it cannot leak into logs")


@dataclass(frozen=True, slots=True)
class WireRequest:
    """One HTTP request as a value; the key is added by the host when sending, never stored here."""

    method: Literal["GET", "POST"]
    url: str
    params: tuple[tuple[str, str], ...] = ()
    json_body: str | None = None  # serialised JSON for POST


class Backend(Protocol):
    """How one provider shapes requests and replies; pure, no I/O."""

    name: str

    def request(self, query: str, *, limit: int, since: date | None, today: date) -> WireRequest:
        """The request for ``query``; ``today`` is passed in so date windows are testable."""
        ...

    def parse(self, body: bytes) -> list[SearchResult]:
        """Read a successful response body; raise ``ValueError`` if it has another shape."""
        ...


# ---------------------------------------------------------------------------------------------
# Helpers shared by the backends: JSON into pydantic models, dates, HTML snippets.

M = TypeVar("M", bound=BaseModel)

_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T|\d{6}|$)")  # GDELT: 20240501T101500Z
_LONG_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")  # Brave's "May 1, 2024"


def _excerpt(body: bytes, size: int = 80) -> str:
    text = body[:size * 4].decode("utf-8", "replace")
    text = _SPACE_RE.sub(" ", text).strip()
    return text[:size] + ("…" if len(text) > size else "")


def _where(error: ValidationError) -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "the top level"
    return f"{location}: {first['msg'].lower()}"


def load_json(body: bytes) -> Any:
    """Decode a JSON body, or raise ``ValueError`` quoting its start (HTML error pages happen)."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"the body is not JSON (it starts {_excerpt(body)!r})") from None


def validate_envelope(model: type[M], payload: Any) -> M:
    """Validate decoded JSON against the response envelope ``model``."""
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise ValueError(f"unexpected JSON shape at {_where(error)}") from None


def parse_envelope(model: type[M], body: bytes) -> M:
    """Decode a JSON body and validate it against the response envelope ``model``."""
    return validate_envelope(model, load_json(body))


def parse_items(model: type[M], items: list[Any]) -> list[M]:
    """Validate each result item; skip odd ones, but fail if none of several is usable."""
    parsed: list[M] = []
    first_error: ValidationError | None = None
    for item in items:
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as error:
            first_error = first_error or error
    if items and not parsed and first_error is not None:
        raise ValueError(f"none of the {len(items)} results has the expected fields "
                         f"(results.{_where(first_error)})")
    return parsed


def iso_date_of(value: object) -> str | None:
    """Return YYYY-MM-DD from the date spellings providers use, or None when there is none.

    ISO 8601 (``2024-05-01T10:00:00Z``), compact (``20240501T101500Z``), RFC 2822
    (``Wed, 01 May 2024 10:00:00 GMT``) and long English dates (``May 1, 2024``).
    Relative ages such as ``"3 days ago"`` give None: they need a clock and are imprecise.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for pattern in (_ISO_RE, _COMPACT_RE):
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(group) for group in match.groups())).isoformat()
            except ValueError:
                return None
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for layout in _LONG_DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).date().isoformat()
        except ValueError:
            continue
    return None


def plain_text(fragment: str | None) -> str:
    """Turn an HTML snippet (``<strong>``, ``<span class="searchmatch">``, ``&quot;``) into text."""
    if not fragment:
        return ""
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub("", fragment))).strip()


def pairs(*items: tuple[str, str | None]) -> tuple[tuple[str, str], ...]:
    """``extra`` pairs in the order given, dropping those whose value is empty or missing."""
    return tuple((key, value) for key, value in items if value)
