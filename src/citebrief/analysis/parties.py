"""The parties to what a question asks about: who did the act it names.

"Why did Harbour Air order ten jets?", "Kelda Motors has redesigned its sedan …; why is it still
backing it?", "Brightwave and Kelda Labs are teaming up to sell …": Harbour Air, Kelda Motors,
Brightwave and Kelda Labs did the thing the sides are on. A party that speaks on it without a stance word is
still speaking for its own act (a maker on its product, a body on its decision), which a reader
of the table needs to see apart from bystanders. Read from the question's parse, in general
English terms: the named subject of an active verb that acts on an object ("ordered ten jets"),
asserted rather than wished or reported ("who wants the United States to roll back …" names no
act the United States did), and not a verb of undergoing ("Brenna Water suffered outages"). Pure.
"""

from __future__ import annotations

import re

from .vocab import MODAL_WORDS, NOT_DONE

_NAMED = ("ORG", "PERSON", "GPE", "NORP")
# transitive verbs whose subject undergoes or receives rather than acts
UNDERGOING = frozenset("""suffer get receive face have lose see feel undergo experience sustain incur hear
    need want hope like love hate know""".split())


def question_parties(doc) -> tuple[str, ...]:
    """The named doers of the acts the question states ("Why did Harbour Air order ten jets?" → Harbour Air)."""
    out = []
    for tok in doc:
        subject = tok
        while subject.dep_ == "conj":  # "Brightwave and Kelda Labs are teaming up": both are subjects
            subject = subject.head
        if subject.dep_ == "nsubj" and _named(tok) and subject.head.pos_ in ("VERB", "AUX") and _acts(subject.head):
            out.append(_name(tok))
    return tuple(dict.fromkeys(out + _misread_why(doc)))


def _misread_why(doc) -> list[str]:
    """"Why did Harbour Air order ten jets?" read as a noun phrase ("Harbour Air order"): the name between
    "why did" and the noun the parser took for its verb, when that noun has an object after it. (Stricter
    than ``causes.question_doers``, which keeps rows for any name right after "why did": "Why did U.S.
    stocks drift" names no doer.)"""
    out = []
    for sent in doc.sents:
        words = list(sent)
        if len(words) < 5 or words[0].lower_ != "why" or words[1].pos_ != "AUX":
            continue
        k = 2
        while k < len(words) and _named(words[k]) and words[k].dep_ == "compound":
            k += 1
        head = words[k] if k < len(words) else None
        if k > 2 and head is not None and head.pos_ == "NOUN" and head.dep_ == "ROOT" \
                and any(c.i > head.i and c.dep_ in ("dobj", "appos", "npadvmod") for c in head.children):
            out.append(_name(words[k - 1]))
    return out


def _named(tok) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ in _NAMED


def _name(tok) -> str:
    """The whole name a token ends: its proper-noun compounds before it ("Kelda Labs"), or its entity."""
    if tok.ent_type_ in _NAMED:
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            return re.sub(r"^[Tt]he ", "", ent.text.removesuffix("'s").removesuffix("’s"))
    first = tok.i
    while first > 0 and tok.doc[first - 1].pos_ == "PROPN" and tok.doc[first - 1].dep_ == "compound":
        first -= 1
    return tok.doc[first:tok.i + 1].text


def _acts(verb) -> bool:
    """Whether ``verb`` (or the verb of purpose it opens: "teaming up to sell") acts on an object, as done."""
    if any(c.lower_ in MODAL_WORDS for c in verb.children if c.dep_ == "aux") or _asked_whether(verb):
        return False
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False  # "block an invitation for Ukraine to join NATO": an infinitive's own subject has not done it
    if any(a.lemma_.lower() in NOT_DONE for a in verb.ancestors if a.pos_ in ("VERB", "AUX")):
        return False
    for w in [verb, *(c for c in verb.children if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB")]:
        if w.lemma_.lower() in UNDERGOING:
            continue
        objects = [c for c in w.children if c.dep_ == "dobj"]
        if objects and not any(o.tag_.startswith("W") for o in objects):
            return True
    return False


def _asked_whether(verb) -> bool:
    """Whether the question asks whether the act happened ("Did Acme admit …?", "… and could Acme cut …?"):
    an auxiliary before the subject, or opening the sentence, with no wh-word ("why did …" takes it as done)."""
    subject = next(c for c in verb.children if c.dep_ == "nsubj")
    if any(c.dep_ == "aux" for c in verb.children if c.i < subject.i) and not any(c.tag_ == "WRB" for c in verb.children):
        return True
    sent = verb.sent
    return sent[0].pos_ == "AUX" and sent[-1].text == "?" and not any(t.tag_ in ("WRB", "WP", "WDT") for t in sent)
