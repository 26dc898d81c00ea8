"""Stored brief JSON → ``Brief`` → a download in any output format (Markdown, HTML, JSON, Word, PDF)."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from ..brief.model import Brief, CheckedSentence, CitedSpan
from ..export import MEDIA_TYPES, OutputFormat, export

# The exported page carries its own inline <style> and no script; sandbox it when opened from here.
EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
_KNOWN = ("question", "generated_at", "enough_evidence", "sections", "actors", "disputes", "limits",
          "sources", "metrics")


def brief_from_json(data: dict[str, Any]) -> Brief:
    """Rebuild a ``Brief`` from ``Brief.to_json()`` output (scores come back rounded to 4 places)."""
    sections = tuple((s["heading"], tuple(_sentence(x) for x in s["sentences"])) for s in data["sections"])
    return Brief(question=data["question"], generated_at=data["generated_at"], sections=sections,
                 actors=tuple(data["actors"]), disputes=tuple(data["disputes"]), limits=tuple(data["limits"]),
                 sources=tuple(data["sources"]), metrics=dict(data["metrics"]),
                 enough_evidence=bool(data["enough_evidence"]),
                 extra={k: v for k, v in data.items() if k not in _KNOWN})


def _sentence(data: dict[str, Any]) -> CheckedSentence:
    """One stored sentence; briefs stored before spans were recorded have no "evidence"."""
    spans = tuple(CitedSpan(int(e["n"]), str(e["passage_id"]), int(e["start"]), int(e["end"]), str(e["quote"]))
                  for e in data.get("evidence") or ())
    return CheckedSentence(data["text"], tuple(data["citations"]), data["verdict"], float(data["score"]), spans)


def export_response(job_id: str, brief_json: dict[str, Any], fmt: OutputFormat) -> Response:
    """The brief as a download named ``brief-<id>.<md|html|json|docx|pdf>`` (Word and PDF built by
    ``citebrief.export``, as ``citebrief ask --out`` writes them)."""
    body = export(brief_from_json(brief_json), fmt)
    headers = {"Content-Disposition": f'attachment; filename="brief-{job_id}.{fmt.value}"'}
    if fmt == OutputFormat.HTML:
        headers["Content-Security-Policy"] = EXPORT_CSP
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)
