"""The values a support check returns, and the ``SupportChecker`` protocol every checker follows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Protocol, Sequence, runtime_checkable

# One (sentence, cited passages) pair; the passages are the texts behind the sentence's [n] markers.
Pair = tuple[str, Sequence[str]]


class Label(str, Enum):
    """How far the cited passages back a sentence."""

    SUPPORTED = "supported"  # the cited text states what the sentence says
    PARTIAL = "partial"  # it backs part of the sentence; some content is not in the cited text
    UNCERTAIN = "uncertain"  # the signals do not decide: a reader should look (the score says which way it leans)
    UNSUPPORTED = "unsupported"  # the cited text does not state it (or is about something else)
    CONTRADICTED = "contradicted"  # the cited text is on the same point but disagrees (number, negation, antonym)


@dataclass(frozen=True, slots=True)
class Signals:
    """The measurements a verdict was decided from, kept for debugging and JSON output.

    Fractions are in [0, 1]; a fraction with nothing to measure (no entities, no numbers) is 1.0.
    """

    coverage: float = 0.0  # share of the sentence's content terms found in the best window(s)
    entity_coverage: float = 1.0  # share of its capitalised phrases found whole
    number_agreement: float = 1.0  # share of its numbers, dates and percentages found in the cited text
    cosine: float = 0.0  # embedding cosine between the sentence and its best window
    # The three conflicts: word cues near shared words in rules-v1; read from the spaCy parse, about
    # the same thing, in the default checker (``parsecheck``, ``conflicts``).
    negation_flip: bool = False  # one side negates and the other, on the same words/predicate, does not
    number_conflict: bool = False  # a number of the sentence is absent where the window has a rival one
    antonym_conflict: bool = False  # "denied" against "confirmed", "rose" against "fell"
    claim_support: float = 1.0  # share of the sentence's single claims the cited text backs (``claims``)
    alignment: float = 1.0  # share of its predicates the aligned cited sentence also has (``conflicts``)

    @property
    def conflict(self) -> bool:
        """True when any contradiction cue fired."""
        return self.negation_flip or self.number_conflict or self.antonym_conflict

    def as_dict(self) -> dict[str, float | bool]:
        """Plain dict (rounded floats) for JSON."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The checker's decision on one sentence and its cited passages."""

    label: Label
    score: float  # support score in [0, 1]; higher means better supported
    best_span: tuple[int, int, int] | None  # (passage_index, start, end) into that passage; None without text
    signals: Signals = Signals()
    by_model: bool = False  # decided by the model judge, on a quote it gave that is in the cited text

    @property
    def supported(self) -> bool:
        """True only for a ``SUPPORTED`` label (what a gate that lets a sentence through asks)."""
        return self.label is Label.SUPPORTED

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form: label value, rounded score, span as a list, signals."""
        out: dict[str, object] = {
            "verdict": self.label.value,
            "score": round(self.score, 4),
            "best_span": list(self.best_span) if self.best_span is not None else None,
            "signals": self.signals.as_dict(),
        }
        if self.by_model:  # the signals are the offline screen's; the verdict is the model's
            out["decided_by"] = "model"
        return out


@runtime_checkable
class SupportChecker(Protocol):
    """Decides whether cited passages support a sentence."""

    name: str

    def check(self, sentence: str, passages: Sequence[str]) -> Verdict:
        """Check one sentence against the passages it cites."""
        ...

    def check_many(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Check many pairs at once; embeddings of the whole batch are computed in one call."""
        ...
