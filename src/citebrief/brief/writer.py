"""The extractive writer: sections composed from source sentences and templates over extracted facts.

It cannot invent: an "extract" draft is a source sentence (lightly trimmed); a "template" draft
fills fixed wording only with actor names and positions extracted from the evidence it cites.
"""

from __future__ import annotations

import re
from itertools import zip_longest
from typing import Callable

import numpy as np

from ..analysis.causes import cause_statements, question_event, same_thing
from ..analysis.names import CALENDAR_WORDS
from ..analysis.parse import parse, parse_one
from ..analysis.posts import without_links
from ..analysis.vocab import CAUSAL_RE
from ..split import split_sentences
from .answerable import asking_parts, reports_asked
from .evidence import EvidenceSet, beyond_topic, other_stories, question_names
from .lexicon import capitalised, has_cue, has_reason, trim_sentence
from .limits import _join
from .model import ITEM_FACET, ActorFinding, Dispute, Draft, Plan, Position, Section, Shape
from .question import compared_items, positions_subject
from .usable import asks, is_opinion, stands_alone
from .values import states_other_value

SUMMARY = "Executive summary"
BOTTOM_LINE = "Bottom line"
Rank = Callable[[str], tuple[int, float, int]]  # sort key of evidence ids: best supported, then best scored
_POSITION_WORDS = {Position.OPPOSES: "opposed", Position.HESITANT: "hesitant",
                   Position.SUPPORTS: "supportive", Position.MIXED: "divided, with statements both ways",
                   Position.NEUTRAL: "speaking on it without taking a side"}


# two sentences corroborate each other only if they share this many words beyond the question's topic terms
_SHARED_BEYOND_TOPIC = 2


def corroboration(evidence: EvidenceSet, vectors: dict[str, np.ndarray], topic: tuple[str, ...] = ()) -> dict[str, int]:
    """For each item, how many independent origins carry the same or a closely similar sentence.

    A near-identical sentence with another name, date or number is the opposite of corroboration:
    "held in Tampa" and "held in Glendale" embed almost alike but state rival values. Nor do two sentences
    that only name the subject ("Welcome to the new X." beside "The new X goes on sale today.") corroborate
    anything: they must share words beyond the question's ``topic`` terms.
    """
    out: dict[str, int] = {}
    items = evidence.items
    beyond = {eid: beyond_topic(ev.text, topic) for eid, ev in items.items()}
    for eid, ev in items.items():
        origins = {ev.doc.duplicate_of or ev.doc.doc_id} | {d.duplicate_of or d.doc_id for d, *_ in ev.also_in}
        for other, o in items.items():
            if other != eid and eid in vectors and other in vectors and float(vectors[eid] @ vectors[other]) >= 0.8 \
                    and len(beyond[eid] & beyond[other]) >= _SHARED_BEYOND_TOPIC \
                    and not states_other_value(ev.text, o.text):
                origins.add(o.doc.duplicate_of or o.doc.doc_id)
        out[eid] = len(origins)
    return out


# how each position takes what it is on: "opposed to Ukraine joining", "hesitant about …"
_POSITION_ON = {Position.OPPOSES: "opposed to {}", Position.HESITANT: "hesitant about {}",
                Position.SUPPORTS: "supportive of {}", Position.MIXED: "divided on {}, with statements both ways"}


def _position_templates(actors: list[ActorFinding], limit_each: int = 2, about: str = "") -> list[Draft]:
    """One sentence per position group: "<names> are reported as <position> [on what]." citing each actor."""
    drafts = []
    for position in (Position.OPPOSES, Position.HESITANT, Position.MIXED, Position.SUPPORTS):
        group = [a for a in actors if a.position == position and not a.party]
        if not group:
            continue
        names = _join([a.name for a in group])
        # "Teachers are", "the board is": a single group named by a plural noun takes a plural verb
        plural = len(group) > 1 or (group[0].kind == "group" and group[0].name.lower().endswith("s"))
        verb = "are" if plural else "is"
        cites = tuple(dict.fromkeys(e for a in group for e in a.position_evidence[:limit_each]))
        stance = _POSITION_ON[position].format(about) if about else _POSITION_WORDS[position]
        drafts.append(Draft(f"{capitalised(names)} {verb} reported as {stance}.", cites, "template"))
    parties = [a for a in actors if a.party]
    if parties:  # no stance word: what they did is what the question asks about, and they speak on it
        names = _join([a.name for a in parties])
        cites = tuple(dict.fromkeys(e for a in parties for e in a.position_evidence[:limit_each]))
        drafts.append(Draft(f"{capitalised(names)}, whose act the question is about, "
                            f"{'speak' if len(parties) > 1 else 'speaks'} for it.", cites, "template"))
    return drafts


def change_templates(actors: list[ActorFinding]) -> list[Draft]:
    """"X was reported as opposed in 2008 and as supportive by 2024-11-22.", both ends cited."""
    drafts = []
    for actor in actors:
        dated = [p for p in actor.series if p[1]]
        if len(dated) < 2 or dated[0][0] == actor.position.value or dated[0][1][:4] == dated[-1][1][:4]:
            continue
        last = next(p for p in reversed(dated) if p[0] == actor.position.value) if any(
            p[0] == actor.position.value for p in dated) else dated[-1]
        old_word = _POSITION_WORDS[Position(dated[0][0])]
        new_word = _POSITION_WORDS[actor.position]
        name = capitalised(actor.name.split(" (")[0])
        drafts.append(Draft(f"{name} was reported as {old_word} in {dated[0][1][:4]} and as "
                            f"{new_word} by {last[1]}.", (dated[0][2], last[2]), "template"))
    return drafts


def _answer(candidates: tuple[str, ...], disputes: list[Dispute], rank: Rank) -> list[str]:
    """The answer to a factoid question: its best-supported sentence, or both sides of a disagreement.

    When one of the three best answer sentences is part of a value dispute, the best sentence of
    each side is given, the side carried by more independent sources first (``disputes`` orders
    sides so): the reader sees that sources give two values, not one value picked silently.
    """
    ranked = sorted(candidates, key=rank)[:3]
    rival = next((d for eid in ranked for d in disputes
                  if d.kind == "value" and any(eid in ids for _, ids in d.sides)), None)
    return ranked[:1] if rival is None else _summary_sides(rival, rank)


def _summary_sides(dispute: Dispute, rank: Rank) -> list[str]:
    """What the summary quotes of a dispute: the denial, or the best sentence for each of two rival values."""
    if dispute.kind == "denial":
        return [dispute.sides[-1][1][0]]
    return list(dict.fromkeys(min(ids, key=rank) for _, ids in dispute.sides))


def write_sections(plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute],
                   vectors: dict[str, np.ndarray]) -> list[Section]:
    """Executive summary, one section per facet with fitting evidence, and a bottom line.

    Every source sentence is used once in the whole brief, summary and bottom line included, and
    only if it stands alone (its own subject, no page residue); a section whose facet has cue words
    takes only sentences that carry one, so its heading fits what is under it.
    """
    # Position templates answer questions about positions; other shapes show the actor table only.
    explained = _explained(plan, actors)
    # a post or a credited excerpt is someone's words: quoted as such (``_in_their_words``), never as a fact
    quoted = frozenset(e for a in actors for e in a.posted)
    actors = actors if shape_needs_actors(plan.shape) else []
    support = corroboration(evidence, vectors, plan.topic_terms)
    rank = lambda eid: (-support[eid], -evidence.items[eid].score, int(eid[1:]))
    # (a page on any of the things a comparison names is on its story)
    names = question_names(plan.question) + (compared_items(plan.question) if plan.shape == Shape.COMPARISON else ())
    pick = _Picker(evidence, quoted, other_stories(evidence.items, evidence.question_similarity, names=names))
    summary = [d for eid, actor in explained if (d := _in_their_words(eid, actor, pick))][:3]
    # (the summary, among sentences as well supported, prefers one that states a figure, a date or a sum: "The 2020
    # Sentra … goes on sale in late January" over "There also is a redesigned compact Sentra")
    concrete = lambda eid: (-support[eid], -evidence.items[eid].score - FIGURE_WEIGHT * _states_figure(
        evidence.items[eid].text), int(eid[1:]))
    sections: list[Section] = [Section(SUMMARY, tuple(_summary(plan, evidence, actors, disputes, concrete, pick,
                                                                summary)))]

    for i, facet in enumerate(plan.facets):
        drafts: list[Draft] = []
        if i == 0 and actors:
            drafts += change_templates(actors)
        if facet.key == "reasons" and actors:
            owner = {e: a for a in reversed(actors) for e in a.reason_evidence}
            for eid in sorted(owner, key=rank):
                if len(drafts) < 5 and (draft := (_in_their_words(eid, owner[eid], pick) if eid in owner[eid].posted
                                                  else pick(eid))):
                    drafts.append(draft)
        fitting = [e for e in evidence.by_facet.get(facet.key, ())
                   if i == 0 or not facet.cues or has_cue(evidence.items[e].text, facet.cues)]
        for eid in sorted(fitting, key=rank):
            if len(drafts) >= 5:
                break
            if draft := pick(eid):
                drafts.append(draft)
        if facet.key == "what":
            # A timeline reads in order: by publication date, then position in the article.
            drafts.sort(key=lambda d: (evidence.items[d.evidence[0]].doc.published or "",
                                       evidence.items[d.evidence[0]].doc.doc_id, evidence.items[d.evidence[0]].start))
        if drafts:
            sections.append(Section(facet.heading, tuple(drafts)))

    bottom: list[Draft] = []
    if actors:
        against = [a for a in actors if a.position in (Position.OPPOSES, Position.HESITANT)]
        if against:
            cites = tuple(dict.fromkeys(e for a in against for e in a.position_evidence[:1]))
            count = "One of the actors named in these sources is" if len(against) == 1 else \
                f"{len(against)} of the actors named in these sources are"
            bottom.append(Draft(f"{count} reported as opposed or hesitant: {_join([a.name for a in against])}.", cites,
                                "template"))
    best = sorted(evidence.items, key=rank)
    for eid in [e for e in best if support[e] >= 2] + best:
        if len(bottom) >= (2 if actors else 1):
            break
        if draft := pick(eid):
            bottom.append(draft)
    if bottom:
        sections.append(Section(BOTTOM_LINE, tuple(bottom)))
    return sections


FIGURE_WEIGHT = 0.1  # added to a sentence's score in the summary's order when it states a figure (BENCHMARKS.md)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


def _states_figure(text: str) -> bool:
    """The sentence states a number, a sum, a date or a day (a capitalised month or weekday)."""
    return any(c.isdigit() for c in text) or any(w.lower() in CALENDAR_WORDS for w in _CAPITALISED.findall(text))


def _explained(plan: Plan, actors: list[ActorFinding]) -> list[tuple[str, ActorFinding]]:
    """A why question's main explanation as its actors state it: who gives the cause, then who denies it
    (one sentence each, in the table's order), so the summary opens with the answer and its dispute; then
    what the parties to the act say of it."""
    if plan.shape != Shape.WHY:
        return []
    on_cause = [a for a in actors if a.toward and a.position in (Position.SUPPORTS, Position.OPPOSES)]
    on_cause.sort(key=lambda a: a.position != Position.SUPPORTS)
    # then the doer's own account of its act ("Why did NASA add …": what NASA's people say of it)
    on_cause += [a for a in actors if a.party]
    return [(a.position_evidence[0], a) for a in on_cause if a.position_evidence]


def _in_their_words(eid: str, actor: ActorFinding, pick: "_Picker") -> Draft | None:
    """The actor's sentence; a social-media post or a credited excerpt quoted in a page is attributed as one,
    never stated as fact."""
    if eid not in actor.posted:
        return pick(eid, facts_only=True)
    text = without_links(trim_sentence(pick.evidence.items[eid].text)).strip()
    if len(text.split()) < 4 or not pick.take(eid, text):
        return None
    name = actor.name.split(' (')[0]
    if "a social-media post" not in actor.attributions:  # a roundup's excerpt credited to its source
        return Draft(f"In an excerpt credited to {name}: {_quoting(text)}.", (eid,), "template")
    return Draft(f"In a social-media post, {name} wrote: {_quoting(text)}.", (eid,), "template")


class _Picker:
    """Hands out each usable source sentence once per brief (by evidence id and by its text), never one of
    a document on another story."""

    def __init__(self, evidence: EvidenceSet, quoted: frozenset[str] = frozenset(),
                 elsewhere: frozenset[str] = frozenset()) -> None:
        self.evidence = evidence
        self.quoted = quoted  # evidence ids that are someone's post or credited excerpt
        self.elsewhere = elsewhere  # documents on another story
        self.ids: set[str] = set()
        self.texts: set[str] = set()
        # an item that opens a quote widened with what follows it (``brief.context``: "Analysts expect more ferries
        # … They say longer routes …"): the widened one, also chosen as evidence, is quoted in its place; of two
        # that open alike, "A. These B." and "A. These B. But this C.", the one that reaches further
        furthest: dict[tuple[str, int], str] = {}
        for eid, ev in sorted(evidence.items.items(), key=lambda item: item[1].end):
            if ev.context:
                furthest[(ev.doc.doc_id, ev.start)] = eid
        self.continued = {eid: longer for eid, ev in evidence.items.items()
                          if (longer := furthest.get((ev.doc.doc_id, ev.start), eid)) != eid
                          and evidence.items[longer].end > ev.end}

    def take(self, eid: str, text: str) -> bool:
        """Mark a sentence used by a template that quotes it; False if the brief already used it."""
        ev = self.evidence.items[eid]
        # (an item quoted with the sentences before it, ``brief.context``, uses each: none is quoted again, trimmed
        # or not)
        parts = [text, ev.text, *(ev.text[a:b] for a, b in split_sentences(ev.text))] if ev.context else [text]
        keys = {" ".join(form.lower().split()) for part in parts for form in (part, trim_sentence(part))}
        if eid in self.ids or keys & self.texts or ev.doc.doc_id in self.elsewhere:
            return False
        self.ids.add(eid)
        self.texts |= keys
        return True

    def __call__(self, eid: str, *, facts_only: bool = False) -> Draft | None:
        longer = self.continued.get(eid)
        if longer is not None and eid not in self.ids and (draft := self._draft(longer, facts_only)) is not None:
            self.ids.add(eid)
            return draft
        return self._draft(eid, facts_only)

    def _draft(self, eid: str, facts_only: bool) -> Draft | None:
        ev = self.evidence.items[eid]
        text = trim_sentence(ev.text)
        # (a column's question is its argument, "so what better fix than …?"; a report's headline question is none)
        if not stands_alone(text) or eid in self.quoted or (facts_only and is_opinion(ev.doc)) \
                or (asks(text) and not is_opinion(ev.doc)) \
                or not self.take(eid, text):
            return None
        return Draft(text, (eid,), "extract")


# two sentences this close in cosine say the same thing ("Michael Webb was sentenced to life in federal prison"
# twice, from two outlets): the summary takes one (set from sentence pairs of the probe sets' briefs: repeats
# measured 0.80-0.90, distinct facts of one story 0.71-0.79)
REDUNDANT = 0.80


class _Distinct:
    """The summary's picker: hands out sentences as ``_Picker`` does, except one that repeats a sentence already
    in the summary (cosine ≥ REDUNDANT), which it leaves for the sections."""

    def __init__(self, pick: "_Picker", chosen: list[str]) -> None:
        self.pick, self.evidence, self.chosen = pick, pick.evidence, list(chosen)

    def _new(self, eid: str) -> bool:
        vectors = self.evidence.vectors
        return eid not in vectors or all(float(vectors[eid] @ vectors[e]) < REDUNDANT
                                         for e in self.chosen if e in vectors)

    def take(self, eid: str, text: str) -> bool:
        if not self._new(eid) or not self.pick.take(eid, text):
            return False
        self.chosen.append(eid)
        return True

    def __call__(self, eid: str, *, facts_only: bool = False) -> Draft | None:
        draft = self.pick(eid, facts_only=facts_only) if self._new(eid) else None
        if draft is not None:
            self.chosen.append(eid)
        return draft


# a summary sentence this close to a part of the question (in cosine, below that part's closest sentence)
# already answers it
PART_MARGIN = 0.05
# a part that asks what people say ("what do officials say about …", "what did the coach tell reporters") …
_ASKS_WHAT_SAID = re.compile(r"\bwhat (?:do|does|did|have|has|had|are|is|were|was)\b.{0,80}?\b(?:say|said|saying|tell|"
                             r"told|argue|claim|think|believe|conclude|write|explain)\b", re.I)
# … is answered by a sentence that reports someone saying something
# (the verbs that report words, not all of ``SPEECH_VERBS``: "reported", "estimated", "described", "called" there also
# report data or name things; with all of them the summaries of the probe sets answered fewer facts, 47 → 46 of 67
# and 34 → 33 of 52)
_REPORTS_SAYING = re.compile(r"\b(?:said|says|say|told|tells|according to|argued|argues|added|adds|wrote|writes|noted|"
                             r"explained|stated|claimed|warned|tweeted|insisted)\b", re.I)


def _summary(plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute], rank: Rank,
             pick: _Picker, start: list[Draft] = ()) -> list[Draft]:
    """Who holds which position and their main reasons, then the answer and the strongest evidence.

    Opinion pieces never enter the summary as fact: it states what the sources establish; when all that
    speaks to the question is opinion, it quotes the pieces as what they are.
    """
    summary: list[Draft] = list(start)
    sides: list[Draft] = []
    # (a sentence that says what one already in the summary says takes no place of its own there)
    # (the two sides of a dispute say nearly the same thing by design, "reopened on 14 June" / "on 21 June": both
    # are given, so they are picked past this check)
    sided = pick
    pick = _Distinct(pick, [e for d in start for e in d.evidence])  # type: ignore[assignment]
    if actors:
        # what the positions are on, as the headings word it ("… reported as opposed to Ukraine joining")
        # (… or, for a response, what it responds to: "supportive of the meth campaign")
        about = positions_subject(plan.question) if plan.shape in (Shape.ACTORS, Shape.RESPONSE) else ""
        # (a comparison's sides are on no one thing: "CNET is reported as opposed" would not say to what)
        sides = _position_templates(actors, 1, about)[:3] if plan.shape != Shape.COMPARISON else []
        summary += sides
        # what the question is about, in the sentence closest to it ("Several thousand teachers rallied …")
        closest = sorted(evidence.items, key=lambda e: (-evidence.question_similarity.get(e, 0.0), int(e[1:])))
        summary += next(([d] for eid in closest[:5] if (d := pick(eid, facts_only=True))), [])
        # the main reasons: one sentence of each of the first actors that gave one of their own (a sentence
        # of theirs that states no reason, "she and 40 teachers left at 4:30 a.m.", is not one), of its first
        # five the one closest to the question
        for actor in [a for a in actors if a.position != Position.SUPPORTS] + actors:
            if len(summary) - len(sides) >= 6:
                break
            for eid in sorted(actor.reason_evidence[:5], key=lambda e: -evidence.question_similarity.get(e, 0.0)):
                states = has_reason(evidence.items[eid].text) or \
                    (actor.position != Position.NEUTRAL and eid in actor.position_evidence)
                if states and (draft := _in_their_words(eid, actor, pick)):  # (a post or excerpt as one)
                    summary.append(draft)
                    break
    if plan.shape == Shape.FACTOID:
        # the answer leads: of the sentences that report what is asked ("who will direct the film?": one that says
        # someone will direct it, not one on who produced it), the best supported
        candidates = evidence.by_facet.get(plan.facets[0].key, ())
        reporting = reports_asked(plan.question, [evidence.items[e].text for e in candidates])
        answer = _answer(tuple(e for e, yes in zip(candidates, reporting) if yes) or candidates, disputes, rank)
        summary += [d for eid in answer if (d := sided(eid, facts_only=True))]
    # a question of several parts ("What did he get and why, and how was the girl found?"): the sentence
    # closest to each part, so each thing asked is answered, unless the summary holds one about as close
    texts = asking_parts(plan.question) if evidence.part_vectors else []
    for text, part in zip(texts, evidence.part_vectors):
        if len(summary) - len(sides) >= 6:
            break
        close = {e: float(evidence.vectors[e] @ part) for e in evidence.items}
        if _ASKS_WHAT_SAID.search(text):
            # "… and what do officials say about the harbour's silt problem?": what someone is reported to say
            close = {e: c for e, c in close.items() if _REPORTS_SAYING.search(evidence.items[e].text)} or close
        ranked = sorted(close, key=lambda e: (-close[e], int(e[1:])))
        if not ranked:
            break
        if not any(close.get(e, -1.0) >= close[ranked[0]] - PART_MARGIN for d in summary for e in d.evidence):
            summary += next(([d] for eid in ranked[:5] if (d := pick(eid, facts_only=True))), [])
    # the answer: sentences of the first facet (what the question asks) first, then the best supported;
    # a why question is answered by the sentences that state a cause, the closest first
    first = sorted(evidence.by_facet.get(plan.facets[0].key, ()), key=rank)
    items = [sorted(evidence.by_facet.get(f.key, ()), key=rank) for f in plan.facets if f.key.startswith(ITEM_FACET)]
    if items:  # a comparison: each thing compared in turn
        first = [e for group in zip_longest(*items) for e in group if e is not None]
    if plan.shape == Shape.WHY:
        first = _explaining(plan.question, [e for e in sorted(evidence.items, key=lambda e: -evidence.items[e].score)
                                            [:16]], evidence) + first
    for eid in first[:6 if plan.shape == Shape.WHY else 4] + sorted(evidence.items, key=rank):
        if len(summary) - len(sides) >= 6:
            break
        if draft := pick(eid, facts_only=True):
            summary.append(draft)
    if disputes and len(summary) - len(sides) < 7:
        summary += [d for eid in _summary_sides(disputes[0], rank) if (d := sided(eid, facts_only=True))]
    sim = evidence.question_similarity
    best = max(sim.values(), default=0.0)
    if not any(d.kind == "extract" and max(sim.get(e, 0.0) for e in d.evidence) >= best / 2 for d in summary):
        # what speaks to the question is opinion (the facts found are far from it): the summary quotes the
        # pieces as what they are
        closest = sorted(evidence.items, key=lambda e: (-sim.get(e, 0.0), int(e[1:])))
        quoted: list[Draft] = []
        for eid in closest[:8]:
            # (the next sentence of the same piece is not introduced again: "The same piece: “…”")
            again = bool(quoted) and evidence.items[quoted[-1].evidence[0]].doc.doc_id == evidence.items[eid].doc.doc_id
            if draft := _as_opinion(eid, pick, again):
                quoted.append(draft)
        summary += quoted[:max(2, 5 - len(summary) + len(sides))]
    return summary


def _explaining(question: str, ids: list[str], evidence: EvidenceSet) -> list[str]:
    """Of ``ids``, the sentences that state a cause of what a why question asks about ("oil fell on oversupply
    concerns" for "why did oil prices fall"), then those that state a cause the parse cannot tie to anything
    else; a cause of something else ("a reason for stocks to drift") is not an answer to it."""
    event = question_event(parse_one(question))
    docs = parse([evidence.items[e].text for e in ids])
    of_it, unknown, other = [], [], []
    for eid, doc in zip(ids, docs):
        effects = [c.effect for c in cause_statements(doc)]
        if any(same_thing(a, b) for effect in effects for a in effect for b in event):
            of_it.append(eid)
        elif CAUSAL_RE.search(evidence.items[eid].text):
            (other if any(effects) else unknown).append(eid)
    return of_it + unknown + other


def _as_opinion(eid: str, pick: "_Picker", again: bool = False) -> Draft | None:
    """A sentence of an opinion piece, attributed as one ("In an opinion piece in The Times: “…”"; ``again``, just
    after a sentence of the same piece: "The same piece: “…”")."""
    ev = pick.evidence.items[eid]
    if not is_opinion(ev.doc):
        return None
    text = without_links(trim_sentence(ev.text)).strip()
    if len(text.split()) < 6 or not stands_alone(text) or not pick.take(eid, text):
        return None
    where = f" in {ev.doc.outlet}" if ev.doc.outlet else ""
    opening = "The same piece" if again else f"In an opinion piece{where}"
    return Draft(f"{opening}: {_quoting(text)}.", (eid,), "template")


_INNER = str.maketrans({"“": "‘", "”": "’", '"': "'"})


def _quoting(text: str) -> str:
    """``text`` in quotation marks, its own quotation marks made single ("In an opinion piece: “‘Tom Hale is not
    entitled …,’ said one legal expert”")."""
    return f"“{text.rstrip('.').translate(_INNER)}”"


def shape_needs_actors(shape: Shape) -> bool:
    """Questions whose answer is a set of actors and their positions."""
    return shape in (Shape.ACTORS, Shape.RESPONSE, Shape.COMPARISON)


def shape_has_actor_table(shape: Shape) -> bool:
    """Questions whose brief shows who says what: all but one-value (factoid) and yes/no questions."""
    return shape not in (Shape.FACTOID, Shape.YES_NO)
