"""A brief as a flat list of document blocks, the shared plan of the Word and PDF renderers. Pure.

The Markdown and HTML renderers (``brief.render``) write text; Word and PDF are built by calling a
library block by block. Both read the same ``Block`` list, so the two documents cannot disagree on
what a brief contains: headings numbered as in Markdown, the actor table as rows of cells, ``[n]``
citations as their own runs (each links to source ``n``), and the quoted passages in an annex
under each source.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..brief.model import Brief, CheckedSentence
from ..brief.render import NO_REASON, footer, position_cell, toward
from ..brief.writer import BOTTOM_LINE, SUMMARY

NOT_ENOUGH = "Not enough evidence in the corpus to answer this question."
ACTOR_HEADER = ("Actor", "Position", "Stated reasons", "Sources")
SOURCES = "Sources"
ANNEX = "Annex: quoted passages"


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text; ``cite`` is the source number it links to (a ``[n]`` citation), else None."""

    text: str
    cite: int | None = None


Runs = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: level 0 is the title (the question), 1 a numbered section, 2 a sub-heading."""

    text: str
    level: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text; ``bullet`` 0 is a plain paragraph, 1 and 2 list items at that depth."""

    runs: Runs
    bullet: int = 0
    small: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; each cell is a sequence of runs."""

    header: tuple[str, ...]
    rows: tuple[tuple[Runs, ...], ...]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One numbered source: the target every ``[n]`` citation links to."""

    n: int
    title: str
    meta: str  # outlet, publication date
    where: str  # URL or path


@dataclass(frozen=True, slots=True)
class Quote:
    """A passage quoted from source ``n`` (the annex)."""

    n: int
    text: str


Block = Heading | Paragraph | Table | SourceEntry | Quote


def cites(numbers) -> Runs:
    """``[1] [3]`` as runs, each linking to its source, separated by spaces."""
    out: list[Run] = []
    for i, n in enumerate(numbers):
        out += [Run(" ")] if i else []
        out.append(Run(f"[{int(n)}]", int(n)))
    return tuple(out)


def sentences(items: tuple[CheckedSentence, ...] | list[CheckedSentence]) -> Runs:
    """Sentences, each followed by its citations."""
    out: list[Run] = []
    for i, s in enumerate(items):
        out.append(Run((" " if i else "") + s.text + (" " if s.citations else "")))
        out += cites(s.citations)
    return tuple(out)


def _reason_runs(actor: dict) -> Runs:
    details = actor.get("reason_details") or [{"text": r, "citations": actor.get("citations", [])}
                                              for r in actor.get("reasons", [])]
    if not details:
        return (Run(NO_REASON),)
    out: list[Run] = []
    for i, r in enumerate(details):
        out.append(Run(("; " if i else "") + r["text"] + (" " if r["citations"] else "")))
        out += cites(r["citations"])
    return tuple(out)


def actor_table(actors) -> Table:
    """The actor table: name, latest position (with its date), reasons with their citations, sources."""
    rows = []
    for a in actors:
        rows.append(((Run(str(a["name"])),), (Run(position_cell(a)),), _reason_runs(a),
                     cites(a.get("position_citations") or a.get("citations") or ())))
    return Table(ACTOR_HEADER, tuple(rows))


def _section(brief: Brief, heading: str):
    return next((s for h, s in brief.sections if h == heading), ())


def _where(source: dict) -> str:
    return source.get("url") or source.get("path") or ""


def blocks(brief: Brief) -> list[Block]:
    """The brief as blocks, in the order and numbering of the Markdown brief."""
    out: list[Block] = [Heading(brief.question, 0)]
    if not brief.enough_evidence:
        out.append(Paragraph((Run(NOT_ENOUGH),)))
        out += [Paragraph((Run(x),), bullet=1) for x in brief.limits]
        for heading, items in brief.sections:  # what the sources do say about it, cited
            out += [Heading(heading, 1), Paragraph(sentences(items))]
        return out + (_sources(brief) if brief.sources else [])
    out += [Heading("Executive summary", 1), Paragraph(sentences(_section(brief, SUMMARY)))]
    n = 0
    for heading, items in brief.sections:
        if heading in (SUMMARY, BOTTOM_LINE):
            continue
        n += 1
        out += [Heading(f"{n}. {heading}", 1)] + ([Paragraph(sentences(items))] if items else [])
        if n == 1 and brief.actors:
            if toward(brief.actors):
                out.append(Paragraph((Run(toward(brief.actors)),)))
            out.append(actor_table(brief.actors))
    if brief.disputes:
        n += 1
        out.append(Heading(f"{n}. Competing narratives", 1))
        for d in brief.disputes:
            out.append(Paragraph((Run(d["summary"]),), bullet=1))
            out += [Paragraph((Run(side["text"] + " "), *cites(side["citations"])), bullet=2)
                    for side in d["sides"]]
    n += 1
    out.append(Heading(f"{n}. Limits of the available reporting and open questions", 1))
    out += [Paragraph((Run(x),), bullet=1) for x in brief.limits]
    bottom = _section(brief, BOTTOM_LINE)
    if bottom:
        n += 1
        out += [Heading(f"{n}. Bottom line", 1), Paragraph(sentences(bottom))]
    out.append(Paragraph((Run(footer(brief.metrics)),), small=True))
    return out + _sources(brief)


def _sources(brief: Brief) -> list[Block]:
    """The source list and the annex of quoted passages."""
    out: list[Block] = [Heading(SOURCES, 1)]
    for s in brief.sources:
        meta = ", ".join(str(x) for x in (s.get("outlet"), s.get("published")) if x)
        out.append(SourceEntry(int(s["n"]), str(s.get("title") or _where(s)), meta, _where(s)))
    quoted = [s for s in brief.sources if s.get("passages")]
    if quoted:
        out.append(Heading(ANNEX, 1))
        for s in quoted:
            out.append(Heading(f"[{int(s['n'])}] {s.get('title') or _where(s)}", 2))
            out += [Quote(int(s["n"]), str(q["quote"])) for q in s["passages"]]
    return out
