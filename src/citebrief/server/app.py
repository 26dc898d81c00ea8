"""The web app of ``citebrief serve``: a REST API (OpenAPI at /openapi.json) and one page.

A thin shell over ``citebrief.api.Corpus``: parse the request, call the corpus, shape the JSON.
Briefs run in ``jobs.BriefJobs`` off the request path; access rules live in ``security``.

    GET  /                              the page (question box, brief, sources, history)
    POST /api/briefs                    {"question", "keep_unsupported"?} → 202 {"id", "status"}
    GET  /api/briefs                    history, newest first
    GET  /api/briefs/{id}               status queued|running|done|failed; "brief" when done
    GET  /api/briefs/{id}/events        server-sent events: "stage" …, then "done" or "failed"
    GET  /api/briefs/{id}/export        ?format=md|html|json, as a download
    GET  /api/sources                   documents (the shape of `citebrief sources --json`)
    GET  /api/sources/{doc_id}          one document with its text (`citebrief show ID --json`)
    POST /api/sources                   multipart upload of source files → per-file outcomes
    GET  /api/search                    ?q=&k=&mode= (the shape of `citebrief search --json`)
"""

from __future__ import annotations

import asyncio
import html
import json
import secrets
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import AsyncIterator

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..api import Corpus
from ..brief.render import Format
from ..brief.writer import BOTTOM_LINE, SUMMARY
from ..jsonshapes import doc_json, hit_json
from ..errors import (BusyError, CitebriefError, EmptyCorpusError, FingerprintMismatch, InputError, ModelError,
                      UsageError)
from ..models import DocMeta, SearchMode
from .export import export_response
from .jobs import FINAL, MAX_QUEUED, BriefJobs
from .schemas import (BriefCreated, BriefRecord, BriefRequest, BriefSummary, SearchResult, Source,
                      SourceText, UploadReport)
from .security import Access, Guard, check_same_origin, csrf_form, csrf_json, is_loopback
from .uploads import ALLOWED_SUFFIXES, MAX_FILES, MULTIPART_SLACK, TooLarge, Upload, ingest_uploads, limit_body

HERE = Path(__file__).parent
PAGE = Template((HERE / "templates" / "index.html").read_text(encoding="utf-8"))
STATUS_OF_ERROR = ((UsageError, 400), (InputError, 400), (EmptyCorpusError, 409), (FingerprintMismatch, 409),
                   (ModelError, 503), (BusyError, 429), (CitebriefError, 500))
KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How ``citebrief serve`` runs; ``max_upload`` is in bytes."""

    db: str
    host: str = "127.0.0.1"
    token: str | None = None
    max_upload: int = 20 * 1024 * 1024
    workers: int = 2
    max_queued: int = MAX_QUEUED  # briefs waiting for a worker before POST /api/briefs answers 429

    def max_upload_mb(self) -> str:
        """The upload limit for messages ("20 MB")."""
        return f"{self.max_upload / 1024 / 1024:g} MB"


@dataclass(frozen=True, slots=True)
class Context:
    """What the routes share: one corpus (one store connection, one embedder) and the job pool."""

    settings: ServerSettings
    corpus: Corpus
    jobs: BriefJobs
    access: Access


def ctx(request: Request) -> Context:
    """The app's shared context."""
    return request.app.state.ctx


router = APIRouter()


def create_app(settings: ServerSettings) -> FastAPI:
    """Open the corpus, load its embedder, fail jobs a killed server left behind, build the app."""
    if not settings.token and not is_loopback(settings.host):
        raise UsageError(f"Serving on {settings.host} needs an access token: pass --token TOKEN or set "
                         "CITEBRIEF_TOKEN (or bind to 127.0.0.1)")
    corpus = Corpus(settings.db)
    corpus.embedder()  # load once, before any request, so two first requests cannot load it twice
    jobs = BriefJobs(corpus, workers=settings.workers, max_queued=settings.max_queued)
    jobs.recover()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if jobs.shutdown():
            corpus.close()

    app = FastAPI(title="citebrief", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Balanced, cited research briefs from a body of sources. Every sentence of a "
                              "brief cites the passage that supports it.")
    app.state.ctx = Context(settings, corpus, jobs, Access(settings.token, secrets.token_urlsafe(32)))
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(CitebriefError, _citebrief_error)
    app.add_middleware(Guard, access=app.state.ctx.access)
    return app


async def _citebrief_error(request: Request, exc: Exception) -> JSONResponse:
    status = next(code for kind, code in STATUS_OF_ERROR if isinstance(exc, kind))
    return JSONResponse({"detail": str(exc)}, status_code=status)


# -- the page ---------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> HTMLResponse:
    c = ctx(request)
    values = {"csrf": c.access.csrf, "accept": ",".join(ALLOWED_SUFFIXES), "types": ", ".join(ALLOWED_SUFFIXES),
              "version": __version__, "summary_heading": SUMMARY, "bottom_heading": BOTTOM_LINE,
              "max_upload": c.settings.max_upload_mb()}
    body = PAGE.substitute({k: html.escape(str(v), quote=True) for k, v in values.items()})
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


# -- briefs -----------------------------------------------------------------------------------------
@router.post("/api/briefs", status_code=202, response_model=BriefCreated, dependencies=[Depends(csrf_json)],
             summary="Ask a question; the brief is written in the background")
def create_brief(body: BriefRequest, request: Request) -> BriefCreated:
    if not body.question.strip():
        raise UsageError("The question is empty")
    record = ctx(request).jobs.submit(body.question.strip(), keep_unsupported=body.keep_unsupported)
    return BriefCreated(id=record["id"], status=record["status"])


@router.get("/api/briefs", response_model=list[BriefSummary], summary="History of briefs, newest first")
def list_briefs(request: Request, limit: int = Query(100, ge=1, le=1000)) -> list[dict]:
    return ctx(request).jobs.history(limit)


def _record(request: Request, job_id: str) -> dict:
    record = ctx(request).jobs.get(job_id)
    if record is None:
        raise HTTPException(404, f"No brief {job_id!r}")
    return record


@router.get("/api/briefs/{job_id}", response_model=BriefRecord, summary="A brief job and, when done, the brief")
def get_brief(job_id: str, request: Request) -> dict:
    return _record(request, job_id)


@router.get("/api/briefs/{job_id}/export", summary="Download a finished brief as Markdown, HTML or JSON",
            responses={200: {"content": {"text/markdown": {}, "text/html": {}, "application/json": {}}}})
def export_brief(job_id: str, request: Request, format: Format = Query(Format.MD)):  # noqa: A002  the API's name
    record = _record(request, job_id)
    if record["status"] != "done" or not record.get("brief"):
        raise HTTPException(409, f"Brief {job_id} is {record['status']}; only finished briefs can be exported")
    return export_response(record["id"], record["brief"], format)


@router.get("/api/briefs/{job_id}/events", summary="Progress as server-sent events",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "`event: stage` with {stage, detail} for each pipeline step, then "
                                            "one `event: done` or `event: failed` with {id, status, error}."}})
async def brief_events(job_id: str, request: Request) -> StreamingResponse:
    _record(request, job_id)
    after = request.headers.get("last-event-id", "0")
    start = int(after) if after.isdigit() else 0
    return StreamingResponse(_event_stream(request, job_id, start), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _sse(kind: str, data: dict, seq: int | None = None) -> str:
    head = f"id: {seq}\n" if seq is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _event_stream(request: Request, job_id: str, start: int) -> AsyncIterator[str]:
    jobs = ctx(request).jobs
    log = jobs.events(job_id)
    seq, last_sent = start, time.monotonic()
    yield "retry: 2000\n\n"
    while not await request.is_disconnected():
        if log is None:  # submitted before a restart (or its log was evicted): only the end is known
            record = await run_in_threadpool(jobs.get, job_id)
            if record and record["status"] in FINAL:
                yield _sse(record["status"], {"id": job_id, "status": record["status"], "error": record["error"]})
                return
        else:
            for event in log.after(seq):
                seq = event.seq
                last_sent = time.monotonic()
                yield _sse(event.kind, event.data, event.seq)
                if event.kind in FINAL:
                    return
        if time.monotonic() - last_sent > KEEPALIVE_SECONDS:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        await asyncio.sleep(0.2 if log is not None else 1.0)


# -- sources and search -------------------------------------------------------------------------------
@router.get("/api/sources", response_model=list[Source], summary="Documents in the corpus")
def list_sources(request: Request) -> list[dict]:
    return [doc_json(d) for d in ctx(request).corpus.sources()]


@router.get("/api/sources/{doc_id}", response_model=SourceText, summary="One document with its cleaned text")
def get_source(doc_id: str, request: Request) -> dict:
    doc = ctx(request).corpus.show(doc_id)
    if doc is None:
        raise HTTPException(404, f"No document {doc_id!r} in the corpus")
    meta = DocMeta(doc.doc_id, doc.source, doc.title, doc.outlet, doc.author, doc.published, doc.url,
                   doc.duplicate_of)
    return {**doc_json(meta), "text": doc.text, "language": doc.language}


UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                   "csrf_token": {"type": "string", "description": "The page's CSRF token (browser use)"}}}}}}


@router.post("/api/sources", response_model=UploadReport, summary="Upload source files and ingest them",
             openapi_extra={"requestBody": UPLOAD_BODY},
             responses={413: {"description": "Over the upload limit (--max-upload); nothing was ingested"}})
async def upload_sources(request: Request) -> dict:
    c = ctx(request)
    limit = c.settings.max_upload + MULTIPART_SLACK
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"Upload is over the {c.settings.max_upload_mb()} limit")
    check_same_origin(request)  # before reading the body; the CSRF token is checked after
    try:
        form = await Request(request.scope, limit_body(request.receive, limit)).form(max_files=MAX_FILES,
                                                                                     max_fields=10)
    except TooLarge:
        raise HTTPException(413, f"Upload is over the {c.settings.max_upload_mb()} limit") from None
    try:
        token = form.get("csrf_token")
        csrf_form(request, c.access, token if isinstance(token, str) else None)
        files = [f for f in form.getlist("files") if not isinstance(f, str)]
        if not files:
            raise HTTPException(400, "No files: send them as multipart form field 'files'")
        uploads = [Upload((f.filename or "unnamed")[:255], f.file, f.size) for f in files]
        try:
            outcomes = await run_in_threadpool(ingest_uploads, c.corpus, uploads, max_bytes=c.settings.max_upload)
        except TooLarge as exc:
            raise HTTPException(413, str(exc)) from None
        return {"outcomes": outcomes}
    finally:
        await form.close()


@router.get("/api/search", response_model=SearchResult, summary="Search passages (BM25, dense or hybrid)")
def search(request: Request, q: str = Query(..., min_length=1, max_length=2000),
           k: int = Query(10, ge=1, le=100), mode: SearchMode = Query(SearchMode.HYBRID)) -> dict:
    hits = ctx(request).corpus.search(q, mode=mode, k=k)
    return {"query": q, "mode": mode.value, "hits": [hit_json(h) for h in hits]}
