"""Quality metrics shared by benchmarks and quality-gate tests (pure: values in, values out).

Extraction quality is the metric of scrapinghub/article-extraction-benchmark (``evaluate.py``):
tokens are ``\\w+`` runs; a text becomes a multiset of 4-token shingles; per page,
TP = Σ min(true, predicted), FP = excess predicted, FN = missing, all three divided by TP+FP+FN so
that long pages weigh no more than short ones. Precision is the mean per-page precision over pages
with TP+FP > 0, recall the mean per-page recall over pages with TP+FN > 0, F1 = 2PR/(P+R) of those
means (not a mean of per-page F1s). Accuracy is the share of pages whose token sequence equals the
truth exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import mean
from typing import Iterable

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4


@dataclass(frozen=True, slots=True)
class PageMatch:
    """Normalised shingle counts for one page (tp + fp + fn = 1 unless both texts are empty)."""

    tp: float
    fp: float
    fn: float
    exact: bool  # token sequences are identical

    @property
    def precision(self) -> float:
        """Per-page precision; 1 when nothing is extra or missing, 0 when nothing was predicted."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Per-page recall; 1 when nothing is extra or missing, 0 when nothing true was found."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


@dataclass(frozen=True, slots=True)
class ExtractionScore:
    """Corpus-level extraction quality."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def tokens(text: str | None) -> list[str]:
    """The ``\\w+`` tokens of ``text`` (case kept, as in the benchmark)."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of ``size``-token shingles; a text shorter than ``size`` is one shorter shingle."""
    toks = tokens(text)
    # max(1, …) mirrors the benchmark: "a b" still yields the one shingle ("a", "b").
    grams = (tuple(toks[i:i + size]) for i in range(max(1, len(toks) - size + 1)))
    return Counter(g for g in grams if g)


def match_page(true: str | None, pred: str | None) -> PageMatch:
    """Compare one predicted text with its truth."""
    true_sh, pred_sh = shingles(true), shingles(pred)
    tp = sum((true_sh & pred_sh).values())
    fp = sum((pred_sh - true_sh).values())
    fn = sum((true_sh - pred_sh).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageMatch(tp=tp, fp=fp, fn=fn, exact=tokens(true) == tokens(pred))


def score_pages(matches: Iterable[PageMatch]) -> ExtractionScore:
    """Aggregate per-page matches into precision, recall, F1 and accuracy."""
    matches = list(matches)
    if not matches:
        raise ValueError("score_pages needs at least one page")
    precs = [m.precision for m in matches if m.tp + m.fp > 0]
    recs = [m.recall for m in matches if m.tp + m.fn > 0]
    precision = mean(precs) if precs else 0.0
    recall = mean(recs) if recs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(m.exact for m in matches) / len(matches)
    return ExtractionScore(precision=precision, recall=recall, f1=f1, accuracy=accuracy,
                           pages=len(matches))


def extraction_score(pairs: Iterable[tuple[str | None, str | None]]) -> ExtractionScore:
    """Score (true, predicted) text pairs with the article-extraction-benchmark metric."""
    return score_pages(match_page(true, pred) for true, pred in pairs)
