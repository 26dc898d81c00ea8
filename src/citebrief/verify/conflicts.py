"""Conflicts and alignment between a sentence and the cited sentences read with it (pure over parses).

A conflict counts only when both sides talk about the same thing (see ``parsed``), and only
between predicates both sides state outright (``Frame.asserted``, not hedged with "may"/"might"):

- number: a number of the sentence is stated nowhere in the cited text, and an aligned cited
  sentence gives another value for the same thing: the same subject ("Senate members" is not
  "House members"; "volcanoes" is not "the volcano"), the same counted noun ("seven members
  oppose" against "five members oppose"; not "five countries") or the same verb in the same unit
  ("prices rose by 9%" against "prices rose by 5%"; "seven times as much warming" is no rival of
  "0.2 °C"; a rate "per decade" is no rival of a total), of the same set ("four of the 7 warmest
  years" is not "17 of the 18"), year and place when both name them; a bound ("fewer than 100",
  "at least five", "since 2000", "± 100"), a range end ("50-70%") or a value the sentence itself
  gives to something else is never a rival value, and an estimate ("about") allows 5%;
- negation: the same predicate, of the same doer and thing (``same_who``), said to hold on one side
  and not on the other — negated ("could benefit from the agreements" against "will not be able
  to benefit from the agreements"), or denied: the "that"-clause of a negated word that vouches
  for it ("there is no evidence that gases cause warming" against "gases cause warming"; not "the
  claim that …", nor "never mind that …") — with no aligned cited predicate saying it the
  sentence's way, and the sentence not saying both ways itself;
- antonym: opposite predicates ("prices rose" / "prices fell", "rising sea levels" / "the sea level
  fell") of the same doer and thing, said the same way.

A participle before its noun ("rising sea levels") and a noun of change with what changes ("an
increase in storms", "sea-level rise") are predicates too (``parsed._modifier_frames``).

What is left out as not about the same thing — words under a negation found in an un-negated
cited sentence (``denial_conflict``), a negated predicate of another doer, an opposite predicate
over a shared object only — is weaker: the checker makes it "uncertain" at most, never
"contradicted".

``alignment`` is the share of the sentence's predicates that some cited predicate aligns with, of
either polarity: whether the cited text says something about the same who-does-what.
"""

from __future__ import annotations

from typing import Sequence

from .lexicon import OPPOSITES
from .parsed import GENERIC_COUNTS, Frame, Quantity
from .text import Number, numbers_match


def aligned(a: Frame, b: Frame) -> bool:
    """Whether two predicates are about the same who-does-what, loosely (see the module docstring)."""
    if a.modifier or b.modifier:
        return a.predicate == b.predicate and _same_noun(a, b)
    subject = bool(a.subject & b.subject)
    objects = bool(a.objects & b.objects)
    if a.predicate == b.predicate:
        return subject or objects
    return subject and objects


def same_who(a: Frame, b: Frame) -> bool:
    """Whether two predicates are said of the same doer and the same thing done to.

    Both name a subject: the subjects share a head, and neither has a word the other lacks on both
    sides ("House members" is not "Senate members"; "Tuvalu sea level" is the "sea level"), and when
    both name objects they share one (the court that "upheld the ban" is not one that "upheld the
    fine"). A side with no subject named (a pronoun, a passive without its agent, "there is"): the
    objects must be shared. The noun after "be" is the predicate, not a thing shared ("there is no
    evidence of glaciation" and "the record provides evidence of variability" share nothing).
    """
    if a.modifier or b.modifier:  # "rising sea levels": the noun may be either side's subject or object
        return _same_noun(a, b)
    things_a, things_b = a.objects - {a.predicate}, b.objects - {b.predicate}
    if things_a and things_b and not things_a & things_b:
        return False
    if a.subject and b.subject:
        if not a.subject & b.subject:
            return False
        wa, wb = a.subject_words | a.subject, b.subject_words | b.subject
        return not (wa - wb and wb - wa)
    return bool(things_a & things_b)


def _same_noun(a: Frame, b: Frame) -> bool:
    """A participle's noun ("rising sea levels") is the thing the other predicate changes or
    describes: the subject of an intransitive clause ("sea levels rose"), the object of a transitive
    one ("the rains raised sea levels"), or the noun of another participle — the same head, and
    words that do not make it another thing ("sea level", not "blood sugar level"; the "acidity of
    the oceans" is not their "pH")."""
    mod, other = (a, b) if a.modifier else (b, a)
    if other.modifier:
        heads, words = other.objects, other.subject_words
    elif other.transitive:
        return bool(mod.objects & other.objects)
    else:
        heads, words = other.subject, other.subject_words | other.subject
    if not mod.objects & heads:
        return False
    return not (mod.subject_words - words and words - mod.subject_words)


def _stated(frame: Frame) -> bool:
    """A predicate the sentence states outright: asserted (not supposed or described) and not hedged."""
    return frame.asserted and not frame.hedged


def _opposite(a: Frame, b: Frame) -> bool:
    """Whether ``b`` says the opposite of ``a`` about the same thing: the same predicate with the
    other polarity, or the opposite predicate ("rose" / "fell") with the same one."""
    if same_predicate(a, b):
        return a.states_negative != b.states_negative
    return bool(a.polarity) and b.polarity == OPPOSITES[a.polarity] and a.states_negative == b.states_negative


def _contrasted(frame: Frame, claim: Sequence[Frame]) -> bool:
    """The sentence itself says both ways of the same thing ("both rising and falling edges",
    "some claim humidity is decreasing; reanalyses show increasing humidity"): no side to contradict."""
    return any(other is not frame and _opposite(frame, other) and (aligned(frame, other) or same_who(frame, other))
               for other in claim)


def same_predicate(a: Frame, b: Frame) -> bool:
    """The same predicate: the same lemma, or a noun after "be" that is the object of the other's
    verb ("could be part of the market" / "will not form part of the market"; ``same_who`` then
    needs a doer or a thing besides that noun in common)."""
    if a.predicate == b.predicate:
        return True
    return any(x.predicate in x.objects and x.predicate in y.objects for x, y in ((a, b), (b, a)))


def negation_conflict(claim: Sequence[Frame], cited: Sequence[Frame]) -> bool:
    """The same predicate, of the same doer and thing (``same_who``), said to hold on one side and
    not to hold on the other — negated, or denied ("there is no evidence that gases cause warming"
    against "gases cause warming"). Both must be stated (``_stated``: not hedged with "may not",
    not in a condition, a restrictive relative or the content of a noun), the sentence must not say
    both ways itself, and no cited predicate aligned with it may agree."""
    for frame in claim:
        if not _stated(frame) or _contrasted(frame, claim):
            continue
        same = [f for f in cited if same_predicate(frame, f) and (aligned(frame, f) or same_who(frame, f))]
        if any(f.states_negative == frame.states_negative for f in same):
            continue  # the cited text also says it the sentence's way
        if any(same_who(frame, f) and _stated(f) for f in same):
            return True
    return False


def antonym_conflict(claim: Sequence[Frame], cited: Sequence[Frame]) -> bool:
    """Opposite predicates ("rose" against "fell", "confirmed" against "denied") of the same doer and
    thing (``same_who``, a subject named on both sides or a participle's noun), said the same way
    (both negated or neither), both stated, the sentence not saying both ways itself, and no cited
    predicate of the sentence's own polarity about the same thing."""
    for frame in claim:
        if not frame.polarity or not _stated(frame) or not (frame.subject or frame.modifier):
            continue
        if _contrasted(frame, claim):
            continue
        about = [f for f in cited if (f.subject or f.modifier) and same_who(frame, f)]
        if any(f.polarity == frame.polarity and f.states_negative == frame.states_negative for f in about):
            continue  # the cited text also says it the sentence's way
        if any(_stated(f) and f.polarity == OPPOSITES[frame.polarity] and f.states_negative == frame.states_negative
               for f in about):
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
    if a.one_or_many and b.one_or_many and a.one_or_many != b.one_or_many:
        return False  # "volcanoes emit 0.3 billion tonnes" is no rival of what "the volcano" emits
    if a.part_of != b.part_of and a.part_of is not None and b.part_of is not None:
        return False  # parts of other sets: "four of the 7 warmest years" is no rival of "17 of the 18"
    if a.when and b.when and not a.when & b.when:
        return False  # values of other years: "rose by 9% in 2019" is no rival of "by 5% in 2020"
    if a.where and b.where and not a.where & b.where:
        return False  # values of other places: "5% in Ohio" is no rival of "7% in Texas"
    if {c for c in a.counts if c[0] == "/"} != {c for c in b.counts if c[0] == "/"}:
        return False  # a rate ("0.2 °C per decade") is no rival of a total ("rose by 0.45 °C")
    if (a.counts & b.counts) - GENERIC_COUNTS:
        return True  # "seven members oppose" / "five members oppose"
    # "prices rose by 5%" / "prices rose by 9%": the same verb of the same subject, in the same unit
    # ("seven times as much warming" is no rival of "0.2 °C of warming")
    return bool(a.predicate) and a.predicate == b.predicate and (bool(a.counts & b.counts) or a.counts == b.counts)


def _differ(a: Quantity, b: Quantity) -> bool:
    """Two values that cannot both be right: both plain values (a bound — "fewer than 100", "at least
    five", "since 2000" — or a range end is no rival: "at least five" and "at least seven" can both
    hold), and they differ beyond rounding (beyond 5% when either is an estimate: "about 17.9
    million" against "17.5 million" agrees)."""
    if a.bound or b.bound or numbers_match(a.number, b.number):
        return False
    if a.hedged or b.hedged:
        x, y = a.number.value, b.number.value
        return abs(x - y) > 0.05 * max(abs(x), abs(y))
    return True


def number_conflict(claim: Sequence[Quantity], cited: Sequence[Quantity], pool: Sequence[Number]) -> bool:
    """A number of the sentence is absent from ``pool`` (every number of the cited passages) while an
    aligned cited sentence counts the same thing with another value — one the sentence does not
    give itself ("six-year terms for the Senate, two-year terms for the House" against "members
    serve two-year terms" is about the House)."""
    own = [q.number for q in claim]
    for quantity in claim:
        if quantity.bound == "range" or any(numbers_match(quantity.number, other) for other in pool):
            continue
        if any(_same_thing(quantity, other) and _differ(quantity, other)
               and not any(numbers_match(other.number, n) for n in own) for other in cited):
            return True
    return False


DENIAL_SHARE = 0.6  # of the denied content lemmas, found in one un-negated cited sentence


def denial_conflict(denied: Sequence[frozenset[str]], cited: Sequence[frozenset[str] | None]) -> bool:
    """A denial of the sentence (``parsed.denials``) that an un-negated cited sentence
    (``parsed.asserts``) states: DENIAL_SHARE of its lemmas are there. Read from words, not from
    who-does-what, so it is a weak signal: it makes a pair "uncertain", never "contradicted"."""
    return any(len(scope & stated) / len(scope) >= DENIAL_SHARE
               for scope in denied for stated in cited if stated is not None)

