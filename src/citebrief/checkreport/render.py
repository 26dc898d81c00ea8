"""The ``citebrief check --json`` document (a contract: extend, do not rename) and its summary (pure).

    {"report": "report.md",
     "sentences": [{"text", "citations", "verdict", "score", "quote", "doc_ids", …}],
     "summary": {"citation_recall", "citation_precision", "sentences", "supported", "partial",
                 "unsupported", "contradicted", "uncertain", "unresolved"},
     "checker": {"checker", "checker_description", "checker_figures", "checker_figures_doc"},
     "unmatched_sources": [{"n", "text", "url", "title", "reason"}],
     "unresolved_citations": [n, …],
     "sources": [{"n", "doc_id", "matched_by", "url", "title"}]}
"""

from __future__ import annotations

from .audit import CheckResult, SentenceCheck
from .sources import SourceMatch


def sentence_json(row: SentenceCheck) -> dict:
    """One audited sentence; ``unresolved`` and ``quote_source`` extend the contract's fields."""
    return {"text": row.text, "citations": list(row.citations), "verdict": row.verdict.value,
            "score": None if row.score is None else round(row.score, 4), "quote": row.quote,
            "doc_ids": list(row.doc_ids), "unresolved": list(row.unresolved),
            "quote_source": row.quote_source}


def summary_json(result: CheckResult) -> dict:
    """ALCE citation recall and precision, and the number of sentences per verdict."""
    return {"citation_recall": round(result.recall, 4), "citation_precision": round(result.precision, 4),
            "sentences": len(result.sentences), **result.counts()}


def unmatched_json(result: CheckResult) -> list[dict]:
    """Source entries no document matched, then cited numbers that have no entry at all."""
    rows = [{"n": m.entry.number, "text": m.entry.text, "url": m.entry.url, "title": m.entry.title,
             "reason": m.reason} for m in result.unmatched]
    hint = ("the source list has no entry with this number" if result.has_source_list
            else "the report has no source list and --sources does not map this number")
    rows += [{"n": n, "text": None, "url": None, "title": None, "reason": hint} for n in result.missing]
    return sorted(rows, key=lambda r: r["n"])


def _source_json(match: SourceMatch) -> dict:
    return {"n": match.entry.number, "doc_id": match.doc_id, "matched_by": match.matched_by.value,
            "url": match.entry.url, "title": match.entry.title}


def result_json(result: CheckResult) -> dict:
    """The whole ``--json`` document."""
    return {"report": result.report, "sentences": [sentence_json(s) for s in result.sentences],
            "summary": summary_json(result), "unmatched_sources": unmatched_json(result),
            "unresolved_citations": list(result.unresolved_citations),
            "sources": [_source_json(m) for m in result.sources], "checker": dict(result.checker)}
