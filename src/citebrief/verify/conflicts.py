"""Conflicts and alignment between a sentence and the cited sentences read with it (pure over parses).

A conflict counts only when both sides talk about the same thing (see ``parsed``):

- number: a number of the sentence is stated nowhere in the cited text, and an aligned cited
  sentence gives another value, with the same subject, for the same counted noun ("seven members
  oppose" against "five members oppose"; not against "five countries", nor against another
  subject's figure, nor against a window with no number of that noun), or for the
  same verb of the same subject ("prices rose by 9%" against "prices rose by 5%"); a bound
  ("fewer than 100", "50-70%") is never a rival value, and an estimate ("about") allows 5%;
- negation: a predicate of the sentence and a cited predicate align — the same predicate lemma
  with a shared subject or object, or a shared subject and a shared object — and exactly one of
  them is negated, with no aligned cited predicate of the sentence's own polarity ("could benefit
  from the agreements" against "will not be able to benefit from the agreements").

- antonym: a shared subject or object with opposite predicates ("prices rose" / "prices fell").

- denial: the sentence denies something ("there is no evidence that gases cause warming") and a
  cited sentence without any negation states most (DENIAL_SHARE) of what it denies. Weaker than the
  frame conflicts (it reads words under the negation, not who-does-what), so the checker uses it
  only for a pair it would not call supported.

``alignment`` is the share of the sentence's predicates that some cited predicate aligns with, of
either polarity: whether the cited text says something about the same who-does-what.
"""

from __future__ import annotations

from typing import Sequence

from .lexicon import OPPOSITES
from .parsed import GENERIC_COUNTS, Frame, Quantity
from .text import Number, numbers_match


def aligned(a: Frame, b: Frame) -> bool:
    """Whether two predicates are about the same who-does-what (see the module docstring)."""
    subject = bool(a.subject & b.subject)
    objects = bool(a.objects & b.objects)
    if a.predicate == b.predicate:
        return subject or objects
    return subject and objects


def negation_conflict(claim: Sequence[Frame], cited: Sequence[Frame]) -> bool:
    """A predicate of the sentence is negated where every aligned cited predicate is not (or the reverse)."""
    for frame in claim:
        matches = [f for f in cited if aligned(frame, f)]
        if matches and all(f.negated != frame.negated for f in matches):
            return True
    return False


def antonym_conflict(claim: Sequence[Frame], cited: Sequence[Frame]) -> bool:
    """A predicate of the sentence and a cited one share subject or object, have opposite polarity
    groups ("rose" against "fell", "confirmed" against "denied") and the same negation."""
    for frame in claim:
        if not frame.polarity:
            continue
        for other in cited:
            if (other.polarity == OPPOSITES[frame.polarity] and other.negated == frame.negated
                    and (frame.subject & other.subject or frame.objects & other.objects)):
                return True
    return False


def alignment(claim: Sequence[Frame], cited: Sequence[Frame]) -> float:
    """Share of the sentence's predicates aligned with a cited predicate (1.0 when it has none)."""
    if not claim:
        return 1.0
    return sum(any(aligned(frame, f) for f in cited) for frame in claim) / len(claim)


def _same_thing(a: Quantity, b: Quantity) -> bool:
    if (a.number.kind == "pct") != (b.number.kind == "pct") or (a.number.kind == "year") != (b.number.kind == "year"):
        return False
    if not a.subject & b.subject or (a.subject - b.subject and b.subject - a.subject):
        # Whose number it is must be the same: "members of the Senate serve six-year terms" is no
        # rival of "members of the House serve two-year terms" (each subject has a word the other
        # lacks), though "seven members of the committee" is of "five members".
        return False
    if (a.counts & b.counts) - GENERIC_COUNTS:
        return True  # "seven members oppose" / "five members oppose"
    # "prices rose by 5%" / "prices rose by 9%": the same verb of the same subject
    return bool(a.predicate) and a.predicate == b.predicate


def _differ(a: Quantity, b: Quantity) -> bool:
    """Two values that cannot both be right: both plain values or the same kind of bound ("at least
    five" / "at least seven"; "fewer than 100" against "120" is no rival, nor is a range end), and
    they differ beyond rounding (beyond 5% when either is an estimate: "about 17.9 million" against
    "17.5 million" agrees)."""
    if a.bound != b.bound or a.bound == "range" or numbers_match(a.number, b.number):
        return False
    if a.hedged or b.hedged:
        x, y = a.number.value, b.number.value
        return abs(x - y) > 0.05 * max(abs(x), abs(y))
    return True


def number_conflict(claim: Sequence[Quantity], cited: Sequence[Quantity], pool: Sequence[Number]) -> bool:
    """A number of the sentence is absent from ``pool`` (every number of the cited passages) while an
    aligned cited sentence counts the same thing with another value."""
    for quantity in claim:
        if quantity.bound == "range" or any(numbers_match(quantity.number, other) for other in pool):
            continue
        if any(_same_thing(quantity, other) and _differ(quantity, other) for other in cited):
            return True
    return False


DENIAL_SHARE = 0.6  # of the denied content lemmas, found in one un-negated cited sentence


def denial_conflict(denied: Sequence[frozenset[str]], cited: Sequence[frozenset[str] | None]) -> bool:
    """A denial of the sentence (``parsed.denials``) that an un-negated cited sentence
    (``parsed.asserts``) states: DENIAL_SHARE of its lemmas are there."""
    return any(len(scope & stated) / len(scope) >= DENIAL_SHARE
               for scope in denied for stated in cited if stated is not None)

