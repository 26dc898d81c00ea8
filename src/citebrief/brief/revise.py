"""Revising what the gate removed: the removed sentences go back to a writer that can rewrite them,
once, and the rewrites are gated again — for a whole brief at once (``revise_removed``) or section by
section as a writer hands sections over (``Stepwise``). Used by ``pipeline``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Protocol, runtime_checkable

from ..verify import SupportChecker
from .evidence import EvidenceSet
from .gate import Gate, GateResult, GatedDraft, drop_repeated_claims, gate
from .model import ActorFinding, Draft, Section
from .onquestion import QuestionCheck, check_extracts
from .templates import TemplateCheck, check_templates

if TYPE_CHECKING:
    from ..pipeline import BriefOptions

Progress = Callable[[str, str], None]


@runtime_checkable
class Reviser(Protocol):
    """Optional writer hook: rewrite sentences the gate removed; one tuple per draft (empty = none)."""

    def revise(self, removed: list[Draft], evidence: EvidenceSet) -> list[tuple[Draft, ...]]: ...


class Stepwise:
    """Steps 5 and revise for one section at a time, as a writer hands sections over (``add``), then ``result``.

    Each section is checked (templates against the analysis, quotes against the question — both
    pure per section), verified (``Gate``, which carries what spans sections), and, with a reviser,
    its removed sentences go back to the writer at once and the section is verified again by a
    second gate that sees every section (unchanged sentences reuse the first gate's answers); then
    it is shown. ``result`` puts the totals together as ``revise_removed`` does for a whole brief.

    What differs from revising the whole brief at once: one revise request per section that lost a
    model sentence (each with that section's sentences and evidence only, instead of one request
    for all), and a rewrite is compared with the claims removed from its own and earlier sections
    (the later ones are not written yet); the second gate still checks every rewrite on its own.
    The calls come in another order (a section's revise before the next section's write), so a
    token budget that runs out mid-brief may cut a later section instead of the revise step.
    """

    def __init__(self, evidence: EvidenceSet, actors: list[ActorFinding], checker: SupportChecker, *,
                 options: BriefOptions, reviser: Reviser | None, show: Callable[[tuple], None] | None) -> None:
        self.evidence, self.actors, self.options, self.show = evidence, actors, options, show
        self.reviser = None if options.keep_unsupported else reviser  # nothing is removed when all is kept
        memo: dict = {}
        self.first = Gate(evidence, checker, keep_unsupported=options.keep_unsupported, memo=memo)
        self.second = Gate(evidence, checker, memo=memo) if self.reviser is not None else None
        self.removed: list[Draft] = []  # every draft the first gate removed so far
        self.repeated: list[tuple[str, str]] = []
        self.counts = dict.fromkeys(("verified", "checked", "requested", "rewritten", "dropped"), 0)
        self.dropped_templates: list[tuple[str, str]] = []
        self.off_question: list[tuple[str, float]] = []
        self.sections: list[Section] = []

    def add(self, section: Section, progress: Progress) -> None:
        """Check, verify and revise ``section``; show the brief so far if it kept a sentence."""
        templates = check_templates([section], self.actors)
        on_question = check_extracts(list(templates.sections), self.evidence.question_similarity, self.actors,
                                     self.options.off_question)
        self.counts["verified"] += templates.verified
        self.counts["checked"] += on_question.checked
        self.dropped_templates += templates.dropped
        self.off_question += on_question.dropped
        for checked in on_question.sections:  # none when every sentence was off the question
            self.sections.append(checked)
            kept = self.first.check(checked)
            if self.second is not None:
                kept = self._revised(checked, kept, progress)
            if kept and self.show is not None:
                self.show((self.second or self.first).sections)

    def _revised(self, section: Section, kept: tuple[GatedDraft, ...], progress: Progress
                 ) -> tuple[GatedDraft, ...]:
        """What the second gate keeps of ``section`` once its removed sentences are rewritten (once; repeats dropped)."""
        positions = [k for _, k in removed_positions([section], GateResult(((section.heading, kept),), (), {}))]
        if not positions:
            return self.second.check(section)
        progress("revise", f"{section.heading}: {len(positions)} removed sentence(s) back to the writer once")
        removed = [section.sentences[k] for k in positions]
        self.removed += removed
        answers, repeated = drop_repeated_claims(self.removed, self.reviser.revise(removed, self.evidence),
                                                 self.first.result())
        self.repeated += repeated
        rewrites = dict(zip(positions, answers, strict=True))
        drafts: list[Draft] = []
        origin: dict[int, int] = {}  # where a rewrite sits → the draft it replaces
        for k, draft in enumerate(section.sentences):
            for new in rewrites.get(k, (draft,)):
                if k in rewrites:
                    origin[len(drafts)] = k
                drafts.append(new)
        revised = Section(section.heading, tuple(drafts))
        again = self.second.check(revised)
        failed = {k for _, k in removed_positions([revised], GateResult(((revised.heading, again),), (), {}))}
        passed = [source for where, source in origin.items() if where not in failed]
        self.counts["requested"] += len(positions)
        self.counts["rewritten"] += len(passed)
        self.counts["dropped"] += len(positions) - len(set(passed))
        return again

    def result(self) -> tuple[GateResult, TemplateCheck, QuestionCheck]:
        """The gate's result over every section (revised, if anything was), and what the checks found."""
        c = self.counts
        templates = TemplateCheck(tuple(self.sections), c["verified"], tuple(self.dropped_templates))
        on_question = QuestionCheck(tuple(self.sections), c["checked"], tuple(self.off_question))
        first = self.first.result()
        if self.second is None or not first.removed:
            return first, templates, on_question
        again = self.second.result()
        metrics = {**again.metrics, "sentences_removed": len(first.removed) + len(self.repeated) + len(again.removed),
                   "citation_recall_first_draft": first.metrics["citation_recall"],
                   "revise_requested": c["requested"], "revise_rewritten": c["rewritten"],
                   "revise_dropped": c["dropped"], "revise_repeats_dropped": len(self.repeated)}
        return replace(again, removed=first.removed + tuple(self.repeated) + again.removed,
                       metrics=metrics), templates, on_question


def revise_removed(sections: list[Section], gated: GateResult, reviser: Reviser, evidence: EvidenceSet,
                   checker: SupportChecker) -> tuple[list[Section], GateResult]:
    """Send the removed sentences back once, put the rewrites in their place and gate everything again.

    A rewrite that repeats a removed claim is dropped before the second gate (a claim the sources do
    not carry stays out however it is reworded); rewrites that are still unsupported are dropped by
    the second gate; no third round. ``removed`` in the result lists the first gate's removals, the
    repeats (verdict "repeated") and the second gate's removals; metrics count what happened.
    """
    positions = removed_positions(sections, gated)
    removed = [sections[i].sentences[k] for i, k in positions]
    answers, repeated = drop_repeated_claims(removed, reviser.revise(removed, evidence), gated)
    rewrites = dict(zip(positions, answers, strict=True))
    revised: list[Section] = []
    origin: dict[tuple[int, int], tuple[int, int]] = {}  # where a rewrite sits → the draft it replaces
    for i, section in enumerate(sections):
        drafts: list[Draft] = []
        for k, draft in enumerate(section.sentences):
            for new in rewrites.get((i, k), (draft,)):
                if (i, k) in rewrites:
                    origin[(i, len(drafts))] = (i, k)
                drafts.append(new)
        revised.append(Section(section.heading, tuple(drafts)))
    again = gate(revised, evidence, checker)
    failed = set(removed_positions(revised, again))
    passed = [source for where, source in origin.items() if where not in failed]
    metrics = {**again.metrics, "sentences_removed": len(gated.removed) + len(repeated) + len(again.removed),
               "citation_recall_first_draft": gated.metrics["citation_recall"],
               "revise_requested": len(positions), "revise_rewritten": len(passed),
               "revise_dropped": len(positions) - len(set(passed)), "revise_repeats_dropped": len(repeated)}
    return revised, replace(again, removed=gated.removed + repeated + again.removed, metrics=metrics)


def removed_positions(sections: list[Section], gated: GateResult) -> list[tuple[int, int]]:
    """(section, sentence) of every draft the gate removed.

    A section's kept drafts are an ordered subsequence of its drafts (same text; citations may be
    pruned), so a walk in step finds the rest; sections with nothing kept are absent from ``gated``.
    """
    kept = {heading: [g.draft.text for g in drafts] for heading, drafts in gated.sections}
    out = []
    for i, section in enumerate(sections):
        texts, j = kept.get(section.heading, []), 0
        for k, draft in enumerate(section.sentences):
            if j < len(texts) and texts[j] == draft.text:
                j += 1
            else:
                out.append((i, k))
    return out
