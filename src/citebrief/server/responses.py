"""What the web app sends back: errors as short JSON, documents and briefs without unsafe URLs or server paths."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ..errors import (BusyError, CitebriefError, EmptyCorpusError, FingerprintMismatch, InputError, ModelError,
                      UsageError)
from .schemas import SURROGATE
from .security import safe_url
from .uploads import display_source

STATUS_OF_ERROR = ((UsageError, 400), (InputError, 400), (EmptyCorpusError, 409), (FingerprintMismatch, 409),
                   (ModelError, 503), (BusyError, 429), (CitebriefError, 500))
PLAIN_MESSAGES = {"string_unicode": SURROGATE,
                  "json_invalid": "is not valid JSON"}


async def citebrief_error(request: Request, exc: Exception) -> JSONResponse:
    """A ``CitebriefError`` as JSON with the status its kind maps to; its message says how to fix it."""
    status = next(code for kind, code in STATUS_OF_ERROR if isinstance(exc, kind))
    return JSONResponse({"detail": str(exc)}, status_code=status)


async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """422 that names the field and the rule, never the input (FastAPI's default echoes it whole)."""
    problems = []
    for error in getattr(exc, "errors", lambda: [])()[:5]:
        where = ".".join(part for part in error.get("loc", ())
                         if isinstance(part, str) and part not in ("body", "query", "path"))
        message = PLAIN_MESSAGES.get(error.get("type", ""), error.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else f"the request body {message}")
    return JSONResponse({"detail": "; ".join(problems) or "Invalid request"}, status_code=422)


def public_doc(data: dict) -> dict:
    """A document's JSON as the API gives it: URLs other than http(s) become null; an upload is named by
    its file name ("upload:report.pdf" as source, the name as title when it has none), never its server path."""
    out = {**data, "url": safe_url(data.get("url"))}
    uploaded = display_source(data.get("source") or data.get("path") or "")
    if uploaded is not None:
        out.update(path=None, title=data.get("title") or uploaded.removeprefix("upload:"))
        if "source" in out:
            out["source"] = uploaded
    return out


def public_brief(brief: dict | None) -> dict | None:
    """A stored brief as the API and the exports give it: source URLs other than http(s) become null,
    uploads are named by their file name."""
    if not brief:
        return brief
    return {**brief, "sources": [public_doc(s) for s in brief.get("sources", [])]}
