"""The change list as Markdown or JSON, and a watch's history as Markdown. Pure.

Citations name their brief: "[old 3]" is source 3 of the earlier brief, "[new 5]" source 5 of the
later one; the Markdown ends with both source lists (only the sources the change list cites), and
the JSON gives each citation as {"brief": "old" | "new", "n"} with the same two lists.
"""

from __future__ import annotations

from typing import Any, Sequence

from .diff import Change, ChangeKind, Changes, Cite, Mention
from .model import Version, Watch

HEADINGS = {
    ChangeKind.STANCE_CHANGED: "Stances that changed",
    ChangeKind.NEW_ACTOR: "New actors",
    ChangeKind.ACTOR_GONE: "Actors no longer in the brief",
    ChangeKind.NEW_DISPUTE: "New disputes",
    ChangeKind.RESOLVED_DISPUTE: "Disputes no longer in the brief (resolved, or their sources no longer used)",
    ChangeKind.FACT_ADDED: "Key facts added",
    ChangeKind.FACT_GONE: "Key facts no longer supported (none of their sources is cited any more)",
    ChangeKind.NEW_SOURCE: "New sources",
    ChangeKind.SOURCE_GONE: "Sources no longer cited",
    ChangeKind.FACT_LEFT_OUT: "Sentences left out for other evidence (their sources are still cited)",
}


def md_text(text: object) -> str:
    """Source text in Markdown: characters that would become markup, links or table cells neutralised."""
    return (str(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")
            .replace("|", "\\|").replace("\n", " "))


def cite_label(cite: Cite) -> str:
    """"[old 3]" / "[new 5]"."""
    return f"[{cite.side.value} {cite.n}]"


def _cites(cites: Sequence[Cite]) -> str:
    return " ".join(cite_label(c) for c in cites)


def _stance(m: Mention) -> str:
    when = f" ({md_text(m.date)})" if m.date else ""
    return f"{md_text(m.text)}{when} {_cites(m.cites)}"


def _quote_lines(m: Mention, label: str) -> list[str]:
    """The first source sentence behind a stance, indented under its line (when the brief records it)."""
    if not m.quotes:
        return []
    return [f"  - {label + ': ' if label else ''}“{md_text(m.quotes[0])}” {_cites(m.cites)}"]


def _line(change: Change) -> list[str]:
    """The Markdown lines of one change."""
    kind, subject = change.kind, md_text(change.subject)
    if kind is ChangeKind.STANCE_CHANGED:
        return [f"- **{subject}**: {_stance(change.old[0])} → {_stance(change.new[0])}",
                *_quote_lines(change.old[0], "before"), *_quote_lines(change.new[0], "now")]
    if kind in (ChangeKind.NEW_ACTOR, ChangeKind.ACTOR_GONE):
        (m,) = change.new or change.old
        return [f"- **{subject}**: {_stance(m)}", *_quote_lines(m, "")]
    if kind in (ChangeKind.NEW_DISPUTE, ChangeKind.RESOLVED_DISPUTE):
        sides = change.new or change.old
        return [f"- {subject} {_cites(change.cites())}"] + \
            [f"  - {md_text(s.text)} {_cites(s.cites)}" for s in sides]
    if kind in (ChangeKind.NEW_SOURCE, ChangeKind.SOURCE_GONE):
        (m,) = change.new or change.old
        return [f"- {subject}{f' ({md_text(m.date)})' if m.date else ''} {_cites(m.cites)}"]
    (m,) = change.new or change.old
    return [f"- {md_text(m.text)} {_cites(m.cites)}"]


def _source_line(side: str, row: dict[str, Any]) -> str:
    where = row.get("url") or row.get("path") or ""
    meta = ", ".join(str(x) for x in (row.get("outlet"), row.get("published")) if x)
    return (f"- [{side} {row['n']}] {md_text(row.get('title') or where)}" + (f" — {md_text(meta)}" if meta else "")
            + (f". {md_text(where)}" if where else ""))


def changes_markdown(changes: Changes, old: Version, new: Version) -> str:
    """The change list from ``old`` to ``new`` as Markdown, every line with its citations."""
    out = [f"# What changed: {md_text(changes.question)}", "",
           f"From {old.label()} to {new.label()} of watch `{md_text(new.watch)}`.", ""]
    if not changes.changes:
        out.append("No change: the same actors and positions, disputes, key facts and sources.")
    for kind in ChangeKind:
        lines = [line for c in changes.changes if c.kind is kind for line in _line(c)]
        if lines:
            out += [f"## {HEADINGS[kind]}", "", *lines, ""]
    if changes.uncited:
        out += [f"{changes.uncited} change(s) left out: neither brief cites anything for them.", ""]
    if changes.old_sources or changes.new_sources:
        out += ["## Sources", ""]
        if changes.old_sources:
            out += [f"Earlier brief, {old.label()}:", "", *(_source_line("old", r) for r in changes.old_sources), ""]
        if changes.new_sources:
            out += [f"Later brief, {new.label()}:", "", *(_source_line("new", r) for r in changes.new_sources), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _mention_json(m: Mention) -> dict[str, Any]:
    return {"text": m.text, "date": m.date, "citations": [{"brief": c.side.value, "n": c.n} for c in m.cites],
            "quotes": list(m.quotes)}


def changes_json(changes: Changes, old: Version, new: Version) -> dict[str, Any]:
    """The change list as JSON: {"question", "watch", "old", "new", "changes", "counts", "sources", …}."""
    return {"question": changes.question, "watch": new.watch,
            "old": {"version": old.number, "created_at": old.created_at,
                    "generated_at": old.brief.get("generated_at")},
            "new": {"version": new.number, "created_at": new.created_at,
                    "generated_at": new.brief.get("generated_at")},
            "changes": [{"kind": c.kind.value, "subject": c.subject, "old": [_mention_json(m) for m in c.old],
                         "new": [_mention_json(m) for m in c.new],
                         "citations": [{"brief": x.side.value, "n": x.n} for x in c.cites()]}
                        for c in changes.changes],
            "counts": dict(changes.counts), "uncited": changes.uncited,
            "sources": {"old": [dict(s) for s in changes.old_sources], "new": [dict(s) for s in changes.new_sources]}}


def history_markdown(watch: Watch, versions: Sequence[Version]) -> str:
    """A watch and its versions, oldest first, as Markdown."""
    out = [f"# Watch `{md_text(watch.name)}`", "", f"Question: {md_text(watch.question)}", ""]
    if watch.feeds:
        out += ["Feeds: " + ", ".join(md_text(f) for f in watch.feeds), ""]
    if watch.research:
        out += ["Researches the web again before each brief"
                + (f" ({', '.join(md_text(s) for s in watch.search)})" if watch.search else "") + ".", ""]
    if not versions:
        out.append(f"No brief yet — run `citebrief watch run {md_text(watch.name)}`.")
    for v in versions:
        n_actors, n_sources = len(v.brief.get("actors") or ()), len(v.brief.get("sources") or ())
        out.append(f"- {v.label()}: {n_actors} actor(s), {n_sources} source(s)"
                   + ("" if v.brief.get("enough_evidence", True) else ", not enough evidence"))
    return "\n".join(out) + "\n"
