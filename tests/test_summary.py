"""The executive summary does not say one thing twice (brief/writer.py): two outlets' sentences that say the
same thing (cosine ≥ REDUNDANT) take one place in it, the other is left for the sections. Pure: vectors given."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from citebrief.brief.evidence import EvidenceSet
from citebrief.brief.model import Evidence
from citebrief.brief.writer import REDUNDANT, _Distinct, _Picker
from citebrief.models import DocMeta


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, np.float32)
    return v / np.linalg.norm(v)


def _items(texts: list[str]) -> dict[str, Evidence]:
    """Evidence items E1, E2, … for ``texts``, each from a document and outlet of its own."""
    return {f"E{k}": Evidence(f"E{k}", text, DocMeta(f"d{k}", f"d{k}.txt", None, f"Outlet {k}", None, "2026-05-01",
                                                     None), f"p{k}", 0, len(text), 1.0)
            for k, text in enumerate(texts, 1)}


def test_a_sentence_that_repeats_one_in_the_summary_is_left_for_the_sections():
    texts = {"E1": "Jo Lane was sentenced to life in federal prison on Thursday, the court said.",
             "E2": "The suspect, Jo Lane, was convicted and sentenced to life in federal prison last week.",
             "E3": "Officers found the girl hidden in a laundry basket in a hotel room in Kelda."}
    items = {eid: Evidence(eid, text, DocMeta(f"d{k}", f"d{k}.txt", None, f"Outlet {k}", None, "2026-05-01", None),
                           f"p{k}", 0, len(text), 1.0) for k, (eid, text) in enumerate(texts.items())}
    # E1 and E2 say the same thing (cosine above REDUNDANT); E3 another (cosine under it)
    vectors = {"E1": _unit(1, 0, 0), "E2": _unit(1, 0.3, 0), "E3": _unit(1, 0, 1.5)}
    assert float(vectors["E1"] @ vectors["E2"]) >= REDUNDANT > float(vectors["E1"] @ vectors["E3"])
    evidence = EvidenceSet(items, {}, {}, {eid: 0.9 for eid in items}, vectors)
    pick = _Picker(evidence)
    summary = _Distinct(pick, [])
    assert summary("E1") is not None and summary("E2") is None and summary("E3") is not None
    assert pick("E2") is not None  # a section may still quote it: only the summary skipped it
    # what the summary opened with counts too
    assert _Distinct(_Picker(evidence), ["E2"])("E1") is None


def test_the_position_lines_do_not_take_the_places_of_source_sentences():
    """The summary names the sides in a line each, then gives up to six source sentences of its own."""
    from citebrief.brief.model import ActorFinding, Facet, Plan, Position, Shape
    from citebrief.brief.writer import _summary

    texts = [f"Kelda council member {name} spoke about the ferry levy at the meeting on {day}."
             for name, day in [("Ana Ruiz", "Monday"), ("Tom Hale", "Tuesday"), ("Jo Lane", "Wednesday"),
                               ("Rosa Lind", "Thursday"), ("Ines Moreau", "Friday"), ("Lars Berg", "Saturday"),
                               ("Dana Ferris", "Sunday"), ("Sam Okafor", "Monday")]]
    items = _items(texts)
    vectors = {eid: _unit(*[1.0 if j == k else 0.0 for j in range(8)]) for k, eid in enumerate(items)}  # distinct
    evidence = EvidenceSet(items, {"positions": tuple(items)}, {}, {eid: 0.5 for eid in items}, vectors)
    plan = Plan("Who supports and who opposes the Kelda ferry levy, and why?", Shape.ACTORS, ("ferry", "levy"), (),
                (Facet("positions", "Who holds which position", "ferry levy"),))
    actors = [ActorFinding("Ana Ruiz", "person", Position.SUPPORTS, (), ("E1",), (), ()),
              ActorFinding("Tom Hale", "person", Position.OPPOSES, (), ("E2",), (), ())]
    drafts = _summary(plan, evidence, actors, [], lambda eid: int(eid[1:]), _Picker(evidence))
    assert [d.kind for d in drafts].count("template") == 2
    assert [d.kind for d in drafts].count("extract") == 6


def test_a_one_value_question_is_answered_first_by_a_sentence_that_reports_what_it_asks():
    """"Who will direct the Kelda sequel?": the summary opens with the sentence in which someone will direct it,
    though two others rank above it (closer to the question's words, better supported)."""
    from citebrief.brief.model import Facet, Plan, Shape
    from citebrief.brief.writer import _summary

    texts = ["Rosa Lind was a producer on the first Kelda film and will return for the sequel.",
             "The first Kelda film was directed by Ana Ruiz in 2019.",
             "Tom Hale is in final talks to write and direct the Kelda sequel, according to two reports."]
    items = _items(texts)
    vectors = {eid: _unit(*[1.0 if j == k else 0.0 for j in range(3)]) for k, eid in enumerate(items)}
    evidence = EvidenceSet(items, {"facts": tuple(items)}, {}, {eid: 0.5 for eid in items}, vectors)
    plan = Plan("Who will direct the Kelda sequel?", Shape.FACTOID, ("kelda", "sequel"), (),
                (Facet("facts", "What the sources report", "Kelda sequel director"),))
    drafts = _summary(plan, evidence, [], [], lambda eid: int(eid[1:]), _Picker(evidence))
    assert drafts[0].evidence == ("E3",)


def test_a_part_that_asks_what_people_say_is_answered_by_what_someone_is_reported_saying():
    """"…, and what do officials say about the ferry?": of the sentences close to that part, one that reports someone
    saying something, though another is closer in words."""
    from citebrief.brief.model import Facet, Plan, Shape
    from citebrief.brief.writer import _summary

    texts = ["The Kelda ferry levy rose to five euros in May, the third rise in two years.",
             "Everyone in Kelda is talking about the ferry these days.",
             "The ferry is in a crisis that is growing at an alarming rate, harbour master Jo Lind said on Monday."]
    items = _items(texts)
    vectors = {"E1": _unit(1, 0, 0), "E2": _unit(0, 1, 0.1), "E3": _unit(0, 1, 0.6)}
    parts = (_unit(1, 0, 0), _unit(0, 1, 0))  # the first part is E1's; E2 is closer than E3 to the second
    evidence = EvidenceSet(items, {"what": ("E1",)}, {}, {eid: 0.5 for eid in items}, vectors, part_vectors=parts)
    plan = Plan("Why did the Kelda ferry levy rise, and what do officials say about the ferry?", Shape.WHY,
                ("kelda", "ferry", "levy"), (), (Facet("what", "What happened", "ferry levy"),))
    drafts = _summary(plan, evidence, [], [], lambda eid: int(eid[1:]), _Picker(evidence))
    assert [e for d in drafts for e in d.evidence][:2] == ["E1", "E3"]  # each part's answer, in the parts' order


def test_among_sentences_as_well_supported_the_summary_prefers_one_that_states_a_figure():
    """Seven sentences that say something general rank a little above one that gives a date and a sum; the summary
    has room for six and takes the one with the figures among them."""
    from citebrief.brief.model import Facet, Plan, Shape
    from citebrief.brief.writer import write_sections

    texts = [f"The Kelda ferry levy has been debated by {who} for a long time now." for who in
             ["residents", "councillors", "traders", "commuters", "islanders", "teachers", "fishermen"]]
    texts.append("The Kelda ferry levy of two pounds a ticket takes effect on 1 May, the council said.")
    items = {eid: replace(ev, score=0.80 if k < 7 else 0.75) for k, (eid, ev) in enumerate(_items(texts).items())}
    vectors = {eid: _unit(*[1.0 if j == k else 0.0 for j in range(8)]) for k, eid in enumerate(items)}
    evidence = EvidenceSet(items, {"what": tuple(items)}, {}, {eid: 0.5 for eid in items}, vectors)
    plan = Plan("What is happening with the Kelda ferry levy?", Shape.GENERAL, ("kelda", "ferry", "levy"), (),
                (Facet("what", "What happened", "Kelda ferry levy"),))
    summary = write_sections(plan, evidence, [], [], vectors)[0]
    assert "E8" in [e for d in summary.sentences for e in d.evidence]
