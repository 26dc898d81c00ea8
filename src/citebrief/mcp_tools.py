"""What the MCP server's tools do, as plain methods over a ``Corpus`` that return JSON-able dicts.

``mcp_server`` wires these to the MCP SDK; keeping them apart lets a library user (or a test) call
them without a protocol. Every result an agent gets carries what it needs to show its evidence:
a brief's sentences with their ``[n]`` citations and, per citation, the exact quoted span; search
hits with their passage text; a check's verdicts with the best quote.

Inputs come from a model that may have read a hostile page, so ``add`` is held to the same guards
as the CLI and more: URLs go through the fetcher's guard (no private or local addresses, robots.txt
respected, no ``--allow-private`` here), and a local path must lie inside one of the roots the
server was started with (default: the folder it was started in), so a prompt cannot ingest
``~/.ssh`` into a searchable corpus. A named path is checked after resolving symlinks; inside an
allowed folder, symlinks are followed as ``citebrief add`` follows them (whoever owns the folder
put them there: no tool writes files) and hidden files are skipped.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .api import Corpus
from .errors import UsageError
from .models import SearchMode

BRIEFS = "briefs"  # the store's record table the web app keeps its briefs in
MAX_K = 50
MAX_SHOW_CHARS = 200_000
BRIEF_URI = "citebrief://briefs/{brief_id}"


def brief_uri(brief_id: str) -> str:
    """The MCP resource URI of a stored brief."""
    return BRIEF_URI.format(brief_id=brief_id)


def _source_json(source: dict[str, Any]) -> dict[str, Any]:
    return {"n": source["n"], "doc_id": source.get("doc_id"), "title": source.get("title"),
            "outlet": source.get("outlet"), "published": source.get("published"), "url": source.get("url"),
            "path": source.get("path"), "quotes": [q["quote"] for q in source.get("passages", [])]}


def _quotes_by_number(data: dict[str, Any]) -> dict[int, list[str]]:
    return {int(s["n"]): [q["quote"] for q in s.get("passages", [])] for s in data["sources"]}


def brief_result(brief_id: str, data: dict[str, Any], markdown: str) -> dict[str, Any]:
    """A stored brief as a tool result: the Markdown, then every sentence with its citations and quotes."""
    quotes = _quotes_by_number(data)
    sentences = []
    for section in data["sections"]:
        for s in section["sentences"]:
            spans = s.get("evidence") or [{"n": n, "quote": q} for n in s["citations"] for q in quotes.get(n, [])[:1]]
            sentences.append({"section": section["heading"], "text": s["text"], "citations": s["citations"],
                              "quotes": [{"n": e["n"], "quote": e["quote"]} for e in spans]})
    actors = [{"name": a["name"], "position": a["position"], "since": a.get("since"),
               "citations": a.get("position_citations") or a.get("citations", [])} for a in data["actors"]]
    return {"brief_id": brief_id, "uri": brief_uri(brief_id), "question": data["question"],
            "enough_evidence": data["enough_evidence"], "markdown": markdown, "sentences": sentences,
            "actors": actors, "disputes": data["disputes"], "limits": data["limits"],
            "sources": [_source_json(s) for s in data["sources"]]}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass
class CorpusTools:
    """The tools of ``citebrief mcp`` over one corpus; one call runs at a time."""

    corpus: Corpus
    roots: tuple[Path, ...] = ()  # folders ``add`` may read; empty: the working directory

    def __post_init__(self) -> None:
        self.roots = tuple(Path(r).resolve() for r in (self.roots or (Path.cwd(),)))
        self._lock = threading.Lock()

    # -- reading --------------------------------------------------------------------------------
    def search(self, query: str, k: int = 8, mode: str = "hybrid") -> dict[str, Any]:
        """The top ``k`` passages for ``query``, each with its document and text."""
        if not query.strip():
            raise UsageError("The query is empty — pass the words to search for")
        try:
            chosen = SearchMode(mode)
        except ValueError:
            raise UsageError(f"mode must be one of {', '.join(m.value for m in SearchMode)}; got {mode!r}") from None
        with self._lock:
            hits = self.corpus.search(query, mode=chosen, k=max(1, min(int(k), MAX_K)))
        return {"query": query, "hits": [
            {"rank": i, "score": round(h.score, 4), "doc_id": h.doc.doc_id, "title": h.doc.title,
             "outlet": h.doc.outlet, "published": h.doc.published, "url": h.doc.url, "source": h.doc.source,
             "passage_id": h.passage.passage_id, "start": h.passage.start, "end": h.passage.end,
             "text": h.passage.text} for i, h in enumerate(hits, 1)]}

    def sources(self) -> dict[str, Any]:
        """Every document in the corpus: id, title, outlet, date, URL or path."""
        with self._lock:
            docs = self.corpus.sources()
        return {"documents": [{"doc_id": d.doc_id, "title": d.title, "outlet": d.outlet, "published": d.published,
                               "url": d.url, "source": d.source, "duplicate_of": d.duplicate_of} for d in docs]}

    def show(self, doc_id: str, start: int = 0, max_chars: int = 20_000) -> dict[str, Any]:
        """A document's cleaned text from offset ``start`` (offsets are those of citations and hits)."""
        with self._lock:
            doc = self.corpus.show(doc_id)
        if doc is None:
            raise UsageError(f"No document {doc_id!r} in the corpus — list them with the sources tool")
        start = max(0, int(start))
        end = min(len(doc.text), start + max(1, min(int(max_chars), MAX_SHOW_CHARS)))
        return {"doc_id": doc.doc_id, "title": doc.title, "outlet": doc.outlet, "published": doc.published,
                "url": doc.url, "source": doc.source, "start": start, "end": end, "length": len(doc.text),
                "text": doc.text[start:end]}

    # -- briefs ---------------------------------------------------------------------------------
    def ask(self, question: str, keep_unsupported: bool = False, *,
            progress: Callable[[str, str], None] | None = None) -> dict[str, Any]:
        """Write a verified brief, keep it in the corpus (as the web app does), return it with its evidence."""
        from .brief.render import to_markdown

        with self._lock:
            brief = self.corpus.ask(question, keep_unsupported=keep_unsupported, progress=progress)
            stamp = _now()
            record = {"id": secrets.token_hex(8), "question": question, "keep_unsupported": keep_unsupported,
                      "status": "done", "created": stamp, "started": stamp, "updated": stamp,
                      "brief": brief.to_json(), "error": None, "origin": "mcp"}
            self.corpus.store.save_record(BRIEFS, record["id"], record)
        return brief_result(record["id"], record["brief"], to_markdown(brief))

    def stored_briefs(self, limit: int = 100) -> list[dict[str, Any]]:
        """Finished briefs kept in the corpus, newest first: id, question, created."""
        with self._lock:
            records = self.corpus.store.list_records(BRIEFS, 10**6)
        done = [r for r in records if r.get("status") == "done" and r.get("brief")]
        done.sort(key=lambda r: r.get("created", ""), reverse=True)
        return [{"brief_id": r["id"], "question": r["question"], "created": r.get("created"),
                 "uri": brief_uri(r["id"])} for r in done[:limit]]

    def stored_brief(self, brief_id: str) -> dict[str, Any]:
        """A stored brief's JSON (``citebrief ask --format json``)."""
        with self._lock:
            record = self.corpus.store.load_record(BRIEFS, brief_id)
        if not record or record.get("status") != "done" or not record.get("brief"):
            raise UsageError(f"No finished brief {brief_id!r} in the corpus — list them with resources/list "
                             "or write one with the ask tool")
        return record["brief"]

    def check(self, report: str) -> dict[str, Any]:
        """Audit a report's inline [n] citations against the corpus documents its source list names."""
        from .checkreport import check_report, find_markers, result_json
        from .embed import get_embedder
        from .verify import get_checker

        if not find_markers(report):
            raise UsageError("The report has no [n] citation markers; check audits text that cites its "
                             "sources inline as [1], [2] … with a numbered source list")
        with self._lock:
            embedder = self.corpus.embedder() or get_embedder("minilm")
            result = check_report(report, name="report", store=self.corpus.store,
                                  checker=get_checker("rules", embedder=embedder))
        return result_json(result)

    # -- writing --------------------------------------------------------------------------------
    def _inside_roots(self, raw: str) -> Path:
        path = Path(raw).expanduser()
        path = (path if path.is_absolute() else self.roots[0] / path).resolve()
        if not any(path == root or root in path.parents for root in self.roots):
            raise UsageError(f"{raw} is outside the folders this server may read "
                             f"({', '.join(str(r) for r in self.roots)}) — start `citebrief mcp` with "
                             "--root FOLDER to allow another folder")
        return path

    def add(self, inputs: list[str]) -> dict[str, Any]:
        """Ingest files, folders (inside the allowed roots) and http(s) URLs (through the URL guard)."""
        from .web.fetch import FetchOptions

        if not inputs:
            raise UsageError("Nothing to add — pass file paths, folders or http(s) URLs")
        targets: list[str | Path] = []
        for item in inputs:
            if "://" in item and not item.lower().startswith(("http://", "https://")):
                raise UsageError(f"{item[:80]} is not an http(s) URL — only http and https are fetched")
            targets.append(item if "://" in item else self._inside_roots(item))
        with self._lock:
            report = self.corpus.add(targets, fetch=FetchOptions())
        return {"outcomes": [{"source": o.source, "status": o.status, "doc_id": o.doc_id, "reason": o.reason,
                              "duplicate_of": o.duplicate_of} for o in report.outcomes],
                "added": sum(o.status == "added" for o in report.outcomes),
                "failed": sum(o.status == "failed" for o in report.outcomes)}
