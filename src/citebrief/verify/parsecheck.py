"""The default support checker: the rules score, conflicts read from the parse, and "uncertain".

The previous checker (``rules.RulesChecker``, registered as ``rules-v1``) turned any bag-of-words
cue into "contradicted" — a number, a "not" or an antonym anywhere near shared words — and every
low score into "unsupported". Most of those flags were wrong on claims nobody had tuned it to. This
checker keeps its window choice and its support score p (``rules.support_probability``: MiniLM
cosine with the calibrated weights) and changes what a flag needs:

    contradicted  a conflict about the same thing, read from the spaCy parse (``parsed``,
                  ``conflicts``): a rival value for the same thing (same subject, same counted
                  noun or verb in the same unit, same set, year and place), the same predicate of
                  the same doer said to hold on one side and not on the other (negated, or denied:
                  "there is no evidence that X" against "X"), or opposite predicates of the same
                  doer — both sides stating it outright, in a window on the sentence's point
                  (cosine >= ON_POINT)
    supported     the rules checker's "supported" (p >= SUPPORTED_AT, numbers found, every claim backed)
                  with no parse conflict
    uncertain     short of that, a weak sign of disagreement: the sentence denies words an
                  un-negated cited sentence states (``conflicts.denial_conflict``), with cosine >=
                  DENIAL_ON_POINT — read from words, not from who-does-what, so a question for the
                  reader, not a flag
    partial       the rules checker's "partial" with no conflict
    unsupported   none of the sentence's predicates aligns with a cited one (``conflicts.alignment``)
                  and p < UNSUPPORTED_BELOW (the cited text is about something else), or p <
                  ELSEWHERE_BELOW with a name of the sentence missing from it (about someone else)
    uncertain     everything between: the signals do not decide; the score p says which way it leans

Where rules-v1 said "contradicted" from a word cue that the parse does not confirm, this checker
says "uncertain" (or "unsupported" when p is low). UNSUPPORTED_BELOW, ELSEWHERE_BELOW, ON_POINT and
DENIAL_ON_POINT were read off the calibration split of the dev halves (``bench/bench_support.py
--calibrate-v2`` prints the grids; see the constants).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from ..embed import Embedder
from ..split import split_sentences
from .batch import validate_pair
from .conflicts import alignment, antonym_conflict, denial_conflict, negation_conflict, number_conflict
from .parsed import asserts, denials, frames, quantities
from .rules import SUPPORTED_AT, RulesChecker, RulesOptions, support_probability
from .text import strip_citations
from .verdict import Label, Pair, Signals, Verdict
from .windows import EmbeddingCache, passage_numbers

# Calibrated by `bench/bench_support.py --calibrate` on the calibration split of the dev halves
# (ExpertQA DEV questions and Climate-FEVER DEV claims whose SHA-256 is even; the odd ones are
# only reported). UNSUPPORTED_BELOW: p < 0.33 means cosine below ~0.40 (z = -2.157 + 3.612·0.40
# = -0.71, p = 0.33), where MiniLM puts texts on other subjects. On the calibration split no
# threshold gives ExpertQA "unsupported" a precision above ~0.5 (0.43 on 7 pairs at 0.30, 0.60 on 15
# at 0.34, 0.47 on 36 at 0.40), so the value is set by that meaning; Climate-FEVER: 0.93 at 0.33.
UNSUPPORTED_BELOW = 0.33
# ON_POINT: a number, negation or antonym conflict counts only in a window this close to the
# sentence (cosine), so a passage on another point cannot contradict it. Calibration split, once a
# conflict had to be about the same thing (same doer and thing, both sides stating it, numbers of
# the same set, unit, year and place): ExpertQA 1.00 (1 pair) at every value from 0 to 0.6;
# Climate-FEVER 0.67 (9) at 0, 0.67 (6) at 0.4, 0.80 (5) at 0.45, 1.00 (3) at 0.5, 1.00 (2) at 0.6
# (3-way macro-F1 0.421, 0.415, 0.416, 0.412, 0.409). 0.45: the most conflicts at a precision of
# at least 0.75 (before, with looser conflicts, it was 0.6).
ON_POINT = 0.45
# DENIAL_ON_POINT: from this cosine a denial read from words (``conflicts.denial_conflict``: "there
# is no evidence that X" against a cited sentence stating most of X's words) makes a pair
# "uncertain" instead of "partial" or "unsupported". It made "contradicted" before; on the report
# split that was wrong on all 5 ExpertQA pairs it decided and on 14 of 24 Climate-FEVER pairs.
# Calibration split: no value from 0.3 to 0.6 changes a figure, so it stays at 0.45.
DENIAL_ON_POINT = 0.45
# "unsupported" needs the window to be clearly about something else: p < UNSUPPORTED_BELOW and
# none of the sentence's predicates aligned with a cited one (``conflicts.alignment``); a far window
# that still says something about the same who-does-what is "uncertain". Or about someone else: a
# name of the sentence missing from the cited text, no predicate aligned, and p < ELSEWHERE_BELOW
# (a report citing the wrong source for "Fillon said France opposed …" scores p = 0.334).
# Calibration split, precision of "unsupported" (n): ExpertQA 0.47 (30) before (p < 0.33, or a
# missing name with no aligned predicate at any p < 0.475), 0.62 (13) for the far window alone,
# 0.60 (15) with ELSEWHERE_BELOW 0.36, 0.56 (16) at 0.40, 0.50 (26) at 0.475; Climate-FEVER 0.87
# (657), 0.94 (311), 0.92 (366), 0.91 (443), 0.87 (610). `--calibrate-v2` prints the grids.
ELSEWHERE_BELOW = 0.36


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """Knobs of the default checker; the defaults are the calibrated constants above."""

    rules: RulesOptions = RulesOptions()
    unsupported_below: float = UNSUPPORTED_BELOW
    on_point: float = ON_POINT
    denial_on_point: float = DENIAL_ON_POINT
    elsewhere_below: float = ELSEWHERE_BELOW
    unsupported_unaligned: bool = True  # "unsupported" (far window) only with no aligned predicate


@dataclass(frozen=True, slots=True)
class Reading:
    """What the parse says about one pair: conflicts about the same thing and predicate alignment."""

    number: bool = False
    negation: bool = False
    antonym: bool = False
    denial: bool = False  # the sentence denies words a cited sentence states: "uncertain" at most, short of "supported"
    alignment: float = 1.0

    @property
    def conflict(self) -> bool:
        return self.number or self.negation or self.antonym


class ParseChecker:
    """Support checker: rules score and window, parse-read conflicts, and an explicit "uncertain"."""

    name = "rules"
    description = "offline rules v2 (MiniLM cosine score, conflicts read from the spaCy parse, an uncertain band)"

    def __init__(self, embedder: Embedder | EmbeddingCache, *, options: ParseOptions | None = None) -> None:
        self.options = options or ParseOptions()
        self.inner = RulesChecker(embedder, options=self.options.rules)
        # The threshold a caller that reads only the score compares with (``prose`` does).
        self.threshold = self.options.rules.supported_at

    def check(self, sentence: str, passages: Sequence[str]) -> Verdict:
        """Check one sentence against the passages it cites."""
        return self.check_many([(sentence, passages)])[0]

    def check_many(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Check many pairs: the rules checker's batch, then one parse of sentences and best windows."""
        pairs = [validate_pair(pair) for pair in pairs]
        first = self.inner.check_many(pairs)
        readings = read_pairs(pairs, first)
        return [self.decide(v, r) for v, r in zip(first, readings)]

    def decide(self, first: Verdict, reading: Reading) -> Verdict:
        """The label of the module docstring from the rules verdict and the parse reading."""
        if first.best_span is None:
            return first
        signals = replace(first.signals, negation_flip=reading.negation, number_conflict=reading.number,
                          antonym_conflict=reading.antonym, alignment=reading.alignment)
        p = support_probability(signals, self.options.rules.weights)
        below = min(p, self.threshold - 0.001)
        if reading.conflict and signals.cosine >= self.options.on_point:
            return Verdict(Label.CONTRADICTED, below, first.best_span, signals)
        if first.label is Label.SUPPORTED and p >= self.threshold:
            return Verdict(Label.SUPPORTED, p, first.best_span, signals)
        if reading.denial and signals.cosine >= self.options.denial_on_point:
            return Verdict(Label.UNCERTAIN, below, first.best_span, signals)  # a weak sign: for the reader
        if first.label is Label.PARTIAL and not reading.conflict:
            return Verdict(Label.PARTIAL, below, first.best_span, signals)
        unaligned = reading.alignment == 0.0
        far = p < self.options.unsupported_below and (unaligned or not self.options.unsupported_unaligned)
        elsewhere = unaligned and signals.entity_coverage < 1.0 and p < self.options.elsewhere_below
        if far or elsewhere:  # about something else, or about someone else
            return Verdict(Label.UNSUPPORTED, below, first.best_span, signals)
        return Verdict(Label.UNCERTAIN, below, first.best_span, signals)


def read_pairs(pairs: Sequence[tuple[str, Sequence[str]]], verdicts: Sequence[Verdict]) -> list[Reading]:
    """Parse each sentence and the sentences of its best window (one batch) and compare them."""
    from ..analysis.parse import parse  # spaCy loads on first use (~1 s)

    texts: list[str] = []
    layout: list[tuple[int, int] | None] = []
    for (sentence, passages), verdict in zip(pairs, verdicts):
        if verdict.best_span is None:
            layout.append(None)
            continue
        index, start, end = verdict.best_span
        window = passages[index][start:end]
        parts = [window[s:e] for s, e in split_sentences(window)] or [window]
        layout.append((len(texts), len(parts)))
        texts += [strip_citations(sentence), *parts]
    docs = parse(texts) if texts else []
    out = []
    for (_, passages), where in zip(pairs, layout):
        if where is None:
            out.append(Reading())
            continue
        at, n = where
        claim, cited = docs[at], docs[at + 1: at + 1 + n]
        claim_frames = frames(claim)
        cited_frames = [f for doc in cited for f in frames(doc)]
        pool = [num for p in passages for num in passage_numbers(p)]
        out.append(Reading(
            number=number_conflict(quantities(claim), [q for doc in cited for q in quantities(doc)], pool),
            negation=negation_conflict(claim_frames, cited_frames),
            antonym=antonym_conflict(claim_frames, cited_frames),
            denial=denial_conflict(denials(claim), [asserts(doc) for doc in cited]),
            alignment=alignment(claim_frames, cited_frames)))
    return out


__all__ = ["DENIAL_ON_POINT", "ELSEWHERE_BELOW", "ON_POINT", "ParseChecker", "ParseOptions", "Reading", "SUPPORTED_AT", "UNSUPPORTED_BELOW",
           "read_pairs"]
