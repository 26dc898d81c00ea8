"""Sentence splitting with character offsets, and sentence-aligned passage windows (pure).

The default splitter is rule-based: it finds sentence-final punctuation followed by whitespace and
a sentence start, and refuses to split after abbreviations ("U.S.", "Nov. 21", "Dr.", "e.g.") and
initials. bench/bench_split.py measures it against pysbd (accuracy on hand-labelled cases, speed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from .ids import content_id
from .models import Passage, Sentence

# Abbreviations after which a period does not end a sentence (lower-case, without the dot).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm maj gov sen rep rev hon pres
    supt insp det amb jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    no nos vol vols fig figs p pp ch sec art para approx est dept univ assn bros inc corp co ltd llc
    plc vs etc al cf e.g i.e a.m p.m u.s u.k u.n e.u u.s.a d.c n.y l.a op ed min max avg""".split()
)
# Words that usually start a sentence: after "U.S." or "a.m." followed by one of these, split.
_STARTERS = frozenset(
    """the a an it he she they we i this that these those but and so yet in on at for however
    meanwhile still his her their its our there here when while after before if as according
    officials some many most one two""".split()
)
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())

# Candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY_RE = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)")
_OPENERS = "\"'“‘«([¿¡"


@dataclass(frozen=True, slots=True)
class SplitSettings:
    """Settings that shape passages; they are part of the store fingerprint."""

    splitter: str = "rules-v1"
    passage_words: int = 100  # target words per passage (chosen by bench/bench_retrieval.py)


def _token_before(text: str, end: int) -> str:
    """The whitespace-delimited token that ends at ``end`` (the punctuation excluded)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _is_boundary(text: str, punct_start: int, punct: str, next_start: int) -> bool:
    """Decide whether the punctuation at ``punct_start`` ends a sentence."""
    if next_start >= len(text):
        return True
    nxt = text[next_start]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if punct != ".":
        return True
    token = _token_before(text, punct_start).lstrip(_OPENERS).lower()
    next_word = re.match(r"[\w’']+", text[next_start:].lstrip(_OPENERS))
    next_lower = next_word.group(0).lower() if next_word else ""
    if token in _MONTHS and nxt.isdigit():
        return False  # "Nov. 21"
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or re.fullmatch(r"(\w\.)+\w", token):
        # Abbreviation or initial ("J. Smith", "U.S."): split only before a typical sentence starter.
        return next_lower in _STARTERS and token not in {"mr", "mrs", "ms", "dr", "prof", "st", "gen",
                                                           "col", "lt", "sen", "rep", "gov", "rev"}
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return [start, end) spans of the sentences of ``text``; spans never include outer spaces.

    Paragraph breaks (a blank line) always end a sentence. ``text[start:end]`` is the sentence.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        base, chunk = para.start(), para.group(0)
        start = 0
        for match in _BOUNDARY_RE.finditer(chunk):
            if _is_boundary(chunk, match.start(1), match.group(1), match.end(3)):
                _append(spans, base, chunk, start, match.end(2))
                start = match.end(3)
        _append(spans, base, chunk, start, len(chunk))
    return spans


def _append(spans: list[tuple[int, int]], base: int, chunk: str, start: int, end: int) -> None:
    """Append the stripped span chunk[start:end] (shifted by ``base``) when it is not empty."""
    piece = chunk[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    if right > left:
        spans.append((base + start + left, base + start + right))


def _pysbd_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans from pysbd (kept as an alternative; see bench/bench_split.py)."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    spans = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        for seg in segmenter.segment(para.group(0)):
            _append(spans, para.start(), para.group(0), seg.start, seg.end)
    return spans


SPLITTERS: dict[str, Callable[[str], list[tuple[int, int]]]] = {
    "rules-v1": split_sentences,
    "pysbd": _pysbd_spans,
}


def sentences_of(doc_id: str, text: str, *, splitter: str = "rules-v1") -> tuple[Sentence, ...]:
    """Split a document's text into ``Sentence`` values with offsets into ``text``."""
    spans = SPLITTERS[splitter](text)
    return tuple(Sentence(doc_id, i, s, e, text[s:e]) for i, (s, e) in enumerate(spans))


def passages_of(doc_id: str, text: str, sentences: Iterable[Sentence], *,
                passage_words: int) -> tuple[Passage, ...]:
    """Group consecutive sentences into windows of about ``passage_words`` words.

    A window closes once it reaches the target; a sentence is never cut. Windows do not overlap,
    so every sentence belongs to exactly one passage and a citation has one home.
    """
    windows: list[list[Sentence]] = []
    current: list[Sentence] = []
    words = 0
    for sent in sentences:
        n = len(sent.text.split())
        if current and words + n > passage_words * 1.3:
            windows.append(current)
            current, words = [], 0
        current.append(sent)
        words += n
        if words >= passage_words:
            windows.append(current)
            current, words = [], 0
    if current:
        windows.append(current)
    out = []
    for ordinal, window in enumerate(windows):
        start, end = window[0].start, window[-1].end
        body = text[start:end]
        pid = content_id({"doc": doc_id, "start": start, "end": end, "text": body}, kind="passage")
        out.append(Passage(pid, doc_id, ordinal, start, end, body, tuple(window)))
    return tuple(out)
