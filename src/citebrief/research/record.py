"""The record of a research run: what was asked, found, fetched and missed; stored in table "runs".

``RunRecord.to_json`` is the shape ``citebrief runs show ID --json`` prints (extend, never rename):

    {"run_id", "question", "started", "finished", "status", "providers", "settings",
     "queries":  [{"text", "facet", "round", "provider", "results", "error"}],
     "results":  [{"query", "facet", "round", "provider", "url", "title", "published", "verdict"}],
     "fetches":  [{"url", "status", "doc_id", "reason", "fetched", "query", "provider", "round"}],
     "facets":   [{"key", "heading", "round", "relevant"}],
     "failures": [{"stage", "source", "message"}],
     "stops", "timings", "brief", "error"}

``research_limits`` turns a record into the lines a brief's limits gain: facets still without
evidence, pages that failed to fetch and why, providers that failed, budgets that ran out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..store.base import Store

TABLE = "runs"
MAX_FAILED_PAGES = 5  # pages listed one per limit line; the rest are counted (all are in the record)


@dataclass(frozen=True, slots=True)
class QueryLog:
    """One query sent to one provider."""

    text: str
    facet: str
    round: int
    provider: str
    results: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ResultLog:
    """One search result and what the run did with it (``select.Verdict``)."""

    query: str
    facet: str
    round: int
    provider: str
    url: str
    title: str
    published: str | None
    verdict: str


@dataclass(frozen=True, slots=True)
class FetchLog:
    """One URL sent to ingest: its outcome (added, unchanged, near-duplicate, failed)."""

    url: str
    status: str
    doc_id: str | None
    reason: str | None
    fetched: bool  # False when the corpus already held it
    query: str
    provider: str
    round: int


@dataclass(frozen=True, slots=True)
class FacetLog:
    """How many relevant passages a facet had after a round."""

    key: str
    heading: str
    round: int
    relevant: int


@dataclass(frozen=True, slots=True)
class Failure:
    """A provider that failed on a query, or a budget that stopped the run."""

    stage: str  # "search" | "budget" | "max-sources"
    source: str  # provider name, or what was cut short
    message: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    """Everything one research run did, as stored."""

    run_id: str
    question: str
    started: str
    finished: str | None = None
    status: str = "running"  # running | searched (no brief yet) | done | failed | interrupted
    providers: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    queries: tuple[QueryLog, ...] = ()
    results: tuple[ResultLog, ...] = ()
    fetches: tuple[FetchLog, ...] = ()
    facets: tuple[FacetLog, ...] = ()
    failures: tuple[Failure, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)  # seconds: search, fetch, embed, assess, write
    brief: dict[str, Any] = field(default_factory=dict)  # generated_at, sources, enough_evidence
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The stored and printed shape (see the module docstring)."""
        data = asdict(self)
        data["providers"] = list(self.providers)
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> "RunRecord":
        """Read a stored record; unknown keys (from a newer citebrief) are ignored."""
        rows = {"queries": QueryLog, "results": ResultLog, "fetches": FetchLog, "facets": FacetLog,
                "failures": Failure}
        known = {f.name for f in fields(RunRecord)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key in rows:
                names = {f.name for f in fields(rows[key])}
                value = tuple(rows[key](**{k: v for k, v in row.items() if k in names}) for row in value)
            elif key == "providers":
                value = tuple(value)
            values[key] = value
        return RunRecord(**values)

    @property
    def rounds(self) -> int:
        """How many rounds sent queries."""
        return max((q.round for q in self.queries), default=0)

    def final_facets(self) -> tuple[FacetLog, ...]:
        """Each facet's count after the last round that assessed it."""
        last: dict[str, FacetLog] = {}
        for log in self.facets:
            last[log.key] = log
        return tuple(last.values())


# -- the store ------------------------------------------------------------------------------------

def save_run(store: Store, record: RunRecord) -> None:
    """Insert or update the run in table "runs"."""
    store.save_record(TABLE, record.run_id, record.to_json())


def load_run(store: Store, run_id: str) -> RunRecord | None:
    """The run with id ``run_id`` or the one whose id starts with it (unique prefix), else None."""
    data = store.load_record(TABLE, run_id)
    if data is None and len(run_id) >= 4:
        matches = [r for r in store.list_records(TABLE, 10**6) if str(r.get("run_id", "")).startswith(run_id)]
        data = matches[0] if len(matches) == 1 else None
    return RunRecord.from_json(data) if data is not None else None


def list_runs(store: Store, limit: int = 100) -> list[RunRecord]:
    """The latest runs first."""
    return [RunRecord.from_json(r) for r in store.list_records(TABLE, limit)]


# -- what the brief's limits gain -----------------------------------------------------------------

def _quoted(texts: list[str]) -> str:
    return ", ".join(f"“{t}”" for t in texts)


def thin_facet_limits(record: RunRecord, min_passages: int) -> list[str]:
    """A line for every facet that ended with fewer than ``min_passages`` relevant passages."""
    out = []
    for facet in record.final_facets():
        if facet.relevant >= min_passages:
            continue
        tried = list(dict.fromkeys(q.text for q in record.queries if q.facet == facet.key))
        rounds = record.rounds
        out.append(f"The web search found little on “{facet.heading}”: {facet.relevant} relevant "
                   f"passage(s) after {rounds} round{'s' if rounds != 1 else ''} of searching"
                   + (f" (queries: {_quoted(tried)})." if tried else "."))
    return out


def fetch_failure_limits(record: RunRecord) -> list[str]:
    """A line per page that could not be fetched (the first few), then how many more."""
    failed = [f for f in record.fetches if f.status == "failed"]
    out = [f"A page the search found could not be used: {f.reason or f.url}"
           for f in failed[:MAX_FAILED_PAGES]]
    if len(failed) > MAX_FAILED_PAGES:
        out.append(f"{len(failed) - MAX_FAILED_PAGES} more page(s) could not be used; "
                   f"`citebrief runs show {record.run_id}` lists them all.")
    return out


def research_limits(record: RunRecord, *, min_passages: int) -> tuple[str, ...]:
    """What the web search could not find or fetch, as lines for the brief's limits."""
    lines = thin_facet_limits(record, min_passages) + fetch_failure_limits(record)
    seen: set[str] = set()
    for failure in record.failures:
        text = (f"Search provider {failure.source} failed: {failure.message}"
                if failure.stage == "search" else failure.message)
        if text not in seen:
            seen.add(text)
            lines.append(text)
    return tuple(lines)


# -- text for `citebrief runs show` -----------------------------------------------------------------

def _header(record: RunRecord) -> list[str]:
    s = record.settings
    when = record.started[:19].replace("T", " ")
    if record.finished:
        when += f" → {record.finished[11:19]}"
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in record.timings.items()) or "—"
    lines = [f"run {record.run_id} — {record.status} — {when}", f"question: {record.question}",
             f"providers: {', '.join(record.providers) or '—'}; rounds {s.get('rounds')}, max sources "
             f"{s.get('max_sources')}, budget {s.get('budget')} s, per domain {s.get('per_domain')}",
             f"timings: {timings}"]
    if record.brief:
        enough = "" if record.brief.get("enough_evidence", True) else ", not enough evidence"
        lines.append(f"brief: {record.brief.get('sources', 0)} source(s) cited{enough}")
    if record.error:
        lines.append(f"error: {record.error}")
    return lines


def describe_run(record: RunRecord) -> str:
    """A run as text: header, queries, result verdicts, fetches, facets and failures."""
    out = _header(record) + ["", "queries (round, facet, provider, results):"]
    for q in record.queries:
        tail = f"  error: {q.error}" if q.error else ""
        out.append(f"  {q.round}  {q.facet:<13} {q.provider:<10} {q.results:>3}  {q.text}{tail}")
    verdicts: dict[str, int] = {}
    for r in record.results:
        verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
    out += ["", f"results: {len(record.results)} ("
            + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())) + ")", "", "fetches:"]
    for f in record.fetches:
        what = f.reason if f.status in ("failed", "skipped") else f"doc {(f.doc_id or '')[:12]}  {f.url}"
        out.append(f"  {f.status:<14} {what}")
    out += ["", "facets (relevant passages after each round):"]
    by_key: dict[str, list[FacetLog]] = {}
    for log in record.facets:
        by_key.setdefault(log.key, []).append(log)
    for key, logs in by_key.items():
        out.append(f"  {key:<13} {' → '.join(str(x.relevant) for x in logs)}  {logs[0].heading}")
    if record.failures:
        out += ["", "failures:"] + [f"  {f.stage:<11} {f.source}: {f.message}" for f in record.failures]
    return "\n".join(out)
