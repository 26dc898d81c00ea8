"""Two one-signal baselines the rules checker must beat: lexical overlap and MiniLM cosine.

Each says "supported" when its one number reaches a threshold and "unsupported" otherwise; it never
says partial or contradicted. bench/bench_support.py re-tunes the thresholds on each dev half in
every run; the defaults below are those dev-tuned values for ExpertQA.
"""

from __future__ import annotations

from typing import Sequence

from ..embed import Embedder
from .batch import prepare
from .match import measure
from .verdict import Label, Pair, Signals, Verdict
from .windows import EmbeddingCache

# Tuned on ExpertQA DEV (max macro-F1; split as in rules.py) by `bench/bench_support.py`, which
# prints the value it tunes in every run; on Climate-FEVER DEV the tuned values are 0.357 / 0.607.
LEXICAL_THRESHOLD = 0.571
COSINE_THRESHOLD = 0.673


def _threshold_verdict(value: float, threshold: float, span: tuple[int, int, int] | None,
                       signals: Signals) -> Verdict:
    """Supported when ``value`` reaches ``threshold``, else unsupported; the score is ``value``."""
    label = Label.SUPPORTED if value >= threshold else Label.UNSUPPORTED
    return Verdict(label, max(0.0, min(1.0, value)), span, signals)


class LexicalChecker:
    """Share of the sentence's content terms found in the best windows of its cited passages."""

    name = "lexical"
    description = "word-overlap baseline"

    def __init__(self, embedder: Embedder | EmbeddingCache | None = None, *,
                 threshold: float = LEXICAL_THRESHOLD) -> None:
        # The embedder is accepted so every registry entry is built the same way; it is unused.
        self.threshold = threshold

    def check(self, sentence: str, passages: Sequence[str]) -> Verdict:
        """Check one sentence against the passages it cites."""
        return self.check_many([(sentence, passages)])[0]

    def check_many(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Check many pairs (no embedding)."""
        out = []
        for item in prepare(list(pairs), limit=1, cache=None):
            if not item.candidates:
                out.append(Verdict(Label.UNSUPPORTED, 0.0, None))
                continue
            best = max(item.candidates, key=lambda c: c.lexical)
            # Coverage pools each cited passage's best window, as the rules checker does.
            signals = measure(item.facts, best, item.candidates, numbers=item.numbers, cosine=0.0)
            span = (best.passage_index, best.window.start, best.window.end)
            out.append(_threshold_verdict(signals.coverage, self.threshold, span, signals))
        return out


class CosineChecker:
    """Highest embedding cosine between the sentence and any window of its cited passages."""

    name = "cosine"
    description = "MiniLM cosine baseline"

    def __init__(self, embedder: Embedder | EmbeddingCache, *, threshold: float = COSINE_THRESHOLD) -> None:
        self.cache = embedder if isinstance(embedder, EmbeddingCache) else EmbeddingCache(embedder)
        self.threshold = threshold

    def check(self, sentence: str, passages: Sequence[str]) -> Verdict:
        """Check one sentence against the passages it cites."""
        return self.check_many([(sentence, passages)])[0]

    def check_many(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Check many pairs; every window of every cited passage is embedded (one call per batch)."""
        out = []
        for item in prepare(list(pairs), limit=None, cache=self.cache):
            if not item.candidates:
                out.append(Verdict(Label.UNSUPPORTED, 0.0, None))
                continue
            cos, best = max(zip(item.cosines, item.candidates), key=lambda t: t[0])
            signals = measure(item.facts, best, [best], numbers=item.numbers, cosine=cos)
            span = (best.passage_index, best.window.start, best.window.end)
            out.append(_threshold_verdict(cos, self.threshold, span, signals))
        return out
