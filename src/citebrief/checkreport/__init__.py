"""Audit an existing report's inline [n] citations against the corpus (``citebrief check``).

    from citebrief.checkreport import check_report, result_json
    result = check_report(text, name="report.md", store=corpus.store,
                          checker=get_checker("rules", embedder=corpus.embedder()))
    result.recall, result.counts()["unsupported"], result.unmatched

Modules: ``citations`` (find, read and strip [n] markers), ``report`` (sentences and source list),
``sources`` (entries → documents by URL then title; ``--sources`` files), ``audit`` (the check and
ALCE figures; the only module that reads the store), ``render`` (the ``--json`` contract).
"""

from __future__ import annotations

from .audit import CheckResult, Outcome, SentenceCheck, audit, check_report, document_passages
from .citations import Marker, cited_numbers, find_markers, strip_markers
from .render import result_json
from .report import ParsedReport, ReportSentence, SourceEntry, parse_report
from .sources import MatchedBy, SourceMatch, match_sources, parse_mapping

__all__ = [
    "CheckResult", "Marker", "MatchedBy", "Outcome", "ParsedReport", "ReportSentence", "SentenceCheck",
    "SourceEntry", "SourceMatch", "audit", "check_report", "cited_numbers", "document_passages",
    "find_markers", "match_sources", "parse_mapping", "parse_report", "result_json", "strip_markers",
]
