"""What changed between two briefs of one question, read from their structure, never their text. Pure.

Input is two briefs in the JSON contract (``Brief.to_json``); things are matched by identity:

- actors by name or alias ("Berlin" in one brief's aliases finds "Germany" in the other), with the
  role in parentheses ignored ("Viktor Orban (Hungarian Prime Minister)" is "Viktor Orban");
- sources by ``doc_id``, then URL, then path;
- disputes by their sides: two disputes are one when a side's sentence (or a quote behind it) is
  the same in both;
- key facts by the quotes behind each sentence (``evidence``; the sentence text for briefs without):
  a sentence is a new fact when none of its quotes was used by the other brief's sentences. An
  earlier fact missing from the later brief is "no longer supported" when none of the sources it
  cited is cited by the later brief, and "left out" when they still are (the brief chose others).

Every change carries citations into the brief it comes from (``Cite(side, n)``), so a renderer can
print "[old 3]" and "[new 5]" and list both briefs' sources. A change with nothing to cite is left
out and counted in ``uncited``: the change list states nothing it cannot point at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable


class Side(str, Enum):
    """Which brief a citation number belongs to."""

    OLD = "old"
    NEW = "new"


class ChangeKind(str, Enum):
    """What kind of change a line reports (in the order the change list shows them)."""

    STANCE_CHANGED = "stance-changed"
    NEW_ACTOR = "new-actor"
    ACTOR_GONE = "actor-gone"
    NEW_DISPUTE = "new-dispute"
    RESOLVED_DISPUTE = "resolved-dispute"
    FACT_ADDED = "fact-added"
    FACT_GONE = "fact-gone"  # no longer supported: none of the sources it cited is cited any more
    NEW_SOURCE = "new-source"
    SOURCE_GONE = "source-gone"
    FACT_LEFT_OUT = "fact-left-out"  # its sources are still cited; the brief chose other sentences


@dataclass(frozen=True, slots=True)
class Cite:
    """Citation ``n`` of the old or the new brief."""

    side: Side
    n: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One cited statement in a change: a position with its date, a dispute side, a sentence."""

    text: str
    cites: tuple[Cite, ...]
    date: str | None = None
    quotes: tuple[str, ...] = ()  # the source sentences behind it, when the brief records them


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the change list: its subject and what the old and the new brief say."""

    kind: ChangeKind
    subject: str
    old: tuple[Mention, ...] = ()
    new: tuple[Mention, ...] = ()

    def cites(self) -> tuple[Cite, ...]:
        return tuple(dict.fromkeys(c for m in (*self.old, *self.new) for c in m.cites))


@dataclass(frozen=True, slots=True)
class Changes:
    """The change list between two briefs, and the sources its citations point at."""

    question: str
    changes: tuple[Change, ...]
    old_sources: tuple[dict[str, Any], ...]  # rows of the old brief's "sources" cited here
    new_sources: tuple[dict[str, Any], ...]
    uncited: int = 0  # changes left out because nothing in either brief could be cited for them
    counts: dict[str, int] = field(default_factory=dict)  # per ChangeKind value


# -- identity ---------------------------------------------------------------------------------------
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\"“”'‘’`.,;:!?()\[\]…-]+")
_ROLE = re.compile(r"\s*\([^)]*\)\s*$")


def _norm(text: str) -> str:
    """Text for comparison: case, quotes, punctuation and spacing do not count."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower())).strip()


def actor_keys(row: dict[str, Any]) -> set[str]:
    """The names an actor row answers to: its name without the role, and its aliases."""
    names = [row.get("name") or "", *(row.get("aliases") or ())]
    return {k for k in (_norm(_ROLE.sub("", n)) for n in names) if k}


def source_key(row: dict[str, Any]) -> tuple[str, ...]:
    """The identities of a source, strongest first: doc_id, url, path."""
    return tuple(f"{k}:{row[k]}" for k in ("doc_id", "url", "path") if row.get(k))


def _quotes(item: dict[str, Any]) -> tuple[str, ...]:
    """The quotes behind a sentence, side or stance (``evidence`` spans), in order, once each."""
    return tuple(dict.fromkeys(str(e.get("quote") or "") for e in item.get("evidence") or () if e.get("quote")))


def _fact_keys(sentence: dict[str, Any]) -> set[str]:
    """A sentence's identity: its quotes, or its own text when the brief records none."""
    return {_norm(q) for q in _quotes(sentence)} or {_norm(sentence.get("text") or "")}


# -- the diff ----------------------------------------------------------------------------------------
def diff_briefs(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """The changes from brief ``old`` to brief ``new`` (two ``Brief.to_json`` dicts), each cited."""
    found = [*_actor_changes(old, new), *_dispute_changes(old, new), *_fact_changes(old, new),
             *_source_changes(old, new)]
    cited = [c for c in found if c.cites()]
    order = list(ChangeKind)
    cited.sort(key=lambda c: order.index(c.kind))
    used_old = {c.n for ch in cited for c in ch.cites() if c.side is Side.OLD}
    used_new = {c.n for ch in cited for c in ch.cites() if c.side is Side.NEW}
    counts = {k.value: sum(c.kind is k for c in cited) for k in ChangeKind}
    return Changes(question=new.get("question") or old.get("question") or "", changes=tuple(cited),
                   old_sources=tuple(s for s in old.get("sources") or () if s.get("n") in used_old),
                   new_sources=tuple(s for s in new.get("sources") or () if s.get("n") in used_new),
                   uncited=len(found) - len(cited), counts=counts)


def _cites(side: Side, numbers: Iterable[Any]) -> tuple[Cite, ...]:
    return tuple(dict.fromkeys(Cite(side, int(n)) for n in numbers))


def match_actors(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of rows naming the same actor: exact names first, then aliases."""
    pairs: list[tuple[int, int]] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    old_names = [_norm(_ROLE.sub("", a.get("name") or "")) for a in old]
    new_names = [_norm(_ROLE.sub("", a.get("name") or "")) for a in new]
    rounds = (lambda i, j: old_names[i] == new_names[j],
              lambda i, j: old_names[i] in actor_keys(new[j]) or new_names[j] in actor_keys(old[i]))
    for same in rounds:
        for i in range(len(old)):
            if i in taken_old:
                continue
            j = next((j for j in range(len(new)) if j not in taken_new and same(i, j)), None)
            if j is not None:
                pairs.append((i, j))
                taken_old.add(i)
                taken_new.add(j)
    return pairs


def stance_mention(row: dict[str, Any], side: Side) -> Mention:
    """An actor's current position with its date and the statements that state it.

    The citations are those of the latest dated statement of that position in ``stance_series``
    (what ``since`` dates), else the row's ``position_citations`` (``citations`` for older JSON).
    """
    position = row.get("position") or "neutral"
    series = [p for p in row.get("stance_series") or () if p.get("position") == position and p.get("citations")]
    dated = [p for p in series if p.get("date")]
    if dated:
        last = max(dated, key=lambda p: p["date"])
        return Mention(position, _cites(side, last["citations"]), last["date"], _quotes(last))
    numbers = row.get("position_citations") or row.get("citations") or ()
    return Mention(position, _cites(side, numbers), row.get("since"), _quotes(row)[:3])


def _actor_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    old_rows, new_rows = list(old.get("actors") or ()), list(new.get("actors") or ())
    pairs = match_actors(old_rows, new_rows)
    out = []
    for i, j in pairs:
        if (old_rows[i].get("position") or "neutral") != (new_rows[j].get("position") or "neutral"):
            out.append(Change(ChangeKind.STANCE_CHANGED, new_rows[j].get("name") or "",
                              old=(stance_mention(old_rows[i], Side.OLD),),
                              new=(stance_mention(new_rows[j], Side.NEW),)))
    matched_old, matched_new = {i for i, _ in pairs}, {j for _, j in pairs}
    out += [Change(ChangeKind.NEW_ACTOR, row.get("name") or "", new=(stance_mention(row, Side.NEW),))
            for j, row in enumerate(new_rows) if j not in matched_new]
    out += [Change(ChangeKind.ACTOR_GONE, row.get("name") or "", old=(stance_mention(row, Side.OLD),))
            for i, row in enumerate(old_rows) if i not in matched_old]
    return out


def _dispute_keys(dispute: dict[str, Any]) -> set[str]:
    return {k for side in dispute.get("sides") or () for k in _fact_keys(side) | {_norm(side.get("text") or "")}
            if k}


def _sides(dispute: dict[str, Any], side: Side) -> tuple[Mention, ...]:
    return tuple(Mention(s.get("text") or "", _cites(side, s.get("citations") or ()), quotes=_quotes(s))
                 for s in dispute.get("sides") or ())


def _dispute_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    old_keys = [_dispute_keys(d) for d in old.get("disputes") or ()]
    new_keys = [_dispute_keys(d) for d in new.get("disputes") or ()]
    out = [Change(ChangeKind.NEW_DISPUTE, d.get("summary") or "", new=_sides(d, Side.NEW))
           for d, keys in zip(new.get("disputes") or (), new_keys) if not any(keys & k for k in old_keys)]
    out += [Change(ChangeKind.RESOLVED_DISPUTE, d.get("summary") or "", old=_sides(d, Side.OLD))
            for d, keys in zip(old.get("disputes") or (), old_keys) if not any(keys & k for k in new_keys)]
    return out


def _sentences(brief: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for sec in brief.get("sections") or () for s in sec.get("sentences") or ()]


def _fact_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    still_cited = {k for r in new.get("sources") or () for k in source_key(r)}
    old_sources = {r.get("n"): r for r in old.get("sources") or ()}

    def gone_kind(sentence: dict[str, Any]) -> ChangeKind:
        keys = {k for n in sentence.get("citations") or () for k in source_key(old_sources.get(n) or {})}
        return ChangeKind.FACT_LEFT_OUT if keys & still_cited else ChangeKind.FACT_GONE

    def facts(brief: dict[str, Any], other: dict[str, Any], side: Side) -> list[Change]:
        used = {k for s in _sentences(other) for k in _fact_keys(s)}
        seen: set[str] = set()
        out = []
        for s in _sentences(brief):
            keys = _fact_keys(s)
            if keys & used or keys <= seen:
                continue
            seen |= keys
            text = s.get("text") or ""
            kind = ChangeKind.FACT_ADDED if side is Side.NEW else gone_kind(s)
            out.append(Change(kind, text, **{side.value: (Mention(text, _cites(side, s.get("citations") or ()),
                                                                  quotes=_quotes(s)),)}))
        return out

    return facts(new, old, Side.NEW) + facts(old, new, Side.OLD)


def _source_text(row: dict[str, Any]) -> str:
    return row.get("title") or row.get("url") or row.get("path") or row.get("doc_id") or ""


def _source_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    def only_in(rows: Iterable[dict[str, Any]], others: Iterable[dict[str, Any]], side: Side,
                kind: ChangeKind) -> list[Change]:
        known = {k for r in others for k in source_key(r)}
        return [Change(kind, _source_text(r), **{side.value: (Mention(_source_text(r), _cites(side, [r["n"]]),
                                                                      r.get("published")),)})
                for r in rows if r.get("n") is not None and not set(source_key(r)) & known]

    return (only_in(new.get("sources") or (), old.get("sources") or (), Side.NEW, ChangeKind.NEW_SOURCE)
            + only_in(old.get("sources") or (), new.get("sources") or (), Side.OLD, ChangeKind.SOURCE_GONE))
