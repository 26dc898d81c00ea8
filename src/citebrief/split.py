"""Sentence splitting with character offsets, and sentence-aligned passage windows (pure).

The default splitter is rule-based: it finds sentence-final punctuation followed by whitespace and
a sentence start, and refuses to split after abbreviations ("U.S.", "Nov. 21", "Dr.", "e.g.") and
initials, after "?"/"!" in a quotation followed by its speaker, and after a list number. Blank lines
and list items on their own line always end a sentence. bench/bench_split.py measures it against
pysbd (accuracy on the hand-labelled cases of bench/split_cases.py, speed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from .ids import content_id
from .models import Passage, Sentence

# Abbreviations after which a period does not end a sentence (lower-case, without the dot).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm maj gov sen rep rev rt hon pres
    supt insp det amb jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    approx est dept univ assn bros inc corp co ltd llc plc vs etc al cf e.g i.e a.m p.m u.s u.k u.n
    e.u u.s.a d.c n.y l.a op ed min max avg""".split()
)
# Abbreviations only before a number ("No. 10", "Fig. 3", "p. 5"); elsewhere they are words
# ("He said no. Nobody argued.", "She studied art. Museums …").
_NUMBER_ABBREVIATIONS = frozenset("no nos vol vols fig figs p pp ch sec art para".split())
# Never sentence-final: titles before a name and Latin connectives ("Dr. Who", "e.g. Apples").
_NEVER_FINAL = frozenset(
    "mr mrs ms dr prof st mt gen col lt sgt capt cmdr adm maj sen rep gov rev rt hon e.g i.e cf vs".split()
)
# Words that usually start a sentence: after "U.S.", "etc." or "a.m." followed by one, split.
_STARTERS = frozenset(
    """the a an it he she they we i you this that these those but and so yet in on at for by from
    with to however meanwhile still his her their its our my your there here then now when while
    after before since during until if as although though because instead also not no all each
    both every such other another what why how who where today yesterday according officials
    some many most one two""".split()
)
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())

# Candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
# A match starts only at the first mark of a run and never gives characters back: a run of n
# dots without a space after it then costs n steps, not n² tries of n steps each (20 KB of "."
# took 29 s).
_BOUNDARY_RE = re.compile(r"(?<![.!?…])([.!?…]++)([\"'”’»)\]]*+)(\s+)")
_OPENERS = "\"'“‘«([¿¡"
# The first word after a boundary, past any opening quotes or brackets ("“Is …" → "Is").
_FIRST_WORD_RE = re.compile("[" + re.escape(_OPENERS) + r"]*+([\w’'-]+)")
_SPACES_RE = re.compile(r"\s*")
_QUOTES = "\"'”’»"
# "“Is it safe?” Maria asked.": up to three capitalised words, then a verb of speech.
_SPEAKER_RE = re.compile(
    r"(?:[A-Z][\w’'.-]*\s+){1,3}(?:said|says|asked|asks|shouted|replied|added|told|wrote|cried|"
    r"yelled|whispered|explained|insisted|noted|warned|called|exclaimed)\b"
)
# A line that starts a list item ("- water", "• a hat", "2. Board the bus", "3) Pay").
_LIST_ITEM_RE = re.compile(r"\n(?=[ \t]*(?:[-*•–—]|\d{1,3}[.)])[ \t]+\S)")
_PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


@dataclass(frozen=True, slots=True)
class SplitSettings:
    """Settings that shape passages; they are part of the store fingerprint."""

    splitter: str = "rules-v1"
    passage_words: int = 100  # target words per passage; to be confirmed by the retrieval benchmark


def _token_before(text: str, end: int) -> str:
    """The whitespace-delimited token that ends at ``end`` (the punctuation excluded)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _is_boundary(text: str, match: re.Match[str], sentence_start: int) -> bool:
    """Decide whether the punctuation of ``match`` (a ``_BOUNDARY_RE`` hit) ends a sentence.

    Every look at the text after the boundary starts at a position (``pattern.match(text, pos)``)
    instead of slicing off the rest: a slice per boundary made splitting quadratic (8 MB: 72 s).
    """
    punct, closers, next_start = match.group(1), match.group(2), match.end(3)
    if next_start >= len(text):
        return True
    nxt = text[next_start]
    first_word = _FIRST_WORD_RE.match(text, next_start)
    word = first_word.group(1) if first_word else ""
    if nxt.islower():
        # "… sold well. iPhones are popular.": a camel-cased brand still starts a sentence, and so does one with a
        # digit among its letters ("… Chief Strategy Officer. my6sense is …")
        if not any(c.isupper() for c in word) and not (any(c.isdigit() for c in word) and word[:1].isalpha()):
            return False
    elif not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if punct[0] in "?!" and any(c in _QUOTES for c in closers) and _SPEAKER_RE.match(text, next_start):
        return False  # "“Is it safe?” Maria asked."
    if punct != ".":
        return True
    raw = _token_before(text, match.start(1))
    token = raw.lstrip(_OPENERS).lower()
    next_lower = word.lower()
    if token.isdigit() and len(token) <= 3 and raw == token \
            and _SPACES_RE.match(text, sentence_start).end() >= match.start(1) - len(raw):
        return False  # "1. Buy a ticket": a list number opening the sentence
    if token in _NUMBER_ABBREVIATIONS:
        if nxt.isdigit():
            return False  # "No. 10", "p. 5"
        if len(token) > 1:
            return True  # a plain word; a single "p" may still be an initial ("J. P. Morgan")
    if token in _MONTHS and nxt.isdigit():
        return False  # "Nov. 21"
    if token in _NEVER_FINAL:
        return False
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or re.fullmatch(r"(\w\.)+\w", token):
        # Abbreviation or initial ("J. Smith", "U.S."): split only before a typical sentence starter.
        return next_lower in _STARTERS
    return True


def _blocks(text: str) -> Iterable[tuple[int, int]]:
    """[start, end) of the paragraphs of ``text``, each list item on its own line a block too."""
    for para in _PARAGRAPH_RE.finditer(text):
        start = para.start()
        for item in _LIST_ITEM_RE.finditer(para.group(0)):
            yield start, para.start() + item.start()
            start = para.start() + item.end()
        yield start, para.end()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return [start, end) spans of the sentences of ``text``; spans never include outer spaces.

    Paragraph breaks (a blank line) and list items on their own line always end a sentence.
    ``text[start:end]`` is the sentence.
    """
    spans: list[tuple[int, int]] = []
    for base, end in _blocks(text):
        chunk = text[base:end]
        start = 0
        for match in _BOUNDARY_RE.finditer(chunk):
            if _is_boundary(chunk, match, start):
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
    spans: list[tuple[int, int]] = []
    for base, end in _blocks(text):  # the same paragraph and list-item breaks as rules-v1
        chunk = text[base:end]
        last = 0
        for seg in segmenter.segment(chunk):
            # (pysbd's character spans can overlap on repeated text, "...... U.S." → 0–2, 0–4: each starts where
            # the one before ended at the earliest)
            start = max(seg.start, last)
            if seg.end > start:
                _append(spans, base, chunk, start, seg.end)
                last = seg.end
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
