"""Disputes: explicit denials of another source's claim, and different values for the same slot.

Pure. Both kinds become competing-narratives items that give each side with its own evidence;
nothing here decides which side is right.
"""

from __future__ import annotations

import re

import numpy as np

from .lexicon import DENIAL_RE, attribution_of, stance_of
from .model import Dispute, Evidence

_CLAIM_WORDS = re.compile(r"\b(reports?|reported|claims?|information|rumou?rs?|story|stories|allegations?|"
                          r"suggestions?|accounts?|figures?|assertions?|leaks?|leaked)\b", re.I)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "twenty": 20}
_NUM = r"(\d[\d,.]*|" + "|".join(_NUMBER_WORDS) + r")"
_COUNT_RE = re.compile(rf"\b(?:at least |no fewer than |more than |only |about |some )?{_NUM}(?:\s+or\s+{_NUM})?"
                       r"\s+((?:[A-Z][\w-]+\s+){0,2})([a-z]+)\b")
# Collective nouns for the actors of political reporting: "seven allies" and "five holdouts" count
# the same thing.
_ACTOR_NOUNS = {"members", "allies", "countries", "states", "nations", "capitals", "governments", "holdouts",
                "member"}
_TOKEN = re.compile(r"[\w’'.-]+")


def _value(token: str) -> float | None:
    token = token.lower().replace(",", "")
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    try:
        return float(token.rstrip("."))
    except ValueError:
        return None


def _counts(text: str) -> list[tuple[str, str, str]]:
    """(head noun group, value text, matched span) of counted things in a sentence."""
    out = []
    for m in _COUNT_RE.finditer(text):
        if re.search(r"\b(all|of the|total of)\s*$", text[:m.start()]):
            continue  # "all 32 allies": the whole group, not a count of some of them
        if stance_of(text[m.end():m.end() + 60]) is None:
            continue  # only counts of actors holding a stance ("seven members are opposed")
        head = m.group(4).lower()
        if head in _ACTOR_NOUNS:
            head = "actors"
        elif not head.endswith("s"):
            continue
        low, high = _value(m.group(1)), _value(m.group(2)) if m.group(2) else None
        if low is None or (1900 <= low <= 2100 and "." not in m.group(1)):
            continue  # a year, not a count
        value = f"{low:g}" if high is None else f"{low:g}–{high:g}"
        out.append((head, value, m.group(0).strip()))
    return out


def find_denials(evidence: dict[str, Evidence], vectors: dict[str, np.ndarray]) -> list[Dispute]:
    """A sentence calling a report inaccurate/false/rumour, paired with the claim it answers."""
    disputes = []
    used: set[str] = set()
    for eid, ev in evidence.items():
        if eid in used or not (DENIAL_RE.search(ev.text) and _CLAIM_WORDS.search(ev.text)):
            continue
        claim = _closest_claim(eid, evidence, vectors)
        if claim is None:
            continue
        denials = [eid] + [other for other, o in evidence.items() if other != eid and other not in used
                           and DENIAL_RE.search(o.text) and _similar(vectors, eid, other) >= 0.75]
        used.update(denials)
        summary = (f"A claim reported by {_outlets(evidence, [claim])} is disputed in "
                   f"{_outlets(evidence, denials)}.")
        disputes.append(Dispute(summary, "denial", ((evidence[claim].text, (claim,)),
                                                    (ev.text, tuple(denials)))))
    return _merge_denials(disputes, evidence, vectors)


def _merge_denials(disputes: list[Dispute], evidence: dict[str, Evidence],
                   vectors: dict[str, np.ndarray]) -> list[Dispute]:
    """Denials of one claim reported by several outlets become one dispute with all their evidence."""
    merged: list[Dispute] = []
    for d in disputes:
        claim, denial = d.sides[0][1][0], d.sides[1][1][0]
        home = next((i for i, m in enumerate(merged)
                     if _similar(vectors, claim, m.sides[0][1][0]) >= 0.6
                     or _similar(vectors, denial, m.sides[1][1][0]) >= 0.6), None)
        if home is None:
            merged.append(d)
            continue
        m = merged[home]
        claims = tuple(dict.fromkeys(m.sides[0][1] + d.sides[0][1]))
        denials = tuple(dict.fromkeys(m.sides[1][1] + d.sides[1][1]))
        merged[home] = Dispute(f"A claim reported by {_outlets(evidence, list(claims))} is disputed in "
                               f"{_outlets(evidence, list(denials))}.", "denial",
                               ((m.sides[0][0], claims), (m.sides[1][0], denials)))
    return merged


def _outlets(evidence: dict[str, Evidence], ids: list[str]) -> str:
    names = list(dict.fromkeys(evidence[i].doc.outlet or evidence[i].doc.title or "an untitled source" for i in ids))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _similar(vectors: dict[str, np.ndarray], a: str, b: str) -> float:
    if a not in vectors or b not in vectors:
        return 0.0
    return float(vectors[a] @ vectors[b])


def _closest_claim(denial: str, evidence: dict[str, Evidence], vectors: dict[str, np.ndarray]) -> str | None:
    """The non-denial evidence sentence most similar to the denial, from a different origin."""
    den = evidence[denial]
    origin = den.doc.duplicate_of or den.doc.doc_id
    # The disputed claim usually comes just before the denial in the same article.
    before = [(ev.start, eid) for eid, ev in evidence.items() if ev.doc.doc_id == den.doc.doc_id
              and ev.start < den.start and den.start - ev.end < 400 and not DENIAL_RE.search(ev.text)
              and _similar(vectors, denial, eid) >= 0.45]
    if before:
        return max(before)[1]
    best, best_sim = None, 0.35
    for eid, ev in evidence.items():
        if eid == denial or DENIAL_RE.search(ev.text):
            continue
        same_origin = (ev.doc.duplicate_of or ev.doc.doc_id) == origin
        sim = _similar(vectors, denial, eid) - (0.1 if same_origin else 0.0)
        if attribution_of(ev.text):
            sim += 0.05  # a claim usually says who made it
        if sim > best_sim:
            best, best_sim = eid, sim
    return best


def find_value_conflicts(evidence: dict[str, Evidence], vectors: dict[str, np.ndarray]) -> list[Dispute]:
    """Sentences about the same thing that give different values.

    Two kinds: minimal pairs (near-identical sentences whose differing words are numbers or names,
    as when one source replaced a fact), and counts of the same kind of thing that disagree.
    """
    disputes: list[Dispute] = []
    ids = list(evidence)
    seen_pairs: set[frozenset[str]] = set()
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            ea, eb = evidence[a], evidence[b]
            if (ea.doc.duplicate_of or ea.doc.doc_id) == (eb.doc.duplicate_of or eb.doc.doc_id):
                continue
            diff = _minimal_pair(ea.text, eb.text)
            if diff:
                seen_pairs.add(frozenset((a, b)))
                disputes.append(Dispute(f"Sources give different values: {diff[0]} versus {diff[1]}.", "value",
                                        ((ea.text, (a,)), (eb.text, (b,)))))
                continue
            similarity = _similar(vectors, a, b)
            if similarity < 0.6:
                continue
            same_claim = similarity >= 0.75 or _stance_class(ea.text) == _stance_class(eb.text) != "none"
            for head, va, span_a in _counts(ea.text):
                match = next(((vb, sb) for h, vb, sb in _counts(eb.text) if h == head and vb != va), None)
                if match and same_claim and frozenset((a, b)) not in seen_pairs:
                    seen_pairs.add(frozenset((a, b)))
                    disputes.append(Dispute(f"Sources differ on a number: “{span_a}” versus “{match[1]}”.",
                                            "value", ((ea.text, (a,)), (eb.text, (b,)))))
                    break
    return _merge_value_disputes(disputes)


def _stance_class(text: str) -> str:
    """"against", "for" or "none": counts of allies "opposed" and of "holdouts" describe the same group."""
    stance = stance_of(text)
    if stance is None:
        return "none"
    return "for" if stance.value == "supports" else "against"


def _minimal_pair(a: str, b: str) -> tuple[str, str] | None:
    """The differing words when two sentences differ only in numbers or capitalised words."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    if len(ta) < 6 or abs(len(ta) - len(tb)) > 4:
        return None
    sa, sb = set(ta), set(tb)
    only_a, only_b = [t for t in ta if t not in sb], [t for t in tb if t not in sa]
    if not only_a or not only_b or len(only_a) + len(only_b) > max(4, len(ta) // 4):
        return None
    factual = lambda ts: all(t[0].isupper() or t[0].isdigit() for t in ts)
    if not (factual(only_a) and factual(only_b)):
        return None
    return " ".join(only_a), " ".join(only_b)


def _merge_value_disputes(disputes: list[Dispute]) -> list[Dispute]:
    """One dispute per pair of values; sides with the same text gather their evidence ids."""
    merged: dict[str, Dispute] = {}
    for d in disputes:
        key = d.summary
        if key not in merged:
            merged[key] = d
            continue
        old = merged[key]
        sides = []
        for (text, ids), (_, new_ids) in zip(old.sides, d.sides):
            sides.append((text, tuple(dict.fromkeys(ids + new_ids))))
        merged[key] = Dispute(old.summary, old.kind, tuple(sides))
    return list(merged.values())
