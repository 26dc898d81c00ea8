"""Actors and positions: who holds which stance on the question's subject, why, and who says so.

Pure: takes evidence sentences and the documents' texts (for people→country links) and returns
``ActorFinding`` values. A stance is read per clause, so "the US and Germany resist, while Poland
pushes for an invitation" gives two stances. Reasons stated about a group ("several of the
countries are concerned that …") apply to the actors the same document gives a stance.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .gazetteer import MEMBERS, ORGANISATIONS, Mention, demonyms, find_mentions, people_links
from .lexicon import attribution_of, has_reason, stance_of
from .model import ActorFinding, Evidence, Plan, Position, Shape

_CLAUSE_SPLIT = re.compile(r";|, (?:but|while|whereas|although|though) |\bwhile\b|\bwhereas\b|\bbut\b")
_OBJECT_BEFORE = re.compile(r"\b(with|against|into|from|to|toward|towards|on|of|about|for|than|between|at|in)\s+(the\s+)?$", re.I)
_GROUP_SUBJECT = re.compile(r"\b(several|some|many|most|a number|the group|those|these|the (countries|members|allies|"
                            r"governments|capitals|holdouts)|the (two|three|four|five|six|seven))\b", re.I)
_NEGATED = re.compile(r"\b(not|never|neither|nor|no longer|n['’]t)\b[^,;]{0,30}$", re.I)
_REASON_START = re.compile(
    r"\b(because|concerned|concerns?|fear\w*|worr\w*|warn\w*|argu\w*|saying|risk\w*|would mean|over|"
    r"due to|as long as|so long as|until|during)\b", re.I)


def _subject_mentions(clause: str, mentions: list[Mention], targets: set[str]) -> list[Mention]:
    """Actors in a clause that can hold its stance (not targets, not objects of a preposition)."""
    out = []
    for m in mentions:
        if m.name in targets:
            continue
        if m.surface in demonyms() and not _AGENT_AFTER.match(clause[m.end:]):
            continue
        before = clause[:m.start]
        if _OBJECT_BEFORE.search(before) and not before.rstrip().endswith("led by"):
            continue
        out.append(m)
    return out


def _people_mentions(text: str, links: dict[str, str]) -> list[Mention]:
    out = []
    for name, country in links.items():
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text):
            out.append(Mention(country, "country", match.start(), match.end(), name))
    return out


def _clauses(text: str) -> list[str]:
    parts = [p for p in _CLAUSE_SPLIT.split(text) if p and p.strip()]
    return parts or [text]


_SOURCING = re.compile(r"\b(anonymity|confidential|not authori[sz]ed|to discuss|to speak|named)\b", re.I)
# A demonym counts as an actor only when it modifies an agent: "German officials", not "Russian aggression".
_AGENT_AFTER = re.compile(r"^\s+(?:[A-Z][\w’'-]+\s+){0,2}(officials?|government|governments|leaders?|president|"
                          r"prime minister|chancellor|minister|ministry|diplomats?|envoys?|spokes\w+|authorities|"
                          r"administration|parliament|lawmakers|delegation|side|counterparts?|foreign|defen[cs]e|"
                          r"premier|cabinet|coalition|representatives?)\b", re.I)


def reason_phrase(sentence: str) -> str | None:
    """The part of a sentence that states the reason, verbatim (at most ~30 words)."""
    match = _REASON_START.search(sentence)
    if not match or _SOURCING.search(sentence[match.start():match.start() + 80]):
        return None
    phrase = sentence[match.start():].rstrip(" .;")
    phrase = re.split(r",\s+(?:according to|the officials said|officials said|he said|she said|said)\b", phrase)[0]
    words = phrase.split()
    return " ".join(words[:30]) + ("…" if len(words) > 30 else "") if len(words) >= 3 else None


def extract_actors(plan: Plan, evidence: dict[str, Evidence], doc_texts: dict[str, str]) -> list[ActorFinding]:
    """Actors with positions, reasons and attributions, most-evidenced first."""
    targets = set(plan.focus_actors) if plan.shape == Shape.ACTORS else set()
    want_countries = any(t in plan.question.lower() for t in ("countr", "nation", "states", "capitals", "governments",
                                                              "allies", "members"))
    links = {doc_id: people_links(text) for doc_id, text in doc_texts.items()}
    votes: dict[str, Counter] = defaultdict(Counter)
    pos_ev: dict[str, dict[Position, list[str]]] = defaultdict(lambda: defaultdict(list))
    reasons: dict[str, list[tuple[str, str]]] = defaultdict(list)
    attributions: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, str] = {}
    stanced_in_doc: dict[str, set[str]] = defaultdict(set)

    for eid, ev in evidence.items():
        text = ev.text
        offset = 0
        for clause in _clauses(text):
            mentions = find_mentions(clause) + _people_mentions(clause, links.get(ev.doc.doc_id, {}))
            subjects = _subject_mentions(clause, mentions, targets)
            if want_countries:
                subjects = [m for m in subjects if m.kind == "country"]
            stance = stance_of(clause)
            if stance is not None and _NEGATED.search(clause[:_cue_position(clause)]):
                stance = None  # "neither Washington nor Berlin rules out …"
            for m in {m.name: m for m in subjects}.values():
                kinds[m.name] = m.kind
                if stance is not None:
                    weight = 1 + (ev.doc.duplicate_of is None)
                    votes[m.name][stance] += weight
                    pos_ev[m.name][stance].append(eid)
                    stanced_in_doc[ev.doc.doc_id].add(m.name)
                    who = attribution_of(text)
                    if who:
                        attributions[m.name].append(who)
                if has_reason(clause):
                    phrase = reason_phrase(clause)
                    if phrase:
                        reasons[m.name].append((phrase, eid))
            offset += len(clause)
    _group_reasons(evidence, targets, stanced_in_doc, reasons)
    findings = _aggregate(votes, pos_ev, reasons, attributions, kinds)
    members = _membership(plan)
    return [f for f in findings if members is None or f.name in members]


def _membership(plan: Plan) -> frozenset[str] | None:
    """The member set when the question asks about "<organisation> countries/members/allies"."""
    for org, members in MEMBERS.items():
        aliases = [org] + [a for a in ORGANISATIONS.get(org, ()) if not a.startswith("the ")]
        if any(re.search(rf"\b{re.escape(a)}\s+(countries|members|member states|states|allies|nations|"
                         r"governments|capitals)\b", plan.question) for a in aliases):
            return members
    return None


def _cue_position(clause: str) -> int:
    """Where the first stance cue of a clause starts (the end when there is none)."""
    from .lexicon import STANCE_PATTERNS

    low = clause.lower()
    found = [m.start() for _, pattern in STANCE_PATTERNS for m in [pattern.search(low)] if m]
    return min(found) if found else len(clause)


def _group_reasons(evidence: dict[str, Evidence], targets: set[str], stanced_in_doc: dict[str, set[str]],
                   reasons: dict[str, list[tuple[str, str]]]) -> None:
    """Reasons a document states for a group apply to the actors it gives a stance."""
    for eid, ev in evidence.items():
        named = {m.name for m in _subject_mentions(ev.text, find_mentions(ev.text), targets) if m.kind == "country"}
        if named or not _GROUP_SUBJECT.search(ev.text) or not has_reason(ev.text):
            continue
        phrase = reason_phrase(ev.text)
        if not phrase:
            continue
        for actor in sorted(stanced_in_doc.get(ev.doc.doc_id, ())):
            if all(p != phrase for p, _ in reasons[actor]):
                reasons[actor].append((phrase, eid))


def _aggregate(votes, pos_ev, reasons, attributions, kinds) -> list[ActorFinding]:
    findings = []
    for name, counter in votes.items():
        total = sum(counter.values())
        against = counter[Position.OPPOSES] + counter[Position.HESITANT]
        support = counter[Position.SUPPORTS]
        if against and support and min(against, support) / total >= 0.3:
            position = Position.MIXED
        elif support > against:
            position = Position.SUPPORTS
        elif counter[Position.OPPOSES] >= counter[Position.HESITANT]:
            position = Position.OPPOSES
        else:
            position = Position.HESITANT
        if position == Position.MIXED:
            ev_ids = [e for p in (Position.OPPOSES, Position.HESITANT, Position.SUPPORTS) for e in pos_ev[name][p]]
        elif position in (Position.OPPOSES, Position.HESITANT):
            ev_ids = pos_ev[name][position] + pos_ev[name][Position.OPPOSES if position == Position.HESITANT
                                                         else Position.HESITANT]
        else:
            ev_ids = pos_ev[name][position]
        seen_reasons: dict[str, str] = {}
        for phrase, eid in reasons.get(name, []):
            seen_reasons.setdefault(phrase, eid)
        findings.append(ActorFinding(
            name=name, kind=kinds.get(name, "country"), position=position,
            reasons=tuple(list(seen_reasons)[:4]),
            position_evidence=tuple(dict.fromkeys(ev_ids)),
            reason_evidence=tuple(list(seen_reasons.values())[:4]),
            attributions=tuple(dict.fromkeys(attributions.get(name, [])))[:3]))
    order = {Position.OPPOSES: 0, Position.HESITANT: 1, Position.MIXED: 2, Position.SUPPORTS: 3}
    findings.sort(key=lambda f: (order[f.position], -len(f.position_evidence), f.name))
    return findings
