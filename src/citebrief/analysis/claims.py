"""Claims from one parsed sentence: who says or does what, toward what, for which stated reason.

Pure over a spaCy ``Doc`` of one sentence. A claim's holder is the grammatical subject of its
predicate (the agent of a passive), or, inside reported speech, the speaker when the subject is
"we", "I" or "my/our country"; pronouns are left for ``coref`` to resolve. Stance predicates are
verbs, phrasal verbs, predicate adjectives and stance nouns from ``vocab``; negation flips them
("will never support" → against), and a predicate governed by a verb of refusal is flipped too
("refused to back" → against).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .quotes import in_quotation
from .valence import appraisal
from .vocab import (ANAPHORS, DENIAL_VERBS, EMOTION_ADJECTIVES, EMOTION_PREPOSITIONS, ENTITY_KINDS, MODAL_WORDS,
                    NOT_DONE, REASON_PREPOSITIONS, SPEECH_VERBS, STANCE_ADJECTIVES, STANCE_NOUNS, STANCE_PHRASES,
                    STANCE_VERBS, TITLE_WORDS, calls_false, kind_of_entity, singular)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_OBJECT_DEPS = ("dobj", "obj", "ccomp", "xcomp", "attr", "oprd", "pcomp", "acomp")
_NEGATIONS = frozenset({"not", "n't", "never", "no", "nor", "neither", "without"})
_REFUSAL = {"refuse": -1, "decline": -1, "fail": -1, "reject": -1, "oppose": -1, "resist": -1, "stop": -1,
            "cease": -1, "hesitate": 0}
# Verbs whose object does what the infinitive after them says ("prompted users to argue") and verbs whose
# object is only asked to ("urged allies to back"): in neither is it the subject who does it.
_MAKES_DO = frozenset("prompt lead force cause spur inspire persuade convince compel drive get move".split())
_ASKS_TO = frozenset("""urge ask call encourage press push tell invite advise implore beg pressure want expect
    allow permit order instruct""".split())
# Verbs that make a stance wait on something else: "linked its support to …", "tied its backing to …".
_CONDITIONING = frozenset({"link", "tie", "condition"})
_SELF = frozenset({"we", "i", "us", "me", "our", "my"})
# Heads through which the possessor itself speaks or acts ("Hungary's government", "Acme's lawyers").
_SPEAKS_FOR = frozenset("""government administration cabinet ministry department office embassy military army
    forces navy police leadership leader officials official spokesman spokeswoman spokesperson representative
    delegation lawyer lawyers attorney attorneys company firm party board council court prosecutors
    prosecutor regulator agency""".split())
# Who speaks for a state when a nationality qualifies them ("German officials", "US negotiators"); other
# people of a country are a group of their own ("US lawyers", "Chinese investors").
_STATE_NOUNS = frozenset("""official government administration ministry leader leadership diplomat military army
    navy force troop authority negotiator envoy delegation regulator minister president spokesman spokeswoman
    spokesperson embassy lawmaker legislator parliament cabinet governor mayor premier chancellor""".split())
_OWN_GROUP = frozenset({"country", "government", "party", "company", "administration", "office", "firm",
                        "ministry", "department", "team", "club", "union", "organisation", "organization"})


@dataclass(frozen=True, slots=True)
class Holder:
    """A mention of who holds a claim, as written in the sentence."""

    text: str  # surface text of the name, e.g. "Viktor Orbán", "he", "the governor's office"
    kind: str  # person | organisation | country | group | pronoun | noun
    start: int  # character offsets in the sentence
    end: int
    role: str = ""  # title or apposition: "Hungarian Prime Minister", "president of the ISTA"


@dataclass(frozen=True, slots=True)
class Claim:
    """One predicate of a sentence with its holder, object, polarity and stated reason."""

    holder: Holder | None  # who takes the position (or makes the statement)
    speaker: Holder | None  # who says so, when the claim is reported speech of someone else
    predicate: str  # lemma of the predicate ("support", "opposed", "say")
    polarity: int | None  # +1 for, -1 against, 0 hesitant, None: a statement without a stance predicate
    negated: bool
    object_text: str  # what the predicate is about, verbatim
    object_lemmas: tuple[str, ...]
    content: str  # for a statement: what was said, verbatim
    reason: str  # the stated reason, verbatim ("" when none)
    denial: bool  # the statement calls something false/baseless, or the predicate is a denial verb
    # a statement that says what should be done: +1 "X should fund schools", -1 "X should not …"; None otherwise
    advocates: int | None = None
    advocated: tuple[str, ...] = ()  # content lemmas of what should (not) be done
    named: tuple[str, ...] = ()  # people and organisations named in the object ("wants Rudolph to be disciplined")
    modifies: bool = False  # a participle describing its object ("a deal backed by the fund"), not an act on it
    # a judgement the statement passes on something: +1 "the interview was a great success", -1 "… was unfair";
    # 0 none; ``appraised`` is the content lemmas of what it is passed on
    appraisal: int = 0
    appraised: tuple[str, ...] = ()
    # the predicate is a relative clause on its holder ("Lawyers who are suing the firm …"): it says who the
    # holder is, and takes a side on the target only in the target's own words
    describes: bool = False


def _lemma(tok: "Token") -> str:
    return tok.lemma_.lower()


def _negated(tok: "Token") -> bool:
    if any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in tok.children if c.dep_ in ("neg", "advmod", "det")):
        return True
    # "neither Washington nor Berlin rules out …": the negation sits on the conjoined subject
    return any(g.dep_ == "preconj" and g.lower_ == "neither" for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
               for g in c.children)


def content_lemmas(tokens) -> tuple[str, ...]:
    """Lemmas of the content words of a token sequence (nouns, verbs, adjectives, names, numbers)."""
    return tuple(t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")
                 and not t.is_stop and len(t.text) > 1)


def _span_text(doc: "Doc", tokens) -> str:
    tokens = sorted(tokens, key=lambda t: t.i)
    if not tokens:
        return ""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return doc.text[start:end].strip(" ,;:\"'“”‘’")


def _entity_of(tok: "Token") -> "Span | None":
    if tok.ent_type_ in ENTITY_KINDS:
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent
    return None


# nouns of an amount that the small parser may take for a subject ("a lot", "a bit")
_AMOUNTS = frozenset("lot bit little couple handful plenty".split())


def _holder_of(tok: "Token") -> Holder | None:
    """The holder mention headed by ``tok`` (a subject): entity, pronoun or a noun phrase."""
    doc = tok.doc
    if tok.dep_ == "relcl" or tok.lower_ in ("who", "which", "that"):
        return None
    if tok.lemma_.lower() in _AMOUNTS and any(c.lower_ == "a" for c in tok.children):
        return None  # "it helped a lot to be calmer": an amount holds no position
    phrased = _side_phrase(tok)
    if phrased is not None:  # "those in favour of punishment" are a group of their own
        end = phrased[1][-1].idx + len(phrased[1][-1].text)
        return Holder(_running(tok, doc.text[tok.idx:end]), "group", tok.idx, end)
    ent = _entity_of(tok)
    appos = next((c for c in tok.children if c.dep_ == "appos" and (_entity_of(c) is not None or c.pos_ == "PROPN")),
                 None)
    if ent is None and appos is not None and tok.pos_ == "NOUN":
        # "The mayor's lawyer, Dana Whitfield, said …": the named apposition is the holder
        named = _entity_of(appos)
        role = doc.text[next(iter(tok.subtree)).idx:tok.idx + len(tok.text)]
        if role.split()[0].lower() in _POSSESSIVE_PRONOUNS:
            # "His lawyer, attorney Jo Banks, …", "Her coach, Tom Ellery, …": an unresolved "his" is no part of a row's
            # name; the name's own title is its role, else the noun ("coach"). (Naming whose, "Anna Berg's coach",
            # puts a second actor's name in the row's, which a reader or a program looking the actor up by name
            # takes for that actor's row.)
            role = _role_of(appos, named) or role.split(" ", 1)[1]
        if named is None:  # "The group that owns most of her music, Big Machine, says …": a name left unlabelled
            first = min([appos, *(c for c in appos.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN")],
                        key=lambda t: t.i)
            end = appos.idx + len(appos.text)
            return Holder(doc.text[first.idx:end], "name", first.idx, end, role)
        return Holder(named.text, kind_of_entity(named.text, named.label_), named.start_char, named.end_char, role)
    if ent is None:
        # "Kotak Securities' Rusmik Oza": the head is a name without an entity label of its own
        names = [c for c in tok.children if c.dep_ in ("compound", "flat") and _entity_of(c) is not None]
        ent = _entity_of(names[0]) if names and tok.pos_ == "PROPN" else None
    role = _role_of(tok, ent)
    if ent is not None:
        text = ent.text
        for prefix in ("the ", "The "):
            if text.startswith(prefix):
                text = text[len(prefix):]
        text = text.rstrip("'’").removesuffix("'s").removesuffix("’s")
        return Holder(text, kind_of_entity(text, ent.label_), ent.start_char, ent.end_char, role)
    if tok.lower_ in ANAPHORS:
        return Holder(tok.text, "pronoun", tok.idx, tok.idx + len(tok.text))
    if tok.pos_ == "PROPN" and tok.lower_ not in ("who", "which"):
        # a proper name the recogniser left unlabelled ("the Consumer Product Safety Commission")
        first = tok.i
        while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].dep_ in ("compound", "flat"):
            first -= 1
        start = doc[first].idx
        # an unlabelled name: an organisation unless names.resolve finds the person it belongs to
        return Holder(doc.text[start:tok.idx + len(tok.text)], "name", start, tok.idx + len(tok.text))
    if tok.pos_ in ("NOUN", "PROPN"):
        # "his country", "the governor's office", "Republican legislative leaders"
        mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "poss", "nmod")]
        if any(c.lower_ in ("his", "her", "their", "our", "my", "its") for c in mods) and tok.lemma_.lower() in _OWN_GROUP:
            return Holder(tok.text, "own-group", tok.idx, tok.idx + len(tok.text), role)
        poss = [c for c in mods if c.dep_ == "poss" and _entity_of(c) is not None]
        if poss and tok.lemma_.lower() in _SPEAKS_FOR:  # "Hungary's government" → Hungary; "X's source" is not X
            ent = _entity_of(poss[0])
            name = ent.text.removesuffix("'s").removesuffix("’s")
            return Holder(name, ENTITY_KINDS[ent.label_], ent.start_char, ent.start_char + len(name), tok.text)
        # "German officials" speak for Germany; "NATO members" are members, not NATO itself
        # (a party's adjective is no country: "Democratic presidential candidates" are those candidates)
        from .names import country_of  # (names reads claims' Holder: imported here, not at the top)

        nationality = [c for c in mods if _entity_of(c) is not None and _entity_of(c).label_ in ("NORP", "GPE")
                       and (_entity_of(c).label_ == "GPE" or country_of(_entity_of(c).text))]
        # (from a modifier's own first word: "Delhi-based trade experts", not "based trade experts")
        words = sorted([*(_first_word(m) for m in mods), tok], key=lambda t: t.i)
        text = doc.text[words[0].idx:tok.idx + len(tok.text)]
        if nationality and singular(tok.lemma_.lower()) in _STATE_NOUNS:
            ent = _entity_of(nationality[0])
            return Holder(ent.text, ENTITY_KINDS[ent.label_], ent.start_char, ent.end_char, text)
        return Holder(_running(words[0], text), "noun", words[0].idx, tok.idx + len(tok.text), role)
    return None


def _running(first: "Token", text: str) -> str:
    """A description as it reads inside a sentence: "Authorities say …" and "Those in favour of punishment have said
    …" are "authorities" and "those in favour of punishment" ("Arden fans", "Democratic candidates" keep their
    names)."""
    if first.i == first.sent.start and first.pos_ != "PROPN" and first.tag_ != "NNP" and not first.ent_type_ \
            and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


_POSSESSIVE_PRONOUNS = frozenset("his her their its my our your".split())


def _role_of(tok: "Token", ent: "Span | None") -> str:
    """A title before the name or an apposition after it."""
    doc = tok.doc
    first = ent.start if ent is not None else tok.i
    before = []
    heads = set(range(first, tok.i + 1))
    j = first - 1
    while j >= 0 and doc[j].dep_ in ("compound", "amod", "nmod") and doc[j].head.i in heads \
            and doc[j].pos_ in ("PROPN", "NOUN", "ADJ"):
        before.append(doc[j])
        heads.add(j)
        j -= 1
        if j >= 1 and before and doc[j].text == "-" and not doc[j].whitespace_ and not doc[j - 1].whitespace_:
            # a word the parser split at its hyphen ("study co" "-" "author"): the whole of it, and what
            # qualifies its first part
            before += [doc[j], doc[j - 1]]
            heads |= {j, j - 1}
            j -= 2
    # (a title before a name takes no indefinite article: "a prospect Vindman denied" is no title)
    if before and not (j >= 0 and doc[j].lower_ in ("a", "an")):
        return doc.text[before[-1].idx:before[0].idx + len(before[0].text)]
    for child in tok.children:
        if child.dep_ == "appos":
            words = list(child.subtree)
            last = max(t.i for t in words)
            while last + 1 < len(doc) and doc[last].whitespace_ == "" and doc[last].text.endswith("-"):
                last += 1  # a word the parser split at its hyphen ("co-" "author") stays whole
                words.append(doc[last])
            role = _span_text(doc, words)
            if tok.head.pos_ in ("VERB", "AUX") and tok.head.i < tok.i:
                # '…," adds Jo Lee, head of sales for Europe at Acme.': an attribution that closes the
                # sentence has its role up to the next comma or the end, however the parser split it
                end = next((t.i for t in doc[child.i:] if t.text in (",", ";", "(") or t.is_sent_end), len(doc))
                tail = doc[child.left_edge.i:end].text.rstrip(".!?\"'”’ ")
                role = tail if len(tail) > len(role) else role
            # a long apposition is cut at a word, never inside one ("… in Munich, Germany, and co-")
            return role if len(role) <= 120 else role[:121].rsplit(" ", 1)[0]
    return ""


# verbs of report whose passive raises the holder to subject: "X is said / reported / believed to oppose Y"
_REPORTED_TO = frozenset("say report believe think understand know rumour rumor".split())


def _subject(tok: "Token") -> "Token | None":
    """The subject of a predicate, looking up through xcomp, conj and auxiliary chains."""
    seen, below = 0, None
    while tok is not None and seen < 6:
        seen += 1
        # (of two subjects the small parser gives one verb, "said study co-author Ann Lind" split at the hyphen,
        # the name is the subject)
        subjs = [c for c in tok.children if c.dep_ in _SUBJECT_DEPS]
        subj = next((c for c in subjs if c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")), subjs[0] if subjs else None)
        subj = _person_for_title(subj)
        if subj is None:  # the small parser sometimes hangs the subject on the auxiliary ("X were opposed")
            subj = next((g for c in tok.children if c.dep_ in ("aux", "auxpass") for g in c.children
                         if g.dep_ in _SUBJECT_DEPS), None)
        # (… but one who "was disappointed by the ruling" is the one disappointed)
        agent = next((c for c in tok.children if c.dep_ == "agent"), None) if tok.lower_ not in EMOTION_ADJECTIVES \
            else None
        if agent is not None:  # "was rejected by the court": the agent holds it
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
        if subj is not None and subj.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
            return tok.head  # "Cam Heyward, who lobbied for …": the noun the clause is about
        if subj is not None and subj.dep_ == "nsubjpass" and below is not None and below.dep_ == "xcomp" \
                and _lemma(tok) in _REPORTED_TO:
            return _titled_name(subj)  # "The governor is said to oppose the levy": reported as the governor's
        if subj is not None and subj.dep_ == "nsubjpass" and tok.lower_ not in STANCE_ADJECTIVES \
                and tok.lower_ not in EMOTION_ADJECTIVES:
            return None  # "Russia has been accused of …": the subject of a passive undergoes it
        if subj is not None:
            return _titled_name(subj)
        obj = next((c for c in tok.head.children if c.dep_ == "dobj"), None) if tok.dep_ == "xcomp" else None
        if obj is not None and _lemma(tok.head) in _MAKES_DO:
            return obj  # "prompted some users to argue …": the users argued
        if obj is not None and _lemma(tok.head) in _ASKS_TO:
            return None  # "urged them to back …", "asked people to be cautious": not done, and not by the subject
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.dep_ == "pobj" and tok.head.head.dep_ == "prep" \
                and tok.head.head.head.pos_ == "VERB":
            tok = tok.head.head.head  # "posted on Twitter accusing …": the participle is the poster's
            continue
        if tok.dep_ in ("xcomp", "conj", "acomp", "advcl") and tok.head is not tok:
            if tok.dep_ == "acomp" or tok.dep_ == "xcomp" or tok.dep_ == "conj":
                below, tok = tok, tok.head
                continue
            # a participle clause ("…, citing the risk") shares its head's subject
            tok = tok.head
            continue
        if tok.dep_ == "relcl":
            return tok.head
        return _person_for_title(next(iter(_fronted_subjects(tok)), None))
    return None


def _person_for_title(subj: "Token | None") -> "Token | None":
    """"Chairman, CEO and president Craig Menear said": the titles are his, the person is the subject."""
    if subj is not None and subj.lower_ in TITLE_WORDS and subj.ent_type_ != "PERSON":
        return next((c for c in subj.conjuncts if c.ent_type_ == "PERSON"), subj)
    return subj


def _speech_head(tok: "Token") -> "Token | None":
    """The verb of saying that governs ``tok``'s clause ("X said [that ... tok ...]", '"…," said X')."""
    chain = [tok, *tok.ancestors]
    for anc in chain[1:]:
        if _lemma(anc) in SPEECH_VERBS and anc.pos_ == "VERB":
            return anc
    root = chain[-1]
    for child in root.children:
        if child.dep_ in ("parataxis", "ccomp", "advcl") and _lemma(child) in SPEECH_VERBS and child.i > tok.i \
                and child.pos_ == "VERB" and any(c.dep_ in _SUBJECT_DEPS for c in child.children):
            return child
    return None


def _felt_about(tok: "Token") -> list["Token"]:
    """What a word of pleasure or displeasure is about: its clause or its preposition's object ("excited to have
    Ivan join", "disappointed by the ruling"); [] when it says about what (a crowd "was excited")."""
    return [t for c in tok.children if c.dep_ in ("xcomp", "ccomp") or (
        c.dep_ in ("prep", "agent") and c.lower_ in EMOTION_PREPOSITIONS) for t in c.subtree]


def _object_tokens(pred: "Token") -> list["Token"]:
    if pred.lower_ in EMOTION_ADJECTIVES:
        return _felt_about(pred)
    out = []
    dobj = next((c for c in pred.children if c.dep_ == "dobj"), None)
    for child in pred.children:
        if child.dep_ == "ccomp" and dobj is not None and dobj.i < child.i and any(
                t.is_punct for t in pred.doc[dobj.right_edge.i + 1:child.left_edge.i]):
            # "welcomed the deal, subscribing for so many shares they will be allotted …": a clause past a comma
            # after the object is no second object (the small parser hangs it on the verb)
            continue
        if child.dep_ in _OBJECT_DEPS or (child.dep_ == "prep" and child.lower_ in ("to", "of", "on", "about", "over",
                                                                                       "toward", "towards", "for",
                                                                                       "against", "with", "in")
                                          and (_lemma(pred), child.lower_) not in STANCE_PHRASES) \
                or child.dep_ == "prt" or ((_lemma(pred), child.lower_) in STANCE_PHRASES):
            if child.dep_ == "advcl" or _temporal(child) or (child.dep_ == "prep" and child.i < pred.i):
                continue  # "approved in April", "on Monday", "In a statement, X accused …": frame, not what
            out.extend(child.subtree)
        elif child.dep_ == "advcl" and child.i > pred.i and any(m.dep_ == "mark" and m.lower_ == "for"
                                                               for m in child.children):
            out.extend(child.subtree)  # "waiting for a commission to report": the for-clause is what is awaited
    passive = next((c for c in pred.children if c.dep_ == "nsubjpass"), None)
    if passive is not None and any(c.dep_ == "agent" for c in pred.children):
        # "a photo of the meeting was denied by Andrew": what was denied is the passive subject
        out = [t for t in passive.subtree] + out
    elif pred.dep_ == "acl" and pred.tag_ == "VBN" and not any(t.dep_ in _OBJECT_DEPS for t in out):
        # "the budget approved by Republicans": what was approved is the noun the participle modifies
        head = pred.head
        out = [t for t in head.subtree if t.i <= head.i] + out
    return out


def _temporal(tok: "Token") -> bool:
    """A prepositional phrase whose object is a date or time ("in April", "on Monday", "for years")."""
    objects = [c for c in tok.children if c.dep_ == "pobj"]
    return tok.dep_ == "prep" and bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)


def _reason_tokens(pred: "Token") -> list["Token"]:
    """A reason attached to a predicate: because/since/as clauses, citing/arguing participles, over/amid PPs."""
    for child in pred.children:
        low = child.lower_
        if child.dep_ == "advcl":
            marks = {c.lower_ for c in child.children if c.dep_ == "mark"}
            # "…, citing the risk", "…, arguing that …" give a reason; "…, while Budapest says …" a contrast
            cited = next((c for c in child.children if c.dep_ == "dobj"), None) if _lemma(child) == "cite" else None
            if cited is not None and _names_a_source(cited):
                continue  # "…, citing the health commission": a source, not a reason
            if marks & {"because", "since", "as"} or (not marks and _lemma(child) in (
                    "cite", "argue", "say", "note", "warn", "insist", "fear", "worry", "explain")):
                return list(child.subtree)
        if child.dep_ == "prep" and (low in REASON_PREPOSITIONS or (low == "due" )) and low != "for":
            return list(child.subtree)
        if child.dep_ == "prep" and low == "because":
            return list(child.subtree)
    return []


def _polarity(tok: "Token") -> tuple[int | None, str]:
    """The stance polarity of a predicate token before negation, and its predicate label."""
    lemma = _lemma(tok)
    if tok.tag_ == "VBG" and tok.dep_ in ("pcomp", "pobj") and tok.head.lower_ == "for" and not any(
            c.dep_ in ("dobj", "nsubj", "prep", "ccomp") for c in tok.children):
        return None, ""  # "call her in for questioning": a gerund used as a noun, no one's stance
    if tok.pos_ in ("VERB", "AUX"):
        for child in tok.children:
            if child.dep_ in ("prt", "prep") and (lemma, child.lower_) in STANCE_PHRASES and not _temporal(child):
                return STANCE_PHRASES[(lemma, child.lower_)], f"{lemma} {child.lower_}"
            # "waiting for a commission to report": the preposition is parsed as the mark of a clause
            mark = next((m.lower_ for m in child.children if m.dep_ == "mark"), "") if child.dep_ == "advcl" else ""
            if mark and (lemma, mark) in STANCE_PHRASES:
                return STANCE_PHRASES[(lemma, mark)], f"{lemma} {mark}"
        if lemma in STANCE_VERBS:
            return STANCE_VERBS[lemma], lemma
        # participles used as adjectives: "is opposed to", "remain divided"
        if tok.lower_ in STANCE_ADJECTIVES and any(c.dep_ in ("auxpass", "aux") for c in tok.children):
            return STANCE_ADJECTIVES[tok.lower_], tok.lower_
    if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "ROOT", "oprd", "xcomp", "ccomp", "conj") \
            and tok.lower_ in STANCE_ADJECTIVES:
        return STANCE_ADJECTIVES[tok.lower_], tok.lower_
    if tok.lower_ in EMOTION_ADJECTIVES and tok.pos_ in ("ADJ", "VERB") and _felt_about(tok):
        return EMOTION_ADJECTIVES[tok.lower_], tok.lower_  # "we're honoured to join", "disappointed by the ruling"
    if tok.pos_ == "ADP" and tok.lower_ == "against" and tok.dep_ in ("prep", "acomp") and _lemma(tok.head) == "be":
        return -1, "against"
    if tok.pos_ == "NOUN" and lemma in STANCE_NOUNS and tok.dep_ in ("dobj", "nsubj", "attr") \
            and (_lemma(tok.head) in ("express", "voice", "have", "raise", "signal", "show", "declare", "reiterate",
                                      "register", "lodge", "state", "give", "offer", "lend", "pledge", "throw",
                                      "lead", "join")
                 or any(c.dep_ == "poss" for c in tok.children) or _held_of(tok) is not None):
        return STANCE_NOUNS[lemma], lemma
    if tok.pos_ == "NOUN" and lemma in STANCE_NOUNS and tok.dep_ == "pobj" and tok.head.lower_ == "in" \
            and any(c.dep_ == "poss" for c in tok.children):
        # "In her dissent, Justice Lind wrote …", "in its objection, the union said …": whose the stance is
        return STANCE_NOUNS[lemma], lemma
    return None, ""


_REFLEXIVE = frozenset("myself yourself himself herself itself ourselves yourselves themselves oneself".split())
# verbs of having a stance someone else holds: "Mason has his full support", "the plan has the backing of the mayor"
_HOLDING = frozenset("have enjoy retain keep win earn receive get gain lose".split())


def _held_of(noun: "Token") -> "Token | None":
    """Whose stance a noun is that its verb's subject has ("Mason has his full support": his; "the plan has the
    backing of the mayor": the mayor), or None when the noun is not had in that way."""
    if noun.dep_ != "dobj" or _lemma(noun.head) not in _HOLDING or _subject(noun.head) is None:
        return None
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    # ("the union has its support behind the plan": with "have", "its" and "their" are the subject's own stance)
    if poss is not None and (poss.lower_ not in ("its", "their") or _lemma(noun.head) != "have"):
        return poss
    return next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                 if g.dep_ == "pobj"), None)


def extract_claims(doc: "Doc") -> list[Claim]:
    """Every stance predicate and every statement (verb of saying with content) in one sentence."""
    claims: list[Claim] = []
    for tok in doc:
        polarity, label = _polarity(tok)
        if polarity is None and tok.pos_ == "VERB" and _negated(tok) and tok.dep_ in ("ROOT", "ccomp", "conj", "xcomp") \
                and (_lemma(tok) not in SPEECH_VERBS or any(c.dep_ == "xcomp" for c in tok.children)):
            # "they don't expect to act on X", "will not fund X": a refusal to act, read as hesitancy (a verb
            # of thought counts when it governs the holder's own act: "do not expect to take action on X");
            # the stance stage accepts it only when the object is plainly the target (two shared words)
            polarity, label = 0, f"not {_lemma(tok)}"
        elif polarity is None:
            continue
        if tok.pos_ == "NOUN" and polarity == 1 and (_lemma(tok.head) in _CONDITIONING or tok.head.lower_ in (
                "conditional", "contingent")):
            polarity = 0  # "linked Budapest's support to …", "made its support conditional on …": not yet given
        pred = tok.head if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "attr") else tok
        negated = _negated(tok) or (pred is not tok and _negated(pred)) or _negated_copula(tok)
        # "refused to back", "declined to endorse": the governing verb flips or damps the stance
        if tok.dep_ == "xcomp" and _lemma(tok.head) in _REFUSAL:
            flip = _REFUSAL[_lemma(tok.head)]
            polarity = 0 if flip == 0 else -polarity
            negated = negated or _negated(tok.head)
        if negated and not label.startswith("not "):
            # "did not support" is opposition; "does not rule out", "did not deny" are not support: at
            # most openness, read as hesitancy
            polarity = -1 if polarity == 1 else 0
        holder_tok = _subject(pred) if pred.pos_ != "NOUN" else None
        if holder_tok is None and tok.dep_ == "amod" and tok.tag_ == "VBG" and tok.head.dep_ == "pobj" \
                and tok.head.head.dep_ == "prep" and tok.head.head.head.pos_ == "VERB":
            # "In a dissenting opinion, Judge Lind wrote …": the writer of the opinion is the clause's subject
            holder_tok = _subject(tok.head.head.head)
        had = _held_of(tok) if tok.pos_ == "NOUN" else None
        if tok.pos_ == "NOUN":
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            holder_tok = had or poss or _subject(tok.head)
            if poss is not None and poss.pos_ == "PRON" and tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB":
                # "In his dissent, Lindqvist argued …": the pronoun of a phrase before the clause is its subject
                named = _subject(tok.head.head)
                holder_tok = named if named is not None and named.pos_ in ("PROPN", "NOUN") else holder_tok
        # (a subject read past a fronted phrase keeps only the conjuncts after it: not "Bucharest, Germany and …")
        subjects = [holder_tok, *(c for c in holder_tok.conjuncts if c.i > holder_tok.i)] if holder_tok is not None \
            else [None]
        speech = _speech_head(pred)
        speaker = None
        if speech is not None:
            stok = _subject(speech)
            speaker = _holder_of(stok) if stok is not None else _according_to(doc)
        obj = _object_tokens(tok)
        if had is not None:
            # "Mason has his full support": the support is his, and it is for the one who has it (unless the noun
            # says for what: "has the council's support for the levy"); losing it is its holder's turning against
            # them ("lost the support of the board"); and in reported words "his" is the speaker's ("Turner said
            # Mason has his full support": no one has their own support)
            if not any(c.dep_ == "prep" and c.lower_ in ("for", "behind", "to") for c in tok.children):
                obj = [t for t in _subject(tok.head).subtree]
            elif had.dep_ == "pobj":  # (what the noun says it is for, without "of the council")
                holders = set(had.head.subtree)
                obj = [t for t in obj if t not in holders]
            polarity = -polarity if _lemma(tok.head) == "lose" and polarity == 1 else polarity
            if had.pos_ == "PRON" and speech is not None and _subject(speech) is not None:
                subjects = [_subject(speech)]
        if obj and obj[0].lower_ in _REFLEXIVE:
            # "blocked herself off from the Force", "defended itself against the charges": the act is on the
            # doer; what it is against (if anything) the object does not say
            continue
        # "opposed to, or hesitant about, extending an invitation": a predicate with no object of its own
        # shares a later conjunct's (not an earlier clause's: "X is tantamount to Y, and lawyers are demanding …")
        if not any(t.pos_ in ("NOUN", "PROPN", "PRON", "VERB", "NUM") for t in obj):
            obj += [t for conj in tok.conjuncts if conj.i > tok.i for t in _object_tokens(conj) if t not in obj]
        reason = _reason_tokens(pred) or (_reason_tokens(speech) if speech is not None else [])
        named = _people_and_bodies(obj)
        modifies = tok.dep_ == "acl" and tok.tag_ == "VBN"  # "a deal backed by the fund"
        # "Lawyers for the families, who are suing the firm, …": a relative clause on the holder says who the holder
        # is ("the clause that Peru and Chile blocked" is on the thing blocked: its subjects hold a stance)
        describes = pred.dep_ == "relcl" and holder_tok is not None and holder_tok.i == pred.head.i
        for subject in [*subjects, *_conjoined_modifiers(subjects)]:
            holder = _holder_of(subject) if subject is not None else None
            if holder is not None:
                holder = _antecedent(subject, holder)
            if holder is not None and speaker is not None and (holder.text.lower() in _SELF
                                                               or holder.kind == "own-group"):
                holder = speaker if holder.text.lower() in _SELF else Holder(
                    speaker.text, speaker.kind, speaker.start, speaker.end, speaker.role or holder.text)
            claims.append(Claim(holder, speaker if speaker != holder else None, label, polarity, negated,
                                _span_text(doc, obj), content_lemmas(obj), "", _span_text(doc, reason),
                                label in DENIAL_VERBS, named=named, modifies=modifies, describes=describes))
    claims += _statements(doc) + _role_claims(doc)
    return claims


# Nouns that name people by their side ("Rudolph's supporters", "critics of the plan"): +1 for, -1 against.
_SIDE_NOUNS = {**dict.fromkeys("supporter backer proponent advocate defender champion".split(), 1),
               **dict.fromkeys("critic opponent detractor foe sceptic skeptic".split(), -1)}


def _side_phrase(tok: "Token") -> "tuple[int, list[Token]] | None":
    """"those in favour of X" (+1, X), "people opposed to X" / "those against X" (-1, X) as a subject."""
    if tok.lower_ not in ("those", "people", "others", "many", "some"):
        return None
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "in":
            for favour in (g for g in c.children if g.dep_ == "pobj" and g.lower_ in ("favor", "favour")):
                for of in (g for g in favour.children if g.dep_ == "prep" and g.lower_ == "of"):
                    obj = [t for p in of.children if p.dep_ == "pobj" for t in p.subtree]
                    if obj:
                        return 1, obj
        if c.dep_ == "prep" and c.lower_ == "against" or (c.dep_ == "acl" and c.lower_ == "opposed"):
            prep = c if c.lower_ == "against" else next((g for g in c.children if g.dep_ == "prep"
                                                         and g.lower_ == "to"), None)
            obj = [t for p in (prep.children if prep is not None else ()) if p.dep_ == "pobj" for t in p.subtree]
            if obj:
                return -1, obj
    return None


def _role_claims(doc: "Doc") -> list[Claim]:
    """A group named by its side holds that side toward what it is named after: "Rudolph's supporters have
    said …" are for Rudolph, "critics of the levy argue …" against the levy."""
    out = []
    for tok in doc:
        phrased = _side_phrase(tok) if tok.dep_ in ("nsubj", "nsubjpass") else None
        if phrased is not None:  # "those in favour of punishment", "people opposed to the levy"
            side, obj = phrased
            out.append(Claim(_holder_of(tok), None, "side", side, False, _span_text(doc, obj), content_lemmas(obj),
                             "", "", False))
            continue
        side = _SIDE_NOUNS.get(_lemma(tok))
        if side is None or tok.pos_ != "NOUN" or tok.dep_ not in ("nsubj", "nsubjpass") or tok.tag_ != "NNS":
            continue
        about = [c for c in tok.children if c.dep_ == "poss"] + [
            g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        holder = _holder_of(tok)
        if not about or holder is None:
            continue
        obj = [t for a in about for t in a.subtree if t.dep_ != "case"]
        named = _people_and_bodies(obj)
        out.append(Claim(holder, None, _lemma(tok), side, False, _span_text(doc, obj), content_lemmas(obj), "", "",
                         False, named=named))
    return out


def _people_and_bodies(tokens: list["Token"]) -> tuple[str, ...]:
    """The people and organisations named among ``tokens`` (a claim's object), in order."""
    return tuple(dict.fromkeys(e.text for t in tokens if (e := _entity_of(t)) is not None
                               and e.label_ in ("PERSON", "ORG")))


def _fronted_subjects(pred: "Token") -> list["Token"]:
    """The subject the small parser hung on a fronted phrase: "At the summit in Bucharest, Germany and France
    refused …" parses "Germany and France" as conjuncts of "Bucharest", leaving the verb without a subject.

    Read only for a finite main verb with no subject: the names or nouns that stand between the comma that
    closes the fronted phrase and the verb, every one attached to a word before that comma.
    """
    if pred.dep_ != "ROOT" or pred.tag_ not in ("VBD", "VBZ", "VBP") or pred.i == 0:
        return []
    doc, start = pred.doc, pred.i
    while start > 0 and doc[start - 1].pos_ in ("PROPN", "NOUN", "CCONJ", "DET", "ADJ"):
        start -= 1
    if start == pred.i or start == 0 or doc[start - 1].text != ",":
        return []
    span = doc[start:pred.i]
    heads = [t for t in span if t.pos_ in ("PROPN", "NOUN") and t.dep_ not in ("compound", "amod", "poss")]
    # the misparse's mark: the phrase is attached to the fronted phrase, not to anything after it
    if not heads or any(t.head.i >= pred.i or (t.head.i < start and t.dep_ != "conj") for t in heads):
        return []
    return heads


def _conjoined_modifiers(subjects) -> list["Token"]:
    """'the Russian and Syrian defense ministries': each conjoined nationality speaks (Russian → first, Syrian here)."""
    out = []
    for subject in subjects:
        if subject is None:
            continue
        for mod in subject.children:
            if mod.dep_ != "conj" and _entity_of(mod) is not None and _entity_of(mod).label_ in ("NORP", "GPE"):
                out += [c for c in mod.conjuncts if _entity_of(c) is not None and c not in subjects and c not in out]
    return out


def _antecedent(tok: "Token", holder: Holder) -> Holder:
    """A pronoun subject refers to the named subject of a clause that governs it, when there is one:
    "Omar asked for compassion, saying she did not think …" → Omar."""
    if holder.kind != "pronoun" or holder.text.lower() not in ("he", "she", "they", "him", "her", "them", "it"):
        return holder
    for anc in tok.ancestors:
        subj = next((c for c in anc.children if c.dep_ in _SUBJECT_DEPS and c.i < tok.i), None)
        if subj is None or subj.lower_ in ANAPHORS:
            continue
        named = _holder_of(subj)
        if holder.text.lower() == "it":
            # "The regulator said it was dismayed at the merger", "Acme said it opposed the plan": a body, never a
            # person nor a title ("the minister said it …" is something else)
            if named is not None and (named.kind in ("organisation", "country") or (
                    named.kind == "noun" and subj.tag_ in ("NN", "NNP") and subj.lemma_.lower() not in TITLE_WORDS)):
                return named
            continue
        if named is not None and named.kind in ("person", "organisation", "country", "group") and (
                named.kind == "person") == (holder.text.lower() in ("he", "she", "him", "her")):
            return named
        if named is not None and named.kind == "noun" and holder.text.lower() in ("he", "she", "him", "her") \
                and subj.lemma_.lower() in TITLE_WORDS:
            return named  # "The governor said he was waiting …": he is the governor (names.resolve names them)
        if named is not None and named.kind == "name" and holder.text.lower() in ("he", "she", "him", "her"):
            # "Volker later said he would have objected": a name the recogniser left unlabelled is a person here
            return Holder(named.text, "person", named.start, named.end, named.role)
    return holder


def _negated_copula(tok: "Token") -> bool:
    """'is not opposed', 'isn't against': the negation hangs on the copula."""
    head = tok.head
    return tok.dep_ in ("acomp", "prep") and _lemma(head) == "be" and _negated(head)


def _statements(doc: "Doc") -> list[Claim]:
    """Reported statements: a verb of saying, its speaker and what was said."""
    out: list[Claim] = []
    for tok in doc:
        if _lemma(tok) not in SPEECH_VERBS or tok.pos_ not in ("VERB",):
            continue
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
                and _lemma(tok.head) in NOT_DONE - SPEECH_VERBS:
            continue  # "a deal that would allow leaders to claim an easy victory": allowed, not said
        content = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis")] or _misattached_content(tok)
        # (the attribution is set off by a comma or a closing mark: in "recalled that he said …" the head is no quote)
        opening = next(t for t in tok.subtree if not t.is_punct)
        set_off = opening.i > 0 and doc[opening.i - 1].is_punct
        if not content and tok.dep_ in ("parataxis", "ccomp") and tok.head.i < tok.i and set_off \
                and _lemma(tok.head) not in SPEECH_VERBS:  # not "said they don't expect …": that is said's content
            content = [tok.head]  # '"…," she said' parsed with the quote as the head
            # (not the speaker nor the comma before the verb: "…, Benioff said" is no part of what he said)
            own = {t.i for t in tok.subtree}
            content_tokens = [t for t in tok.head.subtree if t.i < tok.i and t.i not in own]
        elif not content and tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
            # "As iFixit points out in its teardown, the keyboard is …": the clause it opens is what was said
            own = {t.i for t in tok.subtree}
            content_tokens = [t for t in tok.head.subtree if t.i not in own and not t.is_punct]
        else:
            content_tokens = [t for c in content for t in c.subtree]
        if not content_tokens:
            content_tokens = _said_object(tok)  # "cited a study showing …", "stressed the need for …"
        if not content_tokens:
            continue
        subj = _subject(tok)
        start = doc[0].idx if len(doc) else 0
        if subj is not None and subj.i > tok.i and in_quotation(doc.text, tok.idx - start) \
                and in_quotation(doc.text, subj.idx - start):
            continue  # '"… — think Donald Trump rather than Barack Obama," Dempsey told …': an imperative
        subjects = [subj, *subj.conjuncts] if subj is not None else []
        if any(t.ent_type_ == "PERSON" for t in subjects):  # (the person's titles are not speakers of their own)
            subjects = [t for t in subjects if not (t.lower_ in TITLE_WORDS and t.ent_type_ != "PERSON")]
        holders = [_antecedent(t, h) for t in [*subjects, *_conjoined_modifiers(subjects)]
                   if (h := _holder_of(t)) is not None] or [_according_to(doc)]
        text = _span_text(doc, content_tokens)
        lemmas = content_lemmas(content_tokens)
        denial = _lemma(tok) in DENIAL_VERBS or any(calls_false(t) for t in content_tokens)
        advocates, advocated = advocacy(content_tokens)
        tone, judged = appraisal(content_tokens)
        for holder in holders:
            out.append(Claim(holder, None, _lemma(tok), None, _negated(tok), "", lemmas, text,
                             _span_text(doc, _reason_tokens(tok)), denial, advocates, advocated,
                             appraisal=tone, appraised=content_lemmas(judged)))
    if not out:
        holder = _according_to(doc)
        if holder is not None:
            toks = [t for t in doc if not (holder.start <= t.idx < holder.end)]
            out.append(Claim(holder, None, "according to", None, False, "", content_lemmas(toks), doc.text, "",
                             any(calls_false(t) for t in toks)))
    return out


def act_claims(doc: "Doc", verbs: frozenset[str], names: tuple[str, ...]) -> list[Claim]:
    """Doing the asked-about act is backing it: "The league suspended Garrett for the season" backs "the
    league's decision to suspend Garrett"; "did not suspend" is against it.

    Only the target's own act counts: a verb whose lemma is one of ``verbs`` with an object that names one of
    ``names`` (when the target names someone), stated (not under a modal, a condition or "whether"), by a
    subject the parse finds ("Finland joined NATO" does not back Ukraine joining)."""
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or _lemma(tok) not in verbs or _lemma(tok) in STANCE_VERBS or _lemma(tok) in SPEECH_VERBS:
            continue
        if any(c.dep_ == "aux" and (c.lower_ in MODAL_WORDS or c.tag_ == "TO") for c in tok.children) or any(
                c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless") for c in tok.children):
            continue  # "should suspend", "lobbied for the league to suspend", "whether it suspends": not done
        if tok.dep_ in ("xcomp", "ccomp", "pcomp") and _lemma(tok.head) in set(STANCE_VERBS) | NOT_DONE:
            continue  # "opposed rolling back the tariffs": a stand on the act (read as such), not the act done
        obj = _object_tokens(tok)
        text = _span_text(doc, obj)
        # the act's own object names the target's party ("suspended Garrett"), not a word further on ("joined
        # Germany in blocking a plan for Ukraine")
        direct = " ".join(t.text for c in tok.children if c.dep_ == "dobj" for t in c.subtree).lower()
        if not direct and any(c.dep_ == "agent" for c in tok.children):
            # "Garrett has been suspended by the league": the passive's subject undergoes the act its agent does
            undergoes = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if undergoes is not None:
                # (its relative clause, "who hit Rudolph", is not part of it)
                skip = {t.i for c in undergoes.children if c.dep_ in ("relcl", "punct") for t in c.subtree}
                obj = [t for t in undergoes.subtree if t.i not in skip]
                text = _span_text(doc, obj)
                direct = text.lower()
        if not direct or (names and not any(w.lower() in direct for n in names for w in n.split() if len(w) > 2)):
            continue
        subj = _subject(tok)
        holder = _holder_of(subj) if subj is not None else None
        if holder is None:
            continue
        holder = _antecedent(subj, holder)
        speech = _speech_head(tok)
        stok = _subject(speech) if speech is not None else None
        speaker = _holder_of(stok) if stok is not None else None
        negated = _negated(tok)
        out.append(Claim(holder, speaker if speaker != holder else None, _lemma(tok), -1 if negated else 1, negated,
                         text, (_lemma(tok), *content_lemmas(obj)), "", _span_text(doc, _reason_tokens(tok)), False,
                         named=tuple(n for n in names if n.lower() in text.lower())))
    return out


_DEONTIC = frozenset({"should", "must", "ought"})


def advocacy(tokens: list["Token"]) -> tuple[int | None, tuple[str, ...]]:
    """What a statement says should be done, and whether it should: "the Legislature should direct money
    toward schools" → (+1, direct money schools); "we must not delay the vote" → (-1, …). The first verb under
    should/must/ought, or under "need to"/"have to", with an object of its own; None when there is none."""
    inside = {t.i for t in tokens}
    for tok in tokens:
        if tok.pos_ != "VERB":
            continue
        modal = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ in _DEONTIC), None) or \
            _imperative(tok, tokens)
        # (the small parser sometimes hangs "needed to investigate" as a clause of purpose: same infinitive)
        needs = tok.dep_ in ("xcomp", "advcl") and tok.head.i in inside and _lemma(tok.head) in ("need", "have") \
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        if modal is None and not needs:
            continue
        if any(a.i in inside and _lemma(a) in SPEECH_VERBS for a in tok.ancestors):
            continue  # "said X believed Ukraine needed to …": what someone else is reported to hold is theirs
        # what is to be done: the verb's own words, not its subject or a clause of time or condition
        rest = [t for c in tok.children if c.dep_ not in (*_SUBJECT_DEPS, "advcl", "aux", "neg", "mark", "cc")
                for t in c.subtree if t.i in inside]
        what = content_lemmas(rest)
        if not what:
            continue
        negated = _negated(tok) or (needs and _negated(tok.head)) or _denied_need(tok)
        verb = 0 if _lemma(tok) in ("wait", "pause") else STANCE_VERBS.get(_lemma(tok), 1)
        # "should oppose X" is against X, "must not block X" for it; "should wait before X" hesitates,
        # "must not delay X" is for it
        sign = (-1 if negated else 1) * verb if verb else (1 if negated else 0)
        return sign, (_lemma(tok), *what)
    return None, ()


_BEFORE_COMMAND = frozenset("do don't n't not never please just".split())


def _imperative(tok: "Token", tokens: list["Token"]) -> "Token | None":
    """The verb opens what is said as a command, with no subject ("Skip the rush and snag the deals early", "Don't
    buy it yet", '"Vote no on Measure B," she said'): what it says is to be done, as "should" does. Returns the verb,
    or None (a question, "Buy it now?", is no command)."""
    if tok.tag_ != "VB" or any(c.dep_ in _SUBJECT_DEPS or c.tag_ == "TO" for c in tok.children) \
            or tok.sent.text.rstrip(" \"'”’")[-1:] == "?":
        return None
    if tok.dep_ == "advcl" and any(c.dep_ in _SUBJECT_DEPS for c in tok.head.children):
        return None  # "Come November 19, buyers will receive …": a clause of time, the sentence has its subject
    first = next((t for t in tokens if not t.is_punct and t.lower_ not in _BEFORE_COMMAND), None)
    return tok if first is not None and first.i == tok.i else None


_NO_ONE = frozenset("nobody none".split())


def _denied_need(tok: "Token") -> bool:
    """What should be done is denied by its subject or by the noun it explains: "nobody should buy it", "there is
    no reason anyone should buy it", "there is no need to sell"."""
    if any(c.dep_ in _SUBJECT_DEPS and (c.lower_ in _NO_ONE or (c.lower_ == "one" and any(
            d.dep_ == "det" and d.lower_ == "no" for d in c.children))) for c in tok.children):
        return True
    return tok.dep_ in ("relcl", "acl") and tok.head.pos_ == "NOUN" and any(
        d.dep_ == "det" and d.lower_ == "no" for d in tok.head.children)


def _titled_name(subj: "Token") -> "Token":
    """"chairman, CEO and president Jo Bloggs said": the subject is the person the titles belong to, which the
    parser may hang on a title by apposition or coordination."""
    if subj.lower_ not in TITLE_WORDS or subj.ent_type_ == "PERSON":
        return subj
    return next((t for t in subj.subtree if t.ent_type_ == "PERSON" and t.dep_ in ("conj", "appos")
                 and t.head.lower_ in TITLE_WORDS), subj)


def _first_word(mod: "Token") -> "Token":
    """The first word of a modifier's phrase, past a determiner ("Delhi" of "Delhi-based"; "club" of "the club's")."""
    first = mod.left_edge
    while first.pos_ == "DET" and first.i < mod.i:
        first = first.doc[first.i + 1]
    return first


def _misattached_content(tok: "Token") -> list["Token"]:
    """'X told teachers who covered the lawn that Y should …': the small parser hangs the that-clause on the
    relative clause of the verb's object; a relative verb that is not one of saying cannot take it, so it
    is what the speaker said. Likewise a that-clause hung on the place or occasion it was said at."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    # 'X told reporters at a press conference that Y will …': hung as a relative clause of the place, which
    # "that" as a conjunction (not a relative pronoun) gives away
    places = [g for c in [tok, *objects] for p in c.children if p.dep_ == "prep" for g in p.children
              if g.dep_ == "pobj"]
    for obj in objects:
        for rel in (c for c in obj.children if c.dep_ == "relcl" and _lemma(c) not in SPEECH_VERBS):
            found = [c for c in rel.children if c.dep_ == "ccomp" and c.i > rel.i
                     and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
            if found:
                return found
    for place in places:
        found = [c for c in place.children if c.dep_ == "relcl" and c.i > place.i
                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if found:
            return found
    return []


# Verbs of saying whose direct object is what was said ("cited a study", "stressed the need for …",
# "conceded the point"); most others take an addressee ("told reporters") or are not speech with an
# object ("maintains its own monitor", "added a clause").
_OBJECT_IS_SAID = frozenset("""cite highlight underline underscore stress emphasise emphasize acknowledge admit
    concede confirm reiterate predict fear allege""".split())
_CALLING = frozenset("describe call label brand term characterise characterize".split())


# nouns of a source one cites ("citing the health commission", "cited a report"): naming one says nothing itself
_SOURCES = frozenset("""commission agency ministry department office official spokesman spokeswoman spokesperson
    source report statement data figure study survey poll document filing newspaper paper authority board council
    committee""".split())


def _said_object(tok: "Token") -> list["Token"]:
    """The object of a verb of saying when it is what was said: "cited a study showing …", "stressed the
    need for more funding"; not a pronoun or a person."""
    # "described the idea as absurd", "called the figures misleading": the object with what it is called
    # (the small parser may hang the "as" on a verb inside the object: it still completes the calling)
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None or obj.lower_ in ANAPHORS or obj.ent_type_ == "PERSON" or obj.pos_ == "PRON":
        return []
    complement = [t for c in tok.children if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")
                  for t in c.subtree] if _lemma(tok) in _CALLING else []
    called = bool(complement) or (_lemma(tok) in _CALLING and any(t.dep_ == "prep" and t.lower_ == "as"
                                                                   for t in obj.subtree))
    if _lemma(tok) not in _OBJECT_IS_SAID and not called:
        return []
    tokens = sorted([*obj.subtree, *complement], key=lambda t: t.i)
    if not called and _names_a_source(obj):
        return []  # "citing the regional health commission": where the words come from, not what was said
    return tokens if len(content_lemmas(tokens)) >= 2 else []


def _names_a_source(obj: "Token") -> bool:
    """The object names a source and says nothing of its own: a body or a report, with no verb in it."""
    return not any(t.pos_ in ("VERB", "AUX") for t in obj.subtree) and (
        obj.ent_type_ in ("ORG", "GPE", "NORP") or _lemma(obj) in _SOURCES)


def _according_to(doc: "Doc") -> Holder | None:
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _holder_of(pobj)
    return None


# The parse helpers other analysis modules read a sentence with (analysis/causes.py).
holder_of = _holder_of
subject_of = _subject
speech_head = _speech_head
according_to = _according_to
negated = _negated
