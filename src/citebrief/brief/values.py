"""Rival values: near-identical sentences that give a different name, date or number. Pure.

Two sentences are aligned word by word with difflib (case-blind, without full stops and
possessive "'s"); what differs between them decides two things downstream:

- ``minimal_pair``: the sentence is one claim with a value replaced ("held in Tampa, Florida" /
  "held in Glendale, Arizona"), so the sources disagree (``disputes``);
- ``states_other_value``: the sentences change a value somewhere, so one is neither a syndicated
  copy of the other (``evidence``) nor corroboration of it (``writer``), even when the rest of
  the sentence was reworded too.

A value word is a digit, a number word, or a capitalised word other than a function word.
Known blind spot: in Title Case every word is capitalised, so two headlines that differ in a
reworded verb ("Backs" / "Approves") look like a changed name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..store.fts import STOPWORDS

_TOKEN = re.compile(r"[\w’'.-]+")
_DOTS = re.compile(r"(?<!\d)\.|\.(?!\d)")  # full stops, but not decimal points ("1.39")
# A minimal pair changes at most two values ("on 3 May in Lyon" / "on 5 May in Paris"), each a name,
# date or amount of at most six tokens ("Francis Ford Coppola", "December 21, 2007").
MAX_SPANS, MAX_SPAN_TOKENS = 2, 6
_UNITS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORD = re.compile(rf"(?:{'|'.join(_TENS)})(?:-(?:{'|'.join(_UNITS[:9])}))?|{'|'.join(_UNITS)}|dozen"
                          r"|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)")
MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTHS = {m[:3]: m for m in MONTH_NAMES} | {"sept": "september"}  # "Aug." and "August" are one word
# Lower-case words that sit inside a name or an amount ("Bank of England", "Ludwig van Beethoven",
# "1.2 billion"): a replaced span may hold them as long as it also holds a value word.
_MAGNITUDES = frozenset("hundred thousand million billion trillion percent per cent".split())
_NAME_GLUE = frozenset("and of the de van von der da del di du la le bin al y & st".split()) | _MAGNITUDES

Span = tuple[int, int, int, int]  # (i1, i2, j1, j2): tokens [i1:i2] of one sentence replaced by [j1:j2] of the other


@dataclass(frozen=True, slots=True)
class ValueChange:
    """What a minimal pair changes: each sentence's value as written, and as compared.

    The compared form holds the replaced words only (lower case, no full stops), so "Walt Disney Co"
    / "Walt Warner Bros Co" from one pair of sentences and "Disney" / "Warner Bros" from another
    are the same two values ("disney" / "warner bros").
    """

    first: str
    second: str
    first_key: str
    second_key: str


@dataclass(frozen=True, slots=True)
class _Alignment:
    """Two sentences' tokens and the spans where they differ."""

    a: str
    b: str
    tokens_a: tuple[re.Match[str], ...]
    tokens_b: tuple[re.Match[str], ...]
    spans: tuple[Span, ...]

    def words(self, side: int, lo: int, hi: int) -> list[str]:
        return [m.group() for m in (self.tokens_a, self.tokens_b)[side][lo:hi]]

    def names_something(self, span: Span) -> bool:
        """Both sides of the span are values (an inserted or deleted span is not)."""
        i1, i2, j1, j2 = span
        return names_something(self.words(0, i1, i2)) and names_something(self.words(1, j1, j2))


def normalise_token(token: str) -> str:
    """A token as compared: "U.S." = "US", "Geneva's" = "Geneva", "Aug." = "August".

    Lower case, curly apostrophe straightened, no possessive "'s", no full stops (decimal points
    stay), month abbreviations spelt out.
    """
    token = token.lower().replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]
    token = _DOTS.sub("", token)
    return _MONTHS.get(token, token)


def is_value(token: str) -> bool:
    """A digit, a number word, or a capitalised word that is not a function word ("The", "In")."""
    low = normalise_token(token)
    return token[0].isdigit() or bool(_NUMBER_WORD.fullmatch(low)) or (token[0].isupper() and low not in STOPWORDS)


def names_something(tokens: list[str]) -> bool:
    """Every token is a value word or glue inside a name or amount, and at least one is a value word."""
    return any(is_value(t) for t in tokens) and all(is_value(t) or normalise_token(t) in _NAME_GLUE for t in tokens)


def _align(a: str, b: str) -> _Alignment | None:
    """The changed spans of two sentences that share at least half of the longer one's tokens, else None."""
    ma, mb = list(_TOKEN.finditer(a)), list(_TOKEN.finditer(b))
    if min(len(ma), len(mb)) < 6:
        return None
    na, nb = [normalise_token(m.group()) for m in ma], [normalise_token(m.group()) for m in mb]
    need = max(4, max(len(na), len(nb)) / 2)
    # Aligned tokens are at most the common multiset: a cheap test before difflib (most pairs fail here).
    if sum((Counter(na) & Counter(nb)).values()) < need:
        return None
    ops = SequenceMatcher(None, na, nb, autojunk=False).get_opcodes()
    if sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal") < need:
        return None
    spans = _changed_spans(ops, [m.group() for m in ma], [m.group() for m in mb])
    return _Alignment(a, b, tuple(ma), tuple(mb), tuple(spans))


def _changed_spans(ops: list[tuple[str, int, int, int, int]], tokens_a: list[str],
                   tokens_b: list[str]) -> list[Span]:
    """The changed spans of difflib opcodes; value edits on both sides of one unchanged value word are one span.

    A reordered date aligns as three edits ("15 November 2020" / "November 15, 2012": delete "15",
    keep "November", replace "2020"); joined, it is one replaced span. Edits of other words are
    never joined, so a reworded verb beside a date stays a span of its own.
    """
    def values(i1: int, i2: int, j1: int, j2: int) -> bool:  # nothing, or a value, on each side
        return all(not part or names_something(part) for part in (tokens_a[i1:i2], tokens_b[j1:j2]))

    spans: list[Span] = []
    joinable = False  # the last span is a value edit, followed by one unchanged value word
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            joinable = bool(spans) and values(*spans[-1]) and i2 - i1 == 1 and names_something(tokens_a[i1:i2])
        elif joinable and values(i1, i2, j1, j2):
            spans[-1] = (spans[-1][0], i2, spans[-1][2], j2)
        else:
            spans.append((i1, i2, j1, j2))
    return spans


def minimal_pair(a: str, b: str) -> ValueChange | None:
    """The values when two sentences are one claim with a name, date or number replaced.

    A minimal pair has 1–2 changed spans of at most 6 tokens each, at least half of the longer
    sentence shared, and every changed span a value on both sides: a span only inserted on one side
    adds detail ("Obama" / "Barack Obama"), and a reworded one ("elected" / "re-elected" beside
    "2019" / "2023") may make it another claim, so neither is a disagreement. "played in Glendale,
    Arizona" / "played in Tampa, Florida" → "Glendale, Arizona" / "Tampa, Florida".
    """
    aligned = _align(a, b)
    if aligned is None or not 1 <= len(aligned.spans) <= MAX_SPANS:
        return None
    for span in aligned.spans:
        i1, i2, j1, j2 = span
        if max(i2 - i1, j2 - j1) > MAX_SPAN_TOKENS or not aligned.names_something(span):
            return None
    key = lambda side, lo, hi: " ".join(normalise_token(w) for w in aligned.words(side, lo, hi))  # noqa: E731
    # One value replaced twice ("Amazon Alexa … the Alexa app") is one change.
    changes = {(key(0, i1, i2), key(1, j1, j2)): (_value_text(a, aligned.tokens_a, i1, i2),
                                                  _value_text(b, aligned.tokens_b, j1, j2))
               for i1, i2, j1, j2 in aligned.spans}
    return ValueChange(" … ".join(shown for shown, _ in changes.values()),
                       " … ".join(shown for _, shown in changes.values()),
                       " … ".join(k for k, _ in changes), " … ".join(k for _, k in changes))


def states_other_value(a: str, b: str) -> bool:
    """True when two largely shared sentences replace a name, date or number, whatever else changed.

    Looser than ``minimal_pair``: "reopened on 14 June after" / "reopened on 21 June following"
    is no minimal pair (a word was reworded too), yet the second is no copy of the first.
    """
    aligned = _align(a, b)
    if aligned is None:
        return False
    return any(max(i2 - i1, j2 - j1) <= MAX_SPAN_TOKENS and aligned.names_something((i1, i2, j1, j2))
               for i1, i2, j1, j2 in aligned.spans)


def _value_text(text: str, tokens: tuple[re.Match[str], ...], lo: int, hi: int) -> str:
    """The replaced span as written, widened over adjacent unchanged value words and amounts.

    "December 1, 2017" / "December 21, 2007" differ in "1, 2017"; the value shown is the whole date,
    and "$10.4 billion" is shown rather than "10.4". Widening stops at punctuation other than a
    date's comma, and at a possessive ("Romania's Simona Halep" shows "Simona Halep").
    """
    def joined(left: int) -> bool:  # tokens[left] and tokens[left + 1] are one phrase
        gap = text[tokens[left].end():tokens[left + 1].start()]
        return gap.isspace() or (gap == ", " and tokens[left + 1].group()[0].isdigit())

    for _ in range(3):
        if lo > 0 and joined(lo - 1) and is_value(tokens[lo - 1].group()) \
                and not tokens[lo - 1].group().lower().endswith(("'s", "’s")):
            lo -= 1
        if hi < len(tokens) and joined(hi - 1) and (is_value(tokens[hi].group())
                                                    or normalise_token(tokens[hi].group()) in _MAGNITUDES):
            hi += 1
    start = tokens[lo].start()
    start -= start > 0 and text[start - 1] in "$€£¥"
    return text[start:tokens[hi - 1].end()].rstrip(".,;:")
