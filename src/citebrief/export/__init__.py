"""Briefs as files to hand on: every output format, text (Markdown, HTML, JSON) and binary (Word, PDF).

    from citebrief.export import OutputFormat, export
    data = export(brief, OutputFormat.DOCX)      # bytes of a .docx; str formats come back encoded

The text formats are ``brief.render``'s; Word (``export.docx``) and PDF (``export.pdf``) are built
from the same block plan (``export.layout``), so they number sections and cite sources alike.
"""

from __future__ import annotations

from enum import Enum
from typing import Callable

from ..brief.model import Brief
from ..brief.render import Format, render


class OutputFormat(str, Enum):
    """Every format a brief can be written in."""

    MD = "md"
    HTML = "html"
    JSON = "json"
    DOCX = "docx"
    PDF = "pdf"

    @property
    def binary(self) -> bool:
        """True for the formats that are not text (a terminal cannot show them)."""
        return self in (OutputFormat.DOCX, OutputFormat.PDF)


MEDIA_TYPES = {
    OutputFormat.MD: "text/markdown; charset=utf-8",
    OutputFormat.HTML: "text/html; charset=utf-8",
    OutputFormat.JSON: "application/json",
    OutputFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    OutputFormat.PDF: "application/pdf",
}


def _docx(brief: Brief) -> bytes:
    from .docx import to_docx  # python-docx and fpdf2 load only for the format asked

    return to_docx(brief)


def _pdf(brief: Brief) -> bytes:
    from .pdf import to_pdf

    return to_pdf(brief)


BINARY_RENDERERS: dict[OutputFormat, Callable[[Brief], bytes]] = {OutputFormat.DOCX: _docx,
                                                                  OutputFormat.PDF: _pdf}


def export(brief: Brief, fmt: OutputFormat) -> bytes:
    """``brief`` in ``fmt`` as bytes (text formats UTF-8 encoded)."""
    fmt = OutputFormat(fmt)
    if fmt.binary:
        return BINARY_RENDERERS[fmt](brief)
    return render(brief, Format(fmt.value)).encode("utf-8")


__all__ = ["MEDIA_TYPES", "OutputFormat", "export"]
