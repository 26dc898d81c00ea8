"""Read a Markdown or plain-text report: its cited sentences and its numbered source list (pure).

    parsed = parse_report(text)
    parsed.sentences[0].text, parsed.sentences[0].citations   # "Germany resisted.", (2,)
    parsed.sources[0].number, parsed.sources[0].url           # 2, "https://…"

The source list starts at a line such as ``## Sources``, ``References``, ``Sources:`` or
``**Bibliography**`` (the last such line wins) and holds entries like ``1. Title — Outlet, date.
URL``, ``[1] Title URL`` or ``[1]: URL``; a line that starts no entry continues the one before.
Without such a heading, a run of ``[n] …`` lines closing the report is taken as its source list.

Everything above the list is body. Headings (``#`` lines, and lines that neither end a sentence
nor cite anything, such as "Executive summary"), tables, rules and fenced code are not claims.
Questions that cite nothing are skipped too; every other sentence is audited, cited or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .citations import cited_numbers, find_markers, starts_with_markers, strip_markers
from ..split import split_sentences

_SOURCES_HEADING_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:sources|references|bibliography|works cited|source list|"
    r"citations|notes and sources)\s*:?\s*(?:\*\*|__)?\s*:?\s*$", re.IGNORECASE)
_ENTRY_RE = re.compile(r"^\s*(?:[-*+]\s+)?(?:\[\^?(\d{1,3})\]:?|(\d{1,3})[.):])\s+(\S.*)$")
_BRACKET_ENTRY_RE = re.compile(r"^\s*\[(\d{1,3})\]:?\s+\S")
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
# No bracket in the link text and no backtracking: linear on a report full of "[" (was quadratic).
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]*+)\]\(([^()\s]++(?:\([^()\s]*+\)[^()\s]*+)*+)\)")
_LIST_PREFIX_RE = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_TERMINAL = tuple(".!?…:;\"”’')]")
_TITLE_SEPARATORS = (" — ", " – ", " | ", " - ")


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One numbered entry of a source list (or of a ``--sources`` mapping)."""

    number: int
    text: str  # the entry as written, without its number
    url: str | None = None
    title: str | None = None  # the text before the first " — " / " | ", without URL or markup


@dataclass(frozen=True, slots=True)
class ReportSentence:
    """One sentence of the report body, its citation markers removed, and the numbers it cites."""

    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ParsedReport:
    """A report read into audited sentences and source-list entries."""

    sentences: tuple[ReportSentence, ...]
    sources: tuple[SourceEntry, ...]
    has_source_list: bool


def parse_report(text: str) -> ParsedReport:
    """Split ``text`` into its body sentences and its source list (see the module docstring)."""
    lines = _without_code(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    cut = _source_list_start(lines)
    if cut is None:
        return ParsedReport(sentences_of_body(lines), (), False)
    body, tail = lines[:cut[0]], lines[cut[1]:]
    return ParsedReport(sentences_of_body(body), parse_entries(tail), True)


def _without_code(lines: list[str]) -> list[str]:
    """Blank out fenced code blocks: code is neither a claim nor a citation."""
    out, fenced = [], False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else line)
    return out


def _source_list_start(lines: list[str]) -> tuple[int, int] | None:
    """(first line of the source list section, first entry line), or None when there is no list."""
    headings = [i for i, line in enumerate(lines) if _SOURCES_HEADING_RE.match(line)]
    if headings:
        return headings[-1], headings[-1] + 1
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip():
            continue
        if not _BRACKET_ENTRY_RE.match(lines[i]):
            break
        start = i
    return (start, start) if start < len(lines) else None


def parse_entries(lines: list[str]) -> tuple[SourceEntry, ...]:
    """Numbered entries of a source list; unnumbered lines continue the entry above them."""
    raw: list[tuple[int, str]] = []
    for line in lines:
        match = _ENTRY_RE.match(line)
        if match:
            raw.append((int(match.group(1) or match.group(2)), match.group(3).strip()))
        elif line.strip() and raw and not line.lstrip().startswith("#"):
            raw[-1] = (raw[-1][0], f"{raw[-1][1]} {line.strip()}")
    first: dict[int, SourceEntry] = {}
    for number, body in raw:
        first.setdefault(number, make_entry(number, body))
    return tuple(first.values())


def make_entry(number: int, body: str) -> SourceEntry:
    """An entry from its text: the first URL (a markdown link's target counts) and a title."""
    link = _MD_LINK_RE.search(body)
    url_match = _URL_RE.search(body)
    url = link.group(2) if link and _URL_RE.match(link.group(2)) else (url_match.group(0) if url_match else None)
    if url:
        url = url.rstrip(".,;:)>]")
    plain = _MD_LINK_RE.sub(lambda m: m.group(1), body)
    plain = _URL_RE.sub(" ", plain).replace("<>", " ")
    plain = re.sub(r"[*_`]+", "", plain)
    plain = re.sub(r"\s+", " ", plain).strip(" .,;:-–—|")
    title = plain
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            title = title.split(sep, 1)[0]
            break
    title = title.strip(" \"“”'‘’.,;:")
    return SourceEntry(number, body, url, title or None)


def _is_heading(block: str) -> bool:
    stripped = block.strip()
    return stripped.startswith("#") or (not stripped.endswith(_TERMINAL) and not find_markers(stripped))


def _continues(previous: str, line: str) -> bool:
    """True when ``line`` carries on the sentence of ``previous`` (a hard-wrapped paragraph)."""
    prev = previous.strip()
    if not prev or prev.startswith(("#", "|")) or prev.endswith(_TERMINAL):
        return False
    if find_markers(prev) and prev.endswith("]"):
        return False
    if _LIST_PREFIX_RE.match(line) or line.lstrip().startswith(("#", "|", ">")):
        return False
    first = line.strip()[:1]
    # A long line that stops mid-sentence wraps; a short one ("Executive summary") is a heading.
    return first.islower() or (not _LIST_PREFIX_RE.match(prev) and len(prev.split()) >= 8)


def blocks_of(lines: list[str]) -> list[str]:
    """Paragraph and list-item blocks of the body, hard-wrapped lines joined, headings kept apart."""
    blocks: list[str] = []
    for line in lines:
        if not line.strip() or re.fullmatch(r"\s*([-*_=]\s*){3,}", line):
            blocks.append("")
            continue
        line = re.sub(r"^\s*>\s?", "", line)
        if blocks and blocks[-1] and _continues(blocks[-1], line):
            blocks[-1] = f"{blocks[-1]} {line.strip()}"
        else:
            blocks.append(line.strip())
    return [b for b in blocks if b and not b.startswith("|")]


def _plain(block: str) -> str:
    """Markdown to plain text: list prefix, emphasis and links go; "[1](url)" markers stay markers."""
    block = _LIST_PREFIX_RE.sub("", block, count=1)
    block = _MD_LINK_RE.sub(lambda m: m.group(0) if find_markers(f"[{m.group(1)}]") else m.group(1), block)
    return re.sub(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))", "", block)


def sentences_of_body(lines: list[str]) -> tuple[ReportSentence, ...]:
    """The audited sentences of the body lines, each with the numbers it cites."""
    out: list[ReportSentence] = []
    for block in blocks_of(lines):
        if _is_heading(block):
            continue
        pieces = split_block(_plain(block))
        for piece in pieces:
            markers = find_markers(piece)
            clean = strip_markers(piece, markers)
            citations = cited_numbers(markers)
            if not re.search(r"[^\W\d_]", clean) or (clean.endswith("?") and not citations):
                continue
            out.append(ReportSentence(clean, citations))
    return tuple(out)


def split_block(block: str) -> list[str]:
    """Sentences of one block; markers opening a sentence ("…France. [1][2] Critics…") move back."""
    pieces = [block[s:e] for s, e in split_sentences(block)]
    out: list[str] = []
    for piece in pieces:
        lead = starts_with_markers(piece, find_markers(piece))
        if out and lead:
            out[-1] = f"{out[-1]} {piece[:lead].strip()}"
            piece = piece[lead:].strip()
        if piece:
            out.append(piece)
    return out
