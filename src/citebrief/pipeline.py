"""The one place where the brief's stages are wired together.

    1. plan      question → shape, topic terms, facets              (brief.question)
    2. retrieve  each facet → hybrid search → evidence sentences    (brief.evidence)
    3. analyse   evidence → actors/positions/reasons, disputes      (brief.actors, brief.disputes)
    4. write     sections from evidence (extractive or an LLM)      (brief.writer / llm.writer)
    5. verify    every sentence against its citations, section by   (brief.gate)
                 section; ``on_section`` sees each one once it is final
       revise    removed sentences back to the writer once, if it can revise; gate again (brief.revise)
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
from .brief.answerable import asking_parts, said_instead, self_contained, unanswered, unreported_parts
from .brief.assemble import SAID_INSTEAD, assemble, not_enough_evidence
from .brief.context import with_context
from .brief.disputes import find_denials, find_value_conflicts
from .brief.evidence import EvidenceOptions, EvidenceSet, extend, gather, read_whole, without
from .brief.gate import Gate, GateResult, GatedDraft
from .brief.items import asked_keys, on_another_item
from .brief.limits import compute_limits
from .brief.model import ITEM_FACET, ActorFinding, Brief, Dispute, Draft, Plan, Section
from .brief.onquestion import QuestionCheck, check_extracts
from .brief.question import plan_question
from .brief.revise import Reviser, Stepwise, revise_removed
from .brief.templates import QUOTING, TemplateCheck, check_templates
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
    # (the closest sentence, or the headline of an article on the question's topic: a column headed with what is
    # asked argues it in sentences of its own)
    best = max([*evidence.question_similarity.values(), evidence.headline], default=0.0)
    if len(evidence.items) < options.min_evidence or best < options.min_best_similarity:
        progress("done", "not enough evidence")
        return not_enough_evidence(plan, generated_at=generated_at, reason=(
            f"the corpus ({store.counts()['documents']} documents) holds {len(evidence.items)} sentence(s) "
            f"related to the question (closest similarity {max(best, evidence.closest):.2f}); add sources that "
            "cover it (citebrief add PATH) and ask again."))
    progress("retrieve", f"{len(evidence.items)} evidence sentences from {len(evidence.passages)} passages")
    # a headline states the event as often as the body does ("Home Depot sales miss, shares plunge")
    headlines = list(dict.fromkeys(t for ev in evidence.items.values() if (t := ev.doc.title)))
    missing = unanswered(plan.question, [ev.text for ev in evidence.items.values()] + headlines,
                         _first_part_closeness(evidence))
    if missing:  # the topic is covered, what was asked is not ("voted to convict" before any vote)
        progress("done", "the sources do not answer the question")
        return _declined(plan, evidence, checker, generated_at=generated_at, reason=(
            f"the corpus covers the question's subject ({len(evidence.items)} related sentences), but no source "
            f"sentence reports what the question asks ({' + '.join(missing)}), so the sources do not establish "
            "the answer; add sources that report it (citebrief add PATH) and ask again."))

    progress("analyse", "actors, positions, reasons and disputes")
    ids = list(evidence.items)
    vectors = evidence.vectors  # embedded once, while the evidence was selected
    actors: list[ActorFinding] = []
    texts: dict[str, str] = {}  # documents' full texts, as the analysis and the notes-column check need them
    if shape_has_actor_table(plan.shape):
        evidence = read_whole(evidence, plan, retriever, embedder, options.evidence)
        ids, vectors = list(evidence.items), evidence.vectors
        actors = analyse_actors(plan, evidence.items, _doc_texts(store, evidence, texts),
                                evidence.question_similarity, embedder.embed,
                                part_similarity=_part_similarity(plan, evidence))
        wanted = actor_queries(plan, actors)
        if wanted:  # read where each actor explains itself, then analyse again
            evidence = extend(evidence, plan, retriever, embedder, wanted, options.evidence)
            ids, vectors = list(evidence.items), evidence.vectors
            actors = analyse_actors(plan, evidence.items, _doc_texts(store, evidence, texts),
                                    evidence.question_similarity, embedder.embed,
                                    part_similarity=_part_similarity(plan, evidence))
    disputes = find_denials(evidence.items, vectors) + find_value_conflicts(evidence.items, vectors)
    progress("analyse", f"{len(actors)} actors, {len(disputes)} disputes")

    evidence = _without_other_items(plan, evidence, actors, disputes, _doc_texts(store, evidence, texts))
    progress("write", getattr(writer, "name", "extractive"))
    evidence = with_context(evidence)  # a sentence that points back is quoted with the one before it
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
    # (a thing compared that no sentence of the brief is about has no evidence, whatever its facet was given: the
    # sentences the writer found on another story or unable to stand alone are not evidence for it)
    written = {e for _, drafts in gated.sections for g in drafts for e in g.draft.evidence}
    by_facet = {f.key: () if f.key.startswith(ITEM_FACET) and not written & set(evidence.by_facet.get(f.key, ()))
                else evidence.by_facet.get(f.key, ()) for f in plan.facets}
    limits = compute_limits(plan, used, by_facet, actors, disputes) + list(report.limits) + [
        f"No source sentence reports what a later part of the question asks ({' + '.join(verbs)}): the sources "
        "do not establish that part." for verbs in unreported_parts(
            plan.question, [ev.text for ev in evidence.items.values()] + headlines)]
    brief = assemble(plan, gated, actors, disputes, limits, evidence, generated_at=generated_at)
    brief = replace(brief, metrics={**brief.metrics, **report.metrics, **_checked(gated, templates, on_question)})
    progress("done", f"{len(brief.sources)} sources cited")
    return brief


def _without_other_items(plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute],
                         texts: dict[str, str]) -> EvidenceSet:
    """``evidence`` without the sentences of a notes column's items that name nothing the question does
    (``brief.items``): another story. The table's and the disputes' own sentences stay (they cite them)."""
    keys = asked_keys(plan.question, plan.topic_terms)
    cited = {e for a in actors for e in (*a.position_evidence, *a.reason_evidence, *(p[2] for p in a.series))} | {
        e for d in disputes for _, side in d.sides for e in side}
    return without(evidence, frozenset(e for e, ev in evidence.items.items() if e not in cited and on_another_item(
        texts.get(ev.doc.doc_id, ""), ev.start, keys)))


def _first_part_closeness(evidence: EvidenceSet) -> list[float]:
    """Each evidence sentence's cosine to the question's first asking part (to the question when it asks one thing),
    in the order of ``evidence.items``."""
    if evidence.part_vectors:
        first = evidence.part_vectors[0]
        return [float(evidence.vectors[e] @ first) if e in evidence.vectors else 0.0 for e in evidence.items]
    return [evidence.question_similarity.get(e, 0.0) for e in evidence.items]


def _part_similarity(plan: Plan, evidence: EvidenceSet) -> dict[str, float]:
    """Each evidence sentence's cosine to the closest asking part of a question of two or more parts that
    name what they ask about ("what did the players say about the new league format"; not "which are
    sceptical", which leans on the rest of the question). The parts were embedded with the question."""
    parts = asking_parts(plan.question)
    vectors = [v for p, v in zip(parts, evidence.part_vectors) if self_contained(p)]
    if len(vectors) < 2:
        return {}
    stacked = np.stack(vectors)
    return {e: float(np.max(stacked @ v)) for e, v in evidence.vectors.items()}


def _declined(plan: Plan, evidence: EvidenceSet, checker: SupportChecker, *, generated_at: str,
              reason: str) -> Brief:
    """The brief for a question its sources cover but do not answer: the reason, and what the sources do say
    about what was asked when they say it is not (yet) known ("UK pricing has not been confirmed"), quoted
    and cited, each sentence through the gate like any other."""
    ids = list(evidence.items)
    said = [ids[k] for k in said_instead(plan.question, [evidence.items[e].text for e in ids])]
    if not said:
        return not_enough_evidence(plan, generated_at=generated_at, reason=reason)
    section = Section(SAID_INSTEAD, tuple(Draft(evidence.items[e].text, (e,)) for e in said))
    gated = gate_sections([section], evidence, checker)
    brief = assemble(plan, gated, [], [], [f"Not enough evidence: {reason}"], evidence, generated_at=generated_at)
    return replace(brief, enough_evidence=False)


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
    # (a source sentence quoted as what it is, "In an opinion piece in …: “…”", is a quoted sentence, checked against
    # its passage, not a claim about anyone's stance)
    kinds = ["extract" if g.draft.kind == "template" and g.draft.text.startswith(QUOTING) else g.draft.kind
             for _, drafts in gated.sections for g in drafts]
    return {"sentences_quoted": kinds.count("extract"),
            "templates_verified_against_analysis": kinds.count("template"),
            "templates_dropped": [{"text": t, "why": why} for t, why in templates.dropped],
            "extracts_checked_against_question": on_question.checked,
            "extracts_dropped_off_question": [{"text": t, "similarity": sim} for t, sim in on_question.dropped]}


def _doc_texts(store: Store, evidence: EvidenceSet, read: dict[str, str]) -> dict[str, str]:
    """The full text of every document the evidence comes from (for names and pronouns), each read from the store
    once: ``read`` holds those read before and takes the new ones."""
    for ev in evidence.items.values():
        if ev.doc.doc_id not in read:
            doc = store.document(ev.doc.doc_id)
            read[ev.doc.doc_id] = doc.text if doc else ""
    return read


