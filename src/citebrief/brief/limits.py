"""Limits of the available reporting, computed from the evidence itself. Pure."""

from __future__ import annotations

from .lexicon import ANONYMOUS_RE
from .model import ActorFinding, Dispute, Evidence, Plan


def compute_limits(plan: Plan, used: dict[str, Evidence], by_facet: dict[str, tuple[str, ...]],
                   actors: list[ActorFinding], disputes: list[Dispute]) -> list[str]:
    """Plain statements of what the evidence can and cannot carry."""
    limits: list[str] = []
    docs = {}
    for ev in used.values():
        docs[ev.doc.doc_id] = ev.doc
        for doc, *_ in ev.also_in:
            docs[doc.doc_id] = doc
    origins = {d.duplicate_of or d.doc_id for d in docs.values()}
    outlets = sorted({d.outlet for d in docs.values() if d.outlet})
    dates = sorted(d.published for d in docs.values() if d.published)
    unnamed = sum(1 for d in docs.values() if not d.outlet)
    # (a page that names no outlet is from an outlet the brief cannot name: "from 0 outlets" said there was none)
    source = f"{len(outlets)} outlet{'s' if len(outlets) != 1 else ''}" if outlets else ""
    if unnamed:
        pages = f"{unnamed} page{'s that name' if unnamed != 1 else ' that names'} no outlet"
        source += (" and " if source else "") + pages
    line = (f"The brief rests on {len(docs)} source{'s' if len(docs) != 1 else ''} "
            f"({len(origins)} independent after merging syndicated copies) from {source}")
    if dates:
        line += f", published {dates[0]}." if dates[0] == dates[-1] else f", published {dates[0]} to {dates[-1]}."
    else:
        line += "; none of them is dated."
    limits.append(line)
    if dates:
        limits.append(f"As of {dates[-1]}, the newest source; later developments are not covered.")
    undated = sum(1 for d in docs.values() if not d.published)
    if undated and dates:
        limits.append(f"{undated} source{'s are' if undated != 1 else ' is'} undated.")
    single = [a.name for a in actors if len({used[e].doc.duplicate_of or used[e].doc.doc_id
                                             for e in a.position_evidence if e in used}) == 1]
    if single:
        limits.append(f"The position of {_join(single)} rests on a single source.")
    anonymous = [e for e, ev in used.items() if ANONYMOUS_RE.search(ev.text)]
    if anonymous:
        limits.append(f"{len(anonymous)} cited sentence{'s rest' if len(anonymous) != 1 else ' rests'} on anonymous "
                      "or unnamed sourcing.")
    no_reason = [a.name for a in actors if not a.reasons]
    if no_reason:
        limits.append(f"No stated reason was found for the position of {_join(no_reason)}.")
    empty = [f.heading for f in plan.facets if not by_facet.get(f.key)]
    if empty:
        limits.append("No evidence was found for: " + "; ".join(empty) + ".")
    if disputes:
        limits.append(f"{len(disputes)} claim{'s are' if len(disputes) != 1 else ' is'} disputed between sources "
                      "(see competing narratives); the brief does not settle them.")
    return limits


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
