"""Inline citation markers of a report: find them, read their numbers, strip them (pure).

Accepted forms: ``[1]``, ``[1][2]``, ``[1] [2]``, ``[1, 2]``, ``[1; 2]``, ``[1-3]`` / ``[1–3]``
(a range up to ``MAX_RANGE`` long), and ``[1](https://…)`` (a marker linking to its source).
Markers inside URLs (``https://example.org/page[1]``), inline code (`` `a[1]` ``) and markdown
link targets are not citations. Numbers have 1–3 digits, so ``[2024]`` is a year, not a marker,
and ``[0]`` is never a citation (source lists start at 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_RANGE = 20  # "[1-20]" expands; "[1-400]" is not a plausible citation and is left as text

_NUMBER = r"\d{1,3}"
_ITEM = rf"{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?"
MARKER_RE = re.compile(rf"\[\s*({_ITEM}(?:\s*[,;]\s*{_ITEM})*)\s*\]")
_RANGE_RE = re.compile(rf"({_NUMBER})\s*[-–—]\s*({_NUMBER})")
# Stretches where a bracketed number is part of something else: URLs, inline code, link targets.
_OPAQUE_RE = re.compile(r"`[^`\n]*`|\]\([^)\s]*\)|\b(?:https?|ftp)://[^\s<>\"'`]*|\bwww\.[^\s<>\"'`]*",
                        re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Marker:
    """One citation marker: its [start, end) span in the text and the source numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


def _numbers(inner: str) -> tuple[int, ...] | None:
    """The numbers of a marker's inside ("1, 3-5" → (1, 3, 4, 5)); None when it is no citation."""
    out: list[int] = []
    for item in re.split(r"\s*[,;]\s*", inner.strip()):
        match = _RANGE_RE.fullmatch(item)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if low < 1 or high < low or high - low > MAX_RANGE:
                return None
            out.extend(range(low, high + 1))
        else:
            if int(item) < 1:
                return None
            out.append(int(item))
    return tuple(out)


def _opaque_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _OPAQUE_RE.finditer(text):
        end = match.end()
        if match.group(0)[0] not in "`]":
            # A URL does not end in sentence punctuation: "see https://a.org/x." keeps the dot out.
            end = match.start() + len(match.group(0).rstrip(".,;:!?)"))
        spans.append((match.start() + (1 if match.group(0)[0] == "]" else 0), end))
    return spans


def find_markers(text: str) -> tuple[Marker, ...]:
    """Every citation marker of ``text``, in order; never raises, whatever the text."""
    opaque = _opaque_spans(text)
    out: list[Marker] = []
    for match in MARKER_RE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in opaque):
            continue
        numbers = _numbers(match.group(1))
        if numbers:
            out.append(Marker(match.start(), match.end(), numbers))
    return tuple(out)


def cited_numbers(markers: tuple[Marker, ...]) -> tuple[int, ...]:
    """The distinct numbers of ``markers`` in order of first mention ("[3][1][3]" → (3, 1))."""
    return tuple(dict.fromkeys(n for m in markers for n in m.numbers))


def strip_markers(text: str, markers: tuple[Marker, ...] | None = None) -> str:
    """``text`` without its citation markers (and the spaces before them): "France [1] [2]." → "France."."""
    markers = find_markers(text) if markers is None else markers
    pieces: list[str] = []
    last = 0
    for marker in markers:
        before = text[last:marker.start]
        pieces.append(before.rstrip(" \t") if before.strip() else before.strip(" \t"))
        last = marker.end
        if text[last:last + 1] == "(":  # "[1](https://…)": the link target goes with its marker
            close = text.find(")", last)
            last = close + 1 if close != -1 else last
    pieces.append(text[last:])
    return re.sub(r"[ \t]{2,}", " ", "".join(pieces)).strip()


def starts_with_markers(text: str, markers: tuple[Marker, ...]) -> int:
    """Length of the run of markers (and spaces) that opens ``text``; 0 when it opens with words."""
    pos = 0
    for marker in markers:
        if text[pos:marker.start].strip():
            break
        pos = marker.end
    return pos
