"""A sentence as single claims, and the predicate of each (pure, no model).

"The mayor resigned after the flood, and crews evacuated residents" makes two claims; a passage
that states the second does not support the first, so each claim is checked on its own. Claims are
cut where clauses join:

- between sentences, and at ";";
- at a comma and a coordinating word (", and", ", but", ", while", ", whereas", ", although") when
  the left side has a verb and the right side opens a clause — a subject of at most four words and
  a finite verb ("…, and crews evacuated …") — or a verb phrase that shares the left subject
  ("crews evacuated residents, and closed the bridge" → "crews closed the bridge"). Without the
  comma "and" mostly joins words ("trained and practicing taxonomists"), and a comma between the
  subject and its verb means a list goes on ("warmth, support, and consistent discipline, has");
- around a non-restrictive relative clause (", which …,", ", who …,"), which becomes a claim about
  its antecedent ("Scholz, who visited Kyiv, promised aid" → "Scholz promised aid", "Scholz visited
  Kyiv"). Restrictive relatives ("the countries that oppose it") stay inside their noun phrase.

Noun lists ("Germany and France oppose it") are never cut: the left side has no verb. A fragment
with fewer than two content terms is not a claim and stays with its neighbour.

The predicate of a claim is its main verb, read without a tagger: the word after an auxiliary
chain ("has formally agreed" → "agreed"), else the first past-tense, irregular or third-person
verb form after the subject; a copula gives its complement ("is hesitant" → "hesitant"); a verb
of saying with a clause gives the clause's predicate ("Politico reported that seven oppose it" →
"oppose"). Predicates are compared by their canonical term (``text.canonical``), irregular forms by
their base ("won" → "win").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..split import split_sentences
from .lexicon import AUXILIARIES, FRAME_WORDS, IRREGULAR_VERBS, STOPWORDS
from .text import analyse, canonical, stem, strip_citations, tokens

# Only after a comma: without one, "and" mostly joins words ("trained and practicing taxonomists").
_COORD_RE = re.compile(r",\s+(?:and|but|while|whereas|although|though|yet)\s+(?:also\s+|then\s+|later\s+)?", re.I)
_NONFINITE = frozenset("be been being having".split())
_LINKERS = frozenset(
    """to of for in on at with by from before after during under over into about as than like without
    within through because if when while although though whether""".split())
_RELATIVE_RE = re.compile(r",\s+(?:which|who|whose)\s+([^,;]+?)(?:,\s*|\s*$)", re.I)
_PRONOUNS = frozenset("i you he she it we they this that these those there".split())
_DETERMINERS = frozenset(
    """the a an this these those its his her their our my your no all every some many most several both each
    any one two three four five six seven eight nine ten""".split())
_COPULAS = frozenset("is are was were be been being am 's 're".split())
_SAYING_THAT = frozenset(FRAME_WORDS) | frozenset("warn warns warned announce announces announced".split())
_NOT_VERBS_S = ("ss", "us", "is", "ics", "ous")
_AFTER_VERB = frozenset("that to for against on with about into from as not no never what whether how".split())


def split_claims(sentence: str) -> tuple[str, ...]:
    """The single claims of ``sentence`` (citation markers removed), in order; at least one."""
    text = strip_citations(sentence)
    out: list[str] = []
    for start, end in split_sentences(text) or [(0, len(text))]:
        for piece in re.split(r"\s*;\s*", text[start:end]):
            for clause in _without_relatives(piece):
                out += _coordinated(clause)
    claims = _merge_small([c.strip(" ,.;:") for c in out if c.strip(" ,.;:")])
    return tuple(claims) or (text,)


def predicate_terms(claim: str) -> frozenset[str]:
    """Canonical terms of the claim's main verb (empty when none is found); see the module docstring."""
    toks = tokens(claim)
    for _ in range(3):  # a verb of saying hands over to its clause, at most twice
        i = _main_verb(toks)
        if i is None:
            return frozenset()
        word = toks[i].lower().replace("’", "'")
        rest = toks[i + 1:]
        if word in _SAYING_THAT or IRREGULAR_VERBS.get(word) in ("say", "tell"):
            if rest and rest[0].lower() == "that":
                rest = rest[1:]
            if rest and _main_verb(rest) is not None:
                toks = rest
                continue
        return frozenset() if word in _SAYING_THAT else frozenset({_verb_term(word)})
    return frozenset()


def repeats(new: str, old: str) -> bool:
    """Whether claim ``new`` says what claim ``old`` said: the same negation, and most of ``old``'s
    content (80% of its terms, numbers counted) or a Jaccard overlap of 0.6 — a rewrite of a claim
    the cited text did not carry that keeps that claim is the same claim again."""
    a, b = analyse(new), analyse(old)
    if bool(a.negated) != bool(b.negated):
        return False  # "has not agreed" is a different claim from "has agreed"
    terms_a = set(a.terms) | predicate_terms(new) | {f"#{n.value:g}" for n in a.numbers}
    terms_b = set(b.terms) | predicate_terms(old) | {f"#{n.value:g}" for n in b.numbers}
    if not terms_a or not terms_b:
        return False
    shared = len(terms_a & terms_b)
    return shared / len(terms_b) >= 0.8 or shared / len(terms_a | terms_b) >= 0.6


def verb_vocabulary(text: str) -> frozenset[str]:
    """Every word of ``text`` as a verb term would be, so a predicate can be looked up in it."""
    return frozenset(_verb_term(t.lower().replace("’", "'")) for t in tokens(text) if not t[0].isdigit())


def _verb_term(word: str) -> str:
    """The canonical term of a verb form: irregular forms by their base; "made" is "make", not a stopword."""
    base = IRREGULAR_VERBS.get(word, word)
    return canonical(base) or stem(base)


@lru_cache(maxsize=8192)
def _is_verb(word: str, previous: str, following: str = "") -> bool:
    """A finite verb or participle, judged from its form and the words around it."""
    low = word.lower().replace("’", "'")
    if low in AUXILIARIES or low in IRREGULAR_VERBS:
        return True
    if not word.islower() or len(low) < 4 or low in STOPWORDS:
        return False
    if low.endswith("ed"):
        return previous.lower() not in _DETERMINERS  # "the injured residents": an adjective
    nxt = following.lower()
    if not following or nxt in AUXILIARIES or nxt in IRREGULAR_VERBS or (nxt.endswith("ed") and following.islower()):
        return False  # "crews evacuated", "officials said": the head of a subject, not a verb
    if low.endswith("s") and not low.endswith(_NOT_VERBS_S):
        # "Germany opposes the bid", "it objects to": a subject before, an object or particle after
        subject = bool(previous) and (previous[0].isupper() or previous.lower() in ("he", "she", "it"))
        return subject and (following[0].isupper() or following[0].isdigit() or nxt in _DETERMINERS
                            or nxt in _AFTER_VERB or nxt.endswith("ly"))
    # "members oppose the plan": a base form after a plural subject, before its object
    plural = previous.islower() and previous.endswith("s") and not previous.endswith(_NOT_VERBS_S)
    return plural and nxt in _DETERMINERS


def _main_verb(toks: list[str]) -> int | None:
    """Index of the main verb of ``toks`` (after any auxiliary chain and adverbs), or None."""
    for i, tok in enumerate(toks):
        if i == 0 and tok[:1].isupper() and tok.lower() not in _PRONOUNS:
            continue  # the sentence's first word is its subject, never its verb
        if not _is_verb(tok, toks[i - 1] if i else "", toks[i + 1] if i + 1 < len(toks) else ""):
            continue
        j = i
        copula = False
        while j < len(toks) and (toks[j].lower() in AUXILIARIES or toks[j].lower() in ("not", "never", "n't")
                                  or (toks[j].lower().endswith("ly") and j > i)):
            copula = copula or toks[j].lower() in _COPULAS
            j += 1
        if j == i:
            return i
        if j < len(toks) and toks[j][:1].islower() and toks[j].lower() not in STOPWORDS | _DETERMINERS:
            return j  # "has formally agreed", "is hesitant"
        return None if copula else i
    return None


def _tokens_before_verb(text: str) -> str:
    """The subject of a clause: its words before the first verb (at most six words)."""
    toks = text.split()
    words = [re.sub(r"^\W+|\W+$", "", t) for t in toks] + [""]
    for i in range(1, len(toks)):
        if _is_verb(words[i], words[i - 1], words[i + 1]):
            return " ".join(toks[:i]) if i <= 6 else ""
    return ""


def _opens_clause(text: str) -> bool:
    """A subject of at most four words (a name, pronoun or noun phrase, no comma) then a finite verb."""
    toks = tokens(text.split(",", 1)[0])
    for k, tok in enumerate(toks[:5]):
        if k and _finite(tok, toks[k - 1], _at(toks, k + 1)):
            return True
        if tok.lower() in _LINKERS or tok.lower().endswith("ing"):
            return False  # "quality before being distributed", "validating their emotions": no subject
    return False


def _opens_verb_phrase(text: str) -> bool:
    """A finite verb with an object or complement after it ("closed the bridge", "has reopened")."""
    toks = tokens(text)
    return len(toks) > 1 and toks[0].islower() and _finite(toks[0], "", toks[1]) \
        and (toks[1][0].isupper() or toks[1].lower() in _DETERMINERS | _AFTER_VERB or toks[1].lower() in AUXILIARIES
             or toks[1].lower().endswith(("ed", "en")))


def _finite(word: str, previous: str, following: str) -> bool:
    """A verb form that can head a clause: not an -ing form nor "be"/"been"/"being"."""
    low = word.lower()
    return low not in _NONFINITE and not low.endswith("ing") and _is_verb(word, previous, following)


def _has_verb(text: str) -> bool:
    toks = tokens(text)
    return any(_finite(t, _at(toks, k - 1), _at(toks, k + 1)) for k, t in enumerate(toks) if k or t.islower())


def _at(toks: list[str], k: int) -> str:
    return toks[k] if 0 <= k < len(toks) else ""


def _coordinated(clause: str) -> list[str]:
    """``clause`` cut at coordinating words that join two clauses (see the module docstring).

    The right-hand piece keeps its conjunction (a stopword, so it adds no term to check); a verb
    phrase gets the subject of the first clause ("and closed the bridge" → "and crews closed …").
    """
    cuts: list[tuple[int, int, bool]] = []  # (start of the conjunction, its end, whether a subject is added)
    start = 0
    for match in _COORD_RE.finditer(clause):
        left, right = clause[start:match.start()], clause[match.end():]
        if not _has_verb(left):
            continue
        if _opens_verb_phrase(right):
            cuts.append((match.start(), match.end(), True))
        elif _opens_clause(right):
            cuts.append((match.start(), match.end(), False))
        else:
            continue
        start = match.start()
    if not cuts:
        return [clause]
    out = [clause[:cuts[0][0]]]
    subject = _tokens_before_verb(out[0])
    for k, (begin, end, add_subject) in enumerate(cuts):
        stop = cuts[k + 1][0] if k + 1 < len(cuts) else len(clause)
        if not add_subject:
            subject = _tokens_before_verb(clause[end:stop])
        out.append(clause[begin:end] + (f"{subject} " if add_subject and subject else "") + clause[end:stop])
    return out


def _without_relatives(piece: str) -> list[str]:
    """The piece without its non-restrictive relative clauses, then each of them about its antecedent."""
    relatives: list[str] = []

    def cut(match: re.Match[str]) -> str:
        before = piece[:match.start()].split()
        antecedent = " ".join(before[-3:])
        relatives.append(f"{antecedent} {match.group(1)}")
        return " " if match.group(0).rstrip().endswith(",") else ""

    main = _RELATIVE_RE.sub(cut, piece)
    return [" ".join(main.split()), *relatives]


def _merge_small(claims: list[str]) -> list[str]:
    """Fragments with fewer than two content terms join the previous claim (or the next one)."""
    out: list[str] = []
    for claim in claims:
        if len(analyse(claim).terms) + len(analyse(claim).numbers) < 2 and (out or len(claims) > 1):
            if out:
                out[-1] = f"{out[-1]} {claim}"
            else:
                out.append(claim)
            continue
        if out and len(analyse(out[-1]).terms) + len(analyse(out[-1]).numbers) < 2:
            out[-1] = f"{out[-1]} {claim}"
            continue
        out.append(claim)
    return out
