"""Audit a parsed report against the corpus: each sentence against the documents it cites.

    result = check_report(text, name="report.md", store=corpus.store, checker=checker)
    result.sentences[3].verdict, result.recall            # Outcome.UNSUPPORTED, 0.83

A citation names a whole document, so each cited document is one "passage" for the checker: its
stored passages joined in order. The checker picks the best 1–3 sentence window of them, and ALCE
citation precision (``verify.metrics``) asks of each citation, not of each stored passage, whether
it was needed. The store is read once per cited document; everything else is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Sequence

from ..models import Passage
from ..split import SplitSettings, passages_of, sentences_of
from ..store import Store
from ..verify import Label, SupportChecker, citation_scores, describe
from .report import ParsedReport, ReportSentence, SourceEntry, parse_report
from .sources import SourceMatch, match_sources


class Outcome(str, Enum):
    """A sentence's verdict in a check: the checker's labels plus "unresolved"."""

    SUPPORTED = "supported"
    PARTIAL = "partial"
    UNSUPPORTED = "unsupported"  # also every sentence that cites nothing
    CONTRADICTED = "contradicted"
    UNCERTAIN = "uncertain"  # the checker could not decide: for a reader to look at, not a failure
    UNRESOLVED = "unresolved"  # none of its citations leads to a corpus document: not checked


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    """The audit of one report sentence."""

    text: str  # citation markers removed
    citations: tuple[int, ...]
    verdict: Outcome
    score: float | None  # checker score; None when unresolved
    quote: str | None  # the best window of the cited documents (what the source says closest to it)
    doc_ids: tuple[str, ...]  # documents of its resolved citations, in citation order
    unresolved: tuple[int, ...] = ()  # its citations that lead to no document
    quote_source: int | None = None  # the citation number whose document holds ``quote``


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A whole report's audit: sentences, ALCE figures, and how its sources were matched."""

    report: str
    sentences: tuple[SentenceCheck, ...]
    recall: float
    precision: float
    sources: tuple[SourceMatch, ...]
    missing: tuple[int, ...]  # cited numbers that have no source entry at all
    has_source_list: bool
    checker: tuple[tuple[str, object], ...] = ()  # ``verify.describe`` of the checker that ran, as items

    def counts(self) -> dict[str, int]:
        """Number of sentences per verdict (every verdict present, zeros included)."""
        return {o.value: sum(s.verdict is o for s in self.sentences) for o in Outcome}

    @property
    def unresolved_citations(self) -> tuple[int, ...]:
        """Cited numbers that lead to no corpus document, in order."""
        return tuple(sorted({n for s in self.sentences for n in s.unresolved}))

    @property
    def unmatched(self) -> tuple[SourceMatch, ...]:
        """Source entries that no corpus document matched."""
        return tuple(m for m in self.sources if m.doc_id is None)


def document_passages(store: Store, doc_id: str) -> tuple[Passage, ...]:
    """The indexed passages of one document, in order, read from the store."""
    doc = store.document(doc_id)
    if doc is None:
        return ()
    fp = store.fingerprint()
    split = SplitSettings(fp.splitter, fp.passage_words) if fp else SplitSettings()
    # The Store protocol looks passages up by id; ids are content hashes of the split ingest made
    # with these same settings, so deriving the split again names exactly the stored rows.
    derived = passages_of(doc_id, doc.text, sentences_of(doc_id, doc.text, splitter=split.splitter),
                          passage_words=split.passage_words)
    stored = store.passages([p.passage_id for p in derived])
    return tuple(stored[p.passage_id][0] if p.passage_id in stored else p for p in derived)


def cited_texts(store: Store, doc_ids: Iterable[str]) -> dict[str, str]:
    """Each document's passages joined by blank lines (a blank line always ends a sentence)."""
    return {d: "\n\n".join(p.text for p in document_passages(store, d)) for d in dict.fromkeys(doc_ids)}


def merge_entries(listed: Sequence[SourceEntry], given: Sequence[SourceEntry]) -> tuple[SourceEntry, ...]:
    """The report's own entries, with ``--sources`` entries replacing those of the same number."""
    merged = {e.number: e for e in listed}
    merged.update({e.number: e for e in given})
    return tuple(merged[n] for n in sorted(merged))


def audit(parsed: ParsedReport, matches: Sequence[SourceMatch], texts: dict[str, str],
          checker: SupportChecker, *, name: str) -> CheckResult:
    """Check every sentence against the text of the documents it cites; compute ALCE figures."""
    doc_of = {m.entry.number: m.doc_id for m in matches if m.doc_id}
    pending: list[tuple[int, list[int]]] = []  # (sentence index, its resolved citations)
    rows: list[SentenceCheck | None] = []
    for i, sent in enumerate(parsed.sentences):
        resolved = [n for n in sent.citations if n in doc_of]
        if not sent.citations:
            rows.append(SentenceCheck(sent.text, (), Outcome.UNSUPPORTED, 0.0, None, ()))
        elif not resolved:
            rows.append(SentenceCheck(sent.text, sent.citations, Outcome.UNRESOLVED, None, None, (),
                                      sent.citations))
        else:
            rows.append(None)
            pending.append((i, resolved))
    pairs = [(parsed.sentences[i].text, [texts[doc_of[n]] for n in cites]) for i, cites in pending]
    for (i, cites), verdict in zip(pending, checker.check_many(pairs) if pairs else []):
        sent = parsed.sentences[i]
        quote, source = None, None
        if verdict.best_span is not None:
            index, start, end = verdict.best_span
            quote, source = texts[doc_of[cites[index]]][start:end], cites[index]
        rows[i] = SentenceCheck(sent.text, sent.citations, Outcome(verdict.label.value), verdict.score,
                                quote, tuple(doc_of[n] for n in cites),
                                tuple(n for n in sent.citations if n not in doc_of), source)
    scores = citation_scores(checker, _alce_pairs(parsed.sentences, doc_of, texts),
                             accept=(Label.SUPPORTED,))
    listed = {m.entry.number for m in matches}
    missing = sorted({n for s in parsed.sentences for n in s.citations} - listed)
    return CheckResult(name, tuple(r for r in rows if r is not None), scores.recall, scores.precision,
                       tuple(matches), tuple(missing), parsed.has_source_list, tuple(describe(checker).items()))


def _alce_pairs(sentences: Sequence[ReportSentence], doc_of: dict[int, str],
                texts: dict[str, str]) -> list[tuple[str, list[str]]]:
    # One passage per citation; an unresolved citation is an empty passage, so it can never
    # support (recall) and never earns precision credit.
    return [(s.text, [texts[doc_of[n]] if n in doc_of else "" for n in s.citations]) for s in sentences]


def check_report(text: str, *, name: str, store: Store, checker: SupportChecker,
                 extra_sources: Sequence[SourceEntry] = ()) -> CheckResult:
    """Parse ``text``, match its sources (and ``extra_sources``) to the corpus, and audit it."""
    parsed = parse_report(text)
    entries = merge_entries(parsed.sources, extra_sources)
    matches = match_sources(entries, store.documents())
    cited = {n for s in parsed.sentences for n in s.citations}
    wanted = [m.doc_id for m in matches if m.doc_id and m.entry.number in cited]
    return audit(parsed, matches, cited_texts(store, wanted), checker, name=name)
