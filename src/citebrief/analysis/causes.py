"""Causes that actors assert or deny: what a why-question's competing explanations are.

"Delhi has turned into a gas chamber due to smoke from crop burning", Kejriwal said → Kejriwal
asserts the cause "smoke from crop burning"; "preliminary reports do not indicate it was caused by
enemy fire", the statement said → the statement's author denies "enemy fire"; "The Taliban claimed
responsibility for shooting down the helicopter" → the Taliban assert that they did; "The government
ruled out Taliban involvement" → the government denies it. Read from the parse with ordinary English
connectives of cause, never phrases of any corpus.

``main_cause`` groups the statements of a brief and picks the explanation the actors' positions are
measured against: one that some assert and others deny, else the one the evidence mentions most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .claims import Holder, according_to, content_lemmas, holder_of, negated, speech_head, subject_of
from .vocab import FALLING, RISING, SPEECH_VERBS

# Connectives whose complement is a cause: "due to X", "caused by X", "blamed on X", "the result of X".
_CONNECTIVE = re.compile(
    r"\b(?:due to|owing to|because of|because(?! of)|thanks to|(?:a |in )(?:response|reaction) to|"
    r"as a (?:direct )?result of|the (?:direct )?result of|"
    r"(?:results?|resulted|resulting) from|(?:caused|driven|triggered|sparked|fu?ell?ed|brought on|prompted) by|"
    r"(?:blamed|pinned) on|attribut(?:ed|able) to|traced (?:back )?to|stem(?:s|med|ming)? from|"
    r"(?:cause|culprit)s?\b(?:(?! - )[^.;,“”\"–—]){0,60}?\b(?:is|are|was|were)|"
    # ("sources told Reuters that Russia is …", "drivers in the city are …", a list's "sources of energy and liquid
    # water - are on Europa": only "the [largest] source of X is")
    r"the (?:\w+ ){0,2}(?:contributor|source|driver)s? (?:of|to|behind)\b(?:(?! - )[^.;,“”\"–—]){0,60}?"
    r"\b(?:is|are|was|were))\s+", re.I)
# Where a cause phrase ends: a clause break, a quotation mark, a dash, or a relative clause.
_PHRASE_END = re.compile(r"\s*(?:[,;:.!?()“”\"]|\s[–—-]\s|"
                         r"\s(?:which|who|that|while|but|and that|and then|and because|or because)\s)")
_MAX_WORDS = 16
# "the cause is under investigation / unknown / not yet clear": no cause stated
_UNKNOWN = re.compile(r"(?:under|being|still|not|unknown|unclear|uncertain|undetermined|yet)\b", re.I)
# Nouns of having a hand in something: "ruled out Taliban involvement", "denied any role".
AGENCY_NOUNS = frozenset("involvement role responsibility hand part link links connection complicity".split())
_RESPONSIBILITY_VERBS = frozenset("claim take accept admit bear assume acknowledge".split())
_ASCRIBING = {"attribute": "to", "trace": "to", "pin": "on"}  # verb → the preposition before the cause
_CAUSING = frozenset("cause trigger spark".split())
# … or with a preposition and no object of their own ("a faulty valve led to the leak", "rain contributed
# to the delays", "the error resulted in outages"; not "led the team to a title")
_CAUSING_TO = {"lead": "to", "contribute": "to", "result": "in"}
# subjects that point back instead of naming a cause ("it caused", "what caused")
_NO_CAUSE = frozenset("it this that what which who they he she".split())
_DENYING_VERBS = frozenset("deny dismiss reject exclude discount disclaim dispute".split())
# A quantity that moves "on" something moves because of it ("shares fell on weak sales", "oil rose on supply
# fears"); not "on Tuesday", "on the day", "on the Nasdaq". Verbs of someone moving something ("cut", "raise")
# or of other things ("crashed on a hillside", "fell a tree") are left out.
_MOVING = (RISING | FALLING | {"edge", "advance", "rebound"}) - {"raise", "boost", "lower", "cut", "reduce", "crash",
                                                                   "fell"}
# participles of a result brought about: "…, forcing the company to adapt", "…, prompting a recall"
_FORCING = frozenset("force prompt compel push drive lead spur".split())
# verbs of an event taking place: what it followed, as a clause, is how it came about
_HAPPENING = frozenset("occur happen begin start erupt unfold ensue".split())
_NOT_A_CAUSE_ON = frozenset("day week month year session quarter basis average record".split())
# "… sent prices lower": the subject of "send" with a direction moved its object
_DIRECTIONS = frozenset("lower higher down up tumbling soaring plunging sliding falling rising".split())
# "deported for violating visa norms", "fined for dumping waste": the reason a sanction is for; not a
# span of time or a sum ("suspended for the rest of the season", "jailed for five years")
_SANCTIONS = frozenset("""deport arrest fine jail imprison sentence suspend fire sack sue punish expel ban charge
    convict detain penalise penalize discipline dismiss evict seize impound confiscate prosecute indict
    reprimand censure""".split())
_NOT_A_CAUSE_FOR = frozenset("""rest remainder year month week day hour season game match life period time term
    sum amount total""".split())


@dataclass(frozen=True, slots=True)
class CauseStatement:
    """One cause a sentence asserts or denies, with who says so."""

    phrase: str  # the cause as the sentence states it
    lemmas: frozenset[str]  # its content lemmas (agency nouns left out)
    denied: bool
    holder: Holder | None  # who asserts or denies it (the speaker of a reported statement)
    # what it is a cause of, where the parse says: the nouns that underwent the effect, each with its
    # modifiers ("bond prices to go higher" → ("price", {"bond"})); empty when not known
    effect: tuple[tuple[str, frozenset[str]], ...] = ()


def cause_statements(doc) -> list[CauseStatement]:
    """Every cause a parsed sentence asserts or denies."""
    out: list[CauseStatement] = []
    for match in _CONNECTIVE.finditer(doc.text):
        rest = doc.text[match.end():]
        begin = match.end() + len(rest) - len(rest.lstrip(" \"“‘'"))  # 'a response to "traffic that …"'
        phrase = _phrase(doc.text[begin:])
        if not phrase or _UNKNOWN.match(phrase):
            continue
        anchor = _token_at(doc, match.start())
        if anchor is None:
            continue
        after = _token_at(doc, begin)
        if match.group(0).lower().startswith("due to") and after is not None and after.tag_ == "VB" and (
                after.lower_ == "be" or any(t.ent_type_ in ("DATE", "TIME") for t in after.subtree)):
            continue  # "due to start in mid-December", "due to be published on Friday": a schedule, not a cause
        tokens = [t for t in doc if begin <= t.idx < begin + len(phrase)]
        # "gunshot wounds and called on the government …": a conjunction before a verb starts a new clause
        cut = next((k for k, t in enumerate(tokens) if t.dep_ == "cc" and t.i + 1 < len(doc)
                    and doc[t.i + 1].pos_ in ("VERB", "AUX")), None)
        if cut is not None:
            tokens = tokens[:cut]
        if not tokens:
            continue
        # the cause is one phrase of the parse: "because of [a cut in the corporate tax] is keeping the
        # market higher" ends where the phrase under the connective ends
        inside = {t.i for t in tokens}
        top = tokens[0]
        while top.head.i in inside and top.head is not top:
            top = top.head
        within = {t.i for t in top.subtree}
        tokens = [t for t in tokens if t.i in within] or tokens
        # a phrase cut at its length ends on a whole word group: not on "… our One Home Depot strategic", whose noun
        # was cut off (a word that modifies one past the end, and a preposition or article left hanging, go)
        while len(tokens) > 1 and (tokens[-1].head.i > tokens[-1].i and tokens[-1].head.i not in inside
                                   or tokens[-1].pos_ in ("ADP", "DET", "CCONJ", "PART")):
            tokens = tokens[:-1]
        phrase = _text(doc, tokens)
        clause = anchor if anchor.pos_ in ("VERB", "AUX") or anchor.head is anchor else anchor.head
        out.append(CauseStatement(phrase, _lemmas(tokens), _under_negation(anchor), _holder(clause, _active(anchor)),
                                  _subjects(_governing_verb(anchor, inside))))
    for tok in doc:
        lemma = tok.lemma_.lower()
        out.extend(_result_clause(tok))
        if tok.pos_ != "VERB":
            continue
        subject = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
        if (lemma in _CAUSING or _causes_through(tok, lemma)) and subject is not None \
                and subject.lower_ not in _NO_CAUSE:
            # "heavy rain caused the collapse", "a broken rail triggered the derailment": the verb's
            # subject is the cause, so who says so is the speaker ("…, officials said"), and a negation
            # above the verb ("denied that a broken rail caused …") denies it
            effect = [c for c in tok.children if c.dep_ == "dobj"] + [
                g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "in") for g in c.children
                if g.dep_ == "pobj"]
            out.extend(_named_by(tok, subject.subtree, denied=_under_negation(tok), own_subject=False,
                                 effect=_things(effect)))
            continue
        if lemma in _HAPPENING:
            # "the stabbing may have occurred after the attacker tried to steal a rider's shoes": what an event is
            # said to have followed, as a clause of its own (not "started after midnight"), is an account of it
            for clause in (c for c in tok.children if c.dep_ == "advcl" and c.pos_ == "VERB"
                           and any(m.dep_ == "mark" and m.lower_ == "after" for m in c.children)):
                out.extend(_named_by(tok, [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)],
                                     denied=_under_negation(tok), own_subject=False, effect=_subjects(tok)))
            continue
        if lemma in _MOVING:
            # "Oil fell after sources said Russia is unlikely to cut output": what a move followed, as a clause of its
            # own (not "rose after the open"), is an account of it, as for an event
            for clause in (c for c in tok.children if c.dep_ == "advcl" and c.pos_ == "VERB"
                           and any(m.dep_ == "mark" and m.lower_ == "after" for m in c.children)):
                # (what was reported, when the clause reports it: "after sources said Russia is unlikely to …")
                said = next((c for c in clause.children if c.dep_ == "ccomp"), None) \
                    if clause.lemma_.lower() in SPEECH_VERBS else None
                words = list(said.subtree) if said is not None else [
                    t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)]
                out.extend(_named_by(tok, [t for t in words if not (t.dep_ == "mark" and t.lower_ == "that")],
                                     denied=_under_negation(tok), own_subject=False, effect=_subjects(tok)))
            for on in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "on"):
                cause = next((g for g in on.children if g.dep_ == "pobj"), None)
                # (a bare singular noun is an idiom: "jump on board", "stay on track")
                if cause is not None and not cause.ent_type_ and cause.pos_ != "PROPN" \
                        and cause.lemma_.lower() not in _NOT_A_CAUSE_ON \
                        and (cause.tag_ in ("NNS", "NNPS") or any(True for _ in cause.children)):
                    out.extend(_named_by(tok, cause.subtree, denied=_under_negation(tok), own_subject=False,
                                         effect=_subjects(tok)))
            continue
        if lemma == "send" and subject is None and tok.dep_ == "conj":  # "X beat forecasts and … sent prices lower"
            subject = next((c for c in tok.head.children if c.dep_ in ("nsubj", "csubj")), None)
        if lemma == "send" and subject is not None and subject.lower_ not in _NO_CAUSE and any(
                c.lower_ in _DIRECTIONS for c in tok.children if c.dep_ in ("advmod", "xcomp", "oprd", "acomp", "prt")):
            moved = [c for c in tok.children if c.dep_ == "dobj"]
            if moved:
                out.extend(_named_by(tok, subject.subtree, denied=_under_negation(tok), own_subject=False,
                                     effect=_things(moved)))
            continue
        if lemma in _SANCTIONS or lemma + "e" in _SANCTIONS:  # (the small model lemmatises "fined" as "fin")
            for for_ in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"):
                cause = next((g for g in for_.children if g.dep_ in ("pcomp", "pobj")), None)
                if cause is None or cause.ent_type_ or cause.lemma_.lower() in _NOT_A_CAUSE_FOR or any(
                        g.like_num or g.ent_type_ in ("DATE", "TIME", "MONEY", "CARDINAL") for g in cause.subtree):
                    continue
                undergo = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
                out.extend(_named_by(tok, cause.subtree, denied=_under_negation(tok), own_subject=False,
                                     effect=_things(undergo) or _subjects(tok)))
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        if lemma == "point" and to is not None:  # "officials pointed to the heavy rain"
            cause = next((c for c in to.children if c.dep_ == "pobj"), None)
            if cause is not None:
                out.extend(_named_by(tok, cause.subtree))
            continue
        if not objects:
            continue
        obj = objects[0]
        particle = any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)
        if lemma in _RESPONSIBILITY_VERBS and obj.lemma_.lower() == "responsibility":
            # "X claimed responsibility for shooting down the helicopter": X says X did it
            what = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "for"), None)
            holder = _holder(tok)
            if what is None or holder is None or what.i + 1 >= len(doc):
                continue
            start = doc[what.i + 1].idx
            done = _phrase(doc.text[start:])
            if not done:
                continue
            span = [t for t in doc if start <= t.idx < start + len(done)]
            out.append(CauseStatement(f"{done} ({holder.text})",
                                      _lemmas(span) | {w.lower() for w in holder.text.split()},
                                      negated(tok), holder))
        elif (lemma in _DENYING_VERBS or (lemma == "rule" and particle)) and \
                any(t.lemma_.lower() in AGENCY_NOUNS for t in obj.subtree):
            # "ruled out Taliban involvement in the incident", "denied any role in the attack": the
            # prepositional phrase names the event, what is denied is who had a hand in it
            inner = {t.i for c in obj.children if c.dep_ == "prep" for t in c.subtree}
            span = [t for t in sorted(obj.subtree, key=lambda t: t.i) if t.i not in inner]
            holder = _holder(tok)
            lemmas = _lemmas(span)
            if not lemmas and holder is not None:  # "the club denied any role": its own
                lemmas = frozenset(w.lower() for w in holder.text.split())
            out.append(CauseStatement(_text(doc, span), lemmas, not negated(tok), holder))
        elif lemma in _ASCRIBING:
            # "attributed the recall to a faulty sensor", "traced the outbreak to a farm"
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == _ASCRIBING[lemma]), None)
            cause = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if cause is not None:
                out.extend(_named_by(tok, cause.subtree, effect=_things([obj])))
        elif lemma == "cite":  # asked why, "she cited upstream field drainage" gives a cause
            # "… as a reason for stocks to drift": what it is a reason for
            # (the small parser may hang "as a reason" on a verb inside the object)
            reason_for = [g for r in tok.subtree if r.dep_ == "pobj" and r.head.lower_ == "as"
                          and r.lemma_.lower() in ("reason", "cause", "explanation", "factor")
                          for g in r.subtree if g.i > r.i and g.dep_ in ("pobj", "nsubj", "nsubjpass", "conj")
                          and g.pos_ in ("NOUN", "PROPN")]
            out.extend(_named_by(tok, obj.subtree, effect=_things(reason_for)))
        elif lemma == "blame":
            # "blamed the outage on X" names X; "blamed X for the outage" names X too
            on = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "on"), None)
            cause = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else obj
            if cause is None:
                continue
            inner = {t.i for c in cause.children if c.dep_ == "prep" and c.lower_ == "for" for t in c.subtree}
            out.extend(_named_by(tok, (t for t in cause.subtree if t.i not in inner)))
    return out


def _causes_through(verb, lemma: str) -> bool:
    """"led to", "contributed to", "resulted in": a causing verb with its preposition and no object."""
    return lemma in _CAUSING_TO and not any(c.dep_ == "dobj" for c in verb.children) and \
        any(c.dep_ == "prep" and c.lower_ == _CAUSING_TO[lemma] for c in verb.children)


def _named_by(verb, tokens, *, denied: bool | None = None, own_subject: bool = True,
              effect: tuple[tuple[str, frozenset[str]], ...] = ()) -> list[CauseStatement]:
    """The cause a verb names in ``tokens`` (its subject, object or prepositional object), up to the
    phrase's end (none when nothing is left of it); denied when the verb is negated unless told."""
    span = sorted(tokens, key=lambda t: t.i)
    done = _phrase(_text(verb.doc, span))
    if not span or not done:
        return []
    span = [t for t in span if t.idx < span[0].idx + len(done)]
    return [CauseStatement(done, _lemmas(span), negated(verb) if denied is None else denied,
                           _holder(verb, own_subject), effect)]


def _result_clause(tok) -> list[CauseStatement]:
    """A clause and the result it is said to have led to: "X, so Y" ("the design kept failing, so Apple switched
    back"; not "so that", a purpose) and "X, forcing / prompting Z to Y" ("people began using them for work,
    forcing the company to adapt"): X is a cause of Y, in the voice of whoever says the sentence."""
    if tok.lower_ == "so" and tok.i > 0 and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ != "that":
        result = tok.head
        if tok.dep_ == "mark" and result.dep_ == "advcl" and result.pos_ in ("VERB", "AUX") and result.i > tok.i:
            cause = result.head  # "X so Y": the clause the result hangs on
            span = [t for t in cause.subtree if t.i < tok.i and t.i not in {r.i for r in result.subtree}]
        elif tok.dep_ == "advmod" and result.pos_ in ("VERB", "AUX") and result.i > tok.i:
            before = [c for c in result.children if c.dep_ in ("ccomp", "advcl") and c.i < tok.i]  # "X, so Y"
            if not before:
                return []
            cause, span = before[0], list(before[0].subtree)
        else:
            return []
        span = [t for t in span if not t.is_punct]
        if not span or not any(t.pos_ in ("VERB", "AUX") for t in span):
            return []
        return _named_by(cause, span, denied=False, own_subject=False, effect=_subjects(result))
    if tok.lemma_.lower() in _FORCING and tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.head.i < tok.i:
        moved = [c for c in tok.children if c.dep_ == "dobj"]
        if not moved:
            return []
        # (the clause without what sets its scene: "After the first iPhones shipped, people began …")
        scene = {t.i for c in tok.head.children if c.dep_ in ("advcl", "npadvmod") and c.i < tok.head.i
                 for t in c.subtree}
        span = [t for t in tok.head.subtree if t.i < tok.i and t.i not in scene and not t.is_punct]
        return _named_by(tok.head, span, denied=False, own_subject=False, effect=_things(moved)) if span else []
    return []


def _governing_verb(anchor, inside: set[int]):
    """The verb whose clause a connective explains ("the shares dropped because …" → dropped)."""
    for tok in [anchor, *anchor.ancestors]:
        if tok.pos_ in ("VERB", "AUX") and tok.i not in inside:
            return tok
    return None


def _subjects(verb) -> tuple[tuple[str, frozenset[str]], ...]:
    """What a clause is about: its verb's subjects (passive too) as things."""
    if verb is None:
        return ()
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    # "prices fell and stocks slid on …", "returned home after being deported for …": the subject of the
    # clause it hangs on
    up = verb
    for _ in range(3):
        if subjects or up.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "prep"):
            break
        up = up.head
        subjects = [c for c in up.children if c.dep_ in ("nsubj", "nsubjpass")]
    return _things(subjects)


_QUALIFIERS = ("compound", "amod", "poss", "nmod")


def _things(nouns) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each noun (and its conjuncts, and what it is "of": "the collapse of the bridge" is the bridge's too) as
    its lemma with the lemmas that qualify it: "bond prices" → ("price", {"bond"}), "Home Depot's shares" →
    ("share", {"home", "depot"}). Pronouns say nothing."""
    out = []
    for noun in nouns:
        of = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
              if g.dep_ == "pobj"]
        for tok in [noun, *(c for c in noun.conjuncts), *of]:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ in _NO_CAUSE:
                continue
            qualifiers = frozenset(w.lemma_.lower() for m in tok.children if m.dep_ in _QUALIFIERS
                                   for w in m.subtree if w.pos_ in ("NOUN", "PROPN", "ADJ") and w.i != tok.i)
            out.append((tok.lemma_.lower(), qualifiers))
    return tuple(dict.fromkeys(out))


def same_thing(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]]) -> bool:
    """One thing by its noun, unless both are qualified and by nothing in common ("bond prices" is not
    "oil prices"; "prices" may be either); or one is what qualifies the other ("Delhi" turning into a gas
    chamber is about "Delhi's air pollution")."""
    if a[0] == b[0]:
        return not a[1] or not b[1] or bool(a[1] & b[1])
    return a[0] in b[1] or b[0] in a[1]


def _why_verb(question_doc):
    """The verb the question's first "why" modifies, or None."""
    why = next((t for t in question_doc if t.lower_ == "why"), None)
    verb = next((a for a in ([why.head] if why is not None else []) if a.pos_ in ("VERB", "AUX")), None)
    if verb is not None and verb.dep_ in ("aux", "auxpass"):  # ("why were … seized": "why" hangs on "were")
        verb = verb.head
    if verb is not None and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = next((c for c in verb.children if c.pos_ == "VERB" and c.dep_ in ("xcomp", "ccomp", "conj")), verb)
    return verb


def question_event(question_doc) -> tuple[tuple[str, frozenset[str]], ...]:
    """What a why question asks about: the subject of the verb its "why" modifies ("Why did oil prices
    fall" → ("price", {"oil"})); empty when the parse does not say."""
    verb = _why_verb(question_doc)
    if verb is None:
        return ()
    # what undergoes it: the object of a verb that has one ("why did Apple drop the butterfly keyboard" is about
    # the keyboard, not about Apple), else its subject ("why did oil prices fall")
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    things = _things(objects) if objects else _subjects(verb)
    # (and the event by its verb: "why did the bridge collapse" is asked by "the collapse of …" too)
    return things + (((verb.lemma_.lower(), frozenset()),) if verb.pos_ == "VERB" else ())


def main_cause(statements: Sequence[CauseStatement], holders: Sequence[str], mentions: Sequence[frozenset[str]],
               topic: frozenset[str], embed: Callable[[list[str]], np.ndarray] | None = None,
               close: float = 0.5) -> set[int] | None:
    """The indices of the statements that make up the explanation positions are measured against.

    ``holders`` names each statement's actor (resolved by the caller; "" for the reporting's own voice);
    ``mentions`` are the lemma sets of the brief's evidence sentences; ``topic`` the question's own lemmas
    (the event, not a cause). Two statements state the same cause when they share a content lemma outside
    the topic, or their phrases are ``close`` in meaning. The chosen group is one that some actor asserts
    and another denies; failing that, one an actor gives, the one the evidence mentions most (then the one
    most actors give). When
    only one cause is asserted at all, denials of causes nobody asserts join it: they answer it in
    other words.
    """
    if not statements:
        return None
    own = [s.lemmas - topic for s in statements]
    parent = list(range(len(statements)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims = None
    if embed is not None and len(statements) > 1:
        vectors = embed([s.phrase for s in statements])
        sims = vectors @ vectors.T
    for i in range(len(statements)):
        for j in range(i + 1, len(statements)):
            if own[i] & own[j] or (sims is not None and sims[i, j] >= close):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(statements)):
        groups.setdefault(find(i), []).append(i)

    def rank(members: list[int]) -> tuple:
        # (a holder "" is the reporting's own voice: it joins an explanation, but one an actor gives comes first)
        asserted = {holders[i] for i in members if not statements[i].denied}
        denied = {holders[i] for i in members if statements[i].denied}
        disputed = bool(asserted and denied and asserted != denied)
        real = (asserted | denied) - {""}
        # a sentence mentions a cause when it has two of its words (one, for a one-word cause):
        # "change" alone is no mention of "the change in wind direction"
        mentioned = sum(1 for m in mentions if any(len(m & own[i]) >= min(2, len(own[i])) > 0 for i in members))
        return disputed, bool(real), bool(asserted), mentioned, len(real)

    best = set(max(groups.values(), key=rank))
    asserting = [g for g in groups.values() if any(not statements[i].denied for i in g)]
    if len(asserting) == 1 and best == set(asserting[0]):
        # a denial answers a claim: with one cause asserted, a denial of a cause nobody asserts ("not
        # caused by enemy fire" beside "claimed responsibility for shooting it down") answers that one
        best |= {i for g in groups.values() if g is not asserting[0] for i in g}
    return best


def _phrase(rest: str) -> str:
    end = _PHRASE_END.search(rest)
    text = rest[:end.start()] if end else rest
    words = text.split()[:_MAX_WORDS]
    return " ".join(words).strip(" '’‘")


def _token_at(doc, offset: int):
    return next((t for t in doc if t.idx <= offset < t.idx + len(t.text) + 1), None)


def _text(doc, tokens) -> str:
    if not tokens:
        return ""
    return doc.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)]


def _lemmas(tokens) -> frozenset[str]:
    return frozenset(lemma for lemma in content_lemmas(tokens) if lemma not in AGENCY_NOUNS)


def _under_negation(tok) -> bool:
    """Whether the connective's clause, or a clause above it up to the verb of saying, is negated."""
    for anc in [tok, *tok.ancestors]:
        if negated(anc) or any(c.dep_ == "neg" for c in anc.children):
            return True
        if anc is not tok and anc.lemma_.lower() in _DENYING_VERBS:  # "denied that a broken rail caused it"
            return True
        if speech_head(anc) is None and anc.dep_ == "ROOT":
            break
        if anc.lemma_.lower() in ("say", "tell", "add", "state"):
            break
    return False


def _holder(tok, own_subject: bool = True) -> Holder | None:
    """Who asserts what ``tok``'s clause says: the verb's own subject ("the union blamed …"), else the
    speaker of a reported statement ("… due to X, she said"), else an "according to" source. A
    connective's verb is no holder ("it was caused by enemy fire": the agent is the cause)."""
    if own_subject and tok.pos_ == "VERB":
        subject = subject_of(tok)
        if subject is not None:
            return holder_of(subject)
    speech = speech_head(tok)
    if speech is not None:
        subject = subject_of(speech)
        return holder_of(subject) if subject is not None else according_to(tok.doc)
    if not own_subject:  # "the decline is driven by warming oceans" with no one saying so: the outlet's voice
        return according_to(tok.doc)
    verb = tok if tok.pos_ in ("VERB", "AUX") else next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    subject = subject_of(verb) if verb is not None else None
    return holder_of(subject) if subject is not None else according_to(tok.doc)


def _active(tok) -> bool:
    """"The company attributed the recall to …": an active verb of the connective has a holder of its own."""
    return tok.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in tok.children)


def question_doers(doc) -> tuple[str, ...]:
    """The named doers of what a why question asks about ("Why did Harbour Air order ten jets?" → Harbour Air):
    the names among the subjects of the verb "why" modifies, or (the small parser may read "order" as a noun)
    the name right after "why" and its auxiliary."""
    named = [e for e in doc.ents if e.label_ in ("ORG", "PERSON", "GPE", "NORP")]
    verb = _why_verb(doc)
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] if verb is not None else []
    why = next((t for t in doc if t.lower_ == "why"), None)
    out = [e.text for e in named if any(e.start <= t.i < e.end for t in subjects)]
    out += [e.text for e in named if why is not None and why.i < e.start <= why.i + 3]
    return tuple(dict.fromkeys(n.removesuffix("'s").removesuffix("’s") for n in out))
