"""Pure helpers for reading model replies: drop reasoning blocks, read evidence-cited sentences.

Models cite with whatever bracket they like — ``[E12]``, ``[E3, E7]``, ``[E3][E7]``, ``(E4)``,
``【E5】`` — before or after the full stop. ``parse_evidence_sentences`` accepts all of them and
gives each sentence its ids; the verifier downstream decides whether the ids support it.
"""

from __future__ import annotations

import re

from ..split import split_sentences

_TAG = r"(think|thinking|reasoning)"
_CLOSED_BLOCK_RE = re.compile(rf"<{_TAG}\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_LEADING_OPEN_RE = re.compile(rf"^\s*<{_TAG}\b[^>]*>", re.IGNORECASE)
_ORPHAN_CLOSE_RE = re.compile(rf"^.*?</{_TAG}\s*>", re.IGNORECASE | re.DOTALL)

_IDS = r"E\d+(?:\s*[,;]\s*E?\d+)*"
# Leading whitespace is part of the marker, so "rose [E3]." reads back as "rose.".
_MARKER_RE = re.compile(rf"\s*(?:\[\s*({_IDS})\s*\]|\(\s*({_IDS})\s*\)|【\s*({_IDS})\s*】)", re.IGNORECASE)
_BLOCK_START_RE = re.compile(r"^\s*(?:(#{1,6})\s+|[-*+•]\s+|\d{1,3}[.)]\s+|>\s*)")


def strip_reasoning(text: str) -> str:
    """Remove ``<think>``, ``<thinking>`` and ``<reasoning>`` blocks and return the answer, stripped.

    Also handled: a leading block left unclosed (the reply was cut off while thinking: nothing
    of the answer remains, so the result is ""), and a closing tag with no opening one, which
    DeepSeek-R1-style chat templates produce by opening the block inside the prompt.
    """
    text = _CLOSED_BLOCK_RE.sub("", text)
    if _LEADING_OPEN_RE.match(text):
        return ""
    text = _ORPHAN_CLOSE_RE.sub("", text, count=1)
    return text.strip()


def parse_evidence_sentences(text: str) -> list[tuple[str, list[str]]]:
    """Split a draft into sentences and their evidence ids, markers removed.

    ``"Prices rose 4% [E3, E7]. Wages lagged.(E4)"`` →
    ``[("Prices rose 4%.", ["E3", "E7"]), ("Wages lagged.", ["E4"])]``.
    A marker belongs to the sentence it follows (citations go after the claim), so ``"A. [E1] B."``
    cites A; a marker before the first sentence of a block belongs to that sentence. Sentences
    without a marker come back with ``[]`` so the caller can drop them. Headings and list items are
    blocks of their own; ids are normalised (``e012`` → ``E12``) and listed once, in order.
    """
    out: list[tuple[str, list[str]]] = []
    for block in _blocks(strip_reasoning(text)):
        clean, markers = _remove_markers(block)
        spans = split_sentences(clean)
        if not spans:
            if markers and out:  # a line holding only markers cites the sentence before it
                out[-1] = (out[-1][0], _unique(out[-1][1] + [i for _, ids in markers for i in ids]))
            continue
        cited: list[list[str]] = [[] for _ in spans]
        for pos, ids in markers:
            owner = max((k for k, (start, _) in enumerate(spans) if start < pos), default=0)
            cited[owner].extend(ids)
        for (start, end), ids in zip(spans, cited):
            sentence = " ".join(clean[start:end].split())
            if sentence:
                out.append((sentence, _unique(ids)))
    return out


def _blocks(text: str) -> list[str]:
    """Paragraphs, with each heading and list item a block of its own; wrapped lines rejoined."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in text.splitlines():
        if not line.strip():
            flush()
            continue
        start = _BLOCK_START_RE.match(line)
        if start:
            flush()
            current.append(line[start.end():].strip())
            if start.group(1):  # a heading never continues onto the next line
                flush()
        else:
            current.append(line.strip())
    flush()
    return blocks


def _remove_markers(block: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The block without markers, and each marker's ids with its offset in that clean text."""
    parts: list[str] = []
    markers: list[tuple[int, list[str]]] = []
    length = pos = 0
    for match in _MARKER_RE.finditer(block):
        parts.append(block[pos:match.start()])
        length += match.start() - pos
        group = next(g for g in match.groups() if g)
        markers.append((length, [f"E{int(n)}" for n in re.findall(r"\d+", group)]))
        pos = match.end()
    parts.append(block[pos:])
    return "".join(parts), markers


def _unique(ids: list[str]) -> list[str]:
    """``ids`` without repeats, first occurrence kept."""
    return list(dict.fromkeys(ids))
