"""The web app of ``citebrief serve``: a REST API (OpenAPI at /openapi.json) and one page.

A thin shell over ``citebrief.api.Corpus``: parse the request, call the corpus, shape the JSON.
Briefs run in ``jobs.BriefJobs`` off the request path; access rules live in ``security``.

    GET  /  and  /briefs/{id}           the page (question box, brief, sources, history)
    POST /api/briefs                    {"question", "keep_unsupported"?} → 202 {"id", "status"}
    GET  /api/briefs                    history, newest first: ?limit=&offset=&q= (X-Total-Count)
    GET  /api/briefs/{id}               status queued|running|done|failed; "brief" when done
    PATCH /api/briefs/{id}              {"title"}: rename in the history
    DELETE /api/briefs/{id}             cancel if unfinished, then forget question and brief
    POST /api/briefs/{id}/cancel        stop a queued or running brief
    GET  /api/briefs/{id}/events        server-sent events: "queue", "stage" and "section" …, then "done"
                                        or "failed"
    GET  /api/briefs/{id}/export        ?format=md|html|json|docx|pdf, as a download
    GET  /api/sources                   documents (the shape of `citebrief sources --json`)
    GET  /api/sources/{doc_id}          one document with its text (`citebrief show ID --json`)
    DELETE /api/sources/{doc_id}        delete it with its passages and vectors (`citebrief rm ID`)
    POST /api/sources                   multipart upload of source files → per-file outcomes
                                        (?background=true → 202, an ingest job)
    POST /api/sources/web               {"urls", "kind": page|feed|sitemap} → 202, an ingest job
    GET  /api/ingests[/{id}]            ingest jobs with progress per file, page or entry
    GET  /api/search                    ?q=&k=&mode= (the shape of `citebrief search --json`)
    GET  /watches/{name}                the page, opened on a watched question (routes: ``watches``)
"""

from __future__ import annotations

import asyncio
import html
import json
import secrets
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import AsyncIterator

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..api import Corpus
from ..brief.writer import BOTTOM_LINE, SUMMARY
from ..jsonshapes import doc_json, hit_json
from ..errors import CitebriefError, UsageError
from ..export import MEDIA_TYPES, OutputFormat
from ..models import DocMeta, SearchMode
from .export import export_response
from .ingests import IngestJobs, WebKind
from .jobs import FINAL, MAX_QUEUED, BriefJobs
from .responses import citebrief_error, invalid_request, public_brief, public_doc
from .schemas import (MAX_QUESTION, BriefCreated, BriefRecord, BriefRename, BriefRequest, BriefSummary, IngestJob,
                      SearchResult, Source, SourceText, UploadReport, WebSources)
from .security import (SESSION_SECONDS, Access, Guard, check_same_origin, check_token, csrf_form, csrf_json,
                       is_loopback, safe_url)
from . import watches
from .uploads import (ALLOWED_SUFFIXES, MAX_FILES, MULTIPART_SLACK, TooLarge, Upload, ingest_saved, limit_body,
                      save_uploads)

HERE = Path(__file__).parent
PAGE = Template((HERE / "templates" / "index.html").read_text(encoding="utf-8"))
KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How ``citebrief serve`` runs; ``max_upload`` is in bytes."""

    db: str
    host: str = "127.0.0.1"
    token: str | None = field(default_factory=lambda: secrets.token_urlsafe(32))  # None: --no-token
    max_upload: int = 20 * 1024 * 1024
    workers: int = 2
    max_queued: int = MAX_QUEUED  # briefs waiting for a worker before POST /api/briefs answers 429
    session_seconds: int = SESSION_SECONDS  # how long a login lasts
    allow_private: bool = False  # web sources at private addresses (an intranet; tests on loopback)

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
    ingests: IngestJobs


def ctx(request: Request) -> Context:
    """The app's shared context."""
    return request.app.state.ctx


router = APIRouter()


def create_app(settings: ServerSettings) -> FastAPI:
    """Open the corpus, load its embedder, fail jobs a killed server left behind, build the app."""
    if settings.token is None and not is_loopback(settings.host):
        raise UsageError(f"Serving on {settings.host} needs an access token: drop --no-token (one is made "
                         "for you), pass --token TOKEN or set CITEBRIEF_TOKEN — or bind to 127.0.0.1")
    if settings.token is not None:
        check_token(settings.token)
    corpus = Corpus(settings.db)
    corpus.embedder()  # load once, before any request, so two first requests cannot load it twice
    jobs = BriefJobs(corpus, workers=settings.workers, max_queued=settings.max_queued)
    jobs.recover()
    from ..web.fetch import FetchOptions

    ingests = IngestJobs(corpus, fetch=FetchOptions(allow_private=settings.allow_private),
                         max_bytes=settings.max_upload)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        ingests.shutdown()
        if jobs.shutdown():
            corpus.close()

    app = FastAPI(title="citebrief", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Balanced, cited research briefs from a body of sources. Every sentence of a "
                              "brief cites the passage that supports it.")
    app.state.ctx = Context(settings, corpus, jobs, Access(settings.token, secrets.token_urlsafe(32),
                                                           settings.session_seconds), ingests)
    app.include_router(router)
    app.include_router(watches.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(CitebriefError, citebrief_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_middleware(Guard, access=app.state.ctx.access)
    return app


# -- the page ---------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/briefs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
@router.get("/watches/{name}", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> HTMLResponse:
    """The one page; under /briefs/ID or /watches/NAME it opens that brief or watch (the script reads the address)."""
    return _page(ctx(request))


def _page(c: Context, share: str = "") -> HTMLResponse:
    """The page; ``share`` ("/share/ID/KEY") makes it a read-only view of one brief, with no CSRF token."""
    values = {"csrf": "" if share else c.access.csrf, "accept": ",".join(ALLOWED_SUFFIXES),
              "types": ", ".join(ALLOWED_SUFFIXES), "version": __version__, "summary_heading": SUMMARY,
              "bottom_heading": BOTTOM_LINE, "max_upload": c.settings.max_upload_mb(), "max_question": MAX_QUESTION,
              "max_upload_bytes": c.settings.max_upload,
              "share": share}
    body = PAGE.substitute({k: html.escape(str(v), quote=True) for k, v in values.items()})
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


# -- read-only share links ----------------------------------------------------------------------------
NO_SHARE = "No such shared brief (the link is wrong, or the brief was deleted or the server's token changed)"


def _shared(request: Request, job_id: str, key: str) -> dict:
    """The finished brief a share link names, or 404 (the same answer for a wrong key and a missing brief)."""
    c = ctx(request)
    record = c.jobs.get(job_id) if c.access.share_ok(job_id, key) else None
    if record is None or record.get("status") != "done" or not record.get("brief"):
        raise HTTPException(404, NO_SHARE)
    return record


@router.get("/api/briefs/{job_id}/share", summary="A read-only link to a finished brief (needs a token)")
def share_link(job_id: str, request: Request) -> dict:
    c = ctx(request)
    record = _record(request, job_id)
    if not c.access.token:
        raise HTTPException(409, "Share links need an access token: restart `citebrief serve` without --no-token")
    if record["status"] != "done":
        raise HTTPException(409, f"Brief {job_id} is {record['status']}; only finished briefs can be shared")
    return {"url": f"/share/{job_id}/{c.access.share_key(job_id)}"}


@router.get("/share/{job_id}/{key}", response_class=HTMLResponse, include_in_schema=False)
def shared_page(job_id: str, key: str, request: Request) -> HTMLResponse:
    _shared(request, job_id, key)
    return _page(ctx(request), share=f"/share/{job_id}/{key}")


@router.get("/share/{job_id}/{key}/brief", include_in_schema=False)
def shared_brief(job_id: str, key: str, request: Request) -> dict:
    record = _shared(request, job_id, key)
    return {"id": job_id, "question": record["question"], "title": record.get("title"), "status": "done",
            "brief": public_brief(record["brief"])}


@router.get("/share/{job_id}/{key}/sources/{doc_id}", include_in_schema=False)
def shared_source(job_id: str, key: str, doc_id: str, request: Request) -> dict:
    record = _shared(request, job_id, key)
    if doc_id not in {s["doc_id"] for s in record["brief"].get("sources", [])}:
        raise HTTPException(404, "This shared brief does not cite that document")
    return get_source(doc_id, request)


# -- briefs -----------------------------------------------------------------------------------------
@router.post("/api/briefs", status_code=202, response_model=BriefCreated, dependencies=[Depends(csrf_json)],
             summary="Ask a question; the brief is written in the background")
def create_brief(body: BriefRequest, request: Request) -> BriefCreated:
    if not body.question.strip():
        raise UsageError("The question is empty")
    record = ctx(request).jobs.submit(body.question.strip(), keep_unsupported=body.keep_unsupported)
    return BriefCreated(id=record["id"], status=record["status"])


@router.get("/api/briefs", response_model=list[BriefSummary], summary="History of briefs, newest first",
            responses={200: {"headers": {"X-Total-Count": {"description": "Briefs matching q in all",
                                                            "schema": {"type": "integer"}}}}})
def list_briefs(request: Request, response: Response, limit: int = Query(100, ge=1, le=1000),
                offset: int = Query(0, ge=0), q: str = Query("", max_length=200)) -> list[dict]:
    page, total = ctx(request).jobs.history(limit, offset=offset, query=q)
    response.headers["X-Total-Count"] = str(total)
    return page


@router.patch("/api/briefs/{job_id}", response_model=BriefSummary, dependencies=[Depends(csrf_json)],
              summary="Rename a brief in the history")
def rename_brief(job_id: str, body: BriefRename, request: Request) -> dict:
    record = ctx(request).jobs.rename(job_id, body.title)
    if record is None:
        raise HTTPException(404, "No such brief (check the link, or it was deleted)")
    return record


@router.delete("/api/briefs/{job_id}", status_code=204, dependencies=[Depends(csrf_json)],
               summary="Delete a brief (a queued or running one is cancelled first)")
def delete_brief(job_id: str, request: Request) -> Response:
    if not ctx(request).jobs.delete(job_id):
        raise HTTPException(404, "No such brief (check the link, or it was deleted)")
    return Response(status_code=204)


@router.post("/api/briefs/{job_id}/cancel", response_model=BriefSummary, dependencies=[Depends(csrf_json)],
             summary="Cancel a queued or running brief (a finished one is left as it is)")
def cancel_brief(job_id: str, request: Request) -> dict:
    record = ctx(request).jobs.cancel(job_id)
    if record is None:
        raise HTTPException(404, "No such brief (check the link, or it was deleted)")
    return {**record, "queue_position": None}


def _record(request: Request, job_id: str) -> dict:
    record = ctx(request).jobs.get(job_id)
    if record is None:
        raise HTTPException(404, "No such brief (check the link, or it was deleted)")
    return {**record, "brief": public_brief(record.get("brief")),
            "queue_position": ctx(request).jobs.queue_position(job_id)}


@router.get("/api/briefs/{job_id}", response_model=BriefRecord, summary="A brief job and, when done, the brief")
def get_brief(job_id: str, request: Request) -> dict:
    return _record(request, job_id)


@router.get("/api/briefs/{job_id}/export",
            summary="Download a finished brief as Markdown, HTML, JSON, Word (docx) or PDF",
            responses={200: {"content": {media.split(";")[0]: {} for media in MEDIA_TYPES.values()}}})
def export_brief(job_id: str, request: Request,
                 format: OutputFormat = Query(OutputFormat.MD)):  # noqa: A002  the API's name
    record = _record(request, job_id)
    if record["status"] != "done" or not record.get("brief"):
        raise HTTPException(409, f"Brief {job_id} is {record['status']}; only finished briefs can be exported")
    return export_response(record["id"], record["brief"], format)


@router.get("/api/briefs/{job_id}/events", summary="Progress as server-sent events",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "`event: queue` with {position} while the brief waits (1 = next), "
                                            "`event: stage` with {stage, detail} for each pipeline step, "
                                            "`event: section` with {index, heading, sentences, sources} for "
                                            "each section once verified (in brief order, shaped as the brief's "
                                            "sections; citation numbers are final; sent only while the brief "
                                            "is being written), then one `event: done` or `event: failed` "
                                            "with {id, status, error}."}})
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
    seq, last_sent, position = start, time.monotonic(), None
    yield "retry: 2000\n\n"
    while not await request.is_disconnected():
        if log is not None and seq == 0 and not log.after(0):  # still waiting for a worker
            now_at = jobs.queue_position(job_id)
            if now_at is not None and now_at != position:
                position, last_sent = now_at, time.monotonic()
                yield _sse("queue", {"position": now_at})
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
    return [public_doc(doc_json(d)) for d in ctx(request).corpus.sources()]


@router.get("/api/sources/{doc_id}", response_model=SourceText, summary="One document with its cleaned text")
def get_source(doc_id: str, request: Request) -> dict:
    doc = ctx(request).corpus.show(doc_id)
    if doc is None:
        raise HTTPException(404, "No such document in the corpus (check the link, or it was deleted)")
    meta = DocMeta(doc.doc_id, doc.source, doc.title, doc.outlet, doc.author, doc.published, doc.url,
                   doc.duplicate_of)
    return {**public_doc(doc_json(meta)), "text": doc.text, "language": doc.language}


@router.delete("/api/sources/{doc_id}", status_code=204, dependencies=[Depends(csrf_json)],
               summary="Delete a document with its passages and vectors (`citebrief rm ID`)")
def delete_source(doc_id: str, request: Request) -> Response:
    store = ctx(request).corpus.store
    delete = getattr(store, "delete_document", None)
    if delete is None:
        raise HTTPException(501, "This corpus' store cannot delete a source (SQLite and PostgreSQL corpora can)")
    if not delete(doc_id):  # the exact id only: a prefix is a convenience of the command line
        raise HTTPException(404, "No such document in the corpus (check the link, or it was deleted)")
    return Response(status_code=204)


UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                   "csrf_token": {"type": "string", "description": "The page's CSRF token (browser use)"}}}}}}


@router.post("/api/sources", response_model=UploadReport, summary="Upload source files and ingest them",
             openapi_extra={"requestBody": UPLOAD_BODY},
             responses={202: {"model": IngestJob, "description": "With ?background=true: the ingest job"},
                        413: {"description": "Over the upload limit (--max-upload); nothing was ingested"}})
async def upload_sources(request: Request, background: bool = Query(
        False, description="Answer 202 with an ingest job at once (GET /api/ingests/{id}) instead of waiting")):
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
            saved = await run_in_threadpool(save_uploads, uploads, max_bytes=c.settings.max_upload)
        except TooLarge as exc:
            raise HTTPException(413, str(exc)) from None
        if background:
            return JSONResponse(c.ingests.submit_files(saved), status_code=202)
        outcomes = await run_in_threadpool(ingest_saved, c.corpus, saved, max_bytes=c.settings.max_upload)
        return {"outcomes": outcomes}
    finally:
        await form.close()


@router.post("/api/sources/web", status_code=202, response_model=IngestJob, dependencies=[Depends(csrf_json)],
             summary="Fetch web pages, feeds or sitemaps and ingest them in the background")
def add_web_sources(body: WebSources, request: Request) -> dict:
    bad = [u for u in body.urls if len(u) > 2000 or safe_url(u) is None]
    if bad:
        raise HTTPException(400, f"{len(bad)} of the addresses are not http(s) URLs; give full addresses "
                                 "such as https://example.org/news/feed.xml")
    return ctx(request).ingests.submit_web([u.strip() for u in body.urls], WebKind(body.kind))


@router.get("/api/ingests", response_model=list[IngestJob], summary="Recent additions of sources, newest first")
def list_ingests(request: Request) -> list[dict]:
    return ctx(request).ingests.recent()


@router.get("/api/ingests/{ingest_id}", response_model=IngestJob, summary="One addition of sources, item by item")
def get_ingest(ingest_id: str, request: Request) -> dict:
    job = ctx(request).ingests.get(ingest_id)
    if job is None:
        raise HTTPException(404, "No such addition (the server keeps the last 50 since it started)")
    return job


@router.get("/api/search", response_model=SearchResult, summary="Search passages (BM25, dense or hybrid)")
def search(request: Request, q: str = Query(..., min_length=1, max_length=2000),
           k: int = Query(10, ge=1, le=100), mode: SearchMode = Query(SearchMode.HYBRID)) -> dict:
    hits = ctx(request).corpus.search(q, mode=mode, k=k)
    return {"query": q, "mode": mode.value, "hits": [public_doc(hit_json(h)) for h in hits]}
