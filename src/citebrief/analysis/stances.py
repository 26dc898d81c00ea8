"""Actors and their dated stances toward the question's target, with reasons of their own.

For every evidence sentence, in document order: parse it, extract its claims, resolve each claim's
holder to an actor within the document, and keep

- a **stance point** (position, date, evidence id) when the claim's predicate takes a side and is
  about the target (its object shares the target's words, or it has no object of its own and the
  sentence is close to the question); a statement that asserts a proposition the question asks
  about counts as backing it, one that calls it false as rejecting it;
- a **reason** when the claim states one ("because …", "citing …", "over …"), or when the actor's
  own statement is on the question's subject: reasons are never shared between actors.

The table shows each actor's latest position (by the date of the statement: a year the sentence
names, else the publication date) and keeps the whole series, so a change is visible with both ends
cited.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from ..brief.evidence import OTHER_STORY, other_stories, same_words, topic_coverage
from ..brief.items import asked_keys, on_another_item
from ..brief.lexicon import has_reason, without_label
from ..brief.usable import asks, signpost
from ..brief.model import ActorFinding, Evidence, Plan, Position, Shape
from ..verify.lexicon import NUMBER_WORDS
from ..verify.text import stem
from ..split import split_sentences
from .causes import CauseStatement, cause_statements, main_cause, question_doers, question_event, same_thing
from .claims import Claim, Holder, act_claims, advocacy, content_lemmas, extract_claims
from .names import DEFINITE_ORGS, Actor, DocumentNames, clean_person_name, country_of, person_key
from .parse import parse, parse_one
from .parties import question_parties
from .posts import Post, embedded_posts, post_at, without_links
from .quotes import attributed, continued, in_quotation
from .vocab import CAUSAL_RE, SANCTION_VERBS, SPEECH_VERBS, calls_false, kind_of_entity
from .target import (ACT_NOUNS, PROPOSITION_NOUNS, UNDOING_NOUNS, UNDOING_VERBS, Target, asks_for_sides,
                     question_target)
from .valence import CLEAR, appraisal, valence
from .writers import FIRST_PERSON, in_own_voice, speaks_for_itself, writer_of

_ANAPHORIC_OBJECTS = frozenset({"it", "this", "that", "one", "them", "the idea", "the plan", "the move",
                                "the proposal", "the bid", "the decision", "the measure", "the deal"})
_ANONYMOUS = re.compile(r"\b(anonymity|anonymous|unnamed|not authori[sz]ed|familiar with|declined to be named|"
                        r"asked not to be (named|identified))\b", re.I)
_COUNTRY_CLASS = re.compile(r"\b(countries|country|nations|states|governments|capitals|allies|members)\b", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
# "Indianapolis – Several thousand teachers …", "KYIV, Ukraine — …": a dateline is not the subject
_DATELINE = re.compile(r"^(?:[A-Z][\w.'’]+\s?){1,4}(?:,\s*[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?\s+[–—-]+\s+(?=[A-Z“\"])")
_MAX_REASON_WORDS = 32
# a role that speaks for a state ("Foreign Minister", "government spokesman", "Prime Minister")
_OFFICE = re.compile(r"\b(minister|president|premier|chancellor|spokes(?:man|woman|person)|ambassador|government|"
                     r"foreign|defen[cs]e|secretary)\b", re.I)
_ASSERTING = frozenset("accuse charge allege claim blame assert insist".split())
_NOT_TRUE = re.compile(r"\b(not|n['’]t|never)\s+(true|accurate|correct|right|the case)\b", re.I)
# Verbs that report data rather than a view ("the embassy reported the index reached 408"): such a
# statement is a fact the brief may quote, not a reason and not a seat at the table.
_DATA_VERBS = frozenset(["according to", *"report estimate show find record measure count confirm announce".split()])
# "said in a statement", "issued a statement": a later "the statement said" is the same author's
_STATEMENT = re.compile(r"\b(?:in|issued|released) an? (?:\w+ )?statement\b", re.I)
_REASONS = 3  # a row's stated reasons
# characters: a person's words this close to a statement of theirs heard on the question are the same remarks
_BESIDE = 400
_OWN_VOICE_REASONS = 5  # … a reviewer's or columnist's row
_ORDER = {Position.OPPOSES: 0, Position.HESITANT: 1, Position.MIXED: 2, Position.SUPPORTS: 3, Position.NEUTRAL: 4}


@dataclass(slots=True)
class _Tally:
    """What is known of one actor while the evidence is read (mutable only inside this module)."""

    actor: Actor
    aliases: dict[str, None] = field(default_factory=dict)
    points: list[tuple[Position, str | None, str]] = field(default_factory=list)  # position, date, evidence id
    explicit: list[tuple[str, str]] = field(default_factory=list)  # reason text, evidence id
    said: list[tuple[float, str, str]] = field(default_factory=list)  # relevance, statement, evidence id
    said_dates: dict[str, str | None] = field(default_factory=dict)  # evidence id → the date a statement is of
    attributions: dict[str, None] = field(default_factory=dict)
    on_target: bool = False  # one of its statements shares a word with the target
    explains: bool = False  # one of its statements gives a cause ("because", "due to", "blamed")
    closest: float = 0.0  # the cosine to the question of its closest statement
    posted: dict[str, None] = field(default_factory=dict)  # evidence ids that are its own social-media posts
    # the country a page gives the office of an official whose role names none ("Interior Minister Wolfgang
    # Peschorn" where the page also says "Austria's interior minister")
    home: dict[str, None] = field(default_factory=dict)
    # it speaks, named in the sentence, in the article closest to the question
    quoted_closest: bool = False
    docs: set[str] = field(default_factory=set)  # the documents that name it
    own_voice: bool = False  # a writer's own unattributed judgements (a review, a column)
    in_asked_role: bool = False  # it speaks in a role the question asks about ("the judges")
    # what it reports or is the source of ("…, according to Xinhua"): its account, heard once it has a row
    reported: list[tuple[float, str, str]] = field(default_factory=list)
    stood: list[tuple[float, str, str]] = field(default_factory=list)  # its stands with a long object, as written
    # where each statement heard on the question stands (document, offset), and a person's further words too far
    # from the question to be heard on their own: next to one heard, they are the same remarks
    heard_at: dict[str, tuple[str, int]] = field(default_factory=dict)
    aside: list[tuple[float, str, str, str, int]] = field(default_factory=list)  # sim, text, id, document, offset


@dataclass(frozen=True, slots=True)
class StanceOptions:
    """Thresholds on the MiniLM cosine between a sentence and the question."""

    about_without_object: float = 0.45  # a stance with no object of its own is about the target if this close
    about_other_object: float = 0.62  # a stance whose object shares no target word, if the sentence is this close
    document_on_topic: float = 0.6  # a document with a sentence this close is about the question's subject
    object_close: float = 0.55  # … or if its object phrase is this close to the target phrase ("membership" ~ "joining")
    statement_on_topic: float = 0.40  # an actor's statement counts as a reason if this close
    named_statement_on_topic: float = 0.30  # … or this close, said by a named person or body in an on-topic article
    heard_on_question: float = 0.47  # a party with a statement this close to the question has a row, stance or not
    max_actors: int = 14
    near_best_document: float = 0.75  # a why question's causes are read in documents this close to the question
    # (their closest sentence, relative to the closest document's)
    # a document whose closest sentence is under this share of the closest document's is on another story: its
    # causes explain something else (the writer quotes none of it: ``brief.evidence.OTHER_STORY``)
    other_story: float = OTHER_STORY


Embed = Callable[[list[str]], np.ndarray]


def analyse_actors(plan: Plan, evidence: dict[str, Evidence], doc_texts: dict[str, str],
                   similarity: dict[str, float], embed: Embed | None = None,
                   options: StanceOptions = StanceOptions(),
                   part_similarity: dict[str, float] | None = None) -> list[ActorFinding]:
    """Actors with dated stances toward the question's target and their own stated reasons.

    ``part_similarity``: each sentence's cosine to the closest part of a question of several parts (what a
    person says is heard on the part it speaks to; stances are still read against the whole question).

    ``embed`` (the corpus embedder) compares a stance's object phrase with the target phrase, so
    "opposed Ukrainian membership" is about "Ukraine joining" though no word is shared.
    """
    target = question_target(plan.question)
    asked = parse_one(plan.question)
    # A why or what-happened question asks for causes and events, not sides: what an actor says there
    # is its account ("blamed crop burning"), and "fought dirty air" is no stance on the question.
    # … unless it also asks who takes a side ("Why is the city selling the pier, and who backs the plan?")
    sides = plan.shape not in (Shape.WHY, Shape.WHAT_HAPPENED) or asks_for_sides(plan.question)
    want_countries = _asks_for_countries(plan.question)
    outlets = {(ev.doc.outlet or "").lower() for ev in evidence.values() if ev.doc.outlet}
    # the subject of a contested target ("Ukraine" joining) holds no seat at its own table (a person among
    # them who speaks has one: ``_tally_of``); in an
    # event ("why did Acme recall its cars") the named parties are the ones who explain it
    subject = target.entities if sides else ()
    # … but those named with a proposition ("the Russian accusation that …") are who holds it
    excluded = {e.lower() for e in subject} | {a.lower() for a in plan.focus_actors if sides and not target.proposition}
    excluded |= {c.lower() for e in subject if (c := country_of(e))}
    # the people the question names ("Zach Parise scored twice … why has the veteran started scoring again?")
    asked_people = frozenset(e.text.split()[-1].lower() for e in asked.ents if e.label_ == "PERSON")
    # … and the roles it asks about ("how did the judges, the host and his rival finalist react?")
    asked_roles = frozenset(t.lemma_.lower() for t in asked if t.pos_ == "NOUN" and t.text.islower() and not t.ent_type_)
    tallies: dict[str, _Tally] = {}
    # a why question's positions are positions on a cause: who asserts it, who denies it
    explaining = plan.shape == Shape.WHY
    causes: list[tuple[str, CauseStatement, str | None, str, str]] = []  # tally key, statement, date, id, text
    by_doc: dict[str, list[Evidence]] = defaultdict(list)
    for ev in evidence.values():
        by_doc[ev.doc.doc_id].append(ev)
    texts = [_body(ev.text) for evs in by_doc.values() for ev in evs]
    contexts = {ev.evidence_id: _context(doc_texts.get(ev.doc.doc_id, ""), ev.start) for evs in by_doc.values()
                for ev in evs}
    parsed = parse(texts + [c for c in contexts.values() if c])  # one batch; later calls hit the cache
    closeness = _object_closeness(target, [c for d in parsed[:len(texts)] for c in extract_claims(d)], embed)
    # a document is about the question when a sentence is close to it, or names half its topic terms
    # ("The monetary policy board voted six to one to hold" for "which board members opposed holding rates")
    doc_best = {d: max(max(similarity.get(ev.evidence_id, 0.0) for ev in evs),
                       options.document_on_topic if max(topic_coverage(ev.text, plan.topic_terms) for ev in evs) >= 0.5
                       else 0.0) for d, evs in by_doc.items()}
    doc_close = {d: max(similarity.get(ev.evidence_id, 0.0) for ev in evs) for d, evs in by_doc.items()}
    top = max(doc_close.values(), default=0.0)
    # a document on another story explains something else (its speakers are still read: a page on the same
    # story can sit far from the question's words, as the seed's 2024 analysis does)
    elsewhere = other_stories(evidence, similarity, options.other_story)
    for doc_id, evs in by_doc.items():
        names = DocumentNames(doc_texts.get(doc_id, ""))
        posts = embedded_posts(doc_texts.get(doc_id, ""))
        writer = writer_of(evs[0].doc)
        own_voice = speaks_for_itself(evs[0].doc) or in_own_voice(doc_texts.get(doc_id, ""))
        for ev in sorted(evs, key=lambda e: e.start):
            if contexts[ev.evidence_id]:
                _note_entities(names, parse([contexts[ev.evidence_id]])[0])
            sent = parse([_body(ev.text)])[0]
            post = post_at(posts, ev.start)
            claims = extract_claims(sent)
            # ("We believe the verdict was right": a quotation's "we" is whoever its close names)
            # (a sentence with an attribution of its own, "…, he said", is not rebuilt; one inside a quotation whose
            # subject is someone the speaker talks about, "He kept coming at us.", is)
            whole = None if post or any(c.holder and not (c.holder.kind == "pronoun" and c.holder.text.lower()
                                                          in FIRST_PERSON) and c.predicate in SPEECH_VERBS
                                        for c in claims) else \
                attributed(_body(ev.text), doc_texts.get(doc_id, ""), ev.start + len(ev.text)) \
                or continued(_body(ev.text), doc_texts.get(doc_id, ""), ev.start + len(ev.text) - len(_body(ev.text)))
            # a quotation's first sentences are the words of whoever its close names; one that goes on after an
            # attributed quotation, naming nobody, is the same speaker's
            if whole:
                sent = parse([whole])[0]
                claims = extract_claims(sent)
            if writer is not None and not post:  # (a quoted post's "I" is its author)
                # "we can say that Apple has listened": the writer's own words (not a speaker's "we" in quotes),
                # and in a column or review an unattributed judgement is the writer's too
                claims = [replace(c, holder=writer) if c.holder is not None and c.holder.text.lower() in FIRST_PERSON
                          and c.holder.kind == "pronoun" and not in_quotation(sent.text, c.holder.start) else c
                          for c in claims]
                if not whole and own_voice and not any(c.holder for c in claims):
                    claims.append(_writer_claim(writer, sent))
            if not sides:
                # where no side is read, what a speaker is said to do inside their own quotation ("I don't even own
                # a computer," he told Cook) is heard through the statement, not as the whole sentence again
                spoken = {c.holder for c in claims if c.polarity is None and c.content and c.predicate in SPEECH_VERBS}
                claims = [c for c in claims if c.polarity is None or c.holder not in spoken]
            if sides and target.acts:  # doing the asked-about act backs it ("the league suspended Garrett")
                claims += act_claims(sent, target.acts, target.entities)
            if explaining and doc_id not in elsewhere and (
                    doc_close[doc_id] >= min(options.document_on_topic, options.near_best_document * top)
                    or similarity.get(ev.evidence_id, 0.0) >= options.statement_on_topic):
                # causes stated in an article on another story explain something else (a shared word
                # with the question, "New York", does not make an article about it)
                _read_causes(sent, ev, post, names, tallies, want_countries, outlets, excluded, causes)
            # (a sentence that names nothing the question does is on another item of the article: a market
            # wrap's currency strategist on a question about oil)
            closest = doc_close[doc_id] >= top and topic_coverage(_body(ev.text), plan.topic_terms) > 0
            for claim in claims + ([_post_claim(post, sent)] if post else []):
                if post and claim.holder is not None and claim.holder.text.lower() in ("i", "we"):
                    claim = replace(claim, holder=_author(post))  # "I urge all residents …" in a post is its author
                sim = similarity.get(ev.evidence_id, 0.0)
                if _bare(claim) and doc_best.get(doc_id, 0.0) >= options.document_on_topic \
                        and doc_close[doc_id] >= options.near_best_document * top \
                        and not _points_elsewhere(claim, sent, doc_texts.get(doc_id, ""), ev.start, target):
                    # in an article about the target, "the trial" or "the plan" is the target's
                    sim = max(sim, options.about_without_object)
                if closeness.get(claim.object_text, 0.0) >= options.object_close:
                    sim = max(sim, options.about_other_object)
                _read_claim(claim, ev, sent, names, target, sim, options, tallies, want_countries, outlets, excluded,
                            # (the closest document is about the question whatever its score: the answer
                            # is in it if anywhere)
                            sides, doc_best.get(doc_id, 0.0) >= options.document_on_topic or doc_close[doc_id] >= top,
                            doc_close[doc_id] >= options.near_best_document * top,
                            (part_similarity or {}).get(ev.evidence_id, 0.0),
                            _heading_year(doc_texts.get(doc_id, ""), ev.start), closest, asked_people,
                            asked_roles)
            _note_entities(names, sent)
    toward = _place_causes(causes, tallies, parsed[:len(texts)], plan.question, embed) if causes else ""
    _merge_surnames(tallies)
    _merge_acronyms(tallies)
    _merge_descriptions(tallies)
    _merge_spoken_for(tallies)
    findings = [f for f in (_finding(t, target, options) for t in tallies.values()) if f is not None]
    if toward:
        findings = [replace(f, toward=toward) for f in findings]
    # A row that states no position stays only if its statements speak to the target itself, come close
    # to the question in other words (a person or body: a country's seat is its position), or, for a
    # why question, give a cause; on a question about positions, any named speaker on the subject when
    # the table is otherwise thin.
    keep = {_display(t.actor) for t in tallies.values()
            if t.on_target or (t.explains and plan.shape != Shape.ACTORS)
            or (t.closest >= options.heard_on_question and t.actor.kind != "country")
            # on a question that is not about sides, whoever the closest article quotes by name is heard on it
            or (t.quoted_closest and plan.shape != Shape.ACTORS and t.said)
            or (t.in_asked_role and t.said)}
    if explaining:
        # "Why did Harbour Air order ten jets?": whoever did it, and its people ("Harbour Air President Tom Hale"),
        # speak for their own act, cause or not
        doers = question_doers(asked)
        keep |= {_display(t.actor) for t in tallies.values() if t.said and _is_party(t, doers)}
    if plan.shape == Shape.ACTORS and sum(f.position != Position.NEUTRAL for f in findings) < 2:
        # few stances the words state: the named people and bodies who speak on the subject are the
        # parties a reader needs, their position left to their own words
        # (a speaker whose sentences name nothing the question does, in a paragraph about other countries than the
        # question's, is heard on another item of the page: another tie's winner in a round-up)
        keep |= {_display(t.actor) for t in tallies.values()
                 if t.explains or (t.actor.kind in ("person", "organisation") and not all(
                     topic_coverage(evidence[eid].text, plan.topic_terms) == 0 and _on_other_countries(
                         _paragraph(doc_texts.get(evidence[eid].doc.doc_id, ""), evidence[eid].start),
                         plan.focus_actors)
                     for _, _, eid in t.said if eid in evidence))}
    # (nor is one who takes no side and speaks only in paragraphs on other countries than the question's, or in
    # items of a notes column that name nothing the question does: in a round-up, another tie's player on his own
    # match, another team's coach on his quarterback)
    keys = asked_keys(plan.question, plan.topic_terms)

    def elsewhere(ev: Evidence) -> bool:
        text = doc_texts.get(ev.doc.doc_id, "")
        return _on_other_countries(_paragraph(text, ev.start), plan.focus_actors) or on_another_item(text, ev.start,
                                                                                                       keys)
    aside = {_display(t.actor) for t in tallies.values() if not t.points and t.said and all(
        elsewhere(evidence[eid]) for _, _, eid in t.said if eid in evidence)}
    findings = [f for f in findings if (f.position != Position.NEUTRAL or f.name in keep) and f.name not in aside]
    # whoever did the act asked about ("Why did Harbour Air order ten jets?", "the league's decision") and
    # speaks on it without a stance word speaks for its own act: a party, shown as such, not a stated side
    parties = (*question_parties(asked), *target.authors)
    by_name = {_display(t.actor): t for t in tallies.values()}
    findings = [replace(f, position=Position.SUPPORTS, party=True, toward="")
                if parties and f.position == Position.NEUTRAL and by_name[f.name].said
                and _is_party(by_name[f.name], parties) else f for f in findings]
    findings.sort(key=lambda f: (_ORDER[f.position], -len(f.position_evidence) - len(f.reason_evidence), f.name))
    return findings[:options.max_actors]


def _is_party(tally: _Tally, parties: tuple[str, ...]) -> bool:
    """Whether the actor is one of the parties or of its people: named so, or in its role ("head of sales at
    Acme"), or of its country ("Norwegian Interior Ministry" for Norway, or an interior minister where the page says
    "Norway's interior minister")."""
    names = " ".join([tally.actor.name, tally.actor.role or "", *tally.aliases])
    country = country_of(tally.actor.role or tally.actor.name)
    return any(re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", names, re.I) or country == p
               or list(tally.home) == [p] for p in parties)


def _asks_for_countries(question: str) -> bool:
    """"Which NATO members / countries / allies …" asks for countries; "which board members" does not."""
    if not re.search(r"\b(which|what)\b[^?]{0,40}" + _COUNTRY_CLASS.pattern, question, re.I):
        return False
    for tok in parse_one(question):
        if _COUNTRY_CLASS.fullmatch(tok.text):
            if tok.lower_ in ("countries", "country", "nations"):
                return True  # "member countries", "European nations"
            # a common noun before the class word names another body ("board members", "state governments");
            # "member states" are countries
            mods = [c for c in tok.lefts if c.dep_ in ("compound", "nmod", "amod")]
            return not any(c.pos_ == "NOUN" and not c.ent_type_
                           and not (c.lower_ == "member" and tok.lower_ == "states") for c in mods)
    return True


def _merge_surnames(tallies: dict[str, _Tally]) -> None:
    """A person known only by a surname joins the one person of that surname named in full elsewhere."""
    people = [k for k, t in tallies.items() if t.actor.kind == "person"]
    # a surname the recogniser labelled an organisation ("Prakash said") is that person too
    single = [k for k, t in tallies.items() if " " not in k and t.actor.kind in ("person", "organisation")]
    for key in single:
        full = [k for k in people if k.endswith(" " + key)]
        if len(full) != 1:
            continue
        _merge(tallies[full[0]], tallies.pop(key))


def _merge_acronyms(tallies: dict[str, _Tally]) -> None:
    """"The NMSA" joins the "National Medicines Safety Authority" named in full (its initials)."""
    initials = {"".join(w[0] for w in t.actor.name.split() if w[:1].isupper()): k for k, t in tallies.items()
                if t.actor.kind in ("organisation", "group") and len(t.actor.name.split()) >= 2}
    for key in list(tallies):
        short = re.sub(r"^(?:the|The)\s+", "", tallies[key].actor.name)
        full = initials.get(short)
        if re.fullmatch(r"[A-Z]{2,6}", short) and full and full != key and full in tallies:
            _merge(tallies[full], tallies.pop(key))
            tallies[full].aliases[short] = None


def _merge_descriptions(tallies: dict[str, _Tally]) -> None:
    """A description joins the one actor of the same page it describes more vaguely: "the news agency" the
    "Xinhua News Agency", "a company spokesperson" the "WeWork spokesperson", "the expert" the "legal expert"; or of
    another page when both are heard saying the same words (one quote, two outlets)."""
    for key in list(tallies):
        if key not in tallies:
            continue
        name = re.sub(r"^the\s+", "", tallies[key].actor.name, flags=re.I)
        words = name.split()
        if not words or not all(w.islower() for w in words[1:]) or not (words[0].islower() or len(words) == 1):
            continue
        # (the description's last word is what it is; the other is more specific: longer, or qualified by a name;
        # "Analysts" opening a sentence may join "industry analysts", "Disney" joins "Walt Disney", not a person)
        head = words[-1].lower()
        fits = [k for k, t in tallies.items() if k != key and t.actor.kind != "country"
                and (words[0].islower() or t.actor.kind == tallies[key].actor.kind)
                and t.actor.name.lower().endswith(" " + head)
                and (len(t.actor.name.split()) > len(words) or any(w[:1].isupper() for w in t.actor.name.split()[:-1]))]
        # (on the same page, or heard saying the same words on another: a syndicated quote)
        fits = [k for k in dict.fromkeys(fits) if tallies[k].docs & tallies[key].docs
                or _says_the_same(tallies[k], tallies[key])]
        if len(fits) == 1:
            _merge(tallies[fits[0]], tallies.pop(key))


def _merge_spoken_for(tallies: dict[str, _Tally]) -> None:
    """A body heard only in the words of one of its people ('"We had some issues," said Acme executive Jo Bloggs':
    the "we" is Acme) is that person's row: the same words twice, once under each name, tell a reader nothing more.
    A body with a position of its own, or words of its own, keeps its row."""
    for key in list(tallies):
        body = tallies[key]
        if body.points or not body.said:
            continue
        # (the body by its name in the person's role, "Walt Disney" of "Walt Disney Co. executive", whatever kind the
        # parser gave the name)
        words = {w.lower() for w in body.actor.name.split()}
        people = [k for k, t in tallies.items() if k != key and t.actor.kind == "person" and words <= {
            w.lower().strip(".,") for w in (t.actor.role or "").split()}]
        speaker = [k for k in people
                   if all(any(same_words(x, y) for _, y, _ in tallies[k].said) for _, x, _ in body.said)]
        if len(speaker) == 1:
            _merge(tallies[speaker[0]], tallies.pop(key))
            tallies[speaker[0]].aliases[body.actor.name] = None  # (whom they spoke for)


def _says_the_same(a: _Tally, b: _Tally) -> bool:
    """Whether two rows were heard saying the same thing (one quote as two outlets give it)."""
    return any(same_words(x, y) for _, x, _ in a.said for _, y, _ in b.said)


def _merge(into: _Tally, gone: _Tally) -> None:
    into.points += gone.points
    into.explicit += gone.explicit
    into.said_dates.update(gone.said_dates)
    into.said += gone.said
    into.reported += gone.reported
    into.stood += gone.stood
    into.heard_at.update(gone.heard_at)
    into.aside += gone.aside
    into.aliases.update(gone.aliases)
    into.attributions.update(gone.attributions)
    into.on_target |= gone.on_target
    into.explains |= gone.explains
    into.closest = max(into.closest, gone.closest)
    into.quoted_closest |= gone.quoted_closest
    into.docs |= gone.docs
    into.posted.update(gone.posted)
    into.home.update(gone.home)
    into.own_voice |= gone.own_voice
    into.in_asked_role |= gone.in_asked_role


def _body(text: str) -> str:
    """The sentence without a leading dateline or link label (what is parsed; reasons stay verbatim substrings)."""
    return without_label(_DATELINE.sub("", text, count=1))


def _object_closeness(target: Target, claims: list[Claim], embed: Embed | None) -> dict[str, float]:
    """Cosine between each stance object phrase and the target phrase (empty without an embedder)."""
    objects = sorted({c.object_text for c in claims if c.polarity is not None and len(c.object_text) > 3})
    if embed is None or not objects:
        return {}
    vectors = embed([target.text, *objects])
    return dict(zip(objects, (vectors[1:] @ vectors[0]).tolist()))


def _paragraph(doc_text: str, start: int) -> str:
    """The paragraph of the document around ``start``, with the one before when it names no country (a paragraph
    of quotes goes on from the one that says whose match it was)."""
    begin = doc_text.rfind("\n\n", 0, start)
    end = doc_text.find("\n\n", start)
    text = doc_text[begin + 2 if begin >= 0 else 0:end if end >= 0 else len(doc_text)]
    if begin > 0 and not _countries_in(text):
        before = doc_text.rfind("\n\n", 0, begin)
        text = doc_text[before + 2 if before >= 0 else 0:begin] + "\n\n" + text
    return text


def _countries_in(text: str) -> set[str]:
    return {c for w in re.findall(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)?\b", text) if (c := country_of(w))}


def _on_other_countries(text: str, focus: tuple[str, ...]) -> bool:
    """The text names countries, and none of them is one the question names ("Norway got past Chile" on a
    question about Spain and Peru)."""
    asked = {c for n in focus if (c := country_of(n))}
    if not asked:
        return False
    named = _countries_in(text)
    return bool(named) and not named & asked


def _context(doc_text: str, start: int) -> str:
    """The sentence before ``start`` in the document (for pronouns), or ""."""
    if not doc_text or start <= 0:
        return ""
    window = doc_text[max(0, start - 600):start]
    spans = split_sentences(window)
    if not spans:
        return ""
    s, e = spans[-1]
    return window[s:e].strip()


def _note_entities(names: DocumentNames, doc, before: int | None = None) -> None:
    """Remember the people and organisations a text names (those ending before ``before``, if given)."""
    for ent in doc.ents:
        if before is not None and ent.end_char > before:
            break
        text = _without_possessive(ent.text)
        if in_quotation(doc.text, ent.start_char):
            # a person or body named in someone's quotation is not whom the next "he" or "they" is about (nor the
            # "they" of its own attribution: '"… block her Harbourflix special," they said')
            continue
        if _CREDIT.search(doc.text[:ent.start_char]):
            continue  # "This graphic, provided by Jane Okoro, …": a credit line names no one in the story
        if ent.label_ == "PERSON" and len(text.split()) <= 4 and kind_of_entity(text, ent.label_) == "person":
            names.note(Actor(names.person_name(text), "person"))
        elif ent.label_ == "ORG" or (ent.label_ == "PERSON" and kind_of_entity(text, ent.label_) == "organisation"):
            names.note(Actor(text.removeprefix("the ").removeprefix("The "), "organisation"))
        elif ent.label_ == "GPE" or (ent.label_ == "NORP" and ent.root.dep_ not in ("amod", "compound")):
            # ("Democratic lawmakers": the adjective names no one a later "they" can be)
            names.note(Actor(text, "country"))
    if before is None:
        # two people named together ("Senator Elizabeth Warren and congresswoman Alexandria Ocasio-Cortez") are
        # whom the next "they" most likely means, not the company named a sentence before
        people = [e for e in doc.ents if e.label_ == "PERSON" and not in_quotation(doc.text, e.start_char)]
        pair = next(((a, b) for a in people for b in people if b.root.dep_ == "conj" and b.root.head == a.root), None)
        if pair is not None:
            names.note(Actor(" and ".join(names.person_name(_without_possessive(e.text)) for e in pair), "group"))
        # the person the sentence is about, its main subject, is whom the next "he" most likely means:
        # "Braun has worked with Kanye West and Kim Kardashian. He has denied …" is Braun
        root = next((t for t in reversed(doc) if t.dep_ == "ROOT"), None)  # (of the last sentence read)
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root else None
        ent = next((e for e in doc.ents if subject is not None and e.start <= subject.i < e.end
                    and e.label_ == "PERSON" and not in_quotation(doc.text, e.start_char)), None)
        if ent is not None:
            names.note(Actor(names.person_name(_without_possessive(ent.text)), "person"))
        elif subject is not None and subject.pos_ == "PROPN" and not in_quotation(doc.text, subject.idx):
            # a surname the recogniser did not label a person here ("Braun has worked with Kanye West and Kim
            # Kardashian. He …") is the person the page named in full before
            earlier = names.person_by_surname(subject.text)
            if earlier is not None:
                names.note(earlier)
            elif not subject.ent_type_:
                # a name the recogniser left unlabelled that is no person of the page ("Big Label have twice denied
                # it. …," they said") is a body, the next "they" most likely (as a holder it is read so too)
                first = subject.i
                while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].dep_ in ("compound", "flat"):
                    first -= 1
                names.note(Actor(doc[first:subject.i + 1].text, "organisation"))


# what a credit line says before the name it credits ("provided by", "courtesy of", "Photo:", "Source:")
_CREDIT = re.compile(r"\b(?:(?:provided|supplied|photographed|illustrated)\s+by|courtesy\s+of|(?:photo|image|picture|"
                     r"graphic|chart|illustration|credit|source)s?\s*(?:by|:|/))\s*$", re.I)


def _without_possessive(name: str) -> str:
    """"Hong Kong’s", "Trump's": the name without the possessive."""
    return re.sub(r"['’]s?$", "", name)


def _of_main_clause(tok) -> bool:
    """Whether a token modifies the sentence's main verb directly or through one preposition."""
    head = tok.head.head if tok.head.dep_ == "prep" else tok.head
    return tok.dep_ in ("npadvmod", "pobj", "nmod", "tmod", "advmod") and head.dep_ == "ROOT"


# whole numbers of years in words ("fifteen years ago"), from the checker's number lexicon
_YEAR_COUNTS = {w: int(n) for w, n in NUMBER_WORDS.items() if n == int(n) and 2 <= n <= 90 and " " not in w}
_YEARS_AGO = re.compile(r"\b(\d{1,2}|" + "|".join(_YEAR_COUNTS) + r")\s+years\s+(ago|earlier)\b", re.I)


def _date_of(ev: Evidence, sent, heading: int | None = None) -> str | None:
    """A year the sentence names as the time of what it reports (before publication), else the year of the
    dated heading it sits under ("2008: part of the brake"), else the publication date.

    "fifteen years ago" in an article of 2023 is 2008."""
    published = ev.doc.published
    ago = _YEARS_AGO.search(sent.text)
    if ago and published:
        n = ago.group(1).lower()
        return str(int(published[:4]) - (int(n) if n.isdigit() else _YEAR_COUNTS[n]))
    # only a date of the main clause ("opposed the step in 2008"), not of a noun in it ("laws adopted since 2017")
    years = [int(m.group(1)) for ent in sent.ents if ent.label_ == "DATE" and _of_main_clause(ent.root)
             for m in _YEAR.finditer(ent.text)]
    if years and (not published or min(years) < int(published[:4])):
        return str(min(years))
    if heading and (not published or heading < int(published[:4])):
        return str(heading)
    return published


_YEAR_HEAD = re.compile(r"((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?\b")


def _heading_year(doc_text: str, start: int) -> int | None:
    """The year of the heading a sentence sits under, when the nearest heading line before it (a short line
    that is not a sentence) opens with one: "2008: part of the brake", "2019-2022: dialogue" (the range's
    end)."""
    for line in reversed(doc_text[:start].split("\n")[:-1]):
        line = line.strip()
        if line and len(line) <= 80 and not line.endswith((".", "!", "?", '"', "”")):
            match = _YEAR_HEAD.match(line)
            return int(match.group(2) or match.group(1)) if match else None
    return None


def _tally_of(claim: Claim, ev: Evidence, sent, names: DocumentNames, tallies: dict[str, _Tally],
              want_countries: bool, outlets: set[str], excluded: set[str], near: bool = True) -> _Tally | None:
    """The tally of the actor who holds ``claim`` (created on first sight), or None when the holder is no
    actor of this question (unresolved, a place, the outlet reporting, the question's own subject).

    ``near``: the document is among the closest to the question. A group named only by a common noun
    ("protesters", "residents") in an article on another story is other people."""
    if claim.holder is None or (claim.holder.kind == "noun" and not near):
        return None
    _note_entities(names, sent, before=claim.holder.start)  # "Acme chief executive Jo Bloggs said the company…"
    actor = _speaker_org(claim)
    if actor is None and _definite_org(claim) and claim.speaker is not None:
        return None  # "X said the company …" where X's company is not named: better no row than a wrong one
    if claim.holder.text.lower() not in FIRST_PERSON and claim.holder.kind != "writer" \
            and claim.predicate not in ("post", "excerpt", "byline") and in_quotation(sent.text, claim.holder.start):
        # '"They think they know better than us," he said', '"The rangers wanted to close the trail," she said': what a
        # quotation says others think or want is the speaker's account of them, not a position they stated
        return None
    if claim.holder.kind == "writer":  # an unsigned editorial or review: the publication speaks, not reports
        actor = Actor(claim.holder.text, "organisation", None, claim.holder.role)
    actor = actor or names.resolve(claim.holder, _named_after(sent, claim.holder),
                                   bool(_mention_roles(sent, claim.holder)))
    if actor is None or actor.kind == "place" or (actor.kind == "organisation" and actor.name.lower() in DEFINITE_ORGS):
        return None  # "Office", "Department": a body the sentence does not name
    if actor.kind == "person":
        actor = replace(actor, name=clean_person_name(actor.name))
    if want_countries:
        country = actor.country
        if country is None and actor.kind == "person" and _OFFICE.search(actor.role or ""):
            # "Foreign Minister Peter Szijjarto" in a page about Hungary speaks for Hungary
            country = names.home_country(excluded)
        if country is None:
            return None
        actor = Actor(country, "country", country, actor.name if actor.kind == "person" else actor.role)
    elif actor.kind == "country" and claim.holder.kind == "group" and claim.holder.text.endswith("s") \
            and not _OFFICE.search(claim.holder.role or "") and country_of(claim.holder.text) == actor.name:
        # "most Americans want …" (a poll) are people of the country, not its government, when the
        # question does not ask for countries
        actor = Actor(claim.holder.text, "group", actor.name)
    low = actor.name.lower()
    # (a person the question is about who speaks for themself is a party with a say: "Who defends and who
    # criticises Emily Watson over the new film?" — her own account of it is hers)
    speaks = actor.kind == "person" and claim.polarity is None
    # (the subject by the name the sentence gives it, "Stadia", whatever longer name it is filed under)
    subject = excluded & {low, claim.holder.text.lower()}
    if (low in outlets and claim.holder.kind != "writer") or (subject and not speaks) \
            or (actor.country or "").lower() in excluded:
        return None  # the outlet reporting, or the subject of the question itself ("Ukraine" joining)
    tally = tallies.setdefault(person_key(actor.name) if actor.kind == "person" else low, _Tally(actor))
    if actor.role and not tally.actor.role:
        tally.actor = replace(actor, name=max(actor.name, tally.actor.name, key=len))
    tally.aliases[claim.holder.text] = None
    if actor.kind == "person" and _OFFICE.search(actor.role or "") and country_of(actor.role or "") is None \
            and (home := names.country_of_role(actor.role or "")):
        tally.home[home] = None
    if claim.speaker is not None and claim.speaker.kind != "pronoun":
        tally.attributions[f"reported by {claim.speaker.text}"] = None
    if _ANONYMOUS.search(ev.text):
        tally.attributions["anonymous sources"] = None
    if claim.predicate in ("post", "excerpt"):
        tally.attributions["a social-media post" if claim.predicate == "post" else "an excerpt credited to it"] = None
        tally.posted[ev.evidence_id] = None
    if claim.predicate == "byline":
        tally.attributions[f"the writer's own words ({claim.holder.role})"] = None
        tally.own_voice = True
    if claim.polarity is None and _STATEMENT.search(sent.text):
        names.last_statement = tally.actor  # "… said in a statement" — "the statement said" is theirs
    return tally


_CASE_WORDS = 6  # an object of a stance verb this long says why, not only what


def _act_phrase(claim: Claim, sent) -> str:
    """The stance verb as written with its object ("criticised Scooter Braun's company and …"), or ""."""
    at = sent.text.find(claim.object_text)
    if at < 0:
        return ""
    # (a verb: "Budapest's support for …" is a noun, whose phrase alone would read as the opposite stand)
    verb = next((t for t in reversed(sent[:]) if t.idx < at and t.lemma_.lower() == claim.predicate.split()[-1]
                 and t.pos_ == "VERB"), None)
    if verb is None:
        return ""
    # (with the verb it completes, "refused to back a plan", and its negation and auxiliaries: "don't expect to act
    # until 2021" is not "expect to act")
    while verb.dep_ == "xcomp" and verb.head.i < verb.i:
        verb = verb.head
    first = min([verb, *(c for c in verb.children if c.dep_ in ("neg", "aux", "auxpass") and c.i < verb.i)],
                key=lambda t: t.i)
    return sent.text[first.idx:at + len(claim.object_text)]


def _mention_roles(sent, holder: Holder) -> set[str]:
    """The role words a mention gives its holder: a lower-case noun on the name ("judge Inaba", "host Tom Bergeron",
    "Wild coach Bruce Boudreau") and the words of its role ("the mayor's lawyer")."""
    span = _span(sent, holder)
    words = {c.lemma_.lower() for t in sent if t.i in span for c in t.children
             if c.i not in span and c.dep_ in ("compound", "amod", "nmod") and c.text.islower()}
    return words | {w.lower() for w in re.findall(r"[A-Za-z]+", holder.role)}


def _roles(sent, holder: Holder, actor: Actor) -> set[str]:
    """The mention's role words, the role found for the actor, and a group's own nouns as the page names it
    ("Authorities say …", "the regional health commission")."""
    words = _mention_roles(sent, holder) | {w.lower() for w in re.findall(r"[A-Za-z]+", actor.role or "")}
    if actor.kind == "group":
        span = _span(sent, holder)
        words |= {t.lemma_.lower() for t in sent if t.i in span and t.pos_ == "NOUN"} | set(actor.name.lower().split())
    return words


def _span(sent, holder: Holder) -> set[int]:
    """The indexes of the sentence's tokens that the holder mention covers."""
    return {t.i for t in sent if holder.start <= t.idx < holder.end}


def _named_after(sent, holder: Holder) -> frozenset[str]:
    """The surnames of the people a pronoun's own clause names after it: "he … called Omar a terrorist" is
    not Omar (a pronoun subject never stands for a name it governs)."""
    if holder.kind != "pronoun":
        return frozenset()
    pronoun = next((t for t in sent if t.idx == holder.start), None)
    if pronoun is None or pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return frozenset()
    clause = {t.i for t in pronoun.head.subtree}
    return frozenset(e.text.split()[-1].lower() for e in sent.ents
                     if e.label_ == "PERSON" and e.start > pronoun.i and e.root.i in clause)


def _read_claim(claim: Claim, ev: Evidence, sent, names: DocumentNames, target: Target, sim: float,
                options: StanceOptions, tallies: dict[str, _Tally], want_countries: bool, outlets: set[str],
                excluded: set[str], sides: bool = True, on_topic_doc: bool = False, near: bool = True,
                part_sim: float = 0.0, heading: int | None = None, closest: bool = False,
                asked_people: frozenset[str] = frozenset(), asked_roles: frozenset[str] = frozenset()) -> None:
    tally = _tally_of(claim, ev, sent, names, tallies, want_countries, outlets, excluded, near)
    if tally is None:
        return
    tally.docs.add(ev.doc.doc_id)
    if closest and tally.actor.kind == "person" and claim.polarity is None and claim.predicate in SPEECH_VERBS \
            and claim.holder is not None and claim.holder.kind != "pronoun" and claim.holder.text in sent.text:
        tally.quoted_closest = True
    position = _stance(claim, target, sim, options) if sides else None
    if position is not None:
        point = (position, _date_of(ev, sent, heading), ev.evidence_id)
        if point not in tally.points:  # a sentence counts once for each position it gives an actor
            tally.points.append(point)
        if claim.reason:
            tally.explicit.append((_clip(claim.reason), ev.evidence_id))
        elif claim.polarity is None and claim.content:  # a statement that takes a side is the holder's case
            tally.explicit.append((_clip(claim.content), ev.evidence_id))
        elif claim.predicate in _ASSERTING and len(claim.object_text.split()) >= 4:
            # "accused U.S. forces of controlling bandit formations": the charge is the accuser's case
            tally.explicit.append((_clip(claim.object_text), ev.evidence_id))
        elif len(claim.object_text.split()) >= _CASE_WORDS and (act := _act_phrase(claim, sent)):
            # "criticised Scooter Braun's company and the effect big businesses can have when they buy up smaller
            # ones": what a stand is taken against, at that length, is the case made (after what it says)
            tally.stood.append((0.0, _clip(act), ev.evidence_id))
        return
    # a named speaker in an article about the question is heard on it even in a sentence that shares
    # few words with the question ("Carlineo never intended to harm her", said his attorney)
    floor = options.statement_on_topic if not (on_topic_doc and tally.actor.kind in ("person", "organisation")) \
        else options.named_statement_on_topic
    if on_topic_doc and tally.actor.kind == "person" and claim.predicate in SPEECH_VERBS \
            and tally.actor.name.split()[-1].lower() in asked_people:
        # what a person the question names says in an article about the question is heard, however far its
        # words are from the question's ("You can go either way," the player asked about said)
        floor = 0.0
    if on_topic_doc and tally.actor.kind in ("person", "group") and claim.predicate in SPEECH_VERBS \
            and claim.holder is not None and _roles(sent, claim.holder, tally.actor) & asked_roles:
        # … and so is one in a role the question asks about ("'This is not easy,' judge Inaba noted" on how the
        # judges reacted; "Authorities say …" on what the health authorities have done), who has a row for it
        floor = 0.0
        tally.in_asked_role = True
    content = claim.content or ("" if sides or claim.polarity is None else _body(ev.text))
    if tally.actor.kind == "person" and claim.polarity is None and claim.predicate in SPEECH_VERBS:
        # a person's words on one part of a question of several ("… and what did the players say about the
        # pressure the new league format puts on teams?"), which a long question's cosine dilutes
        sim = max(sim, part_sim)
    if content and signpost(content):
        return  # "Here's what the early reviews say:" announces words, it says none
    if content and _headless(content):
        # "told friends that the interview … was a “great success”" read as "was a “great success": a clause whose
        # subject the parse hung elsewhere is shown as the sentence it is in
        content = _body(ev.text)
    if (claim.polarity is None or not sides) and content and sim >= floor and not _asks(content) \
            and claim.predicate in _DATA_VERBS and not tally.points:
        tally.reported.append((sim, _clip(content), ev.evidence_id))
        return
    if claim.polarity is None and content and sim < floor and tally.actor.kind == "person" \
            and claim.predicate in SPEECH_VERBS and not _asks(content):
        tally.aside.append((sim, _clip(content), ev.evidence_id, ev.doc.doc_id, ev.start))
        return
    if (claim.polarity is None or not sides) and content and sim >= floor and not _asks(content):
        tally.heard_at[ev.evidence_id] = (ev.doc.doc_id, ev.start)
        overlap = shared_words(claim.object_lemmas, target.lemmas, target.acronyms)
        # a proposition ("the accusation that U.S. forces control …") is spoken to by a statement that shares
        # two of its words; one ("forces") is a mention of its subject, not a word on it
        tally.on_target = tally.on_target or overlap > (1 if target.proposition else 0)
        tally.explains = tally.explains or bool(CAUSAL_RE.search(content))
        tally.said.append((sim + 0.05 * overlap, _clip(content), ev.evidence_id))
        tally.said_dates[ev.evidence_id] = _date_of(ev, sent, heading)
        tally.closest = max(tally.closest, sim)


_FINITE_OPENINGS = frozenset("is are was were has have had will would can could should may might must".split())


def _headless(content: str) -> bool:
    """What was said begins with its verb: its subject is missing ("was a great success", "is fear of …")."""
    first = content.split()[:1]
    return bool(first) and first[0].lower() in _FINITE_OPENINGS


def _asks(content: str) -> bool:
    """A question states nothing: "Is the service the future of gaming, or will it fall flat?" is no one's case
    (``usable.asks`` on the statement without the quotation marks around it)."""
    return asks(content.strip(" “”\"‘’'"))


def _read_causes(sent, ev: Evidence, post: Post | None, names: DocumentNames, tallies: dict[str, _Tally],
                 want_countries: bool, outlets: set[str], excluded: set[str],
                 out: list[tuple[str, CauseStatement, str | None, str, str]]) -> None:
    """Keep each cause the sentence asserts or denies with the actor who does so (in a quoted post, its
    author unless the sentence names another)."""
    for cause in cause_statements(sent):
        holder = cause.holder
        if post is not None and (holder is None or holder.text.lower() in ("i", "we")):
            holder = _author(post)
        claim = Claim(holder, None, "post" if holder is not cause.holder else "explain", None, cause.denied,
                      cause.phrase, tuple(sorted(cause.lemmas)), "", "", cause.denied)
        tally = _tally_of(claim, ev, sent, names, tallies, want_countries, outlets, excluded)
        if tally is not None:
            key = next(k for k, t in tallies.items() if t is tally)
            out.append((key, cause, _date_of(ev, sent), ev.evidence_id, _clip(_body(ev.text))))
        elif holder is None and not cause.denied:
            # the reporting's own account ("oil fell on oversupply concerns"): no one's position, but one of the
            # explanations the actors' positions are measured against
            out.append(("", cause, _date_of(ev, sent), ev.evidence_id, _clip(_body(ev.text))))


def _place_causes(causes: list[tuple[str, CauseStatement, str | None, str, str]], tallies: dict[str, _Tally],
                  sentences, question: str, embed: Embed | None) -> str:
    """Positions on the explanation in question: asserting it supports it, denying it opposes it.

    Returns what the positions are toward ("the explanation: smoke from crop burning"), or "" when
    no actor gives a cause and the reporting gives none of what is asked. Every actor who gives a cause
    is heard on the question (its statement becomes its first reason)."""
    asked = parse_one(question)
    topic = frozenset(content_lemmas(asked))
    # a cause of something else ("a reason for stocks to drift" beside "why did oil prices fall"), when others
    # are causes of what is asked, is no explanation of it
    event = question_event(asked)
    of_it = {i for i, (_, c, *_) in enumerate(causes) if any(same_thing(e, q) for e in c.effect for q in event)}
    if of_it:
        causes = [c for i, c in enumerate(causes) if i in of_it or not c[1].effect]
    if not any(key for key, *_ in causes):
        # with no actor giving a cause, the reporting's own account is the explanation only where the parse
        # shows it is a cause of what is asked ("… were deported for violating visa norms")
        causes = [c for i, c in enumerate(causes) if i in of_it]
        if not causes:
            return ""
    mentions = [frozenset(content_lemmas(s)) for s in sentences]
    chosen = main_cause([c for _, c, _, _, _ in causes], [k for k, *_ in causes], mentions, topic, embed)
    if not chosen:
        return ""
    # "not because of one result" beside "because results had fallen …" from the same actor narrows the
    # cause it gives: an actor who asserts the explanation is not also counted as denying it
    asserting = {causes[i][0].split()[-1] for i in chosen if causes[i][0] and not causes[i][1].denied}  # "Ellery"
    for i, (key, cause, date, eid, text) in enumerate(causes):
        if not key:
            continue
        tally = tallies[key]
        tally.explains = True
        if not any(e == eid for _, _, e in tally.said):
            tally.said.append((1.0, text, eid))
        point = (Position.OPPOSES if cause.denied else Position.SUPPORTS, date, eid)
        if i in chosen and not (cause.denied and key.split()[-1] in asserting) and point not in tally.points:
            tally.points.append(point)
            tally.on_target = True
    # a speaker who states the chosen cause in words of its own, without a connective ("these Indians violated
    # their visa norms, the officials said" beside "deported for violating visa norms"), backs it: two of the
    # cause's own words (outside the question's) in one of its statements on the question
    words = frozenset().union(*(causes[i][1].lemmas for i in chosen if not causes[i][1].denied)) - topic
    for tally in tallies.values():
        if tally.points or len(words) < 2:
            continue
        backing = next((eid for _, text, eid in tally.said
                        if len(words & frozenset(content_lemmas(parse_one(text)))) >= 2), None)
        if backing is not None:
            tally.points.append((Position.SUPPORTS, None, backing))
            tally.on_target = True
    named = next((causes[i][1].phrase for i in sorted(chosen) if not causes[i][1].denied),
                 causes[min(chosen)][1].phrase)
    return f"the explanation: {named}"


def _author(post: Post) -> Holder:
    """The author of a quoted post as a holder: a person or a body, with a title kept as the role."""
    doc = parse_one(post.author)
    ent = next((e for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")), None)
    if ent is None:
        return Holder(post.author, "name", 0, len(post.author))
    kind = {"PERSON": "person", "ORG": "organisation", "GPE": "country", "NORP": "group"}[ent.label_]
    return Holder(ent.text, kind, 0, len(ent.text), post.author[:ent.start_char].strip())


def _post_claim(post: Post, sent) -> Claim:
    """A sentence of a quoted post is its author's statement (no verb of saying introduces it)."""
    return _own_words(_author(post), "excerpt" if post.credited else "post", sent)


def _writer_claim(writer: Holder, sent) -> Claim:
    """An unattributed sentence of a column or review: the writer's own statement."""
    return _own_words(writer, "byline", sent)


def _own_words(holder: Holder, kind: str, sent) -> Claim:
    """A whole sentence as ``holder``'s statement, ``kind`` saying how it is theirs (post, excerpt, byline)."""
    tone, judged = appraisal(list(sent))
    advocates, advocated = advocacy(list(sent))  # "there's no reason anyone should buy into it"
    return Claim(holder, None, kind, None, False, "", content_lemmas(sent), without_links(sent.text), "",
                 any(calls_false(t) for t in sent), advocates, advocated, appraisal=tone,
                 appraised=content_lemmas(judged))


def _definite_org(claim: Claim) -> bool:
    """The holder is "the company", "the firm", "its ministry" …"""
    return claim.holder is not None and claim.holder.kind == "noun" and \
        re.sub(r"^(the|its|his|her|their)\s+", "", claim.holder.text.lower()) in DEFINITE_ORGS


def _speaker_org(claim: Claim) -> Actor | None:
    """"[Acme chief executive Jo Bloggs] said the company …": the company is the speaker's own."""
    if not _definite_org(claim) or claim.speaker is None:
        return None
    named = re.match(r"((?:[A-Z][\w&.'’-]*\s+)*[A-Z][\w&.'’-]*)", claim.speaker.role or "")
    return Actor(named.group(1), "organisation") if named else None


def _stance(claim: Claim, target: Target, sim: float, options: StanceOptions) -> Position | None:
    """The position a claim takes toward the target, or None (no stance, or about something else)."""
    overlap = shared_words(claim.object_lemmas, target.lemmas, target.acronyms)
    if _only_names(target) and sim < options.statement_on_topic:
        # a target that is only a name ("Trump"): a sentence far from the question that names him is about
        # something else ("support Mr. Trump's efforts to remove trade barriers" on impeachment)
        return None
    if target.proposition and set(claim.object_lemmas) & PROPOSITION_NOUNS:
        overlap += 2  # "the allegations", "these claims": the asked-about proposition by another name
    if target.proposition and claim.predicate in _ASSERTING and (
            overlap >= 2 or any(lemma[:4] == claim.predicate[:4] for lemma in target.lemmas)):
        # "X accused Y of <the asked-about claim>" makes the claim; so does accusing at all when the target is the
        # accusation itself ("How did Big Machine respond to Taylor Swift's accusations?")
        return Position.SUPPORTS
    if claim.polarity is None and _NOT_TRUE.search(claim.content) and overlap >= 1:
        return Position.OPPOSES
    if claim.polarity is None and claim.predicate == "warn" and not claim.negated and _warns_of(claim.content, target):
        # "warned that the charge would push shoppers away": a warning about what the target will do
        return Position.OPPOSES
    if claim.polarity is None:
        # a statement: asserting the asked-about proposition backs it; calling it false rejects it
        if claim.denial and (overlap >= 1 or sim >= options.about_other_object):
            return Position.OPPOSES
        # saying what should be done about the target takes a side: "the Legislature should direct money
        # toward schools" backs more school funding; "should not" opposes; "should wait" hesitates
        shared = len(set(claim.advocated) & target.lemmas)
        # (a target that is only a name is a person or a body, not something to be done: "any agreement needs to
        # be made with Vell's management" takes no side on Vell)
        # (… nor a judgement, unless what is judged is an act worth doing: "Is it worth buying now?" is backed by "buy
        # it now" and rejected by "don't buy it yet")
        if claim.advocates is not None and (not target.proposition or target.judges_act) and not _only_names(target) \
                and not _is_name(target.text) and \
                (shared >= 2 or (shared == 1 and sim >= options.about_without_object)):
            if _backs_what_is_undone("", claim.advocated, target):  # "should keep the tariffs"
                return {1: Position.OPPOSES, -1: Position.SUPPORTS, 0: Position.HESITANT}[claim.advocates]
            if claim.advocates == 1 and _precondition(claim.content, target):
                # "Ukraine still needed to carry out reforms before joining": a condition put before the
                # target defers it
                return Position.HESITANT
            return {1: Position.SUPPORTS, -1: Position.OPPOSES, 0: Position.HESITANT}[claim.advocates]
        if claim.appraisal and not target.proposition and shared_words(claim.appraised, target.lemmas, target.acronyms):
            # "the interview was a great success", "the suspension is unfair": a judgement passed on the target
            # itself takes its side
            return Position.SUPPORTS if claim.appraisal > 0 else Position.OPPOSES
        # (… nor one that undoes something by a statement on the thing alone: "he would raise tariffs if no deal is
        # reached" asserts no rollback of the tariffs)
        if target.proposition and not target.judgement and overlap >= 2 and not claim.negated \
                and sim >= options.about_without_object and not (target.undone and not _undoes(claim.object_lemmas)):
            # (a judgement, "the rally is justified", is not asserted by naming the rally: its tone decides)
            return Position.HESITANT if _precondition(claim.content, target) else Position.SUPPORTS
        # (a thing judged, "how do critics rate the film", must be named in the statement: a statement near
        # the question in other words may be about something else the story tells)
        if target.judgement and claim.content and (
                overlap >= 1 or (target.proposition and sim >= options.about_without_object)):
            # "is the rally justified?": a clearly favourable statement about it backs the judgement
            # ("we expect broader markets to outperform"), a clearly unfavourable one rejects it
            tone = -1.0 if _doubts(claim.content, target) else valence(claim.content)
            if abs(tone) >= CLEAR:
                return Position.SUPPORTS if (tone > 0) == (target.judgement > 0) else Position.OPPOSES
        return None
    if _points_back(claim.object_text) and overlap == 0:
        return None  # "reject that characterisation": a stance on something said, not on the target
    if (claim.modifies or claim.describes) and overlap == 0:
        # "a deal backed by the fund" describes the deal, "lawyers who are suing the firm" the lawyers: no side
        # on anything asked
        return None
    if claim.object_text.lower() in ("him", "her") and not _only_names(target):
        return None  # "accused him of bullying": a stand on a person, not on a plan, an act or a claim
    if _about_someone_else(claim, target) and overlap < 2:
        return None  # "wants Rudolph to be disciplined" is no stand on Garrett's suspension
    if claim.predicate.startswith("not "):  # a refusal to act counts only on the target itself
        return Position.HESITANT if overlap >= 2 else None
    if _on_counter(claim, target):
        # "who sided with Swift, who with Big Machine": accusing Big Machine is siding with Swift
        return {1: Position.OPPOSES, -1: Position.SUPPORTS, 0: Position.HESITANT}[claim.polarity]
    if not claim.object_text.strip() and claim.predicate in _ACTS_WITH_OBJECT:
        return None  # "a mission scheduled to launch in the mid-2020s": it does something, it backs nothing
    # "opposed it", "resist an invitation", "backed the plan": a bare object takes its meaning from the
    # sentence, so the sentence's closeness to the question decides
    anaphoric = claim.object_text.lower() in _ANAPHORIC_OBJECTS or not claim.object_lemmas or _bare(claim)
    # what a third party says another did to "them" has no antecedent to go by: only a sentence very close
    # to the question makes it about the target
    reported = claim.speaker is not None and claim.speaker.text != (claim.holder.text if claim.holder else "")
    pronoun = claim.object_text.lower() in ("it", "them", "this", "that", "those", "these")
    near = options.about_other_object if reported and pronoun else options.about_without_object
    about = overlap >= 1 or (anaphoric and sim >= near) or sim >= options.about_other_object
    if not about:
        return None
    polarity = claim.polarity
    # (the target names a sanction by its verb or its noun: "punishing Rudolph", "Garrett deserved his suspension")
    sanction_asked = bool(target.lemmas & SANCTION_VERBS) or any(
        len(lemma) > 6 and lemma[:6] == verb[:6] for lemma in target.lemmas for verb in SANCTION_VERBS if len(verb) > 5)
    if overlap and set(claim.object_lemmas) & SANCTION_VERBS and not sanction_asked:
        # "wants Rudolph to be disciplined" is a stand against Rudolph (unless the sanction is itself
        # what the question asks about: "the fine against Harbor Freight")
        polarity = -polarity
    elif target.lemmas & SANCTION_VERBS and not shared_words(claim.object_lemmas, SANCTION_VERBS) and claim.named \
            and target.entities and not _about_someone_else(claim, target):
        # backing Rudolph is a stand against "punishing Mason Rudolph" (a sanction the target names by its verb:
        # "could Andrew face prosecution" is no act against him that "demanding the FBI summon him" opposes)
        polarity = -polarity
    if _backs_what_is_undone(claim.predicate, claim.object_lemmas, target):
        polarity = -polarity  # "imposed a new tariff" on "rolling back the tariffs"
    return {1: Position.SUPPORTS, -1: Position.OPPOSES, 0: Position.HESITANT}[polarity]


def _backs_what_is_undone(predicate: str, lemmas, target: Target) -> bool:
    """The target undoes something ("rolling back the tariffs") and the claim is on that thing itself, with no word of
    undoing ("impose a tariff", "should keep the levy"), or the other way round ("called for lifting the sanctions"
    on "the sanctions"): its side on the one is the other side on the other."""
    words = {predicate.split()[-1] if predicate else "", *lemmas}
    if not target.undone:  # (and the other way: "called for lifting the sanctions" is against the sanctions)
        return _undoes(words) and bool(set(lemmas) & target.lemmas)
    return bool(words & target.undone) and not _undoes(words)


def _undoes(words) -> bool:
    return bool(set(words) & (UNDOING_VERBS | UNDOING_NOUNS | {"roll", "rollback"}))


def _only_names(target: Target) -> bool:
    """A target that is a name ("Trump", "the Fed"): a pronoun for a person may stand for it."""
    return bool(target.entities) and target.lemmas <= {w.lower() for e in target.entities for w in e.split()}


def _is_name(text: str) -> bool:
    """The target is written as a name alone ("Vell", "Big Label"), whether or not the parser labelled it."""
    words = text.split()
    return 0 < len(words) <= 3 and all(w[:1].isupper() for w in words)


def _on_counter(claim: Claim, target: Target) -> bool:
    """The claim acts on the question's other pole: it is named in the object (by a word or a name) before
    anything of the target is ("accused Harlow Events of breaking the agreement with the union")."""
    if not target.counter:
        return False
    words = re.findall(r"[a-z0-9]+", claim.object_text.lower())
    names = {w for n in target.counter_names for w in re.findall(r"[a-z0-9]+", n.lower()) if len(w) > 2}

    def first(keys: set[str]) -> int:
        return next((k for k, w in enumerate(words) if any(w == key or (len(key) > 3 and w.startswith(key))
                                                            for key in keys)), len(words))
    other = first(set(target.counter) | names)
    return other < len(words) and other < first(set(target.lemmas))


def _about_someone_else(claim: Claim, target: Target) -> bool:
    """The object names a person or organisation, the target names others and none of them is in the object
    ("the Bidens" are named by "Biden")."""
    if not claim.named or not target.entities:
        return False
    words = {stem(w) for e in target.entities for w in e.split()} - {""}
    said = re.findall(r"[\w'’.-]+", claim.object_text)
    # ("demanding the police call him in for questioning": "him" may be the person the question is about)
    return not words & {stem(w) for w in said} and not {w.lower() for w in said} & {"him", "her"}


_DERIVED = ("ation", "ition", "ion", "ment", "al", "ance", "ence", "ing", "ure")


def shared_words(lemmas, target_lemmas, acronyms: frozenset[str] = frozenset()) -> int:
    """How many of the target's words the lemmas name, a noun counting for its verb ("an investigation" for
    "investigate", "the deportation" for "deport"): the same lemma, or a lemma formed from it by a suffix
    of nominalisation on the same stem (not a name's plural: "Coalition Forces" is no "force"). A word of
    ``acronyms`` also counts when consecutive lemmas spell it out ("electric vehicle" for "EV")."""
    own = set(lemmas)
    initials = "".join(w[:1] for w in lemmas)
    count = 0
    for word in target_lemmas:
        # (a gerund counts for its verb, "questioning" for "question": the parser may leave it as its lemma)
        if word in own or (word in acronyms and word in initials and _spelled(word, lemmas)) \
                or any("ing" in (word[-3:], other[-3:]) and stem(word) == stem(other) for other in own):
            count += 1
            continue
        t = stem(word)
        count += any(_derived(word, other) and (t == (s := stem(other)) or (min(len(t), len(s)) >= 5 and (
            s.startswith(t) or t.startswith(s)))) for other in own)
    return count


def _spelled(acronym: str, lemmas) -> bool:
    """Consecutive lemmas whose first letters are the acronym's ("electric", "vehicle" for "ev")."""
    words = list(lemmas)
    n = len(acronym)
    return any("".join(w[:1] for w in words[k:k + n]) == acronym and all(len(w) > 2 for w in words[k:k + n])
               for k in range(len(words) - n + 1))


def _derived(a: str, b: str) -> bool:
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return long.endswith(_DERIVED) and not short.endswith(_DERIVED[:3])


def _precondition(content: str, target: Target) -> bool:
    """What should be done is to come first: "before joining", "until the war ends … joining"."""
    # ("first" as an adverb, "join first"; not the ordinal "the first detection of …")
    match = re.search(r"(\bbefore\b|\buntil\b|(?<!\bthe )(?<!\ba )(?<!\bits )(?<!\btheir )(?<!\bhis )(?<!\bher )"
                      r"\bfirst\b)(.*)", content, re.I)
    return bool(match) and any(w == lemma or (len(lemma) >= 4 and w.startswith(lemma))  # "joining" for join
                               for w in re.findall(r"[a-z]+", match.group(2).lower()) for lemma in target.lemmas)


_NOT_EXPECTING = re.compile(r"\b(?:not|n['’]t|never|no longer)\s+(?:\w+\s+)?(?:expect|see|believe|think|foresee)"
                            r"\w*\b(.{0,60})", re.I)


def _doubts(content: str, target: Target) -> bool:
    """"… so not expecting a broad-based rally": the speaker does not expect what the target holds."""
    match = _NOT_EXPECTING.search(content)
    return bool(match) and any(w in target.lemmas for w in re.findall(r"[a-z]+", match.group(1).lower()))


def _warns_of(content: str, target: Target) -> bool:
    """A warning whose clause names the target before its verb ("that the charge would …"), not one
    about doing without it ("that without the charge …", "unless the charge …")."""
    words = re.findall(r"[a-z]+", content.lower())
    if not words or {"without", "unless", "no"} & set(words[:4]):
        return False
    head = words[:6]
    return any(w in target.lemmas or w.rstrip("s") in target.lemmas for w in head if w not in ("that", "the"))


_DEMONSTRATIVES = (["that"], ["this"], ["these"], ["those"], ["such"])


def _points_back(object_text: str) -> bool:
    """"that characterisation", "these remarks", "such claims": an object that refers to an earlier statement."""
    return object_text.lower().split()[:1] in _DEMONSTRATIVES and len(object_text.split()) >= 2


# verbs of doing that back their object only with one ("launched the campaign"); without one, the subject acts
# ("the probe will launch in 2023", "the rules were introduced")
_ACTS_WITH_OBJECT = frozenset("launch issue order introduce implement enact impose sponsor promote".split())
_DETERMINERS = frozenset("the a an this that these those its their his her our my your any some every each no".split())


def _bare(claim: Claim) -> bool:
    """A short object with at most one content word ("an invitation", "the trial", "the company's conclusion")."""
    # "that characterisation", "these remarks" point back to something said, not to the question's subject
    words = claim.object_text.lower().split()
    demonstrative = words[:1] in _DEMONSTRATIVES
    # an indefinite thing stands for the target only if it names an act or a proposal ("resist an invitation",
    # "backed a plan"); "blocked a shot" is about a shot
    indefinite = words[:1] in (["a"], ["an"]) and not any(
        w.endswith(_DERIVED[:5]) or w in ACT_NOUNS for w in claim.object_lemmas)
    # … and so does a noun with no determiner at all ("sought out advice", "demand justice"): a kind of thing, not
    # the thing asked about
    generic = bool(words) and not any(w in _DETERMINERS for w in words) and not claim.object_text[:1].isupper() \
        and not any(w.endswith(_DERIVED[:5]) or w in ACT_NOUNS for w in claim.object_lemmas)
    return claim.polarity is not None and len(claim.object_lemmas) <= 1 and len(words) <= 4 \
        and not demonstrative and not indefinite and not generic


def _points_elsewhere(claim: Claim, sent, doc_text: str, start: int, target: Target) -> bool:
    """A bare object ("disapproving of the idea") points back to the sentence before, and that sentence, like this
    one, names nothing of the target: "… went ahead with the interview. His mother was said to have been
    disapproving of the idea." is about the interview, not the prosecution a question asks about."""
    if shared_words(content_lemmas(sent), target.lemmas, target.acronyms) or not target.lemmas:
        return False
    window = doc_text[max(0, start - 600):start] if 0 < start <= len(doc_text) else ""
    spans = split_sentences(window)
    if not spans:
        return False
    last = window[spans[-1][0]:spans[-1][1]]
    return not shared_words(content_lemmas(parse_one(last)), target.lemmas, target.acronyms)


def _clip(text: str) -> str:
    words = without_label(text).split()
    return " ".join(words[:_MAX_REASON_WORDS]) + ("…" if len(words) > _MAX_REASON_WORDS else "")


def _current(points: list[tuple[Position, str | None, str]]) -> list[tuple[Position, str | None, str]]:
    """The points of the latest year with a dated statement (all points when none is dated)."""
    dated = [p for p in points if p[1]]
    if not dated:
        return points
    latest = max(p[1][:4] for p in dated)
    return [p for p in points if (p[1] or "")[:4] == latest or not p[1]]


def _position(points: list[tuple[Position, str | None, str]]) -> Position:
    counts = {p: sum(1 for q in points if q[0] == p) for p in Position}
    against, support = counts[Position.OPPOSES], counts[Position.SUPPORTS]
    total = against + support + counts[Position.HESITANT]
    if against and support and min(against, support) / total >= 0.3:
        return Position.MIXED
    if support > against + counts[Position.HESITANT]:
        return Position.SUPPORTS
    if against >= counts[Position.HESITANT] and against:
        return Position.OPPOSES
    return Position.HESITANT if counts[Position.HESITANT] else Position.SUPPORTS


def _finding(tally: _Tally, target: Target, options: StanceOptions) -> ActorFinding | None:
    if not tally.points and not tally.said:
        return None
    current = _current(tally.points)
    position = _position(current) if current else Position.NEUTRAL
    series = tuple(sorted(((p.value, d, e) for p, d, e in tally.points), key=lambda x: (x[1] or "9999", x[2])))
    reasons: dict[str, str] = {}
    current_ids = {e for _, _, e in current}
    # a reason given for a position the actor no longer holds (France's 2008 "need to avoid a rupture with
    # Russia" beside its 2024 support) is not a reason for the one shown
    # (hesitancy and opposition are one side here: a worry is a reason for either)
    side = {Position.SUPPORTS: 1, Position.OPPOSES: -1, Position.HESITANT: -1}
    held = {e for p, _, e in tally.points if side.get(p) == side.get(position)}
    other = {e for p, _, e in tally.points if position in side and side.get(p, 0) == -side[position]} - held
    for text, eid in sorted(tally.explicit, key=lambda r: r[1] not in current_ids):
        if eid not in other:
            reasons.setdefault(text, eid)
    # statements that give a reason or a cause first ("a top worry is low pay …"), then the closest
    # … nor is a statement of an earlier year when the actor held the other side ("2008: … citing the need to
    # avoid a rupture with Russia", the year France was reported opposed, beside its 2024 support)
    latest = max((d[:4] for _, d, _ in current if d), default="")
    other_years = {d[:4] for p, d, _ in tally.points if d and d[:4] < latest and position in side
                   and side.get(p, 0) == -side[position]}
    earlier = {e for e, d in tally.said_dates.items() if d and d[:4] in other_years}
    # (a review or a column is its writer's case made sentence by sentence: more of it is the writer's reasons)
    most = _OWN_VOICE_REASONS if tally.own_voice else _REASONS
    # (what it reports comes after what it says: an agency's account of what happened is its part in the story)
    # (… and a person's further words beside a statement heard on the question: "Now we are in a good position
    # to advance," after "We needed this win," both said by the player)
    beside = [(sim, text, eid) for sim, text, eid, doc, at in tally.aside
              if any(d == doc and abs(at - a) <= _BESIDE for d, a in tally.heard_at.values())]
    for _, text, eid in sorted(tally.said, key=lambda s: (not has_reason(s[1]), -s[0])) + \
            sorted(tally.reported, key=lambda s: -s[0]) + sorted(beside, key=lambda s: -s[0]) + tally.stood:
        if len(reasons) >= most:
            break
        if eid not in other and eid not in earlier and not any(same_words(text, r) for r in reasons):
            reasons.setdefault(text, eid)
    top = list(reasons.items())[:most]
    position_ids = [e for p, _, e in sorted(current, key=lambda x: x[0] != position)] if current else \
        [e for _, _, e in sorted(tally.said, key=lambda s: -s[0])[:1]]
    return ActorFinding(
        name=_display(tally.actor), kind=tally.actor.kind, position=position,
        reasons=tuple(t for t, _ in top), position_evidence=tuple(dict.fromkeys(position_ids)),
        reason_evidence=tuple(e for _, e in top), attributions=tuple(tally.attributions)[:3],
        aliases=tuple(a for a in tally.aliases if a != tally.actor.name)[:6], series=series,
        role=tally.actor.role, posted=tuple(tally.posted))


def _display(actor: Actor) -> str:
    """The name shown in the table: a person with their role or affiliation when the text gives one."""
    if actor.kind == "person" and actor.role and actor.role.lower() not in actor.name.lower():
        return f"{actor.name} ({actor.role})"
    return actor.name


def actor_queries(plan: Plan, actors: list[ActorFinding], limit: int = 8) -> dict[str, tuple[str, ...]]:
    """A search per actor that took a position but gave few reasons of its own: query → names to look for."""
    from ..brief.gazetteer import aliases_of

    target = question_target(plan.question)
    out: dict[str, tuple[str, ...]] = {}
    for actor in actors:
        if actor.position == Position.NEUTRAL or len(actor.reasons) >= 2 or len(out) >= limit:
            continue
        name = actor.name.split(" (")[0]
        names = [name, *actor.aliases]
        if actor.kind == "person" and len(name.split()) > 1:
            names.append(name.split()[-1])
        if actor.kind == "country":
            names += list(aliases_of(name))
        out[f"{name} {target.text}"] = tuple(dict.fromkeys(n for n in names if n))
    return out
