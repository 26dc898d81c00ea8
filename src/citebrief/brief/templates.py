"""Template sentences are checked as claims against the analysis, not as text against a passage.

"Hungary and Slovakia are reported as opposed [1][2]" is true only if each cited sentence states
that actor's stance: the check re-reads every cited sentence's claims for the actor named and keeps
the template only when each named actor has a cited sentence that gives it (in the analysis, a
stance point of that actor; a change template needs both of its ends). A source sentence is
"quoted" (checked against the passage it was copied from, which says little); a template that
passes is "verified against the analysis". Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .lexicon import capitalised
from .model import ActorFinding, Draft, Section


# how a template that quotes a source sentence as what it is opens (writer.py writes them)
QUOTING = ("In an opinion piece", "The same piece", "In a social-media post", "In an excerpt credited to")


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """The sections with unbacked templates removed, and what was found."""

    sections: tuple[Section, ...]
    verified: int  # templates whose every named actor is backed by a cited stance sentence
    dropped: tuple[tuple[str, str], ...]  # (template text, why)


def check_templates(sections: list[Section], actors: list[ActorFinding]) -> TemplateCheck:
    """Keep a template only when every actor it names has a cited stance sentence of its own."""
    stance_ids = {a.name: {e for _, _, e in a.series} | set(a.position_evidence) for a in actors}
    verified, dropped, out = 0, [], []
    for section in sections:
        kept: list[Draft] = []
        for draft in section.sentences:
            if draft.kind != "template" or draft.text.startswith(QUOTING):
                kept.append(draft)  # (a quotation given as opinion or as a post claims no one's stance)
                continue
            named = [name for name in stance_ids if _names(draft.text, name)]
            unbacked = [name for name in named if not stance_ids[name] & set(draft.evidence)]
            if named and not unbacked:
                verified += 1
                kept.append(draft)
            elif not named and draft.evidence:
                kept.append(draft)  # a count or summary template over actors already checked row by row
            else:
                dropped.append((draft.text, "no cited sentence states the stance of " + ", ".join(unbacked or named)))
        out.append(replace(section, sentences=tuple(kept)))
    return TemplateCheck(tuple(out), verified, tuple(dropped))


def _names(text: str, name: str) -> bool:
    short = name.split(" (")[0]
    return short in text or capitalised(short) in text  # "Teachers are reported as …"
