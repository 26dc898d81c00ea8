"""The verification gate: every drafted sentence is checked against the passages it cites.

Unsupported or contradicted sentences are removed (or kept and marked when asked); a citation that
is irrelevant by the ALCE definition (alone it does not support the sentence, and the others still
do without it) is dropped, and so is a syndicated copy of a cited item whose own passage does not
support the sentence. Metrics follow ALCE (Gao et al. 2023): citation recall is the share of
sentences their citations fully support; citation precision the share of citations that are needed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from ..verify import Label, SupportChecker, Verdict
from .evidence import EvidenceSet
from .model import Draft, Section

KEEP = (Label.SUPPORTED, Label.PARTIAL)


@dataclass(frozen=True, slots=True)
class GatedDraft:
    """A draft with its verdict after the gate."""

    draft: Draft
    verdict: Verdict
    dropped_citations: int = 0
    uncited_copies: frozenset[tuple[str, str]] = frozenset()  # (evidence id, doc id) of copies not cited


@dataclass(frozen=True, slots=True)
class GateResult:
    """The sections that passed, what was removed, and the ALCE figures."""

    sections: tuple[tuple[str, tuple[GatedDraft, ...]], ...]
    removed: tuple[tuple[str, str], ...]  # (sentence, verdict label)
    metrics: dict[str, float | int]


def _passages(draft: Draft, evidence: EvidenceSet) -> list[str]:
    return [evidence.passages[evidence.items[e].passage_id][0].text for e in draft.evidence]


def _unsupported_copies(drafts: list[Draft], verdicts: list[Verdict], evidence: EvidenceSet,
                        checker: SupportChecker) -> dict[int, frozenset[tuple[str, str]]]:
    """Per draft, the syndicated copies of its evidence whose own passage does not support it.

    A draft is checked against the passage of each item it cites, but the brief cites every copy
    of that item too; each copy is checked on its own, so a number cited is never one that was not
    checked (a copy that drifted from the sentence — a corrected figure, a changed name — is not cited).
    """
    probes, owners = [], []
    for i, (d, v) in enumerate(zip(drafts, verdicts)):
        if v.label not in KEEP:
            continue
        for eid in d.evidence:
            for doc, passage_id, *_ in evidence.items[eid].also_in:
                probes.append((d.text, [evidence.passages[passage_id][0].text]))
                owners.append((i, (eid, doc.doc_id)))
    answers = checker.check_many(probes) if probes else []
    out: dict[int, set[tuple[str, str]]] = {}
    for (i, copy), answer in zip(owners, answers):
        if answer.label not in KEEP:
            out.setdefault(i, set()).add(copy)
    return {i: frozenset(copies) for i, copies in out.items()}


def gate(sections: Sequence[Section], evidence: EvidenceSet, checker: SupportChecker, *,
         keep_unsupported: bool = False) -> GateResult:
    """Check every sentence; drop unsupported ones, irrelevant citations and unsupported copies; compute metrics."""
    drafts = [d for s in sections for d in s.sentences]
    verdicts = checker.check_many([(d.text, _passages(d, evidence)) for d in drafts]) if drafts else []
    uncited = _unsupported_copies(drafts, verdicts, evidence, checker)
    # Leave-one-out probes for multi-citation sentences (ALCE precision, and pruning).
    probes, owners = [], []
    for i, (d, v) in enumerate(zip(drafts, verdicts)):
        # A template names several actors, each backed by its own citation: none is redundant.
        if v.label in KEEP and len(d.evidence) > 1 and d.kind != "template":
            for k, eid in enumerate(d.evidence):
                rest = replace(d, evidence=tuple(e for j, e in enumerate(d.evidence) if j != k))
                alone = replace(d, evidence=(eid,))
                probes += [(d.text, _passages(alone, evidence)), (d.text, _passages(rest, evidence))]
                owners.append((i, eid))
    answers = checker.check_many(probes) if probes else []
    irrelevant: dict[int, set[str]] = {}
    for n, (i, eid) in enumerate(owners):
        alone, rest = answers[2 * n], answers[2 * n + 1]
        if alone.label not in KEEP and rest.label == verdicts[i].label:
            irrelevant.setdefault(i, set()).add(eid)

    out_sections, removed = [], []
    index = 0
    total_citations = needed = supported = kept = dropped_total = copies_uncited = 0
    for section in sections:
        kept_drafts = []
        for d in section.sentences:
            v = verdicts[index]
            drop = irrelevant.get(index, set())
            copies = uncited.get(index, frozenset())
            index += 1
            total_citations += len(d.evidence)
            if v.label == Label.SUPPORTED:
                supported += 1
                needed += len(d.evidence) - len(drop)
            if v.label not in KEEP and not keep_unsupported:
                removed.append((d.text, v.label.value))
                continue
            if drop and len(drop) < len(d.evidence):
                d = replace(d, evidence=tuple(e for e in d.evidence if e not in drop))
                dropped_total += len(drop)
            kept += 1
            copies_uncited += len(copies)
            kept_drafts.append(GatedDraft(d, v, len(drop), copies))
        if kept_drafts:
            out_sections.append((section.heading, tuple(kept_drafts)))
    metrics = {
        "citation_recall": round(supported / len(drafts), 4) if drafts else 0.0,
        "citation_precision": round(needed / total_citations, 4) if total_citations else 0.0,
        "sentences_drafted": len(drafts),
        "sentences_kept": kept,
        "sentences_removed": len(removed),
        "citations_dropped": dropped_total,
        "copies_uncited": copies_uncited,
    }
    return GateResult(tuple(out_sections), tuple(removed), metrics)
