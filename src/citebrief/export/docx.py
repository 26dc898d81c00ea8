"""A brief as a Word document (.docx) with python-docx.

Headings use Word's own Heading styles (so the navigation pane and a table of contents see them),
the actor table is a real table, every ``[n]`` is an internal hyperlink to the bookmark ``src-n``
on source n in the source list, and the quoted passages sit in an annex, one "Quote" paragraph each.
python-docx has no call for bookmarks or internal links, so those two are written as the
WordprocessingML elements ``w:bookmarkStart``/``w:bookmarkEnd`` and ``w:hyperlink w:anchor``.
"""

from __future__ import annotations

import io
import re

from ..brief.model import Brief
from .layout import Heading, Paragraph, Quote, Run, SourceEntry, Table, blocks

# XML 1.0 forbids most C0 controls; python-docx raises on them, and source text may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LINK_COLOUR = (0x1F, 0x4E, 0x99)


def anchor(n: int) -> str:
    """The bookmark name of source ``n`` (what a citation's hyperlink points at)."""
    return f"src-{int(n)}"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add_runs(paragraph, runs: tuple[Run, ...]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    for run in runs:
        added = paragraph.add_run(_xml(run.text))
        if run.cite is None:
            continue
        added.font.color.rgb = RGBColor(*LINK_COLOUR)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), anchor(run.cite))
        link.set(qn("w:history"), "1")
        link.append(added._r)  # moves the run from the paragraph into the link
        paragraph._p.append(link)


def _bookmark(paragraph, n: int, runs: tuple[Run, ...]) -> None:
    """Write ``runs`` into ``paragraph`` inside the bookmark of source ``n``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(n))
    start.set(qn("w:name"), anchor(n))
    end.set(qn("w:id"), str(n))
    paragraph._p.append(start)
    _add_runs(paragraph, runs)
    paragraph._p.append(end)


def _table(doc, table: Table) -> None:
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, title in zip(grid.rows[0].cells, table.header):
        cell.paragraphs[0].add_run(title).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, runs in zip(cells, row):
            _add_runs(cell.paragraphs[0], runs)


def to_docx(brief: Brief) -> bytes:
    """The brief as the bytes of a .docx file."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = _xml(brief.question)[:255]
    doc.core_properties.subject = "citebrief brief"
    for block in blocks(brief):
        if isinstance(block, Heading):
            doc.add_heading(_xml(block.text), level=block.level)
        elif isinstance(block, Paragraph):
            style = {0: None, 1: "List Bullet", 2: "List Bullet 2"}[block.bullet]
            para = doc.add_paragraph(style=style)
            _add_runs(para, block.runs)
            if block.small:
                for run in para.runs:
                    run.font.size = Pt(8.5)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, SourceEntry):
            para = doc.add_paragraph()
            para.add_run(f"{block.n}. ").bold = True
            runs = [Run(block.title)] + ([Run(f" — {block.meta}")] if block.meta else [])
            runs += [Run(f". {block.where}")] if block.where and block.where != block.title else []
            _bookmark(para, block.n, tuple(runs))
        elif isinstance(block, Quote):
            doc.add_paragraph(_xml(block.text), style="Quote")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
