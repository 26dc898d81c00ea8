"""The stance timeline: each actor's dated statements in order, with the position each takes. Pure.

Built from the actor rows of a brief's JSON (``Brief.to_json``): ``stance_series`` lists every
stance the analysis found, oldest first, each with its date (a year the sentence names, else the
publication date), its position and its citations, and, in briefs that record them, the quoted
sentence (``evidence``); a sentence that states the same stance twice is listed once, and statements
of one position on one date (a report carried by several outlets) make one entry. A statement whose position differs from the actor's previous one is marked
as a change ("supports → opposes"). Citation numbers are the brief's own, so the timeline is shown
with the brief's source list.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Sequence

UNDATED = "undated"


@dataclass(frozen=True, slots=True)
class Statement:
    """One dated stance of an actor."""

    date: str | None
    position: str
    citations: tuple[int, ...]
    quotes: tuple[str, ...] = ()
    changed_from: str | None = None  # the actor's previous position, when this statement changes it


@dataclass(frozen=True, slots=True)
class ActorTimeline:
    """An actor's statements, oldest first (undated ones last), and the position the brief gives it."""

    name: str
    kind: str
    position: str
    statements: tuple[Statement, ...]


def build_timeline(brief: dict[str, Any]) -> tuple[ActorTimeline, ...]:
    """Each actor with at least one stance, in the brief's order, its statements in date order."""
    out = []
    for row in brief.get("actors") or ():
        series = sorted((p for p in row.get("stance_series") or () if p.get("position")),
                        key=lambda p: p.get("date") or "9999")  # stable: same-date statements keep their order
        statements, previous, seen = [], None, set()
        for point in series:
            position = str(point["position"])
            quotes = tuple(dict.fromkeys(str(e["quote"]) for e in point.get("evidence") or () if e.get("quote")))
            # one sentence can state a stance in several clauses ("opposed …, and resisted …"): listed once
            key = (point.get("date"), position, quotes or tuple(point.get("citations") or ()))
            if key in seen:
                continue
            seen.add(key)
            citations = tuple(int(n) for n in point.get("citations") or ())
            last = statements[-1] if statements else None
            if last is not None and (last.date, last.position) == (point.get("date"), position):
                # the same position on the same day (often one report in several outlets): one entry
                statements[-1] = Statement(last.date, position, tuple(sorted({*last.citations, *citations})),
                                           tuple(dict.fromkeys(last.quotes + quotes)), last.changed_from)
                continue
            statements.append(Statement(point.get("date"), position, citations, quotes,
                                        previous if previous not in (None, position) else None))
            previous = position
        if statements:
            out.append(ActorTimeline(str(row.get("name") or ""), str(row.get("kind") or ""),
                                     str(row.get("position") or ""), tuple(statements)))
    return tuple(out)


def timeline_json(timeline: Sequence[ActorTimeline]) -> list[dict[str, Any]]:
    """[{"name", "kind", "position", "statements": [{"date", "position", "citations", "quotes", "changed_from"}]}]."""
    return [{"name": a.name, "kind": a.kind, "position": a.position,
             "statements": [{"date": s.date, "position": s.position, "citations": list(s.citations),
                             "quotes": list(s.quotes), "changed_from": s.changed_from} for s in a.statements]}
            for a in timeline]


def _md(text: object) -> str:
    return (str(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")
            .replace("\n", " "))


def _position(s: Statement) -> str:
    return f"{s.changed_from} → {s.position}" if s.changed_from else s.position


def timeline_markdown(timeline: Sequence[ActorTimeline]) -> str:
    """"## Stance timeline" with one list per actor: date — position [n]: “quote”."""
    out = ["## Stance timeline", ""]
    if not timeline:
        return "\n".join(out + ["No dated stances in this brief.", ""])
    for actor in timeline:
        out += [f"**{_md(actor.name)}** — now {_md(actor.position)}", ""]
        for s in actor.statements:
            cites = " ".join(f"[{n}]" for n in s.citations)
            quote = f": “{_md(s.quotes[0])}”" if s.quotes else ""
            quote += f" (and {len(s.quotes) - 1} more)" if len(s.quotes) > 1 else ""
            out.append(f"- {_md(s.date or UNDATED)} — {_md(_position(s))} {cites}{quote}")
        out.append("")
    return "\n".join(out)


def timeline_html(timeline: Sequence[ActorTimeline]) -> str:
    """The same section as an HTML fragment; citations link to the brief's ``#src-n`` anchors."""
    h = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    parts = ['<section class="timeline"><h2>Stance timeline</h2>']
    if not timeline:
        return parts[0] + "<p>No dated stances in this brief.</p></section>"
    for actor in timeline:
        parts.append(f"<h3>{h(actor.name)} — now {h(actor.position)}</h3><ul>")
        for s in actor.statements:
            cites = " ".join(f'<a class="cite" href="#src-{int(n)}">[{int(n)}]</a>' for n in s.citations)
            quote = f'<div class="quote">{h(s.quotes[0])}</div>' if s.quotes else ""
            parts.append(f"<li>{h(s.date or UNDATED)} — {h(_position(s))} {cites}{quote}</li>")
        parts.append("</ul>")
    return "".join(parts) + "</section>"


def with_timeline(rendered: str, brief: dict[str, Any], fmt: str) -> str:
    """A rendered brief (``fmt`` "md", "html" or "json") with the stance timeline added.

    Markdown: the section after the brief; HTML: before the end of ``<main>``; JSON: a "timeline" key.
    """
    timeline = build_timeline(brief)
    if fmt == "json":
        return json.dumps({**json.loads(rendered), "timeline": timeline_json(timeline)}, ensure_ascii=False,
                          indent=2) + "\n"
    if fmt == "html":
        head, sep, tail = rendered.rpartition("</main>")
        return head + timeline_html(timeline) + sep + tail if sep else rendered + timeline_html(timeline)
    return rendered.rstrip("\n") + "\n\n" + timeline_markdown(timeline)
