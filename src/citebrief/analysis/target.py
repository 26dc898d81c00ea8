"""The question's target: what the asked-about positions are positions on.

"Which countries oppose Ukraine joining NATO …" → "Ukraine joining NATO"; "Who backs and who
rejects the accusation that …" → "the accusation that …" (a proposition: saying it is backing it,
calling it false is rejecting it); "who defends or criticises Trump …" → "Trump". Read from the
question's parse: the objects of its stance verbs, else its noun phrases.
"""

from __future__ import annotations

from dataclasses import dataclass

from .claims import content_lemmas
from .parse import parse_one
from .vocab import SPEECH_VERBS, STANCE_ADJECTIVES, STANCE_PHRASES, STANCE_VERBS

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


def question_target(question: str) -> Target:
    """Parse the question and return its target."""
    doc = parse_one(question)
    objects = []
    proposition = False
    judgement = 0
    asked = _asked_part(doc)
    for tok in asked:
        lemma = tok.lemma_.lower()
        stance_word = (lemma in STANCE_VERBS and tok.pos_ in ("VERB", "NOUN")) or tok.lower_ in STANCE_ADJECTIVES \
            or lemma in ("think", "believe") or any((lemma, c.lower_) in STANCE_PHRASES for c in tok.children)
        if not stance_word:
            continue
        if objects and any(c.dep_ == "dobj" and c.tag_ == "PRP" for c in tok.children):
            continue  # "who defended X and who criticised him after …": "him" is X again
        for child in tok.children:
            if child.dep_ in ("dobj", "ccomp", "xcomp", "attr") or (child.dep_ == "prep" and child.lower_ in (
                    "about", "on", "to", "of", "over", "with", "for", "against")):
                objects.extend(t for t in child.subtree if not _in_wh_clause(t, child) and t.i > tok.i)
        if lemma in ("think", "believe") or any(c.dep_ == "ccomp" for c in tok.children):
            proposition = True
            judgement = judgement or next((_judgement(c) for c in tok.children if c.dep_ == "ccomp"), 0)
    if not objects:  # conjoined verbs share the object of the last one: "who supports and who resists X"
        objects = [t for chunk in doc.noun_chunks for t in chunk if t.lower_ not in _FRAME and t.i >= asked[0].i]
    seen = sorted({t.i: t for t in objects}.values(), key=lambda t: t.i)
    # "the claim that X slows Y, and who defends it": the target ends where the next question begins
    wh = next((k for k, t in enumerate(seen) if k and t.tag_ in ("WDT", "WP", "WRB", "WP$")
               and (seen[k - 1].pos_ in ("CCONJ", "PUNCT") or doc[t.i - 1].pos_ in ("CCONJ", "PUNCT"))), None)
    seen = seen[:wh] if wh else seen

    def loose_end(t) -> bool:  # "and", "about", a comma, or a stance verb conjoined in ("defends or criticises X")
        return t.pos_ in ("ADP", "CCONJ", "PUNCT") or (t.lemma_.lower() in STANCE_VERBS and t.pos_ == "VERB")
    while seen and (loose_end(seen[0]) or loose_end(seen[-1])):
        seen = seen[1:] if loose_end(seen[0]) else seen[:-1]
    proposition = proposition or any(t.lemma_.lower() in PROPOSITION_NOUNS and _stated(t) for t in seen) \
        or any(t.lower_ in ("justified", "true", "right", "wrong", "fair") for t in seen)
    # a verb of saying in the target is the question's frame ("… and what they argue"); the same word as
    # a noun is what it is about ("the congestion charge", "the claim that …")
    spoken = {t.lemma_.lower() for t in seen if t.pos_ == "VERB"} & SPEECH_VERBS
    lemmas = frozenset(lemma for lemma in content_lemmas(seen) if lemma not in _FRAME and lemma not in spoken)
    named = frozenset(t.lemma_.lower() for t in seen if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"))
    text = doc.text[seen[0].idx:seen[-1].idx + len(seen[-1].text)] if seen else question
    # the names a non-propositional target is about ("Ukraine joining", "Trump") are its subject, not actors;
    # the names attached to a proposition ("the Russian accusation that …") are who holds it
    # a name in a prepositional modifier ("the fine against Harbor Freight Lines") is a party, not the subject
    entities = () if proposition else tuple(dict.fromkeys(
        e.text for e in doc.ents if any(e.start <= t.i < e.end for t in seen) and e.label_ in ("PERSON", "ORG", "GPE",
                                                                                                "NORP")
        and e.root.dep_ != "pobj"))
    return Target(text, lemmas - named or lemmas, proposition, entities, judgement)


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
    """The question without a leading clause that sets the scene ("After X pleaded guilty, who …")."""
    if doc[0].pos_ not in ("SCONJ", "ADP"):
        return doc[:]
    for tok in doc[1:-1]:
        if tok.text == "," and doc[tok.i + 1].tag_ in ("WDT", "WP", "WRB", "WP$"):
            return doc[tok.i + 1:]
    return doc[:]


def _in_wh_clause(tok, top) -> bool:
    """Whether ``tok`` sits in a coordinated wh-clause ("… joining and what concerns they cite")."""
    for anc in [tok, *tok.ancestors]:
        if anc.i == top.i:
            return False
        if anc.dep_ == "conj" and any(t.tag_ in ("WDT", "WP", "WRB", "WP$") for t in anc.subtree):
            return True
    return False
