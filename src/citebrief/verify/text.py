"""Cheap text facts for support checking: stems, content terms, entities, numbers, negation (pure).

A sentence or window becomes one ``TextFacts`` value; the signals compare two of them. Nothing here
needs a model: stemming strips a short list of suffixes ("opposing", "opposed", "opposition" →
"oppos"), and polarity words collapse into one canonical term per group ("resist" → "~against").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .lexicon import FRAME_WORDS, MULTIPLIERS, NEGATIONS, NUMBER_WORDS, POLARITY_GROUPS, STOPWORDS

# Tried in order; the first suffix that leaves a stem of >= 3 characters is stripped.
_SUFFIXES = ("ations", "ation", "itions", "ition", "ements", "ement", "ments", "ment", "nesses",
             "ness", "ities", "ity", "ingly", "edly", "ings", "ing", "ies", "ied", "ed", "es",
             "s", "e")
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*\s?%?|[^\W\d_]+(?:['’][^\W\d_]+)?")
_CITATION_RE = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\](?:\s*\[\d+(?:\s*[,–-]\s*\d+)*\])*")
_POLARITY_OF = {word: group for group, words in POLARITY_GROUPS.items() for word in words}
_PERCENT_WORDS = frozenset({"percent", "percentage", "pct"})
_YEARS = range(1800, 2101)
_NUMERIC_WORDS = frozenset(NUMBER_WORDS) | frozenset(MULTIPLIERS) | _PERCENT_WORDS


@dataclass(frozen=True, slots=True)
class Number:
    """A number mentioned in text: its value and whether it is a percentage or a year."""

    value: float
    kind: Literal["num", "pct", "year"]
    anchors: frozenset[str] = frozenset()  # content terms within two words: what is counted


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What the checker compares: content terms, entities, numbers, negation and polarity."""

    terms: tuple[str, ...]  # canonical content terms, in order, without repeats
    vocabulary: frozenset[str]  # every canonical non-stopword term, frame words included
    entities: tuple[tuple[str, ...], ...]  # capitalised phrases as canonical terms
    numbers: tuple[Number, ...]
    negated: frozenset[str]  # content terms in the scope of a negation cue (empty: nothing negated)
    polarity: frozenset[str]  # polarity groups present, e.g. {"~against", "~up"}


def strip_citations(text: str) -> str:
    """Remove ``[n]``-style citation markers ("[3]", "[1, 2]", "[2][5]") from a sentence."""
    return _CITATION_RE.sub("", text).strip()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-case ``word`` and strip one common suffix; possessives ("NATO's") lose the "'s"."""
    w = word.lower().replace("’", "'")
    if "'" in w and not w.endswith("n't"):
        w = w.split("'", 1)[0]
    for suffix in _SUFFIXES:
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        if suffix == "s" and w[-2] in "sui":  # "class", "virus", "analysis" keep their "s"
            break
        if "ment" in suffix and len(w) - len(suffix) < 4:
            continue  # "elements" → "element", not "ele"
        w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
        if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]  # "running" → "run", "stopped" → "stop"
        break
    return w


@lru_cache(maxsize=65536)
def canonical(word: str) -> str | None:
    """The term a word contributes: its polarity group, its stem, or None for stopwords."""
    lower = word.lower().replace("’", "'")
    group = _POLARITY_OF.get(lower)
    if group is not None:
        return group
    if lower in STOPWORDS or len(lower) < 2 or lower in NEGATIONS:
        return None
    return stem(lower)


def tokens(text: str) -> list[str]:
    """Word and number tokens of ``text`` in their original case (hyphens split words)."""
    return [m.group(0).replace(" ", "") for m in _TOKEN_RE.finditer(text)]


# Words around a cue that it negates: "did not [sign the treaty in May]".
NEGATION_SCOPE = (0, 5)  # (before, after); (2, 5), (3, 5), (2, 8) were within ±0.01 DEV macro-F1


def negated_terms(toks: list[str]) -> frozenset[str]:
    """Content terms within ``NEGATION_SCOPE`` words around a negation cue ("not", "never", "n't").

    "not only/just" adds rather than negates and is skipped. A bare cue with nothing after it
    ("yes or no.") negates nothing.
    """
    lowered = [t.lower().replace("’", "'") for t in toks]
    scope: set[str] = set()
    for i, tok in enumerate(lowered):
        if tok not in NEGATIONS and not tok.endswith("n't"):
            continue
        if tok == "not" and i + 1 < len(lowered) and lowered[i + 1] in ("only", "just"):
            continue
        before, after = NEGATION_SCOPE
        for word in toks[max(0, i - before): i] + toks[i + 1: i + 1 + after]:
            term = canonical(word)
            if term:
                scope.add(term)
    return frozenset(scope)


def _parse_digits(tok: str) -> tuple[float, bool] | None:
    """Value of a digit token such as "1,250", "2.5" or "40%"; the bool says it was a percent."""
    pct = tok.endswith("%")
    body = tok.rstrip("%")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", body):
        body = body.replace(",", "")
    try:
        return float(body.replace(",", ".")), pct
    except ValueError:
        return None


def numbers_in(toks: list[str]) -> tuple[Number, ...]:
    """Numbers mentioned in ``toks``: digits, number words ("seven", "twenty five"), percents, years."""
    out: list[Number] = []
    lowered = [t.lower() for t in toks]
    i = 0
    while i < len(toks):
        tok = lowered[i]
        first = i
        value: float | None = None
        pct = False
        if tok[0].isdigit():
            parsed = _parse_digits(tok)
            if parsed is not None:
                value, pct = parsed
        elif tok in NUMBER_WORDS:
            value = NUMBER_WORDS[tok]
            if i + 1 < len(toks) and value >= 20 and value % 10 == 0 and value < 100 \
                    and NUMBER_WORDS.get(lowered[i + 1], 10) < 10:
                i += 1  # "twenty five" / "twenty-five"
                value += NUMBER_WORDS[lowered[i]]
        if value is None:
            i += 1
            continue
        plain = not pct and tok[0].isdigit() and "," not in tok and "." not in tok
        if i + 1 < len(toks) and lowered[i + 1] in MULTIPLIERS and not pct:
            i += 1
            value *= MULTIPLIERS[lowered[i]]
            plain = False
        if i + 1 < len(toks) and lowered[i + 1] in _PERCENT_WORDS:
            pct, plain = True, False
            i += 1
        kind = "pct" if pct else ("year" if plain and int(value) in _YEARS and value.is_integer() else "num")
        out.append(Number(value, kind, _anchors(toks, first, i)))
        i += 1
    return tuple(out)


def _anchors(toks: list[str], first: int, last: int) -> frozenset[str]:
    """Content terms of the two words before ``toks[first]`` and the two after ``toks[last]``."""
    near = toks[max(0, first - 2): first] + toks[last + 1: last + 3]
    terms = (canonical(t) for t in near if not t[0].isdigit() and t.lower() not in _NUMERIC_WORDS)
    return frozenset(t for t in terms if t)


def numbers_match(a: Number, b: Number) -> bool:
    """True when two mentions state the same quantity ("7" = "seven", "30%" ≈ "29.6%", "half" = "50%")."""
    if (a.kind == "year") != (b.kind == "year"):
        return False
    x, y = a.value, b.value
    if a.kind != b.kind and "pct" in (a.kind, b.kind):
        x, y = (x / 100, y) if a.kind == "pct" else (x, y / 100)
    if x == y:
        return True
    # Rounding: "30%" for "29.6%", "1.5 million" for "1,512,000" (1% relative tolerance).
    return abs(x - y) <= max(0.5 if float(x).is_integer() and a.kind != "year" else 0.0,
                             0.01 * max(abs(x), abs(y)))


def _entities(toks: list[str]) -> tuple[tuple[str, ...], ...]:
    """Capitalised phrases ("North Atlantic Treaty Organization", "NATO") as canonical terms."""
    found: list[tuple[str, ...]] = []
    current: list[str] = []
    for i, tok in enumerate(toks + [""]):
        capital = bool(tok) and tok[0].isupper()
        if capital and i == 0:
            # The first word is capitalised anyway: keep it only when it is an acronym or starts a
            # longer capitalised phrase ("Boris Johnson said" but not "Recent studies show").
            nxt = toks[1] if len(toks) > 1 else ""
            capital = tok.isupper() and len(tok) > 1 or bool(nxt) and nxt[0].isupper()
        if capital and tok.lower() not in STOPWORDS and tok.lower() not in FRAME_WORDS:
            term = canonical(tok)
            if term:
                current.append(term)
            continue
        if current:
            found.append(tuple(current))
            current = []
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=65536)
def analyse(text: str) -> TextFacts:
    """Compute the ``TextFacts`` of a sentence (cached: a passage is cited by many sentences)."""
    toks = tokens(text)
    words = [t for t in toks if not t[0].isdigit() and t.lower() not in _NUMERIC_WORDS]
    vocabulary: dict[str, None] = {}
    content: dict[str, None] = {}
    for word in words:
        term = canonical(word)
        if term is None:
            continue
        vocabulary[term] = None
        if word.lower() not in FRAME_WORDS:
            content[term] = None
    polarity = frozenset(t for t in vocabulary if t.startswith("~"))
    return TextFacts(tuple(content), frozenset(vocabulary), _entities(toks), numbers_in(toks),
                     negated_terms(toks), polarity)


def merge(parts: tuple[TextFacts, ...]) -> TextFacts:
    """The facts of consecutive sentences read as one text (a window), without re-reading it."""
    if len(parts) == 1:
        return parts[0]
    return TextFacts(
        terms=tuple(dict.fromkeys(t for p in parts for t in p.terms)),
        vocabulary=frozenset().union(*(p.vocabulary for p in parts)),
        entities=tuple(dict.fromkeys(e for p in parts for e in p.entities)),
        numbers=tuple(n for p in parts for n in p.numbers),
        negated=frozenset().union(*(p.negated for p in parts)),
        polarity=frozenset().union(*(p.polarity for p in parts)),
    )
