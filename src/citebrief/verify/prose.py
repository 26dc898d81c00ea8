"""The strict check for prose a language model wrote: claim by claim, word by word (pure over a checker).

A source sentence quoted verbatim can only misquote by being cited for the wrong point, which the
ordinary checker measures. A model's sentence can add a claim the source never made while sounding
close to it ("Germany has formally agreed to admit Ukraine as a full member next month" against an
article saying Germany is hesitant: cosine 0.6, "supported"). So model prose must pass more:

1. the whole sentence must be ``supported`` by the wrapped checker — ``partial`` is not enough;
2. it is split into single claims (``claims.split_claims``), and every claim is checked on its own
   against the cited text: no conflict cue (negation, antonym, rival number), every number stated
   there, and every content word of the claim (nouns, verbs, adjectives, numbers, names, after
   lower-casing, inflection stripping and polarity groups, see ``text.canonical``) in the cited
   window(s) — coverage 1.0. A claim's own cosine is not asked for: a short verbatim fragment
   ("and 640 spent the night in three rest centres") sits far from its three-sentence window;
3. its predicate (main verb) is in the cited window, compared by base form ("agreed" needs "agree",
   "agreement" or "agreed"; attribution verbs such as "said" or "reported" are the brief's own).

With the model judge (``--checker llm``), a claim the model found "supported" passes rules 2–3 when
its predicate is in the quote the model gave (which the judge found word for word in the cited text).

The sentence is supported when it and every claim pass; contradicted when it or a claim is;
uncertain when the wrapped checker could not decide the whole sentence; unsupported when no claim
passes; partial otherwise. ``unbacked`` names the claims that failed, so a rewrite can be
compared with them (``claims.repeats``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .claims import predicate_terms, split_claims, verb_vocabulary
from .verdict import Label, Pair, SupportChecker, Verdict


@dataclass(frozen=True, slots=True)
class ProseVerdict:
    """The verdict on a model sentence and the claims of it that the cited text does not carry."""

    verdict: Verdict
    unbacked: tuple[str, ...] = ()


class ProseChecker:
    """Wraps any ``SupportChecker``: model sentences are checked claim by claim, strictly (see above)."""

    name = "prose"

    def __init__(self, checker: SupportChecker) -> None:
        self.checker = checker

    def check(self, sentence: str, passages: Sequence[str]) -> Verdict:
        """Check one model sentence against the passages it cites."""
        return self.check_many([(sentence, passages)])[0]

    def check_many(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Check many model sentences; the wrapped checker sees every claim in one batch."""
        return [p.verdict for p in self.check_claims(pairs)]

    def check_claims(self, pairs: Sequence[Pair]) -> list[ProseVerdict]:
        """The strict verdict of each pair, with the claims that failed."""
        claims = [split_claims(sentence) for sentence, _ in pairs]
        probes = [(claim, passages) for (_, passages), cs in zip(pairs, claims) for claim in cs]
        answers = self.checker.check_many(list(pairs) + probes) if pairs else []
        wholes, per_claim = answers[:len(pairs)], iter(answers[len(pairs):])
        out = []
        for (_, passages), cs, whole in zip(pairs, claims, wholes):
            verdicts = [next(per_claim) for _ in cs]
            out.append(self._combine(whole, cs, verdicts, passages))
        return out

    def _combine(self, whole: Verdict, claims: Sequence[str], verdicts: list[Verdict],
                 passages: Sequence[str]) -> ProseVerdict:
        passed = [_carried(claim, verdict, passages) for claim, verdict in zip(claims, verdicts)]
        unbacked = tuple(c for c, ok in zip(claims, passed) if not ok)
        if not unbacked and whole.label is Label.SUPPORTED:
            return ProseVerdict(whole)
        if whole.label is Label.CONTRADICTED or any(v.label is Label.CONTRADICTED for v in verdicts):
            label = Label.CONTRADICTED
        elif whole.label is Label.UNCERTAIN:
            label = Label.UNCERTAIN  # the checker could not decide the sentence: say so, do not guess
        elif not any(passed):
            label = Label.UNSUPPORTED
        else:
            label = Label.PARTIAL
        failed = next((v for v, ok in zip(verdicts, passed) if not ok), whole)
        return ProseVerdict(Verdict(label, self._below_threshold(min(failed.score, whole.score)),
                                    failed.best_span, failed.signals), unbacked or tuple(claims))

    def _below_threshold(self, score: float) -> float:
        """``score`` capped just below the wrapped checker's "supported" threshold, so the two agree."""
        options = getattr(self.checker, "options", None)
        limit = getattr(options, "supported_at", None) or getattr(self.checker, "threshold", None)
        return min(score, limit - 0.001) if isinstance(limit, float) else score


def _carried(claim: str, verdict: Verdict, passages: Sequence[str]) -> bool:
    """Rules 2–3 of the module docstring for one claim."""
    if verdict.by_model and verdict.label is Label.SUPPORTED and verdict.best_span is not None:
        # The model judge read the claim as stated; its quote is in the cited text (``judge``), and
        # the claim's predicate must be in that quote, so a quote that only shares its topic is not enough.
        index, start, end = verdict.best_span
        predicate = predicate_terms(claim)
        return not predicate or predicate <= verb_vocabulary(passages[index][start:end])
    signals = verdict.signals
    if verdict.best_span is None or signals.conflict or signals.coverage < 1.0 or signals.number_agreement < 1.0:
        return False
    index, start, end = verdict.best_span
    predicate = predicate_terms(claim)
    return not predicate or predicate <= verb_vocabulary(passages[index][start:end])
