"""What a parsed sentence asserts, for support checking: clause frames and counted quantities (pure).

Pure over a spaCy ``Doc`` (``analysis.parse``). Two readings, each compared between a sentence and
the cited sentence aligned with it (``conflicts``):

- ``frames``: one ``Frame`` per predicate — its lemma, the lemmas of its subject (who does it: the
  agent of a passive, the object of "allow X to …") and of its object (direct object, attribute,
  complement, objects of its prepositions, the subject of a passive), and whether it is negated.
  Negation is read from the parse: a ``neg`` dependent ("not", "n't", "never") of the predicate or of
  a verb it depends on through a complement chain ("will not be able to benefit": ``benefit`` is
  the ``xcomp`` of ``able``, the ``acomp`` of negated ``be``). "not only" adds and is not a negation.
  A clause that is the "that"-complement of a negated word vouching for it (evidence, true, show,
  believe, …) is *denied* — not stated, its opposite claimed ("there is no evidence that gases cause warming", "it is not true that the firm sold the
  bank") — and a predicate under "may" or "might" is *hedged* (a possibility, not a statement).
  A predicate in a condition ("if/when …"), a restrictive relative or wh-clause, or the content of
  a noun that only reports it ("the claim that …") is not *asserted*. Participles before a noun
  ("rising sea levels") and nouns of change ("an increase in storms") are predicates of that noun.
- ``quantities``: one ``Quantity`` per number with what it counts — the noun it modifies and, for a
  unit ("%", "year", "million"), the noun the unit measures ("31% of all deaths" counts ``%`` and
  ``death``; "six-year terms" counts ``year`` and ``term``; "a score of 2" counts ``score``; "0.2 °C
  per decade" counts ``/decade``) — and where it holds: the years and places its sentence names,
  the set it is part of ("three of the nine judges"), and whether its subject is one or many.

A number or negation difference is a conflict only when it is about the same thing: the same counted
noun, or the same predicate of the same doer and thing (``conflicts``).
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
# "since 2000", "± 100,000" (an uncertainty), "about 17.9 million". A bound is not a rival value; an
# estimate is compared with 5% tolerance.
_BOUNDS = frozenset({"than", "least", "most", "up", "over", "under", "below", "above", "nearly", "almost",
                     "between", "from", "to", "within", "exceed", "exceeds", "exceeding",
                     "since", "until", "till", "before", "after", "±", "+/-"})
_CONDITIONS = frozenset({"if", "unless"})  # a clause they open is a condition, not a claim
# For frames "when" and "whenever" open one too ("when an employer fails to pay, …": ``_asserted``).
_FRAME_CONDITIONS = _CONDITIONS | {"when", "whenever"}
# Modals of possibility: "the plan may not pass" says it might not, not that it does not.
_HEDGING_MODALS = frozenset({"may", "might"})
# Words that name a measure of something ("the extent of the ice", "the number of members"): the
# thing measured is what the sentence is about, so "of" reads through them. General English.
_MEASURES = frozenset(
    """amount number level rate extent size volume share proportion percentage percent concentration quantity
    degree frequency intensity magnitude value total majority minority half part portion fraction most
    many some all none each one""".split())
# Words that vouch for the truth of their "that"-clause ("there is evidence that …", "studies show
# that …", "it is true that …"): negated, they deny it ("there is no evidence that …", "it is not
# true that …", "I do not think that …"); the clause of any other noun ("the claim that …", "the
# idea that …") is only reported. General English; "never mind that X" concedes X, "there is no
# doubt that X" affirms it, "he did not say that X" leaves X open.
_EPISTEMIC = frozenset(
    """true case fact evidence proof sign indication consensus truth basis
    show prove demonstrate confirm establish find indicate
    believe think know agree clear certain sure correct""".split())
# Clause-introducing words that make a clause a description, not a proposition ("cannot find [what
# you are looking for]"): such a clause is not denied by the negated verb above it.
_WH_WORDS = frozenset("what which who whom whose where when why how whether if".split())
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
    subject_words: frozenset[str] = frozenset()  # the subject's head with its compounds ("sea level": sea, level)
    denied: bool = False  # the "that"-clause of a negated word: "there is no evidence [that gases cause warming]"
    hedged: bool = False  # under "may"/"might": "the plan may not pass" states a possibility
    modifier: bool = False  # a participle before its noun ("rising sea levels": the levels rise)
    transitive: bool = False  # it has a direct object (or is passive): "rains raise levels", "levels were raised"
    asserted: bool = True  # False in a condition, a restrictive relative or wh-clause, or the content of a noun

    @property
    def states_negative(self) -> bool:
        """Whether the sentence says this predicate does not hold: negated, or denied (not both)."""
        return self.negated != self.denied


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with what it counts."""

    number: Number
    counts: frozenset[str]  # lemmas of the noun it modifies and of what that unit measures
    bound: str = ""  # what makes it no plain value: "than", "least", "since", "range", "set", "aside"; "" for a value
    hedged: bool = False  # an estimate ("about 17.9 million")
    predicate: str = ""  # the verb the number hangs from ("prices rose by 5%" → "rise")
    subject: frozenset[str] = frozenset()  # that verb's subject with its qualifiers ("oil price" → oil, price)
    when: frozenset[float] = frozenset()  # the other years its sentence states ("rose by 5% in 2019" → 2019)
    part_of: float | None = None  # the size of the set it counts a part of ("three of the nine judges" → 9)
    where: frozenset[str] = frozenset()  # the places its sentence names ("5% in Ohio" → ohio)
    one_or_many: str = ""  # the subject's grammatical number ("Sing": "the volcano", "Plur": "volcanoes")


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
        if current.i != tok.i and _lemma(current) in _NEGATING_VERBS:
            return True
        if current.dep_ not in _CHAIN or current.head.i == current.i:
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
        elif child.dep_ == "prep":  # (a passive's agent is its subject)
            out |= {t for g in child.children if g.dep_ == "pobj" for t in _head_terms(g)}
        elif child.dep_ in ("xcomp", "acomp") and child.pos_ in ("VERB", "ADJ"):
            out |= _objects(child)
    return out


def _noun_terms(noun: "Token") -> set[str]:
    """A subject noun's head lemma, with the nouns of its "of" phrase ("members of the Senate"); a
    measure word reads through to what it measures ("the extent of the ice" → ice)."""
    measured = _measured(noun)
    if measured:
        return {t for g in measured for t in _head_terms(g)}
    return _head_terms(noun) | {t for g in _of_nouns(noun) for t in _head_terms(g)}


def _of_nouns(noun: "Token") -> list["Token"]:
    return [g for grand in noun.children if grand.dep_ == "prep" and grand.lower_ == "of"
            for g in grand.children if g.dep_ == "pobj"]


def _measured(noun: "Token") -> list["Token"]:
    """What a measure word or a number measures ("the extent [of the ice]", "seventeen [of the
    years]"); empty for any other noun."""
    if _lemma(noun) in _MEASURES or noun.like_num:
        return _of_nouns(noun)
    return []


def _subject_token(pred: "Token") -> "Token | None":
    """Who does what ``pred`` says: its subject (a passive's agent), the object of a verb it
    complements ("allow the Kingdom to benefit"), or the subject of the verb it hangs from
    ("able to benefit"). None for a pronoun: its referent is not in the sentence ("they" of a claim
    about supplements and "they" of a cited sentence about medicines are no shared subject)."""
    current = pred
    for _ in range(4):
        for child in current.children:
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj" and _named(g)), None)
        subjects = [c for c in current.children if c.dep_ in _SUBJECT and c.dep_ != "nsubjpass"]
        if subjects:  # the nearest before the verb, when a run-in heading leaves two
            child = max((c for c in subjects if c.i < current.i), key=lambda c: c.i, default=subjects[0])
            return child if _named(child) else None
        if current.dep_ == "xcomp":  # "allow the Kingdom to benefit": the object does it
            controller = next((c for c in current.head.children if c.dep_ == "dobj"), None)
            if controller is not None:
                return controller if _named(controller) else None
        if any(child.dep_ == "nsubjpass" for child in current.children):
            return None  # a passive without its agent: who did it is not said
        if current.dep_ not in _CHAIN or current.head.i == current.i:
            break
        current = current.head
    return None


def _named(tok: "Token") -> bool:
    return tok.pos_ != "PRON" and tok.lower_ not in ("it", "there", "this", "that", "which")


def _subject(pred: "Token") -> set[str]:
    """Head lemmas of who does what ``pred`` says (see ``_subject_token``); empty when unnamed."""
    tok = _subject_token(pred)
    return _noun_terms(tok) if tok is not None else set()


def _subject_words(pred: "Token") -> set[str]:
    """The subject's terms with the words that say which one it is (``_noun_words``)."""
    tok = _subject_token(pred)
    return _noun_words(tok) if tok is not None else set()


def _noun_words(noun: "Token") -> set[str]:
    """A noun's terms with its compounds and adjectives: "Tuvalu sea level" → tuvalu, sea, level;
    "global temperature" → global, temperature (not the "surface temperature")."""
    measured = _measured(noun)
    if measured:  # "the mean extent of the Arctic ice": the words of the ice
        return {t for g in measured for t in _noun_words(g)}
    return _noun_terms(noun) | {t for c in noun.children
                                if c.dep_ == "compound" or (c.dep_ == "amod" and c.pos_ == "ADJ")
                                for t in _head_terms(c)}


def _passive_subject(pred: "Token") -> set[str]:
    """The subject of a passive predicate — what is done to ("the plan was approved"): an object."""
    return {t for c in pred.children if c.dep_ == "nsubjpass" and _named(c) for t in _noun_terms(c)}


def _hedged(tok: "Token") -> bool:
    """"may"/"might" on the predicate or on a verb its complement chain hangs from."""
    current = tok
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in _HEDGING_MODALS for c in current.children):
            return True
        if current.dep_ not in _CHAIN or current.head.i == current.i:
            return False
        current = current.head
    return False


def _asserted(tok: "Token") -> bool:
    """Whether the sentence states what ``tok`` says, rather than supposing or describing it: not in
    a condition ("if/when the employer fails to pay"), not in a restrictive relative clause or a
    wh-clause ("places where grain is produced", "what the employee was paid"), and not the content
    of a noun that only reports it ("the claim that sea level is not rising"; "the evidence that …"
    vouches for it, ``_EPISTEMIC``). A non-restrictive relative (", which …") states."""
    current = tok
    while current.head.i != current.i:
        if any(c.dep_ == "mark" and c.lower_ in _FRAME_CONDITIONS for c in current.children):
            return False
        if current.dep_ == "relcl" and not _after_comma(current):
            return False
        if current.dep_ in ("ccomp", "pcomp", "advcl", "csubj") and any(
                t.lower_ in _WH_WORDS and t.i < current.i for t in current.subtree):
            return False
        if current.dep_ in ("acl", "ccomp") and current.head.pos_ in ("NOUN", "PROPN") \
                and _lemma(current.head) not in _EPISTEMIC:
            return False  # "the claim that sea level is not rising": reported, not stated
        current = current.head
    return True


def _after_comma(clause: "Token") -> bool:
    """Whether a relative clause follows a comma (", which …": it states, not identifies)."""
    left = clause.left_edge.i
    return left > 0 and clause.doc[left - 1].text == ","


def _denied(tok: "Token") -> bool:
    """Whether ``tok``'s clause is the "that"-complement of a negated word that speaks of its truth
    (``_EPISTEMIC``): "there is no evidence [that gases cause warming]", "it is not true [that …]",
    "he does not believe [that …]". A clause opened by a wh-word ("cannot find what you are looking
    for"), in a condition, or before the negated word is not."""
    current = tok
    for _ in range(4):  # up the complement chain to the head of the clause
        if current.dep_ in ("ccomp", "acl") or current.head.i == current.i or current.dep_ not in _CHAIN:
            break
        current = current.head
    if current.dep_ not in ("ccomp", "acl") or _hypothetical(current):
        return False
    if any(t.lower_ in _WH_WORDS and t.i < current.i for t in current.subtree):
        return False
    if current.dep_ == "acl" and not any(c.dep_ == "mark" and c.lower_ == "that" for c in current.children):
        return False  # "a plan not approved by the board": a description, not a proposition
    governor = current.head
    said = governor
    if _lemma(governor) == "be":  # "it is not true that …": the word is the complement of "be"
        said = next((c for c in governor.children if c.dep_ in ("acomp", "attr")), governor)
    if _lemma(said) not in _EPISTEMIC:
        return False  # "never mind that X" concedes X
    if current.i < governor.i:
        return False  # a clause before the negated word is not its complement ("X, however, no study found")
    return negated(governor) or any(c.dep_ == "det" and c.lower_ == "no" for c in governor.children)


def frames(doc: "Doc") -> tuple[Frame, ...]:
    """Every predicate of ``doc``: verbs heading a clause, and the complement of a copula."""
    out: list[Frame] = []
    for tok in doc:
        if tok.dep_ not in _PREDICATE_DEPS or tok.pos_ not in ("VERB", "AUX", "ADJ") or _participle_of(tok) is not None:
            continue
        if tok.pos_ == "AUX" or _lemma(tok) == "be":
            complement = next((c for c in tok.children if c.dep_ in ("attr", "acomp")), None)
            if complement is None:
                continue
            predicate = _lemma(complement)
        else:
            predicate = _lemma(tok)
        out.append(Frame(predicate, frozenset(_subject(tok)), frozenset(_objects(tok) | _passive_subject(tok)),
                         negated(tok), _POLARITY_OF.get(predicate, ""), frozenset(_subject_words(tok)),
                         _denied(tok), _hedged(tok),
                         transitive=any(c.dep_ in ("dobj", "obj", "nsubjpass") for c in tok.children),
                         asserted=_asserted(tok)))
    out += _modifier_frames(doc)
    return tuple(out)


def _participle_of(tok: "Token") -> "Token | None":
    """The noun a participle modifies ("rising sea levels"; "rising and falling rankings": both)."""
    if tok.tag_ not in ("VBG", "VBN"):
        return None
    if tok.dep_ == "conj" and tok.head.dep_ == "amod":
        tok = tok.head
    if tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    return None


def _modifier_frames(doc: "Doc") -> list[Frame]:
    """Predicates said of a noun inside a noun phrase:

    - a participle before a noun: "rising sea levels" (the levels rise), "increased frequencies of
      storms" (the frequencies increased);
    - a noun of change with what changes: "an increase in storms", "the rise of sea levels",
      "sea level rise" (``lexicon`` polarity groups "~up" and "~down": rise, increase, decline, …).

    Whether the noun does it or undergoes it is not read (for "rise", "increase", "decline" it is
    both), so the noun is the frame's object, and ``conflicts.same_who`` compares it with either
    role of a clause. Negated by "no" on the noun ("no rising costs", "there has been no increase
    in storms") or by the negated verb it is the object of ("has not seen an increase in storms")."""
    out = []
    for tok in doc:
        participle_of = _participle_of(tok)
        if participle_of is not None:
            noun = no = participle_of
        elif tok.pos_ == "NOUN" and _POLARITY_OF.get(_lemma(tok)) in ("~up", "~down"):
            noun = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                         for g in c.children if g.dep_ == "pobj"), None)
            if noun is None:
                noun = next((c for c in tok.children if c.dep_ == "compound"), None)
            if noun is None:
                continue
            no = tok
        else:
            continue
        terms = _noun_terms(noun)  # its head, or what a measure word measures, and its "of" phrase
        head = terms if _lemma(noun) in _MEASURES else _head_terms(noun)
        words = _noun_words(noun)
        predicate = _lemma(tok)
        negative = any(c.dep_ == "det" and c.lower_ == "no" for c in no.children) or (
            no.dep_ in ("dobj", "attr") and negated(no.head))
        clause = next((a for a in noun.ancestors if a.pos_ in ("VERB", "AUX")), None)
        out.append(Frame(predicate, frozenset(), frozenset(head), negative,
                         _POLARITY_OF.get(predicate, ""), frozenset(words), modifier=True,
                         asserted=clause is None or _asserted(clause)))
    return out


def _counted(tok: "Token") -> set[str]:
    """The nouns a number token counts: up the modifier chain to a noun, then through "of"."""
    out: set[str] = set()
    current = tok
    for _ in range(4):
        if current.dep_ not in _NUMBER_UP or current.head.i == current.i:
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
    found: list[tuple[Quantity, int]] = []  # with the index of its sentence's first token
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
        counts = _counted(last) | (_counted(tok) if i != j else set())
        if last.text == "%" or last.lower_ == "percent":
            counts.add("%")
        counts |= _rate(doc, j)
        before = {t.lower_ for t in doc[max(0, i - 2):i]}
        after = {t.lower_ for t in doc[j + 1:j + 3]}
        if (before & {"-", "to", "–"} and i >= 2 and doc[i - 2].like_num) or (
                {"-", "to", "–"} & after and any(t.like_num for t in doc[j + 2:j + 4])) or after & {"±", "+/-"}:
            bound = "range"  # either end of "50-70%", or the middle of "400,000 ± 100,000"
        elif "and" in before and any(t.lower_ == "between" for t in doc[max(0, i - 6):i]):
            bound = "range"  # the end of "between 1.05 and 2.45"
        elif i > 0 and doc[i - 1].text == "(":
            bound = "aside"  # "1 °C (1.8 °F)": the same value in another unit, or an aside
        else:
            bound = min(before & _BOUNDS, default="")
        part_of = _set_size(last)
        if _sizes_a_set(last):
            bound = "set"  # the "18" of "seventeen of the 18 warmest years": which set, not how many
        verb = next((a for a in last.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if parsed:
            number = replace(parsed[0], kind="pct") if "%" in counts and parsed[0].kind == "num" else parsed[0]
            found.append((Quantity(number, frozenset(counts), bound, bool(before & _HEDGES),
                                   _lemma(verb) if verb is not None else "",
                                   frozenset(_subject_words(verb) or _passive_subject(verb)) if verb is not None
                                   else frozenset(), part_of=part_of,
                                   one_or_many=_grammatical_number(verb) if verb is not None else ""),
                          tok.sent.start))
        i = j + 1
    places: dict[int, frozenset[str]] = {}
    for ent in doc.ents:
        if ent.label_ in _PLACES:
            places[ent.sent.start] = places.get(ent.sent.start, frozenset()) | {ent.text.lower()}
    for q, sent in found:  # the years and places of its sentence say when and where the value holds
        years = frozenset(o.number.value for o, s in found if s == sent and o is not q and o.number.kind == "year")
        out.append(replace(q, when=years, where=places.get(sent, frozenset())))
    return tuple(out)


_PLACES = ("GPE", "LOC", "FAC")


def _grammatical_number(verb: "Token") -> str:
    """"Sing" or "Plur" for the subject of ``verb`` (a passive's too), "" when not read: "the volcano
    emits" speaks of one, "volcanoes emit" of all of them."""
    tok = _subject_token(verb) or next((c for c in verb.children if c.dep_ == "nsubjpass" and _named(c)), None)
    if tok is None or _measured(tok) or tok.pos_ not in ("NOUN", "PROPN"):
        return ""
    found = tok.morph.get("Number")
    return found[0] if found else ""
_TIME_UNITS = frozenset("second minute hour day week month year decade century".split())


def _rate(doc: "Doc", j: int) -> set[str]:
    """The "per" part of a unit after the number ending at token ``j``: "0.2 °C per decade" and "3 mm
    a year" count "/decade" and "/year" — a rate is not the total it adds up to."""
    for k in range(j + 1, min(j + 6, len(doc) - 1)):  # past the unit: "0.2 °C per decade"
        if (doc[k].pos_ in ("VERB", "AUX") and doc[k].is_alpha) or doc[k].text in (",", ";", ":", "."):
            break
        word, nxt = doc[k].lower_, doc[k + 1]
        if word in ("per", "/") and nxt.pos_ in ("NOUN", "PROPN"):
            return {f"/{_lemma(nxt)}"}
        if word in ("a", "an", "each", "every") and _lemma(nxt) in _TIME_UNITS:
            return {f"/{_lemma(nxt)}"}
    return set()


def _number_value(tok: "Token") -> float | None:
    parsed = numbers_in([tok.text])
    return parsed[0].value if parsed else None


def _set_size(tok: "Token") -> float | None:
    """The Y of "X of the Y nouns" for the number X ("three of the nine judges" → 9), else None."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for noun in prep.children:
                for num in noun.children:
                    if num.dep_ == "nummod" and (num.like_num or num.pos_ == "NUM"):
                        return _number_value(num)
    return None


def _sizes_a_set(tok: "Token") -> bool:
    """Whether ``tok`` is the Y of "X of the Y nouns" (it names the set, it does not count a result)."""
    noun = tok.head
    return (tok.dep_ == "nummod" and noun.dep_ == "pobj" and noun.head.lower_ == "of"
            and (noun.head.head.like_num or noun.head.head.pos_ == "NUM"))


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
                              if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop and t.i != tok.i)
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

