"""HTTP request and response bodies (pydantic: this is a trust boundary) — they shape /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MAX_QUESTION = 2000
SURROGATE = "contains an invalid character (a lone UTF-16 surrogate); retype the text"


def no_surrogates(value: str) -> str:
    """Refuse text with lone UTF-16 surrogates ("\\ud800" in JSON): no UTF-8 store or page can hold it.

    Pydantic refuses them in a plain ``str`` field but lets them through inside a list.
    """
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError(SURROGATE)
    return value


Text = Annotated[str, AfterValidator(no_surrogates)]



JobStatus = Literal["queued", "running", "done", "failed"]


class BriefRequest(BaseModel):
    """POST /api/briefs."""

    model_config = ConfigDict(extra="forbid")
    question: Text = Field(min_length=1, max_length=MAX_QUESTION, description="The research question.")
    keep_unsupported: bool = Field(False, description="Keep sentences the verifier rejects (marked).")


class BriefCreated(BaseModel):
    """The answer to POST /api/briefs: poll GET /api/briefs/{id} or stream /events."""

    id: str
    status: JobStatus


class BriefRename(BaseModel):
    """PATCH /api/briefs/{id}: a title for the history; empty restores the question."""

    model_config = ConfigDict(extra="forbid")
    title: Text = Field(max_length=200, description="The brief's name in the history.")


class BriefSummary(BaseModel):
    """One entry of the history."""

    id: str
    question: str
    title: Optional[str] = Field(None, description="A name given in the history, else null.")
    status: JobStatus
    created: str
    updated: str
    error: Optional[str] = None
    queue_position: Optional[int] = Field(None, description="1 = next to start; null unless queued.")


class BriefRecord(BriefSummary):
    """A brief job; ``brief`` is the JSON of ``citebrief ask --format json`` once status is done."""

    keep_unsupported: bool = False
    started: Optional[str] = None
    brief: Optional[dict[str, Any]] = None


class Source(BaseModel):
    """A document's metadata: the shape of ``citebrief sources --json``."""

    doc_id: str
    path: Optional[str]
    url: Optional[str]
    title: Optional[str]
    outlet: Optional[str]
    author: Optional[str]
    published: Optional[str]
    duplicate_of: Optional[str]
    source: str


class SourceText(Source):
    """A document with its cleaned text: the shape of ``citebrief show ID --json``."""

    text: str
    language: Optional[str]


class UploadOutcome(BaseModel):
    """What happened to one uploaded file (or one record of an uploaded .jsonl)."""

    name: str = Field(description="The uploaded file name, as given (never used as a path).")
    status: Literal["added", "unchanged", "near-duplicate", "failed"]
    doc_id: Optional[str] = None
    duplicate_of: Optional[str] = None
    reason: Optional[str] = None


class UploadReport(BaseModel):
    """The answer to POST /api/sources."""

    outcomes: list[UploadOutcome]


class SearchResult(BaseModel):
    """The answer to GET /api/search: the shape of ``citebrief search --json``."""

    query: str
    mode: str
    hits: list[dict[str, Any]]


class WebSources(BaseModel):
    """POST /api/sources/web: web pages, feeds or sitemaps to fetch and ingest in the background."""

    model_config = ConfigDict(extra="forbid")
    urls: list[Text] = Field(min_length=1, max_length=20, description="http(s) addresses, at most 20.")
    kind: Literal["page", "feed", "sitemap"] = Field("page", description="What the addresses are.")


class IngestItem(BaseModel):
    """One file, page or feed entry of an ingest job."""

    name: str
    status: Literal["waiting", "reading", "added", "unchanged", "near-duplicate", "failed", "followed"]
    doc_id: Optional[str] = None
    duplicate_of: Optional[str] = None
    reason: Optional[str] = None


class IngestJob(BaseModel):
    """An upload or web addition running in the background, item by item."""

    id: str
    kind: Literal["files", "page", "feed", "sitemap"]
    status: JobStatus
    created: str
    updated: str
    error: Optional[str] = None
    items: list[IngestItem]
