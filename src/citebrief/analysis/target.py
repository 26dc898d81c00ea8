"""The question's target: what the asked-about positions are positions on.

"Which countries oppose Ukraine joining NATO …" → "Ukraine joining NATO"; "Who backs and who
rejects the accusation that …" → "the accusation that …" (a proposition: saying it is backing it,
calling it false is rejecting it); "who defends or criticises Trump …" → "Trump". Read from the
question's parse: the objects of its stance verbs, else its noun phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import content_lemmas
from .parse import parse_one
from .vocab import SPEECH_VERBS, STANCE_ADJECTIVES, STANCE_NOUNS, STANCE_PHRASES, STANCE_VERBS

PROPOSITION_NOUNS = frozenset("""accusation claim allegation view idea notion argument theory report assertion
    conclusion finding charge contention suggestion belief case""".split())
_FRAME = frozenset("""who whom which what why how where when whether reason reasons ground grounds give cite say
    argue think believe position stance side""".split())


@dataclass(frozen=True, slots=True)
class Target:
    """What stances are about: its words, its lemmas, and whether it is a proposition."""

    text: str
    lemmas: frozenset[str]  # content lemmas, names excluded ("join", "membership"; not "ukraine")
    proposition: bool  # a claim that one can assert or deny ("the accusation that …", "X is justified")
    entities: tuple[str, ...] = ()  # names inside the target (the subject of the question, never an actor row)
    # a proposition that judges ("X is justified", "… is unfair"): +1 a favourable judgement, -1 an
    # unfavourable one, 0 none (a statement's sentiment then says nothing about the proposition)
    judgement: int = 0
    authors: tuple[str, ...] = ()  # whose decision or plan the target is ("the league's decision to …")
    acts: frozenset[str] = frozenset()  # the target's own verbs ("suspend"): doing them backs it
    # the opposite pole of a question that names both ("who sided with Swift, who with Big Machine"; "who argues
    # for leniency and who stresses accountability"): its words and names; backing it is standing against the target
    counter: frozenset[str] = frozenset()
    counter_names: tuple[str, ...] = ()
    # the target's words written in capitals ("EV sales"): a text may spell them out ("electric vehicle sales")
    acronyms: frozenset[str] = frozenset()
    # what the target undoes ("rolling back the tariffs", "the repeal of the levy"): the lemmas of the thing undone;
    # backing that thing ("imposed a tariff") is a stand against the target
    undone: frozenset[str] = frozenset()
    # what a judgement is passed on is an act ("Is it worth buying now?"): advising it backs the judgement
    judges_act: bool = False


_QUOTED = re.compile(r"(?<!\w)(['‘\"“])(.+?)(['’\"”])(?!\w)")
_WH = ("WDT", "WP", "WRB", "WP$")


def _unstopped(question: str) -> str:
    """The question with a full stop inside a quotation made a comma ("the 'Meth. We're on it' campaign"), so
    the parser does not end the sentence there; same length, so offsets hold."""
    return _QUOTED.sub(lambda m: m.group(1) + re.sub(r"[.!?](?=\s|$)", ",", m.group(2)) + m.group(3), question)


def asks_for_sides(question: str) -> bool:
    """Whether a wh-word asks who takes a side ("…, and who backs the plan?"), whatever else the question asks."""
    return any(_stance_word(t) and _asks(t) for t in parse_one(_unstopped(question)))


def question_target(question: str) -> Target:
    """Parse the question and return its target."""
    doc = parse_one(_unstopped(question))
    asked = _asked_part(doc)
    # the stance words the wh-word asks about come first ("who backed or objected to that push" over "the
    # push for …" that the question mentions before)
    words = [t for t in asked if _stance_word(t)]
    # "who says the plumes are real, who urges caution": what the first wh-word's verb of saying states
    # is the proposition the sides are on
    # (so does what anyone asked about holds "that …": "who is betting that sales will take off")
    says = next((t for t in asked if t.pos_ == "VERB" and _asks(t) and any(c.dep_ == "ccomp" and (
        t.lemma_.lower() in SPEECH_VERBS or any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
        for c in t.children)), None)
    if says is not None and not any(_asks(t) and t.i < says.i for t in words):
        words = [says]
    objects, proposition, judgement = _objects([t for t in words if _asks(t)])
    hoped = _hoped(asked)
    if hoped and not objects:
        # "how hopeful are the researchers that Titan could host life?": what they are hopeful of
        objects, proposition, judgement = hoped, True, 0
    judged, verdict = _judged_whether(asked)
    if judged and not objects:
        # "Is the suspension fair?", "Is it worth buying now rather than waiting?": the thing judged, and the judgement
        objects, proposition, judgement = judged, True, verdict
    if all(t.tag_ == "PRP" for t in objects):  # (the small parser does not always find the wh-word's verb)
        objects, proposition, judgement = _objects(words)
    if not objects:
        objects = _asked_whether(asked)
    appraised = _appraised(doc)
    if appraised:
        # "How do reviewers judge the new keyboard?", "how did the judges react to sending him home?": what is
        # judged is the target, the judges are the actors, and a favourable word on it backs it; not when the one
        # responding is named in it ("How did Kelda Air respond to the outage at the Kelda Air booking site?": its
        # words on its own trouble take no side on it)
        objects, proposition, judgement = appraised, False, 0 if _own_trouble(doc, appraised) else 1
    chunks = not objects
    if chunks:  # conjoined verbs share the object of the last one: "who supports and who resists X"
        # (a chunk the wh-word opens, "which reviewers", names who is asked about, not what)
        objects = [t for chunk in doc.noun_chunks for t in chunk if t.lower_ not in _FRAME and t.i >= asked[0].i
                   and not any(w.tag_ in _WH for w in chunk)]
        if not objects and asked[0].i > 0 and doc[:asked[0].i].text.strip():
            # "Do the reviews recommend buying it? Which reviewers are positive, which sceptical?": what the
            # sides are on is what the earlier part asks about
            return question_target(doc[:asked[0].i].text)
    seen = sorted({t.i: t for t in objects}.values(), key=lambda t: t.i)
    # "the claim that X slows Y, and who defends it": the target ends where the next question begins
    wh = next((k for k, t in enumerate(seen) if k and t.tag_ in _WH
               and (seen[k - 1].pos_ in ("CCONJ", "PUNCT") or doc[t.i - 1].pos_ in ("CCONJ", "PUNCT"))), None)
    seen = seen[:wh] if wh else seen
    if seen and chunks:  # … and, read from its noun phrases, where the next one starts ("…, and how have they …")
        # (a yes-no question joined on, "…, and are the cases linked?", is a next one too)
        stop = next((t.i for t in doc[seen[0].i + 1:] if (t.tag_ in _WH and doc[t.i - 1].pos_ in ("CCONJ", "PUNCT"))
                     or (t.pos_ == "AUX" and doc[t.i - 1].pos_ == "CCONJ" and doc[t.i - 2].text == ",")
                     or t.text == "?"), len(doc))
        seen = [t for t in seen if t.i < stop]

    seen = _trimmed(seen)
    counter, counter_names, counter_at = _counter_pole(asked, seen)
    if counter_at and any(t.i not in counter_at and t.i < min(counter_at) for t in seen):
        # "who argues for a lighter sentence and who defends the ban": the ban is the other pole, not the target
        seen = [t for t in seen if t.i < min(counter_at)]
        stop = next((k for k in range(len(seen) - 1, -1, -1) if seen[k].tag_ in _WH), None)
        seen = _trimmed(seen[:stop] if stop else seen)
    text, seen = _with_antecedents(question, seen)
    proposition = proposition or any(t.lemma_.lower() in PROPOSITION_NOUNS and _stated(t) for t in seen) \
        or any(t.lower_ in ("justified", "true", "right", "wrong", "fair") for t in seen)
    # a verb of saying in the target is the question's frame ("… and what they argue"); the same word as
    # a noun is what it is about ("the congestion charge", "the claim that …")
    spoken = {t.lemma_.lower() for t in seen if t.pos_ == "VERB"} & SPEECH_VERBS
    lemmas = frozenset(lemma for lemma in content_lemmas(seen) if lemma not in _FRAME and lemma not in spoken)
    named = frozenset(t.lemma_.lower() for t in seen if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"))
    # the names a non-propositional target is about ("Ukraine joining", "Trump") are its subject, not actors;
    # the names attached to a proposition ("the Russian accusation that …") are who holds it
    # a name in a prepositional modifier ("the fine against Harbor Freight Lines") is a party, not the subject
    # (… and so is a nationality that qualifies such a noun: "tariffs on Chinese goods")
    inside = [e for e in doc.ents if any(e.start <= t.i < e.end for t in seen)
              and e.label_ in ("PERSON", "ORG", "GPE", "NORP") and e.root.dep_ != "pobj"
              and not (e.label_ == "NORP" and e.root.dep_ == "amod" and e.root.head.dep_ == "pobj")]
    # … but whose decision, plan or inquiry it is ("the league's decision to suspend X") is its author, a party
    # with a position of its own
    authors = tuple(dict.fromkeys(e.text.removesuffix("'s").removesuffix("’s") for e in inside
                                  if e.root.dep_ == "poss" and e.root.head.pos_ == "NOUN"
                                  and e.root.head.lemma_.lower() in _AUTHORED))
    entities = () if proposition else tuple(dict.fromkeys(
        e.text for e in inside if e.text.removesuffix("'s").removesuffix("’s") not in authors))
    # (in a proposition the verb is what is claimed, "the allegation that he took bribes": doing it backs nothing)
    # (only a verb with an object of its own: in "Ukraine joining" Ukraine is the joiner, and another
    # country joining something is not this act)
    acts = frozenset() if proposition else frozenset(
        t.lemma_.lower() for t in seen if t.pos_ == "VERB" and any(c.dep_ == "dobj" for c in t.children)) \
        - SPEECH_VERBS - set(STANCE_VERBS)
    # the names of a stated clause ("that Verna Ridge could erupt again") are words of what is claimed; those of
    # an act ("Iceland joining the accord") are who does it
    finite = proposition and any(t.tag_ in ("MD", "VBZ", "VBD", "VBP") for t in seen)
    acronyms = frozenset(t.lower_ for t in seen if t.is_alpha and t.text.isupper() and 2 <= len(t.text) <= 5)
    undone = frozenset(lemma for t in seen if undoing(t) for lemma in content_lemmas(_undone(t)))
    judges_act = judgement > 0 and bool(seen) and seen[0].tag_ == "VBG"
    return Target(text, lemmas if finite else lemmas - named or lemmas, proposition, entities, judgement, authors, acts,
                  counter - lemmas, counter_names, acronyms, undone, judges_act)


def _trimmed(seen: list) -> list:
    """Without loose ends: "and", "about", a comma, a leading "that", or a stance verb conjoined in ("defends or
    criticises X"); a verb's particle stays ("take off")."""
    def loose_end(t) -> bool:
        return (t.pos_ in ("ADP", "CCONJ", "PUNCT") and t.dep_ != "prt") or t.dep_ == "mark" or (
            t.lemma_.lower() in STANCE_VERBS and t.pos_ == "VERB" and t.dep_ not in ("pcomp", "xcomp", "dobj", "pobj"))
    while seen and (loose_end(seen[0]) or loose_end(seen[-1])):
        seen = seen[1:] if loose_end(seen[0]) else seen[:-1]
    return seen


def _with_antecedents(question: str, seen: list) -> tuple[str, list]:
    """The target's text and tokens with "him" or "that push" standing for the earlier mention ("punishing him"
    after "Should Mason Rudolph be punished?"): the text keeps the question's order."""
    if not seen:
        return question, seen
    doc = seen[0].doc
    text = question[seen[0].idx:seen[-1].idx + len(seen[-1].text)]
    swaps = {t.i: _antecedent(t) for t in seen}
    for i, got in sorted(((i, g) for i, g in swaps.items() if isinstance(g, list) and g), reverse=True):
        tok = doc[i]
        first = min([tok, *(c for c in tok.children if c.dep_ == "det" and c.i >= seen[0].i)], key=lambda t: t.i)
        at = first.idx - seen[0].idx
        while got and got[-1].is_punct:
            got = got[:-1]
        text = text[:at] + question[got[0].idx:got[-1].idx + len(got[-1].text)] + \
            text[tok.idx - seen[0].idx + len(tok.text):]
    tokens = {t.i: t for i, g in swaps.items() for t in (g if isinstance(g, list) and g else [doc[i]])}
    return text, sorted(tokens.values(), key=lambda t: t.i)


def _counter_pole(asked, seen) -> tuple[frozenset[str], tuple[str, ...], set[int]]:
    """The other pole of "who A X, who (A) Y": a later wh-clause whose verb takes the same side as the first
    (or is left out: "who with Big Machine") and whose object is another thing than the target."""
    doc = asked.doc
    starts = [t for t in asked if t.tag_ in ("WP", "WDT") and t.lower_ in ("who", "which")
              and (t.i == asked.start or doc[t.i - 1].pos_ in ("CCONJ", "PUNCT"))]
    if len(starts) < 2 or not seen:
        return frozenset(), (), set()
    first_side = _side(doc[starts[0].i:starts[1].i])
    for k, start in enumerate(starts[1:], 1):
        end = starts[k + 1].i if k + 1 < len(starts) else asked.end
        clause = doc[start.i + 1:end]
        side = _side(clause)
        if side is not None and first_side is not None and side != first_side:
            continue  # "who backs X and who rejects Y": Y is not X's opposite
        if any(t.tag_ == "PRP" for t in clause if t.dep_ in ("dobj", "pobj")):
            continue  # "who defends him": the target again
        # its object: the first noun phrase after the verb ("who with the management in the strike")
        chunk = next((c for c in doc.noun_chunks if c.start >= clause.start and c.end <= clause.end
                      and c.root.lower_ not in _FRAME), None)
        words = [t for t in chunk if t.pos_ in ("NOUN", "PROPN", "ADJ")] if chunk is not None else []
        if not words:
            continue
        names = tuple(dict.fromkeys(e.text for e in doc.ents if any(e.start <= t.i < e.end for t in words)))
        return frozenset(content_lemmas(words)), names, {t.i for t in chunk}
    return frozenset(), (), set()


def _side(span) -> int | None:
    """+1 / -1 for the stance verb of a clause ("sided with", "blames"), +1 for a verb of saying ("stresses X"),
    None when it has no verb ("who with Big Machine")."""
    for t in span:
        lemma = t.lemma_.lower()
        if t.pos_ != "VERB":
            continue
        phrase = next(((lemma, c.lower_) for c in t.children if (lemma, c.lower_) in STANCE_PHRASES), None)
        if phrase:
            return STANCE_PHRASES[phrase]
        if lemma in STANCE_VERBS:
            return STANCE_VERBS[lemma] or None
        if lemma in SPEECH_VERBS:
            return 1
    return None


# Verbs and nouns of undoing something in force: lifting, repealing, rolling back, scrapping (general English; "cut"
# and "lower" are left out, "cut rates" being an act of its own, and "end", which ends wars and seasons)
UNDOING_VERBS = frozenset("""lift repeal rescind revoke scrap abolish cancel withdraw remove reverse undo overturn
    dismantle axe ditch drop eliminate""".split())
UNDOING_NOUNS = frozenset("""lifting repeal rescission revocation scrapping abolition cancellation withdrawal removal
    reversal rollback roll-back elimination""".split())


def _undone(tok) -> list:
    """The words of what an undoing verb or noun governs, without what qualifies it ("its existing tariffs on Chinese
    goods" → its, existing, tariffs)."""
    heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] or [
        g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    qualifying = {d.i for h in heads for p in h.subtree if p.dep_ == "prep" and p.i > h.i for d in p.subtree}
    return [t for h in heads for t in h.subtree if t.i not in qualifying]


def undoing(tok) -> bool:
    """The word undoes what it governs: "lift", "repeal", "roll back", "the removal (of …)"."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        return lemma in UNDOING_VERBS or (lemma == "roll" and any(c.lower_ == "back" for c in tok.children))
    return tok.pos_ == "NOUN" and lemma in UNDOING_NOUNS and any(c.dep_ == "prep" and c.lower_ == "of"
                                                                  for c in tok.children)


# verbs of judging something: "how do critics rate / view / see the film?", "how did fans react to it?"
_JUDGING = frozenset("judge rate assess view see regard evaluate grade rank perceive react respond".split())
# nouns that stand for an act the question has just named: "Why is the city closing the pier, and who backs
# the plan?"
_ACT_NOUNS = frozenset("plan move decision step idea proposal change policy measure bid".split())
# nouns of something decided or undertaken by whoever's it is ("the league's decision", "NASA's plan")
_AUTHORED = frozenset("""decision plan proposal policy move bid campaign investigation inquiry probe ruling order
    ban offer deal programme program initiative reform law bill budget strategy choice""".split())
# nouns of an act, a plan or a proposal: what one can back or resist ("resist an invitation" is on the asked act)
ACT_NOUNS = _ACT_NOUNS | _AUTHORED


def _own_trouble(doc, judged) -> bool:
    """The subject of the question's verb of responding is named in what it responds to, and no one else owns it
    ("the league's ruling against Arden" is the league's act, which Arden may back or fight)."""
    said = " ".join(t.lower_ for t in judged)
    who = {t.lower_ for t in doc if t.dep_ == "nsubj" and t.head.lemma_.lower() in ("respond", "react")
           and t.pos_ == "PROPN" and re.search(rf"\b{re.escape(t.lower_)}", said)}
    others = any(t.dep_ == "poss" and t.tag_ != "PRP$" and t.lower_ not in who for t in judged)
    return bool(who) and not others


# words for others' disapproval: responding to "the mockery of the campaign" is judging the campaign
_DISAPPROVAL = frozenset({n for n, p in STANCE_NOUNS.items() if p < 0}) | frozenset(
    "mockery ridicule derision scorn backlash outcry complaint jibe".split())  # (not "accusations of fraud")


def _criticised(tokens: list) -> list:
    """What a response is judged on: for "to the mockery of the campaign", "to criticism over the fare rise" (others'
    disapproval of something), the words of that something; else ``tokens``."""
    inside = {t.i for t in tokens}
    for noun in tokens:
        if noun.lemma_.lower() not in _DISAPPROVAL:
            continue
        what = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "over", "about", "against")
                     for g in c.children if g.dep_ == "pobj"), None)
        if what is not None:
            return [t for t in what.subtree if t.i in inside]
    return tokens


def _appraised(doc) -> list:
    """What a "how" question asks people to judge: the object of "how do critics rate the film", "how did fans
    react to the ruling", or the subject of "how was the album received"; [] when it asks no judgement."""
    for verb in doc:
        lemma = verb.lemma_.lower()
        if lemma == "receive" and verb.dep_ == "acl" and any(c.lower_ == "how" for c in verb.head.head.children):
            # "How was the court ruling received by …?" parsed with "received" modifying the noun: the noun
            return [t for t in verb.head.subtree if t.i < verb.i and t.tag_ not in _WH][:40]
        if verb.pos_ != "VERB" or not any(c.lower_ == "how" for c in verb.children):
            continue
        if lemma in _JUDGING:
            heads = [c for c in verb.children if c.dep_ == "dobj"] or \
                [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"]
        elif lemma == "receive":
            heads = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
        else:
            continue
        objects = _criticised([t for c in heads for t in c.subtree if not _in_wh_clause(t, c) and t.tag_ not in _WH])
        if objects:
            return objects[:40]
    for how in (t for t in doc if t.lower_ == "how" and t.i + 1 < len(doc) and doc[t.i + 1].lemma_ == "do"):
        # the small parser may take the verb for a noun ("how do the director and the people around her
        # judge the song …" with "judge" a noun): the verb of judging after "how do …" and what follows it
        verb = next((t for t in doc[how.i + 2:how.sent.end] if t.lemma_.lower() in _JUDGING - {"see"}
                     or (t.is_punct and t.text != ",")), None)
        if verb is None or verb.is_punct:
            continue
        objects = []
        for t in doc[verb.i + 1:how.sent.end]:
            if (t.is_punct and t.text != ",") or t.tag_ in _WH:
                break
            objects.append(t)
        if any(t.pos_ in ("NOUN", "PROPN") for t in objects):
            return _criticised(objects)[:40]
    return []


# proposition nouns that more often name a thing ("the congestion charge", "the court case"): a
# proposition only with what it states ("the charge that he lied")
_THING_TOO = frozenset({"charge", "case", "report", "finding"})


def _stated(noun) -> bool:
    return noun.lemma_.lower() not in _THING_TOO or any(
        c.dep_ in ("acl", "ccomp", "relcl") and any(m.lower_ == "that" for m in c.children) for c in noun.children)


def _judgement(pred) -> int:
    """+1 / -1 when a proposition's predicate is a judgement ("is justified", "was unfair"), by the word's
    rating in the sentiment lexicon; 0 for a proposition of fact ("lotemab slows memory decline")."""
    from .valence import word_valence

    copular = pred.pos_ == "ADJ" or (pred.tag_ == "VBN" and any(c.dep_ in ("auxpass", "aux") for c in pred.children))
    words = [pred] if copular else [c for c in pred.children if c.dep_ in ("acomp", "attr") and pred.lemma_ == "be"]
    score = sum(word_valence(w.text) for w in words)
    return (score > 0) - (score < 0)


def _asked_part(doc):
    """The part of the question that asks for positions: without a leading clause that sets the scene
    ("After X pleaded guilty, who …", "After the elections, should …") and, in a question of several
    sentences, the one whose wh-word asks it ("Should X be punished? Who argues for punishing him …")."""
    sents = list(doc.sents)
    asking = [s for s in sents if s[0].tag_ in _WH and any(_stance_word(t) for t in s)]
    # a statement that sets the scene before the question ("Scientists have unveiled a map of Titan. What does
    # it show, and …?") is no part of what is asked: the question begins at its first sentence that ends in "?"
    first = next((s for s in sents if s.text.rstrip().endswith("?")), None)
    if len(sents) > 1 and asking:
        doc = asking[0]
    elif first is not None and first.start > 0:
        doc = doc[first.start:]
    else:
        doc = doc[:]
    if doc[0].pos_ not in ("SCONJ", "ADP"):
        return doc
    for tok in doc[1:-1]:
        nxt = tok.doc[tok.i + 1]
        if tok.text == "," and (nxt.tag_ in _WH or nxt.tag_ == "MD" or (nxt.pos_ == "AUX" and nxt.dep_ != "aux")):
            return tok.doc[tok.i + 1:doc.end]
    return doc


def _objects(words) -> tuple[list, bool, int]:
    """The objects of the question's stance words, whether they make a proposition, and its judgement."""
    objects: list = []
    proposition, judgement = False, 0
    for tok in words:
        lemma = tok.lemma_.lower()
        if objects and any(c.dep_ == "dobj" and c.tag_ == "PRP" for c in tok.children):
            continue  # "who defended X and who criticised him after …": "him" is X again
        for child in tok.children:
            if child.dep_ in ("dobj", "ccomp", "xcomp", "attr") or (child.dep_ == "prep" and child.lower_ in (
                    "about", "on", "to", "of", "over", "with", "for", "against")):
                objects.extend(t for t in child.subtree if not _in_wh_clause(t, child) and t.i > tok.i)
        if lemma in ("think", "believe") or any(c.dep_ == "ccomp" for c in tok.children):
            proposition = True
            judgement = judgement or next((_judgement(c) for c in tok.children if c.dep_ == "ccomp"), 0)
    return objects, proposition, judgement


def _hoped(asked) -> list:
    """The clause of "how hopeful / confident / worried are X that Y?" (Y; the small parser often hangs it on X):
    its words up to the next punctuation; [] for a question of another shape."""
    doc = asked.doc
    for tok in asked[1:]:
        if tok.lower_ not in STANCE_ADJECTIVES or doc[tok.i - 1].lower_ != "how":
            continue
        that = next((t for t in doc[tok.i + 1:tok.sent.end] if t.lower_ == "that" and t.dep_ == "mark"), None)
        if that is None:
            return []
        span = []
        for t in doc[that.i + 1:tok.sent.end]:
            if t.is_punct or t.tag_ in _WH:
                break
            span.append(t)
        return span if any(t.pos_ in ("VERB", "AUX") for t in span) else []
    return []


_YES_NO = frozenset("do does did should will would".split())
_COPULA = frozenset("is are was were".split())


def _judged_whether(asked) -> tuple[list, int]:
    """What a yes-no question of judgement judges, and which way: "Is the suspension of Arden fair?" → (the
    suspension of Arden, +1); "Is it worth buying now rather than waiting?" → (buying now rather than waiting, +1);
    "Is the bike worth the price?" → (the bike, +1). ([], 0) for another shape, or a predicate the sentiment
    lexicon does not rate ("Is the strike over?")."""
    sent = asked[0].sent
    if sent[0].lower_ not in _COPULA:
        return [], 0
    words = _to_clause_end(sent[1:])
    worth = next((k for k, t in enumerate(words) if t.lower_ == "worth"), None)
    if worth is not None:
        before, after = words[:worth], words[worth + 1:]
        judged = after if [t.lower_ for t in before] in (["it"], ["this"], ["that"]) else before
        return (judged, 1) if any(t.pos_ in ("NOUN", "PROPN", "VERB") for t in judged) else ([], 0)
    # (the predicate adjective after the subject, by its tag: the small parser hangs "fair" in "Is the suspension of
    # Arden fair?" as the object of "of")
    first = next((k for k, t in enumerate(words) if t.pos_ in ("NOUN", "PROPN")), None)
    pred = next((t for t in reversed(words[first + 1:]) if t.pos_ == "ADJ"), None) if first is not None else None
    if pred is None:
        return [], 0
    verdict = _judgement(pred)
    subject = [t for t in words if t.i < pred.i]
    while subject and subject[-1].pos_ in ("DET", "ADV"):  # "Is the stadium a good idea?"
        subject = subject[:-1]
    return (subject, verdict) if verdict and any(t.pos_ in ("NOUN", "PROPN") for t in subject) else ([], 0)


def _to_clause_end(tokens) -> list:
    """The tokens up to the first punctuation mark (not a hyphen or an apostrophe) or wh-word."""
    out = []
    for t in tokens:
        if (t.is_punct and t.text not in ("-", "'")) or t.tag_ in _WH:
            break
        out.append(t)
    return out


def _asked_whether(asked) -> list:
    """What a yes-no question asks people to back or reject: the words after its stance verb, "Do the early reviews
    recommend buying it at launch?" → [buying, it, at, launch] (the small parser at times takes the verb for a noun
    and leaves it no object); [] for a question of another shape."""
    sent = asked[0].sent
    if sent[0].lower_ not in _YES_NO:
        return []
    # (by its word: the small parser takes "back" in "Does the union back the deal?" for a preposition)
    verb = next((t for t in sent[1:] if STANCE_VERBS.get(t.lemma_.lower(), STANCE_VERBS.get(t.lower_, 0)) > 0
                 and t.pos_ in ("VERB", "NOUN", "ADP", "ADV") and t.dep_ not in ("nsubj", "nsubjpass")), None)
    if verb is None:
        return []
    span = _to_clause_end(sent[verb.i + 1 - sent.start:])
    return span if any(t.pos_ in ("NOUN", "PROPN", "VERB", "PRON") for t in span) else []


def _asks(tok) -> bool:
    """Whether the wh-word is the subject of this word or of the word it is conjoined with ("who backed or
    objected to", "which countries oppose or are hesitant about")."""
    for t in [tok, *(a for a in tok.ancestors if tok.dep_ in ("conj", "acomp") or a.dep_ == "conj")][:3]:
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass") and (c.tag_ in _WH or any(g.tag_ in _WH for g in c.children)):
                return True
    return False


def _stance_word(tok) -> bool:
    lemma = tok.lemma_.lower()
    return (lemma in STANCE_VERBS and tok.pos_ in ("VERB", "NOUN")) or tok.lower_ in STANCE_ADJECTIVES \
        or lemma in ("think", "believe") or any((lemma, c.lower_) in STANCE_PHRASES for c in tok.children)


def _antecedent(tok):
    """What a pronoun or a "that X" in the question stands for: "who defends him" after "Should Mason Rudolph
    be punished?" is Mason Rudolph; "that push" is the push named before. Returns the token, or the tokens of
    the earlier mention."""
    doc = tok.doc
    if tok.tag_ == "PRP" and tok.lower_ in ("him", "her", "them", "it"):
        # the name that is the subject before it (the small model may label a person an organisation), else
        # the first name of a fitting kind
        kinds = {"him": ("PERSON",), "her": ("PERSON",), "it": ("ORG", "GPE", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW")
                 }.get(tok.lower_, ("PERSON", "ORG", "GPE", "NORP"))
        # ("it" is never a person nor a people: "a German supercomputer" is no antecedent of "it")
        before = [e for e in doc.ents if e.end <= tok.i and e.label_ in ("PERSON", "ORG", "GPE", "NORP")
                  and (tok.lower_ != "it" or e.label_ in kinds)]
        # "Google's Stadia service … buying it": what is owned, not its owner
        before = [e for e in before if not (e.root.dep_ == "poss" and any(f.start == e.end + 1 for f in before))]
        named = [e for e in before if e.root.dep_ in ("nsubj", "nsubjpass")] or [e for e in before
                                                                                 if e.label_ in kinds]
        if named:
            owner = named[0].root
            owned = owner.head
            if tok.lower_ == "it" and owner.dep_ == "poss" and owned.pos_ in ("NOUN", "PROPN") \
                    and owner.i < owned.i < tok.i:
                # "Harlow's Kestrel e-bike … buying it": the thing owned (before the verb the small parser at times
                # takes for the owned noun: "Harlow's Kestrel e-bike recommend")
                span = [t for t in doc[named[0].end:owned.i + (0 if _stance_word(owned) else 1)] if t.dep_ != "case"]
                if any(t.pos_ in ("NOUN", "PROPN") for t in span):
                    return span
            return list(named[0])
        if tok.lower_ == "it" and tok.sent.start > 0:
            # "An international team ran a simulation … Why do they think it was worth the cost?": the thing
            # the sentence before is about, the object of its main verb
            prior = doc[tok.sent.start - 1].sent
            obj = next((c for c in prior.root.children if c.dep_ in ("dobj", "nsubjpass")), None)
            chunk = next((c for c in doc.noun_chunks if c.root == obj), None) if obj is not None else None
            if chunk is not None and chunk.root.pos_ == "NOUN":
                return list(chunk)
        return tok
    if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("that", "this", "these", "those")
                                  for c in tok.children):
        earlier = next((t for t in doc[:tok.i] if t.lemma_ == tok.lemma_ and t.pos_ == "NOUN"), None)
        if earlier is not None:
            return [t for t in earlier.subtree if t.tag_ not in _WH and not any(
                a.dep_ == "conj" and a.tag_ in _WH for a in t.ancestors)]
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in _ACT_NOUNS and not any(c.dep_ != "det" for c in tok.children) \
            and not any(t.lemma_ == tok.lemma_ for t in doc[:tok.i]):
        # "the plan" with nothing of its own after "Why is Austria turning the house into a police station":
        # the act named before it, without its doer, its auxiliaries and the wh-word. The act ends where the
        # clause asking about "the plan" begins ("…, and who backs the plan"), or it is in an earlier sentence
        # ("The city wants to sell the pier. Who supports the plan?")
        clause = next((a for a in tok.ancestors if a.dep_ in ("conj", "relcl", "ccomp") and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in _WH for c in a.children)), None)
        cut = min(t.i for t in clause.subtree) if clause is not None else tok.sent.start
        roots = [t for t in doc[:cut] if t.pos_ in ("VERB", "AUX") and t.dep_ == "ROOT"]
        # "wants to sell the pier": the wanted act
        acts = [x for r in roots for x in [r, *(c for c in r.children if c.dep_ == "xcomp" and c.pos_ == "VERB")]]
        # (failing that, a verb the small parser hung elsewhere: "Why is the council selling the pier" → acl)
        acts += [t for t in doc[:cut] if t.dep_ in ("acl", "ccomp", "xcomp")]
        act = next((t for t in acts if t.pos_ == "VERB" and any(c.dep_ == "dobj" for c in t.children)), None)
        if act is not None:
            drop = {d.i for c in act.children if c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "advmod", "cc",
                                                             "conj", "punct") or c.tag_ in _WH for d in c.subtree}
            span = [t for t in act.subtree if t.i not in drop and t.i < cut and t.tag_ not in _WH]
            while span and (span[-1].is_punct or span[-1].pos_ == "CCONJ"):
                span = span[:-1]
            if span:
                return span
    return tok


def _in_wh_clause(tok, top) -> bool:
    """Whether ``tok`` sits in a coordinated wh-clause ("… joining and what concerns they cite")."""
    for anc in [tok, *tok.ancestors]:
        if anc.i == top.i:
            return False
        if anc.dep_ == "conj" and any(t.tag_ in ("WDT", "WP", "WRB", "WP$") for t in anc.subtree):
            return True
    return False
