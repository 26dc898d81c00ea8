"""What a parsed sentence asserts, for support checking: clause frames and counted quantities (pure).

Pure over a spaCy ``Doc`` (``analysis.parse``). Two readings, each compared between a sentence and
the cited sentence aligned with it (``conflicts``):

- ``frames``: one ``Frame`` per predicate — its lemma, the lemmas of its subject and of its object
  (direct object, attribute, complement, objects of its prepositions), and whether it is negated.
  Negation is read from the parse: a ``neg`` dependent ("not", "n't", "never") of the predicate or of
  a verb it depends on through a complement chain ("will not be able to benefit": ``benefit`` is
  the ``xcomp`` of ``able``, the ``acomp`` of negated ``be``). "not only" adds and is not a negation.
- ``quantities``: one ``Quantity`` per number with what it counts — the noun it modifies and, for a
  unit ("%", "year", "million"), the noun the unit measures ("31% of all deaths" counts ``%`` and
  ``death``; "six-year terms" counts ``year`` and ``term``; "a score of 2" counts ``score``).

A number or negation difference is a conflict only when it is about the same thing: the same counted
noun, or the same predicate with a shared subject or object.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .lexicon import POLARITY_GROUPS
from .text import Number, numbers_in

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBJECT = ("nsubj", "nsubjpass", "csubj", "expl")
_OBJECT = ("dobj", "obj", "attr", "oprd", "acomp", "dative")
# A negation reaches down a complement chain ("not able to benefit"), never into a clause that is
# only reported or described ("can't find what you're looking for" does not negate "looking").
_CHAIN = ("xcomp", "acomp", "aux", "auxpass", "attr", "oprd")
# Verbs that negate their complement: "fail to disclose" says "do not disclose". General English.
_NEGATING_VERBS = frozenset({"fail", "refuse", "decline", "neglect", "cease"})
# Words that make a number a bound or an estimate, not a value: "fewer than 100", "up to 20",
# "about 17.9 million". A bound is not a rival value; an estimate is compared with 5% tolerance.
_BOUNDS = frozenset({"than", "least", "most", "up", "over", "under", "below", "above", "nearly", "almost",
                     "between", "from", "to", "within", "exceed", "exceeds", "exceeding"})
_CONDITIONS = frozenset({"if", "unless"})  # a clause they open is a condition, not a claim
_HEDGES = frozenset({"about", "approximately", "around", "roughly", "some", "estimated", "an", "circa", "~"})
_PREDICATE_DEPS = ("ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "csubj")
_NUMBER_UP = ("nummod", "quantmod", "compound", "amod", "npadvmod", "appos", "nmod")
# Words that measure or count anything: sharing one of them does not make two numbers count the
# same thing ("3 feet of snow" and "30 feet of sea level rise"). General English units.
GENERIC_COUNTS = frozenset(
    """% percent percentage number year month week day hour minute second time times one lot part amount
    total rate level degree fahrenheit celsius kelvin foot feet inch mile metre meter kilometre kilometer
    centimetre centimeter millimetre millimeter gram kilogram kg ton tonne pound ounce litre liter gallon
    ppm ppb dollar euro cent unit point score""".split())
_POLARITY_OF = {word: group for group, words in POLARITY_GROUPS.items() for word in words}
_CONTENT_POS = ("NOUN", "PROPN", "VERB", "ADJ", "NUM")


@dataclass(frozen=True, slots=True)
class Frame:
    """One predicate of a sentence: who does what to what, and whether it is negated."""

    predicate: str  # lemma, lower case ("benefit"; the complement of a copula: "part", "hesitant")
    subject: frozenset[str]  # head lemma of the subject and its compounds
    objects: frozenset[str]  # head lemmas of objects, complements and prepositional objects
    negated: bool
    polarity: str = ""  # the predicate's polarity group ("~up", "~deny"; see ``lexicon``), if any


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with what it counts."""

    number: Number
    counts: frozenset[str]  # lemmas of the noun it modifies and of what that unit measures
    bound: str = ""  # the word that makes it a limit or a range end ("than", "least", "to"), "" for a value
    hedged: bool = False  # an estimate ("about 17.9 million")
    predicate: str = ""  # the verb the number hangs from ("prices rose by 5%" → "rise")
    subject: frozenset[str] = frozenset()  # that verb's subject ("price")


def _lemma(tok: "Token") -> str:
    return tok.lemma_.lower()


def _head_terms(tok: "Token") -> set[str]:
    """The lemma of a noun phrase head ("zoning regulations" → "regulation": a shared modifier
    alone does not make two phrases name the same thing)."""
    lemma = _lemma(tok)
    return {lemma} if lemma.isalpha() or lemma == "%" else set()


def _negates(tok: "Token") -> bool:
    """A ``neg`` dependent ("not", "n't", "never") on ``tok``, "not only/just" excepted, or "no"
    before its complement ("there is no evidence", "has shown no warming")."""
    for child in tok.children:
        if child.dep_ in ("attr", "dobj", "nsubj", "nsubjpass") and any(
                g.dep_ == "det" and g.lower_ == "no" for g in child.children):
            return True
        if child.dep_ != "neg":
            continue
        nxt = child.doc[child.i + 1] if child.i + 1 < len(child.doc) else None
        if nxt is not None and nxt.lower_ in ("only", "just", "merely"):
            continue
        return True
    return False


def negated(tok: "Token") -> bool:
    """Whether ``tok`` is negated itself or through the verbs its complement chain hangs from."""
    current, steps = tok, 0
    while steps < 4:
        if _negates(current):
            return True
        if current is not tok and _lemma(current) in _NEGATING_VERBS:
            return True
        if current.dep_ not in _CHAIN or current.head is current:
            return False
        current, steps = current.head, steps + 1
    return False


def _objects(pred: "Token") -> set[str]:
    out: set[str] = set()
    for child in pred.children:
        if child.dep_ in _OBJECT and child.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
            out |= _head_terms(child)
            for grand in child.children:  # "part of the Market", "benefit from agreements"
                if grand.dep_ == "prep":
                    out |= {t for g in grand.children if g.dep_ == "pobj" for t in _head_terms(g)}
        elif child.dep_ == "prep" or child.dep_ == "agent":
            out |= {t for g in child.children if g.dep_ == "pobj" for t in _head_terms(g)}
        elif child.dep_ in ("xcomp", "acomp") and child.pos_ in ("VERB", "ADJ"):
            out |= _objects(child)
    return out


def _subject(pred: "Token") -> set[str]:
    current = pred
    for _ in range(4):  # "able to benefit": the subject hangs on the governing verb
        for child in current.children:
            # A pronoun's referent is not in the sentence: "they" of a claim about supplements and
            # "they" of a cited sentence about medicines are no shared subject.
            if (child.dep_ in _SUBJECT and child.pos_ != "PRON"
                    and child.lower_ not in ("it", "there", "this", "that", "which")):
                terms = _head_terms(child)
                for grand in child.children:  # "members of the Senate"
                    if grand.dep_ == "prep" and grand.lower_ == "of":
                        terms |= {t for g in grand.children if g.dep_ == "pobj" for t in _head_terms(g)}
                return terms
        if current.dep_ not in _CHAIN or current.head is current:
            break
        current = current.head
    return set()


def frames(doc: "Doc") -> tuple[Frame, ...]:
    """Every predicate of ``doc``: verbs heading a clause, and the complement of a copula."""
    out: list[Frame] = []
    for tok in doc:
        if tok.dep_ not in _PREDICATE_DEPS or tok.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if tok.pos_ == "AUX" or _lemma(tok) == "be":
            complement = next((c for c in tok.children if c.dep_ in ("attr", "acomp")), None)
            if complement is None:
                continue
            predicate = _lemma(complement)
        else:
            predicate = _lemma(tok)
        out.append(Frame(predicate, frozenset(_subject(tok)), frozenset(_objects(tok)), negated(tok),
                         _POLARITY_OF.get(predicate, "")))
    return tuple(out)


def _counted(tok: "Token") -> set[str]:
    """The nouns a number token counts: up the modifier chain to a noun, then through "of"."""
    out: set[str] = set()
    current = tok
    for _ in range(4):
        if current.dep_ not in _NUMBER_UP or current.head is current:
            break
        current = current.head
        if current.pos_ in ("NOUN", "PROPN"):
            out |= _head_terms(current)
            if _lemma(current) not in GENERIC_COUNTS:
                break
    if current.dep_ == "pobj" and current.head.lower_ == "of" and current.head.head.pos_ in ("NOUN", "PROPN"):
        out |= _head_terms(current.head.head)  # "a score of 2"
    for child in current.children:  # "31% of all deaths", "two years of service"
        if child.dep_ == "prep" and child.lower_ == "of":
            out |= {t for g in child.children if g.dep_ == "pobj" for t in _head_terms(g)}
    return out


def quantities(doc: "Doc") -> tuple[Quantity, ...]:
    """Every number of ``doc`` with what it counts (runs of number tokens read as one number)."""
    out: list[Quantity] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if not (tok.like_num or tok.pos_ == "NUM"):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and (doc[j + 1].like_num or doc[j + 1].pos_ == "NUM" or doc[j + 1].text == "%"
                                    or doc[j + 1].lower_ in ("percent", "million", "billion", "thousand")):
            j += 1
        if _reference_marker(doc, i, j):  # "[28]", "(2)": a note number, not a quantity
            i = j + 1
            continue
        words = [t.text for t in doc[i:j + 1]]
        parsed = numbers_in(words)
        last = doc[j]
        counts = _counted(last) | (_counted(tok) if tok is not last else set())
        if last.text == "%" or last.lower_ == "percent":
            counts.add("%")
        before = {t.lower_ for t in doc[max(0, i - 2):i]}
        after = {t.lower_ for t in doc[j + 1:j + 3]}
        if (before & {"-", "to", "–"} and i >= 2 and doc[i - 2].like_num) or (
                {"-", "to", "–"} & after and any(t.like_num for t in doc[j + 2:j + 4])):
            bound = "range"  # either end of "50-70%"
        else:
            bound = min(before & _BOUNDS, default="")
        verb = next((a for a in last.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if parsed:
            number = replace(parsed[0], kind="pct") if "%" in counts and parsed[0].kind == "num" else parsed[0]
            out.append(Quantity(number, frozenset(counts), bound, bool(before & _HEDGES),
                                _lemma(verb) if verb is not None else "",
                                frozenset(_subject(verb)) if verb is not None else frozenset()))
        i = j + 1
    return tuple(out)


def _reference_marker(doc: "Doc", i: int, j: int) -> bool:
    """Whether tokens i..j are a number alone in brackets or parentheses ("[28]", "(2)")."""
    return (0 < i and j + 1 < len(doc) and doc[i - 1].text in ("[", "(") and doc[j + 1].text in ("]", ")")
            and all(t.like_num for t in doc[i:j + 1]))


def content_lemmas(doc: "Doc") -> frozenset[str]:
    """Lemmas of the content words of ``doc`` (nouns, names, verbs, adjectives, numbers)."""
    return frozenset(_lemma(t) for t in doc if t.pos_ in _CONTENT_POS and not t.is_stop and len(t.text) > 1)


def denials(doc: "Doc") -> tuple[frozenset[str], ...]:
    """What ``doc`` denies: the content lemmas under each negation ("there is no evidence that gases
    cause warming" → {evidence, gas, cause, warming}); only denials of at least three content words."""
    out = []
    for tok in doc:
        if (tok.dep_ == "neg" or (tok.dep_ == "det" and tok.lower_ == "no")) and not _hypothetical(tok):
            scope = frozenset(_lemma(t) for t in tok.head.subtree
                              if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop and t is not tok)
            if len(scope) >= 3:
                out.append(scope)
    return tuple(out)


def _hypothetical(tok: "Token") -> bool:
    """Whether ``tok`` is in a condition ("if warming were not checked, …"): not what the sentence states."""
    return any(child.dep_ == "mark" and child.lower_ in _CONDITIONS
               for node in (tok.head, *tok.head.ancestors) for child in node.children)


def asserts(doc: "Doc") -> frozenset[str] | None:
    """The content lemmas ``doc`` states without any negation, or None when it negates something."""
    if any(t.dep_ == "neg" or (t.dep_ == "det" and t.lower_ == "no") for t in doc):
        return None
    return frozenset(_lemma(t) for t in doc if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ"))

