"""Disputes: explicit denials of another source's claim, and different values for the same slot.

Pure. Both kinds become competing-narratives items that give each side with its own evidence;
nothing here decides which side is right.
"""

from __future__ import annotations

import re

import numpy as np

from .lexicon import DENIAL_RE, attribution_of, stance_of
from .model import Dispute, Evidence
from .values import minimal_pair, normalise_token

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
_VALUES = "Sources give different values: {} versus {}."
_COUNTS = "Sources differ on a number: “{}” versus “{}”."
# One compared pair: (summary template, each value as (shown, compared), each side as (sentence, evidence ids)).
_Found = tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, tuple[str, ...]], ...]]


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


# a denial the sentence hangs on the claim it states: "… leaking information, a prospect Lind denied", "… took
# bribes, which she denies", "… an allegation the company disputes": both sides are in the one sentence
_ANSWERED_IN_PLACE = re.compile(r",\s+(?:which|a|an)\s+(?:[\w’'.-]+\s+){0,4}(?:has\s+|have\s+|had\s+)?"
                                r"(?:denied|denies|deny|disputed|disputes|dispute|rejected|rejects|reject)\b", re.I)


def find_denials(evidence: dict[str, Evidence], vectors: dict[str, np.ndarray]) -> list[Dispute]:
    """A sentence calling a report inaccurate/false/rumour, paired with the claim it answers (not one that states
    the claim it denies itself: there is no other sentence to pair it with)."""
    disputes = []
    used: set[str] = set()
    for eid, ev in evidence.items():
        if eid in used or not (DENIAL_RE.search(ev.text) and _CLAIM_WORDS.search(ev.text)) \
                or _ANSWERED_IN_PLACE.search(ev.text):
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
    as when one source replaced a fact), and counts of the same kind of thing that disagree. Every
    pair of sentences from two different documents is compared, a syndicated copy and its original
    (one origin after ingest's near-duplicate linking) included: an edited copy that changed a
    value is exactly the disagreement to report.
    """
    found: list[_Found] = []
    ids = list(evidence)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            ea, eb = evidence[a], evidence[b]
            if ea.doc.doc_id == eb.doc.doc_id:
                continue
            sides = ((ea.text, (a,)), (eb.text, (b,)))
            change = minimal_pair(ea.text, eb.text)
            if change:
                found.append((_VALUES, ((change.first, change.first_key), (change.second, change.second_key)), sides))
                continue
            count = _count_conflict(ea.text, eb.text, _similar(vectors, a, b))
            if count:
                found.append((_COUNTS, tuple((span, _value_key(span)) for span in count), sides))
    return _merge_value_disputes(found, evidence)


def _count_conflict(a: str, b: str, similarity: float) -> tuple[str, str] | None:
    """The two spans when two similar sentences count the same kind of thing differently."""
    if similarity < 0.6:
        return None
    if not (similarity >= 0.75 or _stance_class(a) == _stance_class(b) != "none"):
        return None
    for head, va, span_a in _counts(a):
        match = next((sb for h, vb, sb in _counts(b) if h == head and vb != va), None)
        if match:
            return span_a, match
    return None


def _stance_class(text: str) -> str:
    """"against", "for" or "none": counts of allies "opposed" and of "holdouts" describe the same group."""
    stance = stance_of(text)
    if stance is None:
        return "none"
    return "for" if stance.value == "supports" else "against"


def _merge_value_disputes(found: list[_Found], evidence: dict[str, Evidence]) -> list[Dispute]:
    """One dispute per unordered pair of values: "A versus B" and "B versus A" gather into one.

    Each side keeps the value and sentence first seen for it and gathers the evidence ids of every
    sentence stating it; the side carried by more independent sources comes first.
    """
    merged: dict[tuple[str, frozenset[str]], dict[str, tuple[str, str, tuple[str, ...]]]] = {}
    for template, values, pair in found:
        keys = tuple(key for _, key in values)
        if keys[0] == keys[1]:
            continue  # one value written two ways ("Dec. 1" / "Dec 1"): no disagreement
        sides = merged.setdefault((template, frozenset(keys)), {})
        for (shown, key), (text, ids) in zip(values, pair):
            shown, text, old = sides.get(key, (shown, text, ()))
            sides[key] = (shown, text, tuple(dict.fromkeys(old + ids)))
    out = []
    for (template, _), sides in merged.items():
        # sorted() is stable: with equal support the first-seen value stays first.
        first, second = sorted(sides.values(), key=lambda side: -_origins(evidence, side[2]))
        out.append(Dispute(template.format(first[0], second[0]), "value",
                           ((first[1], first[2]), (second[1], second[2]))))
    return out


def _value_key(value: str) -> str:
    """A counted span as compared ("Seven allies" = "seven allies")."""
    return " ".join(normalise_token(t) for t in _TOKEN.findall(value))


def _origins(evidence: dict[str, Evidence], ids: tuple[str, ...]) -> int:
    """How many independent sources carry these evidence items (syndicated copies count once)."""
    docs = [d for e in ids for d in (evidence[e].doc, *(copy[0] for copy in evidence[e].also_in))]
    return len({d.duplicate_of or d.doc_id for d in docs})
