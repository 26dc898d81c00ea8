"""The values of a brief: plan, evidence, extracted facts, written sections, the final Brief."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..models import DocMeta


class Shape(str, Enum):
    """The kind of question asked."""

    ACTORS = "actors"  # who / which actors hold a position, and why
    FACTOID = "factoid"  # one name, date, place or number: who won, when did, where was, how many
    WHY = "why"
    WHAT_HAPPENED = "what-happened"
    RESPONSE = "response"  # how did X respond / react
    YES_NO = "yes-no"
    COMPARISON = "comparison"
    GENERAL = "general"


class Position(str, Enum):
    """An actor's stance on the question's subject."""

    OPPOSES = "opposes"
    HESITANT = "hesitant"
    SUPPORTS = "supports"
    MIXED = "mixed"
    NEUTRAL = "neutral"  # speaks on the subject without taking a side the sources state


# the key of a comparison's facet for one of the things compared ("item1", "item2")
ITEM_FACET = "item"


@dataclass(frozen=True, slots=True)
class Facet:
    """A sub-question that gets its own retrieval and, with evidence, its own section."""

    key: str
    heading: str
    query: str
    cues: tuple[str, ...] = ()  # words that mark a sentence as answering this facet


@dataclass(frozen=True, slots=True)
class Plan:
    """What the question asks: its shape, topic terms, named entities and facets."""

    question: str
    shape: Shape
    topic_terms: tuple[str, ...]
    focus_actors: tuple[str, ...]  # actors named in the question (canonical names)
    facets: tuple[Facet, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One source sentence selected as evidence, with where it lives."""

    evidence_id: str  # "E1", "E2", … in order of selection
    text: str  # the sentence exactly as in the document
    doc: DocMeta
    passage_id: str
    start: int  # offsets into the document text
    end: int
    score: float
    facets: tuple[str, ...] = ()
    also_in: tuple[tuple[DocMeta, str, int, int, str], ...] = ()  # copies: (doc, passage, start, end, text)
    # the leading characters of ``text`` that are the sentences before it, quoted for what the item points back to
    # ("… alert staff when a ferry is full. But this can leave riders queueing"; ``brief.context``);
    # 0 for none
    context: int = 0


@dataclass(frozen=True, slots=True)
class ActorFinding:
    """An actor's position with the reasons stated for it and the evidence behind both."""

    name: str
    kind: str  # "country" | "organisation" | "person"
    position: Position
    reasons: tuple[str, ...]
    position_evidence: tuple[str, ...]  # evidence ids
    reason_evidence: tuple[str, ...]
    attributions: tuple[str, ...]  # who says so ("Politico, citing unnamed US officials")
    aliases: tuple[str, ...] = ()  # other names the sources use for this actor
    series: tuple[tuple[str, str | None, str], ...] = ()  # dated stances: (position, date, evidence id), oldest first
    role: str = ""  # title or affiliation the sources give ("Hungarian Prime Minister")
    toward: str = ""  # what the position is a position on, when not the question's target ("the explanation: …")
    posted: tuple[str, ...] = ()  # evidence ids that are the actor's own social-media posts (quoted in a page)
    # did the act the question is about ("Why did Harbour Air order ten jets?") and speaks on it with no stance
    # word: "supports" as a party speaking for its own act, not as a side the words state
    party: bool = False


@dataclass(frozen=True, slots=True)
class Dispute:
    """Sources that conflict: each side with its evidence ids, never resolved silently."""

    summary: str
    kind: str  # "denial" | "value"
    sides: tuple[tuple[str, tuple[str, ...]], ...]  # (side text, evidence ids)


@dataclass(frozen=True, slots=True)
class Draft:
    """A sentence before verification: text and the evidence ids it rests on."""

    text: str
    evidence: tuple[str, ...]
    kind: str = "extract"  # "extract" (a source sentence) | "template" (facts filled in)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its sentences."""

    heading: str
    sentences: tuple[Draft, ...]


@dataclass(frozen=True, slots=True)
class CitedSpan:
    """The exact evidence one citation was verified against: source number and a span of its document."""

    n: int  # the source's citation number
    passage_id: str
    start: int  # character offsets into the document text
    end: int
    quote: str  # the document text between start and end

    def to_json(self) -> dict[str, Any]:
        """``{"n", "passage_id", "start", "end", "quote"}``."""
        return {"n": self.n, "passage_id": self.passage_id, "start": self.start, "end": self.end,
                "quote": self.quote}


@dataclass(frozen=True, slots=True)
class CheckedSentence:
    """A sentence after verification, with citation numbers and the spans they were verified against."""

    text: str
    citations: tuple[int, ...]
    verdict: str
    score: float
    evidence: tuple[CitedSpan, ...] = ()  # one span or more per citation number


@dataclass(frozen=True, slots=True)
class Brief:
    """The finished brief; ``to_json`` gives the documented JSON contract."""

    question: str
    generated_at: str
    sections: tuple[tuple[str, tuple[CheckedSentence, ...]], ...]
    actors: tuple[dict[str, Any], ...]
    disputes: tuple[dict[str, Any], ...]
    limits: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]
    metrics: dict[str, Any] = field(default_factory=dict)
    enough_evidence: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of ``citebrief ask --format json`` (extend, never rename)."""
        return {
            "question": self.question,
            "generated_at": self.generated_at,
            "enough_evidence": self.enough_evidence,
            "sections": [{"heading": h, "sentences": [{"text": s.text, "citations": list(s.citations),
                                                       "verdict": s.verdict, "score": round(s.score, 4),
                                                       "evidence": [e.to_json() for e in s.evidence]}
                                                      for s in sents]}
                         for h, sents in self.sections],
            "actors": [dict(a) for a in self.actors],
            "disputes": [dict(d) for d in self.disputes],
            "limits": list(self.limits),
            "sources": [dict(s) for s in self.sources],
            "metrics": dict(self.metrics),
            **self.extra,
        }
