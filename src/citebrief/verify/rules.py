"""The rules checker: a five-weight logistic score over readable signals, plus contradiction cues.

    p(supported) = sigmoid(b + w_cov·coverage + w_ent·entity_coverage + w_num·number_agreement
                           + w_cos·cosine + w_con·conflict)

The label then follows from p and the conflict cues:

    contradicted  a conflict cue fired (number, negation, antonym) and coverage >= CONTRADICTION_COVERAGE
                  (the window is on the same point but disagrees)
    supported     p >= SUPPORTED_AT
    partial       p >= PARTIAL_AT
    unsupported   otherwise
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

from ..embed import Embedder
from .batch import Prepared, prepare
from .match import Candidate, measure
from .verdict import Label, Pair, Signals, Verdict
from .windows import EmbeddingCache

FEATURES = ("coverage", "entity_coverage", "number_agreement", "cosine", "conflict")

# Calibrated on the DEV half of ExpertQA (rand_val + domain_val, deduplicated by question, dev =
# questions whose SHA-256 is even; binary gold support == "Complete"), all-MiniLM-L6-v2 cosines:
#   .venv/bin/python bench/bench_support.py --calibrate
# (L2-regularised logistic regression on the five signals; SUPPORTED_AT maximises dev macro-F1.)
WEIGHTS = (-4.0, 3.0, 0.5, 1.0, 3.0, -2.0)  # bias, then one weight per FEATURES entry
SUPPORTED_AT = 0.5
# PARTIAL_AT: calibrated on the DEV half of Climate-FEVER (claims whose SHA-256 is even), where a
# partial verdict is read as SUPPORTS; it maximises dev macro-F1 of the 3-way labels.
PARTIAL_AT = 0.3
# A conflict only means "contradicted" when the window is clearly about the same thing.
CONTRADICTION_COVERAGE = 0.5


@dataclass(frozen=True, slots=True)
class RulesOptions:
    """Knobs of the rules checker; the defaults are the calibrated constants above."""

    weights: tuple[float, ...] = WEIGHTS
    supported_at: float = SUPPORTED_AT
    partial_at: float = PARTIAL_AT
    contradiction_coverage: float = CONTRADICTION_COVERAGE
    candidates: int = 4  # windows embedded per pair (the lexically best, plus each passage's best)


def feature_vector(signals: Signals) -> tuple[float, ...]:
    """The signals in ``FEATURES`` order, booleans as 0/1."""
    return (signals.coverage, signals.entity_coverage, signals.number_agreement, signals.cosine,
            float(signals.conflict))


def support_probability(signals: Signals, weights: Sequence[float] = WEIGHTS) -> float:
    """sigmoid(bias + weights · features): the checker's support score in [0, 1]."""
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], feature_vector(signals)))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class RulesChecker:
    """Support checker from coverage, entity, number, negation and antonym cues plus MiniLM cosine."""

    name = "rules"

    def __init__(self, embedder: Embedder | EmbeddingCache, *, options: RulesOptions | None = None) -> None:
        self.cache = embedder if isinstance(embedder, EmbeddingCache) else EmbeddingCache(embedder)
        self.options = options or RulesOptions()

    def check(self, sentence: str, passages: Sequence[str]) -> Verdict:
        """Check one sentence against the passages it cites."""
        return self.check_many([(sentence, passages)])[0]

    def check_many(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Check many pairs; all sentences and candidate windows are embedded in one call."""
        batch = prepare(list(pairs), limit=self.options.candidates, cache=self.cache)
        return [self.decide(item) for item in batch]

    def decide(self, item: Prepared) -> Verdict:
        """Pick the best window of a prepared pair and label it."""
        if not item.candidates:
            return Verdict(Label.UNSUPPORTED, 0.0, None, Signals())
        weights = self.options.weights
        scored = []
        for cand, cos in zip(item.candidates, item.cosines):
            alone = measure(item.facts, cand, [cand], passages=item.passages, cosine=cos)
            # Rank windows by support without the conflict term: first find the window on the
            # sentence's point, then ask whether it agrees.
            scored.append((support_probability(replace(alone, negation_flip=False, number_conflict=False,
                                                       antonym_conflict=False), weights), cand, cos))
        scored.sort(key=lambda s: -s[0])
        _, best, best_cos = scored[0]
        per_passage: dict[int, Candidate] = {}
        for _, cand, _ in scored:
            per_passage.setdefault(cand.passage_index, cand)
        signals = measure(item.facts, best, list(per_passage.values()), passages=item.passages,
                          cosine=best_cos)
        score = support_probability(signals, weights)
        span = (best.passage_index, best.window.start, best.window.end)
        return Verdict(self._label(signals, score), score, span, signals)

    def _label(self, signals: Signals, score: float) -> Label:
        opts = self.options
        if signals.conflict and signals.coverage >= opts.contradiction_coverage:
            return Label.CONTRADICTED
        if score >= opts.supported_at:
            return Label.SUPPORTED
        if score >= opts.partial_at:
            return Label.PARTIAL
        return Label.UNSUPPORTED
