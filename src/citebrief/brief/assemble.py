"""Turn gated sections, actors and disputes into a ``Brief``: number sources by first citation."""

from __future__ import annotations

from typing import Any

from .evidence import EvidenceSet
from .gate import GateResult
from .model import ITEM_FACET, ActorFinding, Brief, CheckedSentence, CitedSpan, Dispute, Plan
from .writer import BOTTOM_LINE, SUMMARY

WHO_SAYS_WHAT = "Who says what"  # the heading of a comparison's actor table


class Citations:
    """Numbers documents in order of first citation and records which passages were quoted."""

    def __init__(self, evidence: EvidenceSet) -> None:
        self.evidence = evidence
        self.numbers: dict[str, int] = {}
        self.sources: dict[str, dict[str, Any]] = {}

    def cite(self, eids: tuple[str, ...], skip: frozenset[tuple[str, str]] = frozenset()) -> tuple[int, ...]:
        """Citation numbers for evidence ids and every syndicated copy, except the (id, doc id) copies in ``skip``."""
        out: list[int] = []
        for eid in eids:
            ev = self.evidence.items[eid]
            copies = [c for c in ev.also_in if (eid, c[0].doc_id) not in skip]
            for doc, passage_id, start, end, text in ((ev.doc, ev.passage_id, ev.start, ev.end, ev.text), *copies):
                if doc.doc_id not in self.numbers:
                    self.numbers[doc.doc_id] = len(self.numbers) + 1
                    self.sources[doc.doc_id] = {
                        "n": self.numbers[doc.doc_id], "doc_id": doc.doc_id, "title": doc.title,
                        "outlet": doc.outlet, "published": doc.published, "url": doc.url,
                        "path": None if doc.source.startswith(("http://", "https://")) else doc.source,
                        "duplicate_of": doc.duplicate_of, "passages": []}
                quotes = self.sources[doc.doc_id]["passages"]
                quote = {"passage_id": passage_id, "start": start, "end": end, "quote": text,
                         "evidence_id": eid}
                if all(q["start"] != start for q in quotes):
                    quotes.append(quote)
                out.append(self.numbers[doc.doc_id])
        return tuple(sorted(set(out)))

    def spans(self, eids: tuple[str, ...], skip: frozenset[tuple[str, str]] = frozenset()) -> tuple[CitedSpan, ...]:
        """The spans behind ``cite(eids, skip)``: for each citation, the passage and offsets it was verified against."""
        self.cite(eids, skip)  # numbers the documents first
        out: list[CitedSpan] = []
        for eid in eids:
            ev = self.evidence.items[eid]
            copies = [c for c in ev.also_in if (eid, c[0].doc_id) not in skip]
            for doc, passage_id, start, end, text in ((ev.doc, ev.passage_id, ev.start, ev.end, ev.text), *copies):
                span = CitedSpan(self.numbers[doc.doc_id], passage_id, start, end, text)
                if span not in out:
                    out.append(span)
        return tuple(out)

    def spans_json(self, eids: tuple[str, ...]) -> list[dict[str, Any]]:
        """``spans`` as JSON, for table cells and dispute sides."""
        return [s.to_json() for s in self.spans(eids)]


def assemble(plan: Plan, gated: GateResult, actors: list[ActorFinding], disputes: list[Dispute],
             limits: list[str], evidence: EvidenceSet, *, generated_at: str) -> Brief:
    """Build the final brief; sources are numbered in order of first citation."""
    cites = Citations(evidence)
    sections = []
    for heading, drafts in gated.sections:
        sentences = tuple(CheckedSentence(g.draft.text, cites.cite(g.draft.evidence, g.uncited_copies),
                                          g.verdict.label.value, g.verdict.score,
                                          cites.spans(g.draft.evidence, g.uncited_copies)) for g in drafts)
        sections.append((heading, sentences))
    if actors and plan.facets and plan.facets[0].key.startswith(ITEM_FACET):
        # a comparison's first section is one of the things compared; the table, with rows on both, has its own
        sections.insert(1 if sections and sections[0][0] == SUMMARY else 0, (WHO_SAYS_WHAT, ()))
    elif actors and plan.facets and all(h in (SUMMARY, BOTTOM_LINE) for h, _ in sections):
        # the table goes under the first heading: when no sentence of the sections passed, the heading stays for it
        at = 1 if sections and sections[0][0] == SUMMARY else 0
        sections.insert(at, (plan.facets[0].heading, ()))
    actor_rows = tuple(_actor_row(a, cites) for a in actors)
    dispute_rows = tuple({"summary": d.summary, "kind": d.kind,
                          "sides": [{"text": text, "citations": list(cites.cite(ids)), "evidence": cites.spans_json(ids)}
                                    for text, ids in d.sides]}
                         for d in disputes)
    return Brief(question=plan.question, generated_at=generated_at, sections=tuple(sections), actors=actor_rows,
                 disputes=dispute_rows, limits=tuple(limits),
                 sources=tuple(sorted(cites.sources.values(), key=lambda s: s["n"])),
                 metrics=dict(gated.metrics), enough_evidence=True,
                 extra={"shape": plan.shape.value, "facets": [f.heading for f in plan.facets],
                        "target": _target(plan) if actors else "",
                        "removed_sentences": [{"text": t, "verdict": v} for t, v in gated.removed]})


def _target(plan: Plan) -> str:
    """What the table's positions are on, as the question's parse reads it ("leniency", "Ukraine joining NATO")."""
    from ..analysis.target import question_target  # the parse loads only for a brief with a table

    return question_target(plan.question).text


def _actor_row(actor: ActorFinding, cites: Citations) -> dict[str, Any]:
    """One row of the actor table in the JSON contract (see README, "--format json")."""
    series = [{"position": position, "date": date, "citations": list(cites.cite((eid,))),
               "evidence": cites.spans_json((eid,))} for position, date, eid in actor.series]
    dated = [p for p in series if p["date"]]
    return {"name": actor.name, "kind": actor.kind, "role": actor.role, "aliases": list(actor.aliases),
            "position": actor.position.value, "since": dated[-1]["date"] if dated else None,
            "reasons": list(actor.reasons),
            "reason_details": [{"text": text, "citations": list(cites.cite((eid,))),
                                "evidence": cites.spans_json((eid,))}
                               for text, eid in zip(actor.reasons, actor.reason_evidence)],
            "citations": list(cites.cite(actor.position_evidence[:3] + actor.reason_evidence[:3])),
            "position_citations": list(cites.cite(actor.position_evidence[:3])),
            "reason_citations": list(cites.cite(actor.reason_evidence[:3])),
            "evidence": cites.spans_json(actor.position_evidence[:3] + actor.reason_evidence[:3]),
            "position_evidence": cites.spans_json(actor.position_evidence[:3]),
            "reason_evidence": cites.spans_json(actor.reason_evidence[:3]),
            "stance_series": series, "attributions": list(actor.attributions),
            "position_toward": actor.toward, "party": actor.party}


# The one section of a declined brief: what the sources say about what was asked ("… has not been confirmed").
SAID_INSTEAD = "What the sources say about it"


def not_enough_evidence(plan: Plan, *, generated_at: str, reason: str) -> Brief:
    """The explicit brief for a question the corpus cannot answer."""
    return Brief(question=plan.question, generated_at=generated_at, sections=(), actors=(), disputes=(),
                 limits=(f"Not enough evidence: {reason}",), sources=(), metrics={"citation_recall": 0.0,
                                                                                  "citation_precision": 0.0,
                                                                                  "sentences_kept": 0},
                 enough_evidence=False, extra={"shape": plan.shape.value, "facets": [f.heading for f in plan.facets]})
