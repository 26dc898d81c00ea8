"""Evidence: per-facet retrieval, then sentence selection from the retrieved passages.

A sentence is scored for each facet by its similarity to the facet's query and to the question,
the share of the question's topic terms it contains, and whether it carries the facet's cue words.
Syndicated copies of a sentence collapse into one evidence item that keeps every copy's source;
a copy that changed a name, date or number is kept apart (see ``values.states_other_value``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from ..clean import is_boilerplate_line
from ..embed import Embedder
from ..models import DocMeta, Filters, Hit, Passage
from ..search import Retriever, SearchOptions
from .answerable import asking_parts
from .gazetteer import find_mentions
from .lexicon import PRONOUN_START, has_cue, looks_like_instruction
from .model import ITEM_FACET, Evidence, Plan
from .values import states_other_value

MIN_WORDS, MAX_WORDS = 6, 80
_WORD = re.compile(r"\w+")


# A document whose closest sentence to the question is under this share of the closest document's tells
# another story (a market wrap's other item, an article that shares a place name): the analysis does not
# read it and the brief does not quote it. On the analyst dev and probe questions the annotated pages are
# at 0.70 or more of the best, the pages on other stories at 0.68 or less (BENCHMARKS.md).
OTHER_STORY = 2 / 3


# … and a page that names none of the people or bodies the question is about is on another story under this share of
# the closest page that does: one as close as that may name them otherwise ("the Federal Reserve" for "the Fed"). The
# page on another story seen (Hong Kong's protests for a question on a company's Hong Kong listing) sat at 0.77.
NAMELESS_SHARE = 0.85


def other_stories(items: dict[str, Evidence], similarity: dict[str, float],
                  share: float = OTHER_STORY, names: tuple[str, ...] = ()) -> frozenset[str]:
    """The documents on another story than the question's: their closest sentence to the question is
    under ``share`` of the closest document's; or, when the question names people or bodies (``names``), they
    name none of them in title or evidence while a document that does is clearly closer (``NAMELESS_SHARE``): "why
    did Acme list in Lisbon?", a page on Lisbon's protests is another story however close its sentences come."""
    best: dict[str, float] = {}
    for eid, ev in items.items():
        best[ev.doc.doc_id] = max(best.get(ev.doc.doc_id, 0.0), similarity.get(eid, 0.0))
    top = max(best.values(), default=0.0)
    other = {d for d, b in best.items() if b < share * top}
    if names:  # (when no page names them, the parser's names are not what the pages call them: nothing is set aside)
        # (in any case: "SPACE VIZZION" in a page that writes the name in capitals)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.I)
        naming = {ev.doc.doc_id for ev in items.values()
                  if pattern.search(ev.text) or pattern.search(ev.doc.title or "")}
        closest = max((best[d] for d in naming), default=0.0)
        other |= {d for d in best if d not in naming and best[d] < NAMELESS_SHARE * closest}
    return frozenset(other)


def question_names(question: str) -> tuple[str, ...]:
    """Who a question is about, as a page would name them: the proper nouns its verbs have as subject ("Why did
    Kestrel Foods choose Lisbon …" → Kestrel Foods; a person by surname too), not a country, which pages on many
    stories name. (Not the parser's entity labels, which call a company a place at times.)"""
    from ..analysis.parse import parse_one

    names: dict[str, None] = {}
    doc = parse_one(question)
    # (each of conjoined subjects: "How do the Lumo 3 and the Vexa 2 compare …" is about both)
    subjects = [c for t in doc if t.dep_ in ("nsubj", "nsubjpass") for c in (t, *t.conjuncts)]
    for tok in subjects:
        if tok.pos_ != "PROPN":
            continue
        span = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        words = [t for t in (span or [c for c in tok.lefts if c.dep_ == "compound"] + [tok])]
        text = " ".join(t.text for t in words if t.lower_ != "the").removesuffix("'s").removesuffix("’s")
        if find_mentions(text):
            continue  # a country, its capital or its people
        names[text] = None
        if span is not None and span.label_ == "PERSON" and len(words) > 1:
            names[words[-1].text] = None
    return tuple(n for n in names if len(n) > 2)


def without(evidence: "EvidenceSet", ids: frozenset[str]) -> "EvidenceSet":
    """``evidence`` without the items ``ids`` (in no facet either)."""
    if not ids:
        return evidence
    return replace(evidence, items={e: ev for e, ev in evidence.items.items() if e not in ids},
                   by_facet={k: tuple(e for e in v if e not in ids) for k, v in evidence.by_facet.items()})


@dataclass(frozen=True, slots=True)
class EvidenceOptions:
    """How much evidence to gather."""

    passages_per_facet: int = 12
    per_facet: int = 12  # evidence sentences kept per facet
    min_relevance: float = 0.30  # cosine to the question (MiniLM scale) below which a sentence is off-topic
    on_topic_similarity: float = 0.5  # a sentence this close to the question makes its document on topic
    expand_documents: int = 6  # the most on-topic documents are read whole


@dataclass(frozen=True, slots=True)
class EvidenceSet:
    """Evidence items by id, the ids chosen for each facet, and the passages they come from."""

    items: dict[str, Evidence]
    by_facet: dict[str, tuple[str, ...]]
    passages: dict[str, tuple[Passage, DocMeta]]
    question_similarity: dict[str, float]
    vectors: dict[str, np.ndarray]  # each item's sentence embedding, computed once during selection
    # the embedding of each asking part of a question of several parts ("What did he get and why, and how was
    # the girl found?"); empty for a question of one part
    part_vectors: tuple[np.ndarray, ...] = ()
    # the cosine to the question of the closest sentence read, chosen or not (what a decline reports)
    closest: float = 0.0
    # … and of the closest headline of a document on the question's topic ("Republicans Are Following Trump to
    # Nowhere" on "why are Republicans following Trump?")
    headline: float = 0.0


def _stem(word: str) -> str:
    """A crude stem: an inflection ending off ("holding" → "hold", "rates" → "rate"), then 5 letters."""
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[:-len(suffix)]
            break
    return word[:5]


def topic_coverage(text: str, terms: tuple[str, ...]) -> float:
    """Share of topic terms (compared by stems: inflection off, 5 letters) present in ``text``."""
    if not terms:
        return 0.0
    stems = {_stem(w) for w in _WORD.findall(text.lower())}
    return sum(_stem(t) in stems for t in terms) / len(terms)


def beyond_topic(text: str, terms: tuple[str, ...]) -> set[str]:
    """The stems of ``text``'s words that are neither function words nor the question's topic terms: what a
    sentence says beyond naming what is asked about."""
    from ..store.fts import STOPWORDS

    topic = {_stem(t) for t in terms}
    return {s for w in _WORD.findall(text.lower()) if w not in STOPWORDS and (s := _stem(w)) not in topic}


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


# a row of a table the page ran into its text ("| DL | Myles Garrett | 57 | 77% | 1 tackle", or a cell's end, "1 sack,
# 1 TFL, 1 QH, 1 pass defended. |"): cells, not a sentence
_TABLE_ROW = re.compile(r"(?:\|[^|]*){3,}|^\s*\||\|\s*$")


def _prose(text: str) -> bool:
    """A sentence of the page's prose: of a sentence's length, no boilerplate line, no instruction to a reader or a
    model, no table row."""
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS and not is_boilerplate_line(text) \
        and not looks_like_instruction(text) and not _TABLE_ROW.search(text)


def _candidates(hits: list[Hit]) -> list[tuple[str, Passage, DocMeta, int, int]]:
    out = []
    for hit in hits:
        for sent in hit.passage.sentences:
            if _prose(sent.text):
                out.append((sent.text, hit.passage, hit.doc, sent.start, sent.end))
    return out


def gather(plan: Plan, retriever: Retriever, embedder: Embedder,
           options: EvidenceOptions = EvidenceOptions()) -> EvidenceSet:
    """Retrieve for every facet and pick the best sentences for each."""
    per_facet_hits: dict[str, list[Hit]] = {}
    search = SearchOptions(k=options.passages_per_facet, per_document=2, per_outlet=4)
    queries = [f.query for f in plan.facets]
    parts = asking_parts(plan.question)
    parts = parts if len(parts) > 1 else []
    vectors = embedder.embed([plan.question, *queries, *parts])
    qvec, facet_vecs = vectors[0], vectors[1:1 + len(queries)]
    part_vectors = tuple(vectors[1 + len(queries):])
    for facet, fvec in zip(plan.facets, facet_vecs):
        hits = retriever.search_vec(facet.query, fvec, search)
        hits += retriever.search_vec(plan.question, qvec, search) if facet.key == plan.facets[0].key else []
        per_facet_hits[facet.key] = hits
    expansion = _expand_documents(plan, retriever, embedder, qvec, per_facet_hits, options)
    per_facet_hits = {k: v + expansion for k, v in per_facet_hits.items()}
    pool: dict[tuple[str, int], tuple[str, Passage, DocMeta, int, int]] = {}
    for hits in per_facet_hits.values():
        for cand in _candidates(hits):
            pool.setdefault((cand[2].doc_id, cand[3]), cand)
    keys = list(pool)
    texts = [pool[k][0] for k in keys]
    sent_vecs = embedder.embed(texts) if texts else np.zeros((0, embedder.dim), np.float32)
    to_question = sent_vecs @ qvec if texts else np.zeros(0)
    index = {k: i for i, k in enumerate(keys)}

    covers = [topic_coverage(t, plan.topic_terms) for t in texts]
    # A document is on topic when one of its sentences is; its other sentences then need only be
    # loosely related ("Emergency services began evacuating…" in a flood report names no flood).
    # A document is on topic when one of its sentences shares a third of the question's terms or is
    # close in meaning to the whole question; a merely similar word ("banks" of a river for a
    # question about a central bank) is not enough.
    on_topic_docs = {keys[i][0] for i in range(len(keys))
                     if covers[i] >= 0.34 or to_question[i] >= options.on_topic_similarity}
    # … or when its headline shares a third of them: "Opinion | Republicans Are Following Trump to Nowhere" on "why
    # are Republicans following Trump?", a column none of whose sentences names both
    titled = sorted({doc.title for _, _, doc, _, _ in pool.values()
                     if doc.title and topic_coverage(doc.title, plan.topic_terms) >= 0.34})
    on_topic_docs |= {doc.doc_id for _, _, doc, _, _ in pool.values() if doc.title in titled}
    headline = float(max(embedder.embed(titled) @ qvec, default=0.0)) if titled else 0.0
    # a question about an outlet's piece ("what does the Ledger's editorial argue?") is answered from that piece
    named = {doc.doc_id for _, _, doc, _, _ in pool.values() if names_outlet(plan.question, doc.outlet)}
    on_topic_docs = (on_topic_docs & named) or on_topic_docs
    chosen: dict[str, list[tuple[float, tuple[str, int]]]] = {}
    compared = {f.key: f.cues for f in plan.facets if f.key.startswith(ITEM_FACET)}
    for facet, fvec in zip(plan.facets, facet_vecs):
        facet_keys = sorted({(c[2].doc_id, c[3]) for c in _candidates(per_facet_hits[facet.key])})
        scored = []
        for key in facet_keys:
            i = index[key]
            text = texts[i]
            cover = covers[i]
            if key[0] not in on_topic_docs or to_question[i] < options.min_relevance / 2:
                continue  # off-topic document, or a sentence unrelated to the question
            cue = has_cue(text, facet.cues)
            if facet.key == "positions":
                cue = cue and bool(find_mentions(text))
            if facet.key in compared and not _mostly_about(text, facet.key, compared):
                continue  # a sentence under one of the things compared names it more than the other
            score = 0.45 * float(sent_vecs[i] @ fvec) + 0.25 * float(to_question[i]) + 0.2 * cover + 0.1 * cue
            if PRONOUN_START.match(text) or (text.count('"') + text.count("“") + text.count("”")) % 2:
                score -= 0.1  # prefer self-contained sentences (no dangling "He", no half a quotation)
            scored.append((score, key))
        scored.sort(key=lambda x: (-x[0], x[1]))
        chosen[facet.key] = scored
    return replace(_assemble(plan, pool, chosen, (to_question, sent_vecs), index, options), part_vectors=part_vectors,
                   closest=float(max(to_question, default=0.0)), headline=headline)


def _expand_documents(plan: Plan, retriever: Retriever, embedder: Embedder, qvec: np.ndarray,
                      per_facet_hits: dict[str, list[Hit]], options: EvidenceOptions) -> list[Hit]:
    """Read the most relevant documents whole: every passage of the top documents joins the pool.

    Retrieval finds a document through its best passages; the rest of a short article (the
    evacuation paragraph of a flood report, the chairman's statement in a sacking story) often
    answers other facets of the question without repeating its terms.
    """
    best: dict[str, float] = {}
    for hits in per_facet_hits.values():
        for hit in hits:
            sims = [topic_coverage(s.text, plan.topic_terms) for s in hit.passage.sentences]
            best[hit.doc.doc_id] = max(best.get(hit.doc.doc_id, 0.0), max(sims, default=0.0))
    # a source the question names ("what does the Ledger's review criticise?") is read whole first, whatever its
    # words: the question is about that piece
    named = sorted({hit.doc.doc_id for hits in per_facet_hits.values() for hit in hits
                    if names_outlet(plan.question, hit.doc.outlet)})
    top = named + [d for d, cover in sorted(best.items(), key=lambda x: (-x[1], x[0]))
                   if cover >= 0.5 and d not in named]
    top = top[:options.expand_documents]
    if not top:
        return []
    whole = SearchOptions(k=200, candidates=200, per_document=0, per_outlet=0, mmr_lambda=1.0,
                          filters=Filters(doc_ids=tuple(top)))
    return retriever.search_vec(plan.question, qvec, whole)


def _mostly_about(text: str, key: str, compared: dict[str, tuple[str, ...]]) -> bool:
    """Whether ``text`` names the thing compared under ``key`` (by its cue words) more than any other."""
    hits = {k: sum(has_cue(text, (c,)) for c in cues) for k, cues in compared.items()}
    return hits[key] > 0 and all(hits[key] > n for k, n in hits.items() if k != key)


# what a piece of an outlet is called: "the Ledger's editorial", "a Courier review"
_PIECES = ("review|reviews|editorial|editorials|article|articles|report|reports|reporting|story|stories|piece|column|"
           "op-ed|opinion|analysis|interview|coverage|investigation|feature|profile|essay|commentary|leader|podcast")


def names_outlet(question: str, outlet: str | None) -> bool:
    """Whether ``question`` asks about a piece of the outlet ("VG247's review", "the Ledger editorial"): the
    outlet's name as written, without a leading "The", then what its pieces are called (a name of two letters is
    too often something else; an outlet named as a company, "why was the Ledger sold?", asks about no piece)."""
    name = (outlet or "").strip().removeprefix("The ").strip()
    return len(name) > 2 and re.search(rf"(?<![\w.]){re.escape(name)}(?:['’]s?)?\s+(?:\w+\s+)?(?:{_PIECES})\b",
                                       question) is not None


def _assemble(plan: Plan, pool, chosen, scored_vectors, index, options: EvidenceOptions) -> EvidenceSet:
    """Number the evidence, collapse syndicated copies, keep ``per_facet`` items per facet."""
    items: dict[str, Evidence] = {}
    by_key: dict[tuple[str, int], str] = {}
    word_sets: dict[str, set[str]] = {}
    by_facet: dict[str, list[str]] = {f.key: [] for f in plan.facets}
    passages: dict[str, tuple[Passage, DocMeta]] = {}
    similarity: dict[str, float] = {}
    vectors: dict[str, np.ndarray] = {}
    to_question, sent_vecs = scored_vectors
    # Interleave facets so every facet gets its best evidence before any takes its tail.
    for rank in range(max((len(v) for v in chosen.values()), default=0)):
        for facet in plan.facets:
            ranked = chosen[facet.key]
            if rank >= len(ranked) or len(by_facet[facet.key]) >= options.per_facet:
                continue
            score, key = ranked[rank]
            eid = by_key.get(key)
            if eid is None:
                text, passage, doc, start, end = pool[key]
                words = _words(text)
                twin = _twin_of(text, words, items, word_sets)
                if twin is not None:
                    items[twin] = _add_copy(items[twin], doc, passage, start, end, text)
                    passages[passage.passage_id] = (passage, doc)
                    by_key[key] = eid = twin
                else:
                    eid = f"E{len(items) + 1}"
                    items[eid] = Evidence(eid, text, doc, passage.passage_id, start, end, score)
                    word_sets[eid] = words
                    passages[passage.passage_id] = (passage, doc)
                    similarity[eid] = float(to_question[index[key]])
                    vectors[eid] = sent_vecs[index[key]]
                    by_key[key] = eid
            if eid not in by_facet[facet.key]:
                by_facet[facet.key].append(eid)
                items[eid] = replace(items[eid], facets=items[eid].facets + (facet.key,))
    # Every other relevant sentence stays available (without a facet) for actor and dispute analysis.
    for facet in plan.facets:
        for score, key in chosen[facet.key]:
            if key not in by_key:
                text, passage, doc, start, end = pool[key]
                words = _words(text)
                twin = _twin_of(text, words, items, word_sets)
                if twin is not None:
                    items[twin] = _add_copy(items[twin], doc, passage, start, end, text)
                    by_key[key] = twin
                else:
                    eid = f"E{len(items) + 1}"
                    items[eid] = Evidence(eid, text, doc, passage.passage_id, start, end, score)
                    word_sets[eid] = words
                    similarity[eid] = float(to_question[index[key]])
                    vectors[eid] = sent_vecs[index[key]]
                    by_key[key] = eid
                passages[passage.passage_id] = (passage, doc)
    return EvidenceSet(items, {k: tuple(v) for k, v in by_facet.items()}, passages, similarity, vectors)


def _twin_of(text: str, words: set[str], items: dict[str, Evidence], word_sets: dict[str, set[str]]) -> str | None:
    """The item ``text`` is a syndicated copy of: nearly the same words (Jaccard ≥ 0.8), no value changed.

    A near-identical sentence with a different name, date or number ("held in Tampa, Florida" /
    "held in Glendale, Arizona") is a different claim, not a copy: merging it would cite its source
    for the other value and hide the disagreement from the dispute stage.
    """
    return next((e for e, ws in word_sets.items()
                 if _jaccard(words, ws) >= COPY_SHARE and not states_other_value(items[e].text, text)), None)


# two sentences with this share of their words in common (Jaccard) are one sentence as two outlets give it
COPY_SHARE = 0.8


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def same_words(a: str, b: str) -> bool:
    """Whether two texts are one as two outlets give it: one inside the other, or ``COPY_SHARE`` of their words in
    common (at least five words between them: "we have received an inquiry …" and "We received an inquiry …")."""
    if a in b or b in a:
        return True
    x, y = _words(a), _words(b)
    return len(x | y) >= 5 and _jaccard(x, y) >= COPY_SHARE


def _add_copy(item: Evidence, doc: DocMeta, passage: Passage, start: int, end: int, text: str) -> Evidence:
    if doc.doc_id == item.doc.doc_id or any(d.doc_id == doc.doc_id for d, *_ in item.also_in):
        return item
    return replace(item, also_in=item.also_in + ((doc, passage.passage_id, start, end, text),))


def extend(evidence: EvidenceSet, plan: Plan, retriever: Retriever, embedder: Embedder,
           wanted: dict[str, tuple[str, ...]], options: EvidenceOptions = EvidenceOptions()) -> EvidenceSet:
    """Add each named actor's own sentences on the question: a search for the actor and the topic.

    ``wanted`` maps a query ("Robert Fico Ukraine joining NATO") to the names that must occur in a
    sentence for it to join the evidence (the actor and its aliases), or to follow one that does and
    open with a pronoun. The first pass finds who holds a position; this pass reads where they
    explain it, often their own article, which a topic search ranks below round-ups that list them.
    """
    search = SearchOptions(k=8, per_document=3, per_outlet=0)
    picked: list[tuple[Hit, object]] = []
    for query, names in wanted.items():
        patterns = [re.compile(rf"(?<!\w){re.escape(n)}(?!\w)") for n in names if len(n) > 2]
        for hit in retriever.search(query, search):
            follows = False
            for sent in hit.passage.sentences:
                named = any(p.search(sent.text) for p in patterns)
                if named or (follows and PRONOUN_START.match(sent.text)):
                    picked.append((hit, sent))
                follows = named
    return _add_sentences(evidence, plan, embedder, picked, options)


def read_whole(evidence: EvidenceSet, plan: Plan, retriever: Retriever, embedder: Embedder,
               options: EvidenceOptions = EvidenceOptions(), documents: int = 4) -> EvidenceSet:
    """Add every sentence of the documents closest to the question, for the analysis of who says what.

    Who holds a position and why is often said in sentences that repeat none of the question's words
    ("The issue is funding," said …); the actor table reads the most relevant articles whole, as an
    analyst would, while the sections keep their per-facet evidence.
    """
    best: dict[str, float] = {}
    for eid, ev in evidence.items.items():
        best[ev.doc.doc_id] = max(best.get(ev.doc.doc_id, 0.0), evidence.question_similarity.get(eid, 0.0))
    top = [d for d, sim in sorted(best.items(), key=lambda x: (-x[1], x[0])) if sim >= options.on_topic_similarity]
    if not top:
        return evidence
    whole = SearchOptions(k=400, candidates=400, per_document=0, per_outlet=0, mmr_lambda=1.0,
                          filters=Filters(doc_ids=tuple(top[:documents])))
    picked = [(hit, sent) for hit in retriever.search(plan.question, whole) for sent in hit.passage.sentences]
    return _add_sentences(evidence, plan, embedder, picked, options)


def _add_sentences(evidence: EvidenceSet, plan: Plan, embedder: Embedder, picked, options: EvidenceOptions
                   ) -> EvidenceSet:
    """New evidence items (no facet) for picked (hit, sentence) pairs not yet in the evidence."""
    known = {(ev.doc.doc_id, ev.start) for ev in evidence.items.values()} | {
        (d.doc_id, start) for ev in evidence.items.values() for d, _, start, _, _ in ev.also_in}
    pool: dict[tuple[str, int], tuple[str, Passage, DocMeta, int, int]] = {}
    for hit, sent in picked:
        key = (hit.doc.doc_id, sent.start)
        if key not in known and _prose(sent.text):
            pool.setdefault(key, (sent.text, hit.passage, hit.doc, sent.start, sent.end))
    if not pool:
        return evidence
    keys = sorted(pool)
    vectors = embedder.embed([plan.question] + [pool[k][0] for k in keys])
    qvec, sent_vecs = vectors[0], vectors[1:]
    items, passages = dict(evidence.items), dict(evidence.passages)
    similarity, vecs = dict(evidence.question_similarity), dict(evidence.vectors)
    for i, key in enumerate(keys):
        sim = float(sent_vecs[i] @ qvec)
        if sim < options.min_relevance / 2:
            continue
        text, passage, doc, start, end = pool[key]
        eid = f"E{len(items) + 1}"
        items[eid] = Evidence(eid, text, doc, passage.passage_id, start, end, sim)
        passages[passage.passage_id] = (passage, doc)
        similarity[eid], vecs[eid] = sim, sent_vecs[i]
    return replace(evidence, items=items, passages=passages, question_similarity=similarity, vectors=vecs)
