"""The one place where the brief's stages are wired together.

    1. plan      question → shape, topic terms, facets              (brief.question)
    2. retrieve  each facet → hybrid search → evidence sentences    (brief.evidence)
    3. analyse   evidence → actors/positions/reasons, disputes      (brief.actors, brief.disputes)
    4. write     sections from evidence (extractive or an LLM)      (brief.writer / llm writer)
    5. verify    every sentence against its citations               (brief.gate)
    6. limits    computed from the evidence that was used           (brief.limits)
    7. assemble  number sources by first citation → Brief           (brief.assemble)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Protocol

import numpy as np

from .brief.actors import extract_actors
from .brief.assemble import assemble, not_enough_evidence
from .brief.disputes import find_denials, find_value_conflicts
from .brief.evidence import EvidenceOptions, EvidenceSet, gather
from .brief.gate import gate
from .brief.limits import compute_limits
from .brief.model import ActorFinding, Brief, Dispute, Plan, Section
from .brief.question import plan_question
from .brief.writer import shape_needs_actors, write_sections
from .embed import Embedder
from .search import Retriever
from .store.base import Store
from .verify import SupportChecker

Progress = Callable[[str, str], None]


class SectionWriter(Protocol):
    """Writes the sections of a brief from the plan, evidence and extracted facts."""

    def write(self, plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute],
              vectors: dict[str, np.ndarray]) -> list[Section]: ...


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


def now_iso() -> str:
    """Current UTC time, ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_brief(question: str, *, store: Store, embedder: Embedder, checker: SupportChecker,
                writer: SectionWriter | None = None, options: BriefOptions = BriefOptions(),
                progress: Progress = lambda stage, detail: None) -> Brief:
    """Answer ``question`` from the corpus in ``store`` with a verified, cited brief."""
    generated_at = now_iso()
    progress("plan", "analysing the question")
    plan = plan_question(question)
    progress("plan", f"{plan.shape.value} question; facets: {', '.join(f.key for f in plan.facets)}")

    progress("retrieve", "searching for each facet")
    evidence = gather(plan, Retriever(store, embedder), embedder, options.evidence)
    best = max(evidence.question_similarity.values(), default=0.0)
    if len(evidence.items) < options.min_evidence or best < options.min_best_similarity:
        progress("done", "not enough evidence")
        return not_enough_evidence(plan, generated_at=generated_at, reason=(
            f"the corpus ({store.counts()['documents']} documents) holds {len(evidence.items)} sentence(s) "
            f"related to the question (closest similarity {best:.2f}); add sources that cover it "
            "(citebrief add PATH) and ask again."))
    progress("retrieve", f"{len(evidence.items)} evidence sentences from {len(evidence.passages)} passages")

    progress("analyse", "actors, positions, reasons and disputes")
    ids = list(evidence.items)
    matrix = embedder.embed([evidence.items[e].text for e in ids])
    vectors = dict(zip(ids, matrix))
    doc_texts = {}
    for ev in evidence.items.values():
        if ev.doc.doc_id not in doc_texts:
            doc = store.document(ev.doc.doc_id)
            doc_texts[ev.doc.doc_id] = doc.text if doc else ""
    actors = extract_actors(plan, evidence.items, doc_texts) if shape_needs_actors(plan.shape) else []
    disputes = find_denials(evidence.items, vectors) + find_value_conflicts(evidence.items, vectors)
    progress("analyse", f"{len(actors)} actors, {len(disputes)} disputes")

    progress("write", getattr(writer, "name", "extractive"))
    sections = (writer or ExtractiveWriter()).write(plan, evidence, actors, disputes, vectors)

    progress("verify", f"checking {sum(len(s.sentences) for s in sections)} sentences")
    gated = gate(sections, evidence, checker, keep_unsupported=options.keep_unsupported)
    progress("verify", f"citation recall {gated.metrics['citation_recall']:.2f}")

    used_ids = {e for _, drafts in gated.sections for g in drafts for e in g.draft.evidence}
    used_ids |= {e for a in actors for e in a.position_evidence[:3] + a.reason_evidence[:3]}
    used_ids |= {e for d in disputes for _, es in d.sides for e in es}
    used = {e: evidence.items[e] for e in ids if e in used_ids}
    limits = compute_limits(plan, used, evidence.by_facet, actors, disputes)
    brief = assemble(plan, gated, actors, disputes, limits, evidence, generated_at=generated_at)
    progress("done", f"{len(brief.sources)} sources cited")
    return brief
