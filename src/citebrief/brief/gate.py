"""The verification gate: every drafted sentence is checked against the passages it cites.

Source sentences ("extract") and template sentences over extracted facts ("template") are kept
when supported or partial: a quoted sentence cited for part of a point is still the source's own
words. They are kept on "uncertain" too (the checker could not decide, and the words are the
source's), and counted as such, so the footer says how many kept sentences the checker left
undecided. Every other draft is model prose and passes only the strict check of ``verify.prose``:
claim by claim, every content word and the predicate carried by the cited text, and supported —
``partial`` and ``uncertain`` are never kept for it. The outlet of a cited item counts as cited text for model prose,
since the model is shown it and told to attribute ("Rhine Herald reported …").

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
from ..verify.claims import repeats, split_claims
from ..verify.prose import ProseChecker
from .evidence import EvidenceSet
from .model import Draft, Section

KEEP = (Label.SUPPORTED, Label.PARTIAL, Label.UNCERTAIN)  # source sentences and templates
KEEP_PROSE = (Label.SUPPORTED,)  # model prose: partial and uncertain are never kept
SOURCE_KINDS = ("extract", "template")
REPEATED = "repeated"  # the verdict shown for a rewrite dropped because it repeats a removed claim  # Draft kinds that are not model prose


def is_prose(draft: Draft) -> bool:
    """Whether ``draft`` was written by a model (any kind but a source sentence or a template)."""
    return draft.kind not in SOURCE_KINDS


def kept(draft: Draft, verdict: Verdict) -> bool:
    """Whether the gate keeps ``draft`` with ``verdict``."""
    return verdict.label in (KEEP_PROSE if is_prose(draft) else KEEP)


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
    unbacked: tuple[tuple[str, tuple[str, ...]], ...] = ()  # removed model prose → its claims not carried


def checker_metrics(checker: SupportChecker) -> dict[str, object]:
    """Which checker ran, in words, and its measured figures (``verify.describe``)."""
    from ..verify import describe

    return describe(checker)


def _passages(draft: Draft, evidence: EvidenceSet) -> list[str]:
    texts = [evidence.passages[evidence.items[e].passage_id][0].text for e in draft.evidence]
    if is_prose(draft):  # the outlet the model was shown with each item may be named in an attribution
        texts += list(dict.fromkeys(o for e in draft.evidence if (o := evidence.items[e].doc.outlet)))
    return texts


class _Checks:
    """One checker per kind of draft: the plain checker for source sentences, the strict one for prose."""

    def __init__(self, checker: SupportChecker) -> None:
        self.plain = checker
        self.prose = ProseChecker(checker)
        self.unbacked: dict[str, tuple[str, ...]] = {}

    def run(self, probes: list[tuple[Draft, list[str]]]) -> list[Verdict]:
        """Verdicts for (draft, passages) probes, in order, each by its kind's checker (two batches)."""
        out: list[Verdict | None] = [None] * len(probes)
        plain = [i for i, (d, _) in enumerate(probes) if not is_prose(d)]
        prose = [i for i, (d, _) in enumerate(probes) if is_prose(d)]
        if plain:
            for i, v in zip(plain, self.plain.check_many([(probes[i][0].text, probes[i][1]) for i in plain])):
                out[i] = v
        if prose:
            answers = self.prose.check_claims([(probes[i][0].text, probes[i][1]) for i in prose])
            for i, answer in zip(prose, answers):
                out[i] = answer.verdict
                if answer.unbacked:
                    self.unbacked.setdefault(probes[i][0].text, answer.unbacked)
        return [v for v in out if v is not None]


def _unsupported_copies(drafts: list[Draft], verdicts: list[Verdict], evidence: EvidenceSet,
                        checks: _Checks) -> dict[int, frozenset[tuple[str, str]]]:
    """Per draft, the syndicated copies of its evidence whose own passage does not support it.

    A draft is checked against the passage of each item it cites, but the brief cites every copy
    of that item too; each copy is checked on its own, so a number cited is never one that was not
    checked (a copy that drifted from the sentence — a corrected figure, a changed name — is not cited).
    """
    probes, owners = [], []
    for i, (d, v) in enumerate(zip(drafts, verdicts)):
        if not kept(d, v):
            continue
        for eid in d.evidence:
            outlet = [evidence.items[eid].doc.outlet] if is_prose(d) and evidence.items[eid].doc.outlet else []
            for doc, passage_id, *_ in evidence.items[eid].also_in:
                extra = [doc.outlet] if is_prose(d) and doc.outlet else outlet
                probes.append((d, [evidence.passages[passage_id][0].text, *extra]))
                owners.append((i, (eid, doc.doc_id)))
    answers = checks.run(probes) if probes else []
    out: dict[int, set[tuple[str, str]]] = {}
    for (i, copy), answer in zip(owners, answers):
        if not kept(drafts[i], answer):
            out.setdefault(i, set()).add(copy)
    return {i: frozenset(copies) for i, copies in out.items()}


def gate(sections: Sequence[Section], evidence: EvidenceSet, checker: SupportChecker, *,
         keep_unsupported: bool = False) -> GateResult:
    """Check every sentence; drop unsupported ones, irrelevant citations and unsupported copies; compute metrics."""
    drafts = [d for s in sections for d in s.sentences]
    checks = _Checks(checker)
    verdicts = checks.run([(d, _passages(d, evidence)) for d in drafts]) if drafts else []
    uncited = _unsupported_copies(drafts, verdicts, evidence, checks)
    # Leave-one-out probes for multi-citation sentences (ALCE precision, and pruning).
    probes, owners = [], []
    for i, (d, v) in enumerate(zip(drafts, verdicts)):
        # A template names several actors, each backed by its own citation: none is redundant.
        if kept(d, v) and len(d.evidence) > 1 and d.kind != "template":
            for k, eid in enumerate(d.evidence):
                rest = replace(d, evidence=tuple(e for j, e in enumerate(d.evidence) if j != k))
                alone = replace(d, evidence=(eid,))
                probes += [(d, _passages(alone, evidence)), (d, _passages(rest, evidence))]
                owners.append((i, eid))
    unbacked = dict(checks.unbacked)  # the probes below check parts of the citations, not the sentence
    answers = checks.run(probes) if probes else []
    irrelevant: dict[int, set[str]] = {}
    for n, (i, eid) in enumerate(owners):
        alone, rest = answers[2 * n], answers[2 * n + 1]
        if not kept(drafts[i], alone) and rest.label == verdicts[i].label:
            irrelevant.setdefault(i, set()).add(eid)

    out_sections, removed = [], []
    index = 0
    total_citations = needed = supported = n_kept = dropped_total = copies_uncited = uncertain_kept = 0
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
            if not kept(d, v) and not keep_unsupported:
                removed.append((d.text, v.label.value))
                continue
            if drop and len(drop) < len(d.evidence):
                d = replace(d, evidence=tuple(e for e in d.evidence if e not in drop))
                dropped_total += len(drop)
            n_kept += 1
            uncertain_kept += v.label is Label.UNCERTAIN
            copies_uncited += len(copies)
            kept_drafts.append(GatedDraft(d, v, len(drop), copies))
        if kept_drafts:
            out_sections.append((section.heading, tuple(kept_drafts)))
    metrics = {
        "citation_recall": round(supported / len(drafts), 4) if drafts else 0.0,
        "citation_precision": round(needed / total_citations, 4) if total_citations else 0.0,
        "sentences_drafted": len(drafts),
        "sentences_kept": n_kept,
        "sentences_removed": len(removed),
        "citations_dropped": dropped_total,
        "copies_uncited": copies_uncited,
        "sentences_uncertain_kept": uncertain_kept,
        "sentences_uncertain_removed": sum(label == Label.UNCERTAIN.value for _, label in removed),
        **checker_metrics(checker),
    }
    removed_texts = {text for text, _ in removed}
    return GateResult(tuple(out_sections), tuple(removed), metrics,
                      tuple((t, c) for t, c in unbacked.items() if t in removed_texts))


def drop_repeated_claims(removed: Sequence[Draft], rewrites: Sequence[tuple[Draft, ...]],
                         gated: GateResult) -> tuple[list[tuple[Draft, ...]], tuple[tuple[str, str], ...]]:
    """The rewrites without any sentence that repeats a claim the gate removed, and those dropped.

    A claim the cited text did not carry does not become true by being reworded with the same
    content ("Germany has agreed to admit Ukraine …" three times over); each rewrite is split into
    claims and compared with every removed claim (``verify.claims.repeats``). A removed sentence
    whose failing claims are unknown (not model prose) counts as one claim. Dropped rewrites are
    returned as (sentence, "repeated") rows for the brief's list of removed sentences.
    """
    unbacked = dict(gated.unbacked)
    failed = [claim for d in removed for claim in unbacked.get(d.text, (d.text,))]
    out, dropped = [], []
    for drafts in rewrites:
        keep = []
        for d in drafts:
            if any(repeats(c, f) for c in split_claims(d.text) for f in failed):
                dropped.append((d.text, REPEATED))
            else:
                keep.append(d)
        out.append(tuple(keep))
    return out, tuple(dropped)
