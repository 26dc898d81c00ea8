"""ALCE citation recall and precision of cited sentences, with any support checker as the judge.

Gao et al. 2023, "Enabling Large Language Models to Generate Text with Citations" (ALCE), §2.2,
following their eval.py:

- recall: a sentence scores 1 when the concatenation of all its cited passages supports it
  (0 when it cites nothing). Citation recall = mean over sentences.
- precision: a citation is *irrelevant* when it alone does not support the sentence AND the other
  citations without it still do. Only sentences whose full set supports them earn precision credit:
  each of their citations counts 1 unless irrelevant; every citation of an unsupported sentence
  counts 0. Citation precision = credited citations / all citations.

Worked example: "A [1][2]" where [1] states A and [2] is off-topic → recall 1; [1] is needed,
[2] is irrelevant ([2] alone fails and [1] alone still supports) → precision 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Sequence

from .verdict import Label, SupportChecker


@dataclass(frozen=True, slots=True)
class CitationScores:
    """ALCE citation recall and precision over a set of cited sentences."""

    recall: float
    precision: float
    sentences: int
    citations: int


def citation_scores(checker: SupportChecker, cited: Sequence[tuple[str, Sequence[str]]], *,
                    accept: Collection[Label] = (Label.SUPPORTED,)) -> CitationScores:
    """ALCE citation recall/precision of ``cited`` (sentence, its cited passages) pairs.

    ``accept`` names the labels that count as "supports" (default: supported only).
    """
    # ALCE judges the concatenation of the cited passages; the checkers take the list and pool
    # coverage across it, which asks the same question without losing passage offsets.
    full = checker.check_many([(s, list(ps)) for s, ps in cited if ps])
    full_ok = iter([v.label in accept for v in full])
    supported = [bool(ps) and next(full_ok) for _, ps in cited]

    # Second batch: for each multi-citation supported sentence, every citation alone and every
    # leave-one-out set.
    probes: list[tuple[str, list[str]]] = []
    for (sentence, passages), ok in zip(cited, supported):
        if ok and len(passages) > 1:
            for k in range(len(passages)):
                probes.append((sentence, [passages[k]]))
                probes.append((sentence, [p for j, p in enumerate(passages) if j != k]))
    answers = iter([v.label in accept for v in checker.check_many(probes)] if probes else [])

    credited = 0
    total = 0
    for (_, passages), ok in zip(cited, supported):
        total += len(passages)
        if not ok:
            continue
        if len(passages) == 1:
            credited += 1
            continue
        for _ in passages:
            alone, without = next(answers), next(answers)
            credited += int(alone or not without)
    n = len(cited)
    return CitationScores(
        recall=sum(supported) / n if n else 0.0,
        precision=credited / total if total else 0.0,
        sentences=n,
        citations=total,
    )
