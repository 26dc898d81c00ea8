"""Watched questions and stance timelines in the web app: read-only JSON over ``citebrief.watch``.

A thin shell: the watches and their versions come from ``watch.store``, the change list from
``watch.diff`` (rendered by ``watch.render.changes_json``, the shape of `citebrief watch diff -f json`),
the timeline from ``brief.timeline``. Running a watch stays on the command line (`citebrief watch run`).

    GET /api/watches                     watched questions: name, question, versions, latest_at (`watch list --json`)
    GET /api/watches/{name}              one watch with every version (number, date, counts), oldest first
    GET /api/watches/{name}/diff         ?a=&b= (default: the last two versions) → the cited change list,
                                         with both briefs' source lists so [old n] / [new n] resolve
    GET /api/briefs/{id}/timeline        each actor's dated statements in order (`ask --timeline`);
                                         /share/{id}/{key}/timeline for a share link's page
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, HTTPException, Query, Request

from ..errors import UsageError
from ..brief.timeline import build_timeline, timeline_json
from ..watch.diff import diff_briefs
from ..watch.model import Version
from ..watch.render import HEADINGS, changes_json
from ..watch.store import WatchStore
from .responses import public_doc

router = APIRouter()
NO_WATCH = "No such watched question (add one with `citebrief watch add QUESTION`; `citebrief watch list` lists them)"


def _store(request: Request) -> WatchStore:
    return WatchStore(request.app.state.ctx.corpus.store)


def _public_sources(brief: dict[str, Any]) -> list[dict[str, Any]]:
    """A brief's source list as the API gives sources: only http(s) URLs, uploads by their file name."""
    return [public_doc(s) for s in brief.get("sources") or ()]


@router.get("/api/watches", summary="Watched questions with their number of versions and last run")
def list_watches(request: Request) -> list[dict]:
    store = _store(request)
    counts = store.counts()
    rows = []
    for watch in store.all():
        versions, latest, latest_at = counts.get(watch.name, (0, 0, None))
        rows.append({**watch.to_json(), "versions": versions, "latest_version": latest or None,
                     "latest_at": latest_at})
    return rows


def _watch_or_404(store: WatchStore, name: str):
    watch = store.find(name)
    if watch is None:
        raise HTTPException(404, NO_WATCH)
    return watch


@router.get("/api/watches/{name}", summary="One watched question and every version of its brief")
def get_watch(name: str, request: Request) -> dict:
    store = _store(request)
    watch = _watch_or_404(store, name)
    versions = store.versions(name, limit=1_000_000)
    return {**watch.to_json(), "versions": [_summary(v) for v in versions]}


def _summary(version: Version) -> dict[str, Any]:
    """A version without its brief; ``notes`` are left out (they can name server paths of feeds' runs)."""
    out = version.summary_json()
    out.pop("notes", None)
    return {**out, "generated_at": version.brief.get("generated_at")}


def _version(store: WatchStore, name: str, number: int) -> Version:
    try:
        return store.version(name, number)
    except UsageError as exc:  # the message names the versions there are
        raise HTTPException(404, str(exc)) from None


@router.get("/api/watches/{name}/diff", summary="What changed between two versions, every line cited")
def diff_watch(name: str, request: Request,
               a: Optional[int] = Query(None, ge=1, description="The earlier version (default: the one before b)"),
               b: Optional[int] = Query(None, ge=1, description="The later version (default: the latest)")) -> dict:
    store = _store(request)
    _watch_or_404(store, name)
    latest = store.latest(name, 1)
    if not latest:
        raise HTTPException(409, f"{name!r} has no brief yet — run `citebrief watch run {name}` (twice, to compare)")
    new = _version(store, name, b) if b is not None else latest[0]
    old_number = a if a is not None else new.number - 1
    if old_number < 1:
        raise HTTPException(409, f"{name!r} has only version {new.number} — nothing earlier to compare; "
                                 f"run `citebrief watch run {name}` again")
    if old_number == new.number:
        raise HTTPException(400, "a and b name the same version; choose two different versions")
    old = _version(store, name, old_number)
    out = changes_json(diff_briefs(old.brief, new.brief), old, new)
    # the change list's own source rows are those it cites; the page resolves every [old n] / [new n]
    # against the full lists, as the brief view resolves [n]
    out["sources"] = {"old": [public_doc(s) for s in out["sources"]["old"]],
                      "new": [public_doc(s) for s in out["sources"]["new"]]}
    out["headings"] = {kind.value: heading for kind, heading in HEADINGS.items()}  # in the list's order
    out["briefs"] = {"old": {"question": old.brief.get("question"), "sources": _public_sources(old.brief)},
                     "new": {"question": new.brief.get("question"), "sources": _public_sources(new.brief)}}
    return out


@router.get("/api/briefs/{job_id}/timeline", summary="Each actor's dated statements in order, with citations")
def brief_timeline(job_id: str, request: Request) -> dict:
    return _timeline(job_id, request.app.state.ctx.jobs.get(job_id))


@router.get("/share/{job_id}/{key}/timeline", include_in_schema=False)
def shared_timeline(job_id: str, key: str, request: Request) -> dict:
    """The timeline of a shared brief, for its read-only page (a wrong key is a missing brief)."""
    c = request.app.state.ctx
    return _timeline(job_id, c.jobs.get(job_id) if c.access.share_ok(job_id, key) else None)


def _timeline(job_id: str, record: dict | None) -> dict:
    if record is None:
        raise HTTPException(404, "No such brief (check the link, or it was deleted)")
    if record.get("status") != "done" or not record.get("brief"):
        raise HTTPException(409, f"Brief {job_id} is {record.get('status')}; only finished briefs have a timeline")
    return {"id": job_id, "timeline": timeline_json(build_timeline(record["brief"]))}
