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


_LEAD_CHARS = 4000  # at most this much of a document's earlier text goes with a template's cited passage
_TRAIL_CHARS = 600  # … and this much of the passage after it


def _with_lead(evidence: EvidenceSet, passage_id: str) -> str:
    """The cited passage with the text before it in its document (and the start of the passage after
    it), as far as the brief read it.

    A position template names the actor as the analysis resolved it: "The governor said he was
    waiting …" is the Eric Holcomb the article named three paragraphs before. The name must be in
    the text the template is checked against, so the earlier passages of that document that the
    evidence holds (the analysis reads the closest articles whole) go with it, nearest first kept.
    """
    passage = evidence.passages[passage_id][0]
    before = sorted((p for p, _ in evidence.passages.values()
                     if p.doc_id == passage.doc_id and p.ordinal < passage.ordinal), key=lambda p: p.ordinal)
    lead = "\n".join(p.text for p in before)[-_LEAD_CHARS:]
    # a quotation cited by its first sentences names its speaker where it closes: the start of the
    # next passage, when the brief read it
    after = next((p.text for p, _ in evidence.passages.values()
                  if p.doc_id == passage.doc_id and p.ordinal == passage.ordinal + 1), "")[:_TRAIL_CHARS]
    return "\n".join(t for t in (lead, passage.text, after) if t)


def _passages(draft: Draft, evidence: EvidenceSet) -> list[str]:
    if draft.kind == "template":
        return [_with_lead(evidence, evidence.items[e].passage_id) for e in draft.evidence]
    texts = [evidence.passages[evidence.items[e].passage_id][0].text for e in draft.evidence]
    if is_prose(draft):  # the outlet the model was shown with each item may be named in an attribution
        texts += list(dict.fromkeys(o for e in draft.evidence if (o := evidence.items[e].doc.outlet)))
    return texts


Memo = dict  # (is prose, sentence, passages) → (verdict, claims not carried): answers a gate may reuse


class _Checks:
    """One checker per kind of draft: the plain checker for source sentences, the strict one for prose.

    ``memo``: answers already given for the same probe are reused instead of asked again (a checker
    judges each pair on its own, so the answer is the one it would give again); the pipeline shares
    one between a section's first gate and its gate after revising, where unchanged sentences are
    checked a second time.
    """

    def __init__(self, checker: SupportChecker, memo: Memo | None = None) -> None:
        self.plain = checker
        self.prose = ProseChecker(checker)
        self.memo = memo

    def run(self, probes: list[tuple[Draft, list[str]]], *,
            note: dict[str, tuple[str, ...]] | None = None) -> list[Verdict]:
        """Verdicts for (draft, passages) probes, in order, each by its kind's checker (two batches).

        ``note``: where to keep, per prose text, the claims its cited text does not carry (first answer wins).
        """
        if self.memo is None:
            answers = self._answers(probes)
        else:
            keys = [(is_prose(d), d.text, tuple(passages)) for d, passages in probes]
            new = list(dict.fromkeys(k for k in keys if k not in self.memo))
            at = {k: i for i, k in enumerate(keys)}
            for key, answer in zip(new, self._answers([probes[at[k]] for k in new])):
                self.memo[key] = answer
            answers = [self.memo[k] for k in keys]
        for (draft, _), (_, unbacked) in zip(probes, answers):
            if unbacked and note is not None:
                note.setdefault(draft.text, unbacked)
        return [verdict for verdict, _ in answers]

    def _answers(self, probes: list[tuple[Draft, list[str]]]) -> list[tuple[Verdict, tuple[str, ...]]]:
        """(verdict, claims the cited text does not carry) per probe, in order, in two batches."""
        out: list[tuple[Verdict, tuple[str, ...]] | None] = [None] * len(probes)
        plain = [i for i, (d, _) in enumerate(probes) if not is_prose(d)]
        prose = [i for i, (d, _) in enumerate(probes) if is_prose(d)]
        if plain:
            for i, v in zip(plain, self.plain.check_many([(probes[i][0].text, probes[i][1]) for i in plain])):
                out[i] = (v, ())
        if prose:
            answers = self.prose.check_claims([(probes[i][0].text, probes[i][1]) for i in prose])
            for i, answer in zip(prose, answers):
                out[i] = (answer.verdict, tuple(answer.unbacked or ()))
        return [a for a in out if a is not None]


def _unsupported_copies(drafts: list[Draft], verdicts: list[Verdict], evidence: EvidenceSet,
                        checks: _Checks, *, note: dict[str, tuple[str, ...]] | None = None
                        ) -> dict[int, frozenset[tuple[str, str]]]:
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
    answers = checks.run(probes, note=note) if probes else []
    out: dict[int, set[tuple[str, str]]] = {}
    for (i, copy), answer in zip(owners, answers):
        if not kept(drafts[i], answer):
            out.setdefault(i, set()).add(copy)
    return {i: frozenset(copies) for i, copies in out.items()}


class Gate:
    """The gate, section by section: ``check`` each section in brief order, then ``result``.

    Each section's sentences are checked in batches of their own, so a section is final (kept
    sentences, pruned citations, uncited copies) as soon as it is checked and can be shown while
    later ones are checked. Nothing a sentence's verdict depends on lies in another section (a
    checker judges each (sentence, passages) pair on its own); what spans sections — the metrics,
    the removed sentences, the claims of removed prose — is carried here, so checking sections one
    by one gives exactly what checking them all at once did.
    """

    def __init__(self, evidence: EvidenceSet, checker: SupportChecker, *, keep_unsupported: bool = False,
                 memo: Memo | None = None) -> None:
        self.evidence, self.checker, self.keep_unsupported = evidence, checker, keep_unsupported
        self._checks = _Checks(checker, memo)
        self._sections: list[tuple[str, tuple[GatedDraft, ...]]] = []
        self._removed: list[tuple[str, str]] = []
        # claims of prose not carried: the first answer per text wins, sentences before copies (as one batch had it)
        self._unbacked_first: dict[str, tuple[str, ...]] = {}
        self._unbacked_copies: dict[str, tuple[str, ...]] = {}
        self._counts = dict.fromkeys(("drafts", "citations", "needed", "supported", "kept", "dropped",
                                      "copies_uncited", "uncertain_kept"), 0)

    def check(self, section: Section) -> tuple[GatedDraft, ...]:
        """Check one section; its kept drafts (empty when none is kept)."""
        drafts, evidence, checks = list(section.sentences), self.evidence, self._checks
        verdicts = checks.run([(d, _passages(d, evidence)) for d in drafts], note=self._unbacked_first)
        uncited = _unsupported_copies(drafts, verdicts, evidence, checks, note=self._unbacked_copies)
        irrelevant = _irrelevant_citations(drafts, verdicts, evidence, checks)
        c = self._counts
        kept_drafts = []
        for i, (d, v) in enumerate(zip(drafts, verdicts)):
            drop, copies = irrelevant.get(i, set()), uncited.get(i, frozenset())
            c["drafts"] += 1
            c["citations"] += len(d.evidence)
            if v.label == Label.SUPPORTED:
                c["supported"] += 1
                c["needed"] += len(d.evidence) - len(drop)
            if not kept(d, v) and not self.keep_unsupported:
                self._removed.append((d.text, v.label.value))
                continue
            if drop and len(drop) < len(d.evidence):
                d = replace(d, evidence=tuple(e for e in d.evidence if e not in drop))
                c["dropped"] += len(drop)
            c["kept"] += 1
            c["uncertain_kept"] += v.label is Label.UNCERTAIN
            c["copies_uncited"] += len(copies)
            kept_drafts.append(GatedDraft(d, v, len(drop), copies))
        if kept_drafts:
            self._sections.append((section.heading, tuple(kept_drafts)))
        return tuple(kept_drafts)

    @property
    def sections(self) -> tuple[tuple[str, tuple[GatedDraft, ...]], ...]:
        """The sections checked so far that kept a sentence, in order."""
        return tuple(self._sections)

    def result(self) -> GateResult:
        """The sections checked so far, what was removed, and the ALCE figures over all of them."""
        c, removed = self._counts, self._removed
        metrics = {
            "citation_recall": round(c["supported"] / c["drafts"], 4) if c["drafts"] else 0.0,
            "citation_precision": round(c["needed"] / c["citations"], 4) if c["citations"] else 0.0,
            "sentences_drafted": c["drafts"],
            "sentences_kept": c["kept"],
            "sentences_removed": len(removed),
            "citations_dropped": c["dropped"],
            "copies_uncited": c["copies_uncited"],
            "sentences_uncertain_kept": c["uncertain_kept"],
            "sentences_uncertain_removed": sum(label == Label.UNCERTAIN.value for _, label in removed),
            **checker_metrics(self.checker),
        }
        unbacked = dict(self._unbacked_first)
        for text, claims in self._unbacked_copies.items():
            unbacked.setdefault(text, claims)
        removed_texts = {text for text, _ in removed}
        return GateResult(tuple(self._sections), tuple(removed), metrics,
                          tuple((t, c) for t, c in unbacked.items() if t in removed_texts))


def _irrelevant_citations(drafts: list[Draft], verdicts: list[Verdict], evidence: EvidenceSet,
                          checks: _Checks) -> dict[int, set[str]]:
    """Per draft, the citations that are irrelevant by the ALCE definition (leave-one-out probes).

    A citation is irrelevant when alone it does not support the sentence and the others, without
    it, still get the sentence's verdict. A template names several actors, each backed by its own
    citation: none is redundant, so templates are not probed. The probes check parts of the
    citations, not the sentence, so the claims they find not carried are not noted.
    """
    probes, owners = [], []
    for i, (d, v) in enumerate(zip(drafts, verdicts)):
        if kept(d, v) and len(d.evidence) > 1 and d.kind != "template":
            for k, eid in enumerate(d.evidence):
                rest = replace(d, evidence=tuple(e for j, e in enumerate(d.evidence) if j != k))
                alone = replace(d, evidence=(eid,))
                probes += [(d, _passages(alone, evidence)), (d, _passages(rest, evidence))]
                owners.append((i, eid))
    answers = checks.run(probes) if probes else []
    irrelevant: dict[int, set[str]] = {}
    for n, (i, eid) in enumerate(owners):
        alone, rest = answers[2 * n], answers[2 * n + 1]
        if not kept(drafts[i], alone) and rest.label == verdicts[i].label:
            irrelevant.setdefault(i, set()).add(eid)
    return irrelevant


def gate(sections: Sequence[Section], evidence: EvidenceSet, checker: SupportChecker, *,
         keep_unsupported: bool = False) -> GateResult:
    """Check every sentence; drop unsupported ones, irrelevant citations and unsupported copies; compute metrics."""
    checking = Gate(evidence, checker, keep_unsupported=keep_unsupported)
    for section in sections:
        checking.check(section)
    return checking.result()


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
