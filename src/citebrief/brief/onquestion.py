"""A quoted sentence is checked against the question it is used to answer, not only against the
passage it was copied from (which it always matches).

An extract stays when it is close to the question (MiniLM cosine at least ``min_similarity``; the
pipeline uses 0.20, between the 0.15 at which whole-article sentences enter the evidence and the 0.30
at which a searched sentence does) or when the analysis placed it: a sentence that gives an actor's stance
or reason answers a question about positions through that actor, whatever words it shares with the
question. Whole articles are read for the analysis, so a sentence far from the question can reach
the writer; this is where it is stopped. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .model import ActorFinding, Section


@dataclass(frozen=True, slots=True)
class QuestionCheck:
    """The sections without off-question extracts, how many extracts were checked, and what was dropped."""

    sections: tuple[Section, ...]
    checked: int
    dropped: tuple[tuple[str, float], ...]  # (sentence, its similarity to the question)


def check_extracts(sections: list[Section], similarity: dict[str, float], actors: list[ActorFinding],
                   min_similarity: float) -> QuestionCheck:
    """Drop quoted sentences that neither come close to the question nor carry an actor's stance or reason."""
    placed = {e for a in actors for e in (*a.position_evidence, *a.reason_evidence, *(p[2] for p in a.series))}
    checked, dropped, out = 0, [], []
    for section in sections:
        kept = []
        for draft in section.sentences:
            if draft.kind != "extract":
                kept.append(draft)
                continue
            checked += 1
            best = max((similarity.get(e, 0.0) for e in draft.evidence), default=0.0)
            if best >= min_similarity or placed & set(draft.evidence):
                kept.append(draft)
            else:
                dropped.append((draft.text, round(best, 3)))
        if kept:
            out.append(replace(section, sentences=tuple(kept)))
    return QuestionCheck(tuple(out), checked, tuple(dropped))
