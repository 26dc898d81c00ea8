"""The one place where the brief's stages are wired together.

    1. plan      question → shape, topic terms, facets              (brief.question)
    2. retrieve  each facet → hybrid search → evidence sentences    (brief.evidence)
    3. analyse   evidence → actors/positions/reasons, disputes      (brief.actors, brief.disputes)
    4. write     sections from evidence (extractive or an LLM)      (brief.writer / llm.writer)
    5. verify    every sentence against its citations, section by   (brief.gate)
                 section; ``on_section`` sees each one once it is final
       revise    removed sentences back to the writer once, if it can revise; gate again
                 (a writer that hands sections over one by one — ``SectionsOneByOne`` — has each
                 section checked, verified, revised and shown before it writes the next)
    6. limits    computed from the evidence that was used           (brief.limits)
    7. assemble  number sources by first citation → Brief           (brief.assemble)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Protocol, runtime_checkable

import numpy as np

from .analysis.parse import stored_parses
from .analysis.stances import actor_queries, analyse_actors
from .brief.answerable import unanswered
from .brief.assemble import assemble, not_enough_evidence
from .brief.disputes import find_denials, find_value_conflicts
from .brief.evidence import EvidenceOptions, EvidenceSet, extend, gather, read_whole
from .brief.gate import Gate, GateResult, GatedDraft, drop_repeated_claims, gate
from .brief.limits import compute_limits
from .brief.model import ActorFinding, Brief, Dispute, Draft, Plan, Section
from .brief.onquestion import QuestionCheck, check_extracts
from .brief.question import plan_question
from .brief.templates import TemplateCheck, check_templates
from .brief.writer import shape_has_actor_table, write_sections
from .embed import Embedder
from .search import Retriever
from .store.base import Store
from .verify import SupportChecker

Progress = Callable[[str, str], None]
# Called once per verified section, in brief order, with the brief as far as the reader may see it.
SectionSink = Callable[[Brief], None]


class SectionWriter(Protocol):
    """Writes the sections of a brief from the plan, evidence and extracted facts."""

    def write(self, plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute],
              vectors: dict[str, np.ndarray]) -> list[Section]: ...


@runtime_checkable
class SectionsOneByOne(Protocol):
    """Optional writer hook: the sections in brief order, each handed over as soon as it is written.

    The pipeline checks, verifies (and revises) each one and shows it before asking for the next,
    so a slow writer's first sections reach the reader while it writes the rest. A section handed
    over must be the one ``write`` would give in its place.
    """

    def write_each(self, plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute],
                   vectors: dict[str, np.ndarray]) -> Iterator[Section]: ...


@runtime_checkable
class PlanRewriter(Protocol):
    """Optional writer hook: reword the offline plan's facet headings and queries (keys stay)."""

    def reword_plan(self, plan: Plan) -> Plan: ...


@runtime_checkable
class Reviser(Protocol):
    """Optional writer hook: rewrite sentences the gate removed; one tuple per draft (empty = none)."""

    def revise(self, removed: list[Draft], evidence: EvidenceSet) -> list[tuple[Draft, ...]]: ...


@dataclass(frozen=True, slots=True)
class WriterReport:
    """What a writer adds to the brief: metrics, and limits the reader must know about."""

    metrics: dict[str, Any] = field(default_factory=dict)
    limits: tuple[str, ...] = ()


@runtime_checkable
class Reporter(Protocol):
    """Optional writer hook: report what happened while writing (called once, after revising)."""

    def report(self) -> WriterReport: ...


class ExtractiveWriter:
    """The default writer: source sentences and templates over extracted facts; cannot invent."""

    name = "extractive"

    def write(self, plan, evidence, actors, disputes, vectors) -> list[Section]:
        return write_sections(plan, evidence, actors, disputes, vectors)


@dataclass(frozen=True, slots=True)
class BriefOptions:
    """Settings of one brief."""

    keep_unsupported: bool = False
    evidence: EvidenceOptions = field(default_factory=EvidenceOptions)
    min_evidence: int = 3  # fewer relevant sentences than this → "not enough evidence"
    min_best_similarity: float = 0.45  # the best sentence must be at least this close to the question
    # a quoted sentence further than this from the question is dropped unless the analysis placed it
    # (evidence selection admits whole-article sentences from 0.15 for the analysis)
    off_question: float = 0.20


def now_iso() -> str:
    """Current UTC time, ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_brief(question: str, *, store: Store, embedder: Embedder, checker: SupportChecker,
                writer: SectionWriter | None = None, options: BriefOptions = BriefOptions(),
                progress: Progress = lambda stage, detail: None, on_section: SectionSink | None = None) -> Brief:
    """Answer ``question`` from the corpus in ``store`` with a verified, cited brief.

    ``on_section``: called after each section is verified, in brief order, with a partial ``Brief``
    (see ``partial_brief``); the brief returned is the same with or without it.
    """
    with stored_parses(store):  # sentences parsed by an earlier brief on this corpus are read back
        return _write_brief(question, store=store, embedder=embedder, checker=checker, writer=writer,
                            options=options, progress=progress, on_section=on_section)


def _write_brief(question: str, *, store: Store, embedder: Embedder, checker: SupportChecker,
                 writer: SectionWriter | None, options: BriefOptions, progress: Progress,
                 on_section: SectionSink | None) -> Brief:
    generated_at = now_iso()
    progress("plan", "analysing the question")
    plan = plan_question(question)
    if isinstance(writer, PlanRewriter):
        plan = writer.reword_plan(plan)
    progress("plan", f"{plan.shape.value} question; facets: {', '.join(f.key for f in plan.facets)}")

    progress("retrieve", "searching for each facet")
    retriever = Retriever(store, embedder)
    evidence = gather(plan, retriever, embedder, options.evidence)
    best = max(evidence.question_similarity.values(), default=0.0)
    if len(evidence.items) < options.min_evidence or best < options.min_best_similarity:
        progress("done", "not enough evidence")
        return not_enough_evidence(plan, generated_at=generated_at, reason=(
            f"the corpus ({store.counts()['documents']} documents) holds {len(evidence.items)} sentence(s) "
            f"related to the question (closest similarity {best:.2f}); add sources that cover it "
            "(citebrief add PATH) and ask again."))
    progress("retrieve", f"{len(evidence.items)} evidence sentences from {len(evidence.passages)} passages")
    missing = unanswered(plan.question, [ev.text for ev in evidence.items.values()])
    if missing:  # the topic is covered, what was asked is not ("voted to convict" before any vote)
        progress("done", "the sources do not answer the question")
        return not_enough_evidence(plan, generated_at=generated_at, reason=(
            f"the corpus covers the question's subject ({len(evidence.items)} related sentences), but no source "
            f"sentence reports what the question asks ({' + '.join(missing)}), so the sources do not establish "
            "the answer; add sources that report it (citebrief add PATH) and ask again."))

    progress("analyse", "actors, positions, reasons and disputes")
    ids = list(evidence.items)
    vectors = evidence.vectors  # embedded once, while the evidence was selected
    actors: list[ActorFinding] = []
    if shape_has_actor_table(plan.shape):
        evidence = read_whole(evidence, plan, retriever, embedder, options.evidence)
        ids, vectors = list(evidence.items), evidence.vectors
        actors = analyse_actors(plan, evidence.items, _doc_texts(store, evidence), evidence.question_similarity,
                                embedder.embed)
        wanted = actor_queries(plan, actors)
        if wanted:  # read where each actor explains itself, then analyse again
            evidence = extend(evidence, plan, retriever, embedder, wanted, options.evidence)
            ids, vectors = list(evidence.items), evidence.vectors
            actors = analyse_actors(plan, evidence.items, _doc_texts(store, evidence), evidence.question_similarity,
                                    embedder.embed)
    disputes = find_denials(evidence.items, vectors) + find_value_conflicts(evidence.items, vectors)
    progress("analyse", f"{len(actors)} actors, {len(disputes)} disputes")

    progress("write", getattr(writer, "name", "extractive"))
    show = None if on_section is None else _Shown(plan, evidence, generated_at, on_section)
    if isinstance(writer, SectionsOneByOne):
        stepwise = Stepwise(evidence, actors, checker, options=options,
                            reviser=writer if isinstance(writer, Reviser) else None, show=show)
        for section in writer.write_each(plan, evidence, actors, disputes, vectors):
            progress("verify", f"{section.heading}: checking {len(section.sentences)} sentence(s)")
            stepwise.add(section, progress)
        gated, templates, on_question = stepwise.result()
        progress("verify", f"citation recall {gated.metrics['citation_recall']:.2f}")
        if "revise_rewritten" in gated.metrics:
            progress("revise", f"{gated.metrics['revise_rewritten']} rewrite(s) kept, "
                               f"{gated.metrics['revise_dropped']} sentence(s) dropped")
    else:
        gated, templates, on_question = _write_then_check(
            (writer or ExtractiveWriter()).write(plan, evidence, actors, disputes, vectors),
            writer, evidence, actors, checker, options=options, progress=progress, show=show)
    report = writer.report() if isinstance(writer, Reporter) else WriterReport()

    used_ids = {e for _, drafts in gated.sections for g in drafts for e in g.draft.evidence}
    used_ids |= {e for a in actors for e in a.position_evidence[:3] + a.reason_evidence[:3]}
    used_ids |= {e for d in disputes for _, es in d.sides for e in es}
    used = {e: evidence.items[e] for e in ids if e in used_ids}
    limits = compute_limits(plan, used, evidence.by_facet, actors, disputes) + list(report.limits)
    brief = assemble(plan, gated, actors, disputes, limits, evidence, generated_at=generated_at)
    brief = replace(brief, metrics={**brief.metrics, **report.metrics, **_checked(gated, templates, on_question)})
    progress("done", f"{len(brief.sources)} sources cited")
    return brief


def _write_then_check(sections: list[Section], writer: SectionWriter | None, evidence: EvidenceSet,
                      actors: list[ActorFinding], checker: SupportChecker, *, options: BriefOptions,
                      progress: Progress, show: Callable[[tuple], None] | None
                      ) -> tuple[GateResult, TemplateCheck, QuestionCheck]:
    """Steps 4–5 for a writer that hands over all its sections at once: check, verify, revise, show."""
    progress("verify", f"checking {sum(len(s.sentences) for s in sections)} sentences")
    templates = check_templates(sections, actors)  # template claims against the analysis
    on_question = check_extracts(list(templates.sections), evidence.question_similarity, actors,
                                 options.off_question)  # quoted sentences against the question
    sections = list(on_question.sections)
    # A reviser may rewrite a sentence of any section after the gate: its sections are shown once revised.
    gated = gate_sections(sections, evidence, checker, keep_unsupported=options.keep_unsupported,
                          show=None if isinstance(writer, Reviser) else show)
    progress("verify", f"citation recall {gated.metrics['citation_recall']:.2f}")
    if isinstance(writer, Reviser) and gated.removed:
        progress("revise", f"{len(gated.removed)} removed sentence(s) back to the writer once")
        sections, gated = revise_removed(sections, gated, writer, evidence, checker)
        progress("revise", f"{gated.metrics['revise_rewritten']} rewrite(s) kept, "
                           f"{gated.metrics['revise_dropped']} sentence(s) dropped")
    if show is not None and isinstance(writer, Reviser):
        for k in range(len(gated.sections)):
            show(gated.sections[:k + 1])
    return gated, templates, on_question


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


def gate_sections(sections: list[Section], evidence: EvidenceSet, checker: SupportChecker, *,
                  keep_unsupported: bool = False, show: Callable[[tuple], None] | None = None) -> GateResult:
    """``brief.gate.gate``, section by section: ``show`` gets the kept sections so far after each one that kept a sentence."""
    checking = Gate(evidence, checker, keep_unsupported=keep_unsupported)
    for section in sections:
        if checking.check(section) and show is not None:
            show(checking.sections)
    return checking.result()


def partial_brief(plan: Plan, sections: tuple[tuple[str, tuple[GatedDraft, ...]], ...], evidence: EvidenceSet, *,
                  generated_at: str) -> Brief:
    """The brief as far as it is verified: its first sections, and the sources they cite.

    ``assemble`` numbers sources in order of first citation through the sections in order, then
    the actor table and the disputes, so a section's numbers depend only on it and the sections
    before it: the numbers here are the ones the final brief gives. No actors, disputes or limits
    yet (they are numbered after every section); ``enough_evidence`` is True; metrics are empty.
    """
    return assemble(plan, GateResult(sections, (), {}), [], [], [], evidence, generated_at=generated_at)


@dataclass(frozen=True, slots=True)
class _Shown:
    """Hands ``on_section`` the partial brief for the kept sections so far."""

    plan: Plan
    evidence: EvidenceSet
    generated_at: str
    on_section: SectionSink

    def __call__(self, sections: tuple[tuple[str, tuple[GatedDraft, ...]], ...]) -> None:
        self.on_section(partial_brief(self.plan, sections, self.evidence, generated_at=self.generated_at))


def _checked(gated: GateResult, templates: TemplateCheck, on_question: QuestionCheck) -> dict[str, Any]:
    """What was checked, named as what it is: quoted sentences (against their passage and the question),
    templates verified against the analysis."""
    kinds = [g.draft.kind for _, drafts in gated.sections for g in drafts]
    return {"sentences_quoted": kinds.count("extract"),
            "templates_verified_against_analysis": sum(1 for k in kinds if k == "template"),
            "templates_dropped": [{"text": t, "why": why} for t, why in templates.dropped],
            "extracts_checked_against_question": on_question.checked,
            "extracts_dropped_off_question": [{"text": t, "similarity": sim} for t, sim in on_question.dropped]}


def _doc_texts(store: Store, evidence: EvidenceSet) -> dict[str, str]:
    """The full text of every document the evidence comes from (for names and pronouns)."""
    out: dict[str, str] = {}
    for ev in evidence.items.values():
        if ev.doc.doc_id not in out:
            doc = store.document(ev.doc.doc_id)
            out[ev.doc.doc_id] = doc.text if doc else ""
    return out


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
