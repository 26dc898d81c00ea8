"""Search queries for a research question: what to ask the web for each facet, and what to ask next. Pure.

Round 1 (``initial_queries``) sends, in order:

    question   the question's own content words             "groups support oppose dunmore harbour toll …"
    facets     one phrasing per facet of the plan           "dunmore harbour toll alternatives"
    sides      each side's argument: supporters and critics  "dunmore harbour toll supporters argue"
               (questions with sides), and every country      "Ukraine position nato joining security"
               the question names
    recent     when the question is about the present        "europa water plumes latest news 2026"

A later round (``reformulate``) asks again only for the facets whose evidence is still thin, with
the next phrasings of those facets that were not sent yet. Queries are short keyword strings: web
search engines rank on terms, and a one-line question with frame words ("which", "what reasons
do they give") only dilutes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from ..brief.gazetteer import find_mentions
from ..brief.model import Facet, Plan, Shape
from ..store.fts import query_terms

QUESTION = "question"  # facet label of the query made of the question's own terms
RECENT = "recent"  # facet label of the recent-developments query
MAX_TOPIC_WORDS = 6  # engines weigh every term; the question's first six subject words suffice
PER_FACET_LATER = 2  # reformulations per thin facet and round

# Phrasings per facet key, in the order rounds use them; "{t}" is the question's subject terms.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "positions": ("{t} supporters opponents", "{t} who supports who opposes", "{t} stance"),
    "reasons": ("{t} reasons concerns", "why {t} criticism", "{t} risks warning"),
    "politics": ("{t} vote decision", "{t} divided consensus", "{t} approval process"),
    "alternatives": ("{t} alternatives", "{t} alternative proposal instead", "{t} compromise option"),
    "other_side": ("{t} supporters argue", "{t} case for", "{t} defenders say"),
    "what": ("{t}", "{t} announced", "{t} news report"),
    "reactions": ("{t} reaction", "{t} critics response", "{t} criticised welcomed"),
    "next": ("{t} next steps", "{t} what happens next", "{t} expected plan"),
    "causes": ("{t} cause", "what caused {t}", "{t} reasons behind"),
    "response": ("{t} response", "{t} officials responded", "{t} statement reaction"),
    "impact": ("{t} impact", "{t} consequences damage", "{t} cost affected"),
    "for": ("{t} evidence", "{t} study shows", "{t} confirmed"),
    "against": ("{t} disputed", "{t} denied no evidence", "{t} critics doubt"),
    "context": ("{t} background", "{t} explained", "{t} history"),
    "facts": ("{t}", "{t} facts", "{t} report"),
    "views": ("{t} critics", "{t} opinion argue", "{t} debate"),
}
# Which facet a side's query serves: the first of these keys the plan has, else its last facet.
SUPPORTERS_FACETS = ("other_side", "for", "views", "reactions", "response")
CRITICS_FACETS = ("reasons", "against", "views", "reactions", "response")
TARGET_FACETS = ("other_side", "positions", "views")

# Shapes whose answer has sides; other questions get side queries only when they name a dispute.
CONTESTED_SHAPES = frozenset({Shape.ACTORS, Shape.YES_NO, Shape.COMPARISON})
CONTESTED_WORDS = frozenset("""support supports supporters oppose opposes opposed opponents against
    critics criticism debate debated controversy controversial dispute disputed argue arguments
    backlash divided""".split())

PRESENT_WORDS = frozenset("""latest current currently now today recent recently ongoing still
    nowadays yet upcoming""".split())
_PRESENT_PHRASE = re.compile(r"\b(this|so far this) (year|month|week)\b|\bas of\b|\bso far\b", re.I)


@dataclass(frozen=True, slots=True)
class ResearchQuery:
    """One search query: its text, the facet it looks for, and the round that sent it."""

    text: str
    facet: str  # a plan facet key, QUESTION or RECENT
    round: int


def normalise(text: str) -> str:
    """The form two queries are compared in: lower case, single spaces."""
    return " ".join(text.lower().split())


def is_about_present(question: str, today: date) -> bool:
    """True when the question asks about now: "latest", "currently", "this year", or this year's number."""
    words = set(re.findall(r"\w+", question.lower()))
    return bool(words & PRESENT_WORDS or _PRESENT_PHRASE.search(question) or str(today.year) in words)


def subject(plan: Plan) -> str:
    """The question's subject terms for queries, without recency words ("latest") or a year."""
    terms = [t for t in plan.topic_terms if t not in PRESENT_WORDS and not re.fullmatch(r"(19|20)\d\d", t)]
    return " ".join((terms or list(plan.topic_terms))[:MAX_TOPIC_WORDS])


def _facet_for(plan: Plan, preferred: Sequence[str]) -> str:
    keys = [f.key for f in plan.facets]
    return next((k for k in preferred if k in keys), keys[-1] if keys else QUESTION)


def _fallback_phrasings(facet: Facet, topic: str) -> tuple[str, ...]:
    """Phrasings for a facet key the table does not know (an LLM-reworded plan keeps its keys)."""
    heading = " ".join(w for w in query_terms(facet.heading) if w not in topic.split())
    cues = " ".join(c for c in facet.cues[:3] if " " not in c)
    return tuple(p for p in (f"{topic} {heading}".strip(), facet.query.strip(), f"{topic} {cues}".strip())
                 if p and p != topic)


def phrasings(facet: Facet, topic: str) -> tuple[str, ...]:
    """Every phrasing of ``facet``'s query, round 1's first; the plan's own facet query comes last."""
    table = PHRASINGS.get(facet.key)
    own = tuple(p.format(t=topic) for p in table) if table else _fallback_phrasings(facet, topic)
    return tuple(dict.fromkeys((*own, " ".join(facet.query.split()))))


def is_contested(plan: Plan) -> bool:
    """True when the question has sides: who-supports/opposes, yes/no and comparison questions, or
    a question that names a dispute ("critics", "debate", "oppose")."""
    return plan.shape in CONTESTED_SHAPES or bool(set(query_terms(plan.question)) & CONTESTED_WORDS)


def _side_queries(plan: Plan, topic: str) -> list[ResearchQuery]:
    """Each side's argument: supporters, critics, and every country the question names."""
    out = []
    if is_contested(plan):
        out += [ResearchQuery(f"{topic} supporters argue", _facet_for(plan, SUPPORTERS_FACETS), 1),
                ResearchQuery(f"{topic} opponents argue against", _facet_for(plan, CRITICS_FACETS), 1)]
    countries = dict.fromkeys(m.name for m in find_mentions(plan.question) if m.kind == "country")
    for name in list(countries)[:3]:
        rest = " ".join(w for w in topic.split() if w not in query_terms(name))
        out.append(ResearchQuery(f"{name} position {rest}".strip(), _facet_for(plan, TARGET_FACETS), 1))
    return out


def _unique(queries: Iterable[ResearchQuery], tried: Iterable[str] = ()) -> tuple[ResearchQuery, ...]:
    seen = {normalise(t) for t in tried}
    out = []
    for query in queries:
        key = normalise(query.text)
        if key and key not in seen:
            seen.add(key)
            out.append(query)
    return tuple(out)


def initial_queries(plan: Plan, *, today: date) -> tuple[ResearchQuery, ...]:
    """Round 1: the question's terms, one query per facet, each side's argument, recent news."""
    topic = subject(plan)
    own = " ".join(query_terms(plan.question)) or topic
    queries = [ResearchQuery(own, QUESTION, 1)]
    queries += [ResearchQuery(phrasings(f, topic)[0], f.key, 1) for f in plan.facets]
    queries += _side_queries(plan, topic)
    if is_about_present(plan.question, today):
        queries.append(ResearchQuery(f"{topic} latest news {today.year}", RECENT, 1))
    return _unique(queries)


def reformulate(plan: Plan, thin: Sequence[str], *, round_no: int,
                tried: Iterable[str]) -> tuple[ResearchQuery, ...]:
    """Queries for round ``round_no``: the next untried phrasings of each thin facet (two at most).

    Returns nothing when every phrasing of every thin facet was sent already, which ends the search.
    """
    topic = subject(plan)
    tried = {normalise(t) for t in tried}
    out: list[ResearchQuery] = []
    for facet in (f for f in plan.facets if f.key in thin):
        fresh = [p for p in phrasings(facet, topic) if normalise(p) not in tried]
        out += [ResearchQuery(p, facet.key, round_no) for p in fresh[:PER_FACET_LATER]]
    return _unique(out, tried)
